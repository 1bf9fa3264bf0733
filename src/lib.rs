//! # Porte-voix
//!
//! Influencer discovery and contextual influence scoring on exported
//! social-network data. This facade re-exports the workspace's crates, one
//! per stage of the data flow:
//!
//! | module | crate | stage |
//! |---|---|---|
//! | [`core`] | `portevoix-core` | ids, accounts, posts, interactions, layers, timestamps, explanations, errors |
//! | [`ingest`] | `portevoix-ingest` | readers for real exports, gzip, strict and lenient diagnostics |
//! | [`graph`] | `portevoix-graph` | the frozen multi-layer network (CSR, both directions) and its kernels |
//! | [`text`] | `portevoix-text` | text analysis, topic relevance, sentiment |
//! | [`score`] | `portevoix-score` | signals, campaigns, scores, explanations, classification |
//! | [`eval`] | `portevoix-eval` | ground truths, metrics, evaluation protocols |
//! | [`report`] | `portevoix-report` | tables, JSON, and the other output formats |
//!
//! The types a service starts from are also at the root: [`Engine`] (the
//! data, built once, `Send + Sync`), [`Campaign`] and its [`Objective`],
//! [`DiscoverOptions`], the [`Discovery`] it gets back, and the [`Signal`]
//! trait for signals of its own.
//!
//! ## Example: load the bundled Bitcoin OTC trust network
//!
//! ```
//! use portevoix::ingest::{load_bytes, FormatKind, ReadOptions};
//! use portevoix::graph::{BuildOptions, Network};
//! use portevoix::core::{Layer, NodeId};
//!
//! // The bundled file, compiled in; `portevoix::ingest::load` reads paths.
//! let gz = include_bytes!("../datasets/bitcoin-otc/soc-sign-bitcoinotc.csv.gz").to_vec();
//! let mut dataset = load_bytes("soc-sign-bitcoinotc.csv.gz", gz, FormatKind::Signed, &ReadOptions::default())?;
//! let interner = std::mem::take(&mut dataset.interner);
//! let network = Network::build(&dataset.interactions, interner, &BuildOptions::default())?;
//! let ratings = network.layer(Layer::Rating).unwrap();
//! assert_eq!(network.num_nodes(), 5_881);
//! assert_eq!(ratings.num_edges(), 35_592);
//! // Who rated account "1", and how.
//! let one = network.interner().get("1").unwrap();
//! let (raters, _weights) = ratings.in_neighbors(one);
//! assert!(!raters.is_empty());
//! # Ok::<(), portevoix::core::Error>(())
//! ```

#![warn(missing_docs)]

pub use portevoix_core as core;
pub use portevoix_eval as eval;
pub use portevoix_graph as graph;
pub use portevoix_ingest as ingest;
pub use portevoix_report as report;
pub use portevoix_score as score;
pub use portevoix_text as text;

pub use portevoix_score::{
    Campaign, DiscoverOptions, Discovery, Engine, EngineBuilder, Objective, Signal,
};

/// The README's Rust example, compiled by `cargo test` so that it stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
