//! The text stage on hostile input, on stable Rust: every file in
//! `fuzz/regressions/fuzz_text/` (inputs kept from `cargo fuzz run fuzz_text`),
//! damaged real posts, and arbitrary strings, all through the fuzz target's
//! own checks (`fuzz/fuzz_targets/text_check.rs`, included here).

#[path = "../../../fuzz/fuzz_targets/text_check.rs"]
mod text_check;

use portevoix_ingest::{FormatKind, ReadOptions, load};
use portevoix_testdata::shared_dataset;
use proptest::prelude::*;
use std::path::Path;

#[test]
fn replays_the_fuzz_regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/fuzz_text");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        text_check::check(&std::fs::read(&path).unwrap());
        n += 1;
    }
    assert!(n >= 5, "{n} regression inputs in {}", dir.display());
}

#[test]
fn damaged_real_posts() {
    let path = shared_dataset("fr-media/fusion.json");
    let ds = load(
        &[(path.as_path(), Some(FormatKind::TwitterV2))],
        &ReadOptions::default(),
    )
    .unwrap();
    for post in ds.posts.iter().take(400) {
        let bytes = post.text.as_bytes();
        // Cut anywhere (inside a UTF-8 sequence too), doubled, reversed bytes.
        for cut in [1, bytes.len() / 3, bytes.len().saturating_sub(1)] {
            text_check::check(&bytes[..cut.min(bytes.len())]);
        }
        text_check::check(&[bytes, bytes].concat());
        let reversed: Vec<u8> = bytes.iter().rev().copied().collect();
        text_check::check(&reversed);
    }
}

#[test]
fn long_and_pathological_texts() {
    text_check::check(&[]);
    text_check::check(" \t\n\r".as_bytes());
    text_check::check("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!????????".as_bytes());
    text_check::check("😍".repeat(5000).as_bytes());
    text_check::check("NOT BAD BUT VERY GOOD ".repeat(5000).as_bytes());
    text_check::check("l'".repeat(20000).as_bytes());
    text_check::check("#".repeat(10000).as_bytes());
    text_check::check("@@@@ http:// $$$ :-) <3 ".repeat(2000).as_bytes());
    text_check::check("\u{200d}\u{fe0f}\u{1f3f3}".repeat(3000).as_bytes());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..400)) {
        text_check::check(&data);
    }

    #[test]
    fn arbitrary_strings(text in "\\PC{0,200}") {
        text_check::check(text.as_bytes());
    }
}
