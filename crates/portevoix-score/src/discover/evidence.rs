//! The evidence behind an account's contextual score: what the signals
//! say about it ([`Signal::evidence`](crate::signals::Signal::evidence)),
//! in a fixed order of the built-in signals (the posts that made it
//! relevant, the reactors behind its resonance, the neighbours that gave it
//! PageRank, its brand mentions, the authenticity cues that fired), then
//! the user's signals in matrix order.

use crate::context::CampaignContext;
use crate::names::{SignalName, brand, reach, relevance, resonance, trust};
use crate::signals::{Signal, SignalMatrix};
use portevoix_core::{Evidence, NodeId};
use std::sync::Arc;

/// The built-in signals that give evidence, in the order it is listed.
const ORDER: [SignalName; 5] = [
    relevance::BM25,
    resonance::UNIQUE_REACTORS,
    reach::AUTHENTIC_PAGERANK,
    brand::MENTIONS,
    trust::AUTHENTICITY,
];

/// The evidence of `node`, at most `k` items of each kind.
pub fn evidence(
    ctx: &CampaignContext<'_>,
    signals: &[Arc<dyn Signal>],
    matrix: &SignalMatrix,
    node: NodeId,
    k: usize,
) -> Vec<Evidence> {
    let mut order: Vec<&Arc<dyn Signal>> = ORDER
        .iter()
        .filter_map(|name| signals.iter().find(|s| *name == s.name()))
        .collect();
    order.extend(
        signals
            .iter()
            .filter(|s| !ORDER.iter().any(|name| *name == s.name())),
    );
    let mut out = Vec::new();
    for s in order {
        if let Some(column) = matrix.full_column(s.name()) {
            out.extend(s.evidence(ctx, column, node, k));
        }
    }
    out
}
