//! Tokenisers: text to raw tokens.
//!
//! [`SocialTokenizer`] segments words with the Unicode word-boundary rules of
//! UAX #29 (<https://www.unicode.org/reports/tr29/>, via `unicode-segmentation`)
//! and keeps the tokens of social media whole: URLs, @mentions, #hashtags,
//! $cashtags, emoji and ASCII emoticons.

use std::fmt::Debug;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use unicode_segmentation::UnicodeSegmentation;

use super::filters::{is_elided, lowercase_in_place, remove_elision};
use super::token::{Token, TokenKind};

/// Turns a text into raw tokens, the first part of an analyser.
///
/// Implementations append to `tokens`, with `position` increasing by one per
/// token (tokens that belong together, such as a hashtag and the words of its
/// body, may share one), byte ranges on char boundaries of `text`, and
/// `start` non-decreasing. The filters of the analyser then normalise terms
/// (case, elision, stop words, stemming).
pub trait Tokenizer: Send + Sync + Debug {
    /// The name of the tokeniser, e.g. `"social"`.
    fn name(&self) -> &str;
    /// Appends the tokens of `text` to `tokens`.
    fn tokenize(&self, text: &str, tokens: &mut Vec<Token>);
}

/// The social-media tokeniser.
///
/// Raw terms it produces (the filters of the analyser normalise them further):
///
/// - [`TokenKind::Word`]: the UAX #29 word as written, `’` replaced by `'`,
///   NFC-normalised, mathematical styled letters (`𝗟𝗜𝗩𝗘`) NFKC-folded to
///   plain ones; leading and trailing `_` trimmed;
/// - [`TokenKind::Number`]: as written (`3,5`, `1.000`);
/// - [`TokenKind::Hashtag`]: `#` + body as written (`＃` becomes `#`), then the
///   body split into words at `_` and at camelCase boundaries, each emitted as
///   a [`TokenKind::Word`] at the same position as the hashtag
///   (`#HiggsBoson` gives `#HiggsBoson`, `Higgs`, `Boson`; `#NASA` gives
///   `#NASA`, `NASA`). Hence a keyword `influence` matches `#influence`;
/// - [`TokenKind::Mention`]: `@` + the handle lowercased;
/// - [`TokenKind::Cashtag`]: `$` + the symbol uppercased;
/// - [`TokenKind::Url`]: as written, trailing punctuation (`.,;:!?'"…` and an
///   unbalanced `)`) removed;
/// - [`TokenKind::Emoji`]: the grapheme (ZWJ sequences, flags, keycaps,
///   modifiers kept whole);
/// - [`TokenKind::Emoticon`]: as written, a repeated last character once.
///
/// HTML entities left by exports (`&amp;`, `&quot;`, `&#39;`, ...) are
/// skipped; `&lt;3` is the emoticon `<3`. Punctuation and spaces are not
/// tokens.
///
/// # Complexity
///
/// O(n) in the length of the text.
///
/// # Example
///
/// ```
/// use portevoix_text::analysis::{SocialTokenizer, TokenKind, Tokenizer};
///
/// let mut tokens = Vec::new();
/// SocialTokenizer::new().tokenize("Merci @Alice ! #JeSuisLà https://ex.fr/a. :)", &mut tokens);
/// let kinds: Vec<TokenKind> = tokens.iter().map(|t| t.kind).collect();
/// assert_eq!(
///     kinds,
///     [
///         TokenKind::Word,
///         TokenKind::Mention,
///         TokenKind::Hashtag,
///         TokenKind::Word,
///         TokenKind::Word,
///         TokenKind::Word,
///         TokenKind::Url,
///         TokenKind::Emoticon,
///     ]
/// );
/// assert_eq!(tokens[6].term, "https://ex.fr/a");
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SocialTokenizer {
    lowercase: bool,
    elision: bool,
}

impl SocialTokenizer {
    /// The social tokeniser, terms as written.
    pub fn new() -> SocialTokenizer {
        SocialTokenizer::default()
    }

    /// Whether to lowercase words and hashtags while segmenting, as
    /// [`LowercaseFilter`](super::LowercaseFilter) would, in the same pass
    /// (the [`Analyzer`](super::Analyzer) does so with its own tokeniser).
    pub fn lowercase(mut self, yes: bool) -> SocialTokenizer {
        self.lowercase = yes;
        self
    }

    /// Whether to remove elided articles from words while segmenting, as
    /// [`ElisionFilter`](super::ElisionFilter) would, in the same pass.
    pub fn elision(mut self, yes: bool) -> SocialTokenizer {
        self.elision = yes;
        self
    }
}

impl Tokenizer for SocialTokenizer {
    fn name(&self) -> &str {
        match (self.lowercase, self.elision) {
            (false, false) => "social",
            (true, false) => "social+lowercase",
            (false, true) => "social+elision",
            (true, true) => "social+lowercase+elision",
        }
    }

    fn tokenize(&self, text: &str, tokens: &mut Vec<Token>) {
        let mut scanner = Scanner {
            text,
            bytes: text.as_bytes(),
            tokens,
            position: 0,
            lowercase: self.lowercase,
            elision: self.elision,
        };
        let bytes = text.as_bytes();
        let mut plain_start = 0usize;
        let mut i = 0usize;
        while i < bytes.len() {
            if !TRIGGER[bytes[i] as usize] {
                i += 1;
                continue;
            }
            match scanner.match_special(i) {
                Some(special) => {
                    scanner.plain(plain_start, i);
                    let end = scanner.emit_special(i, special);
                    i = end;
                    plain_start = end;
                }
                None => i += 1,
            }
        }
        scanner.plain(plain_start, bytes.len());
    }
}

/// Bytes at which a special (social) token may start. All are ASCII except
/// 0xEF, the lead byte of the fullwidth `＃` and `＠`; none can occur inside
/// a multi-byte UTF-8 sequence, so a trigger is always on a char boundary.
static TRIGGER: [bool; 256] = {
    let mut t = [false; 256];
    let triggers = b"#@$hHwW:;=<>^-xXoO&\xEF";
    let mut k = 0;
    while k < triggers.len() {
        t[triggers[k] as usize] = true;
        k += 1;
    }
    t
};

/// ASCII emoticons, longest first among those sharing a prefix.
const EMOTICONS: &[&str] = &[
    ">:-(", ">:(", ">:-)", ">:)", ":'-(", ":'(", ":')", ":-)", ":-(", ":-D", ":-P", ":-p", ":-O",
    ":-o", ":-/", ":-\\", ":-|", ":-*", ":-$", ":-S", ":)", ":(", ":D", ":P", ":p", ":O", ":o",
    ":/", ":\\", ":|", ":*", ":]", ":[", ":3", ":$", ":S", ":s", ":@", ";-)", ";-D", ";-P", ";)",
    ";D", ";P", ";p", "=)", "=(", "=D", "=P", "</3", "<3", "^_^", "^.^", "^^", "-_-", "o_O", "O_o",
    "o_o", "O_O", "xD", "XD", "xP", "XP",
];

/// `EMOTICON_PAIRS[a]` has bit `b` set when an emoticon starts with bytes
/// `a`, `b`.
static EMOTICON_PAIRS: [u128; 128] = {
    let mut t = [0u128; 128];
    let mut k = 0;
    while k < EMOTICONS.len() {
        let e = EMOTICONS[k].as_bytes();
        t[e[0] as usize] |= 1u128 << e[1];
        k += 1;
    }
    t
};

/// A special token found at some offset.
#[derive(Debug, Clone, Copy)]
enum Special {
    Url { end: usize },
    Mention { body: usize, end: usize },
    Hashtag { body: usize, end: usize },
    Cashtag { end: usize },
    Emoticon { term: &'static str, end: usize },
    Skip { end: usize },
}

struct Scanner<'t, 'v> {
    text: &'t str,
    bytes: &'t [u8],
    tokens: &'v mut Vec<Token>,
    position: u32,
    lowercase: bool,
    elision: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn starts_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay[..needle.len()].eq_ignore_ascii_case(needle)
}

impl Scanner<'_, '_> {
    fn prev_char(&self, i: usize) -> Option<char> {
        self.text[..i].chars().next_back()
    }

    fn next_char(&self, i: usize) -> Option<char> {
        self.text[i..].chars().next()
    }

    /// No word character just before `i`.
    fn boundary_before(&self, i: usize) -> bool {
        match self.prev_char(i) {
            None => true,
            Some(c) => !is_word_char(c),
        }
    }

    /// No word character at `i`.
    fn boundary_at(&self, i: usize) -> bool {
        match self.next_char(i) {
            None => true,
            Some(c) => !is_word_char(c),
        }
    }

    fn match_special(&self, i: usize) -> Option<Special> {
        let b = self.bytes[i];
        // Cheap rejections first: most triggers are ordinary letters and
        // punctuation.
        if b.is_ascii_alphabetic() && i > 0 {
            let p = self.bytes[i - 1];
            if p.is_ascii_alphanumeric() || p == b'_' {
                return None;
            }
        }
        match b {
            b'#' => self.match_hashtag(i, 1),
            b'@' => self.match_mention(i, 1),
            b'$' => self.match_cashtag(i),
            b'h' | b'H' | b'w' | b'W' => self.match_url(i),
            b'&' => self.match_entity(i),
            0xEF => {
                let rest = &self.bytes[i..];
                if rest.starts_with("＃".as_bytes()) {
                    self.match_hashtag(i, 3)
                } else if rest.starts_with("＠".as_bytes()) {
                    self.match_mention(i, 3)
                } else {
                    None
                }
            }
            _ => self.match_emoticon(i),
        }
    }

    fn match_url(&self, i: usize) -> Option<Special> {
        let rest = &self.bytes[i..];
        let scheme = if starts_with_ci(rest, b"https://") {
            8
        } else if starts_with_ci(rest, b"http://") {
            7
        } else if starts_with_ci(rest, b"www.") {
            4
        } else {
            return None;
        };
        if !self.boundary_before(i) {
            return None;
        }
        let from = i + scheme;
        let mut end = from;
        for (off, c) in self.text[from..].char_indices() {
            if c.is_whitespace()
                || c.is_control()
                || matches!(
                    c,
                    '<' | '>' | '"' | '«' | '»' | '“' | '”' | '‘' | '’' | '\u{200B}' | '\u{FEFF}'
                )
            {
                break;
            }
            end = from + off + c.len_utf8();
        }
        // Trailing punctuation belongs to the sentence.
        let url = &self.text[i..end];
        let mut trimmed = url;
        while let Some(last) = trimmed.chars().next_back() {
            let drop = match last {
                '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '…' => true,
                ')' => trimmed.matches('(').count() < trimmed.matches(')').count(),
                ']' => trimmed.matches('[').count() < trimmed.matches(']').count(),
                '}' => trimmed.matches('{').count() < trimmed.matches('}').count(),
                _ => false,
            };
            if !drop {
                break;
            }
            trimmed = &trimmed[..trimmed.len() - last.len_utf8()];
        }
        let end = i + trimmed.len();
        if end <= from {
            return None;
        }
        if scheme == 4 && !self.bytes[from].is_ascii_alphanumeric() {
            return None;
        }
        Some(Special::Url { end })
    }

    fn match_mention(&self, i: usize, at_len: usize) -> Option<Special> {
        if !self.boundary_before(i) || self.prev_char(i) == Some('@') {
            return None;
        }
        let body = i + at_len;
        let mut j = body;
        while j < self.bytes.len()
            && (self.bytes[j].is_ascii_alphanumeric() || self.bytes[j] == b'_')
        {
            j += 1;
        }
        if j == body {
            return None;
        }
        // A fediverse account: @user@instance.social
        if j < self.bytes.len() && self.bytes[j] == b'@' {
            let mut k = j + 1;
            while k < self.bytes.len()
                && (self.bytes[k].is_ascii_alphanumeric() || matches!(self.bytes[k], b'.' | b'-'))
            {
                k += 1;
            }
            while k > j + 1 && matches!(self.bytes[k - 1], b'.' | b'-') {
                k -= 1;
            }
            let domain = &self.bytes[j + 1..k];
            if domain.contains(&b'.') && domain[0].is_ascii_alphanumeric() {
                j = k;
            }
        }
        if !self.boundary_at(j) {
            return None;
        }
        Some(Special::Mention { body, end: j })
    }

    fn match_hashtag(&self, i: usize, hash_len: usize) -> Option<Special> {
        fn is_variation_selector(c: char) -> bool {
            matches!(c, '\u{fe00}'..='\u{fe0f}' | '\u{e0100}'..='\u{e01ef}')
        }
        if !self.boundary_before(i) {
            return None;
        }
        let body = i + hash_len;
        if !self.next_char(body).is_some_and(is_word_char) {
            return None;
        }
        let mut end = body;
        let mut has_letter = false;
        for (off, c) in self.text[body..].char_indices() {
            if c.is_alphabetic() {
                has_letter = true;
            } else if is_variation_selector(c)
                || !(c.is_alphanumeric()
                    || c == '_'
                    || unicode_normalization::char::is_combining_mark(c))
            {
                // Variation selectors are combining marks too, but they only
                // pick a glyph: "#Ukraine\u{fe0f}" (seen in fr-media) is #Ukraine.
                break;
            }
            end = body + off + c.len_utf8();
        }
        if !has_letter {
            return None;
        }
        Some(Special::Hashtag { body, end })
    }

    fn match_cashtag(&self, i: usize) -> Option<Special> {
        if !self.boundary_before(i) {
            return None;
        }
        let bytes = self.bytes;
        let mut j = i + 1;
        while j < bytes.len() && j - i <= 6 && bytes[j].is_ascii_alphabetic() {
            j += 1;
        }
        let letters = j - i - 1;
        if letters == 0 || letters > 6 {
            return None;
        }
        if j + 1 < bytes.len()
            && matches!(bytes[j], b'.' | b'_')
            && bytes[j + 1].is_ascii_alphabetic()
        {
            let mut k = j + 1;
            while k < bytes.len() && k - j <= 2 && bytes[k].is_ascii_alphabetic() {
                k += 1;
            }
            if k - j - 1 <= 2 && self.boundary_at(k) {
                return Some(Special::Cashtag { end: k });
            }
        }
        if !self.boundary_at(j) {
            return None;
        }
        Some(Special::Cashtag { end: j })
    }

    fn match_entity(&self, i: usize) -> Option<Special> {
        let rest = &self.bytes[i..];
        for name in [&b"&amp;"[..], b"&quot;", b"&apos;", b"&nbsp;", b"&gt;"] {
            if starts_with_ci(rest, name) {
                return Some(Special::Skip {
                    end: i + name.len(),
                });
            }
        }
        if starts_with_ci(rest, b"&lt;") {
            let mut end = i + 4;
            if self.bytes.get(end) == Some(&b'3') {
                while self.bytes.get(end) == Some(&b'3') {
                    end += 1;
                }
                if self.boundary_at(end) {
                    return Some(Special::Emoticon { term: "<3", end });
                }
                return None;
            }
            return Some(Special::Skip { end: i + 4 });
        }
        if rest.len() > 3 && rest[1] == b'#' {
            let (digits, hex) = if rest[2] == b'x' || rest[2] == b'X' {
                (&rest[3..], true)
            } else {
                (&rest[2..], false)
            };
            let n = digits
                .iter()
                .take_while(|b| {
                    if hex {
                        b.is_ascii_hexdigit()
                    } else {
                        b.is_ascii_digit()
                    }
                })
                .count();
            if n > 0 && n <= 6 && digits.get(n) == Some(&b';') {
                let end = i + (rest.len() - digits.len()) + n + 1;
                return Some(Special::Skip { end });
            }
        }
        None
    }

    fn match_emoticon(&self, i: usize) -> Option<Special> {
        let rest = &self.bytes[i..];
        let b = rest[0];
        match rest.get(1) {
            Some(&n) if n < 0x80 && EMOTICON_PAIRS[b as usize & 0x7F] & (1u128 << n) != 0 => {}
            _ => return None,
        }
        for &e in EMOTICONS {
            let eb = e.as_bytes();
            if eb[0] != b || !rest.starts_with(eb) {
                continue;
            }
            // Letters or '-' at the start: must not be glued to a word.
            if (eb[0].is_ascii_alphanumeric() || eb[0] == b'-') && !self.boundary_before(i) {
                return None;
            }
            // "10:30", "x=3": a digit before a punctuation emoticon.
            if let Some(p) = self.prev_char(i)
                && p.is_ascii_digit()
            {
                return None;
            }
            let last = eb[eb.len() - 1];
            let mut end = i + eb.len();
            if matches!(last, b')' | b'(' | b'D' | b'3' | b'P' | b'p' | b'/') {
                while self.bytes.get(end) == Some(&last) {
                    end += 1;
                }
            }
            if !self.boundary_at(end) {
                return None;
            }
            if last == b'/' && self.bytes.get(end) == Some(&b'/') {
                return None;
            }
            return Some(Special::Emoticon { term: e, end });
        }
        None
    }

    fn push(&mut self, kind: TokenKind, term: String, start: usize, end: usize) {
        self.tokens
            .push(Token::new(kind, term, self.position, start, end));
    }

    /// Emits the token(s) of a special match; returns where scanning resumes.
    fn emit_special(&mut self, i: usize, special: Special) -> usize {
        match special {
            Special::Url { end } => {
                self.push(TokenKind::Url, self.text[i..end].to_string(), i, end);
                self.position += 1;
                end
            }
            Special::Mention { body, end } => {
                let mut term = String::with_capacity(end - body + 1);
                term.push('@');
                term.push_str(&self.text[body..end]);
                term.make_ascii_lowercase();
                self.push(TokenKind::Mention, term, i, end);
                self.position += 1;
                end
            }
            Special::Cashtag { end } => {
                let mut term = self.text[i..end].to_string();
                term.make_ascii_uppercase();
                self.push(TokenKind::Cashtag, term, i, end);
                self.position += 1;
                end
            }
            Special::Emoticon { term, end } => {
                self.push(TokenKind::Emoticon, term.to_string(), i, end);
                self.position += 1;
                end
            }
            Special::Skip { end } => end,
            Special::Hashtag { body, end } => {
                let mut term = String::with_capacity(end - body + 1);
                term.push('#');
                term.push_str(&self.text[body..end]);
                if self.lowercase {
                    lowercase_in_place(&mut term);
                }
                self.push(TokenKind::Hashtag, term, i, end);
                self.hashtag_words(body, end);
                self.position += 1;
                end
            }
        }
    }

    /// The words of a hashtag body, split at `_` and camelCase boundaries,
    /// all at the current position.
    fn hashtag_words(&mut self, body: usize, end: usize) {
        let text = self.text;
        let s = &text[body..end];
        let mut part_start: Option<usize> = None;
        let mut prev: Option<char> = None;
        let mut iter = s.char_indices().peekable();
        while let Some((off, c)) = iter.next() {
            if c == '_' {
                if let Some(ps) = part_start.take() {
                    self.hashtag_part(body + ps, body + off);
                }
                prev = None;
                continue;
            }
            let boundary = c.is_uppercase()
                && match prev {
                    Some(p) if p.is_lowercase() || p.is_numeric() => true,
                    Some(p) if p.is_uppercase() => {
                        iter.peek().is_some_and(|&(_, n)| n.is_lowercase())
                    }
                    _ => false,
                };
            if boundary && let Some(ps) = part_start.take() {
                self.hashtag_part(body + ps, body + off);
            }
            if part_start.is_none() {
                part_start = Some(off);
            }
            prev = Some(c);
        }
        if let Some(ps) = part_start {
            self.hashtag_part(body + ps, end);
        }
    }

    fn hashtag_part(&mut self, start: usize, end: usize) {
        let seg = &self.text[start..end];
        if !seg.chars().any(char::is_alphanumeric) {
            return;
        }
        let kind = word_kind(seg);
        let term = self.word_term(seg);
        self.push(kind, term, start, end);
    }

    /// Segments plain text (no special token inside) with UAX #29: pieces
    /// between ASCII whitespace that are pure ASCII take a fast path
    /// implementing the same rules for ASCII (WB5 to WB13b: letters, digits,
    /// `_`, and `'`, `.`, `:` between letters, `'`, `.`, `,`, `;` between
    /// digits); the others go through `unicode-segmentation`.
    fn plain(&mut self, from: usize, to: usize) {
        if from >= to {
            return;
        }
        let text = self.text;
        let bytes = self.bytes;
        let mut i = from;
        while i < to {
            // Skip ASCII whitespace.
            while i < to && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= to {
                break;
            }
            let mut j = i;
            let mut ascii = true;
            while j < to && !bytes[j].is_ascii_whitespace() {
                ascii &= bytes[j] < 0x80;
                j += 1;
            }
            if ascii {
                self.ascii_chunk(i, j);
            } else {
                for (off, seg) in text[i..j].split_word_bound_indices() {
                    self.segment(i + off, seg);
                }
            }
            i = j;
        }
    }

    /// UAX #29 word segmentation of an ASCII run without whitespace.
    fn ascii_chunk(&mut self, from: usize, to: usize) {
        let bytes = self.bytes;
        let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let mut i = from;
        while i < to {
            if !is_word(bytes[i]) {
                i += 1;
                continue;
            }
            let start = i;
            let mut j = i + 1;
            loop {
                if j < to && is_word(bytes[j]) {
                    j += 1;
                    continue;
                }
                if j + 1 < to {
                    let (prev, mid, next) = (bytes[j - 1], bytes[j], bytes[j + 1]);
                    let letters = prev.is_ascii_alphabetic()
                        && next.is_ascii_alphabetic()
                        && matches!(mid, b'\'' | b'.' | b':');
                    let digits = prev.is_ascii_digit()
                        && next.is_ascii_digit()
                        && matches!(mid, b'\'' | b'.' | b',' | b';');
                    if letters || digits {
                        j += 2;
                        continue;
                    }
                }
                break;
            }
            self.segment(start, &self.text[start..j]);
            i = j;
        }
    }

    fn segment(&mut self, start: usize, seg: &str) {
        let b0 = seg.as_bytes()[0];
        if b0 < 0x80 {
            if b0.is_ascii_alphanumeric() {
                if seg.len() > 1 && seg.ends_with('\u{20E3}') {
                    self.emit_plain(TokenKind::Emoji, seg.to_string(), start, seg.len());
                } else {
                    self.word(start, seg);
                }
            } else if b0 == b'_' {
                let trimmed = seg.trim_matches('_');
                if let Some(c) = trimmed.chars().next()
                    && c.is_alphanumeric()
                {
                    let lead = seg.len() - seg.trim_start_matches('_').len();
                    self.word(start + lead, trimmed);
                }
            } else if seg.len() > 1 && seg.ends_with('\u{20E3}') {
                self.emit_plain(TokenKind::Emoji, seg.to_string(), start, seg.len());
            }
            return;
        }
        let Some(first) = seg.chars().next() else {
            return;
        };
        if first.is_alphanumeric() {
            self.word(start, seg);
        } else if is_emoji_start(first, seg) {
            self.emit_plain(TokenKind::Emoji, seg.to_string(), start, seg.len());
        }
    }

    fn emit_plain(&mut self, kind: TokenKind, term: String, start: usize, len: usize) {
        self.push(kind, term, start, start + len);
        self.position += 1;
    }

    fn word(&mut self, start: usize, seg: &str) {
        let seg = seg.trim_end_matches('_');
        let kind = word_kind(seg);
        let term = self.word_term(seg);
        self.emit_plain(kind, term, start, seg.len());
    }
}

/// [`TokenKind::Number`] for digits without letters, else [`TokenKind::Word`].
fn word_kind(seg: &str) -> TokenKind {
    let numeric_start = seg.chars().next().is_some_and(char::is_numeric);
    if numeric_start && !seg.chars().any(char::is_alphabetic) {
        TokenKind::Number
    } else {
        TokenKind::Word
    }
}

impl Scanner<'_, '_> {
    /// The term of a word: `’` as `'`, NFC, styled mathematical letters
    /// folded; lowercased and elision removed when asked.
    fn word_term(&self, seg: &str) -> String {
        if seg.is_ascii() {
            let mut seg = seg;
            if self.elision
                && let Some(idx) = seg.bytes().position(|b| b == b'\'')
                && idx + 1 < seg.len()
                && is_elided(&seg[..idx])
            {
                seg = &seg[idx + 1..];
            }
            let mut term = seg.to_string();
            if self.lowercase {
                term.make_ascii_lowercase();
            }
            return term;
        }
        let mut term = raw_word_term(seg);
        if self.lowercase {
            lowercase_in_place(&mut term);
        }
        if self.elision {
            remove_elision(&mut term);
        }
        term
    }
}

/// The raw term of a non-ASCII word: `’` as `'`, NFC, styled mathematical
/// letters folded.
fn raw_word_term(seg: &str) -> String {
    let styled = seg
        .chars()
        .any(|c| ('\u{1D400}'..='\u{1D7FF}').contains(&c));
    let mut term: String = if styled {
        seg.nfkc().collect()
    } else if is_nfc_quick(seg.chars()) != IsNormalized::Yes {
        seg.nfc().collect()
    } else {
        seg.to_string()
    };
    if term.contains(['\u{2019}', '\u{02BC}']) {
        term = term.replace(['\u{2019}', '\u{02BC}'], "'");
    }
    term
}

/// Whether a UAX #29 segment starting with `first` (not alphanumeric) is an
/// emoji: Extended_Pictographic ranges, regional-indicator flags, or a text
/// symbol turned emoji by U+FE0F.
fn is_emoji_start(first: char, seg: &str) -> bool {
    let c = first as u32;
    matches!(c,
        0x1F000..=0x1FAFF
        | 0x2600..=0x27BF
        | 0x2B00..=0x2BFF
        | 0x2300..=0x23FF
        | 0x203C | 0x2049 | 0x2122 | 0x2139 | 0x2194..=0x21FF | 0x24C2 | 0x25AA..=0x25FE
        | 0x2934 | 0x2935 | 0x3030 | 0x303D | 0x3297 | 0x3299)
        || seg.contains('\u{FE0F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<(TokenKind, String)> {
        let mut v = Vec::new();
        SocialTokenizer::new().tokenize(text, &mut v);
        v.into_iter().map(|t| (t.kind, t.term)).collect()
    }

    #[test]
    fn social_tokens() {
        use TokenKind::*;
        let t = toks("RT @Air_France: vol $AF.PA en retard :-( #HiggsBoson https://t.co/x1…");
        assert_eq!(
            t,
            vec![
                (Word, "RT".into()),
                (Mention, "@air_france".into()),
                (Word, "vol".into()),
                (Cashtag, "$AF.PA".into()),
                (Word, "en".into()),
                (Word, "retard".into()),
                (Emoticon, ":-(".into()),
                (Hashtag, "#HiggsBoson".into()),
                (Word, "Higgs".into()),
                (Word, "Boson".into()),
                (Url, "https://t.co/x1".into()),
            ]
        );
    }

    #[test]
    fn emoji_and_entities() {
        use TokenKind::*;
        let t = toks("ok 👨‍👩‍👧🇫🇷👍🏽 &amp; &lt;3 1️⃣ ;D <3 ^^");
        assert_eq!(
            t,
            vec![
                (Word, "ok".into()),
                (Emoji, "👨‍👩‍👧".into()),
                (Emoji, "🇫🇷".into()),
                (Emoji, "👍🏽".into()),
                (Emoticon, "<3".into()),
                (Emoji, "1️⃣".into()),
                (Emoticon, ";D".into()),
                (Emoticon, "<3".into()),
                (Emoticon, "^^".into()),
            ]
        );
    }

    #[test]
    fn not_social() {
        use TokenKind::*;
        assert_eq!(
            toks("mail a@b.com 10:30 $5 #1"),
            vec![
                (Word, "mail".into()),
                (Word, "a".into()),
                (Word, "b.com".into()),
                (Number, "10".into()),
                (Number, "30".into()),
                (Number, "5".into()),
                (Number, "1".into()),
            ]
        );
    }

    #[test]
    fn camel_case() {
        let t = toks("#HTMLParser #JeSuisCharlie #NASA #covid_19");
        let words: Vec<String> = t.into_iter().map(|(_, s)| s).collect();
        assert_eq!(
            words,
            [
                "#HTMLParser",
                "HTML",
                "Parser",
                "#JeSuisCharlie",
                "Je",
                "Suis",
                "Charlie",
                "#NASA",
                "NASA",
                "#covid_19",
                "covid",
                "19"
            ]
        );
    }
}
