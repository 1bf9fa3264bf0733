//! The Porte-voix influence kernels on [timely-dataflow], across processes
//! and machines, with the same numbers as the local (rayon) engine.
//!
//! DESIGN.md asks that every iterative kernel be a vertex program (state per
//! account, messages along edges merged by an associative combiner, a few
//! global aggregates) so that an existing distributed dataflow engine can run
//! it. This crate runs those programs on timely (pinned to 0.32.0: its API
//! changes between minor versions); it is opt-in, behind the `timely`
//! feature of the command line.
//!
//! # Data flow
//!
//! 1. **Partitioned input** ([`input`]): the inputs are cut into parts of
//!    whole lines; worker `g mod W` reads part `g` with the readers of
//!    `portevoix-ingest`, with the plan (separator, header, implicit columns)
//!    decided once from the file's head.
//! 2. **Dense ids without a central dictionary** ([`load`]): names are hash
//!    partitioned to name owners, which find each account's first
//!    appearance; per-part counts give every part a dense range. The result
//!    is exactly the local engine's numbering (first appearance across the
//!    inputs), so dense ids, ties, HyperBall's hashes and the diffusion's
//!    random streams are the same, and the output prints the same external
//!    ids. No process holds all names while the graph is loaded: process 0
//!    gathers them to write the output, once the graph is dropped.
//! 3. **Edges to their owners**: dense ids are owned in units of 16,384
//!    ([`partition`]), assigned to workers by load (the row copies of each
//!    unit, a global aggregate counted before shipping) so that the hubs,
//!    which first appearance crowds into the first units, do not all land
//!    on one worker; each row goes to the owner of its source, straight into
//!    its place in the out-rows (row lengths are counted first), duplicates
//!    and layers merged in input order as the local build does; the merged
//!    out-rows are then transposed into the in-rows, as the local build
//!    transposes its out-CSR.
//! 4. **Supersteps** ([`comm`], [`halo`]): one timely dataflow per worker
//!    whose timestamps are the rounds; a pull superstep exchanges the values
//!    of the remote neighbours each worker references (its *halo*), sums
//!    rows in neighbour order, and gathers per-chunk sums for the global
//!    aggregates, added in account order on every worker.
//! 5. **Kernels** ([`kernels`]): PageRank (plain, personalised, batched),
//!    HITS, LeaderRank, Katz, k-core (distributed h-index iteration), HyperBall,
//!    weakly connected components, label propagation (semi-synchronous) and
//!    the diffusion Monte Carlo (independent runs spread over processes).
//! 6. **Output** ([`job`]): worker 0 gathers the scores by dense id, then,
//!    with the graph dropped, the names ([`load::HeldNames`]).
//!
//! # The same numbers
//!
//! With the default unit, every floating-point sum is taken in the local
//! engine's order: PageRank, HITS, LeaderRank and Katz are bit-identical to
//! the local engine for any layout (the tests accept up to 1e-9 in L1, the
//! contract); coreness, components, HyperBall and the diffusion Monte Carlo
//! are identical. Label propagation is not: the local engine updates
//! accounts one after another in a random order (asynchronous), which has no
//! parallel equivalent; the distributed one uses the same tie rule
//! semi-synchronously.
//!
//! # Fail-stop
//!
//! Timely has no fault tolerance, and neither does this engine: when a
//! process dies or becomes unreachable, every other process stops within
//! the time its sockets take to report it, with an error naming the lost
//! process ([`DistError::LostPeer`]); no output is written, and a rerun
//! recomputes everything from the inputs. Errors found by one worker (a bad
//! input row) are shared, so every process stops with the same message
//! ([`comm::Comm::agree`]). See [`cluster`] and [`launch`].
//!
//! # Example
//!
//! ```no_run
//! use portevoix_dist::{Algorithm, InputFile, Job, Layout, Network, Values};
//! use portevoix_graph::kernels::PageRankOptions;
//!
//! let input = InputFile { path: "soc-Slashdot0902.txt.gz".into(), format: None };
//! let job = Job::new(vec![input], Algorithm::PageRank(PageRankOptions::default()));
//! // One process, two workers; several processes take a `Layout` with addresses.
//! let out = portevoix_dist::run(&Layout::single(2), Network::default(), &job)?.unwrap();
//! if let Values::Scores(s) = &out.values {
//!     println!("{} accounts, first: {} {}", s.len(), out.names.name(portevoix_core::NodeId(0)), s[0]);
//! }
//! # Ok::<(), portevoix_dist::DistError>(())
//! ```
//!
//! [timely-dataflow]: https://github.com/TimelyDataflow/timely-dataflow

#![warn(missing_docs)]

pub mod cluster;
pub mod comm;
pub mod error;
pub mod halo;
pub mod input;
pub mod job;
pub mod kernels;
pub mod launch;
pub mod load;
pub mod memtrace;
pub mod partition;
pub mod signals;

pub use cluster::{FailStop, Layout, Network};
pub use error::{DistError, Result};
pub use input::InputFile;
pub use job::{Algorithm, Job, Output, Values, run};
