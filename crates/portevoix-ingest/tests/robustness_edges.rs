//! Bad input for the edge-list, Higgs, signed and Twitter15 readers: real
//! lines from the shared datasets, damaged the way real files are damaged,
//! with the exact line, column and reason each mode must report; property
//! tests on arbitrary bytes; and the replay of every fuzzing regression
//! kept under `fuzz/regressions/<target>/`.

use flate2::read::MultiGzDecoder;
use portevoix_core::Layer;
use portevoix_ingest::{Dataset, Error, FormatKind, Mode, ReadOptions, load_bytes};
use portevoix_testdata::shared_dataset;
use proptest::prelude::*;
use std::io::Read;
use std::path::Path;

fn opts(mode: Mode) -> ReadOptions {
    ReadOptions {
        mode,
        ..ReadOptions::default()
    }
}

fn strict(name: &str, bytes: &[u8], format: FormatKind) -> Result<Dataset, Error> {
    load_bytes(name, bytes.to_vec(), format, &opts(Mode::Strict))
}

fn lenient(name: &str, bytes: &[u8], format: FormatKind) -> Dataset {
    let ds = load_bytes(name, bytes.to_vec(), format, &opts(Mode::Lenient)).unwrap();
    assert_balanced(&ds, format);
    ds
}

/// The fuzz targets' harness, shared so that the stable tests check exactly
/// what the fuzzers check: `check_with`, `assert_balanced`, `options`.
#[path = "../../../fuzz/src/lib.rs"]
mod edge_check;
use edge_check::{assert_balanced, check_with};

/// The decompressed text of a shared dataset file.
fn real_text(relative: &str) -> Vec<u8> {
    let raw = std::fs::read(shared_dataset(relative)).unwrap();
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        MultiGzDecoder::new(&raw[..]).read_to_end(&mut out).unwrap();
        out
    } else {
        raw
    }
}

/// The first `n` lines (with their line ends) of a text.
fn first_lines(text: &[u8], n: usize) -> Vec<&[u8]> {
    text.split_inclusive(|&b| b == b'\n').take(n).collect()
}

fn join(lines: &[&[u8]]) -> Vec<u8> {
    lines.concat()
}

fn kinds(ds: &Dataset) -> Vec<(u64, Option<u64>, String)> {
    ds.report.files[0]
        .examples
        .iter()
        .map(|p| (p.location.line, p.location.column, p.kind.clone()))
        .collect()
}

// ---------------------------------------------------------------------------
// Damaged real files.
// ---------------------------------------------------------------------------

#[test]
fn truncated_gzip_of_the_real_slashdot_file() {
    let gz = std::fs::read(shared_dataset("slashdot-zoo/soc-Slashdot0902.txt.gz")).unwrap();
    let cut = &gz[..gz.len() / 2];
    // What a decoder recovers before the cut: that many complete lines.
    let mut recovered = Vec::new();
    let err = MultiGzDecoder::new(cut)
        .read_to_end(&mut recovered)
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::UnexpectedEof);
    let complete = recovered.iter().filter(|&&b| b == b'\n').count() as u64;
    assert!(complete > 400_000, "{complete}");

    match strict("soc-Slashdot0902.txt.gz", cut, FormatKind::EdgeList) {
        Err(Error::Io { path, source }) => {
            assert_eq!(path, std::path::Path::new("soc-Slashdot0902.txt.gz"));
            assert!(
                source
                    .to_string()
                    .starts_with(&format!("after line {complete}: ")),
                "{source}"
            );
            assert_eq!(source.kind(), std::io::ErrorKind::UnexpectedEof);
        }
        other => panic!("expected an IO error, got {other:?}"),
    }

    let ds = lenient("soc-Slashdot0902.txt.gz", cut, FormatKind::EdgeList);
    let r = &ds.report.files[0];
    // 4 comment lines, then one edge per complete line, then the cut line.
    let edges = complete - 4;
    assert_eq!(ds.interactions.layer(Layer::Follow).len() as u64, edges);
    assert_eq!(r.records, edges + 1);
    assert_eq!(r.skipped.len(), 1);
    assert_eq!(r.skipped["truncated input"], 1);
    assert_eq!(
        kinds(&ds),
        vec![(complete + 1, None, "truncated input".to_string())]
    );

    // The rows kept are exactly the file's first rows.
    let full = strict(
        "soc-Slashdot0902.txt",
        &real_text("slashdot-zoo/soc-Slashdot0902.txt.gz"),
        FormatKind::EdgeList,
    )
    .unwrap();
    let (a, b) = (
        ds.interactions.layer(Layer::Follow),
        full.interactions.layer(Layer::Follow),
    );
    assert_eq!(a.actor[..], b.actor[..edges as usize]);
    assert_eq!(a.target[..], b.target[..edges as usize]);
}

#[test]
fn invalid_utf8_in_a_string_id() {
    // Slashdot's 4 comment lines and first 6 edges; line 7's source id damaged.
    let text = real_text("slashdot-zoo/soc-Slashdot0902.txt.gz");
    let mut lines: Vec<Vec<u8>> = first_lines(&text, 10)
        .into_iter()
        .map(<[u8]>::to_vec)
        .collect();
    assert_eq!(lines[6], b"0\t2\r\n");
    lines[6] = b"0\xff\xfe\t2\r\n".to_vec();
    let bytes = lines.concat();
    let err = strict("slashdot.txt", &bytes, FormatKind::EdgeList).unwrap_err();
    assert_eq!(
        err.to_string(),
        "slashdot.txt:7:1: source id is not valid UTF-8: '0\u{fffd}\u{fffd}'"
    );
    let ds = lenient("slashdot.txt", &bytes, FormatKind::EdgeList);
    assert_eq!(kinds(&ds), vec![(7, Some(1), "invalid UTF-8".to_string())]);
    assert_eq!(ds.report.files[0].records, 6);
    assert_eq!(ds.interactions.len(), 5);
}

#[test]
fn a_ten_megabyte_line() {
    let text = real_text("epinions-signed/soc-sign-epinions.txt.gz");
    let head = first_lines(&text, 8);
    let mut huge = b"0\t".to_vec();
    huge.extend(std::iter::repeat_n(b'7', 10 << 20));
    huge.extend_from_slice(b"\t-1\n");
    let mut parts: Vec<&[u8]> = head[..6].to_vec();
    parts.push(&huge);
    parts.extend_from_slice(&head[6..]);
    let bytes = join(&parts);

    // Within the default 64 MiB line limit: the line is read, and its
    // 10 MB "id" is refused.
    let err = strict("epinions.txt", &bytes, FormatKind::Signed).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "epinions.txt:7:2: target id of {} bytes is longer than the 1024-byte limit: '{}... ({} bytes)'",
            10 << 20,
            "7".repeat(40),
            10 << 20
        )
    );
    let ds = lenient("epinions.txt", &bytes, FormatKind::Signed);
    assert_eq!(kinds(&ds), vec![(7, Some(2), "id too long".to_string())]);
    assert_eq!(
        ds.interactions.len(),
        4,
        "2 edges before the long line, 2 after"
    );

    // With a 1 MiB limit the line is refused whole.
    let small = ReadOptions {
        mode: Mode::Lenient,
        max_line_bytes: 1 << 20,
        ..ReadOptions::default()
    };
    let ds = load_bytes("epinions.txt", bytes.clone(), FormatKind::Signed, &small).unwrap();
    assert_eq!(kinds(&ds), vec![(7, None, "line too long".to_string())]);
    assert_eq!(
        ds.report.files[0].examples[0].detail,
        format!(
            "line of {} bytes is longer than the 1048576-byte limit",
            huge.len() - 1
        )
    );
    assert_balanced(&ds, FormatKind::Signed);
}

#[test]
fn a_missing_column() {
    // Epinions: the sign of the third edge (line 7) is gone.
    let text = real_text("epinions-signed/soc-sign-epinions.txt.gz");
    let mut lines: Vec<Vec<u8>> = first_lines(&text, 9)
        .into_iter()
        .map(<[u8]>::to_vec)
        .collect();
    let damaged = String::from_utf8(lines[6].clone()).unwrap();
    let (keep, _sign) = damaged.trim_end().rsplit_once('\t').unwrap();
    lines[6] = format!("{keep}\n").into_bytes();
    let bytes = lines.concat();
    let err = strict("epinions.txt", &bytes, FormatKind::Signed).unwrap_err();
    assert_eq!(
        err.to_string(),
        "epinions.txt:7:3: expected at least 3 columns, found 2"
    );
    let ds = lenient("epinions.txt", &bytes, FormatKind::Signed);
    assert_eq!(kinds(&ds), vec![(7, Some(3), "missing column".to_string())]);
    assert_eq!(ds.report.files[0].skipped["missing column"], 1);
    assert_eq!(ds.interactions.len(), 4);

    // Higgs activity: a line without its interaction code.
    let text = real_text("higgs-twitter/higgs-activity_time.txt.gz");
    let mut lines: Vec<Vec<u8>> = first_lines(&text, 5)
        .into_iter()
        .map(<[u8]>::to_vec)
        .collect();
    lines[3] = b"26375 168366 1341101183\n".to_vec();
    let bytes = lines.concat();
    let err = strict("higgs.txt", &bytes, FormatKind::Higgs).unwrap_err();
    assert_eq!(
        err.to_string(),
        "higgs.txt:4:4: expected at least 4 columns, found 3"
    );
}

#[test]
fn a_non_numeric_weight() {
    // The Higgs retweet network: "A B count"; line 3's count damaged.
    let text = real_text("higgs-twitter/higgs-retweet_network.edgelist.gz");
    let mut lines: Vec<Vec<u8>> = first_lines(&text, 6)
        .into_iter()
        .map(<[u8]>::to_vec)
        .collect();
    assert_eq!(lines[2], b"353237 62217 1\n");
    lines[2] = b"353237 62217 one\n".to_vec();
    lines[4] = b"241892 8 -2\n".to_vec();
    let bytes = lines.concat();
    let err = strict("retweet.txt", &bytes, FormatKind::EdgeList).unwrap_err();
    assert_eq!(
        err.to_string(),
        "retweet.txt:3:3: invalid weight 'one' (expected a number)"
    );
    let ds = lenient("retweet.txt", &bytes, FormatKind::EdgeList);
    assert_eq!(
        kinds(&ds),
        vec![
            (3, Some(3), "invalid weight".to_string()),
            (5, Some(3), "negative weight".to_string())
        ]
    );
    let r = &ds.report.files[0];
    assert_eq!(
        (r.skipped["invalid weight"], r.skipped["negative weight"]),
        (1, 1)
    );
    assert_eq!(ds.interactions.len(), 4);
}

#[test]
fn an_empty_file_and_a_file_of_only_comments() {
    let comments = join(&first_lines(
        &real_text("slashdot-zoo/soc-Slashdot0902.txt.gz"),
        4,
    ));
    assert!(comments.starts_with(b"# Directed graph"));
    for bytes in [Vec::new(), comments] {
        for format in [
            FormatKind::EdgeList,
            FormatKind::Signed,
            FormatKind::Higgs,
            FormatKind::Twitter15,
        ] {
            for mode in [Mode::Strict, Mode::Lenient] {
                let result = load_bytes("empty.txt", bytes.clone(), format, &opts(mode));
                if format == FormatKind::Twitter15 && !bytes.is_empty() && mode == Mode::Strict {
                    // Tree files have no comments: "# ..." lines are bad lines.
                    assert!(
                        result
                            .unwrap_err()
                            .to_string()
                            .starts_with("empty.txt:1: expected 'parent->child'")
                    );
                    continue;
                }
                let ds = result.unwrap_or_else(|e| panic!("{format} {mode:?}: {e}"));
                assert_eq!(ds.interactions.len(), 0);
                assert_eq!(ds.num_nodes(), 0);
                assert!(ds.cascades.is_empty());
                let r = &ds.report.files[0];
                if format == FormatKind::Twitter15 && !bytes.is_empty() {
                    assert_eq!(r.skipped["invalid tree line"], 4);
                    continue;
                }
                assert_eq!(r.records, 0, "{format}");
                assert_eq!(r.skipped_total(), 0);
                assert_eq!(r.notes["no data rows"], 1, "{format}");
            }
        }
    }
}

#[test]
fn twitter15_comment_lines_fail_in_strict_mode() {
    let err = strict("t.txt", b"# Directed graph\n", FormatKind::Twitter15).unwrap_err();
    assert_eq!(
        err.to_string(),
        "t.txt:1: expected 'parent->child', found '# Directed graph'"
    );
}

#[test]
fn duplicate_edges_are_kept_as_events() {
    // Bitcoin OTC's first 3 ratings, the second one repeated twice.
    let text = real_text("bitcoin-otc/soc-sign-bitcoinotc.csv");
    let l = first_lines(&text, 3);
    let bytes = join(&[l[0], l[1], l[1], l[2], l[1]]);
    for mode in [Mode::Strict, Mode::Lenient] {
        let ds = load_bytes("otc.csv", bytes.clone(), FormatKind::Signed, &opts(mode)).unwrap();
        let r = ds.interactions.layer(Layer::Rating);
        assert_eq!(r.len(), 5);
        assert_eq!(r.get(Layer::Rating, 1), r.get(Layer::Rating, 2));
        assert_eq!(ds.num_nodes(), 5);
        assert_eq!(ds.report.files[0].skipped_total(), 0);
    }
    // Twitter15 duplicates are the same event recorded twice: read once, noted.
    let tree = real_text("twitter15-cascades/twitter15/twitter15/tree/265953285247209472.txt");
    let l = first_lines(&tree, 4);
    let bytes = join(&[l[0], l[1], l[2], l[1], l[3], l[1]]);
    let ds = lenient("265953285247209472.txt", &bytes, FormatKind::Twitter15);
    assert_eq!(ds.cascades[0].edges.len(), 4);
    assert_eq!(ds.report.files[0].notes["duplicate tree line"], 2);
    assert_eq!(ds.interactions.len(), 3);
}

#[test]
fn strict_reports_the_first_bad_line_across_parallel_chunks() {
    // ~5 MB of real Slashdot lines: parsed in many chunks. Damage lines in
    // several chunks; the first one in the file must be the one reported,
    // and lenient mode must list them in line order.
    let text = real_text("slashdot-zoo/soc-Slashdot0902.txt.gz");
    let mut lines: Vec<Vec<u8>> = first_lines(&text, 450_000)
        .into_iter()
        .map(<[u8]>::to_vec)
        .collect();
    let bad = [123_457usize, 200_001, 300_000, 449_999];
    for &n in bad.iter().rev() {
        lines[n - 1] = b"x\n".to_vec(); // one column only
    }
    lines[bad[2] - 1] = b"12\tabc\x01\n".to_vec();
    let bytes = lines.concat();
    assert!(bytes.len() > 4 << 20);
    let err = strict("s.txt", &bytes, FormatKind::EdgeList).unwrap_err();
    assert_eq!(
        err.to_string(),
        "s.txt:123457:2: expected at least 2 columns, found 1"
    );
    let ds = lenient("s.txt", &bytes, FormatKind::EdgeList);
    assert_eq!(
        kinds(&ds),
        vec![
            (123_457, Some(2), "missing column".to_string()),
            (200_001, Some(2), "missing column".to_string()),
            (300_000, Some(2), "invalid id".to_string()),
            (449_999, Some(2), "missing column".to_string()),
        ]
    );
    assert_eq!(ds.interactions.len(), 450_000 - 4 - 4);
    // The same bad lines, read with one thread.
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| lenient("s.txt", &bytes, FormatKind::EdgeList));
    assert_eq!(kinds(&one), kinds(&ds));
    assert_eq!(one.interactions, ds.interactions);
}

#[test]
fn bom_crlf_blank_lines_and_no_final_newline() {
    let bytes = b"\xEF\xBB\xBF# Directed graph\r\n\r\n0\t0\r\n   \r\n0\t1".to_vec();
    let ds = strict("s.txt", &bytes, FormatKind::EdgeList).unwrap();
    assert_eq!(ds.interactions.len(), 2);
    assert_eq!(ds.report.files[0].records, 2);
    let ds = lenient("s.txt", b"0\t0\r\n0\t\r\n", FormatKind::EdgeList);
    assert_eq!(kinds(&ds), vec![(2, Some(2), "empty id".to_string())]);
}

#[test]
fn binary_garbage_is_refused_not_panicked_on() {
    let bytes: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    for format in [
        FormatKind::EdgeList,
        FormatKind::Signed,
        FormatKind::Higgs,
        FormatKind::Twitter15,
    ] {
        assert!(strict("bin", &bytes, format).is_err(), "{format}");
        let ds = lenient("bin", &bytes, format);
        assert!(ds.report.files[0].skipped_total() > 0);
    }
    // Gzip magic followed by garbage: an IO error, or one skipped record.
    let bytes = b"\x1f\x8bgarbage".to_vec();
    assert!(matches!(
        strict("g.gz", &bytes, FormatKind::EdgeList),
        Err(Error::Io { .. })
    ));
    let ds = lenient("g.gz", &bytes, FormatKind::EdgeList);
    assert_eq!(ds.report.files[0].skipped["truncated input"], 1);
}

#[test]
fn string_ids_mixed_with_numbers_keep_first_appearance() {
    let bytes = b"5 alice\nalice 5\n007 7\n".to_vec();
    let ds = strict("m.txt", &bytes, FormatKind::EdgeList).unwrap();
    let names: Vec<String> = ds.interner.iter().map(|(_, n)| n.to_string()).collect();
    assert_eq!(names, vec!["5", "alice", "007", "7"]);
}

// ---------------------------------------------------------------------------
// Property tests: arbitrary and damaged input through every reader.
// ---------------------------------------------------------------------------

/// Lines in the shape of each format, some damaged.
fn line_strategy() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"0\t1".to_vec()),
        Just(b"6,2,-4,1289241912".to_vec()),
        Just(b"223789 213163 1341100972 MT".to_vec()),
        Just(b"376989 50329 1341101181 RT".to_vec()),
        Just(b"['ROOT', 'ROOT', '0.0']->['39364684', '265953285247209472', '0.0']".to_vec()),
        Just(b"['39364684', '265953285247209472', '0.0']->['21061006', '265953402234748928', '0.45']".to_vec()),
        Just(b"# FromNodeId\tToNodeId\tSign".to_vec()),
        Just(b"source,target,weight,timestamp".to_vec()),
        Just(Vec::new()),
        "[0-9a-z ,\t.\\-]{0,24}".prop_map(String::into_bytes),
        // Long numbers: the fast id path must not overflow.
        "[1-9][0-9]{17,22}[ \t,][0-9]{1,22}([ \t,][0-9.e-]{1,22})?".prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 0..24),
    ]
}

fn lines_to_bytes(lines: Vec<Vec<u8>>, crlf: bool) -> Vec<u8> {
    let sep: &[u8] = if crlf { b"\r\n" } else { b"\n" };
    lines.join(sep)
}

const FORMATS: [FormatKind; 4] = [
    FormatKind::EdgeList,
    FormatKind::Higgs,
    FormatKind::Signed,
    FormatKind::Twitter15,
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Arbitrary bytes: no panic in either mode, and lenient mode accounts
    /// for every record.
    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512), pick in any::<u8>()) {
        for format in FORMATS {
            check_with(&bytes, format, pick);
        }
    }

    /// Near-valid input: real line shapes mixed with damaged ones.
    #[test]
    fn mixed_lines(lines in proptest::collection::vec(line_strategy(), 0..40), crlf in any::<bool>(), pick in any::<u8>()) {
        let bytes = lines_to_bytes(lines, crlf);
        for format in FORMATS {
            check_with(&bytes, format, pick);
        }
    }

    /// Gzip streams cut anywhere: an IO error in strict mode, never a panic.
    #[test]
    fn cut_gzip(lines in proptest::collection::vec(line_strategy(), 1..40), cut in any::<prop::sample::Index>()) {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&lines_to_bytes(lines, false)).unwrap();
        let gz = enc.finish().unwrap();
        let cut = &gz[..cut.index(gz.len())];
        for format in FORMATS {
            check_with(cut, format, 0);
        }
    }
}

// ---------------------------------------------------------------------------
// Fuzzing regressions.
// ---------------------------------------------------------------------------

/// Replays every input kept under `fuzz/regressions/<target>/` (crashes
/// found by `cargo fuzz`, and seeds) through its reader in both modes,
/// exactly as the fuzz target does.
#[test]
fn fuzz_regressions_replay() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions");
    let targets = [
        ("fuzz_edgelist", FormatKind::EdgeList),
        ("fuzz_higgs", FormatKind::Higgs),
        ("fuzz_signed", FormatKind::Signed),
        ("fuzz_twitter15", FormatKind::Twitter15),
    ];
    let mut replayed = 0;
    for (target, format) in targets {
        let dir = root.join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            panic!("missing regression directory {}", dir.display());
        };
        let mut files: Vec<_> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for file in files {
            let bytes = std::fs::read(&file).unwrap();
            // Exactly what the fuzz target runs: options from the input's first byte.
            let result = std::panic::catch_unwind(|| edge_check::check(&bytes, format));
            assert!(result.is_ok(), "regression {} panicked", file.display());
            replayed += 1;
        }
    }
    assert!(
        replayed >= 4,
        "every target keeps at least one regression or seed"
    );
}
