//! Languages: the set supported by the analysers, identification of the
//! language of a post (whatlang), and the cached per-language resources
//! (stop-word sets, Snowball stemmers).

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::token::TokenKind;
use super::tokenizer::{SocialTokenizer, Tokenizer};

/// A language the analysers fully support: whatlang can identify it, the
/// `stop-words` crate has a stop list for it and `rust-stemmers` a Snowball
/// stemmer.
///
/// Serialised as its ISO 639-1 code (`"en"`, `"fr"`, ...); deserialisation
/// also accepts the lowercase English name (`"french"`).
///
/// # Example
///
/// ```
/// use portevoix_text::analysis::Language;
///
/// assert_eq!(Language::from_code("fr_FR"), Some(Language::French));
/// assert_eq!(Language::French.code(), "fr");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Language {
    /// English (`en`).
    #[serde(rename = "en", alias = "english")]
    English,
    /// French (`fr`).
    #[serde(rename = "fr", alias = "french")]
    French,
    /// German (`de`).
    #[serde(rename = "de", alias = "german")]
    German,
    /// Spanish (`es`).
    #[serde(rename = "es", alias = "spanish")]
    Spanish,
    /// Italian (`it`).
    #[serde(rename = "it", alias = "italian")]
    Italian,
    /// Portuguese (`pt`).
    #[serde(rename = "pt", alias = "portuguese")]
    Portuguese,
    /// Dutch (`nl`).
    #[serde(rename = "nl", alias = "dutch")]
    Dutch,
    /// Danish (`da`).
    #[serde(rename = "da", alias = "danish")]
    Danish,
    /// Swedish (`sv`).
    #[serde(rename = "sv", alias = "swedish")]
    Swedish,
    /// Norwegian, Bokmål (`no`).
    #[serde(rename = "no", alias = "norwegian")]
    Norwegian,
    /// Finnish (`fi`).
    #[serde(rename = "fi", alias = "finnish")]
    Finnish,
    /// Hungarian (`hu`).
    #[serde(rename = "hu", alias = "hungarian")]
    Hungarian,
    /// Romanian (`ro`).
    #[serde(rename = "ro", alias = "romanian")]
    Romanian,
    /// Turkish (`tr`).
    #[serde(rename = "tr", alias = "turkish")]
    Turkish,
    /// Russian (`ru`).
    #[serde(rename = "ru", alias = "russian")]
    Russian,
    /// Greek (`el`).
    #[serde(rename = "el", alias = "greek")]
    Greek,
    /// Arabic (`ar`).
    #[serde(rename = "ar", alias = "arabic")]
    Arabic,
    /// Tamil (`ta`).
    #[serde(rename = "ta", alias = "tamil")]
    Tamil,
}

const ALL: [Language; 18] = [
    Language::English,
    Language::French,
    Language::German,
    Language::Spanish,
    Language::Italian,
    Language::Portuguese,
    Language::Dutch,
    Language::Danish,
    Language::Swedish,
    Language::Norwegian,
    Language::Finnish,
    Language::Hungarian,
    Language::Romanian,
    Language::Turkish,
    Language::Russian,
    Language::Greek,
    Language::Arabic,
    Language::Tamil,
];

impl Language {
    /// The ISO 639-1 code: `"en"`, `"fr"`, `"de"`, ...
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::French => "fr",
            Language::German => "de",
            Language::Spanish => "es",
            Language::Italian => "it",
            Language::Portuguese => "pt",
            Language::Dutch => "nl",
            Language::Danish => "da",
            Language::Swedish => "sv",
            Language::Norwegian => "no",
            Language::Finnish => "fi",
            Language::Hungarian => "hu",
            Language::Romanian => "ro",
            Language::Turkish => "tr",
            Language::Russian => "ru",
            Language::Greek => "el",
            Language::Arabic => "ar",
            Language::Tamil => "ta",
        }
    }

    /// The English name, lowercase: `"english"`, `"french"`, ...
    pub fn name(self) -> &'static str {
        match self {
            Language::English => "english",
            Language::French => "french",
            Language::German => "german",
            Language::Spanish => "spanish",
            Language::Italian => "italian",
            Language::Portuguese => "portuguese",
            Language::Dutch => "dutch",
            Language::Danish => "danish",
            Language::Swedish => "swedish",
            Language::Norwegian => "norwegian",
            Language::Finnish => "finnish",
            Language::Hungarian => "hungarian",
            Language::Romanian => "romanian",
            Language::Turkish => "turkish",
            Language::Russian => "russian",
            Language::Greek => "greek",
            Language::Arabic => "arabic",
            Language::Tamil => "tamil",
        }
    }

    /// Parses a language code or name.
    ///
    /// # Arguments
    ///
    /// * `code` - an ISO 639-1 code (`"en"`), an ISO 639-2/3 code (`"eng"`,
    ///   `"fre"`, `"fra"`), a locale (`"en-US"`, `"fr_FR"`), an English name
    ///   (`"english"`) or the native name (`"français"`, `"Deutsch"`), in any
    ///   case, surrounding spaces ignored.
    ///
    /// # Returns
    ///
    /// The language, or `None` for a language the analysers do not support.
    ///
    /// # Example
    ///
    /// ```
    /// use portevoix_text::analysis::Language;
    ///
    /// assert_eq!(Language::from_code("EN"), Some(Language::English));
    /// assert_eq!(Language::from_code("français"), Some(Language::French));
    /// assert_eq!(Language::from_code("xx"), None);
    /// ```
    pub fn from_code(code: &str) -> Option<Language> {
        let code = code.trim();
        let base = code.split(['-', '_']).next().unwrap_or(code);
        let lower = base.to_lowercase();
        let language = match lower.as_str() {
            "en" | "eng" | "english" | "anglais" => Language::English,
            "fr" | "fra" | "fre" | "french" | "français" | "francais" => Language::French,
            "de" | "deu" | "ger" | "german" | "deutsch" | "allemand" => Language::German,
            "es" | "spa" | "spanish" | "español" | "espanol" | "castellano" | "espagnol" => {
                Language::Spanish
            }
            "it" | "ita" | "italian" | "italiano" | "italien" => Language::Italian,
            "pt" | "por" | "portuguese" | "português" | "portugues" | "portugais" => {
                Language::Portuguese
            }
            "nl" | "nld" | "dut" | "dutch" | "nederlands" | "néerlandais" => Language::Dutch,
            "da" | "dan" | "danish" | "dansk" | "danois" => Language::Danish,
            "sv" | "swe" | "swedish" | "svenska" | "suédois" => Language::Swedish,
            "no" | "nb" | "nn" | "nor" | "nob" | "nno" | "norwegian" | "norsk" | "bokmål"
            | "bokmal" | "norvégien" => Language::Norwegian,
            "fi" | "fin" | "finnish" | "suomi" | "finnois" => Language::Finnish,
            "hu" | "hun" | "hungarian" | "magyar" | "hongrois" => Language::Hungarian,
            "ro" | "ron" | "rum" | "romanian" | "română" | "romana" | "roumain" => {
                Language::Romanian
            }
            "tr" | "tur" | "turkish" | "türkçe" | "turkce" | "turc" => Language::Turkish,
            "ru" | "rus" | "russian" | "русский" | "russe" => Language::Russian,
            "el" | "ell" | "gre" | "greek" | "ελληνικά" | "grec" => Language::Greek,
            "ar" | "ara" | "arabic" | "العربية" | "arabe" => Language::Arabic,
            "ta" | "tam" | "tamil" | "தமிழ்" | "tamoul" => Language::Tamil,
            _ => return None,
        };
        Some(language)
    }

    /// Every supported language, in declaration order (English, French first).
    pub fn all() -> &'static [Language] {
        &ALL
    }

    /// The whatlang identifier of this language.
    pub fn to_whatlang(self) -> whatlang::Lang {
        use whatlang::Lang;
        match self {
            Language::English => Lang::Eng,
            Language::French => Lang::Fra,
            Language::German => Lang::Deu,
            Language::Spanish => Lang::Spa,
            Language::Italian => Lang::Ita,
            Language::Portuguese => Lang::Por,
            Language::Dutch => Lang::Nld,
            Language::Danish => Lang::Dan,
            Language::Swedish => Lang::Swe,
            Language::Norwegian => Lang::Nob,
            Language::Finnish => Lang::Fin,
            Language::Hungarian => Lang::Hun,
            Language::Romanian => Lang::Ron,
            Language::Turkish => Lang::Tur,
            Language::Russian => Lang::Rus,
            Language::Greek => Lang::Ell,
            Language::Arabic => Lang::Ara,
            Language::Tamil => Lang::Tam,
        }
    }

    /// The supported language for a whatlang identifier, `None` for the
    /// languages whatlang knows but the analysers do not support.
    pub fn from_whatlang(lang: whatlang::Lang) -> Option<Language> {
        ALL.iter().copied().find(|l| l.to_whatlang() == lang)
    }

    fn index(self) -> usize {
        self as usize
    }

    /// This language's bit in the language bit sets.
    pub(crate) fn bit(self) -> u32 {
        1 << self.index()
    }

    fn algorithm(self) -> Algorithm {
        match self {
            Language::English => Algorithm::English,
            Language::French => Algorithm::French,
            Language::German => Algorithm::German,
            Language::Spanish => Algorithm::Spanish,
            Language::Italian => Algorithm::Italian,
            Language::Portuguese => Algorithm::Portuguese,
            Language::Dutch => Algorithm::Dutch,
            Language::Danish => Algorithm::Danish,
            Language::Swedish => Algorithm::Swedish,
            Language::Norwegian => Algorithm::Norwegian,
            Language::Finnish => Algorithm::Finnish,
            Language::Hungarian => Algorithm::Hungarian,
            Language::Romanian => Algorithm::Romanian,
            Language::Turkish => Algorithm::Turkish,
            Language::Russian => Algorithm::Russian,
            Language::Greek => Algorithm::Greek,
            Language::Arabic => Algorithm::Arabic,
            Language::Tamil => Algorithm::Tamil,
        }
    }

    /// The stop words of this language (the NLTK list of the `stop-words`
    /// crate), as a set built once per process.
    ///
    /// # Complexity
    ///
    /// O(list length) on the first call for a language, then O(1).
    pub fn stop_words(self) -> &'static FxHashSet<&'static str> {
        static SETS: [OnceLock<FxHashSet<&'static str>>; 18] = [const { OnceLock::new() }; 18];
        SETS[self.index()].get_or_init(|| {
            stop_words::lookup(self.code())
                .unwrap_or(&[])
                .iter()
                .copied()
                .collect()
        })
    }

    /// The Snowball stemmer of this language (Porter's Snowball algorithms,
    /// <https://snowballstem.org/>), created once per process.
    pub fn stemmer(self) -> &'static Stemmer {
        static STEMMERS: [OnceLock<Stemmer>; 18] = [const { OnceLock::new() }; 18];
        STEMMERS[self.index()].get_or_init(|| Stemmer::create(self.algorithm()))
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Language {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Language::from_code(s).ok_or_else(|| format!("unsupported language {s:?}"))
    }
}

/// The outcome of language identification for one text.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LanguageGuess {
    /// The most likely language.
    pub language: Language,
    /// whatlang's confidence in `[0, 1]`: how far the best language is ahead
    /// of the second one. 1.0 when the language was given, not detected.
    pub confidence: f64,
    /// Whether the guess is trusted: the language was given, decided by
    /// stop-word evidence (see [`DetectionStrategy`]), or detected by whatlang
    /// with a confidence of at least [`RELIABLE_CONFIDENCE`].
    pub reliable: bool,
}

impl LanguageGuess {
    /// A guess for a language known in advance (post metadata, campaign):
    /// confidence 1.0, reliable.
    pub fn known(language: Language) -> LanguageGuess {
        LanguageGuess {
            language,
            confidence: 1.0,
            reliable: true,
        }
    }
}

/// The confidence from which a detected language is called reliable and its
/// stop words and stemmer are applied.
pub const RELIABLE_CONFIDENCE: f64 = 0.5;

/// How many bytes of social-token-free text language detection looks at: the
/// n-gram profile of a text is settled well before that, and bounding it
/// bounds the cost of long bios and articles.
pub const DETECTION_PREFIX_BYTES: usize = 600;

/// How an [`Analyzer`](super::Analyzer) identifies the language of a text it
/// is not told the language of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum DetectionStrategy {
    /// Stop-word evidence first, whatlang for the undecided texts (default).
    ///
    /// The words of the text (not hashtags, mentions, URLs) are looked up in
    /// the stop lists of the analyser's languages. A language is chosen
    /// without whatlang when it has more hits than any other and either
    /// at least [`MIN_STOP_WORD_HITS`] hits with a clear lead (more than
    /// twice the runner-up, or two more), or hits on words that are stop
    /// words of no other allowed language (`the`, `les`, `und`) while no
    /// other language has such hits. Its
    /// confidence is then `(best - second) / (best + 1)` and it is reliable.
    /// Otherwise whatlang decides, among the languages within one hit of the
    /// best when there are at least two of them, else among all the
    /// analyser's languages, and its confidence is reported; a text with no
    /// stop word and fewer than [`MIN_DETECTION_LETTERS`] letters gets no
    /// language.
    ///
    /// On the airline tweets this identifies English for 99.3% of the tweets
    /// of five words or more, against 92.9% for whatlang alone, and it skips
    /// whatlang's trigram scoring, the costly part of analysis, for about
    /// nine posts in ten.
    #[default]
    StopWordsThenWhatlang,
    /// whatlang (trigram and alphabet models) on every text, as
    /// [`detect_language`] does.
    Whatlang,
}

/// With [`DetectionStrategy::StopWordsThenWhatlang`], a text with no stop
/// word and fewer letters than this outside social tokens gets no language:
/// whatlang cannot tell from so little, and scoring every language's trigram
/// profile is the costliest step of analysis.
pub const MIN_DETECTION_LETTERS: usize = 16;

/// Stop-word hits the best language needs for [`DetectionStrategy::StopWordsThenWhatlang`]
/// to decide without whatlang.
pub const MIN_STOP_WORD_HITS: u32 = 2;

/// Word → bit set of the supported languages (bit = declaration index) whose
/// stop list has it. Words of at most 7 bytes, most stop words, are keyed by
/// an integer packing their bytes and length, which hashes and compares
/// faster than a string.
#[derive(Debug, Default)]
pub(crate) struct StopWordTable {
    short: FxHashMap<u64, u32>,
    long: FxHashMap<&'static str, u32>,
}

impl StopWordTable {
    /// The table of every supported language, built once.
    pub(crate) fn get() -> &'static StopWordTable {
        static TABLE: OnceLock<StopWordTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            let mut table = StopWordTable::default();
            for &l in &ALL {
                for &w in l.stop_words() {
                    let bit = 1 << l.index();
                    match pack(w) {
                        Some(key) => *table.short.entry(key).or_insert(0) |= bit,
                        None => *table.long.entry(w).or_insert(0) |= bit,
                    }
                }
            }
            table
        })
    }

    /// The languages whose stop list has `word` (lowercase), as a bit set.
    #[inline]
    pub(crate) fn mask(&self, word: &str) -> u32 {
        match pack(word) {
            Some(key) => self.short.get(&key).copied().unwrap_or(0),
            None => self.long.get(word).copied().unwrap_or(0),
        }
    }
}

/// Bytes and length of a word of at most 7 bytes in one integer.
#[inline]
fn pack(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    if bytes.len() > 7 {
        return None;
    }
    let mut buf = [0u8; 8];
    buf[..bytes.len()].copy_from_slice(bytes);
    buf[7] = bytes.len() as u8;
    Some(u64::from_le_bytes(buf))
}

/// Bit set of `languages`.
pub(crate) fn language_mask(languages: &[Language]) -> u32 {
    languages.iter().fold(0, |m, l| m | (1 << l.index()))
}

/// Outcome of the stop-word vote over a text's words.
pub(crate) enum Vote {
    /// One language clearly ahead.
    Decided(LanguageGuess),
    /// Languages within one hit of the best (bit set), when two or more.
    Candidates(u32),
    /// No usable evidence.
    Undecided,
}

/// Counts stop-word hits per allowed language over the words of `tokens`
/// (lowercased when `lowercased`, else lowercased here), skipping the words
/// of hashtag bodies.
///
/// `masks` receives, for every token, the allowed languages whose stop list
/// has it (0 for tokens other than words), so that stop-word removal need not
/// look the words up again.
pub(crate) fn stop_word_vote(
    tokens: &[super::Token],
    allowed: u32,
    lowercased: bool,
    masks: &mut Vec<u32>,
) -> Vote {
    let table = StopWordTable::get();
    masks.clear();
    masks.reserve(tokens.len());
    let mut hits = [0u32; 18];
    let mut exclusive = [0u32; 18];
    let mut hashtag_position = u32::MAX;
    let mut buffer = String::new();
    for token in tokens {
        match token.kind {
            TokenKind::Hashtag => {
                hashtag_position = token.position;
                masks.push(0);
            }
            TokenKind::Word => {
                let term = token.term.as_str();
                let upper = if lowercased {
                    false
                } else if term.is_ascii() {
                    term.bytes().any(|b| b.is_ascii_uppercase())
                } else {
                    term.chars().any(char::is_uppercase)
                };
                let key = if upper {
                    buffer.clear();
                    buffer.extend(term.chars().flat_map(char::to_lowercase));
                    buffer.as_str()
                } else {
                    term
                };
                let mut mask = table.mask(key) & allowed;
                // Removal matches the term as it is, as `StopWordFilter` does.
                masks.push(if upper {
                    table.mask(term) & allowed
                } else {
                    mask
                });
                // The words of a hashtag body do not vote.
                if mask != 0 && token.position != hashtag_position {
                    if mask.count_ones() == 1 {
                        exclusive[mask.trailing_zeros() as usize] += 1;
                    }
                    while mask != 0 {
                        let bit = mask.trailing_zeros();
                        hits[bit as usize] += 1;
                        mask &= mask - 1;
                    }
                }
            }
            _ => masks.push(0),
        }
    }
    let mut best = 0usize;
    for (i, &h) in hits.iter().enumerate() {
        if h > hits[best] {
            best = i;
        }
    }
    let top = hits[best];
    // Whatlang's candidates: the languages within one hit of the best.
    let mut candidates = 0u32;
    for (i, &h) in hits.iter().enumerate() {
        if h > 0 && h + 1 >= top {
            candidates |= 1 << i;
        }
    }
    let second = hits
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != best)
        .map(|(_, &h)| h)
        .max()
        .unwrap_or(0);
    let clear_lead = top >= MIN_STOP_WORD_HITS && (top > 2 * second || top >= second + 2);
    let others_own = exclusive
        .iter()
        .enumerate()
        .any(|(i, &e)| i != best && e > 0);
    let own_word = top > second && exclusive[best] > 0 && !others_own;
    if clear_lead || own_word {
        return Vote::Decided(LanguageGuess {
            language: ALL[best],
            confidence: f64::from(top - second) / f64::from(top + 1),
            reliable: true,
        });
    }
    if candidates.count_ones() >= 2 {
        Vote::Candidates(candidates)
    } else {
        Vote::Undecided
    }
}

/// A whatlang detector restricted to a set of supported languages.
#[derive(Debug, Clone)]
pub(crate) struct LanguageDetector {
    allowed: Vec<Language>,
    detector: whatlang::Detector,
}

impl LanguageDetector {
    /// The detector among the languages of bit set `mask`, for the
    /// stop-word candidates.
    pub(crate) fn for_mask(mask: u32) -> LanguageDetector {
        let langs: Vec<Language> = ALL
            .iter()
            .copied()
            .filter(|l| mask & (1 << l.index()) != 0)
            .collect();
        LanguageDetector::new(&langs)
    }

    pub(crate) fn new(allowed: &[Language]) -> LanguageDetector {
        let mut allowed: Vec<Language> = if allowed.is_empty() {
            ALL.to_vec()
        } else {
            allowed.to_vec()
        };
        allowed.sort_unstable();
        allowed.dedup();
        let detector =
            whatlang::Detector::with_allowlist(allowed.iter().map(|l| l.to_whatlang()).collect());
        LanguageDetector { allowed, detector }
    }

    /// The detector over every supported language, built once.
    pub(crate) fn all() -> &'static LanguageDetector {
        static ALL_DETECTOR: OnceLock<LanguageDetector> = OnceLock::new();
        ALL_DETECTOR.get_or_init(|| LanguageDetector::new(&[]))
    }

    /// Detects the language of `text`, which must already be free of social
    /// tokens.
    pub(crate) fn detect_clean(&self, text: &str) -> Option<LanguageGuess> {
        let text = prefix(text, DETECTION_PREFIX_BYTES);
        if !text.chars().any(char::is_alphabetic) {
            return None;
        }
        let info = self.detector.detect(text)?;
        let language = Language::from_whatlang(info.lang())?;
        if !self.allowed.contains(&language) {
            return None;
        }
        let confidence = info.confidence();
        Some(LanguageGuess {
            language,
            confidence,
            reliable: confidence >= RELIABLE_CONFIDENCE,
        })
    }
}

/// The longest prefix of `text` of at most `max` bytes ending on a char
/// boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Copies the text of `text` outside the social tokens (URLs, @mentions,
/// #hashtags, $cashtags) of `tokens` into `out`, at most
/// [`DETECTION_PREFIX_BYTES`] bytes. `tokens` must be sorted by `start`.
pub(crate) fn detection_text(text: &str, tokens: &[super::Token], out: &mut String) {
    out.clear();
    let mut from = 0usize;
    for token in tokens {
        if out.len() >= DETECTION_PREFIX_BYTES {
            break;
        }
        if matches!(
            token.kind,
            TokenKind::Url | TokenKind::Mention | TokenKind::Hashtag | TokenKind::Cashtag
        ) {
            // `get`: a user tokeniser might give ranges off char boundaries.
            if let Some(gap) = text.get(from..token.start as usize) {
                out.push_str(gap);
                out.push(' ');
            }
            from = from.max(token.end as usize);
        }
    }
    if let Some(rest) = text.get(from..)
        && out.len() < DETECTION_PREFIX_BYTES
    {
        out.push_str(prefix(rest, DETECTION_PREFIX_BYTES - out.len()));
    }
}

/// Identifies the language of a text with whatlang (trigram profiles),
/// among a set of languages.
///
/// Social tokens (URLs, @mentions, #hashtags, $cashtags) are removed before
/// detection, and only the first [`DETECTION_PREFIX_BYTES`] bytes of what
/// remains are looked at.
///
/// # Arguments
///
/// * `text` - any text, e.g. a post or a bio.
/// * `allowed` - the candidate languages; every supported language when
///   empty. Restricting the set makes detection both faster and more accurate.
///
/// # Returns
///
/// The best language with whatlang's confidence, `reliable` when the
/// confidence is at least [`RELIABLE_CONFIDENCE`]; `None` for a text with no
/// letters, or when the text's script belongs to none of the allowed languages.
///
/// # Complexity
///
/// O(n) to strip social tokens, then O(min(n, 600) × |allowed|) for the
/// trigram scoring.
///
/// # Example
///
/// ```
/// use portevoix_text::analysis::{detect_language, Language};
///
/// let guess = detect_language(
///     "Les influenceurs ont changé la façon dont les marques parlent aux gens #marketing",
///     &[Language::English, Language::French],
/// )
/// .unwrap();
/// assert_eq!(guess.language, Language::French);
/// assert!(detect_language("12 345 !!!", &[]).is_none());
/// ```
pub fn detect_language(text: &str, allowed: &[Language]) -> Option<LanguageGuess> {
    let owned;
    let detector = if allowed.is_empty() {
        LanguageDetector::all()
    } else {
        owned = LanguageDetector::new(allowed);
        &owned
    };
    let mut tokens = Vec::new();
    SocialTokenizer::new().tokenize(text, &mut tokens);
    let mut clean = String::with_capacity(text.len().min(DETECTION_PREFIX_BYTES + 8));
    detection_text(text, &tokens, &mut clean);
    detector.detect_clean(&clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for &l in Language::all() {
            assert_eq!(Language::from_code(l.code()), Some(l));
            assert_eq!(Language::from_code(l.name()), Some(l));
            assert_eq!(Language::from_whatlang(l.to_whatlang()), Some(l));
            assert!(!l.stop_words().is_empty(), "{l:?}");
            let _ = l.stemmer().stem("test");
        }
        assert_eq!(Language::from_code("en-US"), Some(Language::English));
        assert_eq!(Language::from_code("fr_FR"), Some(Language::French));
        assert_eq!(Language::from_code("FRANÇAIS"), Some(Language::French));
        assert_eq!(Language::from_code("eng"), Some(Language::English));
        assert_eq!(Language::from_code(""), None);
    }

    #[test]
    fn serde_codes() {
        let json = serde_json::to_string(&Language::French).unwrap();
        assert_eq!(json, "\"fr\"");
        let back: Language = serde_json::from_str("\"french\"").unwrap();
        assert_eq!(back, Language::French);
    }

    #[test]
    fn prefix_on_char_boundary() {
        assert_eq!(prefix("ééé", 3), "é");
        assert_eq!(prefix("abc", 10), "abc");
    }
}
