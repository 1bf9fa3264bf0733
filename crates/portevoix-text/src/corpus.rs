//! The corpus and topic relevance.
