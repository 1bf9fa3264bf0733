//! The result of a discovery: every candidate of a campaign with its scores,
//! signals, explanation and classes. This is the contract the report writers
//! read (JSON Lines, CSV, HTML, GEXF); its field names are the JSON names.
//! With [`crate::names`] and [`crate::objective`], the bottom of the crate:
//! it uses nothing above it.

use crate::names::SignalInfo;
use crate::objective::Objective;
use portevoix_core::{Explanation, NodeId};
use serde::Serialize;
use std::collections::BTreeMap;

/// Influencer tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Large audience relative to the pool (or above an absolute threshold).
    Macro,
    /// High rank inside a community, modest audience overall.
    Micro,
    /// Everyone else.
    Other,
}

impl Tier {
    /// The JSON name (`macro`, `micro`, `other`).
    pub fn name(self) -> &'static str {
        match self {
            Tier::Macro => "macro",
            Tier::Micro => "micro",
            Tier::Other => "other",
        }
    }
}

/// The role of a macro- or micro-influencer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Macro: audience without topical focus.
    Celebrity,
    /// Macro: authority and relevance across communities.
    OpinionLeader,
    /// Macro: deep relevance and authority in the topic.
    Specialist,
    /// Macro: repeatedly early in conversations or cascades that later grow.
    TrendSpotter,
    /// Micro: reciprocal ties bridging communities.
    Networker,
    /// Micro: re-shares that get re-shared.
    Diffuser,
    /// Micro: high activity and engagement.
    PowerUser,
}

impl Role {
    /// The JSON name (`celebrity`, `opinion_leader`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Role::Celebrity => "celebrity",
            Role::OpinionLeader => "opinion_leader",
            Role::Specialist => "specialist",
            Role::TrendSpotter => "trend_spotter",
            Role::Networker => "networker",
            Role::Diffuser => "diffuser",
            Role::PowerUser => "power_user",
        }
    }

    /// Every role, macro roles first, in tie-break order.
    pub const ALL: [Role; 7] = [
        Role::Celebrity,
        Role::OpinionLeader,
        Role::Specialist,
        Role::TrendSpotter,
        Role::Networker,
        Role::Diffuser,
        Role::PowerUser,
    ];
}

/// The kind of an ambassador.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AmbassadorKind {
    /// An employee or collaborator (the campaign's list, or their bio).
    Employee,
    /// A customer or user.
    Customer,
}

impl AmbassadorKind {
    /// The JSON name (`employee`, `customer`).
    pub fn name(self) -> &'static str {
        match self {
            AmbassadorKind::Employee => "employee",
            AmbassadorKind::Customer => "customer",
        }
    }
}

/// One candidate of a discovery.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiscoveredAccount {
    /// The account's external id (the platform's id, or the handle when the
    /// export has no ids).
    pub id: String,
    /// `@handle` when the export gives one.
    pub handle: Option<String>,
    /// The display name of the account's profile when the export gives one
    /// (a Stack Exchange `DisplayName`, a tweet author's name): what a
    /// reader recognises where there are no handles.
    pub name: Option<String>,
    /// Dense id inside this run (not stable across inputs).
    #[serde(skip)]
    pub node: NodeId,
    /// Contextual score, 0 to 100.
    pub contextual_score: f64,
    /// Baseline social score, 0 to 100.
    pub baseline_score: f64,
    /// Rank by contextual score, 1 = best (ties broken by id).
    pub rank: u32,
    /// Rank by baseline score, 1 = best (ties broken by id).
    pub baseline_rank: u32,
    /// Tier.
    pub tier: Tier,
    /// Role of a macro- or micro-influencer; `None` for others.
    pub role: Option<Role>,
    /// Ambassador kind, if the account is one.
    pub ambassador: Option<AmbassadorKind>,
    /// Repeated negative sentiment toward the brand.
    pub detractor: bool,
    /// Pyramid of influence level, 1 to 5.
    pub pyramid_level: u8,
    /// Community (of the interaction view) the account belongs to.
    pub community: Option<u32>,
    /// Raw value of every signal, by name.
    pub signals: BTreeMap<String, f64>,
    /// The gate that set the contextual score to 0 (authenticity,
    /// relevance floor, off-topic, advocacy stance), if any; the
    /// explanation says the same in words. Not serialised (the reports
    /// carry the explanation's note).
    #[serde(skip)]
    pub gate: Option<crate::scoring::Gate>,
    /// Why the contextual score is what it is.
    pub explanation: Explanation,
    /// Why the baseline score is what it is.
    pub baseline_explanation: Explanation,
    /// The rules behind tier, role, ambassador and detractor.
    pub classification_evidence: Vec<String>,
    /// The rules behind the pyramid level.
    pub pyramid_evidence: Vec<String>,
}

/// Counts per class, for report summaries.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ClassCounts {
    /// Accounts per pyramid level (index 0 = level 1).
    pub pyramid: [u64; 5],
    /// Accounts per tier name.
    pub tiers: BTreeMap<String, u64>,
    /// Accounts per role name.
    pub roles: BTreeMap<String, u64>,
    /// Ambassadors per kind name.
    pub ambassadors: BTreeMap<String, u64>,
    /// Detractors.
    pub detractors: u64,
}

/// A whole discovery: the campaign's candidates ranked by contextual score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Discovery {
    /// The campaign's name.
    pub campaign: String,
    /// The objective (written `awareness`, ... in reports).
    pub objective: Objective,
    /// The signals, in column order, with their families and weights.
    pub signals: Vec<SignalInfo>,
    /// Effective weight of each signal in the contextual score (they sum to
    /// 1 over the informative signals; 0 for a signal with no variation).
    pub effective_weights: BTreeMap<String, f64>,
    /// Candidates, best contextual score first.
    pub accounts: Vec<DiscoveredAccount>,
    /// Counts per class over every candidate.
    pub counts: ClassCounts,
    /// Accounts in the data.
    pub num_accounts: usize,
    /// Candidates scored (the pool; `accounts` may list fewer).
    pub num_candidates: usize,
    /// Names in the campaign that match no account.
    pub unresolved: Vec<String>,
    /// Notes on the run (gates skipped, signals without variation, ...).
    pub notes: Vec<String>,
    /// Seconds per stage (context, signals, communities, scores, classes,
    /// explanations), in order, for benchmarks.
    pub timings: Vec<(String, f64)>,
}
