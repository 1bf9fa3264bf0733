//! The graph-scores file of `rank --all-signals --out FILE`, read by
//! `discover --graph-scores FILE`: a header `id,` then the signal names
//! (`reach.pagerank,reach.authentic_pagerank,reach.hop2,trust.trustrank`),
//! then one row per account, in the order the engine numbered them.
//!
//! Values are written with Rust's shortest round-trip formatting, so the
//! campaign reads back the very `f64` values the kernels computed. Ids with
//! a comma, a quote or a line break are quoted (RFC 4180).

use portevoix_core::{Error, Location};
use portevoix_score::signals::precomputed::{GRAPH_SIGNALS, GraphScores};
use std::io::{Read, Write};

/// Writes `scores` as CSV.
///
/// # Errors
///
/// The writer's errors.
///
/// # Example
///
/// ```
/// use portevoix_report::graph_scores_csv::{read_graph_scores, write_graph_scores};
/// use portevoix_score::signals::precomputed::GraphScores;
///
/// let scores = GraphScores {
///     signals: vec!["reach.pagerank".into()],
///     ids: vec!["a".into(), "b,c".into()],
///     columns: vec![vec![0.1 + 0.2, 1e-300]],
/// };
/// let mut out = Vec::new();
/// write_graph_scores(&mut out, &scores)?;
/// assert_eq!(String::from_utf8(out.clone()).unwrap(), "id,reach.pagerank\na,0.30000000000000004\n\"b,c\",1e-300\n");
/// assert_eq!(read_graph_scores(&out[..], "s.csv").unwrap(), scores);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_graph_scores<W: Write>(out: &mut W, scores: &GraphScores) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 20, out));
    let csv_err = |e: csv::Error| std::io::Error::other(e.to_string());
    let mut header = vec!["id".to_string()];
    header.extend(scores.signals.iter().cloned());
    w.write_record(&header).map_err(csv_err)?;
    let mut record = Vec::with_capacity(header.len());
    for (r, id) in scores.ids.iter().enumerate() {
        record.clear();
        record.push(id.clone());
        record.extend(scores.columns.iter().map(|c| format!("{:?}", c[r])));
        w.write_record(&record).map_err(csv_err)?;
    }
    w.flush()
}

/// Reads a graph-scores file; `source` names it in errors.
///
/// # Errors
///
/// [`Error::Input`] with the line (and column) of a header that is not
/// `id` then graph signal names ([`GRAPH_SIGNALS`], each at most once), a
/// row with the wrong number of fields, or a value that is not a finite
/// number.
pub fn read_graph_scores<R: Read>(input: R, source: &str) -> Result<GraphScores, Error> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let at = |line: u64| Location::line(source, line);
    let mut records = reader.records();
    let header = match records.next() {
        Some(r) => r.map_err(|e| csv_error(source, e))?,
        None => {
            return Err(Error::input(
                at(1),
                "empty file: expected a header id,SIGNAL,...",
            ));
        }
    };
    if header.get(0) != Some("id") || header.len() < 2 {
        return Err(Error::input(
            at(1).with_column(1),
            "the header must be id followed by graph signal names (written by rank --all-signals)",
        ));
    }
    let signals: Vec<String> = header.iter().skip(1).map(str::to_string).collect();
    for (j, name) in signals.iter().enumerate() {
        if !GRAPH_SIGNALS.iter().any(|s| s.as_str() == name) || signals[..j].contains(name) {
            return Err(Error::input(
                at(1).with_column(j as u64 + 2),
                format!(
                    "{name:?} is not a graph signal or appears twice (expected some of {})",
                    GRAPH_SIGNALS.map(|s| s.as_str()).join(", ")
                ),
            ));
        }
    }
    let mut scores = GraphScores {
        columns: vec![Vec::new(); signals.len()],
        signals,
        ids: Vec::new(),
    };
    for record in records {
        let record = record.map_err(|e| csv_error(source, e))?;
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != scores.signals.len() + 1 {
            return Err(Error::input(
                at(line),
                format!(
                    "{} fields, expected {} (id and one value per signal)",
                    record.len(),
                    scores.signals.len() + 1
                ),
            ));
        }
        scores.ids.push(record[0].to_string());
        for (j, column) in scores.columns.iter_mut().enumerate() {
            let text = &record[j + 1];
            match text.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => column.push(v),
                _ => {
                    return Err(Error::input(
                        at(line).with_column(j as u64 + 2),
                        format!("{text:?} is not a finite number"),
                    ));
                }
            }
        }
    }
    Ok(scores)
}

fn csv_error(source: &str, e: csv::Error) -> Error {
    let line = e.position().map_or(0, |p| p.line());
    Error::input(Location::line(source, line), e.to_string())
}
