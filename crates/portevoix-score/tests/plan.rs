//! `Planner` on real data: the bundled Higgs sample (numbers that add up, the
//! plan against the top k of discover by an independent Monte Carlo check,
//! audience lists, budgets, price lists, the coverage model against a
//! breadth-first search on the raw log, determinism) and the airline tweets
//! (topic audience, gates and detractors never chosen).

use flate2::read::GzDecoder;
use portevoix_graph::BuildOptions;
use portevoix_ingest::{FormatKind, ReadOptions, load};
use portevoix_score::campaign::Campaign;
use portevoix_score::engine::Engine;
use portevoix_score::plan::{Plan, PlanModel, PlanOptions, Planner, PriceRow};
use portevoix_testdata::shared_dataset;
use portevoix_text::analysis::Analyzer;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn repo(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

const HIGGS: &str = "datasets/higgs-sample/higgs-activity_time.first60000.txt.gz";

fn engine(path: &Path, format: FormatKind) -> Engine {
    let dataset = load(&[(path, Some(format))], &ReadOptions::default()).unwrap();
    Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).unwrap()
}

fn higgs() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| engine(&repo(HIGGS), FormatKind::Higgs))
}

fn airline() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        engine(
            &shared_dataset("airline-sentiment/tweets.csv"),
            FormatKind::PostsCsv,
        )
    })
}

fn campaign(name: &str) -> Campaign {
    let path = repo(&format!("examples/campaigns/{name}"));
    Campaign::from_toml_str(&std::fs::read_to_string(&path).unwrap(), name).unwrap()
}

/// The retweets of the raw log: (retweeter, retweeted), external ids.
fn retweets() -> Vec<(String, String)> {
    let file = std::fs::File::open(repo(HIGGS)).unwrap();
    BufReader::new(GzDecoder::new(file))
        .lines()
        .map(Result::unwrap)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            (f.len() == 4 && f[3] == "RT" && f[0] != f[1])
                .then(|| (f[0].to_string(), f[1].to_string()))
        })
        .collect()
}

fn ids(plan: &Plan) -> Vec<String> {
    plan.picks.iter().map(|p| p.id.clone()).collect()
}

#[test]
fn higgs_plan_adds_up_and_beats_the_top_k_of_discover() {
    let c = campaign("higgs.toml");
    let planner = Planner::new(higgs(), &c, None).unwrap();
    let options = PlanOptions {
        k: 10,
        check_runs: 4000,
        ..PlanOptions::default()
    };
    let plan = planner.plan(&options).unwrap();
    let s = &plan.summary;
    assert_eq!(plan.picks.len(), 10);
    assert_eq!(s.audience.source, "everyone"); // no text in the Higgs log
    let mut total = 0.0;
    for (i, p) in plan.picks.iter().enumerate() {
        total += p.marginal_gain;
        assert_eq!(p.pick, i + 1);
        assert!((p.cumulative_reach - total).abs() < 1e-6 * total.max(1.0));
        assert!((p.overlap - (p.solo_reach - p.marginal_gain)).abs() < 1e-6);
        assert!(p.overlap >= -1e-9 && p.rank >= 1 && p.contextual_score > 0.0);
        // The greedy on fixed samples: gains never grow.
        if i > 0 {
            assert!(p.marginal_gain <= plan.picks[i - 1].marginal_gain + 1e-9);
        }
        assert_eq!(s.reach_curve[i], p.cumulative_reach);
    }
    let g = s.guarantee.as_ref().unwrap();
    assert!((g.ratio - (1.0 - (-1f64).exp() - 0.1)).abs() < 1e-12 && g.confidence > 0.99);
    // The independent check agrees with the selection's estimate (within 3%,
    // the optimism of a maximum over samples) and the plan beats the top 10
    // by contextual score by more than three standard errors.
    let (pc, bc) = (
        s.reach_check.as_ref().unwrap(),
        s.baseline.reach_check.as_ref().unwrap(),
    );
    assert!(
        (s.reach - pc.mean).abs() < 0.03 * pc.mean,
        "{} vs {}",
        s.reach,
        pc.mean
    );
    assert!(
        pc.mean > bc.mean + 3.0 * (pc.std_error + bc.std_error),
        "plan {pc:?} vs top-k {bc:?}"
    );
    let top10: Vec<String> = planner.discovery().accounts[..10]
        .iter()
        .map(|a| a.id.clone())
        .collect();
    assert_eq!(s.baseline.ids, top10);
    assert!(s.baseline.plan_advantage > 0.0);
    // The same options give the same plan.
    let again = planner.plan(&options).unwrap();
    assert_eq!(ids(&again), ids(&plan));
    assert_eq!(again.summary.reach, s.reach);
    assert_eq!(again.summary.reach_check, s.reach_check);
}

#[test]
fn an_audience_list_bounds_the_reach_and_unknown_names_are_reported() {
    let c = campaign("higgs.toml");
    // The retweeters of the most retweeted account: reach counts only them.
    let rts = retweets();
    let mut count: HashMap<&str, usize> = HashMap::new();
    for (_, b) in &rts {
        *count.entry(b.as_str()).or_default() += 1;
    }
    let star = count
        .iter()
        .max_by_key(|(id, c)| (**c, *id))
        .unwrap()
        .0
        .to_string();
    let mut names: Vec<String> = rts
        .iter()
        .filter(|(_, b)| *b == star)
        .map(|(a, _)| a.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    names.sort();
    let members = names.len();
    names.push("no-such-account".into());
    let planner = Planner::new(higgs(), &c, Some(&names)).unwrap();
    assert_eq!(planner.audience_report().size, members);
    assert_eq!(planner.audience_report().unmatched, vec!["no-such-account"]);
    let plan = planner
        .plan(&PlanOptions {
            k: 3,
            check_runs: 1000,
            ..PlanOptions::default()
        })
        .unwrap();
    assert!(plan.summary.reach <= members as f64 + 1e-9);
    assert!(plan.summary.reach_check.as_ref().unwrap().mean <= members as f64);
    // The star reaches every one of its retweeters at least with its own
    // probability: it is the first pick.
    assert_eq!(plan.picks[0].id, star);
    assert!(Planner::new(higgs(), &c, Some(&["nobody".to_string()])).is_err());
}

#[test]
fn budgeted_plans_fit_the_budget_and_listed_prices_apply() {
    let c = campaign("higgs.toml");
    let planner = Planner::new(higgs(), &c, None).unwrap();
    let options = PlanOptions {
        k: 100,
        budget: Some(50.0),
        check_runs: 1000,
        ..PlanOptions::default()
    };
    let plan = planner.plan(&options).unwrap();
    let s = &plan.summary;
    assert!(s.cost <= 50.0 && s.baseline.cost <= 50.0);
    assert_eq!(s.baseline.rule, "top_by_score_until_budget");
    assert!(
        plan.picks
            .iter()
            .all(|p| [1.0, 4.0, 16.0, 64.0].contains(&p.cost))
    );
    let per_cost = |reach: f64, cost: f64| reach / cost;
    assert!(
        per_cost(s.reach_check.as_ref().unwrap().mean, s.cost)
            >= per_cost(
                s.baseline.reach_check.as_ref().unwrap().mean,
                s.baseline.cost
            ),
        "{s:?}"
    );
    // Pricing the first pick above the budget removes it from the plan.
    let first = plan.picks[0].id.clone();
    let prices = vec![
        PriceRow {
            account: first.clone(),
            cost: 51.0,
            line: 2,
        },
        PriceRow {
            account: "nobody".into(),
            cost: 1.0,
            line: 3,
        },
    ];
    let repriced = planner
        .plan_with_prices(&options, Some(("prices.csv", &prices)))
        .unwrap();
    assert!(!ids(&repriced).contains(&first));
    assert_eq!(repriced.summary.costs.from_list, 1);
    assert_eq!(repriced.summary.costs.unmatched, vec!["nobody"]);
    assert!(
        repriced
            .summary
            .notes
            .iter()
            .any(|n| n.contains("price list"))
    );
}

#[test]
fn the_coverage_plan_reach_is_the_two_hop_audience_of_the_raw_log() {
    let c = campaign("higgs.toml");
    let planner = Planner::new(higgs(), &c, None).unwrap();
    let plan = planner
        .plan(&PlanOptions {
            k: 5,
            model: PlanModel::Coverage,
            ..PlanOptions::default()
        })
        .unwrap();
    assert!(plan.summary.guarantee.is_none() && plan.summary.reach_check.is_none());
    // Content of B reaches whoever retweeted B: two hops of that from the seeds.
    let mut retweeters: HashMap<String, HashSet<String>> = HashMap::new();
    for (a, b) in retweets() {
        retweeters.entry(b).or_default().insert(a);
    }
    let mut reached: HashSet<String> = HashSet::new();
    for (i, p) in plan.picks.iter().enumerate() {
        reached.insert(p.id.clone());
        let one: Vec<String> = retweeters
            .get(&p.id)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default();
        for a in &one {
            reached.insert(a.clone());
            if let Some(two) = retweeters.get(a) {
                reached.extend(two.iter().cloned());
            }
        }
        assert_eq!(
            p.cumulative_reach,
            reached.len() as f64,
            "after pick {}",
            i + 1
        );
    }
}

#[test]
fn airline_plan_reaches_the_topic_audience_and_never_picks_gated_or_detractors() {
    let c = campaign("airline.toml");
    let planner = Planner::new(airline(), &c, None).unwrap();
    let a = planner.audience_report();
    assert_eq!(a.source, "topic");
    assert!(a.size > 100 && a.size < airline().num_accounts(), "{a:?}");
    let e = planner.eligibility();
    // Under advocacy the stance gate comes first: detractors (net negative
    // toward United) are gated before they are counted as detractors.
    assert!(e.gated_relevance > 0, "{e:?}");
    assert!(
        planner.discovery().accounts.iter().any(|a| a.detractor),
        "the airline campaign has detractors to avoid"
    );
    assert_eq!(
        e.eligible + e.detractors + e.gated_authenticity + e.gated_relevance,
        e.candidates
    );
    let plan = planner
        .plan(&PlanOptions {
            k: 10,
            check_runs: 1000,
            ..PlanOptions::default()
        })
        .unwrap();
    assert!(!plan.picks.is_empty());
    let by_id: HashMap<&str, _> = planner
        .discovery()
        .accounts
        .iter()
        .map(|a| (a.id.as_str(), a))
        .collect();
    for p in &plan.picks {
        let d = by_id[p.id.as_str()];
        assert!(
            !d.detractor && d.contextual_score > 0.0,
            "{} was chosen",
            p.id
        );
        assert_eq!((d.rank, d.contextual_score), (p.rank, p.contextual_score));
        assert!(p.explanation.contains(&format!("rank {}", p.rank)));
    }
    assert!(plan.summary.reach <= a.size as f64);
}
