//! Accounts, posts and cascades: the records that readers produce.

use crate::ids::NodeId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The platform an account or post comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// Twitter / X.
    Twitter,
    /// Mastodon or another ActivityPub server speaking the Mastodon API.
    Mastodon,
    /// A platform not known to Porte-voix, named by the user.
    Other(String),
    /// Not stated by the input (plain edge lists).
    #[default]
    Unknown,
}

impl Platform {
    /// Lower-case name (`twitter`, `mastodon`, the custom name, or `unknown`).
    pub fn as_str(&self) -> &str {
        match self {
            Platform::Twitter => "twitter",
            Platform::Mastodon => "mastodon",
            Platform::Other(s) => s,
            Platform::Unknown => "unknown",
        }
    }

    /// Parses a platform name; unknown names become [`Platform::Other`].
    pub fn from_name(name: &str) -> Platform {
        match name.trim().to_ascii_lowercase().as_str() {
            "twitter" | "x" => Platform::Twitter,
            "mastodon" | "fediverse" => Platform::Mastodon,
            "" | "unknown" => Platform::Unknown,
            other => Platform::Other(other.to_string()),
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A person or organisation behind posts and interactions.
///
/// Every field but the ids is optional: edge lists only give ids, API exports
/// give profiles. Profile fields kept are those that scoring uses (handle,
/// bio, declared counts and scores, age, verification, language, badges) and
/// the public place and website a community profile declares; avatars, e-mail
/// hashes and other personal data are dropped at ingestion (privacy by design).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Account {
    /// Dense id in the dataset.
    pub id: NodeId,
    /// The platform's id, as it appears in the export.
    pub external_id: String,
    /// Screen name / username without the leading `@` (`lemondefr`).
    pub handle: Option<String>,
    /// Display name (`Le Monde`).
    pub display_name: Option<String>,
    /// Profile description.
    pub bio: Option<String>,
    /// Declared follower count (audience), as the platform reported it.
    pub followers: Option<u64>,
    /// Declared following count.
    pub following: Option<u64>,
    /// Declared number of posts.
    pub posts: Option<u64>,
    /// Declared number of lists the account is on (Twitter), a peer-recognition signal.
    pub listed: Option<u64>,
    /// Account creation time.
    pub created_at: Option<Timestamp>,
    /// Verified / blue-tick status where the platform states it.
    pub verified: Option<bool>,
    /// Whether the platform flags the account as automated (Mastodon `bot`).
    pub bot: Option<bool>,
    /// Declared or dominant language (BCP 47 / ISO 639-1 code).
    pub language: Option<String>,
    /// Where the account lives.
    pub platform: Platform,
    /// The platform's own single social score for the account, as declared:
    /// Stack Exchange reputation, Reddit karma, a Klout score. It is the
    /// baseline a contextual score must beat, and it describes the whole
    /// history of the export (future included when data is split in time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_score: Option<f64>,
    /// Declared number of profile views.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_views: Option<u64>,
    /// Declared number of up-votes (likes) the account cast on others' posts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub up_votes_cast: Option<u64>,
    /// Declared number of down-votes (dislikes) the account cast on others' posts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub down_votes_cast: Option<u64>,
    /// Last time the account was seen active, where the platform states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_active: Option<Timestamp>,
    /// The place the profile declares publicly (free text, as written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The website the profile declares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Badges (awards, achievements) the platform gave the account, in the
    /// order read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub badges: Vec<Badge>,
}

/// The rank of a badge, where the platform grades them (Stack Exchange:
/// gold, silver, bronze).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BadgeClass {
    /// The rarest (Stack Exchange class 1).
    Gold,
    /// Stack Exchange class 2.
    Silver,
    /// The most common (Stack Exchange class 3).
    Bronze,
}

/// A badge an account earned: a platform's recognition of a behaviour or of
/// expertise in a topic.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Badge {
    /// Its name (`Nice Answer`, or a topic's name for a topic badge).
    pub name: String,
    /// Its rank, where graded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<BadgeClass>,
    /// When it was awarded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<Timestamp>,
    /// Whether it is awarded for a topic (its name is then a topic term, e.g. a tag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<bool>,
}

impl Account {
    /// An account with only its ids set.
    pub fn new(id: NodeId, external_id: impl Into<String>) -> Account {
        Account {
            id,
            external_id: external_id.into(),
            ..Account::default()
        }
    }

    /// Fills every field that is `None` here from `other` (same account seen
    /// in another page or file). Values already present win, so the first
    /// source read is authoritative; returns the names of fields where the
    /// two disagreed, for the diagnostics.
    pub fn merge_from(&mut self, other: &Account) -> Vec<&'static str> {
        let mut conflicts = Vec::new();
        macro_rules! fill {
            ($($f:ident),*) => {$(
                match (&self.$f, &other.$f) {
                    (None, Some(v)) => self.$f = Some(v.clone()),
                    (Some(a), Some(b)) if a != b => conflicts.push(stringify!($f)),
                    _ => {}
                }
            )*};
        }
        fill!(
            handle,
            display_name,
            bio,
            followers,
            following,
            posts,
            listed,
            created_at,
            verified,
            bot,
            language,
            declared_score,
            profile_views,
            up_votes_cast,
            down_votes_cast,
            last_active,
            location,
            website
        );
        if self.platform == Platform::Unknown {
            self.platform = other.platform.clone();
        }
        if self.badges.is_empty() {
            self.badges = other.badges.clone();
        }
        conflicts
    }
}

/// Reaction counters of a post, as the platform reported them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReactionCounts {
    /// Re-shares (retweets, boosts).
    pub reposts: Option<u64>,
    /// Replies.
    pub replies: Option<u64>,
    /// Likes / favourites.
    pub likes: Option<u64>,
    /// Quotes.
    pub quotes: Option<u64>,
    /// Impressions (views), where the platform gives them.
    pub impressions: Option<u64>,
    /// Dislikes / down-votes, where the platform counts them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dislikes: Option<u64>,
    /// Bookmarks / saves (Stack Exchange favourites, Twitter bookmarks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bookmarks: Option<u64>,
}

impl ReactionCounts {
    /// Sum of reposts, replies, likes and quotes that are known (dislikes and
    /// bookmarks are not reactions that spread a post, and are left out).
    pub fn total(&self) -> u64 {
        [self.reposts, self.replies, self.likes, self.quotes]
            .iter()
            .map(|v| v.unwrap_or(0))
            .fold(0u64, u64::saturating_add)
    }
}

/// A reference from one post to another post, by the platform's post id,
/// with the referenced post's author when the export says who it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostRef {
    /// The referenced post's id.
    pub post: String,
    /// Its author, if known.
    pub author: Option<NodeId>,
}

/// What kind of contribution a post is, where the platform distinguishes
/// them (question-and-answer sites, forums).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PostKind {
    /// A post of a stream (tweet, toot, status, forum post): the default.
    #[default]
    Post,
    /// A question that asks the community for answers.
    Question,
    /// An answer to a question ([`Post::reply_to`] is the question).
    Answer,
    /// A short comment under a post ([`Post::reply_to`] is the post).
    Comment,
    /// A collaborative reference text: a tag's wiki or excerpt, a help page.
    Wiki,
    /// Another kind the platform has (an election nomination, an article).
    Other,
}

impl PostKind {
    /// Lower-case name (`post`, `question`, `answer`, `comment`, `wiki`, `other`).
    pub fn as_str(self) -> &'static str {
        match self {
            PostKind::Post => "post",
            PostKind::Question => "question",
            PostKind::Answer => "answer",
            PostKind::Comment => "comment",
            PostKind::Wiki => "wiki",
            PostKind::Other => "other",
        }
    }
}

/// A kind of reaction to a post that the platform counts without (always)
/// saying who reacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReactionKind {
    /// A like, favourite or up-vote.
    Like,
    /// A dislike or down-vote.
    Dislike,
    /// A bookmark or save (Stack Exchange favourite).
    Bookmark,
    /// The post was accepted as the solution by the one who asked.
    Accept,
    /// The post was awarded a bounty; the count is the amount awarded.
    Award,
}

/// How many reactions of one kind a post received at one time (the
/// platform's time resolution: Stack Exchange dates votes to the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedReactions {
    /// When (the start of the day for day-resolution dates).
    pub time: Timestamp,
    /// The kind.
    pub kind: ReactionKind,
    /// How many (for [`ReactionKind::Award`], the amount awarded).
    pub count: u64,
}

/// How one post points at another, besides replying, re-sharing and quoting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// A link to a related post.
    Related,
    /// The post duplicates the linked one (which holds the answers).
    Duplicate,
}

/// A link from a post to another post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostLink {
    /// The linked post (and its author, once known).
    pub target: PostRef,
    /// Why it is linked.
    pub kind: LinkKind,
    /// When the link was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<Timestamp>,
}

/// A post (tweet, toot, status, question, answer, comment), with what it
/// references and its reactions.
///
/// Fields added after schema 1 (`kind` to `links`) have serde defaults, so
/// records written before them still read.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Post {
    /// The platform's post id.
    pub id: String,
    /// The author.
    pub author: NodeId,
    /// Publication time.
    pub time: Option<Timestamp>,
    /// Plain text (HTML already turned into text).
    pub text: String,
    /// Language tag the platform gave (`en`, `fr`, `und`, ...).
    pub language: Option<String>,
    /// The post this one replies to: its parent in a thread (an answer's
    /// question, a comment's post).
    pub reply_to: Option<PostRef>,
    /// The post this one re-shares (a retweet / boost carries no text of its own).
    pub repost_of: Option<PostRef>,
    /// The post this one quotes.
    pub quote_of: Option<PostRef>,
    /// Conversation / thread id, where the platform gives it.
    pub conversation: Option<String>,
    /// Accounts mentioned, resolved to dense ids.
    pub mentions: Vec<NodeId>,
    /// Hashtags without `#`, as written.
    pub hashtags: Vec<String>,
    /// Expanded URLs.
    pub urls: Vec<String>,
    /// Reaction counters.
    pub reactions: ReactionCounts,
    /// What kind of contribution it is.
    #[serde(default, skip_serializing_if = "is_default_kind")]
    pub kind: PostKind,
    /// Its title, where posts have one (questions, articles); the title is
    /// also the first paragraph of [`Post::text`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Topic terms attached to the post rather than written in it (Stack
    /// Exchange tags, forum categories), as the platform spells them; with
    /// [`Post::hashtags`], the post's topic terms ([`Post::topic_terms`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The platform's net vote score (up-votes minus down-votes), where it
    /// states one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<i64>,
    /// The id of the reply the author accepted as the solution (a question's
    /// accepted answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_reply: Option<String>,
    /// Reactions over time, sorted by time then kind (one entry per time and
    /// kind): the dated form of the anonymous counts in [`Post::reactions`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reaction_history: Vec<DatedReactions>,
    /// Links to other posts (related, duplicate), in the order read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<PostLink>,
}

fn is_default_kind(kind: &PostKind) -> bool {
    *kind == PostKind::Post
}

impl Post {
    /// The post's topic terms: its hashtags, then its tags.
    pub fn topic_terms(&self) -> impl Iterator<Item = &str> {
        self.hashtags
            .iter()
            .chain(self.tags.iter())
            .map(String::as_str)
    }

    /// The reactions of `kind` received strictly before `time` (for
    /// [`ReactionKind::Award`], the amount).
    pub fn reactions_before(&self, kind: ReactionKind, time: Timestamp) -> u64 {
        self.reaction_history
            .iter()
            .filter(|r| r.kind == kind && r.time < time)
            .map(|r| r.count)
            .fold(0u64, u64::saturating_add)
    }
}

/// One propagation step of a cascade: `child` re-shared or replied to
/// content that reached it through `parent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CascadeEdge {
    /// The account the content came from (`None` for the root's virtual parent).
    pub parent: Option<NodeId>,
    /// The parent's post id.
    pub parent_post: Option<String>,
    /// The account that re-shared or replied.
    pub child: NodeId,
    /// The child's post id (equal to the source post id for a plain re-share).
    pub child_post: String,
    /// Minutes after the source post at which the child acted.
    pub delay_minutes: f64,
}

/// A propagation tree: who spread whose post, when (Twitter15/16).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cascade {
    /// The source post id.
    pub source_post: String,
    /// The source post's author.
    pub root: Option<NodeId>,
    /// The source post's time, when known (Twitter snowflake ids carry it).
    pub start: Option<Timestamp>,
    /// A label attached to the cascade (`true`, `false`, `non-rumor`, ...).
    pub label: Option<String>,
    /// Edges in file order.
    pub edges: Vec<CascadeEdge>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_written_before_the_new_fields_still_read() {
        let old = r#"{"id":"9","author":3,"time":null,"text":"hi","language":null,"reply_to":null,"repost_of":null,"quote_of":null,"conversation":null,"mentions":[],"hashtags":["x"],"urls":[],"reactions":{"reposts":1,"replies":null,"likes":null,"quotes":null,"impressions":null}}"#;
        let p: Post = serde_json::from_str(old).unwrap();
        assert_eq!(p.kind, PostKind::Post);
        assert!(p.tags.is_empty() && p.reaction_history.is_empty() && p.links.is_empty());
        assert_eq!(p.reactions.dislikes, None);
        // A stream post serialises as before: the new fields are left out.
        let back = serde_json::to_string(&p).unwrap();
        for field in ["\"kind\"", "\"tags\"", "\"dislikes\"", "\"links\""] {
            assert!(!back.contains(field), "{field} in {back}");
        }
        let old_account = r#"{"id":1,"external_id":"1","handle":null,"display_name":null,"bio":null,"followers":5,"following":null,"posts":null,"listed":null,"created_at":null,"verified":null,"bot":null,"language":null,"platform":"unknown"}"#;
        let a: Account = serde_json::from_str(old_account).unwrap();
        assert_eq!(a.followers, Some(5));
        assert!(a.badges.is_empty() && a.declared_score.is_none());
    }

    #[test]
    fn new_fields_round_trip_and_merge() {
        let p = Post {
            id: "1".into(),
            kind: PostKind::Question,
            title: Some("Why?".into()),
            tags: vec!["plutus".into()],
            score: Some(-2),
            accepted_reply: Some("3".into()),
            reaction_history: vec![
                DatedReactions {
                    time: Timestamp(0),
                    kind: ReactionKind::Like,
                    count: 2,
                },
                DatedReactions {
                    time: Timestamp(86_400_000),
                    kind: ReactionKind::Dislike,
                    count: 4,
                },
            ],
            links: vec![PostLink {
                target: PostRef {
                    post: "7".into(),
                    author: None,
                },
                kind: LinkKind::Duplicate,
                time: None,
            }],
            hashtags: vec!["cardano".into()],
            ..Post::default()
        };
        let back: Post = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(back, p);
        assert_eq!(p.topic_terms().collect::<Vec<_>>(), ["cardano", "plutus"]);
        assert_eq!(
            p.reactions_before(ReactionKind::Dislike, Timestamp(86_400_001)),
            4
        );
        assert_eq!(
            p.reactions_before(ReactionKind::Dislike, Timestamp(86_400_000)),
            0
        );
        let mut a = Account::new(NodeId(0), "1");
        let b = Account {
            declared_score: Some(101.0),
            badges: vec![Badge {
                name: "Teacher".into(),
                class: Some(BadgeClass::Bronze),
                ..Badge::default()
            }],
            ..Account::new(NodeId(0), "1")
        };
        assert!(a.merge_from(&b).is_empty());
        assert_eq!(a.declared_score, Some(101.0));
        assert_eq!(a.badges.len(), 1);
    }
}
