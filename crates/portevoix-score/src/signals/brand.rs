//! Brand affinity: how an account relates to the campaign's brand, from what
//! it writes about the brand, whom it follows and what the user knows.
//!
//! An *organic brand mention* is a post in the campaign's window and
//! languages ([`CampaignContext::post_in_scope`]) that
//!
//! - names the brand: one of the brand's resolved accounts is in
//!   [`Post::mentions`], or [`brand_target`] (every alias of
//!   [`Brand::aliases`](crate::campaign::Brand::aliases) plus the `@handle`
//!   of every resolved brand account) matches its text
//!   ([`Target::mentions`]: case-insensitive, on word boundaries);
//! - is not a re-share: [`Post::repost_of`] is `None` and the text does not
//!   start with `RT @` (a retweet copied as text);
//! - is not written by one of the brand's own accounts (they get 0 on every
//!   signal computed from mentions).
//!
//! Its *stance* ([`Stance`]) is judged by the campaign's
//! [`StanceEngine`](crate::campaign::StanceEngine):
//!
//! - **model** (default): the learned model's calibrated probabilities of
//!   negative, neutral and positive toward the brand
//!   ([`SentimentModel::predict_masked`](portevoix_text::sentiment::model::SentimentModel::predict_masked)
//!   on the whole post, every mention of the brand as the `<brand>`
//!   placeholder), the English or French model (or the campaign's
//!   adaptation to its `stance_examples`), its class the most probable one;
//!   its *compound* is P(positive) − P(negative), in [−1, 1]. On the 8,771
//!   airline tweets (never trained on) it agrees with the annotators 0.699
//!   of the time against 0.556 for VADER (EVALUATION.md);
//! - **vader**: VADER's compound of the whole post with the brand's names
//!   masked ([`Target::mask`]) when the post is addressed to the brand
//!   ([`addressed_to_brand`]), else VADER's target sentiment toward the
//!   brand ([`Vader::target_sentiment`](portevoix_text::sentiment::Vader::target_sentiment)),
//!   classed with VADER's ±0.05;
//! - **encoder** (cargo feature `encoder`, `[brand] encoder = "DIR"`): the
//!   all-MiniLM-L6-v2 sentence vector of the post (brand and `@handles` as
//!   `@user`) and the learned model's log-probabilities (brand as
//!   `<brand>`) into the stance head
//!   (`portevoix_text::encoder::EncoderStance`), for English posts; French
//!   posts keep the model (docs/encoder.md).
//!
//! The language, for both: in order, the post's `language` when it names a
//! known language (French or not); else the engine's analyser's detection
//! ([`Analyzer::detect`](portevoix_text::analysis::Analyzer::detect)) when
//! it is reliable; else the campaign's languages when they name French or
//! English but not both; else the unreliable guess (French or not); English
//! when there is no guess.
//!
//! The compounds are computed once per campaign, in parallel, only for the
//! organic brand mentions, and cached in
//! [`CampaignContext::brand_sentiment`] ([`CampaignContext::brand_post_sentiment`]).
//!
//! - `brand.mentions`: `M`, the number of the account's organic brand mentions.
//! - `brand.sentiment`: `Σ compound / M`, the mean compound (stance) of
//!   those mentions, in [−1, 1]; 0 when `M = 0`. Higher is more positive.
//! - `brand.positive_mentions`: the number of those mentions classed
//!   positive.
//! - `brand.negative_mentions`: the number classed negative. Default weight
//!   0: higher is worse, so it never raises a score; it stays in the matrix
//!   for reports.
//! - `brand.stance_positive`, `brand.stance_negative`: the mean P(positive)
//!   and P(negative) of the mentions (0 when `M = 0`); weight 0, read by the
//!   ambassador and detractor rules ([`crate::classify`]).
//! - `brand.net_sentiment`: `Σ compound`, praise adding and complaints
//!   subtracting: the advocacy signal.
//!
//! Shares inside the family ([`Signal::default_weight`]): net sentiment 1.5,
//! mean sentiment 1, follows 1, employee 1, positive mentions 0.5, customer
//! 0.5 (complainers are customers too), mentions 0.25 (volume alone is not
//! affinity: a frequent complainer mentions the brand often and praises it
//! now and then), negative mentions 0.
//! - `brand.follows`: 1 when the account follows (follow layer, A → B is
//!   "A follows B") one of the brand's accounts other than itself, else 0;
//!   the brand's own accounts get 0.
//! - `brand.employee`: 1 when the account is in the campaign's employee list,
//!   or its bio names the brand ([`brand_target`]) and reads like an
//!   employee's: it contains one of [`EMPLOYEE_CUES`] (English and French,
//!   case-insensitive, whole words), or an alias is directly preceded by one
//!   of [`EMPLOYEE_PREFIXES`] ("chez @AirFrance", "engineer @ Airbus");
//!   else 0.
//! - `brand.customer`: 1 when the account is in the campaign's customer list,
//!   or one of its organic brand mentions contains first-person customer
//!   language, one of [`CUSTOMER_CUES`] ("my flight", "I bought", "mon vol",
//!   "j'ai acheté", ...; case-insensitive, whole words, `'` and `’` alike);
//!   else 0.

use super::{CampaignContext, Family, Signal};
use crate::context::brand::stances;
pub use crate::context::brand::{
    BrandMention, Stance, addressed_to_brand, brand_mentions, brand_target, is_reshare,
};
use crate::names;
use portevoix_core::{Error, Evidence, Layer, NodeId};
use portevoix_text::sentiment::Target;
use portevoix_text::sentiment::model::Class;
use std::ops::Range;

/// Compound from which a mention counts as positive under the VADER engine (VADER's customary class).
pub const POSITIVE_THRESHOLD: f64 = 0.05;

/// Compound up to which a mention counts as negative under the VADER engine (VADER's customary class).
pub const NEGATIVE_THRESHOLD: f64 = -0.05;

/// Words and phrases of a bio that, with a name of the brand, mark an
/// employee or collaborator (English and French, matched case-insensitively
/// on word boundaries; a phrase's spaces match any whitespace, `'` and `’`
/// alike).
pub const EMPLOYEE_CUES: &[&str] = &[
    // English
    "work at",
    "works at",
    "working at",
    "work for",
    "works for",
    "working for",
    "worked at",
    "worked for",
    "employed at",
    "employed by",
    "proud to work",
    "employee",
    "employees",
    "staff",
    "team",
    "team member",
    "crew",
    "crew member",
    "crewmember",
    "pilot",
    "captain",
    "first officer",
    "flight attendant",
    "cabin crew",
    "agent",
    "engineer at",
    "engineer for",
    "manager at",
    "director at",
    "intern at",
    // French
    "travaille chez",
    "travaille pour",
    "travaille à",
    "je travaille",
    "bosse chez",
    "salarié",
    "salariée",
    "salariés",
    "salarie",
    "employé",
    "employée",
    "employés",
    "employe",
    "collaborateur",
    "collaboratrice",
    "collaborateurs",
    "équipe",
    "equipe",
    "équipage",
    "pilote",
    "hôtesse",
    "hôtesse de l'air",
    "steward",
    "chef de cabine",
    "commandant de bord",
    "personnel navigant",
    "PNC",
    "conseiller",
    "conseillère",
    "ingénieur chez",
    "stagiaire chez",
    "alternant chez",
    "fier de travailler",
    "fière de travailler",
];

/// Words that, directly before a name of the brand in a bio, mark an
/// employee: "chez @AirFrance", "engineer @ Airbus", "pilot at @united".
pub const EMPLOYEE_PREFIXES: &[&str] = &["chez", "at", "@"];

/// First-person customer language: an organic brand mention containing one
/// of these (English and French, matched case-insensitively on word
/// boundaries, `'` and `’` alike) marks its author as a customer or user.
pub const CUSTOMER_CUES: &[&str] = &[
    // English
    "my flight",
    "my flights",
    "my bag",
    "my bags",
    "my luggage",
    "my baggage",
    "my suitcase",
    "my seat",
    "my ticket",
    "my tickets",
    "my booking",
    "my reservation",
    "my connection",
    "my trip",
    "my miles",
    "my upgrade",
    "my order",
    "my orders",
    "my package",
    "my delivery",
    "my account",
    "my subscription",
    "my card",
    "my refund",
    "my car",
    "my phone",
    "I flew",
    "I fly",
    "I'm flying",
    "I am flying",
    "I was flying",
    "we flew",
    "we fly",
    "I bought",
    "I ordered",
    "I booked",
    "I purchased",
    "I paid",
    "I subscribed",
    "I've been a customer",
    "as a customer",
    "loyal customer",
    "frequent flyer",
    "your customer",
    // French
    "mon vol",
    "mes vols",
    "ma valise",
    "mon bagage",
    "mes bagages",
    "mon siège",
    "mon billet",
    "mes billets",
    "ma réservation",
    "ma correspondance",
    "mon voyage",
    "ma commande",
    "mes commandes",
    "mon colis",
    "ma livraison",
    "mon compte",
    "mon abonnement",
    "ma carte",
    "mon remboursement",
    "ma voiture",
    "mon téléphone",
    "j'ai acheté",
    "j'ai commandé",
    "j'ai réservé",
    "j'ai payé",
    "j'ai volé",
    "je vole avec",
    "j'ai pris",
    "je suis abonné",
    "je suis abonnée",
    "je suis client",
    "je suis cliente",
    "en tant que client",
    "en tant que cliente",
    "client fidèle",
    "cliente fidèle",
];

/// The brand-affinity signals, in report order.
pub fn signals() -> Vec<std::sync::Arc<dyn Signal>> {
    use std::sync::Arc;
    vec![
        Arc::new(MentionStat::Count),
        Arc::new(MentionStat::Sentiment),
        Arc::new(MentionStat::Positive),
        Arc::new(MentionStat::Negative),
        Arc::new(MentionStat::NetSentiment),
        Arc::new(MentionStat::StancePositive),
        Arc::new(MentionStat::StanceNegative),
        Arc::new(FollowsBrand),
        Arc::new(Employee),
        Arc::new(Customer),
    ]
}

/// A [`Target`] of cue phrases, each also with `’` for `'`.
fn cue_target(cues: &[&str]) -> Target {
    Target::new(cues.iter().flat_map(|c| {
        let curly = c.replace('\'', "’");
        [c.to_string(), curly]
    }))
}

/// The statistics of the organic brand mentions: `brand.mentions`,
/// `brand.sentiment`, `brand.positive_mentions`, `brand.negative_mentions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionStat {
    /// Number of organic brand mentions.
    Count,
    /// Mean compound toward the brand, 0 without mentions.
    Sentiment,
    /// Mentions with compound ≥ [`POSITIVE_THRESHOLD`].
    Positive,
    /// Mentions with compound ≤ [`NEGATIVE_THRESHOLD`] (weight 0).
    Negative,
    /// Sum of the compounds: praise adds, complaints subtract (weight 1.5).
    NetSentiment,
    /// Mean P(positive) of the mentions, 0 without mentions (weight 0: the
    /// classification and the reports read it).
    StancePositive,
    /// Mean P(negative) of the mentions, 0 without mentions (weight 0).
    StanceNegative,
}

impl Signal for MentionStat {
    fn name(&self) -> &str {
        match self {
            MentionStat::Count => names::brand::MENTIONS,
            MentionStat::Sentiment => names::brand::SENTIMENT,
            MentionStat::Positive => names::brand::POSITIVE_MENTIONS,
            MentionStat::Negative => names::brand::NEGATIVE_MENTIONS,
            MentionStat::NetSentiment => names::brand::NET_SENTIMENT,
            MentionStat::StancePositive => names::brand::STANCE_POSITIVE,
            MentionStat::StanceNegative => names::brand::STANCE_NEGATIVE,
        }
        .as_str()
    }
    fn family(&self) -> Family {
        Family::BrandAffinity
    }
    fn description(&self) -> &str {
        match self {
            MentionStat::Count => {
                "organic mentions of the brand: posts naming it, not re-shares, not by the brand"
            }
            MentionStat::Sentiment => {
                "mean stance toward the brand (P(positive) - P(negative), -1 to 1) of the organic brand mentions"
            }
            MentionStat::Positive => "organic brand mentions judged positive toward the brand",
            MentionStat::Negative => {
                "organic brand mentions judged negative toward the brand (not scored: higher is worse)"
            }
            MentionStat::NetSentiment => {
                "sum of the stances (P(positive) - P(negative)) of the organic brand mentions: praise adds, complaints subtract"
            }
            MentionStat::StancePositive => {
                "mean probability that an organic brand mention is positive toward the brand (not scored; classification)"
            }
            MentionStat::StanceNegative => {
                "mean probability that an organic brand mention is negative toward the brand (not scored; classification)"
            }
        }
    }
    fn default_weight(&self) -> f64 {
        match self {
            MentionStat::Negative | MentionStat::StancePositive | MentionStat::StanceNegative => {
                0.0
            }
            // Volume alone is not affinity: a frequent complainer mentions
            // the brand often, and praises it now and then. Net sentiment
            // carries the direction.
            MentionStat::Count => 0.25,
            MentionStat::Positive => 0.5,
            MentionStat::NetSentiment => 1.5,
            MentionStat::Sentiment => 1.0,
        }
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        ctx.brand_post_sentiment();
        Ok((0..ctx.engine.num_accounts())
            .map(|i| {
                let all: Vec<Stance> = stances(ctx, NodeId(i as u32)).collect();
                let n = all.len();
                let mean = |f: &dyn Fn(&Stance) -> f64| {
                    if n == 0 {
                        0.0
                    } else {
                        all.iter().map(f).sum::<f64>() / n as f64
                    }
                };
                let count = |c: Class| all.iter().filter(|s| s.class == c).count() as f64;
                match self {
                    MentionStat::Count => n as f64,
                    MentionStat::Sentiment => mean(&Stance::compound),
                    MentionStat::Positive => count(Class::Positive),
                    MentionStat::Negative => count(Class::Negative),
                    MentionStat::NetSentiment => all.iter().map(Stance::compound).sum(),
                    MentionStat::StancePositive => mean(&|s| s.positive),
                    MentionStat::StanceNegative => mean(&|s| s.negative),
                }
            })
            .collect())
    }
    /// For the mention count: the organic brand mentions, strongest
    /// sentiment first.
    fn evidence(
        &self,
        ctx: &CampaignContext<'_>,
        _column: &[f64],
        account: NodeId,
        k: usize,
    ) -> Vec<Evidence> {
        if *self != MentionStat::Count {
            return Vec::new();
        }
        let posts = ctx.engine.posts();
        brand_mentions(ctx, account)
            .into_iter()
            .take(k)
            .map(|m| Evidence::Post {
                post: posts[m.post].id.clone(),
                why: format!(
                    "mentions the brand, stance {} (P negative {:.2}, neutral {:.2}, positive {:.2}), {} reactions",
                    m.stance.class.name(),
                    m.stance.negative,
                    m.stance.neutral,
                    m.stance.positive,
                    portevoix_text::corpus::reactions_of(&posts[m.post])
                ),
                weight: m.compound,
            })
            .collect()
    }
}

/// Follows one of the brand's accounts.
pub struct FollowsBrand;

impl Signal for FollowsBrand {
    fn name(&self) -> &str {
        names::brand::FOLLOWS.as_str()
    }
    fn family(&self) -> Family {
        Family::BrandAffinity
    }
    fn description(&self) -> &str {
        "1 if the account follows one of the brand's accounts, else 0"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let n = ctx.engine.num_accounts();
        let Some(follow) = ctx.engine.network().layer(Layer::Follow) else {
            return Ok(vec![0.0; n]);
        };
        Ok((0..n)
            .map(|i| {
                let node = NodeId(i as u32);
                if ctx.brand.binary_search(&node).is_ok() {
                    return 0.0;
                }
                let follows = follow
                    .out_neighbors(node)
                    .0
                    .iter()
                    .any(|&t| ctx.brand.binary_search(&NodeId(t)).is_ok());
                f64::from(u8::from(follows))
            })
            .collect())
    }
}

/// Whether a bio reads like that of an employee of the brand: it names the
/// brand (`brand`) and contains one of [`EMPLOYEE_CUES`] (`cues`), or a name
/// of the brand directly follows one of [`EMPLOYEE_PREFIXES`].
pub fn bio_reads_employee(bio: &str, brand: &Target) -> bool {
    bio_employee(bio, brand, &cue_target(EMPLOYEE_CUES))
}

fn bio_employee(bio: &str, brand: &Target, cues: &Target) -> bool {
    let names = brand.mentions(bio);
    if names.is_empty() {
        return false;
    }
    !cues.mentions(bio).is_empty() || names.iter().any(|r| prefixed(bio, r))
}

/// Whether the text just before `range` ends with one of
/// [`EMPLOYEE_PREFIXES`] as a whole word.
fn prefixed(text: &str, range: &Range<usize>) -> bool {
    let before = text[..range.start].trim_end().to_lowercase();
    EMPLOYEE_PREFIXES.iter().any(|p| {
        before.strip_suffix(p).is_some_and(|rest| {
            p.chars().all(|c| !c.is_alphanumeric())
                || rest
                    .chars()
                    .next_back()
                    .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
        })
    })
}

/// Employee list, or a bio that reads like an employee's.
pub struct Employee;

impl Signal for Employee {
    fn name(&self) -> &str {
        names::brand::EMPLOYEE.as_str()
    }
    fn family(&self) -> Family {
        Family::BrandAffinity
    }
    fn description(&self) -> &str {
        "1 if in the employee list or the bio names the brand with an employee cue, else 0"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let brand = brand_target(ctx);
        let cues = cue_target(EMPLOYEE_CUES);
        Ok((0..ctx.engine.num_accounts())
            .map(|i| {
                let node = NodeId(i as u32);
                let listed = ctx.employees.binary_search(&node).is_ok();
                let by_bio = || {
                    ctx.engine
                        .account(node)
                        .and_then(|a| a.bio.as_deref())
                        .is_some_and(|bio| bio_employee(bio, &brand, &cues))
                };
                f64::from(u8::from(listed || by_bio()))
            })
            .collect())
    }
}

/// Customer list, or first-person customer language in a brand mention.
pub struct Customer;

impl Signal for Customer {
    fn name(&self) -> &str {
        names::brand::CUSTOMER.as_str()
    }
    fn family(&self) -> Family {
        Family::BrandAffinity
    }
    /// Half a share: complainers are customers too.
    fn default_weight(&self) -> f64 {
        0.5
    }
    fn description(&self) -> &str {
        "1 if in the customer list or an organic brand mention says \"my flight\", \"I bought\"..., else 0"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let cache = ctx.brand_post_sentiment();
        let posts = ctx.engine.posts();
        let cues = cue_target(CUSTOMER_CUES);
        Ok((0..ctx.engine.num_accounts())
            .map(|i| {
                let node = NodeId(i as u32);
                let listed = ctx.customers.binary_search(&node).is_ok();
                let says = || {
                    ctx.posts_in_scope(node)
                        .any(|p| cache[p].is_some() && !cues.mentions(&posts[p].text).is_empty())
                };
                f64::from(u8::from(listed || says()))
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portevoix_core::Post;

    #[test]
    fn employee_bios() {
        let brand = Target::new(["@united", "United Airlines"]);
        assert!(bio_reads_employee(
            "Proud pilot @united. Views my own",
            &brand
        ));
        assert!(bio_reads_employee(
            "Flight Attendant for United Airlines",
            &brand
        ));
        assert!(!bio_reads_employee("Frequent flyer, @united 1K", &brand));
        assert!(!bio_reads_employee("pilot, views my own", &brand));
        let af = Target::new(["@AirFrance", "Air France"]);
        assert!(bio_reads_employee("Je bosse chez @AirFrance", &af));
        assert!(bio_reads_employee(
            "Ingénieur, chez Air France depuis 2010",
            &af
        ));
        assert!(bio_reads_employee("Salariée d'Air France", &af));
        assert!(!bio_reads_employee("Fan d'Air France", &af));
        assert!(!prefixed("bonchez Air France", &(8..18)));
        assert!(prefixed("dev @ Air France", &(6..16)));
    }

    #[test]
    fn customer_cues_match_both_apostrophes() {
        let cues = cue_target(CUSTOMER_CUES);
        assert!(!cues.mentions("J’ai acheté un billet").is_empty());
        assert!(!cues.mentions("@united lost MY BAG again").is_empty());
        assert!(cues.mentions("my flighty friend").is_empty());
    }

    #[test]
    fn reshares() {
        let mut p = Post {
            text: "RT @united: great".into(),
            ..Post::default()
        };
        assert!(is_reshare(&p));
        p.text = "great RT @united".into();
        assert!(!is_reshare(&p));
    }
}
