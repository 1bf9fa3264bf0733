//! The tier: macro, micro or other.

use super::Decision;
use super::columns::PoolColumns;
use super::fmt_count;
use crate::campaign::ClassifyOptions;
use crate::discovery::Tier;

/// Whether row `r` is a macro-influencer: audience above 0 and at least
/// `macro_floor`, and at least `macro_min_audience` when set, else in the
/// top `macro_audience_share` of the pool.
pub fn is_macro(cols: &PoolColumns, r: usize, options: &ClassifyOptions) -> bool {
    let audience = cols.audience[r];
    audience > 0.0
        && audience >= options.macro_floor
        && match options.macro_min_audience {
            Some(min) => audience >= min,
            None => audience >= cols.macro_cut,
        }
}

/// The tier of row `r` (see [`crate::classify`] for the rules).
pub fn tier(cols: &PoolColumns, r: usize, options: &ClassifyOptions) -> Decision<Tier> {
    let name = cols.audience_signal;
    if is_macro(cols, r, options) {
        let why = match options.macro_min_audience {
            Some(min) => format!(
                "macro: audience ({name}) {} ≥ {}",
                fmt_count(cols.audience[r]),
                fmt_count(min)
            ),
            None => format!(
                "macro: audience ({name}) {} is in the top {}% of the pool (≥ {})",
                fmt_count(cols.audience[r]),
                options.macro_audience_share * 100.0,
                fmt_count(cols.macro_cut)
            ),
        };
        return Decision::with(Tier::Macro, why);
    }
    let (k, size) = cols.community_rank[r];
    let top = ((size as f64 * options.micro_community_share).ceil() as usize).max(1);
    if size >= options.micro_min_community && cols.contextual[r] > 0.0 && k <= top {
        return Decision::with(
            Tier::Micro,
            format!(
                "micro: rank {k} of {size} candidates in community {} by contextual score (top {}%), audience {} below the macro threshold",
                cols.community[r],
                options.micro_community_share * 100.0,
                fmt_count(cols.audience[r])
            ),
        );
    }
    Decision::plain(Tier::Other)
}
