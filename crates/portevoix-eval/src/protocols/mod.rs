//! The evaluation protocols, each on real data with an outcome the scores
//! never saw; [`run`] runs one by name.

pub mod cascades;
pub mod fraud;
pub mod higgs_holdout;
pub mod manipulation;
pub mod portfolio;
pub mod sentiment;
pub mod sir;
pub mod stance_classes;
pub mod topical;
pub mod trust;

use crate::protocol::{EvalOptions, ProtocolReport};
use portevoix_core::Error;

/// The Higgs campaign of the repository (`examples/campaigns/higgs.toml`),
/// compiled in: the `higgs-holdout` and `manipulation` protocols score
/// with it (each replaces its window).
pub(crate) const HIGGS_CAMPAIGN: &str = include_str!("../../../../examples/campaigns/higgs.toml");

/// How reports name [`HIGGS_CAMPAIGN`].
pub(crate) const HIGGS_CAMPAIGN_NAME: &str = "examples/campaigns/higgs.toml";

/// Every protocol's name, in the order `eval --all` runs them.
pub const ALL: [&str; 8] = [
    "higgs-holdout",
    "cascades",
    "sir",
    "trust",
    "fraud",
    "sentiment",
    "manipulation",
    "topical",
];

/// Runs the protocol `name`.
///
/// # Errors
///
/// [`Error::Argument`] for an unknown name; what the protocol
/// reports.
pub fn run(name: &str, options: &EvalOptions) -> Result<ProtocolReport, Error> {
    match name {
        "higgs-holdout" => higgs_holdout::run(options),
        "cascades" => cascades::run(options),
        "sir" => sir::run(options),
        "trust" => trust::run(options),
        "fraud" => fraud::run(options),
        "sentiment" => sentiment::run(options),
        "manipulation" => manipulation::run(options),
        "topical" => topical::run(options),
        other => Err(Error::argument(
            "protocol",
            format!("unknown protocol {other:?}; known: {}", ALL.join(", ")),
        )),
    }
}
