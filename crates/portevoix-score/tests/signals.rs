//! The built-in signals on real data: the airline tweets (posts with
//! platform reaction counts, mentions between customers and airlines) and the
//! bundled Higgs sample (retweets, mentions and replies, no text).

use portevoix_core::{Layer, NodeId};
use portevoix_graph::BuildOptions;
use portevoix_ingest::{FormatKind, ReadOptions, load};
use portevoix_score::campaign::Campaign;
use portevoix_score::engine::Engine;
use portevoix_score::signals::{CampaignContext, SignalMatrix, builtin};
use portevoix_testdata::shared_dataset;
use portevoix_text::analysis::Analyzer;
use std::collections::BTreeSet;
use std::path::Path;

fn engine(path: &Path, format: FormatKind) -> Engine {
    let dataset = load(&[(path, Some(format))], &ReadOptions::default()).unwrap();
    Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).unwrap()
}

fn airline_campaign() -> Campaign {
    Campaign::from_toml_str(
        r##"
name = "United: lost luggage"
languages = ["en"]
objective = "advocacy"
[brand]
name = "United"
handles = ["@united"]
names = ["United Airlines"]
[topic]
on_topic_threshold = 2.0
[topic.keywords]
luggage = 2.0
baggage = 2.0
bag = 2.0
"lost bag" = 3.0
"##,
        "airline.toml",
    )
    .unwrap()
}

fn all_accounts(engine: &Engine) -> Vec<NodeId> {
    (0..engine.num_accounts() as u32).map(NodeId).collect()
}

#[test]
fn airline_signals_agree_with_the_data() {
    let engine = engine(
        &shared_dataset("airline-sentiment/tweets.csv"),
        FormatKind::PostsCsv,
    );
    let campaign = airline_campaign();
    let ctx = CampaignContext::new(&engine, &campaign).unwrap();
    assert_eq!(ctx.brand.len(), 1);
    let united = ctx.brand[0];
    assert_eq!(engine.label(united), "@united");
    let signals = builtin();
    let accounts = all_accounts(&engine);
    let m = SignalMatrix::compute(&ctx, &signals, &accounts).unwrap();
    assert_eq!(m.values.dim(), (accounts.len(), signals.len()));

    // Unique reactors of @united: the distinct authors who mention it.
    let mentions = engine.interactions().layer(Layer::Mention);
    let mentioners: BTreeSet<u32> = mentions
        .actor
        .iter()
        .zip(&mentions.target)
        .filter(|&(&a, &t)| t == united.0 && a != united.0)
        .map(|(&a, _)| a)
        .collect();
    let row = m.row(united).unwrap();
    let col = |name: &str| m.signals.iter().position(|s| s.name == name).unwrap();
    // Each counted by its authenticity, inauthentic ones (< 0.5) not at all.
    let authenticity = &engine.authenticity().score;
    let want: f64 = mentioners
        .iter()
        .map(|&a| authenticity[a as usize])
        .filter(|&a| a >= 0.5)
        .sum();
    assert!((row[col("resonance.unique_reactors")] - want).abs() < 1e-9);
    assert!(want > 0.9 * mentioners.len() as f64, "{want}");
    assert!(mentioners.len() > 1000, "{}", mentioners.len());
    // Discounted reactions: at most one per mention received, and less.
    let received = mentions.target.iter().filter(|&&t| t == united.0).count() as f64;
    let discounted = row[col("resonance.discounted_reactions")];
    assert!(
        discounted > 0.0 && discounted < received,
        "{discounted} vs {received}"
    );

    // PageRank over the mention layer (no endorsement layer here): mean 1,
    // and the five most mentioned airlines (1,357 to 2,301 mentions each) in
    // the top 6; Virgin America (312) is not.
    let pr = m.column("reach.pagerank").unwrap();
    let mean = pr.sum() / pr.len() as f64;
    assert!((mean - 1.0).abs() < 1e-6, "{mean}");
    let mut order: Vec<usize> = (0..pr.len()).collect();
    order.sort_by(|&a, &b| pr[b].total_cmp(&pr[a]).then(a.cmp(&b)));
    let top6: BTreeSet<String> = order[..6]
        .iter()
        .map(|&i| engine.label(accounts[i]).to_lowercase())
        .collect();
    for airline in [
        "@united",
        "@usairways",
        "@americanair",
        "@southwestair",
        "@jetblue",
    ] {
        assert!(top6.contains(airline), "{airline} not in {top6:?}");
    }

    // Mean reactions per post: retweet counts of the account's tweets.
    let posts = &engine.posts();
    let mean_col = m.column("resonance.mean_reactions").unwrap();
    for (i, &a) in accounts.iter().enumerate().step_by(97) {
        let own: Vec<f64> = engine
            .posts_of(a)
            .iter()
            .map(|&p| posts[p as usize].reactions.reposts.unwrap_or(0) as f64)
            .collect();
        let want = if own.is_empty() {
            0.0
        } else {
            own.iter().sum::<f64>() / own.len() as f64
        };
        assert!((mean_col[i] - want).abs() < 1e-12, "{}", engine.label(a));
    }

    // Relevance comes from the corpus, and someone is relevant.
    let bm25 = m.column("relevance.bm25").unwrap();
    for a in &ctx.relevance.accounts {
        assert_eq!(bm25[a.account.index()], a.bm25);
    }
    assert!(bm25.iter().filter(|&&b| b > 0.0).count() > 100);
    let authority = m.column("relevance.topical_authority").unwrap();
    assert!((authority.sum() / authority.len() as f64 - 1.0).abs() < 1e-6);

    // Percentiles stay in [0, 1].
    assert!(
        m.column("resonance.engagement_tier")
            .unwrap()
            .iter()
            .all(|v| (0.0..=1.0).contains(v))
    );
}

#[test]
fn higgs_sample_reach_covers_the_retweeters() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../datasets/higgs-sample/higgs-activity_time.first60000.txt.gz");
    let engine = engine(&path, FormatKind::Higgs);
    let campaign = Campaign::builder("structure")
        .brand_handle("88")
        .build()
        .unwrap();
    let ctx = CampaignContext::new(&engine, &campaign).unwrap();
    let accounts = all_accounts(&engine);
    let m = SignalMatrix::compute(&ctx, &builtin(), &accounts).unwrap();
    let retweets = engine.network().layer(Layer::Repost).unwrap();
    let (top, count) = retweets.top_by_in_degree(1)[0];
    let hop2 = m.column("reach.hop2").unwrap()[top.index()];
    // Two hops include the direct retweeters (HyperBall: ±9% relative error).
    assert!(hop2 >= 0.8 * count as f64, "{hop2} vs {count}");
    // No posts: the per-post resonance signals are 0, the graph ones are not.
    assert!(
        m.column("resonance.mean_reactions")
            .unwrap()
            .iter()
            .all(|&v| v == 0.0)
    );
    assert!(m.column("resonance.unique_reactors").unwrap()[top.index()] >= count as f64);
}

#[test]
fn same_matrix_on_one_and_three_threads() {
    let engine = engine(
        &shared_dataset("airline-sentiment/tweets.csv"),
        FormatKind::PostsCsv,
    );
    let campaign = airline_campaign();
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                let ctx = CampaignContext::new(&engine, &campaign).unwrap();
                SignalMatrix::compute(&ctx, &builtin(), &all_accounts(&engine)).unwrap()
            })
    };
    let (a, b) = (run(1), run(3));
    assert_eq!(a.values, b.values);
    assert_eq!(a.signals, b.signals);
}

#[test]
fn bad_signals_are_refused() {
    use portevoix_score::signals::{Family, Signal};
    struct Broken;
    impl Signal for Broken {
        fn name(&self) -> &str {
            "trust.broken"
        }
        fn family(&self) -> Family {
            Family::Trust
        }
        fn description(&self) -> &str {
            "returns NaN"
        }
        fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, portevoix_core::Error> {
            Ok(vec![f64::NAN; ctx.engine.num_accounts()])
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../datasets/higgs-sample/higgs-activity_time.first60000.txt.gz");
    let engine = engine(&path, FormatKind::Higgs);
    let campaign = Campaign::builder("x").brand_handle("88").build().unwrap();
    let ctx = CampaignContext::new(&engine, &campaign).unwrap();
    let accounts = all_accounts(&engine);
    let e = SignalMatrix::compute(
        &ctx,
        &[std::sync::Arc::new(Broken) as std::sync::Arc<dyn Signal>],
        &accounts,
    )
    .unwrap_err();
    assert!(e.to_string().contains("trust.broken gave NaN"), "{e}");
    let mut twice = builtin();
    twice.extend(builtin());
    let e = SignalMatrix::compute(&ctx, &twice, &accounts).unwrap_err();
    assert!(e.to_string().contains("registered twice"), "{e}");
}
