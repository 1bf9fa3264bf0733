//! Reading a whole site: its dump files from a folder or from the `.7z`
//! archive Stack Exchange publishes, each streamed and parsed on its own
//! thread, into typed records ([`Site`]).

use super::rows::{self, BadgeRow, CommentRow, LinkRow, PostRow, TagRow, UserRow, VoteRow};
use super::xml::{Row, RowReader};
use crate::diagnostics::{Diagnostics, Mode};
use crate::source::Input;
use portevoix_core::{Error, Location, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// The files of a site's dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DumpFile {
    /// `Users.xml`.
    Users,
    /// `Posts.xml`.
    Posts,
    /// `Comments.xml`.
    Comments,
    /// `Votes.xml`.
    Votes,
    /// `PostLinks.xml`.
    PostLinks,
    /// `Badges.xml`.
    Badges,
    /// `Tags.xml`.
    Tags,
    /// `PostHistory.xml` (optional).
    PostHistory,
}

impl DumpFile {
    /// Every file, in the order they are mapped (and reported).
    pub const ALL: [DumpFile; 8] = [
        DumpFile::Users,
        DumpFile::Posts,
        DumpFile::Comments,
        DumpFile::Votes,
        DumpFile::PostLinks,
        DumpFile::Badges,
        DumpFile::Tags,
        DumpFile::PostHistory,
    ];

    /// The file name as published.
    pub fn file_name(self) -> &'static str {
        match self {
            DumpFile::Users => "Users.xml",
            DumpFile::Posts => "Posts.xml",
            DumpFile::Comments => "Comments.xml",
            DumpFile::Votes => "Votes.xml",
            DumpFile::PostLinks => "PostLinks.xml",
            DumpFile::Badges => "Badges.xml",
            DumpFile::Tags => "Tags.xml",
            DumpFile::PostHistory => "PostHistory.xml",
        }
    }

    /// The root element the file must have.
    pub fn root(self) -> &'static str {
        match self {
            DumpFile::Users => "users",
            DumpFile::Posts => "posts",
            DumpFile::Comments => "comments",
            DumpFile::Votes => "votes",
            DumpFile::PostLinks => "postlinks",
            DumpFile::Badges => "badges",
            DumpFile::Tags => "tags",
            DumpFile::PostHistory => "posthistory",
        }
    }

    /// Whether a site must have it (`PostHistory.xml` is optional; without
    /// `Posts.xml` nothing can be read, and the others are required in
    /// strict mode and noted as missing in lenient mode).
    pub fn required(self) -> bool {
        self != DumpFile::PostHistory
    }

    /// The file a (case-insensitive) base name stands for.
    pub fn from_name(name: &str) -> Option<DumpFile> {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        DumpFile::ALL
            .into_iter()
            .find(|f| f.file_name().eq_ignore_ascii_case(base))
    }
}

/// The typed records of a site, in file order, with the diagnostics of each
/// file read.
#[derive(Debug, Default)]
pub struct Site {
    /// How the site was named (the folder or the archive).
    pub name: String,
    /// `Users.xml`.
    pub users: Vec<UserRow>,
    /// `Posts.xml`.
    pub posts: Vec<PostRow>,
    /// `Comments.xml`.
    pub comments: Vec<CommentRow>,
    /// `Votes.xml`.
    pub votes: Vec<VoteRow>,
    /// `PostLinks.xml`.
    pub links: Vec<LinkRow>,
    /// `Badges.xml`.
    pub badges: Vec<BadgeRow>,
    /// `Tags.xml`.
    pub tags: Vec<TagRow>,
    /// `PostHistory.xml`: rows by `PostHistoryTypeId` (empty without the file).
    pub history: BTreeMap<u32, u64>,
    /// Bytes of XML read (decompressed).
    pub xml_bytes: u64,
    /// The files found, in [`DumpFile::ALL`] order, with their diagnostics.
    pub files: Vec<(DumpFile, Diagnostics)>,
}

impl Site {
    fn absorb(&mut self, r: FileRead) {
        self.xml_bytes += r.bytes;
        match r.records {
            Records::Users(v) => self.users = v,
            Records::Posts(v) => self.posts = v,
            Records::Comments(v) => self.comments = v,
            Records::Votes(v) => self.votes = v,
            Records::Links(v) => self.links = v,
            Records::Badges(v) => self.badges = v,
            Records::Tags(v) => self.tags = v,
            Records::History(v) => self.history = v,
        }
        self.files.push((r.file, r.diag));
    }

    /// The diagnostics of `file`, if it was read.
    pub fn diagnostics_mut(&mut self, file: DumpFile) -> Option<&mut Diagnostics> {
        self.files
            .iter_mut()
            .find(|(f, _)| *f == file)
            .map(|(_, d)| d)
    }
}

/// What one file gave.
enum Records {
    Users(Vec<UserRow>),
    Posts(Vec<PostRow>),
    Comments(Vec<CommentRow>),
    Votes(Vec<VoteRow>),
    Links(Vec<LinkRow>),
    Badges(Vec<BadgeRow>),
    Tags(Vec<TagRow>),
    History(BTreeMap<u32, u64>),
}

struct FileRead {
    file: DumpFile,
    records: Records,
    diag: Diagnostics,
    bytes: u64,
}

/// Counts the bytes that go through a reader.
struct Counted<R> {
    inner: R,
    bytes: u64,
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(out)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, n: usize) {
        self.bytes += n as u64;
        self.inner.consume(n);
    }
}

fn keep<T>(
    out: &mut Vec<T>,
    parsed: std::result::Result<T, super::xml::FieldProblem>,
    row: &Row<'_>,
    diag: &mut Diagnostics,
) -> Result<()> {
    match parsed {
        Ok(v) => {
            out.push(v);
            Ok(())
        }
        Err(p) => diag.bad(row.location(), p.kind, p.detail),
    }
}

/// Parses one dump file from `input`, named `name` in locations.
fn parse_file<R: BufRead>(file: DumpFile, name: String, input: R, mode: Mode) -> Result<FileRead> {
    let mut diag = Diagnostics::new(mode, name.clone(), "stackexchange");
    let mut counted = Counted {
        inner: input,
        bytes: 0,
    };
    let mut reader = RowReader::new(name.clone(), &mut counted);
    let records = match file {
        DumpFile::Users => {
            let mut v = Vec::new();
            read(&mut reader, file, &mut diag, |r, d| {
                keep(&mut v, rows::user(r), r, d)
            })?;
            Records::Users(v)
        }
        DumpFile::Posts => {
            let mut v = Vec::new();
            read(&mut reader, file, &mut diag, |r, d| {
                keep(&mut v, rows::post(r), r, d)
            })?;
            Records::Posts(v)
        }
        DumpFile::Comments => {
            let mut v = Vec::new();
            read(&mut reader, file, &mut diag, |r, d| {
                keep(&mut v, rows::comment(r), r, d)
            })?;
            Records::Comments(v)
        }
        DumpFile::Votes => {
            let mut v = Vec::new();
            read(&mut reader, file, &mut diag, |r, d| {
                keep(&mut v, rows::vote(r), r, d)
            })?;
            Records::Votes(v)
        }
        DumpFile::PostLinks => {
            let mut v = Vec::new();
            read(&mut reader, file, &mut diag, |r, d| {
                keep(&mut v, rows::link(r), r, d)
            })?;
            Records::Links(v)
        }
        DumpFile::Badges => {
            let mut v = Vec::new();
            read(&mut reader, file, &mut diag, |r, d| {
                keep(&mut v, rows::badge(r), r, d)
            })?;
            Records::Badges(v)
        }
        DumpFile::Tags => {
            let mut v = Vec::new();
            read(&mut reader, file, &mut diag, |r, d| {
                keep(&mut v, rows::tag(r), r, d)
            })?;
            Records::Tags(v)
        }
        DumpFile::PostHistory => {
            let mut by: BTreeMap<u32, u64> = BTreeMap::new();
            read(
                &mut reader,
                file,
                &mut diag,
                |r, d| match rows::history_type(r) {
                    Ok(t) => {
                        *by.entry(t).or_default() += 1;
                        Ok(())
                    }
                    Err(p) => d.bad(r.location(), p.kind, p.detail),
                },
            )?;
            Records::History(by)
        }
    };
    drop(reader);
    Ok(FileRead {
        file,
        records,
        diag,
        bytes: counted.bytes,
    })
}

fn read<R: BufRead>(
    reader: &mut RowReader<R>,
    file: DumpFile,
    diag: &mut Diagnostics,
    each: impl FnMut(&Row<'_>, &mut Diagnostics) -> Result<()>,
) -> Result<()> {
    let stats = reader.read_rows(diag, each)?;
    if let Some(root) = stats.root
        && !root.eq_ignore_ascii_case(file.root())
    {
        diag.bad(
            Location::line(diag_name(diag), 1),
            "wrong root element",
            format!(
                "root element <{root}> where {} has <{}>: not this dump file",
                file.file_name(),
                file.root()
            ),
        )?;
    }
    Ok(())
}

fn diag_name(diag: &Diagnostics) -> String {
    diag.file().to_string()
}

/// Whether `path` is a site: a folder holding `Posts.xml`, or a 7z archive.
pub fn is_site(path: &Path) -> bool {
    if path.is_dir() {
        return find_in_dir(path, DumpFile::Posts).is_some();
    }
    is_7z(path)
}

/// Whether the file starts with the 7z signature.
pub fn is_7z(path: &Path) -> bool {
    let mut head = [0u8; 6];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && head == SEVEN_Z_MAGIC
}

/// The signature every 7z archive starts with.
pub const SEVEN_Z_MAGIC: [u8; 6] = [b'7', b'z', 0xBC, 0xAF, 0x27, 0x1C];

fn find_in_dir(dir: &Path, file: DumpFile) -> Option<PathBuf> {
    let exact = dir.join(file.file_name());
    if exact.is_file() {
        return Some(exact);
    }
    std::fs::read_dir(dir).ok()?.flatten().find_map(|e| {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let base = name.strip_suffix(".gz").unwrap_or(&name);
        (base.eq_ignore_ascii_case(file.file_name()) && e.path().is_file()).then(|| e.path())
    })
}

/// Reads a site from a folder or a `.7z` archive.
///
/// # Errors
///
/// No `Posts.xml`; in strict mode, a missing required file or the first bad
/// row (file:line:column); an unreadable archive.
pub fn read_site(path: &Path, mode: Mode) -> Result<Site> {
    let name = path.display().to_string();
    let reads = if path.is_dir() {
        read_dir(path, mode)?
    } else {
        read_archive(path, mode)?
    };
    assemble(name, reads, mode)
}

/// A site made of one file given as bytes.
pub(crate) fn read_one(file: DumpFile, name: &str, bytes: &[u8], mode: Mode) -> Result<Site> {
    let read = parse_file(file, name.to_string(), bytes, mode)?;
    let mut site = Site {
        name: name.to_string(),
        ..Site::default()
    };
    site.absorb(read);
    Ok(site)
}

fn assemble(name: String, reads: Vec<FileRead>, mode: Mode) -> Result<Site> {
    let mut site = Site {
        name: name.clone(),
        ..Site::default()
    };
    let mut found: Vec<DumpFile> = reads.iter().map(|r| r.file).collect();
    found.sort();
    if !found.contains(&DumpFile::Posts) {
        return Err(Error::argument(
            "site",
            format!(
                "{name}: no Posts.xml: not a Stack Exchange site dump (a folder or .7z holding Posts.xml, Users.xml, Comments.xml, Votes.xml, PostLinks.xml, Badges.xml, Tags.xml)"
            ),
        ));
    }
    let missing: Vec<&str> = DumpFile::ALL
        .into_iter()
        .filter(|f| f.required() && !found.contains(f))
        .map(DumpFile::file_name)
        .collect();
    if !missing.is_empty() && mode == Mode::Strict {
        return Err(Error::argument(
            "site",
            format!(
                "{name}: missing {} (pass --lenient to read the site without them)",
                missing.join(", ")
            ),
        ));
    }
    let mut reads = reads;
    reads.sort_by_key(|r| r.file);
    for r in reads {
        site.absorb(r);
    }
    if let Some((_, d)) = site.files.iter_mut().find(|(f, _)| *f == DumpFile::Posts) {
        d.note("dump files missing (lenient)", missing.len() as u64);
    }
    Ok(site)
}

fn read_dir(dir: &Path, mode: Mode) -> Result<Vec<FileRead>> {
    let mut paths: Vec<(DumpFile, PathBuf, u64)> = DumpFile::ALL
        .into_iter()
        .filter_map(|f| {
            let p = find_in_dir(dir, f)?;
            let size = std::fs::metadata(&p).map_or(0, |m| m.len());
            Some((f, p, size))
        })
        .collect();
    // Largest first, so that the biggest file starts at once on two cores.
    paths.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let results: Vec<Result<FileRead>> = paths
        .into_par_iter()
        .map(|(file, path, _)| {
            let input = Input::open(&path)?;
            let name = input.name().to_string();
            parse_file(file, name, input.into_reader(), mode)
        })
        .collect();
    collect_in_order(results)
}

/// The reads, or the error of the first file (in [`DumpFile::ALL`] order)
/// that failed, so that the error does not depend on thread timing.
fn collect_in_order(results: Vec<Result<FileRead>>) -> Result<Vec<FileRead>> {
    let mut ok = Vec::new();
    let mut errors: Vec<(DumpFile, Error)> = Vec::new();
    for r in results {
        match r {
            Ok(f) => ok.push(f),
            Err(e) => {
                let file = error_file(&e);
                errors.push((file, e));
            }
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|(f, _)| *f);
        return Err(errors.remove(0).1);
    }
    Ok(ok)
}

fn error_file(e: &Error) -> DumpFile {
    let text = match e {
        Error::Input { location, .. } => location.file.clone(),
        Error::Io { path, .. } => path.display().to_string(),
        other => other.to_string(),
    };
    DumpFile::ALL
        .into_iter()
        .find(|f| text.contains(f.file_name()))
        .unwrap_or(DumpFile::PostHistory)
}

/// A [`Read`] over chunks sent by the thread that decompresses the archive.
struct ChannelReader {
    rx: mpsc::Receiver<io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    at: usize,
    done: bool,
}

impl Read for ChannelReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.at == self.chunk.len() {
            if self.done {
                return Ok(0);
            }
            match self.rx.recv() {
                Ok(Ok(chunk)) => {
                    self.chunk = chunk;
                    self.at = 0;
                }
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(_) => {
                    self.done = true;
                    return Ok(0);
                }
            }
        }
        let n = (self.chunk.len() - self.at).min(out.len());
        out[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Chunks of decompressed bytes handed from the archive to a parser.
const CHUNK_BYTES: usize = 1 << 20;

fn read_archive(path: &Path, mode: Mode) -> Result<Vec<FileRead>> {
    let name = path.display().to_string();
    let archive_error = |e: sevenz_rust2::Error| Error::Io {
        path: name.clone().into(),
        source: io::Error::new(
            io::ErrorKind::InvalidData,
            format!("not a readable 7z archive (truncated or corrupt?): {e}"),
        ),
    };
    let mut archive = sevenz_rust2::ArchiveReader::open(path, sevenz_rust2::Password::empty())
        .map_err(archive_error)?;
    let mut seen: Vec<DumpFile> = Vec::new();
    let mut results: Vec<Result<FileRead>> = Vec::new();
    let mut stream_error: Option<(String, io::Error)> = None;
    std::thread::scope(|scope| {
        let mut handles = Vec::new();
        let outcome = archive.for_each_entries(|entry, reader| {
            let Some(file) = DumpFile::from_name(entry.name()).filter(|f| !seen.contains(f)) else {
                io::copy(reader, &mut io::sink())?;
                return Ok(true);
            };
            if entry.is_directory() {
                return Ok(true);
            }
            seen.push(file);
            let (tx, rx) = mpsc::sync_channel::<io::Result<Vec<u8>>>(4);
            let entry_name = format!("{name}:{}", entry.name());
            let parser_name = entry_name.clone();
            handles.push(scope.spawn(move || {
                let input = BufReader::with_capacity(
                    CHUNK_BYTES,
                    ChannelReader {
                        rx,
                        chunk: Vec::new(),
                        at: 0,
                        done: false,
                    },
                );
                parse_file(file, parser_name, input, mode)
            }));
            let mut parser_alive = true;
            loop {
                let mut chunk = vec![0u8; CHUNK_BYTES];
                let n = match read_full(reader, &mut chunk) {
                    Ok(n) => n,
                    Err(e) => {
                        let copy = io::Error::new(e.kind(), e.to_string());
                        if parser_alive {
                            let _ = tx.send(Err(e));
                        }
                        stream_error.get_or_insert((entry_name.clone(), copy));
                        return Ok(false);
                    }
                };
                if n == 0 {
                    break;
                }
                chunk.truncate(n);
                if parser_alive && tx.send(Ok(chunk)).is_err() {
                    // The parser stopped (a strict-mode error): skip the rest.
                    parser_alive = false;
                }
            }
            Ok(true)
        });
        for h in handles {
            results.push(
                h.join().unwrap_or_else(|_| {
                    Err(Error::argument("site", "a dump parser thread panicked"))
                }),
            );
        }
        if let Err(e) = outcome
            && stream_error.is_none()
        {
            stream_error = Some((
                name.clone(),
                io::Error::new(io::ErrorKind::InvalidData, e.to_string()),
            ));
        }
    });
    if let Some((entry, e)) = stream_error
        && mode == Mode::Strict
    {
        return Err(Error::Io {
            path: format!("{entry} (truncated or corrupt archive)").into(),
            source: e,
        });
    }
    collect_in_order(results)
}

/// Reads until `buf` is full or the end; returns the bytes read.
fn read_full(reader: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}
