//! A hand-built, realistic [`Discovery`] for examples, documentation and
//! tests of report readers: 40 candidates of an e-bike campaign spanning
//! every tier, role, ambassador kind, detractors and every pyramid level,
//! with explanations whose contributions add up to the scores.
//!
//! The numbers are made up (from a fixed pseudo-random sequence), not
//! computed by the scoring stage; only their shape is realistic.

use portevoix_core::{Contribution, Evidence, Explanation, NodeId};
use portevoix_score::discovery::{
    AmbassadorKind, ClassCounts, DiscoveredAccount, Discovery, Role, Tier,
};
use portevoix_score::signals::{Family, SignalInfo};
use std::collections::BTreeMap;

/// Number of candidates in [`example_discovery`].
pub const EXAMPLE_ACCOUNTS: usize = 40;

const HANDLES: [&str; 40] = [
    "@velo_paris",
    "@lea_rides",
    "@greencommute",
    "@marc.cycle",
    "@ebike_lab",
    "@sophie_m",
    "@urbanwheels",
    "@tourdefrance_fan",
    "@k_dupont",
    "@o'neil&co",
    "@bikefix",
    "@climat_info",
    "@julien_b",
    "@pedalpower",
    "@ville_douce",
    "@nina.outdoor",
    "@tech_review",
    "@cargo_family",
    "@sam_k",
    "@mobilite21",
    "@velotaf",
    "@anne_c",
    "@roadie42",
    "@batterie_news",
    "@lucas_v",
    "@gravel_life",
    "@eco_mag",
    "@chloe.r",
    "@commuter_joe",
    "@fixie_club",
    "@paul_l",
    "@vert_urbain",
    "@ride_daily",
    "@emma_g",
    "@velib_watch",
    "@trail_mix",
    "@hugo_p",
    "@cyclo_tours",
    "@ines_d",
    "@bike_deals",
];

/// A deterministic pseudo-random number in `[0, 1)` (SplitMix64).
fn unit(seed: u64) -> f64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// Percentile of each value within `values` (0 = lowest, 1 = highest; ties
/// share the lower rank).
fn percentiles(values: &[f64]) -> Vec<f64> {
    let n = values.len();
    values
        .iter()
        .map(|v| {
            let below = values.iter().filter(|w| *w < v).count();
            below as f64 / (n - 1).max(1) as f64
        })
        .collect()
}

fn explain(
    names: &[&str],
    raw: &[f64],
    normalised: &[f64],
    weights: &[f64],
    evidence: Vec<Evidence>,
) -> Explanation {
    let contributions: Vec<Contribution> = names
        .iter()
        .enumerate()
        .map(|(k, name)| Contribution {
            signal: name.to_string(),
            raw: raw[k],
            normalised: normalised[k],
            weight: weights[k],
            contribution: 100.0 * weights[k] * normalised[k],
        })
        .collect();
    let score = contributions.iter().map(|c| c.contribution).sum();
    Explanation {
        score,
        contributions,
        evidence,
    }
}

/// Ranks (1 = best) by descending score, ties broken by id.
fn ranks(scores: &[f64], ids: &[String]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(ids[a].cmp(&ids[b])));
    let mut r = vec![0u32; scores.len()];
    for (pos, &i) in order.iter().enumerate() {
        r[i] = pos as u32 + 1;
    }
    r
}

/// A realistic discovery of 40 candidates (see the module documentation).
///
/// Classes: 6 macro-influencers (every macro role), 14 micro-influencers
/// (every micro role), 20 others; employee and customer ambassadors;
/// detractors; 4, 6, 10, 8 and 12 accounts on pyramid levels 5 to 1.
pub fn example_discovery() -> Discovery {
    let n = EXAMPLE_ACCOUNTS;
    let infos = [
        (
            "reach.audience",
            Family::Reach,
            "Followers, declared or counted.",
            0.5,
        ),
        (
            "reach.pagerank",
            Family::Reach,
            "Weighted PageRank over endorsement layers.",
            0.5,
        ),
        (
            "resonance.unique_reactors",
            Family::Resonance,
            "Distinct accounts reacting to the posts.",
            1.0,
        ),
        (
            "relevance.bm25",
            Family::Relevance,
            "BM25 of posts and bio against the topic.",
            1.0,
        ),
        (
            "trust.reciprocity",
            Family::Trust,
            "Share of ties returned over time.",
            1.0,
        ),
        (
            "brand_affinity.mentions",
            Family::BrandAffinity,
            "Organic mentions of the brand.",
            1.0,
        ),
    ];
    let names: Vec<&str> = infos.iter().map(|i| i.0).collect();
    let weights = [0.12, 0.13, 0.25, 0.3, 0.1, 0.1];
    let ids: Vec<String> = (0..n)
        .map(|i| format!("{}", 1_204_000_117 + 7919 * i as u64))
        .collect();

    // Raw signals: column-major, one Vec per signal.
    let mut raw: Vec<Vec<f64>> = vec![Vec::with_capacity(n); names.len()];
    for i in 0..n {
        let u = |k: u64| unit(i as u64 * 131 + k);
        let audience = (10f64.powf(1.5 + 4.5 * u(1))).round();
        raw[0].push(audience);
        raw[1].push(1e-5 * (1.0 + 40.0 * u(2) * u(1)));
        raw[2].push((300.0 * u(3) * u(3)).round());
        raw[3].push(25.0 * u(4));
        raw[4].push(u(5));
        raw[5].push((12.0 * u(6) * u(6)).round());
    }
    let norm: Vec<Vec<f64>> = raw.iter().map(|c| percentiles(c)).collect();

    // Baseline: audience, PageRank and raw reactions.
    let base_names = [
        "reach.audience",
        "reach.pagerank",
        "resonance.unique_reactors",
    ];
    let base_weights = [0.5, 0.3, 0.2];

    let mut explanations = Vec::with_capacity(n);
    let mut baselines = Vec::with_capacity(n);
    for i in 0..n {
        let r: Vec<f64> = raw.iter().map(|c| c[i]).collect();
        let z: Vec<f64> = norm.iter().map(|c| c[i]).collect();
        let evidence = vec![
            Evidence::Post {
                post: format!("17{:08}", 4_411 * (i + 3)),
                why: "matched: vélo électrique, autonomie; 42 reactions".to_string(),
                weight: 3.2 * z[3] + 0.1,
            },
            Evidence::Account {
                account: NodeId(((i + 7) % n) as u32),
                label: HANDLES[(i + 7) % n].to_string(),
                why: "re-shares their posts".to_string(),
                weight: 0.4 * z[1] + 0.05,
            },
            Evidence::Note {
                text: "authenticity gate passed".to_string(),
            },
        ];
        explanations.push(explain(&names, &r, &z, &weights, evidence));
        let br = [r[0], r[1], r[2]];
        let bz = [z[0], z[1], z[2]];
        baselines.push(explain(&base_names, &br, &bz, &base_weights, Vec::new()));
    }
    let scores: Vec<f64> = explanations.iter().map(|e| e.score).collect();
    let base_scores: Vec<f64> = baselines.iter().map(|e| e.score).collect();
    let rank = ranks(&scores, &ids);
    let base_rank = ranks(&base_scores, &ids);

    // Tiers by audience: 6 macro, then 14 micro (by contextual score), the
    // rest other.
    let audience_rank = ranks(&raw[0], &ids);
    let mut tier = vec![Tier::Other; n];
    for i in 0..n {
        if audience_rank[i] <= 6 {
            tier[i] = Tier::Macro;
        }
    }
    let mut by_rank: Vec<usize> = (0..n).collect();
    by_rank.sort_by_key(|&i| rank[i]);
    let micro: Vec<usize> = by_rank
        .iter()
        .copied()
        .filter(|&i| tier[i] != Tier::Macro)
        .take(14)
        .collect();
    for &i in &micro {
        tier[i] = Tier::Micro;
    }
    let macros: Vec<usize> = by_rank
        .iter()
        .copied()
        .filter(|&i| tier[i] == Tier::Macro)
        .collect();
    let others: Vec<usize> = by_rank
        .iter()
        .copied()
        .filter(|&i| tier[i] == Tier::Other)
        .collect();

    let mut role = vec![None; n];
    let mut level = vec![1u8; n];
    let mut ambassador = vec![None; n];
    let mut detractor = vec![false; n];
    let mut class_ev: Vec<Vec<String>> = vec![Vec::new(); n];
    let mut pyr_ev: Vec<Vec<String>> = vec![Vec::new(); n];
    let macro_roles = [
        Role::Celebrity,
        Role::OpinionLeader,
        Role::Specialist,
        Role::TrendSpotter,
    ];
    let micro_roles = [Role::Networker, Role::Diffuser, Role::PowerUser];
    for (k, &i) in macros.iter().enumerate() {
        role[i] = Some(macro_roles[k % 4]);
        level[i] = if k < 4 { 5 } else { 4 };
        class_ev[i].push(format!(
            "tier macro: audience {} is in the top 6 of the pool",
            raw[0][i]
        ));
    }
    for (k, &i) in micro.iter().enumerate() {
        role[i] = Some(micro_roles[k % 3]);
        level[i] = if k < 4 { 4 } else { 3 };
        class_ev[i].push(format!(
            "tier micro: contextual rank {} inside community, audience below the macro threshold",
            rank[i]
        ));
        match k % 5 {
            1 => ambassador[i] = Some(AmbassadorKind::Employee),
            2 | 3 => ambassador[i] = Some(AmbassadorKind::Customer),
            _ => {}
        }
        if k == 9 {
            detractor[i] = true;
        }
    }
    for (k, &i) in others.iter().enumerate() {
        level[i] = if k < 8 { 2 } else { 1 };
        class_ev[i].push("tier other: neither macro nor micro".to_string());
        if k == 3 || k == 15 {
            detractor[i] = true;
        }
        if k == 5 {
            ambassador[i] = Some(AmbassadorKind::Customer);
        }
    }
    for i in 0..n {
        if let Some(r) = role[i] {
            class_ev[i].push(format!("role {}: strongest role signal", r.name()));
        }
        if let Some(a) = ambassador[i] {
            class_ev[i].push(format!(
                "ambassador {}: {} positive brand mentions",
                a.name(),
                raw[5][i] + 2.0
            ));
        }
        if detractor[i] {
            class_ev[i].push("detractor: 4 negative brand mentions in 3 weeks".to_string());
        }
        pyr_ev[i].push(format!(
            "level {}: {}",
            level[i],
            crate::discover::pyramid_level_name(level[i])
        ));
    }

    let mut accounts: Vec<DiscoveredAccount> = (0..n)
        .map(|i| DiscoveredAccount {
            id: ids[i].clone(),
            handle: if i % 9 == 4 {
                None
            } else {
                Some(HANDLES[i].to_string())
            },
            name: None,
            node: NodeId(i as u32),
            contextual_score: scores[i],
            baseline_score: base_scores[i],
            rank: rank[i],
            baseline_rank: base_rank[i],
            tier: tier[i],
            role: role[i],
            ambassador: ambassador[i],
            detractor: detractor[i],
            pyramid_level: level[i],
            community: if i == 11 { None } else { Some((i % 4) as u32) },
            signals: names
                .iter()
                .enumerate()
                .map(|(k, s)| (s.to_string(), raw[k][i]))
                .collect(),
            gate: None,
            explanation: explanations[i].clone(),
            baseline_explanation: baselines[i].clone(),
            classification_evidence: class_ev[i].clone(),
            pyramid_evidence: pyr_ev[i].clone(),
        })
        .collect();
    accounts.sort_by_key(|a| a.rank);

    let mut counts = ClassCounts::default();
    for a in &accounts {
        counts.pyramid[a.pyramid_level as usize - 1] += 1;
        *counts.tiers.entry(a.tier.name().to_string()).or_default() += 1;
        if let Some(r) = a.role {
            *counts.roles.entry(r.name().to_string()).or_default() += 1;
        }
        if let Some(k) = a.ambassador {
            *counts.ambassadors.entry(k.name().to_string()).or_default() += 1;
        }
        counts.detractors += u64::from(a.detractor);
    }

    let effective_weights: BTreeMap<String, f64> = names
        .iter()
        .zip(weights)
        .map(|(s, w)| (s.to_string(), w))
        .collect();
    let num_candidates = accounts.len();
    Discovery {
        campaign: "Vélo électrique — printemps".to_string(),
        objective: portevoix_score::Objective::Awareness,
        signals: infos
            .iter()
            .map(|(name, family, description, weight)| SignalInfo {
                name: name.to_string(),
                family: *family,
                description: description.to_string(),
                weight: *weight,
            })
            .collect(),
        effective_weights,
        accounts,
        counts,
        num_accounts: 1250,
        num_candidates,
        unresolved: vec!["@unknown_brand_fan".to_string()],
        notes: vec![
            "relevance floor applied: 3 accounts gated".to_string(),
            "signal trust.ratings skipped: the data has no ratings".to_string(),
        ],
        timings: vec![
            ("signals".to_string(), 0.42),
            ("scores".to_string(), 0.03),
            ("classification".to_string(), 0.01),
        ],
    }
}
