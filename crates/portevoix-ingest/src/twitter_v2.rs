//! Twitter API v2 JSON, in any envelope.
//!
//! # Format
//!
//! Tweet and user objects of the Twitter (X) API v2, as tools save them:
//!
//! * **twarc2 response pages**, one per line (JSON Lines): `{"data": [tweet…],
//!   "includes": {"users": […], "tweets": […]}, "errors": […], "meta": {…}}`;
//!   `data` may also be a single tweet (filtered-stream output);
//! * **flattened tweets** (twarc `flat.jsonl`): one tweet per line with
//!   `author`, `in_reply_to_user`, the mentioned users and the referenced
//!   tweets expanded inline;
//! * **arrays** of tweets, users or pages, and **users files** (pages whose
//!   `data` are user objects);
//! * **maps of tweets by author** `{author_id: [tweet…]}` and **maps of users
//!   by id** `{author_id: {username, public_metrics, …}}` (as in the
//!   `fr-media` exports), the map key standing for the missing
//!   `author_id` / `id`. Such a map is read entry by entry in file order,
//!   and a key that appears twice keeps the tweets of both entries
//!   (`fr-media/fusion.json` is two snapshots merged into one object with
//!   every author key repeated: JSON parsers that keep only the last value
//!   of a repeated key see 2,800 of its 4,200 tweet records). Repeated keys
//!   are counted in the notes.
//!
//! The input may be JSON Lines or one JSON document (pretty-printed or not):
//! one streaming parser reads both, and a bad value is reported at its line
//! and byte column. Objects that are neither tweets nor users (tweet-count
//! buckets, lists, compliance events) are counted in the notes and ignored;
//! API `errors` entries (suspended or deleted resources) are not failures
//! and are counted in the notes by their title.
//!
//! # What is read
//!
//! * Account ids are the platform's ids; one that starts with `@` is refused
//!   (an `@name` is always a handle in Porte-voix).
//! * **Users** become accounts keyed by their user id, with `username`
//!   (handle), `name`, `description` (bio), `public_metrics` (followers,
//!   following, tweet count, listed count), `created_at` and `verified`.
//!   Location, profile image, URL and pinned tweet are dropped (privacy by
//!   design: scoring does not use them). A page's `includes.users` are read
//!   before its tweets, so that mentions by handle resolve to user ids.
//! * **Tweets** become posts with text (Twitter's `&amp;`, `&lt;`, `&gt;`
//!   escapes undone), `lang`, `created_at`, `conversation_id`,
//!   `public_metrics` (retweets, replies, likes, quotes, impressions),
//!   hashtags, **cashtags (kept among the hashtags with their `$`, e.g.
//!   `$TSLA`, so that topic matching sees them and they stay distinct from
//!   hashtags)**, expanded URLs, mentions, and `referenced_tweets` as
//!   [`PostRef`]s. `includes.tweets` (the referenced originals) are posts
//!   too; a tweet seen twice (across pages or files) is one post, completed
//!   by the later copy, and its interactions are emitted once.
//! * When a tweet has no `entities` object at all (exports that did not
//!   request it, such as `fr-media`), its mentions are read from the text
//!   with [`crate::posts_csv::mentions_in`].
//!
//! # Interactions (actor → target)
//!
//! Emitted once per new post, at the post's time, carrying the post's index:
//!
//! * `repost`: retweeter → author of the retweeted tweet;
//! * `quote`: quoter → author of the quoted tweet;
//! * `reply`: replier → `in_reply_to_user_id`, else the replied tweet's author;
//! * `mention`: author → each distinct account mentioned (by
//!   `entities.mentions[].id` when given, else by handle through
//!   [`DatasetBuilder::resolve_handle`]).
//!
//! **Retweets emit no mention.** A retweet's text is `RT @original: <the
//! original text>`: the `RT @original` mention *is* the repost (emitting it
//! again would count one endorsement twice, once as a mention), and the
//! other mentions are the original author's words, not the retweeter's
//! (they are emitted by the original tweet when it is in the data). The
//! retweet's [`Post::mentions`] still lists the accounts its text names,
//! except the `RT @original` prefix. Replies keep their leading `@user`
//! mentions: a reply addresses everyone it names.
//!
//! The author of a referenced tweet is taken from `in_reply_to_user_id`, from
//! the referenced tweet when it is in the data (anywhere in the file, or in
//! an input read before), and for a retweet from its `RT @handle:` prefix.
//! A reference to a tweet absent from the data is kept (`dangling
//! reference` in the notes); when its author is unknown too, no interaction
//! is emitted for it (`reference with unknown author` in the notes).
//!
//! ```
//! use portevoix_ingest::{load_bytes, FormatKind, ReadOptions};
//! use portevoix_core::Layer;
//!
//! let page = r#"{"data": [{"id": "2", "author_id": "20", "text": "RT @star: hello",
//!   "referenced_tweets": [{"type": "retweeted", "id": "1"}]}],
//!   "includes": {"users": [{"id": "10", "username": "star"}, {"id": "20", "username": "fan"}],
//!                "tweets": [{"id": "1", "author_id": "10", "text": "hello"}]}}"#;
//! let ds = load_bytes("page.jsonl", page.as_bytes().to_vec(), FormatKind::TwitterV2,
//!                     &ReadOptions::default()).unwrap();
//! assert_eq!(ds.posts.len(), 2);
//! let rt = ds.interactions.layer(Layer::Repost).get(Layer::Repost, 0);
//! assert_eq!((ds.label(rt.actor), ds.label(rt.target)), ("@fan".into(), "@star".into()));
//! assert!(ds.interactions.layer(Layer::Mention).is_empty());
//! ```

use crate::json::{self, FieldError, Obj, Text, Top};
use crate::{DatasetBuilder, Diagnostics, Input, PostAdded, RefField, Result};
use portevoix_core::{
    Account, Interaction, Layer, NodeId, Platform, Post, PostRef, ReactionCounts, Timestamp,
};
use serde_json::Value;

/// How deep referenced tweets expanded inline (flattened layout) are followed.
const MAX_NESTING: u32 = 8;

/// Reads Twitter API v2 JSON (any envelope, JSON Lines or one document).
pub fn read(input: &mut Input, builder: &mut DatasetBuilder, diag: &mut Diagnostics) -> Result<()> {
    let text = Text::read(input, diag)?;
    let mut reader = Reader {
        builder,
        text: &text,
        start: 0,
    };
    json::for_each_value(&text, true, diag, |value, start, diag| {
        reader.start = start;
        reader.top_level(value, diag)
    })
}

/// Whether the first bytes look like Twitter API v2 JSON: twarc metadata,
/// or tweet / user fields that only API v2 uses together.
pub fn sniff(head: &[u8]) -> bool {
    let Some(head) = crate::json::json_head(head) else {
        return false;
    };
    let has = |needle: &str| memchr::memmem::find(head, needle.as_bytes()).is_some();
    if has("\"acct\"") || has("\"reblogs_count\"") {
        return false; // Mastodon
    }
    has("\"__twarc\"")
        || has("\"edit_history_tweet_ids\"")
        || has("\"referenced_tweets\"")
        || (has("\"author_id\"") && has("\"text\""))
        || (has("\"public_metrics\"") && (has("\"retweet_count\"") || has("\"followers_count\"")))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RefKind {
    Retweeted,
    Quoted,
    RepliedTo,
}

impl RefKind {
    fn layer(self) -> Layer {
        match self {
            RefKind::Retweeted => Layer::Repost,
            RefKind::Quoted => Layer::Quote,
            RefKind::RepliedTo => Layer::Reply,
        }
    }

    fn field(self) -> RefField {
        match self {
            RefKind::Retweeted => RefField::RepostOf,
            RefKind::Quoted => RefField::QuoteOf,
            RefKind::RepliedTo => RefField::ReplyTo,
        }
    }
}

/// A mention as the tweet gives it.
struct Mention<'v> {
    id: Option<String>,
    username: Option<String>,
    /// The whole mention object, when it carries a user profile (flattened layout).
    profile: Option<Obj<'v>>,
}

/// The fields of one tweet, validated before anything is added.
struct Tweet<'v> {
    id: String,
    author: String,
    author_obj: Option<Obj<'v>>,
    reply_user_obj: Option<Obj<'v>>,
    text: String,
    lang: Option<String>,
    conversation: Option<String>,
    time: Option<Timestamp>,
    reactions: ReactionCounts,
    has_entities: bool,
    mentions: Vec<Mention<'v>>,
    hashtags: Vec<String>,
    urls: Vec<String>,
    refs: Vec<(RefKind, String, Option<Obj<'v>>)>,
    in_reply_to_user_id: Option<String>,
}

enum Kind {
    Tweet,
    User,
    V1,
    Other,
}

fn classify(o: &Obj<'_>) -> Kind {
    if o.has("id_str") && (o.has("user") || o.has("full_text")) {
        Kind::V1
    } else if o.has("text")
        || o.has("author_id")
        || o.has("referenced_tweets")
        || o.has("edit_history_tweet_ids")
    {
        Kind::Tweet
    } else if o.has("username") {
        Kind::User
    } else {
        Kind::Other
    }
}

fn is_page(o: &Obj<'_>) -> bool {
    !o.has("text") && (o.has("data") || o.has("includes") || o.has("errors") || o.has("meta"))
}

/// Twitter escapes exactly `&`, `<` and `>` in tweet text.
fn unescape_twitter(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The handle of a retweet's `RT @handle:` prefix.
fn rt_prefix(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("RT @")?;
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn parse_user(o: &Obj<'_>, key: Option<&str>) -> Result<Account, FieldError> {
    let id = match o.id("id")? {
        Some(id) => id.into_owned(),
        None => match key {
            Some(k) if !k.trim().is_empty() => k.trim().to_string(),
            _ => return Err(FieldError::missing("id", "user object")),
        },
    };
    json::check_account_id(&id, "id")?;
    let metrics = o.obj("public_metrics")?;
    let count = |k: &str| -> Result<Option<u64>, FieldError> {
        match &metrics {
            Some(m) => m.count(k),
            None => Ok(None),
        }
    };
    Ok(Account {
        handle: non_empty(o.str("username")?).map(|h| h.trim_start_matches('@').to_string()),
        display_name: non_empty(o.str("name")?),
        bio: non_empty(o.str("description")?),
        followers: count("followers_count")?,
        following: count("following_count")?,
        posts: count("tweet_count")?,
        listed: count("listed_count")?,
        created_at: o.time("created_at")?,
        verified: o.bool("verified")?,
        platform: Platform::Twitter,
        ..Account::new(NodeId(0), id)
    })
}

fn parse_tweet<'v>(o: &Obj<'v>, default_author: Option<&str>) -> Result<Tweet<'v>, FieldError> {
    let Some(id) = o.id("id")? else {
        return Err(FieldError::missing("id", "tweet"));
    };
    let id = id.into_owned();
    let author_obj = o.obj("author")?;
    let author = match o.id("author_id")? {
        Some(a) => a.into_owned(),
        None => match (&author_obj, default_author) {
            (Some(a), _) if a.id("id")?.is_some() => a.id("id")?.unwrap_or_default().into_owned(),
            (_, Some(d)) if !d.trim().is_empty() => d.trim().to_string(),
            _ => {
                return Err(FieldError::missing("author_id", &format!("tweet {id}")));
            }
        },
    };
    json::check_account_id(&author, "author_id")?;
    let text = unescape_twitter(o.str("text")?.unwrap_or(""));
    let metrics = o.obj("public_metrics")?;
    let count = |k: &str| -> Result<Option<u64>, FieldError> {
        match &metrics {
            Some(m) => m.count(k),
            None => Ok(None),
        }
    };
    let reactions = ReactionCounts {
        reposts: count("retweet_count")?,
        replies: count("reply_count")?,
        likes: count("like_count")?,
        quotes: count("quote_count")?,
        impressions: count("impression_count")?,
        ..ReactionCounts::default()
    };
    let entities = o.obj("entities")?;
    let mut mentions = Vec::new();
    let mut hashtags = Vec::new();
    let mut urls = Vec::new();
    if let Some(e) = &entities {
        for m in e.objects("mentions")? {
            let profile = (m.has("public_metrics") || m.has("name") || m.has("description"))
                .then(|| m.clone());
            let id = m.id("id")?.map(|c| c.into_owned());
            if let Some(id) = &id {
                json::check_account_id(id, "entities.mentions[].id")?;
            }
            mentions.push(Mention {
                id,
                username: non_empty(m.str("username")?),
                profile,
            });
        }
        for h in e.objects("hashtags")? {
            if let Some(tag) = non_empty(h.str("tag")?) {
                hashtags.push(tag);
            }
        }
        for c in e.objects("cashtags")? {
            if let Some(tag) = non_empty(c.str("tag")?) {
                hashtags.push(format!("${tag}"));
            }
        }
        for u in e.objects("urls")? {
            if let Some(url) = non_empty(u.str("expanded_url")?).or(non_empty(u.str("url")?)) {
                urls.push(url);
            }
        }
    }
    let mut refs = Vec::new();
    for r in o.objects("referenced_tweets")? {
        let kind = match r.str("type")? {
            Some("retweeted") => RefKind::Retweeted,
            Some("quoted") => RefKind::Quoted,
            Some("replied_to") => RefKind::RepliedTo,
            Some(other) => {
                return Err(FieldError::new(
                    "invalid value",
                    format!(
                        "field `referenced_tweets[].type`: unknown reference type \"{other}\" \
                         (expected retweeted, quoted or replied_to)"
                    ),
                ));
            }
            None => return Err(FieldError::missing("referenced_tweets[].type", "reference")),
        };
        let Some(ref_id) = r.id("id")? else {
            return Err(FieldError::missing("referenced_tweets[].id", "reference"));
        };
        let inline = (r.has("text") || r.has("author_id")).then(|| r.clone());
        refs.push((kind, ref_id.into_owned(), inline));
    }
    Ok(Tweet {
        id,
        author,
        author_obj,
        reply_user_obj: o.obj("in_reply_to_user")?,
        text,
        lang: non_empty(o.str("lang")?),
        conversation: o.id("conversation_id")?.map(|c| c.into_owned()),
        time: o.time("created_at")?,
        reactions,
        has_entities: entities.is_some(),
        mentions,
        hashtags,
        urls,
        refs,
        in_reply_to_user_id: match o.id("in_reply_to_user_id")? {
            Some(u) => {
                json::check_account_id(&u, "in_reply_to_user_id")?;
                Some(u.into_owned())
            }
            None => None,
        },
    })
}

struct Reader<'a> {
    builder: &'a mut DatasetBuilder,
    text: &'a Text,
    /// Byte offset of the record being read, for locations.
    start: usize,
}

impl Reader<'_> {
    fn bad(&self, diag: &mut Diagnostics, e: FieldError) -> Result<()> {
        diag.bad(self.text.location(self.start), e.kind, e.detail)
    }

    /// A top-level value. A map of tweets by author or of users by id is
    /// read entry by entry in file order, every entry of a repeated key
    /// included (`fr-media/fusion.json` repeats each author: one entry per
    /// snapshot merged into it).
    fn top_level(&mut self, top: Top, diag: &mut Diagnostics) -> Result<()> {
        let pairs = match top {
            Top::Other(v) => return self.top(v, diag, 0),
            Top::Object(pairs) => pairs,
        };
        let marker = |k: &str| {
            matches!(
                k,
                "data"
                    | "includes"
                    | "errors"
                    | "meta"
                    | "text"
                    | "author_id"
                    | "referenced_tweets"
                    | "edit_history_tweet_ids"
                    | "username"
                    | "id_str"
                    | "id"
                    | "action"
            )
        };
        let is_map = !pairs.is_empty()
            && !pairs.iter().any(|(k, _)| marker(k))
            && (pairs.iter().all(|(_, v)| v.is_array())
                || pairs.iter().all(|(_, v)| v.is_object()));
        if !is_map {
            return self.top(Top::Object(pairs).into_value(), diag, 0);
        }
        let distinct: std::collections::HashSet<&str> =
            pairs.iter().map(|(k, _)| k.as_str()).collect();
        diag.note(
            "repeated JSON key (every entry kept)",
            (pairs.len() - distinct.len()) as u64,
        );
        for (key, v) in &pairs {
            match v {
                Value::Array(tweets) => {
                    for t in tweets {
                        self.item(t, Some(key), diag)?;
                    }
                }
                user => {
                    diag.record();
                    if let Some(u) = Obj::of(user) {
                        self.user(&u, Some(key), diag)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn top(&mut self, value: Value, diag: &mut Diagnostics, depth: u32) -> Result<()> {
        match value {
            Value::Object(map) => self.object(&Obj::new(&map), diag),
            Value::Array(items) if depth < MAX_NESTING => {
                for v in items {
                    self.top(v, diag, depth + 1)?;
                }
                Ok(())
            }
            other => {
                diag.record();
                self.bad(
                    diag,
                    FieldError::new(
                        "unrecognised record",
                        format!(
                            "expected a tweet, a user or an API v2 page (a JSON object), found {}",
                            json::describe(&other)
                        ),
                    ),
                )
            }
        }
    }

    fn object(&mut self, o: &Obj<'_>, diag: &mut Diagnostics) -> Result<()> {
        if is_page(o) {
            return self.page(o, diag);
        }
        match classify(o) {
            Kind::Other if o.map.is_empty() => Ok(()),
            Kind::Other if o.map.values().all(Value::is_array) => {
                // {author_id: [tweet…]}
                for (author, tweets) in o.map {
                    for t in tweets.as_array().into_iter().flatten() {
                        self.item(t, Some(author), diag)?;
                    }
                }
                Ok(())
            }
            Kind::Other if o.map.values().all(Value::is_object) && !o.has("action") => {
                // {author_id: {username, public_metrics, …}}
                for (id, user) in o.map {
                    diag.record();
                    if let Some(u) = Obj::of(user) {
                        self.user(&u, Some(id), diag)?;
                    }
                }
                Ok(())
            }
            _ => self.item_obj(o, None, diag),
        }
    }

    fn item(
        &mut self,
        v: &Value,
        default_author: Option<&str>,
        diag: &mut Diagnostics,
    ) -> Result<()> {
        match Obj::of(v) {
            Some(o) => self.item_obj(&o, default_author, diag),
            None => {
                diag.record();
                self.bad(
                    diag,
                    FieldError::new(
                        "wrong type",
                        format!(
                            "expected a tweet or user object, found {}",
                            json::describe(v)
                        ),
                    ),
                )
            }
        }
    }

    fn item_obj(
        &mut self,
        o: &Obj<'_>,
        default_author: Option<&str>,
        diag: &mut Diagnostics,
    ) -> Result<()> {
        diag.record();
        match classify(o) {
            Kind::Tweet => self.tweet(o, default_author, diag, 0).map(|_| ()),
            Kind::User => self.user(o, None, diag).map(|_| ()),
            Kind::V1 => self.bad(
                diag,
                FieldError::new(
                    "unsupported object",
                    "a Twitter API v1.1 object (`id_str`, `user`): export with API v2 \
                     or convert to the canonical format",
                ),
            ),
            Kind::Other => {
                diag.note("ignored object (not a tweet or user)", 1);
                Ok(())
            }
        }
    }

    fn page(&mut self, o: &Obj<'_>, diag: &mut Diagnostics) -> Result<()> {
        match o.objects("errors") {
            Ok(errors) => {
                for e in errors {
                    let title = e.str("title").ok().flatten().unwrap_or("untitled");
                    diag.note(&format!("api error entry: {title}"), 1);
                }
            }
            Err(e) => {
                diag.record();
                self.bad(diag, e)?;
            }
        }
        let includes = match o.obj("includes") {
            Ok(i) => i,
            Err(e) => {
                diag.record();
                self.bad(diag, e)?;
                None
            }
        };
        if let Some(inc) = includes {
            // Users first, so that mentions by handle resolve to their ids;
            // then the referenced tweets, so that the data tweets find their
            // authors.
            for (key, is_users) in [("users", true), ("tweets", false)] {
                match inc.array(key) {
                    Ok(items) => {
                        for v in items {
                            diag.record();
                            match Obj::of(v) {
                                Some(x) if is_users => {
                                    self.user(&x, None, diag)?;
                                }
                                Some(x) => {
                                    self.tweet(&x, None, diag, 0)?;
                                }
                                None => self.bad(
                                    diag,
                                    FieldError::new(
                                        "wrong type",
                                        format!(
                                            "field `includes.{key}[]`: expected an object, found {}",
                                            json::describe(v)
                                        ),
                                    ),
                                )?,
                            }
                        }
                    }
                    Err(e) => {
                        diag.record();
                        self.bad(diag, e)?;
                    }
                }
            }
        }
        match o.raw("data") {
            None => Ok(()),
            Some(Value::Array(items)) => {
                for v in items {
                    self.item(v, None, diag)?;
                }
                Ok(())
            }
            Some(v @ Value::Object(_)) => self.item(v, None, diag),
            Some(other) => {
                diag.record();
                self.bad(
                    diag,
                    FieldError::new(
                        "wrong type",
                        format!(
                            "field `data`: expected an array or an object, found {}",
                            json::describe(other)
                        ),
                    ),
                )
            }
        }
    }

    fn user(
        &mut self,
        o: &Obj<'_>,
        key: Option<&str>,
        diag: &mut Diagnostics,
    ) -> Result<Option<NodeId>> {
        let account = match parse_user(o, key) {
            Ok(a) => a,
            Err(e) => {
                self.bad(diag, e)?;
                return Ok(None);
            }
        };
        let (node, conflicts) = self.builder.upsert_account(account)?;
        if !conflicts.is_empty() {
            diag.note("account profile conflict (first value kept)", 1);
        }
        Ok(Some(node))
    }

    /// The author of a known post.
    fn author_of(&self, post_id: &str) -> Option<NodeId> {
        let i = self.builder.post_index(post_id)?;
        self.builder.post(i).map(|p| p.author)
    }

    fn tweet(
        &mut self,
        o: &Obj<'_>,
        default_author: Option<&str>,
        diag: &mut Diagnostics,
        depth: u32,
    ) -> Result<Option<u32>> {
        let t = match parse_tweet(o, default_author) {
            Ok(t) => t,
            Err(e) => {
                self.bad(diag, e)?;
                return Ok(None);
            }
        };
        // Profiles expanded inline (flattened layout).
        if let Some(a) = &t.author_obj {
            self.user(a, Some(&t.author), diag)?;
        }
        if let Some(u) = &t.reply_user_obj {
            self.user(u, t.in_reply_to_user_id.as_deref(), diag)?;
        }
        // Referenced tweets expanded inline are read first, as
        // `includes.tweets` are, so that their authors are known.
        if depth < MAX_NESTING {
            for (_, _, inline) in &t.refs {
                if let Some(r) = inline {
                    self.tweet(r, None, diag, depth + 1)?;
                }
            }
        }
        let author = self.builder.node(&t.author)?;
        let is_retweet = t.refs.iter().any(|(k, _, _)| *k == RefKind::Retweeted);
        let rt_handle = if is_retweet { rt_prefix(&t.text) } else { None };

        // Mentions, resolved to accounts.
        let mut mention_nodes: Vec<NodeId> = Vec::new();
        let mut rt_target: Option<NodeId> = None;
        let mut unresolved = 0;
        let mut skip_prefix = rt_handle.is_some();
        let scanned;
        let mentions: Vec<(Option<&str>, Option<&str>, Option<&Obj<'_>>)> = if t.has_entities {
            t.mentions
                .iter()
                .map(|m| (m.id.as_deref(), m.username.as_deref(), m.profile.as_ref()))
                .collect()
        } else {
            scanned = crate::posts_csv::mentions_in(&t.text);
            scanned.iter().map(|h| (None, Some(*h), None)).collect()
        };
        for (id, username, profile) in mentions {
            let node = match (id, profile) {
                (Some(_), Some(p)) => self.user(p, id, diag)?,
                (Some(id), None) => {
                    let account = Account {
                        handle: username.map(|h| h.trim_start_matches('@').to_string()),
                        platform: Platform::Twitter,
                        ..Account::new(NodeId(0), id)
                    };
                    Some(self.builder.upsert_account(account)?.0)
                }
                (None, _) => None,
            };
            let node = match (node, username) {
                (Some(n), _) => n,
                (None, Some(h)) => {
                    if self.builder.lookup_handle(h).is_none() {
                        unresolved += 1;
                    }
                    self.builder.resolve_handle(h)?
                }
                (None, None) => continue,
            };
            let is_prefix =
                matches!((username, rt_handle), (Some(u), Some(h)) if u.eq_ignore_ascii_case(h));
            if skip_prefix && is_prefix {
                // The `RT @original:` prefix names the retweeted author.
                skip_prefix = false;
                rt_target = Some(node);
                continue;
            }
            if !mention_nodes.contains(&node) {
                mention_nodes.push(node);
            }
        }

        // References, with their authors when known now.
        let mut reply_to = None;
        let mut repost_of = None;
        let mut quote_of = None;
        // References to tweets not read yet: (kind, id, author known).
        let mut absent: Vec<(RefKind, String, bool)> = Vec::new();
        for (kind, ref_id, _) in &t.refs {
            let slot = match kind {
                RefKind::RepliedTo => &mut reply_to,
                RefKind::Retweeted => &mut repost_of,
                RefKind::Quoted => &mut quote_of,
            };
            if slot.is_some() {
                continue;
            }
            let known = self.author_of(ref_id);
            let author_of_ref = match kind {
                RefKind::RepliedTo => match &t.in_reply_to_user_id {
                    Some(u) => Some(self.builder.node(u)?),
                    None => known,
                },
                RefKind::Retweeted => match (known, rt_target, rt_handle) {
                    (Some(a), _, _) => Some(a),
                    (None, Some(n), _) => Some(n),
                    (None, None, Some(h)) => Some(self.builder.resolve_handle(h)?),
                    (None, None, None) => None,
                },
                RefKind::Quoted => known,
            };
            if known.is_none() {
                absent.push((*kind, ref_id.clone(), author_of_ref.is_some()));
            }
            *slot = Some(PostRef {
                post: ref_id.clone(),
                author: author_of_ref,
            });
        }

        let post = Post {
            id: t.id.clone(),
            author,
            time: t.time,
            text: t.text,
            language: t.lang,
            reply_to: reply_to.clone(),
            repost_of: repost_of.clone(),
            quote_of: quote_of.clone(),
            conversation: t.conversation,
            mentions: mention_nodes.clone(),
            hashtags: t.hashtags,
            urls: t.urls,
            reactions: t.reactions,
            ..Post::default()
        };
        let index = match self.builder.add_post(post) {
            PostAdded::New(i) => i,
            PostAdded::Duplicate(i) => {
                diag.note("duplicate post merged", 1);
                return Ok(Some(i));
            }
        };
        diag.note("unresolved mention (stand-in @handle)", unresolved);
        let at = |actor: NodeId, target: NodeId, layer: Layer| Interaction {
            time: t.time,
            post: Some(index),
            ..Interaction::new(actor, target, layer)
        };
        for (r, kind) in [
            (&repost_of, RefKind::Retweeted),
            (&quote_of, RefKind::Quoted),
            (&reply_to, RefKind::RepliedTo),
        ] {
            if let Some(PostRef {
                author: Some(target),
                ..
            }) = r
            {
                self.builder.push(at(author, *target, kind.layer()));
            }
        }
        // The referenced tweet may come later in this input or in another
        // one: the builder settles the reference when all are read.
        for (kind, ref_id, author_known) in absent {
            let waiting = (!author_known).then(|| at(author, author, kind.layer()));
            self.builder
                .defer_reference(index, kind.field(), ref_id, waiting);
        }
        if !is_retweet {
            for &target in &mention_nodes {
                self.builder.push(at(author, target, Layer::Mention));
            }
        }
        Ok(Some(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rt_prefix_and_unescape() {
        assert_eq!(rt_prefix("RT @Le_Monde: x"), Some("Le_Monde"));
        assert_eq!(rt_prefix("RT @: x"), None);
        assert_eq!(rt_prefix("hello"), None);
        assert_eq!(unescape_twitter("a &amp;lt; b &gt; c"), "a &lt; b > c");
    }

    #[test]
    fn sniffs_pages_maps_and_rejects_mastodon() {
        assert!(sniff(br#"{"data": [], "__twarc": {}}"#));
        assert!(sniff(
            br#"{"24744541": [{"id": "1", "public_metrics": {"retweet_count": 0}}]}"#
        ));
        assert!(!sniff(
            br#"[{"id": "1", "account": {"acct": "a"}, "reblogs_count": 0}]"#
        ));
        assert!(!sniff(b"1 2\n"));
        assert!(!sniff(br#"{"id": "1", "action": "delete"}"#));
    }
}
