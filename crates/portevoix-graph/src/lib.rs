//! # portevoix-graph
//!
//! The frozen multi-layer [`Network`] of Porte-voix and the tools around it:
//!
//! * [`Network`]: the [`Interner`](portevoix_core::Interner) naming the
//!   accounts plus one [`LayerGraph`] per non-empty
//!   [`Layer`](portevoix_core::Layer) (follow, repost, reply, mention, quote,
//!   like, rating), read-only and `Send + Sync` once built.
//! * [`LayerGraph`]: out- and in-direction [`Csr`] with `f32` weights,
//!   neighbours sorted by id, 16 bytes per edge for both directions; optional
//!   merged-row counts, event [`EdgeTimes`] and rating values per edge;
//!   [`LayerStats`], [`DegreeSummaries`] and top-k by degree for
//!   `portevoix inspect`.
//! * A parallel, **deterministic** build from the columnar
//!   [`InteractionLog`](portevoix_core::InteractionLog) (stable counting
//!   sorts, duplicates merged in input order by a [`DuplicatePolicy`]): the
//!   same bits for 1 or N threads. See [`LayerGraph::build`].
//! * [`Network::merged`]: the weighted union of several layers (e.g. the
//!   endorsement layers) that scoring runs on.
//! * Bridges to and from [`petgraph`] ([`LayerGraph::to_petgraph`],
//!   [`LayerGraph::from_petgraph`]).
//! * [`generate`]: the Graph500 Kronecker generator for scale benchmarks.
//! * [`kernels`]: the influence kernels, each a vertex program checked
//!   against NetworkX or igraph on real graphs:
//!   [PageRank](kernels::pagerank()) (plain, [personalised](kernels::personalized_pagerank),
//!   [batched](kernels::personalized_pagerank_batch)), [LeaderRank](kernels::leaderrank()),
//!   [HITS](kernels::hits()), [Katz](kernels::katz()), [k-core](kernels::core_numbers),
//!   [HyperBall reach](kernels::hyperball()), [communities](kernels::communities)
//!   (Leiden, label propagation), [influence paths](kernels::strongest_paths) and
//!   [diffusion](kernels::diffusion) (independent cascade, SIR) and
//!   [influence maximisation](kernels::influence_max) (IMM over audience-rooted
//!   reverse-reachable sets, budgets and gates, coverage, CELF, Monte Carlo checks).
//!
//! The graph knows nothing about text or campaigns.
//!
//! ## Direction
//!
//! Edges point from **actor to target** as in the log: "A retweeted B" is
//! `A → B` on the repost layer, the direction in which endorsement flows.
//! Kernels that follow information (B's content reaching A's audience) read
//! the in-CSR.
//!
//! ## Example
//!
//! ```
//! use portevoix_core::{Interaction, InteractionLog, Interner, Layer, Timestamp};
//! use portevoix_graph::{BuildOptions, Network};
//!
//! let mut ids = Interner::new();
//! let star = ids.intern("50329").unwrap();
//! let fan = ids.intern("376989").unwrap();
//! let other = ids.intern("13813").unwrap();
//! let mut log = InteractionLog::new();
//! for (actor, target, secs) in [(fan, star, 1341101181), (fan, star, 1341101999), (other, star, 1341102000)] {
//!     log.push(Interaction {
//!         time: Some(Timestamp::from_secs(secs)),
//!         ..Interaction::new(actor, target, Layer::Repost)
//!     });
//! }
//! log.push(Interaction::new(star, fan, Layer::Follow));
//!
//! let net = Network::build(&log, ids, &BuildOptions::default())?;
//! let rt = net.layer(Layer::Repost).unwrap();
//! assert_eq!(rt.num_edges(), 2); // fan → star twice, merged
//! assert_eq!(rt.in_degree(star), 2);
//! let e = rt.find_edge(fan, star).unwrap();
//! assert_eq!((rt.out_csr().weights()[e], rt.edge_count(e)), (2.0, 2));
//! assert_eq!(rt.edge_times(e), &[1_341_101_181_000, 1_341_101_999_000]);
//! let top = rt.top_by_in_degree(1);
//! assert_eq!(net.name(top[0].0).to_string(), "50329");
//!
//! // Endorsement view: reposts count fully, follows half.
//! let endorse = net.merged(&[(Layer::Repost, 1.0), (Layer::Follow, 0.5)]);
//! assert_eq!(endorse.edge_weight(star, fan), Some(0.5));
//! assert_eq!(endorse.stats().edges, 3);
//! # Ok::<(), portevoix_core::Error>(())
//! ```

#![warn(missing_docs)]

mod build;
mod convert;
mod csr;
pub mod generate;
pub mod kernels;
mod layer_graph;
mod merge;
mod network;
mod options;
mod par;
mod stats;

pub use csr::{Csr, EdgeTimes};
pub use layer_graph::LayerGraph;
pub use network::{Network, identity_interner};
pub use options::{BuildOptions, DuplicatePolicy, UnknownPolicy};
pub use stats::{DegreeSummaries, DegreeSummary, LayerStats};
