//! Node label files: one account and its class per line, the ground-truth
//! format of REV2 (Kumar et al., WSDM 2018) for Bitcoin OTC and Alpha,
//! Amazon and Epinions: `node,+1` (benign) or `node,-1` (fraudulent).
//!
//! Format: `ID<sep>LABEL` per line, `<sep>` a comma, a tab or spaces; `LABEL`
//! is `+1`, `1` or `-1`; blank lines and `#` comments are skipped, CRLF and a
//! UTF-8 byte-order mark are accepted, gzip is detected by content. A line
//! that does not follow this, or an account labelled twice with different
//! classes, is an error with its file, line and column; the same label
//! repeated is merged and counted.
//!
//! ```
//! use portevoix_ingest::labels::read_labels_bytes;
//!
//! let l = read_labels_bytes("gt.csv", b"215,+1\n1753,-1\n# note\n215,1\n".to_vec()).unwrap();
//! assert_eq!(l.labels.len(), 2);
//! assert!(!l.labels[0].negative && l.labels[1].negative);
//! assert_eq!(l.repeated, 1);
//! ```

use crate::source::{Input, strip_bom};
use portevoix_core::{Error, Result};
use std::collections::HashMap;
use std::path::Path;

/// One labelled account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeLabel {
    /// The account's external id, as written.
    pub node: String,
    /// `-1` (fraudulent, untrustworthy) rather than `+1` (benign).
    pub negative: bool,
    /// The 1-based line of its first label.
    pub line: u64,
}

/// The labels of a file, in file order (first occurrence).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodeLabels {
    /// The labelled accounts.
    pub labels: Vec<NodeLabel>,
    /// Lines that repeated an account with the same label (merged).
    pub repeated: usize,
}

/// Reads a label file (`-` is standard input).
///
/// # Errors
///
/// [`Error::Io`] when it cannot be read, [`Error::Input`] with file, line
/// and column for a malformed line or contradicting labels.
pub fn read_labels(path: &Path) -> Result<NodeLabels> {
    parse(Input::open(path)?)
}

/// Reads labels from bytes (tests, services).
///
/// # Errors
///
/// As [`read_labels`].
pub fn read_labels_bytes(name: &str, bytes: Vec<u8>) -> Result<NodeLabels> {
    parse(Input::from_bytes(name, bytes))
}

fn parse(mut input: Input) -> Result<NodeLabels> {
    let mut out = NodeLabels::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut buf = Vec::new();
    while let Some(raw) = input.next_line(&mut buf)? {
        let at = |column: u64| input.location(raw.number).with_column(column);
        if raw.too_long {
            return Err(Error::Input {
                location: at(1),
                reason: "line longer than the limit".into(),
            });
        }
        let bytes = if raw.number == 1 {
            strip_bom(&buf)
        } else {
            &buf
        };
        let Ok(line) = std::str::from_utf8(bytes) else {
            return Err(Error::Input {
                location: at(1),
                reason: "not UTF-8".into(),
            });
        };
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = trimmed
            .split([',', '\t', ' '])
            .filter(|f| !f.is_empty())
            .collect();
        if fields.len() != 2 {
            return Err(Error::Input {
                location: at(1),
                reason: format!(
                    "expected `ID,LABEL` (2 fields), found {}: {trimmed:?}",
                    fields.len()
                ),
            });
        }
        let negative = match fields[1] {
            "+1" | "1" => false,
            "-1" => true,
            other => {
                return Err(Error::Input {
                    location: at(2),
                    reason: format!("label {other:?} is not +1, 1 or -1"),
                });
            }
        };
        let node = fields[0].trim_matches('"');
        match seen.get(node) {
            Some(&i) if out.labels[i].negative == negative => out.repeated += 1,
            Some(&i) => {
                return Err(Error::Input {
                    location: at(2),
                    reason: format!(
                        "account {node} labelled {} here and {} on line {}",
                        fields[1],
                        if out.labels[i].negative { "-1" } else { "+1" },
                        out.labels[i].line
                    ),
                });
            }
            None => {
                seen.insert(node.to_string(), out.labels.len());
                out.labels.push(NodeLabel {
                    node: node.to_string(),
                    negative,
                    line: raw.number,
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        read_labels_bytes("gt.csv", text.as_bytes().to_vec())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn accepts_the_published_spellings() {
        let l = read_labels_bytes("gt", b"\xEF\xBB\xBF7,+1\r\n\n8\t-1\n 9  1 \n".to_vec()).unwrap();
        let got: Vec<(&str, bool)> = l
            .labels
            .iter()
            .map(|x| (x.node.as_str(), x.negative))
            .collect();
        assert_eq!(got, vec![("7", false), ("8", true), ("9", false)]);
        assert_eq!(l.labels[2].line, 4);
    }

    #[test]
    fn malformed_lines_are_located() {
        assert_eq!(
            err("1,+1\n2,0\n"),
            "gt.csv:2:2: label \"0\" is not +1, 1 or -1"
        );
        assert!(err("1,+1,3\n").starts_with("gt.csv:1:1: expected `ID,LABEL`"));
        assert!(err("1\n").starts_with("gt.csv:1:1"));
        assert_eq!(
            err("1,+1\n1,-1\n"),
            "gt.csv:2:2: account 1 labelled -1 here and +1 on line 1"
        );
        let bad = read_labels_bytes("gt.csv", b"1,+1\n\xff,-1\n".to_vec()).unwrap_err();
        assert!(bad.to_string().starts_with("gt.csv:2:1: not UTF-8"));
    }
}
