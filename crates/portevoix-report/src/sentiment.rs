//! The output of `portevoix sentiment` on data files: per-post VADER scores,
//! the sentiment toward a target when the post mentions it, and a summary.

use serde::Serialize;
use std::fmt::Write;

/// VADER's usual reading of a compound score: positive at 0.05 and above,
/// negative at -0.05 and below, neutral between.
pub fn polarity_label(compound: f64) -> &'static str {
    if compound >= 0.05 {
        "positive"
    } else if compound <= -0.05 {
        "negative"
    } else {
        "neutral"
    }
}

/// Sentiment toward the target, in a post that mentions it.
#[derive(Debug, Clone, Serialize)]
pub struct TargetScore {
    /// Compound score of the sentences that mention the target.
    pub compound: f64,
    /// How many times the post mentions the target.
    pub mentions: usize,
}

/// One scored post.
#[derive(Debug, Clone, Serialize)]
pub struct ScoredPost {
    /// The post's id.
    pub id: String,
    /// Its author's `@handle` or external id.
    pub author: String,
    /// The language whose lexicon scored it (`en` or `fr`).
    pub lang: String,
    /// VADER's negative share.
    pub neg: f64,
    /// VADER's neutral share.
    pub neu: f64,
    /// VADER's positive share.
    pub pos: f64,
    /// VADER's compound score in [-1, 1].
    pub compound: f64,
    /// [`polarity_label`] of the compound score.
    pub polarity: &'static str,
    /// Sentiment toward the target, when one was given and the post mentions it.
    pub target: Option<TargetScore>,
    /// The post's text.
    pub text: String,
}

/// Counts over the scored posts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SentimentSummary {
    /// Posts scored.
    pub posts: usize,
    /// Posts scored with each lexicon: (`en` or `fr`, count).
    pub by_language: Vec<(String, usize)>,
    /// Positive posts.
    pub positive: usize,
    /// Neutral posts.
    pub neutral: usize,
    /// Negative posts.
    pub negative: usize,
    /// Mean compound score.
    pub mean_compound: f64,
    /// Posts that mention the target.
    pub target_posts: usize,
    /// Mean compound toward the target over those posts.
    pub target_mean_compound: Option<f64>,
    /// Wall-clock milliseconds spent scoring (not loading).
    pub scoring_ms: f64,
}

/// Summarises scored posts; sums run in post order.
pub fn summarize(posts: &[ScoredPost], scoring_ms: f64) -> SentimentSummary {
    let mut s = SentimentSummary {
        posts: posts.len(),
        scoring_ms,
        ..SentimentSummary::default()
    };
    let mut total = 0.0;
    let mut target_total = 0.0;
    for p in posts {
        match p.polarity {
            "positive" => s.positive += 1,
            "negative" => s.negative += 1,
            _ => s.neutral += 1,
        }
        total += p.compound;
        match s.by_language.iter_mut().find(|(l, _)| *l == p.lang) {
            Some((_, n)) => *n += 1,
            None => s.by_language.push((p.lang.clone(), 1)),
        }
        if let Some(t) = &p.target {
            s.target_posts += 1;
            target_total += t.compound;
        }
    }
    s.by_language.sort();
    if !posts.is_empty() {
        s.mean_compound = total / posts.len() as f64;
    }
    if s.target_posts > 0 {
        s.target_mean_compound = Some(target_total / s.target_posts as f64);
    }
    s
}

/// Renders the summary and the posts (at most `limit`, in input order) as a table.
pub fn render_table(summary: &SentimentSummary, posts: &[ScoredPost], limit: usize) -> String {
    let mut out = String::new();
    let langs: Vec<String> = summary
        .by_language
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    let pct = |n: usize| {
        if summary.posts == 0 {
            0.0
        } else {
            100.0 * n as f64 / summary.posts as f64
        }
    };
    let _ = writeln!(
        out,
        "{} posts ({}): {} positive ({:.1}%), {} neutral ({:.1}%), {} negative ({:.1}%); mean compound {:+.4}; scored in {:.1} ms",
        summary.posts,
        langs.join(", "),
        summary.positive,
        pct(summary.positive),
        summary.neutral,
        pct(summary.neutral),
        summary.negative,
        pct(summary.negative),
        summary.mean_compound,
        summary.scoring_ms
    );
    if let Some(m) = summary.target_mean_compound {
        let _ = writeln!(
            out,
            "toward the target: {} posts mention it, mean compound {:+.4}",
            summary.target_posts, m
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<20} {:<18} {:<3} {:>8} {:>6} {:>6} {:>6} {:>8}  text",
        "post", "author", "lg", "compound", "neg", "neu", "pos", "target"
    );
    for p in posts.iter().take(limit) {
        let text: String = p.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let text: String = if text.chars().count() > 80 {
            text.chars().take(79).collect::<String>() + "…"
        } else {
            text
        };
        let author: String = p.author.chars().take(18).collect();
        let target = p
            .target
            .as_ref()
            .map_or_else(|| "-".to_string(), |t| format!("{:+.4}", t.compound));
        let _ = writeln!(
            out,
            "{:<20} {:<18} {:<3} {:>+8.4} {:>6.3} {:>6.3} {:>6.3} {:>8}  {}",
            p.id, author, p.lang, p.compound, p.neg, p.neu, p.pos, target, text
        );
    }
    if posts.len() > limit {
        let _ = writeln!(
            out,
            "... {} more posts (raise --limit, or use --json for all)",
            posts.len() - limit
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(compound: f64, lang: &str, target: Option<f64>) -> ScoredPost {
        ScoredPost {
            id: "1".into(),
            author: "@a".into(),
            lang: lang.into(),
            neg: 0.0,
            neu: 1.0,
            pos: 0.0,
            compound,
            polarity: polarity_label(compound),
            target: target.map(|compound| TargetScore {
                compound,
                mentions: 1,
            }),
            text: "x".into(),
        }
    }

    #[test]
    fn labels_follow_vader_thresholds() {
        assert_eq!(polarity_label(0.05), "positive");
        assert_eq!(polarity_label(0.0499), "neutral");
        assert_eq!(polarity_label(-0.05), "negative");
    }

    #[test]
    fn summary_counts_and_means() {
        let posts = vec![
            post(0.5, "en", Some(0.5)),
            post(-0.5, "fr", None),
            post(0.0, "en", Some(-0.25)),
        ];
        let s = summarize(&posts, 1.0);
        assert_eq!((s.positive, s.neutral, s.negative), (1, 1, 1));
        assert_eq!(s.by_language, vec![("en".into(), 2), ("fr".into(), 1)]);
        assert_eq!(s.mean_compound, 0.0);
        assert_eq!(s.target_posts, 2);
        assert_eq!(s.target_mean_compound, Some(0.125));
        let table = render_table(&s, &posts, 2);
        assert!(table.contains("1 more posts"), "{table}");
    }
}
