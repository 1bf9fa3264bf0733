//! A per-thread memo of the per-word part of feature extraction.
//!
//! Everything [`FeatureExtractor`](super::FeatureExtractor) derives from one
//! word token alone (case-folding, French elision, shortened elongations,
//! the lexicon's valence and negation flag, the two unigram hashes and the
//! character n-grams' buckets) depends on the token's text and on the
//! extractor's language, hash width and n-gram range, never on the words
//! around it. Words repeat (Zipf): on the airline tweets 9 tokens in 10 are a
//! word seen before, so the memo turns most of that work into one hash-table
//! probe and a copy, and extraction runs about 1.5 times as fast.
//!
//! The memo is a pure cache: a hit returns exactly what a miss computes, so
//! features (and the models trained on them) are bit-identical with or
//! without it, whatever the thread and whatever was extracted before. It is
//! bounded ([`MAX_WORDS`], [`MAX_NGRAMS`]) and cleared when full.

use rustc_hash::FxHashMap;

use super::features::FeatureLanguage;

/// Words remembered per extractor configuration before the memo is cleared.
pub(super) const MAX_WORDS: usize = 1 << 16;
/// Character n-gram entries remembered per configuration before clearing.
pub(super) const MAX_NGRAMS: usize = 1 << 21;
/// Configurations remembered per thread (English and French, plus a few
/// others while a grid of feature settings is trained).
const MAX_CONFIGS: usize = 6;

/// What the features need to know of one word token, whatever its context.
#[derive(Debug, Clone, Copy)]
pub(super) struct WordFacts {
    /// Two or more letters, all upper-case (on the raw token).
    pub caps: bool,
    /// A run of three or more equal letters was shortened.
    pub elongated: bool,
    /// The lexicon's valence of the normalised word.
    pub valence: Option<f64>,
    /// The word starts a negation's scope.
    pub cue: bool,
    /// Hash of the normalised word, plain.
    pub plain: u64,
    /// Hash of the normalised word, negated.
    pub negated: u64,
    /// Its character n-gram entries: `ngrams[start..end]` of the memo
    /// (empty in a memo of partial dot products).
    pub ngrams: (u32, u32),
    /// How many character n-gram entries the word has.
    pub ngram_count: u32,
    /// In a memo of partial dot products ([`MemoKey::weights_id`] not 0):
    /// the sum of its n-gram entries times the model's weights, per class,
    /// before the group's normalisation.
    pub char_logits: [f32; 3],
}

/// The settings a word's facts depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct MemoKey {
    /// 0 for feature extraction; else the hash of the linear model's weights
    /// whose partial dot products the memo holds.
    pub weights_id: u64,
    pub language: FeatureLanguage,
    pub hash_bits: u8,
    pub char_min: u8,
    pub char_max: u8,
}

/// The memo of one configuration.
#[derive(Debug, Default)]
pub(super) struct WordMemo {
    words: FxHashMap<Box<str>, WordFacts>,
    ngrams: Vec<(u32, f32)>,
}

impl WordMemo {
    /// The facts of `raw` if remembered, with their n-gram entries.
    #[inline]
    pub fn get(&self, raw: &str) -> Option<(&WordFacts, &[(u32, f32)])> {
        let facts = self.words.get(raw)?;
        let (start, end) = facts.ngrams;
        Some((facts, &self.ngrams[start as usize..end as usize]))
    }

    /// Remembers `raw`'s facts; `ngrams` are its n-gram entries (the
    /// `facts.ngrams` range is set here; a word has at most a few hundred,
    /// its first 40 characters' n-grams). Clears the memo first when full.
    pub fn insert(&mut self, raw: &str, mut facts: WordFacts, ngrams: &[(u32, f32)]) {
        if self.words.len() >= MAX_WORDS || self.ngrams.len() + ngrams.len() > MAX_NGRAMS {
            self.words.clear();
            self.ngrams.clear();
        }
        let start = self.ngrams.len() as u32;
        self.ngrams.extend_from_slice(ngrams);
        facts.ngrams = (start, self.ngrams.len() as u32);
        self.words.insert(raw.into(), facts);
    }
}

/// The memos of one thread, one per configuration, most recent first.
#[derive(Debug, Default)]
pub(super) struct WordMemos {
    memos: Vec<(MemoKey, WordMemo)>,
}

impl WordMemos {
    /// No memo yet.
    pub const fn new() -> WordMemos {
        WordMemos { memos: Vec::new() }
    }

    /// The memo of `key`, created (and the oldest dropped) when absent.
    pub fn for_key(&mut self, key: MemoKey) -> &mut WordMemo {
        match self.memos.iter().position(|(k, _)| *k == key) {
            Some(0) => {}
            Some(i) => {
                let m = self.memos.remove(i);
                self.memos.insert(0, m);
            }
            None => {
                self.memos.truncate(MAX_CONFIGS - 1);
                self.memos.insert(0, (key, WordMemo::default()));
            }
        }
        &mut self.memos[0].1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(plain: u64) -> WordFacts {
        WordFacts {
            caps: false,
            elongated: false,
            valence: None,
            cue: false,
            plain,
            negated: plain + 1,
            ngrams: (0, 0),
            ngram_count: 0,
            char_logits: [0.0; 3],
        }
    }

    #[test]
    fn remembers_facts_and_ngrams_and_clears_when_full() {
        let mut m = WordMemo::default();
        m.insert("good", facts(7), &[(1, 0.5), (2, -0.5)]);
        let (f, g) = m.get("good").unwrap();
        assert_eq!(f.plain, 7);
        assert_eq!(g, &[(1, 0.5), (2, -0.5)]);
        assert!(m.get("bad").is_none());
        for i in 0..MAX_WORDS {
            m.insert(&format!("w{i}"), facts(i as u64), &[(3, 1.0)]);
        }
        // Full: the first words were dropped, the last is there with its n-grams.
        assert!(m.get("good").is_none());
        let last = format!("w{}", MAX_WORDS - 1);
        assert_eq!(m.get(&last).unwrap().1, &[(3, 1.0)]);
        assert!(m.words.len() <= MAX_WORDS);
    }

    #[test]
    fn one_memo_per_configuration() {
        let key = |bits| MemoKey {
            weights_id: 0,
            language: FeatureLanguage::En,
            hash_bits: bits,
            char_min: 2,
            char_max: 5,
        };
        let mut memos = WordMemos::default();
        memos.for_key(key(20)).insert("a", facts(1), &[]);
        assert!(memos.for_key(key(18)).get("a").is_none());
        assert_eq!(memos.for_key(key(20)).get("a").unwrap().0.plain, 1);
        for bits in 10..16 {
            memos.for_key(key(bits));
        }
        assert!(memos.memos.len() <= MAX_CONFIGS);
    }
}
