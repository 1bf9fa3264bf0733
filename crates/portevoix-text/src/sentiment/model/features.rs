//! The features of the learned sentiment model: a text (and the byte ranges
//! where it names the brand) to one sparse vector.
//!
//! Two parts, in one index space:
//!
//! - **hashed n-grams**, indices `0 .. 2^hash_bits`: word unigrams and
//!   bigrams, character n-grams inside words, hashtags and the words of their
//!   bodies, emoji and emoticons, and placeholders (`<user>` for @mentions,
//!   `<url>`, `<num>`, `<brand>` for the brand's mentions). A word inside a
//!   negation's scope gets a negated unigram (`not good` gives `good⁻`, Pang,
//!   Lee & Vaithyanathan, EMNLP 2002); an elongated word is shortened
//!   (`soooo` to `soo`). Each feature is hashed with xxh3 (a fixed, published
//!   function, so a model file means the same thing on every platform and in
//!   every version) and signed by one bit of the hash (Weinberger et al., *Feature
//!   Hashing for Large Scale Multitask Learning*, ICML 2009), so collisions
//!   cancel on average instead of adding up. The word n-grams are scaled to
//!   unit L2 norm together, the character n-grams likewise;
//! - **dense cues**, indices `2^hash_bits .. 2^hash_bits + DENSE`: VADER's
//!   four scores of the text (brand masked), lexicon sums (positive and
//!   negative valences, with negation flipping them), capitals, elongations,
//!   negations, `!` and `?` runs, emoji and emoticon counts, length. Each is
//!   squashed into about [−1, 1] by a fixed transform, so no statistics of
//!   the training set are needed to use them.
//!
//! Hashing rather than a vocabulary: no vocabulary to store or look up (the
//! model file is the weight table), no out-of-vocabulary path, constant
//! memory whatever the training set, and extraction that never allocates a
//! map. The cost is collisions, kept rare by 2^20 buckets for about 400,000
//! distinct n-grams of the English training set.

use std::cell::RefCell;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::analysis::{SocialTokenizer, Token, TokenKind, Tokenizer, remove_elision};
use crate::sentiment::Vader;

use super::linear::LinearModel;
use super::word_memo::{MemoKey, WordFacts, WordMemo, WordMemos};

/// Where the character n-grams of the words go.
enum CharOut<'a> {
    /// Into the sparse vector, as their own group.
    Entries,
    /// Into their dot product with a linear model's weights, summed word by
    /// word (`count` entries so far, for the group's normalisation).
    Logits {
        model: &'a LinearModel,
        weights_id: u64,
        sum: [f32; 3],
        count: usize,
    },
}

impl CharOut<'_> {
    /// The weights the memo's partial dot products belong to (0: none).
    fn weights_id(&self) -> u64 {
        match self {
            CharOut::Entries => 0,
            CharOut::Logits { weights_id, .. } => *weights_id,
        }
    }
}

/// Number of dense cues after the hashed space (see [`DENSE_NAMES`]).
pub const DENSE: usize = 24;

/// The names of the dense cues, in index order (index `2^hash_bits + k`).
pub const DENSE_NAMES: [&str; DENSE] = [
    "vader_neg",
    "vader_neu",
    "vader_pos",
    "vader_compound",
    "lexicon_positive_sum",
    "lexicon_negative_sum",
    "lexicon_positive_words",
    "lexicon_negative_words",
    "lexicon_max",
    "lexicon_min",
    "lexicon_last",
    "lexicon_negated_sum",
    "negations",
    "all_caps_words",
    "elongated_words",
    "exclamation_runs",
    "question_runs",
    "ends_with_exclamation",
    "ends_with_question",
    "emoji",
    "emoticons_positive",
    "emoticons_negative",
    "mentions_and_urls",
    "length",
];

/// How texts become features; stored in every model file, so that a model
/// is always applied with the features it was trained on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureConfig {
    /// Language of the rules: negation cues, French elision, VADER lexicon.
    pub language: FeatureLanguage,
    /// The hashed space has `2^hash_bits` buckets (8 to 24).
    pub hash_bits: u8,
    /// Shortest character n-gram inside a word (with `<` and `>` marking its
    /// ends); 0 with `char_max` 0 for none.
    pub char_min: u8,
    /// Longest character n-gram inside a word.
    pub char_max: u8,
    /// Word bigrams (over unigrams and placeholders, hashtag bodies excluded).
    pub bigrams: bool,
    /// Negated unigrams inside a negation's scope (to the next `.,:;!?`).
    pub negation: bool,
    /// Weight of the character n-gram group against the word group (each has
    /// unit norm before this factor).
    pub char_weight: f32,
    /// Weight of the dense cues.
    pub dense_weight: f32,
}

/// The language of a feature extractor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeatureLanguage {
    /// English rules and VADER's English lexicon.
    En,
    /// French rules (elision, `ne … pas`) and vaderSentiment-fr's lexicon.
    Fr,
}

impl FeatureLanguage {
    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            FeatureLanguage::En => "en",
            FeatureLanguage::Fr => "fr",
        }
    }

    /// From an ISO 639-1 code (`en`, `fr`).
    pub fn from_code(code: &str) -> Option<FeatureLanguage> {
        match code.to_ascii_lowercase().as_str() {
            "en" | "english" => Some(FeatureLanguage::En),
            "fr" | "french" => Some(FeatureLanguage::Fr),
            _ => None,
        }
    }
}

impl FeatureConfig {
    /// The defaults for a language, chosen by 5-fold cross-validation on the
    /// training sets (see docs/sentiment-evaluation.md).
    pub fn for_language(language: FeatureLanguage) -> FeatureConfig {
        FeatureConfig {
            language,
            hash_bits: 20,
            char_min: 2,
            char_max: 5,
            bigrams: true,
            negation: true,
            char_weight: 1.0,
            dense_weight: 1.0,
        }
    }

    /// Checks the ranges of the fields.
    ///
    /// # Errors
    /// A message naming the field out of range.
    pub fn validate(&self) -> Result<(), String> {
        if !(8..=24).contains(&self.hash_bits) {
            return Err(format!("hash_bits {} not in 8..=24", self.hash_bits));
        }
        if self.char_min > self.char_max
            || self.char_max > 8
            || (self.char_min == 0) != (self.char_max == 0)
        {
            return Err(format!(
                "character n-grams {}..={} (want 1 ≤ min ≤ max ≤ 8, or both 0)",
                self.char_min, self.char_max
            ));
        }
        for (name, w) in [
            ("char_weight", self.char_weight),
            ("dense_weight", self.dense_weight),
        ] {
            if !w.is_finite() || w < 0.0 {
                return Err(format!("{name} {w} is not a finite non-negative number"));
            }
        }
        Ok(())
    }

    /// Number of hashed buckets, `2^hash_bits`.
    pub fn buckets(&self) -> usize {
        1usize << self.hash_bits
    }

    /// Total dimension: buckets plus [`DENSE`] cues.
    pub fn dimension(&self) -> usize {
        self.buckets() + DENSE
    }
}

/// A sparse feature vector: `values[k]` at index `indices[k]`. An index may
/// repeat (a word seen twice); consumers add the repeats up.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseFeatures {
    /// Feature indices, below [`FeatureConfig::dimension`].
    pub indices: Vec<u32>,
    /// Feature values.
    pub values: Vec<f32>,
}

impl SparseFeatures {
    /// Number of stored entries.
    pub fn len(&self) -> usize {
        self.indices.len()
    }

    /// Whether no entry is stored.
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    fn push(&mut self, index: u32, value: f32) {
        self.indices.push(index);
        self.values.push(value);
    }
}

/// Turns texts into [`SparseFeatures`] (see the [module](self) docs).
///
/// `Send + Sync`, cheap to clone; per-thread scratch buffers make extraction
/// allocation-light.
///
/// # Example
/// ```
/// use portevoix_text::sentiment::model::{FeatureConfig, FeatureExtractor, FeatureLanguage};
/// let fx = FeatureExtractor::new(FeatureConfig::for_language(FeatureLanguage::En)).unwrap();
/// let text = "thanks for nothing @united";
/// let brand = [text.find("@united").unwrap()..text.len()];
/// let f = fx.extract(text, &brand);
/// assert!(f.indices.iter().all(|&i| (i as usize) < fx.config().dimension()));
/// assert_ne!(f, fx.extract("thanks @united", &brand));
/// ```
#[derive(Debug, Clone)]
pub struct FeatureExtractor {
    config: FeatureConfig,
    vader: Vader,
}

/// Hash seeds, one per feature family, so that a word and a character
/// n-gram with the same bytes land in different buckets.
mod seed {
    pub const WORD: u64 = 0x5157_4f52_4401;
    pub const NEGATED: u64 = 0x5157_4f52_4402;
    pub const BIGRAM: u64 = 0x5157_4f52_4403;
    pub const CHAR: u64 = 0x5157_4f52_4404;
    pub const HASHTAG: u64 = 0x5157_4f52_4405;
    pub const SYMBOL: u64 = 0x5157_4f52_4406;
}

/// The placeholder terms, as unigrams.
const USER: &str = "<user>";
const URL: &str = "<url>";
const NUMBER: &str = "<num>";
const BRAND: &str = "<brand>";
const CASHTAG: &str = "<cashtag>";

/// English negation cues beyond VADER's list (which holds `not`, `never`,
/// `n't` forms without apostrophe, ...); any word ending in `n't` is one too.
const EN_NEGATION: &[&str] = &[
    "no", "not", "never", "nothing", "nobody", "none", "nowhere", "neither", "nor", "cannot",
    "without", "hardly", "barely", "noone",
];
/// French negation cues (`n'` is found before elision is removed).
const FR_NEGATION: &[&str] = &[
    "ne", "pas", "jamais", "rien", "personne", "aucun", "aucune", "sans", "ni", "nul", "nulle",
    "guère", "plus",
];

/// Emoticons that read as positive or negative (the tokeniser's normal forms).
const POSITIVE_EMOTICONS: &[&str] = &[
    ":)", ":-)", ":D", ":-D", ";)", ";-)", ";D", ";-D", ":P", ":-P", ":p", ":-p", ";P", ";p", "=)",
    "=D", "=P", "<3", "^_^", "^^", "^.^", ":]", ":3", ":*", ":-*", "xD", "XD", "xP", "XP", ":')",
    ">:)", ">:-)",
];
const NEGATIVE_EMOTICONS: &[&str] = &[
    ":(", ":-(", ":'(", ":'-(", ">:(", ">:-(", ":/", ":-/", ":\\", ":-\\", ":|", ":-|", "=(",
    "</3", ":[", ":S", ":s", ":-S", "-_-", ":@",
];

struct Scratch {
    tokens: Vec<Token>,
    /// The normalised unigram terms of the main tokens (not hashtag bodies), in order.
    words: Vec<u64>,
    term: String,
    fold: String,
    chars: Vec<u8>,
    offsets: Vec<usize>,
    masked: String,
    char_entries: Vec<(u32, f32)>,
    brand: Vec<Range<usize>>,
    /// Per-word facts already computed on this thread.
    memos: WordMemos,
}

impl Scratch {
    /// Empty buffers (a `const fn`: the thread-local starts with it).
    const fn new() -> Scratch {
        Scratch {
            tokens: Vec::new(),
            words: Vec::new(),
            term: String::new(),
            fold: String::new(),
            chars: Vec::new(),
            offsets: Vec::new(),
            masked: String::new(),
            char_entries: Vec::new(),
            brand: Vec::new(),
            memos: WordMemos::new(),
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = const { RefCell::new(Scratch::new()) };
}

/// Running sums of the dense cues while reading a text.
#[derive(Default)]
struct Cues {
    pos_sum: f64,
    neg_sum: f64,
    pos_words: f64,
    neg_words: f64,
    max: f64,
    min: f64,
    last: f64,
    negated_sum: f64,
    negations: f64,
    caps: f64,
    elongated: f64,
    emoji: f64,
    emo_pos: f64,
    emo_neg: f64,
    mentions_urls: f64,
    tokens: f64,
}

impl FeatureExtractor {
    /// An extractor with `config`.
    ///
    /// # Errors
    /// When `config` is out of range ([`FeatureConfig::validate`]).
    pub fn new(config: FeatureConfig) -> Result<FeatureExtractor, String> {
        config.validate()?;
        let vader = match config.language {
            FeatureLanguage::En => Vader::english(),
            FeatureLanguage::Fr => Vader::french(),
        };
        Ok(FeatureExtractor { config, vader })
    }

    /// The configuration.
    pub fn config(&self) -> &FeatureConfig {
        &self.config
    }

    /// The features of `text`, where `brand` lists the byte ranges that name
    /// the brand (from [`Target::mentions`](crate::sentiment::Target::mentions);
    /// empty when there is no brand): tokens inside them become the `<brand>`
    /// placeholder, and VADER scores the text with them masked.
    ///
    /// # Arguments
    /// - `text`: one post;
    /// - `brand`: byte ranges on char boundaries of `text` (others are ignored).
    ///
    /// # Returns
    /// The sparse vector; deterministic, the same on every platform.
    ///
    /// # Complexity
    /// O(len(text) × (char_max − char_min + 1)) hashes of short strings, plus
    /// one VADER scoring.
    pub fn extract(&self, text: &str, brand: &[Range<usize>]) -> SparseFeatures {
        let mut out = SparseFeatures::default();
        self.extract_into(text, brand, &mut out);
        out
    }

    /// [`FeatureExtractor::extract`] into a reused vector (cleared first).
    pub fn extract_into(&self, text: &str, brand: &[Range<usize>], out: &mut SparseFeatures) {
        self.extract_mode(text, brand, out, &mut CharOut::Entries);
    }

    /// The features of `text` for a linear model, with the character
    /// n-grams folded into their dot product with the model's weights: `out`
    /// gets the word and dense groups; the return value is the character
    /// group's part of the three logits (already scaled by the group's
    /// normalisation). `weights_id` names `model`'s weights (a hash of them,
    /// never 0): each word's partial dot product is memoised under it.
    ///
    /// The same logits as the full vector's dot product, up to float
    /// rounding (the character group is summed word by word).
    pub(crate) fn extract_for_linear(
        &self,
        text: &str,
        brand: &[Range<usize>],
        out: &mut SparseFeatures,
        model: &LinearModel,
        weights_id: u64,
    ) -> [f32; 3] {
        let mut mode = CharOut::Logits {
            model,
            weights_id: weights_id.max(1),
            sum: [0.0; 3],
            count: 0,
        };
        self.extract_mode(text, brand, out, &mut mode);
        match mode {
            CharOut::Logits { sum, count, .. } if count > 0 => {
                let scale = self.config.char_weight / (count as f32).sqrt();
                [sum[0] * scale, sum[1] * scale, sum[2] * scale]
            }
            _ => [0.0; 3],
        }
    }

    fn extract_mode(
        &self,
        text: &str,
        brand: &[Range<usize>],
        out: &mut SparseFeatures,
        mode: &mut CharOut<'_>,
    ) {
        out.indices.clear();
        out.values.clear();
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut s) => self.extract_with(text, brand, out, mode, &mut s),
            Err(_) => self.extract_with(text, brand, out, mode, &mut Scratch::new()),
        })
    }

    fn extract_with(
        &self,
        text: &str,
        brand: &[Range<usize>],
        out: &mut SparseFeatures,
        mode: &mut CharOut<'_>,
        s: &mut Scratch,
    ) {
        let mut brand_ranges = std::mem::take(&mut s.brand);
        brand_ranges.clear();
        brand_ranges.extend(
            brand
                .iter()
                .filter(|r| {
                    r.start < r.end
                        && r.end <= text.len()
                        && text.is_char_boundary(r.start)
                        && text.is_char_boundary(r.end)
                })
                .cloned(),
        );
        let brand = &brand_ranges[..];
        s.tokens.clear();
        SocialTokenizer::new().tokenize(text, &mut s.tokens);
        s.words.clear();
        let mut cues = Cues {
            max: 0.0,
            min: 0.0,
            ..Cues::default()
        };
        let word_start = out.len();
        let mut char_entries = std::mem::take(&mut s.char_entries);
        char_entries.clear();
        let mut in_negation = false;
        let mut last_end = 0usize;
        let mut hashtag_position: Option<u32> = None;
        let mut last_brand: Option<usize> = None;
        let tokens = std::mem::take(&mut s.tokens);
        // One memo per text (the settings and the weights do not change within it).
        let mut memos = std::mem::take(&mut s.memos);
        let memo = memos.for_key(self.memo_key(mode.weights_id()));
        for token in &tokens {
            let (start, end) = (token.start as usize, token.end as usize);
            if start >= last_end && clause_break(&text.as_bytes()[last_end.min(start)..start]) {
                in_negation = false;
            }
            last_end = last_end.max(end);
            let body_word =
                token.kind == TokenKind::Word && hashtag_position == Some(token.position);
            if token.kind == TokenKind::Hashtag {
                hashtag_position = Some(token.position);
            } else if !body_word {
                hashtag_position = None;
            }
            if let Some(b) = brand.iter().position(|r| r.start < end && start < r.end) {
                if last_brand != Some(b) {
                    self.unigram(out, BRAND, seed::WORD, &mut s.words);
                    if token.kind == TokenKind::Mention {
                        push_hashed(out, self.config.hash_bits, USER.as_bytes(), seed::WORD, 1.0);
                    }
                }
                last_brand = Some(b);
                continue;
            }
            last_brand = None;
            cues.tokens += 1.0;
            match token.kind {
                TokenKind::Word => {
                    self.word(
                        token,
                        body_word,
                        mode,
                        memo,
                        &mut in_negation,
                        &mut cues,
                        out,
                        &mut char_entries,
                        s,
                    );
                }
                TokenKind::Number => self.unigram(out, NUMBER, seed::WORD, &mut s.words),
                TokenKind::Mention => {
                    cues.mentions_urls += 1.0;
                    self.unigram(out, USER, seed::WORD, &mut s.words);
                }
                TokenKind::Url => {
                    cues.mentions_urls += 1.0;
                    self.unigram(out, URL, seed::WORD, &mut s.words);
                }
                TokenKind::Cashtag => self.unigram(out, CASHTAG, seed::WORD, &mut s.words),
                TokenKind::Hashtag => {
                    s.term.clear();
                    lower_into(&token.term, &mut s.term);
                    let h = xxh3_64_with_seed(s.term.as_bytes(), seed::HASHTAG);
                    push_hash(out, self.config.hash_bits, h, 1.0);
                    s.words.push(h);
                }
                TokenKind::Emoji => {
                    cues.emoji += 1.0;
                    s.term.clear();
                    s.term
                        .extend(token.term.chars().filter(|&c| !is_emoji_modifier(c)));
                    let term = std::mem::take(&mut s.term);
                    self.unigram(out, &term, seed::SYMBOL, &mut s.words);
                    s.term = term;
                }
                TokenKind::Emoticon => {
                    let t = token.term.as_str();
                    if POSITIVE_EMOTICONS.contains(&t) {
                        cues.emo_pos += 1.0;
                    } else if NEGATIVE_EMOTICONS.contains(&t) {
                        cues.emo_neg += 1.0;
                    }
                    self.unigram(out, t, seed::SYMBOL, &mut s.words);
                }
            }
        }
        s.tokens = tokens;
        s.memos = memos;
        if self.config.bigrams {
            for pair in s.words.windows(2) {
                let mut key = [0u8; 16];
                key[..8].copy_from_slice(&pair[0].to_le_bytes());
                key[8..].copy_from_slice(&pair[1].to_le_bytes());
                push_hashed(out, self.config.hash_bits, &key, seed::BIGRAM, 1.0);
            }
        }
        normalize_group(&mut out.values[word_start..], 1.0);
        let char_start = out.len();
        out.indices.extend(char_entries.iter().map(|e| e.0));
        out.values.extend(char_entries.iter().map(|e| e.1));
        s.char_entries = char_entries;
        normalize_group(&mut out.values[char_start..], self.config.char_weight);
        self.dense(text, brand, &cues, out, s);
        s.brand = brand_ranges;
    }

    /// Pushes a unigram and remembers it for the bigrams.
    fn unigram(&self, out: &mut SparseFeatures, term: &str, seed: u64, words: &mut Vec<u64>) {
        let h = xxh3_64_with_seed(term.as_bytes(), seed);
        push_hash(out, self.config.hash_bits, h, 1.0);
        words.push(h);
    }

    #[allow(clippy::too_many_arguments)]
    fn word(
        &self,
        token: &Token,
        body_word: bool,
        mode: &mut CharOut<'_>,
        memo: &mut WordMemo,
        in_negation: &mut bool,
        cues: &mut Cues,
        out: &mut SparseFeatures,
        char_entries: &mut Vec<(u32, f32)>,
        s: &mut Scratch,
    ) {
        let raw = token.term.as_str();
        let facts = match memo.get(raw) {
            Some((facts, ngrams)) => {
                if let CharOut::Entries = mode {
                    char_entries.extend_from_slice(ngrams);
                }
                *facts
            }
            None => {
                let start = char_entries.len();
                let mut facts = self.word_facts(raw, char_entries, s);
                facts.ngram_count = (char_entries.len() - start) as u32;
                if let CharOut::Logits { model, .. } = mode {
                    facts.char_logits = model.partial_dot(&char_entries[start..]);
                    char_entries.truncate(start);
                }
                memo.insert(raw, facts, &char_entries[start..]);
                facts
            }
        };
        if let CharOut::Logits { sum, count, .. } = mode {
            for (acc, v) in sum.iter_mut().zip(facts.char_logits) {
                *acc += v;
            }
            *count += facts.ngram_count as usize;
        }
        if facts.caps {
            cues.caps += 1.0;
        }
        if facts.elongated {
            cues.elongated += 1.0;
        }
        if let Some(v) = facts.valence {
            let v = if *in_negation { v * -0.74 } else { v };
            if v > 0.0 {
                cues.pos_sum += v;
                cues.pos_words += 1.0;
            } else if v < 0.0 {
                cues.neg_sum += v;
                cues.neg_words += 1.0;
            }
            cues.max = cues.max.max(v);
            cues.min = cues.min.min(v);
            cues.last = v;
            if *in_negation {
                cues.negated_sum += v;
            }
        }
        let negated = self.config.negation && *in_negation && !facts.cue;
        let h = if negated { facts.negated } else { facts.plain };
        push_hash(out, self.config.hash_bits, h, 1.0);
        if !body_word {
            // Bigrams see the plain word, negated or not.
            s.words.push(facts.plain);
        }
        if facts.cue {
            cues.negations += 1.0;
            *in_negation = true;
        }
    }

    /// The settings [`WordFacts`] depend on.
    fn memo_key(&self, weights_id: u64) -> MemoKey {
        MemoKey {
            weights_id,
            language: self.config.language,
            hash_bits: self.config.hash_bits,
            char_min: self.config.char_min,
            char_max: self.config.char_max,
        }
    }

    /// What a word token gives whatever its context (see [`word_memo`](super::word_memo)):
    /// its normal form's flags, valence and hashes; its character n-grams are
    /// pushed onto `char_entries`.
    fn word_facts(
        &self,
        raw: &str,
        char_entries: &mut Vec<(u32, f32)>,
        s: &mut Scratch,
    ) -> WordFacts {
        let caps = is_all_caps(raw);
        s.term.clear();
        lower_into(raw, &mut s.term);
        let mut cue = false;
        if self.config.language == FeatureLanguage::Fr {
            let b = s.term.as_bytes();
            cue = b.len() > 2 && b[0] == b'n' && b[1] == b'\'';
            remove_elision(&mut s.term);
        }
        let elongated = collapse_elongation(&mut s.term);
        let term = std::mem::take(&mut s.term);
        let (valence, vader_negation, _) = self.vader.word_info(&term, &mut s.fold);
        cue |= vader_negation || self.is_negation(&term);
        let plain = xxh3_64_with_seed(term.as_bytes(), seed::WORD);
        let negated = xxh3_64_with_seed(term.as_bytes(), seed::NEGATED);
        if self.config.char_max > 0 {
            self.char_ngrams(&term, char_entries, s);
        }
        s.term = term;
        WordFacts {
            caps,
            elongated,
            valence,
            cue,
            plain,
            negated,
            ngrams: (0, 0),
            ngram_count: 0,
            char_logits: [0.0; 3],
        }
    }

    fn is_negation(&self, term: &str) -> bool {
        match self.config.language {
            FeatureLanguage::En => term.ends_with("n't") || EN_NEGATION.contains(&term),
            FeatureLanguage::Fr => FR_NEGATION.contains(&term),
        }
    }

    /// Character n-grams of `<term>` (its first [`MAX_WORD_CHARS`] chars), on
    /// char boundaries.
    fn char_ngrams(&self, term: &str, entries: &mut Vec<(u32, f32)>, s: &mut Scratch) {
        s.chars.clear();
        s.offsets.clear();
        s.offsets.push(0);
        s.chars.push(b'<');
        for c in term.chars().take(MAX_WORD_CHARS) {
            s.offsets.push(s.chars.len());
            let mut buf = [0u8; 4];
            s.chars
                .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
        s.offsets.push(s.chars.len());
        s.chars.push(b'>');
        s.offsets.push(s.chars.len());
        // offsets[k] is the byte start of char k of "<term>", offsets[chars] its end.
        let n_chars = s.offsets.len() - 1;
        for n in self.config.char_min as usize..=self.config.char_max as usize {
            if n > n_chars {
                break;
            }
            for k in 0..=n_chars - n {
                let gram = &s.chars[s.offsets[k]..s.offsets[k + n]];
                let h = xxh3_64_with_seed(gram, seed::CHAR ^ n as u64);
                entries.push(bucket(h, self.config.hash_bits));
            }
        }
    }

    fn dense(
        &self,
        text: &str,
        brand: &[Range<usize>],
        cues: &Cues,
        out: &mut SparseFeatures,
        s: &mut Scratch,
    ) {
        let scores = if brand.is_empty() {
            self.vader.polarity_scores(text)
        } else {
            s.masked.clear();
            let mut at = 0;
            for r in brand {
                if r.start >= at {
                    s.masked.push_str(&text[at..r.start]);
                    s.masked.push_str("@_");
                    at = r.end;
                }
            }
            s.masked.push_str(&text[at..]);
            self.vader.polarity_scores(&s.masked)
        };
        let (bangs, questions) = punctuation_runs(text.as_bytes());
        let trimmed = text.trim_end();
        let squash = |x: f64| (x / 4.0).tanh();
        let count = |x: f64| (1.0 + x).ln() / 2.0;
        let values: [f64; DENSE] = [
            scores.neg,
            scores.neu,
            scores.pos,
            scores.compound,
            squash(cues.pos_sum),
            squash(cues.neg_sum),
            count(cues.pos_words),
            count(cues.neg_words),
            cues.max / 4.0,
            cues.min / 4.0,
            cues.last / 4.0,
            squash(cues.negated_sum),
            count(cues.negations),
            count(cues.caps),
            count(cues.elongated),
            count(bangs),
            count(questions),
            f64::from(u8::from(trimmed.ends_with('!'))),
            f64::from(u8::from(trimmed.ends_with('?'))),
            count(cues.emoji),
            count(cues.emo_pos),
            count(cues.emo_neg),
            count(cues.mentions_urls),
            count(cues.tokens) / 2.0,
        ];
        let base = self.config.buckets() as u32;
        let w = f64::from(self.config.dense_weight);
        for (k, v) in values.iter().enumerate() {
            let v = v * w;
            if v != 0.0 && v.is_finite() {
                out.push(base + k as u32, v as f32);
            }
        }
    }
}

/// Longest word prefix (in chars) that gives character n-grams.
const MAX_WORD_CHARS: usize = 40;

/// Bucket and sign of a hash.
#[inline]
fn bucket(h: u64, bits: u8) -> (u32, f32) {
    let i = (h & ((1u64 << bits) - 1)) as u32;
    let sign = if h >> 63 == 0 { 1.0 } else { -1.0 };
    (i, sign)
}

#[inline]
fn push_hash(out: &mut SparseFeatures, bits: u8, h: u64, value: f32) {
    let (i, sign) = bucket(h, bits);
    out.push(i, sign * value);
}

#[inline]
fn push_hashed(out: &mut SparseFeatures, bits: u8, bytes: &[u8], seed: u64, value: f32) {
    push_hash(out, bits, xxh3_64_with_seed(bytes, seed), value);
}

/// Scales a group of ±1 entries to L2 norm `weight`.
fn normalize_group(values: &mut [f32], weight: f32) {
    if values.is_empty() {
        return;
    }
    let scale = weight / (values.len() as f32).sqrt();
    for v in values {
        *v *= scale;
    }
}

/// Whether the bytes between two tokens end a clause (and a negation's scope).
fn clause_break(gap: &[u8]) -> bool {
    gap.iter()
        .any(|b| matches!(b, b'.' | b',' | b':' | b';' | b'!' | b'?' | b'\n'))
}

/// Lower-cases `s` into `out` (ASCII fast path).
fn lower_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| b.to_ascii_lowercase() as char));
    } else {
        for c in s.chars() {
            out.extend(c.to_lowercase());
        }
    }
}

/// A word of two or more letters, all upper-case.
fn is_all_caps(s: &str) -> bool {
    let mut letters = 0;
    for c in s.chars() {
        if c.is_alphabetic() {
            if !c.is_uppercase() {
                return false;
            }
            letters += 1;
        }
    }
    letters >= 2
}

/// Shortens runs of three or more equal characters to two; true when it did.
fn collapse_elongation(term: &mut String) -> bool {
    let mut run = 0;
    let mut prev = '\0';
    let mut found = false;
    for c in term.chars() {
        if c == prev {
            run += 1;
            if run >= 3 && c.is_alphabetic() {
                found = true;
                break;
            }
        } else {
            run = 1;
            prev = c;
        }
    }
    if !found {
        return false;
    }
    let mut out = String::with_capacity(term.len());
    let (mut prev, mut run) = ('\0', 0);
    for c in term.chars() {
        if c == prev {
            run += 1;
        } else {
            run = 1;
            prev = c;
        }
        if run <= 2 || !c.is_alphabetic() {
            out.push(c);
        }
    }
    *term = out;
    true
}

/// Skin-tone modifiers and variation selectors, dropped from emoji terms.
fn is_emoji_modifier(c: char) -> bool {
    matches!(c, '\u{1F3FB}'..='\u{1F3FF}' | '\u{FE0E}' | '\u{FE0F}')
}

/// Runs of two or more `!` (or `?`, or mixed `?!`): (runs with `!`, runs of `?` only).
fn punctuation_runs(bytes: &[u8]) -> (f64, f64) {
    let (mut bangs, mut questions) = (0.0, 0.0);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'!' || bytes[i] == b'?' {
            let start = i;
            let mut bang = false;
            while i < bytes.len() && (bytes[i] == b'!' || bytes[i] == b'?') {
                bang |= bytes[i] == b'!';
                i += 1;
            }
            if i - start >= 2 {
                if bang {
                    bangs += 1.0;
                } else {
                    questions += 1.0;
                }
            }
        } else {
            i += 1;
        }
    }
    (bangs, questions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fx() -> FeatureExtractor {
        FeatureExtractor::new(FeatureConfig::for_language(FeatureLanguage::En)).unwrap()
    }

    #[test]
    fn elongation_and_caps() {
        let mut t = "sooooo".to_string();
        assert!(collapse_elongation(&mut t));
        assert_eq!(t, "soo");
        let mut t = "good".to_string();
        assert!(!collapse_elongation(&mut t));
        assert!(is_all_caps("WORST") && !is_all_caps("I") && !is_all_caps("Worst"));
    }

    #[test]
    fn negation_changes_the_unigram() {
        let f = fx();
        let a = f.extract("this is good", &[]);
        let b = f.extract("this is not good", &[]);
        let good = bucket(xxh3_64_with_seed(b"good", seed::WORD), 20).0;
        assert!(a.indices.contains(&good));
        assert!(!b.indices.contains(&good), "good is negated in 'not good'");
        // The scope ends at punctuation.
        let c = f.extract("not now, good", &[]);
        assert!(c.indices.contains(&good));
    }

    #[test]
    fn brand_becomes_a_placeholder() {
        let f = fx();
        let t = "@united thanks for nothing";
        let brand_range = 0..7;
        let masked = f.extract(t, std::slice::from_ref(&brand_range));
        let brand = bucket(xxh3_64_with_seed(BRAND.as_bytes(), seed::WORD), 20).0;
        assert!(masked.indices.contains(&brand));
        assert!(!f.extract(t, &[]).indices.contains(&brand));
        // Out-of-range or split ranges are ignored, never a panic.
        let _ = f.extract("é", &[0..1, 5..9]);
    }

    #[test]
    fn punctuation_runs_count() {
        assert_eq!(punctuation_runs(b"what?? no!! ok?! fine!"), (2.0, 1.0));
    }
}
