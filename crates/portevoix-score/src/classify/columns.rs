//! The columns of the candidate pool that the classification rules read,
//! by name: audience and its percentile, rank inside the community,
//! relevance, authority, the micro-influencer behaviours, the brand
//! mentions and authenticity. Each rule reads the columns it needs and no
//! signal name is spelled out anywhere else.

use crate::campaign::ClassifyOptions;
use crate::engine::behaviour::Behaviour;
use crate::names::{self, SignalName};
use crate::scoring::Scores;
use crate::scoring::normalise::pool_percentiles;
use crate::signals::SignalMatrix;
use std::collections::BTreeMap;

/// The brand columns of the pool (one value per candidate), from the
/// brand-affinity signals.
#[derive(Debug, Clone, PartialEq)]
pub struct BrandColumns {
    /// Organic brand mentions (`brand.mentions`).
    pub mentions: Vec<f64>,
    /// Positive ones (`brand.positive_mentions`).
    pub positive: Vec<f64>,
    /// Negative ones (`brand.negative_mentions`).
    pub negative: Vec<f64>,
    /// Mean sentiment toward the brand (`brand.sentiment`).
    pub sentiment: Vec<f64>,
    /// Sum of the sentiments (`brand.net_sentiment`).
    pub net_sentiment: Vec<f64>,
    /// Employee or collaborator, 1 or 0 (`brand.employee`).
    pub employee: Vec<f64>,
    /// Mean P(positive toward the brand) of the mentions (`brand.stance_positive`).
    pub stance_positive: Vec<f64>,
    /// Mean P(negative toward the brand) of the mentions (`brand.stance_negative`).
    pub stance_negative: Vec<f64>,
}

/// Every column the classification reads, one value per candidate (rows in
/// the matrix's order).
#[derive(Debug, Clone, PartialEq)]
pub struct PoolColumns {
    /// The signal that stands for audience: `reach.audience` when it
    /// varies, else `resonance.unique_reactors` (activity logs have neither
    /// follower counts nor a follow layer).
    pub audience_signal: SignalName,
    /// The audience.
    pub audience: Vec<f64>,
    /// Its percentile in the pool.
    pub audience_pct: Vec<f64>,
    /// The audience of the last account of the top `macro_audience_share`.
    pub macro_cut: f64,
    /// Contextual score.
    pub contextual: Vec<f64>,
    /// Community of each candidate.
    pub community: Vec<u32>,
    /// Rank (1 = best, ties on dense id) by contextual score among the
    /// candidates of its community, and the community's size in candidates.
    pub community_rank: Vec<(usize, usize)>,
    /// Whether the data has text (relevance is known).
    pub text_known: bool,
    /// Relevance percentile (0.5 for everyone without text).
    pub relevance_pct: Vec<f64>,
    /// The signal that stands for authority: `relevance.topical_authority`
    /// when it varies, else `relevance.tag_authority` (tag campaigns), else
    /// `reach.pagerank`.
    pub authority_signal: SignalName,
    /// Its percentile.
    pub authority_pct: Vec<f64>,
    /// Percentile of `trust.reciprocity`.
    pub reciprocity_pct: Vec<f64>,
    /// Percentile of the re-shares given.
    pub reshares_given_pct: Vec<f64>,
    /// Percentile of the re-shares and quotes received.
    pub reshared_pct: Vec<f64>,
    /// Percentile of the activity (posts + interactions given).
    pub activity_pct: Vec<f64>,
    /// Percentile of `resonance.unique_reactors`.
    pub reactors_pct: Vec<f64>,
    /// The brand columns.
    pub brand: BrandColumns,
    /// Authenticity (1 when `trust.authenticity` is not computed).
    pub authenticity: Vec<f64>,
    /// `relevance.tag_answers`: on-topic answer gain (tag campaigns; 0
    /// elsewhere).
    pub tag_answers: Vec<f64>,
    /// The community helpers' cut: the `tag_answers` of the last of the top
    /// 10% of the candidates who answered on the tags (infinite when no one
    /// did).
    pub helper_cut: f64,
    /// Whether some candidate mentions the brand (a brand the data names).
    pub brand_named: bool,
}

fn column_or_zero(matrix: &SignalMatrix, name: SignalName) -> Vec<f64> {
    matrix
        .column(name)
        .map_or_else(|| vec![0.0; matrix.accounts.len()], |c| c.to_vec())
}

fn varies(matrix: &SignalMatrix, name: SignalName) -> bool {
    matrix
        .column(name)
        .is_some_and(|c| c.iter().any(|v| *v != c[0]))
}

impl PoolColumns {
    /// The columns of the pool of `matrix`, with its `scores`, the
    /// engine's `behaviour` and `communities` (of every account).
    ///
    /// # Complexity
    ///
    /// O(n log n) for n candidates.
    pub fn new(
        matrix: &SignalMatrix,
        scores: &Scores,
        behaviour: &Behaviour,
        communities: &[u32],
        options: &ClassifyOptions,
    ) -> PoolColumns {
        let n = matrix.accounts.len();
        let idx = |r: usize| matrix.accounts[r].index();
        let audience_signal = if varies(matrix, names::reach::AUDIENCE) {
            names::reach::AUDIENCE
        } else {
            names::resonance::UNIQUE_REACTORS
        };
        let audience = column_or_zero(matrix, audience_signal);
        let macro_cut = {
            let mut sorted = audience.clone();
            sorted.sort_by(|a, b| b.total_cmp(a));
            let k = ((n as f64 * options.macro_audience_share).ceil() as usize).max(1);
            sorted.get(k - 1).copied().unwrap_or(f64::INFINITY)
        };
        let tag_answers = column_or_zero(matrix, names::relevance::TAG_ANSWERS);
        let community: Vec<u32> = (0..n).map(|r| communities[idx(r)]).collect();
        // Authority on the campaign's topic: from its keywords, else (a tag
        // campaign) from its tags' asker → answerer network, else PageRank.
        let authority_signal = [
            names::relevance::TOPICAL_AUTHORITY,
            names::relevance::TAG_AUTHORITY,
        ]
        .into_iter()
        .find(|&s| varies(matrix, s))
        .unwrap_or(names::reach::PAGERANK);
        let pick = |f: &dyn Fn(usize) -> f64| pool_percentiles(&(0..n).map(f).collect::<Vec<_>>());
        PoolColumns {
            audience_pct: pool_percentiles(&audience),
            audience,
            audience_signal,
            macro_cut,
            contextual: scores.contextual.clone(),
            community_rank: community_ranks(matrix, &scores.contextual, &community),
            community,
            text_known: scores.relevance.is_some(),
            relevance_pct: scores.relevance.clone().unwrap_or_else(|| vec![0.5; n]),
            authority_pct: pool_percentiles(&column_or_zero(matrix, authority_signal)),
            authority_signal,
            reciprocity_pct: pool_percentiles(&column_or_zero(matrix, names::trust::RECIPROCITY)),
            reshares_given_pct: pick(&|r| behaviour.reshares_given[idx(r)]),
            reshared_pct: pick(&|r| behaviour.reshared[idx(r)]),
            activity_pct: pick(&|r| behaviour.posts[idx(r)] as f64 + behaviour.given[idx(r)]),
            reactors_pct: pool_percentiles(&column_or_zero(
                matrix,
                names::resonance::UNIQUE_REACTORS,
            )),
            brand: BrandColumns {
                mentions: column_or_zero(matrix, names::brand::MENTIONS),
                positive: column_or_zero(matrix, names::brand::POSITIVE_MENTIONS),
                negative: column_or_zero(matrix, names::brand::NEGATIVE_MENTIONS),
                sentiment: column_or_zero(matrix, names::brand::SENTIMENT),
                net_sentiment: column_or_zero(matrix, names::brand::NET_SENTIMENT),
                employee: column_or_zero(matrix, names::brand::EMPLOYEE),
                stance_positive: column_or_zero(matrix, names::brand::STANCE_POSITIVE),
                stance_negative: column_or_zero(matrix, names::brand::STANCE_NEGATIVE),
            },
            authenticity: matrix
                .column(names::trust::AUTHENTICITY)
                .map_or_else(|| vec![1.0; n], |c| c.to_vec()),
            helper_cut: top_share_cut(&tag_answers, HELPER_SHARE),
            tag_answers,
            brand_named: column_or_zero(matrix, names::brand::MENTIONS)
                .iter()
                .any(|&m| m > 0.0),
        }
    }
}

/// The share of a tag campaign's answerers who count as its community
/// helpers (the superusers of a brand community).
const HELPER_SHARE: f64 = 0.10;

/// The value of the last of the top `share` of the positive `values`
/// (at least one); infinite when none is positive.
fn top_share_cut(values: &[f64], share: f64) -> f64 {
    let mut positive: Vec<f64> = values.iter().copied().filter(|&v| v > 0.0).collect();
    positive.sort_by(|a, b| b.total_cmp(a));
    let k = ((positive.len() as f64 * share).ceil() as usize).max(1);
    positive.get(k - 1).copied().unwrap_or(f64::INFINITY)
}

/// Rank by contextual score within each community (ties on dense id), and
/// the community's size, per row.
fn community_ranks(
    matrix: &SignalMatrix,
    contextual: &[f64],
    community: &[u32],
) -> Vec<(usize, usize)> {
    let n = matrix.accounts.len();
    let mut by_community: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (r, &c) in community.iter().enumerate() {
        by_community.entry(c).or_default().push(r);
    }
    let mut out = vec![(0, 0); n];
    for rows in by_community.values_mut() {
        rows.sort_by(|&a, &b| {
            contextual[b]
                .total_cmp(&contextual[a])
                .then(matrix.accounts[a].cmp(&matrix.accounts[b]))
        });
        for (k, &r) in rows.iter().enumerate() {
            out[r] = (k + 1, rows.len());
        }
    }
    out
}
