//! # portevoix-core
//!
//! The data model of Porte-voix, shared by every other crate: dense account
//! ids and their [`Interner`], [`Account`], [`Post`], [`Interaction`] and its
//! columnar [`InteractionLog`], the [`Layer`] an interaction belongs to,
//! [`Timestamp`], propagation [`Cascade`]s, score [`Explanation`]s and the
//! shared [`Error`] with its input [`Location`].
//!
//! This crate does no IO. Readers live in `portevoix-ingest`, the network in
//! `portevoix-graph`.
//!
//! ## Direction
//!
//! An interaction always points from **actor to target**: "A retweeted B"
//! is `A → B` on [`Layer::Repost`], the direction in which endorsement and
//! influence credit flow.
//!
//! ```
//! use portevoix_core::{Interaction, InteractionLog, Interner, Layer, Timestamp};
//!
//! let mut ids = Interner::new();
//! let fan = ids.intern("376989").unwrap();
//! let star = ids.intern("50329").unwrap();
//! let mut log = InteractionLog::new();
//! log.push(Interaction {
//!     time: Timestamp::parse("1341101181"),
//!     ..Interaction::new(fan, star, Layer::Repost)
//! });
//! let rt = log.layer(Layer::Repost).get(Layer::Repost, 0);
//! assert_eq!(ids.name(rt.target).to_string(), "50329");
//! assert_eq!(rt.time.unwrap().to_iso8601(), "2012-07-01T00:06:21.000Z");
//! ```

#![warn(missing_docs)]

pub mod error;
pub mod explanation;
pub mod ids;
pub mod interaction;
pub mod layer;
pub mod model;
pub mod time;

pub use error::{Error, ErrorKind, Location, Result};
pub use explanation::{Contribution, Evidence, Explanation};
pub use ids::{ExternalId, Interner, InternerFull, NodeId, canonical_u64};
pub use interaction::{Interaction, InteractionLog, LayerLog, NO_POST, NO_TIME};
pub use layer::{Layer, UnknownLayer};
pub use model::{
    Account, Badge, BadgeClass, Cascade, CascadeEdge, DatedReactions, LinkKind, Platform, Post,
    PostKind, PostLink, PostRef, ReactionCounts, ReactionKind,
};
pub use time::Timestamp;
