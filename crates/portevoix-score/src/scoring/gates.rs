//! Gate: the contextual score is 0 for an account whose authenticity is
//! below the campaign's gate or whose relevance (the weighted mean of its
//! relevance percentiles) is below the floor, and, under the advocacy
//! stance gate, for an account whose stance toward the brand is net
//! negative or that never mentions the brand.

use super::normalise::normalise;
use super::weights::Effective;
use super::{Gate, ScoreOptions};
use crate::campaign::Scale;
use crate::names::{Family, brand, relevance as topical, trust};
use crate::signals::SignalMatrix;

/// The relevance percentile of every row: the share-weighted mean of its
/// informative relevance signals' percentiles within their groups (a
/// percentile whatever the scale, so that a floor keeps its meaning, "beats
/// 20% of the pool", across scales); `None` when no relevance signal
/// varies. `scaled` are the columns as the scores scale them.
pub fn relevance(
    matrix: &SignalMatrix,
    effective: &Effective,
    options: &ScoreOptions,
    communities: Option<&[u32]>,
    scaled: &[Vec<f64>],
) -> Option<Vec<f64>> {
    let n = matrix.accounts.len();
    let columns: Vec<usize> = (0..matrix.signals.len())
        .filter(|&j| effective.informative[j] && matrix.signals[j].family == Family::Relevance)
        .collect();
    if columns.is_empty() {
        return None;
    }
    let percentiles: Vec<Vec<f64>> = match options.scale {
        Scale::Percentile => columns.iter().map(|&j| scaled[j].clone()).collect(),
        Scale::LogRank => normalise(
            matrix,
            &columns,
            options.normalisation,
            communities,
            Scale::Percentile,
        ),
    };
    let total: f64 = columns.iter().map(|&j| effective.shares[j]).sum();
    Some(
        (0..n)
            .map(|i| {
                columns
                    .iter()
                    .zip(&percentiles)
                    .map(|(&j, p)| effective.shares[j] * p[i])
                    .sum::<f64>()
                    / total
            })
            .collect(),
    )
}

/// The gate of every row (authenticity first, then off-topic for tag
/// campaigns, then relevance, then stance), and notes on gates that could not apply.
pub fn gates(
    matrix: &SignalMatrix,
    options: &ScoreOptions,
    relevance: Option<&[f64]>,
) -> (Vec<Option<Gate>>, Vec<String>) {
    let mut notes = Vec::new();
    if relevance.is_none() && options.relevance_floor > 0.0 {
        notes
            .push("relevance floor skipped: no relevance signal varies over the candidates".into());
    }
    let authenticity = matrix.position(trust::AUTHENTICITY);
    if authenticity.is_none() && options.authenticity_gate > 0.0 {
        notes.push("authenticity gate skipped: trust.authenticity is not computed".into());
    }
    let stance = if let Some(min) = options.stance_gate {
        let mentions = matrix.position(brand::MENTIONS);
        let net = matrix.position(brand::NET_SENTIMENT);
        let mean = matrix.position(brand::SENTIMENT);
        match (mentions, net, mean) {
            (Some(m), Some(s), Some(e))
                if (0..matrix.accounts.len()).any(|i| matrix.values[[i, m]] > 0.0) =>
            {
                Some((m, s, e, min))
            }
            _ => {
                notes.push("advocacy stance gate skipped: no candidate mentions the brand".into());
                None
            }
        }
    } else {
        None
    };
    let off_topic = on_topic_columns(matrix);
    let gates = (0..matrix.accounts.len())
        .map(|i| {
            if let Some(j) = authenticity {
                let value = matrix.values[[i, j]];
                if value < options.authenticity_gate {
                    return Some(Gate::Authenticity {
                        value,
                        gate: options.authenticity_gate,
                    });
                }
            }
            // A tag campaign never lists, as an expert of its tags, someone
            // who never asked or answered on them (whatever the smoothed
            // activity share says).
            if let Some((a, q)) = off_topic
                && matrix.values[[i, a]] <= 0.0
                && matrix.values[[i, q]] <= 0.0
            {
                return Some(Gate::OffTopic);
            }
            if let Some(r) = relevance
                && r[i] < options.relevance_floor
            {
                return Some(Gate::Relevance {
                    value: r[i],
                    floor: options.relevance_floor,
                });
            }
            if let Some((m, s, e, min)) = stance {
                let (mentions, net, mean) = (
                    matrix.values[[i, m]],
                    matrix.values[[i, s]],
                    matrix.values[[i, e]],
                );
                // In a brand community (a tag campaign), answering on the
                // tags is advocacy: only a negative stance gates a helper.
                let helper = off_topic.is_some_and(|(a, _)| matrix.values[[i, a]] > 0.0);
                let refused = if helper {
                    mentions > 0.0 && (net < 0.0 || mean < 0.0)
                } else {
                    mentions <= 0.0 || net < 0.0 || mean < min
                };
                if refused {
                    return Some(Gate::Stance {
                        mentions,
                        net,
                        mean,
                        min,
                    });
                }
            }
            None
        })
        .collect();
    (gates, notes)
}

/// The columns of `relevance.tag_answers` and `relevance.tag_authority`
/// when the campaign is on tags and someone in the pool answered on them:
/// an account with 0 in both never asked or answered on the tags.
fn on_topic_columns(matrix: &SignalMatrix) -> Option<(usize, usize)> {
    let a = matrix.position(topical::TAG_ANSWERS)?;
    let q = matrix.position(topical::TAG_AUTHORITY)?;
    (0..matrix.accounts.len())
        .any(|i| matrix.values[[i, a]] > 0.0)
        .then_some((a, q))
}
