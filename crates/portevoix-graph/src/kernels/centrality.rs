//! One name for every centrality of the kernels, so that `portevoix rank`,
//! the evaluation variants and any other engine (a dataflow engine across
//! processes) agree on what `pagerank` or `in-coreness` means and how it is
//! parameterised.
//!
//! [`Centrality`] lists them with their command-line names;
//! [`CentralityOptions`] holds the parameters they share (a parameter left
//! `None` keeps the kernel's own default); [`centrality`] runs one on a
//! [`LayerGraph`] and returns one score per account with the kernel's
//! convergence.
//!
//! # Example
//!
//! ```
//! use portevoix_graph::LayerGraph;
//! use portevoix_graph::kernels::{Centrality, CentralityOptions, centrality};
//!
//! // 0 → 1, 2 → 1, 1 → 2: account 1 is endorsed twice.
//! let g = LayerGraph::from_edges(3, &[(0, 1), (2, 1), (1, 2)], &Default::default()).unwrap();
//! let pr = centrality(&g, "pagerank".parse().unwrap(), &CentralityOptions::default()).unwrap();
//! assert!(pr.scores[1] > pr.scores[2] && pr.scores[2] > pr.scores[0]);
//! assert!((pr.scores.iter().sum::<f64>() - 1.0).abs() < 1e-9);
//! let indegree = centrality(&g, Centrality::InDegree, &CentralityOptions::default()).unwrap();
//! assert_eq!(indegree.scores, [0.0, 2.0, 1.0]);
//! ```

use super::{
    CoreMode, HitsOptions, HitsSolver, HyperBallOptions, KatzOptions, LeaderRankOptions,
    PageRankOptions, PageRankSolver, ReachMethod, core_numbers, hits_with, katz, leaderrank,
    pagerank_with, reach,
};
use crate::LayerGraph;
use portevoix_core::{Error, NodeId, Result};
use std::fmt;
use std::str::FromStr;

/// A centrality of the kernels, by its command-line name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Centrality {
    /// `pagerank`: PageRank ([`pagerank`]); personalised when a
    /// personalisation vector is given.
    PageRank,
    /// `ppr`: personalised PageRank ([`personalized_pagerank`]); needs a
    /// personalisation vector.
    PersonalizedPageRank,
    /// `leaderrank`: LeaderRank ([`leaderrank`]), PageRank with a ground node.
    LeaderRank,
    /// `hits-authority`: HITS authority score ([`hits`]).
    HitsAuthority,
    /// `hits-hub`: HITS hub score ([`hits`]).
    HitsHub,
    /// `katz`: Katz centrality ([`katz`]).
    Katz,
    /// `coreness`: undirected k-core number ([`core_numbers`]).
    Coreness,
    /// `in-coreness`: in-degree core number.
    InCoreness,
    /// `out-coreness`: out-degree core number.
    OutCoreness,
    /// `indegree`: weighted in-degree (duplicates merged by the build's
    /// policy, summed by default: the interactions received).
    InDegree,
    /// `reach2`: HyperBall estimate of the accounts within 2 hops
    /// ([`hyperball`], ±9%).
    Reach2,
    /// `reach3`: HyperBall estimate of the accounts within 3 hops.
    Reach3,
}

impl Centrality {
    /// Every centrality, in command-line order.
    pub const ALL: [Centrality; 12] = [
        Centrality::PageRank,
        Centrality::PersonalizedPageRank,
        Centrality::LeaderRank,
        Centrality::HitsAuthority,
        Centrality::HitsHub,
        Centrality::Katz,
        Centrality::Coreness,
        Centrality::InCoreness,
        Centrality::OutCoreness,
        Centrality::InDegree,
        Centrality::Reach2,
        Centrality::Reach3,
    ];

    /// The command-line name (`pagerank`, `ppr`, `hits-authority`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Centrality::PageRank => "pagerank",
            Centrality::PersonalizedPageRank => "ppr",
            Centrality::LeaderRank => "leaderrank",
            Centrality::HitsAuthority => "hits-authority",
            Centrality::HitsHub => "hits-hub",
            Centrality::Katz => "katz",
            Centrality::Coreness => "coreness",
            Centrality::InCoreness => "in-coreness",
            Centrality::OutCoreness => "out-coreness",
            Centrality::InDegree => "indegree",
            Centrality::Reach2 => "reach2",
            Centrality::Reach3 => "reach3",
        }
    }

    /// Whether it iterates to a tolerance (and reports a residual).
    pub fn is_iterative(self) -> bool {
        matches!(
            self,
            Centrality::PageRank
                | Centrality::PersonalizedPageRank
                | Centrality::LeaderRank
                | Centrality::HitsAuthority
                | Centrality::HitsHub
                | Centrality::Katz
        )
    }
}

impl fmt::Display for Centrality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Centrality {
    type Err = Error;

    /// The command-line name, case-insensitive, with `_` for `-`; also
    /// `personalized-pagerank` and `in-degree`.
    fn from_str(s: &str) -> Result<Centrality> {
        let key = s.trim().to_ascii_lowercase().replace('_', "-");
        let alias = match key.as_str() {
            "personalized-pagerank" | "personalised-pagerank" => {
                Some(Centrality::PersonalizedPageRank)
            }
            "in-degree" => Some(Centrality::InDegree),
            _ => None,
        };
        alias
            .or_else(|| Centrality::ALL.into_iter().find(|c| c.name() == key))
            .ok_or_else(|| {
                let names: Vec<&str> = Centrality::ALL.iter().map(|c| c.name()).collect();
                Error::argument(
                    "algo",
                    format!("unknown centrality {s:?} (one of {})", names.join(", ")),
                )
            })
    }
}

/// Parameters shared by the centralities; `None` keeps each kernel's own
/// default (see its options type).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CentralityOptions {
    /// PageRank damping (default 0.85).
    pub damping: Option<f64>,
    /// Tolerance on the total L1 change between iterations.
    pub tolerance: Option<f64>,
    /// Iteration cap.
    pub max_iterations: Option<usize>,
    /// Katz attenuation factor (default 0.1).
    pub alpha: Option<f64>,
    /// Teleport weights of personalised PageRank, one per account
    /// (non-negative, not all zero); with [`Centrality::PageRank`] it makes
    /// PageRank personalised.
    pub personalization: Option<Vec<f64>>,
    /// The solver of PageRank and HITS ([`Solver::Auto`]: chosen by the
    /// measured rule of [`pagerank_with`] and [`hits_with`]).
    pub solver: Solver,
}

/// The solver of the centralities that have a choice: PageRank (power or
/// Krylov) and HITS (power or Lanczos). Every solver meets the same stopping
/// rule, checked on its result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Solver {
    /// Chosen by the kernel's measured rule.
    #[default]
    Auto,
    /// The power iteration (the reference vertex program).
    Power,
    /// Krylov: BiCGSTAB on PageRank's linear system, Lanczos for HITS.
    Krylov,
}

impl FromStr for Solver {
    type Err = Error;

    fn from_str(s: &str) -> Result<Solver> {
        match s {
            "auto" => Ok(Solver::Auto),
            "power" => Ok(Solver::Power),
            "krylov" => Ok(Solver::Krylov),
            other => Err(Error::argument(
                "solver",
                format!("unknown solver {other:?}; known: auto, power, krylov"),
            )),
        }
    }
}

/// One score per account and how the kernel converged.
#[derive(Debug, Clone, PartialEq)]
pub struct CentralityScores {
    /// One score per account (dense id order).
    pub scores: Vec<f64>,
    /// Iterations run (0 for non-iterative centralities).
    pub iterations: usize,
    /// Final L1 residual (0 for non-iterative centralities).
    pub residual: f64,
    /// Whether the kernel met its tolerance (true for non-iterative ones).
    pub converged: bool,
    /// How the scores were computed, where the kernel has a choice: `power`
    /// or `krylov` (PageRank), `power` or `lanczos` (HITS), `exact` or
    /// `hyperball` (reach); `None` for the others.
    pub method: Option<&'static str>,
}

impl CentralityScores {
    fn exact(scores: Vec<f64>) -> CentralityScores {
        CentralityScores {
            scores,
            iterations: 0,
            residual: 0.0,
            converged: true,
            method: None,
        }
    }
}

/// Runs `which` on `graph`.
///
/// # Arguments
///
/// - `graph`: one layer or a merged view; credit flows along its edges
///   (actor → target);
/// - `which`: the centrality;
/// - `options`: its parameters.
///
/// # Returns
///
/// [`CentralityScores`]: one score per account, iterations, residual.
///
/// # Errors
///
/// [`Error::Argument`] for [`Centrality::PersonalizedPageRank`] without a
/// personalisation vector, and what the kernel reports (a damping outside
/// `[0, 1]`, a personalisation of the wrong length, a Katz `alpha` above
/// `1 / λ_max`, ...).
///
/// # Complexity
///
/// The kernel's: O(iterations × E) for the iterative ones, O(E) for the
/// cores and the in-degree, O(hops × E) for HyperBall.
pub fn centrality(
    graph: &LayerGraph,
    which: Centrality,
    options: &CentralityOptions,
) -> Result<CentralityScores> {
    let pagerank_options = || {
        let mut o = PageRankOptions::default();
        o.damping = options.damping.unwrap_or(o.damping);
        o.tolerance = options.tolerance.unwrap_or(o.tolerance);
        o.max_iterations = options.max_iterations.unwrap_or(o.max_iterations);
        o
    };
    let pagerank_solver = match options.solver {
        Solver::Auto => PageRankSolver::Auto,
        Solver::Power => PageRankSolver::Power,
        Solver::Krylov => PageRankSolver::Krylov,
    };
    let hits_solver = match options.solver {
        Solver::Auto => HitsSolver::Auto,
        Solver::Power => HitsSolver::Power,
        Solver::Krylov => HitsSolver::Lanczos,
    };
    Ok(match which {
        Centrality::PageRank | Centrality::PersonalizedPageRank => {
            let o = pagerank_options();
            let r = match (&options.personalization, which) {
                (Some(p), _) => pagerank_with(graph, &o, pagerank_solver, Some(p), None)?,
                (None, Centrality::PageRank) => {
                    pagerank_with(graph, &o, pagerank_solver, None, None)?
                }
                (None, _) => {
                    return Err(Error::argument(
                        "personalization",
                        "ppr needs a personalisation (--personalization FILE: id,weight)",
                    ));
                }
            };
            CentralityScores {
                scores: r.scores,
                iterations: r.iterations,
                residual: r.residual,
                converged: r.converged,
                method: Some(r.solver.as_str()),
            }
        }
        Centrality::LeaderRank => {
            let mut o = LeaderRankOptions::default();
            o.tolerance = options.tolerance.unwrap_or(o.tolerance);
            o.max_iterations = options.max_iterations.unwrap_or(o.max_iterations);
            let r = leaderrank(graph, &o)?;
            CentralityScores {
                scores: r.scores,
                iterations: r.iterations,
                residual: r.residual,
                converged: r.converged,
                method: None,
            }
        }
        Centrality::HitsAuthority | Centrality::HitsHub => {
            let mut o = HitsOptions::default();
            o.tolerance = options.tolerance.unwrap_or(o.tolerance);
            o.max_iterations = options.max_iterations.unwrap_or(o.max_iterations);
            let r = hits_with(graph, &o, hits_solver)?;
            CentralityScores {
                scores: if which == Centrality::HitsHub {
                    r.hubs
                } else {
                    r.authorities
                },
                iterations: r.iterations,
                residual: r.residual,
                converged: r.converged,
                method: Some(r.solver.as_str()),
            }
        }
        Centrality::Katz => {
            let mut o = KatzOptions::default();
            o.alpha = options.alpha.unwrap_or(o.alpha);
            o.tolerance = options.tolerance.unwrap_or(o.tolerance);
            o.max_iterations = options.max_iterations.unwrap_or(o.max_iterations);
            let r = katz(graph, &o)?;
            CentralityScores {
                scores: r.scores,
                iterations: r.iterations,
                residual: r.residual,
                converged: r.converged,
                method: None,
            }
        }
        Centrality::Coreness | Centrality::InCoreness | Centrality::OutCoreness => {
            let mode = match which {
                Centrality::InCoreness => CoreMode::In,
                Centrality::OutCoreness => CoreMode::Out,
                _ => CoreMode::Undirected,
            };
            CentralityScores::exact(
                core_numbers(graph, mode)
                    .into_iter()
                    .map(f64::from)
                    .collect(),
            )
        }
        Centrality::InDegree => CentralityScores::exact(
            (0..graph.num_nodes())
                .map(|i| graph.weighted_in_degree(NodeId(i as u32)))
                .collect(),
        ),
        Centrality::Reach2 | Centrality::Reach3 => {
            let hops = if which == Centrality::Reach2 { 2 } else { 3 };
            let r = reach(
                graph,
                &HyperBallOptions {
                    max_hops: hops,
                    ..HyperBallOptions::default()
                },
                ReachMethod::Auto,
            )?;
            CentralityScores {
                iterations: r.iterations,
                method: Some(r.method.as_str()),
                ..CentralityScores::exact(r.hop(hops))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Centrality::ALL {
            assert_eq!(c.name().parse::<Centrality>().unwrap(), c);
            assert_eq!(c.to_string(), c.name());
        }
        assert_eq!(
            "Hits_Authority".parse::<Centrality>().unwrap(),
            Centrality::HitsAuthority
        );
        let e = "pagerankk".parse::<Centrality>().unwrap_err();
        assert!(e.to_string().contains("ppr"), "{e}");
    }

    #[test]
    fn ppr_needs_a_personalization_and_pagerank_takes_one() {
        let g = LayerGraph::from_edges(3, &[(0, 1), (1, 2), (2, 0)], &Default::default()).unwrap();
        let e = centrality(
            &g,
            Centrality::PersonalizedPageRank,
            &CentralityOptions::default(),
        )
        .unwrap_err();
        assert_eq!(e.kind(), portevoix_core::ErrorKind::Argument);
        let options = CentralityOptions {
            personalization: Some(vec![1.0, 0.0, 0.0]),
            ..CentralityOptions::default()
        };
        let ppr = centrality(&g, Centrality::PersonalizedPageRank, &options).unwrap();
        let pr = centrality(&g, Centrality::PageRank, &options).unwrap();
        assert_eq!(ppr, pr);
        assert!(ppr.scores[0] > ppr.scores[2]);
    }
}
