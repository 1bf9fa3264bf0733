//! Manipulation resistance on real data: a fake-follower farm and an
//! engagement pod injected into the bundled Higgs sample and into the US
//! airline tweets, scored before and after with `discover`, baseline against
//! contextual. `examples/manipulation.rs` measures the same scenarios one
//! target at a time (and on the full Higgs log); `docs/manipulation.md` has
//! its table.
//!
//! **Targets** (deterministic): the candidates whose contextual score is
//! above 0 before injection (a gated account cannot move), sorted by baseline
//! rank, taken at the 50th, 70th and 90th percentile of that list (index
//! `⌊q × (len − 1)⌋`): ordinary, mid-to-low accounts. To keep the test
//! short, one engine per scenario holds a separate farm (or pod) for each
//! target; the targets then compete with each other, which moves them by at
//! most two ranks.
//!
//! What holds, and is asserted:
//!
//! - the injected accounts get the authenticity cues (every farm account
//!   `SHELL`, every repost-pod member `POD`, both below `AUTHENTIC_MIN`) and
//!   the gate zeroes their own contextual score;
//! - the baseline rank of every target gains at least 90% (the example
//!   measures 100% for the farms, 95 to 97% for the Higgs pod, 100% on the
//!   airline);
//! - on the Higgs sample, the signals computed on the authentic view
//!   (`reach.authentic_audience`, `reach.authentic_pagerank`, `reach.hop2`,
//!   `resonance.unique_reactors`, `resonance.discounted_reactions`) keep
//!   their raw value for the targets (PageRank within 5%: the injected
//!   accounts add teleport mass spread over everyone, 2% measured),
//!   and on the airline the reactor counts do;
//! - the contextual rank of every target gains at most 10% (measured in the
//!   example: the Higgs targets lose 7 to 31% of their rank, the airline
//!   targets move by less than 0.5%);
//! - on the Higgs sample the contextual score of a target rises by at most
//!   the rise of `trust.trustrank` and `trust.repeated_interaction` (which
//!   counted every account's edges until they were restricted to authentic
//!   partners) plus the percentile drift that the injected candidates at the
//!   bottom of the pool cause (`100 × a / (n − 1)` points for `a` of them in
//!   a pool of `n`): nothing else carries the manipulation;
//! - the PageRank neighbours cited in the target's explanation are never
//!   injected accounts.
//!
//! [`explanation_cites_no_injected_reactor`]: the reactors listed in the
//! explanation's evidence are never pod members. What does not hold: a pod
//! that works through mentions (not measured here; see the example and
//! docs/manipulation.md) trips no cue at all.

use portevoix_core::{Evidence, NodeId};
use portevoix_graph::BuildOptions;
use portevoix_ingest::{FormatKind, ReadOptions, load};
use portevoix_score::campaign::Campaign;
use portevoix_score::campaign::Scale;
use portevoix_score::discover::{DiscoverOptions, discover};
use portevoix_score::discovery::{DiscoveredAccount, Discovery};
use portevoix_score::engine::Engine;
use portevoix_score::engine::authenticity::AUTHENTIC_MIN;
use portevoix_score::engine::authenticity::{MENTION_RING, POD, SHELL};
use portevoix_testdata::shared_dataset;
use portevoix_text::analysis::Analyzer;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Target quantiles of the baseline rank among ungated candidates.
const QUANTILES: [f64; 3] = [0.5, 0.7, 0.9];
/// Fake followers per target.
const FARM: usize = 500;
/// Pod members per target.
const POD_SIZE: usize = 30;
/// Re-shares of the target by each pod member, on distinct days.
const POD_HITS: i64 = 3;
/// Smallest baseline gain accepted, per cent of rank (measured >= 95).
const BASELINE_MIN_GAIN: f64 = 90.0;
/// Largest contextual gain accepted, per cent of rank (measured: -31 to -7
/// on the Higgs sample, the targets lose ranks; -0.4 to 0.1 on the airline).
const CONTEXTUAL_MAX_GAIN: f64 = 10.0;
/// Signals computed on the authentic view.
const AUTHENTIC_SIGNALS: [&str; 5] = [
    "reach.authentic_audience",
    "reach.authentic_pagerank",
    "reach.hop2",
    "resonance.unique_reactors",
    "resonance.discounted_reactions",
];
/// Trust signals that count every account's edges.
const UNFILTERED_TRUST: [&str; 2] = ["trust.trustrank", "trust.repeated_interaction"];

const DAY: i64 = 86_400;
/// 2012-07-02T00:00:00Z, inside the Higgs log's week.
const HIGGS_DAY0: i64 = 1_341_187_200;
/// 2015-02-18T00:00:00Z, inside the airline tweets' week.
const AIRLINE_DAY0: i64 = 1_424_217_600;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn higgs_path() -> PathBuf {
    root().join("datasets/higgs-sample/higgs-activity_time.first60000.txt.gz")
}

fn campaign(file: &str) -> Campaign {
    let path = root().join("examples/campaigns").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    Campaign::from_toml_str(&text, file).unwrap()
}

fn run(inputs: &[(PathBuf, FormatKind)], campaign: &Campaign) -> (Engine, Discovery) {
    let refs: Vec<(&Path, Option<FormatKind>)> = inputs
        .iter()
        .map(|(p, f)| (p.as_path(), Some(*f)))
        .collect();
    let dataset = load(&refs, &ReadOptions::default()).unwrap();
    let engine = Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).unwrap();
    let discovery = discover(&engine, campaign, &DiscoverOptions::default()).unwrap();
    (engine, discovery)
}

fn targets(clean: &Discovery) -> Vec<DiscoveredAccount> {
    let mut eligible: Vec<&DiscoveredAccount> = clean
        .accounts
        .iter()
        .filter(|a| a.contextual_score > 0.0)
        .collect();
    eligible.sort_by_key(|a| a.baseline_rank);
    QUANTILES
        .iter()
        .map(|q| eligible[(q * (eligible.len() - 1) as f64).floor() as usize].clone())
        .collect()
}

fn find<'a>(d: &'a Discovery, id: &str) -> &'a DiscoveredAccount {
    d.accounts.iter().find(|a| a.id == id).unwrap()
}

fn gain(before: u32, after: u32) -> f64 {
    (f64::from(before) - f64::from(after)) / f64::from(before) * 100.0
}

fn contribution(a: &DiscoveredAccount, signal: &str) -> f64 {
    a.explanation
        .contributions
        .iter()
        .find(|c| c.signal == signal)
        .map_or(0.0, |c| c.contribution)
}

/// Accounts cited in the evidence whose text starts with `why`.
fn cited<'a>(a: &'a DiscoveredAccount, why: &'a str) -> impl Iterator<Item = NodeId> + 'a {
    a.explanation.evidence.iter().filter_map(move |e| match e {
        Evidence::Account {
            account, why: w, ..
        } if w.starts_with(why) => Some(*account),
        _ => None,
    })
}

/// Injected ids of target `t` on the Higgs sample.
fn farm_id(t: usize, i: usize) -> u64 {
    900_000_000 + 10_000 * t as u64 + i as u64
}
fn pod_id(t: usize, i: usize) -> u64 {
    910_000_000 + 1_000 * t as u64 + i as u64
}

/// A follow edge list: `FARM` new accounts following each target.
fn higgs_farm(path: &Path, targets: &[DiscoveredAccount]) {
    let mut rows = String::new();
    for (t, target) in targets.iter().enumerate() {
        for i in 0..FARM {
            writeln!(rows, "{} {}", farm_id(t, i), target.id).unwrap();
        }
    }
    std::fs::write(path, rows).unwrap();
}

/// Higgs activity lines: each member re-shares its target on 3 days and
/// every other member of its pod once.
fn higgs_pod(path: &Path, targets: &[DiscoveredAccount]) {
    let mut rows: Vec<(i64, String)> = Vec::new();
    for (t, target) in targets.iter().enumerate() {
        for i in 0..POD_SIZE {
            for k in 0..POD_HITS {
                let time = HIGGS_DAY0 + 2 * k * DAY + 60 * i as i64;
                rows.push((time, format!("{} {} {time} RT\n", pod_id(t, i), target.id)));
            }
            for j in (0..POD_SIZE).filter(|&j| j != i) {
                let time = HIGGS_DAY0 + DAY + 6 * (i * POD_SIZE + j) as i64;
                rows.push((
                    time,
                    format!("{} {} {time} RT\n", pod_id(t, i), pod_id(t, j)),
                ));
            }
        }
    }
    rows.sort();
    std::fs::write(path, rows.into_iter().map(|r| r.1).collect::<String>()).unwrap();
}

/// What the injection did to one target.
struct Outcome<'a> {
    before: &'a DiscoveredAccount,
    after: &'a DiscoveredAccount,
}

impl Outcome<'_> {
    fn baseline_gain(&self) -> f64 {
        gain(self.before.baseline_rank, self.after.baseline_rank)
    }
    fn contextual_gain(&self) -> f64 {
        gain(self.before.rank, self.after.rank)
    }
}

/// The Higgs sample with farms, or pods, for three targets: everything
/// the two tests below read.
struct Higgs {
    clean: Discovery,
    targets: Vec<DiscoveredAccount>,
    /// (scenario, engine, discovery).
    runs: Vec<(&'static str, Engine, Discovery)>,
    /// The campaign's scale.
    scale: Scale,
}

fn higgs() -> &'static Higgs {
    static CELL: std::sync::OnceLock<Higgs> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        let campaign = campaign("higgs.toml");
        let base = (higgs_path(), FormatKind::Higgs);
        let (_, clean) = run(std::slice::from_ref(&base), &campaign);
        let targets = targets(&clean);
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let farm = dir.join("manipulation_higgs_farm.txt");
        higgs_farm(&farm, &targets);
        let pod = dir.join("manipulation_higgs_pod.txt");
        higgs_pod(&pod, &targets);
        let mut runs = Vec::new();
        for (name, extra) in [
            ("farm", (farm, FormatKind::EdgeList)),
            ("pod", (pod, FormatKind::Higgs)),
        ] {
            let (engine, discovery) = run(&[base.clone(), extra], &campaign);
            runs.push((name, engine, discovery));
        }
        Higgs {
            clean,
            targets,
            runs,
            scale: campaign.scale,
        }
    })
}

/// The injected accounts of a scenario, per target.
fn injected(scenario: &str, engine: &Engine, t: usize) -> Vec<NodeId> {
    let (n, id): (usize, fn(usize, usize) -> u64) = match scenario {
        "farm" => (FARM, farm_id),
        _ => (POD_SIZE, pod_id),
    };
    (0..n)
        .map(|i| engine.resolve(&id(t, i).to_string()).unwrap())
        .collect()
}

#[test]
fn higgs_farm_and_pod_lift_the_baseline_not_the_authentic_signals() {
    let h = higgs();
    assert!(
        h.clean.accounts.len() > 30_000,
        "{}",
        h.clean.accounts.len()
    );
    for (scenario, engine, after) in &h.runs {
        let auth = engine.authenticity();
        for (t, target) in h.targets.iter().enumerate() {
            let o = Outcome {
                before: target,
                after: find(after, &target.id),
            };
            let label = format!("{scenario} on {}", target.id);
            // The injected accounts carry the cue and fall below the gate.
            let fakes = injected(scenario, engine, t);
            for &v in &fakes {
                let flag = if *scenario == "farm" { SHELL } else { POD };
                assert!(auth.has(v, flag), "{label}: {:?}", auth.cues(v));
                assert!(auth.score[v.index()] < AUTHENTIC_MIN, "{label}");
                if let Some(a) = after.accounts.iter().find(|a| a.node == v) {
                    assert_eq!(a.contextual_score, 0.0, "{label}");
                }
            }
            // The target gains no authenticity (a farm may even cost it
            // some: followers without activity make a lurker, `INACTIVE`).
            let (was, is) = (
                o.before.signals["trust.authenticity"],
                auth.score[o.after.node.index()],
            );
            assert!(is <= was && is >= AUTHENTIC_MIN, "{label}: {was} -> {is}");
            // The baseline climbs.
            assert!(
                o.baseline_gain() >= BASELINE_MIN_GAIN,
                "{label}: baseline {} -> {}",
                o.before.baseline_rank,
                o.after.baseline_rank
            );
            // The authentic view does not see the injected edges.
            for s in AUTHENTIC_SIGNALS {
                let (x, y) = (o.before.signals[s], o.after.signals[s]);
                let tolerance = if s == "reach.authentic_pagerank" {
                    0.05 * x.abs()
                } else {
                    1e-9
                };
                assert!((x - y).abs() <= tolerance, "{label}: {s} {x} -> {y}");
            }
            // Only the two unfiltered trust signals carry the rise.
            let leak: f64 = UNFILTERED_TRUST
                .iter()
                .map(|s| contribution(o.after, s) - contribution(o.before, s))
                .sum();
            // Fake candidates at the bottom of the pool lift every scaled
            // value a little: a percentile `p` to `(p (n − 1) + a) / (n − 1 + a)`,
            // at most `a / (n − 1 + a)`, and a log-rank `1 − ln r / ln n`
            // by `ln r (1 / ln n − 1 / ln(n + a))`, at most
            // `ln(1 + a / n) / ln(n + a)`, for `a` added candidates.
            let added = after.accounts.len() - h.clean.accounts.len();
            let n = h.clean.accounts.len() as f64;
            let a = added as f64;
            let drift = 100.0
                * match h.scale {
                    Scale::Percentile => a / (n - 1.0 + a),
                    Scale::LogRank => (1.0 + a / n).ln() / (n + a).ln(),
                };
            // A signal that did not vary before the injection (every clean
            // account authentic, say) and varies after it because of the
            // fakes says nothing about the target; its contribution is the
            // same for every clean account tied with the target.
            let newly_weighted: f64 = o
                .after
                .explanation
                .contributions
                .iter()
                .filter(|c| {
                    o.before
                        .explanation
                        .contributions
                        .iter()
                        .any(|b| b.signal == c.signal && b.weight == 0.0 && c.weight > 0.0)
                })
                .map(|c| c.contribution)
                .sum();
            let drift = drift + newly_weighted;
            let rise = o.after.contextual_score - o.before.contextual_score;
            assert!(
                rise <= leak.max(0.0) + drift + 1e-9,
                "{label}: score {} -> {} with {leak} from {UNFILTERED_TRUST:?}, drift {drift}",
                o.before.contextual_score,
                o.after.contextual_score
            );
            // The contextual rank barely moves, if at all.
            assert!(
                o.contextual_gain() <= CONTEXTUAL_MAX_GAIN,
                "{label}: contextual rank {} -> {}",
                o.before.rank,
                o.after.rank
            );
            // No injected account passes PageRank in the explanation.
            for u in cited(o.after, "passed") {
                assert!(!fakes.contains(&u), "{label}: {}", engine.label(u));
            }
        }
    }
}

/// What the explanation should not show, and shows today: the reactors
/// cited in the evidence are the raw in-neighbours of the reaction layers
/// (`discover.rs`, `evidence`), so the pod's members top the list although
/// no score counts them.
#[test]
fn explanation_cites_no_injected_reactor() {
    let h = higgs();
    let mut failures = Vec::new();
    for (scenario, engine, after) in &h.runs {
        for (t, target) in h.targets.iter().enumerate() {
            let fakes = injected(scenario, engine, t);
            let listed = cited(find(after, &target.id), "reacted")
                .filter(|u| fakes.contains(u))
                .count();
            if listed > 0 {
                failures.push(format!(
                    "{scenario} on {}: {listed} injected reactors in the evidence",
                    target.id
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The airline tweets (posts CSV, mentions only) with a farm following, a
/// pod re-sharing, or a ring mentioning each target: canonical JSON Lines
/// naming it by handle.
#[test]
fn airline_farm_and_pod_are_flagged_and_lift_the_baseline() {
    let campaign = campaign("airline.toml");
    let base = (
        shared_dataset("airline-sentiment/tweets.csv"),
        FormatKind::PostsCsv,
    );
    let (_, clean) = run(std::slice::from_ref(&base), &campaign);
    assert!(clean.accounts.len() > 5_000, "{}", clean.accounts.len());
    let targets = targets(&clean);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let iso = |t: i64| portevoix_core::Timestamp(t * 1000).to_iso8601();
    let (mut farm, mut pod, mut ring) = (String::new(), String::new(), String::new());
    for (t, target) in targets.iter().enumerate() {
        let handle = target.handle.as_deref().unwrap();
        // A mention ring: each member posts 3 distinct tweets to the target
        // and one to each of the next two members, one a day (mentions are
        // the airline export's only interaction, so a pod would work
        // through them).
        let at = format!("@{}", handle.trim_start_matches('@'));
        for i in 0..POD_SIZE {
            let me = format!("ring_{t}_{i}");
            let next = |d: usize| format!("ring_{t}_{}", (i + d) % POD_SIZE);
            let tweets = [
                (at.clone(), "so true, everyone should read this"),
                (at.clone(), "couldn't agree more with you here"),
                (at.clone(), "this is the best take I have seen this week"),
                (next(1), "follow this one"),
                (next(2), "great account"),
            ];
            for (k, (to, text)) in tweets.iter().enumerate() {
                let time = iso(AIRLINE_DAY0 + k as i64 * DAY + 60 * i as i64);
                let id = format!("ring_{t}_{i}_{k}");
                let shown = if to.starts_with('@') {
                    to.clone()
                } else {
                    format!("@{to}")
                };
                writeln!(
                    ring,
                    r#"{{"type":"post","id":"{id}","author":"{me}","time":"{time}","text":"{shown} {text}","language":"en"}}"#
                )
                .unwrap();
                writeln!(
                    ring,
                    r#"{{"type":"interaction","actor":"{me}","target":"{to}","layer":"mention","time":"{time}","post":"{id}"}}"#
                )
                .unwrap();
            }
        }
        for i in 0..FARM {
            writeln!(
                farm,
                r#"{{"type":"interaction","actor":"farm_{t}_{i}","target":"{handle}","layer":"follow"}}"#
            )
            .unwrap();
        }
        for i in 0..POD_SIZE {
            for k in 0..POD_HITS {
                let time = iso(AIRLINE_DAY0 + 2 * k * DAY + 60 * i as i64);
                writeln!(
                    pod,
                    r#"{{"type":"interaction","actor":"pod_{t}_{i}","target":"{handle}","layer":"repost","time":"{time}"}}"#
                )
                .unwrap();
            }
            for j in (0..POD_SIZE).filter(|&j| j != i) {
                let time = iso(AIRLINE_DAY0 + DAY + 6 * (i * POD_SIZE + j) as i64);
                writeln!(
                    pod,
                    r#"{{"type":"interaction","actor":"pod_{t}_{i}","target":"pod_{t}_{j}","layer":"repost","time":"{time}"}}"#
                )
                .unwrap();
            }
        }
    }
    for (scenario, rows, flag, n) in [
        ("farm", farm, SHELL, FARM),
        ("pod", pod, POD, POD_SIZE),
        ("ring", ring, MENTION_RING, POD_SIZE),
    ] {
        let path = dir.join(format!("manipulation_airline_{scenario}.jsonl"));
        std::fs::write(&path, rows).unwrap();
        let (engine, after) = run(&[base.clone(), (path, FormatKind::Canonical)], &campaign);
        let auth = engine.authenticity();
        for (t, target) in targets.iter().enumerate() {
            let label = format!("{scenario} on {}", target.id);
            for i in 0..n {
                let v = engine.resolve(&format!("{scenario}_{t}_{i}")).unwrap();
                assert!(auth.has(v, flag), "{label}: {:?}", auth.cues(v));
                assert!(auth.score[v.index()] < AUTHENTIC_MIN, "{label}");
            }
            let o = Outcome {
                before: target,
                after: find(&after, &target.id),
            };
            assert!(
                o.baseline_gain() >= BASELINE_MIN_GAIN,
                "{label}: baseline {} -> {}",
                o.before.baseline_rank,
                o.after.baseline_rank
            );
            assert!(
                o.contextual_gain() <= CONTEXTUAL_MAX_GAIN,
                "{label}: contextual rank {} -> {}",
                o.before.rank,
                o.after.rank
            );
            // The reactor counts ignore the injected accounts.
            for s in [
                "resonance.unique_reactors",
                "resonance.discounted_reactions",
            ] {
                let (x, y) = (o.before.signals[s], o.after.signals[s]);
                assert!((x - y).abs() < 1e-9, "{label}: {s} {x} -> {y}");
            }
        }
    }
}
