//! What every account does and receives, as the classification reads it:
//! measured once per engine ([`Engine::behaviour`](super::Engine::behaviour)),
//! whatever the campaign.

use super::Engine;
use portevoix_core::interaction::NO_TIME;
use portevoix_core::{Layer, NodeId};
use portevoix_graph::LayerGraph;
use rayon::prelude::*;

/// The layers whose in-edges are reactions to the target.
pub const REACTION_LAYERS: [Layer; 5] = [
    Layer::Repost,
    Layer::Quote,
    Layer::Reply,
    Layer::Like,
    Layer::Mention,
];

/// The layers whose edges are interactions for the classification: the
/// reactions, and ratings (giving one is taking part, receiving them is
/// being recognised, in trust networks such as Bitcoin OTC).
pub const INTERACTION_LAYERS: [Layer; 6] = [
    Layer::Repost,
    Layer::Quote,
    Layer::Reply,
    Layer::Like,
    Layer::Mention,
    Layer::Rating,
];

/// The layers on which receiving an edge is being cited: re-shared,
/// quoted, replied to, mentioned (likes and ratings are reactions, not
/// citations).
pub const CITATION_LAYERS: [Layer; 4] = [Layer::Repost, Layer::Quote, Layer::Reply, Layer::Mention];

/// Bit of [`Behaviour::kinds_given`] for each layer of
/// [`INTERACTION_LAYERS`], in that order (bit 0 re-share, bit 2 reply).
pub fn kind_bit(layer: Layer) -> u8 {
    INTERACTION_LAYERS
        .iter()
        .position(|&l| l == layer)
        .map_or(0, |k| 1 << k)
}

/// Behaviour of every account (dense id order).
#[derive(Debug, Clone)]
pub struct Behaviour {
    /// Posts in the data (any window).
    pub posts: Vec<u32>,
    /// Kinds of interaction given (bit per layer of [`INTERACTION_LAYERS`]:
    /// re-share, quote, reply, like, mention, rating; see [`kind_bit`]).
    pub kinds_given: Vec<u8>,
    /// Interactions given (weighted, interaction layers).
    pub given: Vec<f64>,
    /// Re-shares given.
    pub reshares_given: Vec<f64>,
    /// Re-shares and quotes received.
    pub reshared: Vec<f64>,
    /// Replies and ratings received (evidence of a public presence).
    pub replied: Vec<f64>,
    /// Distinct reactors (interaction layers).
    pub reactors: Vec<u32>,
    /// Distinct communities among reactors.
    pub reactor_communities: Vec<u32>,
    /// Distinct communities among all partners (interaction and follow
    /// layers, both directions).
    pub partner_communities: Vec<u32>,
    /// Distinct accounts it re-shared, quoted, replied to, liked, mentioned
    /// or rated.
    pub partners_given: Vec<u32>,
    /// Has a bio.
    pub has_bio: Vec<bool>,
    /// Reactions the platform counted on its posts.
    pub platform_reactions: Vec<u64>,
    /// The distinct adopters of every conversation (the timed reactions to
    /// one account, in time order) and cascade (children by delay), first
    /// adopter first: offsets into `adopter_ids`.
    adopter_offsets: Vec<usize>,
    adopter_ids: Vec<u32>,
}

/// What one account gives and receives on the interaction layers.
struct Exchanges {
    kinds_given: u8,
    given: f64,
    reshares_given: f64,
    reshared: f64,
    replied: f64,
    reactors: u32,
    reactor_communities: u32,
    partner_communities: u32,
    partners_given: u32,
}

/// The distinct values of `labels` at `ids`; empties `ids`.
fn distinct_labels(ids: &mut Vec<u32>, labels: &[u32]) -> u32 {
    let mut c: Vec<u32> = ids.iter().map(|&v| labels[v as usize]).collect();
    c.sort_unstable();
    c.dedup();
    ids.clear();
    c.len() as u32
}

/// Sorted, deduplicated neighbours of `v` over `layers` (in-neighbours when
/// `incoming`), self excluded, into `scratch`.
fn neighbours(scratch: &mut Vec<u32>, layers: &[&LayerGraph], v: NodeId, incoming: bool) {
    scratch.clear();
    for g in layers {
        let ids = if incoming {
            g.in_neighbors(v).0
        } else {
            g.out_neighbors(v).0
        };
        scratch.extend(ids.iter().filter(|&&u| u != v.0));
    }
    scratch.sort_unstable();
    scratch.dedup();
}

impl Behaviour {
    /// Measures every account of `engine` (`communities`: of every account).
    ///
    /// # Complexity
    ///
    /// O(E log E) for the conversations (a sort of the timed reactions),
    /// O(E) otherwise, parallel over accounts.
    pub fn measure(engine: &Engine, communities: &[u32]) -> Behaviour {
        let network = engine.network();
        let n = engine.num_accounts();
        let layers: Vec<(u8, &LayerGraph)> = INTERACTION_LAYERS
            .iter()
            .filter_map(|l| network.layer(*l).map(|g| (kind_bit(*l), g)))
            .collect();
        let graphs: Vec<&LayerGraph> = layers.iter().map(|(_, g)| *g).collect();
        let follow = network.layer(Layer::Follow);
        let weighted = |layer: Layer, v: NodeId, out: bool| {
            network.layer(layer).map_or(0.0, |g| {
                if out {
                    g.weighted_out_degree(v)
                } else {
                    g.weighted_in_degree(v)
                }
            })
        };
        let per: Vec<Exchanges> = (0..n)
            .into_par_iter()
            .map_init(Vec::<u32>::new, |scratch, i| {
                let v = NodeId(i as u32);
                let mut kinds_given = 0u8;
                let mut given = 0.0;
                for (bit, g) in &layers {
                    let d = g.weighted_out_degree(v);
                    if d > 0.0 {
                        kinds_given |= bit;
                        given += d;
                    }
                }
                neighbours(scratch, &graphs, v, false);
                let partners_given = scratch.len() as u32;
                neighbours(scratch, &graphs, v, true);
                let reactors = scratch.len() as u32;
                let reactor_communities = distinct_labels(scratch, communities);
                for g in &graphs {
                    scratch.extend(g.in_neighbors(v).0);
                    scratch.extend(g.out_neighbors(v).0);
                }
                if let Some(g) = follow {
                    scratch.extend(g.in_neighbors(v).0);
                    scratch.extend(g.out_neighbors(v).0);
                }
                scratch.retain(|&u| u != v.0);
                let partner_communities = distinct_labels(scratch, communities);
                Exchanges {
                    kinds_given,
                    given,
                    reshares_given: weighted(Layer::Repost, v, true),
                    reshared: weighted(Layer::Repost, v, false) + weighted(Layer::Quote, v, false),
                    replied: weighted(Layer::Reply, v, false) + weighted(Layer::Rating, v, false),
                    reactors,
                    reactor_communities,
                    partner_communities,
                    partners_given,
                }
            })
            .collect();
        let (adopter_offsets, adopter_ids) = adopters(engine);
        let column = |f: &dyn Fn(&Exchanges) -> f64| per.iter().map(f).collect();
        let count = |f: &dyn Fn(&Exchanges) -> u32| per.iter().map(f).collect();
        Behaviour {
            posts: (0..n)
                .map(|i| engine.posts_of(NodeId(i as u32)).len() as u32)
                .collect(),
            kinds_given: per.iter().map(|e| e.kinds_given).collect(),
            given: column(&|e| e.given),
            reshares_given: column(&|e| e.reshares_given),
            reshared: column(&|e| e.reshared),
            replied: column(&|e| e.replied),
            reactors: count(&|e| e.reactors),
            reactor_communities: count(&|e| e.reactor_communities),
            partner_communities: count(&|e| e.partner_communities),
            partners_given: count(&|e| e.partners_given),
            has_bio: (0..n)
                .map(|i| {
                    engine
                        .account(NodeId(i as u32))
                        .and_then(|a| a.bio.as_deref())
                        .is_some_and(|b| !b.trim().is_empty())
                })
                .collect(),
            platform_reactions: (0..n)
                .map(|i| {
                    engine
                        .posts_of(NodeId(i as u32))
                        .iter()
                        .map(|&p| portevoix_text::corpus::reactions_of(&engine.posts()[p as usize]))
                        .sum()
                })
                .collect(),
            adopter_offsets,
            adopter_ids,
        }
    }

    /// Per account, the conversations and cascades that grew to at least
    /// `min_size` distinct adopters in which it was among the first
    /// `early_share` of them (at least the first).
    ///
    /// # Complexity
    ///
    /// O(adopters).
    pub fn early_adopters(&self, early_share: f64, min_size: usize) -> Vec<u32> {
        let mut early = vec![0u32; self.posts.len()];
        for w in self.adopter_offsets.windows(2) {
            let adopters = &self.adopter_ids[w[0]..w[1]];
            if adopters.len() >= min_size.max(1) {
                let first = ((adopters.len() as f64 * early_share).ceil() as usize).max(1);
                for &a in &adopters[..first.min(adopters.len())] {
                    early[a as usize] += 1;
                }
            }
        }
        early
    }
}

/// The distinct adopters of every conversation (timed reactions to one
/// account on the re-share, quote, reply and mention layers, by time then
/// actor) and of every cascade (children by delay, then id), flattened.
fn adopters(engine: &Engine) -> (Vec<usize>, Vec<u32>) {
    let mut offsets = vec![0];
    let mut ids: Vec<u32> = Vec::new();
    let mut seen = rustc_hash::FxHashSet::default();
    let mut push = |list: &mut dyn Iterator<Item = u32>, ids: &mut Vec<u32>| {
        seen.clear();
        for a in list {
            if seen.insert(a) {
                ids.push(a);
            }
        }
        offsets.push(ids.len());
    };
    // Conversations: (target, time, actor) of every timed reaction.
    let mut rows: Vec<(u32, i64, u32)> = Vec::new();
    for layer in [Layer::Repost, Layer::Quote, Layer::Reply, Layer::Mention] {
        let log = engine.interactions().layer(layer);
        if let Some(times) = &log.time {
            for ((&a, &t), &time) in log.actor.iter().zip(&log.target).zip(times) {
                if time != NO_TIME && a != t {
                    rows.push((t, time, a));
                }
            }
        }
    }
    rows.par_sort_unstable();
    for group in rows.chunk_by(|a, b| a.0 == b.0) {
        push(&mut group.iter().map(|r| r.2), &mut ids);
    }
    // Cascades: children ordered by delay.
    for cascade in engine.cascades() {
        let mut children: Vec<(f64, u32)> = cascade
            .edges
            .iter()
            .filter(|e| Some(e.child) != cascade.root)
            .map(|e| (e.delay_minutes, e.child.0))
            .collect();
        children.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        push(&mut children.into_iter().map(|c| c.1), &mut ids);
    }
    (offsets, ids)
}
