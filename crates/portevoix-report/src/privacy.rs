//! What the privacy options change in the outputs: texts withheld from the
//! reports that quote posts (`--redact-text`), and the pseudonym map written
//! only to a file the user names (`--pseudonymize --pseudonym-map FILE`).
//!
//! Reports that never quote posts (`discover`'s every format, `rank`,
//! `communities`, `spread`, `paths`, `inspect`) need no redaction: their
//! evidence is post ids, scores, matched topic keywords and rules. What
//! each report says about a person is listed in `docs/privacy.md`.

use crate::relevance::RelevanceReport;
use crate::sentiment::ScoredPost;
use portevoix_core::Error;
use portevoix_ingest::privacy::PseudonymMap;
use std::io::Write;

/// Empties the text of every evidence post of an `analyze` report (ids,
/// scores, keywords and reactions stay); returns how many were withheld.
pub fn redact_relevance(report: &mut RelevanceReport) -> usize {
    let mut n = 0;
    for a in &mut report.top {
        for p in &mut a.posts_behind {
            if !p.text.is_empty() {
                p.text.clear();
                n += 1;
            }
        }
    }
    n
}

/// Empties the text of every scored post of `sentiment` (ids, authors and
/// scores stay); returns how many were withheld.
pub fn redact_sentiment(posts: &mut [ScoredPost]) -> usize {
    let mut n = 0;
    for p in posts {
        if !p.text.is_empty() {
            p.text.clear();
            n += 1;
        }
    }
    n
}

/// Writes the pseudonym map as CSV `kind,pseudonym,original` (header
/// first, rows by pseudonym), quoted by the `csv` crate where needed.
///
/// # Errors
///
/// [`Error::Io`] naming `destination` when writing fails.
pub fn write_pseudonym_map(
    map: &PseudonymMap,
    out: impl Write,
    destination: &str,
) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::Io {
        path: destination.to_string().into(),
        source: e,
    };
    let mut w = csv::Writer::from_writer(out);
    let csv_err = |e: csv::Error| io(std::io::Error::other(e.to_string()));
    w.write_record(["kind", "pseudonym", "original"])
        .map_err(csv_err)?;
    for (pseudonym, (kind, original)) in &map.entries {
        w.write_record([kind.name(), pseudonym.as_str(), original.as_str()])
            .map_err(csv_err)?;
    }
    w.flush().map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;
    use portevoix_ingest::privacy::Kind;

    #[test]
    fn map_is_csv_with_quotes() {
        let mut map = PseudonymMap::default();
        map.entries
            .insert("u1".into(), (Kind::Handle, "ann".into()));
        map.entries
            .insert("i2".into(), (Kind::Id, "a,\"b\"".into()));
        let mut out = Vec::new();
        write_pseudonym_map(&map, &mut out, "map.csv").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "kind,pseudonym,original\nid,i2,\"a,\"\"b\"\"\"\nhandle,u1,ann\n"
        );
    }
}
