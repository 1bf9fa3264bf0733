//! Where a protocol's data comes from: files the caller names (its
//! `--data`, or the shared datasets under [`EvalOptions::datasets`]), or a
//! small sample built into the library, so that the quick version of a
//! protocol runs anywhere, whatever the directory the binary runs from.
//!
//! The library reads no file on its own initiative: every path comes from
//! the caller, and the built-in samples are compiled in (`include_bytes!`).

use crate::protocol::EvalOptions;
use portevoix_core::Error;
use portevoix_ingest::{
    Dataset, DatasetBuilder, FormatKind, Input, ReadOptions, read_input, read_path,
};
use std::path::{Path, PathBuf};

/// A sample of a dataset compiled into the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bundled {
    /// Its path in the Porte-voix repository (how reports name it).
    pub name: &'static str,
    /// Its bytes, as in the repository (gzip included).
    pub bytes: &'static [u8],
}

/// The first 60,000 rows of the Higgs activity log (the repository's
/// `datasets/higgs-sample/`), the data of the quick `higgs-holdout` and
/// `manipulation` protocols.
pub const HIGGS_SAMPLE: Bundled = Bundled {
    name: "datasets/higgs-sample/higgs-activity_time.first60000.txt.gz",
    bytes: include_bytes!("../../../datasets/higgs-sample/higgs-activity_time.first60000.txt.gz"),
};

/// One input of a protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file or directory the caller named.
    File(PathBuf),
    /// A sample compiled into the library.
    Bundled(Bundled),
}

impl Source {
    /// How reports name it: a file relative to the datasets root when it
    /// lies under it ([`EvalOptions::data_name`]); a built-in sample by its
    /// path in the repository, marked "built in".
    pub fn name(&self, options: &EvalOptions) -> String {
        match self {
            Source::File(path) => options.data_name(path),
            Source::Bundled(b) => format!("{} (built in)", b.name),
        }
    }

    /// The file, for a [`Source::File`].
    pub fn path(&self) -> Option<&Path> {
        match self {
            Source::File(p) => Some(p),
            Source::Bundled(_) => None,
        }
    }

    /// Reads it into `builder` as `format`.
    ///
    /// # Errors
    ///
    /// What the reader reports.
    pub fn read_into(
        &self,
        format: FormatKind,
        options: &ReadOptions,
        builder: &mut DatasetBuilder,
    ) -> Result<(), Error> {
        match self {
            Source::File(path) => read_path(path, format, options, builder),
            Source::Bundled(b) => {
                let mut input = Input::from_bytes(b.name, b.bytes.to_vec());
                read_input(&mut input, format, options, builder)
            }
        }
    }
}

/// Loads `sources`, in order, into one dataset, each read as `format`.
///
/// # Errors
///
/// What the readers report.
pub fn load(
    sources: &[Source],
    format: FormatKind,
    options: &ReadOptions,
) -> Result<Dataset, Error> {
    let mut builder = DatasetBuilder::new(options.mode);
    for s in sources {
        s.read_into(format, options, &mut builder)?;
    }
    Ok(builder.finish())
}

/// `options.data` as file sources when given, else `default()`.
///
/// # Errors
///
/// What `default` reports (no datasets root, a missing file).
pub fn given_or(
    options: &EvalOptions,
    default: impl FnOnce() -> Result<Vec<Source>, Error>,
) -> Result<Vec<Source>, Error> {
    if options.data.is_empty() {
        default()
    } else {
        Ok(options.data.iter().cloned().map(Source::File).collect())
    }
}
