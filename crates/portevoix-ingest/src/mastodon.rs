//! Mastodon API statuses.
//!
//! # Format
//!
//! [`Status`](https://docs.joinmastodon.org/entities/Status/) objects of the
//! Mastodon REST API, as a JSON array (what `GET /api/v1/timelines/…` or
//! `GET /api/v1/accounts/:id/statuses` return), as JSON Lines (one status or
//! one array per line), or several arrays in a row. Objects holding arrays
//! of statuses under `statuses` (search results) or `ancestors` /
//! `descendants` (a thread's context) and bare
//! [`Account`](https://docs.joinmastodon.org/entities/Account/) objects are
//! read too. Used fields:
//!
//! * status: `id`, `uri`, `created_at`, `account`, `content` (HTML; `text`
//!   for deleted statuses), `language`, `visibility`, `in_reply_to_id`,
//!   `in_reply_to_account_id`, `reblog` (a nested status), `quote` (a
//!   `Quote` with `quoted_status`, or a `ShallowQuote` with
//!   `quoted_status_id`, Mastodon 4.4+), `mentions[{id, username, acct,
//!   url}]`, `tags[{name}]`, `replies_count`, `reblogs_count`,
//!   `favourites_count`, `quotes_count`; links in `content` become the post's
//!   URLs (the `card` repeats one of them);
//! * account: `id`, `username`, `acct`, `url`, `display_name`, `note` (HTML),
//!   `followers_count`, `following_count`, `statuses_count`, `created_at`,
//!   `bot`. Avatars, headers, profile fields and `locked` are dropped
//!   (privacy by design).
//!
//! HTML is turned into plain text: `<br>` becomes a newline, a new
//! paragraph a blank line (as Mastodon's own plain-text rendering does),
//! links are replaced by their text (Mastodon splits a long link's text
//! into visible and invisible spans: all are kept, giving the full URL),
//! other tags are dropped and character references are decoded with the
//! `html-escape` crate (all named references of HTML5 and numeric ones).
//!
//! # Keys: the same person is one node
//!
//! Mastodon ids are **local to the server that answered**: the same remote
//! person has a different account `id` on every server, and `acct` is
//! relative too (`username` for the server's own users, `username@domain`
//! for the others). Accounts are therefore keyed by their full address
//! `username@domain`, lower-cased (Mastodon compares both case-insensitively):
//! `acct` when it has a domain; otherwise `username` plus the server's domain,
//! taken from [`MastodonOptions::instance`] when given (`--instance`), else
//! from the host of the account's profile `url`. The same address is also
//! the account's handle, so `DatasetBuilder::lookup_handle("user@domain")`
//! finds it. Two exports made on two servers thus agree on every person.
//! (A server whose web host differs from its account domain needs
//! `--instance` for its local users.)
//!
//! Statuses are keyed by their `uri`, the federation id that every server
//! agrees on, and by `id` when `uri` is missing. `in_reply_to_id`,
//! `in_reply_to_account_id` and `quoted_status_id` are server-local: they are
//! resolved through the statuses, accounts and mentions of the same file
//! (one file is one server's answers), wherever they appear in it. A
//! reference to a status absent from the file keeps its server-local id
//! (`dangling reference` in the notes).
//!
//! # Interactions (actor → target)
//!
//! Per new post, at its time, carrying the post's index:
//!
//! * a **reblog** (boost): `repost`, booster → original author; the
//!   original is read as a post too, with its own interactions. A boost
//!   emits nothing else (its mentions are the original's).
//! * a **reply**: `reply`, replier → the replied-to account;
//! * a **quote**: `quote`, quoter → the quoted status's author;
//! * each distinct account in `mentions`: `mention`, author → mentioned.
//!
//! Direct messages (`visibility: "direct"`) are private conversations and
//! are skipped unless [`MastodonOptions::include_direct`] is set (counted in
//! the notes).
//!
//! ```
//! use portevoix_ingest::{load_bytes, FormatKind, ReadOptions};
//! use portevoix_core::Layer;
//!
//! let statuses = r#"[{"id": "2", "uri": "https://b.example/users/bob/statuses/2",
//!   "created_at": "2024-05-02T10:00:00.000Z", "content": "",
//!   "account": {"id": "7", "username": "bob", "acct": "bob", "url": "https://b.example/@bob"},
//!   "reblog": {"id": "1", "uri": "https://a.example/users/ann/statuses/1",
//!     "created_at": "2024-05-01T09:00:00.000Z", "content": "<p>Hello &amp; welcome</p>",
//!     "account": {"id": "9", "username": "ann", "acct": "ann@a.example", "url": "https://a.example/@ann"},
//!     "mentions": [], "tags": []},
//!   "mentions": [], "tags": []}]"#;
//! let ds = load_bytes("toots.json", statuses.as_bytes().to_vec(), FormatKind::Mastodon,
//!                     &ReadOptions::default()).unwrap();
//! let boost = ds.interactions.layer(Layer::Repost).get(Layer::Repost, 0);
//! assert_eq!(ds.label(boost.actor), "@bob@b.example");
//! assert_eq!(ds.label(boost.target), "@ann@a.example");
//! assert_eq!(ds.posts[0].text, "Hello & welcome");
//! ```

use crate::html_tag::tag_end;
use crate::json::{self, FieldError, Obj, Text};
use crate::{DatasetBuilder, Diagnostics, Input, PostAdded, Result};
use portevoix_core::{
    Account, Interaction, Layer, NodeId, Platform, Post, PostRef, ReactionCounts, Timestamp,
};
use rustc_hash::FxHashMap;
use serde_json::Value;

/// Options of the Mastodon reader.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MastodonOptions {
    /// The domain of the server the statuses were fetched from
    /// (`mastodon.social`; a URL is accepted), used to complete the
    /// addresses of its local accounts. When `None`, the host of each
    /// account's profile URL is used.
    pub instance: Option<String>,
    /// Read direct messages too (skipped by default: they are private).
    pub include_direct: bool,
}

/// How deep nested statuses (reblog of a quote of …) are followed.
const MAX_NESTING: u32 = 8;

/// Reads Mastodon statuses with default options.
pub fn read(input: &mut Input, builder: &mut DatasetBuilder, diag: &mut Diagnostics) -> Result<()> {
    read_with(input, &MastodonOptions::default(), builder, diag)
}

/// Reads Mastodon statuses.
pub fn read_with(
    input: &mut Input,
    options: &MastodonOptions,
    builder: &mut DatasetBuilder,
    diag: &mut Diagnostics,
) -> Result<()> {
    let text = Text::read(input, diag)?;
    let instance = options.instance.as_deref().map(normalise_domain);
    let mut reader = Reader {
        builder,
        text: &text,
        start: 0,
        instance: instance.as_deref().filter(|d| !d.is_empty()),
        include_direct: options.include_direct,
        staged: Vec::new(),
        local_posts: FxHashMap::default(),
        local_accounts: FxHashMap::default(),
    };
    json::for_each_value(&text, true, diag, |value, start, diag| {
        reader.start = start;
        reader.top(&value.into_value(), diag, 0)
    })?;
    reader.commit(diag);
    Ok(())
}

/// Whether the first bytes look like Mastodon statuses or accounts.
pub fn sniff(head: &[u8]) -> bool {
    let Some(head) = crate::json::json_head(head) else {
        return false;
    };
    let has = |needle: &str| memchr::memmem::find(head, needle.as_bytes()).is_some();
    has("\"acct\"")
        && (has("\"reblogs_count\"")
            || has("\"favourites_count\"")
            || has("\"in_reply_to_account_id\"")
            || has("\"statuses_count\""))
}

/// The plain text of Mastodon HTML (`content`, `note`): see the module
/// documentation for the rules.
///
/// ```
/// use portevoix_ingest::mastodon::html_to_text;
/// let html = r#"<p>Tea &amp; &quot;cake&quot;<br>at 5</p><p><span class="h-card"><a href="https://x.example/@jo" class="u-url mention">@<span>jo</span></a></span> it&#39;s <a href="https://example.com/a?b=1&amp;c=2"><span class="invisible">https://</span><span class="">example.com/a?b=1&amp;c=2</span></a></p>"#;
/// assert_eq!(html_to_text(html), "Tea & \"cake\"\nat 5\n\n@jo it's https://example.com/a?b=1&c=2");
/// ```
pub fn html_to_text(html: &str) -> String {
    convert_html(html, None)
}

/// The text and the links (`href` of anchors that are not mentions or
/// hashtags) of Mastodon HTML.
fn convert_html(html: &str, mut links: Option<&mut Vec<String>>) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            let next = memchr::memchr(b'<', &bytes[i..]).map_or(bytes.len(), |k| i + k);
            out.push_str(&html[i..next]);
            i = next;
            continue;
        }
        let Some(end) = tag_end(bytes, i + 1) else {
            // A lone `<` (never produced by Mastodon, which escapes it): text.
            out.push_str(&html[i..]);
            break;
        };
        let tag = &html[i + 1..end];
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/');
        let name_len = body
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(body.len());
        let name = body[..name_len].to_ascii_lowercase();
        match (closing, name.as_str()) {
            (false, "br") => out.push('\n'),
            (false, "p") if !out.is_empty() => out.push_str("\n\n"),
            (false, "a") => {
                if let Some(links) = links.as_deref_mut() {
                    let class = attribute(&body[name_len..], "class").unwrap_or_default();
                    let is_entity = class
                        .split_whitespace()
                        .any(|c| c == "mention" || c == "hashtag");
                    if let Some(href) = attribute(&body[name_len..], "href") {
                        let href = html_escape::decode_html_entities(&href).into_owned();
                        if !is_entity
                            && (href.starts_with("http://") || href.starts_with("https://"))
                        {
                            links.push(href);
                        }
                    }
                }
            }
            _ => {}
        }
        i = end + 1;
    }
    let decoded = html_escape::decode_html_entities(&out);
    decoded.trim_end().to_string()
}

/// The value of attribute `name` in the attribute text of a tag.
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let mut rest = attrs;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return None;
        }
        let key_len = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let key = &rest[..key_len];
        rest = rest[key_len..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let close = after[1..].find(q).map_or(after.len(), |k| k + 1);
                    let v = &after[1..close.max(1)];
                    rest = after.get(close + 1..).unwrap_or("");
                    v
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    let v = &after[..end];
                    rest = &after[end..];
                    v
                }
            }
        } else {
            ""
        };
        if key.eq_ignore_ascii_case(name) {
            return Some(value.to_string());
        }
    }
}

/// `https://Mastodon.Social/` → `mastodon.social`.
fn normalise_domain(s: &str) -> String {
    host_of(s.trim()).unwrap_or(s.trim()).to_ascii_lowercase()
}

/// The host of a URL (or of a bare domain).
fn host_of(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = &authority[..authority.find(':').unwrap_or(authority.len())];
    (!host.is_empty() && host.contains('.')).then_some(host)
}

/// The key of an account: `username@domain`, lower-cased.
fn account_key(acct: &str, url: Option<&str>, instance: Option<&str>) -> (String, bool) {
    let acct = acct.trim().trim_start_matches('@');
    if let Some((user, domain)) = acct.split_once('@') {
        return (
            format!("{}@{}", user.to_lowercase(), domain.to_ascii_lowercase()),
            true,
        );
    }
    let domain = instance
        .map(str::to_string)
        .or_else(|| url.and_then(host_of).map(str::to_ascii_lowercase));
    match domain {
        Some(d) => (format!("{}@{d}", acct.to_lowercase()), true),
        None => (acct.to_lowercase(), false),
    }
}

enum Quote {
    Staged(usize),
    Local(String),
}

/// A status read, waiting for the end of the file to resolve its
/// server-local references.
struct Staged {
    key: String,
    author: NodeId,
    time: Option<Timestamp>,
    text: String,
    language: Option<String>,
    tags: Vec<String>,
    urls: Vec<String>,
    mentions: Vec<NodeId>,
    reactions: ReactionCounts,
    in_reply_to_id: Option<String>,
    in_reply_to_account_id: Option<String>,
    reblog_of: Option<usize>,
    quote: Option<Quote>,
}

struct Reader<'a> {
    builder: &'a mut DatasetBuilder,
    text: &'a Text,
    start: usize,
    instance: Option<&'a str>,
    include_direct: bool,
    staged: Vec<Staged>,
    /// Server-local status id → staged status.
    local_posts: FxHashMap<String, usize>,
    /// Server-local account id → account.
    local_accounts: FxHashMap<String, NodeId>,
}

/// An account parsed, not yet added.
struct ParsedAccount {
    local_id: Option<String>,
    account: Account,
    has_domain: bool,
}

impl Reader<'_> {
    fn bad(&self, diag: &mut Diagnostics, e: FieldError) -> Result<()> {
        diag.bad(self.text.location(self.start), e.kind, e.detail)
    }

    fn top(&mut self, value: &Value, diag: &mut Diagnostics, depth: u32) -> Result<()> {
        match value {
            Value::Array(items) if depth < MAX_NESTING => {
                for v in items {
                    self.top(v, diag, depth + 1)?;
                }
                Ok(())
            }
            Value::Object(map) => {
                let o = Obj::new(map);
                let is_status = (o.has("account")
                    && (o.has("content") || o.has("reblog") || o.has("created_at")))
                    || (o.has("content") && o.has("id"))
                    || o.has("reblog");
                if is_status {
                    diag.record();
                    if let Err(e) = self.check_status(&o, 0) {
                        return self.bad(diag, e);
                    }
                    self.status(&o, diag, 0)?;
                    return Ok(());
                }
                if o.has("acct") && o.has("username") {
                    diag.record();
                    match self.parse_account(&o) {
                        Ok(p) => {
                            self.add_account(p, diag)?;
                        }
                        Err(e) => self.bad(diag, e)?,
                    }
                    return Ok(());
                }
                let containers = ["statuses", "ancestors", "descendants", "accounts"];
                if containers.iter().any(|k| o.has(k)) && depth < MAX_NESTING {
                    for k in containers {
                        if let Some(v) = o.raw(k) {
                            self.top(v, diag, depth + 1)?;
                        }
                    }
                    return Ok(());
                }
                diag.record();
                self.bad(
                    diag,
                    FieldError::new(
                        "unrecognised record",
                        "a JSON object that is neither a Mastodon status (`account`, `content`) \
                         nor an account (`acct`, `username`)",
                    ),
                )
            }
            other => {
                diag.record();
                self.bad(
                    diag,
                    FieldError::new(
                        "unrecognised record",
                        format!(
                            "expected a status object or an array, found {}",
                            json::describe(other)
                        ),
                    ),
                )
            }
        }
    }

    fn parse_account(&self, o: &Obj<'_>) -> Result<ParsedAccount, FieldError> {
        let acct = match o.str("acct")?.or(o.str("username")?) {
            Some(a) if !a.trim().trim_start_matches('@').is_empty() => a,
            _ => return Err(FieldError::missing("acct", "account")),
        };
        let (key, has_domain) = account_key(acct, o.str("url")?, self.instance);
        let non_empty = |s: Option<&str>| {
            s.map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Ok(ParsedAccount {
            local_id: o.id("id")?.map(|c| c.into_owned()),
            account: Account {
                handle: Some(key.clone()),
                display_name: non_empty(o.str("display_name")?),
                bio: o.str("note")?.map(html_to_text).filter(|s| !s.is_empty()),
                followers: o.count("followers_count")?,
                following: o.count("following_count")?,
                posts: o.count("statuses_count")?,
                created_at: o.time("created_at")?,
                bot: o.bool("bot")?,
                platform: Platform::Mastodon,
                ..Account::new(NodeId(0), key)
            },
            has_domain,
        })
    }

    fn add_account(&mut self, p: ParsedAccount, diag: &mut Diagnostics) -> Result<NodeId> {
        if !p.has_domain {
            diag.note("account without a domain (give --instance)", 1);
        }
        let (node, conflicts) = self.builder.upsert_account(p.account)?;
        if !conflicts.is_empty() {
            diag.note("account profile conflict (first value kept)", 1);
        }
        if let Some(id) = p.local_id {
            self.local_accounts.insert(id, node);
        }
        Ok(node)
    }

    /// Validates a status and everything nested in it, before anything is
    /// added, so that a bad status leaves no trace.
    fn check_status(&self, o: &Obj<'_>, depth: u32) -> Result<(), FieldError> {
        if o.id("id")?.is_none() && o.str("uri")?.is_none() {
            return Err(FieldError::missing("id", "status"));
        }
        match o.obj("account")? {
            Some(a) => {
                self.parse_account(&a)?;
            }
            None => return Err(FieldError::missing("account", "status")),
        }
        o.time("created_at")?;
        o.str("content")?;
        o.str("text")?;
        o.str("language")?;
        o.str("visibility")?;
        o.id("in_reply_to_id")?;
        o.id("in_reply_to_account_id")?;
        for k in [
            "replies_count",
            "reblogs_count",
            "favourites_count",
            "quotes_count",
        ] {
            o.count(k)?;
        }
        for m in o.objects("mentions")? {
            if m.str("acct")?.or(m.str("username")?).is_none() {
                return Err(FieldError::missing("mentions[].acct", "mention"));
            }
            m.str("url")?;
            m.id("id")?;
        }
        for t in o.objects("tags")? {
            t.str("name")?;
        }
        if let Some(r) = o.obj("reblog")? {
            if depth >= MAX_NESTING {
                return Err(FieldError::new("too deep", "reblogs nested too deeply"));
            }
            self.check_status(&r, depth + 1)?;
        }
        if let Some(q) = o.obj("quote")? {
            q.id("quoted_status_id")?;
            if let Some(s) = q.obj("quoted_status")? {
                if depth >= MAX_NESTING {
                    return Err(FieldError::new("too deep", "quotes nested too deeply"));
                }
                self.check_status(&s, depth + 1)?;
            }
        }
        Ok(())
    }

    /// Stages a status checked by [`Reader::check_status`] (and what it
    /// nests); returns its index in `staged`, or `None` if skipped.
    fn status(&mut self, o: &Obj<'_>, diag: &mut Diagnostics, depth: u32) -> Result<Option<usize>> {
        // Checked: the field errors below cannot happen; they are mapped to
        // a bad record rather than unwrapped all the same.
        match self.status_inner(o, diag, depth) {
            Ok(r) => r,
            Err(e) => {
                self.bad(diag, e)?;
                Ok(None)
            }
        }
    }

    fn status_inner(
        &mut self,
        o: &Obj<'_>,
        diag: &mut Diagnostics,
        depth: u32,
    ) -> Result<Result<Option<usize>>, FieldError> {
        if o.str("visibility")? == Some("direct") && !self.include_direct {
            diag.note("direct message skipped (privacy)", 1);
            return Ok(Ok(None));
        }
        let local_id = o.id("id")?.map(|c| c.into_owned());
        let key = match o.str("uri")?.map(str::trim).filter(|u| !u.is_empty()) {
            Some(uri) => uri.to_string(),
            None => local_id.clone().unwrap_or_default(),
        };
        let Some(account) = o.obj("account")? else {
            return Err(FieldError::missing("account", "status"));
        };
        let parsed = self.parse_account(&account)?;
        let author = match self.add_account(parsed, diag) {
            Ok(n) => n,
            Err(e) => return Ok(Err(e)),
        };
        // Nested statuses first: the original comes before its boost.
        let reblog_of = match o.obj("reblog")? {
            Some(r) if depth < MAX_NESTING => match self.status(&r, diag, depth + 1) {
                Ok(i) => i,
                Err(e) => return Ok(Err(e)),
            },
            _ => None,
        };
        let quote = match o.obj("quote")? {
            Some(q) => match q.obj("quoted_status")? {
                Some(s) if depth < MAX_NESTING => match self.status(&s, diag, depth + 1) {
                    Ok(i) => i.map(Quote::Staged),
                    Err(e) => return Ok(Err(e)),
                },
                _ => q
                    .id("quoted_status_id")?
                    .map(|id| Quote::Local(id.into_owned())),
            },
            None => None,
        };
        let mut mentions = Vec::new();
        for m in o.objects("mentions")? {
            let acct = m.str("acct")?.or(m.str("username")?).unwrap_or_default();
            if acct.trim().trim_start_matches('@').is_empty() {
                continue;
            }
            let (mkey, has_domain) = account_key(acct, m.str("url")?, self.instance);
            let p = ParsedAccount {
                local_id: m.id("id")?.map(|c| c.into_owned()),
                account: Account {
                    handle: Some(mkey.clone()),
                    platform: Platform::Mastodon,
                    ..Account::new(NodeId(0), mkey)
                },
                has_domain,
            };
            let node = match self.add_account(p, diag) {
                Ok(n) => n,
                Err(e) => return Ok(Err(e)),
            };
            if !mentions.contains(&node) {
                mentions.push(node);
            }
        }
        let mut tags = Vec::new();
        for t in o.objects("tags")? {
            if let Some(name) = t.str("name")?.map(str::trim).filter(|n| !n.is_empty()) {
                tags.push(name.to_string());
            }
        }
        let mut urls = Vec::new();
        let html = o.str("content")?.unwrap_or("");
        let text = if html.is_empty() {
            o.str("text")?.unwrap_or("").to_string()
        } else {
            convert_html(html, Some(&mut urls))
        };
        let staged = Staged {
            key,
            author,
            time: o.time("created_at")?,
            text,
            language: o
                .str("language")?
                .map(str::to_string)
                .filter(|l| !l.is_empty()),
            tags,
            urls,
            mentions,
            reactions: ReactionCounts {
                reposts: o.count("reblogs_count")?,
                replies: o.count("replies_count")?,
                likes: o.count("favourites_count")?,
                quotes: o.count("quotes_count")?,
                impressions: None,
                ..ReactionCounts::default()
            },
            in_reply_to_id: o.id("in_reply_to_id")?.map(|c| c.into_owned()),
            in_reply_to_account_id: o.id("in_reply_to_account_id")?.map(|c| c.into_owned()),
            reblog_of,
            quote,
        };
        let index = self.staged.len();
        if let Some(id) = local_id {
            self.local_posts.insert(id, index);
        }
        self.staged.push(staged);
        Ok(Ok(Some(index)))
    }

    /// Adds the staged statuses, in order, with their references resolved
    /// against the whole file.
    fn commit(&mut self, diag: &mut Diagnostics) {
        let staged = std::mem::take(&mut self.staged);
        let keys: Vec<(String, NodeId)> =
            staged.iter().map(|s| (s.key.clone(), s.author)).collect();
        let mut dangling = 0;
        let mut unknown_author = 0;
        for s in staged {
            let staged_ref = |i: usize| PostRef {
                post: keys[i].0.clone(),
                author: Some(keys[i].1),
            };
            let mut local_ref = |id: &str, account: Option<&String>, builder: &DatasetBuilder| {
                match self.local_posts.get(id) {
                    Some(&i) => staged_ref(i),
                    None => {
                        dangling += 1;
                        // A status read from an earlier input under the same key.
                        let author = builder
                            .post_index(id)
                            .and_then(|i| builder.post(i))
                            .map(|p| p.author)
                            .or_else(|| account.and_then(|a| self.local_accounts.get(a).copied()));
                        PostRef {
                            post: id.to_string(),
                            author,
                        }
                    }
                }
            };
            let reply_to = s
                .in_reply_to_id
                .as_deref()
                .map(|id| local_ref(id, s.in_reply_to_account_id.as_ref(), self.builder));
            let quote_of = match &s.quote {
                Some(Quote::Staged(i)) => Some(staged_ref(*i)),
                Some(Quote::Local(id)) => Some(local_ref(id, None, self.builder)),
                None => None,
            };
            let repost_of = s.reblog_of.map(staged_ref);
            let post = Post {
                id: s.key,
                author: s.author,
                time: s.time,
                text: s.text,
                language: s.language,
                reply_to: reply_to.clone(),
                repost_of: repost_of.clone(),
                quote_of: quote_of.clone(),
                conversation: None,
                mentions: s.mentions.clone(),
                hashtags: s.tags,
                urls: s.urls,
                reactions: s.reactions,
                ..Post::default()
            };
            let index = match self.builder.add_post(post) {
                PostAdded::New(i) => i,
                PostAdded::Duplicate(_) => {
                    diag.note("duplicate post merged", 1);
                    continue;
                }
            };
            let at = |target: NodeId, layer: Layer| Interaction {
                time: s.time,
                post: Some(index),
                ..Interaction::new(s.author, target, layer)
            };
            for (r, layer) in [
                (&repost_of, Layer::Repost),
                (&reply_to, Layer::Reply),
                (&quote_of, Layer::Quote),
            ] {
                match r {
                    Some(PostRef {
                        author: Some(target),
                        ..
                    }) => self.builder.push(at(*target, layer)),
                    Some(_) => unknown_author += 1,
                    None => {}
                }
            }
            if repost_of.is_none() {
                for &target in &s.mentions {
                    self.builder.push(at(target, Layer::Mention));
                }
            }
        }
        diag.note("dangling reference", dangling);
        diag.note(
            "reference with unknown author (no interaction)",
            unknown_author,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_full_addresses() {
        let k = |acct, url, inst| account_key(acct, url, inst).0;
        assert_eq!(
            k("Gargron", Some("https://mastodon.social/@Gargron"), None),
            "gargron@mastodon.social"
        );
        assert_eq!(
            k("noiob@Awoo.Space", Some("https://awoo.space/@noiob"), None),
            "noiob@awoo.space"
        );
        assert_eq!(
            k("bob", Some("https://web.example/@bob"), Some("example.org")),
            "bob@example.org"
        );
        assert_eq!(account_key("bob", None, None), ("bob".to_string(), false));
        assert_eq!(
            normalise_domain("https://Mastodon.Social/"),
            "mastodon.social"
        );
    }

    #[test]
    fn html_rules() {
        assert_eq!(html_to_text("<p>a</p><p>b<br />c</p>"), "a\n\nb\nc");
        assert_eq!(
            html_to_text("x &lt;y&gt; &#x1F600; &#128512; &nbsp;!"),
            "x <y> 😀 😀 \u{a0}!"
        );
        assert_eq!(html_to_text("a < b"), "a < b");
        assert_eq!(html_to_text("<a href='x>y'>link</a>"), "link");
        let mut links = Vec::new();
        let t = convert_html(
            r#"<p><a href="https://t.example/tags/rust" class="mention hashtag">#<span>rust</span></a> <a href="https://e.example/?a=1&amp;b=2" rel="nofollow">e</a></p>"#,
            Some(&mut links),
        );
        assert_eq!(t, "#rust e");
        assert_eq!(links, vec!["https://e.example/?a=1&b=2"]);
    }
}
