//! The scores file of `rank --out FILE`: `id,score`, one row per account,
//! by score descending, then id.
//!
//! Ids are the external ids as read. Equal scores are ordered by id as
//! numbers when every id is a number (SNAP and Graph500 files), else as text,
//! so the order never depends on the order accounts were met in the inputs
//! (the local and the distributed engine write the same file). Scores are
//! written with Rust's shortest round-trip formatting: reading the file back
//! gives the same `f64` values. NaN scores (none of the kernels produce
//! them) come last.

use portevoix_core::{ExternalId, Interner, NodeId};
use std::cmp::Ordering;
use std::io::Write;

/// Writes every account's score, `scores[v]` for dense id `v`.
///
/// # Errors
/// The writer's errors.
///
/// # Example
/// ```
/// use portevoix_core::Interner;
/// use portevoix_report::scores_csv::write_scores_csv;
///
/// let mut ids = Interner::new();
/// for v in [30u64, 4, 200] {
///     ids.intern_u64(v).unwrap();
/// }
/// let mut out = Vec::new();
/// write_scores_csv(&mut out, &ids, &[0.25, 0.5, 0.25])?;
/// assert_eq!(String::from_utf8(out).unwrap(), "id,score\n4,0.5\n30,0.25\n200,0.25\n");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_scores_csv<W: Write>(
    out: &mut W,
    names: &Interner,
    scores: &[f64],
) -> std::io::Result<()> {
    let n = scores.len().min(names.len());
    let mut order: Vec<u32> = (0..n as u32).collect();
    let numeric = names.is_numeric();
    let key = |v: u32| names.name(NodeId(v));
    order.sort_unstable_by(|&a, &b| {
        let (x, y) = (scores[a as usize], scores[b as usize]);
        let by_score = match (x.is_nan(), y.is_nan()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            _ => y.partial_cmp(&x).unwrap_or(Ordering::Equal),
        };
        by_score.then_with(|| match (key(a), key(b)) {
            (ExternalId::Numeric(p), ExternalId::Numeric(q)) if numeric => p.cmp(&q),
            (p, q) => p.to_string().cmp(&q.to_string()),
        })
    });
    let mut w = std::io::BufWriter::with_capacity(1 << 20, out);
    w.write_all(b"id,score\n")?;
    for v in order {
        let name = key(v);
        let text = name.to_string();
        if text.contains([',', '"', '\n', '\r']) {
            write!(w, "\"{}\"", text.replace('"', "\"\""))?;
        } else {
            w.write_all(text.as_bytes())?;
        }
        writeln!(w, ",{}", scores[v as usize])?;
    }
    w.flush()
}
