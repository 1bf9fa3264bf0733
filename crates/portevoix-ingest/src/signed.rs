//! Signed ratings and signed edge lists, into [`Layer::Rating`].
//!
//! # Format
//!
//! The edge-list format (see [`crate::edgelist`]: separator and header
//! detected, `#`/`%` comments, CRLF, gzip) with a value column:
//!
//! - rating CSVs, `SOURCE,TARGET,RATING,TIME` (SNAP Bitcoin OTC, no header;
//!   Bitcoin Alpha as re-uploaded with a `source,target,weight,timestamp`
//!   header): rating −10..+10, time in Unix seconds, fractional or not;
//! - signed edge lists, `From<TAB>To<TAB>Sign` (SNAP Epinions and signed
//!   Slashdot, with `#` preamble lines): sign ±1.
//!
//! The value column ([`SignedOptions::value_col`], default 2) goes to
//! `Interaction::value`, the weight is 1. The time column
//! ([`SignedOptions::time_col`]) defaults to column 3 when the first data
//! line has a fourth column. Range checks on the value are off unless
//! [`SignedOptions::min_value`] / [`SignedOptions::max_value`] are set.
//!
//! # Direction
//!
//! `SOURCE TARGET RATING`: **SOURCE rated TARGET**, stored as
//! `SOURCE → TARGET` (actor → target): "SOURCE trusts (positive) or
//! distrusts (negative) TARGET". Trust propagates along this direction.
//!
//! # Example
//!
//! ```
//! use portevoix_core::Layer;
//! use portevoix_ingest::{FormatKind, ReadOptions, load_bytes};
//!
//! // Bitcoin OTC's first lines, one rating made negative.
//! let csv = b"6,2,4,1289241912\n6,5,-2,1289241942.5\n".to_vec();
//! let ds = load_bytes("otc.csv", csv, FormatKind::Signed, &ReadOptions::default())?;
//! let r = ds.interactions.layer(Layer::Rating).get(Layer::Rating, 1);
//! assert_eq!(r.value, Some(-2.0));
//! assert_eq!(r.weight, 1.0);
//! assert_eq!(r.time.unwrap().millis(), 1_289_241_942_500);
//! assert_eq!(ds.interner.name(r.actor).to_string(), "6");
//! # Ok::<(), portevoix_ingest::Error>(())
//! ```

use crate::edgelist::{self, Plan, TableRequest};
use crate::{DatasetBuilder, Diagnostics, Input, Result};
use portevoix_core::Layer;

/// How a signed file is read. `Default` detects separator and header, reads
/// ids from columns 0 and 1, the value from column 2 and the time from
/// column 3 when there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedOptions {
    /// Field separator; `None` detects it; `b' '` means runs of spaces and tabs.
    pub delimiter: Option<u8>,
    /// Whether the first non-comment line is a header; `None` detects it.
    pub header: Option<bool>,
    /// 0-based column of the rater.
    pub source_col: usize,
    /// 0-based column of the rated account.
    pub target_col: usize,
    /// 0-based column of the rating or sign (default 2).
    pub value_col: usize,
    /// 0-based column of the time; `None` means column 3 if the first data
    /// line has one (and [`SignedOptions::ignore_time`] is off).
    pub time_col: Option<usize>,
    /// Do not read any time column.
    pub ignore_time: bool,
    /// Reject values below this (off by default).
    pub min_value: Option<f32>,
    /// Reject values above this (off by default).
    pub max_value: Option<f32>,
}

impl Default for SignedOptions {
    fn default() -> Self {
        SignedOptions {
            delimiter: None,
            header: None,
            source_col: 0,
            target_col: 1,
            value_col: 2,
            time_col: None,
            ignore_time: false,
            min_value: None,
            max_value: None,
        }
    }
}

/// Reads signed ratings into [`Layer::Rating`].
pub fn read(
    input: &mut Input,
    options: &SignedOptions,
    builder: &mut DatasetBuilder,
    diag: &mut Diagnostics,
) -> Result<()> {
    let request = TableRequest {
        delimiter: options.delimiter,
        header: options.header,
        src: options.source_col,
        dst: options.target_col,
    };
    edgelist::read_table(input, &request, builder, diag, |first| {
        let time = if options.ignore_time {
            None
        } else {
            options
                .time_col
                .or_else(|| first.filter(|f| f.len() > 3).map(|_| 3))
        };
        Plan {
            src: options.source_col,
            dst: options.target_col,
            value: Some(options.value_col),
            time,
            value_min: options.min_value,
            value_max: options.max_value,
            ..Plan::new(Layer::Rating)
        }
    })
}

/// Whether the first bytes look like signed data: a numeric edge list (see
/// [`crate::edgelist::sniff`]) with three or four columns whose third column
/// holds a negative number in at least one sampled line. A weighted list
/// with only non-negative third columns is an edge list.
pub fn sniff(head: &[u8]) -> bool {
    edgelist::sniff_numeric_table(head).is_some_and(|rows| {
        rows.iter().all(|f| f.len() >= 3)
            && rows.iter().any(|f| {
                f[2].starts_with(b"-") && edgelist::parse_f64(f[2]).is_some_and(|v| v < 0.0)
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_needs_a_negative_third_column() {
        assert!(sniff(b"# c\n0\t1\t-1\n0\t2\t1\n"));
        assert!(sniff(
            b"source,target,weight,timestamp\n7188,1,10,1407470400\n1,2,-3,1407470400\n"
        ));
        assert!(!sniff(b"0\t1\t1\n0\t2\t1\n"));
        assert!(!sniff(b"0\t1\n"));
        assert!(!sniff(b"a,b,-1\n"));
    }
}
