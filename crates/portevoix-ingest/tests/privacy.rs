//! Pseudonymisation at ingest on real Twitter API v2 pages: nothing raw
//! left in accounts, posts or texts; the graph untouched; the same
//! pseudonyms for the same key; the map leads back. Plus the label reader
//! and the text rewriter on arbitrary bytes (they never panic).

use portevoix_core::Layer;
use portevoix_ingest::labels::read_labels_bytes;
use portevoix_ingest::privacy::{Kind, Pseudonymizer};
use portevoix_ingest::{Dataset, FormatKind, ReadOptions, load};
use portevoix_testdata::shared_dataset;
use proptest::prelude::*;
use std::collections::BTreeSet;

const KEY: &[u8] = b"a key for the ingest privacy tests";

fn load_with(options: &ReadOptions) -> Dataset {
    let path = shared_dataset("twitter-api-v2/2sets.jsonl");
    load(&[(&path, Some(FormatKind::TwitterV2))], options).unwrap()
}

fn pseudonymised(keep_map: bool) -> Dataset {
    load_with(&ReadOptions {
        pseudonymize: Some(Pseudonymizer::new(KEY).unwrap()),
        keep_pseudonym_map: keep_map,
        ..ReadOptions::default()
    })
}

#[test]
fn nothing_raw_is_left_and_the_graph_is_the_same() {
    let raw = load_with(&ReadOptions::default());
    let ds = pseudonymised(true);
    let p = Pseudonymizer::new(KEY).unwrap();
    assert!(raw.posts.len() > 100 && raw.accounts.len() > 50);
    // The same accounts, posts and interactions, in the same order.
    assert_eq!(ds.interner.len(), raw.interner.len());
    assert_eq!(ds.posts.len(), raw.posts.len());
    for layer in Layer::ALL {
        assert_eq!(
            ds.interactions.layer(layer).actor,
            raw.interactions.layer(layer).actor
        );
        assert_eq!(
            ds.interactions.layer(layer).target,
            raw.interactions.layer(layer).target
        );
    }
    // Every id, handle and post id replaced by its pseudonym.
    let raw_handles: BTreeSet<String> = raw
        .accounts
        .iter()
        .filter_map(|a| a.handle.as_deref())
        .filter(|h| h.len() >= 4)
        .map(str::to_lowercase)
        .collect();
    assert!(raw_handles.len() > 20);
    for (a, b) in raw.accounts.iter().zip(&ds.accounts) {
        assert_eq!(a.id, b.id);
        assert_eq!(b.external_id, p.id(&a.external_id));
        assert_eq!(b.handle, a.handle.as_deref().map(|h| p.handle(h)));
        assert_eq!(b.display_name, None);
        assert_eq!(a.followers, b.followers);
    }
    for (a, b) in raw.posts.iter().zip(&ds.posts) {
        assert_eq!(b.id, p.post(&a.id));
        assert_eq!(ds.post_index(&b.id), raw.post_index(&a.id));
        assert_eq!(a.author, b.author);
        assert_eq!(a.hashtags, b.hashtags);
        let lower = b.text.to_lowercase();
        for h in &raw_handles {
            assert!(
                !lower.contains(&format!("@{h}")),
                "@{h} left in {:?}",
                b.text
            );
        }
        assert!(b.urls.iter().all(|u| !u.contains("/status/")));
    }
    for (a, b) in raw.accounts.iter().zip(&ds.accounts) {
        if let (Some(x), Some(y)) = (&a.bio, &b.bio) {
            assert!(
                y.len() <= x.len() + 200
                    && !raw_handles
                        .iter()
                        .any(|h| y.to_lowercase().contains(&format!("@{h}")))
            );
        }
    }
    // The load report says what was done.
    let notes = &ds.report.files.last().unwrap().notes;
    assert_eq!(
        notes["pseudonymised at load: account ids"] as usize,
        ds.interner.len()
    );
    // The map leads back to every original.
    let map = ds.pseudonym_map.as_ref().expect("asked for");
    for a in &raw.accounts {
        assert_eq!(
            map.entries[&p.id(&a.external_id)],
            (Kind::Id, a.external_id.clone())
        );
    }
    for q in &raw.posts {
        assert_eq!(map.entries[&p.post(&q.id)], (Kind::Post, q.id.clone()));
    }
}

#[test]
fn same_key_same_pseudonyms_and_no_map_unless_asked() {
    let (a, b) = (pseudonymised(false), pseudonymised(false));
    assert!(a.pseudonym_map.is_none());
    let names = |d: &Dataset| {
        d.interner
            .iter()
            .map(|(_, n)| n.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&a), names(&b));
    let other = load_with(&ReadOptions {
        pseudonymize: Some(Pseudonymizer::new(b"a different key, 16+ bytes").unwrap()),
        ..ReadOptions::default()
    });
    assert!(names(&a).iter().zip(names(&other)).all(|(x, y)| *x != y));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Any text: no panic, and nothing after an `@` that starts a mention
    /// survives as it was.
    #[test]
    fn text_rewriting_never_panics(text in "\\PC*", handle in "[a-zA-Z0-9_]{4,20}") {
        let p = Pseudonymizer::new(KEY).unwrap();
        let _ = p.text(&text);
        let t = p.text(&format!("{text} @{handle} x"));
        let raw = format!("@{handle} ");
        prop_assert!(!t.contains(&raw));
    }

    #[test]
    fn label_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = read_labels_bytes("fuzz.csv", bytes);
    }
}
