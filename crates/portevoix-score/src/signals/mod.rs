//! Signals: one number per account and per measurable aspect of influence,
//! gathered into a matrix whose columns the scores combine.
//!
//! A [`Signal`] is a named function of a [`CampaignContext`] (the engine's
//! data plus one campaign) returning one value per account. Each belongs to
//! a [`Family`] (reach, resonance, relevance, trust, brand affinity), whose
//! weight the campaign's objective sets. [`SignalMatrix::compute`] runs a
//! list of signals in parallel and keeps the rows of the candidate pool.
//!
//! The built-in signals are listed by [`builtin`]; users add their own by
//! implementing [`Signal`] and passing it with the built-in ones.

pub mod brand;
pub mod precomputed;
pub mod reach;
pub mod relevance;
pub mod reputation;
pub mod resonance;
pub mod topical;
pub mod trust;

pub use crate::context::CampaignContext;
pub use crate::names::{Family, SignalInfo, SignalName};

use ndarray::Array2;
use portevoix_core::{Error, Evidence, NodeId};
use rayon::prelude::*;
use std::sync::Arc;

/// One signal: a named, documented function from the data and a campaign to
/// one value per account.
///
/// Implementations must be deterministic (same input, same values, whatever
/// the number of threads) and return exactly one finite value per account
/// (`ctx.engine.num_accounts()` values); "no data" is 0 unless the signal's
/// documentation says otherwise.
pub trait Signal: Send + Sync {
    /// `family.name` (e.g. `reach.pagerank`), unique in a matrix.
    fn name(&self) -> &str;
    /// Its family.
    fn family(&self) -> Family;
    /// One line for reports: what it measures and how.
    fn description(&self) -> &str;
    /// Its share of its family's weight in the contextual score, relative to
    /// the other signals of the family (1 by default). 0 keeps the signal in
    /// the matrix and the reports (and available to the classification)
    /// without scoring it: the raw audience, which the baseline uses and the
    /// contextual score replaces by the authentic audience, or the count of
    /// negative brand mentions, which is worse when higher.
    fn default_weight(&self) -> f64 {
        1.0
    }
    /// One value per account (dense id order).
    ///
    /// # Errors
    ///
    /// When a kernel it runs rejects its input.
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error>;
    /// The evidence behind `account`'s value (at most `k` items of each
    /// kind: the posts, reactors or neighbours that made it), given this
    /// signal's `column` over every account as [`Signal::compute`] returned
    /// it; none by default. Written beside the computation, with its
    /// parameters, so that the explanation says what the signal computed.
    fn evidence(
        &self,
        _ctx: &CampaignContext<'_>,
        _column: &[f64],
        _account: NodeId,
        _k: usize,
    ) -> Vec<Evidence> {
        Vec::new()
    }
}

/// Signals of the candidate pool: one row per candidate (ascending id), one
/// column per signal.
#[derive(Debug, Clone)]
pub struct SignalMatrix {
    /// The candidates, ascending id.
    pub accounts: Vec<NodeId>,
    /// The columns.
    pub signals: Vec<SignalInfo>,
    /// `accounts.len() × signals.len()` values.
    pub values: Array2<f64>,
    /// Every account's value of every signal (one vector per column, dense id
    /// order), kept by [`SignalMatrix::compute`] because explanations cite
    /// neighbours outside the pool; `None` for a matrix built by hand.
    pub columns: Option<Vec<Vec<f64>>>,
}

impl SignalMatrix {
    /// Runs `signals` (in parallel, one task per signal) and keeps the rows of
    /// `candidates`.
    ///
    /// # Errors
    ///
    /// [`Error::Signal`] for duplicate signal names or a signal that
    /// returns the wrong number of values or a non-finite value; the first
    /// error a signal returns.
    ///
    /// # Complexity
    ///
    /// The sum of the signals' costs, spread over the threads, plus
    /// O(candidates × signals) to gather.
    pub fn compute(
        ctx: &CampaignContext<'_>,
        signals: &[Arc<dyn Signal>],
        candidates: &[NodeId],
    ) -> Result<SignalMatrix, Error> {
        let refs: Vec<&dyn Signal> = signals.iter().map(|s| s.as_ref()).collect();
        SignalMatrix::compute_refs(ctx, &refs, candidates)
    }

    /// [`SignalMatrix::compute`] over borrowed signals (built-in and user
    /// signals held in different places).
    ///
    /// # Errors
    ///
    /// As [`SignalMatrix::compute`].
    pub fn compute_refs(
        ctx: &CampaignContext<'_>,
        signals: &[&dyn Signal],
        candidates: &[NodeId],
    ) -> Result<SignalMatrix, Error> {
        let mut names: Vec<&str> = signals.iter().map(|s| s.name()).collect();
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(Error::signal(w[0], "registered twice"));
        }
        let n = ctx.engine.num_accounts();
        let columns: Vec<Vec<f64>> = signals
            .par_iter()
            .map(|s| {
                let values = s.compute(ctx)?;
                if values.len() != n {
                    return Err(Error::signal(
                        s.name(),
                        format!("returned {} values for {n} accounts", values.len()),
                    ));
                }
                if let Some(i) = values.iter().position(|v| !v.is_finite()) {
                    return Err(Error::signal(
                        s.name(),
                        format!(
                            "{} gave {} for account {}",
                            s.name(),
                            values[i],
                            ctx.engine.label(NodeId(i as u32))
                        ),
                    ));
                }
                Ok(values)
            })
            .collect::<Result<_, Error>>()?;
        let mut values = Array2::zeros((candidates.len(), signals.len()));
        for (j, column) in columns.iter().enumerate() {
            for (i, a) in candidates.iter().enumerate() {
                values[[i, j]] = column[a.index()];
            }
        }
        Ok(SignalMatrix {
            accounts: candidates.to_vec(),
            signals: signals
                .iter()
                .map(|s| SignalInfo {
                    name: s.name().to_string(),
                    family: s.family(),
                    description: s.description().to_string(),
                    weight: s.default_weight(),
                })
                .collect(),
            values,
            columns: Some(columns),
        })
    }

    /// The index of a signal's column, by name ([`SignalName`] or `&str`).
    pub fn position(&self, name: impl AsRef<str>) -> Option<usize> {
        let name = name.as_ref();
        self.signals.iter().position(|s| s.name == name)
    }

    /// The column of a signal by name ([`SignalName`] or `&str`).
    pub fn column(&self, name: impl AsRef<str>) -> Option<ndarray::ArrayView1<'_, f64>> {
        Some(self.values.column(self.position(name)?))
    }

    /// Every account's value of a signal (dense id order), when kept.
    pub fn full_column(&self, name: impl AsRef<str>) -> Option<&[f64]> {
        let j = self.position(name)?;
        self.columns.as_ref().map(|c| c[j].as_slice())
    }

    /// The row of an account, if it is a candidate.
    pub fn row(&self, account: NodeId) -> Option<ndarray::ArrayView1<'_, f64>> {
        let i = self.accounts.binary_search(&account).ok()?;
        Some(self.values.row(i))
    }
}

/// The built-in signals implemented today, in a fixed order: reach
/// (audience, PageRank over the endorsement layers, 2-hop reach), resonance
/// (reactions per post, unique reactors, reactions discounted for reactors
/// who react to everything, engagement rate against the audience tier),
/// relevance (BM25, on-topic share, reactions to on-topic posts, recency,
/// keyword diversity, topical authority; with a campaign's tags, the
/// gains, activity and ExpertiseRank on them), trust (reciprocity, repeated
/// interaction, conversation, authenticity, audience quality, TrustRank,
/// EigenTrust over ratings, then the [`reputation`] signals: goodness and
/// fairness over ratings, tenure) and, last, brand affinity (organic brand
/// mentions, their sentiment, positive and negative mentions, following the
/// brand, employee, customer).
pub fn builtin() -> Vec<Arc<dyn Signal>> {
    let mut out: Vec<Arc<dyn Signal>> = Vec::new();
    out.extend(reach::signals());
    out.extend(resonance::signals());
    out.extend(relevance::signals());
    out.extend(topical::signals());
    out.extend(trust::signals());
    out.extend(reputation::signals());
    out.extend(brand::signals());
    out
}

/// Median of a slice (NaN-free), 0 for an empty one; sorts a copy, the
/// caller's slice is left as it was.
pub(crate) fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn median_leaves_the_callers_slice_alone() {
        let values = vec![5.0, 1.0, 4.0, 2.0];
        assert_eq!(median(&values), 3.0);
        assert_eq!(values, [5.0, 1.0, 4.0, 2.0]);
        assert_eq!(median(&[7.0, 1.0, 3.0]), 3.0);
        assert_eq!(median(&[]), 0.0);
    }
}
