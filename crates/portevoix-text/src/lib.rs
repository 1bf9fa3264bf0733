//! # portevoix-text
//!
//! The text stage of Porte-voix: what people write, as opposed to whom they
//! are connected to. This crate owns
//!
//! - analysers: word segmentation that keeps social tokens whole (#hashtags,
//!   @mentions, URLs, $cashtags, emoji), French elision, case and accent
//!   folding, language identification, stop words and stemming;
//! - the `Corpus`: every account's posts and bio, indexed;
//! - topic relevance (BM25 of an account against a campaign topic, on-topic
//!   shares, keyword diversity, recency);
//! - sentiment (VADER, English and French lexicons), overall and toward a brand.
//!
//! It does not know about graphs. The analysers, corpus and scorers are
//! specified in the project's issue "Text: analysis in English and French,
//! topic relevance, sentiment" and land with it; until then the crate
//! exports nothing, rather than an API that would pretend to work.
#![warn(missing_docs)]
