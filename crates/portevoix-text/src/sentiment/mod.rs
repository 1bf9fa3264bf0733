//! Sentiment: VADER in English and French.
