//! The signed reader on the real Bitcoin OTC and Epinions files (and the
//! signed reader's options on small inputs made from their lines).

use portevoix_core::{Layer, LayerLog};
use portevoix_ingest::signed::SignedOptions;
use portevoix_ingest::{Dataset, FormatKind, Mode, ReadOptions, guess_format, load, load_bytes};
use portevoix_testdata::shared_dataset;
use std::path::Path;

fn negatives(log: &LayerLog) -> usize {
    log.value
        .as_ref()
        .unwrap()
        .iter()
        .filter(|&&v| v < 0.0)
        .count()
}

fn check_otc(ds: &Dataset) {
    let r = ds.interactions.layer(Layer::Rating);
    // SOURCE.md: 5,881 nodes, 35,592 edges, 32,029 positive, 3,563 negative.
    assert_eq!(ds.num_nodes(), 5_881);
    assert_eq!(r.len(), 35_592);
    assert_eq!(negatives(r), 3_563);
    let values = r.value.as_ref().unwrap();
    assert_eq!(values.iter().filter(|&&v| v > 0.0).count(), 32_029);
    assert!(
        values
            .iter()
            .all(|&v| (-10.0..=10.0).contains(&v) && v != 0.0)
    );
    assert!(r.weight.iter().all(|&w| w == 1.0));
    // 2010-11-08 … 2016-01-25 (UTC).
    let (lo, hi) = r.time_span().unwrap();
    assert!(lo.to_iso8601().starts_with("2010-11-08"), "{lo}");
    assert!(hi.to_iso8601().starts_with("2016-01-25"), "{hi}");
    // First line "6,2,4,1289241912": 6 rated 2 with +4.
    let first = r.get(Layer::Rating, 0);
    assert_eq!(ds.interner.name(first.actor).to_string(), "6");
    assert_eq!(ds.interner.name(first.target).to_string(), "2");
    assert_eq!(first.value, Some(4.0));
    assert_eq!(first.time.unwrap().secs(), 1_289_241_912);
    assert_eq!(ds.report.files[0].records, 35_592);
}

#[test]
fn bitcoin_otc_shared_copy() {
    let path = shared_dataset("bitcoin-otc/soc-sign-bitcoinotc.csv");
    assert_eq!(guess_format(&path).unwrap(), FormatKind::Signed);
    check_otc(&load(&[(&path, None)], &ReadOptions::default()).unwrap());
}

#[test]
fn bitcoin_otc_bundled_gzip() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../datasets/bitcoin-otc/soc-sign-bitcoinotc.csv.gz");
    check_otc(
        &load(
            &[(&path, Some(FormatKind::Signed))],
            &ReadOptions::default(),
        )
        .unwrap(),
    );
}

#[test]
fn epinions_signed_edge_list() {
    let path = shared_dataset("epinions-signed/soc-sign-epinions.txt.gz");
    assert_eq!(guess_format(&path).unwrap(), FormatKind::Signed);
    let ds = load(&[(&path, None)], &ReadOptions::default()).unwrap();
    let r = ds.interactions.layer(Layer::Rating);
    // SOURCE.md: 131,828 nodes, 841,372 edges, 717,667 +1, 123,705 −1, 573 self-loops.
    assert_eq!(ds.num_nodes(), 131_828);
    assert_eq!(r.len(), 841_372);
    assert_eq!(negatives(r), 123_705);
    assert_eq!(
        r.value
            .as_ref()
            .unwrap()
            .iter()
            .filter(|&&v| v == 1.0)
            .count(),
        717_667
    );
    assert_eq!(
        r.actor
            .iter()
            .zip(&r.target)
            .filter(|(a, b)| a == b)
            .count(),
        573
    );
    assert!(r.time.is_none(), "three columns: no time");
    let first = r.get(Layer::Rating, 0);
    assert_eq!(ds.interner.name(first.actor).to_string(), "0");
    assert_eq!(ds.interner.name(first.target).to_string(), "1");
    assert_eq!(first.value, Some(-1.0));
    let report = &ds.report.files[0];
    assert_eq!((report.records, report.skipped_total()), (841_372, 0));
}

#[test]
fn alpha_style_header_and_fractional_times() {
    // Bitcoin Alpha's re-upload has a header; SNAP's OTC has fractional times.
    let text =
        b"source,target,weight,timestamp\n7188,1,10,1407470400\n430,1,-10,1289241911.72836\n"
            .to_vec();
    let ds = load_bytes(
        "alpha.csv",
        text,
        FormatKind::Signed,
        &ReadOptions::default(),
    )
    .unwrap();
    let r = ds.interactions.layer(Layer::Rating);
    assert_eq!(r.len(), 2);
    assert_eq!(
        r.get(Layer::Rating, 1).time.unwrap().millis(),
        1_289_241_911_728
    );
    assert_eq!(ds.report.files[0].records, 2);
    assert_eq!(ds.report.files[0].notes["header line skipped"], 1);
}

#[test]
fn range_checks_and_options() {
    let text = b"6,2,4,1289241912\n6,5,-12,1289241942\n1,15,11,1289243140\n".to_vec();
    let opts = ReadOptions {
        mode: Mode::Lenient,
        signed: SignedOptions {
            min_value: Some(-10.0),
            max_value: Some(10.0),
            ..SignedOptions::default()
        },
        ..ReadOptions::default()
    };
    let ds = load_bytes("otc.csv", text.clone(), FormatKind::Signed, &opts).unwrap();
    let r = &ds.report.files[0];
    assert_eq!(r.skipped["value out of range"], 2);
    assert_eq!(
        (r.examples[0].location.line, r.examples[0].location.column),
        (2, Some(3))
    );
    assert_eq!(r.examples[1].location.line, 3);
    assert_eq!(ds.interactions.layer(Layer::Rating).len(), 1);

    // Without checks every rating is kept; ignore_time drops the time column.
    let opts = ReadOptions {
        signed: SignedOptions {
            ignore_time: true,
            ..SignedOptions::default()
        },
        ..ReadOptions::default()
    };
    let ds = load_bytes("otc.csv", text.clone(), FormatKind::Signed, &opts).unwrap();
    assert_eq!(ds.interactions.layer(Layer::Rating).len(), 3);
    assert!(ds.interactions.layer(Layer::Rating).time.is_none());

    // Other columns: value in column 3, time in column 2.
    let opts = ReadOptions {
        signed: SignedOptions {
            value_col: 3,
            time_col: Some(2),
            ..SignedOptions::default()
        },
        ..ReadOptions::default()
    };
    let ds = load_bytes(
        "t.csv",
        b"1,2,1341100972,-1\n".to_vec(),
        FormatKind::Signed,
        &opts,
    )
    .unwrap();
    let e = ds.interactions.layer(Layer::Rating).get(Layer::Rating, 0);
    assert_eq!(
        (e.value, e.time.unwrap().secs()),
        (Some(-1.0), 1_341_100_972)
    );
}

#[test]
fn a_missing_or_bad_rating_is_a_bad_row() {
    let text = b"# FromNodeId\tToNodeId\tSign\n0\t1\t-1\n1\t2\n1\t3\tplus\n".to_vec();
    let err = load_bytes(
        "e.txt",
        text.clone(),
        FormatKind::Signed,
        &ReadOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "e.txt:3:3: expected at least 3 columns, found 2"
    );
    let ds = load_bytes(
        "e.txt",
        text,
        FormatKind::Signed,
        &ReadOptions {
            mode: Mode::Lenient,
            ..ReadOptions::default()
        },
    )
    .unwrap();
    let r = &ds.report.files[0];
    assert_eq!(r.skipped["missing column"], 1);
    assert_eq!(r.skipped["invalid value"], 1);
    assert_eq!(
        r.examples[1].to_string(),
        "e.txt:4:3: invalid value 'plus' (expected a number)"
    );
    assert_eq!(r.records, 3);
}
