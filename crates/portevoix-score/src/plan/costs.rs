//! What choosing each account costs: a price list (`id,cost` CSV) or the
//! documented default by audience tier.

use crate::engine::Engine;
use portevoix_core::{Error, Location, NodeId};
use portevoix_graph::LayerGraph;
use serde::Serialize;

/// The default price of an account by the size of its audience in the
/// influence view (the distinct accounts its content reaches in one hop:
/// re-sharers, followers, trusters): fewer than 10 cost 1, 10 to 99 cost 4,
/// 100 to 999 cost 16, 1,000 and more cost 64. The price grows slower than
/// the audience (×4 per ×10), as influencer rates do; the tiers are the
/// ones `docs/planning-evaluation.md` measures with.
pub const TIER_COSTS: [(usize, f64); 4] = [(0, 1.0), (10, 4.0), (100, 16.0), (1000, 64.0)];

/// The tier price of an audience of `size` accounts ([`TIER_COSTS`]).
pub fn tier_cost(size: usize) -> f64 {
    TIER_COSTS
        .iter()
        .rev()
        .find(|(from, _)| size >= *from)
        .map_or(TIER_COSTS[0].1, |(_, c)| *c)
}

/// One row of a price list: an account's name (external id or `@handle`)
/// and its cost, with the line it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceRow {
    /// External id or `@handle`, as written.
    pub account: String,
    /// The cost, finite and positive.
    pub cost: f64,
    /// 1-based line in the file.
    pub line: usize,
}

/// Parses a price list: CSV with a header `id,cost` (more columns are
/// allowed and ignored; the `id` column may hold `@handles`).
///
/// # Errors
///
/// [`Error::Input`] with `source:line` for a missing header column, a row
/// without a cost, a cost that is not a finite positive number, or the same
/// account priced twice.
pub fn parse_price_list(text: &str, source: &str) -> Result<Vec<PriceRow>, Error> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| Error::input(Location::line(source, 1), format!("unreadable header: {e}")))?
        .clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                Error::input(
                    Location::line(source, 1),
                    format!("the header has no `{name}` column (expected `id,cost`)"),
                )
            })
    };
    let (id_col, cost_col) = (column("id")?, column("cost")?);
    let mut rows: Vec<PriceRow> = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (i, record) in reader.records().enumerate() {
        // The line from the record's byte offset: the reader's own line
        // count skips blank lines.
        let line = record
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(i + 2, |p| line_at(text, p.byte() as usize));
        let record =
            record.map_err(|e| Error::input(Location::line(source, line as u64), e.to_string()))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        let at = |col: usize| record.get(col).unwrap_or("");
        let account = at(id_col).to_string();
        if account.is_empty() {
            return Err(Error::input(
                Location::line(source, line as u64),
                "empty id",
            ));
        }
        let cost: f64 = at(cost_col).parse().map_err(|_| {
            Error::input(
                Location::line(source, line as u64).with_column(cost_col as u64 + 1),
                format!("cost `{}` is not a number", at(cost_col)),
            )
        })?;
        if !(cost.is_finite() && cost > 0.0) {
            return Err(Error::input(
                Location::line(source, line as u64).with_column(cost_col as u64 + 1),
                format!("cost {cost} must be finite and positive"),
            ));
        }
        if let Some(first) = seen.insert(account.clone(), line) {
            return Err(Error::input(
                Location::line(source, line as u64),
                format!("{account} is priced twice (first on line {first})"),
            ));
        }
        rows.push(PriceRow {
            account,
            cost,
            line,
        });
    }
    Ok(rows)
}

/// The 1-based line of the record that starts at byte `offset` of `text`
/// (the reader's offset is where it started reading: before the blank
/// lines it skipped).
fn line_at(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = offset.min(bytes.len());
    while at < bytes.len() && (bytes[at] == b'\n' || bytes[at] == b'\r') {
        at += 1;
    }
    1 + bytes[..at].iter().filter(|&&b| b == b'\n').count()
}

/// Where each account's cost came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostReport {
    /// `tiers` (the default), or the price list's name.
    pub source: String,
    /// Accounts priced by the list.
    pub from_list: usize,
    /// Accounts of the list that match no account of the data.
    pub unmatched: Vec<String>,
}

/// The cost of every account: the price list's where it names the account,
/// the tier price ([`tier_cost`] of its in-degree in `influence`) elsewhere.
pub(crate) fn account_costs(
    engine: &Engine,
    influence: &LayerGraph,
    list: Option<(&str, &[PriceRow])>,
) -> (Vec<f64>, CostReport) {
    let n = engine.num_accounts();
    let mut costs: Vec<f64> = (0..n)
        .map(|v| tier_cost(influence.in_degree(NodeId(v as u32))))
        .collect();
    let mut report = CostReport {
        source: "tiers".into(),
        from_list: 0,
        unmatched: Vec::new(),
    };
    if let Some((source, rows)) = list {
        report.source = source.to_string();
        for row in rows {
            match engine.resolve(&row.account) {
                Some(v) => {
                    costs[v.index()] = row.cost;
                    report.from_list += 1;
                }
                None => report.unmatched.push(row.account.clone()),
            }
        }
    }
    (costs, report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_grow_by_four_per_ten() {
        let got: Vec<f64> = [0, 9, 10, 99, 100, 999, 1000, 50_000]
            .iter()
            .map(|&s| tier_cost(s))
            .collect();
        assert_eq!(got, vec![1.0, 1.0, 4.0, 4.0, 16.0, 16.0, 64.0, 64.0]);
    }

    #[test]
    fn price_list_reads_and_rejects_with_the_line() {
        let rows = parse_price_list("id,cost,note\n12,3.5,x\n\n@ann,10\n", "p.csv").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[1].account.as_str(), rows[1].cost, rows[1].line),
            ("@ann", 10.0, 4),
            "{rows:?}"
        );
        let e = parse_price_list("id,cost\n1,2\n2,-1\n", "p.csv").unwrap_err();
        assert!(e.to_string().contains("p.csv:3"), "{e}");
        let e = parse_price_list("id,cost\n1,2\n1,3\n", "p.csv").unwrap_err();
        assert!(e.to_string().contains("priced twice"), "{e}");
        let e = parse_price_list("id,price\n1,2\n", "p.csv").unwrap_err();
        assert!(e.to_string().contains("`cost`"), "{e}");
        let e = parse_price_list("id,cost\n1,abc\n", "p.csv").unwrap_err();
        assert!(e.to_string().contains("p.csv:2:2"), "{e}");
    }
}
