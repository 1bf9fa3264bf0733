//! Ambassadors and detractors, from the brand columns: each rule is one
//! function, so that a rule on calibrated stance probabilities can replace
//! it.

use super::Decision;
use super::columns::PoolColumns;
use super::fmt_count;
use crate::campaign::ClassifyOptions;
use crate::discovery::{AmbassadorKind, Tier};

/// Whether row `r` (of tier `tier`) is an ambassador, and of which kind
/// (see [`crate::classify`] for the thresholds).
pub fn ambassador(
    cols: &PoolColumns,
    r: usize,
    tier: Tier,
    options: &ClassifyOptions,
) -> Decision<Option<AmbassadorKind>> {
    let b = &cols.brand;
    let qualifies = tier != Tier::Macro
        && b.positive[r] >= options.ambassador_min_mentions
        && b.sentiment[r] >= options.ambassador_min_sentiment
        && b.positive[r] >= options.ambassador_min_positive_share * b.mentions[r]
        && cols.authenticity[r] >= options.ambassador_min_authenticity;
    if !qualifies {
        return Decision::plain(None);
    }
    let kind = if b.employee[r] > 0.0 {
        AmbassadorKind::Employee
    } else {
        AmbassadorKind::Customer
    };
    Decision::with(
        Some(kind),
        format!(
            "ambassador ({}): {} positive of {} organic brand mentions, mean brand sentiment {:+.2}, authenticity {:.2}{}",
            kind.name(),
            fmt_count(b.positive[r]),
            fmt_count(b.mentions[r]),
            b.sentiment[r],
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
    if b.negative[r] >= options.detractor_min_mentions
        && b.sentiment[r] <= options.detractor_max_sentiment
    {
        Decision::with(
            true,
            format!(
                "detractor: {} negative organic brand mentions, mean brand sentiment {:+.2}, audience {}",
                fmt_count(b.negative[r]),
                b.sentiment[r],
                fmt_count(cols.audience[r])
            ),
        )
    } else {
        Decision::plain(false)
    }
}
