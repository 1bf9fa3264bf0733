//! Bad input for the Stack Exchange reader: the fuzz target's regression
//! files replayed with its own checks, and property tests that damage real
//! rows of the shared sites (cut anywhere, bytes flipped, quotes and angle
//! brackets dropped): no panic in either mode, strict success means the
//! lenient read is the same, and the mapping accepts whatever was read.

use portevoix_testdata::shared_dataset;
use proptest::prelude::*;
use std::path::PathBuf;

#[path = "../../../fuzz/fuzz_targets/stackexchange_check.rs"]
mod stackexchange_check;

#[test]
fn fuzz_regressions_replay() {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/fuzz_stackexchange");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        stackexchange_check::check(&bytes);
        replayed += 1;
    }
    assert!(
        replayed >= 5,
        "{replayed} regression files in {}",
        dir.display()
    );
}

/// The first `rows` rows of a real dump file, with its head and its root's end tag.
fn head(file: &str, rows: usize) -> Vec<u8> {
    let text =
        std::fs::read_to_string(shared_dataset(&format!("stackexchange/ai/{file}"))).unwrap();
    let mut lines: Vec<&str> = text.lines().take(rows + 2).collect();
    let root = lines[1]
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string();
    lines.push("");
    let mut out = lines.join("\n");
    out.push_str(&format!("</{root}>\n"));
    out.into_bytes()
}

const FILES: [(&str, u8); 7] = [
    ("Users.xml", 0),
    ("Posts.xml", 1),
    ("Comments.xml", 2),
    ("Votes.xml", 3),
    ("PostLinks.xml", 4),
    ("Badges.xml", 5),
    ("Tags.xml", 6),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn damaged_real_rows_never_panic(
        which in 0usize..FILES.len(),
        cut in 0.0f64..1.0,
        flips in proptest::collection::vec((0.0f64..1.0, any::<u8>()), 0..6),
        drop_quote in any::<bool>(),
    ) {
        let (file, pick) = FILES[which];
        let mut bytes = head(file, 40);
        if drop_quote && let Some(k) = bytes.iter().skip(bytes.len() / 3).position(|&b| b == b'"') {
            bytes.remove(bytes.len() / 3 + k);
        }
        for (at, b) in flips {
            let i = ((bytes.len() - 1) as f64 * at) as usize;
            bytes[i] = b;
        }
        bytes.truncate(((bytes.len() as f64) * (0.5 + cut / 2.0)) as usize);
        let mut data = vec![pick];
        data.extend(bytes);
        stackexchange_check::check(&data);
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..512)) {
        stackexchange_check::check(&data);
    }
}

#[test]
fn the_undamaged_heads_read_cleanly_in_both_modes() {
    for (file, pick) in FILES {
        let mut data = vec![pick];
        data.extend(head(file, 40));
        stackexchange_check::check(&data);
        let site = portevoix_ingest::stackexchange::read_file_bytes(
            portevoix_ingest::stackexchange::DumpFile::ALL[pick as usize],
            file,
            &data[1..],
            portevoix_ingest::Mode::Strict,
        )
        .unwrap();
        let rows = site.users.len()
            + site.posts.len()
            + site.comments.len()
            + site.votes.len()
            + site.links.len()
            + site.badges.len()
            + site.tags.len();
        assert_eq!(rows, 40, "{file}");
    }
}
