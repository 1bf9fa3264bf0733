//! Sentiment toward a target (a brand, a person) mentioned in a post.

use std::ops::Range;

use super::{SentimentScores, Vader};

/// What a post must mention to be about someone or something: `@handles`,
/// `#hashtags`, names ("Air France", several words) and keywords.
///
/// Matching is case-insensitive and on word boundaries: the characters just
/// before and after a match must not be letters, digits or `_`. A space in an
/// alias matches any run of whitespace. A name also matches inside a handle
/// or hashtag that is exactly that name (`united` matches `@united` and
/// `#united`, not `@unitedairlines`); give spellings such as `airfrance` or
/// `@AirFranceFR` as aliases of their own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Lower-cased aliases, whitespace runs collapsed to one space, longest first.
    aliases: Vec<Vec<char>>,
}

/// The sentiment of a post toward a [`Target`].
#[derive(Debug, Clone, PartialEq)]
pub struct TargetSentiment {
    /// VADER's scores of the sentences that mention the target, joined by a
    /// space, mentions masked, scored as one text.
    pub scores: SentimentScores,
    /// Number of (non-overlapping) mentions of the target in the post.
    pub mentions: usize,
    /// Byte ranges, in the post, of the sentences that mention the target.
    pub sentences: Vec<Range<usize>>,
}

impl Target {
    /// A target from its aliases; empty (or whitespace-only) aliases are ignored.
    ///
    /// # Example
    /// ```
    /// use portevoix_text::sentiment::Target;
    /// let t = Target::new(["@united", "United Airlines", "united"]);
    /// assert_eq!(t.mentions("Thanks @United! united airlines rocks").len(), 2);
    /// ```
    pub fn new<I, S>(aliases: I) -> Target
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut aliases: Vec<Vec<char>> = aliases
            .into_iter()
            .filter_map(|a| {
                let words: Vec<String> = a
                    .as_ref()
                    .split_whitespace()
                    .map(str::to_lowercase)
                    .collect();
                (!words.is_empty()).then(|| words.join(" ").chars().collect())
            })
            .collect();
        aliases.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        aliases.dedup();
        Target { aliases }
    }

    /// The byte ranges of the mentions of the target in `text`, left to
    /// right, non-overlapping (the longest alias wins at a position).
    ///
    /// # Complexity
    /// O(len(text) × total alias length) in the worst case; about
    /// O(len(text) × number of aliases) on real text.
    pub fn mentions(&self, text: &str) -> Vec<Range<usize>> {
        let mut found = Vec::new();
        if self.aliases.is_empty() {
            return found;
        }
        let mut prev_word = false;
        let mut skip_until = 0;
        for (i, c) in text.char_indices() {
            if i >= skip_until && !prev_word {
                if let Some(end) = self.aliases.iter().find_map(|a| match_at(text, i, a)) {
                    found.push(i..end);
                    skip_until = end;
                }
            }
            prev_word = is_word(c);
        }
        found
    }
}

impl Target {
    /// `text` with every mention of the target replaced by a neutral word
    /// (`@_`: in no lexicon, not upper-case, kept whole by VADER), so that
    /// scoring it measures what is said about the target, not its name.
    ///
    /// On the airline tweets, whose labels are the sentiment toward the
    /// airline addressed, scoring the whole masked tweet is the most accurate
    /// of the variants measured (see EVALUATION.md): "united" is a positive
    /// word of vader-en.
    ///
    /// # Complexity
    /// As [`Target::mentions`], plus O(len(text)).
    ///
    /// # Example
    /// ```
    /// use portevoix_text::sentiment::{Target, Vader};
    /// let t = Target::new(["@united"]);
    /// let masked = t.mask("@united lost my bag");
    /// assert_eq!(masked, "@_ lost my bag");
    /// let v = Vader::english();
    /// assert!(v.polarity_scores(&masked).compound < v.polarity_scores("@united lost my bag").compound);
    /// ```
    pub fn mask(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for m in self.mentions(text) {
            out.push_str(&text[at..m.start]);
            out.push_str(MASK);
            at = m.end;
        }
        out.push_str(&text[at..]);
        out
    }
}

impl Vader {
    /// The sentiment of a post toward `target`: the sentences that mention
    /// it, joined by a space, with each mention replaced by a neutral word,
    /// scored as one text.
    ///
    /// The mentions are masked because brand names are often lexicon words
    /// ("united" is +1.8 in vader-en, "spirit" +1.5): the sentiment toward
    /// United must not come from its name. Masking keeps one word in place,
    /// so negations and boosters keep their distances.
    ///
    /// Scoring the concatenation, rather than averaging per-sentence scores,
    /// gives what VADER says of the post reduced to what it says about the
    /// target: the compound stays a normalised sum of word valences (an
    /// average of compounds would let a one-word sentence weigh as much as a
    /// long one), punctuation emphasis only counts the kept sentences, and a
    /// post of one sentence gets the [`Vader::polarity_scores`] of the post
    /// with its mentions masked.
    /// Sentences end at a newline or after `.`, `!`, `?` or `…` followed by
    /// whitespace.
    ///
    /// # Arguments
    /// - `text`: the post.
    /// - `target`: the aliases to look for.
    ///
    /// # Returns
    /// `None` when the post does not mention the target.
    ///
    /// # Complexity
    /// O(len(text) × aliases) for the matching, plus one scoring.
    ///
    /// # Example
    /// ```
    /// use portevoix_text::sentiment::{Target, Vader};
    /// let vader = Vader::english();
    /// let post = "@united lost my bag again. @JetBlue you were wonderful, thank you!";
    /// let ua = vader.target_sentiment(post, &Target::new(["@united"])).unwrap();
    /// let b6 = vader.target_sentiment(post, &Target::new(["@JetBlue"])).unwrap();
    /// assert!(ua.scores.compound < 0.0 && b6.scores.compound > 0.5);
    /// assert_eq!(&post[ua.sentences[0].clone()], "@united lost my bag again.");
    /// assert!(vader.target_sentiment(post, &Target::new(["Delta"])).is_none());
    /// ```
    pub fn target_sentiment(&self, text: &str, target: &Target) -> Option<TargetSentiment> {
        let mentions = target.mentions(text);
        if mentions.is_empty() {
            return None;
        }
        let sentences: Vec<Range<usize>> = sentence_ranges(text)
            .into_iter()
            .filter(|s| mentions.iter().any(|m| m.start < s.end && s.start < m.end))
            .collect();
        let mut joined = String::with_capacity(text.len());
        for (k, s) in sentences.iter().enumerate() {
            if k > 0 {
                joined.push(' ');
            }
            let mut at = s.start;
            for m in mentions
                .iter()
                .filter(|m| m.start < s.end && s.start < m.end)
            {
                let (ms, me) = (m.start.max(at), m.end.min(s.end));
                joined.push_str(&text[at..ms]);
                joined.push_str(MASK);
                at = me;
            }
            joined.push_str(&text[at..s.end]);
        }
        let scores = self.polarity_scores(&joined);
        Some(TargetSentiment {
            scores,
            mentions: mentions.len(),
            sentences,
        })
    }
}

/// What a mention is replaced with before scoring: one word, in no lexicon,
/// not upper-case, kept whole by VADER's punctuation stripping.
const MASK: &str = "@_";

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The end of a match of `alias` at byte `start` of `text`, if any.
fn match_at(text: &str, start: usize, alias: &[char]) -> Option<usize> {
    let mut it = text[start..].char_indices().peekable();
    let mut ai = 0;
    while ai < alias.len() {
        let (_, c) = it.next()?;
        if alias[ai] == ' ' {
            if !c.is_whitespace() {
                return None;
            }
            while it.next_if(|&(_, c)| c.is_whitespace()).is_some() {}
            ai += 1;
            continue;
        }
        for lc in c.to_lowercase() {
            if alias.get(ai) != Some(&lc) {
                return None;
            }
            ai += 1;
        }
    }
    match it.peek() {
        Some(&(off, c)) => (!is_word(c) || !is_word(*alias.last()?)).then_some(start + off),
        None => Some(text.len()),
    }
}

/// Byte ranges of the sentences of `text`, trimmed, non-empty.
fn sentence_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut push = |range: Range<usize>| {
        let s = &text[range.clone()];
        let lead = s.len() - s.trim_start().len();
        let trimmed = s.trim();
        if !trimmed.is_empty() {
            out.push(range.start + lead..range.start + lead + trimmed.len());
        }
    };
    let mut start = 0;
    let mut after_stop = false;
    for (i, c) in text.char_indices() {
        if c == '\n' || c == '\r' || (after_stop && c.is_whitespace()) {
            push(start..i);
            start = i;
            after_stop = false;
            continue;
        }
        after_stop = matches!(c, '.' | '!' | '?' | '…') || (after_stop && matches!(c, '"' | ')'));
    }
    push(start..text.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_on_stops_and_newlines() {
        let t = "Hello there! How are you?? Fine.\nNext line... end";
        let s: Vec<&str> = sentence_ranges(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(
            s,
            vec![
                "Hello there!",
                "How are you??",
                "Fine.",
                "Next line...",
                "end"
            ]
        );
        assert!(sentence_ranges("   ").is_empty());
    }

    #[test]
    fn mentions_respect_word_boundaries() {
        let t = Target::new(["united", "Air  France"]);
        assert_eq!(t.mentions("@united #United unitedairlines").len(), 2);
        assert_eq!(t.mentions("AIR\nfrance, airfrance").len(), 1);
        assert!(Target::new([" ", ""]).mentions("anything").is_empty());
    }
}
