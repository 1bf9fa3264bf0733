//! Shared harness of the fuzz targets: one input, both modes, the same
//! checks as `crates/portevoix-ingest/tests/robustness_edges.rs` (which
//! replays `fuzz/regressions/<target>/` on stable).

use portevoix_ingest::edgelist::EdgeListOptions;
use portevoix_ingest::{Dataset, FormatKind, Mode, ReadOptions, load_bytes};

/// Reader options chosen by the input's first byte, so that the fuzzer
/// explores separators, headers, optional columns and the line limit.
pub fn options(mode: Mode, pick: u8) -> ReadOptions {
    ReadOptions {
        mode,
        max_line_bytes: if pick & 64 != 0 { 16 } else { 0 },
        edgelist: EdgeListOptions {
            delimiter: [None, Some(b','), Some(b'\t'), Some(b' ')][(pick & 3) as usize],
            header: [None, Some(true), Some(false), None][((pick >> 2) & 3) as usize],
            weight_col: (pick & 16 != 0).then_some(2),
            time_col: (pick & 32 != 0).then_some(3),
            sign_col: (pick & 128 != 0).then_some(2),
            layer_col: (pick & 48 == 48).then_some(4),
            reverse: pick & 1 != 0,
            ..EdgeListOptions::default()
        },
        ..ReadOptions::default()
    }
}

/// Rows that a reader accepted: interactions, or for Twitter15 the cascade
/// edges (ROOT lines have no interaction) plus the duplicates read once.
fn ok_rows(ds: &Dataset, format: FormatKind) -> u64 {
    match format {
        FormatKind::Twitter15 => {
            ds.cascades
                .iter()
                .map(|c| c.edges.len() as u64)
                .sum::<u64>()
                + ds.report.files[0]
                    .notes
                    .get("duplicate tree line")
                    .copied()
                    .unwrap_or(0)
        }
        _ => ds.interactions.len() as u64,
    }
}

/// The lenient invariant: every record is either kept or skipped.
pub fn assert_balanced(ds: &Dataset, format: FormatKind) {
    let r = &ds.report.files[0];
    assert_eq!(
        r.records,
        ok_rows(ds, format) + r.skipped_total(),
        "records = ok rows + skipped ({r:?})"
    );
}

/// Reads `data` in strict and lenient mode with the options `pick` selects;
/// panics on a broken invariant.
pub fn check_with(data: &[u8], format: FormatKind, pick: u8) {
    let strict = load_bytes("fuzz", data.to_vec(), format, &options(Mode::Strict, pick));
    let lenient = load_bytes("fuzz", data.to_vec(), format, &options(Mode::Lenient, pick))
        .expect("lenient mode only fails on capacity");
    assert_balanced(&lenient, format);
    if let Ok(s) = strict {
        // Strict success means nothing was skipped, and both modes agree.
        assert_eq!(lenient.report.files[0].skipped_total(), 0);
        assert_eq!(s.interactions, lenient.interactions);
        assert_eq!(s.cascades, lenient.cascades);
    }
}

/// [`check_with`], the options chosen by the input's first byte.
pub fn check(data: &[u8], format: FormatKind) {
    check_with(data, format, data.first().copied().unwrap_or(0));
}
