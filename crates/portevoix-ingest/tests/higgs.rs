//! The Higgs activity reader on the real SNAP log in `shared/datasets`
//! (and on the bundled 60,000-line sample, which is always present).

use portevoix_core::{Layer, Timestamp};
use portevoix_ingest::{FormatKind, Mode, ReadOptions, guess_format, load, load_bytes};
use portevoix_testdata::shared_dataset;
use std::path::Path;

fn span(ds: &portevoix_ingest::Dataset) -> (Timestamp, Timestamp) {
    let spans: Vec<_> = [Layer::Repost, Layer::Mention, Layer::Reply]
        .into_iter()
        .filter_map(|l| ds.interactions.layer(l).time_span())
        .collect();
    (
        spans.iter().map(|s| s.0).min().unwrap(),
        spans.iter().map(|s| s.1).max().unwrap(),
    )
}

#[test]
fn full_activity_log_counts_and_time_span() {
    let path = shared_dataset("higgs-twitter/higgs-activity_time.txt.gz");
    assert_eq!(guess_format(&path).unwrap(), FormatKind::Higgs);
    let ds = load(&[(&path, None)], &ReadOptions::default()).unwrap();
    // SOURCE.md: RT 354,930, MT 171,237, RE 36,902; 304,691 nodes; 563,069 events.
    assert_eq!(ds.interactions.layer(Layer::Repost).len(), 354_930);
    assert_eq!(ds.interactions.layer(Layer::Mention).len(), 171_237);
    assert_eq!(ds.interactions.layer(Layer::Reply).len(), 36_902);
    assert_eq!(ds.interactions.len(), 563_069);
    assert_eq!(ds.num_nodes(), 304_691);
    let (lo, hi) = span(&ds);
    assert_eq!((lo.secs(), hi.secs()), (1_341_100_972, 1_341_705_593));
    assert_eq!(lo.to_iso8601(), "2012-07-01T00:02:52.000Z");
    let report = &ds.report.files[0];
    assert_eq!(report.records, 563_069);
    assert_eq!(report.skipped_total(), 0);

    // Direction: userA is the actor. Most retweeted: "88" (18,977 times as column 2).
    let rt = ds.interactions.layer(Layer::Repost);
    let star = ds.interner.get("88").unwrap();
    assert_eq!(rt.target.iter().filter(|&&t| t == star.0).count(), 18_977);
    // The first line "223789 213163 1341100972 MT" is the first mention.
    let mt = ds.interactions.layer(Layer::Mention).get(Layer::Mention, 0);
    assert_eq!(ds.interner.name(mt.actor).to_string(), "223789");
    assert_eq!(ds.interner.name(mt.target).to_string(), "213163");
    assert_eq!(mt.time, Some(Timestamp::from_secs(1_341_100_972)));
    assert_eq!(mt.weight, 1.0);
}

#[test]
fn bundled_sample_counts() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../datasets/higgs-sample/higgs-activity_time.first60000.txt.gz");
    let ds = load(&[(&path, Some(FormatKind::Higgs))], &ReadOptions::default()).unwrap();
    // datasets/README.md: RT 34,198, MT 21,617, RE 4,185.
    assert_eq!(ds.interactions.layer(Layer::Repost).len(), 34_198);
    assert_eq!(ds.interactions.layer(Layer::Mention).len(), 21_617);
    assert_eq!(ds.interactions.layer(Layer::Reply).len(), 4_185);
}

#[test]
fn bad_codes_and_times_are_reported_with_their_column() {
    let text = b"223789 213163 1341100972 MT\n\
                 223789 213163 1341100972 XX\n\
                 376989 50329 yesterday RT\n\
                 376989 50329 1341101181\n\
                 26375 168366 1341101183 MT\n"
        .to_vec();
    let err = load_bytes(
        "h.txt",
        text.clone(),
        FormatKind::Higgs,
        &ReadOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "h.txt:2:4: unknown interaction 'XX' (expected RT, MT or RE)"
    );
    let lenient = ReadOptions {
        mode: Mode::Lenient,
        ..ReadOptions::default()
    };
    let ds = load_bytes("h.txt", text, FormatKind::Higgs, &lenient).unwrap();
    let r = &ds.report.files[0];
    assert_eq!(r.records, 5);
    assert_eq!(r.skipped["unknown interaction"], 1);
    assert_eq!(r.skipped["invalid time"], 1);
    assert_eq!(r.skipped["missing column"], 1);
    let lines: Vec<(u64, Option<u64>)> = r
        .examples
        .iter()
        .map(|p| (p.location.line, p.location.column))
        .collect();
    assert_eq!(lines, vec![(2, Some(4)), (3, Some(3)), (4, Some(4))]);
    assert_eq!(ds.interactions.layer(Layer::Mention).len(), 2);
}
