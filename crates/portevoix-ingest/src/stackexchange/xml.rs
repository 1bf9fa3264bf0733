//! Streaming the `<row .../>` elements of one dump file, with the line and
//! column of every row and of every syntax error.
//!
//! Each dump file is an XML document whose root element (`<posts>`,
//! `<users>`, ...) holds one empty `<row>` element per record, the record's
//! fields as attributes. [`RowReader`] runs quick-xml over a [`BufRead`] and
//! hands each row's attributes to a callback; it never holds more than one
//! row in memory. Locations are exact: a [`LineCounter`] under the XML
//! reader counts the newlines of every byte consumed, so the line and byte
//! column of a row's `<` (or of the byte where a syntax error was found) are
//! known without a second pass.

use crate::diagnostics::Diagnostics;
use portevoix_core::{Error, Location, Result};
use quick_xml::errors::IllFormedError;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;
use std::io::{self, BufRead, Read};

/// A [`BufRead`] adaptor that counts the newlines of the bytes its reader
/// consumes, and remembers where the newlines after the last
/// [`LineCounter::mark`] are (so that a position inside the current event
/// maps to a line and column).
pub(crate) struct LineCounter<R> {
    inner: R,
    consumed: u64,
    newlines: u64,
    last_newline: Option<u64>,
    marked_newlines: u64,
    marked_last: Option<u64>,
    recent: Vec<u64>,
    /// Bytes handed back to be read again (lenient resynchronisation),
    /// served before the inner reader's.
    pushback: Vec<u8>,
    pushback_at: usize,
    /// The first IO error met, kept so that the caller can report the real
    /// cause (a truncated archive, a checksum failure) instead of the XML
    /// reader's rendition of it.
    io_error: Option<io::Error>,
}

impl<R: BufRead> LineCounter<R> {
    pub(crate) fn new(inner: R) -> LineCounter<R> {
        LineCounter {
            inner,
            consumed: 0,
            newlines: 0,
            last_newline: None,
            marked_newlines: 0,
            marked_last: None,
            recent: Vec::new(),
            pushback: Vec::new(),
            pushback_at: 0,
            io_error: None,
        }
    }

    /// Forgets the newline positions before the current position (an event
    /// starts here).
    fn mark(&mut self) {
        self.recent.clear();
        self.marked_newlines = self.newlines;
        self.marked_last = self.last_newline;
    }

    /// 1-based line and column of byte `offset`, which must not be before
    /// the last mark.
    fn position(&self, offset: u64) -> (u64, u64) {
        let before = self.recent.partition_point(|&nl| nl < offset);
        let line = self.marked_newlines + before as u64 + 1;
        let last = if before > 0 {
            Some(self.recent[before - 1])
        } else {
            self.marked_last
        };
        let column = match last {
            Some(nl) => offset.saturating_sub(nl),
            None => offset + 1,
        };
        (line, column)
    }
}

impl<R: BufRead> LineCounter<R> {
    /// Hands back the last `bytes.len()` consumed bytes (which must be
    /// `bytes`), to be read again: the newlines among them are uncounted.
    fn unconsume(&mut self, bytes: &[u8]) {
        let mut rest = bytes.to_vec();
        rest.extend_from_slice(&self.pushback[self.pushback_at..]);
        self.pushback = rest;
        self.pushback_at = 0;
        self.consumed -= bytes.len() as u64;
        while self.recent.last().is_some_and(|&nl| nl >= self.consumed) {
            self.recent.pop();
            self.newlines -= 1;
        }
        self.last_newline = self.recent.last().copied().or(self.marked_last);
    }
}

impl<R: BufRead> Read for LineCounter<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineCounter<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pushback_at < self.pushback.len() {
            return Ok(&self.pushback[self.pushback_at..]);
        }
        match self.inner.fill_buf() {
            Ok(b) => Ok(b),
            Err(e) => {
                let copy = io::Error::new(e.kind(), e.to_string());
                if self.io_error.is_none() {
                    self.io_error = Some(e);
                }
                Err(copy)
            }
        }
    }

    fn consume(&mut self, n: usize) {
        if n == 0 {
            return;
        }
        if self.pushback_at < self.pushback.len() {
            let end = (self.pushback_at + n).min(self.pushback.len());
            for i in memchr::memchr_iter(b'\n', &self.pushback[self.pushback_at..end]) {
                let at = self.consumed + i as u64;
                self.recent.push(at);
                self.newlines += 1;
                self.last_newline = Some(at);
            }
            self.consumed += (end - self.pushback_at) as u64;
            self.pushback_at = end;
            if self.pushback_at == self.pushback.len() {
                self.pushback.clear();
                self.pushback_at = 0;
            }
            return;
        }
        // The caller consumes bytes it obtained from `fill_buf`, so the
        // buffer is still there and this call does no IO.
        if let Ok(buf) = self.inner.fill_buf() {
            let n = n.min(buf.len());
            for i in memchr::memchr_iter(b'\n', &buf[..n]) {
                let at = self.consumed + i as u64;
                self.recent.push(at);
                self.newlines += 1;
                self.last_newline = Some(at);
            }
            self.consumed += n as u64;
            self.inner.consume(n);
        }
    }
}

/// One `<row>` element: where it is and its attributes.
pub(crate) struct Row<'a> {
    file: &'a str,
    line: u64,
    column: u64,
    element: &'a BytesStart<'a>,
}

/// A field of a row that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// Short kind, for counting (`bad number`, `missing attribute`).
    pub kind: &'static str,
    /// The full reason.
    pub detail: String,
}

impl FieldProblem {
    pub(crate) fn new(kind: &'static str, detail: impl Into<String>) -> FieldProblem {
        FieldProblem {
            kind,
            detail: detail.into(),
        }
    }
}

impl<'a> Row<'a> {
    /// Where the row's `<` is (built on demand: only bad rows need it).
    pub(crate) fn location(&self) -> Location {
        Location::line(self.file, self.line).with_column(self.column)
    }

    /// Calls `each(name, value)` for every attribute, values unescaped
    /// (predefined entities and character references) and normalised as
    /// XML 1.0 says (literal tabs and newlines become spaces). Stops at the
    /// first problem: a malformed or repeated attribute, invalid UTF-8, an
    /// unknown entity, or what `each` reports.
    pub(crate) fn for_each_attribute(
        &self,
        mut each: impl FnMut(&[u8], Cow<'_, str>) -> Result<(), FieldProblem>,
    ) -> Result<(), FieldProblem> {
        for attr in self.element.attributes().with_checks(true) {
            let attr: Attribute<'_> = attr.map_err(|e| {
                FieldProblem::new("malformed attribute", format!("malformed attribute: {e}"))
            })?;
            let key = attr.key.as_ref();
            let value = unescape_attribute(&attr.value).map_err(|detail| {
                FieldProblem::new(
                    "bad attribute value",
                    format!(
                        "attribute {}: {detail}",
                        String::from_utf8_lossy(key).into_owned()
                    ),
                )
            })?;
            each(key, value)?;
        }
        Ok(())
    }
}

/// An attribute value as XML 1.0 defines it: the raw bytes, which must be
/// UTF-8, with the predefined entities (`&lt;` `&gt;` `&amp;` `&apos;`
/// `&quot;`) and character references (`&#10;`, `&#xA;`) replaced, and
/// literal tabs, line feeds and carriage returns (a CR LF pair counting as
/// one) turned into spaces (attribute-value normalisation, XML 1.0 §3.3.3).
/// Borrowed when there is nothing to replace.
///
/// quick-xml's normaliser does the same one character at a time; this one
/// jumps between special bytes with memchr, which matters for the bodies of
/// millions of posts (it was the largest cost of a load).
///
/// # Errors
///
/// Invalid UTF-8, an unknown entity, an unterminated reference, or a
/// character reference to a character XML forbids.
pub(crate) fn unescape_attribute(raw: &[u8]) -> std::result::Result<Cow<'_, str>, String> {
    let text = std::str::from_utf8(raw).map_err(|e| format!("invalid UTF-8: {e}"))?;
    let special = |from: usize| -> Option<usize> {
        let rest = &raw[from..];
        let a = memchr::memchr3(b'&', b'\n', b'\r', rest);
        let b = memchr::memchr(b'\t', rest);
        match (a, b) {
            (Some(x), Some(y)) => Some(from + x.min(y)),
            (x, y) => x.or(y).map(|k| from + k),
        }
    };
    let Some(first) = special(0) else {
        return Ok(Cow::Borrowed(text));
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    let mut at = first;
    while at < raw.len() {
        match raw[at] {
            b'&' => {
                let end = memchr::memchr(b';', &raw[at..])
                    .map(|k| at + k)
                    .filter(|&e| e - at <= 12)
                    .ok_or_else(|| format!("unterminated entity reference at byte {}", at + 1))?;
                let name = &text[at + 1..end];
                match name {
                    "lt" => out.push('<'),
                    "gt" => out.push('>'),
                    "amp" => out.push('&'),
                    "apos" => out.push('\''),
                    "quot" => out.push('"'),
                    _ => out.push(char_reference(name)?),
                }
                at = end + 1;
            }
            b'\r' => {
                out.push(' ');
                at += if raw.get(at + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
            }
            _ => {
                out.push(' ');
                at += 1;
            }
        }
        let next = special(at).unwrap_or(raw.len());
        out.push_str(&text[at..next]);
        at = next;
    }
    Ok(Cow::Owned(out))
}

/// The character of `#10` or `#xA` (an entity name without `&` and `;`).
fn char_reference(name: &str) -> std::result::Result<char, String> {
    let code = if let Some(hex) = name.strip_prefix("#x") {
        u32::from_str_radix(hex, 16).ok()
    } else if let Some(dec) = name.strip_prefix('#') {
        dec.parse::<u32>().ok()
    } else {
        return Err(format!("unknown entity &{name};"));
    };
    code.and_then(char::from_u32)
        .filter(|&c| matches!(c, '\t' | '\n' | '\r') || c >= ' ')
        .filter(|&c| !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        .ok_or_else(|| format!("bad character reference &{name};"))
}

/// What reading one file's rows found besides the rows.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct RowStats {
    /// The root element's name, as written.
    pub root: Option<String>,
    /// Whether the root element was closed (false for a truncated file).
    pub closed: bool,
}

/// Streams the rows of one dump file.
pub(crate) struct RowReader<R: BufRead> {
    /// Always `Some` between calls; taken only while [`RowReader::restart`]
    /// swaps in a fresh reader.
    reader: Option<quick_xml::Reader<LineCounter<R>>>,
    file: String,
}

fn xml_reader<R: BufRead>(
    counter: LineCounter<R>,
    check_end_names: bool,
) -> quick_xml::Reader<LineCounter<R>> {
    let mut reader = quick_xml::Reader::from_reader(counter);
    let config = reader.config_mut();
    config.check_end_names = check_end_names;
    config.trim_text(false);
    reader
}

/// How many syntax errors in a row, without progress, end a lenient read.
const MAX_STALLED_ERRORS: u32 = 8;

impl<R: BufRead> RowReader<R> {
    /// A reader over `input`, named `file` in locations.
    pub(crate) fn new(file: impl Into<String>, input: R) -> RowReader<R> {
        RowReader {
            reader: Some(xml_reader(LineCounter::new(input), true)),
            file: file.into(),
        }
    }

    fn location_at(&self, offset: u64) -> Location {
        let (line, column) = self.xml().get_ref().position(offset);
        Location::line(self.file.clone(), line).with_column(column)
    }

    /// Reads every row, calling `each(row, diag)`; `each` validates and keeps
    /// the record, reporting bad rows to `diag` itself. Syntax errors go to
    /// `diag` as `malformed XML` (strict: the error; lenient: counted, the
    /// reader skips the bad markup and goes on). A file cut short (root not
    /// closed) is `truncated file`; an IO failure of the underlying stream
    /// (a corrupt or truncated archive) is returned as [`Error::Io`] in
    /// strict mode and counted as `unreadable rest of file` in lenient mode,
    /// keeping the rows read before it.
    pub(crate) fn read_rows(
        &mut self,
        diag: &mut Diagnostics,
        mut each: impl FnMut(&Row<'_>, &mut Diagnostics) -> Result<()>,
    ) -> Result<RowStats> {
        let mut buf = Vec::with_capacity(64 << 10);
        let mut stats = RowStats::default();
        let mut depth = 0u32;
        let mut stalled = 0u32;
        loop {
            buf.clear();
            self.xml_mut().get_mut().mark();
            // quick-xml's offsets leave out a byte-order mark; the counter's
            // are the input's own bytes.
            let start = self.xml().get_ref().consumed;
            let shift = start.saturating_sub(self.xml().buffer_position());
            let event = self.xml_mut().read_event_into(&mut buf);
            match event {
                Ok(Event::Eof) => break,
                Ok(Event::Empty(e)) if depth == 1 && e.name().as_ref() == b"row" => {
                    stalled = 0;
                    self.emit_row(&e, start, b"/>", diag, &mut each)?;
                }
                // A `<row>` with content is read as a row; its content is skipped.
                Ok(Event::Start(e)) if depth == 1 && e.name().as_ref() == b"row" => {
                    stalled = 0;
                    if self.emit_row(&e, start, b">", diag, &mut each)? {
                        depth += 1;
                    }
                }
                Ok(Event::Start(e)) => {
                    stalled = 0;
                    if depth == 0 {
                        stats.root = Some(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                    } else if depth == 1 {
                        diag.note("unexpected element skipped", 1);
                    }
                    depth += 1;
                }
                Ok(Event::Empty(e)) => {
                    stalled = 0;
                    if depth == 0 {
                        stats.root = Some(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                        stats.closed = true;
                    } else {
                        diag.note("unexpected element skipped", 1);
                    }
                }
                Ok(Event::End(_)) => {
                    stalled = 0;
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        stats.closed = true;
                    }
                }
                Ok(Event::Text(t)) => {
                    if !t.iter().all(u8::is_ascii_whitespace) {
                        let location = self.location_at(start);
                        diag.bad(
                            location,
                            "malformed XML",
                            format!("{}: text outside of any row", self.file),
                        )?;
                    }
                }
                Ok(_) => {}
                // After a restart the new reader does not know the root is
                // open: its end tag is the root's closing, not an error.
                Err(quick_xml::Error::IllFormed(IllFormedError::UnmatchedEndTag(name)))
                    if depth == 1 && stats.root.as_deref() == Some(name.as_str()) =>
                {
                    depth = 0;
                    stats.closed = true;
                }
                Err(e) => {
                    if let Some(io) = self.xml_mut().get_mut().io_error.take() {
                        return self.unreadable(diag, io).map(|()| stats);
                    }
                    let at = self.xml().error_position() + shift;
                    let location = self.location_at(at.max(start));
                    diag.bad(location, "malformed XML", format!("malformed XML: {e}"))?;
                    // A tag cut by an unclosed quote ran on to the end: read
                    // again from the first `<` inside it (the next element).
                    let consumed = self.xml().get_ref().consumed;
                    let skip = usize::from(buf.first() == Some(&b'<'));
                    if let Some(k) = memchr::memchr(b'<', &buf[skip..]).map(|k| k + skip)
                        && (buf.len() - k) as u64 <= consumed - start
                    {
                        let again = buf[k..].to_vec();
                        self.restart(&again);
                    }
                    let progressed = self.xml().get_ref().consumed > start;
                    stalled = if progressed { 0 } else { stalled + 1 };
                    if stalled >= MAX_STALLED_ERRORS {
                        diag.note("rest of file unreadable after malformed XML", 1);
                        return Ok(stats);
                    }
                }
            }
        }
        if stats.root.is_none() {
            let location = self.location_at(self.xml().get_ref().consumed);
            diag.bad(
                location,
                "missing root element",
                format!("{}: no root element (an empty or non-XML file)", self.file),
            )?;
        } else if !stats.closed {
            let location = self.location_at(self.xml().get_ref().consumed);
            diag.bad(
                location,
                "truncated file",
                format!(
                    "{}: the file ends before its root element <{}> is closed (truncated?)",
                    self.file,
                    stats.root.as_deref().unwrap_or("")
                ),
            )?;
        }
        Ok(stats)
    }

    /// One `<row>` element opened at byte `start` (`close` is how it ends:
    /// `/>` or `>`): when its attributes hold a `<`, the parser swallowed
    /// markup, and the reader resynchronises there instead (returns false);
    /// else the row goes to `each` (returns true).
    fn emit_row(
        &mut self,
        e: &BytesStart<'_>,
        start: u64,
        close: &[u8],
        diag: &mut Diagnostics,
        each: &mut impl FnMut(&Row<'_>, &mut Diagnostics) -> Result<()>,
    ) -> Result<bool> {
        if let Some(k) = memchr::memchr(b'<', e) {
            let again = [&e[k..], close].concat();
            self.resynchronise(diag, start, k, &again)?;
            return Ok(false);
        }
        let (line, column) = self.xml().get_ref().position(start);
        let row = Row {
            file: &self.file,
            line,
            column,
            element: e,
        };
        diag.record();
        each(&row, diag)?;
        Ok(true)
    }

    /// A row tag holding a `<` (forbidden in names and attribute values:
    /// an unclosed quote swallowed what follows). The row is bad; in
    /// lenient mode, reading resumes at that `<`, which starts the next
    /// element, so one damaged row costs one row.
    fn resynchronise(
        &mut self,
        diag: &mut Diagnostics,
        start: u64,
        k: usize,
        again: &[u8],
    ) -> Result<()> {
        // The tag's bytes were `<`, the element's content, then `>` or `/>`;
        // the `<` inside is at start + 1 + k, and `again` is what follows it.
        let location = self.location_at(start + 1 + k as u64);
        diag.bad(
            location,
            "malformed XML",
            format!(
                "malformed XML: `<` inside the tag of the row that starts at {} (an unclosed quote?)",
                self.location_at(start)
            ),
        )?;
        self.xml_mut().get_mut().unconsume(again);
        Ok(())
    }

    /// Hands `again` back to the input and restarts the XML reader on it
    /// (quick-xml stops for good after a syntax error). The new reader does
    /// not know the open root element, so it does not check end names; the
    /// depth kept here still tells whether the root was closed.
    fn restart(&mut self, again: &[u8]) {
        if let Some(old) = self.reader.take() {
            let mut counter = old.into_inner();
            counter.unconsume(again);
            self.reader = Some(xml_reader(counter, false));
        }
    }

    fn xml(&self) -> &quick_xml::Reader<LineCounter<R>> {
        self.reader
            .as_ref()
            .expect("the XML reader is present between calls")
    }

    fn xml_mut(&mut self) -> &mut quick_xml::Reader<LineCounter<R>> {
        self.reader
            .as_mut()
            .expect("the XML reader is present between calls")
    }

    fn unreadable(&self, diag: &mut Diagnostics, io: io::Error) -> Result<()> {
        let consumed = self.xml().get_ref().consumed;
        match diag.mode() {
            crate::Mode::Strict => Err(Error::Io {
                path: format!("{} (after byte {consumed})", self.file).into(),
                source: io,
            }),
            crate::Mode::Lenient => {
                let location = self.location_at(consumed);
                diag.bad(
                    location,
                    "unreadable rest of file",
                    format!("{}: reading stopped after byte {consumed}: {io}", self.file),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::XmlVersion;
    use quick_xml::events::attributes::Attribute;

    #[test]
    fn unescape_agrees_with_quick_xml() {
        for raw in [
            "plain",
            "&lt;p&gt;Tea &amp; &quot;cake&quot;&lt;/p&gt;&#xA;&#xD;&#xA;x",
            "tab\there\r\nand\rthere\nend",
            "&#233;t&#xE9; &apos;",
            "",
        ] {
            let attr = Attribute {
                key: quick_xml::name::QName(b"a"),
                value: Cow::Borrowed(raw.as_bytes()),
            };
            let reference = attr.normalized_value(XmlVersion::Implicit1_0).unwrap();
            assert_eq!(
                unescape_attribute(raw.as_bytes()).unwrap(),
                reference,
                "{raw:?}"
            );
        }
        for bad in ["&nbsp;", "a & b", "&#0;", "&#xD800;", "&lt"] {
            assert!(unescape_attribute(bad.as_bytes()).is_err(), "{bad:?}");
        }
        assert!(unescape_attribute(b"\xff").is_err());
    }
}

#[cfg(test)]
mod position_tests {
    use super::*;
    use crate::diagnostics::Mode;

    #[test]
    fn rows_know_their_line_and_column() {
        let text = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<posts>\r\n  <row Id=\"1\" />\r\n  <row Id=\"2\"\n   Score=\"3\" />\r\n</posts>\r\n";
        let mut diag = Diagnostics::new(Mode::Strict, "t.xml", "stackexchange");
        let mut seen = Vec::new();
        let mut reader = RowReader::new("t.xml", text.as_bytes());
        reader
            .read_rows(&mut diag, |row, _| {
                seen.push((row.line, row.column));
                Ok(())
            })
            .unwrap();
        assert_eq!(seen, [(3, 3), (4, 3)]);
    }

    #[test]
    fn an_unclosed_quote_costs_one_row_in_lenient_mode() {
        let text = "<posts>\n  <row Id=\"1\" />\n  <row Id=\"2\" Body=\"abc />\n  <row Id=\"3\" />\n  <row Id=\"4\" />\n</posts>\n";
        let mut diag = Diagnostics::new(Mode::Strict, "t.xml", "stackexchange");
        let err = RowReader::new("t.xml", text.as_bytes())
            .read_rows(&mut diag, |_, _| Ok(()))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("t.xml:3:3: malformed XML"), "{err}");
        let mut diag = Diagnostics::new(Mode::Lenient, "t.xml", "stackexchange");
        let mut ids = Vec::new();
        RowReader::new("t.xml", text.as_bytes())
            .read_rows(&mut diag, |row, _| {
                row.for_each_attribute(|k, v| {
                    if k == b"Id" {
                        ids.push(v.into_owned());
                    }
                    Ok(())
                })
                .unwrap();
                Ok(())
            })
            .unwrap();
        assert_eq!(ids, ["1", "3", "4"]);
        let report = diag.finish();
        assert_eq!(report.skipped["malformed XML"], 1, "{:?}", report.examples);
        assert_eq!(
            (
                report.examples[0].location.line,
                report.examples[0].location.column
            ),
            (3, Some(3))
        );
    }
}
