//! Scoring variants: the rankings the protocols compare.
//!
//! A [`Variant`] gives every account of an engine one score, higher meaning
//! more influential. The built-in ones ([`builtin`]) are the classic
//! single-number scores and Porte-voix's own:
//!
//! | name | score |
//! |---|---|
//! | `in_degree` | followers (declared, else follow in-degree), else the weighted in-degree of the endorsement view |
//! | `pagerank` | PageRank (damping 0.85) over the endorsement view |
//! | `leaderrank` | LeaderRank (Lü et al., PLoS ONE 2011) over the endorsement view |
//! | `hits_authority` | HITS authority (Kleinberg, JACM 1999) over the endorsement view |
//! | `coreness` | k-core number of the undirected endorsement view (Seidman 1983; Kitsak et al., Nature Physics 2010) |
//! | `hyperball_reach` | accounts within 2 hops against the endorsement edges (HyperBall, Boldi & Vigna 2013) |
//! | `baseline` | Porte-voix's baseline social score (audience, PageRank, raw reactions) |
//! | `contextual_awareness`, `contextual_consideration`, `contextual_advocacy` | the contextual score under each objective preset (signals as log-ranks, the default [`Scale`]) |
//! | `contextual_awareness_percentile`, `contextual_consideration_percentile`, `contextual_advocacy_percentile` | the same with signals as percentiles ([`Scale::Percentile`], Klout's normalisation), kept to show what the scale changes |
//!
//! The endorsement view is the campaign context's
//! ([`CampaignContext::endorsement`]): re-shares, quotes, likes and follows,
//! else replies and mentions, else positive ratings. Users add their own
//! variants by implementing [`Variant`].

use portevoix_core::Error;
use portevoix_graph::kernels::{Centrality, CentralityOptions, centrality};
use portevoix_score::campaign::Objective;
use portevoix_score::campaign::Scale;
use portevoix_score::discover::{DiscoverOptions, discover};
use portevoix_score::signals::CampaignContext;

/// One way of scoring accounts.
pub trait Variant: Send + Sync {
    /// A short unique name (`pagerank`, `contextual_advocacy`, ...).
    fn name(&self) -> String;
    /// One score per account of `ctx.engine` (dense id order); higher is
    /// more influential. Accounts a variant cannot score get 0.
    ///
    /// # Errors
    ///
    /// What the kernel or the scoring reports.
    fn scores(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error>;
}

/// The classic graph scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphScore {
    /// Followers, else weighted in-degree of the endorsement view.
    InDegree,
    /// PageRank.
    PageRank,
    /// LeaderRank.
    LeaderRank,
    /// HITS authority.
    HitsAuthority,
    /// Undirected core number.
    Coreness,
    /// HyperBall 2-hop reach.
    HyperBallReach,
}

impl Variant for GraphScore {
    fn name(&self) -> String {
        match self {
            GraphScore::InDegree => "in_degree",
            GraphScore::PageRank => "pagerank",
            GraphScore::LeaderRank => "leaderrank",
            GraphScore::HitsAuthority => "hits_authority",
            GraphScore::Coreness => "coreness",
            GraphScore::HyperBallReach => "hyperball_reach",
        }
        .to_string()
    }

    fn scores(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let g = ctx.endorsement.as_ref();
        if g.num_nodes() == 0 {
            return Ok(Vec::new());
        }
        if *self == GraphScore::InDegree {
            let audience = ctx.engine.audience();
            if audience.iter().any(|a| *a > 0.0) {
                return Ok(audience);
            }
        }
        // The kernels' own defaults, as `portevoix rank` names them.
        Ok(centrality(g, self.centrality(), &CentralityOptions::default())?.scores)
    }
}

impl GraphScore {
    /// The centrality of the kernels this variant runs on the endorsement
    /// view (for `in_degree`, when the data has no audience).
    pub fn centrality(self) -> Centrality {
        match self {
            GraphScore::InDegree => Centrality::InDegree,
            GraphScore::PageRank => Centrality::PageRank,
            GraphScore::LeaderRank => Centrality::LeaderRank,
            GraphScore::HitsAuthority => Centrality::HitsAuthority,
            GraphScore::Coreness => Centrality::Coreness,
            GraphScore::HyperBallReach => Centrality::Reach2,
        }
    }
}

/// Porte-voix's baseline social score, or its contextual score under an
/// objective preset (`Objective::Custom`: the campaign's own weights) and a
/// [`Scale`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PorteVoixScore {
    /// The baseline social score.
    Baseline,
    /// The contextual score under an objective preset, signals scaled to
    /// log-ranks ([`Scale::LogRank`], the default).
    Contextual(Objective),
    /// The contextual score under an objective preset, signals scaled to
    /// percentiles ([`Scale::Percentile`], Klout's normalisation).
    ContextualPercentile(Objective),
}

impl Variant for PorteVoixScore {
    fn name(&self) -> String {
        let objective = |o: &Objective| format!("{o:?}").to_lowercase();
        match self {
            PorteVoixScore::Baseline => "baseline".to_string(),
            PorteVoixScore::Contextual(o) => format!("contextual_{}", objective(o)),
            PorteVoixScore::ContextualPercentile(o) => {
                format!("contextual_{}_percentile", objective(o))
            }
        }
    }

    fn scores(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let mut campaign = ctx.campaign.clone();
        let (objective, scale) = match self {
            PorteVoixScore::Baseline => (None, campaign.scale),
            PorteVoixScore::Contextual(o) => (Some(*o), Scale::LogRank),
            PorteVoixScore::ContextualPercentile(o) => (Some(*o), Scale::Percentile),
        };
        if let Some(objective) = objective
            && objective != Objective::Custom
        {
            campaign = campaign.with_objective(objective);
        }
        campaign.scale = scale;
        let d = discover(ctx.engine, &campaign, &DiscoverOptions::default())?;
        let mut out = vec![0.0; ctx.engine.num_accounts()];
        for a in &d.accounts {
            out[a.node.index()] = match self {
                PorteVoixScore::Baseline => a.baseline_score,
                _ => a.contextual_score,
            };
        }
        Ok(out)
    }
}

/// The built-in variants, in report order.
pub fn builtin() -> Vec<Box<dyn Variant>> {
    vec![
        Box::new(GraphScore::InDegree),
        Box::new(GraphScore::PageRank),
        Box::new(GraphScore::LeaderRank),
        Box::new(GraphScore::HitsAuthority),
        Box::new(GraphScore::Coreness),
        Box::new(GraphScore::HyperBallReach),
        Box::new(PorteVoixScore::Baseline),
        Box::new(PorteVoixScore::Contextual(Objective::Awareness)),
        Box::new(PorteVoixScore::Contextual(Objective::Consideration)),
        Box::new(PorteVoixScore::Contextual(Objective::Advocacy)),
        Box::new(PorteVoixScore::ContextualPercentile(Objective::Awareness)),
        Box::new(PorteVoixScore::ContextualPercentile(
            Objective::Consideration,
        )),
        Box::new(PorteVoixScore::ContextualPercentile(Objective::Advocacy)),
    ]
}

/// The built-in variants whose names are in `names` (all when `None`), in
/// report order.
///
/// # Errors
///
/// [`Error::Argument`] naming an unknown variant and listing the
/// known ones.
pub fn select(names: Option<&[String]>) -> Result<Vec<Box<dyn Variant>>, Error> {
    let all = builtin();
    let Some(names) = names else {
        return Ok(all);
    };
    let known: Vec<String> = all.iter().map(|v| v.name()).collect();
    for n in names {
        if !known.contains(n) {
            return Err(Error::argument(
                "variants",
                format!("unknown variant {n:?}; known: {}", known.join(", ")),
            ));
        }
    }
    Ok(all
        .into_iter()
        .filter(|v| names.contains(&v.name()))
        .collect())
}
