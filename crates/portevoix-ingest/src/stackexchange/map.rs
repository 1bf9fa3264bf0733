//! From a site's typed records to the model: accounts, posts and
//! interactions (see `docs/stackexchange-format.md` for every rule).
//!
//! Direction, as everywhere: actor → target, credit to the target. An
//! answer is a reply of the answerer to the asker; a comment a reply of its
//! author to the post's author; an accepted answer a like (endorsement) of
//! the asker to the answerer; a bounty a like of its sponsor, valued with
//! its amount; a bookmark with a known voter a like of the voter to the
//! post's author; a post link a mention of the linked post's author by the
//! linking post's author. Anonymous votes become the posts' dated reaction
//! counts.

use super::rows::{PostRow, VoteRow, VoteType};
use super::site::{DumpFile, Site};
use crate::dataset::{DatasetBuilder, PostAdded};
use crate::diagnostics::Diagnostics;
use portevoix_core::{
    Account, Badge, BadgeClass, DatedReactions, Interaction, Layer, LinkKind, NodeId, Platform,
    Post, PostKind, PostLink, PostRef, ReactionCounts, ReactionKind, Result, Timestamp,
};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// The platform name of Stack Exchange accounts.
pub const PLATFORM: &str = "stackexchange";

/// The id of a comment as a post: `c` and the comment's id (comments have
/// their own id space in the dump).
pub fn comment_post_id(id: i64) -> String {
    format!("c{id}")
}

/// The kind of post a `PostTypeId` is.
pub fn post_kind(post_type: u32) -> PostKind {
    match post_type {
        1 => PostKind::Question,
        2 => PostKind::Answer,
        3 | 4 | 5 | 7 | 8 => PostKind::Wiki,
        _ => PostKind::Other,
    }
}

/// Votes of one post, gathered before the post is built.
#[derive(Default)]
struct PostVotes {
    up: u64,
    down: u64,
    bookmarks: u64,
    history: BTreeMap<(Timestamp, ReactionKind), u64>,
}

struct Mapper<'a> {
    builder: &'a mut DatasetBuilder,
    users: FxHashMap<i64, NodeId>,
    stand_ins: u64,
    platform: Platform,
}

impl Mapper<'_> {
    /// The account of a user id, interning it if `Users.xml` did not have it.
    fn user(&mut self, id: i64, diag: &mut Diagnostics) -> Result<NodeId> {
        if let Some(&n) = self.users.get(&id) {
            return Ok(n);
        }
        diag.note("user not in Users.xml (kept as a bare account)", 1);
        let (node, _) = self.builder.upsert_account(Account {
            platform: self.platform.clone(),
            ..Account::new(NodeId(0), id.to_string())
        })?;
        self.users.insert(id, node);
        Ok(node)
    }

    /// The author of a post or comment: the user, or a stand-in for a
    /// deleted user (by the display name left behind, else one per record).
    fn author(
        &mut self,
        user: Option<i64>,
        name: Option<&str>,
        record: impl FnOnce() -> String,
        diag: &mut Diagnostics,
    ) -> Result<NodeId> {
        if let Some(id) = user {
            return self.user(id, diag);
        }
        let external = match name {
            Some(n) => format!("deleted:{n}"),
            None => format!("deleted:{}", record()),
        };
        if let Some(node) = self.builder.interner().get(&external)
            && self.builder.account(node).is_some()
        {
            return Ok(node);
        }
        self.stand_ins += 1;
        let (node, _) = self.builder.upsert_account(Account {
            display_name: name.map(str::to_string),
            platform: self.platform.clone(),
            ..Account::new(NodeId(0), external)
        })?;
        Ok(node)
    }
}

/// Maps a read site into `builder`, then records each file's report.
///
/// # Errors
///
/// The id space is full (more than 2³² accounts).
pub fn map_site(mut site: Site, builder: &mut DatasetBuilder) -> Result<()> {
    let mut files = std::mem::take(&mut site.files);
    let diag_of = |f: DumpFile| -> usize {
        files
            .iter()
            .position(|(k, _)| *k == f)
            .unwrap_or(usize::MAX)
    };
    let (iu, ip, ic, iv, il, ib, it, ih) = (
        diag_of(DumpFile::Users),
        diag_of(DumpFile::Posts),
        diag_of(DumpFile::Comments),
        diag_of(DumpFile::Votes),
        diag_of(DumpFile::PostLinks),
        diag_of(DumpFile::Badges),
        diag_of(DumpFile::Tags),
        diag_of(DumpFile::PostHistory),
    );
    // A sink for notes about a file that is absent (lenient reads).
    let mut absent = Diagnostics::new(builder.mode(), "(absent)", "stackexchange");
    macro_rules! diag {
        ($i:expr) => {
            match files.get_mut($i) {
                Some((_, d)) => d,
                None => &mut absent,
            }
        };
    }
    let mut m = Mapper {
        builder,
        users: FxHashMap::default(),
        stand_ins: 0,
        platform: Platform::Other(PLATFORM.to_string()),
    };

    // Accounts, with their badges.
    let mut badges: FxHashMap<i64, Vec<Badge>> = FxHashMap::default();
    for b in std::mem::take(&mut site.badges) {
        badges.entry(b.user).or_default().push(Badge {
            name: b.name,
            class: b.class.map(|c| match c {
                1 => BadgeClass::Gold,
                2 => BadgeClass::Silver,
                _ => BadgeClass::Bronze,
            }),
            time: b.date,
            topic: b.tag_based,
        });
    }
    for u in std::mem::take(&mut site.users) {
        let account = Account {
            display_name: u.display_name,
            bio: u.about_me,
            created_at: u.created,
            bot: (u.id == -1).then_some(true),
            declared_score: u.reputation.map(|r| r as f64),
            profile_views: u.views,
            up_votes_cast: u.up_votes,
            down_votes_cast: u.down_votes,
            last_active: u.last_access,
            location: u.location,
            website: u.website,
            badges: badges.remove(&u.id).unwrap_or_default(),
            platform: m.platform.clone(),
            ..Account::new(NodeId(0), u.id.to_string())
        };
        let (node, _) = m.builder.upsert_account(account)?;
        if m.users.insert(u.id, node).is_some() {
            diag!(iu).note("duplicate user merged", 1);
        }
    }
    let mut orphan_badges: Vec<(i64, Vec<Badge>)> = badges.into_iter().collect();
    orphan_badges.sort_by_key(|(u, _)| *u);
    for (user, list) in orphan_badges {
        diag!(ib).note("badges of a user not in Users.xml", list.len() as u64);
        let node = m.user(user, diag!(ib))?;
        m.builder.upsert_account(Account {
            badges: list,
            ..Account::new(node, user.to_string())
        })?;
    }

    // Who wrote each post, before any post is built (answers and links
    // point at posts anywhere in the file).
    let posts = std::mem::take(&mut site.posts);
    let mut row_of: FxHashMap<i64, usize> = FxHashMap::default();
    let mut authors: Vec<NodeId> = Vec::with_capacity(posts.len());
    for (i, p) in posts.iter().enumerate() {
        let author = m.author(
            p.owner,
            p.owner_name.as_deref(),
            || format!("post:{}", p.id),
            diag!(ip),
        )?;
        authors.push(author);
        if row_of.insert(p.id, i).is_some() {
            diag!(ip).note("duplicate post merged", 1);
        }
    }
    let author_of = |id: i64| row_of.get(&id).map(|&i| authors[i]);
    let keys: Vec<PostKey> = posts.iter().map(PostKey::of).collect();

    let mut votes = gather_votes(&site.votes, &row_of, &keys, diag!(iv));
    let wiki_tags = wiki_tags(&site, diag!(it));
    let mut links: FxHashMap<i64, Vec<PostLink>> = FxHashMap::default();
    for l in &site.links {
        let kind = match l.link_type {
            1 => LinkKind::Related,
            3 => LinkKind::Duplicate,
            other => {
                diag!(il).note(&format!("unknown LinkTypeId {other} (not mapped)"), 1);
                continue;
            }
        };
        if !row_of.contains_key(&l.post) {
            diag!(il).note("link from a post not in Posts.xml (not mapped)", 1);
            continue;
        }
        let target = author_of(l.related);
        if target.is_none() {
            diag!(il).note("link to a post not in Posts.xml (kept, no interaction)", 1);
        }
        links.entry(l.post).or_default().push(PostLink {
            target: PostRef {
                post: l.related.to_string(),
                author: target,
            },
            kind,
            time: l.created,
        });
    }

    // Posts.
    let known_tags: rustc_hash::FxHashSet<&str> =
        site.tags.iter().map(|t| t.name.as_str()).collect();
    let mut unknown_tags = 0u64;
    let mut index_of: FxHashMap<i64, u32> = FxHashMap::default();
    for (i, mut p) in posts.into_iter().enumerate() {
        let kind = post_kind(p.post_type);
        if kind == PostKind::Other && p.post_type != 6 {
            diag!(ip).note(&format!("PostTypeId {} read as kind other", p.post_type), 1);
        }
        if !known_tags.is_empty() {
            unknown_tags += p
                .tags
                .iter()
                .filter(|t| !known_tags.contains(t.as_str()))
                .count() as u64;
        }
        let v = votes.remove(&p.id).unwrap_or_default();
        let mut tags = std::mem::take(&mut p.tags);
        if tags.is_empty()
            && let Some(t) = wiki_tags.get(&p.id)
        {
            tags.push(t.clone());
        }
        let reply_to = p.parent.map(|parent| PostRef {
            post: parent.to_string(),
            author: author_of(parent),
        });
        if kind == PostKind::Answer && reply_to.as_ref().is_some_and(|r| r.author.is_none()) {
            diag!(ip).note("answer to a question not in Posts.xml (no interaction)", 1);
        }
        let post = Post {
            id: p.id.to_string(),
            author: authors[i],
            time: p.created,
            text: post_text(&mut p),
            reply_to,
            reactions: ReactionCounts {
                replies: match (p.answer_count, p.comment_count) {
                    (None, None) => None,
                    (a, c) => Some(a.unwrap_or(0) + c.unwrap_or(0)),
                },
                likes: (!site.votes.is_empty()).then_some(v.up),
                dislikes: (!site.votes.is_empty()).then_some(v.down),
                bookmarks: match p.favorite_count {
                    Some(f) => Some(f.max(v.bookmarks)),
                    None => (!site.votes.is_empty()).then_some(v.bookmarks),
                },
                impressions: p.views,
                ..ReactionCounts::default()
            },
            kind,
            title: p.title,
            tags,
            score: p.score,
            accepted_reply: p.accepted_answer.map(|a| a.to_string()),
            reaction_history: v
                .history
                .into_iter()
                .map(|((time, kind), count)| DatedReactions { time, kind, count })
                .collect(),
            links: links.remove(&p.id).unwrap_or_default(),
            ..Post::default()
        };
        if let PostAdded::New(index) = m.builder.add_post(post) {
            index_of.insert(p.id, index);
        }
    }
    diag!(ip).note("question tags not in Tags.xml", unknown_tags);

    // Reply interactions: answers to askers.
    for (i, p) in keys.iter().enumerate() {
        if post_kind(p.post_type) != PostKind::Answer {
            continue;
        }
        let Some(asker) = p.parent.and_then(author_of) else {
            continue;
        };
        let post = index_of.get(&p.id).copied();
        m.builder.push(Interaction {
            time: p.created,
            post,
            ..Interaction::new(authors[i], asker, Layer::Reply)
        });
    }

    // Comments: posts of their own, and replies to the post's author.
    let comments = std::mem::take(&mut site.comments);
    for c in comments {
        let author = m.author(
            c.user,
            c.user_name.as_deref(),
            || format!("comment:{}", c.id),
            diag!(ic),
        )?;
        let target = author_of(c.post);
        if target.is_none() {
            diag!(ic).note("comment on a post not in Posts.xml (no interaction)", 1);
        }
        let id = comment_post_id(c.id);
        let added = m.builder.add_post(Post {
            id,
            author,
            time: c.created,
            text: c.text,
            reply_to: Some(PostRef {
                post: c.post.to_string(),
                author: target,
            }),
            reactions: ReactionCounts {
                likes: c.score.map(|s| s.max(0) as u64),
                ..ReactionCounts::default()
            },
            kind: PostKind::Comment,
            score: c.score,
            ..Post::default()
        });
        let index = match added {
            PostAdded::New(i) => i,
            PostAdded::Duplicate(_) => {
                diag!(ic).note("duplicate comment merged", 1);
                continue;
            }
        };
        if let Some(target) = target {
            m.builder.push(Interaction {
                time: c.created,
                post: Some(index),
                ..Interaction::new(author, target, Layer::Reply)
            });
        }
    }

    // Likes: accepted answers (asker → answerer, at the acceptance vote's date).
    let accepted_at = accept_dates(&site.votes);
    for (i, p) in keys.iter().enumerate() {
        let Some(answer) = p.accepted_answer else {
            continue;
        };
        let Some(answerer) = author_of(answer) else {
            diag!(ip).note("accepted answer not in Posts.xml (no interaction)", 1);
            continue;
        };
        let time = accepted_at.get(&answer).copied();
        if time.is_none() {
            diag!(ip).note("accepted answer without an acceptance vote (undated)", 1);
        }
        let post = index_of.get(&answer).copied();
        m.builder.push(Interaction {
            time,
            post,
            ..Interaction::new(authors[i], answerer, Layer::Like)
        });
    }
    let posts = Posts {
        keys: &keys,
        row_of: &row_of,
        authors: &authors,
        index_of: &index_of,
    };
    vote_interactions(&mut m, &site.votes, &posts, diag!(iv))?;

    // Mentions: post links.
    for l in &site.links {
        let (Some(from), Some(to)) = (author_of(l.post), author_of(l.related)) else {
            continue;
        };
        if !matches!(l.link_type, 1 | 3) {
            continue;
        }
        let post = index_of.get(&l.post).copied();
        m.builder.push(Interaction {
            time: l.created,
            post,
            ..Interaction::new(from, to, Layer::Mention)
        });
    }

    diag!(ih).note(
        "post history rows (validated, not mapped)",
        site.history.values().sum(),
    );
    diag!(ip).note("stand-in accounts for deleted users", m.stand_ins);
    for (_, d) in files.drain(..) {
        m.builder.add_report(d.finish());
    }
    Ok(())
}

/// A post's text: a question's title, a blank line, then its body (taken).
fn post_text(p: &mut PostRow) -> String {
    let body = std::mem::take(&mut p.body);
    match &p.title {
        Some(t) if !body.is_empty() => format!("{t}\n\n{body}"),
        Some(t) => t.clone(),
        None => body,
    }
}

/// What the interactions need of a post row once its text has moved into
/// the post.
struct PostKey {
    id: i64,
    post_type: u32,
    parent: Option<i64>,
    accepted_answer: Option<i64>,
    created: Option<Timestamp>,
}

impl PostKey {
    fn of(p: &PostRow) -> PostKey {
        PostKey {
            id: p.id,
            post_type: p.post_type,
            parent: p.parent,
            accepted_answer: p.accepted_answer,
            created: p.created,
        }
    }
}

/// The posts' rows, authors and indexes in the dataset, by dump id.
struct Posts<'a> {
    keys: &'a [PostKey],
    row_of: &'a FxHashMap<i64, usize>,
    authors: &'a [NodeId],
    index_of: &'a FxHashMap<i64, u32>,
}

/// The start of the day of a time (votes are dated to the day already;
/// other spellings are brought to it).
fn day(t: Timestamp) -> Timestamp {
    Timestamp(t.0.div_euclid(86_400_000) * 86_400_000)
}

fn gather_votes(
    votes: &[VoteRow],
    row_of: &FxHashMap<i64, usize>,
    posts: &[PostKey],
    diag: &mut Diagnostics,
) -> FxHashMap<i64, PostVotes> {
    let mut out: FxHashMap<i64, PostVotes> = FxHashMap::default();
    let mut unmapped: BTreeMap<u32, u64> = BTreeMap::new();
    for v in votes {
        let Some(&row) = row_of.get(&v.post) else {
            diag.note("vote on a post not in Posts.xml (not mapped)", 1);
            continue;
        };
        let kind = match VoteType::from_id(v.vote_type) {
            VoteType::UpMod => ReactionKind::Like,
            VoteType::DownMod => ReactionKind::Dislike,
            VoteType::Favorite => ReactionKind::Bookmark,
            VoteType::AcceptedByOriginator => ReactionKind::Accept,
            VoteType::BountyClose => {
                if v.bounty.is_none() || posts[row].post_type != 2 {
                    diag.note("bounty closed without an award (not mapped)", 1);
                    continue;
                }
                ReactionKind::Award
            }
            VoteType::BountyStart => continue,
            _ => {
                *unmapped.entry(v.vote_type).or_default() += 1;
                continue;
            }
        };
        let e = out.entry(v.post).or_default();
        let amount = if kind == ReactionKind::Award {
            v.bounty.unwrap_or(0)
        } else {
            1
        };
        match kind {
            ReactionKind::Like => e.up += 1,
            ReactionKind::Dislike => e.down += 1,
            ReactionKind::Bookmark => e.bookmarks += 1,
            ReactionKind::Accept | ReactionKind::Award => {}
        }
        match v.created {
            Some(t) => *e.history.entry((day(t), kind)).or_default() += amount,
            None => diag.note("vote without a date (counted, not dated)", 1),
        }
    }
    for (t, n) in unmapped {
        diag.note(&format!("VoteTypeId {t} votes (moderation, not mapped)"), n);
    }
    out
}

/// The acceptance vote's date of each accepted answer.
fn accept_dates(votes: &[VoteRow]) -> FxHashMap<i64, Timestamp> {
    let mut out = FxHashMap::default();
    for v in votes {
        if v.vote_type == 1
            && let Some(t) = v.created
        {
            out.entry(v.post).or_insert(t);
        }
    }
    out
}

/// The tag each tag-wiki post describes (`Tags.xml` `ExcerptPostId`, `WikiPostId`).
fn wiki_tags(site: &Site, diag: &mut Diagnostics) -> FxHashMap<i64, String> {
    let mut out = FxHashMap::default();
    for t in &site.tags {
        for p in [t.excerpt_post, t.wiki_post].into_iter().flatten() {
            out.insert(p, t.name.clone());
        }
    }
    diag.note("tags", site.tags.len() as u64);
    out
}

/// Likes from votes whose voter is known: bookmarks, bounty offers, and
/// bounty awards (whose sponsor is the one who offered the bounty on the
/// answer's question, the latest offer on or before the award).
fn vote_interactions(
    m: &mut Mapper<'_>,
    votes: &[VoteRow],
    posts: &Posts<'_>,
    diag: &mut Diagnostics,
) -> Result<()> {
    let mut offers: FxHashMap<i64, Vec<(Option<Timestamp>, i64)>> = FxHashMap::default();
    for v in votes {
        if v.vote_type == 8
            && let Some(u) = v.user.filter(|&u| u > 0)
        {
            offers.entry(v.post).or_default().push((v.created, u));
        }
    }
    for v in votes {
        let Some(&row) = posts.row_of.get(&v.post) else {
            continue;
        };
        let index = posts.index_of.get(&v.post).copied();
        let (actor, value) = match VoteType::from_id(v.vote_type) {
            VoteType::Favorite => match v.user.filter(|&u| u > 0) {
                Some(u) => (m.user(u, diag)?, None),
                None => continue,
            },
            VoteType::BountyStart => match (v.user.filter(|&u| u > 0), v.bounty) {
                (Some(u), Some(amount)) => (m.user(u, diag)?, Some(amount as f32)),
                _ => {
                    diag.note("bounty offer without a sponsor or amount (not mapped)", 1);
                    continue;
                }
            },
            VoteType::BountyClose => {
                let (Some(amount), Some(question)) = (v.bounty, posts.keys[row].parent) else {
                    continue;
                };
                let sponsor = offers.get(&question).and_then(|list| {
                    list.iter()
                        .filter(|(t, _)| match (t, v.created) {
                            (Some(t), Some(c)) => *t <= c,
                            _ => true,
                        })
                        .max_by_key(|(t, _)| *t)
                        .map(|&(_, u)| u)
                });
                match sponsor {
                    Some(u) => (m.user(u, diag)?, Some(amount as f32)),
                    None => {
                        diag.note(
                            "bounty award whose sponsor is unknown (dated reaction only)",
                            1,
                        );
                        continue;
                    }
                }
            }
            _ => continue,
        };
        m.builder.push(Interaction {
            time: v.created,
            value,
            post: index,
            ..Interaction::new(actor, posts.authors[row], Layer::Like)
        });
    }
    Ok(())
}
