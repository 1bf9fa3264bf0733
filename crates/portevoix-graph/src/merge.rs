//! Weighted union of several layers (the merged view used by scoring).

use crate::build::transpose;
use crate::csr::Csr;
use crate::layer_graph::{Extras, LayerGraph};
use crate::par::{block_grain, node_blocks, split_at_cuts};
use crate::stats::LayerStats;
use rayon::prelude::*;

/// Union of the out-rows of `parts` for every node: see
/// [`Network::merged`](crate::Network::merged) for the contract.
pub(crate) fn merge_layers(n: usize, parts: &[(&LayerGraph, f32)]) -> LayerGraph {
    if parts.is_empty() {
        return LayerGraph::empty(n);
    }
    // Input edges per node prefix (the sum of the parts' offsets) bounds
    // each block's output, and balances the blocks.
    let mut input_off = vec![0u64; n + 1];
    input_off.par_iter_mut().enumerate().for_each(|(u, o)| {
        *o = parts.iter().map(|(g, _)| g.out.offsets[u]).sum();
    });
    let input_edges = input_off[n] as usize;
    let bounds = node_blocks(&input_off, block_grain(input_edges), 1 << 16);

    // One k-way merge pass, block by block into block-local buffers (one
    // allocation per block, never per edge), then a parallel copy into place.
    struct Part {
        neighbors: Vec<u32>,
        weights: Vec<f32>,
        counts: Vec<u32>,
        degrees: Vec<u32>,
    }
    let blocks: Vec<Part> = bounds
        .par_windows(2)
        .map_init(Vec::new, |heads, b| {
            let cap = (input_off[b[1]] - input_off[b[0]]) as usize;
            let mut part = Part {
                neighbors: Vec::with_capacity(cap),
                weights: Vec::with_capacity(cap),
                counts: Vec::with_capacity(cap),
                degrees: Vec::with_capacity(b[1] - b[0]),
            };
            for u in b[0]..b[1] {
                let before = part.neighbors.len();
                k_way(parts, u, heads, |v, w, c| {
                    part.neighbors.push(v);
                    part.weights.push(w);
                    part.counts.push(c);
                });
                part.degrees.push((part.neighbors.len() - before) as u32);
            }
            part
        })
        .collect();
    let mut offsets = Vec::with_capacity(n + 1);
    let mut acc = 0u64;
    offsets.push(0);
    for part in &blocks {
        for &d in &part.degrees {
            acc += d as u64;
            offsets.push(acc);
        }
    }
    let m = acc as usize;
    let cuts: Vec<usize> = bounds.iter().map(|&b| offsets[b] as usize).collect();
    let mut neighbors = vec![0u32; m];
    let mut weights = vec![0f32; m];
    let mut counts = vec![0u32; m];
    split_at_cuts(&mut neighbors, &cuts)
        .into_iter()
        .zip(split_at_cuts(&mut weights, &cuts))
        .zip(split_at_cuts(&mut counts, &cuts))
        .zip(blocks)
        .collect::<Vec<_>>()
        .into_par_iter()
        .for_each(|(((nb, ws), cs), part)| {
            nb.copy_from_slice(&part.neighbors);
            ws.copy_from_slice(&part.weights);
            cs.copy_from_slice(&part.counts);
        });
    let counts = counts.par_iter().any(|&c| c > 1).then_some(counts);
    let out = Csr {
        offsets,
        neighbors,
        weights,
    };
    let inn = transpose(&out);
    let input_rows: u64 = parts.iter().map(|(g, _)| g.num_edges() as u64).sum();
    let time_span = parts
        .iter()
        .filter_map(|(g, _)| g.stats().time_span)
        .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)));
    let stats = LayerStats {
        input_rows,
        duplicates_merged: input_rows - m as u64,
        time_span,
        ..LayerStats::default()
    };
    LayerGraph::assemble(
        out,
        inn,
        Extras {
            counts,
            times: None,
            values: None,
        },
        stats,
    )
}

/// Merges row `u` of every part by increasing neighbour, calling
/// `emit(neighbour, weight, count)` once per distinct neighbour. The weight
/// is `Σ factor × weight` over the parts holding the edge, accumulated in
/// `f64` **in the order of `parts`** and rounded once, so it does not depend
/// on scheduling; the count is the sum of merged-row counts (saturating).
///
/// `heads` is a reusable cursor buffer: `(position, end)` per part.
fn k_way(
    parts: &[(&LayerGraph, f32)],
    u: usize,
    heads: &mut Vec<(usize, usize)>,
    mut emit: impl FnMut(u32, f32, u32),
) {
    heads.clear();
    heads.extend(parts.iter().map(|(g, _)| {
        let r = g.out.range(u);
        (r.start, r.end)
    }));
    loop {
        let mut min = u32::MAX;
        let mut any = false;
        for (p, &(pos, end)) in heads.iter().enumerate() {
            if pos < end {
                min = min.min(parts[p].0.out.neighbors[pos]);
                any = true;
            }
        }
        if !any {
            return;
        }
        let mut acc = 0f64;
        let mut count = 0u32;
        for (p, (g, factor)) in parts.iter().enumerate() {
            let (pos, end) = heads[p];
            if pos < end && g.out.neighbors[pos] == min {
                acc += *factor as f64 * g.out.weights[pos] as f64;
                count = count.saturating_add(g.edge_count(pos));
                heads[p].0 += 1;
            }
        }
        emit(min, acc as f32, count);
    }
}
