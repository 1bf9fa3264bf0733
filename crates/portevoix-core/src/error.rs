//! Error kinds shared by every crate: where in the input, and why.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A place in an input: file, line, and column when known (both 1-based).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Location {
    /// The file as the user named it (`-` for standard input).
    pub file: String,
    /// 1-based line number (for JSON pages, the line of the page).
    pub line: u64,
    /// 1-based column (a field number for delimited files, a byte column for JSON), if known.
    pub column: Option<u64>,
}

impl Location {
    /// A location at a line.
    pub fn line(file: impl Into<String>, line: u64) -> Location {
        Location {
            file: file.into(),
            line,
            column: None,
        }
    }

    /// The same location with a column.
    pub fn with_column(mut self, column: u64) -> Location {
        self.column = Some(column);
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(c) => write!(f, "{}:{}:{}", self.file, self.line, c),
            None => write!(f, "{}:{}", self.file, self.line),
        }
    }
}

/// Errors every stage can report.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A row or record of an input is invalid.
    #[error("{location}: {reason}")]
    Input {
        /// Where.
        location: Location,
        /// Why, in words a user can act on.
        reason: String,
    },
    /// An input could not be read (missing file, truncated gzip, ...).
    #[error("{path}: {source}")]
    Io {
        /// The path as given.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// An argument or option is invalid (bad damping, empty seed set, ...).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// A capacity limit was reached.
    #[error(transparent)]
    Capacity(#[from] crate::ids::InternerFull),
}

/// Result with the shared [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
