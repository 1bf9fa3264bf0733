//! # portevoix-report
//!
//! Writers for every output format of Porte-voix. Writers format what the
//! other stages computed; they compute no score.
//!
//! Today: the [`inspect`] summary of a loaded network, the [`rank`]ing of one
//! kernel, the topic [`relevance`] of accounts and per-post [`sentiment`]
//! (each a readable table, or JSON). The scored outputs (JSON Lines, CSV, Markdown, HTML with SVG
//! charts, GEXF for Gephi) come with the scoring stage.
//!
//! ```
//! use portevoix_ingest::{load_bytes, FormatKind, ReadOptions};
//! use portevoix_graph::{BuildOptions, Network};
//! use portevoix_report::inspect::{summarize, Timings};
//!
//! let log = b"1 2 1341100972 RT\n3 2 1341100973 RT\n2 1 1341100974 MT\n".to_vec();
//! let mut ds = load_bytes("higgs.txt", log, FormatKind::Higgs, &ReadOptions::default()).unwrap();
//! let interner = std::mem::take(&mut ds.interner);
//! let net = Network::build(&ds.interactions, interner, &BuildOptions::default()).unwrap();
//! let summary = summarize(&ds, &net, 5, Timings::default());
//! assert_eq!(summary.layers[0].layer, "repost");
//! assert_eq!(summary.layers[0].top_in_degree[0].label, "2");
//! let table = portevoix_report::inspect::render_table(&summary);
//! assert!(table.contains("repost"));
//! ```
#![warn(missing_docs)]

pub mod communities;
pub mod discover;
pub mod eval;
pub mod graph_scores_csv;
pub mod inspect;
pub mod paths;
pub mod plan;
pub mod privacy;
pub mod rank;
pub mod relevance;
pub mod scores_csv;
pub mod sentiment;
pub mod spread;
pub mod topics;

use portevoix_core::NodeId;
use portevoix_graph::Network;
use portevoix_ingest::Dataset;

/// An account's external id and its display label (`@handle` when an input
/// gave one, else the external id). The network owns the interner once built,
/// so ids are read from it.
/// Where a report finds an account's handle: the dataset read, or the
/// engine built from it.
pub trait Handles {
    /// The account's handle (without `@`), if an input gave one.
    fn handle(&self, node: NodeId) -> Option<&str>;
}

impl Handles for Dataset {
    fn handle(&self, node: NodeId) -> Option<&str> {
        Dataset::handle(self, node)
    }
}

impl Handles for portevoix_score::Engine {
    fn handle(&self, node: NodeId) -> Option<&str> {
        portevoix_score::Engine::handle(self, node)
    }
}

fn account_label(handles: &dyn Handles, network: &Network, node: NodeId) -> (String, String) {
    let id = network.name(node).to_string();
    let label = match handles.handle(node) {
        Some(h) => format!("@{h}"),
        None => id.clone(),
    };
    (id, label)
}
