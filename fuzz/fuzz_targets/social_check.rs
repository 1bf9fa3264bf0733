//! Shared harness of the social-format fuzz targets (`fuzz_twitter_v2`,
//! `fuzz_mastodon`, `fuzz_canonical`, `fuzz_posts_csv`): one input, both
//! modes, and invariants that must hold for any bytes. Included by each
//! target with `#[path]`, so that the other targets' harness stays as it is.
//! `crates/portevoix-ingest/tests/robustness_social.rs` replays
//! `fuzz/regressions/<target>/` on stable.

use portevoix_ingest::mastodon::MastodonOptions;
use portevoix_ingest::posts_csv::PostsCsvOptions;
use portevoix_ingest::{Error, FormatKind, Mode, ReadOptions, canonical, load_bytes};

/// Reader options chosen by the input's first byte.
pub fn options(mode: Mode, pick: u8) -> ReadOptions {
    ReadOptions {
        mode,
        max_line_bytes: if pick & 64 != 0 { 64 } else { 0 },
        mastodon: MastodonOptions {
            instance: (pick & 1 != 0).then(|| "fuzz.example".to_string()),
            include_direct: pick & 2 != 0,
        },
        posts_csv: PostsCsvOptions {
            delimiter: [None, Some(b','), Some(b';'), Some(b'\t')][((pick >> 2) & 3) as usize],
            author_is_handle: pick & 16 == 0,
            ..PostsCsvOptions::default()
        },
        ..ReadOptions::default()
    }
}

/// Errors that stop a lenient load by design: usage errors (no author
/// column, a CSV that is not canonical) and a newer canonical schema.
fn fatal_by_design(e: &Error) -> bool {
    match e {
        Error::Argument { .. } => true,
        Error::Input { reason, .. } => {
            reason.contains("schema") || reason.contains("not a canonical CSV header")
        }
        _ => false,
    }
}

/// Reads `data` in both modes; panics on a broken invariant.
pub fn check(data: &[u8], format: FormatKind) {
    let pick = data.first().copied().unwrap_or(0);
    let strict = load_bytes("fuzz", data.to_vec(), format, &options(Mode::Strict, pick));
    let lenient = match load_bytes("fuzz", data.to_vec(), format, &options(Mode::Lenient, pick)) {
        Ok(ds) => ds,
        Err(e) => {
            assert!(fatal_by_design(&e), "lenient load failed: {e}");
            assert!(strict.is_err(), "strict read what lenient refused: {e}");
            return;
        }
    };
    if let Ok(s) = &strict {
        assert_eq!(
            lenient.report.skipped_total(),
            0,
            "strict passed, lenient skipped"
        );
        // By value: the log's columns hold NaN sentinels, never equal to themselves.
        let rows = |ds: &portevoix_ingest::Dataset| ds.interactions.iter().collect::<Vec<_>>();
        assert_eq!(rows(s), rows(&lenient));
        assert_eq!(s.posts, lenient.posts);
    }
    // Whatever was read converts to the canonical format and back.
    let mut out = Vec::new();
    canonical::write_jsonl(&lenient, &mut out).expect("canonical output");
    let back = load_bytes("back", out, FormatKind::Canonical, &ReadOptions::default())
        .expect("the canonical output reads back in strict mode");
    assert_eq!(back.posts.len(), lenient.posts.len());
    assert_eq!(back.interactions.len(), lenient.interactions.len());
    assert_eq!(back.accounts.len(), lenient.accounts.len());
    // Accounts named by nothing written (the author of a duplicate post
    // that lost to the first copy) are not written: never more nodes back.
    assert!(back.num_nodes() <= lenient.num_nodes());
}
