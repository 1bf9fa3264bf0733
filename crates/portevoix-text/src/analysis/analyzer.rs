//! The analyser: a named tokeniser and filter chain, with language handling.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::filters::{
    AccentFoldFilter, ElisionFilter, LowercaseFilter, NumberFilter, StemFilter, StopWordFilter,
    TokenFilter,
};
use super::language::{
    DetectionStrategy, Language, LanguageDetector, LanguageGuess, MIN_DETECTION_LETTERS, Vote,
    detection_text, language_mask, stop_word_vote,
};
use super::token::{Token, TokenKind};
use super::tokenizer::{SocialTokenizer, Tokenizer};

/// The result of analysing one text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// The language used or detected: given by the caller or forced by the
    /// analyser (confidence 1.0), else whatlang's guess (possibly not
    /// reliable, in which case no stop words nor stemming were applied);
    /// `None` when the text has no letters, or, with
    /// [`DetectionStrategy::StopWordsThenWhatlang`], no stop word and fewer
    /// than [`MIN_DETECTION_LETTERS`](super::MIN_DETECTION_LETTERS) letters
    /// outside social tokens (`"@united thnx"`, `"Source :"`): too little to
    /// tell.
    pub language: Option<LanguageGuess>,
    /// The tokens, ordered by position then byte offset.
    pub tokens: Vec<Token>,
}

impl Analysis {
    /// The language whose stop words and stemmer were applied: the guess when
    /// reliable.
    pub fn effective_language(&self) -> Option<Language> {
        self.language.filter(|g| g.reliable).map(|g| g.language)
    }

    /// The terms, in token order.
    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.tokens.iter().map(|t| t.term.as_str())
    }
}

#[derive(Debug)]
struct Inner {
    name: String,
    tokenizer: Box<dyn Tokenizer>,
    languages: Vec<Language>,
    forced: Option<Language>,
    detector: LanguageDetector,
    allowed_mask: u32,
    strategy: DetectionStrategy,
    /// The built-in lowercase filter runs before detection.
    lowercased: bool,
    fold_accents: bool,
    stop_words: bool,
    stem: bool,
    keep_numbers: bool,
    /// Language-independent filters, run before detection.
    pre_filters: Vec<Box<dyn TokenFilter>>,
    filters: Vec<Box<dyn TokenFilter>>,
}

/// A named text analyser: a [`Tokenizer`] and a chain of [`TokenFilter`]s,
/// with the languages it handles. Cheap to clone (shared), `Send + Sync`:
/// build it once and analyse from many threads.
///
/// See the [module documentation](super) for the pipeline.
#[derive(Debug, Clone)]
pub struct Analyzer {
    inner: Arc<Inner>,
}

thread_local! {
    static DETECTION_BUFFER: RefCell<String> = const { RefCell::new(String::new()) };
    static STOP_MASKS: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::standard()
    }
}

impl Analyzer {
    /// The `"standard"` analyser: social tokeniser, elision, lowercase, no
    /// accent folding, numbers kept, language detected among every supported
    /// language, stop words and stemmer of that language. Built once per
    /// process; this returns a shared handle.
    ///
    /// # Example
    ///
    /// ```
    /// use portevoix_text::analysis::Analyzer;
    ///
    /// let a = Analyzer::standard().analyze("The influencers were influencing everyone");
    /// assert_eq!(a.terms().collect::<Vec<_>>(), ["influenc", "influenc", "everyon"]);
    /// ```
    pub fn standard() -> Analyzer {
        static STANDARD: std::sync::OnceLock<Analyzer> = std::sync::OnceLock::new();
        STANDARD
            .get_or_init(|| Analyzer::builder("standard").build())
            .clone()
    }

    /// A builder for an analyser called `name`, starting from the standard
    /// settings.
    pub fn builder(name: &str) -> AnalyzerBuilder {
        AnalyzerBuilder {
            name: name.to_string(),
            tokenizer: None,
            languages: Vec::new(),
            fold_accents: false,
            stop_words: true,
            stem: true,
            keep_numbers: true,
            elision: true,
            lowercase: true,
            strategy: DetectionStrategy::default(),
            filters: Vec::new(),
        }
    }

    /// The analyser's name.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The languages the analyser detects among (every supported language
    /// when the builder was given none).
    pub fn languages(&self) -> &[Language] {
        &self.inner.languages
    }

    /// The language forced by the analyser (built with exactly one).
    pub fn forced_language(&self) -> Option<Language> {
        self.inner.forced
    }

    /// The names of the parts: the tokeniser first, then every filter in
    /// order.
    pub fn parts(&self) -> Vec<&str> {
        let mut parts = vec![self.inner.tokenizer.name()];
        parts.extend(self.inner.pre_filters.iter().map(|f| f.name()));
        if self.inner.stop_words {
            parts.push(StopWordFilter.name());
        }
        parts.extend(self.inner.filters.iter().map(|f| f.name()));
        parts
    }

    /// Whether words are accent-folded.
    pub fn folds_accents(&self) -> bool {
        self.inner.fold_accents
    }

    /// Whether stop words are removed.
    pub fn removes_stop_words(&self) -> bool {
        self.inner.stop_words
    }

    /// Whether words are stemmed.
    pub fn stems(&self) -> bool {
        self.inner.stem
    }

    /// Whether numbers are kept.
    pub fn keeps_numbers(&self) -> bool {
        self.inner.keep_numbers
    }

    /// Analyses `text`, detecting its language among the analyser's
    /// languages (or using the forced one).
    ///
    /// # Arguments
    ///
    /// * `text` - any text; never panics.
    ///
    /// # Returns
    ///
    /// The language guess and the tokens.
    ///
    /// # Complexity
    ///
    /// O(n) for segmentation and filters, plus language detection on at most
    /// [`DETECTION_PREFIX_BYTES`](super::DETECTION_PREFIX_BYTES) bytes.
    ///
    /// # Example
    ///
    /// ```
    /// use portevoix_text::analysis::{Analyzer, Language};
    ///
    /// let a = Analyzer::builder("fr").languages(&[Language::French]).build();
    /// let terms: Vec<String> = a.analyze("Jusqu’à l'hôpital").tokens.into_iter().map(|t| t.term).collect();
    /// assert_eq!(terms, ["hôpital"]);
    /// ```
    pub fn analyze(&self, text: &str) -> Analysis {
        self.analyze_in(text, None)
    }

    /// Analyses `text` in a language known by the caller (post metadata,
    /// campaign), or detects it when `language` is `None`.
    ///
    /// # Arguments
    ///
    /// * `text` - any text.
    /// * `language` - `Some` to skip detection (the analyser's own forced
    ///   language is overridden), `None` to behave as [`Analyzer::analyze`].
    ///
    /// # Returns
    ///
    /// The language (confidence 1.0 when given) and the tokens.
    ///
    /// # Complexity
    ///
    /// As [`Analyzer::analyze`], without the detection when a language is
    /// given.
    ///
    /// # Example
    ///
    /// ```
    /// use portevoix_text::analysis::{Analyzer, Language};
    ///
    /// let a = Analyzer::standard().analyze_in("Les influences", Some(Language::French));
    /// assert_eq!(a.terms().collect::<Vec<_>>(), ["influenc"]);
    /// ```
    pub fn analyze_in(&self, text: &str, language: Option<Language>) -> Analysis {
        let inner = &*self.inner;
        let mut tokens = Vec::with_capacity(text.len() / 6 + 2);
        inner.tokenizer.tokenize(text, &mut tokens);
        for filter in &inner.pre_filters {
            filter.apply(language.or(inner.forced), &mut tokens);
        }
        STOP_MASKS.with(|cell| {
            let mut local = Vec::new();
            let mut borrowed = cell.try_borrow_mut();
            let masks: &mut Vec<u32> = match borrowed {
                Ok(ref mut masks) => masks,
                Err(_) => &mut local,
            };
            masks.clear();
            let guess = match language.or(inner.forced) {
                Some(l) => Some(LanguageGuess::known(l)),
                None => self.detect_tokens(text, &tokens, masks),
            };
            let effective = guess.filter(|g| g.reliable).map(|g| g.language);
            if inner.stop_words
                && let Some(l) = effective
            {
                if masks.len() == tokens.len() {
                    // The stop-word vote already looked every word up.
                    let bit = l.bit();
                    let mut k = 0;
                    tokens.retain(|t| {
                        let keep = t.kind != TokenKind::Word || masks[k] & bit == 0;
                        k += 1;
                        keep
                    });
                } else {
                    StopWordFilter.apply(effective, &mut tokens);
                }
            }
            for filter in &inner.filters {
                filter.apply(effective, &mut tokens);
            }
            // A filter may leave nothing of a token (a lone combining mark, found
            // by fuzzing: "\u{64b}"); an empty term is no word, and would match
            // anything compared by prefix.
            tokens.retain(|t| !t.term.is_empty());
            Analysis {
                language: guess,
                tokens,
            }
        })
    }

    /// Analyses many texts in parallel with rayon (in the current rayon
    /// pool), one task per text; same results as [`Analyzer::analyze`] on
    /// each, in the same order.
    ///
    /// # Complexity
    ///
    /// The sum of the per-text costs, divided over the pool's threads.
    ///
    /// # Example
    ///
    /// ```
    /// use portevoix_text::analysis::Analyzer;
    ///
    /// let analyses = Analyzer::standard().analyze_par(&["Great flight!", "Vol annulé, merci pour rien"]);
    /// assert_eq!(analyses.len(), 2);
    /// ```
    pub fn analyze_par<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Analysis> {
        use rayon::prelude::*;
        texts.par_iter().map(|t| self.analyze(t.as_ref())).collect()
    }

    /// Only the language of `text` as this analyser would find it (given
    /// none): the forced language, or detection among its languages with its
    /// [`DetectionStrategy`].
    pub fn detect(&self, text: &str) -> Option<LanguageGuess> {
        let inner = &*self.inner;
        if let Some(l) = inner.forced {
            return Some(LanguageGuess::known(l));
        }
        let mut tokens = Vec::new();
        inner.tokenizer.tokenize(text, &mut tokens);
        for filter in &inner.pre_filters {
            filter.apply(None, &mut tokens);
        }
        self.detect_tokens(text, &tokens, &mut Vec::new())
    }

    /// The detection strategy.
    pub fn detection(&self) -> DetectionStrategy {
        self.inner.strategy
    }

    /// Detection on the tokenised (pre-filtered) text; `masks` receives the
    /// stop-word masks of the tokens when the stop-word vote runs.
    fn detect_tokens(
        &self,
        text: &str,
        tokens: &[Token],
        masks: &mut Vec<u32>,
    ) -> Option<LanguageGuess> {
        let inner = &*self.inner;
        let (candidates, undecided) = match inner.strategy {
            DetectionStrategy::Whatlang => (None, false),
            DetectionStrategy::StopWordsThenWhatlang => {
                match stop_word_vote(tokens, inner.allowed_mask, inner.lowercased, masks) {
                    Vote::Decided(guess) => return Some(guess),
                    Vote::Candidates(mask) => (Some(mask), false),
                    Vote::Undecided => (None, true),
                }
            }
        };
        let restricted;
        let detector = match candidates {
            Some(mask) if mask != inner.allowed_mask => {
                restricted = LanguageDetector::for_mask(mask);
                &restricted
            }
            _ => &inner.detector,
        };
        let detect = |clean: &str| {
            if undecided
                && clean.chars().filter(|c| c.is_alphabetic()).count() < MIN_DETECTION_LETTERS
            {
                return None;
            }
            detector.detect_clean(clean)
        };
        DETECTION_BUFFER.with(|buffer| match buffer.try_borrow_mut() {
            Ok(mut buffer) => {
                detection_text(text, tokens, &mut buffer);
                detect(&buffer)
            }
            Err(_) => {
                let mut buffer = String::new();
                detection_text(text, tokens, &mut buffer);
                detect(&buffer)
            }
        })
    }
}

/// Builds an [`Analyzer`] from parts. Starts from the standard settings:
/// social tokeniser, lowercase, elision, stop words, stemming, numbers kept,
/// no accent folding, every supported language.
///
/// # Example
///
/// ```
/// use portevoix_text::analysis::{Analyzer, Language};
///
/// let a = Analyzer::builder("campaign")
///     .languages(&[Language::French, Language::English])
///     .fold_accents(true)
///     .keep_numbers(false)
///     .build();
/// let terms: Vec<String> = a
///     .analyze("Élections 2022 : les électeurs français votent dimanche")
///     .tokens
///     .into_iter()
///     .map(|t| t.term)
///     .collect();
/// assert_eq!(terms, ["elect", "electeur", "franc", "votent", "dimanch"]);
/// ```
#[derive(Debug)]
pub struct AnalyzerBuilder {
    name: String,
    tokenizer: Option<Box<dyn Tokenizer>>,
    languages: Vec<Language>,
    fold_accents: bool,
    stop_words: bool,
    stem: bool,
    keep_numbers: bool,
    elision: bool,
    lowercase: bool,
    strategy: DetectionStrategy,
    filters: Vec<Box<dyn TokenFilter>>,
}

impl AnalyzerBuilder {
    /// The languages: none = detect among every supported language, one =
    /// forced (no detection), several = detect among them.
    pub fn languages(mut self, langs: &[Language]) -> Self {
        let mut langs = langs.to_vec();
        langs.sort_unstable();
        langs.dedup();
        self.languages = langs;
        self
    }

    /// Whether to remove accents from words and hashtags (default no).
    pub fn fold_accents(mut self, yes: bool) -> Self {
        self.fold_accents = yes;
        self
    }

    /// Whether to remove stop words (default yes).
    pub fn stop_words(mut self, yes: bool) -> Self {
        self.stop_words = yes;
        self
    }

    /// Whether to stem words (default yes).
    pub fn stem(mut self, yes: bool) -> Self {
        self.stem = yes;
        self
    }

    /// Whether to keep number tokens (default yes).
    pub fn keep_numbers(mut self, yes: bool) -> Self {
        self.keep_numbers = yes;
        self
    }

    /// Whether to remove elided articles (default yes).
    pub fn elision(mut self, yes: bool) -> Self {
        self.elision = yes;
        self
    }

    /// Whether to lowercase words and hashtags (default yes). Stop words and
    /// stemmers expect lowercase words.
    pub fn lowercase(mut self, yes: bool) -> Self {
        self.lowercase = yes;
        self
    }

    /// How languages are detected (default
    /// [`DetectionStrategy::StopWordsThenWhatlang`]).
    pub fn detection(mut self, strategy: DetectionStrategy) -> Self {
        self.strategy = strategy;
        self
    }

    /// Replaces the tokeniser (default [`SocialTokenizer`]).
    pub fn tokenizer(mut self, tokenizer: impl Tokenizer + 'static) -> Self {
        self.tokenizer = Some(Box::new(tokenizer));
        self
    }

    /// Appends a filter; user filters run after the built-in ones, in the
    /// order added.
    pub fn filter(mut self, f: impl TokenFilter + 'static) -> Self {
        self.filters.push(Box::new(f));
        self
    }

    /// Builds the analyser.
    pub fn build(self) -> Analyzer {
        // With its own tokeniser, the analyser lowercases and removes elision
        // while segmenting (one pass instead of three); a user tokeniser is
        // followed by the equivalent filters.
        let mut pre_filters: Vec<Box<dyn TokenFilter>> = Vec::new();
        let tokenizer: Box<dyn Tokenizer> = match self.tokenizer {
            Some(tokenizer) => {
                if self.lowercase {
                    pre_filters.push(Box::new(LowercaseFilter));
                }
                if self.elision {
                    pre_filters.push(Box::new(ElisionFilter));
                }
                tokenizer
            }
            None => Box::new(
                SocialTokenizer::new()
                    .lowercase(self.lowercase)
                    .elision(self.elision),
            ),
        };
        // Stop words are removed by `analyze_in` itself, reusing the lookups
        // of the stop-word vote; they still show in `parts`.
        let mut filters: Vec<Box<dyn TokenFilter>> = Vec::new();
        if self.stem {
            filters.push(Box::new(StemFilter));
        }
        if self.fold_accents {
            filters.push(Box::new(AccentFoldFilter));
        }
        if !self.keep_numbers {
            filters.push(Box::new(NumberFilter));
        }
        filters.extend(self.filters);
        let forced = match self.languages.as_slice() {
            [one] => Some(*one),
            _ => None,
        };
        let detector = LanguageDetector::new(&self.languages);
        let languages = if self.languages.is_empty() {
            Language::all().to_vec()
        } else {
            self.languages
        };
        Analyzer {
            inner: Arc::new(Inner {
                name: self.name,
                tokenizer,
                allowed_mask: language_mask(&languages),
                languages,
                forced,
                detector,
                strategy: self.strategy,
                lowercased: self.lowercase,
                fold_accents: self.fold_accents,
                stop_words: self.stop_words,
                stem: self.stem,
                keep_numbers: self.keep_numbers,
                pre_filters,
                filters,
            }),
        }
    }
}

/// Analysers by name, so that a campaign or a configuration file can refer to
/// one (`analyzer = "standard"`) and users can register their own.
///
/// # Example
///
/// ```
/// use portevoix_text::analysis::{Analyzer, AnalyzerRegistry, Language};
///
/// let mut registry = AnalyzerRegistry::with_builtins();
/// registry.register(Analyzer::builder("fr_folded").languages(&[Language::French]).fold_accents(true).build());
/// assert!(registry.get("standard").is_some());
/// assert_eq!(registry.get("fr_folded").unwrap().name(), "fr_folded");
/// ```
#[derive(Debug, Clone, Default)]
pub struct AnalyzerRegistry {
    analyzers: BTreeMap<String, Analyzer>,
}

impl AnalyzerRegistry {
    /// An empty registry.
    pub fn new() -> AnalyzerRegistry {
        AnalyzerRegistry::default()
    }

    /// A registry with the built-in analysers: `"standard"`,
    /// `"standard_folded"` (accents folded), `"simple"` (social tokeniser,
    /// lowercase and elision only: no language-dependent step), and one per
    /// supported language named by its code (`"en"`, `"fr"`, ...), forced
    /// to that language.
    pub fn with_builtins() -> AnalyzerRegistry {
        let mut registry = AnalyzerRegistry::new();
        registry.register(Analyzer::standard());
        registry.register(
            Analyzer::builder("standard_folded")
                .fold_accents(true)
                .build(),
        );
        registry.register(
            Analyzer::builder("simple")
                .stop_words(false)
                .stem(false)
                .build(),
        );
        for &l in Language::all() {
            registry.register(Analyzer::builder(l.code()).languages(&[l]).build());
        }
        registry
    }

    /// Adds `analyzer` under its name, replacing (and returning) any analyser
    /// of the same name.
    pub fn register(&mut self, analyzer: Analyzer) -> Option<Analyzer> {
        self.analyzers.insert(analyzer.name().to_string(), analyzer)
    }

    /// The analyser called `name`.
    pub fn get(&self, name: &str) -> Option<&Analyzer> {
        self.analyzers.get(name)
    }

    /// The registered names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.analyzers.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_sync_clone() {
        fn check<T: Send + Sync + Clone>() {}
        check::<Analyzer>();
    }

    #[test]
    fn parts_listed() {
        let a = Analyzer::builder("x").keep_numbers(false).build();
        assert_eq!(
            a.parts(),
            [
                "social+lowercase+elision",
                "stop_words",
                "stem",
                "drop_numbers"
            ]
        );
        let b = Analyzer::builder("y")
            .tokenizer(SocialTokenizer::new())
            .build();
        assert_eq!(
            b.parts(),
            ["social", "lowercase", "elision", "stop_words", "stem"]
        );
        // Same terms either way.
        let text = "L’Influence d'un #BeauJour à Paris 👍 :)";
        assert_eq!(a.analyze(text).tokens, b.analyze(text).tokens);
    }
}
