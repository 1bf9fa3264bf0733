//! Shared machinery of the JSON readers (`twitter-v2`, `mastodon`,
//! `canonical`): reading a whole input with its line table, streaming over
//! JSON Lines *or* whole JSON documents with one parser, reporting syntax
//! errors at their line and byte column, resynchronising after them, and
//! typed field access that names the offending field.
//!
//! One parser for both layouts: `serde_json`'s stream deserializer reads a
//! sequence of whitespace-separated values, so a JSON Lines file is a
//! sequence of one-line values and a pretty-printed document is a single
//! value spanning many lines. Byte offsets are turned into line numbers
//! with a line table, so a bad value is reported at its real line.

use crate::diagnostics::{Diagnostics, Mode};
use crate::source::Input;
use portevoix_core::{Error, Location, Timestamp};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// A whole input in memory with its line table.
pub(crate) struct Text {
    bytes: Vec<u8>,
    /// Byte offset of the start of each line (line 1 starts at 0).
    line_starts: Vec<usize>,
    name: String,
}

impl Text {
    /// Reads what is left of `input`. Lenient mode keeps the complete lines
    /// read before an IO failure (a truncated gzip stream) and reports the
    /// cut; strict mode returns the IO error. Lines longer than the input's
    /// limit are reported and blanked (overwritten with spaces, so that every
    /// other offset, line and column stays true).
    pub(crate) fn read(input: &mut Input, diag: &mut Diagnostics) -> Result<Text, Error> {
        let name = input.name().to_string();
        let (mut bytes, failure) = input.read_all_partial();
        if let Some(source) = failure {
            // Keep complete lines only: a partial last line is an artefact of the cut.
            let keep = memchr::memrchr(b'\n', &bytes).map_or(0, |i| i + 1);
            bytes.truncate(keep);
            let lines = memchr::memchr_iter(b'\n', &bytes).count() as u64;
            match diag.mode() {
                Mode::Strict => {
                    return Err(crate::source::truncated(&name, lines, source));
                }
                Mode::Lenient => diag.bad(
                    Location::line(name.clone(), lines + 1),
                    "unreadable input",
                    format!(
                        "the input cannot be read past line {lines} ({source}); \
                         the {lines} complete lines before the cut were read"
                    ),
                )?,
            }
        }
        Self::from_bytes_checked(name, bytes, input.max_line_bytes(), diag)
    }

    /// Wraps bytes already in memory, applying the line limit.
    pub(crate) fn from_bytes_checked(
        name: String,
        mut bytes: Vec<u8>,
        max_line_bytes: usize,
        diag: &mut Diagnostics,
    ) -> Result<Text, Error> {
        // A byte-order mark is not JSON; spaces keep the columns of line 1 true.
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes[..3].copy_from_slice(b"   ");
        }
        let mut line_starts = Vec::with_capacity(bytes.len() / 64 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', &bytes).map(|i| i + 1));
        let max = if max_line_bytes == 0 {
            crate::source::DEFAULT_MAX_LINE_BYTES
        } else {
            max_line_bytes
        };
        for (i, &start) in line_starts.iter().enumerate() {
            let end = line_starts.get(i + 1).map_or(bytes.len(), |&next| next - 1);
            let mut len = end - start;
            if len > 0 && bytes[start + len - 1] == b'\r' {
                len -= 1;
            }
            if len > max {
                diag.bad(
                    Location::line(name.clone(), i as u64 + 1),
                    "line too long",
                    format!(
                        "line {} is {len} bytes long, over the limit of {max} bytes \
                         (a binary file or a missing newline?)",
                        i + 1
                    ),
                )?;
                bytes[start..end].fill(b' ');
            }
        }
        Ok(Text {
            bytes,
            line_starts,
            name,
        })
    }

    /// The bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The input's name.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// 1-based line and 1-based byte column of a byte offset.
    pub(crate) fn position(&self, offset: usize) -> (u64, u64) {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1) - 1;
        (
            line as u64 + 1,
            (offset - self.line_starts[line]) as u64 + 1,
        )
    }

    /// The location of a byte offset.
    pub(crate) fn location(&self, offset: usize) -> Location {
        let (line, column) = self.position(offset);
        Location::line(self.name.clone(), line).with_column(column)
    }

    fn line_start(&self, line: u64) -> usize {
        self.line_starts[(line - 1) as usize]
    }

    fn line_len(&self, line: u64) -> usize {
        let start = self.line_start(line);
        let end = self
            .line_starts
            .get(line as usize)
            .map_or(self.bytes.len(), |&n| n - 1);
        let mut len = end - start;
        if len > 0 && self.bytes[start + len - 1] == b'\r' {
            len -= 1;
        }
        len
    }

    /// Where to go on after a syntax error in the value that started at
    /// `value_start`: the next line, after the one the value started on,
    /// that begins with `{` or `[` in column 1. In JSON Lines that is the
    /// next record; in a pretty-printed document (whose inner lines are
    /// indented) it is the next top-level value or the end.
    fn resync_after(&self, value_start: usize) -> usize {
        let (line, _) = self.position(value_start);
        for &start in &self.line_starts[line as usize..] {
            if matches!(self.bytes.get(start), Some(b'{' | b'[')) {
                return start;
            }
        }
        self.bytes.len()
    }
}

/// The first bytes of an input, BOM stripped, if they open a JSON array or
/// object (after whitespace); the JSON readers' sniffers start from it.
pub(crate) fn json_head(head: &[u8]) -> Option<&[u8]> {
    let head = crate::source::strip_bom(head);
    let first = head.iter().copied().find(|b| !b.is_ascii_whitespace())?;
    (first == b'{' || first == b'[').then_some(head)
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = bytes.get(pos) {
        pos += 1;
    }
    pos
}

/// A top-level JSON value. An object keeps all its entries in file order,
/// repeated keys included: JSON parsers usually keep only the last value of
/// a repeated key, which silently drops data from files made by
/// concatenating maps (`fr-media/fusion.json` repeats every author key, one
/// per snapshot). Readers decide what a repeated key means.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Top {
    /// An object's entries, in order, repeated keys included.
    Object(Vec<(String, Value)>),
    /// Any other value.
    Other(Value),
}

impl Top {
    /// The plain JSON value (for a repeated key, the last value wins, as
    /// in `serde_json`).
    pub(crate) fn into_value(self) -> Value {
        match self {
            Top::Object(pairs) => Value::Object(pairs.into_iter().collect()),
            Top::Other(v) => v,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Top {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Top, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Top;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Top, A::Error> {
                let mut pairs = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, Value>()? {
                    pairs.push((k, v));
                }
                Ok(Top::Object(pairs))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut s: A) -> Result<Top, A::Error> {
                let mut items = Vec::new();
                while let Some(v) = s.next_element::<Value>()? {
                    items.push(v);
                }
                Ok(Top::Other(Value::Array(items)))
            }
            fn visit_bool<E>(self, b: bool) -> Result<Top, E> {
                Ok(Top::Other(Value::Bool(b)))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Top, E> {
                Ok(Top::Other(Value::from(n)))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Top, E> {
                Ok(Top::Other(Value::from(n)))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Top, E> {
                Ok(Top::Other(Value::from(n)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Top, E> {
                Ok(Top::Other(Value::from(s)))
            }
            fn visit_string<E>(self, s: String) -> Result<Top, E> {
                Ok(Top::Other(Value::String(s)))
            }
            fn visit_unit<E>(self) -> Result<Top, E> {
                Ok(Top::Other(Value::Null))
            }
            fn visit_none<E>(self) -> Result<Top, E> {
                Ok(Top::Other(Value::Null))
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses the one JSON value that starts at `pos`; returns it and the offset
/// just after it.
fn parse_one(bytes: &[u8], pos: usize) -> Result<(Top, usize), serde_json::Error> {
    let mut stream = serde_json::Deserializer::from_slice(&bytes[pos..]).into_iter::<Top>();
    match stream.next() {
        Some(Ok(v)) => Ok((v, pos + stream.byte_offset())),
        Some(Err(e)) => Err(e),
        // Only whitespace left: callers never ask for that, but an empty
        // stream is not an error.
        None => Ok((Top::Other(Value::Null), bytes.len())),
    }
}

/// serde_json's message without its " at line L column C" suffix, which is
/// relative to the slice parsed rather than to the file.
fn serde_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    }
}

/// Reports a syntax error met while parsing the value that starts at
/// `value_start`, the parser having been started at `slice_start`.
fn report_syntax(
    text: &Text,
    e: &serde_json::Error,
    slice_start: usize,
    value_start: usize,
    diag: &mut Diagnostics,
) -> Result<(), Error> {
    let (l0, c0) = text.position(slice_start);
    let (line, column) = if e.line() <= 1 {
        (l0, c0 + (e.column() as u64).saturating_sub(1))
    } else {
        (l0 + e.line() as u64 - 1, e.column() as u64)
    };
    let message = serde_message(e);
    let (start_line, start_column) = text.position(value_start);
    // A JSON Lines record cut short: the parser only notices on the next
    // line, where a new record begins. The bad record is the cut one.
    let next_record_began = start_column == 1
        && line > start_line
        && column <= 1
        && (line as usize) <= text.line_starts.len()
        && matches!(text.bytes.get(text.line_start(line)), Some(b'{' | b'['));
    diag.record();
    if next_record_began {
        let end = text.line_len(start_line) as u64 + 1;
        return diag.bad(
            Location::line(text.name.clone(), start_line).with_column(end),
            "truncated JSON",
            format!(
                "invalid JSON: the record that starts at line {start_line} ends early \
                 (line {line} starts a new record)"
            ),
        );
    }
    let kind = if message.contains("invalid unicode code point") {
        "invalid UTF-8"
    } else if e.is_eof() {
        "truncated JSON"
    } else {
        "invalid JSON"
    };
    let mut detail = format!("invalid JSON: {message}");
    if line != start_line {
        detail.push_str(&format!(" (in the value that starts at line {start_line})"));
    }
    diag.bad(
        Location::line(text.name.clone(), line).with_column(column.max(1)),
        kind,
        detail,
    )
}

/// Calls `f(value, start_offset, diag)` for every top-level JSON value of
/// `text` and, when `split_arrays` is set, for every element of a top-level
/// array instead of the array itself (so that a large array of statuses is
/// never held whole, and each element is located at its own line).
///
/// Syntax errors are reported to `diag` (counted as one bad record each);
/// in lenient mode reading resumes at the next line that starts with `{`
/// or `[` in column 1.
pub(crate) fn for_each_value<F>(
    text: &Text,
    split_arrays: bool,
    diag: &mut Diagnostics,
    mut f: F,
) -> Result<(), Error>
where
    F: FnMut(Top, usize, &mut Diagnostics) -> Result<(), Error>,
{
    let bytes = text.bytes();
    let mut pos = skip_ws(bytes, 0);
    while pos < bytes.len() {
        let start = pos;
        if split_arrays && bytes[pos] == b'[' {
            let mut p = skip_ws(bytes, pos + 1);
            if bytes.get(p) == Some(&b']') {
                pos = skip_ws(bytes, p + 1);
                continue;
            }
            loop {
                match parse_one(bytes, p) {
                    Ok((value, end)) => {
                        f(value, p, diag)?;
                        let q = skip_ws(bytes, end);
                        match bytes.get(q) {
                            Some(b',') => p = skip_ws(bytes, q + 1),
                            Some(b']') => {
                                pos = skip_ws(bytes, q + 1);
                                break;
                            }
                            _ => {
                                diag.record();
                                let what = if q >= bytes.len() {
                                    "the input ends inside an array".to_string()
                                } else {
                                    "expected `,` or `]` after an array element".to_string()
                                };
                                let kind = if q >= bytes.len() {
                                    "truncated JSON"
                                } else {
                                    "invalid JSON"
                                };
                                diag.bad(text.location(q), kind, format!("invalid JSON: {what}"))?;
                                pos = skip_ws(bytes, text.resync_after(start));
                                break;
                            }
                        }
                    }
                    Err(e) => {
                        report_syntax(text, &e, p, p, diag)?;
                        pos = skip_ws(bytes, text.resync_after(start));
                        break;
                    }
                }
            }
        } else {
            match parse_one(bytes, pos) {
                Ok((value, end)) => {
                    f(value, start, diag)?;
                    pos = skip_ws(bytes, end);
                }
                Err(e) => {
                    report_syntax(text, &e, pos, start, diag)?;
                    pos = skip_ws(bytes, text.resync_after(start));
                }
            }
        }
    }
    Ok(())
}

/// Parses a time like [`Timestamp::parse`], but reads decimal Unix seconds
/// (`1289241911.72836`, `-5`, `9223372036854775.807`) exactly, to the
/// millisecond, without going through a float: every [`Timestamp`] the core
/// can hold, written as seconds by the canonical writer, reads back equal.
pub(crate) fn parse_time(text: &str) -> Option<Timestamp> {
    let s = text.trim();
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !all_digits(int) || !all_digits(frac) || int.len() > 19 {
        return Timestamp::parse(s);
    }
    let mut ms: i128 = int.parse::<i128>().ok()? * 1000;
    let f = frac.as_bytes();
    for (i, scale) in [100i128, 10, 1].into_iter().enumerate() {
        ms += f.get(i).map_or(0, |d| (d - b'0') as i128) * scale;
    }
    // Round half up on the fourth decimal, as Timestamp::parse does.
    if f.get(3).is_some_and(|d| *d >= b'5') {
        ms += 1;
    }
    let ms = if neg { -ms } else { ms };
    Some(Timestamp(
        ms.clamp(i64::MIN as i128, i64::MAX as i128) as i64
    ))
}

/// The error for an account id that starts with `@`: in Porte-voix an
/// `@name` is always a handle (see `DatasetBuilder::resolve_handle`), never a
/// platform id, so that handles and ids cannot be confused.
pub(crate) fn check_account_id(id: &str, field: &str) -> Result<(), FieldError> {
    if id.starts_with('@') {
        return Err(FieldError::new(
            "invalid value",
            format!("field `{field}`: \"{id}\" is a handle, not an account id"),
        ));
    }
    Ok(())
}

/// A field of the wrong type or with an invalid value: the reason kind used
/// for counting, and the full reason naming the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError {
    pub kind: &'static str,
    pub detail: String,
}

impl FieldError {
    pub(crate) fn new(kind: &'static str, detail: impl Into<String>) -> FieldError {
        FieldError {
            kind,
            detail: detail.into(),
        }
    }

    pub(crate) fn missing(path: &str, what: &str) -> FieldError {
        FieldError::new("missing field", format!("{what} has no `{path}`"))
    }
}

/// A short description of a JSON value for error messages.
pub(crate) fn describe(v: &Value) -> String {
    fn cut(s: &str) -> String {
        let mut out: String = s.chars().take(40).collect();
        if out.len() < s.len() {
            out.push('…');
        }
        out
    }
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) => format!("string \"{}\"", cut(s)),
        Value::Array(a) => format!("an array of {} items", a.len()),
        Value::Object(_) => "an object".into(),
    }
}

/// Typed access to the fields of a JSON object, with errors that name the
/// field by its path (`public_metrics.followers_count`).
#[derive(Clone)]
pub(crate) struct Obj<'a> {
    pub map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Obj<'a> {
    /// The object at the top of a record.
    pub(crate) fn new(map: &'a Map<String, Value>) -> Obj<'a> {
        Obj {
            map,
            path: String::new(),
        }
    }

    /// The object if `v` is one, as the top of a record.
    pub(crate) fn of(v: &'a Value) -> Option<Obj<'a>> {
        v.as_object().map(Obj::new)
    }

    fn path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn wrong(&self, key: &str, expected: &str, found: &Value) -> FieldError {
        FieldError::new(
            "wrong type",
            format!(
                "field `{}`: expected {expected}, found {}",
                self.path(key),
                describe(found)
            ),
        )
    }

    /// Whether the key is present (even if null).
    pub(crate) fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// The value, `None` when missing or null.
    pub(crate) fn raw(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// A string field.
    pub(crate) fn str(&self, key: &str) -> Result<Option<&'a str>, FieldError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.wrong(key, "a string", other)),
        }
    }

    /// An id: a non-empty string, or an unsigned integer (written back in
    /// decimal, so `123` and `"123"` are the same id).
    pub(crate) fn id(&self, key: &str) -> Result<Option<Cow<'a, str>>, FieldError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(Cow::Borrowed(s.trim()))),
            Some(Value::Number(n)) if n.as_u64().is_some() => {
                Ok(n.as_u64().map(|v| Cow::Owned(v.to_string())))
            }
            Some(other) => Err(self.wrong(key, "a non-empty string or integer id", other)),
        }
    }

    /// A count: a non-negative integer (an integral float or a string of
    /// digits is accepted, as some converters write them so).
    pub(crate) fn count(&self, key: &str) -> Result<Option<u64>, FieldError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Number(n)) => {
                if let Some(v) = n.as_u64() {
                    return Ok(Some(v));
                }
                match n.as_f64() {
                    Some(f) if f >= 0.0 && f.fract() == 0.0 && f < 1.8e19 => Ok(Some(f as u64)),
                    _ => Err(self.wrong(key, "a non-negative integer", &Value::Number(n.clone()))),
                }
            }
            Some(v @ Value::String(s)) => s
                .trim()
                .parse::<u64>()
                .map(Some)
                .map_err(|_| self.wrong(key, "a non-negative integer", v)),
            Some(other) => Err(self.wrong(key, "a non-negative integer", other)),
        }
    }

    /// A number (any finite JSON number, or a string holding one).
    pub(crate) fn number(&self, key: &str) -> Result<Option<f64>, FieldError> {
        match self.raw(key) {
            None => Ok(None),
            Some(v @ Value::Number(n)) => n
                .as_f64()
                .filter(|f| f.is_finite())
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a finite number", v)),
            Some(v @ Value::String(s)) => s
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a number", v)),
            Some(other) => Err(self.wrong(key, "a number", other)),
        }
    }

    /// A boolean (`"true"`/`"false"` strings accepted).
    pub(crate) fn bool(&self, key: &str) -> Result<Option<bool>, FieldError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) if s == "true" => Ok(Some(true)),
            Some(Value::String(s)) if s == "false" => Ok(Some(false)),
            Some(other) => Err(self.wrong(key, "a boolean", other)),
        }
    }

    /// A time: an ISO-8601 string (with or without offset) or Unix seconds.
    pub(crate) fn time(&self, key: &str) -> Result<Option<Timestamp>, FieldError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(v @ Value::String(s)) => parse_time(s).map(Some).ok_or_else(|| {
                FieldError::new(
                    "invalid time",
                    format!(
                        "field `{}`: cannot read {} as a time",
                        self.path(key),
                        describe(v)
                    ),
                )
            }),
            Some(v @ Value::Number(n)) => n
                .as_f64()
                .and_then(Timestamp::from_secs_f64)
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a time", v)),
            Some(other) => Err(self.wrong(key, "a time (ISO-8601 string or Unix seconds)", other)),
        }
    }

    /// A nested object.
    pub(crate) fn obj(&self, key: &str) -> Result<Option<Obj<'a>>, FieldError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(Obj {
                map: m,
                path: self.path(key),
            })),
            Some(other) => Err(self.wrong(key, "an object", other)),
        }
    }

    /// A nested array.
    pub(crate) fn array(&self, key: &str) -> Result<&'a [Value], FieldError> {
        match self.raw(key) {
            None => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(other) => Err(self.wrong(key, "an array", other)),
        }
    }

    /// The objects of a nested array (an element that is not an object is an error).
    pub(crate) fn objects(&self, key: &str) -> Result<Vec<Obj<'a>>, FieldError> {
        let items = self.array(key)?;
        let mut out = Vec::with_capacity(items.len());
        let path = format!("{}[]", self.path(key));
        for (i, v) in items.iter().enumerate() {
            match v {
                Value::Object(m) => out.push(Obj {
                    map: m,
                    path: path.clone(),
                }),
                Value::Null => {}
                other => {
                    return Err(FieldError::new(
                        "wrong type",
                        format!(
                            "field `{}[{i}]`: expected an object, found {}",
                            self.path(key),
                            describe(other)
                        ),
                    ));
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> Text {
        let mut d = Diagnostics::new(Mode::Lenient, "t.jsonl", "test");
        Text::from_bytes_checked("t.jsonl".into(), bytes.to_vec(), 0, &mut d).unwrap()
    }

    /// Values with their (line, column), and the report.
    type Collected = (Vec<(Value, (u64, u64))>, crate::FileReport);

    fn collect(t: &Text, split: bool) -> Collected {
        let mut d = Diagnostics::new(Mode::Lenient, "t.jsonl", "test");
        let mut out = Vec::new();
        for_each_value(t, split, &mut d, |v, start, _| {
            out.push((v.into_value(), t.position(start)));
            Ok(())
        })
        .unwrap();
        (out, d.finish())
    }

    #[test]
    fn lines_columns_and_both_layouts() {
        let t = text(b"{\"a\":1}\n\n  {\"b\":\n 2}\n[1, {\"c\":3}]\n");
        let (values, report) = collect(&t, true);
        let pos: Vec<_> = values.iter().map(|(_, p)| *p).collect();
        assert_eq!(pos, vec![(1, 1), (3, 3), (5, 2), (5, 5)]);
        assert_eq!(report.skipped_total(), 0);
        let (values, _) = collect(&t, false);
        assert_eq!(values.len(), 3);
    }

    #[test]
    fn a_cut_jsonl_record_is_reported_at_its_own_line() {
        let t = text(b"{\"a\":1}\n{\"b\": \"x\"\n{\"c\":3}\n");
        let (values, report) = collect(&t, true);
        assert_eq!(values.len(), 2);
        assert_eq!(report.skipped["truncated JSON"], 1);
        let ex = &report.examples[0];
        assert_eq!((ex.location.line, ex.location.column), (2, Some(10)));
    }

    #[test]
    fn garbage_resyncs_to_the_next_record() {
        let t = text(b"{\"a\":1}\nnot json\n{\"c\":3} trailing\n{\"d\":4}\n");
        let (values, report) = collect(&t, true);
        assert_eq!(values.len(), 3, "{report:?}");
        assert_eq!(report.skipped_total(), 2);
        assert_eq!(report.examples[0].location.line, 2);
        assert_eq!(report.examples[1].location.line, 3);
    }

    #[test]
    fn bom_is_blanked_and_long_lines_are_reported() {
        let mut d = Diagnostics::new(Mode::Lenient, "t", "test");
        let mut bytes = b"\xEF\xBB\xBF{\"a\":1}\n".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', 50));
        bytes.extend(b"\n{\"b\":2}\n");
        let t = Text::from_bytes_checked("t".into(), bytes, 20, &mut d).unwrap();
        let (values, _) = collect(&t, true);
        assert_eq!(values.len(), 2);
        assert_eq!(d.finish().skipped["line too long"], 1);
    }

    #[test]
    fn repeated_keys_are_all_kept() {
        let t = text(br#"{"a": [1], "b": 2, "a": [3]}"#);
        let mut tops = Vec::new();
        let mut d = Diagnostics::new(Mode::Strict, "t", "test");
        for_each_value(&t, true, &mut d, |v, _, _| {
            tops.push(v);
            Ok(())
        })
        .unwrap();
        let Top::Object(pairs) = &tops[0] else {
            panic!()
        };
        assert_eq!(pairs.len(), 3);
        assert_eq!(
            tops[0].clone().into_value(),
            serde_json::json!({"a": [3], "b": 2})
        );
    }

    #[test]
    fn exact_decimal_seconds() {
        assert_eq!(parse_time("1289241911.72836").unwrap().0, 1_289_241_911_728);
        assert_eq!(parse_time("1289241911.7285").unwrap().0, 1_289_241_911_729);
        assert_eq!(parse_time("-1.5").unwrap().0, -1500);
        assert_eq!(parse_time("9223372036854775.807").unwrap().0, i64::MAX);
        assert_eq!(parse_time("-9223372036854775.808").unwrap().0, i64::MIN);
        assert_eq!(
            parse_time("2015-02-24T11:35").unwrap(),
            Timestamp::parse("2015-02-24T11:35").unwrap()
        );
        assert_eq!(parse_time("soon"), None);
    }

    #[test]
    fn typed_fields() {
        let v: Value = serde_json::json!({"n": "many", "m": {"k": 3.0}, "id": 12, "t": "2022-05-10T13:37:00.000Z"});
        let o = Obj::new(v.as_object().unwrap());
        let e = o.count("n").unwrap_err();
        assert_eq!(
            e.detail,
            "field `n`: expected a non-negative integer, found string \"many\""
        );
        assert_eq!(o.obj("m").unwrap().unwrap().count("k").unwrap(), Some(3));
        assert_eq!(o.id("id").unwrap().as_deref(), Some("12"));
        assert!(o.time("t").unwrap().is_some());
        assert_eq!(o.str("missing").unwrap(), None);
    }
}
