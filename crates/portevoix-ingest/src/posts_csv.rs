//! CSV of posts, with a column mapping given by the user or guessed from
//! the header.
//!
//! # Format
//!
//! RFC 4180 CSV (quoted fields may hold delimiters, quotes and newlines),
//! with a header row; the delimiter is `,`, `;` or tab, guessed from the
//! header unless given. One row is one post. [`PostsCsvOptions`] maps
//! columns (by header name, case-insensitive, or by 1-based position as
//! `#3`); every column left unmapped is looked up among common header names:
//!
//! | field | header names tried, in order |
//! |---|---|
//! | `id` | `tweet_id`, `post_id`, `status_id`, `id_str`, `id_tweet`, `id` |
//! | `author` (handle) | `screen_name`, `username`, `user_screen_name`, `handle`, `author`, `user`, `name` |
//! | `author_id` | `author_id`, `user_id`, `account_id`, `id_compte` |
//! | `text` | `text`, `full_text`, `content`, `tweet`, `body`, `message` |
//! | `time` | `created_at`, `tweet_created`, `time`, `timestamp`, `datetime`, `date` |
//! | `reposts` | `retweet_count`, `reposts`, `retweets`, `reblogs_count`, `shares` |
//! | `replies` | `reply_count`, `replies_count`, `replies` |
//! | `likes` | `like_count`, `favorite_count`, `favourites_count`, `likes` |
//! | `quotes` | `quote_count`, `quotes` |
//! | `language` | `lang`, `language` |
//!
//! (`name` is the author's *screen name* in the airline-sentiment export,
//! which is why it is tried, last.) Times are ISO-8601 (naive times are
//! taken as UTC) or Unix seconds. A post without an `id` column gets the id
//! `<file>#<row>` (the 1-based number of the data row).
//!
//! # Authors and mentions
//!
//! With [`PostsCsvOptions::author_is_handle`] (the default), authors are
//! handles and are keyed exactly like `@handle` mentions, through
//! [`DatasetBuilder::resolve_handle`]: the author `jnardino` and a mention
//! `@JNardino` are one account (`@jnardino`), which a later input that knows
//! the account's platform id (a Twitter API v2 file) merges into the real
//! account. With an `author_id` column, the id keys the account and the
//! handle column, if any, is recorded as its handle. An author written
//! `@name` is a handle whatever the option says, and an author id that
//! starts with `@` is a bad row: in Porte-voix an `@name` always names an
//! account by handle.
//!
//! `@handle` mentions are read from the text with [`mentions_in`] (Twitter
//! rules, no regex): each distinct handle mentioned gives one `mention`
//! interaction, author → mentioned, at the post's time. The text is kept as
//! written (no HTML unescaping). A row whose post id was already read is
//! merged into the first (`duplicate post merged` in the notes) and emits
//! no interaction again.
//!
//! Bad rows (a mapped column missing, invalid UTF-8 in a mapped field, an
//! unreadable time or count, more fields than the header) are reported at
//! the line where the row starts, with the 1-based field number as column.
//!
//! ```
//! use portevoix_ingest::{load_bytes, FormatKind, ReadOptions};
//! use portevoix_core::Layer;
//!
//! let csv = "tweet_id,name,text,tweet_created,retweet_count\n\
//!            1,jnardino,\"@VirginAmerica hi, @dhepburn\",2015-02-24T11:15,0\n\
//!            2,VirginAmerica,\"@JNardino thanks\",2015-02-24T11:20,3\n";
//! let ds = load_bytes("t.csv", csv.into(), FormatKind::PostsCsv, &ReadOptions::default()).unwrap();
//! assert_eq!(ds.posts.len(), 2);
//! let mentions = ds.interactions.layer(Layer::Mention);
//! assert_eq!(mentions.len(), 3);
//! // The author `VirginAmerica` and the mention `@VirginAmerica` are one account.
//! assert_eq!(ds.num_nodes(), 3);
//! assert_eq!(ds.label(ds.posts[1].author), "@VirginAmerica");
//! ```

use crate::json::Text;
use crate::{DatasetBuilder, Diagnostics, Input, PostAdded, Result};
use portevoix_core::{Account, Error, Interaction, Layer, Location, NodeId, Post, ReactionCounts};

/// The column mapping of a posts CSV. Each column is named by its header
/// (case-insensitive) or by its 1-based position written `#N`; `None`
/// means "guess from the header" (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostsCsvOptions {
    /// The author column (a handle if [`PostsCsvOptions::author_is_handle`], else an account id).
    pub author: Option<String>,
    /// The author's platform id column, if the file has one.
    pub author_id: Option<String>,
    /// The text column.
    pub text: Option<String>,
    /// The publication time column.
    pub time: Option<String>,
    /// The post id column.
    pub id: Option<String>,
    /// The repost (retweet, boost) count column.
    pub reposts: Option<String>,
    /// The reply count column.
    pub replies: Option<String>,
    /// The like (favourite) count column.
    pub likes: Option<String>,
    /// The quote count column.
    pub quotes: Option<String>,
    /// The language column.
    pub language: Option<String>,
    /// The field delimiter; `None` guesses `,`, `;` or tab from the header.
    pub delimiter: Option<u8>,
    /// Whether the author column holds handles (default `true`) rather than
    /// account ids.
    pub author_is_handle: bool,
}

impl Default for PostsCsvOptions {
    fn default() -> Self {
        PostsCsvOptions {
            author: None,
            author_id: None,
            text: None,
            time: None,
            id: None,
            reposts: None,
            replies: None,
            likes: None,
            quotes: None,
            language: None,
            delimiter: None,
            author_is_handle: true,
        }
    }
}

const ID_NAMES: &[&str] = &[
    "tweet_id",
    "post_id",
    "status_id",
    "id_str",
    "id_tweet",
    "id",
];
const AUTHOR_NAMES: &[&str] = &[
    "screen_name",
    "username",
    "user_screen_name",
    "handle",
    "author",
    "user",
    "name",
];
const AUTHOR_ID_NAMES: &[&str] = &["author_id", "user_id", "account_id", "id_compte"];
const TEXT_NAMES: &[&str] = &["text", "full_text", "content", "tweet", "body", "message"];
const TIME_NAMES: &[&str] = &[
    "created_at",
    "tweet_created",
    "time",
    "timestamp",
    "datetime",
    "date",
];
const REPOST_NAMES: &[&str] = &[
    "retweet_count",
    "reposts",
    "retweets",
    "reblogs_count",
    "shares",
];
const REPLY_NAMES: &[&str] = &["reply_count", "replies_count", "replies"];
const LIKE_NAMES: &[&str] = &["like_count", "favorite_count", "favourites_count", "likes"];
const QUOTE_NAMES: &[&str] = &["quote_count", "quotes"];
const LANGUAGE_NAMES: &[&str] = &["lang", "language"];

/// The `@handle` mentions in a text, in order, without the `@`, following
/// Twitter's rules without a regex: a handle is 1 to 15 of `[A-Za-z0-9_]`
/// after `@` (or the full-width `＠`); the `@` is not preceded by a letter,
/// digit, `_`, `@` or one of `!#$%&*/` (so e-mail addresses and URL paths
/// are not mentions); the handle is not followed by another letter or
/// digit, by `@` (`@user@host` is a Mastodon address, not a Twitter
/// mention) or by `://`; mentions inside `http(s)://` URLs are skipped.
///
/// ```
/// use portevoix_ingest::posts_csv::mentions_in;
/// assert_eq!(mentions_in("RT @a_b: hi .@Cd, mail me@x.com"), vec!["a_b", "Cd"]);
/// assert!(mentions_in("@abcdefghijklmnop is too long").is_empty());
/// ```
pub fn mentions_in(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut prev: Option<char> = None;
    let mut i = 0;
    while i < text.len() {
        // Skip URLs whole: a path like /@user is not a mention.
        if (bytes[i] == b'h' || bytes[i] == b'H')
            && !prev.is_some_and(|p| p.is_alphanumeric())
            && (starts_with_ci(&bytes[i..], b"http://") || starts_with_ci(&bytes[i..], b"https://"))
        {
            let end = text[i..]
                .find(char::is_whitespace)
                .map_or(text.len(), |e| i + e);
            prev = text[..end].chars().next_back();
            i = end;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        let at_len = match c {
            '@' | '＠' => c.len_utf8(),
            _ => {
                prev = Some(c);
                i += c.len_utf8();
                continue;
            }
        };
        let preceded_ok = match prev {
            None => true,
            Some(p) => {
                !(p.is_alphanumeric()
                    || matches!(
                        p,
                        '_' | '@' | '＠' | '!' | '#' | '$' | '%' | '&' | '*' | '/'
                    ))
            }
        };
        let start = i + at_len;
        let len = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
        let end = start + len;
        let next = text[end..].chars().next();
        let followed_ok = match next {
            None => true,
            Some(n) => {
                !(n.is_alphanumeric() || n == '@' || n == '＠' || text[end..].starts_with("://"))
            }
        };
        if preceded_ok && followed_ok && (1..=15).contains(&len) {
            out.push(&text[start..end]);
        }
        // Continue after the run (a too-long run is not re-scanned in parts).
        prev = text[..end].chars().next_back();
        i = end.max(i + at_len);
    }
    out
}

fn starts_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay[..needle.len()].eq_ignore_ascii_case(needle)
}

/// Guesses the delimiter from the first line: the most frequent of `,`, `;`
/// and tab outside quotes (`,` on a tie or when none appears).
fn guess_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b';', b'\t'][best]
    }
}

fn header_names(head: &[u8], delimiter: u8) -> Vec<String> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(head);
    let mut rec = csv::ByteRecord::new();
    match rdr.read_byte_record(&mut rec) {
        Ok(true) => rec
            .iter()
            .map(|f| {
                String::from_utf8_lossy(f)
                    .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '"')
                    .to_ascii_lowercase()
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether the first bytes look like a posts CSV: a header with a text
/// column and an author column among the known names.
pub fn sniff(head: &[u8]) -> bool {
    let head = crate::source::strip_bom(head);
    if !head.contains(&b'\n') {
        return false;
    }
    let names = header_names(head, guess_delimiter(head));
    let has = |list: &[&str]| names.iter().any(|n| list.contains(&n.as_str()));
    names.len() >= 2 && has(TEXT_NAMES) && (has(AUTHOR_NAMES) || has(AUTHOR_ID_NAMES))
}

/// The resolved column positions.
#[derive(Debug, Default)]
struct Columns {
    id: Option<usize>,
    author: Option<usize>,
    author_id: Option<usize>,
    text: Option<usize>,
    time: Option<usize>,
    reposts: Option<usize>,
    replies: Option<usize>,
    likes: Option<usize>,
    quotes: Option<usize>,
    language: Option<usize>,
}

fn resolve_column(
    names: &[String],
    given: &Option<String>,
    guesses: &[&str],
    taken: &[usize],
    file: &str,
    what: &str,
) -> Result<Option<usize>> {
    match given {
        Some(spec) => {
            let spec_l = spec.trim().to_ascii_lowercase();
            if let Some(pos) = names.iter().position(|n| *n == spec_l) {
                return Ok(Some(pos));
            }
            if let Some(n) = spec_l
                .strip_prefix('#')
                .and_then(|n| n.parse::<usize>().ok())
            {
                if (1..=names.len()).contains(&n) {
                    return Ok(Some(n - 1));
                }
            }
            Err(Error::argument(
                "columns",
                format!(
                    "{file}: no column '{spec}' for the {what} (columns: {}; or give #N, 1-based)",
                    names.join(", ")
                ),
            ))
        }
        None => Ok(guesses.iter().find_map(|g| {
            names
                .iter()
                .position(|n| n == g)
                .filter(|p| !taken.contains(p))
        })),
    }
}

/// Reads a posts CSV.
pub fn read(
    input: &mut Input,
    options: &PostsCsvOptions,
    builder: &mut DatasetBuilder,
    diag: &mut Diagnostics,
) -> Result<()> {
    let text = Text::read(input, diag)?;
    let file = text.name().to_string();
    let bytes = text.bytes();
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(());
    }
    let delimiter = options.delimiter.unwrap_or_else(|| guess_delimiter(bytes));
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rec = csv::ByteRecord::new();
    let names = header_names(bytes, delimiter);
    // Skip the header row in the reader.
    let _ = rdr.read_byte_record(&mut rec);

    // Columns named by the user first, then guesses among the others (so
    // that a guess never takes a column the user gave another role).
    let specs: [(&Option<String>, &[&str], &str); 10] = [
        (&options.id, ID_NAMES, "post id"),
        (&options.author_id, AUTHOR_ID_NAMES, "author id"),
        (&options.text, TEXT_NAMES, "text"),
        (&options.time, TIME_NAMES, "time"),
        (&options.reposts, REPOST_NAMES, "repost count"),
        (&options.replies, REPLY_NAMES, "reply count"),
        (&options.likes, LIKE_NAMES, "like count"),
        (&options.quotes, QUOTE_NAMES, "quote count"),
        (&options.language, LANGUAGE_NAMES, "language"),
        (&options.author, AUTHOR_NAMES, "author"),
    ];
    let mut found: [Option<usize>; 10] = [None; 10];
    let mut taken = Vec::new();
    for (k, (given, guesses, what)) in specs.iter().enumerate() {
        if given.is_some() {
            found[k] = resolve_column(&names, given, guesses, &taken, &file, what)?;
            taken.extend(found[k]);
        }
    }
    for (k, (given, guesses, what)) in specs.iter().enumerate() {
        if given.is_none() {
            found[k] = resolve_column(&names, given, guesses, &taken, &file, what)?;
            taken.extend(found[k]);
        }
    }
    let [
        id,
        author_id,
        text_col,
        time,
        reposts,
        replies,
        likes,
        quotes,
        language,
        author,
    ] = found;
    let cols = Columns {
        id,
        author,
        author_id,
        text: text_col,
        time,
        reposts,
        replies,
        likes,
        quotes,
        language,
    };
    if cols.author.is_none() && cols.author_id.is_none() {
        return Err(Error::argument(
            "columns",
            format!(
                "{file}: no author column (give one; columns: {})",
                names.join(", ")
            ),
        ));
    }

    let mut row = Row {
        names: &names,
        file: &file,
        line: 0,
        number: 0,
        rec: csv::ByteRecord::new(),
    };
    loop {
        match rdr.read_byte_record(&mut row.rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // Reading from memory with `flexible` cannot fail, but a
                // future csv version might: report, never panic.
                let line = e.position().map_or(0, |p| p.line());
                diag.record();
                diag.bad(
                    Location::line(file.clone(), line),
                    "invalid CSV",
                    format!("invalid CSV: {e}"),
                )?;
                continue;
            }
        }
        if row
            .rec
            .iter()
            .all(|f| f.iter().all(|b| b.is_ascii_whitespace()))
        {
            continue;
        }
        row.line = row.rec.position().map_or(0, |p| p.line());
        row.number += 1;
        diag.record();
        if let Err(e) = read_row(&row, &cols, options, builder, diag) {
            match e {
                RowError::Bad(loc, kind, detail) => diag.bad(loc, kind, detail)?,
                RowError::Fatal(e) => return Err(e),
            }
        }
    }
    Ok(())
}

struct Row<'a> {
    names: &'a [String],
    file: &'a str,
    line: u64,
    /// 1-based number of the data row (line numbers are not unique: a bare
    /// `\r` ends a CSV record too).
    number: u64,
    rec: csv::ByteRecord,
}

enum RowError {
    Bad(Location, &'static str, String),
    Fatal(Error),
}

impl From<Error> for RowError {
    fn from(e: Error) -> Self {
        RowError::Fatal(e)
    }
}

impl Row<'_> {
    fn loc(&self, field: usize) -> Location {
        Location::line(self.file.to_string(), self.line).with_column(field as u64 + 1)
    }

    fn name(&self, field: usize) -> &str {
        self.names.get(field).map_or("?", String::as_str)
    }

    /// A mapped field, trimmed; `None` when the column is not mapped.
    fn get(&self, field: Option<usize>) -> Result<Option<&str>, RowError> {
        let Some(f) = field else { return Ok(None) };
        let Some(raw) = self.rec.get(f) else {
            return Err(RowError::Bad(
                self.loc(f),
                "missing column",
                format!(
                    "row has {} fields; column `{}` (field {}) is missing",
                    self.rec.len(),
                    self.name(f),
                    f + 1
                ),
            ));
        };
        match std::str::from_utf8(raw) {
            Ok(s) => Ok(Some(s.trim())),
            Err(e) => Err(RowError::Bad(
                self.loc(f),
                "invalid UTF-8",
                format!(
                    "field {} (`{}`) is not valid UTF-8 (after byte {})",
                    f + 1,
                    self.name(f),
                    e.valid_up_to()
                ),
            )),
        }
    }

    fn count(&self, field: Option<usize>) -> Result<Option<u64>, RowError> {
        let Some(s) = self.get(field)?.filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        if let Ok(v) = s.parse::<u64>() {
            return Ok(Some(v));
        }
        match s.parse::<f64>() {
            Ok(f) if f >= 0.0 && f.fract() == 0.0 && f < 1.8e19 => Ok(Some(f as u64)),
            _ => {
                let f = field.unwrap_or(0);
                Err(RowError::Bad(
                    self.loc(f),
                    "invalid number",
                    format!("field {} (`{}`): '{s}' is not a count", f + 1, self.name(f)),
                ))
            }
        }
    }
}

fn read_row(
    row: &Row<'_>,
    cols: &Columns,
    options: &PostsCsvOptions,
    builder: &mut DatasetBuilder,
    diag: &mut Diagnostics,
) -> Result<(), RowError> {
    if row.rec.len() > row.names.len() {
        return Err(RowError::Bad(
            row.loc(row.names.len()),
            "too many fields",
            format!(
                "row has {} fields, the header {} (a quoting error?)",
                row.rec.len(),
                row.names.len()
            ),
        ));
    }
    // Validate every field before adding anything.
    let id = row.get(cols.id)?;
    if id == Some("") {
        let f = cols.id.unwrap_or(0);
        return Err(RowError::Bad(
            row.loc(f),
            "missing value",
            format!("empty post id (field {})", f + 1),
        ));
    }
    let author = row.get(cols.author)?;
    let author_id = row.get(cols.author_id)?;
    let text = row.get(cols.text)?.unwrap_or("");
    let time = match row.get(cols.time)? {
        None | Some("") => None,
        Some(s) => match crate::json::parse_time(s) {
            Some(t) => Some(t),
            None => {
                let f = cols.time.unwrap_or(0);
                return Err(RowError::Bad(
                    row.loc(f),
                    "invalid time",
                    format!(
                        "field {} (`{}`): cannot read '{s}' as a time",
                        f + 1,
                        row.name(f)
                    ),
                ));
            }
        },
    };
    let reactions = ReactionCounts {
        reposts: row.count(cols.reposts)?,
        replies: row.count(cols.replies)?,
        likes: row.count(cols.likes)?,
        quotes: row.count(cols.quotes)?,
        impressions: None,
        ..ReactionCounts::default()
    };
    let language = row
        .get(cols.language)?
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let handle = author
        .map(|a| a.trim_start_matches('@'))
        .filter(|a| !a.is_empty());

    if let Some(id) = author_id.filter(|id| id.starts_with('@')) {
        let f = cols.author_id.unwrap_or(0);
        return Err(RowError::Bad(
            row.loc(f),
            "invalid value",
            format!(
                "field {} (`{}`): \"{id}\" is a handle, not an account id",
                f + 1,
                row.name(f)
            ),
        ));
    }
    let author_node = match (author_id.filter(|s| !s.is_empty()), handle) {
        (Some(id), handle) => {
            let account = Account {
                handle: handle
                    .filter(|_| options.author_is_handle)
                    .map(str::to_string),
                ..Account::new(NodeId(0), id)
            };
            let (node, conflicts) = builder.upsert_account(account)?;
            if !conflicts.is_empty() {
                diag.note("account profile conflict (first value kept)", 1);
            }
            node
        }
        // An `@name` is a handle whatever the option says.
        (None, Some(h))
            if options.author_is_handle || author.is_some_and(|a| a.starts_with('@')) =>
        {
            builder.resolve_handle(h)?
        }
        (None, Some(_)) => builder.node(author.unwrap_or_default())?,
        (None, None) => {
            let f = cols.author_id.or(cols.author).unwrap_or(0);
            return Err(RowError::Bad(
                row.loc(f),
                "missing value",
                format!("empty author (field {}, `{}`)", f + 1, row.name(f)),
            ));
        }
    };
    let mut mentions: Vec<NodeId> = Vec::new();
    let mut unresolved = 0;
    for h in mentions_in(text) {
        if builder.lookup_handle(h).is_none() {
            unresolved += 1;
        }
        let n = builder.resolve_handle(h)?;
        if !mentions.contains(&n) {
            mentions.push(n);
        }
    }
    diag.note("unresolved mention (stand-in @handle)", unresolved);
    let post = Post {
        id: match id {
            Some(id) => id.to_string(),
            None => format!("{}#{}", row.file, row.number),
        },
        author: author_node,
        time,
        text: text.to_string(),
        language,
        mentions: mentions.clone(),
        reactions,
        ..Post::default()
    };
    match builder.add_post(post) {
        PostAdded::New(index) => {
            for target in mentions {
                builder.push(Interaction {
                    time,
                    post: Some(index),
                    ..Interaction::new(author_node, target, Layer::Mention)
                });
            }
        }
        PostAdded::Duplicate(_) => diag.note("duplicate post merged", 1),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twitter_mention_rules() {
        assert_eq!(mentions_in("@a @b_c,@D9"), vec!["a", "b_c", "D9"]);
        assert_eq!(mentions_in("me@example.com x@y"), Vec::<&str>::new());
        assert_eq!(mentions_in("@@a #@b !@c a_@d"), Vec::<&str>::new());
        assert_eq!(
            mentions_in("(@a) «@b» \"@c\" .@d"),
            vec!["a", "b", "c", "d"]
        );
        assert_eq!(
            mentions_in("@exactly15chars_ @sixteen_chars_xx"),
            vec!["exactly15chars_"]
        );
        assert_eq!(mentions_in("@user@mastodon.social"), Vec::<&str>::new());
        assert_eq!(
            mentions_in("see https://medium.com/@writer and @real"),
            vec!["real"]
        );
        assert_eq!(mentions_in("@josé"), Vec::<&str>::new());
        assert_eq!(mentions_in("＠fullwidth"), vec!["fullwidth"]);
        assert_eq!(mentions_in("@"), Vec::<&str>::new());
        assert_eq!(mentions_in("é@x"), Vec::<&str>::new());
    }

    #[test]
    fn delimiter_and_sniff() {
        assert_eq!(
            guess_delimiter(b"pseudo;id;description;nb_followers\n"),
            b';'
        );
        assert_eq!(guess_delimiter(b"a\tb\n"), b'\t');
        assert_eq!(guess_delimiter(b"\"a;b\",c\n"), b',');
        assert!(sniff(b"tweet_id,airline_sentiment,name,text\n1,x,y,z\n"));
        assert!(!sniff(b"actor,target,layer\n1,2,follow\n"));
        assert!(!sniff(b"1 2\n"));
    }
}
