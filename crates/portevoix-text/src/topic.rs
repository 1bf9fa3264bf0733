//! Campaign topics: weighted keywords, exact phrases, exclusions and example
//! texts, in one or more languages.
//!
//! A [`Topic`] is what a campaign is about. It is written by a person, in a
//! TOML file or in code, and compiled by [`crate::corpus::Corpus::relevance`]
//! with the same [`Analyzer`](crate::analysis::Analyzer) as the posts, once
//! per language, so that `influence`, `influencer` and `#Influence` meet on the
//! same stem in English, and `l'influence` on `influenc` in French.
//!
//! # The TOML format
//!
//! ```toml
//! name = "Higgs boson discovery"
//! # ISO 639-1 codes; posts in other languages are not counted. Empty: any language.
//! languages = ["en", "fr"]
//! # A post is on topic when the weights of the distinct keywords it contains add up to this.
//! on_topic_threshold = 2.0
//! # Recency: an on-topic post counts 1 when it is new, 1/2 after this many days.
//! half_life_days = 3.0
//! # A post containing any of these is off topic, whatever else it says.
//! exclude = ["higgs domino", "jackie higgs"]
//! # Example texts: their most frequent terms join the keywords, with weights up to `example_weight`.
//! examples = ["CERN physicists announce the discovery of a new particle consistent with the Higgs boson."]
//! example_weight = 0.5
//! example_terms = 10
//!
//! # Keywords in every language of the topic. Several words make an exact phrase.
//! [keywords]
//! higgs = 3.0
//! boson = 2.0
//! cern = 1.5
//! "#higgs" = 3.0
//! "particle physics" = 2.0
//!
//! # Keywords for one language only.
//! [keywords_by_language.fr]
//! "physique des particules" = 2.0
//! ```
//!
//! Every field but `keywords` may be left out. A keyword's weight must be a
//! finite number greater than zero. As everywhere in TOML, top-level keys come
//! before the first `[table]` header: a key written after `[keywords]`
//! belongs to that table.

use crate::analysis::Language;
use crate::toml_spans::{self, Key};
use portevoix_core::Error;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A weighted keyword or exact phrase of a [`Topic`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Keyword {
    /// The words as the user wrote them: one word, a `#hashtag`, an
    /// `@handle`, or several words that must appear in this order.
    pub text: String,
    /// How much a match counts, greater than zero.
    pub weight: f64,
    /// The only language this keyword is compiled for; `None`: every language
    /// of the topic.
    pub language: Option<Language>,
}

/// What a campaign is about: keywords, phrases, exclusions and examples.
///
/// Build it in code with [`Topic::new`] and the `with_*` methods, or read it
/// from TOML with [`Topic::from_toml_str`] (format in the [module
/// docs](self)).
///
/// # Example
///
/// ```
/// use portevoix_text::analysis::Language;
/// use portevoix_text::topic::Topic;
///
/// let topic = Topic::new("Higgs")
///     .with_keyword("higgs", 3.0)
///     .with_keyword("particle physics", 2.0)
///     .with_exclusion("higgs domino")
///     .with_languages(&[Language::English]);
/// assert_eq!(topic.keywords.len(), 2);
/// assert!(topic.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    /// A name for reports.
    pub name: String,
    /// Languages the campaign targets; posts in other languages are not
    /// counted. Empty: every language.
    pub languages: Vec<Language>,
    /// Weighted keywords and phrases.
    pub keywords: Vec<Keyword>,
    /// Words or phrases that make a post off topic.
    pub exclusions: Vec<String>,
    /// Example texts whose characteristic terms (highest frequency × idf over
    /// the corpus) join the keywords.
    pub examples: Vec<String>,
    /// Weight given to the most frequent example term; the others get a
    /// share in proportion to their frequency.
    pub example_weight: f64,
    /// How many terms each language takes from the examples.
    pub example_terms: usize,
    /// A post is on topic when the weights of the distinct keywords it
    /// contains add up to at least this, and it contains no exclusion.
    pub on_topic_threshold: f64,
    /// Half-life of the recency signal, in days.
    pub half_life_days: f64,
}

/// Defaults of the optional fields: a post is on topic with one keyword of
/// weight 1, recency halves every 7 days, examples add up to 10 terms of
/// weight at most 0.5.
impl Default for Topic {
    fn default() -> Topic {
        Topic {
            name: String::new(),
            languages: Vec::new(),
            keywords: Vec::new(),
            exclusions: Vec::new(),
            examples: Vec::new(),
            example_weight: 0.5,
            example_terms: 10,
            on_topic_threshold: 1.0,
            half_life_days: 7.0,
        }
    }
}

/// A topic as written in TOML, before its checks; [`Topic::from_spec_at`] turns
/// it into a [`Topic`]. Public so that documents embedding a topic (a
/// campaign file's `[topic]` table) read it with the same rules.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)] // the fields are the TOML keys documented in the module docs
pub struct TopicSpec {
    pub name: Option<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub keywords: BTreeMap<String, f64>,
    #[serde(default)]
    pub keywords_by_language: BTreeMap<String, BTreeMap<String, f64>>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub examples: Vec<String>,
    pub example_weight: Option<f64>,
    pub example_terms: Option<usize>,
    pub on_topic_threshold: Option<f64>,
    pub half_life_days: Option<f64>,
}

impl Topic {
    /// An empty topic named `name`, with the default threshold and half-life.
    pub fn new(name: &str) -> Topic {
        Topic {
            name: name.to_string(),
            ..Topic::default()
        }
    }

    /// Adds a keyword or phrase for every language of the topic.
    pub fn with_keyword(mut self, text: &str, weight: f64) -> Topic {
        self.keywords.push(Keyword {
            text: text.to_string(),
            weight,
            language: None,
        });
        self
    }

    /// Adds a keyword or phrase compiled for `language` only.
    pub fn with_keyword_in(mut self, language: Language, text: &str, weight: f64) -> Topic {
        self.keywords.push(Keyword {
            text: text.to_string(),
            weight,
            language: Some(language),
        });
        self
    }

    /// Adds a word or phrase that makes a post off topic.
    pub fn with_exclusion(mut self, text: &str) -> Topic {
        self.exclusions.push(text.to_string());
        self
    }

    /// Adds an example text.
    pub fn with_example(mut self, text: &str) -> Topic {
        self.examples.push(text.to_string());
        self
    }

    /// Restricts the topic to these languages.
    pub fn with_languages(mut self, languages: &[Language]) -> Topic {
        self.languages = languages.to_vec();
        self
    }

    /// Sets the on-topic threshold.
    pub fn with_threshold(mut self, threshold: f64) -> Topic {
        self.on_topic_threshold = threshold;
        self
    }

    /// Sets the recency half-life, in days.
    pub fn with_half_life_days(mut self, days: f64) -> Topic {
        self.half_life_days = days;
        self
    }

    /// Checks the topic: at least one keyword or example, every weight finite
    /// and greater than zero, a non-negative threshold, a positive half-life.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming the first field at fault (its `key`; no
    /// location, since a topic built in code has no file).
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |key: &str, what: String| {
            Err(Error::config(
                Some(key),
                None,
                format!("topic {:?}: {what}", self.name),
            ))
        };
        if self.keywords.is_empty() && self.examples.is_empty() {
            return bad(
                "keywords",
                "it has no keywords and no examples, so nothing can match".into(),
            );
        }
        for k in &self.keywords {
            if k.text.trim().is_empty() {
                return bad("keywords", "a keyword is empty".into());
            }
            if !(k.weight.is_finite() && k.weight > 0.0) {
                return bad(
                    "keywords",
                    format!(
                        "keyword {:?} has weight {}; weights must be finite and greater than zero",
                        k.text, k.weight
                    ),
                );
            }
        }
        if !(self.example_weight.is_finite() && self.example_weight >= 0.0) {
            return bad(
                "example_weight",
                format!("example_weight is {}", self.example_weight),
            );
        }
        if !(self.on_topic_threshold.is_finite() && self.on_topic_threshold >= 0.0) {
            return bad(
                "on_topic_threshold",
                format!(
                    "on_topic_threshold is {}; it must be a finite number >= 0",
                    self.on_topic_threshold
                ),
            );
        }
        if !(self.half_life_days.is_finite() && self.half_life_days > 0.0) {
            return bad(
                "half_life_days",
                format!(
                    "half_life_days is {}; it must be greater than zero",
                    self.half_life_days
                ),
            );
        }
        Ok(())
    }

    /// Reads a topic from TOML text (format in the [module docs](self)).
    ///
    /// # Arguments
    ///
    /// * `text`: the TOML document.
    /// * `source`: the file name, used in error locations.
    ///
    /// # Errors
    ///
    /// [`Error::Input`] with the file, line and column of a syntax error, an
    /// unknown field, an unknown language code or a bad weight.
    ///
    /// # Example
    ///
    /// ```
    /// use portevoix_text::topic::Topic;
    ///
    /// let topic = Topic::from_toml_str(
    ///     "name = \"air travel\"\nlanguages = [\"en\"]\n[keywords]\nflight = 2.0\n\"lost luggage\" = 3.0\n",
    ///     "airline.toml",
    /// )
    /// .unwrap();
    /// assert_eq!(topic.keywords.len(), 2);
    /// let err = Topic::from_toml_str("[keywords]\nflight = -1\n", "bad.toml").unwrap_err();
    /// assert!(err.to_string().starts_with("bad.toml:2"), "{err}");
    /// ```
    pub fn from_toml_str(text: &str, source: &str) -> Result<Topic, Error> {
        let file: TopicSpec =
            toml::from_str(text).map_err(|e| toml_spans::syntax_error(&e, text, source))?;
        Topic::from_spec_at(file, text, source, &[])
    }

    /// [`Topic::from_spec_at`] for a topic file (the spec is the whole
    /// document).
    ///
    /// # Errors
    ///
    /// As [`Topic::from_spec_at`].
    pub fn from_spec(file: TopicSpec, text: &str, source: &str) -> Result<Topic, Error> {
        Topic::from_spec_at(file, text, source, &[])
    }

    /// Checks a [`TopicSpec`] read from `text` (the whole document it came
    /// from, under the table `prefix`: empty for a topic file, `["topic"]`
    /// for a campaign's `[topic]`) and builds the topic.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] with the key at fault and its file, line and
    /// column: an unknown language code, a bad weight, no keywords.
    pub fn from_spec_at(
        file: TopicSpec,
        text: &str,
        source: &str,
        prefix: &[Key<'_>],
    ) -> Result<Topic, Error> {
        let at = |path: &[Key<'_>], reason: String| {
            let full: Vec<Key<'_>> = prefix.iter().chain(path).copied().collect();
            toml_spans::config_error(text, source, &full, reason)
        };
        let language = |code: &str, path: &[Key<'_>]| {
            Language::from_code(code).ok_or_else(|| {
                at(
                    path,
                    format!(
                        "unknown language {code:?}; use an ISO 639-1 code such as \"en\" or \"fr\""
                    ),
                )
            })
        };
        let mut topic = Topic::new(file.name.as_deref().unwrap_or(source));
        for (i, code) in file.languages.iter().enumerate() {
            let l = language(code, &[Key::Name("languages"), Key::Index(i)])?;
            if !topic.languages.contains(&l) {
                topic.languages.push(l);
            }
        }
        let mut bad_weight = None;
        for (text_, weight) in &file.keywords {
            if bad_weight.is_none() && !(weight.is_finite() && *weight > 0.0) {
                bad_weight = Some((None, text_.as_str(), *weight));
            }
            topic.keywords.push(Keyword {
                text: text_.clone(),
                weight: *weight,
                language: None,
            });
        }
        for (code, words) in &file.keywords_by_language {
            let l = language(code, &[Key::Name("keywords_by_language"), Key::Name(code)])?;
            for (text_, weight) in words {
                if bad_weight.is_none() && !(weight.is_finite() && *weight > 0.0) {
                    bad_weight = Some((Some(code.as_str()), text_.as_str(), *weight));
                }
                topic.keywords.push(Keyword {
                    text: text_.clone(),
                    weight: *weight,
                    language: Some(l),
                });
            }
        }
        if let Some((code, word, weight)) = bad_weight {
            let path: Vec<Key<'_>> = match code {
                None => vec![Key::Name("keywords"), Key::Name(word)],
                Some(c) => vec![
                    Key::Name("keywords_by_language"),
                    Key::Name(c),
                    Key::Name(word),
                ],
            };
            return Err(at(
                &path,
                format!(
                    "keyword {word:?} has weight {weight}; weights must be finite and greater than zero"
                ),
            ));
        }
        topic.exclusions = file.exclude;
        topic.examples = file.examples;
        if let Some(w) = file.example_weight {
            topic.example_weight = w;
        }
        if let Some(n) = file.example_terms {
            topic.example_terms = n;
        }
        if let Some(t) = file.on_topic_threshold {
            topic.on_topic_threshold = t;
        }
        if let Some(h) = file.half_life_days {
            topic.half_life_days = h;
        }
        topic.validate().map_err(|e| match e {
            Error::Config {
                key: Some(key),
                reason,
                ..
            } => at(&[Key::Name(&key)], reason),
            other => other,
        })?;
        Ok(topic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r##"
name = "Higgs boson discovery"
languages = ["en", "fr"]
on_topic_threshold = 2.0
half_life_days = 3.0
exclude = ["higgs domino"]
examples = ["CERN physicists announce a new particle."]
example_weight = 0.25
example_terms = 5

[keywords]
higgs = 3.0
boson = 2.0
"#higgs" = 3.0
"particle physics" = 2.0

[keywords_by_language.fr]
"physique des particules" = 2.0
"##;

    #[test]
    fn full_file_reads_every_field() {
        let topic = Topic::from_toml_str(FULL, "t.toml").unwrap();
        assert_eq!(topic.name, "Higgs boson discovery");
        assert_eq!(topic.languages, vec![Language::English, Language::French]);
        assert_eq!(topic.keywords.len(), 5);
        let fr: Vec<_> = topic
            .keywords
            .iter()
            .filter(|k| k.language == Some(Language::French))
            .collect();
        assert_eq!(fr.len(), 1);
        assert_eq!(fr[0].text, "physique des particules");
        assert_eq!(topic.exclusions, vec!["higgs domino".to_string()]);
        assert_eq!(topic.examples.len(), 1);
        assert_eq!(topic.example_weight, 0.25);
        assert_eq!(topic.example_terms, 5);
        assert_eq!(topic.on_topic_threshold, 2.0);
        assert_eq!(topic.half_life_days, 3.0);
    }

    #[test]
    fn a_top_level_key_written_inside_a_table_is_an_error() {
        let misplaced = "[keywords]\nhiggs = 3.0\nexclude = [\"domino\"]\n";
        let e = Topic::from_toml_str(misplaced, "m.toml").unwrap_err();
        assert!(e.to_string().starts_with("m.toml:3"), "{e}");
    }

    #[test]
    fn errors_carry_file_line_and_reason() {
        let e = Topic::from_toml_str("[keywords]\nhiggs = \"three\"\n", "a.toml").unwrap_err();
        assert!(e.to_string().starts_with("a.toml:2:"), "{e}");
        let e = Topic::from_toml_str("languages = [\"xx\"]\n[keywords]\nhiggs = 1\n", "b.toml")
            .unwrap_err();
        assert!(
            e.to_string().contains("b.toml:1") && e.to_string().contains("\"xx\""),
            "{e}"
        );
        let e = Topic::from_toml_str("[keywords]\nhiggs = 1\nboson = 0\n", "c.toml").unwrap_err();
        assert!(e.to_string().starts_with("c.toml:3"), "{e}");
        let e = Topic::from_toml_str("name = \"x\"\n", "d.toml").unwrap_err();
        assert!(e.to_string().contains("no keywords"), "{e}");
        let e = Topic::from_toml_str("[keywords]\nhiggs = 1\n[surprise]\n", "e.toml").unwrap_err();
        assert!(e.to_string().contains("e.toml:"), "{e}");
        let e =
            Topic::from_toml_str("half_life_days = 0\n[keywords]\nx = 1\n", "f.toml").unwrap_err();
        assert!(e.to_string().contains("half_life_days"), "{e}");
    }
}
