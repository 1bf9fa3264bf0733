//! The `topics` outputs: JSON Lines (one row per topic) and a readable
//! table with a sparkline of each topic's volume.
//!
//! A JSON row holds, in this order: `topic`, `posts`, `authors`, `volume`
//! (`[{period, posts, authors}]`, every period of the data), `trend`
//! (`(last − mean) / mean` of the last complete period against the
//! topic's earlier ones, or `null`), `people` (`[{id, handle, name,
//! contextual_score, rank, tier, role, pyramid_level, posts}]`), `keywords`
//! (`[{term, tfidf, posts}]`), then `source` (`tag` or `hashtag`),
//! `undated` and `period`.

use portevoix_score::topics::{Keyword, Period, TopicPerson, TopicSummary, Topics, VolumePoint};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write;

/// One JSON Lines row, fields in contract order.
#[derive(Serialize)]
struct Row<'a> {
    topic: &'a str,
    posts: u64,
    authors: u64,
    volume: &'a [VolumePoint],
    trend: Option<f64>,
    people: &'a [TopicPerson],
    keywords: &'a [Keyword],
    source: &'static str,
    undated: u64,
    period: Period,
}

/// Writes one JSON object per topic, in rank order.
///
/// # Errors
///
/// What the writer reports.
///
/// # Example
///
/// ```
/// use portevoix_report::topics::write_jsonl;
/// use portevoix_score::topics::{Period, Topics};
/// let t = Topics { period: Period::Month, posts: 0, topics_found: 0, span: None, topics: vec![], notes: vec![] };
/// let mut out = Vec::new();
/// write_jsonl(&t, &mut out).unwrap();
/// assert!(out.is_empty());
/// ```
pub fn write_jsonl(topics: &Topics, mut out: impl Write) -> std::io::Result<()> {
    for t in &topics.topics {
        let row = Row {
            topic: &t.topic,
            posts: t.posts,
            authors: t.authors,
            volume: &t.volume,
            trend: t.trend,
            people: &t.people,
            keywords: &t.keywords,
            source: t.source.name(),
            undated: t.undated,
            period: topics.period,
        };
        serde_json::to_writer(&mut out, &row)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// Periods shown in a table's sparkline (the last ones).
const SPARK_PERIODS: usize = 24;

/// The volume as a sparkline of its last [`SPARK_PERIODS`] periods, scaled
/// to the topic's busiest one.
fn sparkline(volume: &[VolumePoint]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let shown = &volume[volume.len().saturating_sub(SPARK_PERIODS)..];
    let max = shown.iter().map(|p| p.posts).max().unwrap_or(0);
    shown
        .iter()
        .map(|p| match p.posts {
            0 => ' ',
            n => BARS[((n * 8).div_ceil(max.max(1)) as usize).clamp(1, 8) - 1],
        })
        .collect()
}

fn trend_text(trend: Option<f64>) -> String {
    match trend {
        None => "new".into(),
        Some(t) => format!("{:+.0}%", t * 100.0),
    }
}

fn person_text(p: &TopicPerson) -> String {
    let name = match (&p.handle, &p.name) {
        (Some(h), _) => h.clone(),
        (None, Some(n)) => format!("{n} [{}]", p.id),
        (None, None) => p.id.clone(),
    };
    let class = match p.role {
        Some(role) => format!("{}, {role}", p.tier),
        None => p.tier.to_string(),
    };
    format!(
        "{name} {:.1} ({class}, level {}, {} post{})",
        p.contextual_score,
        p.pyramid_level,
        p.posts,
        if p.posts == 1 { "" } else { "s" }
    )
}

fn topic_block(out: &mut String, rank: usize, t: &TopicSummary) {
    let _ = writeln!(
        out,
        "{rank:>3}  {:<28} {:>7} {:>7} {:>7}  {}",
        t.topic,
        t.posts,
        t.authors,
        trend_text(t.trend),
        sparkline(&t.volume)
    );
    if !t.people.is_empty() {
        let people: Vec<String> = t.people.iter().map(person_text).collect();
        let _ = writeln!(out, "     people:   {}", people.join("; "));
    }
    if !t.keywords.is_empty() {
        let words: Vec<&str> = t.keywords.iter().map(|k| k.term.as_str()).collect();
        let _ = writeln!(out, "     keywords: {}", words.join(", "));
    }
}

/// The readable table: a header with the span and period, then per topic a
/// line (rank, name, posts, authors, trend, sparkline of the last 24
/// periods) with its people and keywords below.
///
/// ```
/// use portevoix_report::topics::render_table;
/// use portevoix_score::topics::{Period, Topics};
/// let t = Topics { period: Period::Week, posts: 3, topics_found: 0, span: None, topics: vec![],
///     notes: vec!["no topic".into()] };
/// assert!(render_table(&t).contains("no topic"));
/// ```
pub fn render_table(topics: &Topics) -> String {
    let mut out = String::new();
    let span = match &topics.span {
        Some((a, b)) => format!(", {a} to {b}"),
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "{} topics in {} posts{span}; volume by {}, trend = last complete {} against the topic's mean before it",
        topics.topics_found,
        topics.posts,
        topics.period.name(),
        topics.period.name()
    );
    for note in &topics.notes {
        let _ = writeln!(out, "note: {note}");
    }
    if topics.topics.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "\n{:>3}  {:<28} {:>7} {:>7} {:>7}  volume (last {} {}s)",
        "#",
        "topic",
        "posts",
        "authors",
        "trend",
        SPARK_PERIODS,
        topics.period.name()
    );
    for (i, t) in topics.topics.iter().enumerate() {
        topic_block(&mut out, i + 1, t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(posts: u64) -> VolumePoint {
        VolumePoint {
            period: String::new(),
            posts,
            authors: posts.min(1),
        }
    }

    #[test]
    fn sparkline_scales_to_the_busiest_period_and_leaves_empty_ones_blank() {
        let v: Vec<VolumePoint> = [0, 1, 4, 8].into_iter().map(point).collect();
        assert_eq!(sparkline(&v), " ▁▄█");
    }

    #[test]
    fn trend_reads_as_a_percentage() {
        assert_eq!(trend_text(Some(0.5)), "+50%");
        assert_eq!(trend_text(Some(-1.0)), "-100%");
        assert_eq!(trend_text(None), "new");
    }
}
