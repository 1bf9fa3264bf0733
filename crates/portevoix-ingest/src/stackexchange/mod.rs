//! Stack Exchange data dumps: a site's folder of XML files, or the `.7z`
//! archive Stack Exchange publishes for it, read without unpacking to disk.
//!
//! A site's dump holds `Users.xml`, `Posts.xml`, `Comments.xml`,
//! `Votes.xml`, `PostLinks.xml`, `Badges.xml`, `Tags.xml` and optionally
//! `PostHistory.xml`: one XML document each, one `<row>` per record, the
//! fields as attributes, dates without a zone in UTC. The reader follows the
//! published schema (Stack Exchange's "Database schema documentation for the
//! public data dump and SEDE"), not one site's files: absent optional
//! attributes are `None`, attributes it does not know are ignored, tags are
//! read in both spellings (`<a><b>` and the newer `|a|b|`), vote and post
//! types outside the schema are counted, not rejected.
//!
//! Reading has two steps, both public:
//! 1. [`read_site`] streams every file on its own thread (a folder's files
//!    in parallel; an archive's entries as they are decompressed, each
//!    handed to a parser thread) into typed records ([`Site`]), with
//!    file:line:column for every bad row or malformed XML;
//! 2. [`map_site`] turns the records into accounts, posts and interactions
//!    (the rules are in `docs/stackexchange-format.md`).
//!
//! [`Site::until`] gives the site as it stood at a past date (hold-out
//! evaluations).
//!
//! Protocols that need the dump's own semantics (reputation rules, vote
//! types) read the typed records of step 1.
//!
//! ```no_run
//! use portevoix_ingest::stackexchange::read_site;
//! use portevoix_ingest::Mode;
//! let site = read_site("cardano".as_ref(), Mode::Strict)?;
//! let questions = site.posts.iter().filter(|p| p.post_type == 1).count();
//! # Ok::<(), portevoix_core::Error>(())
//! ```

mod cut;
mod html;
mod map;
pub mod rows;
mod site;
mod xml;

pub use html::html_to_text;
pub use map::{PLATFORM, comment_post_id, map_site, post_kind};
pub use rows::{
    BadgeRow, CommentRow, LinkRow, PostRow, TagRow, UserRow, VoteRow, VoteType, parse_dump_date,
    parse_tags,
};
pub use site::{DumpFile, SEVEN_Z_MAGIC, Site, is_7z, is_site, read_site};
pub use xml::FieldProblem;

use crate::dataset::DatasetBuilder;
use crate::diagnostics::Mode;
use portevoix_core::Result;
use std::path::Path;

/// Reads the site at `path` (a folder or a `.7z` archive) into `builder`.
///
/// # Errors
///
/// See [`read_site`].
pub fn read(path: &Path, builder: &mut DatasetBuilder) -> Result<()> {
    let site = read_site(path, builder.mode())?;
    map_site(site, builder)
}

/// Reads one dump file given as bytes (tests, fuzzing): `file` says which
/// one it is. The other files are absent, as in a lenient read.
///
/// # Errors
///
/// Strict mode: the first bad row, with its line and column.
pub fn read_file_bytes(file: DumpFile, name: &str, bytes: &[u8], mode: Mode) -> Result<Site> {
    site::read_one(file, name, bytes, mode)
}
