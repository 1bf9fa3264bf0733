//! # portevoix-text
//!
//! The text stage of Porte-voix: what people write, as opposed to whom they
//! are connected to. This crate owns
//!
//! - [`analysis`]: analysers built from named parts. Word segmentation that
//!   keeps social tokens whole (#hashtags, @mentions, URLs, $cashtags, emoji,
//!   emoticons), French elision, case and accent folding, language
//!   identification, stop words and stemming;
//! - [`topic`]: a campaign topic (weighted keywords, phrases, exclusions,
//!   example texts), loaded from TOML or built in code;
//! - [`corpus`]: every account's posts and bio, analysed and indexed, with
//!   topic relevance per account (BM25, on-topic share, reactions to on-topic
//!   posts, keyword diversity, recency) and the posts and terms behind it;
//! - [`sentiment`]: VADER in English and French, overall and toward a target
//!   such as a brand;
//! - `encoder` (feature `encoder`, off by default): the all-MiniLM-L6-v2 sentence encoder on candle,
//!   and a stance head trained on its vectors.
//!
//! It does not know about graphs.
#![warn(missing_docs)]

pub mod analysis;
pub mod corpus;
#[cfg(feature = "encoder")]
pub mod encoder;
pub mod sentiment;
pub mod toml_spans;
pub mod topic;
