//! The campaign context: one campaign on one engine, with what several
//! signals share computed once (topic relevance, posts in scope, the
//! endorsement view and its authentic part, the campaign's lists resolved,
//! sentiment toward the brand), and the candidate pool.

pub mod brand;
mod candidates;

pub use candidates::candidates;

use crate::campaign::Campaign;
use crate::engine::{Engine, views};
use portevoix_core::{Error, NodeId};
use portevoix_graph::LayerGraph;
use portevoix_text::corpus::{Relevance, RelevanceOptions};
use std::borrow::Cow;

/// The data and the campaign every signal reads, with what several signals
/// share computed once: the topic relevance of every account, the posts in
/// the campaign's window and languages, the endorsement view of the network,
/// the campaign's lists resolved to accounts.
pub struct CampaignContext<'a> {
    /// The data.
    pub engine: &'a Engine,
    /// The campaign.
    pub campaign: &'a Campaign,
    /// Topic relevance of every account with text (window and languages applied).
    pub relevance: Relevance,
    /// Per post of [`Engine::posts`]: inside the window and languages.
    pub post_in_scope: Vec<bool>,
    /// Merged endorsement layers present (follow, repost, quote, like), weight 1
    /// each; the reply and mention layers when no endorsement layer exists;
    /// the positive ratings in a network of ratings only.
    pub endorsement: Cow<'a, LayerGraph>,
    /// The endorsement view without the edges given by inauthentic accounts
    /// (authenticity below [`AUTHENTIC_MIN`](crate::engine::authenticity::AUTHENTIC_MIN)): what bought followers and
    /// engagement pods add is not there. The contextual reach signals and
    /// the reactor counts run on it.
    pub authentic_endorsement: LayerGraph,
    /// The brand's accounts.
    pub brand: Vec<NodeId>,
    /// Employees and collaborators.
    pub employees: Vec<NodeId>,
    /// Customers and users.
    pub customers: Vec<NodeId>,
    /// Trusted seeds.
    pub seeds: Vec<NodeId>,
    /// Names in the campaign that match no account.
    pub unresolved: Vec<String>,
    /// Per post of [`Engine::posts`]: the stance toward
    /// the brand of an organic brand mention in scope, `None` for the other
    /// posts; computed on first use by
    /// [`CampaignContext::brand_post_sentiment`] (see [`brand`]).
    pub(crate) brand_sentiment: std::sync::OnceLock<Vec<Option<brand::Stance>>>,
}

impl<'a> CampaignContext<'a> {
    /// Prepares the shared parts for `campaign` on `engine`.
    ///
    /// # Errors
    ///
    /// An invalid campaign, or a topic the corpus cannot score.
    pub fn new(engine: &'a Engine, campaign: &'a Campaign) -> Result<CampaignContext<'a>, Error> {
        campaign.validate()?;
        if campaign.brand.stance_engine == crate::campaign::StanceEngine::Encoder
            && campaign.brand.encoder_engine.is_none()
        {
            return Err(Error::config(
                Some("brand.encoder"),
                None,
                format!(
                    "campaign {:?}: stance_engine = \"encoder\" but its encoder is not loaded (Campaign::set_stance_encoder; portevoix discover reads [brand] encoder)",
                    campaign.name
                ),
            ));
        }
        let relevance = if campaign.topic.keywords.is_empty() && campaign.topic.examples.is_empty()
        {
            // A campaign on tags alone: its relevance is in the tag
            // signals (`signals::topical`); no text is on topic.
            Relevance {
                topic: campaign.topic.name.clone(),
                documents: 0,
                average_length: 0.0,
                posts_considered: 0,
                posts_outside_window: 0,
                posts_other_language: 0,
                posts_excluded: 0,
                reference_time: None,
                keywords: Vec::new(),
                warnings: Vec::new(),
                accounts: Vec::new(),
            }
        } else {
            engine.corpus().relevance(
                &campaign.topic,
                &RelevanceOptions {
                    window: campaign.window,
                    ..RelevanceOptions::default()
                },
            )?
        };
        let languages: Vec<&str> = campaign.languages.iter().map(|l| l.code()).collect();
        let post_in_scope = engine
            .posts()
            .iter()
            .map(|p| {
                let in_window = campaign
                    .window
                    .is_none_or(|(from, to)| p.time.is_some_and(|t| t >= from && t < to));
                let in_language = languages.is_empty()
                    || p.language.as_deref().is_none_or(|l| {
                        languages
                            .iter()
                            .any(|c| l.eq_ignore_ascii_case(c) || l.starts_with(c))
                    });
                in_window && in_language
            })
            .collect();
        let endorsement = views::endorsement(engine.network())?;
        let mut unresolved = Vec::new();
        let mut resolve = |names: &[String]| {
            let (found, missing) = engine.resolve_all(names);
            unresolved.extend(missing.into_iter().map(str::to_string));
            found
        };
        let brand = resolve(&campaign.brand.handles);
        let employees = resolve(&campaign.employees);
        let customers = resolve(&campaign.customers);
        let seeds = resolve(&campaign.trusted_seeds);
        let authentic = &engine.authenticity().score;
        let authentic_endorsement = views::authentic_view(&endorsement, authentic)?;
        let ctx = CampaignContext {
            engine,
            campaign,
            relevance,
            post_in_scope,
            endorsement,
            authentic_endorsement,
            brand,
            employees,
            customers,
            seeds,
            unresolved,
            brand_sentiment: std::sync::OnceLock::new(),
        };
        // Fill the brand-sentiment cache now, outside the signals' parallel
        // tasks, so that it is computed once.
        if !ctx.brand.is_empty() || !campaign.brand.is_empty() {
            ctx.brand_post_sentiment();
        }
        Ok(ctx)
    }

    /// Indices of the account's posts in scope (window and languages).
    pub fn posts_in_scope(&self, account: NodeId) -> impl Iterator<Item = usize> + '_ {
        self.engine
            .posts_of(account)
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| self.post_in_scope[i])
    }
}
