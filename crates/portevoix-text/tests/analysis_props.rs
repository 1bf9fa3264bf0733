//! Properties of analysis on arbitrary input: no panic, byte ranges on char
//! boundaries inside the text, positions non-decreasing, and the ASCII fast
//! path of the tokeniser agreeing with UAX #29.

use portevoix_text::analysis::{
    Analyzer, DetectionStrategy, Language, SocialTokenizer, Token, TokenKind, Tokenizer,
    detect_language,
};
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

fn check_tokens(text: &str, tokens: &[Token]) -> Result<(), TestCaseError> {
    let mut last = (0u32, 0u32);
    for t in tokens {
        prop_assert!(t.start < t.end, "{t:?}");
        prop_assert!(t.end as usize <= text.len(), "{t:?}");
        prop_assert!(text.is_char_boundary(t.start as usize), "{t:?}");
        prop_assert!(text.is_char_boundary(t.end as usize), "{t:?}");
        prop_assert!((t.position, t.start) >= last, "{t:?} after {last:?}");
        prop_assert!(!t.term.is_empty(), "{t:?}");
        last = (t.position, t.start);
    }
    Ok(())
}

/// Text made of social-media pieces, to reach the special cases often.
fn social_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("#".to_string()),
        Just("@".to_string()),
        Just("$".to_string()),
        Just("http://".to_string()),
        Just("https://t.co/".to_string()),
        Just("www.".to_string()),
        Just(":".to_string()),
        Just(";".to_string()),
        Just("<3".to_string()),
        Just(":-)".to_string()),
        Just("&amp;".to_string()),
        Just("&lt;".to_string()),
        Just("&#".to_string()),
        Just("'".to_string()),
        Just("’".to_string()),
        Just("l’".to_string()),
        Just("qu'".to_string()),
        Just("\u{200D}".to_string()),
        Just("\u{FE0F}".to_string()),
        Just("\u{20E3}".to_string()),
        Just("\u{0301}".to_string()),
        Just("🇫".to_string()),
        Just("👨".to_string()),
        Just("＃".to_string()),
        Just("𝗟".to_string()),
        Just("_".to_string()),
        "[a-zA-Zéà0-9 .,!?()\\-]{0,6}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        let analysis = Analyzer::standard().analyze(&text);
        check_tokens(&text, &analysis.tokens)?;
        let _ = detect_language(&text, &[]);
    }

    #[test]
    fn social_strings_keep_invariants(text in social_text()) {
        let mut raw = Vec::new();
        SocialTokenizer::new().tokenize(&text, &mut raw);
        check_tokens(&text, &raw)?;
        for a in [
            Analyzer::standard(),
            Analyzer::builder("folded").fold_accents(true).keep_numbers(false).build(),
            Analyzer::builder("w").detection(DetectionStrategy::Whatlang).build(),
            Analyzer::builder("fr").languages(&[Language::French]).build(),
        ] {
            let analysis = a.analyze(&text);
            check_tokens(&text, &analysis.tokens)?;
            for t in &analysis.tokens {
                match t.kind {
                    TokenKind::Hashtag => prop_assert!(t.term.starts_with('#')),
                    TokenKind::Mention => prop_assert!(t.term.starts_with('@')),
                    TokenKind::Cashtag => prop_assert!(t.term.starts_with('$')),
                    _ => {}
                }
            }
        }
    }

    /// The analyser's fused tokeniser (lowercase and elision while
    /// segmenting) gives the same tokens as the raw tokeniser followed by
    /// the filters.
    #[test]
    fn fused_tokenizer_equals_filters(text in social_text()) {
        let fused = Analyzer::builder("fused").languages(&[Language::French]).build();
        let chained = Analyzer::builder("chained")
            .languages(&[Language::French])
            .tokenizer(SocialTokenizer::new())
            .build();
        prop_assert_eq!(fused.analyze(&text).tokens, chained.analyze(&text).tokens);
        let fused = Analyzer::standard();
        let chained = Analyzer::builder("chained").tokenizer(SocialTokenizer::new()).build();
        prop_assert_eq!(fused.analyze(&text), chained.analyze(&text));
    }

    /// ASCII text without social-token triggers: the fast path gives exactly
    /// the UAX #29 words.
    #[test]
    fn ascii_fast_path_is_uax29(text in "[abcefgABCEFG01249 _'.,:;!?]{0,40}") {
        let mut got = Vec::new();
        SocialTokenizer::new().tokenize(&text, &mut got);
        let got: Vec<(u32, u32)> = got.iter().map(|t| (t.start, t.end)).collect();
        let mut expected = Vec::new();
        for (off, seg) in text.split_word_bound_indices() {
            let trimmed = seg.trim_matches('_');
            if trimmed.chars().next().is_some_and(char::is_alphanumeric) {
                let lead = seg.len() - seg.trim_start_matches('_').len();
                let start = (off + lead) as u32;
                expected.push((start, start + trimmed.len() as u32));
            }
        }
        prop_assert_eq!(got, expected);
    }
}
