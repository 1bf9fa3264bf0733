//! The output of `portevoix spread`: a Monte Carlo SIR or independent
//! cascade from a seed set, as the distribution of the outbreak size, with
//! the mean-field epidemic threshold of the view.

use crate::rank::LayerWeight;
use serde::Serialize;
use std::fmt::Write;

/// Wall-clock milliseconds of each step.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct SpreadTimings {
    /// Reading and parsing the inputs.
    pub parse: f64,
    /// Building the network and the layer view.
    pub build: f64,
    /// Choosing the seeds and computing the epidemic threshold.
    pub threshold: f64,
    /// The Monte Carlo runs alone.
    pub kernel: f64,
}

/// One seed account.
#[derive(Debug, Clone, Serialize)]
pub struct SeedAccount {
    /// External id.
    pub id: String,
    /// `@handle` when known, else the external id.
    pub label: String,
    /// Accounts it can infect directly (its contacts in the spreading direction).
    pub contacts: usize,
}

/// Everything `spread` reports.
#[derive(Debug, Clone, Serialize)]
pub struct SpreadSummary {
    /// `sir` or `ic`.
    pub model: String,
    /// Independent cascade activation rule (`constant`, `weighted-cascade`); `constant` for SIR.
    pub activation: String,
    /// Spreading direction (`information-flow`, `forward`, `undirected`).
    pub direction: String,
    /// Layers and weights of the view.
    pub layers: Vec<LayerWeight>,
    /// Accounts in the network.
    pub nodes: u64,
    /// Edges of the view.
    pub edges: u64,
    /// Infection (or constant activation) probability per contact and step.
    pub beta: f64,
    /// Recovery probability per step (1 for the cascade).
    pub gamma: f64,
    /// Probability that an infected account ever infects a given contact:
    /// `β / (1 − (1 − β)(1 − γ))` (SIR with a constant `β`).
    pub transmissibility: Option<f64>,
    /// Monte Carlo runs.
    pub runs: usize,
    /// Seed of the run streams.
    pub seed: u64,
    /// The seed accounts (duplicates counted once by the simulation).
    pub seeds: Vec<SeedAccount>,
    /// Mean outbreak size (accounts ever infected, seeds included).
    pub mean: f64,
    /// Sample standard deviation of the size.
    pub std: f64,
    /// Smallest size.
    pub min: u32,
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Largest size.
    pub max: u32,
    /// Mean size as a share of all accounts.
    pub mean_share: f64,
    /// Heterogeneous mean-field threshold `<k> / (<k²> − <k>)` on the
    /// undirected degrees; `None` when no outbreak can happen at any `β`.
    pub epidemic_threshold: Option<f64>,
    /// Wall-clock timings.
    pub timings_ms: SpreadTimings,
}

/// `β / (1 − (1 − β)(1 − γ))`: the chance that an infected account infects a
/// given susceptible contact before it recovers (Newman 2002), for `γ` in `(0, 1]`.
pub fn transmissibility(beta: f64, gamma: f64) -> f64 {
    let d = 1.0 - (1.0 - beta) * (1.0 - gamma);
    if d > 0.0 { beta / d } else { 0.0 }
}

/// Renders the summary as a readable table.
pub fn render_table(s: &SpreadSummary) -> String {
    let mut out = String::new();
    let layers = crate::rank::layers_label(&s.layers);
    let _ = writeln!(
        out,
        "{} ({}, {}) on {} ({} accounts, {} edges): beta {}, gamma {}, {} runs, seed {}",
        s.model,
        s.activation,
        s.direction,
        layers,
        s.nodes,
        s.edges,
        s.beta,
        s.gamma,
        s.runs,
        s.seed
    );
    if let Some(t) = s.transmissibility {
        let _ = writeln!(out, "transmissibility T = {t:.6}");
    }
    let _ = match s.epidemic_threshold {
        Some(b) => writeln!(out, "epidemic threshold (mean field, undirected) {b:.6}"),
        None => writeln!(out, "epidemic threshold: none (no outbreak at any beta)"),
    };
    let _ = writeln!(
        out,
        "outbreak size: mean {:.2} ({:.4}% of accounts), std {:.2}, min {}, p10 {:.1}, median {:.1}, p90 {:.1}, max {}",
        s.mean,
        100.0 * s.mean_share,
        s.std,
        s.min,
        s.p10,
        s.p50,
        s.p90,
        s.max
    );
    let _ = writeln!(
        out,
        "parse {:.0} ms, build {:.0} ms, seeds and threshold {:.1} ms, kernel {:.1} ms",
        s.timings_ms.parse, s.timings_ms.build, s.timings_ms.threshold, s.timings_ms.kernel
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "{:<24} {:>10}", "seed account", "contacts");
    for a in &s.seeds {
        let _ = writeln!(out, "{:<24} {:>10}", a.label, a.contacts);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transmissibility_of_one_step_and_longer_infections() {
        assert_eq!(transmissibility(0.3, 1.0), 0.3);
        // β = 0.5, γ = 0.5: 0.5 / (1 − 0.25) = 2/3.
        assert!((transmissibility(0.5, 0.5) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(transmissibility(0.0, 0.5), 0.0);
    }
}
