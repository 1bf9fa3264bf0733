//! Bad input for the social readers (`twitter-v2`, `mastodon`, `canonical`,
//! `posts-csv`): real lines of the shared datasets, damaged the ways real
//! exports break, with the exact line, column, reason and lenient counts;
//! property tests with arbitrary bytes and with mutated real JSON (no panic
//! in either mode); and the replay of the fuzzers' regression files.

use flate2::{Compression, write::GzEncoder};
use portevoix_core::{Error, Layer};
use portevoix_ingest::{Dataset, FormatKind, Mode, ReadOptions, load_bytes};
use portevoix_testdata::shared_dataset;
use proptest::prelude::*;
use serde_json::{Value, json};
use std::io::Write;
use std::path::PathBuf;

const SOCIAL: [FormatKind; 4] = [
    FormatKind::TwitterV2,
    FormatKind::Mastodon,
    FormatKind::Canonical,
    FormatKind::PostsCsv,
];

fn opts(mode: Mode) -> ReadOptions {
    ReadOptions {
        mode,
        ..ReadOptions::default()
    }
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(shared_dataset(rel)).unwrap()
}

fn lines(rel: &str) -> Vec<String> {
    String::from_utf8(read(rel))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn twitter(name: &str, bytes: Vec<u8>, mode: Mode) -> Result<Dataset, Error> {
    load_bytes(name, bytes, FormatKind::TwitterV2, &opts(mode))
}

fn skipped(ds: &Dataset, kind: &str) -> u64 {
    ds.report.files[0].skipped.get(kind).copied().unwrap_or(0)
}

fn note(ds: &Dataset, kind: &str) -> u64 {
    ds.report.files[0].notes.get(kind).copied().unwrap_or(0)
}

#[test]
fn a_jsonl_record_cut_in_the_middle_of_the_file() {
    let mut l = lines("twitter-api-v2/streaming_output_with_error.jsonl");
    l.truncate(7); // drop the file's own broken line
    l[2].truncate(1000);
    let bytes = (l.join("\n") + "\n").into_bytes();
    let err = twitter("s.jsonl", bytes.clone(), Mode::Strict).unwrap_err();
    assert_eq!(
        err.to_string(),
        "s.jsonl:3:1001: invalid JSON: the record that starts at line 3 ends early (line 4 starts a new record)"
    );
    let ds = twitter("s.jsonl", bytes, Mode::Lenient).unwrap();
    assert_eq!(skipped(&ds, "truncated JSON"), 1);
    assert_eq!(ds.report.files[0].examples[0].location.line, 3);
    // Lines 1-2 and 4-7: 6 streamed tweets and their included tweets.
    assert_eq!(
        ds.posts
            .iter()
            .filter(|p| p.id == "1377650277642338305")
            .count(),
        0
    );
    assert!(ds.post_index("1377650093109743620").is_some());
    assert!(ds.posts.len() >= 6);
}

#[test]
fn invalid_utf8_inside_a_real_tweet_text() {
    let mut bytes = read("twitter-api-v2/streaming_output_with_error.jsonl");
    let at = bytes
        .windows(16)
        .position(|w| w == b"Well done PD Max")
        .unwrap();
    bytes[at + 5] = 0xff; // "Well \xffone"
    let line_start = bytes[..at].iter().rposition(|&b| b == b'\n').unwrap() + 1;
    let err = twitter("u.jsonl", bytes.clone(), Mode::Strict).unwrap_err();
    let Error::Input { location, reason } = &err else {
        panic!("{err}")
    };
    assert_eq!(location.line, 2);
    assert!(
        reason.starts_with("invalid JSON: invalid unicode code point"),
        "{reason}"
    );
    // serde_json reports the end of the string holding the bad byte.
    let column = location.column.unwrap() as usize;
    assert!(column > at - line_start && column < 400, "{column}");
    let ds = twitter("u.jsonl", bytes, Mode::Lenient).unwrap();
    assert_eq!(skipped(&ds, "invalid UTF-8"), 1);
    assert_eq!(skipped(&ds, "truncated JSON"), 1, "the file's own line 8");
    assert!(ds.post_index("1377650093109743620").is_none());
    assert!(ds.post_index("1377650090978992134").is_some());
}

#[test]
fn a_truncated_gzip_of_a_real_file() {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(&read("twitter-api-v2/flat.jsonl")).unwrap();
    let mut gz = enc.finish().unwrap();
    gz.truncate(gz.len() / 2);
    let err = twitter("flat.jsonl.gz", gz.clone(), Mode::Strict).unwrap_err();
    let Error::Io { path, source } = &err else {
        panic!("{err}")
    };
    assert_eq!(path, std::path::Path::new("flat.jsonl.gz"));
    let message = source.to_string();
    assert!(message.starts_with("after line "), "{message}");
    let complete: u64 = message
        .trim_start_matches("after line ")
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((20..100).contains(&complete), "{complete}");
    let ds = twitter("flat.jsonl.gz", gz, Mode::Lenient).unwrap();
    assert_eq!(skipped(&ds, "unreadable input"), 1);
    let ex = &ds.report.files[0].examples[0];
    assert_eq!(ex.location.line, complete + 1);
    // Every complete line was read: one tweet per line.
    assert_eq!(ds.report.files[0].records, complete);
    assert!(ds.post_index("1380242611781386245").is_some(), "line 1");
}

#[test]
fn a_ten_megabyte_line() {
    let l = lines("twitter-api-v2/two_tweets.jsonl");
    let mut page: Value = serde_json::from_str(&l[0]).unwrap();
    page["data"][0]["text"] = Value::String("x".repeat(10 << 20));
    let big = page.to_string();
    let small = lines("twitter-api-v2/cotweet.jsonl")[0].clone();
    let bytes = format!("{small}\n{big}\n{small}\n").into_bytes();
    // Under the default limit (64 MiB), a 10 MB page is read.
    let ds = twitter("big.jsonl", bytes.clone(), Mode::Strict).unwrap();
    let p = &ds.posts[ds.post_index("1394735776701816833").unwrap()];
    assert_eq!(p.text.len(), 10 << 20);
    // With a 1 MiB limit it is reported at its line and skipped.
    let mut o = opts(Mode::Strict);
    o.max_line_bytes = 1 << 20;
    let err = load_bytes("big.jsonl", bytes.clone(), FormatKind::TwitterV2, &o).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "big.jsonl:2: line 2 is {} bytes long, over the limit of 1048576 bytes (a binary file or a missing newline?)",
            big.len()
        )
    );
    o.mode = Mode::Lenient;
    let ds = load_bytes("big.jsonl", bytes, FormatKind::TwitterV2, &o).unwrap();
    assert_eq!(skipped(&ds, "line too long"), 1);
    assert_eq!(ds.report.files[0].skipped_total(), 1);
    assert!(ds.post_index("1394735776701816833").is_none());
    // cotweet's page includes its own tweet: 1 duplicate per copy, 3 in all.
    assert_eq!(note(&ds, "duplicate post merged"), 3, "cotweet read twice");
}

#[test]
fn a_tweet_without_id_and_a_wrong_type_in_a_real_page() {
    let l = lines("twitter-api-v2/noflat.jsonl");
    let mut page: Value = serde_json::from_str(&l[0]).unwrap();
    page["data"][0].as_object_mut().unwrap().remove("id");
    let bytes = (page.to_string() + "\n").into_bytes();
    let err = twitter("n.jsonl", bytes.clone(), Mode::Strict).unwrap_err();
    assert_eq!(err.to_string(), "n.jsonl:1:1: tweet has no `id`");
    let ds = twitter("n.jsonl", bytes, Mode::Lenient).unwrap();
    assert_eq!(skipped(&ds, "missing field"), 1);
    assert_eq!(ds.posts.len(), 163);

    let mut page: Value = serde_json::from_str(&l[0]).unwrap();
    page["includes"]["users"][0]["public_metrics"]["followers_count"] = json!("many");
    let bytes = (l[0].clone() + "\n" + &page.to_string() + "\n").into_bytes();
    let err = twitter("n.jsonl", bytes.clone(), Mode::Strict).unwrap_err();
    assert_eq!(
        err.to_string(),
        "n.jsonl:2:1: field `public_metrics.followers_count`: expected a non-negative integer, found string \"many\""
    );
    let ds = twitter("n.jsonl", bytes, Mode::Lenient).unwrap();
    assert_eq!(skipped(&ds, "wrong type"), 1);
    assert_eq!(ds.report.files[0].examples[0].location.line, 2);
    // The first copy of the page gave the profile; the second is all duplicates.
    let a = ds
        .account(ds.interner.get("1352661060663336960").unwrap())
        .unwrap();
    assert_eq!(a.followers, Some(58));
    assert_eq!(ds.posts.len(), 164);
}

#[test]
fn duplicate_tweets_across_pages_emit_their_interactions_once() {
    let l = lines("twitter-api-v2/2sets.jsonl");
    let once = twitter("2.jsonl", read("twitter-api-v2/2sets.jsonl"), Mode::Strict).unwrap();
    let again = format!("{}\n{}\n{}\n", l[0], l[1], l[0]).into_bytes();
    let ds = twitter("2.jsonl", again, Mode::Strict).unwrap();
    assert_eq!(ds.posts.len(), once.posts.len());
    assert_eq!(ds.interactions.len(), once.interactions.len());
    assert_eq!(
        note(&ds, "duplicate post merged"),
        note(&once, "duplicate post merged") + 100 + 23,
        "page 1 again: its 100 tweets and 23 included tweets"
    );
}

#[test]
fn dangling_referenced_tweets() {
    let l = lines("twitter-api-v2/noflat.jsonl");
    let mut page: Value = serde_json::from_str(&l[0]).unwrap();
    page["includes"].as_object_mut().unwrap().remove("tweets");
    let ds = twitter(
        "d.jsonl",
        (page.to_string() + "\n").into_bytes(),
        Mode::Strict,
    )
    .unwrap();
    assert_eq!(ds.posts.len(), 100);
    // Retweets still find their author in the `RT @handle:` prefix, replies
    // in `in_reply_to_user_id`; the 8 quoted tweets are unknown.
    assert_eq!(ds.interactions.layer(Layer::Repost).len(), 47);
    assert_eq!(ds.interactions.layer(Layer::Quote).len(), 0);
    assert_eq!(
        note(&ds, "reference with unknown author (no interaction)"),
        8
    );
    // Every reference to a tweet absent from the page is dangling (2 of the
    // 86 references are to tweets of `data`).
    let absent = ds
        .posts
        .iter()
        .flat_map(|p| [&p.reply_to, &p.repost_of, &p.quote_of])
        .flatten()
        .filter(|r| ds.post_index(&r.post).is_none())
        .count();
    assert_eq!(absent, 84);
    assert_eq!(note(&ds, "dangling reference"), 84);
    // The references are kept, with their ids.
    assert!(
        ds.posts
            .iter()
            .any(|p| p.quote_of.as_ref().is_some_and(|q| q.author.is_none()))
    );
}

#[test]
fn empty_and_blank_inputs_are_empty_datasets() {
    for format in SOCIAL {
        for bytes in [&b""[..], b"\n\n  \r\n", b"\xEF\xBB\xBF"] {
            let ds = load_bytes("e", bytes.to_vec(), format, &opts(Mode::Strict))
                .unwrap_or_else(|e| panic!("{format}: {e}"));
            assert_eq!((ds.num_nodes(), ds.posts.len()), (0, 0), "{format}");
        }
    }
    let ds = twitter(
        "empty.json",
        read("twitter-api-v2/empty.json"),
        Mode::Strict,
    )
    .unwrap();
    assert_eq!(ds.report.records_total(), 0);
}

#[test]
fn every_format_refuses_garbage_cleanly() {
    let garbage: &[&[u8]] = &[
        b"\x00\x01\x02\xff\xfe",
        b"{{{{{{{{",
        b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]",
        b"\"\\ud800\"",
        b"{\"id\": 1e999}",
        b"1 2 3",
        b"a,b\n\"unclosed\n",
    ];
    for format in SOCIAL {
        for g in garbage {
            let _ = load_bytes("g", g.to_vec(), format, &opts(Mode::Strict));
            let lenient = load_bytes("g", g.to_vec(), format, &opts(Mode::Lenient));
            if let Err(e) = lenient {
                // Only usage errors (no author column, a CSV header that is
                // not canonical) may stop a lenient load.
                assert!(
                    matches!(e, Error::Argument { .. } | Error::Input { .. }),
                    "{format}: {e}"
                );
            }
        }
    }
}

/// JSON values for mutations: leaves of every type and the values real
/// exports get wrong, and small nested objects with real field names.
fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        (-1e20f64..1e20).prop_map(|f| json!(f)),
        "[a-zA-Z0-9@#:/ ._-]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("many"),
            Just(""),
            Just("2022-05-10T13:37:00.000Z"),
            Just("RT @x: y"),
            Just("retweeted"),
            Just("replied_to"),
            Just("quoted"),
            Just("repost"),
            Just("portevoix/9"),
            Just("<p>a &amp; <br> b</p>"),
            Just("@"),
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    let keys = prop_oneof![
        Just("id"),
        Just("text"),
        Just("author_id"),
        Just("username"),
        Just("data"),
        Just("includes"),
        Just("type"),
        Just("account"),
        Just("acct"),
        Just("reblog"),
        Just("referenced_tweets"),
        Just("entities"),
        Just("mentions"),
        Just("public_metrics"),
        Just("created_at"),
        Just("in_reply_to_id"),
    ];
    leaf.prop_recursive(3, 24, 4, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..4).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

/// Replaces the value at a pseudo-random path of `v` (chosen by `seed`),
/// deletes a key, or wraps a value in an array.
fn mutate(v: &mut Value, seed: u64, op: u8, new: Value) {
    let step = seed % 4;
    let seed = seed / 4;
    if seed != 0 && step != 0 {
        match v {
            Value::Object(m) if !m.is_empty() => {
                let key = m.keys().nth((seed as usize) % m.len()).unwrap().clone();
                let seed = seed / m.len() as u64;
                if op % 5 == 0 && seed % 3 == 0 {
                    m.remove(&key);
                } else if let Some(child) = m.get_mut(&key) {
                    mutate(child, seed, op, new);
                }
                return;
            }
            Value::Array(a) if !a.is_empty() => {
                let len = a.len();
                mutate(&mut a[(seed as usize) % len], seed / len as u64, op, new);
                return;
            }
            _ => {}
        }
    }
    *v = match op % 5 {
        1 => Value::Array(vec![v.take(), new]),
        _ => new,
    };
}

/// Real seeds: Twitter pages and flattened lines, fr-media maps, Mastodon
/// statuses, canonical records.
fn seeds() -> Vec<(FormatKind, Value)> {
    let mut s = Vec::new();
    for f in [
        "two_tweets.jsonl",
        "cotweet.jsonl",
        "mentions_tweet.jsonl",
        "quoted_edit.jsonl",
    ] {
        let l = lines(&format!("twitter-api-v2/{f}"));
        s.push((FormatKind::TwitterV2, serde_json::from_str(&l[0]).unwrap()));
    }
    let flat = lines("twitter-api-v2/flat.jsonl");
    s.push((
        FormatKind::TwitterV2,
        serde_json::from_str(&flat[0]).unwrap(),
    ));
    let accounts: Value = serde_json::from_slice(&read("fr-media/twitter-accounts.json")).unwrap();
    s.push((FormatKind::TwitterV2, accounts));
    let fusion: Value =
        serde_json::from_slice(&read("fr-media/data_backup_10.05-tweets.json")).unwrap();
    let small: serde_json::Map<String, Value> = fusion
        .as_object()
        .unwrap()
        .iter()
        .take(2)
        .map(|(k, v)| (k.clone(), Value::Array(v.as_array().unwrap()[..5].to_vec())))
        .collect();
    s.push((FormatKind::TwitterV2, Value::Object(small)));
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let timeline: Value =
        serde_json::from_slice(&std::fs::read(dir.join("mastodon/home-timeline.json")).unwrap())
            .unwrap();
    s.push((FormatKind::Mastodon, timeline));
    let canonical = std::fs::read_to_string(dir.join("canonical/example.jsonl")).unwrap();
    let records: Vec<Value> = canonical
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    s.push((FormatKind::Canonical, Value::Array(records)));
    s
}

fn serialise(format: FormatKind, v: &Value, pretty: bool) -> Vec<u8> {
    match (format, v) {
        // Canonical is JSON Lines: one record per line.
        (FormatKind::Canonical, Value::Array(items)) => items
            .iter()
            .map(|r| r.to_string() + "\n")
            .collect::<String>()
            .into_bytes(),
        _ if pretty => serde_json::to_vec_pretty(v).unwrap(),
        _ => serde_json::to_vec(v).unwrap(),
    }
}

proptest! {
    // PROPTEST_CASES=100000 for a long hunt; 256 by default.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    /// Any bytes, any social format, both modes: an error or a dataset, never a panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600), f in 0usize..4) {
        for mode in [Mode::Strict, Mode::Lenient] {
            let _ = load_bytes("fuzz", bytes.clone(), SOCIAL[f], &opts(mode));
        }
    }

    /// Text-like bytes (JSON and CSV punctuation) reach deeper into the parsers.
    #[test]
    fn structured_noise_never_panics(s in r#"[\[\]{}",:@#a-z0-9\n\r\\ .-]{0,300}"#, f in 0usize..4) {
        for mode in [Mode::Strict, Mode::Lenient] {
            let _ = load_bytes("fuzz", s.clone().into_bytes(), SOCIAL[f], &opts(mode));
        }
    }

    /// Real JSON, structurally valid, with values replaced by values of other
    /// types, keys removed, values wrapped: both modes, any layout, no panic;
    /// and lenient mode never fails on a record-level problem.
    #[test]
    fn mutated_real_json_never_panics(
        which in 0usize..9,
        muts in prop::collection::vec((any::<u64>(), any::<u8>(), arb_json()), 1..6),
        pretty in any::<bool>(),
    ) {
        let seeds = seeds();
        let (format, mut v) = seeds[which % seeds.len()].clone();
        for (seed, op, new) in muts {
            mutate(&mut v, seed, op, new);
        }
        let bytes = serialise(format, &v, pretty);
        let _ = load_bytes("m.json", bytes.clone(), format, &opts(Mode::Strict));
        match load_bytes("m.json", bytes, format, &opts(Mode::Lenient)) {
            Ok(ds) => {
                // Whatever was read converts to canonical and reads back.
                let mut out = Vec::new();
                portevoix_ingest::canonical::write_jsonl(&ds, &mut out).unwrap();
                let back = load_bytes("back", out, FormatKind::Canonical, &opts(Mode::Strict));
                let back = back.map_err(|e| TestCaseError::fail(format!("round trip: {e}")))?;
                prop_assert_eq!(back.posts.len(), ds.posts.len());
                prop_assert_eq!(back.interactions.len(), ds.interactions.len());
                prop_assert_eq!(back.accounts.len(), ds.accounts.len());
                // The author of a duplicate post that lost to the first copy
                // is named by nothing written.
                prop_assert!(back.num_nodes() <= ds.num_nodes());
            }
            // A header asking for an unknown schema version stops both modes.
            Err(Error::Input { reason, .. }) if reason.contains("schema") => {}
            Err(e) => prop_assert!(false, "lenient load failed: {}", e),
        }
    }
}

/// The fuzz targets' harness, so that the replay checks the same invariants.
#[path = "../../../fuzz/fuzz_targets/social_check.rs"]
#[allow(dead_code)]
mod social_check;

/// Replays every file the fuzzers kept under `fuzz/regressions/<target>/`
/// through the fuzz targets' own checks (both modes, lenient never fails on
/// a record, strict success means nothing skipped, canonical round trip).
#[test]
fn fuzz_regressions_replay() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions");
    let targets = [
        ("fuzz_twitter_v2", FormatKind::TwitterV2),
        ("fuzz_mastodon", FormatKind::Mastodon),
        ("fuzz_canonical", FormatKind::Canonical),
        ("fuzz_posts_csv", FormatKind::PostsCsv),
    ];
    let mut replayed = 0;
    for (target, format) in targets {
        let Ok(dir) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        for entry in dir.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "md") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            social_check::check(&bytes, format);
            replayed += 1;
        }
    }
    eprintln!("replayed {replayed} regression files");
}
