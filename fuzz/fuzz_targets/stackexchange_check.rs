//! Harness of the `fuzz_stackexchange` target: the first byte picks the dump
//! file (`Users.xml`, `Posts.xml`, ...), the rest is its XML. Both modes,
//! then the mapping to the model, with invariants that must hold for any
//! bytes. `crates/portevoix-ingest/tests/robustness_stackexchange.rs`
//! replays `fuzz/regressions/fuzz_stackexchange/` with these checks on stable.

use portevoix_ingest::stackexchange::{DumpFile, map_site, read_file_bytes};
use portevoix_ingest::{DatasetBuilder, Mode};

/// Reads `data` in both modes and maps it; panics on a broken invariant.
pub fn check(data: &[u8]) {
    let Some((&pick, xml)) = data.split_first() else {
        return;
    };
    let file = DumpFile::ALL[usize::from(pick) % DumpFile::ALL.len()];
    let strict = read_file_bytes(file, "fuzz.xml", xml, Mode::Strict);
    // A lenient read of bytes has no IO to fail: it never errs.
    let lenient = match read_file_bytes(file, "fuzz.xml", xml, Mode::Lenient) {
        Ok(site) => site,
        Err(e) => panic!("lenient read failed: {e}"),
    };
    let rows = |s: &portevoix_ingest::stackexchange::Site| {
        [
            s.users.len(),
            s.posts.len(),
            s.comments.len(),
            s.votes.len(),
            s.links.len(),
            s.badges.len(),
            s.tags.len(),
            s.history.values().sum::<u64>() as usize,
        ]
    };
    if let Ok(s) = &strict {
        assert_eq!(
            rows(s),
            rows(&lenient),
            "strict and lenient read different rows"
        );
        assert_eq!(s.posts, lenient.posts);
    }
    let mut builder = DatasetBuilder::new(Mode::Lenient);
    if let Err(e) = map_site(lenient, &mut builder) {
        panic!("mapping failed: {e}");
    }
    let ds = builder.finish();
    let n = ds.num_nodes();
    for i in ds.interactions.iter() {
        assert!(i.actor.index() < n && i.target.index() < n);
        assert!(i.post.is_none_or(|p| (p as usize) < ds.posts.len()));
    }
    for p in &ds.posts {
        assert!(p.author.index() < n);
    }
}
