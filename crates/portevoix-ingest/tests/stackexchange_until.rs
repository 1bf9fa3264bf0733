//! `Site::until` on real dumps, a folder (cardano) and a published `.7z`
//! (coffee): every record kept is dated before the cut, the fields the dump
//! gives as of its own date are recomputed from the records before the cut
//! (checked against an independent count over the raw votes and posts), and
//! cutting twice equals cutting once at the earlier date.

use portevoix_core::Timestamp;
use portevoix_ingest::Mode;
use portevoix_ingest::stackexchange::{Site, read_site};
use portevoix_testdata::shared_dataset;
use std::collections::{BTreeMap, BTreeSet};

const SITES: [&str; 2] = [
    "stackexchange/cardano",
    "stackexchange/coffee/coffee.stackexchange.com.7z",
];

fn site(path: &str) -> Site {
    read_site(&shared_dataset(path), Mode::Strict).unwrap()
}

/// The median creation date of the site's posts: half the site on each side.
fn median_post_date(s: &Site) -> Timestamp {
    let mut dates: Vec<Timestamp> = s.posts.iter().filter_map(|p| p.created).collect();
    dates.sort();
    dates[dates.len() / 2]
}

fn before(t: Option<Timestamp>, cut: Timestamp) -> bool {
    t.is_some_and(|t| t < cut)
}

#[test]
fn the_past_holds_only_records_dated_before_the_cut() {
    for path in SITES {
        let s = site(path);
        let cut = median_post_date(&s);
        let past = s.until(cut);
        let dated_before = s.posts.iter().filter(|p| before(p.created, cut)).count();
        assert_eq!(past.posts.len(), dated_before, "{path}");
        assert!(past.posts.len() > s.posts.len() / 3, "{path}");
        assert!(past.posts.iter().all(|p| before(p.created, cut)), "{path}");
        assert!(
            past.comments.iter().all(|c| before(c.created, cut)),
            "{path}"
        );
        assert!(past.votes.iter().all(|v| before(v.created, cut)), "{path}");
        assert!(past.badges.iter().all(|b| before(b.date, cut)), "{path}");
        assert!(past.links.iter().all(|l| before(l.created, cut)), "{path}");
        assert!(
            past.users.iter().all(|u| u.created.is_none_or(|t| t < cut)),
            "{path}"
        );
        // Fields summing the future are unknown at the cut.
        assert!(past.users.iter().all(|u| u.reputation.is_none()), "{path}");
        assert!(past.posts.iter().all(|p| p.views.is_none()), "{path}");
        assert!(past.users.len() < s.users.len(), "{path}");
    }
}

#[test]
fn scores_acceptances_and_counts_are_recomputed_from_the_past() {
    for path in SITES {
        let s = site(path);
        let cut = median_post_date(&s);
        let past = s.until(cut);
        // Independent count over the raw votes: 1 accepted, 2 up, 3 down.
        let mut net: BTreeMap<i64, i64> = BTreeMap::new();
        let mut accepted: BTreeSet<i64> = BTreeSet::new();
        for v in s.votes.iter().filter(|v| before(v.created, cut)) {
            match v.vote_type {
                1 => {
                    accepted.insert(v.post);
                }
                2 => *net.entry(v.post).or_default() += 1,
                3 => *net.entry(v.post).or_default() -= 1,
                _ => {}
            }
        }
        let mut answers: BTreeMap<i64, u64> = BTreeMap::new();
        for p in past.posts.iter().filter(|p| p.post_type == 2) {
            *answers.entry(p.parent.unwrap()).or_default() += 1;
        }
        let raw: BTreeMap<i64, _> = s.posts.iter().map(|p| (p.id, p)).collect();
        let (mut changed_score, mut dropped_acceptance) = (0, 0);
        for p in &past.posts {
            assert_eq!(
                p.score,
                Some(net.get(&p.id).copied().unwrap_or(0)),
                "{path} post {}",
                p.id
            );
            changed_score += usize::from(p.score != raw[&p.id].score);
            match raw[&p.id].accepted_answer {
                Some(a) if accepted.contains(&a) => assert_eq!(p.accepted_answer, Some(a)),
                Some(_) => {
                    assert_eq!(p.accepted_answer, None);
                    dropped_acceptance += 1;
                }
                None => assert_eq!(p.accepted_answer, None),
            }
            if p.post_type == 1 {
                assert_eq!(
                    p.answer_count,
                    Some(answers.get(&p.id).copied().unwrap_or(0))
                );
            }
        }
        // The cut matters: votes after it changed many scores today.
        assert!(
            changed_score > past.posts.len() / 10,
            "{path}: {changed_score}"
        );
        assert!(dropped_acceptance > 0, "{path}");
        // Tag counts are the past questions' tags.
        let tagged: u64 = past
            .posts
            .iter()
            .filter(|p| p.post_type == 1)
            .map(|p| p.tags.len() as u64)
            .sum();
        let counted: u64 = past.tags.iter().filter_map(|t| t.count).sum();
        assert!(
            counted <= tagged && counted > 0,
            "{path}: {counted} of {tagged}"
        );
    }
}

#[test]
fn cutting_twice_is_cutting_once_at_the_earlier_date() {
    for path in SITES {
        let s = site(path);
        let late = median_post_date(&s);
        let mut dates: Vec<Timestamp> = s.posts.iter().filter_map(|p| p.created).collect();
        dates.sort();
        let early = dates[dates.len() / 4];
        let twice = s.until(late).until(early);
        let once = s.until(early);
        assert_eq!(twice.posts, once.posts, "{path}");
        assert_eq!(twice.comments, once.comments, "{path}");
        assert_eq!(twice.votes, once.votes, "{path}");
        assert_eq!(twice.users, once.users, "{path}");
        assert_eq!(twice.tags, once.tags, "{path}");
        assert_eq!(twice.badges, once.badges, "{path}");
        // Past the last record, nothing is dropped but the undated.
        let end = s.until(Timestamp::from_secs(dates[dates.len() - 1].secs() + 1));
        assert_eq!(end.posts.len(), dates.len(), "{path}");
        // Before the first, nothing is left.
        assert!(s.until(dates[0]).posts.is_empty(), "{path}");
    }
}
