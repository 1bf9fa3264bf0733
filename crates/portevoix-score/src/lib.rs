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
//! It does no IO. The signals, scores and classes are specified in the
//! project's issue "Contextual scoring, classification, explanations,
//! `discover` and reports" and land with it; until then the crate exports
//! nothing, rather than an API that would pretend to work.
#![warn(missing_docs)]
