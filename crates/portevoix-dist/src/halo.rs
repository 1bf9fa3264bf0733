//! The halo: the values of the remote neighbours a worker's rows read.
//!
//! A pull superstep sums, for each owned account, values of its neighbours
//! (in-neighbours for PageRank, out-neighbours for HITS hubs). A worker's rows
//! name a set of distinct neighbours, the **references**; each reference's
//! owner sends its value once per superstep to every worker that references
//! it (one packet per pair of workers, values in an order agreed once, so no
//! ids travel after the set-up). The rows are rewritten once to index the
//! halo array, which holds the references in increasing dense id, so a row is
//! still summed in neighbour-id order, as the local engine sums it.
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
#[derive(Debug, Clone)]
pub struct Halo {
    /// Dense ids of the references, increasing.
    pub refs: Vec<u32>,
    /// For every row entry, its reference's position in `refs`.
    pub cols: Vec<u32>,
    /// References owned here: `(position in refs, local index)`.
    own: Vec<(u32, u32)>,
    /// Per sending worker: positions in `refs` of the values it sends, in order.
    recv: Vec<Vec<u32>>,
    /// Per receiving worker: local indices of the values to send, in order.
    send: Vec<Vec<u32>>,
}

impl Halo {
    /// Builds the plan for rows whose entries are the dense ids
    /// `neighbours` (one set-up round).
    pub fn new(comm: &mut Comm<'_>, part: &Partition, neighbours: &[u32]) -> Halo {
        // Distinct references in increasing id with a bitmap over the ids,
        // and each entry's position by the rank of its bit: O(m + n), no sort.
        let words = part.n.div_ceil(64);
        let mut bits = vec![0u64; words];
        for &v in neighbours {
            bits[(v >> 6) as usize] |= 1u64 << (v & 63);
        }
        let mut rank = vec![0u32; words];
        let mut refs = Vec::new();
        for (i, &word) in bits.iter().enumerate() {
            rank[i] = refs.len() as u32;
            let mut w = word;
            while w != 0 {
                refs.push((i as u32) << 6 | w.trailing_zeros());
                w &= w - 1;
            }
        }
        let cols = neighbours
            .iter()
            .map(|&v| {
                let (i, b) = ((v >> 6) as usize, v & 63);
                rank[i] + (bits[i] & ((1u64 << b) - 1)).count_ones()
            })
            .collect();
        drop((bits, rank));
        let w = comm.peers();
        let me = comm.index();
        let mut own = Vec::new();
        let mut recv = vec![Vec::new(); w];
        let mut ask = vec![Vec::new(); w];
        for (pos, &v) in refs.iter().enumerate() {
            let o = part.owner(v);
            if o == me {
                own.push((pos as u32, part.local(v) as u32));
            } else {
                recv[o].push(pos as u32);
                ask[o].push(v);
            }
        }
        let got = comm.exchange(ask.into_iter().map(Packet::of_u32s).collect());
        let send = got
            .into_iter()
            .map(|p| p.u32s.iter().map(|&v| part.local(v) as u32).collect())
            .collect();
        Halo {
            refs,
            cols,
            own,
            recv,
            send,
        }
    }

    /// Number of references.
    pub fn len(&self) -> usize {
        self.refs.len()
    }

    /// Whether the rows reference nothing.
    pub fn is_empty(&self) -> bool {
        self.refs.is_empty()
    }

    /// One superstep: `k` values per owned account (`local[i·k..(i+1)·k]`)
    /// in, `k` values per reference out (positions as in `refs`).
    pub fn exchange<T: HaloValue>(&self, comm: &mut Comm<'_>, local: &[T], k: usize) -> Vec<T> {
        let out: Vec<Packet> = self
            .send
            .iter()
            .map(|idx| {
                let mut v = Vec::with_capacity(idx.len() * k);
                for &i in idx {
                    let i = i as usize;
                    v.extend_from_slice(&local[i * k..(i + 1) * k]);
                }
                T::pack(v)
            })
            .collect();
        let got = comm.exchange(out);
        let mut halo = vec![T::default(); self.refs.len() * k];
        for &(pos, i) in &self.own {
            let (pos, i) = (pos as usize, i as usize);
            halo[pos * k..(pos + 1) * k].copy_from_slice(&local[i * k..(i + 1) * k]);
        }
        for (packet, positions) in got.into_iter().zip(&self.recv) {
            let values = T::unpack(packet);
            for (j, &pos) in positions.iter().enumerate() {
                let pos = pos as usize;
                halo[pos * k..(pos + 1) * k].copy_from_slice(&values[j * k..(j + 1) * k]);
            }
        }
        halo
    }
}
