//! Edge lists: one interaction per line, `source target [more columns]`.
//!
//! # Format
//!
//! - Fields separated by runs of spaces or tabs, by single tabs, by commas
//!   or by semicolons. The separator is detected from the first data line
//!   (a tab wins, then a comma, then a semicolon, else whitespace runs) or
//!   forced with [`EdgeListOptions::delimiter`] (`b' '` means whitespace
//!   runs). With an explicit separator, fields are trimmed of spaces and
//!   tabs and a field wrapped in double quotes is unquoted; a separator
//!   *inside* quotes is not supported (use the `posts-csv` or `canonical`
//!   readers for real CSV).
//! - Lines whose first non-blank byte is `#` or `%` are comments (SNAP and
//!   Matrix Market preambles); blank lines are skipped. CRLF line ends and a
//!   UTF-8 byte-order mark are accepted, gzip is detected by [`Input`].
//! - An optional header line. Detected automatically when the first data
//!   line's id columns are not numbers while the following lines' are
//!   (`FromNodeId ToNodeId`, `source,target,weight,timestamp`), or when it
//!   names the columns with usual words (`source`/`target`, `from`/`to`,
//!   `src`/`dst`, ...); forced with [`EdgeListOptions::header`].
//! - Ids are numbers or strings. Canonical decimal numbers (no sign, no
//!   leading zero) take the interner's numeric fast path; anything else is a
//!   string id, which must be valid UTF-8 without control characters and at
//!   most [`MAX_ID_BYTES`] long.
//! - Optional columns, 0-based: weight ([`EdgeListOptions::weight_col`], a
//!   non-negative finite number), time ([`EdgeListOptions::time_col`]:
//!   integer or fractional Unix seconds, or an ISO 8601 date-time; an empty
//!   field means "unknown"), value ([`EdgeListOptions::sign_col`], any
//!   finite number, stored in `Interaction::value`) and layer
//!   ([`EdgeListOptions::layer_col`], a layer name per row such as `RT`).
//!   Columns beyond those named are ignored.
//! - **Implicit weight:** when no weight, time, sign or layer column is
//!   named and the first data line has a third column holding a number,
//!   that column is read as the weight (SNAP's weighted lists such as
//!   `higgs-retweet_network.edgelist` are `A B count`). Turn this off with
//!   [`EdgeListOptions::auto_weight`].
//! - Duplicate rows are kept: each is an interaction (a repeated event);
//!   the network builder decides whether to merge them.
//!
//! # Direction
//!
//! Row `a b` becomes the interaction `a → b` (actor → target) on the layer
//! the user names, [`Layer::Follow`] by default: "a follows b". Files that
//! list the followed account first are read with
//! [`EdgeListOptions::reverse`].
//!
//! # Speed
//!
//! The whole input is read into memory, split into chunks at line ends and
//! parsed in parallel (rayon) into per-chunk columns (`u32` ids; lines that
//! are just `number SEP number` take a one-pass path). Ids are then
//! interned in input order, so that dense ids follow first appearance
//! exactly and do not depend on the thread count: for numeric ids of
//! moderate size a sequential pass over a cache-sized bitmap interns each
//! new value, and a parallel pass writes every row's dense ids straight into
//! the layer's columns. Problems found in chunks are reported in line order,
//! so strict mode stops at the first bad line of the file. On two cores a
//! 15-million-edge Graph500 list (200 MB) loads in about 0.3 s.
//!
//! # Example
//!
//! ```
//! use portevoix_core::Layer;
//! use portevoix_ingest::{FormatKind, ReadOptions, load_bytes};
//!
//! // The first lines of SNAP's Slashdot Zoo file (tab separated, CRLF).
//! let text = b"# Directed graph\r\n# FromNodeId\tToNodeId\r\n0\t0\r\n0\t1\r\n1\t0\r\n".to_vec();
//! let ds = load_bytes("soc-Slashdot0902.txt", text, FormatKind::EdgeList, &ReadOptions::default())?;
//! let follow = ds.interactions.layer(Layer::Follow);
//! assert_eq!(follow.len(), 3);
//! let e = follow.get(Layer::Follow, 1);
//! assert_eq!((ds.interner.name(e.actor).to_string(), ds.interner.name(e.target).to_string()),
//!            ("0".to_string(), "1".to_string()));
//! assert_eq!(ds.report.files[0].records, 3);
//! # Ok::<(), portevoix_ingest::Error>(())
//! ```

mod pairs;

use crate::{DatasetBuilder, Diagnostics, Input, Location, Mode, Result};
use memchr::memchr;
use portevoix_core::{Layer, LayerLog, NO_TIME, NodeId, Timestamp, canonical_u64};
use rayon::prelude::*;
use std::str::FromStr;

/// Longest string id accepted, in bytes. Real ids are short (a Mastodon
/// account URI is under 200 bytes); a longer "id" is a broken or binary file
/// and would bloat the interner.
pub const MAX_ID_BYTES: usize = 1024;

/// How an edge list is read. `Default` reads `source target` pairs into
/// [`Layer::Follow`] with the separator and header detected.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeListOptions {
    /// The layer every row lands in (unless [`EdgeListOptions::layer_col`] is set).
    pub layer: Layer,
    /// Field separator; `None` detects it from the first data line; `b' '`
    /// means runs of spaces and tabs.
    pub delimiter: Option<u8>,
    /// Whether the first non-comment line is a header; `None` detects it.
    pub header: Option<bool>,
    /// 0-based column of the actor id.
    pub source_col: usize,
    /// 0-based column of the target id.
    pub target_col: usize,
    /// 0-based column of a weight (a non-negative number).
    pub weight_col: Option<usize>,
    /// 0-based column of a time (Unix seconds, fractional or not, or ISO 8601).
    pub time_col: Option<usize>,
    /// 0-based column of a signed value or rating, stored in `Interaction::value`.
    pub sign_col: Option<usize>,
    /// 0-based column naming each row's layer (`follow`, `RT`, `reply`, ...),
    /// overriding [`EdgeListOptions::layer`].
    pub layer_col: Option<usize>,
    /// Read a numeric third column as the weight when no other column is
    /// named (default `true`).
    pub auto_weight: bool,
    /// Swap source and target: the file lists the target first.
    pub reverse: bool,
}

impl Default for EdgeListOptions {
    fn default() -> Self {
        EdgeListOptions {
            layer: Layer::Follow,
            delimiter: None,
            header: None,
            source_col: 0,
            target_col: 1,
            weight_col: None,
            time_col: None,
            sign_col: None,
            layer_col: None,
            auto_weight: true,
            reverse: false,
        }
    }
}

/// Reads an edge list into `builder`, reporting bad rows to `diag`.
pub fn read(
    input: &mut Input,
    options: &EdgeListOptions,
    builder: &mut DatasetBuilder,
    diag: &mut Diagnostics,
) -> Result<()> {
    let request = TableRequest {
        delimiter: options.delimiter,
        header: options.header,
        src: options.source_col,
        dst: options.target_col,
    };
    read_table(input, &request, builder, diag, |first| {
        let named = options.weight_col.is_some()
            || options.time_col.is_some()
            || options.sign_col.is_some()
            || options.layer_col.is_some();
        let ids_first = matches!((options.source_col, options.target_col), (0, 1) | (1, 0));
        let implicit_weight = options.auto_weight
            && !named
            && ids_first
            && first.is_some_and(|f| f.len() > 2 && parse_f64(f[2]).is_some());
        Plan {
            layer: options.layer,
            src: options.source_col,
            dst: options.target_col,
            weight: if implicit_weight {
                Some(2)
            } else {
                options.weight_col
            },
            time: options.time_col,
            value: options.sign_col,
            layer_col: options.layer_col.map(|c| (c, LayerCodes::Names)),
            reverse: options.reverse,
            ..Plan::new(options.layer)
        }
    })
}

/// Whether the first bytes look like an edge list. Safe rather than
/// eager: every sampled data line (after an optional header) must have the
/// same number of fields, two to four, all numbers, with integer ids in the
/// first two. Edge lists with string ids are read with `--format edgelist`.
pub fn sniff(head: &[u8]) -> bool {
    sniff_numeric_table(head).is_some()
}

// ---------------------------------------------------------------------------
// The shared machinery of the delimited readers (edge lists, Higgs, signed).
// ---------------------------------------------------------------------------

/// How fields are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delim {
    /// Runs of spaces and tabs; leading ones ignored.
    Whitespace,
    /// One byte; fields are trimmed of spaces and tabs.
    Byte(u8),
}

/// How a layer column is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LayerCodes {
    /// Only Higgs's `RT`, `MT`, `RE`.
    Higgs,
    /// Any name [`Layer::from_str`] accepts.
    Names,
}

/// What the user asked about separator, header and id columns, before the
/// data is seen.
pub(crate) struct TableRequest {
    pub delimiter: Option<u8>,
    pub header: Option<bool>,
    pub src: usize,
    pub dst: usize,
}

/// The resolved reading plan of a delimited file.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub layer: Layer,
    pub delim: Delim,
    pub src: usize,
    pub dst: usize,
    pub weight: Option<usize>,
    pub time: Option<usize>,
    pub value: Option<usize>,
    pub layer_col: Option<(usize, LayerCodes)>,
    pub reverse: bool,
    pub value_min: Option<f32>,
    pub value_max: Option<f32>,
    pub max_line: usize,
    /// The ids are columns 0 and 1 (in either order): the fused fast path applies.
    pub ids_first: bool,
}

impl Plan {
    pub fn new(layer: Layer) -> Plan {
        Plan {
            layer,
            delim: Delim::Whitespace,
            src: 0,
            dst: 1,
            weight: None,
            time: None,
            value: None,
            layer_col: None,
            reverse: false,
            value_min: None,
            value_max: None,
            max_line: usize::MAX,
            ids_first: true,
        }
    }

    /// Number of fields a row needs.
    fn need(&self) -> usize {
        [
            Some(self.src),
            Some(self.dst),
            self.weight,
            self.time,
            self.value,
            self.layer_col.map(|(c, _)| c),
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(1)
        .saturating_add(1)
    }
}

/// Reads a whole delimited file: detects separator and header, lets
/// `resolve` complete the plan from the first data line's fields, parses in
/// parallel and appends to `builder`.
pub(crate) fn read_table(
    input: &mut Input,
    request: &TableRequest,
    builder: &mut DatasetBuilder,
    diag: &mut Diagnostics,
    resolve: impl FnOnce(Option<&[&[u8]]>) -> Plan,
) -> Result<()> {
    // A regular file is mapped rather than copied (see `Input::map_whole`).
    let mapped = input.map_whole();
    let (mut owned, io_error) = match mapped {
        Some(_) => (Vec::new(), None),
        None => input.read_all_partial(),
    };
    if io_error.is_some() {
        // The bytes after the last line end are a line cut by the failure.
        let keep = memchr::memrchr(b'\n', &owned).map_or(0, |i| i + 1);
        owned.truncate(keep);
    }
    let bytes: &[u8] = mapped.as_deref().unwrap_or(&owned);
    let name = input.name().to_string();
    let max_line = input.max_line_bytes();
    let (lines, records) =
        parse_and_append(&name, bytes, max_line, request, builder, diag, resolve)?;
    if records == 0 {
        // Not an error (an empty export is valid), but never silent.
        diag.note("no data rows", 1);
    }
    if let Some(err) = io_error {
        report_truncation(&name, lines, err, diag)?;
    }
    Ok(())
}

/// A read failure after `lines` complete lines (a truncated gzip stream):
/// strict mode stops with the IO error, lenient mode counts the cut line as
/// one skipped record and keeps what came before.
pub(crate) fn report_truncation(
    name: &str,
    lines: u64,
    err: std::io::Error,
    diag: &mut Diagnostics,
) -> Result<()> {
    match diag.mode() {
        Mode::Strict => Err(crate::source::truncated(name, lines, err)),
        Mode::Lenient => {
            diag.record();
            diag.bad(
                Location::line(name, lines + 1),
                "truncated input",
                format!("input ends early ({err}); the {lines} complete lines before were read"),
            )
        }
    }
}

/// Parses `bytes` (complete lines) and appends the rows. Returns the number
/// of lines seen and of records (data rows, good or bad).
fn parse_and_append(
    name: &str,
    bytes: &[u8],
    max_line: usize,
    request: &TableRequest,
    builder: &mut DatasetBuilder,
    diag: &mut Diagnostics,
    resolve: impl FnOnce(Option<&[&[u8]]>) -> Plan,
) -> Result<(u64, u64)> {
    let body_start = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let pre = preamble(bytes, body_start, max_line, request);
    if pre.header {
        // Detected or forced: say so, since a wrong guess drops a row.
        diag.note("header line skipped", 1);
    }
    let first_fields: Option<Vec<&[u8]>> = pre.first_data.map(|(s, e)| {
        let mut f = Vec::new();
        split(&bytes[s..e], pre.delim, usize::MAX, &mut f);
        f
    });
    let mut plan = resolve(first_fields.as_deref());
    plan.delim = pre.delim;
    plan.max_line = max_line;
    plan.ids_first = matches!((plan.src, plan.dst), (0, 1) | (1, 0));

    let region = &bytes[pre.start..];
    if pairs::eligible(&plan, builder)
        && let Some(read) = pairs::read_pairs(region, pre.avg_line, &plan, builder)
    {
        let read = read?;
        diag.records(read.rows as u64);
        return Ok((pre.line_base + read.lines, read.rows as u64));
    }
    let chunks = chunk_bounds(region, pre.avg_line);
    let outs: Vec<ChunkOut> = chunks
        .par_iter()
        .map(|&(s, e)| {
            parse_chunk(
                &region[s..e],
                pre.start + s,
                &plan,
                diag.mode(),
                pre.avg_line,
            )
        })
        .collect();

    // Problems first, in line order: strict mode stops at the first one
    // before anything is appended.
    let mut line_base = pre.line_base;
    for out in &outs {
        for p in &out.problems {
            let mut loc = Location::line(name, line_base + p.line);
            if let Some(c) = p.column {
                loc = loc.with_column(c);
            }
            diag.record();
            diag.bad(loc, p.kind, p.detail.clone())?;
        }
        line_base += out.lines;
    }
    let rows: usize = outs.iter().map(|o| o.src.len()).sum();
    let problems: usize = outs.iter().map(|o| o.problems.len()).sum();
    diag.records(rows as u64);
    append(bytes, &outs, &plan, rows, builder)?;
    Ok((line_base, (rows + problems) as u64))
}

pub(crate) struct Preamble {
    pub(crate) delim: Delim,
    /// Whether the first data line is a header.
    pub(crate) header: bool,
    /// Byte offset where chunked parsing starts (after a header line).
    start: usize,
    /// Number of lines before `start`.
    line_base: u64,
    /// The first data line (after the header), as a byte range.
    pub(crate) first_data: Option<(usize, usize)>,
    /// Average length of the first data lines, with the line end.
    avg_line: usize,
}

/// Looks at the first data lines: separator, header, first data line.
pub(crate) fn preamble(
    bytes: &[u8],
    body_start: usize,
    max_line: usize,
    req: &TableRequest,
) -> Preamble {
    const SAMPLE: usize = 9;
    // (line number, start, end) of the first data lines.
    let mut data: Vec<(u64, usize, usize, usize)> = Vec::new();
    let mut pos = body_start;
    let mut line = 0u64;
    let mut data_bytes = 0usize;
    while pos < bytes.len() && data.len() < SAMPLE {
        let end = memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
        line += 1;
        let next = end + 1;
        let text = strip_cr(&bytes[pos..end]);
        if text.len() <= max_line && !is_skippable(text) {
            data.push((line, pos, pos + text.len(), next.min(bytes.len())));
            data_bytes += end - pos + 1;
        }
        pos = next;
    }
    // Sizes the per-chunk columns; rounding down over-allocates a little,
    // which costs address space only.
    let avg_line = if data.is_empty() {
        16
    } else {
        (data_bytes / data.len()).max(2)
    };
    let delim = match req.delimiter {
        Some(b' ') => Delim::Whitespace,
        Some(d) => Delim::Byte(d),
        None => data.first().map_or(Delim::Whitespace, |&(_, s, e, _)| {
            detect_delim(&bytes[s..e])
        }),
    };
    let fields_of = |s: usize, e: usize| {
        let mut f = Vec::new();
        split(&bytes[s..e], delim, usize::MAX, &mut f);
        f
    };
    let header = match (req.header, data.first()) {
        (_, None) => false,
        (Some(h), Some(_)) => h,
        (None, Some(&(_, s, e, _))) => {
            let first = fields_of(s, e);
            let later: Vec<Vec<&[u8]>> = data[1..]
                .iter()
                .map(|&(_, s, e, _)| fields_of(s, e))
                .collect();
            looks_like_header(&first, &later, req.src, req.dst)
        }
    };
    let (start, line_base, first_data) = if header {
        let (l, _, _, next) = data[0];
        (next, l, data.get(1).map(|&(_, s, e, _)| (s, e)))
    } else {
        (body_start, 0, data.first().map(|&(_, s, e, _)| (s, e)))
    };
    Preamble {
        delim,
        header,
        start,
        line_base,
        first_data,
        avg_line,
    }
}

/// The separator of a data line: a tab wins (SNAP), then a comma (CSV), then
/// a semicolon (spreadsheets in comma-decimal locales), else whitespace runs.
fn detect_delim(line: &[u8]) -> Delim {
    if memchr(b'\t', line).is_some() {
        Delim::Byte(b'\t')
    } else if memchr(b',', line).is_some() {
        Delim::Byte(b',')
    } else if memchr(b';', line).is_some() {
        Delim::Byte(b';')
    } else {
        Delim::Whitespace
    }
}

/// Whether the first data line is a header: it names the id columns with
/// usual words, or its ids are not numbers while the next lines' are (the
/// SNAP and Bitcoin Alpha case). String-id files with an unusual header need
/// [`EdgeListOptions::header`].
fn looks_like_header(first: &[&[u8]], later: &[Vec<&[u8]>], src: usize, dst: usize) -> bool {
    let (Some(a), Some(b)) = (first.get(src), first.get(dst)) else {
        return false;
    };
    if is_header_word(a) && is_header_word(b) {
        return true;
    }
    let ids_not_numbers = parse_f64(a).is_none() || parse_f64(b).is_none();
    let later_numbers = !later.is_empty()
        && later.iter().all(|f| {
            matches!((f.get(src), f.get(dst)), (Some(x), Some(y)) if parse_f64(x).is_some() && parse_f64(y).is_some())
        });
    ids_not_numbers && later_numbers
}

fn is_header_word(f: &[u8]) -> bool {
    const WORDS: &[&str] = &[
        "source",
        "target",
        "from",
        "to",
        "src",
        "dst",
        "dest",
        "destination",
        "follower",
        "followee",
        "followed",
        "following",
        "user",
        "user1",
        "user2",
        "usera",
        "userb",
        "node",
        "node1",
        "node2",
        "id1",
        "id2",
        "fromnodeid",
        "tonodeid",
        "rater",
        "ratee",
        "actor",
        "source_id",
        "target_id",
        "from_id",
        "to_id",
    ];
    let t = trim(f);
    let t = t.strip_prefix(b"#").unwrap_or(t);
    std::str::from_utf8(t).is_ok_and(|s| WORDS.iter().any(|w| s.trim().eq_ignore_ascii_case(w)))
}

/// Splits `region` into chunks that end at line ends, sized for the thread pool.
fn chunk_bounds(region: &[u8], avg_line: usize) -> Vec<(usize, usize)> {
    let threads = rayon::current_num_threads().max(1);
    // Several chunks per thread for balance, but big enough that per-chunk
    // overhead (allocations, the merge loop) stays negligible.
    let target = (region.len() / (threads * 8))
        .max(256 * 1024)
        .max(avg_line * 64);
    let mut out = Vec::new();
    let mut s = 0;
    while s < region.len() {
        let nominal = s.saturating_add(target);
        let e = if nominal >= region.len() {
            region.len()
        } else {
            memchr(b'\n', &region[nominal..]).map_or(region.len(), |i| nominal + i + 1)
        };
        out.push((s, e));
        s = e;
    }
    out
}

/// A problem found while parsing a chunk, with its line counted from the
/// chunk's first line (1-based).
struct ChunkProblem {
    line: u64,
    column: Option<u64>,
    kind: &'static str,
    detail: String,
}

/// An id that does not fit the chunk's `u32` columns: which row and side,
/// and what it is.
struct WideId {
    /// `2 * row + side` (side 0 = source, 1 = target).
    slot: usize,
    id: Wide,
}

enum Wide {
    /// A number above `u32::MAX` (Twitter ids).
    Big(u64),
    /// A string id: where its bytes are in the whole buffer.
    Text { start: usize, len: usize },
}

/// The rows of one chunk, as columns.
#[derive(Default)]
struct ChunkOut {
    lines: u64,
    /// Numeric ids up to `u32::MAX` (SNAP, Graph500): half the memory of
    /// `u64`, which matters at 15 million rows. The value is meaningless
    /// where a [`WideId`] replaces it.
    src: Vec<u32>,
    dst: Vec<u32>,
    wide: Vec<WideId>,
    weight: Option<Vec<f32>>,
    time: Option<Vec<i64>>,
    value: Option<Vec<f32>>,
    layer: Option<Vec<u8>>,
    problems: Vec<ChunkProblem>,
}

/// An id as checked while parsing: a canonical number, or a string to be
/// interned as text.
enum Id {
    Num(u64),
    Text,
}

impl ChunkOut {
    /// Appends a row's two ids, each with where its bytes are (used for
    /// string ids). Numbers up to `u32::MAX` go to the columns; bigger
    /// numbers and strings to the side list.
    #[inline(always)]
    fn push_ids(&mut self, ids: [(Id, usize, usize); 2]) {
        let row = self.src.len();
        let mut narrow = [0u32; 2];
        for (side, (id, start, len)) in ids.into_iter().enumerate() {
            let wide = match id {
                Id::Num(v) => match u32::try_from(v) {
                    Ok(x) => {
                        narrow[side] = x;
                        continue;
                    }
                    Err(_) => Wide::Big(v),
                },
                Id::Text => Wide::Text { start, len },
            };
            self.wide.push(WideId {
                slot: 2 * row + side,
                id: wide,
            });
        }
        self.src.push(narrow[0]);
        self.dst.push(narrow[1]);
    }
}

#[inline]
fn strip_cr(line: &[u8]) -> &[u8] {
    match line.last() {
        Some(b'\r') => &line[..line.len() - 1],
        _ => line,
    }
}

/// Blank lines and `#` / `%` comments.
#[inline]
fn is_skippable(line: &[u8]) -> bool {
    match line.iter().find(|&&b| b != b' ' && b != b'\t') {
        None => true,
        Some(&b) => b == b'#' || b == b'%',
    }
}

#[inline]
fn trim(mut f: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = f {
        f = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = f {
        f = rest;
    }
    f
}

#[inline]
fn unquote(f: &[u8]) -> &[u8] {
    if f.len() >= 2 && f[0] == b'"' && f[f.len() - 1] == b'"' {
        &f[1..f.len() - 1]
    } else {
        f
    }
}

/// Splits a line into at most `need` fields.
#[inline]
pub(crate) fn split<'a>(line: &'a [u8], delim: Delim, need: usize, out: &mut Vec<&'a [u8]>) {
    out.clear();
    split_append(line, delim, need, out);
}

/// Splits a line into fields appended to `out` until it holds `need`.
#[inline]
fn split_append<'a>(line: &'a [u8], delim: Delim, need: usize, out: &mut Vec<&'a [u8]>) {
    match delim {
        Delim::Whitespace => {
            let n = line.len();
            let mut i = 0;
            while out.len() < need {
                while i < n && (line[i] == b' ' || line[i] == b'\t') {
                    i += 1;
                }
                if i == n {
                    break;
                }
                let s = i;
                while i < n && line[i] != b' ' && line[i] != b'\t' {
                    i += 1;
                }
                out.push(&line[s..i]);
            }
        }
        Delim::Byte(d) => {
            let mut rest = line;
            while out.len() < need {
                match memchr(d, rest) {
                    Some(k) => {
                        out.push(unquote(trim(&rest[..k])));
                        rest = &rest[k + 1..];
                    }
                    None => {
                        out.push(unquote(trim(rest)));
                        break;
                    }
                }
            }
        }
    }
}

/// Shows a field in a message: lossy UTF-8, control characters escaped,
/// cut to a readable length.
pub(crate) fn show(f: &[u8]) -> String {
    const MAX: usize = 40;
    let text = String::from_utf8_lossy(&f[..f.len().min(MAX)]);
    let mut s: String = text.escape_debug().collect();
    if f.len() > MAX {
        s.push_str(&format!("... ({} bytes)", f.len()));
    }
    s
}

/// Checks an id field: `Ok(Num)` for canonical numbers, `Ok(Text)` for
/// acceptable strings, else the problem kind and detail.
#[inline]
fn check_id(f: &[u8], what: &str) -> Result<Id, (&'static str, String)> {
    if let Some(v) = canonical_u64(f) {
        return Ok(Id::Num(v));
    }
    if f.is_empty() {
        return Err(("empty id", format!("empty {what} id")));
    }
    if f.len() > MAX_ID_BYTES {
        return Err((
            "id too long",
            format!(
                "{what} id of {} bytes is longer than the {MAX_ID_BYTES}-byte limit: '{}'",
                f.len(),
                show(f)
            ),
        ));
    }
    let Ok(s) = std::str::from_utf8(f) else {
        return Err((
            "invalid UTF-8",
            format!("{what} id is not valid UTF-8: '{}'", show(f)),
        ));
    };
    if s.chars().any(char::is_control) {
        return Err((
            "invalid id",
            format!("{what} id contains a control character: '{}'", show(f)),
        ));
    }
    Ok(Id::Text)
}

/// Parses a number: a fast path for plain integers, the standard parser
/// otherwise. `None` for anything that is not a finite number.
#[inline]
pub(crate) fn parse_f64(f: &[u8]) -> Option<f64> {
    if let Some(v) = parse_i64(f) {
        // Integers up to 2^53 are exact; larger ones round, as a float would.
        return Some(v as f64);
    }
    if f.is_empty()
        || f.len() > 64
        || !f
            .iter()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        // Rejects "inf", "NaN" and friends, which the standard parser takes.
        return None;
    }
    let s = std::str::from_utf8(f).ok()?;
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Parses an optionally signed decimal integer of at most 18 digits.
#[inline]
fn parse_i64(f: &[u8]) -> Option<i64> {
    let (neg, digits) = match f {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, f),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut v: i64 = 0;
    for &b in digits {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + d as i64;
    }
    Some(if neg { -v } else { v })
}

/// Parses a time field into epoch milliseconds: integer or fractional Unix
/// seconds (fast path), else any spelling [`Timestamp::parse`] accepts.
#[inline]
pub(crate) fn parse_time_ms(f: &[u8]) -> Option<i64> {
    if let Some(secs) = parse_i64(f) {
        return secs.checked_mul(1000);
    }
    if let Some(secs) = parse_f64(f) {
        return Timestamp::from_secs_f64(secs).map(|t| t.0);
    }
    let s = std::str::from_utf8(f).ok()?;
    Timestamp::parse(s).map(|t| t.0)
}

#[inline]
fn higgs_layer(f: &[u8]) -> Option<Layer> {
    match f {
        b"RT" => Some(Layer::Repost),
        b"MT" => Some(Layer::Mention),
        b"RE" => Some(Layer::Reply),
        _ => None,
    }
}

/// Parses a canonical decimal number of at most 19 digits (no overflow
/// possible) starting at `*i`, leaving `*i` on the first byte after it.
///
/// Eight bytes at a time where the input allows (SWAR): the run of digits
/// in a word is found with two additions and a mask, and up to eight digits
/// are converted with three multiplications, instead of one dependent
/// multiply-add per digit.
#[inline(always)]
fn fast_u64(b: &[u8], i: &mut usize) -> Option<u64> {
    let start = *i;
    let mut v: u64 = 0;
    while *i + 8 <= b.len() {
        let word = u64::from_le_bytes(b[*i..*i + 8].try_into().expect("8 bytes"));
        let n = digit_run(word);
        if n > 0 {
            if *i + n - start > 19 {
                // A 20th digit may overflow: the general path checks it.
                return None;
            }
            v = v * POW10[n] + swar_digits(word, n);
            *i += n;
        }
        if n < 8 {
            return canonical(b, start, *i, v);
        }
    }
    while *i < b.len() {
        let d = b[*i].wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        if *i - start == 19 {
            return None;
        }
        v = v * 10 + d as u64;
        *i += 1;
    }
    canonical(b, start, *i, v)
}

/// `10^k` for `k ≤ 8`.
const POW10: [u64; 9] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
];

/// The number of leading ASCII digits (0 to 8) of a little-endian word.
#[inline(always)]
fn digit_run(word: u64) -> usize {
    let x = word.wrapping_sub(0x3030_3030_3030_3030);
    // A byte is not a digit when it was below '0' (its top bit is set after
    // the subtraction borrows) or above '9' (x + 0x76 reaches 0x80).
    let non = (x | x.wrapping_add(0x7676_7676_7676_7676)) & 0x8080_8080_8080_8080;
    (non.trailing_zeros() / 8) as usize
}

/// The value of the first `n` (1 to 8) digits of a little-endian word.
#[inline(always)]
fn swar_digits(word: u64, n: usize) -> u64 {
    // Digits to the top bytes, zeros (leading zero digits) below.
    let x = (word.wrapping_sub(0x3030_3030_3030_3030)) << (8 * (8 - n));
    let x = x.wrapping_mul(10).wrapping_add(x >> 8);
    let hi = (x & 0x0000_00FF_0000_00FF).wrapping_mul(100 + (1_000_000 << 32));
    let lo = ((x >> 16) & 0x0000_00FF_0000_00FF).wrapping_mul(1 + (10_000 << 32));
    hi.wrapping_add(lo) >> 32
}

/// The number read from `start..end`, if it is canonical: at least one
/// digit, and no leading zero (`007` is a string id, like `canonical_u64`).
#[inline(always)]
fn canonical(b: &[u8], start: usize, end: usize, v: u64) -> Option<u64> {
    let len = end - start;
    (len > 0 && !(len > 1 && b[start] == b'0')).then_some(v)
}

/// The fused fast path for lines that start `number SEP number`: returns
/// both numbers and fills `fields` exactly as [`split`] would, or `None` to
/// let the general path handle (and report) the line.
#[inline(always)]
fn fast_ids<'a>(
    line: &'a [u8],
    delim: Delim,
    need: usize,
    fields: &mut Vec<&'a [u8]>,
) -> Option<(u64, u64)> {
    let is_sep = |b: u8| match delim {
        Delim::Whitespace => b == b' ' || b == b'\t',
        Delim::Byte(d) => b == d,
    };
    let mut i = 0;
    let a = fast_u64(line, &mut i)?;
    let a_end = i;
    if i >= line.len() || !is_sep(line[i]) {
        return None;
    }
    i += 1;
    if delim == Delim::Whitespace {
        while i < line.len() && is_sep(line[i]) {
            i += 1;
        }
    }
    let b_start = i;
    let b = fast_u64(line, &mut i)?;
    let b_end = i;
    fields.clear();
    fields.push(&line[..a_end]);
    fields.push(&line[b_start..b_end]);
    if i < line.len() {
        if !is_sep(line[i]) {
            return None;
        }
        if need > 2 {
            split_append(&line[i + 1..], delim, need, fields);
        }
    }
    (fields.len() >= need).then_some((a, b))
}

/// The whole-line fast path: a line that is exactly `number SEP number`
/// (with LF, CRLF or the end of the input after it). Returns both numbers
/// and where the next line starts, or `None` for any other line.
#[inline(always)]
fn fast_pair_line(b: &[u8], pos: usize, delim: Delim) -> Option<(u64, u64, usize)> {
    let mut i = pos;
    let x = fast_u64(b, &mut i)?;
    match (delim, b.get(i)) {
        (Delim::Whitespace, Some(b' ' | b'\t')) => {
            i += 1;
            while matches!(b.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
        }
        (Delim::Byte(d), Some(&c)) if c == d => i += 1,
        _ => return None,
    }
    let y = fast_u64(b, &mut i)?;
    let next = match (b.get(i), b.get(i + 1)) {
        (None, _) => i,
        (Some(b'\n'), _) => i + 1,
        (Some(b'\r'), Some(b'\n')) => i + 2,
        (Some(b'\r'), None) => i + 1,
        _ => return None,
    };
    Some((x, y, next))
}

/// Parses one chunk. `offset` is the chunk's position in the whole buffer,
/// so that string ids can be found again at merge time.
fn parse_chunk(chunk: &[u8], offset: usize, plan: &Plan, mode: Mode, avg_line: usize) -> ChunkOut {
    let estimate = chunk.len() / avg_line + 16;
    let mut out = ChunkOut {
        src: Vec::with_capacity(estimate),
        dst: Vec::with_capacity(estimate),
        weight: plan.weight.map(|_| Vec::with_capacity(estimate)),
        time: plan.time.map(|_| Vec::with_capacity(estimate)),
        value: plan.value.map(|_| Vec::with_capacity(estimate)),
        layer: plan.layer_col.map(|_| Vec::with_capacity(estimate)),
        ..ChunkOut::default()
    };
    let need = plan.need();
    let mut fields: Vec<&[u8]> = Vec::with_capacity(need.min(64));
    let mut pos = 0;
    let mut line_no = 0u64;
    let base = chunk.as_ptr() as usize;
    // Plain `number SEP number` files (SNAP, Graph500) are parsed in one
    // pass over the bytes, without even looking for the line end first.
    let pair_only = need == 2 && plan.ids_first && plan.max_line >= 64;
    while pos < chunk.len() {
        if pair_only && let Some((a, b, next)) = fast_pair_line(chunk, pos, plan.delim) {
            let (a, b) = if plan.src == 0 { (a, b) } else { (b, a) };
            out.push_ids([(Id::Num(a), 0, 0), (Id::Num(b), 0, 0)]);
            line_no += 1;
            pos = next;
            continue;
        }
        let end = memchr(b'\n', &chunk[pos..]).map_or(chunk.len(), |i| pos + i);
        let line = strip_cr(&chunk[pos..end]);
        pos = end + 1;
        line_no += 1;
        // In strict mode only the first problem matters: stop the chunk there.
        if mode == Mode::Strict && !out.problems.is_empty() {
            continue;
        }
        let problem = |column: Option<usize>, kind: &'static str, detail: String| ChunkProblem {
            line: line_no,
            column: column.map(|c| c as u64 + 1),
            kind,
            detail,
        };
        if line.len() > plan.max_line {
            out.problems.push(problem(
                None,
                "line too long",
                format!(
                    "line of {} bytes is longer than the {}-byte limit",
                    line.len(),
                    plan.max_line
                ),
            ));
            continue;
        }
        match line.first() {
            Some(b) if b.is_ascii_digit() => {}
            _ if is_skippable(line) => continue,
            _ => {}
        }
        // Fast path: the ids are the first two fields and plain numbers
        // (SNAP, Graph500): parsed while scanning, no second pass.
        let fast = if plan.ids_first {
            fast_ids(line, plan.delim, need, &mut fields)
        } else {
            None
        };
        let (s_id, d_id, fs, fd) = match fast {
            Some((a, b)) => {
                let (a, b) = if plan.src == 0 { (a, b) } else { (b, a) };
                (Id::Num(a), Id::Num(b), fields[plan.src], fields[plan.dst])
            }
            None => {
                split(line, plan.delim, need, &mut fields);
                if fields.len() < need {
                    out.problems.push(problem(
                        Some(fields.len()),
                        "missing column",
                        format!("expected at least {need} columns, found {}", fields.len()),
                    ));
                    continue;
                }
                let (fs, fd) = (fields[plan.src], fields[plan.dst]);
                let s_id = match check_id(fs, "source") {
                    Ok(id) => id,
                    Err((kind, detail)) => {
                        out.problems.push(problem(Some(plan.src), kind, detail));
                        continue;
                    }
                };
                let d_id = match check_id(fd, "target") {
                    Ok(id) => id,
                    Err((kind, detail)) => {
                        out.problems.push(problem(Some(plan.dst), kind, detail));
                        continue;
                    }
                };
                (s_id, d_id, fs, fd)
            }
        };
        let mut weight = 1.0f32;
        if let Some(c) = plan.weight {
            match parse_f64(fields[c]) {
                Some(w) if w >= 0.0 && (w as f32).is_finite() => weight = w as f32,
                Some(w) if w < 0.0 => {
                    out.problems.push(problem(
                        Some(c),
                        "negative weight",
                        format!(
                            "negative weight {} in column {} (signed data? read it with --format signed, or name the column as the sign column)",
                            show(fields[c]),
                            c + 1
                        ),
                    ));
                    continue;
                }
                _ => {
                    out.problems.push(problem(
                        Some(c),
                        "invalid weight",
                        format!("invalid weight '{}' (expected a number)", show(fields[c])),
                    ));
                    continue;
                }
            }
        }
        let mut time = NO_TIME;
        if let Some(c) = plan.time
            && !fields[c].is_empty()
        {
            match parse_time_ms(fields[c]) {
                Some(t) if t != NO_TIME => time = t,
                _ => {
                    out.problems.push(problem(
                        Some(c),
                        "invalid time",
                        format!(
                            "invalid time '{}' (expected Unix seconds or an ISO 8601 date-time)",
                            show(fields[c])
                        ),
                    ));
                    continue;
                }
            }
        }
        let mut value = f32::NAN;
        if let Some(c) = plan.value {
            match parse_f64(fields[c])
                .map(|v| v as f32)
                .filter(|v| v.is_finite())
            {
                Some(v) => {
                    let low = plan.value_min.is_some_and(|m| v < m);
                    let high = plan.value_max.is_some_and(|m| v > m);
                    if low || high {
                        out.problems.push(problem(
                            Some(c),
                            "value out of range",
                            format!(
                                "value {} outside the accepted range [{}, {}]",
                                show(fields[c]),
                                plan.value_min.map_or("-inf".into(), |m| m.to_string()),
                                plan.value_max.map_or("inf".into(), |m| m.to_string()),
                            ),
                        ));
                        continue;
                    }
                    value = v;
                }
                None => {
                    out.problems.push(problem(
                        Some(c),
                        "invalid value",
                        format!("invalid value '{}' (expected a number)", show(fields[c])),
                    ));
                    continue;
                }
            }
        }
        let mut layer = plan.layer;
        if let Some((c, codes)) = plan.layer_col {
            let f = fields[c];
            let parsed = match codes {
                LayerCodes::Higgs => higgs_layer(f),
                LayerCodes::Names => std::str::from_utf8(f)
                    .ok()
                    .and_then(|s| Layer::from_str(s).ok()),
            };
            match parsed {
                Some(l) => layer = l,
                None => {
                    let expected = match codes {
                        LayerCodes::Higgs => "RT, MT or RE",
                        LayerCodes::Names => "a layer name such as follow, repost, reply, mention",
                    };
                    out.problems.push(problem(
                        Some(c),
                        "unknown interaction",
                        format!("unknown interaction '{}' (expected {expected})", show(f)),
                    ));
                    continue;
                }
            }
        }
        // The row is valid: append every column.
        let start = |f: &[u8]| offset + (f.as_ptr() as usize - base);
        out.push_ids([(s_id, start(fs), fs.len()), (d_id, start(fd), fd.len())]);
        if let Some(w) = out.weight.as_mut() {
            w.push(weight);
        }
        if let Some(t) = out.time.as_mut() {
            t.push(time);
        }
        if let Some(v) = out.value.as_mut() {
            v.push(value);
        }
        if let Some(l) = out.layer.as_mut() {
            l.push(layer.index() as u8);
        }
    }
    out.lines = line_no;
    out
}

/// Interns the ids of every chunk in input order and appends the rows.
fn append(
    bytes: &[u8],
    outs: &[ChunkOut],
    plan: &Plan,
    rows: usize,
    builder: &mut DatasetBuilder,
) -> Result<()> {
    if plan.layer_col.is_none() {
        // One layer: the dense ids are written straight into its columns.
        let log = builder.interactions_mut().layer_mut(plan.layer);
        let before = log.len();
        let mut actor = std::mem::take(&mut log.actor);
        let mut target = std::mem::take(&mut log.target);
        actor.resize(before + rows, 0);
        target.resize(before + rows, 0);
        let (src_col, dst_col) = if plan.reverse {
            (&mut target[before..], &mut actor[before..])
        } else {
            (&mut actor[before..], &mut target[before..])
        };
        let interned = intern_rows(bytes, outs, builder, src_col, dst_col);
        let log = builder.interactions_mut().layer_mut(plan.layer);
        log.actor = actor;
        log.target = target;
        if let Err(e) = interned {
            // Keep the log consistent: drop the rows of this input.
            log.actor.truncate(before);
            log.target.truncate(before);
            return Err(e);
        }
        log.weight.reserve(rows);
        let mut at = before;
        for out in outs {
            append_columns(log, at, out);
            at += out.src.len();
        }
        return Ok(());
    }
    // A layer per row (Higgs): ids first, then one push per row.
    let mut actors = vec![0u32; rows];
    let mut targets = vec![0u32; rows];
    intern_rows(bytes, outs, builder, &mut actors, &mut targets)?;
    if plan.reverse {
        std::mem::swap(&mut actors, &mut targets);
    }
    let log = builder.interactions_mut();
    let mut row = 0;
    for out in outs {
        let layers = out.layer.as_deref().unwrap_or_default();
        for i in 0..out.src.len() {
            let layer = layers
                .get(i)
                .and_then(|&l| Layer::from_index(l as usize))
                .unwrap_or(plan.layer);
            let time = out
                .time
                .as_ref()
                .map(|t| t[i])
                .filter(|&t| t != NO_TIME)
                .map(Timestamp);
            let value = out.value.as_ref().map(|v| v[i]).filter(|v| !v.is_nan());
            let weight = out.weight.as_ref().map_or(1.0, |w| w[i]);
            log.layer_mut(layer).push(
                NodeId(actors[row]),
                NodeId(targets[row]),
                weight,
                time,
                value,
                None,
            );
            row += 1;
        }
    }
    Ok(())
}

/// Writes the dense id of every row's source and target into `src_ids` and
/// `dst_ids` (one slot per row, chunks in order), interning new ids in order
/// of first appearance: source before target, row after row.
///
/// When every id is a number up to `u32::MAX` (SNAP, Graph500), the raw
/// ids are copied into the slots in parallel and interned there in bulk
/// ([`Interner::intern_u32_pairs`](portevoix_core::Interner::intern_u32_pairs):
/// a direct table, deduplicated in parallel). Otherwise (string ids, or huge
/// numbers like Twitter ids) one sequential pass.
fn intern_rows(
    bytes: &[u8],
    outs: &[ChunkOut],
    builder: &mut DatasetBuilder,
    src_ids: &mut [u32],
    dst_ids: &mut [u32],
) -> Result<()> {
    let interner = builder.interner_mut();
    if outs.iter().all(|o| o.wide.is_empty()) {
        let mut slots: Vec<(&ChunkOut, &mut [u32], &mut [u32])> = Vec::with_capacity(outs.len());
        let (mut src_rest, mut dst_rest) = (&mut *src_ids, &mut *dst_ids);
        for out in outs {
            let n = out.src.len();
            let (s, sr) = std::mem::take(&mut src_rest).split_at_mut(n);
            let (d, dr) = std::mem::take(&mut dst_rest).split_at_mut(n);
            slots.push((out, s, d));
            (src_rest, dst_rest) = (sr, dr);
        }
        slots.into_par_iter().for_each(|(out, s, d)| {
            s.copy_from_slice(&out.src);
            d.copy_from_slice(&out.dst);
        });
        interner.intern_u32_pairs(src_ids, dst_ids)?;
        return Ok(());
    }
    let mut row = 0;
    for out in outs {
        let mut wide = out.wide.iter().peekable();
        for i in 0..out.src.len() {
            for side in 0..2 {
                let id = match wide.peek() {
                    Some(w) if w.slot == 2 * i + side => match wide.next().expect("peeked").id {
                        Wide::Big(v) => interner.intern_u64(v)?,
                        Wide::Text { start, len } => {
                            // Checked to be UTF-8 while parsing.
                            let s =
                                std::str::from_utf8(&bytes[start..start + len]).unwrap_or_default();
                            interner.intern(s)?
                        }
                    },
                    _ => {
                        let v = if side == 0 { out.src[i] } else { out.dst[i] };
                        interner.intern_u64(u64::from(v))?
                    }
                };
                if side == 0 {
                    src_ids[row] = id.0;
                } else {
                    dst_ids[row] = id.0;
                }
            }
            row += 1;
        }
    }
    Ok(())
}

/// Appends one chunk's weight, time and value columns to a layer whose id
/// columns already hold its rows from `before` on.
fn append_columns(log: &mut LayerLog, before: usize, out: &ChunkOut) {
    let n = out.src.len();
    match &out.weight {
        Some(w) => log.weight.extend_from_slice(w),
        None => log.weight.resize(before + n, 1.0),
    }
    append_optional(&mut log.time, before, n, out.time.as_deref(), NO_TIME);
    append_optional(&mut log.value, before, n, out.value.as_deref(), f32::NAN);
    append_optional(&mut log.post, before, n, None, portevoix_core::NO_POST);
}

/// Appends `n` rows to an optional column, creating it (filled with `none`
/// for the `before` earlier rows) on the first rows that have values, and
/// padding it with `none` for rows without.
fn append_optional<T: Copy>(
    col: &mut Option<Vec<T>>,
    before: usize,
    n: usize,
    values: Option<&[T]>,
    none: T,
) {
    match (col.as_mut(), values) {
        (Some(c), Some(v)) => c.extend_from_slice(v),
        (Some(c), None) => c.resize(before + n, none),
        (None, Some(v)) => {
            let mut c = Vec::with_capacity(before + n);
            c.resize(before, none);
            c.extend_from_slice(v);
            *col = Some(c);
        }
        (None, None) => {}
    }
}

// ---------------------------------------------------------------------------
// Sniffing.
// ---------------------------------------------------------------------------

/// The complete, non-comment, non-blank lines of a sniffed head (all of
/// them: the head is already bounded, and Bitcoin OTC's first negative
/// rating is on line 597). The last piece is dropped when it may be cut (no final newline and
/// other lines exist).
pub(crate) fn sample_lines(head: &[u8]) -> Vec<&[u8]> {
    let head = crate::source::strip_bom(head);
    let mut pieces: Vec<&[u8]> = head.split(|&b| b == b'\n').collect();
    if pieces.len() > 1 {
        // Either "" after a final newline, or a possibly cut line.
        pieces.pop();
    }
    pieces
        .into_iter()
        .map(strip_cr)
        .filter(|l| !is_skippable(l))
        .collect()
}

/// Shared by the edge-list and signed sniffers: if `head` is a numeric
/// table of two to four columns (ids integers, other fields numbers), with
/// an optional header line, returns its data lines' fields.
pub(crate) fn sniff_numeric_table(head: &[u8]) -> Option<Vec<Vec<&[u8]>>> {
    let lines = sample_lines(head);
    let first = lines.first()?;
    if lines.iter().any(|l| l.len() > 256) {
        return None;
    }
    let delim = detect_delim(first);
    let rows: Vec<Vec<&[u8]>> = lines
        .iter()
        .map(|l| {
            let mut f = Vec::new();
            split(l, delim, 16, &mut f);
            f
        })
        .collect();
    let numeric = |f: &Vec<&[u8]>| {
        (2..=4).contains(&f.len())
            && f[..2]
                .iter()
                .all(|x| !x.is_empty() && x.iter().all(u8::is_ascii_digit))
            && f[2..].iter().all(|x| parse_f64(x).is_some())
    };
    let skip = usize::from(!numeric(&rows[0]) && rows.len() > 1);
    let data = &rows[skip..];
    let width = data.first()?.len();
    if data.iter().all(|f| numeric(f) && f.len() == width) {
        Some(data.to_vec())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_parse_fast_and_reject_non_finite() {
        assert_eq!(parse_f64(b"-1"), Some(-1.0));
        assert_eq!(parse_f64(b"2.5"), Some(2.5));
        assert_eq!(parse_f64(b"1e3"), Some(1000.0));
        assert_eq!(parse_f64(b"inf"), None);
        assert_eq!(parse_f64(b"NaN"), None);
        assert_eq!(parse_f64(b"1e400"), None);
        assert_eq!(parse_f64(b""), None);
        assert_eq!(parse_time_ms(b"1289241911.72836"), Some(1_289_241_911_728));
        assert_eq!(parse_time_ms(b"1341100972"), Some(1_341_100_972_000));
        assert_eq!(
            parse_time_ms(b"2012-07-01T00:02:52Z"),
            Some(1_341_100_972_000)
        );
        assert_eq!(parse_time_ms(b"soon"), None);
    }

    /// The byte-at-a-time reading the SWAR parser replaced.
    fn scalar_u64(b: &[u8], i: &mut usize) -> Option<u64> {
        let start = *i;
        let mut v: u64 = 0;
        while *i < b.len() {
            let d = b[*i].wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            if *i - start == 19 {
                return None;
            }
            v = v * 10 + d as u64;
            *i += 1;
        }
        let len = *i - start;
        (len > 0 && !(len > 1 && b[start] == b'0')).then_some(v)
    }

    #[test]
    fn swar_numbers_match_the_scalar_reading() {
        // Every digit run length 0..=22 with every kind of byte after it, at
        // every offset near the end of the buffer (the SWAR loads stop there).
        let tails: [&[u8]; 8] = [b"", b"\n", b"\t7", b" 12", b"/", b":", b"\r\n", b"\xff"];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for len in 0..=22 {
            for tail in tails {
                for pad in 0..10 {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    let mut digits: Vec<u8> = (0..len)
                        .map(|k| b'0' + ((seed >> (k % 60)) % 10) as u8)
                        .collect();
                    if pad % 3 == 0 && len > 1 {
                        digits[0] = b'0'; // leading zero: not canonical
                    }
                    let mut buf = vec![b'x'; pad];
                    buf.extend_from_slice(&digits);
                    buf.extend_from_slice(tail);
                    let (mut i, mut j) = (pad, pad);
                    let a = fast_u64(&buf, &mut i);
                    let b = scalar_u64(&buf, &mut j);
                    assert_eq!(a, b, "{:?}", String::from_utf8_lossy(&buf));
                    if a.is_some() {
                        assert_eq!(i, j);
                    }
                }
            }
        }
        let mut i = 0;
        assert_eq!(fast_u64(b"18446744073709551615 1", &mut i), None); // 20 digits
        let mut i = 0;
        assert_eq!(
            fast_u64(b"1844674407370955161 1", &mut i),
            Some(1_844_674_407_370_955_161)
        );
        assert_eq!(i, 19);
    }

    #[test]
    fn fields_split_by_each_delimiter() {
        let mut f = Vec::new();
        split(b"  1 \t 2  3", Delim::Whitespace, 9, &mut f);
        assert_eq!(f, vec![&b"1"[..], b"2", b"3"]);
        split(b" \"a b\" , c,", Delim::Byte(b','), 9, &mut f);
        assert_eq!(f, vec![&b"a b"[..], b"c", b""]);
        split(b"1\t2\t3", Delim::Byte(b'\t'), 2, &mut f);
        assert_eq!(f, vec![&b"1"[..], b"2"]);
    }

    #[test]
    fn chunks_end_at_line_ends_and_cover_everything() {
        let text: Vec<u8> = (0..100_000)
            .flat_map(|i| format!("{i} {}\n", i + 1).into_bytes())
            .collect();
        let bounds = chunk_bounds(&text, 10);
        assert!(bounds.len() > 1);
        assert_eq!(bounds[0].0, 0);
        assert_eq!(bounds.last().unwrap().1, text.len());
        for w in bounds.windows(2) {
            assert_eq!(w[0].1, w[1].0);
            assert_eq!(text[w[0].1 - 1], b'\n');
        }
    }

    #[test]
    fn header_detection() {
        let f = |s: &'static [u8]| -> Vec<&'static [u8]> {
            let mut v = Vec::new();
            split(s, Delim::Byte(b','), 9, &mut v);
            v
        };
        assert!(looks_like_header(&f(b"a,b"), &[f(b"1,2")], 0, 1));
        assert!(looks_like_header(&f(b"Source,Target"), &[], 0, 1));
        assert!(!looks_like_header(
            &f(b"alice,bob"),
            &[f(b"carol,dave")],
            0,
            1
        ));
        assert!(!looks_like_header(&f(b"1,2"), &[f(b"3,4")], 0, 1));
    }
}
