//! Topical signals of a community: what an account contributed to the
//! campaign's tags (`Campaign::tags`: Stack Exchange tags, forum categories,
//! hashtags).
//!
//! A post is **on topic** when it carries one of the campaign's tags (its
//! tags or hashtags, compared by [`normalise_tag`]), or when it answers or
//! comments a post that is (up to two levels: a comment under an answer
//! under a tagged question). A **contribution** is an answer, or a post of
//! a stream (tweet, toot); questions and comments ask or discuss, and are
//! not counted as expertise. Posts outside the campaign's window and
//! languages are left out. The **date of the data** `now` is the end of the
//! campaign's window when it has one, else the latest post date.
//!
//! - `relevance.tag_answers`: Σ over the account's on-topic contributions of
//!   `max(score, 0) + 1 + 1·accepted`, the score being up-votes − down-votes
//!   dated before `now` (the post's `score` when the data does not date its
//!   votes), accepted when the asker accepted it before `now`: resonance of
//!   on-topic answers only (the gain of the `topical` evaluation protocol).
//! - `relevance.tag_activity`: the account's expected rate of on-topic
//!   contributions, `R(a) × ((n_t(a) + α·p_t) / (n(a) + α))^β`, with `R(a)`
//!   = Σ `0.5^(later(p) / h)` over its contributions, plus `c` times the
//!   same over its comments (recent activity; `later(p)` counts the
//!   community's contributions dated after `p`: age on the community's own
//!   clock), `n(a)` its contributions, `n_t(a)` the on-topic ones, `p_t`
//!   the on-topic share of all contributions (a Bayesian prior: an account
//!   with few contributions is assumed to follow the community's mix), and
//!   [`ACTIVITY_HALF_LIFE`] `h`, [`COMMENT_WEIGHT`] `c`, [`SHARE_PRIOR`]
//!   `α`, [`SHARE_EXPONENT`] `β` chosen by leave-one-site-out
//!   cross-validation on the four shared sites of the `topical` protocol
//!   (EVALUATION.md, `scripts/topical_cv/`). An account with no on-topic
//!   contribution gets a value from the prior alone, lower than any
//!   account of the same activity that wrote on the topic.
//! - `relevance.tag_authority`: ExpertiseRank of the topic's sub-network
//!   (Zhang, Ackerman and Adamic, *Expertise networks in online
//!   communities: structure and algorithms*, WWW 2007): PageRank (0.85)
//!   over one edge asker → answerer per pair of an on-topic answer, scaled
//!   to mean 1 over the accounts of the sub-network; 0 outside it.
//!
//! All three are 0 for every account when the campaign has no tags (so a
//! campaign without tags scores as before: a signal that does not vary
//! gets no weight).

use super::reach::PAGERANK_OPTIONS;
use super::{CampaignContext, Family, Signal};
use crate::campaign::normalise_tag;
use crate::names::relevance as names;
use portevoix_core::{Error, Evidence, LayerLog, NodeId, Post, PostKind, ReactionKind, Timestamp};
use portevoix_graph::kernels::{PageRankOptions, pagerank};
use portevoix_graph::{BuildOptions, LayerGraph};
use std::sync::Arc;

/// Half-life `h` of a post in [`TagActivity`]'s recent activity, counted
/// in the community's contributions posted after it (the community's own
/// clock: a busy site forgets in days, a quiet one in months).
pub const ACTIVITY_HALF_LIFE: f64 = 50.0;
/// Weight `c` of a comment in [`TagActivity`]'s recent activity (an answer
/// counts 1).
pub const COMMENT_WEIGHT: f64 = 0.3;
/// Weight `α` of the community's on-topic share in [`TagActivity`]'s
/// smoothed share (in contributions).
pub const SHARE_PRIOR: f64 = 32.0;
/// Exponent `β` of the smoothed share in [`TagActivity`].
pub const SHARE_EXPONENT: f64 = 0.25;
/// Share of `relevance.tag_activity` in the relevance family, against 1
/// for each other relevance signal (1, 4 and 10 measured on the four
/// shared sites: 10 best on each of them but ai, EVALUATION.md).
pub const TAG_ACTIVITY_WEIGHT: f64 = 10.0;
/// Extra gain of an accepted answer in [`TagAnswers`].
pub const ACCEPT_BONUS: f64 = 1.0;

/// The topical signals, in report order.
pub fn signals() -> Vec<Arc<dyn Signal>> {
    vec![
        Arc::new(TagAnswers),
        Arc::new(TagActivity::default()),
        Arc::new(TagAuthority),
    ]
}

/// What the three signals share: per post, whether it is on topic and
/// whether it is a contribution, and the date of the data.
pub struct TopicalView {
    /// Per post of the engine: on one of the campaign's tags.
    pub on_topic: Vec<bool>,
    /// Per post: an answer or a stream post, in the campaign's scope.
    pub contribution: Vec<bool>,
    /// The date the values are computed at.
    pub now: Option<Timestamp>,
}

impl TopicalView {
    /// The view of `ctx`'s campaign; `None` when the campaign has no tags.
    pub fn new(ctx: &CampaignContext<'_>) -> Option<TopicalView> {
        let tags = &ctx.campaign.tags;
        if tags.is_empty() {
            return None;
        }
        let posts = ctx.engine.posts();
        let carries = |p: &Post| p.topic_terms().any(|t| tags.contains(&normalise_tag(t)));
        let parent = |p: &Post| {
            p.reply_to
                .as_ref()
                .and_then(|r| ctx.engine.post_index(&r.post))
        };
        let on_topic: Vec<bool> = posts
            .iter()
            .map(|p| {
                carries(p)
                    || parent(p).is_some_and(|i| {
                        carries(&posts[i]) || parent(&posts[i]).is_some_and(|j| carries(&posts[j]))
                    })
            })
            .collect();
        let contribution = posts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                ctx.post_in_scope[i] && matches!(p.kind, PostKind::Answer | PostKind::Post)
            })
            .collect();
        let now = ctx
            .campaign
            .window
            .map(|(_, to)| to)
            .filter(|t| t.0 != i64::MAX)
            .or_else(|| posts.iter().filter_map(|p| p.time).max());
        Some(TopicalView {
            on_topic,
            contribution,
            now,
        })
    }

    /// The gain of post `i` at [`TopicalView::now`]: `max(score, 0) + 1 +`
    /// [`ACCEPT_BONUS`] if accepted.
    pub fn gain(&self, ctx: &CampaignContext<'_>, i: usize) -> f64 {
        let p = &ctx.engine.posts()[i];
        let dated = !p.reaction_history.is_empty();
        let score = match (dated, self.now) {
            (true, Some(now)) => {
                p.reactions_before(ReactionKind::Like, now) as i64
                    - p.reactions_before(ReactionKind::Dislike, now) as i64
            }
            _ => p.score.unwrap_or(0),
        };
        let accepted_by_parent = p
            .reply_to
            .as_ref()
            .and_then(|r| ctx.engine.post_index(&r.post))
            .is_some_and(|q| ctx.engine.posts()[q].accepted_reply.as_deref() == Some(&p.id));
        let accept_dated = p
            .reaction_history
            .iter()
            .any(|r| r.kind == ReactionKind::Accept);
        let accepted = accepted_by_parent
            && (!accept_dated
                || self
                    .now
                    .is_none_or(|now| p.reactions_before(ReactionKind::Accept, now) > 0));
        score.max(0) as f64 + 1.0 + if accepted { ACCEPT_BONUS } else { 0.0 }
    }
}

/// `relevance.tag_answers`: the gains of the on-topic contributions.
pub struct TagAnswers;

impl Signal for TagAnswers {
    fn name(&self) -> &str {
        names::TAG_ANSWERS.as_str()
    }
    fn family(&self) -> Family {
        Family::Relevance
    }
    fn description(&self) -> &str {
        "on-topic answers (posts on the campaign's tags), each max(score, 0) + 1, + 1 if accepted"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let n = ctx.engine.num_accounts();
        let mut out = vec![0.0; n];
        let Some(view) = TopicalView::new(ctx) else {
            return Ok(out);
        };
        for (i, p) in ctx.engine.posts().iter().enumerate() {
            if view.contribution[i] && view.on_topic[i] {
                out[p.author.index()] += view.gain(ctx, i);
            }
        }
        Ok(out)
    }
    /// The account's best on-topic answers.
    fn evidence(
        &self,
        ctx: &CampaignContext<'_>,
        _column: &[f64],
        account: NodeId,
        k: usize,
    ) -> Vec<Evidence> {
        let Some(view) = TopicalView::new(ctx) else {
            return Vec::new();
        };
        let posts = ctx.engine.posts();
        let mut mine: Vec<(f64, usize)> = ctx
            .engine
            .posts_of(account)
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| view.contribution[i] && view.on_topic[i])
            .map(|i| (view.gain(ctx, i), i))
            .collect();
        mine.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        mine.into_iter()
            .take(k)
            .map(|(g, i)| Evidence::Post {
                post: posts[i].id.clone(),
                why: format!("on-topic {} (gain {g})", posts[i].kind.as_str()),
                weight: g,
            })
            .collect()
    }
}

/// `relevance.tag_activity`: recent activity times the smoothed on-topic
/// share (formula in the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TagActivity {
    /// `h`, in contributions of the community.
    pub half_life: f64,
    /// `c`, the weight of a comment in the recent activity.
    pub comment_weight: f64,
    /// `α`.
    pub prior: f64,
    /// `β`.
    pub exponent: f64,
}

impl Default for TagActivity {
    fn default() -> Self {
        TagActivity {
            half_life: ACTIVITY_HALF_LIFE,
            comment_weight: COMMENT_WEIGHT,
            prior: SHARE_PRIOR,
            exponent: SHARE_EXPONENT,
        }
    }
}

impl TagActivity {
    /// The values from a view (one per account).
    ///
    /// # Complexity
    ///
    /// O(P log P) for P posts.
    pub fn values(&self, ctx: &CampaignContext<'_>, view: &TopicalView) -> Vec<f64> {
        let n = ctx.engine.num_accounts();
        let posts = ctx.engine.posts();
        // The community's clock: contributions dated before `now`, sorted.
        let mut clock: Vec<i64> = posts
            .iter()
            .enumerate()
            .filter(|&(i, _)| view.contribution[i])
            .filter_map(|(_, p)| p.time.map(|t| t.0))
            .collect();
        clock.sort_unstable();
        let decay = |t: Option<Timestamp>| match t {
            Some(t) => {
                let later = clock.len() - clock.partition_point(|&c| c <= t.0);
                0.5f64.powf(later as f64 / self.half_life)
            }
            None => 0.0,
        };
        let mut recent = vec![0.0; n];
        let mut all = vec![0.0; n];
        let mut on = vec![0.0; n];
        let (mut total, mut total_on) = (0.0, 0.0);
        for (i, p) in posts.iter().enumerate() {
            let a = p.author.index();
            if p.kind == PostKind::Comment && ctx.post_in_scope[i] {
                recent[a] += self.comment_weight * decay(p.time);
            }
            if !view.contribution[i] {
                continue;
            }
            recent[a] += decay(p.time);
            all[a] += 1.0;
            total += 1.0;
            if view.on_topic[i] {
                on[a] += 1.0;
                total_on += 1.0;
            }
        }
        if total_on == 0.0 {
            return vec![0.0; n];
        }
        let share = total_on / total;
        (0..n)
            .map(|a| {
                recent[a]
                    * ((on[a] + self.prior * share) / (all[a] + self.prior)).powf(self.exponent)
            })
            .collect()
    }
}

impl Signal for TagActivity {
    fn name(&self) -> &str {
        names::TAG_ACTIVITY.as_str()
    }
    /// [`TAG_ACTIVITY_WEIGHT`]: the one topical signal that predicts the
    /// topic's future answers best (EVALUATION.md, `topical`).
    fn default_weight(&self) -> f64 {
        TAG_ACTIVITY_WEIGHT
    }
    fn family(&self) -> Family {
        Family::Relevance
    }
    fn description(&self) -> &str {
        "expected on-topic answers: recent answers and comments (half-life 50 community answers) x smoothed on-topic share^0.25"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        Ok(match TopicalView::new(ctx) {
            Some(view) => self.values(ctx, &view),
            None => vec![0.0; ctx.engine.num_accounts()],
        })
    }
}

/// `relevance.tag_authority`: ExpertiseRank of the topic's sub-network.
pub struct TagAuthority;

impl Signal for TagAuthority {
    fn name(&self) -> &str {
        names::TAG_AUTHORITY.as_str()
    }
    fn family(&self) -> Family {
        Family::Relevance
    }
    fn description(&self) -> &str {
        "ExpertiseRank of the tags' sub-network: PageRank over asker -> answerer of on-topic answers, mean 1 over it"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let n = ctx.engine.num_accounts();
        let Some(view) = TopicalView::new(ctx) else {
            return Ok(vec![0.0; n]);
        };
        let posts = ctx.engine.posts();
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for (i, p) in posts.iter().enumerate() {
            if !(view.contribution[i] && view.on_topic[i]) {
                continue;
            }
            let Some(asker) = p.reply_to.as_ref().and_then(|r| {
                r.author
                    .or_else(|| Some(posts[ctx.engine.post_index(&r.post)?].author))
            }) else {
                continue;
            };
            if asker != p.author {
                pairs.push((asker.0, p.author.0));
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        if pairs.is_empty() {
            return Ok(vec![0.0; n]);
        }
        let mut log = LayerLog::default();
        let mut member = vec![false; n];
        for &(s, t) in &pairs {
            log.push(NodeId(s), NodeId(t), 1.0, None, None, None);
            member[s as usize] = true;
            member[t as usize] = true;
        }
        let graph = LayerGraph::build(&log, n, &BuildOptions::default())?;
        let options = PageRankOptions {
            weighted: false,
            ..PAGERANK_OPTIONS
        };
        let scores = pagerank(&graph, &options, None)?.scores;
        let members = member.iter().filter(|&&m| m).count() as f64;
        let mass: f64 = (0..n).filter(|&i| member[i]).map(|i| scores[i]).sum();
        Ok((0..n)
            .map(|i| {
                if member[i] && mass > 0.0 {
                    scores[i] * members / mass
                } else {
                    0.0
                }
            })
            .collect())
    }
}
