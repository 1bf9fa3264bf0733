//! A site as it stood at a past date: what a hold-out evaluation may show
//! the scores (the dump holds the site's whole history, and several of its
//! fields sum the future).
//!
//! [`Site::until`] keeps the records dated strictly before the cut and
//! recomputes, from those records only, the fields that the dump gives as
//! of the dump's date:
//!
//! | field | at the cut |
//! |---|---|
//! | a post's `Score` | up-votes − down-votes dated before the cut |
//! | a question's `AcceptedAnswerId` | kept when the acceptance vote is dated before the cut, else `None` |
//! | `AnswerCount`, `CommentCount`, `FavoriteCount` | counted from the records kept |
//! | a post's `ViewCount`, a comment's `Score` | `None` (the dump does not date them) |
//! | a user's `Reputation`, `Views`, `UpVotes`, `DownVotes`, `LastAccessDate` | `None` (a caller that can replay reputation sets it afterwards) |
//! | `Tags.xml` counts | counted from the questions kept |
//! | `PostHistory.xml` | dropped (only counted, never mapped) |
//!
//! Undated records (no `CreationDate`) are dropped: their side of the cut
//! is unknown. Users created at or after the cut are dropped, and so are
//! badges, votes and links dated at or after it. Not undone (the dump keeps
//! only the last revision): the bodies, titles and tags of posts edited
//! after the cut.

use super::rows::{PostRow, TagRow, VoteType};
use super::site::Site;
use portevoix_core::Timestamp;
use rustc_hash::{FxHashMap, FxHashSet};

fn before(t: Option<Timestamp>, cut: Timestamp) -> bool {
    t.is_some_and(|t| t < cut)
}

impl Site {
    /// The site as it stood just before `cut` (rules in the [module
    /// docs](self)). The diagnostics of the files read stay with `self`.
    ///
    /// # Complexity
    ///
    /// O(records), one pass over each file's records.
    ///
    /// # Example
    ///
    /// ```no_run
    /// use portevoix_core::Timestamp;
    /// use portevoix_ingest::Mode;
    /// use portevoix_ingest::stackexchange::read_site;
    ///
    /// let site = read_site("cardano".as_ref(), Mode::Strict)?;
    /// let past = site.until(Timestamp::parse("2021-08-27T00:00").unwrap());
    /// assert!(past.posts.len() < site.posts.len());
    /// # Ok::<(), portevoix_core::Error>(())
    /// ```
    pub fn until(&self, cut: Timestamp) -> Site {
        let votes: Vec<_> = self
            .votes
            .iter()
            .filter(|v| before(v.created, cut))
            .cloned()
            .collect();
        let mut net: FxHashMap<i64, i64> = FxHashMap::default();
        let mut favourites: FxHashMap<i64, u64> = FxHashMap::default();
        let mut accepted: FxHashSet<i64> = FxHashSet::default();
        for v in &votes {
            match VoteType::from_id(v.vote_type) {
                VoteType::UpMod => *net.entry(v.post).or_default() += 1,
                VoteType::DownMod => *net.entry(v.post).or_default() -= 1,
                VoteType::Favorite => *favourites.entry(v.post).or_default() += 1,
                VoteType::AcceptedByOriginator => {
                    accepted.insert(v.post);
                }
                _ => {}
            }
        }
        let comments: Vec<_> = self
            .comments
            .iter()
            .filter(|c| before(c.created, cut))
            .map(|c| {
                let mut c = c.clone();
                c.score = None;
                c
            })
            .collect();
        let mut comment_count: FxHashMap<i64, u64> = FxHashMap::default();
        for c in &comments {
            *comment_count.entry(c.post).or_default() += 1;
        }
        let kept: Vec<&PostRow> = self
            .posts
            .iter()
            .filter(|p| before(p.created, cut))
            .collect();
        let mut answer_count: FxHashMap<i64, u64> = FxHashMap::default();
        for p in kept.iter().filter(|p| p.post_type == 2) {
            if let Some(q) = p.parent {
                *answer_count.entry(q).or_default() += 1;
            }
        }
        let posts: Vec<PostRow> = kept
            .into_iter()
            .map(|p| PostRow {
                score: Some(net.get(&p.id).copied().unwrap_or(0)),
                views: None,
                accepted_answer: p.accepted_answer.filter(|a| accepted.contains(a)),
                answer_count: (p.post_type == 1)
                    .then(|| answer_count.get(&p.id).copied().unwrap_or(0)),
                comment_count: Some(comment_count.get(&p.id).copied().unwrap_or(0)),
                favorite_count: favourites.get(&p.id).copied(),
                ..p.clone()
            })
            .collect();
        let mut tag_count: FxHashMap<&str, u64> = FxHashMap::default();
        for q in posts.iter().filter(|p| p.post_type == 1) {
            for t in &q.tags {
                *tag_count.entry(t.as_str()).or_default() += 1;
            }
        }
        let tags: Vec<TagRow> = self
            .tags
            .iter()
            .map(|t| TagRow {
                count: Some(tag_count.get(t.name.as_str()).copied().unwrap_or(0)),
                ..t.clone()
            })
            .collect();
        let users = self
            .users
            .iter()
            .filter(|u| u.created.is_none_or(|t| t < cut))
            .map(|u| {
                let mut u = u.clone();
                u.reputation = None;
                u.views = None;
                u.up_votes = None;
                u.down_votes = None;
                u.last_access = None;
                u
            })
            .collect();
        Site {
            name: self.name.clone(),
            users,
            posts,
            comments,
            votes,
            links: self
                .links
                .iter()
                .filter(|l| before(l.created, cut))
                .cloned()
                .collect(),
            badges: self
                .badges
                .iter()
                .filter(|b| before(b.date, cut))
                .cloned()
                .collect(),
            tags,
            history: Default::default(),
            xml_bytes: 0,
            files: Vec::new(),
        }
    }
}
