//! Accent and symbol folding for the French lexicon keys, written to agree with
//! the `unidecode` transliteration that vaderSentiment-fr applies to its keys and
//! to each scored word, on the characters French posts use.
//!
//! The rules: ASCII is kept; a short table handles typographic punctuation and
//! Latin letters that do not decompose (œ, æ, ß, ø, ...); any other character
//! is decomposed (NFKD) and its combining marks dropped; when that leaves ASCII
//! the ASCII is used; symbols, emoji and format characters that are not letters
//! or digits vanish (as `unidecode` drops them); letters of other scripts are
//! kept as they are, so a word containing them matches no key.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The accented lower-case Latin letters of French and its neighbours,
/// folded without decomposing (the same result as NFKD minus the marks).
#[inline]
fn latin(c: char) -> Option<char> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'A',
        'Ç' => 'C',
        'È' | 'É' | 'Ê' | 'Ë' => 'E',
        'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
        'Ñ' => 'N',
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'O',
        'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
        'Ý' => 'Y',
        _ => return None,
    })
}

/// Characters whose transliteration is not their decomposition.
fn special(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{00B4}' | '\u{2032}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => "\"",
        '\u{00AB}' => "<<",
        '\u{00BB}' => ">>",
        '\u{2039}' => "<",
        '\u{203A}' => ">",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' => "-",
        '\u{2014}' | '\u{2015}' => "--",
        '\u{2026}' => "...",
        '\u{2022}' | '\u{00B7}' => "*",
        '\u{20AC}' => "EUR",
        '\u{00A3}' => "PS",
        '\u{00B0}' => "deg",
        '\u{00A0}' | '\u{202F}' | '\u{2009}' => " ",
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => "",
        '\u{25B6}' | '\u{25BA}' => ">",
        '\u{25C0}' | '\u{25C4}' => "<",
        '\u{25AA}' | '\u{25AB}' => "#",
        '\u{2198}' | '\u{2196}' => "\\",
        '\u{2197}' | '\u{2199}' => "/",
        '\u{2190}' => "<-",
        '\u{2192}' => "->",
        '\u{0153}' => "oe",
        '\u{0152}' => "OE",
        '\u{00E6}' => "ae",
        '\u{00C6}' => "AE",
        '\u{00DF}' => "ss",
        '\u{00F8}' => "o",
        '\u{00D8}' => "O",
        '\u{0111}' | '\u{00F0}' => "d",
        '\u{0110}' | '\u{00D0}' => "D",
        '\u{0142}' => "l",
        '\u{0141}' => "L",
        '\u{00FE}' => "th",
        '\u{00DE}' => "Th",
        '\u{0131}' => "i",
        '\u{00D7}' => "x",
        '\u{00F7}' => "/",
        '\u{00A9}' => "(c)",
        '\u{00AE}' => "(r)",
        '\u{2122}' => "(tm)",
        // Cyrillic look-alikes met in French posts.
        '\u{0430}' => "a",
        '\u{0435}' => "e",
        '\u{043E}' => "o",
        '\u{0441}' => "s",
        '\u{0440}' => "r",
        '\u{0445}' => "kh",
        _ => return None,
    })
}

/// Appends the folded form of `s` to `out`.
///
/// # Complexity
/// O(len(s)); ASCII bytes are copied as they are.
pub(crate) fn fold_into(s: &str, out: &mut String) {
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        if let Some(r) = latin(c) {
            out.push(r);
            continue;
        }
        if let Some(r) = special(c) {
            out.push_str(r);
            continue;
        }
        let start = out.len();
        let mut ascii = true;
        for d in std::iter::once(c).nfkd() {
            if is_combining_mark(d) {
                continue;
            }
            ascii &= d.is_ascii();
            out.push(d);
        }
        if !ascii {
            out.truncate(start);
            if c.is_alphanumeric() {
                out.push(c);
            }
        }
    }
}

/// The folded form of `s`, as a new string.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn latin_table_agrees_with_decomposition() {
        use unicode_normalization::UnicodeNormalization;
        for c in '\u{c0}'..='\u{ff}' {
            if let Some(r) = super::latin(c) {
                let d: String = std::iter::once(c)
                    .nfkd()
                    .filter(|&d| !super::is_combining_mark(d))
                    .collect();
                assert_eq!(d, r.to_string(), "{c}");
            }
        }
    }

    #[test]
    fn folds_french_letters_and_drops_emoji() {
        assert_eq!(fold("sérieux"), "serieux");
        assert_eq!(fold("cœur"), "coeur");
        assert_eq!(fold("à peu près"), "a peu pres");
        assert_eq!(fold("rouge\u{FE0F}"), "rouge");
        assert_eq!(fold("l\u{2019}avion"), "l'avion");
        assert_eq!(fold("top🔥"), "top");
        assert_eq!(fold("𝗟𝗜𝗩𝗘"), "LIVE");
        assert_eq!(fold("中"), "中");
    }
}
