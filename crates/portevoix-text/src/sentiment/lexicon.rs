//! VADER lexicons: the embedded vader-en and vader-fr files and their parsers.
//!
//! The files are the ones shipped in the MIT-licensed PyPI packages
//! `vaderSentiment` 3.3.2 and `vaderSentiment-fr` 1.3.4 (see `lexicons/NOTICE.md`).

use portevoix_core::Error;
use portevoix_core::error::Location;
use rustc_hash::FxHashMap;

use super::fold::fold;

/// vader-en `vader_lexicon.txt`: `token<TAB>mean<TAB>sd<TAB>[ratings]`, CRLF.
pub(crate) const EN_LEXICON: &str = include_str!("../../lexicons/vader-en/vader_lexicon.txt");
/// vader-en `emoji_utf8_lexicon.txt`: `emoji<TAB>English description`.
pub(crate) const EN_EMOJI: &str = include_str!("../../lexicons/vader-en/emoji_utf8_lexicon.txt");
/// vader-fr `fr_lexicon.txt`: `token->valence`.
pub(crate) const FR_LEXICON: &str = include_str!("../../lexicons/vader-fr/fr_lexicon.txt");
/// vader-fr `emojis_fr.txt`: `emoji<TAB>French description`.
pub(crate) const FR_EMOJI: &str = include_str!("../../lexicons/vader-fr/emojis_fr.txt");
/// vader-fr `no_negate.txt`: words a preceding negation must not flip.
pub(crate) const FR_NO_NEGATE: &str = include_str!("../../lexicons/vader-fr/no_negate.txt");

/// Word (or emoticon) to mean valence.
pub(crate) type ValenceMap = FxHashMap<Box<str>, f64>;

/// Parses a lexicon, one entry a line: `token<TAB>valence[<TAB>...]` (the
/// vader-en layout) or `token->valence` (the vader-fr layout), chosen per line
/// (a tab wins). Surrounding whitespace is ignored; blank lines are skipped; a
/// later entry for the same token replaces the earlier one, as in the
/// reference. With `fold_keys`, keys are accent-folded as vaderSentiment-fr does.
///
/// # Errors
/// [`Error::Input`] at `file:line` for a line with no separator, an empty
/// token, or a valence that is not a finite number.
pub(crate) fn parse_lexicon(text: &str, file: &str, fold_keys: bool) -> Result<ValenceMap, Error> {
    let mut map = ValenceMap::default();
    map.reserve(text.len() / 20);
    for (n, raw) in text.split('\n').enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let bad = |reason: String| Error::Input {
            location: Location::line(file, n as u64 + 1),
            reason,
        };
        let (token, valence) = if line.contains('\t') {
            let mut fields = line.split('\t');
            (fields.next().unwrap_or(""), fields.next())
        } else if line.contains("->") {
            let mut fields = line.split("->");
            (fields.next().unwrap_or(""), fields.next())
        } else {
            return Err(bad(
                "expected `token<TAB>valence` or `token->valence`".to_string()
            ));
        };
        if token.is_empty() {
            return Err(bad("empty token".to_string()));
        }
        let valence = valence.unwrap_or("").trim();
        let value: f64 = valence
            .parse()
            .map_err(|_| bad(format!("valence {valence:?} is not a number")))?;
        if !value.is_finite() {
            return Err(bad(format!("valence {valence:?} is not finite")));
        }
        let key: Box<str> = if fold_keys {
            fold(token).into()
        } else {
            token.into()
        };
        map.insert(key, value);
    }
    Ok(map)
}

/// Parses an emoji lexicon (`emoji<TAB>description`). Only single-code-point
/// keys can ever match (the reference looks text up one code point at a
/// time), so only those are kept.
pub(crate) fn parse_emoji(text: &str) -> FxHashMap<char, Box<str>> {
    let mut map = FxHashMap::default();
    for line in text.split('\n') {
        let line = line.trim();
        let mut fields = line.split('\t');
        let (Some(key), Some(desc)) = (fields.next(), fields.next()) else {
            continue;
        };
        let mut chars = key.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            map.insert(c, desc.into());
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lexicons_parse() {
        let en = parse_lexicon(EN_LEXICON, "vader_lexicon.txt", false).unwrap();
        assert_eq!(en.len(), 7506);
        assert_eq!(en.get("good"), Some(&1.9));
        let fr = parse_lexicon(FR_LEXICON, "fr_lexicon.txt", true).unwrap();
        assert!(fr.len() > 8000);
        assert!(fr.contains_key("serieux") || fr.contains_key("bon"));
        assert!(parse_emoji(EN_EMOJI).len() > 1000);
        assert!(parse_emoji(FR_EMOJI).len() > 1000);
    }

    #[test]
    fn bad_lines_are_located() {
        let err = parse_lexicon("good\t1.9\nbad\tx\n", "mine.txt", false).unwrap_err();
        assert_eq!(err.to_string(), "mine.txt:2: valence \"x\" is not a number");
        let err = parse_lexicon("\n\nnothing here\n", "mine.txt", false).unwrap_err();
        assert!(err.to_string().starts_with("mine.txt:3:"), "{err}");
    }
}
