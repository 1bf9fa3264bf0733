//! Errors of a distributed job.

use std::fmt;

/// Why a distributed job failed. The engine is fail-stop: any of these
/// stops every process of the job; rerunning recomputes from the inputs.
#[derive(Debug)]
pub enum DistError {
    /// An error of the local stages (a bad input row, an invalid option),
    /// found by this process.
    Local(portevoix_core::Error),
    /// An error found by another worker and shared with every worker, so
    /// that the whole job stops with the same message.
    Job(String),
    /// A peer process stopped or became unreachable mid-run.
    LostPeer {
        /// The lost process's index.
        process: usize,
        /// Its address, when the job knows it.
        address: Option<String>,
        /// What the connection reported.
        cause: String,
    },
    /// The processes could not connect to each other at start-up.
    Connect(String),
    /// A worker thread failed for another reason (a defect: please report it).
    Worker(String),
    /// The job was set up wrongly (layout, hostfile, launch).
    Setup(String),
}

impl fmt::Display for DistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DistError::Local(e) => write!(f, "{e}"),
            DistError::Job(m) => f.write_str(m),
            DistError::LostPeer {
                process,
                address,
                cause,
            } => {
                write!(f, "lost contact with process {process}")?;
                if let Some(a) = address {
                    write!(f, " ({a})")?;
                }
                write!(
                    f,
                    ": {cause}; the job stops (fail-stop: no result is written, rerun it to recompute)"
                )
            }
            DistError::Connect(m) => write!(f, "could not start the job: {m}"),
            DistError::Worker(m) => write!(f, "a worker failed: {m}"),
            DistError::Setup(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for DistError {}

impl From<portevoix_core::Error> for DistError {
    fn from(e: portevoix_core::Error) -> Self {
        DistError::Local(e)
    }
}

impl From<DistError> for portevoix_core::Error {
    fn from(e: DistError) -> Self {
        match e {
            DistError::Local(e) => e,
            other => portevoix_core::Error::argument("error", other.to_string()),
        }
    }
}

/// Result of the distributed engine.
pub type Result<T> = std::result::Result<T, DistError>;
