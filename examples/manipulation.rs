//! Manipulation resistance: a fake-follower farm or an engagement pod,
//! injected into real data, against the baseline social score and the
//! contextual score.
//!
//! ```text
//! cargo run --release --example manipulation [--no-full | --full-only]   # from the repository's root
//! ```
//!
//! Datasets: the bundled Higgs sample (`datasets/higgs-sample/`, first
//! 60,000 events of the SNAP Higgs activity log) with
//! `examples/campaigns/higgs.toml`; the full Higgs activity log
//! (`higgs-twitter/higgs-activity_time.txt.gz` among the shared datasets,
//! skipped with `--no-full`); the US airline tweets
//! (`airline-sentiment/tweets.csv`) with `examples/campaigns/airline.toml`.
//!
//! **Targets** (deterministic): the candidates whose contextual score is
//! above 0 before injection (not gated: a gated account cannot move) and
//! shared by at most 10 candidates (not in a large tie group, whose members
//! all move together), sorted by baseline rank; the targets are the ones at the 50th, 60th, 70th, 80th
//! and 90th percentile of that list (index `⌊q × (len − 1)⌋`): ordinary,
//! mid-to-low accounts. Each target is manipulated on its own (one engine per
//! target and scenario), except on the full Higgs log, to keep the run
//! short: there one engine per scenario holds a separate farm (or pod) for
//! each of the five targets (they then compete with each other, which moves
//! each by at most four ranks), and only `farm 500` and the pod are run.
//!
//! **Scenarios**:
//!
//! - `farm N`: N new accounts that each follow the target (follow layer),
//!   and nothing else: bought followers;
//! - `pod 30 (repost)`: 30 new accounts that each re-share the target 3
//!   times, on 3 different days inside the data's window, and each other
//!   once: an engagement pod;
//! - `farm 500 + pod 30`: both;
//! - `pod 30 (mention)` (airline only): 30 new accounts that each post 3
//!   distinct tweets mentioning the target and 1 mentioning each of two other
//!   members, on different days: a pod that works by mentions, the only
//!   interaction the airline export has.
//!
//! For each target: its rank (1 = best) under both scores before and after,
//! and the per cent of rank gained, `(before − after) / before × 100`
//! (negative: it lost ranks). The summary gives the median over the targets
//! and the range; the detail lists each target with the signals whose
//! contribution to its contextual score rose the most.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use portevoix::graph::BuildOptions;
use portevoix::ingest::{FormatKind, ReadOptions, load};
use portevoix::score::campaign::Campaign;
use portevoix::score::discover::{DiscoverOptions, discover};
use portevoix::score::discovery::{DiscoveredAccount, Discovery};
use portevoix::score::engine::Engine;
use portevoix::text::analysis::Analyzer;
use portevoix_testdata::shared_dataset;

/// Target quantiles of the baseline rank among ungated candidates.
const QUANTILES: [f64; 5] = [0.5, 0.6, 0.7, 0.8, 0.9];
/// Pod members.
const POD: usize = 30;
/// Re-shares (or mentions) of the target by each pod member.
const POD_HITS: usize = 3;

/// How the injected rows are written.
#[derive(Clone, Copy, PartialEq)]
enum Style {
    /// Numeric ids: edge list (follow) and Higgs activity lines (RT).
    Higgs,
    /// Text handles: canonical JSON Lines.
    Airline,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Scenario {
    Farm(usize),
    PodRepost,
    FarmAndPod,
    PodMention,
}

impl Scenario {
    fn name(self) -> String {
        match self {
            Scenario::Farm(n) => format!("farm {n}"),
            Scenario::PodRepost => format!("pod {POD} (repost)"),
            Scenario::FarmAndPod => format!("farm 500 + pod {POD}"),
            Scenario::PodMention => format!("pod {POD} (mention)"),
        }
    }
}

struct Data {
    name: &'static str,
    inputs: Vec<(PathBuf, FormatKind)>,
    campaign: Campaign,
    style: Style,
    /// Unix seconds of the first injected day (inside the data's window).
    day0: i64,
    /// One engine per scenario with a farm (or pod) for every target, instead
    /// of one per target (the full Higgs log, to keep the run short).
    combined: bool,
}

/// The repository's campaign files, compiled in.
fn campaign(file: &str) -> Campaign {
    let text = match file {
        "higgs.toml" => include_str!("campaigns/higgs.toml"),
        "airline.toml" => include_str!("campaigns/airline.toml"),
        other => panic!("no campaign {other}"),
    };
    Campaign::from_toml_str(text, &format!("examples/campaigns/{file}")).expect("valid campaign")
}

fn engine(inputs: &[(PathBuf, FormatKind)]) -> Engine {
    let refs: Vec<(&Path, Option<FormatKind>)> = inputs
        .iter()
        .map(|(p, f)| (p.as_path(), Some(*f)))
        .collect();
    let dataset = load(&refs, &ReadOptions::default()).expect("load");
    Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).expect("engine")
}

fn run(data: &Data, extra: &[(PathBuf, FormatKind)]) -> Discovery {
    let mut inputs = data.inputs.clone();
    inputs.extend_from_slice(extra);
    let engine = engine(&inputs);
    let options = DiscoverOptions {
        top: None,
        evidence: 10,
        ..DiscoverOptions::default()
    };
    discover(&engine, &data.campaign, &options).expect("discover")
}

/// Largest tie group (candidates sharing one contextual score) a target
/// may belong to.
const MAX_TIES: usize = 10;

/// The targets: see the module docs.
fn targets(clean: &Discovery) -> Vec<DiscoveredAccount> {
    // Not gated, and not in a large tie group. Accounts whose only trace is
    // a reaction they gave have identical signals, hence one score shared
    // by thousands near the bottom (on the Higgs logs); a target there
    // would measure the size of that group, not the manipulation.
    let mut ties: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    for a in &clean.accounts {
        *ties.entry(a.contextual_score.to_bits()).or_default() += 1;
    }
    let mut eligible: Vec<&DiscoveredAccount> = clean
        .accounts
        .iter()
        .filter(|a| a.contextual_score > 0.0 && ties[&a.contextual_score.to_bits()] <= MAX_TIES)
        .collect();
    eligible.sort_by_key(|a| a.baseline_rank);
    QUANTILES
        .iter()
        .map(|q| eligible[(q * (eligible.len() - 1) as f64).floor() as usize].clone())
        .collect()
}

/// How the target is named in injected rows.
fn reference(a: &DiscoveredAccount) -> String {
    a.handle.clone().unwrap_or_else(|| a.id.clone())
}

/// Writes the injection files of `scenario` against `target`; returns them.
fn inject(
    dir: &Path,
    style: Style,
    day0: i64,
    scenario: Scenario,
    targets: &[String],
) -> Vec<(PathBuf, FormatKind)> {
    let day = 86_400;
    let mut out = Vec::new();
    let farm = match scenario {
        Scenario::Farm(n) => n,
        Scenario::FarmAndPod => 500,
        _ => 0,
    };
    let pod_repost = matches!(scenario, Scenario::PodRepost | Scenario::FarmAndPod);
    let tag = format!("{:?}", scenario).replace(['(', ')', ' '], "_");
    match style {
        Style::Higgs => {
            if farm > 0 {
                let path = dir.join(format!("farm_{tag}.txt"));
                let mut rows = String::new();
                for (t, target) in targets.iter().enumerate() {
                    for i in 0..farm {
                        writeln!(rows, "{} {target}", 900_000_000 + 10_000 * t + i).unwrap();
                    }
                }
                std::fs::write(&path, rows).unwrap();
                out.push((path, FormatKind::EdgeList));
            }
            if pod_repost {
                let mut rows: Vec<(i64, String)> = Vec::new();
                for (n, target) in targets.iter().enumerate() {
                    let member = |i: usize| 910_000_000 + 1_000 * n + i;
                    for i in 0..POD {
                        let me = member(i);
                        for k in 0..POD_HITS as i64 {
                            let t = day0 + 2 * k * day + 60 * i as i64;
                            rows.push((t, format!("{me} {target} {t} RT\n")));
                        }
                        for j in (0..POD).filter(|&j| j != i) {
                            let t = day0 + day + 60 * (i * POD + j) as i64 / 10;
                            rows.push((t, format!("{me} {} {t} RT\n", member(j))));
                        }
                    }
                }
                rows.sort();
                let path = dir.join(format!("pod_{tag}.txt"));
                std::fs::write(&path, rows.into_iter().map(|r| r.1).collect::<String>()).unwrap();
                out.push((path, FormatKind::Higgs));
            }
        }
        Style::Airline => {
            let target = &targets[0];
            let iso = |t: i64| portevoix::core::Timestamp(t * 1000).to_iso8601();
            let mut rows = String::new();
            for i in 0..farm {
                writeln!(
                    rows,
                    r#"{{"type":"interaction","actor":"manip_farm_{i}","target":"{target}","layer":"follow"}}"#
                )
                .unwrap();
            }
            if pod_repost {
                for i in 0..POD {
                    for k in 0..POD_HITS as i64 {
                        let t = iso(day0 + 2 * k * day + 60 * i as i64);
                        writeln!(
                            rows,
                            r#"{{"type":"interaction","actor":"manip_pod_{i}","target":"{target}","layer":"repost","time":"{t}"}}"#
                        )
                        .unwrap();
                    }
                    for j in (0..POD).filter(|&j| j != i) {
                        let t = iso(day0 + day + 60 * (i * POD + j) as i64 / 10);
                        writeln!(
                            rows,
                            r#"{{"type":"interaction","actor":"manip_pod_{i}","target":"manip_pod_{j}","layer":"repost","time":"{t}"}}"#
                        )
                        .unwrap();
                    }
                }
            }
            if scenario == Scenario::PodMention {
                // Each member: 3 distinct tweets to the target, one to each of
                // the next two members (a ring), every one on its own day.
                for i in 0..POD {
                    let me = format!("@manip_pod_{i}");
                    let mut tweet = |k: usize, to: &str, text: &str| {
                        let t = iso(day0 + k as i64 * day + 60 * i as i64);
                        let id = format!("manip_{i}_{k}");
                        writeln!(
                            rows,
                            r#"{{"type":"post","id":"{id}","author":"{me}","time":"{t}","text":"{to} {text}","language":"en","mentions":["{to}"]}}"#
                        )
                        .unwrap();
                        writeln!(
                            rows,
                            r#"{{"type":"interaction","actor":"{me}","target":"{to}","layer":"mention","time":"{t}","post":"{id}"}}"#
                        )
                        .unwrap();
                    };
                    let lines = [
                        "so true, everyone should read this",
                        "couldn't agree more with you here",
                        "this is the best take I have seen this week",
                    ];
                    for (k, text) in lines.iter().enumerate() {
                        tweet(k, target, text);
                    }
                    tweet(
                        3,
                        &format!("@manip_pod_{}", (i + 1) % POD),
                        "follow this one",
                    );
                    tweet(4, &format!("@manip_pod_{}", (i + 2) % POD), "great account");
                }
            }
            let path = dir.join(format!("inject_{tag}.jsonl"));
            std::fs::write(&path, rows).unwrap();
            out.push((path, FormatKind::Canonical));
        }
    }
    out
}

/// One target's measurement.
struct Measure {
    target: String,
    pool: (usize, usize),
    baseline: (usize, usize),
    contextual: (usize, usize),
    /// Signals whose contribution rose, largest first (name, points).
    risers: Vec<(String, f64)>,
}

/// The notes of an explanation (authenticity cues, gates), joined.
fn notes(a: &DiscoveredAccount) -> String {
    a.explanation
        .evidence
        .iter()
        .filter_map(|e| match e {
            portevoix::core::Evidence::Note { text } => Some(text.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn gain((before, after): (usize, usize)) -> f64 {
    (before as f64 - after as f64) / before as f64 * 100.0
}

fn find<'a>(d: &'a Discovery, id: &str) -> &'a DiscoveredAccount {
    d.accounts
        .iter()
        .find(|a| a.id == id)
        .expect("target in pool")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

fn median_usize(v: Vec<usize>) -> usize {
    median(v.into_iter().map(|x| x as f64).collect()).round() as usize
}

fn main() {
    let no_full = std::env::args().any(|a| a == "--no-full");
    let full_only = std::env::args().any(|a| a == "--full-only");
    let dir = std::env::temp_dir().join(format!("portevoix-manipulation-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let higgs = campaign("higgs.toml");
    let mut datasets = vec![Data {
        name: "Higgs sample (60k events)",
        inputs: vec![(
            // Relative to the repository's root, where the example runs.
            PathBuf::from("datasets/higgs-sample/higgs-activity_time.first60000.txt.gz"),
            FormatKind::Higgs,
        )],
        campaign: higgs.clone(),
        style: Style::Higgs,
        day0: 1_341_187_200, // 2012-07-02T00:00:00Z
        combined: false,
    }];
    let full = shared_dataset("higgs-twitter/higgs-activity_time.txt.gz");
    if !no_full && full.exists() {
        datasets.push(Data {
            name: "Higgs full (563k events)",
            inputs: vec![(full, FormatKind::Higgs)],
            campaign: higgs,
            style: Style::Higgs,
            day0: 1_341_187_200,
            combined: true,
        });
    }
    datasets.push(Data {
        name: "Airline tweets",
        inputs: vec![(
            shared_dataset("airline-sentiment/tweets.csv"),
            FormatKind::PostsCsv,
        )],
        campaign: campaign("airline.toml"),
        style: Style::Airline,
        day0: 1_424_217_600, // 2015-02-18T00:00:00Z
        combined: false,
    });

    if full_only {
        datasets.retain(|d| d.combined);
    }
    let mut summary = String::new();
    let mut detail = String::new();
    for data in &datasets {
        let start = Instant::now();
        let clean = run(data, &[]);
        let targets = targets(&clean);
        eprintln!(
            "{}: pool {}, targets {:?} ({:.1} s)",
            data.name,
            clean.accounts.len(),
            targets.iter().map(|t| &t.id).collect::<Vec<_>>(),
            start.elapsed().as_secs_f64()
        );
        let mut scenarios = vec![
            Scenario::Farm(500),
            Scenario::Farm(2000),
            Scenario::PodRepost,
        ];
        if data.combined {
            scenarios = vec![Scenario::Farm(500), Scenario::PodRepost];
        }
        match data.style {
            Style::Higgs if data.name.starts_with("Higgs sample") => {
                scenarios.push(Scenario::FarmAndPod)
            }
            Style::Airline => scenarios.push(Scenario::PodMention),
            _ => {}
        }
        for scenario in scenarios {
            let mut measures = Vec::new();
            let shared = if data.combined {
                let all: Vec<String> = targets.iter().map(reference).collect();
                Some(run(
                    data,
                    &inject(&dir, data.style, data.day0, scenario, &all),
                ))
            } else {
                None
            };
            for t in &targets {
                let start = Instant::now();
                let own;
                let after = match &shared {
                    Some(d) => d,
                    None => {
                        let files = inject(&dir, data.style, data.day0, scenario, &[reference(t)]);
                        own = run(data, &files);
                        &own
                    }
                };
                let a = find(after, &t.id);
                let before: BTreeMap<&str, f64> = t
                    .explanation
                    .contributions
                    .iter()
                    .map(|c| (c.signal.as_str(), c.contribution))
                    .collect();
                let mut risers: Vec<(String, f64)> = a
                    .explanation
                    .contributions
                    .iter()
                    .map(|c| {
                        let was = before.get(c.signal.as_str()).copied().unwrap_or(0.0);
                        (c.signal.clone(), c.contribution - was)
                    })
                    .filter(|(_, d)| *d > 0.05)
                    .collect();
                risers.sort_by(|x, y| y.1.total_cmp(&x.1));
                let m = Measure {
                    target: t.id.clone(),
                    pool: (clean.accounts.len(), after.accounts.len()),
                    baseline: (t.baseline_rank as usize, a.baseline_rank as usize),
                    contextual: (t.rank as usize, a.rank as usize),
                    risers,
                };
                eprintln!(
                    "  {} {}: baseline {} -> {}, contextual {} -> {} (score {:.2} -> {:.2}; {}) ({:.1} s)",
                    scenario.name(),
                    m.target,
                    m.baseline.0,
                    m.baseline.1,
                    m.contextual.0,
                    m.contextual.1,
                    t.contextual_score,
                    a.contextual_score,
                    notes(a),
                    start.elapsed().as_secs_f64()
                );
                measures.push(m);
            }
            let b: Vec<f64> = measures.iter().map(|m| gain(m.baseline)).collect();
            let c: Vec<f64> = measures.iter().map(|m| gain(m.contextual)).collect();
            let range = |v: &[f64]| {
                let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                format!("{lo:.1} to {hi:.1}")
            };
            let med =
                |f: &dyn Fn(&Measure) -> usize| median_usize(measures.iter().map(f).collect());
            writeln!(
                summary,
                "| {} | {} | {} | {} → {} | {} → {} | **{:.1}%** ({}) | {} → {} | **{:.1}%** ({}) |",
                scenario.name(),
                data.name,
                measures.len(),
                med(&|m| m.pool.0),
                med(&|m| m.pool.1),
                med(&|m| m.baseline.0),
                med(&|m| m.baseline.1),
                median(b.clone()),
                range(&b),
                med(&|m| m.contextual.0),
                med(&|m| m.contextual.1),
                median(c.clone()),
                range(&c),
            )
            .unwrap();
            for m in &measures {
                let risers: Vec<String> = m
                    .risers
                    .iter()
                    .take(3)
                    .map(|(s, d)| format!("{s} +{d:.2}"))
                    .collect();
                writeln!(
                    detail,
                    "| {} | {} | {} | {} → {} ({:.1}%) | {} → {} ({:.1}%) | {} |",
                    scenario.name(),
                    data.name,
                    m.target,
                    m.baseline.0,
                    m.baseline.1,
                    gain(m.baseline),
                    m.contextual.0,
                    m.contextual.1,
                    gain(m.contextual),
                    if risers.is_empty() {
                        "none".to_string()
                    } else {
                        risers.join(", ")
                    },
                )
                .unwrap();
            }
        }
    }
    println!("## Median over the targets\n");
    println!(
        "| scenario | dataset | targets | pool before → after | baseline rank before → after (median) | baseline % of rank gained: median (range) | contextual rank before → after (median) | contextual % of rank gained: median (range) |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    print!("{summary}");
    println!("\n## Each target\n");
    println!(
        "| scenario | dataset | target | baseline rank (% gained) | contextual rank (% gained) | contextual contributions that rose (points) |"
    );
    println!("|---|---|---|---|---|---|");
    print!("{detail}");
    let _ = std::fs::remove_dir_all(&dir);
}
