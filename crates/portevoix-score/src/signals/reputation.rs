//! Reputation: what a rating platform's users say of an account, weighted
//! by how fair they are as raters, and how long the account has been
//! around. Trust signals for the data where ratings (Bitcoin OTC and Alpha,
//! Epinions, Slashdot) or times exist.
//!
//! - `trust.goodness`: the **goodness** of fairness–goodness (Kumar,
//!   Spezzano, Subrahmanian & Faloutsos, *Edge Weight Prediction in Weighted
//!   Signed Networks*, ICDM 2016) over the rating layer, ratings divided by
//!   the largest absolute rating present (the kernel's default scale):
//!   `g(v) = 1/|in(v)| · Σ_u f(u) · w(u, v)`, in `[-1, 1]`, the ratings the
//!   account received, each weighted by its rater's fairness. Unlike
//!   EigenTrust (`trust.signed_rating`), it reads the negative ratings that
//!   mark a fraudster. 0 for an account never rated; 0 for everyone without
//!   a rating layer (then it does not vary and is not weighted). Share 1.
//! - `trust.fairness`: the **fairness** `f(u) = 1 − 1/(2|out(u)|) · Σ_v |w(u,
//!   v) − g(v)|` of the same run, in `[0, 1]`: how close the account's
//!   ratings are to the consensus on whom it rated; 1 for an account that
//!   rated nobody. Share 0 by default: it judges the account as a rater, not
//!   as a counterparty, and is kept for reports and for campaigns that weigh
//!   it.
//! - `trust.tenure`: days from the account's first trace to the latest time
//!   in the data. The first trace is the earliest of its timed interactions
//!   (any layer, given or received), its timed posts and its declared
//!   creation time; the latest time is the latest timed interaction or post.
//!   0 for an account without any trace in time, and for everyone in data
//!   without times. Fraudsters on a trading platform are short-lived
//!   accounts (REV2, Kumar et al., WSDM 2018, §2, behavioural features),
//!   and long-lived accounts have a history to lose. Share 0 by default: on
//!   a crawl of a few days or weeks (the tweet exports) the first trace is
//!   when the crawl first saw the account, not its age, so the signal is
//!   weighed only by the campaigns that want it (the Bitcoin OTC campaign,
//!   whose shares were chosen by cross-validation over REV2's labels:
//!   `examples/campaigns/bitcoin-otc.toml`).
//!
//! Goodness and fairness each run the kernel (O(iterations × ratings), about
//! 30 iterations on Bitcoin OTC's 35,592 ratings: milliseconds); tenure is
//! one pass over the interactions and posts, O(m + posts).

use super::{CampaignContext, Family, Signal};
use crate::names::trust as names;
use portevoix_core::{Error, Evidence, Layer, NodeId};
use portevoix_graph::kernels::{FairnessGoodness, FairnessGoodnessOptions, fairness_goodness};
use std::sync::Arc;

/// Milliseconds in a day.
const DAY_MS: f64 = 86_400_000.0;

/// The reputation signals, in report order (after the other trust
/// signals).
pub fn signals() -> Vec<Arc<dyn Signal>> {
    vec![Arc::new(Goodness), Arc::new(Fairness), Arc::new(Tenure)]
}

/// Fairness–goodness over the rating layer, `None` without one.
fn run(ctx: &CampaignContext<'_>) -> Result<Option<FairnessGoodness>, Error> {
    let Some(g) = ctx.engine.network().layer(Layer::Rating) else {
        return Ok(None);
    };
    fairness_goodness(g, &FairnessGoodnessOptions::default())
        .map(Some)
        .map_err(|e| Error::signal(names::GOODNESS.as_str(), e.to_string()))
}

/// The raters of `account` with their ratings, strongest in absolute value
/// first (ties on id), at most `k`.
fn raters(ctx: &CampaignContext<'_>, account: NodeId, k: usize) -> Vec<Evidence> {
    let Some(g) = ctx.engine.network().layer(Layer::Rating) else {
        return Vec::new();
    };
    let (sources, weights) = g.in_neighbors(account);
    let mut rows: Vec<(u32, f64)> = sources
        .iter()
        .zip(weights)
        .map(|(&u, &w)| {
            let value = g
                .find_edge(NodeId(u), account)
                .and_then(|e| g.edge_value(e))
                .unwrap_or(w);
            (u, f64::from(value))
        })
        .collect();
    let negative = rows.iter().filter(|(_, v)| *v < 0.0).count();
    let mut out = vec![Evidence::Note {
        text: format!(
            "rated by {} accounts, {negative} of them negatively",
            rows.len()
        ),
    }];
    rows.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
    out.extend(rows.into_iter().take(k).map(|(u, v)| Evidence::Account {
        account: NodeId(u),
        label: ctx.engine.label(NodeId(u)),
        why: format!("rated it {v:+}"),
        weight: v,
    }));
    out
}

/// Fairness–goodness goodness: ratings received, weighted by their raters'
/// fairness.
pub struct Goodness;

impl Signal for Goodness {
    fn name(&self) -> &str {
        names::GOODNESS.as_str()
    }
    fn family(&self) -> Family {
        Family::Trust
    }
    fn description(&self) -> &str {
        "fairness-goodness goodness: ratings received, each weighted by its rater's fairness (-1 to 1)"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let n = ctx.engine.num_accounts();
        Ok(run(ctx)?.map_or_else(|| vec![0.0; n], |fg| fg.goodness))
    }
    /// The ratings received, strongest first.
    fn evidence(
        &self,
        ctx: &CampaignContext<'_>,
        _column: &[f64],
        account: NodeId,
        k: usize,
    ) -> Vec<Evidence> {
        raters(ctx, account, k)
    }
}

/// Fairness–goodness fairness: how close the account's ratings are to the
/// goodness of whom it rated.
pub struct Fairness;

impl Signal for Fairness {
    fn name(&self) -> &str {
        names::FAIRNESS.as_str()
    }
    fn family(&self) -> Family {
        Family::Trust
    }
    fn description(&self) -> &str {
        "fairness-goodness fairness: how close the account's ratings are to the consensus on whom it rated (0 to 1)"
    }
    fn default_weight(&self) -> f64 {
        0.0
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let n = ctx.engine.num_accounts();
        Ok(run(ctx)?.map_or_else(|| vec![1.0; n], |fg| fg.fairness))
    }
}

/// Days since the account's first trace in the data.
pub struct Tenure;

/// Every account's first trace (ms, `i64::MAX` when none) and the latest
/// time of any interaction or post (`None` without times).
fn first_traces(ctx: &CampaignContext<'_>) -> (Vec<i64>, Option<i64>) {
    let engine = ctx.engine;
    let mut first = vec![i64::MAX; engine.num_accounts()];
    let mut end: Option<i64> = None;
    let see = |account: usize, t: i64, first: &mut [i64]| {
        if let Some(slot) = first.get_mut(account) {
            *slot = (*slot).min(t);
        }
    };
    for (_, log) in engine.interactions().non_empty() {
        let Some(times) = &log.time else { continue };
        for (i, &t) in times.iter().enumerate() {
            if t == i64::MIN {
                continue;
            }
            see(log.actor[i] as usize, t, &mut first);
            see(log.target[i] as usize, t, &mut first);
            end = Some(end.map_or(t, |e| e.max(t)));
        }
    }
    for p in engine.posts() {
        if let Some(t) = p.time {
            see(p.author.index(), t.millis(), &mut first);
            end = Some(end.map_or(t.millis(), |e| e.max(t.millis())));
        }
    }
    for a in engine.accounts() {
        if let Some(t) = a.created_at {
            see(a.id.index(), t.millis(), &mut first);
        }
    }
    (first, end)
}

impl Signal for Tenure {
    fn name(&self) -> &str {
        names::TENURE.as_str()
    }
    fn family(&self) -> Family {
        Family::Trust
    }
    fn description(&self) -> &str {
        "days from the account's first trace (interaction, post or declared creation) to the latest time in the data"
    }
    fn default_weight(&self) -> f64 {
        0.0
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let (first, end) = first_traces(ctx);
        Ok(first
            .iter()
            .map(|&t| match end {
                Some(end) if t != i64::MAX => end.saturating_sub(t).max(0) as f64 / DAY_MS,
                _ => 0.0,
            })
            .collect())
    }
    /// How old the first trace is (from the column: the evidence of every
    /// reported account must not rescan the interactions).
    fn evidence(
        &self,
        _ctx: &CampaignContext<'_>,
        column: &[f64],
        account: NodeId,
        _k: usize,
    ) -> Vec<Evidence> {
        match column.get(account.index()) {
            Some(&days) if days > 0.0 => vec![Evidence::Note {
                text: format!("first trace {days:.0} days before the latest time in the data"),
            }],
            _ => Vec::new(),
        }
    }
}
