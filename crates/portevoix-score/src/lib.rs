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
//! It does no IO. Its modules are layers along the data flow; each uses
//! only those listed before it:
//!
//! 1. the model: [`names`] (signal families and the built-in signal names),
//!    [`objective`] (objectives and family weights), [`discovery`] (the
//!    result every report reads);
//! 2. [`campaign`]: what a brand wants (topic, brand, lists, filters,
//!    gates, scale, normalisation, thresholds), from TOML or a builder;
//! 3. [`engine`]: the data built once, with what no campaign changes
//!    (authenticity, communities, behaviour) computed once;
//! 4. [`context`]: one campaign on one engine (relevance, posts in scope,
//!    endorsement views, lists resolved, brand sentiment) and its
//!    candidates;
//! 5. [`signals`]: the [`Signal`] trait, the signal matrix and the built-in
//!    signals;
//! 6. [`scoring`]: normalise, weigh, gate, and the contributions that make
//!    the baseline and contextual scores and their explanations;
//! 7. [`classify`]: tiers, roles, ambassadors, detractors, pyramid;
//! 8. [`discover`]: all of it for one campaign, stage by stage, giving a
//!    [`Discovery`];
//! 9. [`plan`]: a portfolio for a campaign (which `k` people together, or
//!    within a budget, reach the most of its audience), on the same engine;
//! 10. [`topics`]: a community's topics (tags or hashtags) with their volume
//!     over time, top contextual people (a `discover` per topic on the same
//!     engine) and suggested keywords.
//!
//! # Example
//!
//! ```
//! use portevoix_ingest::{FormatKind, ReadOptions, load_bytes};
//! use portevoix_score::{Campaign, DiscoverOptions, Engine, Objective};
//!
//! let csv = b"tweet_id,name,text,tweet_created\n\
//!     1,ann,@united lost my bag again,2015-02-20T10:00\n\
//!     2,bob,@united great crew today thanks,2015-02-21T11:00\n\
//!     3,bob,@united thank you for the lovely flight,2015-02-22T11:00\n".to_vec();
//! let dataset = load_bytes("t.csv", csv, FormatKind::PostsCsv, &ReadOptions::default()).unwrap();
//! let engine = Engine::builder().dataset(dataset).build().unwrap();
//! let campaign = Campaign::builder("United advocates")
//!     .brand_handle("@united")
//!     .objective(Objective::Advocacy)
//!     .build()
//!     .unwrap();
//! let d = engine.discover(&campaign, &DiscoverOptions::default()).unwrap();
//! let best = &d.accounts[0];
//! assert_eq!(best.handle.as_deref(), Some("@bob")); // two warm mentions of United
//! assert!(best.signals["brand.net_sentiment"] > 0.0);
//! ```
#![warn(missing_docs)]

pub mod campaign;
pub mod classify;
pub mod context;
pub mod discover;
pub mod discovery;
pub mod engine;
pub mod names;
pub mod objective;
pub mod plan;
pub mod scoring;
pub mod signals;
pub mod topics;

pub use campaign::{Campaign, CampaignBuilder};
pub use context::CampaignContext;
pub use discover::{DiscoverOptions, discover};
pub use discovery::Discovery;
pub use engine::{Engine, EngineBuilder};
pub use names::{Family, SignalName};
pub use objective::{Objective, Weights};
pub use plan::{Plan, PlanOptions, Planner};
pub use signals::Signal;
pub use topics::{TopicSummary, TopicsOptions};
