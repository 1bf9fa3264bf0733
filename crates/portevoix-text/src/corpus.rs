//! The corpus: every account's posts and bio, analysed once, and the topic
//! relevance of each account against a [`Topic`].
//!
//! [`Corpus::build`] analyses the posts in parallel with an
//! [`Analyzer`] and interns their terms. [`Corpus::relevance`] compiles a topic
//! with the same analyser, once per language, matches it against every post,
//! and returns, per account:
//!
//! - **BM25** of the account's document (its posts in the time window, plus
//!   its bio) against the topic's weighted keywords and phrases;
//! - the **on-topic posts**: how many, their share, the reactions they
//!   received, and a **recency** that halves every `half_life_days`;
//! - **keyword diversity**: the share of the topic's keywords the account
//!   used;
//! - the evidence: each keyword's contribution to BM25 and the best on-topic
//!   posts with the keywords they matched.
//!
//! # Example
//!
//! ```
//! use portevoix_core::{NodeId, Post};
//! use portevoix_text::analysis::{Analyzer, Language};
//! use portevoix_text::corpus::{Corpus, CorpusOptions, RelevanceOptions};
//! use portevoix_text::topic::Topic;
//!
//! let post = |id: &str, author: u32, text: &str| Post {
//!     id: id.into(),
//!     author: NodeId(author),
//!     text: text.into(),
//!     ..Post::default()
//! };
//! let posts = vec![
//!     post("1", 0, "The Higgs boson was seen at CERN today #physics"),
//!     post("2", 0, "More on the boson: particle physics is back"),
//!     post("3", 1, "My flight to Geneva was delayed again"),
//! ];
//! let analyzer = Analyzer::builder("en").languages(&[Language::English]).build();
//! let corpus = Corpus::build(&posts, &[], &analyzer, &CorpusOptions::default());
//! let topic = Topic::new("higgs")
//!     .with_keyword("higgs boson", 3.0)
//!     .with_keyword("particle physics", 2.0)
//!     .with_keyword("cern", 1.0);
//! let relevance = corpus.relevance(&topic, &RelevanceOptions::default()).unwrap();
//! let ranked = relevance.ranked();
//! assert_eq!(ranked[0].account, NodeId(0));
//! assert_eq!(ranked[0].on_topic_posts, 2);
//! assert_eq!(ranked[1].bm25, 0.0);
//! ```
//!
//! # Reference
//!
//! S. Robertson and H. Zaragoza, *The Probabilistic Relevance Framework: BM25
//! and Beyond*, Foundations and Trends in Information Retrieval 3(4), 2009.

use crate::analysis::{Analysis, Analyzer, Language, TokenKind};
use crate::topic::Topic;
use portevoix_core::{Account, Error, NodeId, Post, Timestamp};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeSet;

/// Options of [`Corpus::build`].
#[derive(Debug, Clone, PartialEq)]
pub struct CorpusOptions {
    /// Index reposts (retweets, boosts) as the re-poster's text too. Off by
    /// default: a repost carries someone else's words, and counting them would
    /// make everyone who re-shares a specialist.
    pub include_reposts: bool,
}

/// Reposts are left out by default.
impl Default for CorpusOptions {
    fn default() -> CorpusOptions {
        CorpusOptions {
            include_reposts: false,
        }
    }
}

/// Where an indexed text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Source {
    /// The post at this index of the slice given to [`Corpus::build`].
    Post {
        /// Index in the posts slice.
        index: usize,
    },
    /// The bio of the account.
    Bio,
}

/// One analysed text: a post or a bio.
#[derive(Debug, Clone)]
struct Doc {
    source: Source,
    author: NodeId,
    time: Option<Timestamp>,
    language: Option<Language>,
    reactions: u64,
    /// (term id, position), in token order.
    terms: Vec<(u32, u32)>,
}

/// The documents of one account, as a range of [`Corpus::order`].
#[derive(Debug, Clone)]
struct AuthorDocs {
    account: NodeId,
    start: usize,
    end: usize,
}

/// Every account's posts and bio, analysed and indexed.
///
/// Built once with [`Corpus::build`]; read-only afterwards and `Send + Sync`,
/// so one corpus serves the relevance of many topics.
#[derive(Debug, Clone)]
pub struct Corpus {
    analyzer: Analyzer,
    vocabulary: FxHashMap<Box<str>, u32>,
    terms: Vec<Box<str>>,
    docs: Vec<Doc>,
    /// Document indices grouped by author (ascending id), posts in input order then the bio.
    order: Vec<u32>,
    authors: Vec<AuthorDocs>,
    reposts_skipped: usize,
    bytes: usize,
    /// Posts among `docs` (they come first, bios after).
    posts: usize,
}

/// Sum of the reactions a post received (reposts, replies, likes, quotes;
/// impressions are views, not reactions).
pub fn reactions_of(post: &Post) -> u64 {
    let r = &post.reactions;
    [r.reposts, r.replies, r.likes, r.quotes]
        .iter()
        .map(|v| v.unwrap_or(0))
        .fold(0u64, u64::saturating_add)
}

impl Corpus {
    /// Analyses and indexes posts and bios.
    ///
    /// # Arguments
    ///
    /// * `posts`: the posts, as read (for instance `Dataset::posts`). A post's
    ///   `language` metadata, when it names a known language, is trusted;
    ///   otherwise the analyser detects the language.
    /// * `accounts`: profiles; each non-empty bio becomes one more document of
    ///   its account.
    /// * `analyzer`: the analyser; topics are compiled with the same one.
    /// * `options`: see [`CorpusOptions`].
    ///
    /// # Returns
    ///
    /// The corpus, with documents grouped by author in ascending id order.
    ///
    /// # Complexity
    ///
    /// O(total text length) for the analysis, in parallel over posts; the
    /// interning of terms is sequential, in input order, so term ids and every
    /// result are the same for any number of threads.
    pub fn build(
        posts: &[Post],
        accounts: &[Account],
        analyzer: &Analyzer,
        options: &CorpusOptions,
    ) -> Corpus {
        let analysed: Vec<Option<Analysis>> = posts
            .par_iter()
            .map(|post| {
                if post.repost_of.is_some() && !options.include_reposts {
                    return None;
                }
                let language = post.language.as_deref().and_then(Language::from_code);
                Some(analyzer.analyze_in(&post.text, language))
            })
            .collect();
        let bios: Vec<(NodeId, Analysis)> = accounts
            .par_iter()
            .filter_map(|account| {
                let bio = account.bio.as_deref()?.trim();
                if bio.is_empty() {
                    return None;
                }
                let language = account.language.as_deref().and_then(Language::from_code);
                Some((account.id, analyzer.analyze_in(bio, language)))
            })
            .collect();

        let mut corpus = Corpus {
            analyzer: analyzer.clone(),
            vocabulary: FxHashMap::default(),
            terms: Vec::new(),
            docs: Vec::with_capacity(posts.len() + bios.len()),
            order: Vec::new(),
            authors: Vec::new(),
            reposts_skipped: 0,
            bytes: 0,
            posts: 0,
        };
        for (index, (post, analysis)) in posts.iter().zip(analysed).enumerate() {
            let Some(analysis) = analysis else {
                corpus.reposts_skipped += 1;
                continue;
            };
            corpus.bytes += post.text.len();
            let doc = corpus.doc(
                Source::Post { index },
                post.author,
                post.time,
                reactions_of(post),
                &analysis,
            );
            corpus.docs.push(doc);
        }
        corpus.posts = corpus.docs.len();
        for (account, analysis) in &bios {
            let doc = corpus.doc(Source::Bio, *account, None, 0, analysis);
            corpus.docs.push(doc);
        }
        // Group by author; the sort is stable, so posts keep their input order
        // and the bio (pushed last) comes after them.
        let mut order: Vec<u32> = (0..corpus.docs.len() as u32).collect();
        order.sort_by_key(|&d| corpus.docs[d as usize].author);
        let mut start = 0;
        while start < order.len() {
            let account = corpus.docs[order[start] as usize].author;
            let mut end = start;
            while end < order.len() && corpus.docs[order[end] as usize].author == account {
                end += 1;
            }
            corpus.authors.push(AuthorDocs {
                account,
                start,
                end,
            });
            start = end;
        }
        corpus.order = order;
        corpus
    }

    fn doc(
        &mut self,
        source: Source,
        author: NodeId,
        time: Option<Timestamp>,
        reactions: u64,
        analysis: &Analysis,
    ) -> Doc {
        let terms = analysis
            .tokens
            .iter()
            .map(|t| (self.intern(&t.term), t.position))
            .collect();
        Doc {
            source,
            author,
            time,
            // An unreliable guess (short texts) is no language: such a post is
            // matched in every language of the topic rather than dropped.
            language: analysis.language.filter(|g| g.reliable).map(|g| g.language),
            reactions,
            terms,
        }
    }

    fn intern(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.vocabulary.get(term) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.terms.push(term.into());
        self.vocabulary.insert(term.into(), id);
        id
    }

    /// The analyser the corpus was built with.
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// Number of indexed posts (reposts left out unless asked for).
    pub fn num_posts(&self) -> usize {
        self.posts
    }

    /// Number of indexed bios.
    pub fn num_bios(&self) -> usize {
        self.docs.len() - self.num_posts()
    }

    /// Number of accounts with at least one indexed post or bio.
    pub fn num_accounts(&self) -> usize {
        self.authors.len()
    }

    /// Number of distinct terms.
    pub fn vocabulary_size(&self) -> usize {
        self.terms.len()
    }

    /// Number of reposts left out (see [`CorpusOptions::include_reposts`]).
    pub fn reposts_skipped(&self) -> usize {
        self.reposts_skipped
    }

    /// Bytes of post text analysed.
    pub fn text_bytes(&self) -> usize {
        self.bytes
    }

    /// Posts per detected (or declared) language, most frequent first; `None`
    /// counts the posts whose language could not be told.
    pub fn languages(&self) -> Vec<(Option<Language>, usize)> {
        let mut counts: FxHashMap<Option<Language>, usize> = FxHashMap::default();
        for d in self
            .docs
            .iter()
            .filter(|d| matches!(d.source, Source::Post { .. }))
        {
            *counts.entry(d.language).or_default() += 1;
        }
        let mut out: Vec<_> = counts.into_iter().collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }

    /// Relevance of every account of the corpus to `topic`.
    ///
    /// # Arguments
    ///
    /// * `topic`: keywords, phrases, exclusions and examples; compiled with
    ///   the corpus's analyser in each of its languages (in every language
    ///   found in the corpus when it names none).
    /// * `options`: BM25's `k1` and `b`, the time window, the reference time
    ///   of recency, how many evidence posts to keep.
    ///
    /// # Returns
    ///
    /// A [`Relevance`] with one [`AccountRelevance`] per account of the corpus
    /// (ascending id), and per-keyword statistics.
    ///
    /// BM25 of account *a*, whose document is its posts in the window and in
    /// the topic's languages, minus the posts that contain an exclusion, plus
    /// its bio:
    ///
    /// ```text
    /// bm25(a) = Σ_k  w_k · idf_k · tf(k,a)·(k1+1) / (tf(k,a) + k1·(1 − b + b·|a|/avgdl))
    /// idf_k   = ln(1 + (N − df_k + 0.5) / (df_k + 0.5))
    /// ```
    ///
    /// where *k* ranges over the keywords and phrases, `w_k` is the weight,
    /// `tf(k,a)` the number of times the account used it, `|a|` the number of
    /// terms of the account's document, `N` the number of accounts with a
    /// non-empty document and `df_k` how many of them used *k*. A post is on
    /// topic when the weights of the distinct keywords it contains reach
    /// `topic.on_topic_threshold`; recency sums `0.5^(age / half-life)` over
    /// the on-topic posts with a time.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the topic is invalid ([`Topic::validate`]);
    /// [`Error::Argument`] when the options are (negative `k1`, `b` outside
    /// [0, 1], an empty window).
    ///
    /// # Complexity
    ///
    /// O(T + P·m) where T is the number of indexed terms and P·m the phrase
    /// checks at matching first terms; parallel over accounts, and
    /// deterministic: every sum runs in a fixed order.
    pub fn relevance(&self, topic: &Topic, options: &RelevanceOptions) -> Result<Relevance, Error> {
        topic.validate()?;
        options.validate()?;
        let compiled = self.compile(topic);

        // Pass 1: per document, matches; per account, term frequencies.
        let per_account: Vec<AccountPass> = self
            .authors
            .par_iter()
            .map(|a| {
                let mut pass = AccountPass {
                    tf: vec![0; compiled.items.len()],
                    ..AccountPass::default()
                };
                for &d in &self.order[a.start..a.end] {
                    let doc = &self.docs[d as usize];
                    let is_post = matches!(doc.source, Source::Post { .. });
                    if is_post {
                        if let Some((from, to)) = options.window {
                            match doc.time {
                                Some(t) if t >= from && t < to => {}
                                _ => {
                                    pass.outside_window += 1;
                                    continue;
                                }
                            }
                        }
                    }
                    if let (false, Some(l)) = (topic.languages.is_empty(), doc.language) {
                        if !topic.languages.contains(&l) {
                            pass.other_language += u32::from(is_post);
                            continue;
                        }
                    }
                    let matcher = compiled.matcher(doc.language);
                    if matcher.excludes(&doc.terms) {
                        pass.excluded += u32::from(is_post);
                        continue;
                    }
                    let counts = matcher.count(&doc.terms);
                    pass.length += doc.terms.len() as u64;
                    let mut score = 0.0;
                    for &(item, n) in &counts {
                        pass.tf[item as usize] += n;
                        score += compiled.items[item as usize].weight;
                    }
                    if !is_post {
                        pass.bio_matches = counts.len() as u32;
                        continue;
                    }
                    pass.posts += 1;
                    if !counts.is_empty() && score >= topic.on_topic_threshold {
                        pass.on_topic.push(OnTopic {
                            doc: d,
                            score,
                            items: counts.iter().map(|&(i, _)| i).collect(),
                        });
                    }
                }
                pass
            })
            .collect();

        // Collection statistics, in account order.
        let documents = per_account.iter().filter(|p| p.length > 0).count();
        let total_length: u64 = per_account.iter().map(|p| p.length).sum();
        let average_length = if documents == 0 {
            0.0
        } else {
            total_length as f64 / documents as f64
        };
        let mut df = vec![0usize; compiled.items.len()];
        let mut item_posts = vec![0usize; compiled.items.len()];
        for p in &per_account {
            for (i, &tf) in p.tf.iter().enumerate() {
                df[i] += usize::from(tf > 0);
            }
            for on in &p.on_topic {
                for &i in &on.items {
                    item_posts[i as usize] += 1;
                }
            }
        }
        let n = documents as f64;
        let idf: Vec<f64> = df
            .iter()
            .map(|&d| (1.0 + (n - d as f64 + 0.5) / (d as f64 + 0.5)).ln())
            .collect();
        let reference_time = options
            .reference_time
            .or(options.window.map(|(_, to)| to))
            .or_else(|| self.docs.iter().filter_map(|d| d.time).max());
        let user_keywords = compiled.items.iter().filter(|i| !i.from_example).count();

        // Pass 2: scores and evidence.
        let accounts: Vec<AccountRelevance> = self
            .authors
            .par_iter()
            .zip(per_account.par_iter())
            .map(|(a, p)| {
                let norm = if average_length > 0.0 {
                    options.k1 * (1.0 - options.b + options.b * p.length as f64 / average_length)
                } else {
                    options.k1
                };
                let mut terms = Vec::new();
                let mut bm25 = 0.0;
                for (i, &tf) in p.tf.iter().enumerate() {
                    if tf == 0 {
                        continue;
                    }
                    let item = &compiled.items[i];
                    let tf_f = f64::from(tf);
                    let contribution =
                        item.weight * idf[i] * tf_f * (options.k1 + 1.0) / (tf_f + norm);
                    bm25 += contribution;
                    terms.push(TermContribution {
                        keyword: item.text.clone(),
                        from_example: item.from_example,
                        occurrences: tf,
                        contribution,
                    });
                }
                terms.sort_by(|x, y| {
                    y.contribution
                        .total_cmp(&x.contribution)
                        .then_with(|| x.keyword.cmp(&y.keyword))
                });
                let matched_keywords =
                    p.tf.iter()
                        .zip(&compiled.items)
                        .filter(|(tf, item)| **tf > 0 && !item.from_example)
                        .count();
                let on_topic_reactions = p
                    .on_topic
                    .iter()
                    .map(|o| self.docs[o.doc as usize].reactions)
                    .fold(0u64, u64::saturating_add);
                let mut recency = 0.0;
                let mut undated = 0;
                for o in &p.on_topic {
                    match (self.docs[o.doc as usize].time, reference_time) {
                        (Some(t), Some(now)) => {
                            let age_days =
                                ((now.millis() - t.millis()).max(0)) as f64 / 86_400_000.0;
                            recency += 0.5f64.powf(age_days / topic.half_life_days);
                        }
                        _ => undated += 1,
                    }
                }
                let mut best: Vec<&OnTopic> = p.on_topic.iter().collect();
                best.sort_by(|x, y| {
                    let (dx, dy) = (&self.docs[x.doc as usize], &self.docs[y.doc as usize]);
                    y.score
                        .total_cmp(&x.score)
                        .then(dy.reactions.cmp(&dx.reactions))
                        .then(x.doc.cmp(&y.doc))
                });
                let top_posts = best
                    .iter()
                    .take(options.evidence_posts)
                    .map(|o| {
                        let doc = &self.docs[o.doc as usize];
                        PostMatch {
                            post: match doc.source {
                                Source::Post { index } => index,
                                Source::Bio => usize::MAX,
                            },
                            score: o.score,
                            reactions: doc.reactions,
                            time: doc.time,
                            keywords: o
                                .items
                                .iter()
                                .map(|&i| compiled.items[i as usize].text.clone())
                                .collect(),
                        }
                    })
                    .collect();
                AccountRelevance {
                    account: a.account,
                    bm25,
                    posts: p.posts,
                    on_topic_posts: p.on_topic.len() as u32,
                    on_topic_share: if p.posts == 0 {
                        0.0
                    } else {
                        p.on_topic.len() as f64 / f64::from(p.posts)
                    },
                    on_topic_reactions,
                    keyword_diversity: if user_keywords == 0 {
                        0.0
                    } else {
                        matched_keywords as f64 / user_keywords as f64
                    },
                    keywords_matched: matched_keywords as u32,
                    recency,
                    undated_on_topic: undated,
                    bio_matches: p.bio_matches,
                    excluded_posts: p.excluded,
                    length: p.length,
                    terms,
                    top_posts,
                }
            })
            .collect();

        let keywords = compiled
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| KeywordStats {
                keyword: item.text.clone(),
                weight: item.weight,
                language: item.language,
                from_example: item.from_example,
                accounts: df[i],
                on_topic_posts: item_posts[i],
                idf: idf[i],
                matchable: item.matchable,
            })
            .collect();
        Ok(Relevance {
            topic: topic.name.clone(),
            documents,
            average_length,
            posts_considered: per_account.iter().map(|p| p.posts as usize).sum(),
            posts_outside_window: per_account.iter().map(|p| p.outside_window as usize).sum(),
            posts_other_language: per_account.iter().map(|p| p.other_language as usize).sum(),
            posts_excluded: per_account.iter().map(|p| p.excluded as usize).sum(),
            reference_time,
            keywords,
            warnings: compiled.warnings,
            accounts,
        })
    }

    /// The on-topic decision for every indexed post, in input order.
    ///
    /// # Arguments
    ///
    /// * `topic`: as for [`Corpus::relevance`]; the time window does not
    ///   apply here.
    ///
    /// # Returns
    ///
    /// One [`PostTopicMatch`] per indexed post (bios excluded): its score (sum
    /// of the weights of the distinct keywords it contains), whether it
    /// contains an exclusion, whether its language is one of the topic's, and
    /// the decision.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the topic is invalid.
    ///
    /// # Complexity
    ///
    /// O(T + P·m), as [`Corpus::relevance`], in parallel over posts.
    pub fn match_posts(&self, topic: &Topic) -> Result<Vec<PostTopicMatch>, Error> {
        topic.validate()?;
        let compiled = self.compile(topic);
        Ok(self
            .docs
            .par_iter()
            .filter_map(|doc| {
                let Source::Post { index } = doc.source else {
                    return None;
                };
                let in_language = topic.languages.is_empty()
                    || doc.language.is_none_or(|l| topic.languages.contains(&l));
                let matcher = compiled.matcher(doc.language);
                let excluded = matcher.excludes(&doc.terms);
                let counts = matcher.count(&doc.terms);
                let score: f64 = counts
                    .iter()
                    .map(|&(i, _)| compiled.items[i as usize].weight)
                    .sum();
                Some(PostTopicMatch {
                    post: index,
                    account: doc.author,
                    language: doc.language,
                    in_topic_language: in_language,
                    excluded,
                    score,
                    on_topic: in_language
                        && !excluded
                        && !counts.is_empty()
                        && score >= topic.on_topic_threshold,
                    keywords: counts
                        .iter()
                        .map(|&(i, _)| compiled.items[i as usize].text.clone())
                        .collect(),
                })
            })
            .collect())
    }

    /// Compiles a topic into per-language matchers over this corpus's term ids.
    fn compile(&self, topic: &Topic) -> CompiledTopic {
        let languages: Vec<Language> = if topic.languages.is_empty() {
            let seen: BTreeSet<Language> = self.docs.iter().filter_map(|d| d.language).collect();
            if seen.is_empty() {
                Language::all()
                    .iter()
                    .copied()
                    .filter(|l| *l == Language::English)
                    .collect()
            } else {
                seen.into_iter().collect()
            }
        } else {
            topic.languages.clone()
        };
        let mut items: Vec<Item> = Vec::new();
        let mut warnings = Vec::new();
        // User keywords: one item each, with a pattern per language.
        let mut patterns: Vec<(usize, Language, Pattern)> = Vec::new();
        for k in &topic.keywords {
            let item = items.len();
            items.push(Item {
                text: k.text.clone(),
                weight: k.weight,
                language: k.language,
                from_example: false,
                matchable: false,
            });
            for &l in &languages {
                if k.language.is_some_and(|only| only != l) {
                    continue;
                }
                match self.pattern(&k.text, l) {
                    Some(p) => patterns.push((item, l, p)),
                    None => warnings.push(format!(
                        "keyword {:?} has no searchable term in {} (only stop words or punctuation)",
                        k.text,
                        l.code()
                    )),
                }
            }
        }
        // Example texts: their most characteristic word terms, per language.
        if !topic.examples.is_empty() && topic.example_weight > 0.0 && topic.example_terms > 0 {
            let mut counts: Vec<(Language, FxHashMap<String, u32>)> = Vec::new();
            for text in &topic.examples {
                let forced = (languages.len() == 1).then(|| languages[0]);
                let analysis = self.analyzer.analyze_in(text, forced);
                let Some(l) = analysis.language.map(|g| g.language).or(forced) else {
                    warnings.push(format!(
                        "example {:?}: language not recognised",
                        short(text)
                    ));
                    continue;
                };
                if !languages.contains(&l) {
                    warnings.push(format!(
                        "example {:?} is in {}, outside the topic's languages",
                        short(text),
                        l.code()
                    ));
                    continue;
                }
                let slot = match counts.iter().position(|(x, _)| *x == l) {
                    Some(i) => i,
                    None => {
                        counts.push((l, FxHashMap::default()));
                        counts.len() - 1
                    }
                };
                for t in analysis.tokens.iter().filter(|t| t.kind == TokenKind::Word) {
                    *counts[slot].1.entry(t.term.clone()).or_default() += 1;
                }
            }
            // Rank candidate terms by tf·idf over the corpus's posts, so that the
            // example's topical words ("claim", "baggage") lead and the words
            // every post uses ("day", "still") fall behind.
            let candidates: FxHashMap<u32, ()> = counts
                .iter()
                .flat_map(|(_, c)| c.keys())
                .filter_map(|t| self.vocabulary.get(t.as_str()).map(|&id| (id, ())))
                .collect();
            let df = self.document_frequencies(&candidates);
            let posts = self.num_posts().max(1) as f64;
            for (l, c) in counts {
                let mut terms: Vec<(String, u32, f64)> = c
                    .into_iter()
                    .filter_map(|(term, count)| {
                        // A term the corpus never contains cannot match.
                        let &id = self.vocabulary.get(term.as_str())?;
                        let n = df.get(&id).copied().unwrap_or(0) as f64;
                        let idf = (1.0 + (posts - n + 0.5) / (n + 0.5)).ln();
                        Some((term, id, f64::from(count) * idf))
                    })
                    .collect();
                terms.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
                let max = terms.first().map_or(1.0, |t| t.2);
                let mut taken = 0;
                for (term, id, score) in terms {
                    if taken == topic.example_terms {
                        break;
                    }
                    let covered = patterns.iter().any(|(_, pl, p)| {
                        *pl == l && matches!(p, Pattern::Term(t) if t == &Some(id))
                    });
                    if covered {
                        continue;
                    }
                    let item = items.len();
                    items.push(Item {
                        text: term,
                        weight: topic.example_weight * score / max,
                        language: Some(l),
                        from_example: true,
                        matchable: true,
                    });
                    patterns.push((item, l, Pattern::Term(Some(id))));
                    taken += 1;
                }
            }
        }
        let mut exclusions: Vec<(Language, Pattern)> = Vec::new();
        for e in &topic.exclusions {
            for &l in &languages {
                if let Some(p) = self.pattern(e, l) {
                    exclusions.push((l, p));
                }
            }
        }
        for (item, _, p) in &patterns {
            if p.matchable() {
                items[*item].matchable = true;
            }
        }
        let matcher = |keep: &dyn Fn(Language) -> bool| {
            let mut m = Matcher::default();
            for (item, l, p) in &patterns {
                if keep(*l) {
                    m.keywords.add(*item as u32, p);
                }
            }
            for (l, p) in &exclusions {
                if keep(*l) {
                    m.exclusions.add(0, p);
                }
            }
            m
        };
        let by_language = languages
            .iter()
            .map(|&l| (l, matcher(&|x| x == l)))
            .collect();
        // Documents of unknown language are matched against every language's patterns.
        let any = matcher(&|_| true);
        CompiledTopic {
            items,
            by_language,
            any,
            warnings,
        }
    }

    /// Number of posts containing each of `terms`.
    fn document_frequencies(&self, terms: &FxHashMap<u32, ()>) -> FxHashMap<u32, usize> {
        let mut df: FxHashMap<u32, usize> = FxHashMap::default();
        let mut seen: Vec<u32> = Vec::new();
        for d in self
            .docs
            .iter()
            .filter(|d| matches!(d.source, Source::Post { .. }))
        {
            seen.clear();
            seen.extend(
                d.terms
                    .iter()
                    .map(|t| t.0)
                    .filter(|t| terms.contains_key(t)),
            );
            seen.sort_unstable();
            seen.dedup();
            for &t in &seen {
                *df.entry(t).or_default() += 1;
            }
        }
        df
    }

    /// Analyses a keyword or exclusion in `language`: one term, or a phrase of
    /// terms with their position offsets. A `#hashtag` keyword matches the
    /// hashtag token; inside a phrase, hashtags count as their words.
    fn pattern(&self, text: &str, language: Language) -> Option<Pattern> {
        let analysis = self.analyzer.analyze_in(text, Some(language));
        let tokens = &analysis.tokens;
        let first = tokens.first()?;
        let id = |term: &str| self.vocabulary.get(term).copied();
        if tokens.iter().all(|t| t.position == first.position) {
            let pick = tokens
                .iter()
                .find(|t| t.kind != TokenKind::Word)
                .unwrap_or(first);
            return Some(Pattern::Term(id(&pick.term)));
        }
        let mut parts: Vec<(Option<u32>, u32)> = Vec::new();
        let mut last = None;
        for t in tokens {
            if last == Some(t.position) {
                continue; // one token per position: the word from a hashtag, or the first
            }
            let word_here = tokens
                .iter()
                .filter(|x| x.position == t.position)
                .find(|x| x.kind == TokenKind::Word)
                .unwrap_or(t);
            parts.push((id(&word_here.term), t.position - first.position));
            last = Some(t.position);
        }
        Some(Pattern::Phrase(parts))
    }
}

fn short(text: &str) -> String {
    text.chars().take(40).collect()
}

/// A keyword or phrase over term ids; `None` for a term the corpus never
/// contains (the pattern cannot match, but the keyword still counts in
/// diversity).
#[derive(Debug, Clone)]
enum Pattern {
    Term(Option<u32>),
    Phrase(Vec<(Option<u32>, u32)>),
}

impl Pattern {
    fn matchable(&self) -> bool {
        match self {
            Pattern::Term(t) => t.is_some(),
            Pattern::Phrase(parts) => parts.iter().all(|(t, _)| t.is_some()),
        }
    }
}

/// One phrase to verify when its first term is seen.
#[derive(Debug, Clone)]
struct PhraseRule {
    item: u32,
    /// (term, offset from the first term's position), the first excluded.
    rest: Vec<(u32, u32)>,
}

/// Terms and phrases keyed by their first term, each naming the item it
/// counts for.
#[derive(Debug, Clone, Default)]
struct Rules {
    terms: FxHashMap<u32, Vec<u32>>,
    phrases: FxHashMap<u32, Vec<PhraseRule>>,
}

impl Rules {
    /// Adds a pattern that counts for `item`; a pattern with a term the
    /// corpus never contains cannot match and is left out.
    fn add(&mut self, item: u32, pattern: &Pattern) {
        if !pattern.matchable() {
            return;
        }
        match pattern {
            Pattern::Term(Some(t)) => self.terms.entry(*t).or_default().push(item),
            Pattern::Phrase(parts) => {
                let id = |t: Option<u32>| t.unwrap_or(u32::MAX); // matchable: all Some
                let rest = parts[1..].iter().map(|&(t, o)| (id(t), o)).collect();
                self.phrases
                    .entry(id(parts[0].0))
                    .or_default()
                    .push(PhraseRule { item, rest });
            }
            Pattern::Term(None) => {}
        }
    }

    fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.phrases.is_empty()
    }

    /// Calls `hit(item)` for every occurrence of every rule in `terms`, in
    /// token order; stops early when `hit` returns false.
    fn scan(&self, terms: &[(u32, u32)], mut hit: impl FnMut(u32) -> bool) {
        for (i, (t, _)) in terms.iter().enumerate() {
            for &item in self.terms.get(t).map_or(&[][..], Vec::as_slice) {
                if !hit(item) {
                    return;
                }
            }
            for r in self.phrases.get(t).map_or(&[][..], Vec::as_slice) {
                if Matcher::phrase_at(terms, i, &r.rest) && !hit(r.item) {
                    return;
                }
            }
        }
    }
}

/// Matching rules of one language: the topic's items and its exclusions.
#[derive(Debug, Clone, Default)]
struct Matcher {
    keywords: Rules,
    exclusions: Rules,
}

impl Matcher {
    /// Does the phrase starting at token `i` continue with `rest`?
    fn phrase_at(terms: &[(u32, u32)], i: usize, rest: &[(u32, u32)]) -> bool {
        let base = terms[i].1;
        rest.iter().all(|&(term, offset)| {
            let want = base + offset;
            terms[i + 1..]
                .iter()
                .take_while(|(_, p)| *p <= want)
                .any(|&(t, p)| p == want && t == term)
        })
    }

    fn excludes(&self, terms: &[(u32, u32)]) -> bool {
        let mut found = false;
        if !self.exclusions.is_empty() {
            self.exclusions.scan(terms, |_| {
                found = true;
                false
            });
        }
        found
    }

    /// Occurrences per item, sorted by item.
    fn count(&self, terms: &[(u32, u32)]) -> Vec<(u32, u32)> {
        let mut hits: Vec<u32> = Vec::new();
        self.keywords.scan(terms, |item| {
            hits.push(item);
            true
        });
        hits.sort_unstable();
        let mut out: Vec<(u32, u32)> = Vec::new();
        for h in hits {
            match out.last_mut() {
                Some((item, n)) if *item == h => *n += 1,
                _ => out.push((h, 1)),
            }
        }
        out
    }
}

/// A topic compiled against one corpus.
#[derive(Debug)]
struct CompiledTopic {
    items: Vec<Item>,
    by_language: Vec<(Language, Matcher)>,
    any: Matcher,
    warnings: Vec<String>,
}

impl CompiledTopic {
    /// The matcher of a document's language; documents of unknown language,
    /// or of a language the topic was not compiled for, get every pattern.
    fn matcher(&self, language: Option<Language>) -> &Matcher {
        language
            .and_then(|l| self.by_language.iter().find(|(m, _)| *m == l))
            .map_or(&self.any, |(_, m)| m)
    }
}

#[derive(Debug)]
struct Item {
    text: String,
    weight: f64,
    language: Option<Language>,
    from_example: bool,
    matchable: bool,
}

#[derive(Debug, Default)]
struct AccountPass {
    tf: Vec<u32>,
    length: u64,
    posts: u32,
    on_topic: Vec<OnTopic>,
    outside_window: u32,
    other_language: u32,
    excluded: u32,
    bio_matches: u32,
}

#[derive(Debug)]
struct OnTopic {
    doc: u32,
    score: f64,
    items: Vec<u32>,
}

/// Options of [`Corpus::relevance`].
#[derive(Debug, Clone, PartialEq)]
pub struct RelevanceOptions {
    /// BM25 term-frequency saturation, >= 0 (default 1.2).
    pub k1: f64,
    /// BM25 length normalisation, in [0, 1] (default 0.75).
    pub b: f64,
    /// Only posts with a time in `[from, to)` count; posts without a time are
    /// then left out and counted. `None`: every post.
    pub window: Option<(Timestamp, Timestamp)>,
    /// "Now" for recency; default: the end of the window, else the latest
    /// post time in the corpus.
    pub reference_time: Option<Timestamp>,
    /// How many on-topic posts each account keeps as evidence (default 3).
    pub evidence_posts: usize,
}

/// Robertson and Zaragoza's usual k1 = 1.2, b = 0.75; no window; three
/// evidence posts.
impl Default for RelevanceOptions {
    fn default() -> RelevanceOptions {
        RelevanceOptions {
            k1: 1.2,
            b: 0.75,
            window: None,
            reference_time: None,
            evidence_posts: 3,
        }
    }
}

impl RelevanceOptions {
    fn validate(&self) -> Result<(), Error> {
        if !(self.k1.is_finite() && self.k1 >= 0.0) {
            return Err(Error::argument(
                "k1",
                format!("BM25 k1 is {}; it must be >= 0", self.k1),
            ));
        }
        if !(0.0..=1.0).contains(&self.b) {
            return Err(Error::argument(
                "b",
                format!("BM25 b is {}; it must be in [0, 1]", self.b),
            ));
        }
        if let Some((from, to)) = self.window {
            if from >= to {
                return Err(Error::argument(
                    "window",
                    format!(
                        "the time window [{}, {}) is empty",
                        from.to_iso8601(),
                        to.to_iso8601()
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The on-topic decision for one post (see [`Corpus::match_posts`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PostTopicMatch {
    /// Index of the post in the slice given to [`Corpus::build`].
    pub post: usize,
    /// Its author.
    pub account: NodeId,
    /// Its language, declared or detected.
    pub language: Option<Language>,
    /// Whether the language is one of the topic's (or unknown, or the topic
    /// names none).
    pub in_topic_language: bool,
    /// Whether it contains an exclusion.
    pub excluded: bool,
    /// Sum of the weights of the distinct keywords it contains.
    pub score: f64,
    /// In a topic language, no exclusion, and `score` reaches the threshold.
    pub on_topic: bool,
    /// The keywords it contains, in topic order.
    pub keywords: Vec<String>,
}

/// One keyword's share of an account's BM25.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermContribution {
    /// The keyword as written in the topic (or the example term).
    pub keyword: String,
    /// Whether it came from the topic's example texts.
    pub from_example: bool,
    /// Times the account used it.
    pub occurrences: u32,
    /// Its term of the BM25 sum.
    pub contribution: f64,
}

/// An on-topic post kept as evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PostMatch {
    /// Index of the post in the slice given to [`Corpus::build`].
    pub post: usize,
    /// Sum of the weights of the distinct keywords it contains.
    pub score: f64,
    /// Reactions it received.
    pub reactions: u64,
    /// When it was posted.
    pub time: Option<Timestamp>,
    /// The keywords it contains.
    pub keywords: Vec<String>,
}

/// How relevant one account is to the topic, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountRelevance {
    /// The account.
    pub account: NodeId,
    /// BM25 of its posts and bio against the topic (see [`Corpus::relevance`]).
    pub bm25: f64,
    /// Posts counted (in the window, in the topic's languages).
    pub posts: u32,
    /// Posts on topic.
    pub on_topic_posts: u32,
    /// `on_topic_posts / posts`, 0 without posts.
    pub on_topic_share: f64,
    /// Reactions received by the on-topic posts.
    pub on_topic_reactions: u64,
    /// Share of the topic's keywords (not the example terms) the account used.
    pub keyword_diversity: f64,
    /// Number of the topic's keywords the account used.
    pub keywords_matched: u32,
    /// Σ over dated on-topic posts of `0.5^(age / half-life)`.
    pub recency: f64,
    /// On-topic posts without a time (not in `recency`).
    pub undated_on_topic: u32,
    /// Distinct keywords found in the bio.
    pub bio_matches: u32,
    /// Posts left out because they contain an exclusion.
    pub excluded_posts: u32,
    /// Terms in the account's document (BM25's |a|).
    pub length: u64,
    /// Each keyword's contribution, largest first; they add up to `bm25`.
    pub terms: Vec<TermContribution>,
    /// The best on-topic posts: highest score, then most reactions.
    pub top_posts: Vec<PostMatch>,
}

/// Statistics of one keyword over the corpus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeywordStats {
    /// As written in the topic, or the example term.
    pub keyword: String,
    /// Its weight.
    pub weight: f64,
    /// The one language it is compiled for, if any.
    pub language: Option<Language>,
    /// Whether it came from the example texts.
    pub from_example: bool,
    /// Accounts that used it (BM25's df).
    pub accounts: usize,
    /// On-topic posts that contain it.
    pub on_topic_posts: usize,
    /// Its BM25 idf.
    pub idf: f64,
    /// False when no form of it occurs anywhere in the corpus.
    pub matchable: bool,
}

/// The relevance of every account of a corpus to one topic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relevance {
    /// The topic's name.
    pub topic: String,
    /// Accounts with a non-empty document (BM25's N).
    pub documents: usize,
    /// Mean document length in terms (BM25's avgdl).
    pub average_length: f64,
    /// Posts counted.
    pub posts_considered: usize,
    /// Posts outside the time window (or without a time when there is one).
    pub posts_outside_window: usize,
    /// Posts in languages outside the topic's.
    pub posts_other_language: usize,
    /// Posts that contain an exclusion.
    pub posts_excluded: usize,
    /// "Now" for recency.
    pub reference_time: Option<Timestamp>,
    /// Per keyword.
    pub keywords: Vec<KeywordStats>,
    /// Keywords that cannot match, examples in other languages.
    pub warnings: Vec<String>,
    /// Per account, ascending id.
    pub accounts: Vec<AccountRelevance>,
}

impl Relevance {
    /// The account's row, if it has posts or a bio in the corpus.
    pub fn get(&self, account: NodeId) -> Option<&AccountRelevance> {
        self.accounts
            .binary_search_by_key(&account, |a| a.account)
            .ok()
            .map(|i| &self.accounts[i])
    }

    /// Accounts by BM25, highest first; ties by ascending id.
    pub fn ranked(&self) -> Vec<&AccountRelevance> {
        let mut out: Vec<&AccountRelevance> = self.accounts.iter().collect();
        out.sort_by(|a, b| b.bm25.total_cmp(&a.bm25).then(a.account.cmp(&b.account)));
        out
    }
}
