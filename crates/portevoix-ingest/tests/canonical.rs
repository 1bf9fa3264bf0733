//! The canonical format: the examples of `docs/canonical-format.md`
//! (`tests/data/canonical/`), round trips of real datasets through
//! [`canonical::write_jsonl`], the version rule, and bad records.

use portevoix_core::{Layer, NodeId, Platform};
use portevoix_ingest::{
    Dataset, FormatKind, Mode, ReadOptions, canonical, guess_format, load, load_bytes,
};
use portevoix_testdata::shared_dataset;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/canonical")
        .join(name)
}

fn load_paths(paths: &[(PathBuf, FormatKind)], mode: Mode) -> Dataset {
    let inputs: Vec<(&Path, Option<FormatKind>)> =
        paths.iter().map(|(p, f)| (p.as_path(), Some(*f))).collect();
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

fn note(ds: &Dataset, file: usize, kind: &str) -> u64 {
    ds.report.files[file].notes.get(kind).copied().unwrap_or(0)
}

/// Accounts with external ids, sorted.
fn accounts(ds: &Dataset) -> Vec<String> {
    let mut v: Vec<String> = ds
        .accounts
        .iter()
        .map(|a| {
            let mut a = a.clone();
            a.id = NodeId(0);
            format!("{a:?}")
        })
        .collect();
    v.sort();
    v
}

/// Posts with external ids, in order.
fn posts(ds: &Dataset) -> Vec<String> {
    ds.posts
        .iter()
        .map(|p| {
            let r = |r: &Option<portevoix_core::PostRef>| {
                r.as_ref()
                    .map(|r| (r.post.clone(), r.author.map(|a| ext(ds, a))))
            };
            let mentions: Vec<String> = p.mentions.iter().map(|&m| ext(ds, m)).collect();
            format!(
                "{} {} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
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
        })
        .collect()
}

/// Interactions with external ids, layer by layer, in order.
fn interactions(ds: &Dataset) -> Vec<String> {
    ds.interactions
        .iter()
        .map(|i| {
            format!(
                "{} {} {} {:?} {} {:?} {:?}",
                ext(ds, i.actor),
                ext(ds, i.target),
                i.layer,
                i.time,
                i.weight,
                i.value,
                i.post.map(|p| ds.posts[p as usize].id.clone())
            )
        })
        .collect()
}

fn round_trip(ds: &Dataset) -> (Dataset, Vec<u8>) {
    let mut out = Vec::new();
    canonical::write_jsonl(ds, &mut out).unwrap();
    let back = load_bytes(
        "back.jsonl",
        out.clone(),
        FormatKind::Canonical,
        &ReadOptions::default(),
    )
    .unwrap();
    (back, out)
}

/// Equal lists, or a panic showing the first differences (not the lists).
fn same_list(what: &str, a: Vec<String>, b: Vec<String>) {
    if a == b {
        return;
    }
    let only_a: Vec<_> = a.iter().filter(|x| !b.contains(x)).take(3).collect();
    let only_b: Vec<_> = b.iter().filter(|x| !a.contains(x)).take(3).collect();
    panic!(
        "{what} differ ({} vs {}): only before {only_a:#?}, only after {only_b:#?}",
        a.len(),
        b.len()
    );
}

fn assert_same(a: &Dataset, b: &Dataset) {
    same_list("accounts", accounts(a), accounts(b));
    same_list("posts", posts(a), posts(b));
    same_list("interactions", interactions(a), interactions(b));
    assert_eq!(a.num_nodes(), b.num_nodes());
    assert_eq!(
        format!("{:?}", a.cascades.len()),
        format!("{:?}", b.cascades.len())
    );
}

#[test]
fn twitter_real_files_round_trip() {
    let ds = load_paths(
        &[
            (
                shared_dataset("twitter-api-v2/2sets.jsonl"),
                FormatKind::TwitterV2,
            ),
            (
                shared_dataset("twitter-api-v2/flat.jsonl"),
                FormatKind::TwitterV2,
            ),
        ],
        Mode::Strict,
    );
    assert!(ds.posts.len() > 400 && ds.interactions.len() > 400);
    let (back, out) = round_trip(&ds);
    assert_same(&ds, &back);
    assert_eq!(back.report.skipped_total(), 0);
    // Writing the read-back dataset gives the same bytes: a fixpoint.
    let (_, again) = round_trip(&back);
    assert_eq!(out, again);
}

#[test]
fn fr_media_airline_and_mastodon_round_trip() {
    let fr = load_paths(
        &[
            (
                shared_dataset("fr-media/twitter-accounts.json"),
                FormatKind::TwitterV2,
            ),
            (
                shared_dataset("fr-media/fusion.json"),
                FormatKind::TwitterV2,
            ),
            (
                shared_dataset("fr-media/twitter-tweets.json"),
                FormatKind::TwitterV2,
            ),
        ],
        Mode::Strict,
    );
    assert_same(&fr, &round_trip(&fr).0);
    let air = load_paths(
        &[(
            shared_dataset("airline-sentiment/tweets.csv"),
            FormatKind::PostsCsv,
        )],
        Mode::Strict,
    );
    let (back, _) = round_trip(&air);
    assert_same(&air, &back);
    // Placeholder accounts (`@handle`) stay handle references.
    assert!(back.interner.get("@virginamerica").is_some());
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/mastodon");
    let masto = load_paths(
        &[(dir.join("home-timeline.json"), FormatKind::Mastodon)],
        Mode::Strict,
    );
    assert_same(&masto, &round_trip(&masto).0);
}

#[test]
fn the_documented_jsonl_example() {
    let ds = load_paths(
        &[(fixture("example.jsonl"), FormatKind::Canonical)],
        Mode::Strict,
    );
    assert_eq!(ds.report.files[0].records, 14);
    assert_eq!(
        ds.accounts.iter().filter(|a| a.followers.is_some()).count(),
        2
    );
    assert_eq!(ds.posts.len(), 3);
    let lemonde = ds.interner.get("24744541").unwrap();
    let a = ds.account(lemonde).unwrap();
    assert_eq!(a.platform, Platform::Twitter);
    assert_eq!(a.listed, Some(37790));
    assert_eq!(
        a.created_at.unwrap().to_iso8601(),
        "2009-03-18T10:11:42.000Z"
    );
    // `@franceinfo` names the account whose handle is franceinfo.
    let franceinfo = ds.interner.get("38395124").unwrap();
    assert!(ds.interner.get("@franceinfo").is_none());
    let reply = &ds.posts[2];
    assert_eq!(reply.mentions, vec![lemonde, franceinfo]);
    assert_eq!(reply.time.unwrap().to_iso8601(), "2022-05-10T14:30:00.000Z");
    assert_eq!(reply.reply_to.as_ref().unwrap().author, None);
    // Posts never imply interactions: only the 7 interaction records.
    assert_eq!(ds.interactions.len(), 7);
    let rating = ds.interactions.layer(Layer::Rating).get(Layer::Rating, 0);
    assert_eq!(
        (rating.value, rating.time.unwrap().0),
        (Some(4.0), 1_289_241_911_728)
    );
    let heavy = ds.interactions.layer(Layer::Mention).get(Layer::Mention, 2);
    assert_eq!(heavy.weight, 12.0);
    let rt = ds.interactions.layer(Layer::Repost).get(Layer::Repost, 0);
    assert_eq!(rt.post, Some(1));
    assert_eq!(ds.cascades.len(), 1);
    assert_eq!(ds.cascades[0].edges[0].child, franceinfo);
    // 376989, 50329, 6 and 2 are named but never declared.
    assert_eq!(note(&ds, 0, "undeclared account (id only)"), 4);
    assert_eq!(ds.num_nodes(), 6);
}

#[test]
fn the_documented_csv_examples() {
    let ds = load_paths(
        &[
            (fixture("accounts.csv"), FormatKind::Canonical),
            (fixture("posts.csv"), FormatKind::Canonical),
            (fixture("interactions.csv"), FormatKind::Canonical),
        ],
        Mode::Strict,
    );
    assert_eq!(ds.posts.len(), 2);
    assert_eq!(
        ds.posts[1].text,
        "RT @lemondefr: « Nous voulions\nrappeler à tous… »"
    );
    assert_eq!(ds.posts[1].hashtags, vec!["Ukraine", "Paix"]);
    assert_eq!(ds.posts[0].reactions.likes, Some(7));
    let lemonde = ds.interner.get("24744541").unwrap();
    assert_eq!(
        ds.posts[1].repost_of.as_ref().unwrap().author,
        Some(lemonde)
    );
    assert_eq!(ds.account(lemonde).unwrap().verified, Some(true));
    assert_eq!(ds.interactions.len(), 5);
    let rt = ds.interactions.layer(Layer::Repost).get(Layer::Repost, 0);
    assert_eq!(rt.post, Some(1));
    let m = ds.interactions.layer(Layer::Mention).get(Layer::Mention, 0);
    assert_eq!(ext(&ds, m.target), "38395124");
    for f in [
        "example.jsonl",
        "accounts.csv",
        "posts.csv",
        "interactions.csv",
    ] {
        assert_eq!(
            guess_format(&fixture(f)).unwrap(),
            FormatKind::Canonical,
            "{f}"
        );
    }
    // Alone, the interactions file names a post nobody declared.
    let alone = load_paths(
        &[(fixture("interactions.csv"), FormatKind::Canonical)],
        Mode::Strict,
    );
    assert_eq!(
        note(
            &alone,
            0,
            "interaction names an unknown post (post dropped)"
        ),
        1
    );
}

#[test]
fn a_newer_major_schema_is_refused_in_both_modes() {
    for mode in [Mode::Strict, Mode::Lenient] {
        let opts = ReadOptions {
            mode,
            ..ReadOptions::default()
        };
        let jsonl = "{\"type\":\"header\",\"schema\":\"portevoix/2\"}\n{\"type\":\"account\",\"id\":\"1\"}\n";
        let err = load_bytes("v2.jsonl", jsonl.into(), FormatKind::Canonical, &opts)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "v2.jsonl:1:1: schema \"portevoix/2\" is a newer major version than this reader \
             understands (portevoix/1); upgrade Porte-voix to read it"
        );
        let csv = "# portevoix/3.1\nid,handle\n1,a\n";
        let err = load_bytes("v3.csv", csv.into(), FormatKind::Canonical, &opts).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("v3.csv:1: schema \"portevoix/3.1\""),
            "{err}"
        );
    }
    // A newer minor version is read; unknown fields are ignored.
    let jsonl = "{\"type\":\"header\",\"schema\":\"portevoix/1.4\"}\n{\"type\":\"account\",\"id\":\"1\",\"karma\":3}\n";
    let ds = load_bytes(
        "v1.jsonl",
        jsonl.into(),
        FormatKind::Canonical,
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(ds.accounts.len(), 1);
}

#[test]
fn duplicates_dangling_references_and_late_posts() {
    let jsonl = r#"{"type":"interaction","actor":"a","target":"b","layer":"quote","post":"p1"}
{"type":"account","id":"a","handle":"ann","followers":10}
{"type":"account","id":"a","followers":12,"bio":"hi"}
{"type":"post","id":"p1","author":"a","text":"x"}
"#;
    let ds = load_bytes(
        "d.jsonl",
        jsonl.into(),
        FormatKind::Canonical,
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(note(&ds, 0, "duplicate account merged"), 1);
    assert_eq!(
        note(&ds, 0, "account profile conflict (first value kept)"),
        1
    );
    let a = ds.account(ds.interner.get("a").unwrap()).unwrap();
    assert_eq!((a.followers, a.bio.as_deref()), (Some(10), Some("hi")));
    assert_eq!(note(&ds, 0, "undeclared account (id only)"), 1, "b");
    assert!(ds.account(ds.interner.get("b").unwrap()).is_none());
    let q = ds.interactions.layer(Layer::Quote).get(Layer::Quote, 0);
    assert_eq!(q.post, Some(0), "the post declared after the interaction");
}

#[test]
fn bad_records_are_located_and_counted() {
    let jsonl = r#"{"type":"header","schema":"portevoix/1"}
{"type":"account","id":"1","followers":"many"}
{"type":"interaction","actor":"1","target":"2","layer":"hug"}
{"type":"post","author":"1"}
{"type":"gift","id":"1"}
[1, 2]
{"type":"interaction","actor":"1","target":"2","layer":"follow","time":"soon"}
{"type":"interaction","actor":"1","target":"2","layer":"follow"}
{"type":"header","schema":"portevoix/1"}
"#;
    let err = load_bytes(
        "b.jsonl",
        jsonl.into(),
        FormatKind::Canonical,
        &ReadOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        "b.jsonl:2:1: field `followers`: expected a non-negative integer, found string \"many\""
    );
    let lenient = ReadOptions {
        mode: Mode::Lenient,
        ..ReadOptions::default()
    };
    let ds = load_bytes("b.jsonl", jsonl.into(), FormatKind::Canonical, &lenient).unwrap();
    let r = &ds.report.files[0];
    let kinds: Vec<(u64, &str)> = r
        .examples
        .iter()
        .map(|p| (p.location.line, p.kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (2, "wrong type"),
            (3, "invalid value"),
            (4, "missing field"),
            (5, "unknown record type"),
            (6, "unrecognised record"),
            (6, "unrecognised record"),
            (7, "invalid time"),
            (9, "misplaced header"),
        ]
    );
    assert_eq!(
        r.examples[1].detail,
        "unknown layer 'hug' (expected one of follow, repost, reply, mention, quote, like, rating)"
    );
    assert_eq!(ds.interactions.len(), 1);

    // CSV: the column of the bad field.
    let csv = "actor,target,layer,time,weight\n1,2,follow,,\n1,2,follow,,heavy\n1,2,,,\n";
    let err = load_bytes(
        "b.csv",
        csv.into(),
        FormatKind::Canonical,
        &ReadOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        "b.csv:3:5: column `weight`: expected a number, found 'heavy'"
    );
    let ds = load_bytes("b.csv", csv.into(), FormatKind::Canonical, &lenient).unwrap();
    let r = &ds.report.files[0];
    assert_eq!(r.skipped_total(), 2);
    assert_eq!(r.examples[1].location.line, 4);
    assert_eq!(r.examples[1].detail, "interaction has no `layer`");
    let set: BTreeSet<_> = ds.report.files[0].skipped.keys().cloned().collect();
    assert_eq!(
        set,
        BTreeSet::from(["missing field".to_string(), "wrong type".to_string()])
    );
}
