//! Pseudonymisation at ingest: every external id, handle and post id of a
//! [`Dataset`] replaced by a keyed hash, and the texts stripped of what
//! names people (`@handles`, e-mail addresses, URL paths), before anything
//! downstream sees the data.
//!
//! A pseudonym is the HMAC-SHA-256 (RFC 2104, FIPS 180-4) of the original
//! under the user's secret key, with a one-letter kind prefix and the first
//! 20 hexadecimal digits (80 bits) of the MAC: `i…` for an account id, `u…`
//! for a handle (taken without `@` and lower-cased, as platforms compare
//! handles), `p…` for a post id, `e…` for an e-mail address, `l…` for a
//! URL's path. The same key gives the same pseudonyms in every run, so
//! rankings and reports can be compared across runs and files; without the
//! key the originals cannot be recovered or confirmed by hashing guesses.
//! Two originals that would share a pseudonym (probability about `n²/2⁸¹`)
//! stop the load with an error rather than merge two accounts.
//!
//! What changes in the [`Dataset`] ([`pseudonymize_dataset`]):
//!
//! * the interner's names (an unresolved `@handle` stand-in becomes
//!   `@u…`), every [`Account::external_id`] and `handle`; display names are
//!   dropped (a name identifies as well as a handle);
//! * post ids, the ids of the posts they reply to, re-share or quote,
//!   conversation ids, cascade post ids;
//! * in post texts and bios: `@handle` mentions (any length, Mastodon's
//!   `@user@host` whole) become `@u…` (so a brand handle hashed the same way
//!   still matches), e-mail addresses `e…`, and every URL keeps its scheme
//!   and host but not its path (`https://twitter.com/l…`); the same for
//!   [`Post::urls`];
//! * the load report's example problems lose their details (they quote the
//!   input).
//!
//! Campaign lists (brand handles, employees, customers, seeds) and any name
//! a user types must go through [`Pseudonymizer::reference`] to match.
//! What pseudonymisation cannot hide (the graph's structure, free text,
//! timestamps) is in `docs/privacy.md`.

use crate::dataset::Dataset;
use hmac::{Hmac, Mac};
use portevoix_core::{Error, ExternalId, Interner, Result};
use sha2::Sha256;
use std::collections::BTreeMap;
use std::path::Path;

/// The environment variable the command-line tool reads the key from.
pub const KEY_ENV: &str = "PORTEVOIX_PSEUDONYM_KEY";
/// The shortest key accepted, in bytes.
pub const MIN_KEY_BYTES: usize = 16;
/// Hexadecimal digits of the MAC kept in a pseudonym (80 bits).
pub const PSEUDONYM_HEX: usize = 20;

/// What a pseudonym stands for (its one-letter prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// An account's external id (`i`).
    Id,
    /// A handle, without `@`, lower-cased (`u`).
    Handle,
    /// A post id (`p`).
    Post,
    /// An e-mail address (`e`).
    Email,
    /// A URL's path, query and fragment (`l`).
    Url,
}

impl Kind {
    fn prefix(self) -> char {
        match self {
            Kind::Id => 'i',
            Kind::Handle => 'u',
            Kind::Post => 'p',
            Kind::Email => 'e',
            Kind::Url => 'l',
        }
    }

    /// The name written in a pseudonym map (`id`, `handle`, `post`,
    /// `email`, `url`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Id => "id",
            Kind::Handle => "handle",
            Kind::Post => "post",
            Kind::Email => "email",
            Kind::Url => "url",
        }
    }
}

/// Keyed hashing of ids, handles and texts.
///
/// ```
/// use portevoix_ingest::privacy::Pseudonymizer;
///
/// let p = Pseudonymizer::new(b"0123456789abcdef-a-secret-key")?;
/// let united = p.handle("@United");
/// assert_eq!(united, p.handle("united")); // handles compare without case
/// assert_eq!(united.len(), 21);
/// assert_eq!(p.reference("@united"), format!("@{united}"));
/// assert_eq!(p.reference("12345"), p.id("12345"));
/// assert_ne!(p.id("united"), united); // ids and handles never collide
/// let other = Pseudonymizer::new(b"another key, as long as needed")?;
/// assert_ne!(other.handle("united"), united);
/// # Ok::<(), portevoix_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Pseudonymizer {
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for Pseudonymizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pseudonymizer { key: <withheld> }")
    }
}

impl Pseudonymizer {
    /// A pseudonymizer with this secret key.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a key shorter than [`MIN_KEY_BYTES`].
    pub fn new(key: &[u8]) -> Result<Pseudonymizer> {
        if key.len() < MIN_KEY_BYTES {
            return Err(Error::argument(
                "privacy",
                format!(
                    "the pseudonymisation key has {} bytes; it needs at least {MIN_KEY_BYTES} (32 random bytes are best, e.g. `head -c 32 /dev/urandom | base64`)",
                    key.len()
                ),
            ));
        }
        let mac = Hmac::<Sha256>::new_from_slice(key)
            .map_err(|e| Error::argument("privacy", format!("pseudonymisation key: {e}")))?;
        Ok(Pseudonymizer { mac })
    }

    /// Reads the key from a file: its bytes, less one trailing line end.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read; as [`Pseudonymizer::new`].
    pub fn from_key_file(path: &Path) -> Result<Pseudonymizer> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let key = bytes
            .strip_suffix(b"\r\n")
            .or_else(|| bytes.strip_suffix(b"\n"))
            .unwrap_or(&bytes);
        Pseudonymizer::new(key)
    }

    /// Reads the key from the environment variable `var` (UTF-8), if set.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a value that is not UTF-8; as
    /// [`Pseudonymizer::new`].
    pub fn from_env(var: &str) -> Result<Option<Pseudonymizer>> {
        match std::env::var_os(var) {
            None => Ok(None),
            Some(v) => {
                let v = v
                    .into_string()
                    .map_err(|_| Error::argument("privacy", format!("{var} is not valid UTF-8")))?;
                Pseudonymizer::new(v.as_bytes()).map(Some)
            }
        }
    }

    /// The pseudonym of `value` of kind `kind`: prefix and 20 hex digits.
    pub fn pseudonym(&self, kind: Kind, value: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(&[kind.prefix() as u8, 0]);
        mac.update(value.as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut out = String::with_capacity(1 + PSEUDONYM_HEX);
        out.push(kind.prefix());
        for b in digest.iter().take(PSEUDONYM_HEX / 2) {
            out.push_str(&format!("{b:02x}"));
        }
        out
    }

    /// The pseudonym of an account's external id.
    pub fn id(&self, external: &str) -> String {
        self.pseudonym(Kind::Id, external)
    }

    /// The pseudonym of a handle (a leading `@` is ignored, case is not
    /// significant); without `@`.
    pub fn handle(&self, handle: &str) -> String {
        let h = handle.strip_prefix('@').unwrap_or(handle);
        self.pseudonym(Kind::Handle, &h.to_lowercase())
    }

    /// The pseudonym of a post id.
    pub fn post(&self, post: &str) -> String {
        self.pseudonym(Kind::Post, post)
    }

    /// A name as users write it in campaign lists and arguments: `@handle`
    /// becomes `@` + [`Pseudonymizer::handle`], anything else is an account
    /// id ([`Pseudonymizer::id`]). Write handles with their `@` in a
    /// pseudonymised run: a bare handle is taken for an id.
    pub fn reference(&self, name: &str) -> String {
        let name = name.trim();
        match name.strip_prefix('@').or_else(|| name.strip_prefix('＠')) {
            Some(h) => format!("@{}", self.handle(h)),
            None => self.id(name),
        }
    }

    /// [`Pseudonymizer::reference`] of every name.
    pub fn references(&self, names: &[String]) -> Vec<String> {
        names.iter().map(|n| self.reference(n)).collect()
    }

    /// A URL with its path, query and fragment replaced by a pseudonym
    /// (`https://host/l…`); the scheme and host stay.
    pub fn url(&self, url: &str) -> String {
        let Some(scheme_end) = url.find("://") else {
            return self.pseudonym(Kind::Url, url);
        };
        let rest = &url[scheme_end + 3..];
        let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let tail = &rest[host_end..];
        let base = &url[..scheme_end + 3 + host_end];
        if tail.is_empty() || tail == "/" {
            base.to_string()
        } else {
            format!("{base}/{}", self.pseudonym(Kind::Url, url))
        }
    }

    /// `text` with its `@handle` mentions, e-mail addresses and URL paths
    /// replaced by pseudonyms (see the [module docs](self)); everything else
    /// unchanged.
    ///
    /// ```
    /// use portevoix_ingest::privacy::Pseudonymizer;
    /// let p = Pseudonymizer::new(b"0123456789abcdef")?;
    /// let t = p.text("RT @United: mail bob.smith@example.com or see https://x.com/united/status/1 #fly");
    /// assert!(t.starts_with(&format!("RT @{}: mail e", p.handle("united"))));
    /// assert!(t.contains(" or see https://x.com/l") && t.ends_with(" #fly"));
    /// assert!(!t.to_lowercase().contains("united") && !t.contains("bob"));
    /// # Ok::<(), portevoix_core::Error>(())
    /// ```
    pub fn text(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        let mut rest = text;
        while !rest.is_empty() {
            // Whitespace-separated tokens, separators copied as they are.
            let start = rest
                .find(|c: char| !c.is_whitespace())
                .unwrap_or(rest.len());
            out.push_str(&rest[..start]);
            rest = &rest[start..];
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            self.token(&rest[..end], &mut out);
            rest = &rest[end..];
        }
        out
    }

    /// One whitespace-free token.
    fn token(&self, token: &str, out: &mut String) {
        let lower = token.to_ascii_lowercase();
        if let Some(at) = lower.find("http://").or_else(|| lower.find("https://")) {
            self.mentions(&token[..at], out);
            let url = &token[at..];
            // Closing punctuation stays outside the URL.
            let keep = url.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'']);
            out.push_str(&self.url(keep));
            out.push_str(&url[keep.len()..]);
            return;
        }
        self.mentions(token, out);
    }

    /// Mentions and e-mail addresses inside a token without URL.
    fn mentions(&self, token: &str, out: &mut String) {
        let chars: Vec<(usize, char)> = token.char_indices().collect();
        let is_local = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
        let is_handle = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let is_host = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-');
        let mut i = 0;
        let mut copied = 0;
        while i < chars.len() {
            let (pos, c) = chars[i];
            if c != '@' && c != '＠' {
                i += 1;
                continue;
            }
            let after = pos + c.len_utf8();
            // E-mail: a local part before the @ and a dotted host after it.
            let local_start = token[..pos]
                .char_indices()
                .rev()
                .take_while(|(_, x)| is_local(*x))
                .last()
                .map_or(pos, |(p, _)| p)
                .max(copied);
            let host_len: usize = token[after..]
                .chars()
                .take_while(|x| is_host(*x))
                .map(char::len_utf8)
                .sum();
            let host = token[after..after + host_len].trim_end_matches(['.', '-']);
            if local_start < pos && host.contains('.') {
                out.push_str(&token[copied..local_start]);
                let email = &token[local_start..after + host.len()];
                out.push_str(&self.pseudonym(Kind::Email, &email.to_lowercase()));
                copied = after + host.len();
                i = chars.partition_point(|(p, _)| *p < copied);
                continue;
            }
            // Mention: not glued to a word before it.
            let glued = token[..pos]
                .chars()
                .next_back()
                .is_some_and(|x| x.is_alphanumeric() || x == '_');
            let run: usize = token[after..].chars().take_while(|x| is_handle(*x)).count();
            if glued || run == 0 {
                i += 1;
                continue;
            }
            let mut end = after + run;
            // Mastodon: @user@host.tld is one address.
            if token[end..].starts_with('@') {
                let h: usize = token[end + 1..]
                    .chars()
                    .take_while(|x| is_host(*x))
                    .map(char::len_utf8)
                    .sum();
                let host = token[end + 1..end + 1 + h].trim_end_matches(['.', '-']);
                if host.contains('.') {
                    end += 1 + host.len();
                }
            }
            out.push_str(&token[copied..pos]);
            out.push('@');
            out.push_str(&self.handle(&token[after..end]));
            copied = end;
            i = chars.partition_point(|(p, _)| *p < copied);
        }
        out.push_str(&token[copied..]);
    }
}

/// Pseudonym → (kind, original): the way back, kept only when asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PseudonymMap {
    /// By pseudonym.
    pub entries: BTreeMap<String, (Kind, String)>,
}

impl PseudonymMap {
    fn add(&mut self, pseudonym: &str, kind: Kind, original: &str) {
        self.entries
            .entry(pseudonym.to_string())
            .or_insert_with(|| (kind, original.to_string()));
    }
}

/// What [`pseudonymize_dataset`] changed, for the load report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PseudonymizeReport {
    /// Account ids replaced.
    pub ids: usize,
    /// Handles replaced.
    pub handles: usize,
    /// Post ids replaced.
    pub posts: usize,
    /// Display names dropped.
    pub display_names: usize,
    /// Texts and bios rewritten.
    pub texts: usize,
}

/// Replaces, in place, every external id, handle and post id of `dataset`
/// by its pseudonym and rewrites texts and bios (see the [module docs](self));
/// dense ids, interactions and their order do not change. When `map` is
/// given, every pseudonym is recorded with its original.
///
/// # Errors
///
/// [`Error::InvalidArgument`] if two originals share a pseudonym (never
/// expected at 80 bits; two accounts are not merged silently).
pub fn pseudonymize_dataset(
    dataset: &mut Dataset,
    p: &Pseudonymizer,
    mut map: Option<&mut PseudonymMap>,
) -> Result<PseudonymizeReport> {
    let mut report = PseudonymizeReport::default();
    let mut record = |pseudonym: &str, kind: Kind, original: &str| {
        if let Some(m) = map.as_deref_mut() {
            m.add(pseudonym, kind, original);
        }
    };
    // Account ids, in dense order so that every account keeps its id.
    let mut interner = Interner::new();
    let mut names: Vec<String> = Vec::with_capacity(dataset.interner.len());
    for (node, name) in dataset.interner.iter() {
        let original = match name {
            ExternalId::Numeric(v) => v.to_string(),
            ExternalId::Text(t) => t.to_string(),
        };
        let (pseudonym, kind) = match original.strip_prefix('@') {
            Some(h) => (format!("@{}", p.handle(h)), Kind::Handle),
            None => (p.id(&original), Kind::Id),
        };
        let got = interner.intern(&pseudonym)?;
        if got != node {
            return Err(Error::argument(
                "privacy",
                format!(
                    "pseudonym collision between two account ids ({pseudonym}); use another key"
                ),
            ));
        }
        match kind {
            Kind::Handle => record(&pseudonym[1..], kind, &original[1..].to_lowercase()),
            _ => record(&pseudonym, kind, &original),
        }
        names.push(pseudonym);
        report.ids += 1;
    }
    dataset.interner = interner;
    for a in &mut dataset.accounts {
        a.external_id = names[a.id.index()].clone();
        if let Some(h) = &a.handle {
            let ph = p.handle(h);
            record(&ph, Kind::Handle, &h.trim_start_matches('@').to_lowercase());
            a.handle = Some(ph);
            report.handles += 1;
        }
        if a.display_name.take().is_some() {
            report.display_names += 1;
        }
        if let Some(bio) = &a.bio {
            a.bio = Some(p.text(bio));
            report.texts += 1;
        }
    }
    let mut post = |id: &mut String| {
        let ps = p.post(id);
        record(&ps, Kind::Post, id);
        *id = ps;
    };
    for q in &mut dataset.posts {
        post(&mut q.id);
        report.posts += 1;
        for r in [&mut q.reply_to, &mut q.repost_of, &mut q.quote_of]
            .into_iter()
            .flatten()
        {
            post(&mut r.post);
        }
        if let Some(c) = &mut q.conversation {
            post(c);
        }
        q.text = p.text(&q.text);
        q.urls = q.urls.iter().map(|u| p.url(u)).collect();
        report.texts += 1;
    }
    for c in &mut dataset.cascades {
        post(&mut c.source_post);
        for e in &mut c.edges {
            if let Some(pp) = &mut e.parent_post {
                post(pp);
            }
            post(&mut e.child_post);
        }
    }
    if dataset.posts_reindex().is_err() {
        return Err(Error::argument(
            "privacy",
            "pseudonym collision between two post ids; use another key",
        ));
    }
    for f in &mut dataset.report.files {
        for e in &mut f.examples {
            e.detail = "(withheld: --pseudonymize)".into();
        }
    }
    Ok(report)
}

/// Drops every post text and bio (texts are no longer needed once
/// analysed, or never were for graph commands), and the input lines the
/// load report quotes; returns how many texts and bios were dropped.
pub fn drop_texts(dataset: &mut Dataset) -> usize {
    for f in &mut dataset.report.files {
        for e in &mut f.examples {
            e.detail = "(withheld: --redact-text)".into();
        }
    }
    let mut dropped = 0;
    for q in &mut dataset.posts {
        if !q.text.is_empty() {
            q.text = String::new();
            dropped += 1;
        }
    }
    for a in &mut dataset.accounts {
        if a.bio.take().is_some() {
            dropped += 1;
        }
    }
    dropped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> Pseudonymizer {
        Pseudonymizer::new(b"test key, sixteen bytes or more").unwrap()
    }

    #[test]
    fn rejects_short_keys_and_hides_the_key() {
        assert!(Pseudonymizer::new(b"short").is_err());
        assert_eq!(format!("{:?}", p()), "Pseudonymizer { key: <withheld> }");
    }

    #[test]
    fn rewrites_what_names_people() {
        let p = p();
        let h = |s: &str| p.handle(s);
        assert_eq!(p.text("@a_b hi"), format!("@{} hi", h("a_b")));
        assert_eq!(p.text(".@Cd,"), format!(".@{},", h("cd")));
        assert_eq!(p.text("(@x)"), format!("(@{})", h("x")));
        // Mastodon address whole; an e-mail is not a mention.
        assert_eq!(
            p.text("@bob@mastodon.social"),
            format!("@{}", h("bob@mastodon.social"))
        );
        let mail = p.text("write to Me.Name+tag@Example.org.");
        assert_eq!(
            mail,
            format!(
                "write to {}.",
                p.pseudonym(Kind::Email, "me.name+tag@example.org")
            )
        );
        // URLs keep scheme and host.
        assert_eq!(p.text("see https://example.com"), "see https://example.com");
        let u = p.text("(https://twitter.com/united/status/1).");
        assert!(
            u.starts_with("(https://twitter.com/l") && u.ends_with(")."),
            "{u}"
        );
        // Plain words, hashtags, a lone @ and unicode stay.
        assert_eq!(p.text("  #fly  @ café à 5€\n"), "  #fly  @ café à 5€\n");
        assert_eq!(p.text("x@y"), "x@y");
    }

    #[test]
    fn pseudonyms_are_stable_and_keyed() {
        let (a, b) = (p(), p());
        assert_eq!(a.id("12345"), b.id("12345"));
        assert!(a.id("12345").starts_with('i') && a.post("1").starts_with('p'));
        let other = Pseudonymizer::new(b"another key of enough length").unwrap();
        assert_ne!(a.id("12345"), other.id("12345"));
        assert_eq!(a.reference(" @United "), format!("@{}", a.handle("united")));
        assert_eq!(
            a.references(&["@x".into(), "7".into()]),
            vec![format!("@{}", a.handle("x")), a.id("7")]
        );
    }
}
