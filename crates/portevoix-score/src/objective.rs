//! What a campaign wants ([`Objective`]) and the weights of the five signal
//! families it gives ([`Weights`]): the preset of the objective, with the
//! user's own overrides ([`WeightOverrides`]) applied on top, whatever the
//! order in which they were given.

use crate::names::Family;
use portevoix_core::Error;
use serde::{Deserialize, Serialize};

/// What the campaign wants: it sets the weights of the five signal families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    /// Be seen by many: reach first.
    Awareness,
    /// Be considered by the right people: relevance and resonance first.
    Consideration,
    /// Be recommended: trust and brand affinity first.
    Advocacy,
    /// The user's own weights.
    Custom,
}

impl Objective {
    /// The objective's name in reports and files (`awareness`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Objective::Awareness => "awareness",
            Objective::Consideration => "consideration",
            Objective::Advocacy => "advocacy",
            Objective::Custom => "custom",
        }
    }

    /// The preset weights of an objective; `Custom` has none (all zero).
    ///
    /// | objective | reach | resonance | relevance | trust | brand affinity |
    /// |---|---|---|---|---|---|
    /// | awareness | 0.40 | 0.25 | 0.20 | 0.10 | 0.05 |
    /// | consideration | 0.15 | 0.25 | 0.35 | 0.20 | 0.05 |
    /// | advocacy | 0.10 | 0.15 | 0.20 | 0.25 | 0.30 |
    ///
    /// Why: awareness buys audience, but an audience that does not react
    /// (resonance) or does not care (relevance) is wasted; consideration needs
    /// people the audience listens to on the topic; advocacy needs people who
    /// already like the brand and are trusted, whatever their audience.
    pub fn preset(self) -> Weights {
        let w = |reach, resonance, relevance, trust, brand_affinity| Weights {
            reach,
            resonance,
            relevance,
            trust,
            brand_affinity,
        };
        match self {
            Objective::Awareness => w(0.40, 0.25, 0.20, 0.10, 0.05),
            Objective::Consideration => w(0.15, 0.25, 0.35, 0.20, 0.05),
            Objective::Advocacy => w(0.10, 0.15, 0.20, 0.25, 0.30),
            Objective::Custom => w(0.0, 0.0, 0.0, 0.0, 0.0),
        }
    }
}

impl std::fmt::Display for Objective {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Weights of the five signal families in the contextual score. They need
/// not add up to 1; the score divides by their sum.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// Audience, 2-hop reach, PageRank.
    pub reach: f64,
    /// Reactions per post, unique reactors, engagement rate.
    pub resonance: f64,
    /// BM25, on-topic share and reactions, topical authority.
    pub relevance: f64,
    /// Reciprocity, conversation, authenticity, audience quality, TrustRank.
    pub trust: f64,
    /// Organic brand mentions, their sentiment, employee and customer lists.
    pub brand_affinity: f64,
}

impl Weights {
    /// The weight of a family.
    pub fn of(&self, family: Family) -> f64 {
        match family {
            Family::Reach => self.reach,
            Family::Resonance => self.resonance,
            Family::Relevance => self.relevance,
            Family::Trust => self.trust,
            Family::BrandAffinity => self.brand_affinity,
        }
    }

    /// Checks that every weight is finite and >= 0 and one is > 0.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] with the key `weights.NAME` of the weight at fault.
    pub fn validate(&self) -> Result<(), Error> {
        for family in Family::ALL {
            let (name, w) = (family.name(), self.of(family));
            if !(w.is_finite() && w >= 0.0) {
                return Err(Error::config(
                    Some(&format!("weights.{name}")),
                    None,
                    format!("weight {name} is {w}; weights must be finite and >= 0"),
                ));
            }
        }
        if Family::ALL.iter().all(|&f| self.of(f) == 0.0) {
            return Err(Error::config(Some("weights"), None, "every weight is 0"));
        }
        Ok(())
    }
}

/// The family weights a user gives explicitly; the others come from the
/// objective's preset ([`WeightOverrides::apply`]). With
/// [`Objective::Custom`] every weight must be given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightOverrides {
    /// Reach.
    pub reach: Option<f64>,
    /// Resonance.
    pub resonance: Option<f64>,
    /// Relevance.
    pub relevance: Option<f64>,
    /// Trust.
    pub trust: Option<f64>,
    /// Brand affinity.
    pub brand_affinity: Option<f64>,
}

impl WeightOverrides {
    /// Every weight given.
    pub fn all(weights: Weights) -> WeightOverrides {
        WeightOverrides {
            reach: Some(weights.reach),
            resonance: Some(weights.resonance),
            relevance: Some(weights.relevance),
            trust: Some(weights.trust),
            brand_affinity: Some(weights.brand_affinity),
        }
    }

    /// The override of one family.
    pub fn get(&self, family: Family) -> Option<f64> {
        match family {
            Family::Reach => self.reach,
            Family::Resonance => self.resonance,
            Family::Relevance => self.relevance,
            Family::Trust => self.trust,
            Family::BrandAffinity => self.brand_affinity,
        }
    }

    /// Sets the override of one family.
    pub fn set(&mut self, family: Family, weight: f64) {
        let slot = match family {
            Family::Reach => &mut self.reach,
            Family::Resonance => &mut self.resonance,
            Family::Relevance => &mut self.relevance,
            Family::Trust => &mut self.trust,
            Family::BrandAffinity => &mut self.brand_affinity,
        };
        *slot = Some(weight);
    }

    /// Whether no weight is given.
    pub fn is_empty(&self) -> bool {
        Family::ALL.iter().all(|&f| self.get(f).is_none())
    }

    /// The objective's preset with these overrides on top.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] (key `weights`) when the objective is
    /// [`Objective::Custom`] and a weight is missing.
    ///
    /// # Example
    ///
    /// ```
    /// use portevoix_score::objective::{Objective, WeightOverrides};
    ///
    /// let mut o = WeightOverrides::default();
    /// o.trust = Some(0.5);
    /// let w = o.apply(Objective::Advocacy).unwrap();
    /// assert_eq!((w.trust, w.brand_affinity), (0.5, 0.30));
    /// assert!(o.apply(Objective::Custom).is_err());
    /// ```
    pub fn apply(&self, objective: Objective) -> Result<Weights, Error> {
        let preset = objective.preset();
        let pick = |family: Family| match self.get(family) {
            Some(w) => Ok(w),
            None if objective == Objective::Custom => Err(Error::config(
                Some("weights"),
                None,
                format!(
                    "objective \"custom\" needs every weight; {} is missing",
                    family.name()
                ),
            )),
            None => Ok(preset.of(family)),
        };
        Ok(Weights {
            reach: pick(Family::Reach)?,
            resonance: pick(Family::Resonance)?,
            relevance: pick(Family::Relevance)?,
            trust: pick(Family::Trust)?,
            brand_affinity: pick(Family::BrandAffinity)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_differ_by_objective() {
        let a = Objective::Awareness.preset();
        let c = Objective::Consideration.preset();
        let v = Objective::Advocacy.preset();
        assert!(a.reach > c.reach && c.reach > v.reach);
        assert!(v.brand_affinity > a.brand_affinity);
        assert!(c.relevance > a.relevance);
        for w in [a, c, v] {
            let sum: f64 = Family::ALL.iter().map(|&f| w.of(f)).sum();
            assert!((sum - 1.0).abs() < 1e-12);
        }
    }
}
