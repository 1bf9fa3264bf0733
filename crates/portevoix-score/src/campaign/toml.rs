//! Reading a campaign from TOML: the file as written ([`CampaignFile`]),
//! then each key applied to a [`CampaignBuilder`], errors located at the
//! key's place by the TOML parser's spans ([`portevoix_text::toml_spans`]).
//!
//! To add a key: a field of [`CampaignFile`] (serde checks its type and
//! refuses unknown keys), a line in [`read`] that applies it, a check in
//! [`Campaign::validate`] naming the key, and its documentation in
//! `docs/campaign-format.md`.

use super::{
    Brand, Campaign, CampaignBuilder, CandidateFilter, ClassifyOptions, Normalisation, Objective,
    Scale, WeightOverrides,
};
use portevoix_core::{Error, Timestamp};
use portevoix_text::analysis::Language;
use portevoix_text::toml_spans::{self, Key};
use portevoix_text::topic::{Topic, TopicSpec};
use serde::Deserialize;
use std::collections::BTreeMap;

/// `normalisation` as written.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Within {
    Pool,
    Community,
}

/// The campaign file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CampaignFile {
    name: Option<String>,
    #[serde(default)]
    languages: Vec<String>,
    objective: Option<Objective>,
    from: Option<::toml::Value>,
    to: Option<::toml::Value>,
    #[serde(default)]
    employees: Vec<String>,
    #[serde(default)]
    customers: Vec<String>,
    #[serde(default)]
    trusted_seeds: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    relevance_floor: Option<f64>,
    authenticity_gate: Option<f64>,
    #[serde(default)]
    brand: Brand,
    #[serde(default)]
    candidates: CandidateFilter,
    weights: Option<WeightOverrides>,
    topic: Option<TopicSpec>,
    normalisation: Option<Within>,
    scale: Option<Scale>,
    community_min_size: Option<usize>,
    #[serde(default)]
    signal_weights: BTreeMap<String, f64>,
    #[serde(default)]
    classification: ClassifyOptions,
}

/// [`Campaign::from_toml_str`].
pub(super) fn read(text: &str, source: &str) -> Result<Campaign, Error> {
    let file: CampaignFile =
        ::toml::from_str(text).map_err(|e| toml_spans::syntax_error(&e, text, source))?;
    let at =
        |path: &[Key<'_>], reason: String| toml_spans::config_error(text, source, path, reason);
    let name = file.name.clone().unwrap_or_else(|| source.to_string());
    let mut b = Campaign::builder(&name);
    if let Some(mut spec) = file.topic.clone() {
        if spec.name.is_none() {
            spec.name = Some(name.clone());
        }
        if !spec.keywords.is_empty()
            || !spec.keywords_by_language.is_empty()
            || !spec.examples.is_empty()
        {
            b = b.topic(Topic::from_spec_at(
                spec,
                text,
                source,
                &[Key::Name("topic")],
            )?);
        }
    }
    let mut languages = Vec::new();
    for (i, code) in file.languages.iter().enumerate() {
        languages.push(Language::from_code(code).ok_or_else(|| {
            at(
                &[Key::Name("languages"), Key::Index(i)],
                format!("unknown language {code:?}; use an ISO 639-1 code"),
            )
        })?);
    }
    b = b.languages(&languages);
    let time = |key: &'static str, v: &::toml::Value| -> Result<Timestamp, Error> {
        let parsed = match v {
            ::toml::Value::String(s) => Timestamp::parse(s),
            ::toml::Value::Integer(i) => Some(Timestamp::from_secs(*i)),
            ::toml::Value::Datetime(d) => Timestamp::parse(&d.to_string()),
            _ => None,
        };
        parsed.ok_or_else(|| {
            at(
                &[Key::Name(key)],
                format!("{key}: {v} is not a time (ISO 8601 or Unix seconds)"),
            )
        })
    };
    let from = file.from.as_ref().map(|v| time("from", v)).transpose()?;
    let to = file.to.as_ref().map(|v| time("to", v)).transpose()?;
    if from.is_some() || to.is_some() {
        b = b.window(
            from.unwrap_or(Timestamp(i64::MIN)),
            to.unwrap_or(Timestamp(i64::MAX)),
        );
    }
    let objective = file.objective.unwrap_or(Objective::Consideration);
    b = b.objective(objective);
    match file.weights {
        Some(w) => {
            if let Err(e) = w.apply(objective) {
                return Err(at(&[Key::Name("weights")], e.reason()));
            }
            b = b.weight_overrides(w);
        }
        None if objective == Objective::Custom => {
            return Err(at(
                &[Key::Name("objective")],
                "objective \"custom\" needs a [weights] table with every weight".into(),
            ));
        }
        None => {}
    }
    b = apply_lists_and_gates(b, &file);
    for (name, w) in &file.signal_weights {
        if !(w.is_finite() && *w >= 0.0) {
            return Err(at(
                &[Key::Name("signal_weights"), Key::Name(name)],
                format!("signal weight {name} is {w}; it must be finite and >= 0"),
            ));
        }
        b = b.signal_weight(name, *w);
    }
    b.build().map_err(|e| locate(e, text, source))
}

/// The brand, the lists, the filter, the gates, the scale, the
/// normalisation and the classification thresholds of `file`.
fn apply_lists_and_gates(mut b: CampaignBuilder, file: &CampaignFile) -> CampaignBuilder {
    b = b.brand(file.brand.clone());
    for t in &file.tags {
        b = b.tag(t);
    }
    for e in &file.employees {
        b = b.employee(e);
    }
    for c in &file.customers {
        b = b.customer(c);
    }
    for s in &file.trusted_seeds {
        b = b.trusted_seed(s);
    }
    b = b.candidates(file.candidates.clone());
    if let Some(f) = file.relevance_floor {
        b = b.relevance_floor(f);
    }
    if let Some(g) = file.authenticity_gate {
        b = b.authenticity_gate(g);
    }
    if let Some(scale) = file.scale {
        b = b.scale(scale);
    }
    let min_size = file
        .community_min_size
        .unwrap_or(Normalisation::DEFAULT_COMMUNITY_MIN_SIZE);
    b = b.normalisation(match file.normalisation {
        Some(Within::Community) => Normalisation::Community { min_size },
        Some(Within::Pool) | None => Normalisation::Pool,
    });
    b.classification(file.classification.clone())
}

/// A configuration error of [`Campaign::validate`] located at its key in
/// the file (the start of the file for a key the file does not have).
fn locate(e: Error, text: &str, source: &str) -> Error {
    match e {
        Error::Config {
            key: Some(key),
            reason,
            ..
        } => {
            // The keys validate names are bare words joined by dots.
            let path: Vec<Key<'_>> = key.split('.').map(Key::Name).collect();
            Error::Config {
                location: Some(toml_spans::locate(text, source, &path)),
                key: Some(key.clone()),
                reason,
            }
        }
        other => other,
    }
}
