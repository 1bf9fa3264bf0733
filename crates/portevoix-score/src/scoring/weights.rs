//! Weigh: the effective weight of every signal, `e_s = W_f / ΣW × w_s /
//! Σ_{t∈f} w_t` over the informative signals (those with a share above 0
//! that vary over the pool); a family without one hands its weight to the
//! others.

use crate::names::Family;
use crate::objective::Weights;
use crate::signals::SignalMatrix;
use std::collections::BTreeMap;

/// The effective weights and what was dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct Effective {
    /// Per signal: its share of its family ([`share`]).
    pub shares: Vec<f64>,
    /// Per signal: informative (share above 0 and varies over the pool).
    pub informative: Vec<bool>,
    /// Per signal: its effective weight (they sum to 1 over the
    /// informative signals; all 0 when none is).
    pub weights: Vec<f64>,
    /// Signals without variation, families redistributed.
    pub notes: Vec<String>,
}

/// A signal's share inside its family: the campaign's override, else the
/// signal's default weight.
pub fn share(matrix: &SignalMatrix, overrides: &BTreeMap<String, f64>, j: usize) -> f64 {
    let info = &matrix.signals[j];
    overrides.get(&info.name).copied().unwrap_or(info.weight)
}

/// The end of the note naming a signal that does not vary over the
/// candidates (`"<signal> has the same value …"`): reports group these
/// notes by it.
pub const NOT_VARYING: &str = " has the same value for every candidate: not weighted";

/// The effective weights of the signals of `matrix` under the family
/// weights `family` and the per-signal `overrides`.
///
/// # Complexity
///
/// O(s × n) to find the signals that vary.
pub fn effective(
    matrix: &SignalMatrix,
    family: &Weights,
    overrides: &BTreeMap<String, f64>,
) -> Effective {
    let n = matrix.accounts.len();
    let s = matrix.signals.len();
    let mut notes = Vec::new();
    let varies = |j: usize| {
        let c = matrix.values.column(j);
        c.iter().any(|v| *v != c[0])
    };
    let shares: Vec<f64> = (0..s).map(|j| share(matrix, overrides, j)).collect();
    let informative: Vec<bool> = (0..s).map(|j| shares[j] > 0.0 && varies(j)).collect();
    for (j, info) in matrix.signals.iter().enumerate() {
        if shares[j] > 0.0 && !informative[j] && n > 0 {
            notes.push(format!("{}{NOT_VARYING}", info.name));
        }
    }
    let family_share: BTreeMap<Family, f64> = Family::ALL
        .iter()
        .map(|&f| {
            let total: f64 = (0..s)
                .filter(|&j| informative[j] && matrix.signals[j].family == f)
                .map(|j| shares[j])
                .sum();
            (f, total)
        })
        .collect();
    let live_weight: f64 = Family::ALL
        .iter()
        .filter(|f| family_share[f] > 0.0)
        .map(|&f| family.of(f))
        .sum();
    for f in Family::ALL {
        if family.of(f) > 0.0 && family_share[&f] == 0.0 {
            notes.push(format!(
                "no {} signal varies over the candidates: its weight {} goes to the other families",
                f.name(),
                family.of(f)
            ));
        }
    }
    let weights: Vec<f64> = (0..s)
        .map(|j| {
            let f = matrix.signals[j].family;
            if !informative[j] || live_weight == 0.0 {
                0.0
            } else {
                family.of(f) / live_weight * shares[j] / family_share[&f]
            }
        })
        .collect();
    if live_weight == 0.0 && n > 0 {
        notes.push("no weighted signal varies over the candidates: every score is 0".into());
    }
    Effective {
        shares,
        informative,
        weights,
        notes,
    }
}
