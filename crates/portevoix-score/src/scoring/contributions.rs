//! Contributions: what each signal adds to an account's score. The
//! contextual score is 100 × the sum of the terms `e_s × p_s(a)` ([`term`]),
//! the baseline the sum of its three component terms
//! ([`baseline_terms`]); the explanations list the same terms, so an
//! explanation is the computation itself and adds up to its score.

use super::{Gate, Scores};
use crate::names::BASELINE;
use crate::signals::SignalMatrix;
use portevoix_core::{Contribution, Evidence, Explanation};

/// Signal `j`'s weight in row `i`'s contextual score: its effective
/// weight `e_j`, or, under the relevance-first rule of tag campaigns
/// ([`super::RelevanceFirst`]), its weight in `R × (1 + λ·O) / (1 + λ)` (the
/// same for every row for a relevance signal, proportional to the row's
/// relevance term `R` for the others).
pub fn weight(scores: &Scores, i: usize, j: usize) -> f64 {
    match &scores.relevance_first {
        None => scores.effective_weights[j],
        Some(rf) => rf.weight(i, j, scores.effective_weights[j]),
    }
}

/// Signal `j`'s term in row `i`'s contextual score: its [`weight`] times
/// its normalised value, 0 for a gated row. The score is `100 × Σ_j
/// term`; a contribution in the explanation is `100 × term`.
pub fn term(scores: &Scores, i: usize, j: usize) -> f64 {
    if scores.gates[i].is_some() {
        0.0
    } else {
        weight(scores, i, j) * scores.normalised[[i, j]]
    }
}

/// The contextual score of every row: `100 × Σ_j term(i, j)`.
pub fn contextual(scores: &Scores) -> Vec<f64> {
    let s = scores.effective_weights.len();
    (0..scores.gates.len())
        .map(|i| {
            if scores.gates[i].is_some() {
                0.0
            } else {
                100.0 * (0..s).map(|j| term(scores, i, j)).sum::<f64>()
            }
        })
        .collect()
}

/// The explanation of row `i`'s contextual score: one contribution per
/// signal (raw value, normalised value, [`weight`] × 100,
/// contribution = 100 × [`term`]), in matrix order; they add up to the
/// score. A gated account's contributions are 0 and a note says which gate
/// applied. Evidence (posts, reactors, neighbours) is added by the caller,
/// which has the data.
pub fn explain_contextual(matrix: &SignalMatrix, scores: &Scores, i: usize) -> Explanation {
    let contributions = matrix
        .signals
        .iter()
        .enumerate()
        .map(|(j, info)| Contribution {
            signal: info.name.clone(),
            raw: matrix.values[[i, j]],
            normalised: scores.normalised[[i, j]],
            weight: 100.0 * weight(scores, i, j),
            contribution: 100.0 * term(scores, i, j),
        })
        .collect();
    let mut evidence = Vec::new();
    match scores.gates[i] {
        Some(Gate::Authenticity { value, gate }) => evidence.push(Evidence::Note {
            text: format!("score set to 0: authenticity {value:.2} is below the gate {gate:.2}"),
        }),
        Some(Gate::OffTopic) => evidence.push(Evidence::Note {
            text: "score set to 0: never asked or answered on the campaign's tags".to_string(),
        }),
        Some(Gate::Relevance { value, floor }) => evidence.push(Evidence::Note {
            text: format!(
                "score set to 0: relevance percentile {value:.2} is below the floor {floor:.2}"
            ),
        }),
        Some(Gate::Stance {
            mentions,
            net,
            mean,
            min,
        }) => evidence.push(Evidence::Note {
            text: if mentions <= 0.0 {
                "score set to 0 (advocacy): never mentions the brand".to_string()
            } else if net < 0.0 {
                format!(
                    "score set to 0 (advocacy): net stance toward the brand {net:+.2} over {mentions:.0} mentions is negative"
                )
            } else {
                format!(
                    "score set to 0 (advocacy): mean stance toward the brand {mean:+.3} is below {min:+.3}"
                )
            },
        }),
        None => {}
    }
    Explanation {
        score: scores.contextual[i],
        contributions,
        evidence,
    }
}

/// Columns of the baseline components present in `matrix` with their pool
/// maxima.
pub fn baseline_maxima(matrix: &SignalMatrix) -> Vec<(usize, f64)> {
    BASELINE
        .iter()
        .filter_map(|name| {
            let j = matrix.position(name)?;
            let max = matrix
                .values
                .column(j)
                .iter()
                .fold(0.0f64, |m, v| m.max(*v));
            Some((j, max))
        })
        .collect()
}

/// The baseline components of row `i`: `(column, raw, term)` with `term =
/// 100 / 3 × ln(1 + raw) / ln(1 + pool max)` (0 when the max is 0).
pub fn baseline_terms(
    matrix: &SignalMatrix,
    maxima: &[(usize, f64)],
    i: usize,
) -> Vec<(usize, f64, f64)> {
    maxima
        .iter()
        .map(|&(j, max)| {
            let raw = matrix.values[[i, j]].max(0.0);
            let term = if max > 0.0 {
                100.0 / 3.0 * raw.ln_1p() / max.ln_1p()
            } else {
                0.0
            };
            (j, raw, term)
        })
        .collect()
}

/// The baseline social score of every row: the sum of its
/// [`baseline_terms`].
pub fn baseline_scores(matrix: &SignalMatrix) -> Vec<f64> {
    let maxima = baseline_maxima(matrix);
    baseline_with(matrix, &maxima)
}

pub(super) fn baseline_with(matrix: &SignalMatrix, maxima: &[(usize, f64)]) -> Vec<f64> {
    (0..matrix.accounts.len())
        .map(|i| baseline_terms(matrix, maxima, i).iter().map(|t| t.2).sum())
        .collect()
}

/// The explanation of row `i`'s baseline score: one contribution per
/// component (audience, PageRank, total reactions); they add up to it.
pub fn explain_baseline(matrix: &SignalMatrix, scores: &Scores, i: usize) -> Explanation {
    let maxima = &scores.baseline_maxima;
    let contributions = baseline_terms(matrix, maxima, i)
        .into_iter()
        .zip(maxima)
        .map(|((j, raw, term), &(_, max))| Contribution {
            signal: matrix.signals[j].name.clone(),
            raw,
            normalised: if max > 0.0 {
                raw.ln_1p() / max.ln_1p()
            } else {
                0.0
            },
            weight: 100.0 / 3.0,
            contribution: term,
        })
        .collect();
    Explanation {
        score: scores.baseline[i],
        contributions,
        evidence: Vec::new(),
    }
}
