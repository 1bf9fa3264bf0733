//! The halo: the values of the remote neighbours a worker's rows read.
//!
//! A pull superstep sums, for each owned account, values of its neighbours
//! (in-neighbours for PageRank, out-neighbours for HITS hubs). A worker's rows
//! name a set of distinct neighbours, the **references**; each reference's
//! owner sends its value once per superstep to every worker that references
//! it (one packet per pair of workers, values in an order agreed once, so no
//! ids travel after the set-up). The rows are rewritten once to index the
//! halo buffer: the worker's own values at their local indices, then the
//! remote references in increasing dense id (see [`Halo`]). A row is still
//! summed in its own neighbour-id order, as the local engine sums it; only
//! the remote values travel, and a worker owning every account (one worker)
//! exchanges nothing.
//!
//! This is the vertex program's message exchange with the combiner applied
//! at the receiver: bytes per superstep are `8 × Σ_w |remote references of
//! w|` for one `f64` per account (measured in BENCHMARKS.md).

use crate::comm::{Comm, Packet};
use crate::partition::Partition;

/// A value type a halo can carry.
pub trait HaloValue: Copy + Default + Send {
    /// Packs values into a packet.
    fn pack(values: Vec<Self>) -> Packet;
    /// Unpacks the values of a packet.
    fn unpack(packet: Packet) -> Vec<Self>;
}

impl HaloValue for f64 {
    fn pack(values: Vec<f64>) -> Packet {
        Packet::of_f64s(values)
    }
    fn unpack(packet: Packet) -> Vec<f64> {
        packet.f64s
    }
}

impl HaloValue for u32 {
    fn pack(values: Vec<u32>) -> Packet {
        Packet::of_u32s(values)
    }
    fn unpack(packet: Packet) -> Vec<u32> {
        packet.u32s
    }
}

impl HaloValue for u8 {
    fn pack(values: Vec<u8>) -> Packet {
        Packet {
            u8s: values,
            ..Packet::default()
        }
    }
    fn unpack(packet: Packet) -> Vec<u8> {
        packet.u8s
    }
}

/// The exchange plan of one set of rows.
///
/// # Layout
///
/// A halo buffer holds `k` values per **column**: the worker's own accounts
/// first, at their local indices `0..owned`, then the remote references in
/// increasing dense id. Every row entry's column is `local(v)` when this
/// worker owns `v`, else `owned` plus `v`'s rank among the remote
/// references. A kernel keeps its own values in the buffer's first part (or
/// copies them there), and a superstep only fills the remote part: the
/// owned values are never copied through a channel, and a row still reads
/// its entries in its own (source-id) order, so sums keep the local engine's
/// order and bits.
#[derive(Debug, Clone)]
pub struct Halo {
    /// For every row entry, its column in the halo buffer.
    pub cols: Vec<u32>,
    /// Accounts owned here: the buffer's first columns.
    owned: usize,
    /// Remote references (the buffer's columns after `owned`).
    remote: usize,
    /// Per sending worker: remote positions (columns after `owned`) of the
    /// values it sends, in order.
    recv: Vec<Vec<u32>>,
    /// Per receiving worker: local indices of the values to send, in order.
    send: Vec<Vec<u32>>,
}

impl Halo {
    /// Builds the plan for rows whose entries are the dense ids
    /// `neighbours` (one set-up round).
    pub fn new(comm: &mut Comm<'_>, part: &Partition, neighbours: &[u32]) -> Halo {
        let me = comm.index();
        let owned = part.owned();
        // Distinct remote references in increasing id with a bitmap over the
        // ids, and each entry's rank by its bit: O(m + n), no sort.
        let words = part.n.div_ceil(64);
        let mut bits = vec![0u64; words];
        let mut any_remote = false;
        for &v in neighbours {
            if part.owner(v) != me {
                bits[(v >> 6) as usize] |= 1u64 << (v & 63);
                any_remote = true;
            }
        }
        let mut rank = vec![0u32; if any_remote { words } else { 0 }];
        let mut refs = Vec::new();
        if any_remote {
            for (i, &word) in bits.iter().enumerate() {
                rank[i] = refs.len() as u32;
                let mut w = word;
                while w != 0 {
                    refs.push((i as u32) << 6 | w.trailing_zeros());
                    w &= w - 1;
                }
            }
        }
        let cols = neighbours
            .iter()
            .map(|&v| {
                let (i, b) = ((v >> 6) as usize, v & 63);
                let word = if any_remote { bits[i] } else { 0 };
                if word >> b & 1 == 1 {
                    (owned as u32) + rank[i] + (word & ((1u64 << b) - 1)).count_ones()
                } else {
                    part.local(v) as u32
                }
            })
            .collect();
        drop((bits, rank));
        let w = comm.peers();
        let mut recv = vec![Vec::new(); w];
        let mut ask = vec![Vec::new(); w];
        for (pos, &v) in refs.iter().enumerate() {
            let o = part.owner(v);
            recv[o].push(pos as u32);
            ask[o].push(v);
        }
        let got = comm.exchange(ask.into_iter().map(Packet::of_u32s).collect());
        let send = got
            .into_iter()
            .map(|p| p.u32s.iter().map(|&v| part.local(v) as u32).collect())
            .collect();
        Halo {
            cols,
            owned,
            remote: refs.len(),
            recv,
            send,
        }
    }

    /// Number of remote references.
    pub fn remote(&self) -> usize {
        self.remote
    }

    /// Columns of a halo buffer: owned accounts, then remote references.
    pub fn width(&self) -> usize {
        self.owned + self.remote
    }

    /// One superstep in place: `buf` holds `k` values per column
    /// ([`Halo::width`] columns), the owned values already in its first
    /// `owned · k`; fills the remote columns from their owners. No
    /// allocation but the packets sent.
    pub fn fill<T: HaloValue>(&self, comm: &mut Comm<'_>, buf: &mut [T], k: usize) {
        debug_assert_eq!(buf.len(), self.width() * k);
        let out: Vec<Packet> = self
            .send
            .iter()
            .map(|idx| {
                let mut v = Vec::with_capacity(idx.len() * k);
                for &i in idx {
                    let i = i as usize;
                    v.extend_from_slice(&buf[i * k..(i + 1) * k]);
                }
                T::pack(v)
            })
            .collect();
        let got = comm.exchange(out);
        let base = self.owned * k;
        for (packet, positions) in got.into_iter().zip(&self.recv) {
            if positions.is_empty() {
                continue;
            }
            let values = T::unpack(packet);
            for (j, &pos) in positions.iter().enumerate() {
                let at = base + pos as usize * k;
                buf[at..at + k].copy_from_slice(&values[j * k..(j + 1) * k]);
            }
        }
    }

    /// One superstep into a reused buffer: `local` (`k` values per owned
    /// account) is copied into `buf`'s owned columns and the remote ones are
    /// filled ([`Halo::fill`]); `buf` is resized to [`Halo::width`]` · k`.
    pub fn exchange_into<T: HaloValue>(
        &self,
        comm: &mut Comm<'_>,
        local: &[T],
        buf: &mut Vec<T>,
        k: usize,
    ) {
        buf.clear();
        buf.extend_from_slice(&local[..self.owned * k]);
        buf.resize(self.width() * k, T::default());
        self.fill(comm, buf, k);
    }

    /// One superstep: `k` values per owned account (`local[i·k..(i+1)·k]`)
    /// in, the halo buffer out (`k` values per column, see [`Halo`]).
    pub fn exchange<T: HaloValue>(&self, comm: &mut Comm<'_>, local: &[T], k: usize) -> Vec<T> {
        let mut buf = Vec::with_capacity(self.width() * k);
        self.exchange_into(comm, local, &mut buf, k);
        buf
    }
}
