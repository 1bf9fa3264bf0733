//! The Porte-voix influence kernels on timely-dataflow (wip).

pub mod cluster;
pub mod comm;
pub mod error;
pub mod halo;
pub mod input;
pub mod job;
pub mod kernels;
pub mod launch;
pub mod load;
pub mod partition;

pub use cluster::{FailStop, Layout, Network};
pub use error::{DistError, Result};
pub use input::InputFile;
pub use job::{Algorithm, Job, Output, Values, run};
