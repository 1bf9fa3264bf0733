//! VADER (Valence Aware Dictionary and sEntiment Reasoner), after C.J. Hutto
//! and E. Gilbert, *VADER: A Parsimonious Rule-based Model for Sentiment
//! Analysis of Social Media Text*, ICWSM 2014.
//!
//! This is a port of the reference Python package `vaderSentiment` 3.3.2
//! (English) and of `vaderSentiment-fr` 1.3.4 (French), both MIT, that keeps
//! their exact behaviour, quirks included, so that scores agree with theirs:
//!
//! - emoji are replaced by their description, one code point at a time, before
//!   anything else; the text is then stripped of surrounding whitespace;
//! - words are split on whitespace (French: on each whitespace character and on
//!   `'`, keeping empty words), then stripped of leading and trailing ASCII
//!   punctuation unless that leaves two characters or fewer (emoticons);
//! - a word's valence comes from the lexicon (lower-cased; French keys and
//!   words are also accent-folded); "no" before a lexicon word negates it;
//!   ALL-CAPS words among mixed-case text gain 0.733; up to three preceding
//!   boosters or dampeners add ±0.293 (scaled by 0.95 and 0.9 with distance);
//!   preceding negations multiply by −0.74 ("never so/this" amplify by 1.25
//!   and "without doubt" leaves alone, in English); idioms such as "the shit",
//!   "kind of" and "least" are special-cased;
//! - English only: words before the first "but" are halved and those after
//!   it multiplied by 1.5, by the reference's position-by-value loop;
//! - the sum gains 0.292 per `!` (up to 4) and 0.18 per `?` (2 or 3; 0.96
//!   beyond); French adds ellipses and upper-case emphasis, and pulls a zero
//!   sum down by half the punctuation emphasis;
//! - compound = sum / sqrt(sum² + 15); neg/neu/pos are the shares of negative,
//!   neutral and positive words (each non-zero word counting |valence| + 1);
//!   neg/neu/pos are rounded to 3 decimals and compound to 4, as Python's
//!   `round` does (round half to even on the exact binary value).

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use portevoix_core::Error;
use rustc_hash::{FxHashMap, FxHashSet};

use super::SentimentScores;
use super::fold::fold_into;
use super::lexicon::{
    EN_EMOJI, EN_LEXICON, FR_EMOJI, FR_LEXICON, FR_NO_NEGATE, parse_emoji, parse_lexicon,
};
use super::table::WordTable;

/// Mean intensity increase of a booster word.
const B_INCR: f64 = 0.293;
/// Mean intensity decrease of a dampener word.
const B_DECR: f64 = -0.293;
/// Intensity increase of an ALL-CAPS word among mixed-case words.
const C_INCR: f64 = 0.733;
/// Factor of a negated word.
const N_SCALAR: f64 = -0.74;

const EN_NEGATE: &[&str] = &[
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "uh-uh",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite",
];

const FR_NEGATE: &[&str] = &[
    "pas",
    "jamais",
    "plus",
    "rien",
    "aucunement",
    "nullement",
    "sans",
    "ni",
];

const EN_BOOST_UP: &[&str] = &[
    "absolutely",
    "amazingly",
    "awfully",
    "completely",
    "considerable",
    "considerably",
    "decidedly",
    "deeply",
    "effing",
    "enormous",
    "enormously",
    "entirely",
    "especially",
    "exceptional",
    "exceptionally",
    "extreme",
    "extremely",
    "fabulously",
    "flipping",
    "flippin",
    "frackin",
    "fracking",
    "fricking",
    "frickin",
    "frigging",
    "friggin",
    "fully",
    "fuckin",
    "fucking",
    "fuggin",
    "fugging",
    "greatly",
    "hella",
    "highly",
    "hugely",
    "incredible",
    "incredibly",
    "intensely",
    "major",
    "majorly",
    "more",
    "most",
    "particularly",
    "purely",
    "quite",
    "really",
    "remarkably",
    "so",
    "substantially",
    "thoroughly",
    "total",
    "totally",
    "tremendous",
    "tremendously",
    "uber",
    "unbelievably",
    "unusually",
    "utter",
    "utterly",
    "very",
];

const EN_BOOST_DOWN: &[&str] = &[
    "almost",
    "barely",
    "hardly",
    "just enough",
    "kind of",
    "kinda",
    "kindof",
    "kind-of",
    "less",
    "little",
    "marginal",
    "marginally",
    "occasional",
    "occasionally",
    "partly",
    "scarce",
    "scarcely",
    "slight",
    "slightly",
    "somewhat",
    "sort of",
    "sorta",
    "sortof",
    "sort-of",
];

const FR_BOOST_UP: &[&str] = &[
    "absolument",
    "ainsi",
    "archi",
    "beaucoup",
    "bigrement",
    "bougrement",
    "carrément",
    "complètement",
    "considérablement",
    "davantage",
    "diablement",
    "diantrement",
    "divinement",
    "drôlement",
    "délicieusement",
    "entièrement",
    "exceptionnel",
    "exceptionnelle",
    "exceptionnellement",
    "exceptionnelles",
    "exceptionnels",
    "excessivement",
    "extra",
    "extrême",
    "extrêmement",
    "fabuleusement",
    "fichtrement",
    "fort",
    "forte",
    "fortes",
    "forts",
    "grandement",
    "hyper",
    "impeccablement",
    "incroyablement",
    "infiniment",
    "joliment",
    "merveilleusement",
    "prodigieusement",
    "profondément",
    "putain de",
    "rudement",
    "sacrément",
    "spécialement",
    "sublimement",
    "super",
    "superbement",
    "tant",
    "tellement",
    "terriblement",
    "totalement",
    "trop",
    "très",
    "ultra",
    "vachement",
    "vraiment",
    "énormément",
];

const FR_BOOST_DOWN: &[&str] = &[
    "approximativement",
    "assez",
    "difficilement",
    "environ",
    "guère",
    "insuffisament",
    "insuffisamment",
    "juste",
    "léger",
    "légers",
    "légère",
    "légèrement",
    "légères",
    "moins",
    "peu",
    "plutôt",
    "presque",
    "quasi",
    "quasiment",
    "quelque",
    "quelque peu",
    "rare",
    "rarement",
    "à peine",
    "à peu près",
];

/// Idioms and phrases containing lexicon words (both languages use the English list).
const SPECIAL_CASES: &[(&str, f64)] = &[
    ("the shit", 3.0),
    ("the bomb", 3.0),
    ("bad ass", 1.5),
    ("badass", 1.5),
    ("bus stop", 0.0),
    ("yeah right", -2.0),
    ("kiss of death", -1.5),
    ("to die for", 3.0),
    ("beating heart", 3.5),
];

/// The rule set of a VADER analyser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// vaderSentiment 3.3.2: English boosters and negations, "but", "never
    /// so/this", "without doubt".
    English,
    /// vaderSentiment-fr 1.3.4: French boosters and negations, words split on
    /// apostrophes, accent-folded lexicon, `no_negate.txt`, ellipsis and
    /// upper-case emphasis, no "but" rule.
    French,
}

/// What the rules know of one lower-cased word: one hash lookup per word.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Lexicon valence (`word in lexicon`), NaN when absent (valences are finite).
    lex: f64,
    /// Booster (+1, [`B_INCR`]) or dampener (−1, [`B_DECR`]), also for
    /// multi-word keys such as "kind of"; 0 for neither.
    booster: i8,
    /// A negation word.
    negation: bool,
    /// The first word of a multi-word special case or booster.
    phrase: bool,
    /// A word of a multi-word special case or booster.
    pword: bool,
    /// Which rule word this is ([`TAG_WORDS`]), 0 for none.
    tag: u8,
}

/// Words the rules compare words with, tagged so that the comparisons are
/// integer comparisons.
const TAG_WORDS: &[&str] = &[
    "kind", "of", "no", "or", "nor", "never", "so", "this", "without", "doubt", "least", "at",
    "very", "but",
];
impl Default for Entry {
    fn default() -> Entry {
        Entry {
            lex: f64::NAN,
            booster: 0,
            negation: false,
            phrase: false,
            pword: false,
            tag: 0,
        }
    }
}

/// The value of a booster code.
#[inline]
fn booster_value(code: i8) -> Option<f64> {
    match code {
        1 => Some(B_INCR),
        -1 => Some(B_DECR),
        _ => None,
    }
}

/// A NaN-coded valence as an option.
#[inline]
fn valence_of(v: f64) -> Option<f64> {
    (!v.is_nan()).then_some(v)
}

const KIND: u8 = 1;
const OF: u8 = 2;
const NO: u8 = 3;
const OR: u8 = 4;
const NOR: u8 = 5;
const NEVER: u8 = 6;
const SO: u8 = 7;
const THIS: u8 = 8;
const WITHOUT: u8 = 9;
const DOUBT: u8 = 10;
const LEAST: u8 = 11;
const AT: u8 = 12;
const VERY: u8 = 13;
const BUT: u8 = 14;

struct Inner {
    language: Language,
    /// Lexicon entries, boosters, negations and phrase starts, by lower-cased word.
    words: WordTable<Entry>,
    lexicon_len: usize,
    emoji: FxHashMap<char, Box<str>>,
    /// The smallest emoji key, to skip the lookup for most characters.
    emoji_min: char,
    special: FxHashMap<&'static str, f64>,
    no_negate: FxHashSet<Box<str>>,
}

/// A VADER sentiment analyser (Hutto & Gilbert, ICWSM 2014) with its lexicon,
/// emoji descriptions and language rules.
///
/// `Vader` is `Send + Sync` and cloning it only bumps a reference count, so
/// one analyser can serve every thread. [`Vader::english`] and
/// [`Vader::french`] build their analyser once per process.
///
/// # Example
/// ```
/// use portevoix_text::sentiment::Vader;
/// let vader = Vader::english();
/// let s = vader.polarity_scores("VADER is smart, handsome, and funny!");
/// assert_eq!(s.compound, 0.8439);
/// ```
#[derive(Clone)]
pub struct Vader {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Vader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vader")
            .field("language", &self.inner.language)
            .field("lexicon_entries", &self.inner.lexicon_len)
            .finish()
    }
}

/// Per-call working memory, kept per thread so scoring allocates nothing in
/// the steady state.
struct Scratch {
    lower: String,
    emoji: String,
    folded: String,
    joined: String,
    toks: Vec<Tok>,
    sentiments: Vec<f64>,
    nonzero: Vec<usize>,
}

impl Scratch {
    const fn new() -> Scratch {
        Scratch {
            lower: String::new(),
            emoji: String::new(),
            folded: String::new(),
            joined: String::new(),
            toks: Vec::new(),
            sentiments: Vec::new(),
            nonzero: Vec::new(),
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = const { RefCell::new(Scratch::new()) };
}

/// One word after stripping, with what the rules ask about it.
#[derive(Clone, Copy)]
struct Tok {
    /// Byte range of the lower-cased word in `Scratch::lower`.
    lo: u32,
    hi: u32,
    /// Python's `str.isupper()` of the word.
    upper: bool,
    /// Valence of the lower-cased word (`word.lower() in lexicon`), NaN when absent.
    lex: f64,
    /// Valence of the word as scored (French: lower-cased then folded), NaN when absent.
    item: f64,
    /// The scored key is "no".
    item_is_no: bool,
    /// Booster or dampener code of the lower-cased word ([`Entry::booster`]).
    booster: i8,
    /// The lower-cased word is a negation (or contains "n't").
    negated: bool,
    /// The lower-cased word starts a multi-word special case or booster.
    phrase: bool,
    /// [`Entry::pword`].
    pword: bool,
    /// [`Entry::tag`].
    tag: u8,
}

impl Vader {
    /// The English analyser: the embedded vader-en lexicon (7,500 words,
    /// emoticons and slang) and emoji descriptions, with vaderSentiment 3.3.2's
    /// rules. Built on the first call; later calls are a reference-count bump.
    ///
    /// # Example
    /// ```
    /// let vader = portevoix_text::sentiment::Vader::english();
    /// assert!(vader.polarity_scores("The book was good.").compound > 0.4);
    /// ```
    pub fn english() -> Vader {
        static EN: OnceLock<Vader> = OnceLock::new();
        EN.get_or_init(|| {
            Vader::from_lexicon(EN_LEXICON, "vader-en/vader_lexicon.txt", Language::English)
                .expect("the embedded vader-en lexicon parses")
        })
        .clone()
    }

    /// The French analyser: the embedded vader-fr lexicon (9,000 words,
    /// translated from vader-en with the English valences carried over),
    /// French emoji descriptions and `no_negate.txt`, with vaderSentiment-fr
    /// 1.3.4's rules. Built on the first call.
    ///
    /// # Example
    /// ```
    /// let vader = portevoix_text::sentiment::Vader::french();
    /// assert!(vader.polarity_scores("Un film magnifique").compound > 0.5);
    /// assert!(vader.polarity_scores("Ce n'est pas magnifique").compound < 0.0);
    /// ```
    pub fn french() -> Vader {
        static FR: OnceLock<Vader> = OnceLock::new();
        FR.get_or_init(|| {
            Vader::from_lexicon(FR_LEXICON, "vader-fr/fr_lexicon.txt", Language::French)
                .expect("the embedded vader-fr lexicon parses")
        })
        .clone()
    }

    /// An analyser with a user-supplied lexicon and the rules and embedded
    /// emoji descriptions of `language`.
    ///
    /// # Arguments
    /// - `lexicon`: the lexicon text, one entry a line, `token<TAB>valence`
    ///   (further tab-separated fields are ignored, as in vader-en) or
    ///   `token->valence` (as in vader-fr); blank lines are skipped and a later
    ///   entry replaces an earlier one. Tokens are matched against lower-cased
    ///   words, so keys with upper-case letters never match. With
    ///   [`Language::French`], keys are accent-folded.
    /// - `file`: the name used in error locations.
    /// - `language`: the rule set.
    ///
    /// # Returns
    /// The analyser, or [`Error::Input`] at `file:line` for the first line
    /// with no separator, an empty token or a valence that is not a finite
    /// number.
    ///
    /// # Complexity
    /// O(size of the lexicon).
    ///
    /// # Example
    /// ```
    /// use portevoix_text::sentiment::{Language, Vader};
    /// let v = Vader::from_lexicon("great\t3.1\nawful\t-2.0\n", "mine.tsv", Language::English)?;
    /// assert!(v.polarity_scores("great flight").compound > 0.5);
    /// let err = Vader::from_lexicon("great\t3.1\nawful\n", "mine.tsv", Language::English)
    ///     .unwrap_err();
    /// assert!(err.to_string().starts_with("mine.tsv:2: "));
    /// # Ok::<(), portevoix_core::Error>(())
    /// ```
    pub fn from_lexicon(lexicon: &str, file: &str, language: Language) -> Result<Vader, Error> {
        let french = language == Language::French;
        let lexicon = parse_lexicon(lexicon, file, french)?;
        let (emoji_text, negate, up, down) = match language {
            Language::English => (EN_EMOJI, EN_NEGATE, EN_BOOST_UP, EN_BOOST_DOWN),
            Language::French => (FR_EMOJI, FR_NEGATE, FR_BOOST_UP, FR_BOOST_DOWN),
        };
        let emoji = parse_emoji(emoji_text);
        let emoji_min = emoji.keys().copied().min().unwrap_or(char::MAX);
        let lexicon_len = lexicon.len();
        let mut words: WordTable<Entry> = WordTable::new();
        for (k, v) in lexicon {
            words.entry(&k).lex = v;
        }
        let boosters = up
            .iter()
            .map(|&w| (w, B_INCR))
            .chain(down.iter().map(|&w| (w, B_DECR)));
        for (w, b) in boosters {
            words.entry(w).booster = if b > 0.0 { 1 } else { -1 };
        }
        for &w in negate {
            words.entry(w).negation = true;
        }
        let phrases = SPECIAL_CASES
            .iter()
            .map(|&(k, _)| k)
            .chain(up.iter().copied())
            .chain(down.iter().copied());
        for (k, &w) in TAG_WORDS.iter().enumerate() {
            words.entry(w).tag = k as u8 + 1;
        }
        for phrase in phrases {
            if let Some((first, _)) = phrase.split_once(' ') {
                words.entry(first).phrase = true;
                for w in phrase.split(' ') {
                    words.entry(w).pword = true;
                }
            }
        }
        let no_negate = if french {
            FR_NO_NEGATE
                .trim()
                .split('\n')
                .map(|w| super::fold::fold(w).into())
                .collect()
        } else {
            FxHashSet::default()
        };
        Ok(Vader {
            inner: Arc::new(Inner {
                language,
                words,
                lexicon_len,
                emoji,
                emoji_min,
                special: SPECIAL_CASES.iter().copied().collect(),
                no_negate,
            }),
        })
    }

    /// The rule set of this analyser.
    pub fn language(&self) -> Language {
        self.inner.language
    }

    /// The valence of a lexicon entry (after lower-casing, and accent folding
    /// in French), if present.
    pub fn valence(&self, word: &str) -> Option<f64> {
        let lower = word.to_lowercase();
        match self.inner.language {
            Language::English => valence_of(self.inner.words.get(lower.as_str())?.lex),
            Language::French => {
                let mut folded = String::new();
                fold_into(&lower, &mut folded);
                valence_of(self.inner.words.get(folded.as_str())?.lex)
            }
        }
    }

    /// What the lexicon and the rules know of one lower-cased word, in one
    /// lookup: its valence (if a lexicon word), whether it is a negation,
    /// and its booster sign (+1, −1 or 0). `scratch` holds the French folded
    /// key. Used by the learned model's features (`model::features`).
    pub(crate) fn word_info(&self, lower: &str, scratch: &mut String) -> (Option<f64>, bool, i8) {
        let entry = match self.inner.language {
            Language::English => self.inner.words.get(lower),
            Language::French => {
                scratch.clear();
                fold_into(lower, scratch);
                self.inner.words.get(scratch.as_str())
            }
        };
        match entry {
            Some(e) => (valence_of(e.lex), e.negation, e.booster),
            None => (None, false, 0),
        }
    }

    /// VADER's scores of one text (Hutto & Gilbert, ICWSM 2014), as the
    /// reference `polarity_scores` computes them.
    ///
    /// # Arguments
    /// - `text`: any text; VADER is tuned for one post or one sentence.
    ///
    /// # Returns
    /// `neg`, `neu`, `pos` (shares of the words, rounded to 3 decimals) and
    /// `compound` (normalised sum in [−1, 1], rounded to 4 decimals). Usual
    /// thresholds: compound ≥ 0.05 positive, ≤ −0.05 negative, else neutral.
    /// An English text without words scores all zeros. Never panics.
    ///
    /// # Complexity
    /// O(n) in the length of the text, plus O(m log m) for an English "but"
    /// (the reference's position-by-value loop, over the m words carrying
    /// sentiment; a plain scan when m ≤ 64). No allocation in the steady state
    /// (per-thread scratch buffers), except for words containing a capital
    /// sigma and texts with "but" and more than 64 sentiment words.
    ///
    /// # Example
    /// ```
    /// let vader = portevoix_text::sentiment::Vader::english();
    /// let s = vader.polarity_scores("The plot was good, but the characters are uncompelling and the dialog is not great.");
    /// assert_eq!((s.neg, s.neu, s.pos, s.compound), (0.327, 0.579, 0.094, -0.7042));
    /// ```
    pub fn polarity_scores(&self, text: &str) -> SentimentScores {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.score(text, &mut scratch),
            Err(_) => self.score(text, &mut Scratch::new()),
        })
    }

    /// [`Vader::polarity_scores`] of many texts, in parallel (rayon).
    ///
    /// # Arguments
    /// - `texts`: the texts, e.g. `&[String]` or `&[&str]`.
    ///
    /// # Returns
    /// The scores, in the order of `texts`.
    ///
    /// # Complexity
    /// O(total length / threads), plus rayon's scheduling.
    ///
    /// # Example
    /// ```
    /// let vader = portevoix_text::sentiment::Vader::english();
    /// let scores = vader.polarity_scores_batch(&["great crew", "lost my bag"]);
    /// assert!(scores[0].compound > 0.0 && scores[1].compound < 0.0);
    /// ```
    pub fn polarity_scores_batch<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<SentimentScores> {
        use rayon::prelude::*;
        texts
            .par_iter()
            .with_min_len(256)
            .map(|t| self.polarity_scores(t.as_ref()))
            .collect()
    }

    /// `text` with each emoji code point replaced by its description, as
    /// the reference does; written into `out` (reused) when anything changes.
    fn replace_emoji<'t>(&self, text: &'t str, mut out: String) -> (Cow<'t, str>, String) {
        let inner = &*self.inner;
        if text.is_ascii() && inner.emoji_min as u32 >= 0x80 {
            return (Cow::Borrowed(text), out);
        }
        let is_emoji = |c: char| c >= inner.emoji_min && inner.emoji.contains_key(&c);
        let Some(first) = text
            .char_indices()
            .find(|&(_, c)| is_emoji(c))
            .map(|(i, _)| i)
        else {
            return (Cow::Borrowed(text), out);
        };
        out.clear();
        out.push_str(&text[..first]);
        let mut prev_space = first == 0 || text[..first].ends_with(' ');
        for c in text[first..].chars() {
            match (c >= inner.emoji_min)
                .then(|| inner.emoji.get(&c))
                .flatten()
            {
                Some(desc) => {
                    if !prev_space {
                        out.push(' ');
                    }
                    out.push_str(desc);
                    prev_space = false;
                }
                None => {
                    out.push(c);
                    prev_space = c == ' ';
                }
            }
        }
        (Cow::Owned(out), String::new())
    }

    fn tokenize(&self, text: &str, s: &mut Scratch) {
        let inner = &*self.inner;
        let french = inner.language == Language::French;
        let push = |word: &str, s: &mut Scratch| {
            if word.is_ascii() {
                self.push_ascii_word(word.as_bytes(), s);
                return;
            }
            let word = strip_punc_if_word(word);
            let lo = s.lower.len();
            push_lower(word, &mut s.lower);
            let hi = s.lower.len();
            let lower = &s.lower[lo..hi];
            let entry = inner.words.get(lower).copied().unwrap_or_default();
            let (item, item_is_no) = if french && !lower.is_ascii() {
                s.folded.clear();
                fold_into(lower, &mut s.folded);
                let item = inner
                    .words
                    .get(s.folded.as_str())
                    .map_or(f64::NAN, |e| e.lex);
                (item, s.folded == "no")
            } else {
                (entry.lex, entry.tag == NO)
            };
            s.toks.push(Tok {
                lo: lo as u32,
                hi: hi as u32,
                upper: py_isupper(word),
                lex: entry.lex,
                item,
                item_is_no,
                booster: entry.booster,
                negated: entry.negation || contains_nt(lower.as_bytes()),
                phrase: entry.phrase,
                pword: entry.pword,
                tag: entry.tag,
            });
        };
        if text.is_ascii() {
            self.tokenize_ascii(text, s);
        } else if french {
            // re.split(r"[\s']", text): every separator splits, empty words stay.
            for word in text.split(|c: char| c == '\'' || is_py_space(c)) {
                push(word, s);
            }
        } else {
            // str.split(): runs of whitespace, no empty words.
            for word in text.split(is_py_space).filter(|w| !w.is_empty()) {
                push(word, s);
            }
        }
    }

    /// One ASCII word of a text that is not all ASCII: the byte-class path of
    /// [`Vader::tokenize_ascii`], lower-casing the word alone.
    fn push_ascii_word(&self, bytes: &[u8], s: &mut Scratch) {
        let mut flags = 0u8;
        for &b in bytes {
            flags |= ASCII_CLASS[b as usize];
        }
        let (a, b) = strip_ascii(bytes, flags);
        let lo = s.lower.len();
        // The bytes are ASCII, so pushing them as chars keeps them as they are.
        s.lower
            .extend(bytes[a..b].iter().map(|&c| c.to_ascii_lowercase() as char));
        let hi = s.lower.len();
        s.lower.push_str("\0\0\0\0\0\0\0\0");
        let entry = self
            .inner
            .words
            .get_in(s.lower.as_bytes(), lo, hi)
            .copied()
            .unwrap_or_default();
        s.lower.truncate(hi);
        let negated =
            entry.negation || (flags & APOSTROPHE != 0 && contains_nt(&s.lower.as_bytes()[lo..hi]));
        s.toks.push(ascii_tok(entry, lo, hi, flags, negated));
    }

    /// [`Vader::tokenize`] for ASCII text, in one pass over the bytes with a
    /// class table: the whole text is lower-cased once and each word's
    /// lower-case form is the same byte range.
    fn tokenize_ascii(&self, text: &str, s: &mut Scratch) {
        let inner = &*self.inner;
        let french = inner.language == Language::French;
        let base = s.lower.len();
        s.lower.push_str(text);
        s.lower[base..].make_ascii_lowercase();
        // Padding for the 8-byte loads of the word table.
        s.lower.push_str("\0\0\0\0\0\0\0\0");
        let Scratch { lower, toks, .. } = s;
        let bytes = text.as_bytes();
        let lower = &lower.as_bytes()[base..];
        let sep = if french { SEP_FR } else { SPACE };
        let n = bytes.len();
        let mut p = 0;
        loop {
            if !french {
                // str.split(): runs of whitespace, no empty words.
                while p < n && ASCII_CLASS[bytes[p] as usize] & SPACE != 0 {
                    p += 1;
                }
                if p == n {
                    break;
                }
            }
            let start = p;
            let mut flags = 0u8;
            while p < n {
                let class = ASCII_CLASS[bytes[p] as usize];
                if class & sep != 0 {
                    break;
                }
                flags |= class;
                p += 1;
            }
            let (a, b) = strip_ascii(&bytes[start..p], flags);
            let (a, b) = (start + a, start + b);
            let entry = inner.words.get_in(lower, a, b).copied().unwrap_or_default();
            let negated = entry.negation || (flags & APOSTROPHE != 0 && contains_nt(&lower[a..b]));
            toks.push(ascii_tok(entry, base + a, base + b, flags, negated));
            if p == n {
                break;
            }
            // French: every separator ends a word, even an empty one.
            p += 1;
        }
    }

    fn score(&self, text: &str, s: &mut Scratch) -> SentimentScores {
        s.lower.clear();
        s.toks.clear();
        s.sentiments.clear();
        // Word ranges are u32 (and lower-casing can grow a text by half):
        // score the first GiB of a larger text.
        let text = if text.len() >= u32::MAX as usize / 4 {
            let mut end = u32::MAX as usize / 4;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            &text[..end]
        } else {
            text
        };
        let (replaced, spare) = self.replace_emoji(text, std::mem::take(&mut s.emoji));
        let scores = self.score_replaced(replaced.trim_matches(is_py_space), s);
        // Keep the buffer (either the spare or the replaced text) for the next call.
        s.emoji = match replaced {
            Cow::Owned(buf) => buf,
            Cow::Borrowed(_) => spare,
        };
        scores
    }

    fn score_replaced(&self, text: &str, s: &mut Scratch) -> SentimentScores {
        s.lower.reserve(text.len());
        self.tokenize(text, s);

        let n = s.toks.len();
        let caps = s.toks.iter().filter(|t| t.upper).count();
        let is_cap_diff = n - caps > 0 && n - caps < n;
        let mut joined = std::mem::take(&mut s.joined);
        for i in 0..n {
            let t = &s.toks[i];
            let v = if t.item.is_nan()
                || t.booster != 0
                || (i + 1 < n && t.tag == KIND && tag(s, i + 1) == OF)
            {
                0.0
            } else {
                self.sentiment_valence(s, &mut joined, i, is_cap_diff)
            };
            s.sentiments.push(v);
        }
        s.joined = joined;
        if self.inner.language == Language::English {
            but_check(s);
        }
        self.score_valence(&s.sentiments, text)
    }

    fn sentiment_valence(
        &self,
        s: &Scratch,
        joined: &mut String,
        i: usize,
        is_cap_diff: bool,
    ) -> f64 {
        let toks = &s.toks;
        let n = toks.len();
        let Some(item_valence) = valence_of(toks[i].item) else {
            return 0.0;
        };
        let mut valence = item_valence;
        if toks[i].item_is_no && i != n - 1 && !toks[i + 1].lex.is_nan() {
            valence = 0.0;
        }
        if (i > 0 && tag(s, i - 1) == NO)
            || (i > 1 && tag(s, i - 2) == NO)
            || (i > 2 && tag(s, i - 3) == NO && matches!(tag(s, i - 1), OR | NOR))
        {
            valence = item_valence * N_SCALAR;
        }
        if toks[i].upper && is_cap_diff {
            if valence > 0.0 {
                valence += C_INCR;
            } else {
                valence -= C_INCR;
            }
        }
        for start_i in 0..3 {
            if i > start_i && toks[i - (start_i + 1)].lex.is_nan() {
                let mut scalar = scalar_inc_dec(&toks[i - (start_i + 1)], valence, is_cap_diff);
                if start_i == 1 && scalar != 0.0 {
                    scalar *= 0.95;
                }
                if start_i == 2 && scalar != 0.0 {
                    scalar *= 0.9;
                }
                valence += scalar;
                valence = self.negation_check(valence, s, start_i, i);
                if start_i == 2 {
                    valence = self.special_idioms_check(valence, s, joined, i);
                }
            }
        }
        least_check(valence, s, i)
    }

    fn negation_check(&self, mut valence: f64, s: &Scratch, start_i: usize, i: usize) -> f64 {
        let toks = &s.toks;
        match self.inner.language {
            Language::English => match start_i {
                0 => {
                    if toks[i - 1].negated {
                        valence *= N_SCALAR;
                    }
                }
                1 => {
                    let (w2, w1) = (tag(s, i - 2), tag(s, i - 1));
                    if w2 == NEVER && (w1 == SO || w1 == THIS) {
                        valence *= 1.25;
                    } else if w2 == WITHOUT && w1 == DOUBT {
                    } else if toks[i - 2].negated {
                        valence *= N_SCALAR;
                    }
                }
                _ => {
                    let (w3, w2, w1) = (tag(s, i - 3), tag(s, i - 2), tag(s, i - 1));
                    if (w3 == NEVER && (w2 == SO || w2 == THIS)) || (w1 == SO || w1 == THIS) {
                        valence *= 1.25;
                    } else if w3 == WITHOUT && (w2 == DOUBT || w1 == DOUBT) {
                    } else if toks[i - 3].negated {
                        valence *= N_SCALAR;
                    }
                }
            },
            Language::French => {
                if self.inner.no_negate.contains(word(s, i)) {
                    return valence;
                }
                if toks[i - (start_i + 1)].negated {
                    valence *= N_SCALAR;
                }
            }
        }
        valence
    }

    fn special_idioms_check(
        &self,
        mut valence: f64,
        s: &Scratch,
        joined: &mut String,
        i: usize,
    ) -> f64 {
        let inner = &*self.inner;
        let n = s.toks.len();
        // Each word of a phrase is flagged, its first word twice: skip the
        // string building unless the words of a sequence all are.
        let toks = &s.toks;
        if !(toks[i - 3].phrase || toks[i - 2].phrase || toks[i - 1].phrase || toks[i].phrase) {
            return valence;
        }
        let lookup = |map_special: bool, parts: &[usize], joined: &mut String| {
            if !toks[parts[0]].phrase || !parts.iter().all(|&k| toks[k].pword) {
                return None;
            }
            joined.clear();
            for (k, &p) in parts.iter().enumerate() {
                if k > 0 {
                    joined.push(' ');
                }
                joined.push_str(word(s, p));
            }
            if map_special {
                inner.special.get(joined.as_str()).copied()
            } else {
                inner
                    .words
                    .get(joined.as_str())
                    .and_then(|e| booster_value(e.booster))
            }
        };
        // onezero, twoonezero, twoone, threetwoone, threetwo: the first match wins.
        let sequences: [&[usize]; 5] = [
            &[i - 1, i],
            &[i - 2, i - 1, i],
            &[i - 2, i - 1],
            &[i - 3, i - 2, i - 1],
            &[i - 3, i - 2],
        ];
        for seq in sequences {
            if let Some(v) = lookup(true, seq, joined) {
                valence = v;
                break;
            }
        }
        if n - 1 > i
            && let Some(v) = lookup(true, &[i, i + 1], joined)
        {
            valence = v;
        }
        if n - 1 > i + 1
            && let Some(v) = lookup(true, &[i, i + 1, i + 2], joined)
        {
            valence = v;
        }
        // Booster and dampener n-grams such as "sort of" and "kind of".
        let ngrams: [&[usize]; 3] = [&[i - 3, i - 2, i - 1], &[i - 3, i - 2], &[i - 2, i - 1]];
        for ngram in ngrams {
            if let Some(b) = lookup(false, ngram, joined) {
                valence += b;
            }
        }
        valence
    }

    fn score_valence(&self, sentiments: &[f64], text: &str) -> SentimentScores {
        if sentiments.is_empty() {
            return SentimentScores {
                neg: 0.0,
                neu: 0.0,
                pos: 0.0,
                compound: 0.0,
            };
        }
        let french = self.inner.language == Language::French;
        let mut sum_s = 0.0;
        for &v in sentiments {
            sum_s += v;
        }
        let punct = punctuation_emphasis(text, french);
        if french {
            // The upper-case emphasis is only computed when it is used.
            if sum_s > 0.0 {
                sum_s += punct;
                if sum_s >= 0.05 {
                    sum_s += amplify_uc(text);
                }
            } else if sum_s < 0.0 {
                sum_s -= punct;
                if sum_s <= -0.05 {
                    sum_s -= amplify_uc(text);
                }
            } else {
                sum_s -= 0.5 * punct;
            }
        } else if sum_s > 0.0 {
            sum_s += punct;
        } else if sum_s < 0.0 {
            sum_s -= punct;
        }
        let compound = normalize(sum_s);

        // Branch-free form of the reference's three `if`s (adding +0.0 to
        // these sums changes nothing: they start at +0.0).
        let (mut pos_sum, mut neg_sum, mut neu_count) = (0.0f64, 0.0f64, 0u64);
        for &v in sentiments {
            pos_sum += if v > 0.0 { v + 1.0 } else { 0.0 };
            neg_sum += if v < 0.0 { v - 1.0 } else { 0.0 };
            neu_count += (v == 0.0) as u64;
        }
        if pos_sum > neg_sum.abs() {
            pos_sum += punct;
        } else if pos_sum < neg_sum.abs() {
            neg_sum -= punct;
        }
        let total = pos_sum + neg_sum.abs() + neu_count as f64;
        SentimentScores {
            neg: py_round((neg_sum / total).abs(), 3),
            neu: py_round((neu_count as f64 / total).abs(), 3),
            pos: py_round((pos_sum / total).abs(), 3),
            compound: py_round(compound, 4),
        }
    }
}

const SPACE: u8 = 1;
const PUNCT: u8 = 2;
const UPPER: u8 = 4;
const LOWER: u8 = 8;
const APOSTROPHE: u8 = 16;
/// vaderSentiment-fr's separators: whitespace and the apostrophe.
const SEP_FR: u8 = SPACE | APOSTROPHE;

/// Byte classes for the ASCII tokenizer: Python whitespace, `string.punctuation`,
/// upper and lower case, and the apostrophe (also punctuation).
static ASCII_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if is_py_space_ascii(c) {
            SPACE
        } else if c == b'\'' {
            PUNCT | APOSTROPHE
        } else if c.is_ascii_punctuation() {
            PUNCT
        } else if c.is_ascii_uppercase() {
            UPPER
        } else if c.is_ascii_lowercase() {
            LOWER
        } else {
            0
        };
        b += 1;
    }
    t
};

/// The range of an ASCII word (whose byte classes or together to `flags`)
/// stripped of `string.punctuation`, unless two characters or fewer remain.
#[inline]
fn strip_ascii(bytes: &[u8], flags: u8) -> (usize, usize) {
    let (mut a, mut b) = (0, bytes.len());
    if flags & PUNCT != 0 {
        while a < b && ASCII_CLASS[bytes[a] as usize] & PUNCT != 0 {
            a += 1;
        }
        while b > a && ASCII_CLASS[bytes[b - 1] as usize] & PUNCT != 0 {
            b -= 1;
        }
        if b - a <= 2 {
            return (0, bytes.len());
        }
    }
    (a, b)
}

/// The [`Tok`] of an ASCII word at `lo..hi` of the lower-case buffer (for
/// ASCII, the scored key is the lower-cased word itself).
#[inline]
fn ascii_tok(entry: Entry, lo: usize, hi: usize, flags: u8, negated: bool) -> Tok {
    Tok {
        lo: lo as u32,
        hi: hi as u32,
        upper: flags & (UPPER | LOWER) == UPPER,
        lex: entry.lex,
        item: entry.lex,
        item_is_no: entry.tag == NO,
        booster: entry.booster,
        negated,
        phrase: entry.phrase,
        pword: entry.pword,
        tag: entry.tag,
    }
}

/// The rule-word tag of word `i`.
#[inline]
fn tag(s: &Scratch, i: usize) -> u8 {
    s.toks[i].tag
}

/// Whether a lower-cased word contains "n't" (the reference's `"n't" in word`).
#[inline]
fn contains_nt(w: &[u8]) -> bool {
    w.len() >= 3 && w.contains(&b'\'') && w.windows(3).any(|x| x == b"n't")
}

/// The lower-cased word `i`.
#[inline]
fn word(s: &Scratch, i: usize) -> &str {
    let t = &s.toks[i];
    &s.lower[t.lo as usize..t.hi as usize]
}

fn scalar_inc_dec(tok: &Tok, valence: f64, is_cap_diff: bool) -> f64 {
    let Some(mut scalar) = booster_value(tok.booster) else {
        return 0.0;
    };
    if valence < 0.0 {
        scalar *= -1.0;
    }
    if tok.upper && is_cap_diff {
        if valence > 0.0 {
            scalar += C_INCR;
        } else {
            scalar -= C_INCR;
        }
    }
    scalar
}

fn least_check(mut valence: f64, s: &Scratch, i: usize) -> f64 {
    let toks = &s.toks;
    if i > 1 && toks[i - 1].lex.is_nan() && tag(s, i - 1) == LEAST {
        let w2 = tag(s, i - 2);
        if w2 != AT && w2 != VERY {
            valence *= N_SCALAR;
        }
    } else if i > 0 && toks[i - 1].lex.is_nan() && tag(s, i - 1) == LEAST {
        valence *= N_SCALAR;
    }
    valence
}

/// The reference's "but" rule, loop quirk included: for each position k in
/// order, the value v read there is looked up by value (`list.index(v)`, the
/// first equal element), and that element, not necessarily k, is halved
/// before the first "but" or multiplied by 1.5 after it. Zeros are skipped:
/// rewriting a zero with a zero changes nothing.
fn but_check(s: &mut Scratch) {
    let Some(bi) = s.toks.iter().position(|t| t.tag == BUT) else {
        return;
    };
    s.nonzero.clear();
    s.nonzero
        .extend((0..s.sentiments.len()).filter(|&k| s.sentiments[k] != 0.0));
    if s.nonzero.len() <= 64 {
        but_scan(&mut s.sentiments, &s.nonzero, bi);
    } else {
        but_indexed(&mut s.sentiments, &s.nonzero, bi);
    }
}

/// The new value of a sentiment found at `si` for the value `v`, if any.
#[inline]
fn but_rescale(v: f64, si: usize, bi: usize) -> Option<f64> {
    match si.cmp(&bi) {
        std::cmp::Ordering::Less => Some(v * 0.5),
        std::cmp::Ordering::Greater => Some(v * 1.5),
        std::cmp::Ordering::Equal => None,
    }
}

/// [`but_check`] by scanning for the first equal value: O(m²) in the number
/// m of non-zero sentiments, fastest for posts.
fn but_scan(sentiments: &mut [f64], nonzero: &[usize], bi: usize) {
    for idx in 0..nonzero.len() {
        let v = sentiments[nonzero[idx]];
        let Some(si) = nonzero[..=idx]
            .iter()
            .copied()
            .find(|&j| sentiments[j] == v)
        else {
            continue;
        };
        if let Some(new) = but_rescale(v, si, bi) {
            sentiments[si] = new;
        }
    }
}

/// [`but_check`] with the positions of each value in ordered sets:
/// O(m log m), for long texts. Equal non-zero doubles have equal bits, and
/// zeros (possible only by underflow) are inert, so they leave the sets.
fn but_indexed(sentiments: &mut [f64], nonzero: &[usize], bi: usize) {
    use std::collections::BTreeSet;
    let mut at: FxHashMap<u64, BTreeSet<usize>> = FxHashMap::default();
    for &k in nonzero {
        let v = sentiments[k];
        if v == 0.0 {
            continue;
        }
        let set = at.entry(v.to_bits()).or_default();
        set.insert(k);
        let si = *set.first().expect("k was just inserted");
        if let Some(new) = but_rescale(v, si, bi) {
            set.remove(&si);
            sentiments[si] = new;
            if new != 0.0 {
                at.entry(new.to_bits()).or_default().insert(si);
            }
        }
    }
}

fn punctuation_emphasis(text: &str, french: bool) -> f64 {
    let bytes = text.as_bytes();
    let (ep, qm) = count_bang_question(bytes);
    let ep_amplifier = ep.min(4) as f64 * 0.292;
    let qm_amplifier = if qm > 1 {
        if qm <= 3 { qm as f64 * 0.18 } else { 0.96 }
    } else {
        0.0
    };
    if !french {
        return ep_amplifier + qm_amplifier;
    }
    // Total length of the runs of two dots or more (`re.findall(r"\.{2,}")`).
    let (mut dots, mut run) = (0usize, 0usize);
    for &b in bytes {
        if b == b'.' {
            run += 1;
        } else {
            if run >= 2 {
                dots += run;
            }
            run = 0;
        }
    }
    if run >= 2 {
        dots += run;
    }
    let sp_amplifier = match dots {
        0 | 1 => 0.0,
        2 | 3 => 0.21,
        n => (n.min(6) - 2) as f64 * 0.21,
    };
    ep_amplifier + qm_amplifier + sp_amplifier
}

/// The numbers of `!` and `?` in `bytes`, eight bytes at a time.
fn count_bang_question(bytes: &[u8]) -> (usize, usize) {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    // 0x80 in each byte of `x` that is zero, exactly (no borrow between bytes).
    let zero_bytes = |x: u64| !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7);
    let (mut ep, mut qm) = (0usize, 0usize);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let x = u64::from_le_bytes(w);
        ep += zero_bytes(x ^ 0x2121_2121_2121_2121).count_ones() as usize;
        qm += zero_bytes(x ^ 0x3F3F_3F3F_3F3F_3F3F).count_ones() as usize;
    }
    for &b in chunks.remainder() {
        ep += (b == b'!') as usize;
        qm += (b == b'?') as usize;
    }
    (ep, qm)
}

/// vaderSentiment-fr's upper-case emphasis: remove `?!.,;`, split on spaces,
/// keep words of two characters or more, drop their first character, and count
/// (up to 5) those with no lower-case character; 0.292 each.
fn amplify_uc(text: &str) -> f64 {
    let mut count = 0usize;
    // Per word: characters kept so far, and a lower-case one after the first.
    let (mut kept, mut lower_after_first) = (0usize, false);
    for c in text.chars().chain(std::iter::once(' ')) {
        match c {
            ' ' => {
                if kept > 1 && !lower_after_first {
                    if count > 4 {
                        break;
                    }
                    count += 1;
                }
                (kept, lower_after_first) = (0, false);
            }
            '?' | '!' | '.' | ',' | ';' => {}
            _ => {
                lower_after_first |= kept > 0 && c.is_lowercase();
                kept += 1;
            }
        }
    }
    count as f64 * 0.292
}

fn normalize(score: f64) -> f64 {
    let norm = score / (score * score + 15.0).sqrt();
    norm.clamp(-1.0, 1.0)
}

/// Python's `str.isspace` on one character: Unicode White_Space plus the
/// information separators U+001C..U+001F.
#[inline]
fn is_py_space(c: char) -> bool {
    if c.is_ascii() {
        is_py_space_ascii(c as u8)
    } else {
        c.is_whitespace()
    }
}

/// [`is_py_space`] on an ASCII byte: `\t \n \v \f \r`, U+001C..U+001F and space.
#[inline]
const fn is_py_space_ascii(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | 0x1c..=0x1f | b' ')
}

/// Strips leading and trailing ASCII punctuation (`string.punctuation`)
/// unless that leaves two characters or fewer.
fn strip_punc_if_word(token: &str) -> &str {
    let stripped = token.trim_matches(|c: char| c.is_ascii_punctuation());
    if stripped.chars().nth(2).is_none() {
        token
    } else {
        stripped
    }
}

/// Appends Python's `str.lower()` of `s`.
fn push_lower(s: &str, out: &mut String) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| b.to_ascii_lowercase() as char));
        return;
    }
    let start = out.len();
    for c in s.chars() {
        if c == 'Σ' {
            // Final sigma depends on the context: lower-case the whole word.
            out.truncate(start);
            out.push_str(&s.to_lowercase());
            return;
        }
        out.extend(c.to_lowercase());
    }
}

fn is_titlecase(c: char) -> bool {
    matches!(c,
        '\u{01C5}' | '\u{01C8}' | '\u{01CB}' | '\u{01F2}'
        | '\u{1F88}'..='\u{1F8F}' | '\u{1F98}'..='\u{1F9F}' | '\u{1FA8}'..='\u{1FAF}'
        | '\u{1FBC}' | '\u{1FCC}' | '\u{1FFC}')
}

/// Python's `str.isupper()`: no lower-case or title-case character and at
/// least one upper-case one.
fn py_isupper(s: &str) -> bool {
    let mut cased = false;
    if s.is_ascii() {
        for b in s.bytes() {
            if b.is_ascii_lowercase() {
                return false;
            }
            cased |= b.is_ascii_uppercase();
        }
        return cased;
    }
    for c in s.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

/// Python's `round(x, digits)`: round half to even on the exact binary value,
/// then the nearest double to the decimal result.
#[inline]
fn py_round(x: f64, digits: u32) -> f64 {
    let ax = x.abs();
    let scale = match digits {
        3 => 1e3,
        4 => 1e4,
        d => 10f64.powi(d as i32),
    };
    if !x.is_finite() || ax * scale >= 1e15 {
        return x;
    }
    let y = ax * scale;
    // y is in [0, 1e15): truncation is the floor (and needs no libm call).
    let floor = y as u64 as f64;
    let frac = y - floor;
    let r = if (frac - 0.5).abs() > 1e-6 {
        floor + (frac > 0.5) as u8 as f64
    } else {
        // Near a tie: decide on the exact decimal expansion of |x| (a double
        // has at most 1,074 fractional digits).
        let exact = format!("{ax:.1100}");
        let (int_part, frac_part) = exact.split_once('.').unwrap_or((&exact, ""));
        let (kept, tail) = frac_part.split_at((digits as usize).min(frac_part.len()));
        let mut k: f64 = format!("{int_part}{kept}").parse().unwrap_or(floor);
        let tail = tail.as_bytes();
        let up = match tail.first() {
            Some(&d) if d > b'5' => true,
            Some(b'5') => tail[1..].iter().any(|&d| d != b'0') || k % 2.0 == 1.0,
            _ => false,
        };
        if up {
            k += 1.0;
        }
        k
    };
    (r / scale).copysign(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_round() {
        assert_eq!(py_round(0.0625, 3), 0.062);
        assert_eq!(py_round(0.0635, 3), 0.064); // 0.0635 is above the tie in binary
        assert_eq!(py_round(0.1875, 3), 0.188);
        assert_eq!(py_round(-0.84394, 4), -0.8439);
        assert_eq!(py_round(0.5, 3), 0.5);
        assert_eq!(py_round(1.0, 4), 1.0);
        assert_eq!(py_round(0.00045, 3), 0.0);
    }

    #[test]
    fn but_rule_scan_and_index_agree() {
        // Values chosen so that rescaled values collide with later ones.
        let pool = [1.0, 2.0, 4.0, 0.5, 0.25, -1.0, -2.0, -0.5, 3.0, 0.0];
        let mut seed = 7u64;
        for _ in 0..2000 {
            let n = 1 + (seed % 40) as usize;
            let mut v = Vec::with_capacity(n);
            for _ in 0..n {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                v.push(pool[(seed >> 33) as usize % pool.len()]);
            }
            let bi = (seed >> 20) as usize % (n + 1);
            let nonzero: Vec<usize> = (0..n).filter(|&k| v[k] != 0.0).collect();
            let (mut a, mut b) = (v.clone(), v.clone());
            but_scan(&mut a, &nonzero, bi);
            but_indexed(&mut b, &nonzero, bi);
            assert_eq!(a, b, "{v:?} but at {bi}");
        }
    }

    #[test]
    fn counts_punctuation() {
        let t = "?!a!!??b!!!?c\u{e9}!! ok ?!!x".as_bytes();
        let ep = t.iter().filter(|&&b| b == b'!').count();
        let qm = t.iter().filter(|&&b| b == b'?').count();
        for start in 0..t.len() {
            let sub = &t[start..];
            let expected = (
                sub.iter().filter(|&&b| b == b'!').count(),
                sub.iter().filter(|&&b| b == b'?').count(),
            );
            assert_eq!(count_bang_question(sub), expected);
        }
        assert_eq!(count_bang_question(t), (ep, qm));
    }

    #[test]
    fn isupper_like_python() {
        assert!(py_isupper("VADER"));
        assert!(py_isupper("SUX!"));
        assert!(!py_isupper(":)"));
        assert!(!py_isupper("Vader"));
        assert!(py_isupper("ÉTÉ"));
        assert!(!py_isupper("ǅX"));
    }

    #[test]
    fn strip_keeps_emoticons() {
        assert_eq!(strip_punc_if_word(":)"), ":)");
        assert_eq!(strip_punc_if_word("good!!!"), "good");
        assert_eq!(strip_punc_if_word(":D"), ":D");
        assert_eq!(strip_punc_if_word("'ok'"), "'ok'");
    }
}
