//! Campaign topics.
