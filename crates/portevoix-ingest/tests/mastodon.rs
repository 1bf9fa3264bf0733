//! The Mastodon reader on statuses written in the exact shape of the Mastodon
//! API documentation (`tests/data/mastodon/`): a home timeline fetched on
//! `mastodon.example` (a JSON array, newest first, with a boost, a reply to a
//! status further down, a reply to a status not in the file, a direct
//! message, a quote post) and statuses fetched on `pouet.example` (JSON
//! Lines, where the same people have other local ids and `acct`s).

use portevoix_core::{Layer, Platform};
use portevoix_ingest::mastodon::MastodonOptions;
use portevoix_ingest::{Dataset, FormatKind, Mode, ReadOptions, guess_format, load, load_bytes};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/mastodon")
        .join(name)
}

fn load_with(files: &[&str], options: ReadOptions) -> Dataset {
    let paths: Vec<PathBuf> = files.iter().map(|f| fixture(f)).collect();
    let inputs: Vec<_> = paths
        .iter()
        .map(|p| (p.as_path(), Some(FormatKind::Mastodon)))
        .collect();
    load(&inputs, &options).unwrap()
}

fn load_all(files: &[&str]) -> Dataset {
    load_with(files, ReadOptions::default())
}

fn edges(ds: &Dataset, layer: Layer) -> Vec<(String, String)> {
    let log = ds.interactions.layer(layer);
    (0..log.len())
        .map(|i| {
            let e = log.get(layer, i);
            (
                ds.interner.name(e.actor).to_string(),
                ds.interner.name(e.target).to_string(),
            )
        })
        .collect()
}

fn note(ds: &Dataset, file: usize, kind: &str) -> u64 {
    ds.report.files[file].notes.get(kind).copied().unwrap_or(0)
}

const S3: &str = "https://mastodon.example/users/camille/statuses/112447000000000008";
const S0: &str = "https://pouet.example/users/lea/statuses/112446990000000001";

#[test]
fn home_timeline_posts_and_interactions() {
    let ds = load_all(&["home-timeline.json"]);
    // 6 statuses in the array plus 2 nested (the boosted one, the quoted
    // one); the quoted status is also in the array; the direct message is
    // skipped.
    assert_eq!(ds.report.files[0].records, 6);
    assert_eq!(ds.posts.len(), 6);
    assert_eq!(note(&ds, 0, "duplicate post merged"), 1);
    assert_eq!(note(&ds, 0, "direct message skipped (privacy)"), 1);
    assert_eq!(ds.report.skipped_total(), 0);

    let camille = "camille@mastodon.example".to_string();
    let lea = "lea@pouet.example".to_string();
    assert_eq!(
        edges(&ds, Layer::Repost),
        vec![(camille.clone(), lea.clone())]
    );
    assert_eq!(
        edges(&ds, Layer::Quote),
        vec![("bot_meteo@mastodon.example".into(), camille.clone())]
    );
    assert_eq!(
        edges(&ds, Layer::Reply),
        vec![
            ("marc@social.example".into(), camille.clone()),
            (camille.clone(), "nora@toot.example".into()),
        ]
    );
    assert_eq!(
        edges(&ds, Layer::Mention),
        vec![
            (camille.clone(), lea.clone()),
            (lea.clone(), camille.clone()),
            ("marc@social.example".into(), camille.clone()),
            (camille.clone(), "nora@toot.example".into()),
        ]
    );
    // The reply to a status absent from the file keeps its local id, and its
    // author comes from `in_reply_to_account_id` through the mentions.
    assert_eq!(note(&ds, 0, "dangling reference"), 1);
    let s4 = &ds.posts[ds
        .post_index("https://mastodon.example/users/camille/statuses/112446000000000007")
        .unwrap()];
    assert_eq!(s4.reply_to.as_ref().unwrap().post, "111000000000000555");
    // Five people, each one node.
    assert_eq!(ds.num_nodes(), 5);
}

#[test]
fn boosts_replies_and_quotes_point_at_the_right_posts() {
    let ds = load_all(&["home-timeline.json"]);
    let boost = &ds.posts[ds
        .post_index("https://mastodon.example/users/camille/statuses/112447100000000010/activity")
        .unwrap()];
    assert_eq!(boost.repost_of.as_ref().unwrap().post, S0);
    assert!(boost.text.is_empty());
    let original = ds.post_index(S0).unwrap();
    assert!(
        original < ds.post_index(&boost.id).unwrap(),
        "the original comes first"
    );
    let rt = ds.interactions.layer(Layer::Repost).get(Layer::Repost, 0);
    assert_eq!(ds.posts[rt.post.unwrap() as usize].id, boost.id);
    assert_eq!(rt.time.unwrap().to_iso8601(), "2024-05-14T09:40:00.000Z");

    let reply = &ds.posts[ds
        .post_index("https://social.example/users/Marc/statuses/112447050000000009")
        .unwrap()];
    let r = reply.reply_to.as_ref().unwrap();
    assert_eq!(
        r.post, S3,
        "the local in_reply_to_id resolved to the status further down"
    );
    assert_eq!(
        ds.interner.name(r.author.unwrap()).to_string(),
        "camille@mastodon.example"
    );

    let quote = &ds.posts[ds
        .post_index("https://mastodon.example/users/bot_meteo/statuses/112447200000000005")
        .unwrap()];
    assert_eq!(quote.quote_of.as_ref().unwrap().post, S3);
}

#[test]
fn html_content_becomes_plain_text_with_links() {
    let ds = load_all(&["home-timeline.json"]);
    let s3 = &ds.posts[ds.post_index(S3).unwrap()];
    assert_eq!(
        s3.text,
        "Nouveau billet : https://blog.example/2024/05/climat?x=1&y=2\n\nQu'en pensez-vous, @lea ?\n#climat #Sécheresse"
    );
    assert_eq!(s3.urls, vec!["https://blog.example/2024/05/climat?x=1&y=2"]);
    assert_eq!(s3.hashtags, vec!["climat", "sécheresse"]);
    assert_eq!(s3.language.as_deref(), Some("fr"));
    assert_eq!(
        (
            s3.reactions.replies,
            s3.reactions.reposts,
            s3.reactions.likes,
            s3.reactions.quotes
        ),
        (Some(1), Some(4), Some(12), Some(1))
    );
    let marc = &ds.posts[ds
        .post_index("https://social.example/users/Marc/statuses/112447050000000009")
        .unwrap()];
    assert_eq!(
        marc.text,
        "@camille D'accord & merci\u{202f}! Et côté \"nappes\" en Bretagne\u{a0}?"
    );
    assert!(marc.urls.is_empty(), "mention links are not URLs");
}

#[test]
fn accounts_keep_profile_fields_and_drop_personal_ones() {
    let ds = load_all(&["home-timeline.json"]);
    let camille = ds.interner.get("camille@mastodon.example").unwrap();
    let a = ds.account(camille).unwrap();
    assert_eq!(a.handle.as_deref(), Some("camille@mastodon.example"));
    assert_eq!(ds.label(camille), "@camille@mastodon.example");
    assert_eq!(a.display_name.as_deref(), Some("Camille Martin"));
    assert_eq!(
        a.bio.as_deref(),
        Some("Journaliste climat & énergie. #climat")
    );
    assert_eq!(
        (a.followers, a.following, a.posts),
        (Some(4210), Some(380), Some(1893))
    );
    assert_eq!(
        a.created_at.unwrap().to_iso8601(),
        "2022-11-03T00:00:00.000Z"
    );
    assert_eq!(a.bot, Some(false));
    assert_eq!(a.platform, Platform::Mastodon);
    let bot = ds
        .account(ds.interner.get("bot_meteo@mastodon.example").unwrap())
        .unwrap();
    assert_eq!(bot.bot, Some(true));
    let lea = ds
        .account(ds.interner.get("lea@pouet.example").unwrap())
        .unwrap();
    assert_eq!(
        lea.bio.as_deref(),
        Some("Chercheuse en hydrologie.\nAvis perso.")
    );
    // Mentioned only: an account with its address and nothing else.
    let nora = ds
        .account(ds.interner.get("nora@toot.example").unwrap())
        .unwrap();
    assert_eq!(nora.followers, None);
}

#[test]
fn two_servers_agree_on_people_and_statuses() {
    let alone = load_all(&["pouet-statuses.jsonl"]);
    assert_eq!(alone.posts.len(), 4);
    assert_eq!(
        edges(&alone, Layer::Reply),
        vec![
            (
                "lea@pouet.example".into(),
                "camille@mastodon.example".into()
            ),
            ("lea@pouet.example".into(), "lea@pouet.example".into()),
        ],
        "a reply to a status later in the file (a thread) is resolved"
    );
    assert_eq!(alone.num_nodes(), 2);

    let both = load_all(&["home-timeline.json", "pouet-statuses.jsonl"]);
    // Léa is local on pouet.example (`acct: "lea"`, id 1) and remote on
    // mastodon.example (`acct: "lea@pouet.example"`): one node. The same
    // for Camille. Léa's status, boosted on mastodon.example, is one post.
    assert_eq!(both.num_nodes(), 5);
    assert_eq!(both.posts.len(), 6 + 3);
    assert_eq!(note(&both, 1, "duplicate post merged"), 1);
    let s0 = &both.posts[both.post_index(S0).unwrap()];
    assert_eq!(
        s0.reactions.likes,
        Some(33),
        "the larger count of the two snapshots"
    );
    assert_eq!(both.interactions.len(), 8 + 3);
    let lea = both.interner.get("lea@pouet.example").unwrap();
    let a = both.account(lea).unwrap();
    assert_eq!(a.followers, Some(15820));
}

#[test]
fn instance_option_names_local_accounts() {
    let ds = load_with(
        &["home-timeline.json"],
        ReadOptions {
            mastodon: MastodonOptions {
                instance: Some("https://Mastodon.Example/".into()),
                include_direct: false,
            },
            ..ReadOptions::default()
        },
    );
    assert!(ds.interner.get("camille@mastodon.example").is_some());
    assert_eq!(ds.num_nodes(), 5);

    // Without a URL or an instance, a local account has no domain: kept
    // under its bare name, and noted.
    let status = r#"{"id": "1", "created_at": "2024-01-01T00:00:00Z", "content": "<p>hi</p>",
        "account": {"id": "1", "username": "solo", "acct": "solo"}, "mentions": [], "tags": []}"#;
    let ds = load_bytes(
        "s.json",
        status.into(),
        FormatKind::Mastodon,
        &ReadOptions::default(),
    )
    .unwrap();
    assert!(ds.interner.get("solo").is_some());
    assert_eq!(
        note(&ds, 0, "account without a domain (give --instance)"),
        1
    );
    let with = ReadOptions {
        mastodon: MastodonOptions {
            instance: Some("solo.example".into()),
            ..MastodonOptions::default()
        },
        ..ReadOptions::default()
    };
    let ds = load_bytes("s.json", status.into(), FormatKind::Mastodon, &with).unwrap();
    assert!(ds.interner.get("solo@solo.example").is_some());
}

#[test]
fn direct_messages_only_on_request() {
    let ds = load_with(
        &["home-timeline.json"],
        ReadOptions {
            mastodon: MastodonOptions {
                include_direct: true,
                ..MastodonOptions::default()
            },
            ..ReadOptions::default()
        },
    );
    assert_eq!(ds.posts.len(), 7);
    assert_eq!(note(&ds, 0, "direct message skipped (privacy)"), 0);
}

#[test]
fn formats_are_guessed() {
    assert_eq!(
        guess_format(&fixture("home-timeline.json")).unwrap(),
        FormatKind::Mastodon
    );
    assert_eq!(
        guess_format(&fixture("pouet-statuses.jsonl")).unwrap(),
        FormatKind::Mastodon
    );
}

#[test]
fn bad_statuses_are_located_and_counted() {
    let text = std::fs::read_to_string(fixture("pouet-statuses.jsonl")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Line 4: a wrong type deep in the account.
    lines[3] = lines[3].replacen(
        "\"followers_count\": 15820",
        "\"followers_count\": \"many\"",
        1,
    );
    // Line 1: no account.
    let mut v: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    v.as_object_mut().unwrap().remove("account");
    lines[0] = v.to_string();
    let bytes = lines.join("\n").into_bytes();
    let err = load_bytes(
        "p.jsonl",
        bytes.clone(),
        FormatKind::Mastodon,
        &ReadOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(err, "p.jsonl:1:1: status has no `account`");
    let lenient = ReadOptions {
        mode: Mode::Lenient,
        ..ReadOptions::default()
    };
    let ds = load_bytes("p.jsonl", bytes, FormatKind::Mastodon, &lenient).unwrap();
    let r = &ds.report.files[0];
    assert_eq!(r.skipped["missing field"], 1);
    assert_eq!(r.skipped["wrong type"], 1);
    assert_eq!(r.examples[1].location.line, 4);
    assert_eq!(
        r.examples[1].detail,
        "field `account.followers_count`: expected a non-negative integer, found string \"many\""
    );
    assert_eq!(ds.posts.len(), 2, "the two statuses of line 2");
}
