//! The SNAP Higgs Twitter activity log (`higgs-activity_time.txt`).
//!
//! # Format
//!
//! One event per line, single-space separated, no header, sorted by time:
//!
//! ```text
//! userA userB unix_seconds RT|MT|RE
//! ```
//!
//! `RT` is a retweet, `MT` a mention, `RE` a reply. A tweet that is both a
//! reply and a mention gives two lines with the same time. Ids are
//! anonymised integers shared with SNAP's other Higgs files (so the
//! follower graph, read as an edge list, joins with it).
//!
//! # Direction
//!
//! **userA is the actor**: `A B t RT` means A retweeted B, stored as
//! `A → B` on [`Layer::Repost`] (and `MT` on [`Layer::Mention`], `RE` on
//! [`Layer::Reply`]), with time `t` (second resolution). Information flowed
//! from B to A; kernels that need that direction read the in-CSR.
//!
//! Parsing is the edge-list machinery (parallel chunks, ids interned in
//! input order, problems in line order), with a strict row shape: an
//! unknown interaction code or a bad time is a bad row.
//!
//! # Example
//!
//! ```
//! use portevoix_core::Layer;
//! use portevoix_ingest::{FormatKind, ReadOptions, load_bytes};
//!
//! // The first lines of the real file.
//! let log = b"223789 213163 1341100972 MT\n223789 213163 1341100972 RE\n376989 50329 1341101181 RT\n".to_vec();
//! let ds = load_bytes("higgs-activity_time.txt", log, FormatKind::Higgs, &ReadOptions::default())?;
//! let rt = ds.interactions.layer(Layer::Repost).get(Layer::Repost, 0);
//! assert_eq!(ds.interner.name(rt.actor).to_string(), "376989");
//! assert_eq!(ds.interner.name(rt.target).to_string(), "50329");
//! assert_eq!(rt.time.unwrap().to_iso8601(), "2012-07-01T00:06:21.000Z");
//! assert_eq!(ds.interactions.layer(Layer::Mention).len(), 1);
//! assert_eq!(ds.interactions.layer(Layer::Reply).len(), 1);
//! # Ok::<(), portevoix_ingest::Error>(())
//! ```

use crate::edgelist::{self, LayerCodes, Plan, TableRequest};
use crate::{DatasetBuilder, Diagnostics, Input, Result};
use portevoix_core::Layer;

/// Reads the Higgs activity log into the repost, mention and reply layers.
pub fn read(input: &mut Input, builder: &mut DatasetBuilder, diag: &mut Diagnostics) -> Result<()> {
    let request = TableRequest {
        delimiter: Some(b' '),
        header: Some(false),
        src: 0,
        dst: 1,
    };
    edgelist::read_table(input, &request, builder, diag, |_| Plan {
        time: Some(2),
        layer_col: Some((3, LayerCodes::Higgs)),
        ..Plan::new(Layer::Repost)
    })
}

/// Whether the first bytes look like the Higgs activity log: every sampled
/// line has exactly four whitespace-separated fields, two integer ids, an
/// integer time and `RT`, `MT` or `RE`.
pub fn sniff(head: &[u8]) -> bool {
    let lines = edgelist::sample_lines(head);
    !lines.is_empty()
        && lines.iter().all(|line| {
            let mut fields = line
                .split(|&b| b == b' ' || b == b'\t')
                .filter(|f| !f.is_empty());
            let digits = |f: Option<&[u8]>| {
                f.is_some_and(|f| {
                    !f.is_empty() && f.len() <= 20 && f.iter().all(u8::is_ascii_digit)
                })
            };
            digits(fields.next())
                && digits(fields.next())
                && digits(fields.next())
                && matches!(fields.next(), Some(b"RT" | b"MT" | b"RE"))
                && fields.next().is_none()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_is_specific() {
        assert!(sniff(
            b"223789 213163 1341100972 MT\n376989 50329 1341101181 RT\n"
        ));
        assert!(!sniff(b"223789 213163 1341100972 XX\n"));
        assert!(!sniff(b"223789 213163 1341100972\n"));
        assert!(!sniff(b"223789 213163 1341100972 RT extra\n"));
        assert!(!sniff(b""));
    }
}
