//! Scoring: the baseline social score and the contextual score, each with
//! an explanation whose contributions add up to it.
//!
//! # Baseline social score
//!
//! What single-score tools (Klout, Kred) computed: size and activity, blind
//! to the campaign. Over the candidate pool,
//!
//! ```text
//! baseline(a) = 100 / 3 × Σ_{c ∈ {audience, pagerank, total reactions}} ln(1 + x_c(a)) / ln(1 + max_pool x_c)
//! ```
//!
//! with `x` the raw values of `reach.audience`, `reach.pagerank` and
//! `resonance.total_reactions` (a component whose pool maximum is 0 adds 0).
//! The log damps the heavy tails the way those tools did.
//!
//! # Contextual score
//!
//! The computation runs in stages, one file each: **validate** the weights
//! and options ([`compute`]), **normalise** ([`normalise`]), **weigh**
//! ([`weights`]), **gate** ([`gates`]), then the **contributions**
//! ([`contributions`]): the score is the sum of its contributions, computed
//! by one function that the explanation reads too.
//!
//! 1. **Normalise**: every signal value becomes a number in [0, 1] from its
//!    rank among the `k` candidates of its group, the whole candidate pool
//!    ([`Normalisation::Pool`]) or the candidates of the account's community
//!    when it has at least `min_size` of them ([`Normalisation::Community`]).
//!    By default ([`Scale::LogRank`]) it is `p_s(a) = 1 − ln(r) / ln(k)` for
//!    the account's rank `r = 1 + #{b : x_s(b) > x_s(a)}`, which keeps the
//!    head of heavy-tailed signals apart; [`Scale::Percentile`] gives the
//!    share of the group it beats, `#{b : x_s(b) < x_s(a)} / (k − 1)` ("beats
//!    93% of the pool"), Klout's normalisation, which saturates at the head.
//!    An account at the group minimum (usually "no evidence") gets 0
//!    whatever the ties.
//! 2. **Weigh**: each family `f` has the objective's weight `W_f`; inside a
//!    family each signal has its share `w_s` ([`crate::signals::Signal::default_weight`],
//!    or the user's override). A signal that does not vary over the pool
//!    carries no information and gets weight 0, and a family with no
//!    informative signal hands its weight to the others in proportion, so the
//!    effective weights `e_s = W_f / ΣW × w_s / Σ_{t∈f} w_t` sum to 1.
//! 3. **Combine**: `score(a) = 100 × Σ_s e_s × p_s(a)`, in 0 to 100; each term
//!    is that signal's contribution in the explanation. A campaign on tags
//!    combines **relevance first** instead ([`relevance_first`]): `score(a)
//!    = 100 × R(a) × (1 + λ·O(a)) / (1 + λ)`, `R` the relevance family's
//!    weighted mean of normalised values, `O` the other families', `λ` =
//!    [`RELEVANCE_FIRST_BLEND`] (cross-validated on Stack Exchange sites),
//!    still one term per signal so the explanation adds up.
//! 4. **Gate**: the score is 0 (every contribution 0, with a note) when the
//!    account's `trust.authenticity` is below the campaign's
//!    `authenticity_gate`, or when its relevance (the weighted mean of its
//!    relevance percentiles) is below the `relevance_floor`. The relevance
//!    floor is skipped, with a note, when no relevance signal varies (a
//!    dataset without text). Under the advocacy objective of a campaign
//!    with a brand ([`ScoreOptions::stance_gate`]), the score is also 0 for
//!    an account whose stance toward the brand is net negative
//!    (`brand.net_sentiment` < 0: it is a detractor, not an advocate), whose
//!    mean stance (`brand.sentiment`) is below `advocacy_min_stance` (0.75,
//!    chosen by cross-validation on the airline authors so that at most 10%
//!    of those kept are mostly negative for the annotators), or that never
//!    mentions the brand (no stance: it cannot outrank those who praise it).
//!
//! Properties (tested): an account at least as good as another on every
//! signal, in the same normalisation group and not gated, never scores lower
//! (monotone); the result does not depend on the number of threads.
//!
//! # Reference
//!
//! The per-signal percentile normalisation follows Klout's published scoring
//! (Rao, Spasojevic, Li, D'Souza, *Klout score: Measuring influence across
//! multiple social networks*, IEEE Big Data 2015), which combined
//! per-network features after normalising each; the log-rank scale follows
//! the observation that influence and attention are Zipf-distributed
//! (Huberman, Romero, Wu, *Social networks that matter: Twitter under the
//! microscope*, First Monday 2009), so rank orders of magnitude, not rank
//! shares, separate the accounts that matter. The family weights are the
//! campaign objective's ([`crate::objective::Objective::preset`]).

pub mod contributions;
pub mod gates;
pub mod normalise;
pub mod relevance_first;
pub mod weights;

pub use contributions::{baseline_scores, explain_baseline, explain_contextual};
pub use relevance_first::{RELEVANCE_FIRST_BLEND, RelevanceFirst};

use crate::campaign::{Campaign, Normalisation, Scale};
use crate::objective::Weights;
use crate::signals::SignalMatrix;
use ndarray::Array2;
use portevoix_core::Error;
use std::collections::BTreeMap;

/// How the contextual score is computed, beyond the campaign's weights.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreOptions {
    /// The group values are compared within: the pool or communities.
    pub normalisation: Normalisation,
    /// How values become [0, 1] inside their group.
    pub scale: Scale,
    /// Overrides of signals' shares inside their family, by signal name
    /// (0 removes a signal from the score; it stays in the reports).
    pub signal_weights: BTreeMap<String, f64>,
    /// Accounts whose `trust.authenticity` is below this score 0.
    pub authenticity_gate: f64,
    /// Accounts whose relevance percentile is below this score 0.
    pub relevance_floor: f64,
    /// The advocacy stance gate: `Some(t)` for the advocacy objective of a
    /// campaign with a brand (`t` its `advocacy_min_stance`): an account
    /// that never mentions the brand, whose stance toward it is net
    /// negative (`brand.net_sentiment` < 0), or whose mean stance
    /// (`brand.sentiment`) is below `t` scores 0. Skipped, with a note,
    /// when no candidate mentions the brand.
    pub stance_gate: Option<f64>,
    /// The relevance-first rule ([`relevance_first`]) with its blend `λ`:
    /// `Some(`[`RELEVANCE_FIRST_BLEND`]`)` for a campaign with tags, `None`
    /// (the additive blend) otherwise.
    pub relevance_first: Option<f64>,
}

impl ScoreOptions {
    /// The options a campaign sets: its normalisation, scale, per-signal
    /// weights and gates.
    pub fn of(campaign: &Campaign) -> ScoreOptions {
        ScoreOptions {
            normalisation: campaign.normalisation,
            scale: campaign.scale,
            signal_weights: campaign.signal_weights.clone(),
            authenticity_gate: campaign.authenticity_gate,
            relevance_floor: campaign.relevance_floor,
            stance_gate: (campaign.objective == crate::objective::Objective::Advocacy
                && !campaign.brand.is_empty())
            .then_some(campaign.classification.advocacy_min_stance),
            relevance_first: (!campaign.tags.is_empty()).then_some(RELEVANCE_FIRST_BLEND),
        }
    }
}

impl Default for ScoreOptions {
    fn default() -> ScoreOptions {
        ScoreOptions {
            normalisation: Normalisation::Pool,
            scale: Scale::LogRank,
            signal_weights: BTreeMap::new(),
            authenticity_gate: 0.0,
            relevance_floor: 0.0,
            stance_gate: None,
            relevance_first: None,
        }
    }
}

/// Why an account's contextual score was set to 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Gate {
    /// Authenticity below the gate.
    Authenticity {
        /// The account's authenticity.
        value: f64,
        /// The gate.
        gate: f64,
    },
    /// A campaign on tags: the account never asked or answered on them
    /// (`relevance.tag_answers` and `relevance.tag_authority` are 0).
    OffTopic,
    /// Relevance percentile below the floor.
    Relevance {
        /// The account's relevance percentile.
        value: f64,
        /// The floor.
        floor: f64,
    },
    /// Advocacy: the account never mentions the brand, its stance toward
    /// it is net negative, or its mean stance is below the threshold. In a
    /// tag campaign, an account that answered on the tags is gated only
    /// when its net or mean stance is negative (answering on a product's
    /// tags is advocacy in its community).
    Stance {
        /// Its organic brand mentions.
        mentions: f64,
        /// Its net stance (`brand.net_sentiment`).
        net: f64,
        /// Its mean stance (`brand.sentiment`).
        mean: f64,
        /// The threshold of the mean stance.
        min: f64,
    },
}

/// The scores of a candidate pool, rows in the matrix's account order.
#[derive(Debug, Clone)]
pub struct Scores {
    /// Normalised value of every signal (log-rank or percentile),
    /// `accounts × signals`.
    pub normalised: Array2<f64>,
    /// Effective weight of every signal (sum 1 over the informative ones).
    pub effective_weights: Vec<f64>,
    /// The relevance-first rule when it applies (a campaign with tags):
    /// the score is then `100 × R × (1 + λ·O) / (1 + λ)`, and a signal's
    /// weight in a row is [`contributions::weight`], not its effective
    /// weight alone.
    pub relevance_first: Option<RelevanceFirst>,
    /// Contextual score, 0 to 100.
    pub contextual: Vec<f64>,
    /// Baseline social score, 0 to 100.
    pub baseline: Vec<f64>,
    /// The gate that zeroed an account's score, if any.
    pub gates: Vec<Option<Gate>>,
    /// Relevance percentile of each account (weighted mean of its relevance
    /// signals' percentiles), `None` when no relevance signal varies.
    pub relevance: Option<Vec<f64>>,
    /// Notes on the computation (signals without variation, families
    /// redistributed, gates skipped).
    pub notes: Vec<String>,
    /// Columns of the baseline's components and their pool maxima.
    pub baseline_maxima: Vec<(usize, f64)>,
}

/// Computes the baseline and contextual scores of the pool in `matrix`.
///
/// # Arguments
///
/// - `matrix`: the signals of the candidate pool;
/// - `weights`: the campaign's family weights;
/// - `options`: normalisation, per-signal shares, gates;
/// - `communities`: the community of each row (same order as
///   `matrix.accounts`), needed by [`Normalisation::Community`].
///
/// # Returns
///
/// [`Scores`]: percentiles, effective weights, both scores, gates, notes.
///
/// # Errors
///
/// [`Error::Config`] for invalid weights or a per-signal weight that is
/// negative or not finite; [`Error::Signal`] for a per-signal weight that
/// names no signal; [`Error::Argument`] for community labels of the wrong
/// length.
///
/// # Complexity
///
/// O(s × n log n) for s signals and n candidates (one sort per signal and
/// group, in parallel over signals).
///
/// # Example
///
/// ```
/// use ndarray::array;
/// use portevoix_core::NodeId;
/// use portevoix_score::campaign::{Objective, Scale};
/// use portevoix_score::names::{Family, SignalInfo};
/// use portevoix_score::scoring::{ScoreOptions, compute};
/// use portevoix_score::signals::SignalMatrix;
///
/// let info = |name: &str, family| SignalInfo {
///     name: name.into(), family, description: String::new(), weight: 1.0,
/// };
/// let matrix = SignalMatrix {
///     accounts: vec![NodeId(0), NodeId(1), NodeId(2)],
///     signals: vec![info("reach.audience", Family::Reach), info("relevance.bm25", Family::Relevance)],
///     values: array![[10.0, 0.0], [100.0, 2.0], [1000.0, 1.0]],
///     columns: None,
/// };
/// let scores = compute(&matrix, &Objective::Awareness.preset(), &ScoreOptions::default(), None).unwrap();
/// // Reach weighs 0.40 and relevance 0.20 of the informative families: 2/3
/// // and 1/3. Row 1 is second of 3 on audience (log-rank 1 − ln 2 / ln 3)
/// // and first on BM25 (1).
/// let second = 1.0 - 2f64.ln() / 3f64.ln();
/// assert!((scores.contextual[1] - 100.0 * (2.0 / 3.0 * second + 1.0 / 3.0)).abs() < 1e-9);
/// assert_eq!(scores.contextual[0], 0.0);
///
/// // Percentiles: row 1 beats half of the others on audience.
/// let options = ScoreOptions { scale: Scale::Percentile, ..ScoreOptions::default() };
/// let scores = compute(&matrix, &Objective::Awareness.preset(), &options, None).unwrap();
/// assert!((scores.contextual[1] - 100.0 * (2.0 / 3.0 * 0.5 + 1.0 / 3.0)).abs() < 1e-9);
/// ```
pub fn compute(
    matrix: &SignalMatrix,
    weights: &Weights,
    options: &ScoreOptions,
    communities: Option<&[u32]>,
) -> Result<Scores, Error> {
    validate(matrix, weights, options, communities)?;
    let n = matrix.accounts.len();
    let s = matrix.signals.len();
    let all: Vec<usize> = (0..s).collect();
    let columns = normalise::normalise(
        matrix,
        &all,
        options.normalisation,
        communities,
        options.scale,
    );
    let mut normalised = Array2::zeros((n, s));
    for (j, col) in columns.iter().enumerate() {
        for (i, v) in col.iter().enumerate() {
            normalised[[i, j]] = *v;
        }
    }
    let effective = weights::effective(matrix, weights, &options.signal_weights);
    let relevance = gates::relevance(matrix, &effective, options, communities, &columns);
    let (gates, gate_notes) = gates::gates(matrix, options, relevance.as_deref());
    let relevance_first = options
        .relevance_first
        .and_then(|blend| RelevanceFirst::new(matrix, &effective, &normalised, blend));
    let mut notes = effective.notes;
    notes.extend(gate_notes);
    if let Some(rf) = &relevance_first {
        notes.push(format!(
            "campaign on tags: relevance first, score = 100 x R x (1 + {b} x O) / (1 + {b}), R the relevance signals' weighted mean, O the other families'",
            b = rf.blend
        ));
    }
    let baseline_maxima = contributions::baseline_maxima(matrix);
    let mut scores = Scores {
        relevance_first,
        baseline: contributions::baseline_with(matrix, &baseline_maxima),
        baseline_maxima,
        normalised,
        effective_weights: effective.weights,
        contextual: Vec::new(),
        gates,
        relevance,
        notes,
    };
    scores.contextual = contributions::contextual(&scores);
    Ok(scores)
}

/// Checks the family weights, the per-signal weights (finite, ≥ 0, naming a
/// signal of the matrix) and the community labels (one per row).
fn validate(
    matrix: &SignalMatrix,
    weights: &Weights,
    options: &ScoreOptions,
    communities: Option<&[u32]>,
) -> Result<(), Error> {
    weights.validate()?;
    let n = matrix.accounts.len();
    if let Some(c) = communities
        && c.len() != n
    {
        return Err(Error::argument(
            "communities",
            format!("{} community labels for {n} candidates", c.len()),
        ));
    }
    for (name, w) in &options.signal_weights {
        if !(w.is_finite() && *w >= 0.0) {
            return Err(Error::config(
                Some(&format!("signal_weights.{name:?}")),
                None,
                format!("weight of signal {name} is {w}; it must be finite and >= 0"),
            ));
        }
        if matrix.position(name).is_none() {
            return Err(Error::signal(
                name.clone(),
                format!("weight given for signal {name}, which is not computed"),
            ));
        }
    }
    Ok(())
}

/// Ranks (1 = best) of `scores`, ties broken by ascending `ids`.
pub fn ranks<K: Ord>(scores: &[f64], ids: &[K]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(ids[a].cmp(&ids[b])));
    let mut out = vec![0; scores.len()];
    for (r, &i) in order.iter().enumerate() {
        out[i] = r as u32 + 1;
    }
    out
}
