//! The fast path of plain `number SEP number` edge lists (SNAP, Graph500):
//! the rows are parsed straight into the layer's final id columns and the
//! ids are interned in place, in parallel.
//!
//! # Steps (each measured, see BENCHMARKS.md)
//!
//! 1. **Count**: the lines of every chunk, in parallel (a vectorised byte
//!    count), give each chunk its slot range in two preallocated `u32`
//!    columns, so no chunk builds columns of its own to be copied later.
//! 2. **Parse**: every chunk, in parallel, reads its lines eight bytes at a
//!    time (SWAR: the digits of a number are found and converted with a few
//!    word operations, not one byte at a time) and writes the raw ids into
//!    its slots. Comment and blank lines are skipped; any other line, or an
//!    id above `u32::MAX`, sends the whole file back to the general path,
//!    which reports problems with their line and column.
//! 3. **Intern**: dense ids follow first appearance (source before target,
//!    row after row): [`portevoix_core::Interner::intern_u32_pairs`] replaces the raw ids in
//!    place (a direct table, deduplicated in parallel; see
//!    `portevoix_core::ids`).
//!
//! The result is the same log, bit for bit, as the general path builds.

use super::{Plan, chunk_bounds, fast_pair_line, is_skippable, strip_cr};
use crate::DatasetBuilder;
use crate::Result;
use memchr::memchr;
use portevoix_core::{LayerLog, NO_POST, NO_TIME};
use rayon::prelude::*;
use std::mem::MaybeUninit;

/// Whether a plan can take the fast path: the two ids are the only columns
/// read, one layer, numeric ids so far.
pub(super) fn eligible(plan: &Plan, builder: &mut DatasetBuilder) -> bool {
    plan.need() == 2
        && plan.ids_first
        && plan.max_line >= 64
        && plan.layer_col.is_none()
        && plan.weight.is_none()
        && plan.time.is_none()
        && plan.value.is_none()
        && builder.interner_mut().is_numeric()
}

/// What the fast path read.
pub(super) struct PairsRead {
    /// Lines seen (data, comments and blanks).
    pub lines: u64,
    /// Rows appended.
    pub rows: usize,
}

/// Reads `region` (whole lines; `start` is its offset in the input) into
/// the plan's layer, or returns `None` when a line is not a plain pair (the
/// caller then runs the general path on the same bytes, nothing appended).
pub(super) fn read_pairs(
    region: &[u8],
    avg_line: usize,
    plan: &Plan,
    builder: &mut DatasetBuilder,
) -> Option<Result<PairsRead>> {
    let chunks = chunk_bounds(region, avg_line);
    // 1. Lines per chunk: an upper bound on its rows.
    let bounds: Vec<usize> = chunks
        .par_iter()
        .map(|&(s, e)| {
            let c = &region[s..e];
            memchr::memchr_iter(b'\n', c).count() + usize::from(c.last() != Some(&b'\n'))
        })
        .collect();
    let lines: usize = bounds.iter().sum();
    // 2. Parse into the slots of each chunk.
    let mut src: Vec<u32> = Vec::with_capacity(lines);
    let mut dst: Vec<u32> = Vec::with_capacity(lines);
    let written: Vec<Option<usize>> = {
        let mut s_rest = &mut src.spare_capacity_mut()[..lines];
        let mut d_rest = &mut dst.spare_capacity_mut()[..lines];
        let mut slots = Vec::with_capacity(chunks.len());
        for &b in &bounds {
            let (s, sr) = std::mem::take(&mut s_rest).split_at_mut(b);
            let (d, dr) = std::mem::take(&mut d_rest).split_at_mut(b);
            slots.push((s, d));
            (s_rest, d_rest) = (sr, dr);
        }
        chunks
            .par_iter()
            .zip(slots)
            .map(|(&(s, e), (so, dout))| parse_into(&region[s..e], plan, so, dout))
            .collect()
    };
    let written: Vec<usize> = written.into_iter().collect::<Option<_>>()?;
    // Close the gaps left by comment and blank lines (rare: SNAP headers).
    let mut at = 0;
    for (k, &w) in written.iter().enumerate() {
        let from: usize = bounds[..k].iter().sum();
        if from != at {
            // SAFETY: `from..from + w` was initialised by chunk k, and
            // `at <= from`, so this moves initialised values down inside the
            // allocation (`copy` allows the overlap).
            unsafe {
                std::ptr::copy(src.as_ptr().add(from), src.as_mut_ptr().add(at), w);
                std::ptr::copy(dst.as_ptr().add(from), dst.as_mut_ptr().add(at), w);
            }
        }
        at += w;
    }
    // SAFETY: the first `at` slots now all hold values written by a chunk.
    unsafe {
        src.set_len(at);
        dst.set_len(at);
    }
    let rows = at;
    // 3. Intern in place.
    let (mut actor, mut target) = if plan.src == 0 {
        (src, dst)
    } else {
        (dst, src)
    };
    if let Err(e) = builder
        .interner_mut()
        .intern_u32_pairs(&mut actor, &mut target)
    {
        return Some(Err(e.into()));
    }
    if plan.reverse {
        std::mem::swap(&mut actor, &mut target);
    }
    append(
        builder.interactions_mut().layer_mut(plan.layer),
        actor,
        target,
    );
    Some(Ok(PairsRead {
        lines: lines as u64,
        rows,
    }))
}

/// Parses one chunk into its slots; `None` if a line is neither a plain
/// pair of ids up to `u32::MAX` nor a comment or blank line.
fn parse_into(
    chunk: &[u8],
    plan: &Plan,
    src: &mut [MaybeUninit<u32>],
    dst: &mut [MaybeUninit<u32>],
) -> Option<usize> {
    let mut pos = 0;
    let mut row = 0;
    while pos < chunk.len() {
        if let Some((a, b, next)) = fast_pair_line(chunk, pos, plan.delim) {
            let (a, b) = (u32::try_from(a).ok()?, u32::try_from(b).ok()?);
            src[row].write(a);
            dst[row].write(b);
            row += 1;
            pos = next;
            continue;
        }
        let end = memchr(b'\n', &chunk[pos..]).map_or(chunk.len(), |i| pos + i);
        let line = strip_cr(&chunk[pos..end]);
        if line.len() > plan.max_line || !is_skippable(line) {
            return None;
        }
        pos = end + 1;
    }
    Some(row)
}

/// Appends the id columns to `log`, with weight 1 and the optional columns
/// padded, as the general path does.
fn append(log: &mut LayerLog, actor: Vec<u32>, target: Vec<u32>) {
    let before = log.len();
    let n = actor.len();
    if before == 0 {
        log.actor = actor;
        log.target = target;
    } else {
        log.actor.extend_from_slice(&actor);
        log.target.extend_from_slice(&target);
    }
    log.weight.resize(before + n, 1.0);
    if let Some(t) = log.time.as_mut() {
        t.resize(before + n, NO_TIME);
    }
    if let Some(v) = log.value.as_mut() {
        v.resize(before + n, f32::NAN);
    }
    if let Some(p) = log.post.as_mut() {
        p.resize(before + n, NO_POST);
    }
}
