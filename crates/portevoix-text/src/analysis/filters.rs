//! Token filters: the parts of an analyser after the tokeniser.
//!
//! The built-in filters, in the order of an [`Analyzer`](super::Analyzer):
//! [`LowercaseFilter`], [`ElisionFilter`], [`StopWordFilter`],
//! [`StemFilter`], [`AccentFoldFilter`], [`NumberFilter`]; user filters run
//! after them. With its own tokeniser an analyser lowercases and removes
//! elision while segmenting ([`SocialTokenizer::lowercase`](super::SocialTokenizer::lowercase)),
//! and removes stop words with the lookups already made for language
//! detection; the tokens are the same as with the filters.

use std::cell::RefCell;
use std::fmt::Debug;

use rustc_hash::FxHashMap;

use unicode_normalization::UnicodeNormalization;

use super::language::{Language, StopWordTable};
use super::token::{Token, TokenKind};

/// A step of an analyser that rewrites, drops or adds tokens.
///
/// Filters must keep the invariants of [`Token`]: byte ranges of the original
/// text, positions of the tokeniser (a filter may drop tokens, which leaves
/// gaps, but should not renumber them).
///
/// # Example
///
/// ```
/// use portevoix_text::analysis::{Analyzer, Language, Token, TokenFilter};
///
/// /// Drops words shorter than three bytes.
/// #[derive(Debug)]
/// struct MinLength;
///
/// impl TokenFilter for MinLength {
///     fn name(&self) -> &str {
///         "min_length"
///     }
///     fn apply(&self, _language: Option<Language>, tokens: &mut Vec<Token>) {
///         tokens.retain(|t| !t.is_word() || t.term.len() >= 3);
///     }
/// }
///
/// let analyzer = Analyzer::builder("short")
///     .languages(&[Language::English])
///     .stop_words(false)
///     .filter(MinLength)
///     .build();
/// let terms: Vec<String> = analyzer.analyze("go to Paris").tokens.into_iter().map(|t| t.term).collect();
/// assert_eq!(terms, ["pari"]);
/// ```
pub trait TokenFilter: Send + Sync + Debug {
    /// The name of the filter, e.g. `"stem"`.
    fn name(&self) -> &str;
    /// Rewrites `tokens` in place. `language` is the language of the text
    /// when known (given, forced, or detected reliably), else `None`.
    fn apply(&self, language: Option<Language>, tokens: &mut Vec<Token>);
}

/// Lowercases words and hashtags (Unicode lowercase mapping, a simple case
/// folding: `Élysée` gives `élysée`). Mentions and cashtags are already
/// normalised by the tokeniser.
///
/// # Complexity
///
/// O(total term length); no allocation for terms already lowercase or ASCII.
#[derive(Debug, Clone, Copy, Default)]
pub struct LowercaseFilter;

impl TokenFilter for LowercaseFilter {
    fn name(&self) -> &str {
        "lowercase"
    }

    fn apply(&self, _language: Option<Language>, tokens: &mut Vec<Token>) {
        for token in tokens.iter_mut() {
            if matches!(token.kind, TokenKind::Word | TokenKind::Hashtag) {
                lowercase_in_place(&mut token.term);
            }
        }
    }
}

/// Lowercases `term`, allocating only when it has non-ASCII uppercase.
pub fn lowercase_in_place(term: &mut String) {
    let mut ascii_upper = false;
    let mut non_ascii = false;
    for &b in term.as_bytes() {
        ascii_upper |= b.is_ascii_uppercase();
        non_ascii |= b >= 0x80;
    }
    if non_ascii {
        if term.chars().any(char::is_uppercase) {
            *term = term.to_lowercase();
        }
    } else if ascii_upper {
        term.make_ascii_lowercase();
    }
}

/// Articles and pronouns elided before a vowel in French (`l'`, `d'`,
/// `qu'`, `jusqu'`, ...) and Italian (`dell'`, `un'`, ...).
const ELIDED: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu",
    "quelqu", "dell", "all", "dall", "nell", "sull", "un", "quell", "bell", "sant",
];

/// Removes elided articles and pronouns from words: `l'influence` gives
/// `influence`, `d'un` gives `un`, `qu'il` gives `il`, `jusqu'à` gives `à`
/// (with `'` and `’`, the tokeniser writes both `'`). Applied whatever the
/// language, as the prefixes do not occur in the other supported languages'
/// words (`aujourd'hui`, `don't`, `o'clock` are left alone). Runs after
/// [`LowercaseFilter`].
///
/// # Complexity
///
/// O(total term length).
#[derive(Debug, Clone, Copy, Default)]
pub struct ElisionFilter;

impl TokenFilter for ElisionFilter {
    fn name(&self) -> &str {
        "elision"
    }

    fn apply(&self, _language: Option<Language>, tokens: &mut Vec<Token>) {
        for token in tokens.iter_mut() {
            if token.kind == TokenKind::Word {
                remove_elision(&mut token.term);
            }
        }
    }
}

/// Removes an elided prefix (any case) from a word, see [`ElisionFilter`].
pub fn remove_elision(term: &mut String) {
    let Some(idx) = term.bytes().position(|b| b == b'\'') else {
        return;
    };
    if idx + 1 >= term.len() {
        return;
    }
    if is_elided(&term[..idx]) {
        term.drain(..=idx);
    }
}

/// Whether `prefix` (any case) is an elided article or pronoun.
pub(crate) fn is_elided(prefix: &str) -> bool {
    prefix.len() <= 6 && ELIDED.iter().any(|e| e.eq_ignore_ascii_case(prefix))
}

/// Drops the words that are stop words of the text's language (the NLTK
/// lists of the `stop-words` crate). Does nothing when the language is
/// unknown. Runs on lowercase, unstemmed, unfolded words.
///
/// # Complexity
///
/// O(number of tokens), one hash lookup per word.
#[derive(Debug, Clone, Copy, Default)]
pub struct StopWordFilter;

impl TokenFilter for StopWordFilter {
    fn name(&self) -> &str {
        "stop_words"
    }

    fn apply(&self, language: Option<Language>, tokens: &mut Vec<Token>) {
        let Some(language) = language else {
            return;
        };
        let table = StopWordTable::get();
        let bit = language.bit();
        tokens.retain(|t| t.kind != TokenKind::Word || table.mask(&t.term) & bit == 0);
    }
}

/// Stems words with the Snowball stemmer of the text's language (Porter's
/// Snowball algorithms, <https://snowballstem.org/>, via `rust-stemmers`):
/// `influences`, `influencer`, `influence` all give `influenc` in French.
/// Does nothing when the language is unknown. Hashtags keep their full form.
///
/// # Complexity
///
/// O(total term length). Stems are memoised per thread and language (up to
/// 65,536 words), so frequent words are stemmed once.
#[derive(Debug, Clone, Copy, Default)]
pub struct StemFilter;

impl TokenFilter for StemFilter {
    fn name(&self) -> &str {
        "stem"
    }

    fn apply(&self, language: Option<Language>, tokens: &mut Vec<Token>) {
        let Some(language) = language else {
            return;
        };
        STEM_CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            let map = &mut cache[language as usize];
            for token in tokens.iter_mut() {
                if token.kind != TokenKind::Word {
                    continue;
                }
                match map.get(token.term.as_str()) {
                    Some(Some(stem)) => {
                        token.term.clear();
                        token.term.push_str(stem);
                    }
                    Some(None) => {}
                    None => {
                        let stem = match language.stemmer().stem(&token.term) {
                            std::borrow::Cow::Owned(stem) => Some(stem),
                            std::borrow::Cow::Borrowed(_) => None,
                        };
                        if map.len() >= STEM_CACHE_CAPACITY {
                            map.clear();
                        }
                        let key: Box<str> = token.term.as_str().into();
                        match stem {
                            Some(stem) => {
                                map.insert(key, Some(stem.as_str().into()));
                                token.term = stem;
                            }
                            None => {
                                map.insert(key, None);
                            }
                        }
                    }
                }
            }
        });
    }
}

/// Words per language whose stems a thread remembers; the cache is emptied
/// when full. Word frequencies are Zipfian, so most lookups hit.
const STEM_CACHE_CAPACITY: usize = 1 << 16;

type StemCache = [FxHashMap<Box<str>, Option<Box<str>>>; 18];

thread_local! {
    static STEM_CACHE: RefCell<StemCache> = RefCell::new(std::array::from_fn(|_| FxHashMap::default()));
}

/// Removes accents from words and hashtags: canonical decomposition (NFD)
/// then removal of combining marks, plus the ligatures `œ`, `æ` and `ß`
/// (`œuvre` gives `oeuvre`, `élysée` gives `elysee`). Runs after stemming,
/// as the Snowball stemmers expect accented words.
///
/// # Complexity
///
/// O(total term length); no allocation for ASCII terms.
#[derive(Debug, Clone, Copy, Default)]
pub struct AccentFoldFilter;

impl TokenFilter for AccentFoldFilter {
    fn name(&self) -> &str {
        "fold_accents"
    }

    fn apply(&self, _language: Option<Language>, tokens: &mut Vec<Token>) {
        for token in tokens.iter_mut() {
            if matches!(token.kind, TokenKind::Word | TokenKind::Hashtag) {
                fold_accents_in_place(&mut token.term);
            }
        }
    }
}

/// Removes accents from `term`, see [`AccentFoldFilter`].
pub fn fold_accents_in_place(term: &mut String) {
    if term.is_ascii() {
        return;
    }
    let mut out = String::with_capacity(term.len());
    for c in term.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            'œ' => out.push_str("oe"),
            'Œ' => out.push_str("OE"),
            'æ' => out.push_str("ae"),
            'Æ' => out.push_str("AE"),
            'ß' => out.push_str("ss"),
            'ø' => out.push('o'),
            'Ø' => out.push('O'),
            'ł' => out.push('l'),
            'Ł' => out.push('L'),
            _ => out.push(c),
        }
    }
    if !out.is_empty() {
        *term = out;
    }
}

/// Drops [`TokenKind::Number`] tokens (used when the analyser does not keep
/// numbers).
#[derive(Debug, Clone, Copy, Default)]
pub struct NumberFilter;

impl TokenFilter for NumberFilter {
    fn name(&self) -> &str {
        "drop_numbers"
    }

    fn apply(&self, _language: Option<Language>, tokens: &mut Vec<Token>) {
        tokens.retain(|t| t.kind != TokenKind::Number);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elision() {
        for (i, o) in [
            ("l'influence", "influence"),
            ("d'un", "un"),
            ("qu'il", "il"),
            ("jusqu'à", "à"),
            ("aujourd'hui", "aujourd'hui"),
            ("don't", "don't"),
            ("l'", "l'"),
        ] {
            let mut s = i.to_string();
            remove_elision(&mut s);
            assert_eq!(s, o);
        }
    }

    #[test]
    fn folding() {
        let mut s = "œuvre élysée".to_string();
        fold_accents_in_place(&mut s);
        assert_eq!(s, "oeuvre elysee");
        let mut s = "ÉLYSÉE".to_string();
        lowercase_in_place(&mut s);
        assert_eq!(s, "élysée");
    }
}
