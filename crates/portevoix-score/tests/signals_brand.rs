//! The brand-affinity signals on real data: United in the airline tweets
//! (mention counts recomputed from the raw CSV, sentiment against the human
//! labels, employee and customer lists), the Festival de Cannes in the French
//! media tweets (French VADER), and determinism across thread counts. These
//! campaigns ask for the VADER engine (`stance_engine = "vader"`), the
//! reference the rules are checked against; the learned model's stance is
//! checked against people in `portevoix-eval/tests/stance_classes.rs`.

use portevoix_core::NodeId;
use portevoix_graph::BuildOptions;
use portevoix_ingest::{FormatKind, ReadOptions, load};
use portevoix_score::campaign::Campaign;
use portevoix_score::engine::Engine;
use portevoix_score::signals::brand::{self, brand_mentions, brand_target};
use portevoix_score::signals::{CampaignContext, Family, SignalMatrix, builtin};
use portevoix_testdata::shared_dataset;
use portevoix_text::analysis::Analyzer;
use portevoix_text::sentiment::Vader;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn engine(files: &[(&Path, FormatKind)]) -> Engine {
    let files: Vec<(&Path, Option<FormatKind>)> =
        files.iter().map(|&(p, f)| (p, Some(f))).collect();
    let dataset = load(&files, &ReadOptions::default()).unwrap();
    Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).unwrap()
}

fn airline_engine() -> Engine {
    engine(&[(
        &shared_dataset("airline-sentiment/tweets.csv"),
        FormatKind::PostsCsv,
    )])
}

fn united_campaign(extra: &str) -> Campaign {
    Campaign::from_toml_str(
        &format!(
            r##"
name = "United: ambassadors and detractors"
languages = ["en"]
objective = "advocacy"
{extra}
[brand]
name = "United"
handles = ["@united"]
names = ["United Airlines"]
stance_engine = "vader"
[topic]
[topic.keywords]
flight = 1.0
"##
        ),
        "united.toml",
    )
    .unwrap()
}

fn all_accounts(engine: &Engine) -> Vec<NodeId> {
    (0..engine.num_accounts() as u32).map(NodeId).collect()
}

/// One row of the raw CSV.
struct Row {
    id: String,
    name: String,
    text: String,
    label: String,
    airline: String,
}

fn raw_rows() -> Vec<Row> {
    let mut reader =
        csv::Reader::from_path(shared_dataset("airline-sentiment/tweets.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, name, text, label, airline) = (
        col("tweet_id"),
        col("name"),
        col("text"),
        col("airline_sentiment"),
        col("airline"),
    );
    let mut seen = BTreeSet::new();
    reader
        .records()
        .map(|r| r.unwrap())
        // Duplicate tweet ids (same text) are one post.
        .filter(|r| seen.insert(r[id].to_string()))
        .map(|r| Row {
            id: r[id].to_string(),
            name: r[name].to_string(),
            text: r[text].to_string(),
            label: r[label].to_string(),
            airline: r[airline].to_string(),
        })
        .collect()
}

/// An independent reading of "names United": `@united` or `united airlines`
/// (any case, whitespace runs), not inside a longer word or handle.
fn names_united(text: &str) -> bool {
    let lower = text.to_lowercase();
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let squeezed: String = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    for (hay, needle) in [(&lower, "@united"), (&squeezed, "united airlines")] {
        let mut from = 0;
        while let Some(k) = hay[from..].find(needle) {
            let start = from + k;
            let end = start + needle.len();
            let before_ok = hay[..start].chars().next_back().is_none_or(|c| !word(c));
            let after_ok = hay[end..].chars().next().is_none_or(|c| !word(c));
            if before_ok && after_ok {
                return true;
            }
            from = start + 1;
        }
    }
    false
}

#[test]
fn builtin_lists_the_brand_signals_last() {
    let all = builtin();
    let names: Vec<&str> = all.iter().map(|s| s.name()).collect();
    let ours = brand::signals();
    let expected = [
        "brand.mentions",
        "brand.sentiment",
        "brand.positive_mentions",
        "brand.negative_mentions",
        "brand.net_sentiment",
        "brand.stance_positive",
        "brand.stance_negative",
        "brand.follows",
        "brand.employee",
        "brand.customer",
    ];
    let got: Vec<&str> = ours.iter().map(|s| s.name()).collect();
    assert_eq!(got, expected);
    assert_eq!(&names[names.len() - expected.len()..], &expected);
    for s in &ours {
        assert_eq!(s.family(), Family::BrandAffinity);
        // Shares inside the family (brand.rs module docs).
        let w = match s.name() {
            "brand.negative_mentions" | "brand.stance_positive" | "brand.stance_negative" => 0.0,
            "brand.mentions" => 0.25,
            "brand.positive_mentions" | "brand.customer" => 0.5,
            "brand.net_sentiment" => 1.5,
            _ => 1.0,
        };
        assert_eq!(s.default_weight(), w, "{}", s.name());
    }
}

#[test]
fn united_mentions_and_sentiment_agree_with_the_csv() {
    let engine = airline_engine();
    let someone = "jnardino";
    let campaign = united_campaign(&format!(
        "employees = [\"@{someone}\"]\ncustomers = [\"@{someone}\"]"
    ));
    let ctx = CampaignContext::new(&engine, &campaign).unwrap();
    assert_eq!(ctx.brand.len(), 1);
    let united = ctx.brand[0];
    let accounts = all_accounts(&engine);
    let m = SignalMatrix::compute(&ctx, &brand::signals(), &accounts).unwrap();
    let col = |name: &str| m.column(name).unwrap().to_vec();
    let (mentions, sentiment, positive, negative, follows, employee, customer) = (
        col("brand.mentions"),
        col("brand.sentiment"),
        col("brand.positive_mentions"),
        col("brand.negative_mentions"),
        col("brand.follows"),
        col("brand.employee"),
        col("brand.customer"),
    );

    // Mentions per author, recomputed from the raw CSV.
    let rows = raw_rows();
    let mut expected: BTreeMap<String, usize> = BTreeMap::new();
    for r in rows.iter().filter(|r| names_united(&r.text)) {
        assert!(!r.text.trim_start().starts_with("RT @"));
        *expected.entry(r.name.to_lowercase()).or_default() += 1;
    }
    let total: usize = expected.values().sum();
    assert_eq!(total, 2301, "United tweets in the CSV");
    for (i, &v) in mentions.iter().enumerate() {
        let a = NodeId(i as u32);
        let label = engine.label(a).trim_start_matches('@').to_lowercase();
        let want = expected.get(&label).copied().unwrap_or(0);
        assert_eq!(v, want as f64, "mentions of {label}");
        assert!(positive[i] + negative[i] <= v, "{label}");
        assert!((-1.0..=1.0).contains(&sentiment[i]), "{label}");
        if v == 0.0 {
            assert_eq!(sentiment[i], 0.0);
            assert_eq!(customer[i], f64::from(label == someone));
        }
        // No follow layer in a CSV of posts.
        assert_eq!(follows[i], 0.0);
    }
    assert_eq!(mentions.iter().sum::<f64>(), total as f64);
    // The brand's own account gets nothing.
    assert_eq!(mentions[united.index()], 0.0);
    assert_eq!(sentiment[united.index()], 0.0);
    assert!(m.row(united).unwrap().iter().all(|&v| v == 0.0));

    // Employee and customer lists.
    let listed = engine.resolve(&format!("@{someone}")).unwrap();
    assert_eq!(employee[listed.index()], 1.0);
    assert_eq!(customer[listed.index()], 1.0);
    assert_eq!(employee.iter().sum::<f64>(), 1.0, "no bios in this CSV");
    let customers = customer.iter().filter(|&&c| c == 1.0).count();
    assert!(customers > 100, "{customers} customers by their words");
    eprintln!(
        "United: {} mentioning accounts, {total} mentions, {customers} customers by words or list",
        expected.len()
    );

    // Sentiment against the annotators' labels of the tweets about United.
    let by_id: BTreeMap<&str, &Row> = rows.iter().map(|r| (r.id.as_str(), r)).collect();
    let posts = &engine.posts();
    let english = Vader::english();
    let target = brand_target(&ctx);
    // (three-class agreement, labelled tweets), (sign agreement, polar
    // labels with a polar compound).
    let (mut same_class, mut labelled) = (0usize, 0usize);
    let (mut agree, mut polar) = (0usize, 0usize);
    let mut labels_of: BTreeMap<NodeId, BTreeSet<&str>> = BTreeMap::new();
    for &a in &accounts {
        let cited = brand_mentions(&ctx, a);
        assert_eq!(cited.len() as f64, mentions[a.index()]);
        // Strongest first, ties by post index.
        for w in cited.windows(2) {
            let (x, y) = (w[0].compound.abs(), w[1].compound.abs());
            assert!(x > y || (x == y && w[0].post < w[1].post));
        }
        if !cited.is_empty() {
            let mean = cited.iter().map(|c| c.compound).sum::<f64>() / cited.len() as f64;
            assert!((mean - sentiment[a.index()]).abs() < 1e-12);
        }
        for c in &cited {
            let row = by_id[posts[c.post].id.as_str()];
            assert_eq!(posts[c.post].author, a);
            // An English campaign: the English lexicon; a post addressed to
            // the brand scored whole with the brand masked, any other toward
            // the brand.
            let post = &posts[c.post];
            let want = if brand::addressed_to_brand(post, &ctx.brand, &target) {
                english.polarity_scores(&target.mask(&post.text)).compound
            } else {
                english
                    .target_sentiment(&post.text, &target)
                    .unwrap()
                    .scores
                    .compound
            };
            assert_eq!(want, c.compound);
            if row.airline != "United" {
                continue;
            }
            labels_of.entry(a).or_default().insert(row.label.as_str());
            let class = if c.compound >= 0.05 {
                "positive"
            } else if c.compound <= -0.05 {
                "negative"
            } else {
                "neutral"
            };
            labelled += 1;
            same_class += usize::from(class == row.label);
            if row.label != "neutral" && class != "neutral" {
                polar += 1;
                agree += usize::from(class == row.label);
            }
        }
    }
    let mean_of = |label: &str| {
        let vals: Vec<f64> = labels_of
            .iter()
            .filter(|(_, l)| l.len() == 1 && l.contains(label))
            .map(|(a, _)| sentiment[a.index()])
            .collect();
        let below = vals.iter().filter(|&&v| v < 0.0).count();
        let above = vals.iter().filter(|&&v| v > 0.0).count();
        (
            vals.len(),
            vals.iter().sum::<f64>() / vals.len() as f64,
            below,
            above,
        )
    };
    let (n_neg, mean_neg, neg_below, neg_above) = mean_of("negative");
    let (n_pos, mean_pos, pos_below, pos_above) = mean_of("positive");
    eprintln!(
        "United tweets: three-class agreement {same_class}/{labelled} ({:.1}%); \
         labelled and scored polar: sign agrees on {agree}/{polar} ({:.1}%)",
        100.0 * same_class as f64 / labelled as f64,
        100.0 * agree as f64 / polar as f64
    );
    eprintln!(
        "all-negative accounts: {n_neg}, mean brand.sentiment {mean_neg:.3}, {neg_below} below 0, {neg_above} above 0"
    );
    eprintln!(
        "all-positive accounts: {n_pos}, mean brand.sentiment {mean_pos:.3}, {pos_below} below 0, {pos_above} above 0"
    );
    assert!(n_neg > 500 && n_pos > 50, "{n_neg} {n_pos}");
    assert!(mean_neg < 0.0, "{mean_neg}");
    assert!(mean_pos > 0.0, "{mean_pos}");
    assert!(same_class as f64 / labelled as f64 > 0.4);
    assert!(agree as f64 / polar as f64 > 0.6);
}

#[test]
fn festival_de_cannes_is_scored_in_french() {
    let engine = engine(&[
        (
            &shared_dataset("fr-media/twitter-accounts.json"),
            FormatKind::TwitterV2,
        ),
        (
            &shared_dataset("fr-media/fusion.json"),
            FormatKind::TwitterV2,
        ),
    ]);
    let campaign = Campaign::from_toml_str(
        r##"
name = "Cannes"
languages = ["fr"]
objective = "advocacy"
[brand]
name = "Festival de Cannes"
handles = ["@Festival_Cannes"]
names = ["Festival de Cannes"]
keywords = ["#Cannes2022"]
stance_engine = "vader"
"##,
        "cannes.toml",
    )
    .unwrap();
    let ctx = CampaignContext::new(&engine, &campaign).unwrap();
    let target = brand_target(&ctx);
    let accounts = all_accounts(&engine);
    let m = SignalMatrix::compute(&ctx, &brand::signals(), &accounts).unwrap();
    let mentions = m.column("brand.mentions").unwrap().to_vec();
    let total: f64 = mentions.iter().sum();
    let authors = mentions.iter().filter(|&&v| v > 0.0).count();
    eprintln!("Festival de Cannes: {total} organic mentions by {authors} media");
    assert!(total >= 10.0 && authors >= 3, "{total} by {authors}");

    let posts = &engine.posts();
    let cache: Vec<Option<f64>> = ctx
        .brand_post_sentiment()
        .iter()
        .map(|s| s.map(|s| s.compound()))
        .collect();
    let (french, english) = (Vader::french(), Vader::english());
    let (mut differ, mut checked) = (0, 0);
    for (i, c) in cache.iter().enumerate() {
        let Some(c) = c else { continue };
        let p = &posts[i];
        assert!(p.repost_of.is_none() && !p.text.starts_with("RT @"));
        if let Some(t) = french.target_sentiment(&p.text, &target) {
            assert_eq!(*c, t.scores.compound, "{}", p.text);
            checked += 1;
            let en = english.target_sentiment(&p.text, &target).unwrap();
            if en.scores.compound != *c {
                differ += 1;
            }
        }
    }
    eprintln!("{differ} of {total} mentions score differently in English");
    assert!(differ > 0);
    // Every mention names the festival in its text, and every one was scored
    // with the French lexicon (the campaign is French, so are the posts).
    assert_eq!(checked as f64, total);
    // Re-shares of the festival's tweets are not organic.
    let reshares = posts
        .iter()
        .enumerate()
        .filter(|(i, p)| {
            ctx.post_in_scope[*i] && p.repost_of.is_some() && !target.mentions(&p.text).is_empty()
        })
        .count();
    eprintln!("{reshares} re-shares naming the festival left out");
}

#[test]
fn brand_signals_are_the_same_on_1_and_3_threads() {
    let engine = airline_engine();
    let campaign = united_campaign("");
    let accounts = all_accounts(&engine);
    let run = |k: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(k)
            .build()
            .unwrap()
            .install(|| {
                let ctx = CampaignContext::new(&engine, &campaign).unwrap();
                let m = SignalMatrix::compute(&ctx, &brand::signals(), &accounts).unwrap();
                let cache = ctx.brand_post_sentiment().to_vec();
                let cited: Vec<_> = accounts.iter().map(|&a| brand_mentions(&ctx, a)).collect();
                (m.values, cache, cited)
            })
    };
    let (v1, c1, m1) = run(1);
    let (v3, c3, m3) = run(3);
    assert_eq!(c1, c3);
    assert_eq!(m1, m3);
    assert!(
        v1.iter()
            .zip(v3.iter())
            .all(|(a, b)| a.to_bits() == b.to_bits())
    );
}

/// Every rule on a small hand-made dataset: a text retweet, a post by the
/// brand, a mention only in `Post::mentions`, French by tag and by
/// detection, a follow, an employee bio, customer words.
#[test]
fn each_rule_on_a_small_dataset() {
    use portevoix_ingest::load_bytes;
    let jsonl = r#"{"type":"header","schema":"portevoix/1"}
{"type":"account","id":"af","handle":"AirFrance","bio":"Compte officiel d'Air France"}
{"type":"account","id":"alice","handle":"alice","bio":"Hôtesse de l'air chez @AirFrance. Avis perso."}
{"type":"account","id":"bob","handle":"bob","bio":"Fan de voyages, pas de @AirFrance"}
{"type":"account","id":"carol","handle":"carol"}
{"type":"account","id":"dan","handle":"dan"}
{"type":"account","id":"eve","handle":"eve"}
{"type":"post","id":"p1","author":"alice","text":"Merci @AirFrance pour ce vol magnifique !","language":"fr"}
{"type":"post","id":"p2","author":"bob","text":"@AirFrance j'ai acheté un billet et mon vol est encore annulé, c'est vraiment nul."}
{"type":"post","id":"p3","author":"carol","text":"RT @AirFrance: Nouvelle ligne vers Tokyo, magnifique !"}
{"type":"post","id":"p4","author":"af","text":"Bienvenue à bord, merci de voler avec Air France !"}
{"type":"post","id":"p5","author":"dan","text":"Great flight today, thanks!","mentions":["af"]}
{"type":"post","id":"p6","author":"eve","text":"Air France lost my bag. The crew was great though.","language":"en"}
{"type":"post","id":"p7","author":"eve","text":"Terrible. Air France lost my bag again!","language":"en"}
{"type":"interaction","actor":"bob","target":"af","layer":"follow"}
{"type":"interaction","actor":"eve","target":"dan","layer":"follow"}
{"type":"interaction","actor":"af","target":"af","layer":"follow"}
"#;
    let dataset = load_bytes(
        "brand.jsonl",
        jsonl.into(),
        FormatKind::Canonical,
        &ReadOptions::default(),
    )
    .unwrap();
    let engine = Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).unwrap();
    let campaign = Campaign::from_toml_str(
        "name = \"AF\"\n[brand]\nhandles = [\"af\"]\nnames = [\"Air France\"]\nstance_engine = \"vader\"\n",
        "af.toml",
    )
    .unwrap();
    let ctx = CampaignContext::new(&engine, &campaign).unwrap();
    let id = |h: &str| engine.resolve(&format!("@{h}")).unwrap();
    assert_eq!(ctx.brand, vec![id("AirFrance")]);
    let target = brand_target(&ctx);
    // The handle given as an account id still matches the text.
    assert_eq!(target.mentions("merci @airfrance").len(), 1);
    let accounts = all_accounts(&engine);
    let m = SignalMatrix::compute(&ctx, &brand::signals(), &accounts).unwrap();
    let get = |signal: &str, h: &str| {
        m.row(id(h)).unwrap()[m.signals.iter().position(|s| s.name == signal).unwrap()]
    };
    let post = |pid: &str| engine.posts().iter().position(|p| p.id == pid).unwrap();
    let text = |pid: &str| engine.posts()[post(pid)].text.clone();
    let cache: Vec<Option<f64>> = ctx
        .brand_post_sentiment()
        .iter()
        .map(|s| s.map(|s| s.compound()))
        .collect();
    let (fr, en) = (Vader::french(), Vader::english());
    let target_compound = |v: &Vader, pid: &str| {
        v.target_sentiment(&text(pid), &target)
            .unwrap()
            .scores
            .compound
    };

    for (h, n) in [
        ("AirFrance", 0.0),
        ("alice", 1.0),
        ("bob", 1.0),
        ("carol", 0.0),
        ("dan", 1.0),
        ("eve", 2.0),
    ] {
        assert_eq!(get("brand.mentions", h), n, "{h}");
    }
    // Tagged French, detected French, English by `mentions` only, English.
    assert_eq!(cache[post("p1")], Some(target_compound(&fr, "p1")));
    assert_eq!(cache[post("p2")], Some(target_compound(&fr, "p2")));
    assert_ne!(target_compound(&fr, "p2"), target_compound(&en, "p2"));
    assert_eq!(cache[post("p3")], None, "a text retweet is a re-share");
    assert_eq!(cache[post("p4")], None, "the brand's own post");
    assert_eq!(
        cache[post("p5")],
        Some(en.polarity_scores(&text("p5")).compound)
    );
    assert_eq!(cache[post("p6")], Some(target_compound(&en, "p6")));
    assert!(get("brand.sentiment", "alice") > 0.05);
    assert!(get("brand.sentiment", "dan") > 0.05);
    let eve = [cache[post("p6")].unwrap(), cache[post("p7")].unwrap()];
    assert!(eve.iter().all(|&c| c <= -0.05), "{eve:?}");
    assert_eq!(get("brand.sentiment", "eve"), (eve[0] + eve[1]) / 2.0);
    assert_eq!(get("brand.negative_mentions", "eve"), 2.0);
    assert_eq!(get("brand.positive_mentions", "eve"), 0.0);
    assert_eq!(get("brand.positive_mentions", "alice"), 1.0);
    // Strongest first.
    let cited = brand_mentions(&ctx, id("eve"));
    assert_eq!(cited.len(), 2);
    assert!(cited[0].compound.abs() >= cited[1].compound.abs());

    for (h, f, e, c) in [
        ("AirFrance", 0.0, 0.0, 0.0),
        ("alice", 0.0, 1.0, 0.0),
        ("bob", 1.0, 0.0, 1.0),
        ("carol", 0.0, 0.0, 0.0),
        ("dan", 0.0, 0.0, 0.0),
        ("eve", 0.0, 0.0, 1.0),
    ] {
        assert_eq!(get("brand.follows", h), f, "follows {h}");
        assert_eq!(get("brand.employee", h), e, "employee {h}");
        assert_eq!(get("brand.customer", h), c, "customer {h}");
    }
}
