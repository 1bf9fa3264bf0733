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
//! It does no IO. Today it holds
//!
//! - the [`campaign`]: topic, brand, languages, window, objective and its
//!   weights, employee, customer and seed lists, candidate filters, gates;
//!   read from TOML or built in code;
//! - the [`engine`]: the dataset, network and corpus built once and shared by
//!   every campaign;
//! - the [`signals`]: the [`signals::Signal`] trait, the matrix of signals over
//!   the candidate pool, and the built-in reach, resonance and relevance
//!   signals.
//!
//! The trust and brand-affinity signals, the scores and the classes are
//! specified in the project's issue "Contextual scoring, classification,
//! explanations, `discover` and reports" and land with it.
#![warn(missing_docs)]

pub mod authenticity;
pub mod campaign;
pub mod classify;
pub mod discover;
pub mod discovery;
pub mod engine;
pub mod score;
pub mod signals;
