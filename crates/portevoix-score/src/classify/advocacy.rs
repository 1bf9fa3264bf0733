//! Ambassadors and detractors, from the calibrated probabilities of the
//! stance of each organic brand mention toward the brand (the brand
//! columns): each rule is one function.
//!
//! The thresholds ([`ClassifyOptions`]) were chosen by 5-fold
//! cross-validation over the authors of the shared airline tweets, judged by
//! the majority of their human-labelled United tweets (see
//! [`crate::classify`] and docs/sentiment-evaluation.md).

use super::Decision;
use super::columns::PoolColumns;
use super::fmt_count;
use crate::campaign::ClassifyOptions;
use crate::discovery::{AmbassadorKind, Tier};

/// Whether the stance columns of row `r` make an ambassador (the brand
/// rules only: no tier nor authenticity).
pub fn ambassador_stance(cols: &PoolColumns, r: usize, options: &ClassifyOptions) -> bool {
    let b = &cols.brand;
    b.mentions[r] >= options.ambassador_min_mentions
        && b.mentions[r] > 0.0
        && b.stance_positive[r] >= options.ambassador_min_positive
        && b.stance_negative[r] <= options.ambassador_max_negative
}

/// Whether row `r` is a community helper of a named brand: in a tag
/// campaign, among the top 10% of the answerers on the campaign's tags by
/// on-topic answer gain, and never negative toward the brand (no mention,
/// or a net stance ≥ 0 that is not a detractor's). In a brand community
/// (the superusers that community platforms look for), answering others'
/// questions about the product is advocacy even when the answers read as
/// neutral, as technical answers do.
pub fn community_helper(cols: &PoolColumns, r: usize, options: &ClassifyOptions) -> bool {
    let b = &cols.brand;
    cols.brand_named
        && cols.tag_answers[r] > 0.0
        && cols.tag_answers[r] >= cols.helper_cut
        && (b.mentions[r] <= 0.0
            || (b.net_sentiment[r] >= 0.0 && !detractor_stance(cols, r, options)))
}

/// Whether the stance columns of row `r` make a detractor.
pub fn detractor_stance(cols: &PoolColumns, r: usize, options: &ClassifyOptions) -> bool {
    let b = &cols.brand;
    b.mentions[r] >= options.detractor_min_mentions
        && b.mentions[r] > 0.0
        && b.stance_negative[r] >= options.detractor_min_negative
}

/// Whether row `r` (of tier `tier`) is an ambassador, and of which kind
/// (see [`crate::classify`] for the thresholds).
pub fn ambassador(
    cols: &PoolColumns,
    r: usize,
    tier: Tier,
    options: &ClassifyOptions,
) -> Decision<Option<AmbassadorKind>> {
    let b = &cols.brand;
    let eligible =
        tier != Tier::Macro && cols.authenticity[r] >= options.ambassador_min_authenticity;
    let speaks_well = eligible && ambassador_stance(cols, r, options);
    let helps = eligible && community_helper(cols, r, options);
    if !speaks_well && !helps {
        return Decision::plain(None);
    }
    let kind = if b.employee[r] > 0.0 {
        AmbassadorKind::Employee
    } else {
        AmbassadorKind::Customer
    };
    if !speaks_well {
        return Decision::with(
            Some(kind),
            format!(
                "ambassador ({}): a community helper, on-topic answer gain {:.1} (top 10% of the answerers on the campaign's tags: ≥ {:.1}), never negative toward the brand ({} organic mentions, mean P(negative) {:.2}), authenticity {:.2}",
                kind.name(),
                cols.tag_answers[r],
                cols.helper_cut,
                fmt_count(b.mentions[r]),
                b.stance_negative[r],
                cols.authenticity[r],
            ),
        );
    }
    Decision::with(
        Some(kind),
        format!(
            "ambassador ({}): {} organic brand mentions, {} positive, mean P(positive) {:.2}, mean P(negative) {:.2}, authenticity {:.2}{}",
            kind.name(),
            fmt_count(b.mentions[r]),
            fmt_count(b.positive[r]),
            b.stance_positive[r],
            b.stance_negative[r],
            cols.authenticity[r],
            if kind == AmbassadorKind::Employee {
                ", employee or collaborator (list or bio)"
            } else {
                ""
            }
        ),
    )
}

/// Whether row `r` is a detractor (see [`crate::classify`]).
pub fn detractor(cols: &PoolColumns, r: usize, options: &ClassifyOptions) -> Decision<bool> {
    let b = &cols.brand;
    if detractor_stance(cols, r, options) {
        Decision::with(
            true,
            format!(
                "detractor: {} organic brand mentions, {} negative, mean P(negative) {:.2}, audience {}",
                fmt_count(b.mentions[r]),
                fmt_count(b.negative[r]),
                b.stance_negative[r],
                fmt_count(cols.audience[r])
            ),
        )
    } else {
        Decision::plain(false)
    }
}
