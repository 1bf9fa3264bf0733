//! The candidate pool of a campaign: who may be ranked.

use super::CampaignContext;
use portevoix_core::NodeId;

/// The candidate pool of a campaign (ascending id).
///
/// Accounts with at least `max(1, min_posts)` posts in scope; in data
/// without posts, accounts with at least one interaction (given or
/// received, in the window when the campaign has one). Then the audience
/// bounds, the exclusions and the brand's own accounts (unless
/// `include_brand_accounts`).
pub fn candidates(ctx: &CampaignContext<'_>) -> Vec<NodeId> {
    let engine = ctx.engine;
    let filter = &ctx.campaign.candidates;
    let n = engine.num_accounts();
    let has_posts = !engine.posts().is_empty();
    let mut active = vec![false; n];
    if has_posts {
        let mut count = vec![0u32; n];
        for (i, p) in engine.posts().iter().enumerate() {
            if ctx.post_in_scope[i] && p.author.index() < n {
                count[p.author.index()] += 1;
            }
        }
        let min = filter.min_posts.max(1);
        for (a, c) in active.iter_mut().zip(&count) {
            *a = *c >= min;
        }
    } else {
        for (_, log) in engine.interactions().non_empty() {
            for k in 0..log.len() {
                let in_window = match (ctx.campaign.window, &log.time) {
                    (Some((from, to)), Some(times)) => {
                        let t = times[k];
                        t != portevoix_core::interaction::NO_TIME && t >= from.0 && t < to.0
                    }
                    _ => true,
                };
                if in_window {
                    active[log.actor[k] as usize] = true;
                    active[log.target[k] as usize] = true;
                }
            }
        }
    }
    let (excluded, _) = engine.resolve_all(&filter.exclude);
    let audience = engine.audience();
    (0..n as u32)
        .map(NodeId)
        .filter(|&a| active[a.index()])
        .filter(|a| excluded.binary_search(a).is_err())
        .filter(|a| filter.include_brand_accounts || ctx.brand.binary_search(a).is_err())
        .filter(|a| {
            let aud = audience[a.index()];
            filter.min_followers.is_none_or(|m| aud >= m as f64)
                && filter.max_followers.is_none_or(|m| aud <= m as f64)
        })
        .collect()
}
