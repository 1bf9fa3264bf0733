//! The Porte-voix canonical format (schema `portevoix/1`): what users
//! convert their own exports into, and what any [`Dataset`] converts to
//! with [`write_jsonl`].
//!
//! The full specification is `docs/canonical-format.md`. In short:
//!
//! * **JSON Lines**: one record per line, `{"type": "account" | "post" |
//!   "interaction" | "cascade", …}`, optionally preceded by
//!   `{"type": "header", "schema": "portevoix/1"}`;
//! * **CSV**: one file per record type (accounts, posts or interactions),
//!   recognised from its header row (`actor,target,layer,…` is an
//!   interactions file), optionally preceded by a line `# portevoix/1`.
//!
//! Field names mirror the core types ([`Account`], [`Post`],
//! [`Interaction`], [`Cascade`]). Account references are external ids
//! (strings; unsigned integers are accepted), and a reference that starts
//! with `@` names an account by handle (resolved like a mention, so
//! `@lemondefr` and the account whose handle is `lemondefr` are one node).
//! Interactions point from actor to target (`"A retweeted B"` is
//! `{"actor": "A", "target": "B", "layer": "repost"}`) and are only what the
//! `interaction` records say: posts never imply interactions, so a file
//! written by [`write_jsonl`] reads back to the same dataset.
//!
//! A file declaring a higher major schema version (`portevoix/2`) is
//! rejected in both modes: its meaning may have changed. Unknown fields are
//! ignored (minor versions only add optional fields). An account named by a
//! post or interaction but never declared is created with just its id
//! (`undeclared account (id only)` in the notes); an account declared twice
//! is merged, the first values winning (`account profile conflict` in the
//! notes).
//!
//! ```
//! use portevoix_ingest::{load_bytes, FormatKind, ReadOptions};
//! use portevoix_core::Layer;
//!
//! let jsonl = r#"{"type":"header","schema":"portevoix/1"}
//! {"type":"account","id":"24744541","handle":"lemondefr","followers":10172891}
//! {"type":"interaction","actor":"376989","target":"@LeMondeFr","layer":"repost","time":"2022-05-10T13:37:00Z"}
//! "#;
//! let ds = load_bytes("c.jsonl", jsonl.into(), FormatKind::Canonical, &ReadOptions::default()).unwrap();
//! let rt = ds.interactions.layer(Layer::Repost).get(Layer::Repost, 0);
//! assert_eq!(ds.interner.name(rt.target).to_string(), "24744541");
//! assert_eq!(ds.account(rt.target).unwrap().followers, Some(10_172_891));
//!
//! // Any dataset converts to the canonical format and back.
//! let mut out = Vec::new();
//! portevoix_ingest::canonical::write_jsonl(&ds, &mut out).unwrap();
//! let back = load_bytes("back.jsonl", out, FormatKind::Canonical, &ReadOptions::default()).unwrap();
//! assert_eq!(back.interactions.len(), 1);
//! ```

use crate::json::{self, FieldError, Obj, Text};
use crate::{Dataset, DatasetBuilder, Diagnostics, Input, PostAdded, Result};
use portevoix_core::{
    Account, Cascade, CascadeEdge, Error, Interaction, Layer, Location, NodeId, Platform, Post,
    PostRef, ReactionCounts, Timestamp,
};
use rustc_hash::FxHashSet;
use serde::Serialize;
use serde_json::Value;
use std::io::Write;

/// The schema this module reads and writes.
pub const SCHEMA: &str = "portevoix/1";

/// The major schema version this module reads.
pub const SCHEMA_MAJOR: u64 = 1;

/// The columns of a canonical accounts CSV (`id` required).
pub const ACCOUNT_COLUMNS: &[&str] = &[
    "id",
    "platform",
    "handle",
    "display_name",
    "bio",
    "followers",
    "following",
    "posts",
    "listed",
    "created_at",
    "verified",
    "bot",
    "language",
];

/// The columns of a canonical posts CSV (`id` and `author` required).
pub const POST_COLUMNS: &[&str] = &[
    "id",
    "author",
    "time",
    "text",
    "language",
    "reply_to",
    "reply_to_author",
    "repost_of",
    "repost_of_author",
    "quote_of",
    "quote_of_author",
    "conversation",
    "mentions",
    "hashtags",
    "urls",
    "reposts",
    "replies",
    "likes",
    "quotes",
    "impressions",
];

/// The columns of a canonical interactions CSV (`actor`, `target` and
/// `layer` required).
pub const INTERACTION_COLUMNS: &[&str] = &[
    "actor", "target", "layer", "time", "weight", "value", "post",
];

/// Parses a schema string `portevoix/MAJOR[.MINOR]`; `Ok(major)` or an error message.
fn schema_major(schema: &str) -> std::result::Result<u64, String> {
    let Some(version) = schema.trim().strip_prefix("portevoix/") else {
        return Err(format!(
            "unknown schema \"{schema}\" (expected \"{SCHEMA}\")"
        ));
    };
    let major = version.split('.').next().unwrap_or("");
    match major.parse::<u64>() {
        Ok(m) if m > SCHEMA_MAJOR => Err(format!(
            "schema \"{schema}\" is a newer major version than this reader understands \
             ({SCHEMA}); upgrade Porte-voix to read it"
        )),
        Ok(m) => Ok(m),
        Err(_) => Err(format!(
            "invalid schema version \"{schema}\" (expected \"{SCHEMA}\")"
        )),
    }
}

/// Whether the first bytes look like the canonical format: a first JSON
/// line that is a canonical record, or a CSV header made only of the
/// columns of one canonical record type (or a `# portevoix/` line).
pub fn sniff(head: &[u8]) -> bool {
    let head = crate::source::strip_bom(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let rest = &head[start..];
    let line_end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
    let first = &rest[..line_end];
    if first.starts_with(b"{") {
        let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(first) else {
            return false;
        };
        return match map.get("type").and_then(Value::as_str) {
            Some("header") => map
                .get("schema")
                .and_then(Value::as_str)
                .is_some_and(|s| s.starts_with("portevoix/")),
            Some("account") => map.contains_key("id") && !map.contains_key("acct"),
            Some("post") => map.contains_key("id") && map.contains_key("author"),
            Some("interaction") => {
                map.contains_key("actor") && map.contains_key("target") && map.contains_key("layer")
            }
            Some("cascade") => map.contains_key("source_post"),
            _ => false,
        };
    }
    if first.starts_with(b"#") {
        return memchr::memmem::find(first, b"portevoix/").is_some();
    }
    let header: Vec<String> = String::from_utf8_lossy(first)
        .trim_end_matches('\r')
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    csv_kind(&header).is_some() && header.iter().all(|c| known_column(c))
}

/// Whether the first non-blank line is a header of one canonical CSV kind.
fn looks_like_csv_header(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let rest = &bytes[start..];
    let first = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
    let header: Vec<String> = String::from_utf8_lossy(first)
        .trim_end_matches('\r')
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    csv_kind(&header).is_some()
}

fn known_column(c: &str) -> bool {
    ACCOUNT_COLUMNS.contains(&c) || POST_COLUMNS.contains(&c) || INTERACTION_COLUMNS.contains(&c)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CsvKind {
    Accounts,
    Posts,
    Interactions,
}

fn csv_kind(header: &[String]) -> Option<CsvKind> {
    let has = |c: &str| header.iter().any(|h| h == c);
    if has("actor") && has("target") && has("layer") {
        Some(CsvKind::Interactions)
    } else if has("id") && has("author") {
        Some(CsvKind::Posts)
    } else if has("id") && !has("actor") && !has("target") {
        Some(CsvKind::Accounts)
    } else {
        None
    }
}

/// Reads the canonical format (JSON Lines or CSV, told apart by the first
/// non-blank byte).
pub fn read(input: &mut Input, builder: &mut DatasetBuilder, diag: &mut Diagnostics) -> Result<()> {
    let text = Text::read(input, diag)?;
    let mut reader = Reader {
        builder,
        name: text.name().to_string(),
        referenced: FxHashSet::default(),
        declared: FxHashSet::default(),
        waiting: Vec::new(),
    };
    let first = text
        .bytes()
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace());
    match first {
        None => Ok(()),
        Some(b'{') | Some(b'[') => reader.read_jsonl(&text, diag),
        // CSV when it starts like one (a version line or a canonical
        // header); anything else is JSON Lines whose bad first record is
        // reported like any other.
        Some(b'#') => reader.read_csv(&text, diag),
        Some(_) if looks_like_csv_header(text.bytes()) => reader.read_csv(&text, diag),
        Some(_) => reader.read_jsonl(&text, diag),
    }?;
    reader.finish(diag);
    Ok(())
}

/// A record's fields, from a JSON object or a CSV row.
trait Fields {
    fn id(&self, key: &str) -> std::result::Result<Option<String>, FieldError>;
    fn str(&self, key: &str) -> std::result::Result<Option<String>, FieldError>;
    fn count(&self, key: &str) -> std::result::Result<Option<u64>, FieldError>;
    fn number(&self, key: &str) -> std::result::Result<Option<f64>, FieldError>;
    fn bool(&self, key: &str) -> std::result::Result<Option<bool>, FieldError>;
    fn time(&self, key: &str) -> std::result::Result<Option<Timestamp>, FieldError>;
    /// A list of strings (a JSON array, or space-separated in CSV).
    fn list(&self, key: &str) -> std::result::Result<Vec<String>, FieldError>;
}

impl Fields for Obj<'_> {
    fn id(&self, key: &str) -> std::result::Result<Option<String>, FieldError> {
        Ok(Obj::id(self, key)?.map(|c| c.into_owned()))
    }
    fn str(&self, key: &str) -> std::result::Result<Option<String>, FieldError> {
        Ok(Obj::str(self, key)?.map(str::to_string))
    }
    fn count(&self, key: &str) -> std::result::Result<Option<u64>, FieldError> {
        Obj::count(self, key)
    }
    fn number(&self, key: &str) -> std::result::Result<Option<f64>, FieldError> {
        Obj::number(self, key)
    }
    fn bool(&self, key: &str) -> std::result::Result<Option<bool>, FieldError> {
        Obj::bool(self, key)
    }
    fn time(&self, key: &str) -> std::result::Result<Option<Timestamp>, FieldError> {
        Obj::time(self, key)
    }
    fn list(&self, key: &str) -> std::result::Result<Vec<String>, FieldError> {
        let mut out = Vec::new();
        for (i, v) in self.array(key)?.iter().enumerate() {
            match v {
                Value::String(s) if !s.is_empty() => out.push(s.clone()),
                Value::Number(n) if n.as_u64().is_some() => out.push(n.to_string()),
                other => {
                    return Err(FieldError::new(
                        "wrong type",
                        format!(
                            "field `{key}[{i}]`: expected a non-empty string, found {}",
                            json::describe(other)
                        ),
                    ));
                }
            }
        }
        Ok(out)
    }
}

/// A CSV row: values by column name.
struct CsvRow<'a> {
    header: &'a [String],
    values: Vec<&'a str>,
}

impl CsvRow<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        let i = self.header.iter().position(|h| h == key)?;
        self.values
            .get(i)
            .copied()
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }

    fn wrong(&self, key: &str, expected: &str, found: &str) -> FieldError {
        let cut: String = found.chars().take(40).collect();
        FieldError::new(
            "wrong type",
            format!("column `{key}`: expected {expected}, found '{cut}'"),
        )
    }
}

impl Fields for CsvRow<'_> {
    fn id(&self, key: &str) -> std::result::Result<Option<String>, FieldError> {
        Ok(self.get(key).map(str::to_string))
    }
    fn str(&self, key: &str) -> std::result::Result<Option<String>, FieldError> {
        // Text keeps its inner spacing; only absent or empty is `None`.
        let Some(i) = self.header.iter().position(|h| h == key) else {
            return Ok(None);
        };
        Ok(self
            .values
            .get(i)
            .filter(|v| !v.is_empty())
            .map(|v| v.to_string()))
    }
    fn count(&self, key: &str) -> std::result::Result<Option<u64>, FieldError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .parse::<u64>()
                .map(Some)
                .map_err(|_| self.wrong(key, "a non-negative integer", v)),
        }
    }
    fn number(&self, key: &str) -> std::result::Result<Option<f64>, FieldError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a number", v)),
        }
    }
    fn bool(&self, key: &str) -> std::result::Result<Option<bool>, FieldError> {
        match self.get(key).map(str::to_ascii_lowercase).as_deref() {
            None => Ok(None),
            Some("true" | "1" | "yes") => Ok(Some(true)),
            Some("false" | "0" | "no") => Ok(Some(false)),
            Some(v) => Err(self.wrong(key, "true or false", v)),
        }
    }
    fn time(&self, key: &str) -> std::result::Result<Option<Timestamp>, FieldError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => json::parse_time(v).map(Some).ok_or_else(|| {
                FieldError::new(
                    "invalid time",
                    format!("column `{key}`: cannot read '{v}' as a time"),
                )
            }),
        }
    }
    fn list(&self, key: &str) -> std::result::Result<Vec<String>, FieldError> {
        Ok(self
            .get(key)
            .map(|v| v.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default())
    }
}

fn required<F: Fields + ?Sized>(
    f: &F,
    key: &str,
    what: &str,
) -> std::result::Result<String, FieldError> {
    f.id(key)?.ok_or_else(|| FieldError::missing(key, what))
}

/// A record, validated, not yet added.
enum Record {
    Account(Account),
    Post {
        post: Box<Post>,
        author: String,
        mentions: Vec<String>,
        refs: [Option<(String, Option<String>)>; 3],
    },
    Interaction {
        actor: String,
        target: String,
        layer: Layer,
        time: Option<Timestamp>,
        weight: f32,
        value: Option<f32>,
        post: Option<String>,
    },
    Cascade {
        cascade: Cascade,
        root: Option<String>,
        edges: Vec<(Option<String>, String)>,
    },
}

fn parse_account<F: Fields + ?Sized>(f: &F) -> std::result::Result<Record, FieldError> {
    let id = required(f, "id", "account")?;
    Ok(Record::Account(Account {
        platform: f
            .str("platform")?
            .map_or(Platform::Unknown, |p| Platform::from_name(&p)),
        handle: f
            .str("handle")?
            .map(|h| h.trim_start_matches('@').to_string()),
        display_name: f.str("display_name")?,
        bio: f.str("bio")?,
        followers: f.count("followers")?,
        following: f.count("following")?,
        posts: f.count("posts")?,
        listed: f.count("listed")?,
        created_at: f.time("created_at")?,
        verified: f.bool("verified")?,
        bot: f.bool("bot")?,
        language: f.str("language")?,
        ..Account::new(NodeId(0), id)
    }))
}

fn parse_post<F: Fields + ?Sized>(f: &F) -> std::result::Result<Record, FieldError> {
    let id = required(f, "id", "post")?;
    let author = required(f, "author", "post")?;
    let mut refs: [Option<(String, Option<String>)>; 3] = [None, None, None];
    for (slot, key) in refs.iter_mut().zip(["reply_to", "repost_of", "quote_of"]) {
        let author_key = format!("{key}_author");
        let who = f.id(&author_key)?;
        match f.id(key)? {
            Some(post) => *slot = Some((post, who)),
            None if who.is_some() => {
                return Err(FieldError::new(
                    "missing field",
                    format!("`{author_key}` is given without `{key}`"),
                ));
            }
            None => {}
        }
    }
    Ok(Record::Post {
        post: Box::new(Post {
            id,
            time: f.time("time")?,
            text: f.str("text")?.unwrap_or_default(),
            language: f.str("language")?,
            conversation: f.id("conversation")?,
            hashtags: f.list("hashtags")?,
            urls: f.list("urls")?,
            reactions: ReactionCounts {
                reposts: f.count("reposts")?,
                replies: f.count("replies")?,
                likes: f.count("likes")?,
                quotes: f.count("quotes")?,
                impressions: f.count("impressions")?,
                ..ReactionCounts::default()
            },
            ..Post::default()
        }),
        author,
        mentions: f.list("mentions")?,
        refs,
    })
}

fn parse_interaction<F: Fields + ?Sized>(f: &F) -> std::result::Result<Record, FieldError> {
    let actor = required(f, "actor", "interaction")?;
    let target = required(f, "target", "interaction")?;
    let layer_name = f
        .str("layer")?
        .ok_or_else(|| FieldError::missing("layer", "interaction"))?;
    let layer: Layer = layer_name
        .parse()
        .map_err(|e: portevoix_core::UnknownLayer| {
            FieldError::new("invalid value", e.to_string())
        })?;
    let weight = f.number("weight")?.unwrap_or(1.0);
    Ok(Record::Interaction {
        actor,
        target,
        layer,
        time: f.time("time")?,
        weight: weight as f32,
        value: f.number("value")?.map(|v| v as f32),
        post: f.id("post")?,
    })
}

fn parse_cascade(o: &Obj<'_>) -> std::result::Result<Record, FieldError> {
    let source_post = required(o, "source_post", "cascade")?;
    let mut edges = Vec::new();
    let mut who = Vec::new();
    for e in o.objects("edges")? {
        let child = required(&e, "child", "cascade edge")?;
        let child_post = required(&e, "child_post", "cascade edge")?;
        let delay = e
            .number("delay_minutes")?
            .ok_or_else(|| FieldError::missing("delay_minutes", "cascade edge"))?;
        who.push((Fields::id(&e, "parent")?, child));
        edges.push(CascadeEdge {
            parent: None,
            parent_post: Fields::id(&e, "parent_post")?,
            child: NodeId(0),
            child_post,
            delay_minutes: delay,
        });
    }
    Ok(Record::Cascade {
        cascade: Cascade {
            source_post,
            root: None,
            start: o.time("start")?,
            label: Fields::str(o, "label")?,
            edges,
        },
        root: Fields::id(o, "root")?,
        edges: who,
    })
}

struct Reader<'a> {
    builder: &'a mut DatasetBuilder,
    name: String,
    /// Accounts named by posts, interactions and cascades.
    referenced: FxHashSet<u32>,
    /// Accounts declared by account records of this file.
    declared: FxHashSet<u32>,
    /// Interactions naming a post not read yet.
    waiting: Vec<(Interaction, String)>,
}

impl Reader<'_> {
    /// The node of an account reference: an external id, or `@handle`.
    fn account_ref(&mut self, r: &str) -> Result<NodeId> {
        let node = if r.starts_with('@') {
            self.builder.resolve_handle(r)?
        } else {
            self.builder.node(r)?
        };
        self.referenced.insert(node.0);
        Ok(node)
    }

    fn add(&mut self, record: Record, diag: &mut Diagnostics) -> Result<()> {
        match record {
            Record::Account(mut account) => {
                let node = if account.external_id.starts_with('@') {
                    // Named by handle: the account that owns the handle, or
                    // its stand-in.
                    // Resolve by the declared handle when it is this one, so
                    // that a new stand-in keeps the handle's spelling.
                    let bare = &account.external_id[1..];
                    let name = match account.handle.as_deref() {
                        Some(h) if h.trim_start_matches('@').eq_ignore_ascii_case(bare) => h,
                        _ => account.external_id.as_str(),
                    };
                    let node = self.builder.resolve_handle(name)?;
                    account.external_id = self.builder.interner().name(node).to_string();
                    node
                } else {
                    self.builder.node(&account.external_id)?
                };
                if !self.declared.insert(node.0) {
                    diag.note("duplicate account merged", 1);
                }
                let (_, conflicts) = self.builder.upsert_account(account)?;
                if !conflicts.is_empty() {
                    diag.note("account profile conflict (first value kept)", 1);
                }
            }
            Record::Post {
                mut post,
                author,
                mentions,
                refs,
            } => {
                post.author = self.account_ref(&author)?;
                for m in &mentions {
                    let n = self.account_ref(m)?;
                    if !post.mentions.contains(&n) {
                        post.mentions.push(n);
                    }
                }
                let mut built: [Option<PostRef>; 3] = [None, None, None];
                for (slot, r) in built.iter_mut().zip(refs) {
                    if let Some((p, who)) = r {
                        let author = match who {
                            Some(w) => Some(self.account_ref(&w)?),
                            None => None,
                        };
                        *slot = Some(PostRef { post: p, author });
                    }
                }
                let [reply_to, repost_of, quote_of] = built;
                post.reply_to = reply_to;
                post.repost_of = repost_of;
                post.quote_of = quote_of;
                if let PostAdded::Duplicate(_) = self.builder.add_post(*post) {
                    diag.note("duplicate post merged", 1);
                }
            }
            Record::Interaction {
                actor,
                target,
                layer,
                time,
                weight,
                value,
                post,
            } => {
                let i = Interaction {
                    actor: self.account_ref(&actor)?,
                    target: self.account_ref(&target)?,
                    layer,
                    time,
                    weight,
                    value,
                    post: None,
                };
                match post {
                    None => self.builder.push(i),
                    Some(p) => match self.builder.post_index(&p) {
                        Some(index) => self.builder.push(Interaction {
                            post: Some(index),
                            ..i
                        }),
                        None => self.waiting.push((i, p)),
                    },
                }
            }
            Record::Cascade {
                mut cascade,
                root,
                edges,
            } => {
                if let Some(r) = root {
                    cascade.root = Some(self.account_ref(&r)?);
                }
                for (edge, (parent, child)) in cascade.edges.iter_mut().zip(edges) {
                    edge.child = self.account_ref(&child)?;
                    if let Some(p) = parent {
                        edge.parent = Some(self.account_ref(&p)?);
                    }
                }
                self.builder.add_cascade(cascade);
            }
        }
        Ok(())
    }

    fn read_jsonl(&mut self, text: &Text, diag: &mut Diagnostics) -> Result<()> {
        let mut first = true;
        json::for_each_value(text, true, diag, |value, start, diag| {
            let value = value.into_value();
            let was_first = std::mem::replace(&mut first, false);
            diag.record();
            let location = || text.location(start);
            let Value::Object(map) = &value else {
                return diag.bad(
                    location(),
                    "unrecognised record",
                    format!("expected a record object, found {}", json::describe(&value)),
                );
            };
            let o = Obj::new(map);
            let kind = match Obj::str(&o, "type") {
                Ok(Some(k)) => k,
                Ok(None) => return diag.bad(location(), "missing field", "record has no `type`"),
                Err(e) => return diag.bad(location(), e.kind, e.detail),
            };
            let parsed = match kind {
                "header" => {
                    let schema = match Obj::str(&o, "schema") {
                        Ok(Some(s)) => s,
                        Ok(None) => {
                            return diag.bad(location(), "missing field", "header has no `schema`");
                        }
                        Err(e) => return diag.bad(location(), e.kind, e.detail),
                    };
                    if let Err(reason) = schema_major(schema) {
                        // Never skipped: a newer schema may mean something else.
                        return Err(Error::Input {
                            location: location(),
                            reason,
                        });
                    }
                    if !was_first {
                        return diag.bad(
                            location(),
                            "misplaced header",
                            "the header must be the first record",
                        );
                    }
                    return Ok(());
                }
                "account" => parse_account(&o),
                "post" => parse_post(&o),
                "interaction" => parse_interaction(&o),
                "cascade" => parse_cascade(&o),
                other => {
                    return diag.bad(
                        location(),
                        "unknown record type",
                        format!(
                            "unknown record type \"{other}\" (expected header, account, post, \
                             interaction or cascade)"
                        ),
                    );
                }
            };
            match parsed {
                Ok(record) => self.add(record, diag),
                Err(e) => diag.bad(location(), e.kind, e.detail),
            }
        })
    }

    fn read_csv(&mut self, text: &Text, diag: &mut Diagnostics) -> Result<()> {
        let bytes = text.bytes();
        let name = self.name.clone();
        // Optional version line.
        let mut body = 0;
        let mut line_offset = 0;
        let lead = bytes
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(0);
        if bytes.get(lead) == Some(&b'#') {
            let end = memchr::memchr(b'\n', &bytes[lead..]).map_or(bytes.len(), |e| lead + e);
            let line = String::from_utf8_lossy(&bytes[lead..end]);
            let (line_no, _) = text.position(lead);
            let spec = line.trim_start_matches('#').trim();
            let spec = spec.strip_prefix("schema:").unwrap_or(spec).trim();
            if let Err(reason) = schema_major(spec) {
                return Err(Error::Input {
                    location: Location::line(name, line_no),
                    reason,
                });
            }
            body = (end + 1).min(bytes.len());
            line_offset = line_no;
        }
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&bytes[body..]);
        let mut rec = csv::ByteRecord::new();
        let mut header: Vec<String> = Vec::new();
        loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line()) + line_offset;
                    diag.record();
                    diag.bad(
                        Location::line(name.clone(), line),
                        "invalid CSV",
                        format!("invalid CSV: {e}"),
                    )?;
                    continue;
                }
            }
            let line = rec.position().map_or(0, |p| p.line()) + line_offset;
            if header.is_empty() {
                header = rec
                    .iter()
                    .map(|f| {
                        String::from_utf8_lossy(f)
                            .trim()
                            .trim_matches('"')
                            .to_ascii_lowercase()
                    })
                    .collect();
                if csv_kind(&header).is_none() {
                    return Err(Error::Input {
                        location: Location::line(name, line),
                        reason: format!(
                            "not a canonical CSV header: {} (an accounts file needs `id`, a posts \
                             file `id` and `author`, an interactions file `actor`, `target` and `layer`)",
                            header.join(",")
                        ),
                    });
                }
                continue;
            }
            if rec
                .iter()
                .all(|f| f.iter().all(|b| b.is_ascii_whitespace()))
            {
                continue;
            }
            diag.record();
            let mut values = Vec::with_capacity(rec.len());
            let mut bad_utf8 = None;
            for (i, f) in rec.iter().enumerate() {
                match std::str::from_utf8(f) {
                    Ok(s) => values.push(s),
                    Err(_) => {
                        bad_utf8 = Some(i);
                        break;
                    }
                }
            }
            if let Some(i) = bad_utf8 {
                diag.bad(
                    Location::line(name.clone(), line).with_column(i as u64 + 1),
                    "invalid UTF-8",
                    format!(
                        "field {} (`{}`) is not valid UTF-8",
                        i + 1,
                        header.get(i).map_or("?", |h| h.as_str())
                    ),
                )?;
                continue;
            }
            if values.len() > header.len() {
                diag.bad(
                    Location::line(name.clone(), line).with_column(header.len() as u64 + 1),
                    "too many fields",
                    format!(
                        "row has {} fields, the header {}",
                        values.len(),
                        header.len()
                    ),
                )?;
                continue;
            }
            let row = CsvRow {
                header: &header,
                values,
            };
            let parsed = match csv_kind(&header) {
                Some(CsvKind::Accounts) => parse_account(&row),
                Some(CsvKind::Posts) => parse_post(&row),
                _ => parse_interaction(&row),
            };
            match parsed {
                Ok(record) => self.add(record, diag)?,
                Err(e) => {
                    // The column of the offending field, when it names one.
                    let column = header
                        .iter()
                        .position(|h| e.detail.contains(&format!("`{h}`")))
                        .map(|i| i as u64 + 1);
                    let mut loc = Location::line(name.clone(), line);
                    loc.column = column;
                    diag.bad(loc, e.kind, e.detail)?;
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self, diag: &mut Diagnostics) {
        let waiting = std::mem::take(&mut self.waiting);
        let mut unknown_posts = 0;
        for (i, p) in waiting {
            let post = self.builder.post_index(&p);
            if post.is_none() {
                unknown_posts += 1;
            }
            self.builder.push(Interaction { post, ..i });
        }
        diag.note(
            "interaction names an unknown post (post dropped)",
            unknown_posts,
        );
        let undeclared = self
            .referenced
            .iter()
            .filter(|&&n| self.builder.account(NodeId(n)).is_none())
            .count();
        diag.note("undeclared account (id only)", undeclared as u64);
    }
}

#[derive(Serialize)]
struct AccountOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    platform: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    handle: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bio: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    followers: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    following: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    posts: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    listed: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bot: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
}

#[derive(Serialize)]
struct PostOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    author: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    time: Option<String>,
    #[serde(skip_serializing_if = "str::is_empty")]
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reply_to: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reply_to_author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repost_of: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repost_of_author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quote_of: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quote_of_author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    conversation: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    mentions: Vec<String>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    hashtags: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    urls: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    reposts: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    replies: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    likes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quotes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    impressions: Option<u64>,
}

#[derive(Serialize)]
struct InteractionOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    actor: String,
    target: String,
    layer: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    time: Option<String>,
    #[serde(skip_serializing_if = "is_one")]
    weight: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    post: Option<&'a str>,
}

fn is_one(w: &f32) -> bool {
    *w == 1.0
}

#[derive(Serialize)]
struct EdgeOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_post: Option<&'a str>,
    child: String,
    child_post: &'a str,
    delay_minutes: f64,
}

#[derive(Serialize)]
struct CascadeOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    source_post: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    root: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    edges: Vec<EdgeOut<'a>>,
}

/// A time as the canonical writer spells it: ISO 8601 in UTC to the
/// millisecond for years 1000 to 9999, else exact decimal Unix seconds
/// (RFC 3339 has no other years), so that every time reads back equal.
fn time_text(t: Timestamp) -> String {
    let iso = t.to_iso8601();
    if iso.len() == 24 && matches!(iso.as_bytes()[0], b'1'..=b'9') {
        return iso;
    }
    let ms = t.0 as i128;
    let sign = if ms < 0 { "-" } else { "" };
    let abs = ms.unsigned_abs();
    format!("{sign}{}.{:03}", abs / 1000, abs % 1000)
}

/// Writes `dataset` in the canonical JSON Lines format: the header, then
/// every account profile, post, interaction (layer by layer, each in input
/// order) and cascade. Reading the output back with [`read`] gives the same
/// accounts, posts, interactions and cascades (dense ids may be numbered
/// differently: they follow first appearance in the canonical file).
/// Accounts are named by their external ids; a stand-in account created
/// from an unresolved mention keeps its `@handle` id, which reads back as a
/// handle reference.
pub fn write_jsonl<W: Write>(dataset: &Dataset, writer: W) -> Result<()> {
    let mut w = std::io::BufWriter::new(writer);
    let io = |source: std::io::Error| Error::Io {
        path: "canonical output".into(),
        source,
    };
    let name = |n: NodeId| -> String {
        match dataset.interner.try_name(n) {
            Some(x) => x.to_string(),
            None => n.0.to_string(),
        }
    };
    let time = |t: Option<Timestamp>| t.map(time_text);
    fn line<W: Write, T: Serialize>(w: &mut W, record: &T) -> Result<()> {
        let io = |source: std::io::Error| Error::Io {
            path: "canonical output".into(),
            source,
        };
        serde_json::to_writer(&mut *w, record).map_err(|e| match e.classify() {
            serde_json::error::Category::Io => io(std::io::Error::other(e)),
            _ => Error::output("canonical record", e.to_string()),
        })?;
        w.write_all(b"\n").map_err(io)
    }
    writeln!(w, "{{\"type\":\"header\",\"schema\":\"{SCHEMA}\"}}").map_err(io)?;
    for a in &dataset.accounts {
        let platform = match &a.platform {
            Platform::Unknown => None,
            p => Some(p.as_str()),
        };
        line(
            &mut w,
            &AccountOut {
                kind: "account",
                id: &a.external_id,
                platform,
                handle: a.handle.as_deref(),
                display_name: a.display_name.as_deref(),
                bio: a.bio.as_deref(),
                followers: a.followers,
                following: a.following,
                posts: a.posts,
                listed: a.listed,
                created_at: time(a.created_at),
                verified: a.verified,
                bot: a.bot,
                language: a.language.as_deref(),
            },
        )?;
    }
    for p in &dataset.posts {
        fn split(
            r: &Option<PostRef>,
            name: impl Fn(NodeId) -> String,
        ) -> (Option<&str>, Option<String>) {
            (
                r.as_ref().map(|r| r.post.as_str()),
                r.as_ref().and_then(|r| r.author).map(name),
            )
        }
        let r = |x| split(x, name);
        let (reply_to, reply_to_author) = r(&p.reply_to);
        let (repost_of, repost_of_author) = r(&p.repost_of);
        let (quote_of, quote_of_author) = r(&p.quote_of);
        line(
            &mut w,
            &PostOut {
                kind: "post",
                id: &p.id,
                author: name(p.author),
                time: time(p.time),
                text: &p.text,
                language: p.language.as_deref(),
                reply_to,
                reply_to_author,
                repost_of,
                repost_of_author,
                quote_of,
                quote_of_author,
                conversation: p.conversation.as_deref(),
                mentions: p.mentions.iter().map(|&m| name(m)).collect(),
                hashtags: &p.hashtags,
                urls: &p.urls,
                reposts: p.reactions.reposts,
                replies: p.reactions.replies,
                likes: p.reactions.likes,
                quotes: p.reactions.quotes,
                impressions: p.reactions.impressions,
            },
        )?;
    }
    for i in dataset.interactions.iter() {
        line(
            &mut w,
            &InteractionOut {
                kind: "interaction",
                actor: name(i.actor),
                target: name(i.target),
                layer: i.layer.as_str(),
                time: time(i.time),
                weight: i.weight,
                value: i.value,
                post: i
                    .post
                    .and_then(|p| dataset.posts.get(p as usize))
                    .map(|p| p.id.as_str()),
            },
        )?;
    }
    for c in &dataset.cascades {
        line(
            &mut w,
            &CascadeOut {
                kind: "cascade",
                source_post: &c.source_post,
                root: c.root.map(name),
                start: time(c.start),
                label: c.label.as_deref(),
                edges: c
                    .edges
                    .iter()
                    .map(|e| EdgeOut {
                        parent: e.parent.map(name),
                        parent_post: e.parent_post.as_deref(),
                        child: name(e.child),
                        child_post: &e.child_post,
                        delay_minutes: e.delay_minutes,
                    })
                    .collect(),
            },
        )?;
    }
    w.flush().map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_time_is_written_so_that_it_reads_back_equal() {
        for ms in [
            0,
            1_289_241_911_728,
            -1500,
            -62_135_596_800_001,   // year 0
            1_523_956_000_000_000, // year 50,000
            253_402_300_800_000,   // year 10,000
            i64::MAX,
            i64::MIN,
        ] {
            let t = Timestamp(ms);
            let text = time_text(t);
            assert_eq!(json::parse_time(&text), Some(t), "{text}");
        }
        assert_eq!(time_text(Timestamp(0)), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn schema_versions() {
        assert_eq!(schema_major("portevoix/1"), Ok(1));
        assert_eq!(schema_major("portevoix/1.3"), Ok(1));
        assert!(
            schema_major("portevoix/2")
                .unwrap_err()
                .contains("newer major version")
        );
        assert!(schema_major("other/1").is_err());
        assert!(schema_major("portevoix/x").is_err());
    }

    #[test]
    fn sniffs_jsonl_and_csv() {
        assert!(sniff(b"{\"type\":\"header\",\"schema\":\"portevoix/1\"}\n"));
        assert!(sniff(
            b"{\"type\":\"interaction\",\"actor\":\"1\",\"target\":\"2\",\"layer\":\"follow\"}\n"
        ));
        assert!(sniff(b"actor,target,layer,time\n1,2,repost,\n"));
        assert!(sniff(b"# portevoix/1\nid,handle\n1,a\n"));
        assert!(!sniff(b"tweet_id,name,text\n"));
        assert!(!sniff(b"{\"data\":[]}\n"));
        assert!(!sniff(b"source,target\n1,2\n"));
    }
}
