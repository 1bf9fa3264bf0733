//! Protocol `manipulation`: what bought or traded engagement buys under each
//! variant.
//!
//! Data: the Higgs activity log (the bundled 60,000-event sample with
//! `--quick`; `--data` for another log of the same format), with
//! `examples/campaigns/higgs.toml` (window removed). Targets: five ordinary
//! accounts, the candidates at the 50th, 60th, 70th, 80th and 90th
//! percentile of the baseline ranking (index `⌊q × (len − 1)⌋`; with
//! `--quick`, the 50th and 90th) among those sharing their baseline score
//! with at most 10 candidates (the accounts whose only trace is a reaction
//! they gave share one score at the bottom: a target there would measure
//! the size of that tie group, not the manipulation). For each
//! target and scenario, the injected rows are written next to the real data
//! and the engine is rebuilt:
//!
//! - **farm**: 500 new accounts that each follow the target and do nothing
//!   else (bought followers);
//! - **pod**: 30 new accounts that each re-share the target 3 times on 3
//!   days of the window and each other once (an engagement pod);
//! - **follow/unfollow burst**: the target follows 2,000 accounts of the
//!   data within an hour, and 10% of them (the first 200 by id) follow back;
//!   the export is a snapshot taken before the target unfollows.
//!
//! Metric per variant and scenario: the per cent of rank gained by the
//! target, `(rank before − rank after) / rank before × 100` (rank 1 best,
//! ties by id, over the campaign's candidates), median over the targets
//! with a bootstrap interval over targets; lower is more resistant.

use super::{HIGGS_CAMPAIGN, HIGGS_CAMPAIGN_NAME};
use crate::data::{HIGGS_SAMPLE, Source};
use crate::metrics::bootstrap_ci;
use crate::protocol::{EvalOptions, ProtocolReport, VariantResult};
use crate::variants::select;
use portevoix_core::{Error, NodeId};
use portevoix_graph::BuildOptions;
use portevoix_ingest::{DatasetBuilder, FormatKind, Input, ReadOptions, read_input};
use portevoix_score::campaign::Campaign;
use portevoix_score::context::candidates;
use portevoix_score::engine::Engine;
use portevoix_score::signals::CampaignContext;
use portevoix_text::analysis::Analyzer;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Instant;

/// The scenarios, in report order.
pub const SCENARIOS: [&str; 3] = ["farm", "pod", "burst"];

const FARM: usize = 500;
const POD: usize = 30;
const POD_HITS: i64 = 3;
const BURST: usize = 2000;
const FOLLOW_BACK: usize = 200;

fn campaign() -> Result<Campaign, Error> {
    let mut c = Campaign::from_toml_str(HIGGS_CAMPAIGN, HIGGS_CAMPAIGN_NAME)?;
    c.window = None;
    Ok(c)
}

/// Rows injected into the data: a name for diagnostics, the bytes, their
/// format.
type Injected = (&'static str, Vec<u8>, FormatKind);

/// The engine of `data` (Higgs format) followed by the `injected` rows.
fn engine(data: &Source, injected: &[Injected]) -> Result<Engine, Error> {
    let read = ReadOptions::default();
    let mut builder = DatasetBuilder::new(read.mode);
    data.read_into(FormatKind::Higgs, &read, &mut builder)?;
    for (name, bytes, format) in injected {
        let mut input = Input::from_bytes(*name, bytes.clone());
        read_input(&mut input, *format, &read, &mut builder)?;
    }
    Engine::new(
        builder.finish(),
        &BuildOptions::default(),
        &Analyzer::standard(),
    )
}

/// Rank (1 best, ties by external id) of every candidate under every
/// variant: variant → external id → rank.
type Ranks = BTreeMap<String, BTreeMap<String, usize>>;

/// Largest group of candidates sharing one baseline score that a target may
/// belong to.
const MAX_TIES: usize = 10;

/// The rank of every candidate under every selected variant, and, per
/// variant, the number of candidates sharing each one's score.
fn ranks(
    engine: &Engine,
    campaign: &Campaign,
    options: &EvalOptions,
) -> Result<(Ranks, Ranks), Error> {
    let ctx = CampaignContext::new(engine, campaign)?;
    let pool = candidates(&ctx);
    let network = engine.network();
    let mut out = BTreeMap::new();
    let mut ties = BTreeMap::new();
    for v in select(options.variants.as_deref())? {
        let scores = v.scores(&ctx)?;
        // Ties on the external id, as everywhere (numbers by value).
        let mut order: Vec<(f64, NodeId)> = pool.iter().map(|&a| (scores[a.index()], a)).collect();
        order.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| network.name(a.1).cmp(&network.name(b.1)))
        });
        let order: Vec<(f64, String)> = order
            .into_iter()
            .map(|(x, a)| (x, network.name(a).to_string()))
            .collect();
        let mut shared: BTreeMap<u64, usize> = BTreeMap::new();
        for (x, _) in &order {
            *shared.entry(x.to_bits()).or_default() += 1;
        }
        ties.insert(
            v.name(),
            order
                .iter()
                .map(|(x, id)| (id.clone(), shared[&x.to_bits()]))
                .collect(),
        );
        out.insert(
            v.name(),
            order
                .into_iter()
                .enumerate()
                .map(|(r, (_, id))| (id, r + 1))
                .collect(),
        );
    }
    Ok((out, ties))
}

/// The rows of `scenario` against `target`, in memory.
fn inject(scenario: &str, target: &str, day0: i64, accounts: &[String]) -> Vec<Injected> {
    let day = 86_400;
    let mut out = Vec::new();
    let mut write = |name: &'static str, text: String, format: FormatKind| {
        out.push((name, text.into_bytes(), format));
    };
    match scenario {
        "farm" => {
            let mut rows = String::new();
            for i in 0..FARM {
                let _ = writeln!(rows, "manip_farm_{i} {target}");
            }
            write("farm.txt", rows, FormatKind::EdgeList);
        }
        "pod" => {
            let mut rows: Vec<(i64, String)> = Vec::new();
            for i in 0..POD {
                for k in 0..POD_HITS {
                    let t = day0 + 2 * k * day + 60 * i as i64;
                    rows.push((t, format!("manip_pod_{i} {target} {t} RT\n")));
                }
                for j in (0..POD).filter(|&j| j != i) {
                    let t = day0 + day + 6 * (i * POD + j) as i64;
                    rows.push((t, format!("manip_pod_{i} manip_pod_{j} {t} RT\n")));
                }
            }
            rows.sort();
            write(
                "pod.txt",
                rows.into_iter().map(|r| r.1).collect(),
                FormatKind::Higgs,
            );
        }
        _ => {
            let mut rows = String::new();
            let followed: Vec<&String> = accounts
                .iter()
                .filter(|a| a.as_str() != target)
                .take(BURST)
                .collect();
            for a in &followed {
                let _ = writeln!(rows, "{target} {a}");
            }
            for a in followed.iter().take(FOLLOW_BACK) {
                let _ = writeln!(rows, "{a} {target}");
            }
            write("burst.txt", rows, FormatKind::EdgeList);
        }
    }
    out
}

/// Runs the protocol (see the [module](self) docs).
///
/// # Errors
///
/// Data that cannot be read, a campaign that does not parse, an unknown
/// variant.
pub fn run(options: &EvalOptions) -> Result<ProtocolReport, Error> {
    let start = Instant::now();
    let data: Source = match options.data.first() {
        Some(p) => Source::File(p.clone()),
        None if options.quick => Source::Bundled(HIGGS_SAMPLE),
        None => Source::File(options.dataset("higgs-twitter/higgs-activity_time.txt.gz")?),
    };
    let campaign = campaign()?;
    let clean = engine(&data, &[])?;
    let (before, ties) = ranks(&clean, &campaign, options)?;
    let (reference, baseline) = before
        .get_key_value("baseline")
        .or_else(|| before.iter().next())
        .ok_or_else(|| Error::argument("variants", "no variant selected"))?;
    // Not in a large tie group: on the Higgs log the accounts whose only
    // trace is a reaction they gave share one score at the bottom, and a
    // target there would measure the size of that group.
    let mut by_baseline: Vec<(&String, &usize)> = baseline
        .iter()
        .filter(|(id, _)| ties[reference][*id] <= MAX_TIES)
        .collect();
    if by_baseline.is_empty() {
        return Err(Error::argument(
            "data",
            format!(
                "every candidate shares its {reference} score with more than {MAX_TIES} others: no target"
            ),
        ));
    }
    by_baseline.sort_by_key(|(_, r)| **r);
    let quantiles: &[f64] = if options.quick {
        &[0.5, 0.9]
    } else {
        &[0.5, 0.6, 0.7, 0.8, 0.9]
    };
    let targets: Vec<String> = quantiles
        .iter()
        .map(|q| {
            by_baseline[(q * (by_baseline.len() - 1) as f64) as usize]
                .0
                .clone()
        })
        .collect();
    let day0 = clean
        .interactions()
        .non_empty()
        .filter_map(|(_, log)| log.time_span())
        .map(|(lo, _)| lo.millis() / 1000)
        .min()
        .unwrap_or(0);
    let mut accounts: Vec<String> = baseline.keys().cloned().collect();
    accounts.sort();
    let pool = baseline.len();
    let eligible = by_baseline.len();
    drop(clean);

    // gains[variant][scenario] = per-target % of rank gained.
    let mut gains: BTreeMap<String, BTreeMap<&str, Vec<f64>>> = BTreeMap::new();
    let mut detail = Vec::new();
    for scenario in SCENARIOS {
        for target in &targets {
            let injected = inject(scenario, target, day0, &accounts);
            let (after, _) = ranks(&engine(&data, &injected)?, &campaign, options)?;
            for (variant, r_before) in &before {
                let (Some(&b), Some(&a)) = (
                    r_before.get(target),
                    after.get(variant).and_then(|r| r.get(target)),
                ) else {
                    continue;
                };
                let gain = (b as f64 - a as f64) / b as f64 * 100.0;
                gains
                    .entry(variant.clone())
                    .or_default()
                    .entry(scenario)
                    .or_default()
                    .push(gain);
                if variant == "baseline" || variant == "contextual_awareness" {
                    detail.push(format!(
                        "{scenario}, target {target}: {variant} rank {b} → {a} ({gain:.1}%)"
                    ));
                }
            }
        }
    }

    let median = |v: &[f64]| {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        if v.is_empty() {
            f64::NAN
        } else if v.len() % 2 == 1 {
            v[v.len() / 2]
        } else {
            (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0
        }
    };
    let order: Vec<String> = select(options.variants.as_deref())?
        .iter()
        .map(|v| v.name())
        .collect();
    let results: Vec<VariantResult> = order
        .iter()
        .filter_map(|name| {
            let by = gains.get(name)?;
            let metrics = SCENARIOS
                .iter()
                .filter_map(|s| {
                    let g = by.get(s)?;
                    Some((
                        format!("{s}: % rank gained"),
                        bootstrap_ci(
                            g.len(),
                            |idx| median(&idx.iter().map(|&i| g[i]).collect::<Vec<_>>()),
                            options.resamples,
                            options.level,
                            options.seed,
                        ),
                    ))
                })
                .collect();
            Some(VariantResult {
                variant: name.clone(),
                metrics,
            })
        })
        .collect();
    let est = |variant: &str, scenario: &str| {
        results
            .iter()
            .find(|r| r.variant == variant)
            .and_then(|r| r.metrics.get(&format!("{scenario}: % rank gained")))
            .map_or(f64::NAN, |i| i.estimate)
    };
    let mut findings = Vec::new();
    for s in SCENARIOS {
        findings.push(format!(
            "{s}: the baseline social score gives the target {:.1}% of its rank (median), the contextual score (awareness) {:.1}%, PageRank {:.1}%, in-degree {:.1}%.",
            est("baseline", s),
            est("contextual_awareness", s),
            est("pagerank", s),
            est("in_degree", s)
        ));
    }
    findings.push(
        "Why the contextual score resists: bought followers are shells, pod members trade re-shares in a closed group, and a follow/unfollow burst leaves an account that mass-follows and whose followers are mostly follow-backs; all three are authenticity cues. The contextual reach, resonance and trust signals count only the endorsements, reactions and partners of authentic accounts (authenticity at least 0.5), the target's audience quality falls with every suspicious follower or reactor, and an account caught harvesting follow-backs falls below the authenticity gate. The baseline and the classic graph scores count every edge.".into(),
    );
    if SCENARIOS
        .iter()
        .any(|s| est("contextual_awareness", s) < 0.0)
    {
        findings.push(
            "A negative gain means the manipulation cost the target rank under the contextual score: its audience quality dropped (farm, pod) or it was gated (burst). That is the intended outcome for a campaign choosing whom to pay, and a reason to read the authenticity cues in the explanation.".into(),
        );
    }
    findings.push(
        "Limits: the cues need behaviour or profile data, and they catch the shapes they describe. In an export without profiles and with mentions as the only interaction (the airline tweets), a pod that mentions its target is caught by the mention-ring cue only while it keeps to itself (a closed group of one-way repeat mentioners, most of the target's audience, most of their mentions); a pod whose members also mention many unrelated accounts, or that the target answers, passes as ordinary customers (docs/manipulation.md measures both scales and the ring).".into(),
    );
    let mut setup = vec![
        format!(
            "{}: {} candidates (accounts with an interaction); campaign {HIGGS_CAMPAIGN_NAME} without its window",
            data.name(options),
            pool
        ),
        format!(
            "targets (50th to 90th percentile of the baseline ranking, among the {eligible} candidates sharing their baseline score with at most {MAX_TIES} others): {}",
            targets.join(", ")
        ),
        format!(
            "farm: {FARM} new accounts each following the target; pod: {POD} new accounts each re-sharing the target {POD_HITS} times over {POD_HITS} days and each other once; burst: the target follows {BURST} accounts, {FOLLOW_BACK} follow back"
        ),
    ];
    setup.extend(detail);
    Ok(ProtocolReport {
        protocol: "manipulation".into(),
        title: "Manipulation: rank bought by a fake-follower farm, an engagement pod, a follow/unfollow burst"
            .into(),
        data: vec![data.name(options)],
        seeds: BTreeMap::from([("bootstrap".to_string(), options.seed)]),
        setup,
        population: pool,
        metric_order: SCENARIOS
            .iter()
            .map(|s| format!("{s}: % rank gained"))
            .collect(),
        results,
        findings,
        seconds: start.elapsed().as_secs_f64(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Accounts 9 and 10 play the same part (each re-shared once by an
    /// account of its own), so every variant ties them: 9 ranks first, as
    /// numbers order everywhere else (text order would put "10" first).
    #[test]
    fn ties_rank_numeric_ids_by_value() {
        let log = b"1 9 1341100000 RT\n2 10 1341100001 RT\n".to_vec();
        let dataset = portevoix_ingest::load_bytes(
            "ties.txt",
            log,
            FormatKind::Higgs,
            &ReadOptions::default(),
        )
        .unwrap();
        let engine = Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).unwrap();
        let options = EvalOptions {
            variants: Some(vec!["baseline".into(), "in_degree".into()]),
            ..EvalOptions::default()
        };
        let (ranks, _) = ranks(&engine, &campaign().unwrap(), &options).unwrap();
        for (variant, r) in &ranks {
            assert!(r["9"] < r["10"], "{variant}: {r:?}");
        }
    }
}
