//! Lists of weighted accounts: `id,weight` per line, such as the
//! personalisation of `portevoix rank --algo ppr --personalization FILE`.
//!
//! The format: one `id,weight` record per line, comma-separated (a tab or
//! spaces also separate); an optional header on the first line (any line
//! whose weight is not a number there); blank lines and lines starting with
//! `#` are skipped; `.gz` is read transparently. Ids are written as in the
//! network's inputs. A weight must be a finite number ≥ 0; an id given
//! twice is an error (the list is a vector, not a log).
//!
//! # Example
//!
//! ```
//! use portevoix_ingest::Input;
//! use portevoix_ingest::id_weights::read;
//!
//! let mut input = Input::from_bytes("seeds.csv", b"id,weight\n42,2\n@ann,0.5\n".to_vec());
//! let rows = read(&mut input).unwrap();
//! assert_eq!(rows[1].id, "@ann");
//! assert_eq!(rows[0].weight, 2.0);
//! assert_eq!(rows[1].line, 3);
//! let mut bad = Input::from_bytes("bad.csv", b"42,-1\n".to_vec());
//! assert_eq!(read(&mut bad).unwrap_err().to_string(), "bad.csv:1:2: weight -1 is negative");
//! ```

use crate::{Error, Input, Location, Result};
use std::collections::HashMap;

/// One weighted account.
#[derive(Debug, Clone, PartialEq)]
pub struct IdWeight {
    /// The account's id, as in the network's inputs.
    pub id: String,
    /// Its weight, finite and ≥ 0.
    pub weight: f64,
    /// The line it was read from (1-based), for errors about the id.
    pub line: u64,
}

/// Reads every record of `input`.
///
/// # Errors
///
/// [`Error::Input`] with file, line and field for a record without two
/// fields, a weight that is not a finite number ≥ 0, an id given twice;
/// [`Error::Io`] when the input cannot be read.
///
/// # Complexity
///
/// O(bytes).
pub fn read(input: &mut Input) -> Result<Vec<IdWeight>> {
    let mut out: Vec<IdWeight> = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut buf = Vec::new();
    let mut first = true;
    while let Some(raw) = input.next_line(&mut buf)? {
        let at = |column: u64| Location::line(input.name(), raw.number).with_column(column);
        if raw.too_long {
            return Err(Error::input(at(1), "line too long"));
        }
        let text = String::from_utf8_lossy(&buf);
        let line = text.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = if line.contains(',') {
            line.split(',').map(str::trim).collect()
        } else {
            line.split_whitespace().collect()
        };
        let header = std::mem::take(&mut first);
        let [id, weight] = fields[..] else {
            return Err(Error::input(
                at(1),
                format!("expected `id,weight`, found {} fields", fields.len()),
            ));
        };
        let Ok(value) = weight.parse::<f64>() else {
            if header {
                continue;
            }
            return Err(Error::input(
                at(2),
                format!("weight {weight:?} is not a number"),
            ));
        };
        if !value.is_finite() {
            return Err(Error::input(
                at(2),
                format!("weight {weight} is not finite"),
            ));
        }
        if value < 0.0 {
            return Err(Error::input(at(2), format!("weight {weight} is negative")));
        }
        if id.is_empty() {
            return Err(Error::input(at(1), "empty id"));
        }
        if let Some(previous) = seen.insert(id.to_string(), raw.number) {
            return Err(Error::input(
                at(1),
                format!("id {id} is given twice (first on line {previous})"),
            ));
        }
        out.push(IdWeight {
            id: id.to_string(),
            weight: value,
            line: raw.number,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<IdWeight>> {
        read(&mut Input::from_bytes("w.csv", text.as_bytes().to_vec()))
    }

    #[test]
    fn records_comments_and_separators() {
        let rows = parse("# seeds\nid,weight\n1, 2.5\n\n2\t1\n3 0\n").unwrap();
        let got: Vec<(&str, f64, u64)> = rows
            .iter()
            .map(|r| (r.id.as_str(), r.weight, r.line))
            .collect();
        assert_eq!(got, [("1", 2.5, 3), ("2", 1.0, 5), ("3", 0.0, 6)]);
    }

    #[test]
    fn errors_say_where() {
        let cases = [
            (
                "1,2\n1,3\n",
                "w.csv:2:1: id 1 is given twice (first on line 1)",
            ),
            ("1,2\n2,x\n", "w.csv:2:2: weight \"x\" is not a number"),
            ("1,2,3\n", "w.csv:1:1: expected `id,weight`, found 3 fields"),
            ("1,NaN\n", "w.csv:1:2: weight NaN is not finite"),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text).unwrap_err().to_string(), want, "{text:?}");
        }
    }
}
