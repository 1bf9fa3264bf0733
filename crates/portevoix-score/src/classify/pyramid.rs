//! The pyramid of influence (DESIGN.md), levels 1 to 5, for every account
//! of the data (see [`crate::classify`] for the rules).

use super::fmt_count;
use crate::campaign::ClassifyOptions;
use crate::engine::Engine;
use crate::engine::behaviour::{Behaviour, CITATION_LAYERS, kind_bit};
use portevoix_core::{Layer, NodeId};
use portevoix_graph::LayerGraph;
use rayon::prelude::*;

/// The level of account `i` and the evidence of each level it reached.
/// `citations` are the citation layers present, `influencer` marks the
/// macro- and micro-influencers (dense id order), `scratch` is reused.
pub fn level(
    b: &Behaviour,
    i: usize,
    citations: &[&LayerGraph],
    influencer: &[bool],
    options: &ClassifyOptions,
    scratch: &mut Vec<u32>,
) -> (u8, Vec<String>) {
    let mut evidence = Vec::new();
    let identity = b.posts[i] > 0 || b.has_bio[i] || b.reshared[i] + b.replied[i] > 0.0;
    if !identity {
        evidence.push("level 1: no post and no bio seen; listening and following only".to_string());
        return (1, evidence);
    }
    evidence.push(format!(
        "level 2: {} posts, {}bio, re-shared or replied to {} times",
        b.posts[i],
        if b.has_bio[i] { "a " } else { "no " },
        fmt_count(b.reshared[i] + b.replied[i])
    ));
    let kinds = b.kinds_given[i].count_ones();
    let converses = b.kinds_given[i] & kind_bit(Layer::Repost) != 0
        && b.kinds_given[i] & kind_bit(Layer::Reply) != 0;
    let sharing = kinds >= options.level3_kinds
        || converses
        || b.partners_given[i] >= options.level3_partners;
    let mut level = 2;
    if sharing {
        evidence.push(format!(
            "level 3: gives {kinds} kinds of interaction to {} accounts{}",
            b.partners_given[i],
            if converses {
                ", re-shares and replies"
            } else {
                ""
            }
        ));
        level = 3;
    }
    if b.reactors[i] >= options.level4_reactors
        || b.platform_reactions[i] >= options.level4_reactions
    {
        evidence.push(format!(
            "level 4: {} distinct accounts reacted to its content, {} reactions counted by the platform on its posts",
            b.reactors[i], b.platform_reactions[i]
        ));
        level = 4;
        scratch.clear();
        for g in citations {
            scratch.extend(g.in_neighbors(NodeId(i as u32)).0);
        }
        scratch.sort_unstable();
        scratch.dedup();
        let cited = scratch
            .iter()
            .filter(|&&u| u as usize != i && influencer[u as usize])
            .count() as u32;
        if b.reactor_communities[i] >= options.level5_communities
            && cited >= options.level5_citations
        {
            evidence.push(format!(
                "level 5: reactors from {} communities, cited by {cited} macro- or micro-influencers",
                b.reactor_communities[i]
            ));
            level = 5;
        }
    }
    (level, evidence)
}

/// The level of every account of `engine`, with its evidence.
///
/// # Complexity
///
/// O(E) over the citation layers, parallel over accounts.
pub fn pyramid(
    engine: &Engine,
    behaviour: &Behaviour,
    influencer: &[bool],
    options: &ClassifyOptions,
) -> Vec<(u8, Vec<String>)> {
    let network = engine.network();
    let citations: Vec<&LayerGraph> = CITATION_LAYERS
        .iter()
        .filter_map(|l| network.layer(*l))
        .collect();
    (0..engine.num_accounts())
        .into_par_iter()
        .map_init(Vec::<u32>::new, |scratch, i| {
            level(behaviour, i, &citations, influencer, options, scratch)
        })
        .collect()
}
