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
/// bio, declared counts, age, verification, language); location, avatars and
/// other personal data are dropped at ingestion (privacy by design).
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
            language
        );
        if self.platform == Platform::Unknown {
            self.platform = other.platform.clone();
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
}

impl ReactionCounts {
    /// Sum of reposts, replies, likes and quotes that are known.
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

/// A post (tweet, toot, status), with what it references and its reactions.
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
    /// The post this one replies to.
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
