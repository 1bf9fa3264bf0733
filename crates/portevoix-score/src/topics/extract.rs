//! Topic extraction: which posts belong to which topic.
//!
//! A community names its topics in one of two ways, and a post belongs to
//! a topic by the rule of that way:
//!
//! - **Tags** (Stack Exchange, forums): a question carries its tags; an
//!   answer belongs to the tags of the question it answers (as in tag
//!   campaigns and `signals::topical`).
//! - **Hashtags** (tweets, Mastodon, JSON Lines with text): a post belongs
//!   to the hashtags it carries: its `hashtags` field when the reader
//!   filled it (with cashtags for Twitter), else the `#hashtag` tokens of
//!   its text (the project's tokeniser: a hashtag's body must hold a
//!   letter). The text of questions and answers is never scanned: their
//!   `#` and `$` are headings, code and mathematics.
//!
//! Names are compared by [`normalise_tag`] (trimmed, without `#`,
//! lower-cased), so `#Fail` and `#fail` are one topic.
//!
//! The posts counted are the **content posts**: questions, answers and
//! stream posts (tweets, toots). Comments, tag wikis and re-shares
//! (retweets, boosts) are left out: a comment discusses, a wiki describes
//! the tag, a re-share repeats someone else's post.

use crate::campaign::normalise_tag;
use crate::engine::Engine;
use portevoix_core::{Post, PostKind};
use portevoix_text::analysis::{Analysis, TokenKind};
use rustc_hash::FxHashMap;

/// Where a topic's name comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TopicSource {
    /// A tag of the community's questions (answers inherit it).
    Tag,
    /// A hashtag (or cashtag) of stream posts.
    Hashtag,
}

impl TopicSource {
    /// The name in reports (`tag`, `hashtag`).
    pub fn name(self) -> &'static str {
        match self {
            TopicSource::Tag => "tag",
            TopicSource::Hashtag => "hashtag",
        }
    }
}

/// One topic and its posts.
#[derive(Debug, Clone)]
pub struct TopicPosts {
    /// The normalised name ([`normalise_tag`]).
    pub name: String,
    /// Where the name comes from: a tag when any post carries it as a tag.
    pub source: TopicSource,
    /// Indices of the topic's content posts in [`Engine::posts`], ascending.
    pub posts: Vec<usize>,
}

/// Whether post `p` is a content post (see the module documentation).
pub fn is_content(p: &Post) -> bool {
    matches!(
        p.kind,
        PostKind::Post | PostKind::Question | PostKind::Answer
    ) && p.repost_of.is_none()
}

/// Every topic of the engine's posts, in name order.
///
/// # Arguments
///
/// - `engine`: the data;
/// - `analyses`: per post of [`Engine::posts`], its analysis by the
///   corpus's analyser (`None` for posts that are not content posts): the
///   `#hashtag` tokens of a post whose reader left `hashtags` empty.
///
/// # Returns
///
/// One [`TopicPosts`] per distinct normalised name, names ascending.
///
/// # Complexity
///
/// O(posts × topics per post), plus a hash lookup per answer for its
/// question.
pub fn extract(engine: &Engine, analyses: &[Option<Analysis>]) -> Vec<TopicPosts> {
    let posts = engine.posts();
    // name -> (source is a tag, posts)
    let mut topics: FxHashMap<String, (bool, Vec<usize>)> = FxHashMap::default();
    let mut names: Vec<(String, bool)> = Vec::new();
    for (i, p) in posts.iter().enumerate() {
        if !is_content(p) {
            continue;
        }
        names.clear();
        own_names(p, analyses.get(i).and_then(Option::as_ref), &mut names);
        if p.kind == PostKind::Answer
            && let Some(parent) = p.reply_to.as_ref().and_then(|r| engine.post_index(&r.post))
        {
            // The question's tags; an answer's own hashtags (rare) stay too.
            let q = &posts[parent];
            names.extend(q.tags.iter().map(|t| (normalise_tag(t), true)));
        }
        names.sort();
        names.dedup_by(|a, b| a.0 == b.0);
        for (name, is_tag) in names.drain(..) {
            if name.is_empty() {
                continue;
            }
            let entry = topics.entry(name).or_default();
            entry.0 |= is_tag;
            entry.1.push(i);
        }
    }
    let mut out: Vec<TopicPosts> = topics
        .into_iter()
        .map(|(name, (is_tag, posts))| TopicPosts {
            name,
            source: if is_tag {
                TopicSource::Tag
            } else {
                TopicSource::Hashtag
            },
            posts,
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The topic names a post carries itself: its tags, its hashtags field,
/// or (both empty, a stream post) the hashtag tokens of its text.
fn own_names(p: &Post, analysis: Option<&Analysis>, names: &mut Vec<(String, bool)>) {
    names.extend(p.tags.iter().map(|t| (normalise_tag(t), true)));
    names.extend(p.hashtags.iter().map(|t| (normalise_tag(t), false)));
    // Only stream posts: a question's or answer's `$n$` is mathematics,
    // and its `#` a heading or a C# reference, not a topic.
    if p.kind == PostKind::Post
        && p.tags.is_empty()
        && p.hashtags.is_empty()
        && let Some(a) = analysis
    {
        names.extend(
            a.tokens
                .iter()
                .filter(|t| t.kind == TokenKind::Hashtag)
                .map(|t| (normalise_tag(&t.term), false)),
        );
    }
}
