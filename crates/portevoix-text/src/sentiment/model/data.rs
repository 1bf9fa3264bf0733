//! Labelled texts for training and evaluation, parsed from the published
//! formats: SemEval-2017 Task 4A TSV, TweetEval (a text file and a label
//! file), and CSV with named text and label columns.
//!
//! This crate does no IO: callers read the files and pass their bytes with a
//! source name, which every error message starts with (`file:line: reason`).

use portevoix_core::{Error, Location};
use serde::{Deserialize, Serialize};

/// A sentiment class. The order (0 negative, 1 neutral, 2 positive) is the
/// TweetEval convention and the index of every probability vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// Negative.
    Negative = 0,
    /// Neutral (or mixed, or none).
    Neutral = 1,
    /// Positive.
    Positive = 2,
}

impl Class {
    /// The three classes, in index order.
    pub const ALL: [Class; 3] = [Class::Negative, Class::Neutral, Class::Positive];

    /// The class of an index (0, 1, 2).
    pub fn from_index(i: usize) -> Option<Class> {
        Class::ALL.get(i).copied()
    }

    /// The index (0, 1, 2).
    pub fn index(self) -> usize {
        self as usize
    }

    /// `negative`, `neutral` or `positive`.
    pub fn name(self) -> &'static str {
        match self {
            Class::Negative => "negative",
            Class::Neutral => "neutral",
            Class::Positive => "positive",
        }
    }

    /// A label as published: `negative`/`neutral`/`positive` (any case, also
    /// `neg`, `neu`, `pos`, `négatif`, `neutre`, `positif`), or `0`/`1`/`2`, or
    /// `-1`/`+1` for negative/positive.
    pub fn parse(label: &str) -> Option<Class> {
        match label.trim().to_lowercase().as_str() {
            "negative" | "neg" | "0" | "-1" | "négatif" | "negatif" | "négative" => {
                Some(Class::Negative)
            }
            "neutral" | "neu" | "1" | "neutre" | "objective" | "objective-or-neutral" => {
                Some(Class::Neutral)
            }
            "positive" | "pos" | "2" | "+1" | "positif" | "positive " => Some(Class::Positive),
            _ => None,
        }
    }
}

/// One labelled text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledText {
    /// The text, escapes decoded.
    pub text: String,
    /// Its class.
    pub class: Class,
    /// Where it was read (file and line).
    pub location: Location,
}

/// A published format of labelled texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelledFormat {
    /// SemEval-2017 Task 4A: `id<TAB>label<TAB>text[<TAB>]`, texts with
    /// literal `\uXXXX` escapes (decoded, surrogate pairs joined).
    SemEval,
    /// TweetEval: one text per line, labels (0, 1, 2) one per line in a
    /// sibling file (`*_text.txt` and `*_labels.txt`).
    TweetEval,
    /// CSV with a header, RFC 4180 quoting; the text and label columns by name.
    Csv {
        /// The text column.
        text: String,
        /// The label column.
        label: String,
    },
}

fn input_error(source: &str, line: u64, reason: impl Into<String>) -> Error {
    Error::Input {
        location: Location::line(source, line),
        reason: reason.into(),
    }
}

/// Parses a SemEval-2017 Task 4A file (see [`LabelledFormat::SemEval`]).
///
/// # Errors
/// [`Error::Input`] with `source:line` for a line with fewer than three
/// fields or an unknown label. Empty lines are skipped.
pub fn parse_semeval(bytes: &[u8], source: &str) -> Result<Vec<LabelledText>, Error> {
    let text = std::str::from_utf8(strip_bom(bytes)).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        input_error(source, line, format!("invalid UTF-8: {e}"))
    })?;
    let mut out = Vec::new();
    for (k, line) in text.split('\n').enumerate() {
        let line_no = k as u64 + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let mut fields = line.splitn(3, '\t');
        let (_id, label, body) = match (fields.next(), fields.next(), fields.next()) {
            (Some(id), Some(label), Some(body)) => (id, label, body),
            _ => {
                return Err(input_error(
                    source,
                    line_no,
                    "expected `id<TAB>label<TAB>text`",
                ));
            }
        };
        let class = Class::parse(label).ok_or_else(|| {
            input_error(
                source,
                line_no,
                format!("unknown label {label:?} (want negative, neutral or positive)"),
            )
        })?;
        // 2016test has a trailing empty field.
        let body = body.strip_suffix('\t').unwrap_or(body);
        out.push(LabelledText {
            text: decode_escapes(body),
            class,
            location: Location::line(source, line_no),
        });
    }
    Ok(out)
}

/// Parses a TweetEval pair: `texts` (one per line) and `labels` (one per line).
///
/// # Errors
/// [`Error::Input`] when the counts differ or a label is not 0, 1 or 2.
pub fn parse_tweeteval(
    texts: &[u8],
    text_source: &str,
    labels: &[u8],
    label_source: &str,
) -> Result<Vec<LabelledText>, Error> {
    let texts = String::from_utf8_lossy(strip_bom(texts));
    let labels = std::str::from_utf8(strip_bom(labels))
        .map_err(|e| input_error(label_source, 1, format!("invalid UTF-8: {e}")))?;
    let text_lines: Vec<&str> = lines_of(&texts);
    let label_lines: Vec<&str> = lines_of(labels);
    if text_lines.len() != label_lines.len() {
        return Err(input_error(
            label_source,
            label_lines.len() as u64,
            format!(
                "{} labels for {} texts in {text_source}",
                label_lines.len(),
                text_lines.len()
            ),
        ));
    }
    let mut out = Vec::with_capacity(text_lines.len());
    for (k, (t, l)) in text_lines.iter().zip(&label_lines).enumerate() {
        let class = match l.trim() {
            "0" => Class::Negative,
            "1" => Class::Neutral,
            "2" => Class::Positive,
            other => {
                return Err(input_error(
                    label_source,
                    k as u64 + 1,
                    format!("label {other:?} is not 0, 1 or 2"),
                ));
            }
        };
        out.push(LabelledText {
            text: t.trim_end().to_string(),
            class,
            location: Location::line(text_source, k as u64 + 1),
        });
    }
    Ok(out)
}

/// Lines without their terminators; a final newline does not open a line.
fn lines_of(text: &str) -> Vec<&str> {
    let mut v: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    if v.last() == Some(&"") {
        v.pop();
    }
    v
}

/// Parses a CSV file with a header, taking the `text` and `label` columns.
/// Rows whose label is empty are skipped (unlabelled); any other unknown
/// label is an error.
///
/// # Errors
/// [`Error::Input`] with `source:line` for a missing column, a malformed
/// record or an unknown label.
pub fn parse_csv(
    bytes: &[u8],
    source: &str,
    text: &str,
    label: &str,
) -> Result<Vec<LabelledText>, Error> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(strip_bom(bytes));
    let headers = reader
        .headers()
        .map_err(|e| input_error(source, 1, e.to_string()))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| {
                input_error(
                    source,
                    1,
                    format!(
                        "no column {name:?} (columns: {})",
                        headers.iter().collect::<Vec<_>>().join(", ")
                    ),
                )
            })
    };
    let (text_col, label_col) = (col(text)?, col(label)?);
    let mut out = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                return Err(input_error(source, line, e.to_string()));
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        let label_text = String::from_utf8_lossy(record.get(label_col).unwrap_or_default());
        if label_text.trim().is_empty() {
            continue;
        }
        let class = Class::parse(&label_text).ok_or_else(|| {
            input_error(
                source,
                line,
                format!("unknown label {label_text:?} in column {label:?}"),
            )
        })?;
        out.push(LabelledText {
            text: String::from_utf8_lossy(record.get(text_col).unwrap_or_default()).into_owned(),
            class,
            location: Location::line(source, line),
        });
    }
    Ok(out)
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Decodes literal `\uXXXX` escapes (JSON style, surrogate pairs joined; a
/// lone surrogate becomes U+FFFD), as the SemEval downloads carry them
/// (`\u2019`, `\u002c`). Other backslashes are kept.
///
/// # Example
/// ```
/// use portevoix_text::sentiment::model::decode_escapes;
/// assert_eq!(decode_escapes(r"I\u2019m fine\u002c thanks \ud83d\ude00"), "I’m fine, thanks 😀");
/// ```
pub fn decode_escapes(s: &str) -> String {
    if !s.contains("\\u") {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let hex = |at: usize| -> Option<u32> {
        let h = s.get(at + 2..at + 6)?;
        (bytes.get(at) == Some(&b'\\')
            && bytes.get(at + 1) == Some(&b'u')
            && h.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| u32::from_str_radix(h, 16).ok())
        .flatten()
    };
    let mut plain = 0;
    while i < bytes.len() {
        if let Some(u) = hex(i) {
            out.push_str(&s[plain..i]);
            let mut len = 6;
            let c = if (0xD800..0xDC00).contains(&u) {
                match hex(i + 6) {
                    Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                        len = 12;
                        char::from_u32(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00))
                    }
                    _ => None,
                }
            } else {
                char::from_u32(u)
            };
            out.push(c.unwrap_or('\u{FFFD}'));
            i += len;
            plain = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&s[plain..]);
    out
}

/// The key under which two copies of a tweet compare equal: lower-cased
/// words, `@user` for every mention, URLs dropped, escapes decoded, opening
/// quotes, `&amp;`-style entities and punctuation dropped. TweetEval
/// anonymised mentions, removed URLs and stripped quotes, so this is how its
/// validation tweets are found (and held out) in the SemEval pool: all 2,000
/// of them match (2,039 pool rows).
///
/// # Example
/// ```
/// use portevoix_text::sentiment::model::match_key;
/// assert_eq!(match_key("\"@Bob I\\u2019m   at http://t.co/x!"), match_key("@user I’m at"));
/// ```
pub fn match_key(text: &str) -> String {
    let text = decode_escapes(text);
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let word = word.trim_start_matches(['"', '\'', '(', '“', '‘']);
        let w = if word.starts_with('@') && word.len() > 1 {
            "@user".to_string()
        } else if word.starts_with("http") || word.starts_with("www.") {
            continue;
        } else {
            let w = word
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"");
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        };
        if !w.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&w);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semeval_lines() {
        let data =
            b"1\tpositive\tGreat\\u002c thanks\n2\tneutral\tfine\t\n\n3\tnegative\tbad\\ud83d";
        let v = parse_semeval(data, "a.tsv").unwrap();
        assert_eq!(v.len(), 3);
        assert_eq!(v[0].text, "Great, thanks");
        assert_eq!(v[1].text, "fine");
        assert_eq!(v[2].text, "bad\u{FFFD}");
        assert_eq!(v[2].location.line, 4);
        let e = parse_semeval(b"1\tpositive\tok\n2\tmeh\tx\n", "a.tsv").unwrap_err();
        assert_eq!(
            e.to_string(),
            "a.tsv:2: unknown label \"meh\" (want negative, neutral or positive)"
        );
        let e = parse_semeval(b"1\tpositive\n", "a.tsv").unwrap_err();
        assert!(e.to_string().starts_with("a.tsv:1:"), "{e}");
    }

    #[test]
    fn tweeteval_pairs() {
        let v = parse_tweeteval(b"a\nb\n", "t.txt", b"0\n2\n", "l.txt").unwrap();
        assert_eq!(
            v.iter().map(|x| x.class).collect::<Vec<_>>(),
            [Class::Negative, Class::Positive]
        );
        assert!(parse_tweeteval(b"a\nb", "t.txt", b"0\n", "l.txt").is_err());
        let e = parse_tweeteval(b"a\n", "t.txt", b"7\n", "l.txt").unwrap_err();
        assert_eq!(e.to_string(), "l.txt:1: label \"7\" is not 0, 1 or 2");
    }

    #[test]
    fn csv_columns() {
        let data = b"id,text,label\n1,\"hello, world\",positive\n2,meh,\n3,\"two\nlines\",negative\n4,x,bad\n";
        let e = parse_csv(data, "s.csv", "text", "label").unwrap_err();
        assert_eq!(
            e.to_string(),
            "s.csv:6: unknown label \"bad\" in column \"label\""
        );
        let v = parse_csv(&data[..data.len() - 8], "s.csv", "text", "label").unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].text, "two\nlines");
        assert!(
            parse_csv(data, "s.csv", "body", "label")
                .unwrap_err()
                .to_string()
                .contains("no column \"body\"")
        );
    }
}
