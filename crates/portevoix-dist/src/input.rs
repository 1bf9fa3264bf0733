//! Partitioned input: the inputs cut into parts of whole lines, each part
//! read by one worker with the readers of `portevoix-ingest`.
//!
//! # Parts
//!
//! Inputs are taken in the order given. An uncompressed file of `S` bytes is
//! cut at every `block_bytes` bytes; a line belongs to the part holding its
//! first byte, so a part reads from the first line start at or after its
//! start to the end of the line holding its last byte. A gzip file is one
//! part (a gzip stream can only be read from its beginning): split very large
//! inputs into several files, or leave them uncompressed. Parts are numbered
//! in input order and part `g` is read by worker `g mod W`.
//!
//! Each worker decides the reading plan of a delimited file from the file's
//! first bytes ([`portevoix_ingest::parts::part_options`]: separator,
//! header, implicit weight or time column), so every part parses exactly as
//! it would inside the whole file. Only the line-oriented formats can be cut
//! this way: edge lists, signed edge lists and the Higgs activity log.
//!
//! # Errors
//!
//! A bad row is reported with the file, the line **in the whole file** (the
//! lines before the part are counted when, and only when, there is an error
//! to report) and the column; among the bad rows of all parts the job reports
//! the first in input order, as the local engine does. Lenient mode skips and
//! counts bad rows as the local reader does.

use crate::error::{DistError, Result};
use portevoix_core::{Error, Interner, Layer};
use portevoix_ingest::{FormatKind, Input, ReadOptions};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Default part size: 32 MiB of input.
pub const DEFAULT_BLOCK_BYTES: u64 = 32 << 20;

/// One input and its format.
#[derive(Debug, Clone, PartialEq)]
pub struct InputFile {
    /// The path.
    pub path: PathBuf,
    /// Its format; `None` guesses it from the content.
    pub format: Option<FormatKind>,
}

/// One part of one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    /// Index of the input.
    pub input: usize,
    /// First byte (of the uncompressed file).
    pub start: u64,
    /// One past the last byte a line of this part may start at.
    pub end: u64,
    /// Whether the part is a whole gzip file.
    pub gzip: bool,
}

/// The plan of one input: its resolved format and the parts' options.
#[derive(Debug, Clone)]
pub struct InputPlan {
    /// The format (given or guessed).
    pub format: FormatKind,
    /// Options of the part starting at byte 0.
    pub first: ReadOptions,
    /// Options of every other part.
    pub rest: ReadOptions,
}

fn io_error(path: &Path, e: std::io::Error) -> DistError {
    DistError::Local(Error::Io {
        path: path.to_path_buf(),
        source: e,
    })
}

fn is_gzip(path: &Path) -> Result<bool> {
    let mut f = File::open(path).map_err(|e| io_error(path, e))?;
    let mut magic = [0u8; 2];
    let n = f.read(&mut magic).map_err(|e| io_error(path, e))?;
    Ok(n == 2 && magic == [0x1f, 0x8b])
}

/// Cuts `inputs` into parts and resolves each input's reading plan.
///
/// # Errors
/// An input that cannot be opened, whose format cannot be guessed, or whose
/// format cannot be read in parts.
pub fn plan(
    inputs: &[InputFile],
    options: &ReadOptions,
    block_bytes: u64,
) -> Result<(Vec<InputPlan>, Vec<Part>)> {
    let block = block_bytes.max(1);
    let mut plans = Vec::with_capacity(inputs.len());
    let mut parts = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let path = &input.path;
        if path.as_os_str() == "-" {
            return Err(DistError::Setup(
                "the distributed engine reads files (every process opens its own share); \
                 standard input cannot be shared"
                    .into(),
            ));
        }
        let format = match input.format {
            Some(f) => f,
            None => portevoix_ingest::guess_format(path)?,
        };
        if !matches!(
            format,
            FormatKind::EdgeList | FormatKind::Signed | FormatKind::Higgs
        ) {
            return Err(DistError::Setup(format!(
                "{}: the distributed engine reads line-oriented inputs (edgelist, signed, higgs); \
                 this input is {}: load it with the local engine, or export it as an edge list",
                path.display(),
                format.as_str()
            )));
        }
        let gzip = is_gzip(path)?;
        let head = {
            let mut input = Input::open(path)?;
            input.peek(portevoix_ingest::SNIFF_BYTES)?.to_vec()
        };
        let (first, rest) = portevoix_ingest::parts::part_options(&head, format, options);
        plans.push(InputPlan {
            format,
            first,
            rest,
        });
        if gzip {
            parts.push(Part {
                input: i,
                start: 0,
                end: u64::MAX,
                gzip: true,
            });
            continue;
        }
        let size = std::fs::metadata(path)
            .map_err(|e| io_error(path, e))?
            .len();
        let mut start = 0u64;
        loop {
            let end = start.saturating_add(block).min(size);
            parts.push(Part {
                input: i,
                start,
                end,
                gzip: false,
            });
            if end >= size {
                break;
            }
            start = end;
        }
    }
    Ok((plans, parts))
}

/// Reads the bytes of the lines starting in `[part.start, part.end)`, and
/// the offset of the first of them.
fn read_part_bytes(path: &Path, part: &Part) -> Result<(Vec<u8>, u64)> {
    if part.gzip {
        return Ok((Input::open(path)?.read_all().map_err(DistError::Local)?, 0));
    }
    let mut f = File::open(path).map_err(|e| io_error(path, e))?;
    let io = |e| io_error(path, e);
    // Find the first line start at or after `start`.
    let mut begin = part.start;
    if part.start > 0 {
        f.seek(SeekFrom::Start(part.start - 1)).map_err(io)?;
        let mut probe = [0u8; 1];
        f.read_exact(&mut probe).map_err(io)?;
        if probe[0] != b'\n' {
            // Skip the rest of the line that started before this part.
            let mut buf = [0u8; 1 << 16];
            loop {
                let n = f.read(&mut buf).map_err(io)?;
                if n == 0 {
                    return Ok((Vec::new(), begin));
                }
                if let Some(i) = memchr::memchr(b'\n', &buf[..n]) {
                    begin += (i + 1) as u64;
                    break;
                }
                begin += n as u64;
            }
        }
    }
    if begin >= part.end {
        return Ok((Vec::new(), begin));
    }
    f.seek(SeekFrom::Start(begin)).map_err(io)?;
    let mut bytes = vec![0u8; (part.end - begin) as usize];
    f.read_exact(&mut bytes).map_err(io)?;
    // Complete the last line.
    if bytes.last() != Some(&b'\n') {
        let mut buf = [0u8; 1 << 16];
        loop {
            let n = f.read(&mut buf).map_err(io)?;
            if n == 0 {
                break;
            }
            if let Some(i) = memchr::memchr(b'\n', &buf[..n]) {
                bytes.extend_from_slice(&buf[..=i]);
                break;
            }
            bytes.extend_from_slice(&buf[..n]);
        }
    }
    Ok((bytes, begin))
}

/// Number of line ends in `path` before byte `offset` (for error locations).
fn lines_before(path: &Path, offset: u64) -> Result<u64> {
    let mut f = File::open(path).map_err(|e| io_error(path, e))?;
    let mut left = offset;
    let mut count = 0u64;
    let mut buf = vec![0u8; 1 << 20];
    while left > 0 {
        let want = buf.len().min(left as usize);
        let n = f.read(&mut buf[..want]).map_err(|e| io_error(path, e))?;
        if n == 0 {
            break;
        }
        count += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        left -= n as u64;
    }
    Ok(count)
}

/// The rows of one layer of a part: the layer, then actors, targets and
/// weights in local ids, in input order.
pub type LayerRows = (Layer, Vec<u32>, Vec<u32>, Vec<f32>);

/// The rows of one part: a local interner (ids in order of first appearance
/// within the part) and, per layer, the rows in input order.
#[derive(Debug, Default)]
pub struct ParsedPart {
    /// Local ids, in first-appearance order within the part.
    pub interner: Interner,
    /// Per layer (by [`Layer::index`]): `(actor, target, weight)` in local ids.
    pub rows: Vec<LayerRows>,
    /// Records read (good and bad).
    pub records: u64,
    /// Bad records skipped (lenient mode).
    pub skipped: u64,
    /// Self-loop and duplicate rows are not counted here: the build counts them.
    pub bytes: u64,
}

/// Reads and parses one part with the reader of its format.
///
/// # Errors
/// The first bad row of the part (strict mode), located in the whole file.
pub fn read_part(input: &InputFile, plan: &InputPlan, part: &Part) -> Result<ParsedPart> {
    let path = &input.path;
    let (bytes, begin) = read_part_bytes(path, part)?;
    let size = bytes.len() as u64;
    let options = if part.start == 0 {
        &plan.first
    } else {
        &plan.rest
    };
    let name = path.display().to_string();
    let dataset = match portevoix_ingest::load_bytes(&name, bytes, plan.format, options) {
        Ok(d) => d,
        Err(Error::Input {
            mut location,
            reason,
        }) if begin > 0 => {
            // The reader counted lines from the part's first line.
            location.line += lines_before(path, begin)?;
            return Err(DistError::Local(Error::Input { location, reason }));
        }
        Err(e) => return Err(DistError::Local(e)),
    };
    let report = &dataset.report;
    let mut out = ParsedPart {
        records: report.records_total(),
        skipped: report.skipped_total(),
        bytes: size,
        ..ParsedPart::default()
    };
    let mut interactions = dataset.interactions;
    for layer in Layer::ALL {
        let log = interactions.layer_mut(layer);
        if log.is_empty() {
            continue;
        }
        out.rows.push((
            layer,
            std::mem::take(&mut log.actor),
            std::mem::take(&mut log.target),
            std::mem::take(&mut log.weight),
        ));
    }
    out.interner = dataset.interner;
    Ok(out)
}
