//! Analysers: segmentation, normalisation, language, stop words, stemming.
//!
//! An [`Analyzer`] is a named pipeline: a [`Tokenizer`] then a chain of
//! [`TokenFilter`]s. [`Analyzer::standard`] is the one used for posts and
//! bios:
//!
//! 1. [`SocialTokenizer`]: words by the Unicode word-boundary rules of
//!    UAX #29 (<https://www.unicode.org/reports/tr29/>), with URLs,
//!    @mentions, #hashtags, $cashtags, emoji (ZWJ sequences, flags) and
//!    emoticons (`:)`, `<3`) kept whole; a hashtag also yields the words of
//!    its body (camelCase split) at its position;
//! 2. [`LowercaseFilter`], [`ElisionFilter`] (`l'influence`, `qu’il`):
//!    the language-independent filters;
//! 3. language: given by the caller ([`Analyzer::analyze_in`]), forced by the
//!    analyser ([`AnalyzerBuilder::languages`] with one language) or detected
//!    among the analyser's languages: stop-word evidence first, whatlang
//!    ([`detect_language`]) for undecided texts ([`DetectionStrategy`]);
//! 4. [`StopWordFilter`] and [`StemFilter`] (Snowball, after Porter) of that
//!    language. When the language is unknown, or detected with a confidence
//!    below [`RELIABLE_CONFIDENCE`] (the guess is then not `reliable`), no
//!    stop words are removed and nothing is stemmed; [`Analysis::language`]
//!    still reports the guess;
//! 5. optionally [`AccentFoldFilter`] and [`NumberFilter`], then the user's
//!    filters, in the order added.
//!
//! A text in a language outside [`Language::all`] is detected as the closest
//! supported language, usually with a low confidence, hence unreliable and
//! not stemmed.
//!
//! Terms of one analyser are comparable with each other: analyse campaign
//! keywords and posts with the same analyser, and keywords in the campaign's
//! language(s) with [`Analyzer::analyze_in`] (a lone keyword is too short to
//! detect a language reliably, and would then not be stemmed).
//!
//! # Performance
//!
//! Posts are independent: analyse them in parallel ([`Analyzer::analyze_par`]
//! or any rayon iterator; an analyser is `Send + Sync` and cheap to clone).
//! Stop-word sets, stemmers and detectors are built once; stems are memoised
//! per thread. On the 16,103 posts (2.13 MB) of the shared datasets, one
//! core does the whole pipeline at about 34 MB/s with [`Analyzer::standard`]
//! (18 candidate languages; 42 MB/s once the memo tables are warm) and
//! 46 MB/s (53 MB/s warm) with English and French only, in CPU time
//! (`cargo bench --bench text_analysis`).
//!
//! # Example
//!
//! ```
//! use portevoix_text::analysis::{Analyzer, Language, TokenKind};
//!
//! let analyzer = Analyzer::standard();
//! let analysis = analyzer.analyze(
//!     "L’influence des créateurs sur les marques ne cesse de grandir #MarketingDigital @Brand 🚀",
//! );
//! assert_eq!(analysis.language.unwrap().language, Language::French);
//! let terms: Vec<&str> = analysis.tokens.iter().map(|t| t.term.as_str()).collect();
//! assert_eq!(
//!     terms,
//!     [
//!         "influenc", "créateur", "marqu", "cess", "grand", "#marketingdigital", "marketing",
//!         "digital", "@brand", "🚀"
//!     ]
//! );
//! // Positions count every token of the text, stop words included.
//! assert_eq!(analysis.tokens[0].position, 0);
//! assert_eq!(analysis.tokens[1].position, 2);
//! assert_eq!(analysis.tokens[5].kind, TokenKind::Hashtag);
//! assert_eq!(analysis.tokens[6].position, analysis.tokens[5].position);
//! ```

mod analyzer;
mod filters;
mod language;
mod token;
mod tokenizer;

pub use analyzer::{Analysis, Analyzer, AnalyzerBuilder, AnalyzerRegistry};
pub use filters::{
    AccentFoldFilter, ElisionFilter, LowercaseFilter, NumberFilter, StemFilter, StopWordFilter,
    TokenFilter, fold_accents_in_place, lowercase_in_place, remove_elision,
};
pub use language::{
    DETECTION_PREFIX_BYTES, DetectionStrategy, Language, LanguageGuess, MIN_DETECTION_LETTERS,
    MIN_STOP_WORD_HITS, RELIABLE_CONFIDENCE, detect_language,
};
pub use token::{Token, TokenKind};
pub use tokenizer::{SocialTokenizer, Tokenizer};
