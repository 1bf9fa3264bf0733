//! Error kinds shared by every crate: where, and why, in kinds a caller can
//! act on without reading the message.
//!
//! | kind | variant | whose fault, and what a service does with it |
//! |---|---|---|
//! | input | [`Error::Input`] | a row or record of the data is bad (file, line, column): show it to whoever supplied the data |
//! | io | [`Error::Io`] | a file could not be read or written ([`PathBuf`] and the OS error): log it, check the path |
//! | configuration | [`Error::Config`] | a campaign or topic (TOML or builder) is invalid: the key, and the file, line and column from the TOML parser's spans; show it to the campaign's author |
//! | argument | [`Error::Argument`] | a parameter of a call or a command-line option is invalid (damping outside `[0, 1]`, an empty seed set, an unknown format name): a programming or usage error |
//! | signal | [`Error::Signal`] | a scoring signal is registered twice or returned unusable values: the signal's author must fix it |
//! | output | [`Error::Output`] | a report could not be produced (serialisation) |
//! | capacity | [`Error::Capacity`] | more accounts than dense ids |
//!
//! The enum is `#[non_exhaustive]`: match the kinds you handle and keep a
//! `_` arm, or match on [`Error::kind`].
//!
//! # Example
//!
//! ```
//! use portevoix_core::{Error, ErrorKind, Location};
//!
//! let e = Error::config(
//!     Some("candidates.min_followers"),
//!     Some(Location::line("c.toml", 12).with_column(15)),
//!     "min_followers 10 > max_followers 5",
//! );
//! assert_eq!(e.kind(), ErrorKind::Config);
//! assert_eq!(e.to_string(), "c.toml:12:15: min_followers 10 > max_followers 5");
//! match &e {
//!     Error::Config { key, location, .. } => {
//!         assert_eq!(key.as_deref(), Some("candidates.min_followers"));
//!         assert_eq!(location.as_ref().map(|l| l.line), Some(12));
//!     }
//!     _ => unreachable!(),
//! }
//! ```

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

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

/// The kind of an [`Error`], for callers that route errors (to the user who
/// wrote a campaign, to the operator's logs) without matching every field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::Input`].
    Input,
    /// [`Error::Io`].
    Io,
    /// [`Error::Config`].
    Config,
    /// [`Error::Argument`].
    Argument,
    /// [`Error::Signal`].
    Signal,
    /// [`Error::Output`].
    Output,
    /// [`Error::Capacity`].
    Capacity,
}

/// Errors every stage can report (see the [module docs](self) for the kinds).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A row or record of an input is invalid.
    #[error("{location}: {reason}")]
    Input {
        /// Where.
        location: Location,
        /// Why, in words a user can act on.
        reason: String,
    },
    /// A file could not be read or written (missing file, truncated gzip,
    /// closed output, ...).
    #[error("{}: {source}", path.display())]
    Io {
        /// The path as given (`-` for standard input or output).
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A configuration (campaign or topic, from TOML or a builder) is
    /// invalid.
    #[error("{}{reason}", location.as_ref().map(|l| format!("{l}: ")).unwrap_or_default())]
    Config {
        /// The key at fault, dotted as in TOML (`candidates.min_followers`,
        /// `topic.keywords.flight`, `signal_weights."reach.audience"`), when
        /// one key is.
        key: Option<String>,
        /// File, line and column of that key or value, from the TOML
        /// parser's spans; `None` for a configuration built in code.
        location: Option<Location>,
        /// Why.
        reason: String,
    },
    /// A parameter of a call, or a command-line option, is invalid.
    #[error("invalid argument: {reason}")]
    Argument {
        /// The parameter or option (`damping`, `seeds`, `--format`, ...).
        name: String,
        /// Why.
        reason: String,
    },
    /// A scoring signal is unusable: registered twice, wrong number of
    /// values, a value that is not finite, a weight for an unknown signal.
    #[error("signal {signal}: {reason}")]
    Signal {
        /// The signal's name (`reach.pagerank`).
        signal: String,
        /// Why.
        reason: String,
    },
    /// A report or other output could not be produced.
    #[error("cannot write {target}: {reason}")]
    Output {
        /// What was being written (`JSON`, `results.json`, ...).
        target: String,
        /// Why.
        reason: String,
    },
    /// A capacity limit was reached.
    #[error(transparent)]
    Capacity(#[from] crate::ids::InternerFull),
}

impl Error {
    /// An [`Error::Input`] at `location`.
    pub fn input(location: Location, reason: impl Into<String>) -> Error {
        Error::Input {
            location,
            reason: reason.into(),
        }
    }

    /// An [`Error::Io`] on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// An [`Error::Config`] for `key` (dotted), at `location` when known.
    pub fn config(
        key: Option<&str>,
        location: Option<Location>,
        reason: impl Into<String>,
    ) -> Error {
        Error::Config {
            key: key.map(str::to_string),
            location,
            reason: reason.into(),
        }
    }

    /// An [`Error::Argument`] for the parameter `name`.
    pub fn argument(name: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::Argument {
            name: name.into(),
            reason: reason.into(),
        }
    }

    /// An [`Error::Signal`] for the signal `signal`.
    pub fn signal(signal: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::Signal {
            signal: signal.into(),
            reason: reason.into(),
        }
    }

    /// An [`Error::Output`] while writing `target`.
    pub fn output(target: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::Output {
            target: target.into(),
            reason: reason.into(),
        }
    }

    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Input { .. } => ErrorKind::Input,
            Error::Io { .. } => ErrorKind::Io,
            Error::Config { .. } => ErrorKind::Config,
            Error::Argument { .. } => ErrorKind::Argument,
            Error::Signal { .. } => ErrorKind::Signal,
            Error::Output { .. } => ErrorKind::Output,
            Error::Capacity(_) => ErrorKind::Capacity,
        }
    }

    /// The reason alone, without the location or the kind's prefix.
    pub fn reason(&self) -> String {
        match self {
            Error::Input { reason, .. }
            | Error::Config { reason, .. }
            | Error::Argument { reason, .. }
            | Error::Signal { reason, .. }
            | Error::Output { reason, .. } => reason.clone(),
            Error::Io { source, .. } => source.to_string(),
            Error::Capacity(e) => e.to_string(),
        }
    }
}

/// Result with the shared [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_keep_their_shape_per_kind() {
        let cases = [
            (
                Error::input(Location::line("a.csv", 3).with_column(2), "bad id"),
                "a.csv:3:2: bad id",
                ErrorKind::Input,
            ),
            (
                Error::io("x/y.gz", std::io::Error::other("truncated")),
                "x/y.gz: truncated",
                ErrorKind::Io,
            ),
            (
                Error::config(Some("objective"), None, "unknown objective"),
                "unknown objective",
                ErrorKind::Config,
            ),
            (
                Error::argument("damping", "damping must be in [0, 1], got 2"),
                "invalid argument: damping must be in [0, 1], got 2",
                ErrorKind::Argument,
            ),
            (
                Error::signal("reach.x", "registered twice"),
                "signal reach.x: registered twice",
                ErrorKind::Signal,
            ),
            (
                Error::output("JSON", "key must be a string"),
                "cannot write JSON: key must be a string",
                ErrorKind::Output,
            ),
        ];
        for (e, text, kind) in cases {
            assert_eq!(e.to_string(), text);
            assert_eq!(e.kind(), kind);
        }
        let e = Error::argument("seeds", "empty");
        assert_eq!(e.reason(), "empty");
    }
}
