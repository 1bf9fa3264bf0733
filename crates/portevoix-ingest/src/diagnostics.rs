//! Strict and lenient handling of bad input, and the report that says what
//! was read, skipped and merged.

use portevoix_core::{Error, Location};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// What to do with a bad row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Stop at the first bad row with its file, line, column and reason.
    #[default]
    Strict,
    /// Skip bad rows, count them by reason, keep the first examples.
    Lenient,
}

/// A bad row: where and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Where in the input.
    pub location: Location,
    /// Short reason kind used for counting (`"missing column"`, `"invalid UTF-8"`).
    pub kind: String,
    /// The full reason, with the offending value.
    pub detail: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.detail)
    }
}

/// What happened to one input file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FileReport {
    /// The file as named by the user.
    pub file: String,
    /// The format it was read as.
    pub format: String,
    /// Records (lines, rows, tweets, statuses, edges) examined.
    pub records: u64,
    /// Records skipped, by reason kind (lenient mode only; strict mode stops instead).
    pub skipped: BTreeMap<String, u64>,
    /// Things that were not errors but changed the data, by kind: duplicates
    /// merged, dangling references kept, unresolved mentions, profile conflicts.
    pub notes: BTreeMap<String, u64>,
    /// The first problems met, with their location.
    pub examples: Vec<Problem>,
}

impl FileReport {
    /// Total records skipped.
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }
}

/// The diagnostics of a whole load: one [`FileReport`] per input.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct IngestReport {
    /// The mode the load ran in.
    pub mode: Mode,
    /// Per input, in the order read.
    pub files: Vec<FileReport>,
}

impl IngestReport {
    /// Records skipped over all files.
    pub fn skipped_total(&self) -> u64 {
        self.files.iter().map(FileReport::skipped_total).sum()
    }

    /// Records examined over all files.
    pub fn records_total(&self) -> u64 {
        self.files.iter().map(|f| f.records).sum()
    }
}

impl fmt::Display for IngestReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for file in &self.files {
            writeln!(
                f,
                "{} [{}]: {} records, {} skipped",
                file.file,
                file.format,
                file.records,
                file.skipped_total()
            )?;
            for (kind, n) in &file.skipped {
                writeln!(f, "  skipped {n:>9}  {kind}")?;
            }
            for (kind, n) in &file.notes {
                writeln!(f, "  note    {n:>9}  {kind}")?;
            }
            for p in &file.examples {
                writeln!(f, "  e.g. {p}")?;
            }
        }
        Ok(())
    }
}

/// How many example problems a file report keeps.
pub const MAX_EXAMPLES: usize = 10;

/// The problem collector a reader reports to while reading one file.
#[derive(Debug)]
pub struct Diagnostics {
    mode: Mode,
    report: FileReport,
}

impl Diagnostics {
    /// Starts the report of one file.
    pub fn new(mode: Mode, file: impl Into<String>, format: impl Into<String>) -> Diagnostics {
        Diagnostics {
            mode,
            report: FileReport {
                file: file.into(),
                format: format.into(),
                ..FileReport::default()
            },
        }
    }

    /// The mode in force.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The file being reported on, as named by the user.
    pub fn file(&self) -> &str {
        &self.report.file
    }

    /// Counts one examined record.
    #[inline]
    pub fn record(&mut self) {
        self.report.records += 1;
    }

    /// Counts `n` examined records.
    #[inline]
    pub fn records(&mut self, n: u64) {
        self.report.records += n;
    }

    /// A bad record. Strict mode: returns the error to stop with. Lenient
    /// mode: counts it under `kind`, keeps it as an example if there is room,
    /// and returns `Ok(())` so the reader skips the record and goes on.
    pub fn bad(
        &mut self,
        location: Location,
        kind: &str,
        detail: impl Into<String>,
    ) -> Result<(), Error> {
        let detail = detail.into();
        match self.mode {
            Mode::Strict => Err(Error::Input {
                location,
                reason: detail,
            }),
            Mode::Lenient => {
                *self.report.skipped.entry(kind.to_string()).or_insert(0) += 1;
                if self.report.examples.len() < MAX_EXAMPLES {
                    self.report.examples.push(Problem {
                        location,
                        kind: kind.to_string(),
                        detail,
                    });
                }
                Ok(())
            }
        }
    }

    /// Records `n` events of a non-error kind (duplicates merged, dangling
    /// references kept, ...), so that nothing changes the data silently.
    pub fn note(&mut self, kind: &str, n: u64) {
        if n > 0 {
            *self.report.notes.entry(kind.to_string()).or_insert(0) += n;
        }
    }

    /// Merges the counts of another collector of the same file (parallel chunks).
    pub fn absorb(&mut self, other: Diagnostics) {
        self.report.records += other.report.records;
        for (k, v) in other.report.skipped {
            *self.report.skipped.entry(k).or_insert(0) += v;
        }
        for (k, v) in other.report.notes {
            *self.report.notes.entry(k).or_insert(0) += v;
        }
        for p in other.report.examples {
            if self.report.examples.len() < MAX_EXAMPLES {
                self.report.examples.push(p);
            }
        }
    }

    /// The finished report.
    pub fn finish(self) -> FileReport {
        self.report
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_stops_lenient_counts() {
        let mut strict = Diagnostics::new(Mode::Strict, "f.txt", "edgelist");
        let err = strict
            .bad(
                Location::line("f.txt", 7).with_column(2),
                "bad id",
                "bad id 'x'",
            )
            .unwrap_err();
        assert_eq!(err.to_string(), "f.txt:7:2: bad id 'x'");

        let mut lenient = Diagnostics::new(Mode::Lenient, "f.txt", "edgelist");
        for line in 1..=20 {
            lenient.record();
            lenient
                .bad(
                    Location::line("f.txt", line),
                    "bad id",
                    format!("line {line}"),
                )
                .unwrap();
        }
        lenient.note("duplicate edge merged", 3);
        let report = lenient.finish();
        assert_eq!(report.skipped["bad id"], 20);
        assert_eq!(report.examples.len(), MAX_EXAMPLES);
        assert_eq!(report.examples[0].location.line, 1);
        assert_eq!(report.notes["duplicate edge merged"], 3);
    }
}
