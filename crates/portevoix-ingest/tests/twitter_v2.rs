//! The Twitter API v2 reader on the real files of `shared/datasets`
//! (`twitter-api-v2`: twarc2 pages, flattened lines, users, streaming output;
//! `fr-media`: maps of tweets by author and of users by id).
//!
//! Every count asserted here was also computed by an independent script over
//! the raw JSON, applying the rules documented in the module.

use portevoix_core::{Layer, NodeId, Post};
use portevoix_ingest::{Dataset, FormatKind, Mode, ReadOptions, guess_format, load, load_bytes};
use portevoix_testdata::shared_dataset;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn path(rel: &str) -> PathBuf {
    shared_dataset(rel)
}

fn load_in(files: &[&str], mode: Mode) -> Dataset {
    let paths: Vec<PathBuf> = files.iter().map(|f| path(f)).collect();
    let inputs: Vec<_> = paths
        .iter()
        .map(|p| (p.as_path(), Some(FormatKind::TwitterV2)))
        .collect();
    load(
        &inputs,
        &ReadOptions {
            mode,
            ..ReadOptions::default()
        },
    )
    .unwrap()
}

fn ext(ds: &Dataset, n: NodeId) -> String {
    ds.interner.name(n).to_string()
}

fn layer_len(ds: &Dataset, l: Layer) -> usize {
    ds.interactions.layer(l).len()
}

/// Every interaction, by external ids and post id, sorted.
/// (actor, target, layer, time in ms, post id).
type Row = (String, String, Layer, Option<i64>, Option<String>);

fn interactions(ds: &Dataset) -> Vec<Row> {
    let mut v: Vec<_> = ds
        .interactions
        .iter()
        .map(|i| {
            (
                ext(ds, i.actor),
                ext(ds, i.target),
                i.layer,
                i.time.map(|t| t.0),
                i.post.map(|p| ds.posts[p as usize].id.clone()),
            )
        })
        .collect();
    v.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    v
}

/// A post with its ids made external, for comparisons across datasets.
fn post_view(ds: &Dataset, p: &Post) -> String {
    let r = |r: &Option<portevoix_core::PostRef>| {
        r.as_ref()
            .map(|r| (r.post.clone(), r.author.map(|a| ext(ds, a))))
    };
    let mut mentions: Vec<String> = p.mentions.iter().map(|&m| ext(ds, m)).collect();
    mentions.sort();
    format!(
        "{} by {} at {:?} [{}] lang {:?} reply {:?} repost {:?} quote {:?} conv {:?} mentions {:?} tags {:?} urls {:?} {:?}",
        p.id,
        ext(ds, p.author),
        p.time,
        p.text,
        p.language,
        r(&p.reply_to),
        r(&p.repost_of),
        r(&p.quote_of),
        p.conversation,
        mentions,
        p.hashtags,
        p.urls,
        p.reactions
    )
}

fn posts(ds: &Dataset) -> BTreeSet<String> {
    ds.posts.iter().map(|p| post_view(ds, p)).collect()
}

fn note(ds: &Dataset, file: usize, kind: &str) -> u64 {
    ds.report.files[file].notes.get(kind).copied().unwrap_or(0)
}

#[test]
fn two_pages_of_2sets() {
    let ds = load_in(&["twitter-api-v2/2sets.jsonl"], Mode::Strict);
    let data_tweets = 200;
    let included_tweets = 82;
    let duplicates = 6; // included tweets that are also in `data`
    assert_eq!(note(&ds, 0, "duplicate post merged"), duplicates);
    assert_eq!(
        ds.posts.len(),
        data_tweets + included_tweets - duplicates as usize
    );
    assert_eq!(ds.posts.len(), 276);
    assert_eq!(layer_len(&ds, Layer::Repost), 145);
    assert_eq!(layer_len(&ds, Layer::Reply), 17);
    assert_eq!(layer_len(&ds, Layer::Quote), 13);
    assert_eq!(layer_len(&ds, Layer::Mention), 72);
    assert_eq!(ds.num_nodes(), 299);
    assert_eq!(note(&ds, 0, "api error entry: Forbidden"), 1);
    assert_eq!(note(&ds, 0, "dangling reference"), 18);
    assert_eq!(
        note(&ds, 0, "reference with unknown author (no interaction)"),
        11
    );
    assert_eq!(ds.report.skipped_total(), 0);
    // Languages as SOURCE.md counts them (in `data`; includes add more).
    let en = ds
        .posts
        .iter()
        .filter(|p| p.language.as_deref() == Some("en"))
        .count();
    assert!(en >= 151, "{en}");
}

#[test]
fn flat_and_noflat_are_the_same_tweets_and_interactions() {
    let flat = load_in(&["twitter-api-v2/flat.jsonl"], Mode::Strict);
    let noflat = load_in(&["twitter-api-v2/noflat.jsonl"], Mode::Strict);
    // 100 tweets in `data` and 66 referenced tweets, 2 of them in both.
    assert_eq!(flat.posts.len(), 164);
    assert_eq!(noflat.posts.len(), 164);
    assert_eq!(posts(&flat), posts(&noflat));
    assert_eq!(interactions(&flat), interactions(&noflat));
    assert_eq!(layer_len(&flat, Layer::Repost), 47);
    assert_eq!(layer_len(&flat, Layer::Reply), 50);
    assert_eq!(layer_len(&flat, Layer::Quote), 12);
    assert_eq!(layer_len(&flat, Layer::Mention), 89);
    assert_eq!(flat.num_nodes(), noflat.num_nodes());
    assert_eq!(flat.num_nodes(), 180);
    for kind in [
        "dangling reference",
        "reference with unknown author (no interaction)",
    ] {
        assert_eq!(note(&flat, 0, kind), note(&noflat, 0, kind), "{kind}");
    }
    assert_eq!(note(&noflat, 0, "dangling reference"), 22);
    // The suspended account (an `errors` entry in noflat) is mentioned by
    // handle only: a stand-in in both layouts.
    assert_eq!(note(&noflat, 0, "api error entry: Forbidden"), 1);
    assert!(noflat.interner.get("@gatewaypundit").is_some());
    assert!(flat.interner.get("@gatewaypundit").is_some());
    // Profiles from `includes.users` and from inline `author` objects agree.
    let profile = |ds: &Dataset| {
        let mut v: Vec<_> = ds
            .accounts
            .iter()
            .filter(|a| a.followers.is_some())
            .map(|a| {
                (
                    a.external_id.clone(),
                    a.handle.clone(),
                    a.followers,
                    a.verified,
                )
            })
            .collect();
        v.sort();
        v
    };
    let (pf, pn) = (profile(&flat), profile(&noflat));
    let common: Vec<_> = pf.iter().filter(|a| pn.contains(a)).collect();
    assert!(
        common.len() >= 170,
        "{} of {} profiles agree",
        common.len(),
        pf.len()
    );
}

#[test]
fn a_retweet_is_one_repost_and_no_mention() {
    let ds = load_in(&["twitter-api-v2/two_tweets.jsonl"], Mode::Strict);
    assert_eq!(ds.posts.len(), 2);
    let rt = ds.interactions.layer(Layer::Repost).get(Layer::Repost, 0);
    assert_eq!(ext(&ds, rt.actor), "1379899464345923590");
    assert_eq!(ext(&ds, rt.target), "1380086327023169540");
    assert_eq!(ds.label(rt.target), "@bibaigna96");
    assert_eq!(
        ds.posts[rt.post.unwrap() as usize].id,
        "1394735776701816833"
    );
    assert_eq!(
        rt.time.unwrap().to_iso8601(),
        "2021-05-18T19:24:56.000Z",
        "the retweet's own time"
    );
    assert_eq!(ds.interactions.len(), 1, "no mention for the RT @ prefix");
    let retweet = &ds.posts[ds.post_index("1394735776701816833").unwrap()];
    assert!(retweet.mentions.is_empty());
    assert_eq!(
        retweet.repost_of.as_ref().unwrap().post,
        "1391677057810288641"
    );
}

#[test]
fn cashtags_are_hashtags_with_their_dollar() {
    let ds = load_in(&["twitter-api-v2/cashtags.jsonl"], Mode::Strict);
    let p = &ds.posts[ds.post_index("1611077073803841538").unwrap()];
    assert_eq!(
        &p.hashtags[..4],
        &["business", "NFT", "StockMarket", "option"]
    );
    assert!(p.hashtags.contains(&"$AMD".to_string()));
    assert!(p.hashtags.contains(&"$TWTR".to_string()));
    assert_eq!(p.hashtags.len(), 4 + 11);
    assert!(
        p.urls
            .contains(&"http://go.trade-ideas.com/SHHb".to_string())
    );
}

#[test]
fn users_file_and_pinned_tweets() {
    let ds = load_in(&["twitter-api-v2/users.jsonl"], Mode::Strict);
    // 96 user objects in `data`, 91 distinct users (5 listed twice).
    let with_metrics = ds.accounts.iter().filter(|a| a.followers.is_some()).count();
    assert_eq!(with_metrics, 91);
    assert_eq!(
        ds.posts.len(),
        52,
        "their pinned tweets, from includes.tweets"
    );
    assert_eq!(note(&ds, 0, "api error entry: Not Found Error"), 7);
    assert_eq!(note(&ds, 0, "api error entry: Authorization Error"), 1);
    // Profile fields kept, personal ones dropped.
    let a = ds.accounts.iter().find(|a| a.followers.is_some()).unwrap();
    assert!(a.handle.is_some() && a.created_at.is_some() && a.verified.is_some());
    assert_eq!(a.platform, portevoix_core::Platform::Twitter);
}

#[test]
fn entities_and_media_policy_files() {
    let ds = load_in(&["twitter-api-v2/entities_test.jsonl"], Mode::Strict);
    assert_eq!(ds.posts.len(), 650);
    assert_eq!(
        [Layer::Repost, Layer::Reply, Layer::Quote, Layer::Mention].map(|l| layer_len(&ds, l)),
        [314, 126, 14, 225]
    );
    let ds = load_in(
        &["twitter-api-v2/media_policy_violation_on.jsonl"],
        Mode::Strict,
    );
    assert_eq!(ds.posts.len(), 160);
    assert_eq!(
        [Layer::Repost, Layer::Reply, Layer::Quote, Layer::Mention].map(|l| layer_len(&ds, l)),
        [42, 7, 18, 25]
    );
}

#[test]
fn objects_that_are_not_tweets_are_noted_not_failed() {
    let ds = load_in(&["twitter-api-v2/counts.jsonl"], Mode::Strict);
    assert_eq!(note(&ds, 0, "ignored object (not a tweet or user)"), 169);
    assert!(ds.posts.is_empty());
    let ds = load_in(&["twitter-api-v2/tweets_compliance.jsonl"], Mode::Strict);
    assert_eq!(note(&ds, 0, "ignored object (not a tweet or user)"), 2);
    let ds = load_in(&["twitter-api-v2/empty.json"], Mode::Strict);
    assert_eq!(
        (ds.num_nodes(), ds.posts.len(), ds.report.records_total()),
        (0, 0, 0)
    );
}

#[test]
fn streaming_output_with_its_broken_line() {
    let file = path("twitter-api-v2/streaming_output_with_error.jsonl");
    let err = load(
        &[(file.as_path(), Some(FormatKind::TwitterV2))],
        &ReadOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.ends_with(
            "streaming_output_with_error.jsonl:8:44: invalid JSON: EOF while parsing an object"
        ),
        "{err}"
    );
    let ds = load_in(
        &["twitter-api-v2/streaming_output_with_error.jsonl"],
        Mode::Lenient,
    );
    let report = &ds.report.files[0];
    assert_eq!(report.skipped["truncated JSON"], 1);
    assert_eq!(report.skipped_total(), 1);
    assert_eq!(report.examples[0].location.line, 8);
    assert_eq!(report.examples[0].location.column, Some(44));
    // The 7 good lines: 7 tweets in `data` and 4 included ones.
    assert_eq!(ds.posts.len(), 11);
    assert_eq!(ds.num_nodes(), 11);
}

#[test]
fn fr_media_fusion_map_of_tweets_by_author() {
    let ds = load_in(&["fr-media/fusion.json"], Mode::Strict);
    // fusion.json is one object whose 28 author keys each appear twice (the
    // 10.05 backup snapshot, then a later one): 4,200 tweet records.
    // Every entry is kept; 225 tweets are in both snapshots.
    assert_eq!(ds.report.files[0].records, 4200);
    assert_eq!(note(&ds, 0, "repeated JSON key (every entry kept)"), 28);
    assert_eq!(note(&ds, 0, "duplicate post merged"), 225);
    assert_eq!(ds.posts.len(), 3975);
    let authors: BTreeSet<_> = ds.posts.iter().map(|p| p.author).collect();
    assert_eq!(authors.len(), 28);
    let count = |f: fn(&Post) -> bool| ds.posts.iter().filter(|p| f(p)).count();
    assert_eq!(count(|p| p.repost_of.is_some()), 631);
    assert_eq!(count(|p| p.reply_to.is_some()), 297);
    assert_eq!(count(|p| p.quote_of.is_some()), 21);
    // Every retweet finds its author from its `RT @handle:` prefix.
    assert_eq!(layer_len(&ds, Layer::Repost), 631);
    // Replies to tweets of the file (threads) find their author, wherever
    // the replied tweet is in the file; the quoted tweets are not in it.
    assert_eq!(layer_len(&ds, Layer::Reply), 239);
    assert_eq!(layer_len(&ds, Layer::Quote), 0);
    assert_eq!(
        note(&ds, 0, "reference with unknown author (no interaction)"),
        (297 - 239) + 21
    );
    // No `entities`: mentions come from the text (not from retweets).
    assert_eq!(layer_len(&ds, Layer::Mention), 785);
    let first = &ds.posts[0];
    assert_eq!(first.id, "1524020684019703808", "file order is kept");
    assert_eq!(ext(&ds, first.author), "24744541");
    assert_eq!(first.time.unwrap().to_iso8601(), "2022-05-10T13:37:00.000Z");
    assert_eq!(first.reactions.likes, Some(7));

    // What SOURCE.md counts (2,800 tweets, 446 retweets, 246 replies, 18
    // quotes) is what a parser keeping only the last value of a repeated
    // key sees: the second snapshot.
    let bytes = std::fs::read(path("fr-media/fusion.json")).unwrap();
    let last_wins: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let ids: Vec<&str> = last_wins
        .as_object()
        .unwrap()
        .values()
        .flat_map(|v| v.as_array().unwrap())
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2800);
    let of = |kind: fn(&Post) -> bool| {
        ids.iter()
            .filter(|id| kind(&ds.posts[ds.post_index(id).unwrap()]))
            .count()
    };
    assert_eq!(of(|p| p.repost_of.is_some()), 446);
    assert_eq!(of(|p| p.reply_to.is_some()), 246);
    assert_eq!(of(|p| p.quote_of.is_some()), 18);
}

#[test]
fn fr_media_accounts_resolve_the_handles_of_retweets_and_mentions() {
    let ds = load_in(
        &["fr-media/twitter-accounts.json", "fr-media/fusion.json"],
        Mode::Strict,
    );
    let lemonde = ds.interner.get("24744541").unwrap();
    let acc = ds.account(lemonde).unwrap();
    assert_eq!(acc.handle.as_deref(), Some("lemondefr"));
    assert_eq!(acc.followers, Some(10_172_891));
    assert_eq!(acc.verified, Some(true));
    // The media retweet and mention each other by handle: the handles now
    // resolve to their ids, and no stand-in is left for them.
    for handle in ["@lemondefr", "@mediavenir", "@france3tv", "@qofficiel"] {
        assert!(ds.interner.get(handle).is_none(), "{handle}");
    }
    let q = ds.interner.get("743432061088899073").unwrap();
    assert_eq!(ds.label(q), "@Qofficiel");
    let self_retweets = ds
        .interactions
        .iter()
        .filter(|i| i.layer == Layer::Repost && i.actor == q && i.target == q)
        .count();
    assert_eq!(self_retweets, 2, "Qofficiel retweets itself twice");
    let mediavenir = ds.interner.get("1214315619031478272").map(|n| ds.label(n));
    assert_eq!(mediavenir.as_deref(), Some("@Mediavenir"));
    let mentions_of_mediavenir = ds
        .interactions
        .iter()
        .filter(|i| i.layer == Layer::Mention && Some(ds.label(i.target)) == mediavenir)
        .count();
    assert!(mentions_of_mediavenir > 0);
    // Loading the accounts after the tweets gives the same graph.
    let after = load_in(
        &["fr-media/fusion.json", "fr-media/twitter-accounts.json"],
        Mode::Strict,
    );
    assert_eq!(interactions(&ds), interactions(&after));
    // 28 media and 746 other handles named in the texts.
    assert_eq!(ds.num_nodes(), 774);
    assert_eq!(after.num_nodes(), 774);
    let alone = load_in(&["fr-media/fusion.json"], Mode::Strict);
    assert_eq!(
        alone.num_nodes(),
        774 + 23,
        "23 media handles stay stand-ins"
    );
}

#[test]
fn fr_media_three_snapshots_deduplicate_across_files() {
    let files = [
        "fr-media/fusion.json",
        "fr-media/twitter-tweets.json",
        "fr-media/data_backup_10.05-tweets.json",
    ];
    let ds = load_in(&files, Mode::Strict);
    assert_eq!(ds.posts.len(), 6632);
    let merged: u64 = (0..3).map(|f| note(&ds, f, "duplicate post merged")).sum();
    assert_eq!(merged, 4200 + 2800 + 1400 - 6632);
    assert_eq!(layer_len(&ds, Layer::Repost), 927);
    // A reply in one snapshot to a tweet of another resolves whatever the order.
    assert_eq!(layer_len(&ds, Layer::Reply), 352);
    assert_eq!(layer_len(&ds, Layer::Mention), 1176);
    let reversed = load_in(&[files[2], files[1], files[0]], Mode::Strict);
    assert_eq!(reversed.posts.len(), 6632);
    assert_eq!(layer_len(&reversed, Layer::Reply), 352);
    assert_eq!(interactions(&ds).len(), interactions(&reversed).len());
}

#[test]
fn format_is_guessed_for_every_twitter_file() {
    for f in [
        "twitter-api-v2/2sets.jsonl",
        "twitter-api-v2/flat.jsonl",
        "twitter-api-v2/users.jsonl",
        "fr-media/fusion.json",
        "fr-media/twitter-accounts.json",
    ] {
        assert_eq!(
            guess_format(&path(f)).unwrap(),
            FormatKind::TwitterV2,
            "{f}"
        );
    }
}

#[test]
fn arrays_of_tweets_and_single_documents() {
    // A pretty-printed array of tweets: each element is located at its own line.
    let doc = r#"[
  {"id": "1", "author_id": "10", "text": "hello @bob", "entities": {"mentions": [{"username": "bob", "id": "20"}]}},
  {"id": "2", "author_id": "20", "text": "hi", "referenced_tweets": [{"type": "replied_to", "id": "1"}],
   "in_reply_to_user_id": "10"},
  {"text": "no id", "author_id": "30"}
]"#;
    let err = load_bytes(
        "a.json",
        doc.into(),
        FormatKind::TwitterV2,
        &ReadOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(err, "a.json:5:3: tweet has no `id`");
    let ds = load_bytes(
        "a.json",
        doc.into(),
        FormatKind::TwitterV2,
        &ReadOptions {
            mode: Mode::Lenient,
            ..ReadOptions::default()
        },
    )
    .unwrap();
    assert_eq!(ds.posts.len(), 2);
    assert_eq!(ds.report.files[0].skipped["missing field"], 1);
    let m = ds.interactions.layer(Layer::Mention).get(Layer::Mention, 0);
    assert_eq!(
        (ext(&ds, m.actor), ext(&ds, m.target)),
        ("10".into(), "20".into())
    );
    let r = ds.interactions.layer(Layer::Reply).get(Layer::Reply, 0);
    assert_eq!(
        (ext(&ds, r.actor), ext(&ds, r.target)),
        ("20".into(), "10".into())
    );
}

#[test]
fn a_reply_before_the_tweet_it_answers_is_resolved() {
    let jsonl = concat!(
        r#"{"id": "2", "author_id": "20", "text": "yes", "referenced_tweets": [{"type": "quoted", "id": "1"}]}"#,
        "\n",
        r#"{"id": "1", "author_id": "10", "text": "q?"}"#,
        "\n"
    );
    let ds = load_bytes(
        "q.jsonl",
        jsonl.into(),
        FormatKind::TwitterV2,
        &ReadOptions::default(),
    )
    .unwrap();
    let q = ds.interactions.layer(Layer::Quote).get(Layer::Quote, 0);
    assert_eq!(
        (ext(&ds, q.actor), ext(&ds, q.target)),
        ("20".into(), "10".into())
    );
    let quoting = &ds.posts[ds.post_index("2").unwrap()];
    assert_eq!(quoting.quote_of.as_ref().unwrap().author, Some(q.target));
    assert_eq!(note(&ds, 0, "dangling reference"), 0);
}

/// Load times of the real files, for the record (not a pass/fail test):
/// `cargo test --release -p portevoix-ingest --test twitter_v2 -- --ignored --nocapture load_times`.
#[test]
#[ignore]
fn load_times() {
    use std::time::Instant;
    let cases: &[(&[&str], FormatKind)] = &[
        (&["twitter-api-v2/2sets.jsonl"], FormatKind::TwitterV2),
        (&["twitter-api-v2/flat.jsonl"], FormatKind::TwitterV2),
        (&["twitter-api-v2/noflat.jsonl"], FormatKind::TwitterV2),
        (
            &["twitter-api-v2/entities_test.jsonl"],
            FormatKind::TwitterV2,
        ),
        (&["fr-media/fusion.json"], FormatKind::TwitterV2),
        (
            &[
                "fr-media/twitter-accounts.json",
                "fr-media/fusion.json",
                "fr-media/twitter-tweets.json",
                "fr-media/data_backup_10.05-tweets.json",
            ],
            FormatKind::TwitterV2,
        ),
        (&["airline-sentiment/tweets.csv"], FormatKind::PostsCsv),
    ];
    for (files, format) in cases {
        let paths: Vec<PathBuf> = files.iter().map(|f| path(f)).collect();
        let bytes: u64 = paths
            .iter()
            .map(|p| std::fs::metadata(p).unwrap().len())
            .sum();
        let inputs: Vec<_> = paths.iter().map(|p| (p.as_path(), Some(*format))).collect();
        let mut best = f64::MAX;
        let mut ds = None;
        for _ in 0..5 {
            let t = Instant::now();
            ds = Some(load(&inputs, &ReadOptions::default()).unwrap());
            best = best.min(t.elapsed().as_secs_f64());
        }
        let ds = ds.unwrap();
        let t = Instant::now();
        let mut out = Vec::new();
        portevoix_ingest::canonical::write_jsonl(&ds, &mut out).unwrap();
        let write = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let back = load_bytes(
            "c.jsonl",
            out.clone(),
            FormatKind::Canonical,
            &ReadOptions::default(),
        )
        .unwrap();
        let read_back = t.elapsed().as_secs_f64();
        assert_eq!(back.posts.len(), ds.posts.len());
        println!(
            "{:<70} {:>9} bytes {:>6} posts {:>6} interactions: load {:>7.2} ms ({:>6.1} MB/s); canonical {:>9} bytes, write {:>6.2} ms, read {:>6.2} ms",
            files.join(" + "),
            bytes,
            ds.posts.len(),
            ds.interactions.len(),
            best * 1e3,
            bytes as f64 / best / 1e6,
            out.len(),
            write * 1e3,
            read_back * 1e3
        );
    }
}
