//! Configuration errors at the exact place of a TOML document: the key at
//! fault (dotted, as written in TOML) and its file, line and column, found
//! from the spans of the TOML parser ([`toml::de::DeTable`]) rather than by
//! searching the text, so that a value which happens to contain a key's
//! name (`name = "Fans from Lyon"`) never takes the blame for `from`.
//!
//! Topic files and campaign files (which embed a topic) both report their
//! errors through these functions as [`Error::Config`].
//!
//! # Example
//!
//! ```
//! use portevoix_core::Error;
//! use portevoix_text::toml_spans::{config_error, Key};
//!
//! let text = "name = \"Fans from Lyon\"\nfrom = \"yesterday\"\n";
//! let e = config_error(text, "c.toml", &[Key::Name("from")], "not a time");
//! assert_eq!(e.to_string(), "c.toml:2:1: not a time");
//! let Error::Config { key, .. } = e else { unreachable!() };
//! assert_eq!(key.as_deref(), Some("from"));
//! ```

use portevoix_core::{Error, Location};
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// One step of a path into a TOML document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key<'a> {
    /// A key of a table.
    Name(&'a str),
    /// An element of an array.
    Index(usize),
}

/// The dotted TOML spelling of a path: bare keys as they are, other keys
/// quoted (`signal_weights."reach.audience"`), array elements as `[i]`.
pub fn dotted(path: &[Key<'_>]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Key::Name(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                let bare = !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if bare {
                    out.push_str(name);
                } else {
                    out.push_str(&format!("{name:?}"));
                }
            }
            Key::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// 1-based line and column (in characters) of a byte offset of `text`.
pub fn line_column(text: &str, offset: usize) -> (u64, u64) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() as u64 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
    (line, column)
}

/// The span of the key (for a table entry) or of the element (for an array
/// element) that `path` names, if the document parses and has it.
pub fn span_of(text: &str, path: &[Key<'_>]) -> Option<Range<usize>> {
    let root = DeTable::parse(text).ok()?;
    let mut table: &DeTable<'_> = root.get_ref();
    let mut value: Option<&DeValue<'_>> = None;
    let mut span = None;
    for step in path {
        match (step, value) {
            (Key::Name(name), None) => {
                let (k, v) = table.get_key_value(*name)?;
                span = Some(k.span());
                value = Some(v.get_ref());
            }
            (Key::Name(name), Some(DeValue::Table(t))) => {
                table = t;
                let (k, v) = table.get_key_value(*name)?;
                span = Some(k.span());
                value = Some(v.get_ref());
            }
            (Key::Index(i), Some(DeValue::Array(a))) => {
                let v = a.get(*i)?;
                span = Some(v.span());
                value = Some(v.get_ref());
            }
            _ => return None,
        }
    }
    span
}

/// The location of what `path` names in `text`, read from `source`; the
/// start of the document when the path is not found (a key the caller
/// filled in by default).
pub fn locate(text: &str, source: &str, path: &[Key<'_>]) -> Location {
    let offset = span_of(text, path).map_or(0, |s| s.start);
    let (line, column) = line_column(text, offset);
    Location::line(source, line).with_column(column)
}

/// An [`Error::Config`] for the key `path` of `text`, at its exact place.
pub fn config_error(
    text: &str,
    source: &str,
    path: &[Key<'_>],
    reason: impl Into<String>,
) -> Error {
    Error::config(
        Some(&dotted(path))
            .filter(|k| !k.is_empty())
            .map(String::as_str),
        Some(locate(text, source, path)),
        reason,
    )
}

/// The dotted key of the innermost entry of `text` whose key or value
/// contains byte `offset`, if the document parses. (A table's own span is
/// its header only, so every table is searched.)
pub fn key_at(text: &str, offset: usize) -> Option<String> {
    fn search(table: &DeTable<'_>, offset: usize, path: &mut Vec<String>) -> bool {
        let inside = |s: Range<usize>| s.start <= offset && offset < s.end.max(s.start + 1);
        for (k, v) in table.iter() {
            path.push(k.get_ref().to_string());
            if let DeValue::Table(t) = v.get_ref()
                && search(t, offset, path)
            {
                return true;
            }
            if inside(k.span()) || inside(v.span()) {
                return true;
            }
            path.pop();
        }
        false
    }
    let root = DeTable::parse(text).ok()?;
    let mut path = Vec::new();
    if !search(root.get_ref(), offset, &mut path) {
        return None;
    }
    let keys: Vec<Key<'_>> = path.iter().map(|k| Key::Name(k)).collect();
    Some(dotted(&keys))
}

/// A TOML syntax or type error (unknown key, wrong type, ...) as an
/// [`Error::Config`] with the parser's own span and, when the document
/// parses, the key the span falls in.
pub fn syntax_error(e: &toml::de::Error, text: &str, source: &str) -> Error {
    let offset = e.span().map_or(0, |s| s.start);
    let (line, column) = line_column(text, offset);
    let key = e.span().and_then(|s| key_at(text, s.start));
    Error::config(
        key.as_deref(),
        Some(Location::line(source, line).with_column(column)),
        e.message(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "name = \"Fans from Lyon\"\nfrom = 3\n\n[candidates]\nmin_followers = 10\n\
                       [signal_weights]\n\"reach.audience\" = 2\n[topic.keywords]\nflight = -1\n\
                       languages = [\"en\", \"xx\"]\n";

    #[test]
    fn spans_name_the_right_line_even_when_a_value_contains_the_key() {
        assert_eq!(locate(DOC, "c", &[Key::Name("from")]).line, 2);
        assert_eq!(
            locate(
                DOC,
                "c",
                &[Key::Name("candidates"), Key::Name("min_followers")]
            )
            .to_string(),
            "c:5:1"
        );
        assert_eq!(
            locate(
                DOC,
                "c",
                &[Key::Name("signal_weights"), Key::Name("reach.audience")]
            )
            .line,
            7
        );
        assert_eq!(
            locate(
                DOC,
                "c",
                &[
                    Key::Name("topic"),
                    Key::Name("keywords"),
                    Key::Name("flight")
                ]
            )
            .line,
            9
        );
        let xx = locate(
            DOC,
            "c",
            &[
                Key::Name("topic"),
                Key::Name("keywords"),
                Key::Name("languages"),
                Key::Index(1),
            ],
        );
        assert_eq!((xx.line, xx.column), (10, Some(20)));
        assert_eq!(locate(DOC, "c", &[Key::Name("absent")]).line, 1);
    }

    #[test]
    fn dotted_keys_quote_what_is_not_bare() {
        assert_eq!(
            dotted(&[Key::Name("signal_weights"), Key::Name("reach.audience")]),
            "signal_weights.\"reach.audience\""
        );
        assert_eq!(
            dotted(&[Key::Name("languages"), Key::Index(2)]),
            "languages[2]"
        );
    }

    #[test]
    fn syntax_errors_carry_the_key_they_fall_in() {
        let text = "[brand]\nhandles = [\"@a\"]\nsurprise = 1\n";
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Brand {
            handles: Vec<String>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct File {
            brand: Brand,
        }
        let e = toml::from_str::<File>(text).unwrap_err();
        let e = syntax_error(&e, text, "e.toml");
        assert!(e.to_string().starts_with("e.toml:3:1"), "{e}");
        let Error::Config { key, .. } = e else {
            panic!()
        };
        assert_eq!(key.as_deref(), Some("brand.surprise"));
    }

    #[test]
    fn line_column_counts_characters() {
        assert_eq!(line_column("ab\ncdé\nf", 0), (1, 1));
        assert_eq!(line_column("ab\ncdé\nf", 3), (2, 1));
        assert_eq!(line_column("ab\ncdé\nf", 8), (3, 1));
        assert_eq!(line_column("ab\ncdé\nf", 9), (3, 2));
        assert_eq!(line_column("ab", 99), (1, 3));
    }
}
