//! Loading: every worker reads its parts, the external ids get the local
//! engine's dense ids without any process holding them all, and the edges go
//! to their owners.
//!
//! # Dense ids, distributed
//!
//! The local engine numbers accounts in order of first appearance across the
//! inputs (source before target, row after row). Each part is parsed with
//! its own interner, so an account's first appearance is the smallest
//! `(part, local id)` among the parts it appears in, and its dense id is the
//! number of accounts whose first appearance comes before. The rounds:
//!
//! 1. **Hash partitioning.** For every part and every local id, the part's
//!    reader sends `(name, part, local id)` to the *name owner*, the worker
//!    `hash(name) mod W`, one part per worker per round (an account appears
//!    in many parts, so the occurrences outnumber the accounts many times
//!    on a large input: they never travel all at once). Each name owner sees every occurrence of its names
//!    and keeps the smallest key, the **first appearance**.
//! 2. The name owner tells each part's reader which of its local ids are
//!    first appearances. Every reader counts them per part.
//! 3. **Dense ranges.** The per-part counts are gathered by every worker;
//!    part `g` owns the dense range starting at the sum of the counts of the
//!    parts before it, and numbers its first appearances in local-id order.
//!    This is exactly the local engine's numbering.
//! 4. Each reader sends the dense ids of its first appearances to their name
//!    owners, which answer every `(part, local id)` that asked (in the
//!    rounds of step 1), so every reader can relabel its rows. The name owners keep their names with
//!    their dense ids ([`HeldNames`]); worker 0 gathers them only to write
//!    the output, after the graph is dropped.
//!
//! No worker ever holds more than its names (about `n / W`) and its parts'
//! ids; worker 0 holds every name only at the end, without the graph.
//!
//! # Edges
//!
//! 5. **Ownership by load.** Every reader counts, per account, the row
//!    copies its parts will send (one per listing of the row's layer, to the
//!    owner of the target for the in-rows and of the source for the
//!    out-rows); the per-unit sums are added over all workers and the units
//!    are assigned to workers by load ([`Partition::balanced`]). Each owner
//!    then receives the exact length of each of its out-rows.
//! 6. **Shipping into place.** Rows are relabelled and shipped one part per
//!    worker per round, in part order, in sub-rounds of at most a million
//!    rows (bounded buffers), each copy to the owner of its source. Packets
//!    are consumed by sender, so every owner receives its rows in input
//!    order, and places every copy at once in its row's slot: the copies are
//!    held once, as the rows' arrays (8 bytes a copy, plus a layer byte when
//!    the view lists several layers), while the parsed parts are freed part
//!    by part.
//! 7. **Build in place.** Each out-row is sorted by its target (stably) and
//!    its duplicates merged in input order with the build's
//!    [`DuplicatePolicy`](portevoix_graph::DuplicatePolicy), layers combined
//!    as [`Network::merged`](portevoix_graph::Network::merged) does,
//!    self-loops dropped unless kept, compacting the arrays where they lie:
//!    the same rows and weights as the local engine's view. The out-rows
//!    give the out-weights, out-degrees and self-loop flags.
//! 8. **Transposition.** Every merged out-edge `u → v` goes once to the
//!    owner of `v` (one count round gives the in-rows' exact lengths), as
//!    the local engine transposes its merged out-CSR: the in-rows hold the
//!    same merged weights, and arrive sorted by source from each sender (a
//!    single worker's in-rows need no sort at all). The out-rows are then
//!    dropped when no kernel reads them.

use crate::comm::{Comm, Packet};
use crate::error::{DistError, Result};
use crate::input::{self, InputFile, InputPlan, LayerRows, ParsedPart, Part};
use crate::partition::Partition;
use portevoix_core::{ExternalId, Interner, Layer, canonical_u64};
use portevoix_graph::BuildOptions;
use portevoix_ingest::ReadOptions;
use rustc_hash::FxHashMap;

/// An external id, normalised: a canonical decimal number is always
/// numeric, whichever way the reader stored it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Name {
    /// A canonical decimal number.
    Num(u64),
    /// Any other id.
    Text(Box<str>),
}

impl Name {
    fn of(id: ExternalId<'_>) -> Name {
        match id {
            ExternalId::Numeric(v) => Name::Num(v),
            ExternalId::Text(s) => match canonical_u64(s.as_bytes()) {
                Some(v) => Name::Num(v),
                None => Name::Text(s.into()),
            },
        }
    }

    /// Parses a name as the readers would store it.
    pub fn parse(s: &str) -> Name {
        match canonical_u64(s.as_bytes()) {
            Some(v) => Name::Num(v),
            None => Name::Text(s.into()),
        }
    }

    /// The worker owning this name among `workers`.
    fn owner(&self, workers: usize) -> usize {
        let h = match self {
            Name::Num(v) => mix64(*v),
            Name::Text(s) => text_hash(s),
        };
        (h % workers as u64) as usize
    }

    /// The owner of the name of `id` ([`Name::of`]`(id).owner(workers)`,
    /// without building the name).
    fn owner_of(id: ExternalId<'_>, workers: usize) -> usize {
        let h = match id {
            ExternalId::Numeric(v) => mix64(v),
            ExternalId::Text(s) => match canonical_u64(s.as_bytes()) {
                Some(v) => mix64(v),
                None => text_hash(s),
            },
        };
        (h % workers as u64) as usize
    }

    fn push(&self, p: &mut Packet) {
        match self {
            Name::Num(v) => {
                p.u8s.push(0);
                p.u64s.push(*v);
            }
            Name::Text(s) => {
                p.u8s.push(1);
                p.texts.push(s.to_string());
            }
        }
    }
}

/// Reads the names of a packet written by [`Name::push`], in order.
fn names_of(p: Packet) -> Vec<Name> {
    let mut nums = p.u64s.into_iter();
    let mut texts = p.texts.into_iter();
    p.u8s
        .iter()
        .map(|&k| {
            if k == 0 {
                Name::Num(nums.next().unwrap_or(0))
            } else {
                Name::Text(texts.next().unwrap_or_default().into())
            }
        })
        .collect()
}

/// FNV-1a, then mixed: the same on every process.
fn text_hash(s: &str) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &b in s.as_bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    mix64(h)
}

#[inline]
fn mix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// What to load and how.
#[derive(Debug, Clone)]
pub struct LoadSpec {
    /// The inputs, in order.
    pub inputs: Vec<InputFile>,
    /// Reader options (mode, edge-list and signed options).
    pub read: ReadOptions,
    /// Build options (duplicate policy, self-loops).
    pub build: BuildOptions,
    /// The view: layers and factors; `None` picks the endorsement layers
    /// present with factor 1, or every layer present if none is (the rule of
    /// the command line's `--layers` default).
    pub layers: Option<Vec<(Layer, f32)>>,
    /// Bytes per part of an uncompressed input.
    pub block_bytes: u64,
    /// Dense ids per unit of ownership.
    pub unit: usize,
    /// Build the out-rows (kernels that pull along out-edges need them).
    pub out_rows: bool,
    /// Names the algorithm refers to (seeds, personalisations), resolved to
    /// dense ids while the name owners still hold their tables.
    pub lookups: Vec<String>,
}

/// This worker's part of the graph.
#[derive(Debug, Clone)]
pub struct DistGraph {
    /// Ownership of the dense ids.
    pub part: Partition,
    /// In-rows of the owned accounts: sources (global dense ids, sorted).
    pub in_offsets: Vec<u64>,
    /// Sources of the in-rows.
    pub in_src: Vec<u32>,
    /// Weights of the in-rows.
    pub in_w: Vec<f32>,
    /// Out-rows of the owned accounts (empty unless asked for).
    pub out_offsets: Vec<u64>,
    /// Targets of the out-rows.
    pub out_dst: Vec<u32>,
    /// Weights of the out-rows.
    pub out_w: Vec<f32>,
    /// `Σ f64(w)` of each owned account's out-row, in target order, and its
    /// out-degree (always computed, even without the out-rows).
    pub out_weight: Vec<f64>,
    /// Out-degree of each owned account.
    pub out_degree: Vec<u32>,
    /// Whether each owned account has a self-loop in the view.
    pub self_loop: Vec<bool>,
    /// Edges of the whole view.
    pub edges: u64,
}

impl DistGraph {
    /// Number of owned accounts.
    pub fn owned(&self) -> usize {
        self.part.owned()
    }

    /// In-row `i` (local index): sources and weights.
    #[inline]
    pub fn in_row(&self, i: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.in_offsets[i] as usize, self.in_offsets[i + 1] as usize);
        (&self.in_src[a..b], &self.in_w[a..b])
    }

    /// Out-row `i` (local index): targets and weights.
    #[inline]
    pub fn out_row(&self, i: usize) -> (&[u32], &[f32]) {
        let (a, b) = (
            self.out_offsets[i] as usize,
            self.out_offsets[i + 1] as usize,
        );
        (&self.out_dst[a..b], &self.out_w[a..b])
    }
}

/// What a load produced on one worker.
pub struct Loaded {
    /// This worker's part of the graph.
    pub graph: DistGraph,
    /// The names this worker holds as a name owner; [`HeldNames::gather`]
    /// collects them on worker 0 when the output is written.
    pub names: HeldNames,
    /// The view's layers and factors.
    pub layers: Vec<(Layer, f32)>,
    /// Dense ids of [`LoadSpec::lookups`] (`None`: not an account).
    pub lookups: Vec<Option<u32>>,
    /// Records read and skipped (all workers), and bytes read by this worker.
    pub records: u64,
    /// Bad records skipped in lenient mode (all workers).
    pub skipped: u64,
    /// Input bytes this worker read.
    pub bytes_read: u64,
}

/// Position key of an input error: the part's index, so that the job
/// reports the first bad row in input order.
fn fail_key(g: usize) -> u64 {
    g as u64
}

/// This worker's parsed parts, with their global part index, in order.
type MyParts = Vec<(usize, ParsedPart)>;

/// Reads this worker's parts. Every worker plans the same parts.
fn read_parts(comm: &mut Comm<'_>, spec: &LoadSpec) -> Result<(Vec<Part>, MyParts)> {
    let planned = input::plan(&spec.inputs, &spec.read, spec.block_bytes);
    let (plans, parts): (Vec<InputPlan>, Vec<Part>) = comm
        .agree(planned.map_err(|e| (0, e.to_string())))
        .map_err(DistError::Job)?;
    let (me, w) = (comm.index(), comm.peers());
    let mut mine = Vec::new();
    let mut failure = None;
    for (g, p) in parts.iter().enumerate() {
        if g % w != me {
            continue;
        }
        match input::read_part(&spec.inputs[p.input], &plans[p.input], p) {
            Ok(parsed) => mine.push((g, parsed)),
            Err(e) => {
                failure = Some((fail_key(g), e.to_string()));
                break;
            }
        }
    }
    comm.agree(match failure {
        None => Ok(()),
        Some(f) => Err(f),
    })
    .map_err(DistError::Job)?;
    Ok((parts, mine))
}

/// The view's layers: as asked, or the endorsement layers present.
fn choose_layers(
    comm: &mut Comm<'_>,
    spec: &LoadSpec,
    mine: &[(usize, ParsedPart)],
) -> Result<Vec<(Layer, f32)>> {
    let mut rows = vec![0u64; Layer::COUNT];
    for (_, p) in mine {
        for (layer, a, _, _) in &p.rows {
            rows[layer.index()] += a.len() as u64;
        }
    }
    let all = comm.all_gather(Packet::of_u64s(rows));
    let present: Vec<Layer> = Layer::ALL
        .into_iter()
        .filter(|l| all.iter().any(|p| p.u64s[l.index()] > 0))
        .collect();
    let layers: Vec<(Layer, f32)> = match &spec.layers {
        Some(l) => l.clone(),
        None => {
            let endorsement: Vec<Layer> = present
                .iter()
                .copied()
                .filter(|l| l.is_endorsement())
                .collect();
            let pick = if endorsement.is_empty() {
                present
            } else {
                endorsement
            };
            pick.into_iter().map(|l| (l, 1.0)).collect()
        }
    };
    if layers.is_empty() {
        return Err(DistError::Local(portevoix_core::Error::argument(
            "load",
            "the inputs hold no interaction to run on",
        )));
    }
    Ok(layers)
}

/// The name owners' state between the rounds.
#[derive(Default)]
struct NameTable {
    nums: FxHashMap<u64, u32>,
    texts: FxHashMap<Box<str>, u32>,
    /// First appearance `(part, local)` of each slot.
    first: Vec<(u32, u32)>,
    /// Every occurrence's slot, in arrival order (rounds, then senders).
    requests: Vec<u32>,
    /// Dense id of each slot, once known.
    dense: Vec<u32>,
}

impl NameTable {
    fn slot(&mut self, name: Name, key: (u32, u32)) -> u32 {
        let next = self.first.len() as u32;
        let slot = match name {
            Name::Num(v) => *self.nums.entry(v).or_insert(next),
            Name::Text(s) => *self.texts.entry(s).or_insert(next),
        };
        if slot == next {
            self.first.push(key);
        } else if key < self.first[slot as usize] {
            self.first[slot as usize] = key;
        }
        slot
    }

    fn get(&self, name: &Name) -> Option<u32> {
        match name {
            Name::Num(v) => self.nums.get(v).copied(),
            Name::Text(s) => self.texts.get(s).copied(),
        }
    }
}

/// Assigns the dense ids (rounds 1 to 4b of the module docs). Returns, per
/// parsed part, the dense id of each local id, the total number of
/// accounts, and the name owners' table.
fn assign_ids(
    comm: &mut Comm<'_>,
    parts_total: usize,
    mine: &[(usize, ParsedPart)],
) -> Result<(Vec<Vec<u32>>, usize, NameTable)> {
    let w = comm.peers();
    // Round 1: every occurrence to its name owner, one part per worker per
    // round (bounded packets): the part's index, then its local ids (in
    // u32s) and names. The owner records each occurrence's slot in arrival
    // order; `bounds[r·W + s]` is where the occurrences of round `r` from
    // sender `s` start, so that round 4b can answer them in the same order.
    let rounds = parts_total.div_ceil(w);
    let mut table = NameTable::default();
    let mut bounds = Vec::with_capacity(rounds * w + 1);
    for round in 0..rounds {
        let mut out = vec![Packet::default(); w];
        if let Some((g, p)) = mine.get(round) {
            for (id, ext) in p.interner.iter() {
                let name = Name::of(ext);
                let o = name.owner(w);
                if out[o].u32s.is_empty() {
                    out[o].u32s.push(*g as u32);
                }
                out[o].u32s.push(id.0);
                name.push(&mut out[o]);
            }
        }
        for packet in comm.exchange(out) {
            bounds.push(table.requests.len());
            let Some((&g, locals)) = packet.u32s.split_first() else {
                continue;
            };
            // The names of `Name::push`, read in place.
            let mut nums = packet.u64s.iter();
            let mut texts = packet.texts.into_iter();
            for (&kind, &l) in packet.u8s.iter().zip(locals) {
                let name = if kind == 0 {
                    Name::Num(nums.next().copied().unwrap_or(0))
                } else {
                    Name::Text(texts.next().unwrap_or_default().into())
                };
                let slot = table.slot(name, (g, l));
                table.requests.push(slot);
            }
        }
    }
    bounds.push(table.requests.len());
    // Round 2: first appearances to their parts' readers.
    let mut out = vec![Packet::default(); w];
    for &(g, l) in &table.first {
        out[g as usize % w].u32s.extend_from_slice(&[g, l]);
    }
    let got = comm.exchange(out);
    // Position in `mine` of each part this worker read (by global part).
    let mut index_of = vec![usize::MAX; parts_total];
    for (i, (g, _)) in mine.iter().enumerate() {
        index_of[*g] = i;
    }
    let mut winner: Vec<Vec<bool>> = mine
        .iter()
        .map(|(_, p)| vec![false; p.interner.len()])
        .collect();
    // Kept until round 4a: each name owner's first appearances, in its slot
    // order, which the answers follow.
    let firsts = got;
    for packet in &firsts {
        for k in packet.u32s.chunks_exact(2) {
            let i = index_of[k[0] as usize];
            winner[i][k[1] as usize] = true;
        }
    }
    // Round 3: per-part counts to everyone; dense ranges in part order.
    let mut counts = Vec::new();
    for ((g, _), win) in mine.iter().zip(&winner) {
        counts.extend_from_slice(&[*g as u64, win.iter().filter(|x| **x).count() as u64]);
    }
    let all = comm.all_gather(Packet::of_u64s(counts));
    let mut per_part = vec![0u64; parts_total];
    for p in &all {
        for c in p.u64s.chunks_exact(2) {
            per_part[c[0] as usize] = c[1];
        }
    }
    let mut offset = vec![0u64; parts_total + 1];
    for g in 0..parts_total {
        offset[g + 1] = offset[g] + per_part[g];
    }
    let n = offset[parts_total];
    if n >= u64::from(u32::MAX) {
        return Err(DistError::Local(portevoix_core::Error::argument(
            "load",
            format!(
                "{n} accounts: the dense id space holds at most {} accounts",
                u32::MAX - 1
            ),
        )));
    }
    let mut dense: Vec<Vec<u32>> = Vec::with_capacity(mine.len());
    for ((g, p), win) in mine.iter().zip(&winner) {
        let mut next = offset[*g] as u32;
        let mut d = vec![u32::MAX; p.interner.len()];
        for (l, is_first) in win.iter().enumerate() {
            if *is_first {
                d[l] = next;
                next += 1;
            }
        }
        dense.push(d);
    }
    // Round 4a: dense ids of first appearances to their name owners, in the
    // order each owner listed them in round 2 (its slot order), so that the
    // owner takes them in turn without looking anything up.
    let out: Vec<Packet> = firsts
        .iter()
        .map(|p| {
            Packet::of_u32s(
                p.u32s
                    .chunks_exact(2)
                    .map(|k| dense[index_of[k[0] as usize]][k[1] as usize])
                    .collect(),
            )
        })
        .collect();
    drop(firsts);
    let got = comm.exchange(out);
    let mut answers: Vec<std::slice::Iter<'_, u32>> = got.iter().map(|p| p.u32s.iter()).collect();
    table.dense = Vec::with_capacity(table.first.len());
    for &(g, _) in &table.first {
        let v = answers[g as usize % w]
            .next()
            .copied()
            .ok_or_else(|| DistError::Worker("a first appearance has no dense id".into()))?;
        table.dense.push(v);
    }
    drop(answers);
    drop(got);
    // Round 4b: answer every occurrence with its dense id, in the rounds and
    // the order it came in; each reader walks its part's local ids again and
    // takes the answers of each id's name owner in turn.
    for round in 0..rounds {
        let out: Vec<Packet> = (0..w)
            .map(|s| {
                let (a, b) = (bounds[round * w + s], bounds[round * w + s + 1]);
                Packet::of_u32s(
                    table.requests[a..b]
                        .iter()
                        .map(|&slot| table.dense[slot as usize])
                        .collect(),
                )
            })
            .collect();
        let got = comm.exchange(out);
        if let Some((_, p)) = mine.get(round) {
            let mut answers: Vec<std::slice::Iter<'_, u32>> =
                got.iter().map(|p| p.u32s.iter()).collect();
            let d = &mut dense[round];
            for (id, ext) in p.interner.iter() {
                d[id.index()] = answers[Name::owner_of(ext, w)]
                    .next()
                    .copied()
                    .ok_or_else(|| DistError::Worker("an occurrence has no dense id".into()))?;
            }
        }
    }
    table.requests = Vec::new();
    Ok((dense, n as usize, table))
}

/// Resolves names to dense ids through the name owners.
fn resolve(comm: &mut Comm<'_>, table: &NameTable, names: &[String]) -> Vec<Option<u32>> {
    let w = comm.peers();
    let me = comm.index();
    let mut found = Vec::new();
    for (i, s) in names.iter().enumerate() {
        let name = Name::parse(s);
        if name.owner(w) == me
            && let Some(slot) = table.get(&name)
        {
            found.extend_from_slice(&[i as u32, table.dense[slot as usize]]);
        }
    }
    let all = comm.all_gather(Packet::of_u32s(found));
    let mut out = vec![None; names.len()];
    for p in all {
        for k in p.u32s.chunks_exact(2) {
            out[k[0] as usize] = Some(k[1]);
        }
    }
    out
}

/// The names a name owner keeps once the ids are assigned: `(dense id,
/// name)`, increasing in dense id (about `n / W` per worker). They are
/// gathered on worker 0 only when the output is written
/// ([`HeldNames::gather`]), after the graph is dropped, so that the names
/// never add to the load's peak.
#[derive(Debug, Default)]
pub struct HeldNames(Vec<(u32, Name)>);

impl HeldNames {
    fn of(table: NameTable) -> HeldNames {
        let dense = table.dense;
        let mut held: Vec<(u32, Name)> = Vec::with_capacity(dense.len());
        held.extend(
            table
                .nums
                .into_iter()
                .map(|(v, slot)| (dense[slot as usize], Name::Num(v))),
        );
        held.extend(
            table
                .texts
                .into_iter()
                .map(|(t, slot)| (dense[slot as usize], Name::Text(t))),
        );
        held.sort_unstable_by_key(|e| e.0);
        HeldNames(held)
    }

    /// Every account's name on worker 0, interned in dense-id order (its
    /// ids are the dense ids); an empty interner on the other workers. Every
    /// worker must call it (one round).
    ///
    /// # Errors
    /// A hole in the dense ids (an internal error) or an interner failure.
    pub fn gather(self, comm: &mut Comm<'_>) -> Result<Interner> {
        let mut out = vec![Packet::default(); comm.peers()];
        for (v, name) in &self.0 {
            out[0].u32s.push(*v);
            name.push(&mut out[0]);
        }
        drop(self);
        let got = comm.exchange(out);
        let mut names = Interner::new();
        if comm.index() != 0 {
            return Ok(names);
        }
        // Every packet is increasing in dense id: merge them.
        let mut streams: Vec<_> = got
            .into_iter()
            .map(|mut p| {
                let ids = std::mem::take(&mut p.u32s);
                ids.into_iter().zip(names_of(p)).peekable()
            })
            .collect();
        let mut next = 0u32;
        while let Some((v, i)) = streams
            .iter_mut()
            .enumerate()
            .filter_map(|(i, s)| s.peek().map(|e| (e.0, i)))
            .min()
        {
            let name = streams[i].next().map(|e| e.1).unwrap_or(Name::Num(0));
            let id = match name {
                Name::Num(x) => names.intern_u64(x),
                Name::Text(s) => names.intern(&s),
            }
            .map_err(|e| DistError::Local(e.into()))?;
            if v != next || id.0 != v {
                return Err(DistError::Worker(format!(
                    "name of dense id {v} interned as {} (expected {next})",
                    id.0
                )));
            }
            next += 1;
        }
        Ok(names)
    }
}

/// Rows per shipping round of one part (a round sends at most twice as many
/// copies, 13 bytes each, which bounds the exchange's buffers).
const ROWS_PER_ROUND: usize = 1 << 20;

/// Calls `f(target, source, weight, listing)` for every row copy of rows
/// `range` (counted across the part's layers, in order) of a part, in dense
/// ids: one copy per listing of the row's layer in the view, self-loops
/// dropped unless kept. The load counts and ships copies through this one
/// function, so the counts match the copies.
fn for_each_copy(
    rows: &[LayerRows],
    range: std::ops::Range<usize>,
    dense: &[u32],
    layers: &[(Layer, f32)],
    keep_self_loops: bool,
    mut f: impl FnMut(u32, u32, u32, u8),
) {
    let mut first = 0usize;
    for (layer, actors, targets, weights) in rows {
        let len = actors.len();
        let (a, b) = (range.start.max(first), range.end.min(first + len));
        if a < b {
            // A layer listed twice counts twice: one copy per listing.
            let listings: Vec<u8> = layers
                .iter()
                .enumerate()
                .filter(|(_, (l, _))| l == layer)
                .map(|(i, _)| i as u8)
                .collect();
            for r in a - first..b - first {
                let (u, v) = (dense[actors[r] as usize], dense[targets[r] as usize]);
                if u == v && !keep_self_loops {
                    continue;
                }
                for &listing in &listings {
                    f(v, u, weights[r].to_bits(), listing);
                }
            }
        }
        first += len;
    }
}

/// The unit loads (module docs of [`crate::partition`]) and the balanced
/// partition, then every owner's out-row lengths (copies before merging).
/// Returns the partition and the exact out-row lengths of this worker's
/// accounts.
fn plan_rows(
    comm: &mut Comm<'_>,
    spec: &LoadSpec,
    mine: &[(usize, ParsedPart)],
    dense: &[Vec<u32>],
    layers: &[(Layer, f32)],
    n: usize,
) -> (Partition, Vec<u32>) {
    let w = comm.peers();
    let unit = spec.unit.max(1);
    let mut in_count = vec![0u32; n];
    let mut out_count = vec![0u32; n];
    for ((_, p), d) in mine.iter().zip(dense) {
        let rows: usize = p.rows.iter().map(|r| r.1.len()).sum();
        let keep = spec.build.keep_self_loops;
        for_each_copy(&p.rows, 0..rows, d, layers, keep, |v, u, _, _| {
            in_count[v as usize] += 1;
            out_count[u as usize] += 1;
        });
    }
    let units = n.div_ceil(unit);
    let loads: Vec<u64> = (0..units)
        .map(|k| {
            let ids = k * unit..((k + 1) * unit).min(n);
            let copies: u64 = ids
                .clone()
                .map(|v| u64::from(in_count[v]) + u64::from(out_count[v]))
                .sum();
            copies + ids.len() as u64
        })
        .collect();
    let all = comm.all_gather(Packet::of_u64s(loads));
    let total: Vec<u64> = (0..units)
        .map(|k| all.iter().map(|p| p.u64s[k]).sum())
        .collect();
    let part = Partition::balanced(n, unit, w, comm.index(), &total);
    drop(in_count);
    let outs = owned_lengths(comm, &part, out_count);
    (part, outs)
}

/// Every owner's row lengths from every worker's counts by dense id
/// (`counts[v]`): one round, each owner receiving its accounts' counts in
/// its local order, summed over the senders.
fn owned_lengths(comm: &mut Comm<'_>, part: &Partition, counts: Vec<u32>) -> Vec<u32> {
    let out: Vec<Packet> = (0..comm.peers())
        .map(|o| {
            let owned = part.owned_by(o);
            Packet::of_u32s(
                (0..owned)
                    .map(|i| counts[part.global_of(o, i) as usize])
                    .collect(),
            )
        })
        .collect();
    drop(counts);
    let got = comm.exchange(out);
    let mut lengths = vec![0u32; part.owned()];
    for p in got {
        for (l, &c) in lengths.iter_mut().zip(&p.u32s) {
            *l += c;
        }
    }
    lengths
}

/// Row copies received by one owner, placed in their rows as they arrive
/// (the rows' lengths are known beforehand, so no copy is ever held twice).
struct Placed {
    /// `pos[i + 1]` is the next free slot of row `i`; once every copy has
    /// arrived, `pos` is the rows' offsets.
    pos: Vec<u64>,
    other: Vec<u32>,
    w: Vec<f32>,
    /// View-layer position of each copy (only when the view lists several).
    layer: Vec<u8>,
}

impl Placed {
    fn new(lengths: &[u32], with_layers: bool) -> Placed {
        let mut pos = vec![0u64; lengths.len() + 1];
        for i in 1..lengths.len() {
            pos[i + 1] = pos[i] + u64::from(lengths[i - 1]);
        }
        let total = lengths.iter().map(|&x| x as usize).sum::<usize>();
        Placed {
            pos,
            other: vec![0; total],
            w: vec![0.0; total],
            layer: if with_layers {
                vec![0; total]
            } else {
                Vec::new()
            },
        }
    }

    #[inline]
    fn put(&mut self, row: usize, other: u32, w: f32, layer: u8) {
        let at = self.pos[row + 1] as usize;
        self.pos[row + 1] += 1;
        self.other[at] = other;
        self.w[at] = w;
        if !self.layer.is_empty() {
            self.layer[at] = layer;
        }
    }

    /// The rows sorted by their other end, which must be unique within a
    /// row (merged rows): `(offsets, other ends, weights)`.
    fn sorted(self) -> (Vec<u64>, Vec<u32>, Vec<f32>) {
        let Placed {
            pos,
            mut other,
            mut w,
            ..
        } = self;
        let mut row: Vec<u64> = Vec::new();
        for i in 0..pos.len() - 1 {
            let (a, b) = (pos[i] as usize, pos[i + 1] as usize);
            if other[a..b].windows(2).all(|p| p[0] < p[1]) {
                continue;
            }
            row.clear();
            row.extend((a..b).map(|j| u64::from(other[j]) | u64::from(w[j].to_bits()) << 32));
            row.sort_unstable_by_key(|&x| x as u32);
            for (j, &x) in (a..b).zip(&row) {
                other[j] = x as u32;
                w[j] = f32::from_bits((x >> 32) as u32);
            }
        }
        (pos, other, w)
    }

    /// Sorts every row by its other end keeping arrival order among equals,
    /// merges duplicates per layer with the policy, combines layers with
    /// their factors, and compacts the rows in place: `(offsets, other
    /// ends, weights)`.
    fn build(
        self,
        layers: &[(Layer, f32)],
        build: &BuildOptions,
    ) -> (Vec<u64>, Vec<u32>, Vec<f32>) {
        let Placed {
            mut pos,
            mut other,
            mut w,
            layer,
        } = self;
        let rows = pos.len() - 1;
        let single = layer.is_empty() && layers.len() == 1 && layers[0].1 == 1.0;
        let mut per_layer: Vec<Vec<f32>> = vec![Vec::new(); layers.len().max(1)];
        let mut row: Vec<(u32, f32, u8)> = Vec::new();
        let mut keyed: Vec<(u64, f32, u8)> = Vec::new();
        let mut write = 0usize;
        let mut start = 0usize;
        for i in 0..rows {
            let end = pos[i + 1] as usize;
            row.clear();
            row.extend((start..end).map(|j| (other[j], w[j], layer.get(j).copied().unwrap_or(0))));
            if !row.windows(2).all(|p| p[0].0 <= p[1].0) {
                // Stable: duplicates keep their input order. The keys
                // (other end, arrival) are unique, so an unstable sort of
                // them is the stable sort, with no allocation per row.
                keyed.clear();
                keyed.extend(
                    row.iter()
                        .enumerate()
                        .map(|(j, x)| (u64::from(x.0) << 32 | j as u64, x.1, x.2)),
                );
                keyed.sort_unstable_by_key(|x| x.0);
                for (r, k) in row.iter_mut().zip(&keyed) {
                    *r = ((k.0 >> 32) as u32, k.1, k.2);
                }
            }
            let mut a = 0;
            while a < row.len() {
                let end_ = row[a..]
                    .iter()
                    .position(|x| x.0 != row[a].0)
                    .map_or(row.len(), |k| a + k);
                let weight = if single {
                    build.duplicates.merge(row[a..end_].iter().map(|x| x.1))
                } else {
                    for x in &row[a..end_] {
                        per_layer[x.2 as usize].push(x.1);
                    }
                    let mut total = 0.0f64;
                    for (p, &(_, factor)) in layers.iter().enumerate() {
                        if !per_layer[p].is_empty() {
                            let m = build.duplicates.merge(per_layer[p].drain(..));
                            total += f64::from(factor) * f64::from(m);
                        }
                    }
                    total as f32
                };
                other[write] = row[a].0;
                w[write] = weight;
                write += 1;
                a = end_;
            }
            pos[i + 1] = write as u64;
            start = end;
        }
        drop(layer);
        other.truncate(write);
        other.shrink_to_fit();
        w.truncate(write);
        w.shrink_to_fit();
        (pos, other, w)
    }
}

/// Ships every row copy to the owner of its source and places it in the
/// source's out-row: round `r` carries part `r·W + worker` of every worker,
/// in sub-rounds of at most [`ROWS_PER_ROUND`] rows; packets are taken by
/// sender, so every row receives its copies in input order.
#[allow(clippy::too_many_arguments)]
fn ship(
    comm: &mut Comm<'_>,
    spec: &LoadSpec,
    part: &Partition,
    parts_total: usize,
    mut mine: Vec<(usize, ParsedPart)>,
    mut dense: Vec<Vec<u32>>,
    layers: &[(Layer, f32)],
    outs: &mut Placed,
) {
    let w = comm.peers();
    let rounds = parts_total.div_ceil(w);
    for round in 0..rounds {
        let parsed = if round < mine.len() {
            std::mem::take(&mut mine[round].1)
        } else {
            ParsedPart::default()
        };
        let d = if round < dense.len() {
            std::mem::take(&mut dense[round])
        } else {
            Vec::new()
        };
        let rows: usize = parsed.rows.iter().map(|r| r.1.len()).sum();
        let subrounds = comm.max_u64(rows.div_ceil(ROWS_PER_ROUND) as u64) as usize;
        for sub in 0..subrounds {
            // Per destination: u32s holds [target, source, weight bits]
            // triples; u8s the view-layer position of each copy.
            let range = (sub * ROWS_PER_ROUND).min(rows)..((sub + 1) * ROWS_PER_ROUND).min(rows);
            // Sized for an even spread (exact with one worker).
            let share = range.len().div_ceil(w);
            let mut to_out: Vec<Packet> = (0..w)
                .map(|_| Packet {
                    u32s: Vec::with_capacity(3 * share),
                    u8s: Vec::with_capacity(share),
                    ..Packet::default()
                })
                .collect();
            let keep = spec.build.keep_self_loops;
            for_each_copy(
                &parsed.rows,
                range,
                &d,
                layers,
                keep,
                |v, u, wt, listing| {
                    let p = &mut to_out[part.owner(u)];
                    p.u32s.extend_from_slice(&[v, u, wt]);
                    p.u8s.push(listing);
                },
            );
            for packet in comm.exchange(to_out) {
                for (k, &listing) in packet.u32s.chunks_exact(3).zip(&packet.u8s) {
                    let (v, u, wt) = (k[0], k[1], f32::from_bits(k[2]));
                    outs.put(part.local(u), v, wt, listing);
                }
            }
        }
    }
}

/// The in-rows of the owned accounts from every worker's built out-rows:
/// each merged edge `u → v` goes once to the owner of `v`, in sub-rounds of
/// at most [`ROWS_PER_ROUND`] edges, and lands in `v`'s row. The local
/// engine transposes its merged out-CSR the same way, so the in-rows hold
/// the out-rows' merged weights. A row receives each sender's edges in
/// increasing source (a sender's rows are in local order, which is dense-id
/// order), so with one worker every row arrives sorted; otherwise it is
/// sorted by source, which is unique in a merged row.
fn transpose(
    comm: &mut Comm<'_>,
    part: &Partition,
    out_offsets: &[u64],
    out_dst: &[u32],
    out_w: &[f32],
) -> (Vec<u64>, Vec<u32>, Vec<f32>) {
    let w = comm.peers();
    let mut counts = vec![0u32; part.n];
    for &v in out_dst {
        counts[v as usize] += 1;
    }
    let lengths = owned_lengths(comm, part, counts);
    let mut ins = Placed::new(&lengths, false);
    drop(lengths);
    let edges = out_dst.len();
    let subrounds = comm.max_u64(edges.div_ceil(ROWS_PER_ROUND) as u64) as usize;
    // The out-row (local index) of the next edge, and its dense id.
    let mut row = 0usize;
    let mut u = if edges > 0 { part.global(0) } else { 0 };
    for sub in 0..subrounds {
        let range = (sub * ROWS_PER_ROUND).min(edges)..((sub + 1) * ROWS_PER_ROUND).min(edges);
        let share = range.len().div_ceil(w);
        let mut out: Vec<Packet> = (0..w)
            .map(|_| Packet::of_u32s(Vec::with_capacity(3 * share)))
            .collect();
        for e in range {
            while out_offsets[row + 1] as usize <= e {
                row += 1;
                u = part.global(row);
            }
            let v = out_dst[e];
            out[part.owner(v)]
                .u32s
                .extend_from_slice(&[v, u, out_w[e].to_bits()]);
        }
        for packet in comm.exchange(out) {
            for k in packet.u32s.chunks_exact(3) {
                ins.put(part.local(k[0]), k[1], f32::from_bits(k[2]), 0);
            }
        }
    }
    ins.sorted()
}

/// Loads this worker's share of the graph (see the module docs).
///
/// # Errors
/// Input errors (the first in input order, on every worker), an unusable
/// layer choice, or more than `u32::MAX - 1` accounts.
pub fn load(comm: &mut Comm<'_>, spec: &LoadSpec) -> Result<Loaded> {
    crate::memtrace::note(comm, "start");
    let (parts, mine) = read_parts(comm, spec)?;
    crate::memtrace::note(comm, "parsed");
    let records = comm.sum_u64(mine.iter().map(|(_, p)| p.records).sum());
    let skipped = comm.sum_u64(mine.iter().map(|(_, p)| p.skipped).sum());
    let bytes_read = mine.iter().map(|(_, p)| p.bytes).sum();
    let layers = choose_layers(comm, spec, &mine)?;
    let (dense, n, table) = assign_ids(comm, parts.len(), &mine)?;
    let lookups = resolve(comm, &table, &spec.lookups);
    let names = HeldNames::of(table);
    // The parts' interners are no longer needed: only their rows.
    let mine: Vec<(usize, ParsedPart)> = mine
        .into_iter()
        .map(|(g, mut p)| {
            p.interner = Interner::new();
            (g, p)
        })
        .collect();
    crate::memtrace::note(comm, "ids");
    let (part, out_len) = plan_rows(comm, spec, &mine, &dense, &layers, n);
    crate::memtrace::note(comm, "planned");
    let mut outs = Placed::new(&out_len, layers.len() > 1);
    drop(out_len);
    ship(
        comm,
        spec,
        &part,
        parts.len(),
        mine,
        dense,
        &layers,
        &mut outs,
    );
    crate::memtrace::note(comm, "shipped");
    let owned = part.owned();
    let (out_offsets, out_dst, out_w) = outs.build(&layers, &spec.build);
    let mut out_weight = vec![0.0f64; owned];
    let mut out_degree = vec![0u32; owned];
    let mut self_loop = vec![false; owned];
    for i in 0..owned {
        let (a, b) = (out_offsets[i] as usize, out_offsets[i + 1] as usize);
        out_weight[i] = out_w[a..b].iter().map(|&x| f64::from(x)).sum();
        out_degree[i] = (b - a) as u32;
        self_loop[i] = out_dst[a..b].binary_search(&part.global(i)).is_ok();
    }
    crate::memtrace::note(comm, "out-rows built");
    let (in_offsets, in_src, in_w) = transpose(comm, &part, &out_offsets, &out_dst, &out_w);
    // Drop the out-rows when no kernel reads them.
    let (out_offsets, out_dst, out_w) = if spec.out_rows {
        (out_offsets, out_dst, out_w)
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    let edges = comm.sum_u64(in_src.len() as u64);
    crate::memtrace::note(comm, "built");
    Ok(Loaded {
        graph: DistGraph {
            part,
            in_offsets,
            in_src,
            in_w,
            out_offsets,
            out_dst,
            out_w,
            out_weight,
            out_degree,
            self_loop,
            edges,
        },
        names,
        layers,
        lookups,
        records,
        skipped,
        bytes_read,
    })
}
