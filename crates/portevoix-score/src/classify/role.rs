//! The role of a macro- or micro-influencer: the highest role score wins,
//! ties to the earlier role in [`Role::ALL`].

use super::Decision;
use super::columns::PoolColumns;
use crate::campaign::ClassifyOptions;
use crate::discovery::{Role, Tier};
use crate::engine::behaviour::Behaviour;

/// `min(1, (k − 1) / 2)`: 0 for one community, 1 from three.
fn spread(k: u32) -> f64 {
    ((k as f64 - 1.0) / 2.0).clamp(0.0, 1.0)
}

fn best_role(candidates: &[(Role, f64)]) -> Role {
    let mut best = candidates[0];
    for &c in &candidates[1..] {
        if c.1 > best.1 {
            best = c;
        }
    }
    best.0
}

fn role_scores(candidates: &[(Role, f64)]) -> String {
    candidates
        .iter()
        .map(|(role, s)| format!("{} {s:.2}", role.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The role of row `r` (account `v`) of tier `tier`; `early[v]` counts the
/// grown conversations it was early in.
pub fn role(
    cols: &PoolColumns,
    r: usize,
    v: usize,
    tier: Tier,
    behaviour: &Behaviour,
    early: &[u32],
    options: &ClassifyOptions,
) -> Decision<Option<Role>> {
    match tier {
        Tier::Macro => macro_role(cols, r, v, behaviour, early, options),
        Tier::Micro => micro_role(cols, r, v, behaviour),
        Tier::Other => Decision::plain(None),
    }
}

/// Celebrity, opinion leader, specialist or trend-spotter.
fn macro_role(
    cols: &PoolColumns,
    r: usize,
    v: usize,
    behaviour: &Behaviour,
    early: &[u32],
    options: &ClassifyOptions,
) -> Decision<Option<Role>> {
    let k = behaviour.reactor_communities[v];
    let trend = if early[v] >= options.trend_min_early {
        1.0
    } else {
        0.0
    };
    let (rel, auth) = (cols.relevance_pct[r], cols.authority_pct[r]);
    let candidates = [
        (Role::Celebrity, cols.audience_pct[r] * (1.0 - rel)),
        (Role::OpinionLeader, rel * auth * spread(k)),
        (Role::Specialist, rel * auth * (1.0 - spread(k))),
        (Role::TrendSpotter, trend),
    ];
    let best = best_role(&candidates);
    Decision::with(
        Some(best),
        format!(
            "role {}: audience pct {:.2}, relevance pct {:.2}{}, authority ({}) pct {:.2}, reactors from {k} communities, early in {} grown conversations; scores {}",
            best.name(),
            cols.audience_pct[r],
            rel,
            if cols.text_known {
                ""
            } else {
                " (no text: unknown)"
            },
            cols.authority_signal,
            auth,
            early[v],
            role_scores(&candidates)
        ),
    )
}

/// Networker, diffuser or power user.
fn micro_role(
    cols: &PoolColumns,
    r: usize,
    v: usize,
    behaviour: &Behaviour,
) -> Decision<Option<Role>> {
    let c = behaviour.partner_communities[v];
    let candidates = [
        (Role::Networker, cols.reciprocity_pct[r] * spread(c)),
        (
            Role::Diffuser,
            cols.reshares_given_pct[r] * cols.reshared_pct[r],
        ),
        (Role::PowerUser, cols.activity_pct[r] * cols.reactors_pct[r]),
    ];
    let best = best_role(&candidates);
    Decision::with(
        Some(best),
        format!(
            "role {}: reciprocity pct {:.2} with partners in {c} communities, re-shares given pct {:.2} and received pct {:.2}, activity pct {:.2}, unique reactors pct {:.2}; scores {}",
            best.name(),
            cols.reciprocity_pct[r],
            cols.reshares_given_pct[r],
            cols.reshared_pct[r],
            cols.activity_pct[r],
            cols.reactors_pct[r],
            role_scores(&candidates)
        ),
    )
}
