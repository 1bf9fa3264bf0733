//! The structural kernels: k-core by distributed h-index iteration, HyperBall
//! reach, weakly connected components and label propagation.

use crate::comm::Comm;
use crate::halo::Halo;
use crate::load::DistGraph;
use portevoix_core::Error;
use portevoix_graph::kernels::hyperball::{hll_estimate, hll_register};
use portevoix_graph::kernels::{CoreMode, Direction, HyperBallOptions, LabelPropagationOptions};

/// Rows of the owned accounts in one view, as dense ids, with weights.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    /// Row offsets (owned + 1).
    pub offsets: Vec<u64>,
    /// Neighbours (dense ids, increasing within a row).
    pub nbrs: Vec<u32>,
    /// Weights (`f64`: the undirected view sums both directions).
    pub weights: Vec<f64>,
}

/// The undirected view of the owned accounts: out- and in-rows merged, a
/// pair present both ways counted once with the sum of its weights,
/// self-loops left out (`UndirectedView` of the local engine).
pub fn undirected_rows(graph: &DistGraph) -> Rows {
    let owned = graph.owned();
    let mut rows = Rows {
        offsets: Vec::with_capacity(owned + 1),
        ..Rows::default()
    };
    rows.offsets.push(0);
    for i in 0..owned {
        let me = graph.part.global(i);
        let (on, ow) = graph.out_row(i);
        let (inb, iw) = graph.in_row(i);
        let (mut a, mut b) = (0, 0);
        while a < on.len() || b < inb.len() {
            let (v, w) = if b == inb.len() || (a < on.len() && on[a] < inb[b]) {
                a += 1;
                (on[a - 1], ow[a - 1] as f64)
            } else if a == on.len() || inb[b] < on[a] {
                b += 1;
                (inb[b - 1], iw[b - 1] as f64)
            } else {
                a += 1;
                b += 1;
                (on[a - 1], ow[a - 1] as f64 + iw[b - 1] as f64)
            };
            if v != me {
                rows.nbrs.push(v);
                rows.weights.push(w);
            }
        }
        rows.offsets.push(rows.nbrs.len() as u64);
    }
    rows
}

/// In- or out-rows without self-loops, unit weights.
pub fn directed_rows(graph: &DistGraph, incoming: bool) -> Rows {
    let owned = graph.owned();
    let mut rows = Rows {
        offsets: Vec::with_capacity(owned + 1),
        ..Rows::default()
    };
    rows.offsets.push(0);
    for i in 0..owned {
        let me = graph.part.global(i);
        let (nb, wt) = if incoming {
            graph.in_row(i)
        } else {
            graph.out_row(i)
        };
        for (&v, &w) in nb.iter().zip(wt) {
            if v != me {
                rows.nbrs.push(v);
                rows.weights.push(f64::from(w));
            }
        }
        rows.offsets.push(rows.nbrs.len() as u64);
    }
    rows
}

/// The h-index of `values`: the largest `h` such that at least `h` values
/// are `>= h`.
fn h_index(values: &mut [u32]) -> u32 {
    values.sort_unstable_by(|a, b| b.cmp(a));
    let mut h = 0u32;
    for (i, &v) in values.iter().enumerate() {
        if v > i as u32 {
            h = i as u32 + 1;
        } else {
            break;
        }
    }
    h
}

/// Core numbers by the distributed h-index iteration (Montresor, De
/// Pellegrini and Miorandi, "Distributed k-core decomposition", IEEE TPDS
/// 24(2), 2013; PODC 2011): every account starts from its degree in the
/// mode's view and repeatedly lowers its estimate to the h-index of its
/// neighbours' estimates (in-neighbours for in-cores, out-neighbours for
/// out-cores, both for the undirected view) until no estimate changes. The
/// estimates only decrease and stay above the core numbers, and the fixed
/// point is the core numbers (the locality theorem of the paper; the
/// directed case is the same argument with in- or out-degrees), so the
/// result equals the local engine's peel exactly. Returns the core number
/// of each owned account and the number of rounds.
pub fn core_numbers(comm: &mut Comm<'_>, graph: &DistGraph, mode: CoreMode) -> (Vec<u32>, usize) {
    let rows = match mode {
        CoreMode::Undirected => undirected_rows(graph),
        // The in-core of v counts the nodes that point at v.
        CoreMode::In => directed_rows(graph, true),
        CoreMode::Out => directed_rows(graph, false),
    };
    let halo = Halo::new(comm, &graph.part, &rows.nbrs);
    // The halo buffer, reused by every superstep.
    let mut values = Vec::new();
    let owned = graph.owned();
    let mut est: Vec<u32> = (0..owned)
        .map(|i| (rows.offsets[i + 1] - rows.offsets[i]) as u32)
        .collect();
    let mut rounds = 0;
    let mut buf = Vec::new();
    loop {
        rounds += 1;
        halo.exchange_into(comm, &est, &mut values, 1);
        let mut changed = false;
        for (i, e) in est.iter_mut().enumerate() {
            let (a, b) = (rows.offsets[i] as usize, rows.offsets[i + 1] as usize);
            buf.clear();
            buf.extend(halo.cols[a..b].iter().map(|&c| values[c as usize].min(*e)));
            let h = h_index(&mut buf).min(*e);
            if h < *e {
                *e = h;
                changed = true;
            }
        }
        if !comm.any(changed) {
            break;
        }
    }
    (est, rounds)
}

/// HyperBall estimates of every owned account, `max_hops` per account
/// (`estimates[i · max_hops + t − 1]`), and the number of supersteps. The
/// counters, hash, estimator and early stop are the local engine's, so the
/// estimates are identical.
///
/// # Errors
/// `max_hops == 0` or `register_bits` outside `4..=16`.
pub fn hyperball(
    comm: &mut Comm<'_>,
    graph: &DistGraph,
    options: &HyperBallOptions,
) -> Result<(Vec<f64>, usize), Error> {
    if options.max_hops == 0 {
        return Err(Error::argument(
            "structure",
            "HyperBall max_hops must be at least 1",
        ));
    }
    if !(4..=16).contains(&options.register_bits) {
        return Err(Error::argument(
            "structure",
            format!(
                "HyperBall register_bits must be in 4..=16, got {}",
                options.register_bits
            ),
        ));
    }
    let bits = u32::from(options.register_bits);
    let m = 1usize << bits;
    let owned = graph.owned();
    let hops = options.max_hops;
    let (offsets, nbrs) = match options.direction {
        Direction::Followers => (&graph.in_offsets, &graph.in_src),
        Direction::Following => (&graph.out_offsets, &graph.out_dst),
    };
    let halo = Halo::new(comm, &graph.part, nbrs);
    // The halo buffer, reused by every superstep.
    let mut values = Vec::new();
    let mut prev = vec![0u8; owned * m];
    for i in 0..owned {
        let (j, r) = hll_register(u64::from(graph.part.global(i)), bits, options.seed);
        prev[i * m + j] = r;
    }
    let mut cur = vec![0u8; owned * m];
    let mut estimates = vec![0.0f64; owned * hops];
    let (mut iterations, mut t) = (0, 0);
    while t < hops {
        halo.exchange_into(comm, &prev, &mut values, m);
        let mut changed = false;
        for i in 0..owned {
            let regs = &mut cur[i * m..(i + 1) * m];
            regs.copy_from_slice(&prev[i * m..(i + 1) * m]);
            for &c in &halo.cols[offsets[i] as usize..offsets[i + 1] as usize] {
                let c = c as usize;
                for (a, &b) in regs.iter_mut().zip(&values[c * m..(c + 1) * m]) {
                    *a = (*a).max(b);
                }
            }
            let same = *regs == prev[i * m..(i + 1) * m];
            changed |= !same;
            let e = &mut estimates[i * hops..(i + 1) * hops];
            e[t] = if same && t > 0 {
                e[t - 1]
            } else {
                (hll_estimate(regs) - 1.0).max(0.0)
            };
        }
        iterations += 1;
        t += 1;
        std::mem::swap(&mut prev, &mut cur);
        if !comm.any(changed) {
            break;
        }
    }
    if t < hops {
        for row in estimates.chunks_mut(hops) {
            let last = row[t - 1];
            row[t..].fill(last);
        }
    }
    Ok((estimates, iterations))
}

/// Weakly connected components by min-label propagation (HashMin): every
/// account starts with its own dense id and takes the smallest label among
/// itself and its neighbours (both directions) until no label changes, so
/// each component is labelled by its smallest dense id, as
/// `portevoix_graph::kernels::weakly_connected_components` labels it.
/// Returns the labels of the owned accounts and the number of rounds
/// (at most the largest component's diameter + 1).
pub fn components(comm: &mut Comm<'_>, graph: &DistGraph) -> (Vec<u32>, usize) {
    let rows = undirected_rows(graph);
    let halo = Halo::new(comm, &graph.part, &rows.nbrs);
    // The halo buffer, reused by every superstep.
    let mut values = Vec::new();
    let owned = graph.owned();
    let mut label: Vec<u32> = (0..owned).map(|i| graph.part.global(i)).collect();
    let mut rounds = 0;
    loop {
        rounds += 1;
        halo.exchange_into(comm, &label, &mut values, 1);
        let mut changed = false;
        for (i, l) in label.iter_mut().enumerate() {
            let (a, b) = (rows.offsets[i] as usize, rows.offsets[i + 1] as usize);
            let best = halo.cols[a..b]
                .iter()
                .map(|&c| values[c as usize])
                .min()
                .unwrap_or(u32::MAX);
            if best < *l {
                *l = best;
                changed = true;
            }
        }
        if !comm.any(changed) {
            break;
        }
    }
    (label, rounds)
}

/// Semi-synchronous label propagation with the local engine's rule: an
/// account takes the label of largest total weight among its neighbours
/// (undirected view), ties to the smallest label, and keeps its own unless
/// another is strictly heavier. In each sweep every account computes its
/// choice from the previous sweep's labels, and a pseudo-random half of the
/// accounts (a hash of the account, the sweep and the seed) adopts it: fully
/// synchronous updates oscillate on bipartite structures (two neighbours
/// swapping labels forever), halves break the symmetry (Cordasco and
/// Gargano, "Community detection via semi-synchronous label propagation
/// algorithms", BASNA 2010). Stops when no account wants to change, or after
/// `max_iterations` sweeps. Returns the labels (dense ids) and the sweeps.
///
/// The local engine's label propagation is asynchronous (Raghavan, Albert
/// and Kumara 2007): accounts update one after another in a random order
/// per sweep, each seeing the labels changed before it in the sweep. That
/// order has no parallel equivalent, so the two give different partitions
/// (their modularity is compared in the tests); this one is identical to its
/// sequential reference for any layout.
pub fn label_propagation(
    comm: &mut Comm<'_>,
    graph: &DistGraph,
    options: &LabelPropagationOptions,
) -> (Vec<u32>, usize) {
    let rows = undirected_rows(graph);
    let halo = Halo::new(comm, &graph.part, &rows.nbrs);
    // The halo buffer, reused by every superstep.
    let mut values = Vec::new();
    let owned = graph.owned();
    let mut label: Vec<u32> = (0..owned).map(|i| graph.part.global(i)).collect();
    let mut acc: Vec<(u32, f64)> = Vec::new();
    let mut sweeps = 0;
    while sweeps < options.max_iterations {
        sweeps += 1;
        halo.exchange_into(comm, &label, &mut values, 1);
        let mut next = label.clone();
        let mut changed = false;
        for (i, l) in next.iter_mut().enumerate() {
            let (a, b) = (rows.offsets[i] as usize, rows.offsets[i + 1] as usize);
            if a == b {
                continue;
            }
            acc.clear();
            for e in a..b {
                acc.push((values[halo.cols[e] as usize], rows.weights[e]));
            }
            // Sum per label in neighbour order (the local accumulator's order).
            acc.sort_by_key(|x| x.0);
            let own = label[i];
            let (mut best, mut best_w, mut own_w) = (u32::MAX, f64::NEG_INFINITY, 0.0);
            let mut j = 0;
            while j < acc.len() {
                let c = acc[j].0;
                let mut w = 0.0;
                while j < acc.len() && acc[j].0 == c {
                    w += acc[j].1;
                    j += 1;
                }
                if w > best_w || (w == best_w && c < best) {
                    best = c;
                    best_w = w;
                }
                if c == own {
                    own_w = w;
                }
            }
            if own_w < best_w && best != own {
                changed = true;
                if adopts(graph.part.global(i), sweeps, options.seed) {
                    *l = best;
                }
            }
        }
        label = next;
        if !comm.any(changed) {
            break;
        }
    }
    (label, sweeps)
}

/// Whether account `v` adopts its choice in `sweep` (half of the accounts,
/// a different half every sweep).
pub fn adopts(v: u32, sweep: usize, seed: u64) -> bool {
    let mut z =
        u64::from(v) ^ seed.rotate_left(17) ^ (sweep as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) & 1 == 0
}
