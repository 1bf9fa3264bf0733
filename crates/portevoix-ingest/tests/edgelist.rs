//! The edge-list reader on the real SNAP files in `shared/datasets`, and its
//! options on small inputs made from real lines.

use portevoix_core::{Layer, LayerLog};
use portevoix_ingest::edgelist::EdgeListOptions;
use portevoix_ingest::{Dataset, FormatKind, Mode, ReadOptions, guess_format, load, load_bytes};
use portevoix_testdata::shared_dataset;
use std::path::{Path, PathBuf};

fn load_edgelist(path: &Path, options: EdgeListOptions) -> Dataset {
    let opts = ReadOptions {
        edgelist: options,
        ..ReadOptions::default()
    };
    load(&[(path, Some(FormatKind::EdgeList))], &opts).unwrap()
}

fn self_loops(log: &LayerLog) -> usize {
    log.actor
        .iter()
        .zip(&log.target)
        .filter(|(a, b)| a == b)
        .count()
}

fn names(ds: &Dataset, log: &LayerLog, i: usize) -> (String, String) {
    (
        ds.interner
            .name(portevoix_core::NodeId(log.actor[i]))
            .to_string(),
        ds.interner
            .name(portevoix_core::NodeId(log.target[i]))
            .to_string(),
    )
}

#[test]
fn slashdot_zoo_gzip_crlf_tab_with_comments() {
    let path = shared_dataset("slashdot-zoo/soc-Slashdot0902.txt.gz");
    assert_eq!(guess_format(&path).unwrap(), FormatKind::EdgeList);
    let ds = load_edgelist(&path, EdgeListOptions::default());
    let follow = ds.interactions.layer(Layer::Follow);
    // SOURCE.md: 82,168 nodes, 948,464 edges, 78,303 self-loops.
    assert_eq!(ds.num_nodes(), 82_168);
    assert_eq!(follow.len(), 948_464);
    assert_eq!(self_loops(follow), 78_303);
    assert_eq!(ds.interactions.len(), 948_464);
    assert!(follow.time.is_none() && follow.value.is_none());
    assert!(follow.weight.iter().all(|&w| w == 1.0));
    // First line "0 0"; dense ids follow first appearance.
    assert_eq!(names(&ds, follow, 0), ("0".into(), "0".into()));
    let report = &ds.report.files[0];
    assert_eq!(report.records, 948_464);
    assert_eq!(report.skipped_total(), 0);
    assert!(report.examples.is_empty());
    assert!(
        report.notes.is_empty(),
        "comments are not a header: {:?}",
        report.notes
    );
}

#[test]
fn higgs_weighted_layers_take_the_third_column_as_weight() {
    // (file, layer, nodes, edges, weight sum, self-loops) from SOURCE.md.
    let cases = [
        (
            "higgs-retweet_network.edgelist.gz",
            Layer::Repost,
            256_491,
            328_132,
            354_930.0,
            0,
        ),
        (
            "higgs-reply_network.edgelist.gz",
            Layer::Reply,
            38_918,
            32_523,
            36_902.0,
            343,
        ),
        (
            "higgs-mention_network.edgelist.gz",
            Layer::Mention,
            116_408,
            150_818,
            171_237.0,
            5_353,
        ),
    ];
    for (file, layer, nodes, edges, weight_sum, loops) in cases {
        let path = shared_dataset(&format!("higgs-twitter/{file}"));
        assert_eq!(guess_format(&path).unwrap(), FormatKind::EdgeList, "{file}");
        let ds = load_edgelist(
            &path,
            EdgeListOptions {
                layer,
                ..EdgeListOptions::default()
            },
        );
        let log = ds.interactions.layer(layer);
        assert_eq!(ds.num_nodes(), nodes, "{file}");
        assert_eq!(log.len(), edges, "{file}");
        assert_eq!(
            log.weight.iter().map(|&w| w as f64).sum::<f64>(),
            weight_sum,
            "{file}"
        );
        assert_eq!(self_loops(log), loops, "{file}");
        assert_eq!(ds.interactions.len(), edges, "only the named layer");
    }
    // The retweet layer's heaviest pair: 33 retweets.
    let ds = load_edgelist(
        &shared_dataset("higgs-twitter/higgs-retweet_network.edgelist.gz"),
        EdgeListOptions::default(),
    );
    let max = ds
        .interactions
        .layer(Layer::Follow)
        .weight
        .iter()
        .cloned()
        .fold(0.0f32, f32::max);
    assert_eq!(max, 33.0);
    // First line "298960 105232 1".
    let log = ds.interactions.layer(Layer::Follow);
    assert_eq!(names(&ds, log, 0), ("298960".into(), "105232".into()));
}

#[test]
fn ids_and_rows_do_not_depend_on_the_thread_count() {
    let path = shared_dataset("slashdot-zoo/soc-Slashdot0902.txt.gz");
    let many = load_edgelist(&path, EdgeListOptions::default());
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| load_edgelist(&path, EdgeListOptions::default()));
    assert_eq!(many.interactions, one.interactions);
    let a: Vec<String> = many.interner.iter().map(|(_, n)| n.to_string()).collect();
    let b: Vec<String> = one.interner.iter().map(|(_, n)| n.to_string()).collect();
    assert_eq!(a, b);
}

#[test]
fn reverse_swaps_actor_and_target() {
    let text = b"# Directed graph\n298960 105232\n95688 3393\n".to_vec();
    let opts = ReadOptions {
        edgelist: EdgeListOptions {
            reverse: true,
            ..EdgeListOptions::default()
        },
        ..ReadOptions::default()
    };
    let ds = load_bytes("r.txt", text, FormatKind::EdgeList, &opts).unwrap();
    let log = ds.interactions.layer(Layer::Follow);
    assert_eq!(names(&ds, log, 0), ("105232".into(), "298960".into()));
    // Interning is in file order, not actor order.
    assert_eq!(
        ds.interner.name(portevoix_core::NodeId(0)).to_string(),
        "298960"
    );
}

#[test]
fn string_ids_header_and_named_columns() {
    // A CSV export with handles, a header, a time and a layer per row.
    let text = "source,target,when,kind,score\n\
                lemondefr,franceinfo,2022-05-10T13:37:00Z,RT,3\n\
                \"Le Monde\",franceinfo,1341100972,reply,-1.5\n\
                007,42,,mention,2\n"
        .as_bytes()
        .to_vec();
    let opts = ReadOptions {
        edgelist: EdgeListOptions {
            time_col: Some(2),
            layer_col: Some(3),
            sign_col: Some(4),
            ..EdgeListOptions::default()
        },
        ..ReadOptions::default()
    };
    let ds = load_bytes("x.csv", text, FormatKind::EdgeList, &opts).unwrap();
    assert_eq!(ds.report.files[0].records, 3);
    let rt = ds.interactions.layer(Layer::Repost).get(Layer::Repost, 0);
    assert_eq!(ds.interner.name(rt.actor).to_string(), "lemondefr");
    assert_eq!(rt.time.unwrap().to_iso8601(), "2022-05-10T13:37:00.000Z");
    assert_eq!(rt.value, Some(3.0));
    let re = ds.interactions.layer(Layer::Reply).get(Layer::Reply, 0);
    assert_eq!(ds.interner.name(re.actor).to_string(), "Le Monde");
    assert_eq!(re.value, Some(-1.5));
    let mt = ds.interactions.layer(Layer::Mention).get(Layer::Mention, 0);
    assert_eq!(
        ds.interner.name(mt.actor).to_string(),
        "007",
        "not a canonical number: kept as text"
    );
    assert_eq!(mt.time, None, "an empty time field is an unknown time");
    assert_eq!(ds.num_nodes(), 5);
}

#[test]
fn separators_and_header_are_detected_or_forced() {
    let read = |text: &[u8], options: EdgeListOptions| {
        let opts = ReadOptions {
            edgelist: options,
            ..ReadOptions::default()
        };
        load_bytes("t", text.to_vec(), FormatKind::EdgeList, &opts).unwrap()
    };
    // Whitespace runs, semicolons, a forced separator.
    for (text, sep) in [
        (&b"  1   2 \n3\t 4\n"[..], None),
        (b"1;2\n3;4\n", None),
        (b"1|2\n3|4\n", Some(b'|')),
    ] {
        let ds = read(
            text,
            EdgeListOptions {
                delimiter: sep,
                ..EdgeListOptions::default()
            },
        );
        assert_eq!(ds.interactions.layer(Layer::Follow).len(), 2, "{text:?}");
        assert_eq!(ds.num_nodes(), 4);
    }
    // Forced header on string ids; forced no-header on a numeric-looking first line.
    let ds = read(
        b"a b\nc d\n",
        EdgeListOptions {
            header: Some(true),
            ..EdgeListOptions::default()
        },
    );
    assert_eq!(ds.interactions.layer(Layer::Follow).len(), 1);
    let ds = read(
        b"from to\n1 2\n",
        EdgeListOptions {
            header: Some(false),
            ..EdgeListOptions::default()
        },
    );
    assert_eq!(ds.interactions.layer(Layer::Follow).len(), 2);
    // Auto weight turned off: the third column is ignored.
    let ds = read(
        b"1 2 7\n",
        EdgeListOptions {
            auto_weight: false,
            ..EdgeListOptions::default()
        },
    );
    assert_eq!(ds.interactions.layer(Layer::Follow).weight, vec![1.0]);
    let ds = read(b"1 2 7\n", EdgeListOptions::default());
    assert_eq!(ds.interactions.layer(Layer::Follow).weight, vec![7.0]);
}

#[test]
fn lenient_and_strict_agree_on_clean_data() {
    let text = b"# c\n1 2\n2 3\n".to_vec();
    let strict = load_bytes(
        "t",
        text.clone(),
        FormatKind::EdgeList,
        &ReadOptions::default(),
    )
    .unwrap();
    let lenient = load_bytes(
        "t",
        text,
        FormatKind::EdgeList,
        &ReadOptions {
            mode: Mode::Lenient,
            ..ReadOptions::default()
        },
    )
    .unwrap();
    assert_eq!(strict.interactions, lenient.interactions);
}

/// SplitMix64 (Steele, Lea & Flood 2014): enough randomness for a benchmark
/// graph, with no dependency.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Writes a Graph500-style R-MAT edge list (`A=0.57, B=0.19, C=0.19`,
/// vertex ids randomly permuted, `u<TAB>v` lines) of `edges` edges over
/// `2^scale` vertices.
fn write_rmat(path: &Path, scale: u32, edges: usize, seed: u64) {
    use std::io::Write;
    let (a, b, c) = (0.57, 0.19, 0.19);
    let mut rng = SplitMix64(seed);
    let n = 1usize << scale;
    let mut perm: Vec<u32> = (0..n as u32).collect();
    for i in (1..n).rev() {
        perm.swap(i, (rng.next() % (i as u64 + 1)) as usize);
    }
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path).unwrap());
    for _ in 0..edges {
        let (mut u, mut v) = (0usize, 0usize);
        for level in 0..scale {
            let i_bit = rng.unit() > a + b;
            let j_bit = rng.unit()
                > if i_bit {
                    c / (1.0 - a - b)
                } else {
                    a / (a + b)
                };
            u |= (i_bit as usize) << level;
            v |= (j_bit as usize) << level;
        }
        writeln!(out, "{}\t{}", perm[u], perm[v]).unwrap();
    }
    out.flush().unwrap();
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::MAX;
    let mut last = None;
    for _ in 0..runs {
        let t = std::time::Instant::now();
        let v = f();
        best = best.min(t.elapsed().as_secs_f64());
        last = Some(v);
    }
    (best, last.unwrap())
}

/// Load speed on a 15M-edge Graph500-style edge list and on the real SNAP
/// files. Run it in release mode:
///
/// ```text
/// cargo test --release -p portevoix-ingest --test edgelist -- --ignored --nocapture load_speed
/// ```
///
/// `PORTEVOIX_BENCH_EDGELIST=<file>` times that file instead of generating one.
#[test]
#[ignore = "a benchmark: run in release mode with --ignored --nocapture"]
fn load_speed() {
    let dir = tempfile::tempdir().unwrap();
    let path = match std::env::var_os("PORTEVOIX_BENCH_EDGELIST") {
        Some(p) => PathBuf::from(p),
        None => {
            let p = dir.path().join("rmat-s20-15M.txt");
            let t = std::time::Instant::now();
            write_rmat(&p, 20, 15_000_000, 1);
            eprintln!(
                "generated {} in {:.1}s",
                p.display(),
                t.elapsed().as_secs_f64()
            );
            p
        }
    };
    let bytes = std::fs::read(&path).unwrap();
    let options = ReadOptions::default();
    let (parse, ds) = best_of(5, || {
        load_bytes("rmat.txt", bytes.clone(), FormatKind::EdgeList, &options).unwrap()
    });
    let (clone, _) = best_of(5, || bytes.clone());
    let (file, _) = best_of(5, || load_edgelist(&path, EdgeListOptions::default()));
    eprintln!(
        "{}: {} edges, {} nodes, {} MB: parse+intern {:.3}s (load_bytes {:.3}s minus copying the buffer {:.3}s); load from the file {:.3}s",
        path.display(),
        ds.interactions.len(),
        ds.num_nodes(),
        bytes.len() >> 20,
        parse - clone,
        parse,
        clone,
        file
    );
    for (name, format) in [
        ("slashdot-zoo/soc-Slashdot0902.txt.gz", FormatKind::EdgeList),
        (
            "epinions-signed/soc-sign-epinions.txt.gz",
            FormatKind::Signed,
        ),
        (
            "higgs-twitter/higgs-activity_time.txt.gz",
            FormatKind::Higgs,
        ),
    ] {
        let p = shared_dataset(name);
        let (t, ds) = best_of(5, || {
            load(&[(&p, Some(format))], &ReadOptions::default()).unwrap()
        });
        eprintln!(
            "{name}: {} interactions, {} nodes: load {:.3}s",
            ds.interactions.len(),
            ds.num_nodes(),
            t
        );
    }
}

/// Dense ids are assigned in order of first appearance (source before
/// target, row after row, file after file), whichever interning path the
/// ids take: small numbers (bitmap + parallel lookup), huge numbers (hash),
/// or strings.
#[test]
fn dense_ids_follow_first_appearance() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = SplitMix64(7);
    let id = |rng: &mut SplitMix64, kind: u64| -> String {
        match kind {
            0 => (rng.next() % 5_000).to_string(),
            1 => (u64::MAX - rng.next() % 5_000).to_string(),
            _ => format!("user{}", rng.next() % 5_000),
        }
    };
    let mut paths = Vec::new();
    let mut naive: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    // Three files: numeric small, numeric huge, then small again mixed with strings.
    for (f, kinds) in [[0u64, 0], [1, 0], [0, 2]].iter().enumerate() {
        let mut text = String::new();
        for row in 0..60_000 {
            let a = id(&mut rng, kinds[row % 2]);
            let b = id(&mut rng, kinds[(row / 2) % 2]);
            for x in [&a, &b] {
                if seen.insert(x.clone()) {
                    naive.push(x.clone());
                }
            }
            text.push_str(&format!("{a} {b}\n"));
        }
        let p = dir.path().join(format!("f{f}.txt"));
        std::fs::write(&p, text).unwrap();
        paths.push(p);
    }
    let inputs: Vec<(&Path, Option<FormatKind>)> = paths
        .iter()
        .map(|p| (p.as_path(), Some(FormatKind::EdgeList)))
        .collect();
    let ds = load(&inputs, &ReadOptions::default()).unwrap();
    let got: Vec<String> = ds.interner.iter().map(|(_, n)| n.to_string()).collect();
    assert_eq!(got.len(), naive.len());
    assert!(got == naive, "dense ids differ from first appearance");
    // And the rows point at the right names.
    let log = ds.interactions.layer(Layer::Follow);
    assert_eq!(log.len(), 180_000);
    let first_of_third = std::fs::read_to_string(&paths[2]).unwrap();
    let line = first_of_third.lines().next().unwrap();
    assert_eq!(names(&ds, log, 120_000), {
        let mut it = line.split(' ');
        (
            it.next().unwrap().to_string(),
            it.next().unwrap().to_string(),
        )
    });
}

/// Loads `text` twice: as is (plain pairs take the parallel fast path) and
/// with one malformed line appended in lenient mode (the whole file then
/// takes the general path, which skips that line). Both must give the same
/// interner and log, bit for bit.
fn fast_and_general_agree(name: &str, text: &[u8], options: EdgeListOptions) -> Dataset {
    let opts = ReadOptions {
        mode: Mode::Lenient,
        edgelist: options,
        ..ReadOptions::default()
    };
    let fast = load_bytes(name, text.to_vec(), FormatKind::EdgeList, &opts).unwrap();
    let mut broken = text.to_vec();
    if !broken.ends_with(b"\n") && !broken.is_empty() {
        broken.push(b'\n');
    }
    broken.extend_from_slice(b"12\n"); // one column: a "missing column" row
    let general = load_bytes(name, broken, FormatKind::EdgeList, &opts).unwrap();
    assert_eq!(general.report.files[0].skipped_total(), 1, "{name}");
    assert_eq!(fast.report.files[0].skipped_total(), 0, "{name}");
    assert_eq!(
        fast.interactions, general.interactions,
        "{name}: logs differ"
    );
    assert_eq!(fast.num_nodes(), general.num_nodes(), "{name}");
    for v in 0..fast.num_nodes() as u32 {
        let id = portevoix_core::NodeId(v);
        assert_eq!(
            fast.interner.name(id).to_string(),
            general.interner.name(id).to_string(),
            "{name}: dense id {v}"
        );
    }
    assert_eq!(
        fast.report.files[0].records + 1,
        general.report.files[0].records,
        "{name}"
    );
    fast
}

#[test]
fn plain_pair_fast_path_matches_the_general_path() {
    // The real SNAP file: CRLF, tabs, '#' header lines.
    let path = shared_dataset("slashdot-zoo/soc-Slashdot0902.txt.gz");
    let mut text = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::MultiGzDecoder::new(std::fs::File::open(&path).unwrap()),
        &mut text,
    )
    .unwrap();
    let ds = fast_and_general_agree("slashdot", &text, EdgeListOptions::default());
    assert_eq!(ds.interactions.layer(Layer::Follow).len(), 948_464);
    // Comments and blank lines in the middle of many chunks, a missing final
    // newline, several separators, ids up to u32::MAX, reversed columns.
    let dir = tempfile::tempdir().unwrap();
    let rmat = dir.path().join("rmat.txt");
    write_rmat(&rmat, 14, 300_000, 7);
    let rmat = std::fs::read(&rmat).unwrap();
    let mut spaced = Vec::new();
    for (i, line) in rmat.split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        if i % 50_000 == 7 {
            spaced.extend_from_slice(b"# a comment\n\n   \n");
        }
        let line: Vec<u8> = line
            .iter()
            .map(|&b| if b == b'\t' { b' ' } else { b })
            .collect();
        spaced.extend_from_slice(&line);
        spaced.push(b'\n');
    }
    spaced.extend_from_slice(b"4294967295  0\n123 4294967295");
    fast_and_general_agree("rmat-spaced", &spaced, EdgeListOptions::default());
    fast_and_general_agree("rmat-tabs", &rmat, EdgeListOptions::default());
    let reversed = EdgeListOptions {
        reverse: true,
        ..EdgeListOptions::default()
    };
    fast_and_general_agree("rmat-reversed", &rmat, reversed);
    let swapped = EdgeListOptions {
        source_col: 1,
        target_col: 0,
        ..EdgeListOptions::default()
    };
    fast_and_general_agree("rmat-swapped", &rmat, swapped);
    // Ids beyond u32 and ids with leading zeros are not the fast path's:
    // the general path reads them, the same way with or without a bad line.
    fast_and_general_agree("wide", b"1 99999999999\n2 1\n", EdgeListOptions::default());
    fast_and_general_agree("zeros", b"1 007\n7 1\n", EdgeListOptions::default());
}

/// Two inputs into one layer: the second is appended after the first, with
/// dense ids continuing in order of first appearance.
#[test]
fn fast_path_appends_to_an_existing_layer() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
    std::fs::write(&a, b"10 20\n20 30\n").unwrap();
    std::fs::write(&b, b"30 40\n50 10\n").unwrap();
    let opts = ReadOptions::default();
    let ds = load(
        &[
            (a.as_path(), Some(FormatKind::EdgeList)),
            (b.as_path(), Some(FormatKind::EdgeList)),
        ],
        &opts,
    )
    .unwrap();
    let follow = ds.interactions.layer(Layer::Follow);
    assert_eq!(follow.actor, vec![0, 1, 2, 4]);
    assert_eq!(follow.target, vec![1, 2, 3, 0]);
    assert_eq!(follow.weight, vec![1.0; 4]);
    assert_eq!(names(&ds, follow, 3), ("50".into(), "10".into()));
}

/// The first two fields of every data line of a SNAP-style text, as
/// numbers ('#' lines skipped), read without the crate.
fn raw_pairs(text: &[u8]) -> Vec<(u64, u64)> {
    std::str::from_utf8(text)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut f = l.split_whitespace().map(|x| x.parse::<u64>().unwrap());
            (f.next().unwrap(), f.next().unwrap())
        })
        .collect()
}

/// The same text cut to its first two fields, space-separated: the plain
/// pairs of the fast path (the peer comparison's prepared files).
fn two_columns(pairs: &[(u64, u64)]) -> Vec<u8> {
    pairs
        .iter()
        .map(|(a, b)| format!("{a} {b}\n"))
        .collect::<String>()
        .into_bytes()
}

/// The bulk interner (`Interner::intern_u32_pairs`, on the fast path and
/// the general path) gives exactly the dense ids of interning one value at
/// a time, as the reader did before it, on the real SNAP files, for 1, 2
/// and 3 threads. Equal id columns and names mean equal CSRs: the build
/// only sees the columns.
#[test]
fn bulk_interning_matches_one_at_a_time_on_real_files() {
    for (file, sign_col) in [
        ("higgs-twitter/higgs-retweet_network.edgelist.gz", None),
        ("slashdot-zoo/soc-Slashdot0902.txt.gz", None),
        ("epinions-signed/soc-sign-epinions.txt.gz", Some(2)),
    ] {
        let mut text = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::MultiGzDecoder::new(
                std::fs::File::open(shared_dataset(file)).unwrap(),
            ),
            &mut text,
        )
        .unwrap();
        let pairs = raw_pairs(&text);
        let mut reference = portevoix_core::Interner::new();
        let (want_actor, want_target): (Vec<u32>, Vec<u32>) = pairs
            .iter()
            .map(|&(a, b)| {
                (
                    reference.intern_u64(a).unwrap().0,
                    reference.intern_u64(b).unwrap().0,
                )
            })
            .unzip();
        let want_names: Vec<String> = reference.iter().map(|(_, n)| n.to_string()).collect();
        let plain = two_columns(&pairs);
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            // As published (a third column: the general path), and as plain
            // pairs (the fast path).
            for (label, bytes, sign_col) in [
                ("as published", &text, sign_col),
                ("two columns", &plain, None),
            ] {
                let options = ReadOptions {
                    edgelist: EdgeListOptions {
                        sign_col,
                        ..EdgeListOptions::default()
                    },
                    ..ReadOptions::default()
                };
                let ds = pool.install(|| {
                    load_bytes(file, bytes.clone(), FormatKind::EdgeList, &options).unwrap()
                });
                let log = ds.interactions.layer(Layer::Follow);
                let at = format!("{file}, {label}, {threads} threads");
                assert_eq!(log.len(), pairs.len(), "{at}");
                assert!(log.actor == want_actor, "{at}: actor ids differ");
                assert!(log.target == want_target, "{at}: target ids differ");
                let got: Vec<String> = ds.interner.iter().map(|(_, n)| n.to_string()).collect();
                assert!(got == want_names, "{at}: interner differs");
            }
        }
    }
}
