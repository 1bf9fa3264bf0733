//! Ambassadors and detractors against people's judgement: the thresholds
//! of the classification rules ([`ClassifyOptions`]) chosen by k-fold
//! cross-validation over the authors of the airline tweets, never by one
//! pass over them.
//!
//! Each author who writes at least one organic mention of the campaign's
//! brand and at least one tweet the annotators labelled about that brand
//! (column `airline`) is judged by the majority of those labels (a tie is
//! no majority: such an author is never "mostly positive" nor "mostly
//! negative"). Its stance columns are the ones the classification reads:
//! the number of organic brand mentions, the mean P(positive) and mean
//! P(negative) toward the brand ([`stance_of_authors`]).
//!
//! [`cross_validate`] splits the authors into `k` seeded folds; on the
//! other folds it picks, from a fixed grid:
//!
//! - the ambassador rule (minimum mentions, minimum mean P(positive),
//!   maximum mean P(negative)) with the most mostly-positive authors
//!   caught among those whose precision is at least
//!   [`AMBASSADOR_TRAIN_PRECISION`];
//! - the detractor rule (minimum mentions, minimum mean P(negative)) with
//!   the highest recall of the mostly-negative authors among those whose
//!   precision is at least [`DETRACTOR_TRAIN_PRECISION`];
//!
//! - the advocacy threshold: the smallest mean stance (P(positive) −
//!   P(negative)) whose kept authors are at most
//!   [`ADVOCACY_TRAIN_NEGATIVE_SHARE`] mostly negative;
//!
//! (ties go to the stricter rule), applies them to the held-out fold, and
//! pools the held-out decisions into precision and recall. The values
//! shipped as defaults are the per-parameter medians of the folds' choices.

use portevoix_core::{Error, Location, NodeId};
use portevoix_ingest::Input;
use portevoix_score::campaign::ClassifyOptions;
use portevoix_score::signals::CampaignContext;
use portevoix_score::signals::brand::brand_mentions;
use portevoix_text::sentiment::model::Class;
use std::collections::BTreeMap;
use std::path::Path;

/// Minimum precision of an ambassador rule on the training folds (the
/// target on held-out authors is 0.70; the margin absorbs the fold noise).
pub const AMBASSADOR_TRAIN_PRECISION: f64 = 0.80;

/// Minimum precision of a detractor rule on the training folds (target 0.85).
pub const DETRACTOR_TRAIN_PRECISION: f64 = 0.90;

/// One judged author.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorStance {
    /// The account.
    pub account: NodeId,
    /// Organic brand mentions.
    pub mentions: f64,
    /// Mean P(positive toward the brand) of its mentions.
    pub positive: f64,
    /// Mean P(negative toward the brand) of its mentions.
    pub negative: f64,
    /// The majority of its labelled tweets about the brand (`None` on a tie).
    pub gold: Option<Class>,
}

/// The labels of the airline tweets (`tweet_id`, `airline_sentiment`,
/// `airline` columns) whose airline is `airline`, by tweet id.
///
/// # Errors
/// A file that cannot be read or lacks a column (file and line).
pub fn labels_about(path: &Path, airline: &str) -> Result<BTreeMap<String, Class>, Error> {
    let name = path.display().to_string();
    let bytes = Input::open(path)?.read_all()?;
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let bad = |e: csv::Error| {
        let line = e.position().map_or(1, |p| p.line());
        Error::input(Location::line(name.clone(), line), e.to_string())
    };
    let headers = reader.headers().map_err(bad)?.clone();
    let col = |c: &str| {
        headers
            .iter()
            .position(|h| h == c)
            .ok_or_else(|| Error::input(Location::line(name.clone(), 1), format!("no column {c}")))
    };
    let (id, label, about) = (col("tweet_id")?, col("airline_sentiment")?, col("airline")?);
    let mut out = BTreeMap::new();
    for record in reader.records() {
        let record = record.map_err(bad)?;
        if record.get(about) != Some(airline) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line());
        let class = Class::parse(record.get(label).unwrap_or("")).ok_or_else(|| {
            Error::input(
                Location::line(name.clone(), line),
                format!("unknown label {:?}", record.get(label).unwrap_or("")),
            )
        })?;
        out.insert(record.get(id).unwrap_or("").to_string(), class);
    }
    Ok(out)
}

/// The judged authors of `ctx` (see the [module](self) docs), by account.
pub fn stance_of_authors(
    ctx: &CampaignContext<'_>,
    labels: &BTreeMap<String, Class>,
) -> Vec<AuthorStance> {
    let posts = ctx.engine.posts();
    let mut votes: BTreeMap<NodeId, [usize; 3]> = BTreeMap::new();
    for p in posts {
        if let Some(c) = labels.get(&p.id) {
            votes.entry(p.author).or_default()[c.index()] += 1;
        }
    }
    votes
        .into_iter()
        .filter_map(|(account, v)| {
            let m = brand_mentions(ctx, account);
            if m.is_empty() {
                return None;
            }
            let n = m.len() as f64;
            let best = *v.iter().max().unwrap_or(&0);
            let gold = if v.iter().filter(|&&x| x == best).count() == 1 {
                Class::from_index(v.iter().position(|&x| x == best).unwrap_or(1))
            } else {
                None
            };
            Some(AuthorStance {
                account,
                mentions: n,
                positive: m.iter().map(|x| x.stance.positive).sum::<f64>() / n,
                negative: m.iter().map(|x| x.stance.negative).sum::<f64>() / n,
                gold,
            })
        })
        .collect()
}

/// An ambassador rule: (minimum mentions, minimum mean P(positive), maximum mean P(negative)).
pub type AmbassadorRule = (f64, f64, f64);
/// A detractor rule: (minimum mentions, minimum mean P(negative)).
pub type DetractorRule = (f64, f64);

/// Whether `a` is an ambassador under `rule`.
pub fn is_ambassador(a: &AuthorStance, rule: AmbassadorRule) -> bool {
    a.mentions >= rule.0 && a.positive >= rule.1 && a.negative <= rule.2
}

/// Whether `a` is a detractor under `rule`.
pub fn is_detractor(a: &AuthorStance, rule: DetractorRule) -> bool {
    a.mentions >= rule.0 && a.negative >= rule.1
}

fn grid(from: f64, to: f64, step: f64) -> Vec<f64> {
    let n = ((to - from) / step).round() as usize;
    (0..=n)
        .map(|i| ((from + i as f64 * step) * 100.0).round() / 100.0)
        .collect()
}

/// The ambassador rules searched.
pub fn ambassador_grid() -> Vec<AmbassadorRule> {
    let mut out = Vec::new();
    for m in [1.0, 2.0] {
        for p in grid(0.4, 0.9, 0.05) {
            for n in [0.05, 0.1, 0.15, 0.2, 0.3, 1.0] {
                out.push((m, p, n));
            }
        }
    }
    out
}

/// The detractor rules searched.
pub fn detractor_grid() -> Vec<DetractorRule> {
    let mut out = Vec::new();
    for m in [1.0, 2.0] {
        for t in grid(0.4, 0.95, 0.05) {
            out.push((m, t));
        }
    }
    out
}

/// Precision and recall with their counts.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Counts {
    /// Flagged authors.
    pub flagged: usize,
    /// Flagged and of the wanted majority.
    pub correct: usize,
    /// Authors of the wanted majority.
    pub relevant: usize,
}

impl Counts {
    /// correct / flagged (NaN when none is flagged).
    pub fn precision(&self) -> f64 {
        self.correct as f64 / self.flagged as f64
    }
    /// correct / relevant.
    pub fn recall(&self) -> f64 {
        self.correct as f64 / self.relevant as f64
    }
}

/// The counts of `flag` on `authors` for majority `want`.
pub fn counts(
    authors: &[&AuthorStance],
    want: Class,
    flag: impl Fn(&AuthorStance) -> bool,
) -> Counts {
    let mut c = Counts::default();
    for a in authors {
        let relevant = a.gold == Some(want);
        c.relevant += usize::from(relevant);
        if flag(a) {
            c.flagged += 1;
            c.correct += usize::from(relevant);
        }
    }
    c
}

/// The best ambassador rule on `train` (see the [module](self) docs).
pub fn choose_ambassador(train: &[&AuthorStance]) -> AmbassadorRule {
    let mut best: Option<(usize, AmbassadorRule)> = None;
    for rule in ambassador_grid() {
        let c = counts(train, Class::Positive, |a| is_ambassador(a, rule));
        if c.flagged == 0 || c.precision() < AMBASSADOR_TRAIN_PRECISION {
            continue;
        }
        // Ties: the stricter rule (later in the grid is not always
        // stricter, so compare explicitly).
        let stricter = |b: &AmbassadorRule| (rule.0, rule.1, -rule.2) > (b.0, b.1, -b.2);
        if best
            .as_ref()
            .is_none_or(|(tp, b)| c.correct > *tp || (c.correct == *tp && stricter(b)))
        {
            best = Some((c.correct, rule));
        }
    }
    best.map_or((2.0, 0.9, 0.05), |b| b.1)
}

/// The best detractor rule on `train`.
pub fn choose_detractor(train: &[&AuthorStance]) -> DetractorRule {
    let mut best: Option<(usize, DetractorRule)> = None;
    for rule in detractor_grid() {
        let c = counts(train, Class::Negative, |a| is_detractor(a, rule));
        if c.flagged == 0 || c.precision() < DETRACTOR_TRAIN_PRECISION {
            continue;
        }
        let stricter = |b: &DetractorRule| (rule.0, rule.1) > (b.0, b.1);
        if best
            .as_ref()
            .is_none_or(|(tp, b)| c.correct > *tp || (c.correct == *tp && stricter(b)))
        {
            best = Some((c.correct, rule));
        }
    }
    best.map_or((2.0, 0.95), |b| b.1)
}

/// Largest share of mostly-negative authors among those the advocacy gate
/// keeps, on the training folds.
pub const ADVOCACY_TRAIN_NEGATIVE_SHARE: f64 = 0.10;

/// The advocacy thresholds searched (minimum mean stance, P(positive) −
/// P(negative), of an account's brand mentions).
pub fn advocacy_grid() -> Vec<f64> {
    grid(0.0, 0.9, 0.05)
}

/// The smallest advocacy threshold whose kept authors on `train` are at
/// most [`ADVOCACY_TRAIN_NEGATIVE_SHARE`] mostly negative (the largest of
/// the grid when none is).
pub fn choose_advocacy(train: &[&AuthorStance]) -> f64 {
    let grid = advocacy_grid();
    for &t in &grid {
        let c = counts(train, Class::Negative, |a| a.positive - a.negative >= t);
        if c.flagged > 0 && (c.correct as f64) <= ADVOCACY_TRAIN_NEGATIVE_SHARE * c.flagged as f64 {
            return t;
        }
    }
    grid[grid.len() - 1]
}

/// The outcome of [`cross_validate`].
#[derive(Debug, Clone, PartialEq)]
pub struct ClassesCv {
    /// Judged authors, and of them mostly positive, mostly negative.
    pub authors: (usize, usize, usize),
    /// Per fold: the ambassador and detractor rules chosen on the other folds.
    pub chosen: Vec<(AmbassadorRule, DetractorRule)>,
    /// Held-out ambassadors, pooled over the folds.
    pub ambassadors: Counts,
    /// Held-out detractors, pooled.
    pub detractors: Counts,
    /// The per-parameter medians of the folds' choices.
    pub median: (AmbassadorRule, DetractorRule),
    /// Per fold: the advocacy threshold chosen on the other folds.
    pub advocacy_chosen: Vec<f64>,
    /// Held-out authors kept by the advocacy gate; `correct` counts the
    /// mostly negative ones among them.
    pub advocacy_kept: Counts,
    /// The median of the folds' advocacy thresholds.
    pub advocacy_median: f64,
}

fn median_of(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// `k`-fold cross-validation of the rules' thresholds over `authors`
/// (folds by a seeded hash of the account, so the same for any order).
///
/// # Complexity
/// O(k × grid × authors).
pub fn cross_validate(authors: &[AuthorStance], k: usize, seed: u64) -> ClassesCv {
    let k = k.max(2);
    let fold = |a: &AuthorStance| {
        let mut x = (a.account.0 as u64) ^ seed;
        x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((x ^ (x >> 31)) % k as u64) as usize
    };
    let mut chosen = Vec::new();
    let mut advocacy_chosen = Vec::new();
    let (mut amb, mut det, mut adv) = (Counts::default(), Counts::default(), Counts::default());
    for f in 0..k {
        let train: Vec<&AuthorStance> = authors.iter().filter(|a| fold(a) != f).collect();
        let test: Vec<&AuthorStance> = authors.iter().filter(|a| fold(a) == f).collect();
        let (ra, rd) = (choose_ambassador(&train), choose_detractor(&train));
        let ca = counts(&test, Class::Positive, |a| is_ambassador(a, ra));
        let cd = counts(&test, Class::Negative, |a| is_detractor(a, rd));
        let t = choose_advocacy(&train);
        let cv = counts(&test, Class::Negative, |a| a.positive - a.negative >= t);
        advocacy_chosen.push(t);
        for (total, c) in [(&mut amb, ca), (&mut det, cd), (&mut adv, cv)] {
            total.flagged += c.flagged;
            total.correct += c.correct;
            total.relevant += c.relevant;
        }
        chosen.push((ra, rd));
    }
    let pick = |g: &dyn Fn(&(AmbassadorRule, DetractorRule)) -> f64| {
        median_of(chosen.iter().map(g).collect())
    };
    let median = (
        (pick(&|c| c.0.0), pick(&|c| c.0.1), pick(&|c| c.0.2)),
        (pick(&|c| c.1.0), pick(&|c| c.1.1)),
    );
    let of = |c: Class| authors.iter().filter(|a| a.gold == Some(c)).count();
    ClassesCv {
        authors: (authors.len(), of(Class::Positive), of(Class::Negative)),
        chosen,
        ambassadors: amb,
        detractors: det,
        median,
        advocacy_median: median_of(advocacy_chosen.clone()),
        advocacy_chosen,
        advocacy_kept: adv,
    }
}

/// The classification options with the ambassador and detractor thresholds
/// of `rules` and the advocacy threshold `advocacy` (the others unchanged).
pub fn with_rules(
    options: &ClassifyOptions,
    (a, d): (AmbassadorRule, DetractorRule),
    advocacy: f64,
) -> ClassifyOptions {
    ClassifyOptions {
        advocacy_min_stance: advocacy,
        ambassador_min_mentions: a.0,
        ambassador_min_positive: a.1,
        ambassador_max_negative: a.2,
        detractor_min_mentions: d.0,
        detractor_min_negative: d.1,
        ..options.clone()
    }
}
