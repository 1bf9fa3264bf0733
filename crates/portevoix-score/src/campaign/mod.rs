//! Campaigns: what a brand wants to find people for.
//!
//! A [`Campaign`] holds the topic (a [`Topic`] of the text stage), the brand
//! (handles, names, keywords), the languages and time window, the objective
//! (awareness, consideration, advocacy, or the user's own weights), the
//! employee, customer and trusted-seed lists, the candidate filters, and the
//! two gates of the contextual score (a relevance floor and an authenticity
//! gate). It is written in TOML or built in code with [`Campaign::builder`].
//!
//! # The TOML format
//!
//! ```toml
//! name = "United: ambassadors and detractors"
//! languages = ["en"]
//! objective = "advocacy"             # awareness | consideration | advocacy | custom
//! from = "2015-02-16T00:00"          # time window, ISO 8601 or Unix seconds; both optional
//! to = "2015-02-25T00:00"
//! employees = ["@united_jobs"]       # @handles or account ids
//! customers = []
//! trusted_seeds = []                 # TrustRank seeds
//! tags = []                          # topic terms, e.g. ["plutus", "smart-contracts"]: Stack Exchange tags or
//!                                    # hashtags; posts carrying one and the replies below them are on topic
//! relevance_floor = 0.1              # percentile of relevance below which the contextual score is 0
//! authenticity_gate = 0.5            # authenticity below which the contextual score is 0
//!
//! [brand]
//! name = "United"
//! handles = ["@united"]
//! names = ["United Airlines"]
//! keywords = ["#flyunited"]
//! stance_engine = "model"            # model (default) | vader | encoder (cargo feature `encoder`)
//! stance_examples = "united-stance.csv"  # optional: labelled posts (text, label) that adapt the model
//! # encoder = "models/minilm"        # with stance_engine = "encoder": the model directory
//! #                                  # (scripts/fetch-encoder.sh DIR), relative to the campaign file
//!
//! [candidates]
//! min_posts = 1
//! min_followers = 0
//! max_followers = 100000000
//! exclude = ["@americanair"]
//!
//! # With objective = "custom" every weight must be given; with a preset,
//! # weights given here replace the preset's (in any order).
//! [weights]
//! trust = 0.3
//!
//! # The topic, with the keys of a topic file (docs/topic-format.md).
//! [topic]
//! name = "air travel"
//! [topic.keywords]
//! flight = 1.0
//! luggage = 2.0
//! ```

mod pseudonymize;
mod toml;

pub mod options;
pub mod stance;

pub use crate::objective::{Objective, WeightOverrides, Weights};
pub use options::{ClassifyOptions, Normalisation, Scale};
pub use stance::{AdaptedModel, LoadedEncoder, StanceEngine};

use crate::names::Family;
use portevoix_core::{Error, Timestamp};
use portevoix_text::analysis::Language;
use portevoix_text::topic::Topic;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The brand of a campaign: how people refer to it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    /// A name for reports.
    #[serde(default)]
    pub name: String,
    /// Its accounts, as `@handle` or account id.
    #[serde(default)]
    pub handles: Vec<String>,
    /// Names in text ("United Airlines"), matched case-insensitively on word
    /// boundaries.
    #[serde(default)]
    pub names: Vec<String>,
    /// Other words or hashtags that name it (`#flyunited`).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// How the stance of a brand mention is judged: the learned model
    /// (default), VADER, or the sentence encoder (feature `encoder`).
    #[serde(default)]
    pub stance_engine: StanceEngine,
    /// With `stance_engine = "encoder"`: the encoder's model directory
    /// (`scripts/fetch-encoder.sh DIR`), a path as written, relative to the
    /// campaign file, read by the caller (`Campaign::set_stance_encoder`,
    /// feature `encoder`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoder: Option<String>,
    /// The encoder of `encoder`, once `Campaign::set_stance_encoder` has
    /// set it.
    #[serde(skip)]
    pub encoder_engine: Option<LoadedEncoder>,
    /// A CSV of the campaign's own labelled posts (text and stance toward
    /// the brand) that adapt the model ([`Campaign::adapt_stance`]); a path
    /// as written, relative to the campaign file, read by the caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stance_examples: Option<String>,
    /// Text column of `stance_examples` (`text`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stance_text_column: Option<String>,
    /// Label column of `stance_examples` (`label`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stance_label_column: Option<String>,
    /// The model adapted to `stance_examples`, once
    /// [`Campaign::adapt_stance`] has read them.
    #[serde(skip)]
    pub adapted: Option<AdaptedModel>,
}

impl Brand {
    /// Every alias (handles, names, keywords), for target sentiment.
    pub fn aliases(&self) -> Vec<&str> {
        self.handles
            .iter()
            .chain(&self.names)
            .chain(&self.keywords)
            .map(String::as_str)
            .collect()
    }

    /// Whether the brand has no alias at all.
    pub fn is_empty(&self) -> bool {
        self.handles.is_empty() && self.names.is_empty() && self.keywords.is_empty()
    }
}

/// Which accounts may be ranked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CandidateFilter {
    /// Minimum posts in the window and languages.
    #[serde(default)]
    pub min_posts: u32,
    /// Minimum audience (declared followers, else follow in-degree).
    #[serde(default)]
    pub min_followers: Option<u64>,
    /// Maximum audience.
    #[serde(default)]
    pub max_followers: Option<u64>,
    /// Accounts never ranked (`@handle` or id): competitors, the brand's own.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Rank the brand's own accounts too (off by default).
    #[serde(default)]
    pub include_brand_accounts: bool,
}

/// No filter: every account with a post may be ranked.
impl Default for CandidateFilter {
    fn default() -> CandidateFilter {
        CandidateFilter {
            min_posts: 0,
            min_followers: None,
            max_followers: None,
            exclude: Vec::new(),
            include_brand_accounts: false,
        }
    }
}

/// A campaign: topic, brand, languages, window, objective, lists, filters.
///
/// # Example
///
/// ```
/// use portevoix_score::campaign::{Campaign, Objective};
/// use portevoix_score::names::Family;
/// use portevoix_text::topic::Topic;
///
/// // The weight given stays, whatever the order of the calls.
/// let campaign = Campaign::builder("United advocates")
///     .topic(Topic::new("air travel").with_keyword("flight", 1.0))
///     .brand_handle("@united")
///     .brand_name("United Airlines")
///     .weight(Family::Trust, 0.5)
///     .objective(Objective::Advocacy)
///     .build()
///     .unwrap();
/// assert_eq!(campaign.weights().brand_affinity, 0.30);
/// assert_eq!(campaign.weights().trust, 0.5);
/// assert_eq!(campaign.brand.aliases(), ["@united", "United Airlines"]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Campaign {
    /// A name for reports.
    pub name: String,
    /// What the campaign is about.
    pub topic: Topic,
    /// Topic terms attached to posts (Stack Exchange tags, hashtags),
    /// normalised by [`normalise_tag`]: a post carrying one is on topic,
    /// and so are the answers and comments below it.
    pub tags: Vec<String>,
    /// The brand.
    pub brand: Brand,
    /// Languages of the posts counted; empty: every language.
    pub languages: Vec<Language>,
    /// Posts in `[from, to)` count; `None`: all.
    pub window: Option<(Timestamp, Timestamp)>,
    /// The objective; its preset gives the family weights not overridden.
    pub objective: Objective,
    /// Family weights given explicitly (TOML `[weights]`): they override
    /// the objective's preset ([`Campaign::weights`]).
    pub weight_overrides: WeightOverrides,
    /// Employees and collaborators (`@handle` or id).
    pub employees: Vec<String>,
    /// Known customers and users.
    pub customers: Vec<String>,
    /// Trusted seed accounts for TrustRank.
    pub trusted_seeds: Vec<String>,
    /// Which accounts may be ranked.
    pub candidates: CandidateFilter,
    /// Relevance percentile (0 to 1) below which the contextual score is 0.
    pub relevance_floor: f64,
    /// Authenticity (0 to 1) below which the contextual score is 0.
    pub authenticity_gate: f64,
    /// The group signal values are compared within: the pool, or
    /// communities of a minimum size.
    pub normalisation: Normalisation,
    /// How signal values become [0, 1]: log-ranks (default) or percentiles.
    pub scale: Scale,
    /// Overrides of signals' shares inside their family, by signal name
    /// (`"reach.audience" = 0.5`; 0 keeps a signal out of the score).
    pub signal_weights: BTreeMap<String, f64>,
    /// Classification thresholds.
    pub classification: ClassifyOptions,
}

impl Campaign {
    /// A builder with the defaults: objective consideration, no brand, no
    /// window, relevance floor 0, authenticity gate 0.5.
    pub fn builder(name: &str) -> CampaignBuilder {
        CampaignBuilder {
            campaign: Campaign {
                name: name.to_string(),
                topic: Topic::new(name),
                tags: Vec::new(),
                brand: Brand::default(),
                languages: Vec::new(),
                window: None,
                objective: Objective::Consideration,
                weight_overrides: WeightOverrides::default(),
                employees: Vec::new(),
                customers: Vec::new(),
                trusted_seeds: Vec::new(),
                candidates: CandidateFilter::default(),
                relevance_floor: 0.0,
                authenticity_gate: 0.5,
                normalisation: Normalisation::Pool,
                scale: Scale::LogRank,
                signal_weights: BTreeMap::new(),
                classification: ClassifyOptions::default(),
            },
            has_topic: false,
        }
    }

    /// The family weights: the objective's preset with the overrides on
    /// top (a missing weight of a custom objective counts 0, which
    /// [`Campaign::validate`] refuses).
    pub fn weights(&self) -> Weights {
        let preset = self.objective.preset();
        let o = &self.weight_overrides;
        Weights {
            reach: o.reach.unwrap_or(preset.reach),
            resonance: o.resonance.unwrap_or(preset.resonance),
            relevance: o.relevance.unwrap_or(preset.relevance),
            trust: o.trust.unwrap_or(preset.trust),
            brand_affinity: o.brand_affinity.unwrap_or(preset.brand_affinity),
        }
    }

    /// The same campaign under another objective's preset weights, without
    /// the explicit overrides (for comparing objectives on one campaign).
    pub fn with_objective(&self, objective: Objective) -> Campaign {
        Campaign {
            objective,
            weight_overrides: WeightOverrides::default(),
            ..self.clone()
        }
    }

    /// Checks the whole campaign: a topic with keywords or a brand to look
    /// for, valid weights, gates in [0, 1], a non-empty window, a filter whose
    /// minimum is not above its maximum.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] with the key at fault (`relevance_floor`, `from`,
    /// `candidates.min_followers`, `weights.trust`, ...) and no location (a
    /// campaign read from TOML has its errors located by
    /// [`Campaign::from_toml_str`]).
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |key: &str, m: String| {
            Err(Error::config(
                Some(key),
                None,
                format!("campaign {:?}: {m}", self.name),
            ))
        };
        if self.topic.keywords.is_empty()
            && self.topic.examples.is_empty()
            && self.brand.is_empty()
            && self.tags.is_empty()
        {
            return bad(
                "brand",
                "it has no topic keywords, no tags and no brand: nothing to look for".into(),
            );
        }
        if let Some(t) = self.tags.iter().find(|t| t.is_empty()) {
            return bad("tags", format!("a tag is empty ({t:?})"));
        }
        if !(self.topic.keywords.is_empty() && self.topic.examples.is_empty()) {
            self.topic.validate().map_err(|e| match e {
                Error::Config {
                    key: Some(key),
                    location,
                    reason,
                } => Error::Config {
                    key: Some(format!("topic.{key}")),
                    location,
                    reason,
                },
                other => other,
            })?;
        }
        if self.objective == Objective::Custom {
            self.weight_overrides.apply(self.objective)?;
        }
        self.weights().validate()?;
        for (name, v) in [
            ("relevance_floor", self.relevance_floor),
            ("authenticity_gate", self.authenticity_gate),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return bad(name, format!("{name} is {v}; it must be in [0, 1]"));
            }
        }
        if let Some((from, to)) = self.window {
            if from >= to {
                return bad(
                    "from",
                    format!(
                        "the window [{}, {}) is empty",
                        from.to_iso8601(),
                        to.to_iso8601()
                    ),
                );
            }
        }
        if self.brand.stance_engine == StanceEngine::Encoder {
            if !cfg!(feature = "encoder") {
                return Err(stance::encoder_feature_missing());
            }
            if self.brand.encoder.is_none() && self.brand.encoder_engine.is_none() {
                return bad(
                    "brand.encoder",
                    "stance_engine = \"encoder\" needs encoder = \"DIR\" in [brand]: the model directory (scripts/fetch-encoder.sh DIR), relative to the campaign file".into(),
                );
            }
            if self.brand.stance_examples.is_some() {
                return bad(
                    "brand.stance_examples",
                    "stance_examples adapt the model engine; the encoder engine does not use them (use stance_engine = \"model\" with them)".into(),
                );
            }
        }
        if let (Some(lo), Some(hi)) = (self.candidates.min_followers, self.candidates.max_followers)
        {
            if lo > hi {
                return bad(
                    "candidates.min_followers",
                    format!("candidates: min_followers {lo} > max_followers {hi}"),
                );
            }
        }
        Ok(())
    }

    /// Reads a campaign from TOML (format in the [module docs](self)).
    ///
    /// # Arguments
    ///
    /// * `text`: the TOML document.
    /// * `source`: the file name, used in error locations.
    ///
    /// # Errors
    ///
    /// [`Error::Input`] with file, line and column for syntax errors, unknown
    /// keys and wrong types; with file and line for bad values (an unknown
    /// language, a time that does not parse, `objective = "custom"` without
    /// every weight, gates outside [0, 1]).
    ///
    /// # Example
    ///
    /// ```
    /// use portevoix_score::campaign::{Campaign, Objective};
    ///
    /// let c = Campaign::from_toml_str(
    ///     "name = \"x\"\nobjective = \"awareness\"\n[brand]\nhandles = [\"@united\"]\n",
    ///     "x.toml",
    /// )
    /// .unwrap();
    /// assert_eq!(c.objective, Objective::Awareness);
    /// let e = Campaign::from_toml_str("objective = \"fame\"\n", "y.toml").unwrap_err();
    /// assert!(e.to_string().starts_with("y.toml:1"), "{e}");
    /// ```
    pub fn from_toml_str(text: &str, source: &str) -> Result<Campaign, Error> {
        toml::read(text, source)
    }
}

/// A tag as campaigns and posts are compared: trimmed, without a leading
/// `#` or the dump's `<`/`>`, lower-cased (Stack Exchange tags are
/// lower-case; hashtags are not case-sensitive).
///
/// ```
/// use portevoix_score::campaign::normalise_tag;
/// assert_eq!(normalise_tag(" <Plutus> "), "plutus");
/// assert_eq!(normalise_tag("#Cardano"), "cardano");
/// ```
pub fn normalise_tag(tag: &str) -> String {
    tag.trim()
        .trim_start_matches('#')
        .trim_matches(['<', '>'])
        .trim()
        .to_lowercase()
}

/// Builds a [`Campaign`] in code; [`CampaignBuilder::build`] validates it.
#[derive(Debug, Clone)]
pub struct CampaignBuilder {
    campaign: Campaign,
    has_topic: bool,
}

impl CampaignBuilder {
    /// The topic.
    pub fn topic(mut self, topic: Topic) -> Self {
        self.campaign.topic = topic;
        self.has_topic = true;
        self
    }

    /// Adds a topic tag (normalised by [`normalise_tag`]; duplicates are
    /// kept once).
    pub fn tag(mut self, tag: &str) -> Self {
        let tag = normalise_tag(tag);
        if !self.campaign.tags.contains(&tag) {
            self.campaign.tags.push(tag);
        }
        self
    }

    /// Sets the whole brand (handles, names, keywords).
    pub fn brand(mut self, brand: Brand) -> Self {
        self.campaign.brand = brand;
        self
    }

    /// Sets the explicit family weights (TOML `[weights]`).
    pub fn weight_overrides(mut self, overrides: WeightOverrides) -> Self {
        self.campaign.weight_overrides = overrides;
        self
    }

    /// Adds a brand account (`@handle` or id).
    pub fn brand_handle(mut self, handle: &str) -> Self {
        self.campaign.brand.handles.push(handle.to_string());
        self
    }

    /// Adds a brand name as written in posts.
    pub fn brand_name(mut self, name: &str) -> Self {
        if self.campaign.brand.name.is_empty() {
            self.campaign.brand.name = name.to_string();
        }
        self.campaign.brand.names.push(name.to_string());
        self
    }

    /// Adds a brand keyword or hashtag.
    pub fn brand_keyword(mut self, keyword: &str) -> Self {
        self.campaign.brand.keywords.push(keyword.to_string());
        self
    }

    /// Restricts the campaign to these languages.
    pub fn languages(mut self, languages: &[Language]) -> Self {
        self.campaign.languages = languages.to_vec();
        self
    }

    /// Counts only posts in `[from, to)`.
    pub fn window(mut self, from: Timestamp, to: Timestamp) -> Self {
        self.campaign.window = Some((from, to));
        self
    }

    /// Sets the objective: its preset gives the family weights not set
    /// with [`CampaignBuilder::weights`] or [`CampaignBuilder::weight`],
    /// whichever is called first.
    pub fn objective(mut self, objective: Objective) -> Self {
        self.campaign.objective = objective;
        self
    }

    /// Sets every family weight (they override the objective's preset,
    /// whatever the order of the calls).
    pub fn weights(mut self, weights: Weights) -> Self {
        self.campaign.weight_overrides = WeightOverrides::all(weights);
        self
    }

    /// Sets one family's weight (it overrides the objective's preset).
    pub fn weight(mut self, family: Family, weight: f64) -> Self {
        self.campaign.weight_overrides.set(family, weight);
        self
    }

    /// Adds an employee or collaborator.
    pub fn employee(mut self, account: &str) -> Self {
        self.campaign.employees.push(account.to_string());
        self
    }

    /// Adds a known customer.
    pub fn customer(mut self, account: &str) -> Self {
        self.campaign.customers.push(account.to_string());
        self
    }

    /// Adds a trusted seed account.
    pub fn trusted_seed(mut self, account: &str) -> Self {
        self.campaign.trusted_seeds.push(account.to_string());
        self
    }

    /// Sets the candidate filter.
    pub fn candidates(mut self, filter: CandidateFilter) -> Self {
        self.campaign.candidates = filter;
        self
    }

    /// Sets the relevance floor (a percentile in [0, 1]).
    pub fn relevance_floor(mut self, floor: f64) -> Self {
        self.campaign.relevance_floor = floor;
        self
    }

    /// Sets the group signal values are compared within: the pool, or
    /// communities of at least a minimum size.
    pub fn normalisation(mut self, normalisation: Normalisation) -> Self {
        self.campaign.normalisation = normalisation;
        self
    }

    /// Sets how signal values become [0, 1] (percentiles or log-ranks).
    pub fn scale(mut self, scale: Scale) -> Self {
        self.campaign.scale = scale;
        self
    }

    /// Overrides one signal's share inside its family (0 removes it from
    /// the score).
    pub fn signal_weight(mut self, signal: &str, weight: f64) -> Self {
        self.campaign
            .signal_weights
            .insert(signal.to_string(), weight);
        self
    }

    /// Sets the classification thresholds.
    pub fn classification(mut self, options: ClassifyOptions) -> Self {
        self.campaign.classification = options;
        self
    }

    /// Sets the authenticity gate (in [0, 1]).
    pub fn authenticity_gate(mut self, gate: f64) -> Self {
        self.campaign.authenticity_gate = gate;
        self
    }

    /// Validates and returns the campaign. Without a topic of its own, the
    /// campaign's topic is the brand: its names and keywords as keywords of
    /// weight 1, so that "who talks about us" is a topic too.
    ///
    /// # Errors
    ///
    /// See [`Campaign::validate`].
    pub fn build(mut self) -> Result<Campaign, Error> {
        if !self.has_topic && self.campaign.topic.keywords.is_empty() {
            let mut topic = Topic::new(&self.campaign.name);
            for alias in self
                .campaign
                .brand
                .names
                .iter()
                .chain(&self.campaign.brand.keywords)
                .chain(&self.campaign.brand.handles)
            {
                topic = topic.with_keyword(alias, 1.0);
            }
            self.campaign.topic = topic;
        }
        if self.campaign.topic.languages.is_empty() {
            self.campaign.topic.languages = self.campaign.languages.clone();
        }
        self.campaign.validate()?;
        Ok(self.campaign)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r##"
name = "United: ambassadors and detractors"
languages = ["en"]
objective = "advocacy"
from = "2015-02-16T00:00"
to = 1424822400
employees = ["@united_jobs"]
customers = ["@frequentflyer"]
trusted_seeds = ["@faa"]
relevance_floor = 0.1
authenticity_gate = 0.4

[brand]
name = "United"
handles = ["@united"]
names = ["United Airlines"]
keywords = ["#flyunited"]

[candidates]
min_posts = 2
exclude = ["@americanair"]

[weights]
trust = 0.5

[topic]
[topic.keywords]
flight = 1.0
luggage = 2.0
"##;

    #[test]
    fn full_file_reads_every_field() {
        let c = Campaign::from_toml_str(FULL, "united.toml").unwrap();
        assert_eq!(c.name, "United: ambassadors and detractors");
        assert_eq!(c.languages, vec![Language::English]);
        assert_eq!(c.topic.languages, vec![Language::English]);
        assert_eq!(c.objective, Objective::Advocacy);
        assert_eq!(c.weights().trust, 0.5);
        assert_eq!(c.weights().brand_affinity, 0.30, "the rest from the preset");
        let (from, to) = c.window.unwrap();
        assert_eq!(from, Timestamp::parse("2015-02-16T00:00").unwrap());
        assert_eq!(to, Timestamp::from_secs(1_424_822_400));
        assert_eq!(
            c.brand.aliases(),
            ["@united", "United Airlines", "#flyunited"]
        );
        assert_eq!(c.employees, ["@united_jobs"]);
        assert_eq!(c.customers, ["@frequentflyer"]);
        assert_eq!(c.trusted_seeds, ["@faa"]);
        assert_eq!(c.candidates.min_posts, 2);
        assert_eq!(c.candidates.exclude, ["@americanair"]);
        assert_eq!(c.relevance_floor, 0.1);
        assert_eq!(c.authenticity_gate, 0.4);
        assert_eq!(c.topic.keywords.len(), 2);
        assert_eq!(c.topic.name, c.name);
    }

    #[test]
    fn a_brand_alone_makes_the_topic() {
        let c = Campaign::from_toml_str(
            "name = \"b\"\n[brand]\nhandles = [\"@united\"]\nnames = [\"United Airlines\"]\n",
            "b.toml",
        )
        .unwrap();
        let words: Vec<&str> = c.topic.keywords.iter().map(|k| k.text.as_str()).collect();
        assert_eq!(words, ["United Airlines", "@united"]);
        assert_eq!(c.objective, Objective::Consideration);
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let cases = [
            (
                "objective = \"fame\"\n[brand]\nhandles = [\"@a\"]\n",
                "e.toml:1",
            ),
            ("[brand]\nhandles = [\"@a\"]\nsurprise = 1\n", "e.toml:3"),
            (
                "languages = [\"xx\"]\n[brand]\nhandles = [\"@a\"]\n",
                "e.toml:1",
            ),
            (
                "from = \"yesterday\"\n[brand]\nhandles = [\"@a\"]\n",
                "e.toml:1",
            ),
            (
                "objective = \"custom\"\n[brand]\nhandles = [\"@a\"]\n[weights]\nreach = 1\n",
                "e.toml:4",
            ),
            (
                "authenticity_gate = 2\n[brand]\nhandles = [\"@a\"]\n",
                "e.toml:1",
            ),
            (
                "from = 10\nto = 5\n[brand]\nhandles = [\"@a\"]\n",
                "e.toml:1",
            ),
            ("name = \"empty\"\n", "nothing to look for"),
            (
                "[brand]\nhandles = [\"@a\"]\n[topic.keywords]\nflight = -1\n",
                "e.toml:4",
            ),
        ];
        for (text, want) in cases {
            let e = Campaign::from_toml_str(text, "e.toml")
                .unwrap_err()
                .to_string();
            assert!(e.contains(want), "{text:?}: {e}");
        }
    }

    /// Errors point at the key's place from the TOML parser's spans, not
    /// at the first line whose text contains the key's name.
    #[test]
    fn errors_point_at_the_key_even_when_a_value_contains_its_name() {
        let text = "name = \"Fans from Lyon\"\nfrom = \"yesterday\"\n[brand]\nhandles = [\"@a\"]\n";
        let e = Campaign::from_toml_str(text, "lyon.toml").unwrap_err();
        assert!(e.to_string().starts_with("lyon.toml:2:1: "), "{e}");
        let text = "name = \"the relevance_floor fans\"\n[brand]\nhandles = [\"@a\"]\n\
                    [candidates]\nmin_followers = 10\nmax_followers = 5\n";
        let e = Campaign::from_toml_str(text, "c.toml").unwrap_err();
        assert!(e.to_string().starts_with("c.toml:5:1: "), "{e}");
        let Error::Config { key, location, .. } = e else {
            panic!("a configuration error")
        };
        assert_eq!(key.as_deref(), Some("candidates.min_followers"));
        assert_eq!(location.map(|l| (l.line, l.column)), Some((5, Some(1))));
        let text = "languages = [\"en\", \"xx\"]\n[brand]\nhandles = [\"@a\"]\n";
        let e = Campaign::from_toml_str(text, "l.toml").unwrap_err();
        assert!(e.to_string().starts_with("l.toml:1:20: "), "{e}");
        let text = "[brand]\nhandles = [\"@a\"]\n[signal_weights]\n\"reach.audience\" = -1\n";
        let Error::Config { key, location, .. } =
            Campaign::from_toml_str(text, "s.toml").unwrap_err()
        else {
            panic!("a configuration error")
        };
        assert_eq!(key.as_deref(), Some("signal_weights.\"reach.audience\""));
        assert_eq!(location.map(|l| l.line), Some(4));
    }

    /// A campaign built in code reports the key, without a location.
    #[test]
    fn builder_errors_name_the_key() {
        let e = Campaign::builder("x")
            .brand_handle("@a")
            .relevance_floor(3.0)
            .build()
            .unwrap_err();
        assert_eq!(e.kind(), portevoix_core::ErrorKind::Config);
        let Error::Config { key, location, .. } = e else {
            panic!()
        };
        assert_eq!(key.as_deref(), Some("relevance_floor"));
        assert!(location.is_none());
    }

    #[test]
    fn custom_weights_need_all_five() {
        let text = "objective = \"custom\"\n[brand]\nhandles = [\"@a\"]\n[weights]\nreach = 1\n\
                    resonance = 0\nrelevance = 0\ntrust = 0\nbrand_affinity = 0\n";
        let c = Campaign::from_toml_str(text, "c.toml").unwrap();
        assert_eq!(c.weights().reach, 1.0);
        let zero = text.replace("reach = 1", "reach = 0");
        assert!(Campaign::from_toml_str(&zero, "c.toml").is_err());
    }
}
