//! The Krylov solver: PageRank as the linear system `(I − d·Pᵀ)·y = p`
//! (PRPACK's formulation), solved exactly on the graph's acyclic ends and
//! by BiCGSTAB on its core.
//!
//! # Why a linear system
//!
//! With dangling mass sent along the teleport vector ([`Dangling::Teleport`],
//! the default), the fixed point `x = d·Pᵀx + (d·m(x) + 1 − d)·p` is
//! proportional to `y = (I − d·Pᵀ)⁻¹·p`, where `Pᵀ` has zero columns for
//! dangling nodes: `x = y / ‖y‖₁`. With [`Dangling::SelfLoop`] a dangling
//! node keeps its mass, a diagonal term: `x = (1 − d)·(I − d·P'ᵀ)⁻¹·p`, again
//! `y` normalised. Same fixed point as the power iteration, no global
//! coupling, so the acyclic ends ([`Acyclic`]) are solved by substitution
//! and only the core is iterated.
//!
//! # Stopping rule
//!
//! BiCGSTAB stops when `2·‖r‖₁ < tol·‖y‖₁`, `r` its residual: this bounds
//! the L1 change of one power step from `y / ‖y‖₁` by `tol`. The caller then
//! runs that power step (and more if needed), so the result satisfies the
//! power iteration's own stopping rule, checked, not assumed.
//!
//! # Determinism
//!
//! Rows are summed in in-CSR order, dot products and norms per fixed block
//! of [`BLOCK`] rows with block sums added in order, and each column's
//! scalars depend only on that column: the same bits for any number of
//! threads, and a batch column equals a single run on the same vector.
//!
//! # Reference
//!
//! H. A. van der Vorst, *Bi-CGSTAB: A fast and smoothly converging variant
//! of Bi-CG for the solution of nonsymmetric linear systems*, SIAM J. Sci.
//! Stat. Comput. 13(2), 1992. D. F. Gleich, A. P. Gray, C. Greif, T. Lau,
//! *An inner-outer iteration for computing PageRank*, SIAM J. Sci. Comput.
//! 32(1), 2010 (PRPACK's linear-system view and its acyclic preprocessing).

use super::BLOCK;
use super::acyclic::{Acyclic, DOWN, UP};
use super::power::Prep;
use super::{Dangling, PageRankOptions};
use crate::LayerGraph;
use crate::par::split_at_cuts;
use rayon::prelude::*;

/// Restarts of BiCGSTAB allowed per column after a breakdown.
const MAX_RESTARTS: u32 = 3;

/// What a Krylov phase returns for one column.
pub(super) struct KrylovOutcome {
    /// `y / ‖y‖₁`, summing to 1.
    pub scores: Vec<f64>,
    /// Sweeps over the core's edges (matrix-vector products).
    pub sweeps: usize,
}

/// The graph-only part of the solver: the acyclic ends, the core's in-CSR
/// in compact ids, and the per-node constants. Built once per call and
/// shared by every column.
pub(super) struct System<'g> {
    graph: &'g LayerGraph,
    acyclic: Acyclic,
    /// Core in-rows: `offsets` (core size + 1), compact sources, weights when
    /// they matter.
    offsets: Vec<u64>,
    sources: Vec<u32>,
    weights: Option<Vec<f32>>,
    /// `1/W_out` per core node.
    inv: Vec<f64>,
    /// Extra diagonal of a core node (a dangling node that keeps its mass).
    diag: Option<Vec<f64>>,
    damping: f64,
    dangling: Dangling,
    weighted: bool,
}

impl<'g> System<'g> {
    pub(super) fn new(graph: &'g LayerGraph, options: &PageRankOptions, prep: &Prep) -> Self {
        let acyclic = Acyclic::new(graph);
        let weighted = options.weighted && !prep.unit;
        let core = &acyclic.core;
        let class = &acyclic.class;
        let inc = graph.in_csr();
        let counts: Vec<u64> = core
            .par_iter()
            .with_min_len(BLOCK)
            .map(|&v| {
                inc.row(v as usize)
                    .0
                    .iter()
                    .filter(|&&u| class[u as usize] < DOWN)
                    .count() as u64
            })
            .collect();
        let mut offsets = Vec::with_capacity(core.len() + 1);
        offsets.push(0u64);
        let mut acc = 0u64;
        for c in counts {
            acc += c;
            offsets.push(acc);
        }
        let m = acc as usize;
        let mut sources = vec![0u32; m];
        let mut weights = weighted.then(|| vec![0f32; m]);
        let node_cuts: Vec<usize> = (0..core.len().div_ceil(BLOCK))
            .map(|b| b * BLOCK)
            .chain(std::iter::once(core.len()))
            .collect();
        let edge_cuts: Vec<usize> = node_cuts.iter().map(|&i| offsets[i] as usize).collect();
        let src_pieces = split_at_cuts(&mut sources, &edge_cuts);
        let w_pieces: Vec<Option<&mut [f32]>> = match weights.as_mut() {
            Some(w) => split_at_cuts(w, &edge_cuts).into_iter().map(Some).collect(),
            None => (1..edge_cuts.len()).map(|_| None).collect(),
        };
        src_pieces
            .into_par_iter()
            .zip(w_pieces)
            .zip(node_cuts.par_windows(2))
            .for_each(|((srcs, mut ws), b)| {
                let mut at = 0;
                for &v in &core[b[0]..b[1]] {
                    let (row, rw) = inc.row(v as usize);
                    for (&u, &w) in row.iter().zip(rw) {
                        let c = class[u as usize];
                        if c < DOWN {
                            srcs[at] = c;
                            if let Some(ws) = ws.as_deref_mut() {
                                ws[at] = w;
                            }
                            at += 1;
                        }
                    }
                }
            });
        let inv: Vec<f64> = core.par_iter().map(|&v| prep.inv[v as usize]).collect();
        let diag = (options.dangling == Dangling::SelfLoop && inv.contains(&0.0)).then(|| {
            inv.iter()
                .map(|&i| if i == 0.0 { options.damping } else { 0.0 })
                .collect()
        });
        System {
            graph,
            acyclic,
            offsets,
            sources,
            weights,
            inv,
            diag,
            damping: options.damping,
            dangling: options.dangling,
            weighted,
        }
    }

    /// Blocks per parallel task: enough core edges and rows per task that
    /// a small core (a few thousand nodes on a retweet graph) runs on one
    /// thread instead of paying a synchronisation per pass.
    fn grain(&self, k: usize) -> usize {
        let blocks = self.core_len().div_ceil(BLOCK).max(1);
        let edges_per_block = self.sources.len() / blocks;
        // About 64k edges or 16k row-columns per task.
        let by_edges = (1 << 16) / (edges_per_block * k).max(1);
        let by_rows = (1 << 14) / (BLOCK * k);
        by_edges.max(by_rows).max(1)
    }

    /// Number of core nodes.
    pub(super) fn core_len(&self) -> usize {
        self.acyclic.core.len()
    }

    /// `y(v)` for column `j` of an end node, by substitution from its
    /// in-neighbours (all final), `y` row-major `n × k`.
    #[inline]
    fn substitute(&self, prep: &Prep, v: usize, p: f64, y: &[f64], k: usize, j: usize) -> f64 {
        let d = self.damping;
        let (row, ws) = self.graph.in_csr().row(v);
        let mut acc = 0.0;
        let mut self_w = 0.0;
        for (&u, &w) in row.iter().zip(ws) {
            let u = u as usize;
            let w = if self.weighted { f64::from(w) } else { 1.0 };
            if u == v {
                self_w = w;
                continue;
            }
            let m = y[u * k + j] * prep.inv[u];
            acc += if self.weighted { m * w } else { m };
        }
        let mut c = d * self_w * prep.inv[v];
        if self.dangling == Dangling::SelfLoop && prep.inv[v] == 0.0 {
            c += d;
        }
        (p + d * acc) / (1.0 - c)
    }

    /// Solves the `k` columns (teleport vectors `ps`, starting points
    /// `starts` summing to 1, at most `caps[j]` core sweeps each) and returns
    /// each normalised solution.
    pub(super) fn solve(
        &self,
        prep: &Prep,
        options: &PageRankOptions,
        ps: &[&[f64]],
        starts: &[&[f64]],
        caps: &[usize],
    ) -> Vec<KrylovOutcome> {
        let n = self.graph.num_nodes();
        let k = ps.len();
        let mut y = vec![0.0; n * k];
        // Upstream, level by level.
        for level in &self.acyclic.up {
            self.fill_level(prep, level, ps, &mut y);
        }
        let nc = self.core_len();
        let mut sweeps = vec![0usize; k];
        if nc > 0 {
            let b = self.right_hand_side(prep, ps, &y);
            let x0 = self.initial_guess(prep, starts);
            let up_mass: Vec<f64> = (0..k)
                .map(|j| {
                    self.acyclic
                        .up
                        .iter()
                        .flatten()
                        .map(|&v| y[v as usize * k + j])
                        .sum()
                })
                .collect();
            let (z, used) = self.bicgstab(&b, x0, &up_mass, options.tolerance, caps);
            sweeps = used;
            for (i, &v) in self.acyclic.core.iter().enumerate() {
                y[v as usize * k..v as usize * k + k].copy_from_slice(&z[i * k..i * k + k]);
            }
        }
        // Downstream, from the level next to the core back to the sinks.
        for level in self.acyclic.down.iter().rev() {
            self.fill_level(prep, level, ps, &mut y);
        }
        // Normalise each column (fixed-order sums).
        let totals: Vec<f64> = {
            let parts: Vec<Vec<f64>> = y
                .par_chunks(BLOCK * k)
                .map(|c| {
                    let mut s = vec![0.0; k];
                    for row in c.chunks(k) {
                        for j in 0..k {
                            s[j] += row[j];
                        }
                    }
                    s
                })
                .collect();
            (0..k).map(|j| parts.iter().map(|p| p[j]).sum()).collect()
        };
        (0..k)
            .map(|j| {
                let inv_total = 1.0 / totals[j];
                KrylovOutcome {
                    scores: (0..n).map(|v| y[v * k + j] * inv_total).collect(),
                    sweeps: sweeps[j],
                }
            })
            .collect()
    }

    /// Substitutes every node of one level (their in-neighbours are final).
    fn fill_level(&self, prep: &Prep, level: &[u32], ps: &[&[f64]], y: &mut [f64]) {
        let k = ps.len();
        let values: Vec<f64> = if level.len() < 512 {
            level
                .iter()
                .flat_map(|&v| {
                    let y = &*y;
                    (0..k)
                        .map(move |j| self.substitute(prep, v as usize, ps[j][v as usize], y, k, j))
                })
                .collect()
        } else {
            let yr = &*y;
            level
                .par_iter()
                .with_min_len(256)
                .flat_map_iter(|&v| {
                    (0..k).map(move |j| {
                        self.substitute(prep, v as usize, ps[j][v as usize], yr, k, j)
                    })
                })
                .collect()
        };
        for (i, &v) in level.iter().enumerate() {
            y[v as usize * k..v as usize * k + k].copy_from_slice(&values[i * k..i * k + k]);
        }
    }

    /// `b = p + d·(messages from upstream in-neighbours)` per core node.
    fn right_hand_side(&self, prep: &Prep, ps: &[&[f64]], y: &[f64]) -> Vec<f64> {
        let k = ps.len();
        let d = self.damping;
        let class = &self.acyclic.class;
        let inc = self.graph.in_csr();
        let mut b = vec![0.0; self.core_len() * k];
        b.par_chunks_mut(BLOCK * k)
            .enumerate()
            .for_each(|(blk, out)| {
                let mut acc = vec![0.0; k];
                for (i, row_out) in out.chunks_mut(k).enumerate() {
                    let v = self.acyclic.core[blk * BLOCK + i] as usize;
                    acc.iter_mut().for_each(|a| *a = 0.0);
                    let (row, ws) = inc.row(v);
                    for (&u, &w) in row.iter().zip(ws) {
                        if class[u as usize] != UP {
                            continue;
                        }
                        let u = u as usize;
                        for j in 0..k {
                            let m = y[u * k + j] * prep.inv[u];
                            acc[j] += if self.weighted { m * f64::from(w) } else { m };
                        }
                    }
                    for j in 0..k {
                        row_out[j] = ps[j][v] + d * acc[j];
                    }
                }
            });
        b
    }

    /// The starting points in the scale of `y`: `x / ((1 − d) + d·m(x))`
    /// with [`Dangling::Teleport`] (`m` the dangling mass), `x / (1 − d)`
    /// with [`Dangling::SelfLoop`].
    fn initial_guess(&self, prep: &Prep, starts: &[&[f64]]) -> Vec<f64> {
        let k = starts.len();
        let d = self.damping;
        let scale: Vec<f64> = starts
            .iter()
            .map(|x| {
                if self.dangling == Dangling::SelfLoop {
                    1.0 / (1.0 - d)
                } else {
                    let parts: Vec<f64> = x
                        .par_chunks(BLOCK)
                        .zip(prep.inv.par_chunks(BLOCK))
                        .map(|(xs, is)| {
                            xs.iter()
                                .zip(is)
                                .filter(|(_, i)| **i == 0.0)
                                .map(|(x, _)| *x)
                                .sum::<f64>()
                        })
                        .collect();
                    1.0 / ((1.0 - d) + d * parts.iter().sum::<f64>())
                }
            })
            .collect();
        let core = &self.acyclic.core;
        let mut z = vec![0.0; core.len() * k];
        z.par_chunks_mut(k).enumerate().for_each(|(i, row)| {
            let v = core[i] as usize;
            for j in 0..k {
                row[j] = starts[j][v] * scale[j];
            }
        });
        z
    }

    /// `out = L·z` on the core, with `msg = z ⊙ inv` precomputed, and the
    /// per-column block partials of `dot(out, with)` and, if `second`,
    /// `dot(out, out)`: `[dot_0..k, (sq_0..k)]` per block, in block order.
    fn apply(
        &self,
        msg: &[f64],
        z: &[f64],
        out: &mut [f64],
        k: usize,
        with: &[f64],
        second: bool,
    ) -> Vec<Vec<f64>> {
        let d = self.damping;
        let offsets = &self.offsets;
        let sources = &self.sources;
        let weights = self.weights.as_deref();
        let diag = self.diag.as_deref();
        out.par_chunks_mut(BLOCK * k)
            .enumerate()
            .with_min_len(self.grain(k))
            .map(|(blk, out)| {
                let base = blk * BLOCK;
                let mut part = vec![0.0; if second { 2 * k } else { k }];
                let mut acc = vec![0.0; k];
                for (i, row_out) in out.chunks_mut(k).enumerate() {
                    let r = base + i;
                    let (lo, hi) = (offsets[r] as usize, offsets[r + 1] as usize);
                    if k == 1 {
                        let mut a = 0.0;
                        match weights {
                            Some(ws) => {
                                for (&s, &w) in sources[lo..hi].iter().zip(&ws[lo..hi]) {
                                    a += msg[s as usize] * f64::from(w);
                                }
                            }
                            None => {
                                for &s in &sources[lo..hi] {
                                    a += msg[s as usize];
                                }
                            }
                        }
                        acc[0] = a;
                    } else {
                        acc.iter_mut().for_each(|a| *a = 0.0);
                        for e in lo..hi {
                            let s = sources[e] as usize;
                            let row = &msg[s * k..s * k + k];
                            match weights {
                                Some(ws) => {
                                    let w = f64::from(ws[e]);
                                    for (a, m) in acc.iter_mut().zip(row) {
                                        *a += m * w;
                                    }
                                }
                                None => {
                                    for (a, m) in acc.iter_mut().zip(row) {
                                        *a += m;
                                    }
                                }
                            }
                        }
                    }
                    let dg = diag.map_or(0.0, |g| g[r]);
                    for j in 0..k {
                        let zz = z[r * k + j];
                        let val = zz - d * acc[j] - dg * zz;
                        row_out[j] = val;
                        part[j] += val * with[r * k + j];
                        if second {
                            part[k + j] += val * val;
                        }
                    }
                }
                part
            })
            .collect()
    }

    /// BiCGSTAB per column on the core, from `x0`; returns the solutions
    /// and the sweeps each used.
    fn bicgstab(
        &self,
        b: &[f64],
        mut x: Vec<f64>,
        up_mass: &[f64],
        tolerance: f64,
        caps: &[usize],
    ) -> (Vec<f64>, Vec<usize>) {
        let k = up_mass.len();
        let nc = self.core_len();
        let grain = self.grain(k);
        let inv = &self.inv;
        let len = nc * k;
        let sum_parts =
            |parts: &[Vec<f64>], at: usize| -> f64 { parts.iter().map(|p| p[at]).sum() };
        let mut msg = vec![0.0; len];
        let mut t = vec![0.0; len];
        // r = b − L·x0.
        fill_msg(&mut msg, &x, inv, k, grain);
        let zero = vec![0.0; len];
        self.apply(&msg, &x, &mut t, k, &zero, false);
        let mut r: Vec<f64> = b.par_iter().zip(&t).map(|(b, t)| b - t).collect();
        let mut rhat = r.clone();
        let mut p = vec![0.0; len];
        let mut v = vec![0.0; len];
        let mut s = vec![0.0; len];
        let mut sweeps = vec![1usize; k];
        let stats = column_stats(&r, &rhat, &x, k, grain);
        let mut cols: Vec<Column> = (0..k)
            .map(|j| {
                let mut c = Column::new(stats[j], up_mass[j]);
                c.active = caps[j] > 2 && !c.converged(tolerance);
                c
            })
            .collect();
        while cols.iter().any(|c| c.active) {
            // Direction update: p = r + β(p − ω·v), msg = p ⊙ inv.
            for c in cols.iter_mut().filter(|c| c.active) {
                if c.rho_new == 0.0 || !c.rho_new.is_finite() {
                    c.restart = true;
                }
                c.beta = if c.restart {
                    0.0
                } else {
                    (c.rho_new / c.rho) * (c.alpha / c.omega)
                };
                if !c.beta.is_finite() {
                    // ρ or ω vanished on the previous step (a shadow
                    // orthogonal to the residual): restart from p = r
                    // rather than carry an infinite β into every entry.
                    c.beta = 0.0;
                    c.restart = true;
                }
                c.rho = c.rho_new;
            }
            {
                let coef: Vec<(bool, bool, f64, f64)> = cols
                    .iter()
                    .map(|c| (c.active, c.restart, c.beta, c.omega))
                    .collect();
                p.par_chunks_mut(BLOCK * k)
                    .zip(msg.par_chunks_mut(BLOCK * k))
                    .zip(r.par_chunks(BLOCK * k))
                    .zip(v.par_chunks(BLOCK * k))
                    .zip(inv.par_chunks(BLOCK))
                    .with_min_len(grain)
                    .for_each(|((((p, m), r), v), inv)| {
                        for (i, iv) in inv.iter().enumerate() {
                            for (j, &(active, restart, beta, omega)) in coef.iter().enumerate() {
                                let at = i * k + j;
                                if active {
                                    p[at] = if restart {
                                        r[at]
                                    } else {
                                        r[at] + beta * (p[at] - omega * v[at])
                                    };
                                }
                                m[at] = p[at] * iv;
                            }
                        }
                    });
            }
            for c in cols.iter_mut().filter(|c| c.active && c.restart) {
                c.restart = false;
            }
            // v = L·p, α = ρ / (r̂, v).
            let parts = self.apply(&msg, &p, &mut v, k, &rhat, false);
            for (j, c) in cols.iter_mut().enumerate().filter(|(_, c)| c.active) {
                sweeps[j] += 1;
                let den = sum_parts(&parts, j);
                c.alpha = c.rho / den;
                if den == 0.0 || !c.alpha.is_finite() {
                    c.alpha = 0.0;
                    c.breakdown = true;
                }
            }
            // s = r − α·v, msg = s ⊙ inv, ‖s‖₁.
            let alphas: Vec<(bool, f64)> = cols.iter().map(|c| (c.active, c.alpha)).collect();
            let parts: Vec<Vec<f64>> = s
                .par_chunks_mut(BLOCK * k)
                .zip(msg.par_chunks_mut(BLOCK * k))
                .zip(r.par_chunks(BLOCK * k))
                .zip(v.par_chunks(BLOCK * k))
                .zip(inv.par_chunks(BLOCK))
                .with_min_len(grain)
                .map(|((((s, m), r), v), inv)| {
                    let mut norm = vec![0.0; k];
                    for (i, iv) in inv.iter().enumerate() {
                        for (j, &(active, alpha)) in alphas.iter().enumerate() {
                            let at = i * k + j;
                            if active {
                                s[at] = r[at] - alpha * v[at];
                                norm[j] += s[at].abs();
                            }
                            m[at] = s[at] * iv;
                        }
                    }
                    norm
                })
                .collect();
            for (j, c) in cols.iter_mut().enumerate().filter(|(_, c)| c.active) {
                c.s_norm = sum_parts(&parts, j);
                // Converged on the half step: x += α·p is the last update.
                c.half = 2.0 * c.s_norm < tolerance * c.mass.max(1.0);
            }
            // t = L·s, ω = (t, s) / (t, t).
            let parts = self.apply(&msg, &s, &mut t, k, &s, true);
            for (j, c) in cols.iter_mut().enumerate().filter(|(_, c)| c.active) {
                sweeps[j] += 1;
                let (ts, tt) = (sum_parts(&parts, j), sum_parts(&parts, k + j));
                c.omega = if c.half || c.breakdown || tt == 0.0 {
                    0.0
                } else {
                    ts / tt
                };
            }
            // x += α·p + ω·s, r = s − ω·t, and the column statistics.
            let coef: Vec<(bool, f64, f64)> =
                cols.iter().map(|c| (c.active, c.alpha, c.omega)).collect();
            let parts: Vec<Vec<[f64; 4]>> = x
                .par_chunks_mut(BLOCK * k)
                .zip(r.par_chunks_mut(BLOCK * k))
                .zip(p.par_chunks(BLOCK * k))
                .zip(s.par_chunks(BLOCK * k))
                .zip(t.par_chunks(BLOCK * k))
                .zip(rhat.par_chunks(BLOCK * k))
                .with_min_len(grain)
                .map(|(((((x, r), p), s), t), h)| {
                    let mut acc = vec![[0.0; 4]; k];
                    for i in 0..x.len() / k {
                        for (j, &(active, alpha, omega)) in coef.iter().enumerate() {
                            let at = i * k + j;
                            if active {
                                x[at] += alpha * p[at] + omega * s[at];
                                r[at] = s[at] - omega * t[at];
                            }
                            add_stats(&mut acc[j], r[at], h[at], x[at]);
                        }
                    }
                    acc
                })
                .collect();
            let stats = fold_stats(&parts, k);
            for (j, c) in cols.iter_mut().enumerate() {
                if !c.active {
                    continue;
                }
                c.update(stats[j]);
                if !(c.r_norm.is_finite() && c.mass.is_finite()) {
                    // Never seen on a graph after the β guard; the caller
                    // then discards this column and iterates by power.
                    c.active = false;
                } else if c.half || c.converged(tolerance) || sweeps[j] + 2 > caps[j] {
                    // Done, or the next iteration would pass the budget.
                    c.active = false;
                } else if c.breakdown || c.omega == 0.0 {
                    c.restarts += 1;
                    c.breakdown = false;
                    if c.restarts > MAX_RESTARTS {
                        c.active = false;
                    } else {
                        c.restart = true;
                    }
                }
            }
            if cols.iter().any(|c| c.active && c.restart) {
                // A restarted column takes its current residual as shadow.
                let which: Vec<bool> = cols.iter().map(|c| c.active && c.restart).collect();
                rhat.par_chunks_mut(k)
                    .zip(r.par_chunks(k))
                    .for_each(|(h, r)| {
                        for j in 0..k {
                            if which[j] {
                                h[j] = r[j];
                            }
                        }
                    });
                for c in cols.iter_mut().filter(|c| c.active && c.restart) {
                    c.rho_new = c.r_sq;
                    c.rho = 1.0;
                    c.alpha = 1.0;
                    c.omega = 1.0;
                }
            }
        }
        (x, sweeps)
    }
}

/// `msg = z ⊙ inv` (row-major `n × k`).
fn fill_msg(msg: &mut [f64], z: &[f64], inv: &[f64], k: usize, grain: usize) {
    msg.par_chunks_mut(BLOCK * k)
        .zip(z.par_chunks(BLOCK * k))
        .zip(inv.par_chunks(BLOCK))
        .with_min_len(grain)
        .for_each(|((m, z), inv)| {
            for (i, iv) in inv.iter().enumerate() {
                for j in 0..k {
                    m[i * k + j] = z[i * k + j] * iv;
                }
            }
        });
}

/// Adds one row's contribution to a column's `(‖r‖₁, (r̂, r), (r, r), Σx)`.
#[inline]
fn add_stats(acc: &mut [f64; 4], r: f64, h: f64, x: f64) {
    acc[0] += r.abs();
    acc[1] += h * r;
    acc[2] += r * r;
    acc[3] += x;
}

/// Block partials of the column statistics, added in block order.
fn fold_stats(parts: &[Vec<[f64; 4]>], k: usize) -> Vec<[f64; 4]> {
    (0..k)
        .map(|j| {
            let mut s = [0.0; 4];
            for p in parts {
                for q in 0..4 {
                    s[q] += p[j][q];
                }
            }
            s
        })
        .collect()
}

/// Per column: `(‖r‖₁, (r̂, r), (r, r), Σx)`, in fixed block order.
fn column_stats(r: &[f64], rhat: &[f64], x: &[f64], k: usize, grain: usize) -> Vec<[f64; 4]> {
    let parts: Vec<Vec<[f64; 4]>> = r
        .par_chunks(BLOCK * k)
        .zip(rhat.par_chunks(BLOCK * k))
        .zip(x.par_chunks(BLOCK * k))
        .with_min_len(grain)
        .map(|((r, h), x)| {
            let mut acc = vec![[0.0; 4]; k];
            for i in 0..r.len() / k {
                for (j, a) in acc.iter_mut().enumerate() {
                    let at = i * k + j;
                    add_stats(a, r[at], h[at], x[at]);
                }
            }
            acc
        })
        .collect();
    fold_stats(&parts, k)
}

/// The scalars of one column's BiCGSTAB.
struct Column {
    rho: f64,
    rho_new: f64,
    alpha: f64,
    omega: f64,
    beta: f64,
    r_norm: f64,
    r_sq: f64,
    s_norm: f64,
    /// Estimate of `‖y‖₁`: upstream mass plus the core's current sum.
    mass: f64,
    up_mass: f64,
    active: bool,
    restart: bool,
    breakdown: bool,
    half: bool,
    restarts: u32,
}

impl Column {
    fn new(stats: [f64; 4], up_mass: f64) -> Column {
        Column {
            rho: 1.0,
            rho_new: stats[1],
            alpha: 1.0,
            omega: 1.0,
            beta: 0.0,
            r_norm: stats[0],
            r_sq: stats[2],
            s_norm: f64::INFINITY,
            mass: up_mass + stats[3],
            up_mass,
            active: true,
            // The first direction is the residual itself.
            restart: true,
            breakdown: false,
            half: false,
            restarts: 0,
        }
    }

    fn update(&mut self, stats: [f64; 4]) {
        self.r_norm = stats[0];
        self.rho_new = stats[1];
        self.r_sq = stats[2];
        self.mass = self.up_mass + stats[3];
    }

    /// `2·‖r‖₁ < tol·‖y‖₁` (with `‖y‖₁ ≥ 1`, true of the exact solution).
    fn converged(&self, tolerance: f64) -> bool {
        2.0 * self.r_norm < tolerance * self.mass.max(1.0)
    }
}
