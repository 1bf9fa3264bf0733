//! # portevoix-ingest
//!
//! Readers for the exports people really have, into one [`Dataset`]:
//!
//! | format name | reader | input |
//! |---|---|---|
//! | `edgelist` | [`edgelist`] | whitespace, tab or comma separated edge lists, optional weight / time / sign columns, `#`/`%` comments, header, CRLF |
//! | `higgs` | [`higgs`] | the SNAP Higgs activity log `A B t RT\|MT\|RE` |
//! | `signed` | [`signed`] | signed rating CSVs (Bitcoin OTC/Alpha) and signed edge lists (Epinions, Slashdot) |
//! | `twitter-v2` | [`twitter_v2`] | Twitter API v2 objects in any envelope: twarc2 pages, flattened lines, arrays, maps by author |
//! | `mastodon` | [`mastodon`] | Mastodon API `Status` JSON (array or JSON Lines) |
//! | `twitter15` | [`twitter15`] | Twitter15/16 propagation trees (a directory or single tree files) |
//! | `canonical` | [`canonical`] | the Porte-voix canonical format (JSON Lines or CSV, schema version 1) |
//! | `posts-csv` | [`posts_csv`] | CSV of posts with a user-given column mapping |
//! | `stackexchange` | [`stackexchange`] | a Stack Exchange site dump: its folder of XML files or its `.7z` archive |
//!
//! [`labels`] reads node label files (`node,+1` / `node,-1`, REV2's ground
//! truth), which the evaluation protocols use.
//!
//! and [`id_weights`], lists of weighted accounts (`id,weight`), such as a
//! personalisation vector.
//!
//! Every reader takes `.gz` transparently, reports bad rows with file, line,
//! column and reason ([`Mode::Strict`]) or skips and counts them
//! ([`Mode::Lenient`]), and never panics on any bytes.
//!
//! ```
//! use portevoix_ingest::{load_bytes, FormatKind, ReadOptions};
//! use portevoix_core::Layer;
//!
//! let csv = b"6,2,4,1289241912\n6,5,-2,1289241942\n".to_vec();
//! let ds = load_bytes("otc.csv", csv, FormatKind::Signed, &ReadOptions::default()).unwrap();
//! assert_eq!(ds.interactions.layer(Layer::Rating).len(), 2);
//! ```

#![warn(missing_docs)]

pub mod canonical;
pub mod dataset;
pub mod diagnostics;
pub mod edgelist;
pub mod higgs;
mod html_tag;
pub mod id_weights;
mod json;
pub mod labels;
pub mod mastodon;
pub mod parts;
pub mod posts_csv;
pub mod privacy;
pub mod signed;
pub mod source;
pub mod stackexchange;
pub mod twitter15;
pub mod twitter_v2;

pub use dataset::{Dataset, DatasetBuilder, PostAdded, RefField};
pub use diagnostics::{Diagnostics, FileReport, IngestReport, Mode, Problem};
pub use portevoix_core::{Error, Location, Result};
pub use source::Input;

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// The input formats, one per reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FormatKind {
    /// Plain edge lists.
    EdgeList,
    /// The Higgs activity log.
    Higgs,
    /// Signed ratings / signed edge lists.
    Signed,
    /// Twitter API v2 JSON.
    TwitterV2,
    /// Mastodon statuses.
    Mastodon,
    /// Twitter15/16 propagation trees.
    Twitter15,
    /// The Porte-voix canonical format.
    Canonical,
    /// CSV of posts with a column mapping.
    PostsCsv,
    /// A Stack Exchange site dump (folder or `.7z`).
    StackExchange,
}

impl FormatKind {
    /// Every format.
    pub const ALL: [FormatKind; 9] = [
        FormatKind::EdgeList,
        FormatKind::Higgs,
        FormatKind::Signed,
        FormatKind::TwitterV2,
        FormatKind::Mastodon,
        FormatKind::Twitter15,
        FormatKind::Canonical,
        FormatKind::PostsCsv,
        FormatKind::StackExchange,
    ];

    /// The name used by `--format`.
    pub fn as_str(self) -> &'static str {
        match self {
            FormatKind::EdgeList => "edgelist",
            FormatKind::Higgs => "higgs",
            FormatKind::Signed => "signed",
            FormatKind::TwitterV2 => "twitter-v2",
            FormatKind::Mastodon => "mastodon",
            FormatKind::Twitter15 => "twitter15",
            FormatKind::Canonical => "canonical",
            FormatKind::PostsCsv => "posts-csv",
            FormatKind::StackExchange => "stackexchange",
        }
    }
}

impl fmt::Display for FormatKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FormatKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let lower = s.trim().to_ascii_lowercase();
        FormatKind::ALL
            .into_iter()
            .find(|f| f.as_str() == lower)
            .or(match lower.as_str() {
                "edges" | "snap" | "tsv" => Some(FormatKind::EdgeList),
                "higgs-activity" => Some(FormatKind::Higgs),
                "bitcoin" | "ratings" | "epinions" => Some(FormatKind::Signed),
                "twitter" | "twarc" | "twitter-api-v2" => Some(FormatKind::TwitterV2),
                "twitter16" | "cascades" => Some(FormatKind::Twitter15),
                "csv" => Some(FormatKind::PostsCsv),
                "stack-exchange" | "se" | "stackoverflow" => Some(FormatKind::StackExchange),
                _ => None,
            })
            .ok_or_else(|| {
                let names: Vec<_> = FormatKind::ALL.iter().map(|f| f.as_str()).collect();
                Error::argument(
                    "format",
                    format!(
                        "unknown format '{s}' (expected one of {})",
                        names.join(", ")
                    ),
                )
            })
    }
}

/// Options for a load: the mode and each reader's own options.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Strict (stop at the first bad row) or lenient (skip, count, report).
    pub mode: Mode,
    /// Longest line accepted (default [`source::DEFAULT_MAX_LINE_BYTES`]); 0 means the default.
    pub max_line_bytes: usize,
    /// Edge-list options (layer, columns, delimiter, header).
    pub edgelist: edgelist::EdgeListOptions,
    /// Signed-rating options.
    pub signed: signed::SignedOptions,
    /// Twitter15 options.
    pub twitter15: twitter15::Twitter15Options,
    /// Posts-CSV column mapping.
    pub posts_csv: posts_csv::PostsCsvOptions,
    /// Mastodon options (the server's domain, direct messages).
    pub mastodon: mastodon::MastodonOptions,
    /// Replace ids, handles and post ids by keyed hashes as the load ends,
    /// before the dataset is returned ([`privacy`]).
    pub pseudonymize: Option<privacy::Pseudonymizer>,
    /// With `pseudonymize`: keep the pseudonym → original map in
    /// [`Dataset::pseudonym_map`] (off by default: the way back exists only
    /// when asked for).
    pub keep_pseudonym_map: bool,
}

impl ReadOptions {
    fn open(&self, path: &Path) -> Result<Input> {
        let input = Input::open(path)?;
        Ok(if self.max_line_bytes > 0 {
            input.with_max_line_bytes(self.max_line_bytes)
        } else {
            input
        })
    }
}

/// Reads one input (a file, `-`, for `twitter15` a directory, for
/// `stackexchange` a site's folder or `.7z` archive) into `builder`.
pub fn read_path(
    path: &Path,
    format: FormatKind,
    options: &ReadOptions,
    builder: &mut DatasetBuilder,
) -> Result<()> {
    if format == FormatKind::Twitter15 && path.is_dir() {
        return twitter15::read_dir(path, &options.twitter15, builder);
    }
    if format == FormatKind::StackExchange {
        return stackexchange::read(path, builder);
    }
    let mut input = options.open(path)?;
    read_input(&mut input, format, options, builder)
}

/// Reads one opened input into `builder`, recording its report.
pub fn read_input(
    input: &mut Input,
    format: FormatKind,
    options: &ReadOptions,
    builder: &mut DatasetBuilder,
) -> Result<()> {
    let mut diag = Diagnostics::new(builder.mode(), input.name(), format.as_str());
    match format {
        FormatKind::EdgeList => edgelist::read(input, &options.edgelist, builder, &mut diag)?,
        FormatKind::Higgs => higgs::read(input, builder, &mut diag)?,
        FormatKind::Signed => signed::read(input, &options.signed, builder, &mut diag)?,
        FormatKind::TwitterV2 => twitter_v2::read(input, builder, &mut diag)?,
        FormatKind::Mastodon => mastodon::read_with(input, &options.mastodon, builder, &mut diag)?,
        FormatKind::Twitter15 => twitter15::read(input, &options.twitter15, builder, &mut diag)?,
        FormatKind::Canonical => canonical::read(input, builder, &mut diag)?,
        FormatKind::PostsCsv => posts_csv::read(input, &options.posts_csv, builder, &mut diag)?,
        FormatKind::StackExchange => {
            return Err(Error::argument(
                "src",
                format!(
                    "{}: the stackexchange format reads a site's folder or .7z archive by its path, not a stream",
                    input.name()
                ),
            ));
        }
    }
    builder.add_report(diag.finish());
    Ok(())
}

/// Loads several inputs, in order, into one dataset. Each input has its own
/// format, or `None` to guess it from its content ([`guess_format`]).
pub fn load(inputs: &[(&Path, Option<FormatKind>)], options: &ReadOptions) -> Result<Dataset> {
    load_with_progress(inputs, options, |_, _| {})
}

/// [`load`], calling `on_input(index, path)` before each input is read, so
/// that a command-line tool or a service can report progress.
pub fn load_with_progress(
    inputs: &[(&Path, Option<FormatKind>)],
    options: &ReadOptions,
    mut on_input: impl FnMut(usize, &Path),
) -> Result<Dataset> {
    let mut builder = DatasetBuilder::new(options.mode);
    for (index, &(path, format)) in inputs.iter().enumerate() {
        on_input(index, path);
        let format = match format {
            Some(f) => f,
            None => guess_format(path)?,
        };
        read_path(path, format, options, &mut builder)?;
    }
    finish(builder, options)
}

/// Finishes a load: the dataset, pseudonymised when the options say so
/// (counted in the last file's notes).
fn finish(builder: DatasetBuilder, options: &ReadOptions) -> Result<Dataset> {
    let mut dataset = builder.finish();
    if let Some(p) = &options.pseudonymize {
        let mut map = options
            .keep_pseudonym_map
            .then(privacy::PseudonymMap::default);
        let r = privacy::pseudonymize_dataset(&mut dataset, p, map.as_mut())?;
        dataset.pseudonym_map = map;
        if let Some(file) = dataset.report.files.last_mut() {
            for (what, n) in [
                ("pseudonymised at load: account ids", r.ids),
                ("pseudonymised at load: handles", r.handles),
                ("pseudonymised at load: post ids", r.posts),
                ("pseudonymised at load: texts and bios rewritten", r.texts),
                (
                    "pseudonymised at load: display names dropped",
                    r.display_names,
                ),
            ] {
                if n > 0 {
                    file.notes.insert(what.to_string(), n as u64);
                }
            }
        }
    }
    Ok(dataset)
}

/// Loads in-memory bytes (tests, fuzzing, services).
pub fn load_bytes(
    name: &str,
    bytes: Vec<u8>,
    format: FormatKind,
    options: &ReadOptions,
) -> Result<Dataset> {
    let mut builder = DatasetBuilder::new(options.mode);
    let mut input = Input::from_bytes(name, bytes);
    if options.max_line_bytes > 0 {
        input = input.with_max_line_bytes(options.max_line_bytes);
    }
    read_input(&mut input, format, options, &mut builder)?;
    finish(builder, options)
}

/// How many bytes of an input [`guess_format`] looks at.
pub const SNIFF_BYTES: usize = 64 << 10;

/// Guesses the format of an input from its content (decompressed), where
/// that is safe; returns an error asking for `--format` otherwise.
///
/// Order matters: the structured formats are recognised by unambiguous
/// markers first (JSON keys, the `->` of tree files, `RT|MT|RE` columns);
/// a delimited numeric file is `signed` only if its third column holds a
/// negative number in the first lines, else `edgelist`.
pub fn guess_format(path: &Path) -> Result<FormatKind> {
    if path.is_dir() {
        if twitter15::is_tree_dir(path) {
            return Ok(FormatKind::Twitter15);
        }
        if stackexchange::is_site(path) {
            return Ok(FormatKind::StackExchange);
        }
        return Err(Error::argument(
            "format",
            format!(
                "{}: a directory, but neither a Twitter15/16 tree directory nor a Stack Exchange site; name the files or pass --format",
                path.display()
            ),
        ));
    }
    let mut input = Input::open(path)?;
    let head = input.peek(SNIFF_BYTES)?.to_vec();
    guess_format_from(&head).ok_or_else(|| {
        Error::argument(
            "format",
            format!(
                "{}: cannot guess the format from the content; pass --format (one of {})",
                path.display(),
                FormatKind::ALL
                    .iter()
                    .map(|f| f.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })
}

/// [`guess_format`] on the first bytes of an input.
pub fn guess_format_from(head: &[u8]) -> Option<FormatKind> {
    if head.starts_with(&stackexchange::SEVEN_Z_MAGIC) {
        return Some(FormatKind::StackExchange);
    }
    let head = source::strip_bom(head);
    let first = head.iter().copied().find(|b| !b.is_ascii_whitespace())?;
    if first == b'{' || first == b'[' {
        if twitter15::sniff(head) {
            return Some(FormatKind::Twitter15);
        }
        if canonical::sniff(head) {
            return Some(FormatKind::Canonical);
        }
        if mastodon::sniff(head) {
            return Some(FormatKind::Mastodon);
        }
        if twitter_v2::sniff(head) {
            return Some(FormatKind::TwitterV2);
        }
        return None;
    }
    if twitter15::sniff(head) {
        return Some(FormatKind::Twitter15);
    }
    if higgs::sniff(head) {
        return Some(FormatKind::Higgs);
    }
    if canonical::sniff(head) {
        return Some(FormatKind::Canonical);
    }
    if posts_csv::sniff(head) {
        return Some(FormatKind::PostsCsv);
    }
    if signed::sniff(head) {
        return Some(FormatKind::Signed);
    }
    if edgelist::sniff(head) {
        return Some(FormatKind::EdgeList);
    }
    None
}
