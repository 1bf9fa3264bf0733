//! Deterministic parallel building blocks shared by the iterative kernels:
//! fixed-size chunks, rows summed in neighbour order and chunk sums added in
//! order, so that every result is bit-identical for any number of threads.

use crate::csr::Csr;
use rayon::prelude::*;

/// Nodes per parallel task in the gather loops (fixed, so sums never depend
/// on the thread count; rows themselves are always summed in order).
pub(crate) const NODE_CHUNK: usize = 2048;
/// Values per chunk of the deterministic global sums.
const SUM_CHUNK: usize = 1 << 14;

/// Sum of `values`, identical for any number of threads: fixed chunks summed
/// left to right, chunk sums added in order.
pub(crate) fn det_sum(values: &[f64]) -> f64 {
    let partial: Vec<f64> = values
        .par_chunks(SUM_CHUNK)
        .map(|c| c.iter().sum::<f64>())
        .collect();
    partial.iter().sum()
}

/// `Σ |a_i − b_i|`, identical for any number of threads.
pub(crate) fn det_l1_diff(a: &[f64], b: &[f64]) -> f64 {
    debug_assert_eq!(a.len(), b.len());
    let partial: Vec<f64> = a
        .par_chunks(SUM_CHUNK)
        .zip(b.par_chunks(SUM_CHUNK))
        .map(|(x, y)| x.iter().zip(y).map(|(p, q)| (p - q).abs()).sum::<f64>())
        .collect();
    partial.iter().sum()
}

/// `out[v] = Σ_{(u, w) in row v of csr} w · x[u]` for every `v`, in parallel.
pub(crate) fn gather(csr: &Csr, x: &[f64], out: &mut [f64]) {
    let offsets = csr.offsets();
    let nbrs = csr.neighbors();
    let wts = csr.weights();
    out.par_chunks_mut(NODE_CHUNK)
        .enumerate()
        .for_each(|(c, chunk)| {
            let base = c * NODE_CHUNK;
            for (i, o) in chunk.iter_mut().enumerate() {
                let v = base + i;
                let (s, e) = (offsets[v] as usize, offsets[v + 1] as usize);
                let mut acc = 0.0f64;
                for (&u, &w) in nbrs[s..e].iter().zip(&wts[s..e]) {
                    acc += w as f64 * x[u as usize];
                }
                *o = acc;
            }
        });
}

/// `out[v] = Σ_{u in row v of csr} x[u]` (weights ignored), in parallel.
pub(crate) fn gather_unit(csr: &Csr, x: &[f64], out: &mut [f64]) {
    let offsets = csr.offsets();
    let nbrs = csr.neighbors();
    out.par_chunks_mut(NODE_CHUNK)
        .enumerate()
        .for_each(|(c, chunk)| {
            let base = c * NODE_CHUNK;
            for (i, o) in chunk.iter_mut().enumerate() {
                let v = base + i;
                let (s, e) = (offsets[v] as usize, offsets[v + 1] as usize);
                let mut acc = 0.0f64;
                for &u in &nbrs[s..e] {
                    acc += x[u as usize];
                }
                *o = acc;
            }
        });
}
