//! Who counts and who may be chosen: the target [`Audience`], the
//! [`CandidateGate`], per-node [`Costs`] and the selection [`Constraint`].

use portevoix_core::{Error, NodeId, Result};

/// The accounts whose activation counts as reach: everyone, or a subset
/// (for a campaign, the accounts relevant to its topic).
///
/// Reach is always counted over the audience only; seeds count when they
/// belong to it (as in Kempe et al., where the spread includes the seeds).
#[derive(Debug, Clone, PartialEq)]
pub struct Audience {
    members: Vec<u32>,
    is_member: Vec<bool>,
}

impl Audience {
    /// Every one of `num_nodes` nodes.
    pub fn everyone(num_nodes: usize) -> Audience {
        Audience {
            members: (0..num_nodes as u32).collect(),
            is_member: vec![true; num_nodes],
        }
    }

    /// The given nodes (duplicates count once).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if a node is not below `num_nodes`.
    pub fn from_nodes(num_nodes: usize, nodes: &[NodeId]) -> Result<Audience> {
        let mut is_member = vec![false; num_nodes];
        for v in nodes {
            check_node(num_nodes, *v, "audience member")?;
            is_member[v.index()] = true;
        }
        Ok(Audience::from_flags(is_member))
    }

    /// The nodes whose flag is set.
    pub fn from_flags(is_member: Vec<bool>) -> Audience {
        let members = is_member
            .iter()
            .enumerate()
            .filter(|(_, m)| **m)
            .map(|(v, _)| v as u32)
            .collect();
        Audience { members, is_member }
    }

    /// Number of members.
    #[inline]
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether the audience is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Number of nodes of the graph it was made for.
    #[inline]
    pub fn num_nodes(&self) -> usize {
        self.is_member.len()
    }

    /// Whether `v` belongs to the audience (false outside the graph).
    #[inline]
    pub fn contains(&self, v: u32) -> bool {
        self.is_member.get(v as usize).copied().unwrap_or(false)
    }

    /// Members, by increasing id.
    #[inline]
    pub fn members(&self) -> &[u32] {
        &self.members
    }
}

/// The nodes that may be chosen as seeds. Gated nodes still relay
/// influence and still count as reach when they belong to the audience;
/// they are only never picked (inauthentic accounts, detractors for an
/// advocacy campaign, accounts below a relevance floor, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateGate {
    allowed: Vec<bool>,
}

impl CandidateGate {
    /// Every one of `num_nodes` nodes may be chosen.
    pub fn allow_all(num_nodes: usize) -> CandidateGate {
        CandidateGate {
            allowed: vec![true; num_nodes],
        }
    }

    /// Only the given nodes may be chosen.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if a node is not below `num_nodes`.
    pub fn only(num_nodes: usize, nodes: &[NodeId]) -> Result<CandidateGate> {
        let mut allowed = vec![false; num_nodes];
        for v in nodes {
            check_node(num_nodes, *v, "candidate")?;
            allowed[v.index()] = true;
        }
        Ok(CandidateGate { allowed })
    }

    /// One flag per node: `true` if it may be chosen.
    pub fn from_flags(allowed: Vec<bool>) -> CandidateGate {
        CandidateGate { allowed }
    }

    /// This gate, with `nodes` blocked as well.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if a node is outside the graph.
    pub fn block(mut self, nodes: &[NodeId]) -> Result<CandidateGate> {
        let n = self.allowed.len();
        for v in nodes {
            check_node(n, *v, "blocked node")?;
            self.allowed[v.index()] = false;
        }
        Ok(self)
    }

    /// Whether `v` may be chosen (false outside the graph).
    #[inline]
    pub fn allows(&self, v: u32) -> bool {
        self.allowed.get(v as usize).copied().unwrap_or(false)
    }

    /// Number of nodes that may be chosen.
    pub fn count(&self) -> usize {
        self.allowed.iter().filter(|a| **a).count()
    }

    /// Number of nodes of the graph it was made for.
    pub fn num_nodes(&self) -> usize {
        self.allowed.len()
    }

    /// The allowed nodes, by increasing id.
    pub(crate) fn allowed_nodes(&self) -> Vec<u32> {
        self.allowed
            .iter()
            .enumerate()
            .filter(|(_, a)| **a)
            .map(|(v, _)| v as u32)
            .collect()
    }
}

/// What choosing each node costs.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Costs {
    /// Every node costs 1.
    #[default]
    Unit,
    /// One cost per node, each finite and positive.
    PerNode(Vec<f64>),
}

impl Costs {
    /// The cost of `v`.
    #[inline]
    pub fn of(&self, v: u32) -> f64 {
        match self {
            Costs::Unit => 1.0,
            Costs::PerNode(c) => c[v as usize],
        }
    }

    /// Checks the costs against a graph of `num_nodes` nodes.
    pub(crate) fn validate(&self, num_nodes: usize) -> Result<()> {
        if let Costs::PerNode(c) = self {
            if c.len() != num_nodes {
                return Err(Error::argument(
                    "targets",
                    format!("{} costs for a graph of {num_nodes} nodes", c.len()),
                ));
            }
            if let Some((v, x)) = c
                .iter()
                .enumerate()
                .find(|(_, x)| !(x.is_finite() && **x > 0.0))
            {
                return Err(Error::argument(
                    "targets",
                    format!("the cost of node {v} is {x}: costs must be finite and positive"),
                ));
            }
        }
        Ok(())
    }
}

/// How many seeds may be chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Constraint {
    /// At most `k` seeds (costs are reported, not used): the greedy picks
    /// the largest marginal gain, guarantee `1 − 1/e` of the optimum.
    Cardinality(usize),
    /// Seeds whose costs add up to at most `budget`, and at most
    /// `max_picks` of them when given. The cost-effective lazy greedy
    /// (largest marginal gain per unit of cost among the affordable
    /// nodes), compared with the best single affordable node: the better
    /// of the two is within `½(1 − 1/e)` of the optimum under the budget
    /// alone (Khuller, Moss & Naor 1999; Leskovec et al. 2007). When
    /// `max_picks` binds, no guarantee is claimed.
    Budget {
        /// The budget, finite and positive.
        budget: f64,
        /// An optional cap on the number of seeds.
        max_picks: Option<usize>,
    },
}

impl Constraint {
    /// The approximation ratio of the greedy rule for this constraint.
    pub fn greedy_ratio(&self) -> f64 {
        let full = 1.0 - (-1.0f64).exp();
        match self {
            Constraint::Cardinality(_) => full,
            Constraint::Budget { .. } => 0.5 * full,
        }
    }

    pub(crate) fn validate(&self) -> Result<()> {
        match self {
            Constraint::Cardinality(0) => Err(Error::argument(
                "targets",
                "choose at least one seed (k = 0)",
            )),
            Constraint::Budget { budget, .. } if !(budget.is_finite() && *budget > 0.0) => {
                Err(Error::argument(
                    "targets",
                    format!("the budget must be positive, got {budget}"),
                ))
            }
            Constraint::Budget {
                max_picks: Some(0), ..
            } => Err(Error::argument(
                "targets",
                "choose at least one seed (max_picks = 0)",
            )),
            _ => Ok(()),
        }
    }

    /// The largest number of candidates a feasible set can hold: `k`, or
    /// the number of cheapest candidates that fit in the budget.
    pub(crate) fn max_seeds(&self, candidates: &[u32], costs: &Costs) -> usize {
        match *self {
            Constraint::Cardinality(k) => k.min(candidates.len()),
            Constraint::Budget { budget, max_picks } => {
                let mut c: Vec<f64> = candidates.iter().map(|&v| costs.of(v)).collect();
                c.sort_by(f64::total_cmp);
                let mut total = 0.0;
                let mut count = 0;
                for x in c {
                    if total + x > budget {
                        break;
                    }
                    total += x;
                    count += 1;
                }
                max_picks.map_or(count, |m| count.min(m))
            }
        }
    }
}

pub(crate) fn check_node(num_nodes: usize, v: NodeId, what: &str) -> Result<()> {
    if v.index() >= num_nodes {
        return Err(Error::argument(
            "targets",
            format!("{what} {v} is not a node of a graph with {num_nodes} nodes"),
        ));
    }
    Ok(())
}

/// Checks that the audience and gate were made for a graph of `n` nodes.
pub(crate) fn check_sizes(n: usize, audience: &Audience, gate: &CandidateGate) -> Result<()> {
    if audience.num_nodes() != n || gate.num_nodes() != n {
        return Err(Error::argument(
            "targets",
            format!(
                "audience ({} nodes) and gate ({} nodes) must be made for the graph's {n} nodes",
                audience.num_nodes(),
                gate.num_nodes()
            ),
        ));
    }
    Ok(())
}
