//! Stance toward the brand, per post, computed once per campaign: the
//! organic brand mentions and their stance ([`Stance`]: three class
//! probabilities and a class), which the brand-affinity signals, the
//! explanations and the classification read (the rules are documented with
//! the signals, [`crate::signals::brand`]).

use super::CampaignContext;
use crate::campaign::StanceEngine;
use portevoix_core::{NodeId, Post};
use portevoix_text::analysis::Language;
use portevoix_text::sentiment::model::{Class, FeatureLanguage, Prediction};
use portevoix_text::sentiment::{Target, Vader};
use rayon::prelude::*;

/// The stance of one organic brand mention.
///
/// With the learned model ([`StanceEngine::Model`]) the probabilities are
/// the model's calibrated ones and the class the most probable (the same
/// with the sentence encoder, [`StanceEngine::Encoder`], its head's
/// probabilities);
/// with VADER ([`StanceEngine::Vader`]) they are read from its compound
/// `c` (`positive = max(c, 0)`, `negative = max(−c, 0)`, `neutral = 1 − |c|`,
/// not probabilities) and the class is VADER's customary one (±0.05).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stance {
    /// P(negative toward the brand).
    pub negative: f64,
    /// P(neutral).
    pub neutral: f64,
    /// P(positive toward the brand).
    pub positive: f64,
    /// The class.
    pub class: Class,
}

impl Stance {
    /// A model's prediction, classed by its most probable class.
    pub fn from_prediction(p: Prediction) -> Stance {
        Stance {
            negative: p.negative,
            neutral: p.neutral,
            positive: p.positive,
            class: p.label(),
        }
    }

    /// A VADER compound, classed with VADER's thresholds (±0.05).
    pub fn from_compound(c: f64) -> Stance {
        let class = if c >= 0.05 {
            Class::Positive
        } else if c <= -0.05 {
            Class::Negative
        } else {
            Class::Neutral
        };
        Stance {
            negative: (-c).max(0.0),
            neutral: 1.0 - c.abs(),
            positive: c.max(0.0),
            class,
        }
    }

    /// `positive − negative`, in [−1, 1] (VADER's compound for the VADER engine).
    pub fn compound(&self) -> f64 {
        self.positive - self.negative
    }
}

/// One organic brand mention of an account, for explanations and the
/// ambassador/detractor classification.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BrandMention {
    /// Index of the post in [`Engine::posts`](crate::engine::Engine::posts).
    pub post: usize,
    /// Its compound toward the brand ([`Stance::compound`]), in [−1, 1].
    pub compound: f64,
    /// Its stance toward the brand.
    pub stance: Stance,
}

/// The brand as a [`Target`]: every alias of the campaign's brand (handles,
/// names, keywords) plus the `@handle` of every brand account resolved (a
/// handle given as an account id still matches the text).
pub fn brand_target(ctx: &CampaignContext<'_>) -> Target {
    let mut aliases: Vec<String> = ctx
        .campaign
        .brand
        .aliases()
        .into_iter()
        .map(str::to_string)
        .collect();
    for &b in &ctx.brand {
        if let Some(h) = ctx.engine.handle(b) {
            aliases.push(format!("@{}", h.trim_start_matches('@')));
        }
    }
    Target::new(aliases)
}

/// Whether a post is a re-share: `repost_of` set, or a text retweet (`RT @`).
pub fn is_reshare(post: &Post) -> bool {
    post.repost_of.is_some() || post.text.trim_start().starts_with("RT @")
}

impl CampaignContext<'_> {
    /// Per post of [`Engine::posts`](crate::engine::Engine::posts): the
    /// stance toward the brand of an organic brand mention in scope, `None`
    /// for any other post (see [`crate::signals::brand`] for the rules).
    ///
    /// Computed on the first call (in parallel over the posts, the same
    /// values for any number of threads) and cached in
    /// [`CampaignContext::brand_sentiment`].
    ///
    /// The computation runs outside any lock: rayon tasks call this
    /// concurrently (the signals of a [`SignalMatrix`](crate::signals::SignalMatrix)
    /// run in parallel), and a thread that blocked on a lock while its own
    /// parallel loop stole one of those tasks would wait for itself. Calls
    /// that find the cache empty at the same moment each compute it (the
    /// values are identical) and the first result stored is kept.
    ///
    /// # Complexity
    ///
    /// First call: O(text × aliases) for the matching, plus one model (or
    /// VADER) scoring and at most one language detection per organic brand
    /// mention; then O(1).
    pub fn brand_post_sentiment(&self) -> &[Option<Stance>] {
        if let Some(cached) = self.brand_sentiment.get() {
            return cached;
        }
        let computed = compute_sentiment(self);
        // Another thread may have stored the same values meanwhile.
        let _ = self.brand_sentiment.set(computed);
        self.brand_sentiment
            .get()
            .expect("the brand sentiment was just stored")
    }
}

fn compute_sentiment(ctx: &CampaignContext<'_>) -> Vec<Option<Stance>> {
    let posts = ctx.engine.posts();
    let target = brand_target(ctx);
    let has_brand = !ctx.brand.is_empty();
    if !has_brand && ctx.campaign.brand.is_empty() {
        return vec![None; posts.len()];
    }
    let analyzer = ctx.engine.corpus().analyzer();
    let wants = |l: Language| ctx.campaign.languages.contains(&l);
    // The campaign's choice between the two languages, when it makes one.
    let campaign_french = match (wants(Language::French), wants(Language::English)) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    };
    // Per post: None, or Some(is French) for an organic brand mention in scope.
    let mentions: Vec<Option<bool>> = posts
        .par_iter()
        .enumerate()
        .map(|(i, post)| {
            if !ctx.post_in_scope[i]
                || ctx.brand.binary_search(&post.author).is_ok()
                || is_reshare(post)
            {
                return None;
            }
            let by_account = has_brand
                && post
                    .mentions
                    .iter()
                    .any(|m| ctx.brand.binary_search(m).is_ok());
            if !by_account && target.mentions(&post.text).is_empty() {
                return None;
            }
            Some(
                match post.language.as_deref().and_then(Language::from_code) {
                    Some(l) => l == Language::French,
                    None => {
                        let guess = analyzer.detect(&post.text);
                        match guess {
                            Some(g) if g.reliable => g.language == Language::French,
                            _ => campaign_french.unwrap_or_else(|| {
                                guess.is_some_and(|g| g.language == Language::French)
                            }),
                        }
                    }
                },
            )
        })
        .collect();
    // Mutable for the encoder's batches below (feature `encoder`).
    #[cfg_attr(not(feature = "encoder"), allow(unused_mut))]
    let mut stances: Vec<Option<Stance>> = mentions
        .par_iter()
        .enumerate()
        .map(|(i, french)| {
            let french = (*french)?;
            let post = &posts[i];
            Some(match ctx.campaign.brand.stance_engine {
                StanceEngine::Vader => vader_stance(ctx, post, &target, french),
                // The encoder's posts are batched below; French posts (and
                // any the encoder could not judge) keep the learned model.
                StanceEngine::Model | StanceEngine::Encoder => {
                    model_stance(ctx, post, &target, french)
                }
            })
        })
        .collect();
    #[cfg(feature = "encoder")]
    if let Some(loaded) = &ctx.campaign.brand.encoder_engine
        && ctx.campaign.brand.stance_engine == StanceEngine::Encoder
    {
        let english: Vec<usize> = (0..posts.len())
            .filter(|&i| mentions[i] == Some(false))
            .collect();
        encoder_stances(&loaded.engine, posts, &english, &target, &mut stances);
    }
    stances
}

/// Posts the encoder embeds per call: bounds the memory of the texts and
/// vectors on large datasets; fixed, so the batches (and the stances) do not
/// depend on the number of threads.
#[cfg(feature = "encoder")]
const ENCODER_CHUNK: usize = 4096;

/// The encoder's stance of the posts `which` (English brand mentions), in
/// chunks of [`ENCODER_CHUNK`]: the post with the brand's mentions as
/// `@user` for the encoder and as `<brand>` for the learned model whose
/// log-probabilities the head reads. A chunk the encoder fails on (it does
/// not on any UTF-8 text) keeps the learned model's stances.
#[cfg(feature = "encoder")]
fn encoder_stances(
    engine: &portevoix_text::encoder::EncoderStance,
    posts: &[Post],
    which: &[usize],
    target: &Target,
    stances: &mut [Option<Stance>],
) {
    for chunk in which.chunks(ENCODER_CHUNK) {
        let brands: Vec<Vec<std::ops::Range<usize>>> = chunk
            .par_iter()
            .map(|&i| target.mentions(&posts[i].text))
            .collect();
        let items: Vec<(&str, &[std::ops::Range<usize>])> = chunk
            .iter()
            .zip(&brands)
            .map(|(&i, b)| (posts[i].text.as_str(), b.as_slice()))
            .collect();
        if let Ok(predictions) = engine.predict_toward(&items) {
            for (&i, p) in chunk.iter().zip(predictions) {
                stances[i] = Some(Stance::from_prediction(p));
            }
        }
    }
}

/// The learned model's stance: the whole post, the brand's mentions as the
/// `<brand>` placeholder (every sentence of a tweet addressed to the brand
/// is about it; the placeholder tells the model where the brand stands).
fn model_stance(ctx: &CampaignContext<'_>, post: &Post, target: &Target, french: bool) -> Stance {
    let language = if french {
        FeatureLanguage::Fr
    } else {
        FeatureLanguage::En
    };
    let model = ctx.campaign.stance_model(language);
    Stance::from_prediction(model.predict_masked(&post.text, &target.mentions(&post.text)))
}

/// VADER's compound: the whole post with the brand masked when it is
/// addressed to the brand, else VADER's target sentiment toward the brand.
fn vader_stance(ctx: &CampaignContext<'_>, post: &Post, target: &Target, french: bool) -> Stance {
    let vader = if french {
        Vader::french()
    } else {
        Vader::english()
    };
    let compound = if addressed_to_brand(post, &ctx.brand, target) {
        vader.polarity_scores(&target.mask(&post.text)).compound
    } else {
        match vader.target_sentiment(&post.text, target) {
            Some(t) => t.scores.compound,
            None => vader.polarity_scores(&post.text).compound,
        }
    };
    Stance::from_compound(compound)
}

/// Whether a post is addressed to the brand: it replies to one of the
/// brand's accounts, or its first word names the brand (`@united my bag…`).
/// Every sentence of such a post is about the brand, named or not.
pub fn addressed_to_brand(post: &Post, brand: &[NodeId], target: &Target) -> bool {
    if post
        .reply_to
        .as_ref()
        .and_then(|r| r.author)
        .is_some_and(|a| brand.contains(&a))
    {
        return true;
    }
    let first = post.text.split_whitespace().next().unwrap_or("");
    !first.is_empty() && !target.mentions(first).is_empty()
}

/// The account's organic brand mentions in scope, strongest |compound|
/// first, ties by post index.
///
/// # Complexity
///
/// O(posts of the account) once [`CampaignContext::brand_post_sentiment`] is
/// computed (it is on the first call).
pub fn brand_mentions(ctx: &CampaignContext<'_>, account: NodeId) -> Vec<BrandMention> {
    let cache = ctx.brand_post_sentiment();
    let mut out: Vec<BrandMention> = ctx
        .posts_in_scope(account)
        .filter_map(|i| {
            cache[i].map(|stance| BrandMention {
                post: i,
                compound: stance.compound(),
                stance,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.compound
            .abs()
            .total_cmp(&a.compound.abs())
            .then(a.post.cmp(&b.post))
    });
    out
}

/// The stances of the account's organic brand mentions, in post order.
pub(crate) fn stances<'c>(
    ctx: &'c CampaignContext<'_>,
    account: NodeId,
) -> impl Iterator<Item = Stance> + 'c {
    let cache = ctx.brand_post_sentiment();
    ctx.posts_in_scope(account).filter_map(move |i| cache[i])
}
