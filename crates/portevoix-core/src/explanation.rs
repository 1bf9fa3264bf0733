//! Explanations: why a score is what it is.

use crate::ids::NodeId;
use serde::{Deserialize, Serialize};

/// One signal's share of a score. The contributions of an explanation add up
/// to the score it explains.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// Signal name (`reach.pagerank`, `relevance.bm25`, ...).
    pub signal: String,
    /// The raw value of the signal for this account.
    pub raw: f64,
    /// The normalised value (e.g. percentile within the candidate pool).
    pub normalised: f64,
    /// The weight the scoring variant gave the signal.
    pub weight: f64,
    /// `weight × normalised` after gates: this signal's part of the score.
    pub contribution: f64,
}

/// A piece of evidence behind a score: a post, an account, or a note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Evidence {
    /// A post that made the account relevant, resonant, or an ambassador.
    Post {
        /// The platform's post id.
        post: String,
        /// Why it counts (matched terms, reactions, sentiment, ...).
        why: String,
        /// How much it weighed.
        weight: f64,
    },
    /// Another account that contributed (a reactor, a PageRank neighbour).
    Account {
        /// The other account.
        account: NodeId,
        /// Its `@handle` or external id, for readers without the interner.
        label: String,
        /// Its role in this score.
        why: String,
        /// How much it weighed.
        weight: f64,
    },
    /// A rule that fired or a gate that applied.
    Note {
        /// The statement.
        text: String,
    },
}

/// The explanation of one score of one account.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Explanation {
    /// The score explained.
    pub score: f64,
    /// Each signal's part; they sum to `score`.
    pub contributions: Vec<Contribution>,
    /// Posts, accounts and rules behind the score, strongest first.
    pub evidence: Vec<Evidence>,
}

impl Explanation {
    /// Sum of the contributions (equals `score` for a well-formed explanation).
    pub fn total(&self) -> f64 {
        self.contributions.iter().map(|c| c.contribution).sum()
    }
}
