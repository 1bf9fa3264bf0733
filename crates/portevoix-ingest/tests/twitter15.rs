//! The Twitter15/16 tree reader on the real twitter15 directory in
//! `shared/datasets`, and on single trees made from its lines.

use portevoix_core::Layer;
use portevoix_ingest::twitter15::{Twitter15Options, is_tree_dir};
use portevoix_ingest::{Dataset, FormatKind, Mode, ReadOptions, guess_format, load, load_bytes};
use portevoix_testdata::shared_dataset;

fn tree_report(ds: &Dataset) -> &portevoix_ingest::FileReport {
    ds.report
        .files
        .iter()
        .find(|f| f.format == "twitter15")
        .unwrap()
}

/// Counts checked against SOURCE.md's table (computed there with Python):
/// 1,490 trees and labels; 624,458 lines in the tree files, of which 1,490
/// are `ROOT` lines and 622,968 parent→child edges (551,968 retweets +
/// 71,000 replies); 17,169 of those edge lines are exact duplicates;
/// 480,987 distinct user ids (ROOT excluded).
#[test]
fn twitter15_directory() {
    let set = shared_dataset("twitter15-cascades/twitter15/twitter15");
    // The data set directory, its tree directory, its parent and the
    // parent's parent (`twitter15-cascades/`) all work.
    let parent = set.parent().unwrap().to_path_buf();
    let grandparent = parent.parent().unwrap().to_path_buf();
    for p in [&set, &set.join("tree"), &parent, &grandparent] {
        assert!(is_tree_dir(p), "{}", p.display());
        assert_eq!(guess_format(p).unwrap(), FormatKind::Twitter15);
    }
    assert!(!is_tree_dir(&shared_dataset("higgs-twitter")));

    let ds = load(&[(&set, None)], &ReadOptions::default()).unwrap();
    assert_eq!(ds.cascades.len(), 1_490);
    assert!(ds.cascades.iter().all(|c| c.label.is_some()));
    assert_eq!(ds.num_nodes(), 480_987);

    let r = tree_report(&ds);
    assert_eq!(r.records, 624_458, "every non-blank line is a record");
    assert_eq!(r.skipped_total(), 0);
    assert_eq!(r.notes["duplicate tree line"], 17_169);
    // Distinct lines (duplicates read once): 606 with a negative delay
    // (8 of them ROOT lines), 3,651 edges whose child is earlier than its parent.
    assert_eq!(r.notes["negative delay"], 606);
    assert_eq!(r.notes["child before parent"], 3_651);
    assert!(!r.notes.contains_key("tree without label"));
    assert!(!r.notes.contains_key("label without tree"));
    let labels = ds
        .report
        .files
        .iter()
        .find(|f| f.format == "twitter15-labels")
        .unwrap();
    assert_eq!((labels.records, labels.skipped_total()), (1_490, 0));

    // 624,458 lines − 17,169 duplicates = 607,289 cascade edges, 1,490 of
    // them ROOT edges; the 605,799 others are interactions: retweets carry
    // the source id (547,162 distinct), the rest are replies (58,637).
    let edges: usize = ds.cascades.iter().map(|c| c.edges.len()).sum();
    assert_eq!(edges, 607_289);
    assert_eq!(
        ds.cascades
            .iter()
            .flat_map(|c| &c.edges)
            .filter(|e| e.parent.is_none())
            .count(),
        1_490
    );
    assert_eq!(ds.interactions.layer(Layer::Repost).len(), 547_162);
    assert_eq!(ds.interactions.layer(Layer::Reply).len(), 58_637);
    assert_eq!(ds.interactions.len(), 605_799);

    // Files are read in name order: the first is 265953285247209472.txt.
    let first = &ds.cascades[0];
    assert_eq!(first.source_post, "265953285247209472");
    assert_eq!(
        ds.interner.name(first.root.unwrap()).to_string(),
        "39364684"
    );
    assert!(first.start.unwrap().to_iso8601().starts_with("2012-11-06"));
    let e = &first.edges[1];
    assert_eq!(
        (e.child_post.as_str(), e.delay_minutes),
        ("265953402234748928", 0.45)
    );
    // Its second line is a reply of 21061006 to 39364684, 0.45 min = 27 s after the start.
    let reply = ds.interactions.layer(Layer::Reply).get(Layer::Reply, 0);
    assert_eq!(ds.interner.name(reply.actor).to_string(), "21061006");
    assert_eq!(ds.interner.name(reply.target).to_string(), "39364684");
    assert_eq!(
        reply.time.unwrap().millis() - first.start.unwrap().millis(),
        27_000
    );

    // Labels come from label.txt: "true:551099691702956032".
    let c = ds
        .cascades
        .iter()
        .find(|c| c.source_post == "551099691702956032")
        .unwrap();
    assert_eq!(c.label.as_deref(), Some("true"));
    // A tree whose ROOT line is not first and names another tweet: the
    // file name stays the source.
    let c = ds
        .cascades
        .iter()
        .find(|c| c.source_post == "745365403237376000")
        .unwrap();
    assert_eq!(
        c.edges
            .iter()
            .find(|e| e.parent.is_none())
            .unwrap()
            .child_post,
        "742053606820438016"
    );
}

#[test]
fn directory_read_is_deterministic_across_thread_counts() {
    let set = shared_dataset("twitter15-cascades/twitter15/twitter15");
    let read = || load(&[(&set, None)], &ReadOptions::default()).unwrap();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(read);
    let many = read();
    assert_eq!(one.interactions, many.interactions);
    assert_eq!(one.cascades, many.cascades);
}

const TREE: &str =
    "['39364684', '265953285247209472', '0.0']->['21061006', '265953402234748928', '0.45']
['ROOT', 'ROOT', '0.0']->['39364684', '265953285247209472', '0.0']
['39364684', '265953285247209472', '0.0']->['18513522', '265953285247209472', '-0.85']
['39364684', '265953285247209472', '0.0']->['18513522', '265953285247209472', '-0.85']
['21061006', '265953402234748928', '0.45']->['22369434', '265953587149021185', '0.2']
";

#[test]
fn single_file_duplicates_negative_delays_and_root_not_first() {
    let ds = load_bytes(
        "tree/265953285247209472.txt",
        TREE.as_bytes().to_vec(),
        FormatKind::Twitter15,
        &ReadOptions::default(),
    )
    .unwrap();
    let c = &ds.cascades[0];
    assert_eq!(c.source_post, "265953285247209472");
    assert_eq!(c.label, None);
    assert_eq!(c.edges.len(), 4);
    assert_eq!(ds.interner.name(c.root.unwrap()).to_string(), "39364684");
    let r = &ds.report.files[0];
    assert_eq!(r.records, 5);
    assert_eq!(r.notes["duplicate tree line"], 1);
    assert_eq!(r.notes["negative delay"], 1);
    assert_eq!(r.notes["child before parent"], 2);
    assert_eq!(ds.interactions.layer(Layer::Repost).len(), 1);
    assert_eq!(ds.interactions.layer(Layer::Reply).len(), 2);
    let rt = ds.interactions.layer(Layer::Repost).get(Layer::Repost, 0);
    assert_eq!(
        rt.time.unwrap().millis() - c.start.unwrap().millis(),
        -51_000,
        "negative delays are kept"
    );

    // Keeping duplicates.
    let opts = ReadOptions {
        twitter15: Twitter15Options {
            keep_duplicates: true,
        },
        ..ReadOptions::default()
    };
    let ds = load_bytes(
        "265953285247209472.txt",
        TREE.as_bytes().to_vec(),
        FormatKind::Twitter15,
        &opts,
    )
    .unwrap();
    assert_eq!(ds.cascades[0].edges.len(), 5);
    assert_eq!(ds.interactions.layer(Layer::Repost).len(), 2);
    assert_eq!(ds.report.files[0].notes["duplicate tree line kept"], 1);
}

#[test]
fn without_a_numeric_file_name_the_root_line_names_the_source() {
    let ds = load_bytes(
        "-",
        TREE.as_bytes().to_vec(),
        FormatKind::Twitter15,
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(ds.cascades[0].source_post, "265953285247209472");
    assert_eq!(ds.interactions.layer(Layer::Repost).len(), 1);
}

#[test]
fn bad_tree_lines_report_line_and_item() {
    let text = format!(
        "{TREE}['21061006', '265953402234748928', '0.45']->['22369434', '265953587149021185']\n\
         ['21061006', '265953402234748928', '0.45']->['ROOT', 'ROOT', '0.0']\n\
         ['21061006', '265953402234748928', '0.45']['1', '2', '3']\n\
         ['21061006', '265953402234748928', 'soon']->['1', '2', '3']\n"
    );
    let err = load_bytes(
        "t.txt",
        text.clone().into_bytes(),
        FormatKind::Twitter15,
        &ReadOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "t.txt:6:6: expected 3 items in a node, found 2: '[\\'22369434\\', \\'265953587149021185\\']'"
    );
    let lenient = ReadOptions {
        mode: Mode::Lenient,
        ..ReadOptions::default()
    };
    let ds = load_bytes("t.txt", text.into_bytes(), FormatKind::Twitter15, &lenient).unwrap();
    let r = &ds.report.files[0];
    let got: Vec<(u64, Option<u64>, &str)> = r
        .examples
        .iter()
        .map(|p| (p.location.line, p.location.column, p.kind.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (6, Some(6), "invalid tree line"),
            (7, Some(4), "invalid tree line"),
            (8, None, "invalid tree line"),
            (9, Some(3), "invalid delay"),
        ]
    );
    assert_eq!(r.records, 9);
    let edges: u64 = ds.cascades.iter().map(|c| c.edges.len() as u64).sum();
    assert_eq!(
        r.records,
        edges + r.notes["duplicate tree line"] + r.skipped_total()
    );
}
