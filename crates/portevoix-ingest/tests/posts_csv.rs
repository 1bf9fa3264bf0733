//! The posts-CSV reader on the real airline-sentiment tweets and on the
//! `;`-separated fr-media author list, plus damaged copies of real rows.
//!
//! Real counts (`airline-sentiment/tweets.csv`, the 8,771-row copy present
//! here, not the 14,640 rows SOURCE.md describes): 8,771 rows, 8,666
//! distinct tweet ids (105 duplicate rows), 5,478 distinct authors (screen
//! names, case-insensitive), 9,840 `@` mentions by Twitter's rules (a plain
//! `@\w+` count finds 9,860: e-mail addresses, over-long names and the like),
//! 9,670 mention interactions (distinct handles per post, duplicates
//! excluded) towards 570 accounts, 5,863 accounts in all. SOURCE.md's 7,701
//! authors and 16,507 mentions are those of the full 14,640 rows.

use portevoix_core::{Layer, Timestamp};
use portevoix_ingest::posts_csv::PostsCsvOptions;
use portevoix_ingest::{
    Dataset, Error, FormatKind, Mode, ReadOptions, guess_format, load, load_bytes,
};
use portevoix_testdata::shared_dataset;
use std::collections::{BTreeSet, HashMap};

fn airline(mode: Mode) -> Dataset {
    let path = shared_dataset("airline-sentiment/tweets.csv");
    load(
        &[(path.as_path(), Some(FormatKind::PostsCsv))],
        &ReadOptions {
            mode,
            ..ReadOptions::default()
        },
    )
    .unwrap()
}

fn lenient() -> ReadOptions {
    ReadOptions {
        mode: Mode::Lenient,
        ..ReadOptions::default()
    }
}

#[test]
fn airline_tweets_real_counts() {
    let ds = airline(Mode::Strict);
    let report = &ds.report.files[0];
    assert_eq!(report.records, 8771);
    assert_eq!(report.skipped_total(), 0);
    assert_eq!(report.notes["duplicate post merged"], 105);
    assert_eq!(ds.posts.len(), 8666);
    let authors: BTreeSet<_> = ds.posts.iter().map(|p| p.author).collect();
    assert_eq!(authors.len(), 5478);
    let mentions = ds.interactions.layer(Layer::Mention);
    assert_eq!(mentions.len(), 9670);
    let targets: BTreeSet<_> = mentions.target.iter().collect();
    assert_eq!(targets.len(), 570);
    assert_eq!(ds.num_nodes(), 5863);
    assert_eq!(ds.interactions.len(), 9670, "mentions only");
    // Most mentioned: the airlines' accounts.
    let mut by_target: HashMap<String, usize> = HashMap::new();
    for &t in &mentions.target {
        *by_target
            .entry(ds.label(portevoix_core::NodeId(t)).to_lowercase())
            .or_default() += 1;
    }
    assert_eq!(by_target["@united"], 2301);
    assert_eq!(by_target["@usairways"], 1772);
    assert_eq!(by_target["@americanair"], 1654);
    assert_eq!(by_target["@southwestair"], 1478);
    assert_eq!(by_target["@jetblue"], 1357);
    assert_eq!(by_target["@virginamerica"], 312);
    // Times (naive, read as UTC) and repost counts.
    let (lo, hi) = mentions.time_span().unwrap();
    assert_eq!(lo, Timestamp::parse("2015-02-16T23:43").unwrap());
    assert_eq!(hi, Timestamp::parse("2015-02-24T11:53").unwrap());
    let reposted = ds
        .posts
        .iter()
        .filter(|p| p.reactions.reposts > Some(0))
        .count();
    assert_eq!(reposted, 457);
}

#[test]
fn first_rows_of_the_airline_file() {
    let ds = airline(Mode::Strict);
    let p = &ds.posts[0];
    assert_eq!(p.id, "570306133677760513");
    assert_eq!(p.text, "@VirginAmerica What @dhepburn said.");
    assert_eq!(ds.label(p.author), "@cairdin");
    assert_eq!(ds.interner.name(p.author).to_string(), "@cairdin");
    assert_eq!(p.time.unwrap().to_iso8601(), "2015-02-24T11:35:00.000Z");
    assert_eq!(p.reactions.reposts, Some(0));
    let m: Vec<String> = p.mentions.iter().map(|&n| ds.label(n)).collect();
    assert_eq!(m, vec!["@VirginAmerica", "@dhepburn"]);
    // Embedded newline (row 4 spans lines 5-6).
    let multi = &ds.posts[ds.post_index("570300767074181121").unwrap()];
    assert!(multi.text.contains("playing.\nit's really"));
    // The author jnardino writes 3 of the first rows: one account.
    let j = ds.interner.get("@jnardino").unwrap();
    assert_eq!(ds.posts.iter().take(5).filter(|p| p.author == j).count(), 3);
}

#[test]
fn authors_and_mentions_of_the_same_handle_are_one_account() {
    let csv = "tweet_id,name,text\n1,jnardino,hello @VirginAmerica\n2,VirginAmerica,@JNardino thanks!\n3,other,cc @jnardino and mail jnardino@example.com\n";
    let ds = load_bytes(
        "t.csv",
        csv.into(),
        FormatKind::PostsCsv,
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(ds.num_nodes(), 3);
    let m = ds.interactions.layer(Layer::Mention);
    let pairs: Vec<(String, String)> = (0..m.len())
        .map(|i| {
            let e = m.get(Layer::Mention, i);
            (
                ds.interner.name(e.actor).to_string(),
                ds.interner.name(e.target).to_string(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("@jnardino".into(), "@virginamerica".into()),
            ("@virginamerica".into(), "@jnardino".into()),
            ("@other".into(), "@jnardino".into()),
        ]
    );
}

#[test]
fn explicit_mapping_semicolons_and_author_ids() {
    // fr-media's author list: `pseudo;id;description;nb_followers`, read as
    // posts (one bio each) to rebuild who names whom in the bios.
    let path = shared_dataset("fr-media/twitter-author.csv");
    let options = ReadOptions {
        posts_csv: PostsCsvOptions {
            author: Some("pseudo".into()),
            author_id: Some("id".into()),
            text: Some("#3".into()),
            ..PostsCsvOptions::default()
        },
        ..ReadOptions::default()
    };
    let ds = load(&[(path.as_path(), Some(FormatKind::PostsCsv))], &options).unwrap();
    assert_eq!(ds.posts.len(), 28);
    assert!(
        ds.posts[0].id.ends_with("twitter-author.csv#1"),
        "{}",
        ds.posts[0].id
    );
    assert_eq!(ds.interner.name(ds.posts[0].author).to_string(), "24744541");
    assert_eq!(ds.label(ds.posts[0].author), "@lemondefr");
    assert_eq!(ds.interactions.layer(Layer::Mention).len(), 18);
    // Mediavenir's bio names @MediavenirPress before its row gives its id:
    // the stand-in is merged into the id.
    assert!(ds.interner.get("@mediavenirpress").is_none());
    let press = ds
        .accounts
        .iter()
        .find(|a| a.handle.as_deref() == Some("MediavenirPress"))
        .unwrap();
    assert!(press.external_id.chars().all(|c| c.is_ascii_digit()));

    // An unknown column is a usage error, not a bad row.
    let bad = ReadOptions {
        posts_csv: PostsCsvOptions {
            text: Some("body".into()),
            ..PostsCsvOptions::default()
        },
        ..ReadOptions::default()
    };
    let err = load(&[(path.as_path(), Some(FormatKind::PostsCsv))], &bad).unwrap_err();
    assert!(matches!(err, Error::Argument { .. }));
    assert!(
        err.to_string().contains("no column 'body' for the text"),
        "{err}"
    );
}

#[test]
fn format_is_guessed() {
    let path = shared_dataset("airline-sentiment/tweets.csv");
    assert_eq!(guess_format(&path).unwrap(), FormatKind::PostsCsv);
}

/// The first `n` records of the airline file (header included), as text.
fn airline_head(n: usize) -> String {
    let text = std::fs::read_to_string(shared_dataset("airline-sentiment/tweets.csv")).unwrap();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut out = csv::Writer::from_writer(Vec::new());
    for rec in rdr.records().take(n + 1) {
        out.write_record(&rec.unwrap()).unwrap();
    }
    String::from_utf8(out.into_inner().unwrap()).unwrap()
}

#[test]
fn bad_rows_are_located_at_their_first_line_and_field() {
    // Rows 1-3 are one line each; row 4 spans lines 5-6; row 5 is line 7.
    let head = airline_head(6);
    let mut lines: Vec<&str> = head.lines().collect();
    assert!(lines[6].starts_with("570300616901320704,"));
    let damaged_time = lines[6].replace("2015-02-24T11:13", "yesterday");
    lines[6] = &damaged_time;
    let text = lines.join("\n") + "\n";
    let err = load_bytes(
        "air.csv",
        text.clone().into(),
        FormatKind::PostsCsv,
        &ReadOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        "air.csv:7:13: field 13 (`tweet_created`): cannot read 'yesterday' as a time"
    );
    let ds = load_bytes("air.csv", text.into(), FormatKind::PostsCsv, &lenient()).unwrap();
    assert_eq!(ds.posts.len(), 5);
    assert_eq!(ds.report.files[0].skipped["invalid time"], 1);

    // Invalid UTF-8 inside the text of row 2 (line 3): field 11.
    let mut bytes = airline_head(3).into_bytes();
    let at = bytes.windows(11).position(|w| w == b"aggressive ").unwrap();
    bytes[at + 3] = 0xff;
    let err = load_bytes(
        "air.csv",
        bytes.clone(),
        FormatKind::PostsCsv,
        &ReadOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        "air.csv:3:11: field 11 (`text`) is not valid UTF-8 (after byte 30)"
    );
    let ds = load_bytes("air.csv", bytes, FormatKind::PostsCsv, &lenient()).unwrap();
    assert_eq!(ds.report.files[0].skipped["invalid UTF-8"], 1);
    assert_eq!(ds.posts.len(), 2);

    // A row cut short, a bad count, a row with too many fields.
    let head = airline_head(3);
    let mut lines: Vec<String> = head.lines().map(str::to_string).collect();
    lines[1] = lines[1].split(',').take(8).collect::<Vec<_>>().join(",");
    lines[2] = lines[2].replacen(",jnardino,,0,", ",jnardino,,many,", 1);
    lines[3].push_str(",extra");
    let text = lines.join("\n");
    let ds = load_bytes("air.csv", text.into(), FormatKind::PostsCsv, &lenient()).unwrap();
    let r = &ds.report.files[0];
    assert_eq!(r.skipped["missing column"], 1);
    assert_eq!(r.skipped["invalid number"], 1);
    assert_eq!(r.skipped["too many fields"], 1);
    assert_eq!(
        r.examples
            .iter()
            .map(|p| (p.location.line, p.location.column))
            .collect::<Vec<_>>(),
        vec![(2, Some(11)), (3, Some(10)), (4, Some(16))]
    );
    assert!(ds.posts.is_empty());
}
