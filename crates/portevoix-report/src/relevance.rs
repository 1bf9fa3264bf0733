//! The output of `portevoix analyze`: the accounts most relevant to a topic,
//! with the keywords and posts behind each score.

use portevoix_core::NodeId;
use portevoix_ingest::Dataset;
use portevoix_text::corpus::{Corpus, KeywordStats, Relevance, TermContribution};
use serde::Serialize;
use std::fmt::Write;

/// Wall-clock milliseconds of each step of `analyze`.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct AnalyzeTimings {
    /// Reading and parsing the inputs.
    pub load: f64,
    /// Analysing and indexing the posts and bios.
    pub index: f64,
    /// Compiling the topic and scoring every account.
    pub relevance: f64,
}

/// Posts per language.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageCount {
    /// ISO 639-1 code, or `"unknown"`.
    pub language: String,
    /// Indexed posts in it.
    pub posts: usize,
}

/// An on-topic post shown as evidence.
#[derive(Debug, Clone, Serialize)]
pub struct EvidencePost {
    /// The post's id.
    pub id: String,
    /// ISO 8601 time, when known.
    pub time: Option<String>,
    /// Sum of the weights of the distinct keywords it contains.
    pub score: f64,
    /// Reactions it received.
    pub reactions: u64,
    /// The keywords it contains.
    pub keywords: Vec<String>,
    /// Its text.
    pub text: String,
}

/// One account of the ranking.
#[derive(Debug, Clone, Serialize)]
pub struct RelevantAccount {
    /// 1-based rank by BM25.
    pub rank: usize,
    /// External id.
    pub id: String,
    /// `@handle` when known, else the external id.
    pub label: String,
    /// BM25 against the topic.
    pub bm25: f64,
    /// Posts counted.
    pub posts: u32,
    /// Posts on topic.
    pub on_topic_posts: u32,
    /// Share of posts on topic.
    pub on_topic_share: f64,
    /// Reactions to the on-topic posts.
    pub on_topic_reactions: u64,
    /// Share of the topic's keywords used.
    pub keyword_diversity: f64,
    /// Recency of the on-topic posts.
    pub recency: f64,
    /// Distinct keywords in the bio.
    pub bio_matches: u32,
    /// Each keyword's share of BM25, largest first.
    pub terms: Vec<TermContribution>,
    /// The best on-topic posts.
    pub posts_behind: Vec<EvidencePost>,
}

/// Everything `analyze` reports.
#[derive(Debug, Clone, Serialize)]
pub struct RelevanceReport {
    /// The topic's name.
    pub topic: String,
    /// The analyser's name.
    pub analyzer: String,
    /// Posts indexed (reposts left out unless asked for).
    pub posts_indexed: usize,
    /// Reposts left out.
    pub reposts_skipped: usize,
    /// Bios indexed.
    pub bios_indexed: usize,
    /// Accounts with a post or a bio.
    pub accounts: usize,
    /// Distinct terms.
    pub vocabulary: usize,
    /// Indexed posts per language.
    pub languages: Vec<LanguageCount>,
    /// Posts counted for the topic.
    pub posts_considered: usize,
    /// Posts outside the time window.
    pub posts_outside_window: usize,
    /// Posts in other languages than the topic's.
    pub posts_other_language: usize,
    /// Posts containing an exclusion.
    pub posts_excluded: usize,
    /// Accounts with at least one on-topic post.
    pub accounts_on_topic: usize,
    /// "Now" for recency, ISO 8601.
    pub reference_time: Option<String>,
    /// Per keyword: weight, accounts, on-topic posts, idf.
    pub keywords: Vec<KeywordStats>,
    /// Keywords that cannot match, and the like.
    pub warnings: Vec<String>,
    /// Wall-clock timings.
    pub timings_ms: AnalyzeTimings,
    /// The most relevant accounts (BM25 > 0), highest first, ties by id.
    pub top: Vec<RelevantAccount>,
}

/// An account's external id and label, read from the dataset's interner.
fn dataset_label(dataset: &Dataset, node: NodeId) -> (String, String) {
    let id = dataset
        .interner
        .try_name(node)
        .map_or_else(|| node.0.to_string(), |n| n.to_string());
    let label = match dataset.handle(node) {
        Some(h) => format!("@{h}"),
        None => id.clone(),
    };
    (id, label)
}

/// Builds the report: the `top` accounts with a BM25 above zero, labelled,
/// with their evidence posts' ids and texts.
pub fn relevance_report(
    dataset: &Dataset,
    corpus: &Corpus,
    relevance: &Relevance,
    top: usize,
    timings: AnalyzeTimings,
) -> RelevanceReport {
    let ranked = relevance.ranked();
    let top = ranked
        .iter()
        .filter(|a| a.bm25 > 0.0)
        .take(top)
        .enumerate()
        .map(|(i, a)| {
            let (id, label) = dataset_label(dataset, a.account);
            RelevantAccount {
                rank: i + 1,
                id,
                label,
                bm25: a.bm25,
                posts: a.posts,
                on_topic_posts: a.on_topic_posts,
                on_topic_share: a.on_topic_share,
                on_topic_reactions: a.on_topic_reactions,
                keyword_diversity: a.keyword_diversity,
                recency: a.recency,
                bio_matches: a.bio_matches,
                terms: a.terms.clone(),
                posts_behind: a
                    .top_posts
                    .iter()
                    .filter_map(|m| {
                        let post = dataset.posts.get(m.post)?;
                        Some(EvidencePost {
                            id: post.id.clone(),
                            time: m.time.map(|t| t.to_iso8601()),
                            score: m.score,
                            reactions: m.reactions,
                            keywords: m.keywords.clone(),
                            text: post.text.clone(),
                        })
                    })
                    .collect(),
            }
        })
        .collect();
    RelevanceReport {
        topic: relevance.topic.clone(),
        analyzer: corpus.analyzer().name().to_string(),
        posts_indexed: corpus.num_posts(),
        reposts_skipped: corpus.reposts_skipped(),
        bios_indexed: corpus.num_bios(),
        accounts: corpus.num_accounts(),
        vocabulary: corpus.vocabulary_size(),
        languages: corpus
            .languages()
            .into_iter()
            .map(|(l, posts)| LanguageCount {
                language: l.map_or_else(|| "unknown".to_string(), |l| l.code().to_string()),
                posts,
            })
            .collect(),
        posts_considered: relevance.posts_considered,
        posts_outside_window: relevance.posts_outside_window,
        posts_other_language: relevance.posts_other_language,
        posts_excluded: relevance.posts_excluded,
        accounts_on_topic: relevance
            .accounts
            .iter()
            .filter(|a| a.on_topic_posts > 0)
            .count(),
        reference_time: relevance.reference_time.map(|t| t.to_iso8601()),
        keywords: relevance.keywords.clone(),
        warnings: relevance.warnings.clone(),
        timings_ms: timings,
        top,
    }
}

/// One line of at most `max` characters, whitespace collapsed.
fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        cut + "…"
    }
}

/// Renders the report as a readable table: the corpus, the keywords, then
/// each account with its keywords and best post.
pub fn render_table(r: &RelevanceReport) -> String {
    let mut out = String::new();
    let languages: Vec<String> = r
        .languages
        .iter()
        .map(|l| format!("{} {}", l.language, l.posts))
        .collect();
    let _ = writeln!(out, "topic: {}", r.topic);
    let _ = writeln!(
        out,
        "corpus: {} posts ({} reposts left out), {} bios, {} accounts, {} terms; languages: {}",
        r.posts_indexed,
        r.reposts_skipped,
        r.bios_indexed,
        r.accounts,
        r.vocabulary,
        languages.join(", ")
    );
    let _ = writeln!(
        out,
        "counted {} posts ({} outside the window, {} in other languages, {} excluded); {} accounts on topic{}",
        r.posts_considered,
        r.posts_outside_window,
        r.posts_other_language,
        r.posts_excluded,
        r.accounts_on_topic,
        r.reference_time
            .as_ref()
            .map_or_else(String::new, |t| format!("; recency as of {t}"))
    );
    let _ = writeln!(
        out,
        "load {:.0} ms, index {:.0} ms, relevance {:.1} ms",
        r.timings_ms.load, r.timings_ms.index, r.timings_ms.relevance
    );
    for w in &r.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<28} {:>7} {:>9} {:>12} {:>8}",
        "keyword", "weight", "accounts", "on-topic", "idf"
    );
    for k in &r.keywords {
        let name = if k.from_example {
            format!("{} (example)", k.keyword)
        } else {
            k.keyword.clone()
        };
        let _ = writeln!(
            out,
            "{:<28} {:>7.2} {:>9} {:>12} {:>8.3}",
            excerpt(&name, 28),
            k.weight,
            k.accounts,
            k.on_topic_posts,
            k.idf
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:>4}  {:<22} {:>8} {:>6} {:>9} {:>6} {:>9} {:>6} {:>8}",
        "rank", "account", "bm25", "posts", "on-topic", "share", "reactions", "div.", "recency"
    );
    for a in &r.top {
        let _ = writeln!(
            out,
            "{:>4}  {:<22} {:>8.3} {:>6} {:>9} {:>6.2} {:>9} {:>6.2} {:>8.3}",
            a.rank,
            excerpt(&a.label, 22),
            a.bm25,
            a.posts,
            a.on_topic_posts,
            a.on_topic_share,
            a.on_topic_reactions,
            a.keyword_diversity,
            a.recency
        );
        let terms: Vec<String> = a
            .terms
            .iter()
            .take(5)
            .map(|t| format!("{}×{} ({:.2})", t.keyword, t.occurrences, t.contribution))
            .collect();
        if !terms.is_empty() {
            let _ = writeln!(out, "        terms: {}", terms.join(", "));
        }
        if let Some(p) = a.posts_behind.first() {
            let _ = writeln!(
                out,
                "        post {} ({} reactions): {}",
                p.id,
                p.reactions,
                excerpt(&p.text, 100)
            );
        }
    }
    if r.top.is_empty() {
        let _ = writeln!(out, "no account matches the topic");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpt_collapses_whitespace_and_cuts_on_characters() {
        assert_eq!(excerpt("a\n b\t\tc", 10), "a b c");
        assert_eq!(excerpt("éééééé", 4), "ééé…");
        assert_eq!(excerpt("", 4), "");
    }
}
