//! VADER behaviour: the reference examples, robustness on any input, lexicon
//! errors, sharing across threads.

use portevoix_text::sentiment::{Language, Polarity, SentimentScores, Vader};
use proptest::prelude::*;

fn scores(neg: f64, neu: f64, pos: f64, compound: f64) -> SentimentScores {
    SentimentScores {
        neg,
        neu,
        pos,
        compound,
    }
}

/// vaderSentiment 3.3.2's own demo sentences, with the outputs of the reference.
#[test]
fn english_reference_examples() {
    let v = Vader::english();
    let cases = [
        (
            "VADER is smart, handsome, and funny.",
            scores(0.0, 0.254, 0.746, 0.8316),
        ),
        (
            "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
            scores(0.0, 0.294, 0.706, 0.9469),
        ),
        (
            "VADER is not smart, handsome, nor funny.",
            scores(0.646, 0.354, 0.0, -0.7424),
        ),
        (
            "At least it isn't a horrible book.",
            scores(0.0, 0.678, 0.322, 0.431),
        ),
        (
            "The book was only kind of good.",
            scores(0.0, 0.697, 0.303, 0.3832),
        ),
        (
            "Today only kinda sux! But I'll get by, lol",
            scores(0.127, 0.556, 0.317, 0.5249),
        ),
        (
            "Make sure you :) or :D today!",
            scores(0.0, 0.294, 0.706, 0.8633),
        ),
        (
            "Catch utf-8 emoji such as 💘 and 💋 and 😁",
            scores(0.0, 0.583, 0.417, 0.875),
        ),
        ("Not bad at all", scores(0.0, 0.513, 0.487, 0.431)),
        (
            "Sentiment analysis has never been this good!",
            scores(0.0, 0.621, 0.379, 0.5672),
        ),
        (
            "With VADER, sentiment analysis is the shit!",
            scores(0.0, 0.583, 0.417, 0.6476),
        ),
        (
            "Without a doubt, excellent idea.",
            scores(0.0, 0.341, 0.659, 0.7013),
        ),
        (
            "Roger Dodger is one of the least compelling variations on this theme.",
            scores(0.132, 0.868, 0.0, -0.1695),
        ),
        // The "but" rule's position-by-value loop on repeated valences.
        (
            "no good but no bad but good good",
            scores(0.099, 0.233, 0.668, 0.895),
        ),
        ("", scores(0.0, 0.0, 0.0, 0.0)),
        ("   ", scores(0.0, 0.0, 0.0, 0.0)),
        ("😁😁", scores(0.0, 0.571, 0.429, 0.7184)),
        ("!!!", scores(0.0, 1.0, 0.0, 0.0)),
    ];
    for (text, expected) in cases {
        assert_eq!(v.polarity_scores(text), expected, "{text:?}");
    }
}

/// vaderSentiment-fr 1.3.4's outputs, quirks included: a neutral text with
/// `!` is pulled below zero, and `no_negate.txt` only protects the unaccented
/// spelling.
#[test]
fn french_reference_examples() {
    let v = Vader::french();
    let cases = [
        ("Un film magnifique", scores(0.0, 0.377, 0.623, 0.5106)),
        (
            "Ce n'est pas magnifique",
            scores(0.403, 0.597, 0.0, -0.4023),
        ),
        ("Je suis très content !!!", scores(0.0, 1.0, 0.0, -0.1124)),
        ("Ce n'est pas sérieux", scores(0.0, 0.735, 0.265, 0.1139)),
        (
            "C'est nul... vraiment nul",
            scores(0.517, 0.483, 0.0, -0.2982),
        ),
        ("", scores(0.0, 1.0, 0.0, 0.0)),
        ("😁", scores(0.0, 0.615, 0.385, 0.3612)),
        ("!!!", scores(0.0, 1.0, 0.0, -0.1124)),
        (
            "J'adore ce RESTAURANT, SUPER BON",
            scores(0.0, 0.448, 0.552, 0.7012),
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(v.polarity_scores(text), expected, "{text:?}");
    }
}

/// Long texts with "but" and many equal valences (the indexed form of the
/// "but" rule), against the reference's outputs.
#[test]
fn long_texts_with_but_match_the_reference() {
    let v = Vader::english();
    let t1 = vec!["good bad great nice okay but sad love hate"; 20].join(" ");
    assert_eq!(v.polarity_scores(&t1), scores(0.387, 0.028, 0.585, 0.9993));
    let t2 = format!(
        "{} but {}",
        vec!["good GOOD very good no good not bad"; 15].join(" "),
        vec!["great love"; 40].join(" ")
    );
    assert_eq!(v.polarity_scores(&t2), scores(0.129, 0.048, 0.824, 0.9999));
}

#[test]
fn labels_use_the_standard_thresholds() {
    let label = |c| scores(0.0, 1.0, 0.0, c).label();
    assert_eq!(label(0.05), Polarity::Positive);
    assert_eq!(label(0.0499), Polarity::Neutral);
    assert_eq!(label(-0.05), Polarity::Negative);
}

#[test]
fn odd_inputs_do_not_panic() {
    let long_mixed = "Great flight but the LOST bag was not ok!!! 😡 ".repeat(2_500);
    assert!(long_mixed.len() > 100_000);
    let long_word = "a".repeat(100_000);
    let inputs = [
        String::new(),
        " \t\n\u{a0}\u{3000}\u{1c}".to_string(),
        "😁💘🇫🇷👍🏽❤️".to_string(),
        long_mixed,
        long_word,
        "\u{0}\u{ffff}\u{10ffff}'''---...!!!???".to_string(),
        "ΣΑΣ ǅ İ ß ﬁ".to_string(),
    ];
    for v in [Vader::english(), Vader::french()] {
        for text in &inputs {
            let s = v.polarity_scores(text);
            assert!((-1.0..=1.0).contains(&s.compound), "{s:?}");
            for x in [s.neg, s.neu, s.pos] {
                assert!((0.0..=1.0).contains(&x), "{s:?}");
            }
        }
    }
    let s = Vader::english().polarity_scores(&inputs[3]);
    assert!(s.compound < -0.9 || s.compound > 0.9, "{s:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn never_panics_and_stays_in_range(text in any::<String>()) {
        for v in [Vader::english(), Vader::french()] {
            let s = v.polarity_scores(&text);
            prop_assert!((-1.0..=1.0).contains(&s.compound));
            prop_assert!(s.neg >= 0.0 && s.neu >= 0.0 && s.pos >= 0.0);
            prop_assert!(s.neg + s.neu + s.pos <= 1.0 + 2e-3);
        }
    }

    #[test]
    fn words_from_the_rules_never_panic(
        words in prop::collection::vec(prop::sample::select(vec![
            "no", "not", "but", "BUT", "kind", "of", "least", "at", "very", "never", "so",
            "without", "doubt", "the", "shit", "good", "GOOD", "bad", ":)", "!!!", "?", "",
            "pas", "mais", "très", "sérieux", "à", "peine", "'", "😁",
        ]), 0..30)
    ) {
        let text = words.join(" ");
        for v in [Vader::english(), Vader::french()] {
            let s = v.polarity_scores(&text);
            prop_assert!((-1.0..=1.0).contains(&s.compound));
        }
    }
}

#[test]
fn analysers_are_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Vader>();
    let v = Vader::english();
    let expected = v.polarity_scores("What a lovely crew, thank you!");
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..100 {
                    assert_eq!(
                        v.polarity_scores("What a lovely crew, thank you!"),
                        expected
                    );
                }
            });
        }
    });
}

#[test]
fn user_lexicons_report_bad_lines() {
    let v = Vader::from_lexicon("great\t3.1\n\nawful->-2.5\n", "mine.txt", Language::English)
        .expect("valid lexicon");
    assert_eq!(v.valence("GREAT"), Some(3.1));
    assert_eq!(v.valence("awful"), Some(-2.5));
    assert!(v.polarity_scores("great, not awful").compound > 0.0);
    for (text, expected) in [
        (
            "great\t3.1\nawful\n",
            "mine.txt:2: expected `token<TAB>valence` or `token->valence`",
        ),
        (
            "great\tthree\n",
            "mine.txt:1: valence \"three\" is not a number",
        ),
        ("->2.0\n", "mine.txt:1: empty token"),
        ("x\tNaN\n", "mine.txt:1: valence \"NaN\" is not finite"),
    ] {
        let err = Vader::from_lexicon(text, "mine.txt", Language::English).unwrap_err();
        assert_eq!(err.to_string(), expected);
    }
    let fr = Vader::from_lexicon("génial->3.0\n", "fr.txt", Language::French).unwrap();
    assert_eq!(fr.valence("GÉNIAL"), Some(3.0));
    assert_eq!(fr.valence("genial"), Some(3.0));
    assert_eq!(fr.language(), Language::French);
}
