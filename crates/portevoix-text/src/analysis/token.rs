//! Tokens: what an analyser emits.

use serde::Serialize;

/// The kind of a [`Token`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum TokenKind {
    /// A word (letters, possibly with digits, inner apostrophes or hyphens
    /// as UAX #29 keeps them: `l'influence`, `covid19`).
    Word,
    /// A number: digits with inner `.` or `,` (`3,5`, `1.000`), no letters.
    Number,
    /// A `#hashtag` (also `＃`); its body must hold a letter (`#1` is not one).
    Hashtag,
    /// An `@mention`, including a fediverse account `@user@instance.social`.
    Mention,
    /// A URL starting with `http://`, `https://` or `www.`.
    Url,
    /// A `$CASHTAG`: `$` and 1 to 6 ASCII letters, optionally `.X`/`_X` suffix.
    Cashtag,
    /// An emoji: one grapheme, including ZWJ sequences, flags, keycaps and
    /// skin-tone modifiers.
    Emoji,
    /// An ASCII emoticon such as `:)`, `:-(`, `<3`, `;D`, `^^`.
    Emoticon,
}

/// One token of an analysed text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Token {
    /// The kind of token.
    pub kind: TokenKind,
    /// Normalised form: words case-folded (accent-folded if asked), elision
    /// removed, stop words dropped, stemmed; hashtags `"#"` + folded body;
    /// mentions `"@"` + lowercased handle; cashtags `"$"` + uppercased; URLs as
    /// written minus a trailing punctuation; emoji as the grapheme; emoticons
    /// as written, a repeated last character kept once (`:)))` gives `:)`).
    pub term: String,
    /// Index of the token in the text before any token was removed, so phrase
    /// adjacency survives stop-word removal. The words of a hashtag body share
    /// the position of the hashtag.
    pub position: u32,
    /// Start of the byte range in the original text (on a char boundary).
    pub start: u32,
    /// End (exclusive) of the byte range in the original text (on a char
    /// boundary).
    pub end: u32,
}

impl Token {
    /// A token of `kind` with `term`, at `position`, spanning `start..end`.
    pub fn new(
        kind: TokenKind,
        term: impl Into<String>,
        position: u32,
        start: usize,
        end: usize,
    ) -> Token {
        Token {
            kind,
            term: term.into(),
            position,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The slice of `text` (the analysed text) this token comes from.
    ///
    /// # Panics
    ///
    /// When `text` is not the text the token was produced from and the range
    /// does not fit it.
    pub fn source<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start as usize..self.end as usize]
    }

    /// Whether this token is a [`TokenKind::Word`].
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }
}
