//! Suggested keywords of a topic: tf·idf of the topic's posts against
//! every content post.
//!
//! Terms are the corpus analyser's (the project's tokeniser, language
//! detection and Snowball stemmer), so that "scripts" and "script" are one
//! keyword, shown in the surface form the topic's posts use most (ties: the
//! alphabetically first). Left out: English and French stop words (the
//! analyser drops those of a post's detected language; short posts are
//! often undetected, so both NLTK lists and [`GENERIC_WORDS`] are applied
//! to every post), the topic's
//! own name and its words (`plutus-tx` drops `plutus` and `tx`), URLs,
//! mentions, numbers and words without a letter, one-letter words,
//! emoji and emoticons, LaTeX commands (`\otimes` in a formula), and the
//! words inside a hashtag (the hashtag itself is a keyword).
//!
//! For a topic `T` of `|T|` posts among `N` content posts, a term `t` in
//! `df_T(t)` of the topic's posts and `df(t)` of all posts scores
//!
//! `tfidf(t) = df_T(t) / |T| × ln(N / df(t))`
//!
//! (term frequency counted once per post, so that one long post repeating
//! a word, a code listing for instance, does not make it the topic's word;
//! a term in every post scores 0). A keyword must be at least [`MIN_LIFT`]
//! times as frequent in the topic's posts as in all posts
//! (`df_T(t) / |T| ≥ MIN_LIFT × df(t) / N`): in a large topic, words every
//! question uses ("use", "error", "would") have a high term frequency and
//! an idf that is low but not 0, and would fill the list. It must occur in at least
//! [`MIN_KEYWORD_POSTS`] of the topic's posts, by at least two authors when
//! the topic has two: one person's signature or boilerplate is no
//! keyword of a community.

use super::extract::is_content;
use crate::engine::Engine;
use portevoix_text::analysis::{Analysis, Analyzer, Language, TokenKind};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

/// Fewest posts of a topic a keyword occurs in (when the topic has that
/// many posts).
pub const MIN_KEYWORD_POSTS: usize = 2;

/// Fewest times more frequent a keyword is in the topic's posts than in
/// all posts (see the module documentation).
pub const MIN_LIFT: f64 = 2.0;

/// One suggested keyword of a topic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Keyword {
    /// The surface form the topic's posts use most for the term.
    pub term: String,
    /// Its tf·idf (see the module documentation).
    pub tfidf: f64,
    /// The topic's posts that hold it.
    pub posts: u64,
}

/// Every content post's eligible terms, and their document frequencies.
pub struct KeywordIndex {
    /// Stems (or hashtags, with their `#`), by id.
    stems: Vec<String>,
    /// Surface forms, by id.
    surfaces: Vec<String>,
    /// Per post of the engine: `(stem, surface)` of each eligible token, in
    /// text order (empty for posts that are not content posts).
    tokens: Vec<Vec<(u32, u32)>>,
    /// Per stem: the content posts holding it.
    df: Vec<u32>,
    /// Content posts.
    documents: usize,
}

/// Words of English and French discourse that the NLTK stop lists lack
/// (modal and light verbs, vague adverbs and pronouns, number words):
/// they carry no topic, and in a small topic the idf of a word used in a
/// few posts is high whatever the word, so tf·idf alone lets them in.
/// Read on the airline tweets and the four shared Stack Exchange sites.
pub const GENERIC_WORDS: &[&str] = &[
    // English
    "able",
    "also",
    "always",
    "another",
    "anyone",
    "anything",
    "anyway",
    "around",
    "away",
    "back",
    "can't",
    "cannot",
    "could",
    "did",
    "does",
    "done",
    "either",
    "else",
    "even",
    "ever",
    "every",
    "everyone",
    "everything",
    "get",
    "gets",
    "getting",
    "go",
    "goes",
    "going",
    "got",
    "gotten",
    "however",
    "i'd",
    "instead",
    "it's",
    "let",
    "like",
    "made",
    "make",
    "makes",
    "many",
    "may",
    "maybe",
    "might",
    "much",
    "must",
    "need",
    "needs",
    "never",
    "one",
    "ones",
    "please",
    "put",
    "quite",
    "rather",
    "really",
    "said",
    "say",
    "says",
    "see",
    "seems",
    "since",
    "something",
    "someone",
    "still",
    "sure",
    "take",
    "thank",
    "thanks",
    "thing",
    "things",
    "though",
    "two",
    "three",
    "us",
    "want",
    "wants",
    "way",
    "well",
    "whatever",
    "whether",
    "within",
    "without",
    "would",
    "yes",
    "yet",
    // French
    "aussi",
    "avoir",
    "bien",
    "car",
    "cela",
    "ça",
    "comme",
    "comment",
    "donc",
    "encore",
    "être",
    "faire",
    "fait",
    "faut",
    "ici",
    "merci",
    "oui",
    "peu",
    "peut",
    "plus",
    "quand",
    "rien",
    "sans",
    "si",
    "tout",
    "tous",
    "toute",
    "toutes",
    "très",
    "trop",
    "vraiment",
];

/// Whether `word` (lower-case) is an English or French stop word (NLTK's
/// lists and [`GENERIC_WORDS`]), as written or without an elided article
/// (`l'`, `qu'`).
fn is_stop_word(word: &str) -> bool {
    let en = Language::English.stop_words();
    let fr = Language::French.stop_words();
    let stop = |w: &str| en.contains(w) || fr.contains(w) || GENERIC_WORDS.contains(&w);
    stop(word) || elided(word).is_some_and(stop)
}

/// The word after a short elided prefix (`l'avion` → `avion`).
fn elided(word: &str) -> Option<&str> {
    let (head, tail) = word.split_once(['\'', '’'])?;
    (head.chars().count() <= 3 && !tail.is_empty()).then_some(tail)
}

impl KeywordIndex {
    /// Indexes the analyses of every content post.
    ///
    /// # Arguments
    ///
    /// - `engine`: the data;
    /// - `analyses`: per post of [`Engine::posts`], its analysis (`None`
    ///   for posts that are not content posts).
    ///
    /// # Complexity
    ///
    /// O(tokens), sequential so that ids are the same for any thread count.
    pub fn new(engine: &Engine, analyses: &[Option<Analysis>]) -> KeywordIndex {
        let mut index = KeywordIndex {
            stems: Vec::new(),
            surfaces: Vec::new(),
            tokens: Vec::with_capacity(analyses.len()),
            df: Vec::new(),
            documents: 0,
        };
        let mut stem_ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut surface_ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut seen: FxHashSet<u32> = FxHashSet::default();
        for (post, analysis) in engine.posts().iter().zip(analyses) {
            let Some(analysis) = analysis.as_ref().filter(|_| is_content(post)) else {
                index.tokens.push(Vec::new());
                continue;
            };
            index.documents += 1;
            let mut row = Vec::new();
            seen.clear();
            for (stem, surface) in eligible(analysis, &post.text) {
                let s = intern(&mut stem_ids, &mut index.stems, stem);
                let f = intern(&mut surface_ids, &mut index.surfaces, surface);
                if seen.insert(s) {
                    if index.df.len() <= s as usize {
                        index.df.resize(s as usize + 1, 0);
                    }
                    index.df[s as usize] += 1;
                }
                row.push((s, f));
            }
            index.tokens.push(row);
        }
        index
    }

    /// The `k` best keywords of the topic `name` whose posts are `posts`.
    ///
    /// # Arguments
    ///
    /// - `engine`, `analyzer`: the data and the corpus's analyser (to stem
    ///   the topic's own words);
    /// - `name`: the topic (its words are no keyword);
    /// - `posts`: indices of its posts in [`Engine::posts`];
    /// - `k`: how many.
    ///
    /// # Returns
    ///
    /// At most `k` keywords, by tf·idf descending, ties on the term.
    ///
    /// # Complexity
    ///
    /// O(tokens of the topic's posts + t log t) for its t distinct terms.
    pub fn top(
        &self,
        engine: &Engine,
        analyzer: &Analyzer,
        name: &str,
        posts: &[usize],
        k: usize,
    ) -> Vec<Keyword> {
        if k == 0 || posts.is_empty() {
            return Vec::new();
        }
        let own = own_terms(analyzer, name);
        let mut per_stem: FxHashMap<u32, InTopic> = FxHashMap::default();
        let mut authors: FxHashSet<u32> = FxHashSet::default();
        let mut seen: FxHashSet<u32> = FxHashSet::default();
        for &i in posts {
            let author = engine.posts()[i].author.0;
            authors.insert(author);
            seen.clear();
            for &(s, f) in &self.tokens[i] {
                let e = per_stem.entry(s).or_default();
                *e.surfaces.entry(f).or_default() += 1;
                if seen.insert(s) {
                    e.posts += 1;
                    e.authors.insert(author);
                }
            }
        }
        let min_posts = MIN_KEYWORD_POSTS.min(posts.len()) as u32;
        let min_authors = authors.len().min(2);
        let n = self.documents.max(1) as f64;
        let mut scored: Vec<Keyword> = per_stem
            .into_iter()
            .filter(|(s, e)| {
                e.posts >= min_posts
                    && e.authors.len() >= min_authors
                    && !own.contains(self.stems[*s as usize].as_str())
            })
            .filter_map(|(s, e)| {
                let df = self.df[s as usize].max(1) as f64;
                let tf = f64::from(e.posts) / posts.len() as f64;
                if tf < MIN_LIFT * df / n {
                    return None;
                }
                let tfidf = tf * (n / df).ln();
                let term = e
                    .surfaces
                    .iter()
                    .map(|(&f, &c)| (c, self.surfaces[f as usize].as_str()))
                    .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(a.1)))?
                    .1;
                (tfidf > 0.0 && !own.contains(term)).then(|| Keyword {
                    term: term.to_string(),
                    tfidf,
                    posts: u64::from(e.posts),
                })
            })
            .collect();
        scored.sort_by(|a, b| {
            b.tfidf
                .total_cmp(&a.tfidf)
                .then_with(|| a.term.cmp(&b.term))
        });
        scored.truncate(k);
        scored
    }
}

/// What a term does in one topic's posts.
#[derive(Default)]
struct InTopic {
    /// The topic's posts holding it.
    posts: u32,
    /// Their distinct authors.
    authors: FxHashSet<u32>,
    /// Occurrences per surface form.
    surfaces: FxHashMap<u32, u32>,
}

fn intern(ids: &mut FxHashMap<String, u32>, names: &mut Vec<String>, name: String) -> u32 {
    if let Some(&id) = ids.get(&name) {
        return id;
    }
    let id = names.len() as u32;
    ids.insert(name.clone(), id);
    names.push(name);
    id
}

/// `(stem, surface)` of the tokens of an analysis that may be keywords
/// (see the module documentation).
fn eligible<'a>(
    analysis: &'a Analysis,
    text: &'a str,
) -> impl Iterator<Item = (String, String)> + 'a {
    let hashtags: Vec<(u32, u32)> = analysis
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Hashtag)
        .map(|t| (t.start, t.end))
        .collect();
    analysis.tokens.iter().filter_map(move |t| match t.kind {
        TokenKind::Hashtag | TokenKind::Cashtag => {
            let term = t.term.to_lowercase();
            (term.chars().filter(|c| c.is_alphabetic()).count() >= 2).then(|| (term.clone(), term))
        }
        TokenKind::Word => {
            if hashtags.iter().any(|&(s, e)| t.start >= s && t.end <= e) {
                return None;
            }
            // A LaTeX command of a formula (`\begin`, `\otimes`).
            if text
                .as_bytes()
                .get(..t.start as usize)
                .and_then(|b| b.last())
                == Some(&b'\\')
            {
                return None;
            }
            let source = text.get(t.start as usize..t.end as usize)?.to_lowercase();
            let surface = elided(&source).unwrap_or(&source).to_string();
            let letters = surface.chars().filter(|c| c.is_alphabetic()).count();
            let ok = letters >= 2
                && t.term.chars().count() >= 2
                && !is_stop_word(&source)
                && !is_stop_word(&surface);
            ok.then(|| (t.term.clone(), surface))
        }
        _ => None,
    })
}

/// The topic's own name, its words, and their stems in English and French
/// (and as the analyser detects them), lower-case.
fn own_terms(analyzer: &Analyzer, name: &str) -> FxHashSet<String> {
    let mut own: FxHashSet<String> = FxHashSet::default();
    let name = name.to_lowercase();
    own.insert(name.clone());
    own.insert(format!("#{name}"));
    let words = name.replace(['-', '_', '.', '/'], " ");
    for w in words.split_whitespace() {
        own.insert(w.to_string());
    }
    for language in [None, Some(Language::English), Some(Language::French)] {
        for token in analyzer.analyze_in(&words, language).tokens {
            own.insert(token.term);
        }
    }
    own
}
