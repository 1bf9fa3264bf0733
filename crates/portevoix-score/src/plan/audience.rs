//! The campaign's target audience: the accounts whose activation counts as
//! reach. By default the accounts relevant to the campaign's topic, or
//! everyone when the data has no text; or a list the user gives.

use crate::campaign::Campaign;
use crate::engine::Engine;
use portevoix_core::{Error, Location, NodeId};
use portevoix_graph::kernels::influence_max::Audience;
use portevoix_text::corpus::RelevanceOptions;
use serde::Serialize;

/// How the audience was chosen, and its size.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AudienceReport {
    /// `topic` (relevant accounts), `everyone` (no text to judge
    /// relevance) or `list` (given).
    pub source: String,
    /// Members.
    pub size: usize,
    /// Accounts of the data.
    pub accounts: usize,
    /// What was decided and why.
    pub note: String,
    /// Names of the list that match no account (reported, not dropped).
    pub unmatched: Vec<String>,
}

/// Parses an audience list: one account per line (external id or
/// `@handle`); blank lines and lines starting with `#` are skipped; a line
/// with commas keeps its first field (so an `id,...` CSV works, its header
/// `id` skipped).
///
/// # Errors
///
/// [`Error::Input`] with `source:line` for a line whose first field is
/// empty.
pub fn parse_audience_list(text: &str, source: &str) -> Result<Vec<String>, Error> {
    let mut names = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let first = line
            .split(',')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"');
        if first.is_empty() {
            return Err(Error::input(
                Location::line(source, i as u64 + 1),
                "empty account name in the audience list",
            ));
        }
        if i == 0 && first.eq_ignore_ascii_case("id") {
            continue;
        }
        names.push(first.to_string());
    }
    Ok(names)
}

/// The audience of `names` (resolved on the engine; unknown names are
/// reported in [`AudienceReport::unmatched`]).
///
/// # Errors
///
/// [`Error::Argument`] when no name matches an account.
pub(crate) fn from_list(
    engine: &Engine,
    names: &[String],
) -> Result<(Audience, AudienceReport), Error> {
    let (found, missing) = engine.resolve_all(names);
    if found.is_empty() {
        return Err(Error::argument(
            "--audience",
            format!(
                "none of the {} accounts of the audience list is in the data",
                names.len()
            ),
        ));
    }
    let audience = Audience::from_nodes(engine.num_accounts(), &found)?;
    let report = AudienceReport {
        source: "list".into(),
        size: audience.len(),
        accounts: engine.num_accounts(),
        note: format!(
            "{} of {} listed accounts found in the data",
            found.len(),
            names.len()
        ),
        unmatched: missing.into_iter().map(str::to_string).collect(),
    };
    Ok((audience, report))
}

/// The accounts relevant to the campaign's topic: BM25 above 0 (an
/// on-topic post or bio in the window and languages), and, when the
/// campaign sets a relevance floor `f > 0`, at or above the `f` quantile of
/// the relevant accounts' BM25 (the floor is a percentile, as in the
/// scores' gate). Everyone when the data has no text.
///
/// # Errors
///
/// What the corpus reports for the topic; [`Error::Argument`] when the
/// data has text but no account is relevant.
pub(crate) fn from_topic(
    engine: &Engine,
    campaign: &Campaign,
) -> Result<(Audience, AudienceReport), Error> {
    let n = engine.num_accounts();
    let relevance = engine.corpus().relevance(
        &campaign.topic,
        &RelevanceOptions {
            window: campaign.window,
            ..RelevanceOptions::default()
        },
    )?;
    if relevance.documents == 0 {
        let report = AudienceReport {
            source: "everyone".into(),
            size: n,
            accounts: n,
            note: "the data has no text: relevance cannot be judged, every account counts".into(),
            unmatched: Vec::new(),
        };
        return Ok((Audience::everyone(n), report));
    }
    let mut scores: Vec<(NodeId, f64)> = relevance
        .accounts
        .iter()
        .filter(|a| a.bm25 > 0.0)
        .map(|a| (a.account, a.bm25))
        .collect();
    if scores.is_empty() {
        return Err(Error::argument(
            "audience",
            format!(
                "no account of the {} with text is relevant to the topic `{}`: give an audience list",
                relevance.documents, relevance.topic
            ),
        ));
    }
    let relevant = scores.len();
    let floor = campaign.relevance_floor;
    if floor > 0.0 {
        let mut sorted: Vec<f64> = scores.iter().map(|s| s.1).collect();
        sorted.sort_by(f64::total_cmp);
        let at = ((floor * sorted.len() as f64).floor() as usize).min(sorted.len() - 1);
        let threshold = sorted[at];
        scores.retain(|s| s.1 >= threshold);
    }
    let members: Vec<NodeId> = scores.iter().map(|s| s.0).collect();
    let audience = Audience::from_nodes(n, &members)?;
    let note = format!(
        "{relevant} of the {} accounts with text are relevant to `{}`{}",
        relevance.documents,
        relevance.topic,
        if floor > 0.0 {
            format!(
                "; {} at or above the relevance floor {floor}",
                audience.len()
            )
        } else {
            String::new()
        }
    );
    let report = AudienceReport {
        source: "topic".into(),
        size: audience.len(),
        accounts: n,
        note,
        unmatched: Vec::new(),
    };
    Ok((audience, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_skip_comments_headers_and_keep_the_first_field() {
        let names = parse_audience_list("id,name\n# who\n12,ann\n\n@bob\n", "a.txt").unwrap();
        assert_eq!(names, vec!["12", "@bob"]);
        let e = parse_audience_list("12\n,x\n", "a.txt").unwrap_err();
        assert!(e.to_string().contains("a.txt:2"), "{e}");
    }
}
