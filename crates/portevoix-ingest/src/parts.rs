//! Reading a delimited file in parts (byte ranges of whole lines), each part
//! parsed on its own exactly as it would be inside the whole file.
//!
//! The separator, the header and the implicit columns (a numeric third
//! column read as a weight, a fourth column of a signed file read as a time)
//! are decided from a file's first data lines. A reader that only sees a
//! part from the middle of the file cannot decide them, so
//! [`part_options`] decides them once from the file's head and returns
//! options that force them: every part then parses with the same plan as
//! the whole file. The distributed engine (`portevoix-dist`) reads its share
//! of a large edge list this way.
//!
//! # Example
//!
//! ```
//! use portevoix_ingest::{FormatKind, ReadOptions, load_bytes, parts::part_options};
//!
//! let file = b"source\ttarget\tcount\n1\t2\t3\n2\t3\t4\n".to_vec();
//! let (first, rest) = part_options(&file, FormatKind::EdgeList, &ReadOptions::default());
//! assert_eq!(first.edgelist.header, Some(true));
//! assert_eq!(rest.edgelist.header, Some(false));
//! assert_eq!(rest.edgelist.weight_col, Some(2)); // decided from the first data line
//! assert_eq!(rest.edgelist.delimiter, Some(b'\t'));
//! // The part holding the last line parses as it would inside the whole file.
//! let part = load_bytes("f.tsv", file[26..].to_vec(), FormatKind::EdgeList, &rest)?;
//! let e = part.interactions.iter().next().unwrap();
//! assert_eq!(e.weight, 4.0);
//! # Ok::<(), portevoix_ingest::Error>(())
//! ```

use crate::edgelist::{Delim, TableRequest, parse_f64, preamble, split};
use crate::{FormatKind, ReadOptions};

/// The options to read the parts of a delimited file whose first bytes are
/// `head` (at least its first few data lines; [`crate::SNIFF_BYTES`] is
/// plenty): `(options for the part starting at byte 0, options for every
/// other part)`. They differ only in the header: a header line can only be in
/// the first part. Formats other than edge lists and signed files are
/// returned unchanged (the Higgs reader's plan is fixed already).
pub fn part_options(
    head: &[u8],
    format: FormatKind,
    options: &ReadOptions,
) -> (ReadOptions, ReadOptions) {
    let (delimiter, header, src, dst) = match format {
        FormatKind::EdgeList => {
            let e = &options.edgelist;
            (e.delimiter, e.header, e.source_col, e.target_col)
        }
        FormatKind::Signed => {
            let g = &options.signed;
            (g.delimiter, g.header, g.source_col, g.target_col)
        }
        _ => return (options.clone(), options.clone()),
    };
    let request = TableRequest {
        delimiter,
        header,
        src,
        dst,
    };
    let body_start = if head.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let max_line = match options.max_line_bytes {
        0 => crate::source::DEFAULT_MAX_LINE_BYTES,
        m => m,
    };
    let pre = preamble(head, body_start, max_line, &request);
    let first: Option<Vec<&[u8]>> = pre.first_data.map(|(s, e)| {
        let mut f = Vec::new();
        split(&head[s..e], pre.delim, usize::MAX, &mut f);
        f
    });
    let forced_delim = Some(match pre.delim {
        Delim::Whitespace => b' ',
        Delim::Byte(b) => b,
    });
    let mut o = options.clone();
    match format {
        FormatKind::EdgeList => {
            let e = &mut o.edgelist;
            // The same rule as `edgelist::read`: a numeric third column is
            // the weight when no other column is named.
            let named = e.weight_col.is_some()
                || e.time_col.is_some()
                || e.sign_col.is_some()
                || e.layer_col.is_some();
            let ids_first = matches!((e.source_col, e.target_col), (0, 1) | (1, 0));
            let implicit = e.auto_weight
                && !named
                && ids_first
                && first
                    .as_ref()
                    .is_some_and(|f| f.len() > 2 && parse_f64(f[2]).is_some());
            if implicit {
                e.weight_col = Some(2);
            }
            e.auto_weight = false;
            e.delimiter = forced_delim;
        }
        FormatKind::Signed => {
            let g = &mut o.signed;
            // The same rule as `signed::read`: a fourth column is the time.
            if !g.ignore_time && g.time_col.is_none() {
                g.time_col = first.as_ref().filter(|f| f.len() > 3).map(|_| 3);
            }
            g.ignore_time = g.time_col.is_none();
            g.delimiter = forced_delim;
        }
        _ => {}
    }
    let mut head_part = o.clone();
    let mut rest = o;
    match format {
        FormatKind::EdgeList => {
            head_part.edgelist.header = Some(pre.header);
            rest.edgelist.header = Some(false);
        }
        _ => {
            head_part.signed.header = Some(pre.header);
            rest.signed.header = Some(false);
        }
    }
    (head_part, rest)
}
