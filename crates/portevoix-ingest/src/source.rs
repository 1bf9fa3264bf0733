//! Opening inputs: files, standard input, in-memory bytes; gzip detected by
//! its magic bytes, not the file name; line reading with numbers and a
//! length limit.

use flate2::read::MultiGzDecoder;
use portevoix_core::{Error, Location};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::Path;

/// Default longest line accepted: 64 MiB. A 10 MB JSON page is normal; a
/// multi-gigabyte "line" is a binary file or a missing newline, and is
/// reported instead of exhausting memory.
pub const DEFAULT_MAX_LINE_BYTES: usize = 64 << 20;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// One input being read: its display name, a buffered reader over the
/// (decompressed) bytes, and the current line number.
pub struct Input {
    name: String,
    reader: Box<dyn BufRead + Send>,
    line: u64,
    max_line_bytes: usize,
    gzip: bool,
    /// A second handle on a regular file opened by path, for
    /// [`Input::map_whole`]; `None` for standard input and in-memory bytes.
    file: Option<File>,
    /// Whether any byte has been consumed (peeking does not count).
    consumed: bool,
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Input")
            .field("name", &self.name)
            .field("line", &self.line)
            .field("gzip", &self.gzip)
            .finish()
    }
}

/// A line read by [`Input::next_line`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawLine {
    /// 1-based line number.
    pub number: u64,
    /// The line was longer than the limit: the buffer holds only its start.
    pub too_long: bool,
}

impl Input {
    /// Opens a file (`-` is standard input). Gzip is detected from the first
    /// two bytes, so `.gz` files with any name, and plain files named `.gz`,
    /// both work.
    pub fn open(path: &Path) -> Result<Input, Error> {
        let name = path.display().to_string();
        if name == "-" {
            return Input::from_reader(name, Box::new(io::stdin()));
        }
        let file = File::open(path).map_err(|source| Error::Io {
            path: name.clone().into(),
            source,
        })?;
        let regular = file.metadata().map(|m| m.is_file()).unwrap_or(false);
        let second = if regular { file.try_clone().ok() } else { None };
        let mut input = Input::from_reader(name, Box::new(file))?;
        if !input.gzip {
            input.file = second;
        }
        Ok(input)
    }

    /// Wraps in-memory bytes (tests, fuzzing, embedding services).
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Input {
        let name = name.into();
        // Reading from memory cannot fail; the gzip check only peeks.
        Input::from_reader(name.clone(), Box::new(Cursor::new(bytes))).unwrap_or_else(|_| Input {
            name,
            reader: Box::new(Cursor::new(Vec::new())),
            line: 0,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            gzip: false,
            file: None,
            consumed: false,
        })
    }

    /// Wraps any reader, detecting gzip.
    pub fn from_reader(name: String, reader: Box<dyn Read + Send>) -> Result<Input, Error> {
        let mut buffered = BufReader::with_capacity(1 << 20, reader);
        let head = buffered.fill_buf().map_err(|source| Error::Io {
            path: name.clone().into(),
            source,
        })?;
        let gzip = head.starts_with(&GZIP_MAGIC);
        let reader: Box<dyn BufRead + Send> = if gzip {
            Box::new(BufReader::with_capacity(
                1 << 20,
                MultiGzDecoder::new(buffered),
            ))
        } else {
            Box::new(buffered)
        };
        Ok(Input {
            name,
            reader,
            line: 0,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            gzip,
            file: None,
            consumed: false,
        })
    }

    /// Sets the longest line accepted by [`Input::next_line`].
    pub fn with_max_line_bytes(mut self, max: usize) -> Input {
        self.max_line_bytes = max.max(1);
        self
    }

    /// The name given by the user (`-` for standard input).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the input was gzip-compressed.
    pub fn is_gzip(&self) -> bool {
        self.gzip
    }

    /// The number of the last line returned by [`Input::next_line`].
    pub fn line(&self) -> u64 {
        self.line
    }

    /// A location at `line` of this input.
    pub fn location(&self, line: u64) -> Location {
        Location::line(self.name.clone(), line)
    }

    /// The error for an IO failure while reading this input, e.g. a truncated
    /// gzip stream ("unexpected end of file") after line N.
    pub fn io_error(&self, source: io::Error) -> Error {
        truncated(&self.name, self.line, source)
    }

    /// The decompressed byte stream, for readers that stream a whole
    /// document themselves (XML dumps); line numbers are theirs to count.
    pub fn into_reader(self) -> Box<dyn BufRead + Send> {
        self.reader
    }

    /// Reads everything that is left (decompressed), for readers that parse
    /// in parallel chunks or whole JSON documents.
    pub fn read_all(&mut self) -> Result<Vec<u8>, Error> {
        self.consumed = true;
        let mut bytes = Vec::new();
        self.reader
            .read_to_end(&mut bytes)
            .map_err(|e| self.io_error(e))?;
        Ok(bytes)
    }

    /// Reads everything that is left (decompressed), keeping what was read
    /// before a failure: returns the bytes and the error, if any. Lenient
    /// readers use it to keep the complete lines of a truncated gzip file
    /// and report the cut instead of losing the whole file.
    pub fn read_all_partial(&mut self) -> (Vec<u8>, Option<io::Error>) {
        self.consumed = true;
        let mut bytes = Vec::new();
        // `read_to_end` appends the bytes read before an error to `bytes`.
        let err = self.reader.read_to_end(&mut bytes).err();
        (bytes, err)
    }

    /// The whole input mapped into memory, without copying it: only for an
    /// uncompressed regular file opened by path, from which nothing has been
    /// read yet (peeking aside); `None` otherwise, and then
    /// [`Input::read_all_partial`] reads it. The input counts as consumed
    /// afterwards.
    ///
    /// The map reads the page cache directly: a 200 MB edge list costs a few
    /// thousand page faults instead of a 200 MB copy into fresh memory. As
    /// with every file map, the file must not be truncated while the map
    /// lives (another process doing so makes the reader fault); ripgrep and
    /// the other tools that map their inputs accept the same condition.
    pub fn map_whole(&mut self) -> Option<memmap2::Mmap> {
        if self.consumed || self.gzip {
            return None;
        }
        let file = self.file.as_ref()?;
        // SAFETY: the map is read only and dropped before the reader returns;
        // the file is a regular file the user named as input (see above for
        // the one condition a map adds: no concurrent truncation).
        let map = unsafe { memmap2::MmapOptions::new().map(file) }.ok()?;
        self.consumed = true;
        Some(map)
    }

    /// The longest line accepted (see [`Input::with_max_line_bytes`]); bulk
    /// readers that split [`Input::read_all`] bytes themselves apply it too.
    pub fn max_line_bytes(&self) -> usize {
        self.max_line_bytes
    }

    /// Peeks at up to `n` bytes of the (decompressed) input without consuming them.
    pub fn peek(&mut self, n: usize) -> Result<&[u8], Error> {
        let name = self.name.clone();
        let buf = self
            .reader
            .fill_buf()
            .map_err(|source| Error::io(name, source))?;
        Ok(&buf[..buf.len().min(n)])
    }

    /// Reads the next line into `buf` (cleared first), without its `\n` or
    /// `\r\n`. Returns `None` at the end of input. A line longer than the
    /// limit is consumed to its end, but only its first bytes are kept and
    /// `too_long` is set, so that the caller can report it and go on.
    pub fn next_line(&mut self, buf: &mut Vec<u8>) -> Result<Option<RawLine>, Error> {
        self.consumed = true;
        buf.clear();
        let mut too_long = false;
        let mut seen_any = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.io_error(e)),
            };
            if chunk.is_empty() {
                if !seen_any {
                    return Ok(None);
                }
                break;
            }
            seen_any = true;
            let (take, done) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            let room = self.max_line_bytes.saturating_sub(buf.len());
            let keep = take.min(room);
            if keep < take && !(done && keep + 1 == take) {
                too_long = true;
            }
            buf.extend_from_slice(&chunk[..keep]);
            self.reader.consume(take);
            if done {
                break;
            }
        }
        self.line += 1;
        if buf.last() == Some(&b'\n') {
            buf.pop();
        }
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        Ok(Some(RawLine {
            number: self.line,
            too_long,
        }))
    }
}

/// Strips a UTF-8 byte-order mark.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// The error for an input cut short (a truncated gzip stream): the path as
/// given, and the OS error prefixed with the last complete line read.
pub(crate) fn truncated(name: &str, lines: u64, source: io::Error) -> Error {
    Error::io(
        name,
        io::Error::new(source.kind(), format!("after line {lines}: {source}")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;

    fn lines(mut input: Input) -> Vec<(u64, bool, String)> {
        let mut out = Vec::new();
        let mut buf = Vec::new();
        while let Some(l) = input.next_line(&mut buf).unwrap() {
            out.push((
                l.number,
                l.too_long,
                String::from_utf8_lossy(&buf).into_owned(),
            ));
        }
        out
    }

    #[test]
    fn crlf_lf_and_missing_final_newline() {
        let got = lines(Input::from_bytes("t", b"a b\r\nc d\n\ne f".to_vec()));
        let texts: Vec<_> = got.iter().map(|(n, _, s)| (*n, s.as_str())).collect();
        assert_eq!(texts, vec![(1, "a b"), (2, "c d"), (3, ""), (4, "e f")]);
    }

    #[test]
    fn gzip_is_detected_by_magic() {
        let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
        enc.write_all(b"1 2\n3 4\n").unwrap();
        let input = Input::from_bytes("x.txt", enc.finish().unwrap());
        assert!(input.is_gzip());
        assert_eq!(lines(input).len(), 2);
    }

    #[test]
    fn truncated_gzip_is_an_error_not_a_panic() {
        let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
        for i in 0..10_000 {
            writeln!(enc, "{i} {}", i + 1).unwrap();
        }
        let mut bytes = enc.finish().unwrap();
        bytes.truncate(bytes.len() / 2);
        let mut input = Input::from_bytes("cut.gz", bytes);
        let mut buf = Vec::new();
        let err = loop {
            match input.next_line(&mut buf) {
                Ok(Some(_)) => continue,
                Ok(None) => panic!("a truncated stream must not end cleanly"),
                Err(e) => break e,
            }
        };
        let msg = err.to_string();
        assert!(msg.contains("cut.gz"), "{msg}");
    }

    #[test]
    fn over_long_lines_are_flagged_and_skipped_to_their_end() {
        let mut bytes = vec![b'x'; 5000];
        bytes.extend_from_slice(b"\nok\n");
        let input = Input::from_bytes("long", bytes).with_max_line_bytes(100);
        let got = lines(input);
        assert_eq!(got.len(), 2);
        assert!(got[0].1);
        assert_eq!(got[0].2.len(), 100);
        assert_eq!((got[1].1, got[1].2.as_str()), (false, "ok"));
    }

    #[test]
    fn empty_input_has_no_lines() {
        assert!(lines(Input::from_bytes("empty", Vec::new())).is_empty());
    }
}
