//! # portevoix-score
//!
//! The scoring stage of Porte-voix: from a network, a corpus and a campaign
//! (topic, brand, languages, time window, objective) to per-account signals
//! (reach, resonance, relevance, trust, brand affinity, as columns of an
//! `ndarray` matrix), the baseline social score, the contextual score with an
//! explanation that adds up to it, and the classification (macro- and
//! micro-influencers with their roles, ambassadors and detractors, pyramid
//! level 1 to 5).
//!
//! It does no IO. It holds
//!
//! - the [`campaign`]: topic, brand, languages, window, objective and its
//!   weights, employee, customer and seed lists, candidate filters, gates,
//!   normalisation, per-signal weights, classification thresholds; read
//!   from TOML or built in code;
//! - the [`engine`]: the dataset, network, corpus and account
//!   [`authenticity`] built once and shared by every campaign (`Send +
//!   Sync`);
//! - the [`signals`]: the [`signals::Signal`] trait, the matrix of signals
//!   over the candidate pool, and the built-in reach, resonance, relevance,
//!   trust and brand-affinity signals;
//! - the [`score`]s: baseline and contextual, with explanations;
//! - the [`classify`] rules: tiers, roles, ambassadors, detractors, pyramid;
//! - [`discover()`](discover::discover): all of it for one campaign, giving a
//!   [`discovery::Discovery`].
//!
//! # Example
//!
//! ```
//! use portevoix_graph::BuildOptions;
//! use portevoix_ingest::{FormatKind, ReadOptions, load_bytes};
//! use portevoix_score::campaign::{Campaign, Objective};
//! use portevoix_score::discover::{DiscoverOptions, discover};
//! use portevoix_score::engine::Engine;
//! use portevoix_text::analysis::Analyzer;
//!
//! let csv = b"tweet_id,name,text,tweet_created\n\
//!     1,ann,@united lost my bag again,2015-02-20T10:00\n\
//!     2,bob,@united great crew today thanks,2015-02-21T11:00\n\
//!     3,bob,@united thank you for the lovely flight,2015-02-22T11:00\n".to_vec();
//! let dataset = load_bytes("t.csv", csv, FormatKind::PostsCsv, &ReadOptions::default()).unwrap();
//! let engine = Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).unwrap();
//! let campaign = Campaign::builder("United advocates")
//!     .brand_handle("@united")
//!     .objective(Objective::Advocacy)
//!     .build()
//!     .unwrap();
//! let d = discover(&engine, &campaign, &DiscoverOptions::default()).unwrap();
//! let best = &d.accounts[0];
//! assert_eq!(best.handle.as_deref(), Some("@bob")); // two warm mentions of United
//! assert!(best.signals["brand.net_sentiment"] > 0.0);
//! ```
#![warn(missing_docs)]

pub mod authenticity;
pub mod campaign;
pub mod classify;
pub mod discover;
pub mod discovery;
pub mod engine;
pub mod score;
pub mod signals;
