//! The trust signals and the authenticity assessment on real data: Bitcoin
//! OTC's signed ratings (EigenTrust), the bundled Higgs sample (reciprocity,
//! conversation, repeated interaction over time, TrustRank, an injected
//! fake-follower farm) and the airline tweets (duplicate texts, bursts).

use portevoix_core::{Layer, NodeId, Post};
use portevoix_graph::BuildOptions;
use portevoix_ingest::{FormatKind, ReadOptions, load};
use portevoix_score::campaign::Campaign;
use portevoix_score::engine::Engine;
use portevoix_score::engine::authenticity::{
    self, BURST, DUPLICATE_TEXT, MENTION_RING, POD, SHELL,
};
use portevoix_score::signals::trust::{self, default_seeds, eigentrust};
use portevoix_score::signals::{CampaignContext, SignalMatrix};
use portevoix_testdata::shared_dataset;
use portevoix_text::analysis::Analyzer;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn engine_of(inputs: &[(&Path, Option<FormatKind>)]) -> Engine {
    let dataset = load(inputs, &ReadOptions::default()).unwrap();
    Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).unwrap()
}

fn engine(path: &Path, format: FormatKind) -> Engine {
    engine_of(&[(path, Some(format))])
}

fn higgs_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../datasets/higgs-sample/higgs-activity_time.first60000.txt.gz")
}

fn all_accounts(engine: &Engine) -> Vec<NodeId> {
    (0..engine.num_accounts() as u32).map(NodeId).collect()
}

fn plain_campaign() -> Campaign {
    Campaign::builder("trust")
        .brand_handle("88")
        .build()
        .unwrap()
}

/// Every account's value of every trust signal, by name.
fn trust_columns(ctx: &CampaignContext<'_>) -> BTreeMap<String, Vec<f64>> {
    let signals = trust::signals();
    let accounts = all_accounts(ctx.engine);
    let m = SignalMatrix::compute(ctx, &signals, &accounts).unwrap();
    m.signals
        .iter()
        .map(|s| {
            let column = m.column(&s.name).unwrap().to_vec();
            (s.name.clone(), column)
        })
        .collect()
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

#[test]
fn trust_signals_are_registered_in_order() {
    let names: Vec<String> = trust::signals()
        .iter()
        .map(|s| s.name().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "trust.reciprocity",
            "trust.repeated_interaction",
            "trust.conversation",
            "trust.authenticity",
            "trust.audience_quality",
            "trust.trustrank",
            "trust.signed_rating",
        ]
    );
    let builtin: Vec<String> = portevoix_score::signals::builtin()
        .iter()
        .map(|s| s.name().to_string())
        .collect();
    let at = builtin
        .iter()
        .position(|n| n == "trust.reciprocity")
        .unwrap();
    assert_eq!(&builtin[at..at + names.len()], names.as_slice());
}

#[test]
fn bitcoin_otc_eigentrust_matches_a_direct_computation() {
    let engine = engine(
        &shared_dataset("bitcoin-otc/soc-sign-bitcoinotc.csv"),
        FormatKind::Signed,
    );
    let n = engine.num_accounts();
    assert_eq!(n, 5881);
    let campaign = plain_campaign();
    let ctx = CampaignContext::new(&engine, &campaign).unwrap();
    let columns = trust_columns(&ctx);
    let signed = &columns["trust.signed_rating"];
    assert!((mean(signed) - 1.0).abs() < 1e-9, "{}", mean(signed));

    // Independent EigenTrust from the raw rows: s_ij summed, positive part
    // normalised per rater, rows without a positive rating follow p.
    let log = engine.interactions().layer(Layer::Rating);
    let values = log.value.as_ref().unwrap();
    let mut s: BTreeMap<(u32, u32), f64> = BTreeMap::new();
    for ((&a, &b), &v) in log.actor.iter().zip(&log.target).zip(values) {
        if a != b {
            *s.entry((a, b)).or_default() += f64::from(v);
        }
    }
    let mut row_sum = vec![0.0f64; n];
    for (&(i, _), &v) in &s {
        row_sum[i as usize] += v.max(0.0);
    }
    let a = 0.15;
    let mut t = vec![1.0 / n as f64; n];
    for _ in 0..5000 {
        let dangling: f64 = (0..n).filter(|&i| row_sum[i] == 0.0).map(|i| t[i]).sum();
        let mut next = vec![(1.0 - a) * dangling / n as f64 + a / n as f64; n];
        for (&(i, j), &v) in &s {
            if v > 0.0 {
                next[j as usize] += (1.0 - a) * t[i as usize] * v / row_sum[i as usize];
            }
        }
        let change: f64 = next.iter().zip(&t).map(|(x, y)| (x - y).abs()).sum();
        t = next;
        if change < 1e-15 {
            break;
        }
    }
    let ours = eigentrust(engine.network().layer(Layer::Rating).unwrap(), &[]).unwrap();
    let l1: f64 = ours.iter().zip(&t).map(|(x, y)| (x - y).abs()).sum();
    assert!(l1 < 1e-9, "L1 distance to the direct computation {l1}");
    for (x, y) in signed.iter().zip(&ours) {
        assert_eq!(*x, y * n as f64);
    }

    // Accounts rated mostly negatively rank below those rated only
    // positively.
    let mut pos = vec![0u32; n];
    let mut neg = vec![0u32; n];
    for (&(_, j), &v) in &s {
        if v > 0.0 {
            pos[j as usize] += 1;
        } else if v < 0.0 {
            neg[j as usize] += 1;
        }
    }
    let group = |keep: &dyn Fn(usize) -> bool| -> Vec<f64> {
        (0..n).filter(|&i| keep(i)).map(|i| signed[i]).collect()
    };
    let mostly_negative = group(&|i| neg[i] > pos[i]);
    let only_positive = group(&|i| pos[i] > 0 && neg[i] == 0);
    assert!(mostly_negative.len() > 100 && only_positive.len() > 1000);
    let (bad, good) = (mean(&mostly_negative), mean(&only_positive));
    assert!(
        bad < 0.8 * good,
        "mostly negative {bad} vs only positive {good}"
    );
    // Rated only negatively: the floor that p gives, nothing more.
    let floor = signed.iter().copied().fold(f64::INFINITY, f64::min);
    for i in (0..n).filter(|&i| neg[i] > 0 && pos[i] == 0) {
        assert!((signed[i] - floor).abs() < 1e-9, "{} vs {floor}", signed[i]);
    }

    // Pre-trusted raters lift whom they trust: a seed gets far more than the
    // mean.
    let seed = NodeId(
        (0..n)
            .max_by_key(|&i| (pos[i], std::cmp::Reverse(i)))
            .unwrap() as u32,
    );
    let seeded = eigentrust(engine.network().layer(Layer::Rating).unwrap(), &[seed]).unwrap();
    assert!(seeded[seed.index()] * n as f64 > 50.0);
}

/// Pair interactions of the Higgs sample from the raw rows: `(a, b)` with
/// `a < b` -> (count, distinct UTC days).
fn higgs_pairs(engine: &Engine) -> BTreeMap<(u32, u32), (u64, BTreeSet<i64>)> {
    let mut pairs: BTreeMap<(u32, u32), (u64, BTreeSet<i64>)> = BTreeMap::new();
    for layer in [Layer::Repost, Layer::Reply, Layer::Mention] {
        let log = engine.interactions().layer(layer);
        let times = log.time.as_ref().unwrap();
        for ((&a, &b), &t) in log.actor.iter().zip(&log.target).zip(times) {
            if a == b {
                continue;
            }
            let e = pairs.entry((a.min(b), a.max(b))).or_default();
            e.0 += 1;
            e.1.insert(t.div_euclid(86_400_000));
        }
    }
    pairs
}

#[test]
fn higgs_relationship_signals_recomputed_from_the_rows() {
    let engine = engine(&higgs_path(), FormatKind::Higgs);
    let n = engine.num_accounts();
    let campaign = plain_campaign();
    let ctx = CampaignContext::new(&engine, &campaign).unwrap();
    let columns = trust_columns(&ctx);

    // Directed ties per layer from the raw rows.
    let mut out: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); n];
    let mut inn: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); n];
    let mut reply_out: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); n];
    let mut reply_in: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); n];
    for layer in [Layer::Repost, Layer::Reply, Layer::Mention] {
        let log = engine.interactions().layer(layer);
        for (&a, &b) in log.actor.iter().zip(&log.target) {
            if a == b {
                continue;
            }
            out[a as usize].insert(b);
            inn[b as usize].insert(a);
            if layer == Layer::Reply {
                reply_out[a as usize].insert(b);
                reply_in[b as usize].insert(a);
            }
        }
    }
    let reciprocity = &columns["trust.reciprocity"];
    let conversation = &columns["trust.conversation"];
    let mut reciprocal_accounts = 0;
    let mut conversing = 0;
    for v in 0..n {
        let both = out[v].intersection(&inn[v]).count();
        let partners = out[v].union(&inn[v]).count();
        let want = both as f64 / (partners as f64 + 5.0);
        assert!((reciprocity[v] - want).abs() < 1e-12, "account {v}");
        reciprocal_accounts += usize::from(both > 0);
        let talks = reply_out[v].intersection(&reply_in[v]).count();
        assert_eq!(conversation[v], talks as f64, "account {v}");
        conversing += usize::from(talks > 0);
    }
    assert!(reciprocal_accounts > 100, "{reciprocal_accounts}");
    assert!(conversing > 10, "{conversing}");
    // The confidence factor: one reciprocal tie of one is worth less than
    // the best-connected reciprocal account.
    let best = reciprocity.iter().copied().fold(0.0, f64::max);
    assert!(best > 1.0 / 6.0, "{best}");

    // Repeated interaction: partners on 2+ distinct days, log2 of the count.
    let pairs = higgs_pairs(&engine);
    let mut by_time = vec![0.0f64; n];
    let mut by_count = vec![0.0f64; n];
    for (&(a, b), (count, days)) in &pairs {
        let w = (*count as f64).log2();
        for v in [a, b] {
            if days.len() >= 2 {
                by_time[v as usize] += w;
            }
            if *count >= 2 {
                by_count[v as usize] += w;
            }
        }
    }
    let repeated = &columns["trust.repeated_interaction"];
    for v in 0..n {
        assert!(
            (repeated[v] - by_time[v]).abs() < 1e-9,
            "account {v}: {} vs {}",
            repeated[v],
            by_time[v]
        );
    }
    // Time matters: many pairs interact more than once on a single day
    // (a reply that is also a mention), and they do not count.
    let differ = (0..n).filter(|&v| by_time[v] != by_count[v]).count();
    assert!(differ > 100, "{differ}");
    assert!(repeated.iter().filter(|&&x| x > 0.0).count() > 50);
}

#[test]
fn a_fake_follower_farm_is_caught() {
    let clean = engine(&higgs_path(), FormatKind::Higgs);
    // The target: the most retweeted account with at most 100 retweeters
    // (a micro-influencer, whom a farm of 300 changes).
    let retweets = clean.network().layer(Layer::Repost).unwrap();
    let (target, retweeters) = retweets
        .top_by_in_degree(clean.num_accounts())
        .into_iter()
        .find(|&(_, d)| d <= 100)
        .unwrap();
    assert!(retweeters >= 50, "{retweeters}");
    let target_id = clean.network().name(target).to_string();

    // 300 new accounts, each only following the target.
    let farm_size = 300u32;
    let farm_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("trust_farm_follows.txt");
    let rows: String = (0..farm_size)
        .map(|i| format!("{} {target_id}\n", 900_000_000 + i))
        .collect();
    std::fs::write(&farm_path, rows).unwrap();
    let farmed = engine_of(&[
        (&higgs_path(), Some(FormatKind::Higgs)),
        (&farm_path, Some(FormatKind::EdgeList)),
    ]);
    assert_eq!(
        farmed.num_accounts(),
        clean.num_accounts() + farm_size as usize
    );
    let farmed_target = farmed.resolve(&target_id).unwrap();
    assert_eq!(farmed_target, target);

    let auth = farmed.authenticity();
    for i in 0..farm_size {
        let fake = farmed.resolve(&(900_000_000 + i).to_string()).unwrap();
        assert!(auth.has(fake, SHELL));
        assert!(auth.score[fake.index()] <= 0.25 + 1e-12);
        assert!(
            auth.cues(fake)[0].starts_with("shell"),
            "{:?}",
            auth.cues(fake)
        );
    }
    // Real active accounts (they retweeted, replied or mentioned) keep a
    // high score, in both engines; so does the target. The exceptions are
    // the few whose behaviour in the data is a group cue (retweet pod,
    // mention ring), the same in both engines.
    let network = clean.network();
    let (mut active, mut grouped) = (0, 0);
    for v in all_accounts(&clean) {
        if network.layers().any(|(_, g)| g.out_degree(v) > 0) {
            active += 1;
            let flags = auth.flags[v.index()];
            assert_eq!(
                flags,
                clean.authenticity().flags[v.index()],
                "{}",
                clean.label(v)
            );
            if flags & (POD | MENTION_RING) != 0 {
                grouped += 1;
                continue;
            }
            assert!(
                auth.score[v.index()] >= 0.9,
                "{}: {:?}",
                clean.label(v),
                auth.cues(v)
            );
            assert!(clean.authenticity().score[v.index()] >= 0.9);
        }
    }
    assert!(active > 10_000, "{active}");
    assert!(
        grouped * 1000 < active,
        "{grouped} of {active} in pods or rings"
    );
    assert_eq!(auth.score[target.index()], 1.0);
    assert!(auth.cues(target).is_empty());

    // The target's audience quality drops.
    let campaign = plain_campaign();
    let before = {
        let ctx = CampaignContext::new(&clean, &campaign).unwrap();
        trust_columns(&ctx)["trust.audience_quality"][target.index()]
    };
    let after = {
        let ctx = CampaignContext::new(&farmed, &campaign).unwrap();
        trust_columns(&ctx)["trust.audience_quality"][target.index()]
    };
    assert!(before > 0.95, "{before}");
    assert!(after < 0.7 && after < before - 0.3, "{after} vs {before}");
}

/// The duplicate cue's text, rewritten here: words without @mentions and
/// links, lower-cased.
fn norm(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| !w.starts_with('@') && !w.starts_with("http://") && !w.starts_with("https://"))
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn airline_tweets_duplicate_and_burst_cues() {
    let engine = engine(
        &shared_dataset("airline-sentiment/tweets.csv"),
        FormatKind::PostsCsv,
    );
    let posts: &[Post] = engine.posts();
    let auth = engine.authenticity();
    let (mut duplicating, mut bursting) = (0, 0);
    let mut most_repeated: Option<(NodeId, f64)> = None;
    for v in all_accounts(&engine) {
        let own: Vec<&Post> = engine
            .posts_of(v)
            .iter()
            .map(|&i| &posts[i as usize])
            .collect();
        let texts: Vec<String> = own
            .iter()
            .filter(|p| p.repost_of.is_none())
            .map(|p| norm(&p.text))
            .filter(|t| !t.is_empty())
            .collect();
        let d = if texts.len() >= 3 {
            let repeated = texts
                .iter()
                .filter(|t| texts.iter().filter(|u| u == t).count() >= 2)
                .count();
            repeated as f64 / texts.len() as f64
        } else {
            0.0
        };
        let mut times: Vec<i64> = own.iter().filter_map(|p| p.time.map(|t| t.0)).collect();
        times.sort();
        let b = if times.len() >= 5 {
            let close = times.windows(2).filter(|w| w[1] - w[0] < 10_000).count();
            close as f64 / (times.len() - 1) as f64
        } else {
            0.0
        };
        assert_eq!(auth.has(v, DUPLICATE_TEXT), d > 0.0, "{}", engine.label(v));
        assert_eq!(auth.has(v, BURST), b > 0.0, "{}", engine.label(v));
        // No profiles, follow layer or creation dates here: only these two
        // cues can fire.
        let want = (1.0 - 0.8 * d) * (1.0 - 0.6 * b);
        assert!(
            (auth.score[v.index()] - want).abs() < 1e-12,
            "{}: {} vs {want}",
            engine.label(v),
            auth.score[v.index()]
        );
        duplicating += usize::from(d > 0.0);
        if most_repeated.is_none_or(|(_, best)| d > best) {
            most_repeated = Some((v, d));
        }
        bursting += usize::from(b > 0.0);
    }
    assert!(duplicating >= 10, "{duplicating}");
    assert!(bursting >= 5, "{bursting}");
    // The account that repeats itself most: its duplicate cue is explained.
    let (repeater, d) = most_repeated.unwrap();
    assert!(d >= 0.5, "{d}");
    assert!(
        auth.cues(repeater).contains(&authenticity::CUES[4].1),
        "{:?}",
        auth.cues(repeater)
    );
    assert!(auth.score[repeater.index()] <= 1.0 - 0.8 * d + 1e-12);
}

#[test]
fn trustrank_favours_seeds_and_is_thread_independent() {
    let engine = engine(&higgs_path(), FormatKind::Higgs);
    let n = engine.num_accounts();

    // Default seeds: authentic and most endorsed, 1% of the accounts.
    let campaign = plain_campaign();
    let ctx = CampaignContext::new(&engine, &campaign).unwrap();
    let seeds = default_seeds(&engine, &ctx.endorsement);
    assert_eq!(seeds.len(), n.div_ceil(100));
    let tr = &trust_columns(&ctx)["trust.trustrank"];
    assert!((mean(tr) - 1.0).abs() < 1e-9);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| tr[b].total_cmp(&tr[a]).then(a.cmp(&b)));
    let seed_set: BTreeSet<usize> = seeds.iter().map(|s| s.index()).collect();
    let top_seeds = order[..seeds.len()]
        .iter()
        .filter(|i| seed_set.contains(i))
        .count();
    assert!(
        top_seeds * 10 >= seeds.len() * 9,
        "{top_seeds} of {} seeds in the top",
        seeds.len()
    );
    assert!(seed_set.contains(&order[0]));

    // Campaign seeds: three accounts chosen by the user rank first.
    let retweets = engine.network().layer(Layer::Repost).unwrap();
    let chosen: Vec<NodeId> = retweets
        .top_by_in_degree(40)
        .into_iter()
        .skip(20)
        .take(3)
        .map(|(v, _)| v)
        .collect();
    let mut builder = Campaign::builder("seeded").brand_handle("88");
    for v in &chosen {
        builder = builder.trusted_seed(&engine.network().name(*v).to_string());
    }
    let seeded_campaign = builder.build().unwrap();
    let ctx = CampaignContext::new(&engine, &seeded_campaign).unwrap();
    assert_eq!(ctx.seeds.len(), 3);
    let tr = &trust_columns(&ctx)["trust.trustrank"];
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| tr[b].total_cmp(&tr[a]).then(a.cmp(&b)));
    let top3: BTreeSet<usize> = order[..3].iter().copied().collect();
    let want: BTreeSet<usize> = chosen.iter().map(|v| v.index()).collect();
    assert_eq!(top3, want);

    // Same values on one and three threads, every trust signal.
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                let ctx = CampaignContext::new(&engine, &campaign).unwrap();
                trust_columns(&ctx)
            })
    };
    let (one, three) = (run(1), run(3));
    assert_eq!(one, three);
    // The authenticity of an engine built on three threads is the same.
    let again = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap()
        .install(|| self::engine(&higgs_path(), FormatKind::Higgs));
    assert_eq!(engine.authenticity(), again.authenticity());
}

#[test]
fn profile_cues_and_conversations_from_posts() {
    let jsonl = r#"{"type":"header","schema":"portevoix/1"}
{"type":"account","id":"1","handle":"ann","display_name":"Ann","bio":"cyclist","followers":50,"following":60,"created_at":"2015-01-01"}
{"type":"account","id":"2","handle":"robot","bio":"beep","bot":true,"followers":10}
{"type":"account","id":"3","handle":"newbie","bio":"hello","followers":5,"following":5,"created_at":"2022-05-01T00:00:00Z"}
{"type":"account","id":"4","handle":"vip","verified":true,"followers":90000,"created_at":"2022-05-05"}
{"type":"account","id":"5","handle":"blank","followers":3,"following":8,"created_at":"2014-02-02"}
{"type":"account","id":"6","handle":"spray","bio":"follow back","followers":10,"following":5000}
{"type":"account","id":"7","handle":"lurker","bio":"reads","followers":40,"posts":0}
{"type":"account","id":"8","handle":"shell","display_name":"Shell","followers":0,"following":1,"posts":0}
{"type":"post","id":"p1","author":"1","time":"2022-05-10T10:00:00Z","text":"new bike lane on the quay"}
{"type":"post","id":"p2","author":"9","time":"2022-05-10T10:05:00Z","text":"@ann where exactly?","reply_to":"p1","reply_to_author":"1"}
{"type":"post","id":"p3","author":"1","time":"2022-05-10T10:09:00Z","text":"@bob by the bridge","reply_to":"p2"}
{"type":"post","id":"p4","author":"2","time":"2022-05-10T10:10:00Z","text":"beep"}
{"type":"post","id":"p5","author":"3","time":"2022-05-10T10:11:00Z","text":"my first post"}
{"type":"post","id":"p6","author":"4","time":"2022-05-10T10:12:00Z","text":"press release"}
{"type":"post","id":"p7","author":"5","time":"2022-05-10T10:13:00Z","text":"hi"}
{"type":"post","id":"p8","author":"6","time":"2022-05-10T10:14:00Z","text":"follow me"}
{"type":"interaction","actor":"1","target":"9","layer":"mention","time":"2022-05-10T10:09:00Z"}
{"type":"interaction","actor":"8","target":"6","layer":"follow"}
"#;
    let dataset = portevoix_ingest::load_bytes(
        "profiles.jsonl",
        jsonl.as_bytes().to_vec(),
        FormatKind::Canonical,
        &ReadOptions::default(),
    )
    .unwrap();
    let engine = Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).unwrap();
    let auth = engine.authenticity();
    let id = |name: &str| engine.resolve(name).unwrap();
    let check = |name: &str, flags: u16, score: f64| {
        let v = id(name);
        assert_eq!(auth.flags[v.index()], flags, "{name}: {:?}", auth.cues(v));
        assert!(
            (auth.score[v.index()] - score).abs() < 1e-12,
            "{name}: {}",
            auth.score[v.index()]
        );
    };
    check("1", 0, 1.0);
    check("2", authenticity::BOT, 0.0);
    check("3", authenticity::YOUNG, 0.7);
    check("4", 0, 1.0); // verified: young and blank, but no profile penalty
    check("5", authenticity::DEFAULT_PROFILE, 0.8);
    check("6", authenticity::FOLLOW_RATIO, 0.5);
    check("7", authenticity::INACTIVE, 0.8);
    check("8", SHELL, 0.25);
    // Known by its id only (no profile read): no default-profile cue.
    check("9", 0, 1.0);
    assert_eq!(auth.cues(id("2")), ["declared bot"]);

    // Ann and 9 talked both ways through replies to each other's posts (no
    // reply layer; the mention went one way).
    let campaign = plain_campaign();
    let ctx = CampaignContext::new(&engine, &campaign).unwrap();
    let columns = trust_columns(&ctx);
    let conversation = &columns["trust.conversation"];
    assert_eq!(conversation[id("1").index()], 1.0);
    assert_eq!(conversation[id("9").index()], 1.0);
    assert_eq!(conversation.iter().sum::<f64>(), 2.0);
    // No rating layer: the signed rating is 0 everywhere.
    assert!(columns["trust.signed_rating"].iter().all(|&x| x == 0.0));
}
