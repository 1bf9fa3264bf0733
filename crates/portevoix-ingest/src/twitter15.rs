//! Twitter15 / Twitter16 propagation trees (Ma, Gao & Wong, ACL 2017).
//!
//! # Format
//!
//! A data set directory `twitterNN/` holds `label.txt` and `tree/`, with
//! one file per source tweet, `tree/<source_tweet_id>.txt`. Each line of a
//! tree file is one propagation edge, two Python list literals:
//!
//! ```text
//! ['ROOT', 'ROOT', '0.0']->['39364684', '265953285247209472', '0.0']
//! ['39364684', '265953285247209472', '0.0']->['21061006', '265953402234748928', '0.45']
//! ```
//!
//! Each node is `[user id, tweet id, delay in minutes after the source
//! tweet]`. The `ROOT` line names the source tweet's author; it is usually,
//! not always, the first line. `label.txt` lines are
//! `label:source_tweet_id` (`true`, `false`, `unverified`, `non-rumor`).
//! In problem locations the column is the item number on the line: 1–3 for
//! the parent's user, tweet and delay, 4–6 for the child's.
//!
//! The raw files are dirty, and this reader keeps them as they are where
//! that is information and says so where it is not:
//! - duplicate lines (same parent and child, 17,169 in twitter15) are read
//!   once, counted as the note `duplicate tree line`
//!   ([`Twitter15Options::keep_duplicates`] keeps them);
//! - negative delays (replies and retweets of an earlier copy of the story)
//!   and children earlier than their parent are kept, counted as the notes
//!   `negative delay` and `child before parent`;
//! - a user appears in many lines of a tree (one id, many edges).
//!
//! # What is produced
//!
//! - One [`Cascade`] per tree file: the source tweet id (the file name when
//!   it is a number, else the `ROOT` line's tweet), the root author, the
//!   start time decoded from the source tweet's snowflake id, the label
//!   from `label.txt`, and the edges in file order (the `ROOT` line is an
//!   edge with no parent).
//! - One interaction per edge with a parent, **child → parent** (actor →
//!   target: the child re-shared or answered content of the parent):
//!   [`Layer::Repost`] when the child's tweet id is the source tweet id (a
//!   plain retweet carries the source id), else [`Layer::Reply`] (a reply
//!   or quote has its own id); time = start + delay when the start is known.
//!
//! The tree lines themselves point parent → child (the direction content
//! travelled); the interactions point the other way, like every layer in
//! Porte-voix (see [`portevoix_core::Layer`]).
//!
//! A directory is read in file-name order; files are parsed in parallel and
//! merged in that order, so ids and problems do not depend on the thread
//! count.
//!
//! # Example
//!
//! ```
//! use portevoix_core::Layer;
//! use portevoix_ingest::{FormatKind, ReadOptions, load_bytes};
//!
//! let tree = b"['ROOT', 'ROOT', '0.0']->['39364684', '265953285247209472', '0.0']
//! ['39364684', '265953285247209472', '0.0']->['21061006', '265953402234748928', '0.45']
//! ['39364684', '265953285247209472', '0.0']->['18513522', '265953285247209472', '0.85']
//! ['39364684', '265953285247209472', '0.0']->['18513522', '265953285247209472', '0.85']
//! ".to_vec();
//! let ds = load_bytes("265953285247209472.txt", tree, FormatKind::Twitter15, &ReadOptions::default())?;
//! let cascade = &ds.cascades[0];
//! assert_eq!(cascade.source_post, "265953285247209472");
//! assert_eq!(cascade.edges.len(), 3); // ROOT line + two distinct edges
//! assert!(cascade.start.unwrap().to_iso8601().starts_with("2012-11-06"));
//! // 21061006 replied (own tweet id), 18513522 retweeted (the source id).
//! assert_eq!(ds.interactions.layer(Layer::Reply).len(), 1);
//! let rt = ds.interactions.layer(Layer::Repost).get(Layer::Repost, 0);
//! assert_eq!(ds.interner.name(rt.actor).to_string(), "18513522");
//! assert_eq!(ds.interner.name(rt.target).to_string(), "39364684");
//! assert_eq!(ds.report.files[0].notes["duplicate tree line"], 1);
//! # Ok::<(), portevoix_ingest::Error>(())
//! ```

use crate::edgelist::{self, MAX_ID_BYTES, show};
use crate::source::DEFAULT_MAX_LINE_BYTES;
use crate::{DatasetBuilder, Diagnostics, Error, Input, Location, Mode, Result};
use portevoix_core::{Cascade, CascadeEdge, Layer, NodeId, Timestamp, canonical_u64};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Path, PathBuf};

/// How Twitter15/16 trees are read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Twitter15Options {
    /// Keep duplicate tree lines as separate edges and interactions
    /// (default `false`: a repeated line is the same event recorded twice).
    pub keep_duplicates: bool,
}

/// Reads one tree file. Its source tweet id is the file name's stem when
/// that is a number, else the `ROOT` line's tweet id. No label is attached
/// (labels live in the directory's `label.txt`; see [`read_dir`]).
pub fn read(
    input: &mut Input,
    options: &Twitter15Options,
    builder: &mut DatasetBuilder,
    diag: &mut Diagnostics,
) -> Result<()> {
    let name = input.name().to_string();
    let max_line = input.max_line_bytes();
    let (bytes, err) = input.read_all_partial();
    let tree = parse_tree(
        name.clone(),
        &bytes,
        err,
        source_from_name(Path::new(&name)),
        options,
        diag.mode(),
        max_line,
    );
    merge_tree(tree, None, builder, diag)
}

/// Reads a Twitter15/16 directory: a data set directory (`twitter15/`, with
/// `tree/` and `label.txt`), its `tree/` directory itself, or a directory
/// holding data sets up to two levels down (`twitter15/twitter15/`, or the
/// archive's root holding both `twitter15/` and `twitter16/`, read in name
/// order). Each `label.txt` and each tree directory gets its own report.
pub fn read_dir(
    path: &Path,
    options: &Twitter15Options,
    builder: &mut DatasetBuilder,
) -> Result<()> {
    let sets = find_sets(path);
    if sets.is_empty() {
        return Err(Error::argument(
            "input",
            format!(
                "{}: not a Twitter15/16 directory (expected tree/*.txt files with lines like ['uid', 'tweet', '0.0']->[...])",
                path.display()
            ),
        ));
    }
    let mode = builder.mode();
    for set in sets {
        let labels = match &set.labels {
            Some(p) => {
                let mut diag = Diagnostics::new(mode, p.display().to_string(), "twitter15-labels");
                let labels = read_labels(p, &mut diag)?;
                builder.add_report(diag.finish());
                Some(labels)
            }
            None => None,
        };
        let files = tree_files(&set.trees).map_err(|source| Error::Io {
            path: set.trees.clone(),
            source,
        })?;
        let trees: Vec<ParsedTree> = files
            .par_iter()
            .map(|p| {
                let name = p.display().to_string();
                let source = source_from_name(p);
                match Input::open(p) {
                    Ok(mut input) => {
                        let (bytes, err) = input.read_all_partial();
                        parse_tree(
                            name,
                            &bytes,
                            err,
                            source,
                            options,
                            mode,
                            DEFAULT_MAX_LINE_BYTES,
                        )
                    }
                    Err(e) => ParsedTree {
                        open_error: Some(e),
                        ..ParsedTree::empty(name, source)
                    },
                }
            })
            .collect();
        let mut diag = Diagnostics::new(mode, set.trees.display().to_string(), "twitter15");
        let mut labelled = FxHashSet::default();
        for tree in trees {
            if let (Some(labels), Some(source)) = (&labels, &tree.source)
                && labels.contains_key(source)
            {
                labelled.insert(source.clone());
            }
            merge_tree(tree, labels.as_ref(), builder, &mut diag)?;
        }
        if let Some(labels) = &labels {
            diag.note("label without tree", (labels.len() - labelled.len()) as u64);
        }
        builder.add_report(diag.finish());
    }
    Ok(())
}

/// Whether `path` is a directory [`read_dir`] can read.
pub fn is_tree_dir(path: &Path) -> bool {
    !find_sets(path).is_empty()
}

/// The `k` smallest tree files (`.txt`) of `dir/tree`, by size then path,
/// returned in path order: a small sample of a Twitter15/16 data set whose
/// cascades are small (quick evaluations, tests).
///
/// # Errors
///
/// [`Error::Io`] when `dir/tree` cannot be listed.
pub fn smallest_tree_files(dir: &Path, k: usize) -> Result<Vec<PathBuf>> {
    let tree = dir.join("tree");
    let io = |source| Error::io(&tree, source);
    let mut files: Vec<(u64, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(&tree).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().is_some_and(|e| e == "txt") {
            let size = std::fs::metadata(&path).map_err(io)?.len();
            files.push((size, path));
        }
    }
    files.sort();
    files.truncate(k);
    let mut names: Vec<PathBuf> = files.into_iter().map(|(_, p)| p).collect();
    names.sort();
    Ok(names)
}

/// Whether the first bytes look like a tree file: the first sampled lines
/// (up to five) all parse as `[...]->[...]` tree lines.
pub fn sniff(head: &[u8]) -> bool {
    let lines = edgelist::sample_lines(head);
    !lines.is_empty() && lines.iter().take(5).all(|l| parse_line(l).is_ok())
}

// ---------------------------------------------------------------------------
// Directories.
// ---------------------------------------------------------------------------

/// One data set: its tree directory and its label file, if any.
struct TreeSet {
    trees: PathBuf,
    labels: Option<PathBuf>,
}

/// The data sets under `path`: `path` itself (a data set or a tree
/// directory), else the data sets found in its subdirectories, two levels
/// down at most (`twitter15-cascades/twitter15/twitter15/`), in name order.
fn find_sets(path: &Path) -> Vec<TreeSet> {
    find_sets_within(path, 2)
}

fn find_sets_within(path: &Path, depth: u32) -> Vec<TreeSet> {
    if !path.is_dir() {
        return Vec::new();
    }
    let trees = path.join("tree");
    if trees.is_dir() && holds_trees(&trees) {
        let labels = path.join("label.txt");
        return vec![TreeSet {
            trees,
            labels: labels.is_file().then_some(labels),
        }];
    }
    if holds_trees(path) {
        // The tree directory itself: labels sit beside it.
        let labels = path
            .parent()
            .map(|p| p.join("label.txt"))
            .filter(|p| p.is_file());
        return vec![TreeSet {
            trees: path.to_path_buf(),
            labels,
        }];
    }
    if depth == 0 {
        return Vec::new();
    }
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(path)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    subdirs.sort();
    subdirs
        .iter()
        .flat_map(|d| find_sets_within(d, depth - 1))
        .collect()
}

/// Files of a tree directory that are not its companions, sorted by name.
fn tree_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            // Non-UTF-8 names are still tree files; keep them.
            if path.is_file() {
                files.push(path);
            }
            continue;
        };
        let companion = name.starts_with('.')
            || name == "label.txt"
            || name == "source_tweets.txt"
            || name.to_ascii_lowercase().starts_with("readme");
        if !companion && path.is_file() {
            files.push(path);
        }
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    Ok(files)
}

/// Whether a directory's first tree file (by name) looks like a tree.
fn holds_trees(dir: &Path) -> bool {
    let Ok(files) = tree_files(dir) else {
        return false;
    };
    files.first().is_some_and(|f| {
        Input::open(f)
            .and_then(|mut i| Ok(sniff(i.peek(crate::SNIFF_BYTES)?)))
            .unwrap_or(false)
    })
}

/// The source tweet id a file name carries (`265953285247209472.txt`).
fn source_from_name(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let stem = name.split('.').next()?;
    canonical_u64(stem.as_bytes()).map(|_| stem.to_string())
}

/// Reads `label.txt`: `label:source_tweet_id` per line.
fn read_labels(path: &Path, diag: &mut Diagnostics) -> Result<FxHashMap<String, String>> {
    let mut input = Input::open(path)?;
    let name = input.name().to_string();
    let mut labels: FxHashMap<String, String> = FxHashMap::default();
    let mut buf = Vec::new();
    loop {
        let line = match input.next_line(&mut buf) {
            Ok(Some(l)) => l,
            Ok(None) => break,
            Err(e) => match diag.mode() {
                Mode::Strict => return Err(e),
                Mode::Lenient => {
                    diag.record();
                    diag.bad(
                        Location::line(&name, input.line() + 1),
                        "truncated input",
                        format!("input ends early: {e}"),
                    )?;
                    break;
                }
            },
        };
        let text = edgelist_trim(&buf);
        if text.is_empty() {
            continue;
        }
        diag.record();
        let loc = Location::line(&name, line.number);
        if line.too_long {
            diag.bad(loc, "line too long", "line longer than the limit")?;
            continue;
        }
        let parsed = std::str::from_utf8(text).ok().and_then(|s| {
            let (label, id) = s.rsplit_once(':')?;
            let (label, id) = (label.trim(), id.trim());
            let ok = !label.is_empty()
                && !label.chars().any(char::is_control)
                && !id.is_empty()
                && id.len() <= 64
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            ok.then(|| (label.to_string(), id.to_string()))
        });
        let Some((label, id)) = parsed else {
            diag.bad(
                loc,
                "invalid label line",
                format!("expected 'label:source_tweet_id', found '{}'", show(text)),
            )?;
            continue;
        };
        match labels.get(&id) {
            Some(known) if *known != label => {
                diag.bad(
                    loc,
                    "conflicting label",
                    format!("tree {id} is labelled '{known}' and '{label}'"),
                )?;
            }
            Some(_) => diag.note("duplicate label", 1),
            None => {
                labels.insert(id, label);
            }
        }
    }
    Ok(labels)
}

fn edgelist_trim(mut f: &[u8]) -> &[u8] {
    while let [b' ' | b'\t' | b'\r', rest @ ..] = f {
        f = rest;
    }
    while let [rest @ .., b' ' | b'\t' | b'\r'] = f {
        f = rest;
    }
    f
}

// ---------------------------------------------------------------------------
// Tree files.
// ---------------------------------------------------------------------------

/// A user id as read: a canonical number or another string.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Uid {
    Num(u64),
    Text(String),
}

#[derive(Debug, Clone)]
struct RawNode {
    uid: Uid,
    tweet: String,
    delay: f64,
}

#[derive(Debug, Clone)]
struct RawEdge {
    /// `None` for the `ROOT` line.
    parent: Option<RawNode>,
    child: RawNode,
}

struct TreeProblem {
    line: u64,
    column: Option<u64>,
    kind: &'static str,
    detail: String,
}

/// A tree file parsed without touching the builder (so files can be parsed
/// in parallel).
struct ParsedTree {
    file: String,
    source: Option<String>,
    lines: u64,
    /// Non-blank lines.
    records: u64,
    edges: Vec<RawEdge>,
    problems: Vec<TreeProblem>,
    duplicates: u64,
    negative_delays: u64,
    child_before_parent: u64,
    extra_roots: u64,
    keep_duplicates: bool,
    open_error: Option<Error>,
    read_error: Option<std::io::Error>,
}

impl ParsedTree {
    fn empty(file: String, source: Option<String>) -> ParsedTree {
        ParsedTree {
            file,
            source,
            lines: 0,
            records: 0,
            edges: Vec::new(),
            problems: Vec::new(),
            duplicates: 0,
            negative_delays: 0,
            child_before_parent: 0,
            extra_roots: 0,
            keep_duplicates: false,
            open_error: None,
            read_error: None,
        }
    }
}

/// Parses one node literal `['uid', 'tweet', 'delay']`; items are numbered
/// from `first_item` in errors.
fn parse_node<'a>(
    text: &'a [u8],
    first_item: u64,
    is_parent: bool,
) -> Result<Option<RawNode>, (Option<u64>, &'static str, String)> {
    let t = edgelist_trim(text);
    let inner = t
        .strip_prefix(b"[")
        .and_then(|t| t.strip_suffix(b"]"))
        .ok_or_else(|| {
            (
                None,
                "invalid tree line",
                format!(
                    "expected a node like ['uid', 'tweet_id', 'delay'], found '{}'",
                    show(t)
                ),
            )
        })?;
    let mut parts = inner.split(|&b| b == b',');
    let mut items: [&[u8]; 3] = [b""; 3];
    let mut count = 0usize;
    for part in parts.by_ref().take(4) {
        if count < 3 {
            items[count] = part;
        }
        count += 1;
    }
    if count != 3 {
        let found = if count > 3 {
            "more than 3".to_string()
        } else {
            count.to_string()
        };
        return Err((
            (count < 3).then(|| first_item + count as u64),
            "invalid tree line",
            format!("expected 3 items in a node, found {found}: '{}'", show(t)),
        ));
    }
    let unquote = |f: &'a [u8]| -> &'a [u8] {
        let f = edgelist_trim(f);
        let q = |c: u8| f.len() >= 2 && f[0] == c && f[f.len() - 1] == c;
        if q(b'\'') || q(b'"') {
            &f[1..f.len() - 1]
        } else {
            f
        }
    };
    let (uid, tweet, delay) = (unquote(items[0]), unquote(items[1]), unquote(items[2]));
    if is_parent && uid == b"ROOT" {
        return Ok(None);
    }
    if uid == b"ROOT" {
        return Err((
            Some(first_item),
            "invalid tree line",
            "ROOT can only be a parent".to_string(),
        ));
    }
    let check =
        |f: &[u8], what: &str, item: u64| -> Result<String, (Option<u64>, &'static str, String)> {
            if f.is_empty() {
                return Err((Some(item), "empty id", format!("empty {what}")));
            }
            if f.len() > MAX_ID_BYTES {
                return Err((
                    Some(item),
                    "id too long",
                    format!(
                        "{what} of {} bytes is longer than the {MAX_ID_BYTES}-byte limit",
                        f.len()
                    ),
                ));
            }
            let s = std::str::from_utf8(f).map_err(|_| {
                (
                    Some(item),
                    "invalid UTF-8",
                    format!("{what} is not valid UTF-8: '{}'", show(f)),
                )
            })?;
            if s.chars().any(|c| c.is_control() || c == '\'' || c == '"') {
                return Err((
                    Some(item),
                    "invalid id",
                    format!(
                        "{what} contains a control character or a quote: '{}'",
                        show(f)
                    ),
                ));
            }
            Ok(s.to_string())
        };
    let uid_text = check(uid, "user id", first_item)?;
    let tweet = check(tweet, "tweet id", first_item + 1)?;
    let delay = edgelist::parse_f64(delay).ok_or_else(|| {
        (
            Some(first_item + 2),
            "invalid delay",
            format!(
                "invalid delay '{}' (expected minutes as a number)",
                show(delay)
            ),
        )
    })?;
    let uid = match canonical_u64(uid_text.as_bytes()) {
        Some(v) => Uid::Num(v),
        None => Uid::Text(uid_text),
    };
    Ok(Some(RawNode { uid, tweet, delay }))
}

type LineError = (Option<u64>, &'static str, String);

/// Parses one tree line into an edge.
fn parse_line(line: &[u8]) -> Result<RawEdge, LineError> {
    let arrow = line.windows(2).position(|w| w == b"->").ok_or_else(|| {
        (
            None,
            "invalid tree line",
            format!("expected 'parent->child', found '{}'", show(line)),
        )
    })?;
    let parent = parse_node(&line[..arrow], 1, true)?;
    let child = parse_node(&line[arrow + 2..], 4, false)?.ok_or_else(|| {
        (
            Some(4),
            "invalid tree line",
            "ROOT can only be a parent".to_string(),
        )
    })?;
    Ok(RawEdge { parent, child })
}

fn parse_tree(
    file: String,
    bytes: &[u8],
    read_error: Option<std::io::Error>,
    source_hint: Option<String>,
    options: &Twitter15Options,
    mode: Mode,
    max_line: usize,
) -> ParsedTree {
    let mut tree = ParsedTree {
        keep_duplicates: options.keep_duplicates,
        ..ParsedTree::empty(file, source_hint)
    };
    let bytes = crate::source::strip_bom(bytes);
    // After a read failure the bytes after the last newline are a cut line.
    let bytes = match &read_error {
        Some(_) => &bytes[..memchr::memrchr(b'\n', bytes).map_or(0, |i| i + 1)],
        None => bytes,
    };
    tree.read_error = read_error;
    let mut seen: FxHashSet<&[u8]> = FxHashSet::default();
    let mut roots = 0u64;
    for raw in bytes.split(|&b| b == b'\n') {
        tree.lines += 1;
        let line = edgelist_trim(raw);
        if line.is_empty() {
            continue;
        }
        tree.records += 1;
        if mode == Mode::Strict && !tree.problems.is_empty() {
            continue;
        }
        if line.len() > max_line {
            tree.problems.push(TreeProblem {
                line: tree.lines,
                column: None,
                kind: "line too long",
                detail: format!(
                    "line of {} bytes is longer than the {max_line}-byte limit",
                    line.len()
                ),
            });
            continue;
        }
        let edge = match parse_line(line) {
            Ok(e) => e,
            Err((column, kind, detail)) => {
                tree.problems.push(TreeProblem {
                    line: tree.lines,
                    column,
                    kind,
                    detail,
                });
                continue;
            }
        };
        // The exact line identifies a duplicate: same parent, child, tweets
        // and delays.
        if !seen.insert(line) {
            tree.duplicates += 1;
            if !options.keep_duplicates {
                continue;
            }
        }
        if edge.child.delay < 0.0 {
            tree.negative_delays += 1;
        }
        match &edge.parent {
            None => {
                roots += 1;
                if tree.source.is_none() {
                    tree.source = Some(edge.child.tweet.clone());
                }
            }
            Some(p) if edge.child.delay < p.delay => tree.child_before_parent += 1,
            Some(_) => {}
        }
        tree.edges.push(edge);
    }
    // `split` yields one empty piece after a final newline; it is no line.
    if bytes.is_empty() || bytes.ends_with(b"\n") {
        tree.lines -= 1;
    }
    tree.extra_roots = roots.saturating_sub(1);
    tree
}

fn intern_uid(builder: &mut DatasetBuilder, uid: &Uid) -> Result<NodeId> {
    match uid {
        Uid::Num(v) => builder.node_u64(*v),
        Uid::Text(s) => builder.node(s),
    }
}

/// Adds a parsed tree to the builder, reporting its problems and notes.
fn merge_tree(
    tree: ParsedTree,
    labels: Option<&FxHashMap<String, String>>,
    builder: &mut DatasetBuilder,
    diag: &mut Diagnostics,
) -> Result<()> {
    if let Some(e) = tree.open_error {
        match diag.mode() {
            Mode::Strict => return Err(e),
            Mode::Lenient => {
                diag.record();
                return diag.bad(
                    Location::line(&tree.file, 0),
                    "unreadable file",
                    e.to_string(),
                );
            }
        }
    }
    for p in &tree.problems {
        let mut loc = Location::line(&tree.file, p.line);
        if let Some(c) = p.column {
            loc = loc.with_column(c);
        }
        diag.bad(loc, p.kind, p.detail.clone())?;
    }
    diag.records(tree.records);
    if tree.keep_duplicates {
        diag.note("duplicate tree line kept", tree.duplicates);
    } else {
        diag.note("duplicate tree line", tree.duplicates);
    }
    diag.note("negative delay", tree.negative_delays);
    diag.note("child before parent", tree.child_before_parent);
    diag.note("extra ROOT line", tree.extra_roots);

    let source = tree.source.clone();
    let start = source
        .as_deref()
        .and_then(|s| canonical_u64(s.as_bytes()))
        .and_then(Timestamp::from_snowflake);
    let label = match (labels, &source) {
        (Some(labels), Some(s)) => {
            let l = labels.get(s).cloned();
            if l.is_none() {
                diag.note("tree without label", 1);
            }
            l
        }
        _ => None,
    };
    if tree.edges.is_empty() && tree.records == tree.problems.len() as u64 {
        diag.note("no data rows", 1);
    }
    let mut cascade = Cascade {
        source_post: source.clone().unwrap_or_default(),
        root: None,
        start,
        label,
        edges: Vec::with_capacity(tree.edges.len()),
    };
    for edge in tree.edges {
        let parent = match &edge.parent {
            Some(p) => Some(intern_uid(builder, &p.uid)?),
            None => None,
        };
        let child = intern_uid(builder, &edge.child.uid)?;
        if edge.parent.is_none() && cascade.root.is_none() {
            cascade.root = Some(child);
        }
        if let Some(parent) = parent {
            let layer = if source.as_deref() == Some(edge.child.tweet.as_str()) {
                Layer::Repost
            } else {
                Layer::Reply
            };
            let time = start.and_then(|s| {
                let ms = (edge.child.delay * 60_000.0).round();
                (ms.abs() < 1e15).then(|| Timestamp(s.0 + ms as i64))
            });
            builder
                .interactions_mut()
                .layer_mut(layer)
                .push(child, parent, 1.0, time, None, None);
        }
        cascade.edges.push(CascadeEdge {
            parent,
            parent_post: edge.parent.map(|p| p.tweet),
            child,
            child_post: edge.child.tweet,
            delay_minutes: edge.child.delay,
        });
    }
    if !cascade.edges.is_empty() || !cascade.source_post.is_empty() {
        builder.add_cascade(cascade);
    }
    if let Some(err) = tree.read_error {
        edgelist::report_truncation(&tree.file, tree.lines, err, diag)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_parse_with_items_numbered() {
        let e = parse_line(b"['ROOT', 'ROOT', '0.0']->['1', '2', '0.0']").unwrap();
        assert!(e.parent.is_none());
        assert_eq!(e.child.uid, Uid::Num(1));
        let err = parse_line(b"['1', '2', '0.0']->['3', '4', 'x']").unwrap_err();
        assert_eq!((err.0, err.1), (Some(6), "invalid delay"));
        let err = parse_line(b"['1', '2']->['3', '4', '1']").unwrap_err();
        assert_eq!(err.1, "invalid tree line");
        assert!(parse_line(b"['1', '2', '0']['3', '4', '1']").is_err());
    }

    #[test]
    fn sniff_wants_tree_lines() {
        assert!(sniff(b"['ROOT', 'ROOT', '0.0']->['1', '2', '0.0']\n"));
        assert!(!sniff(b"[{\"a\": \"]->[\"}]\n"));
        assert!(!sniff(b"1 2\n"));
    }
}
