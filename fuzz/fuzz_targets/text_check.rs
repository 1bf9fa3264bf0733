//! The checks of the `fuzz_text` target, shared with the stable replay test
//! `crates/portevoix-text/tests/robustness_text.rs` (which includes this file),
//! so that both run exactly the same assertions.
//!
//! On any bytes (read as UTF-8 with replacement, as the CLI reads standard
//! input): the analyser, VADER in both languages, target sentiment, the
//! learned sentiment models (overall and toward a target) and the topic
//! reader must not panic, and what they return must be well formed.

use portevoix_text::analysis::Analyzer;
use portevoix_text::sentiment::model::SentimentModel;
use portevoix_text::sentiment::{Target, Vader};
use portevoix_text::topic::Topic;

/// Runs every text entry point on `data` and checks the results.
pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();

    let analysis = Analyzer::standard().analyze(text);
    let mut last_position = 0;
    for t in &analysis.tokens {
        let (start, end) = (t.start as usize, t.end as usize);
        assert!(
            start <= end && end <= text.len(),
            "range {start}..{end} of {}",
            text.len()
        );
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        assert!(t.position >= last_position, "positions never go back");
        last_position = t.position;
        assert!(
            !t.term.is_empty(),
            "empty term from {:?}",
            &text[start..end]
        );
    }
    if let Some(g) = analysis.language {
        assert!(
            (0.0..=1.0).contains(&g.confidence),
            "confidence {}",
            g.confidence
        );
    }

    for vader in [Vader::english(), Vader::french()] {
        let s = vader.polarity_scores(text);
        for v in [s.neg, s.neu, s.pos] {
            assert!((0.0..=1.0).contains(&v), "{s:?}");
        }
        assert!((-1.0..=1.0).contains(&s.compound), "{s:?}");
        let total = s.neg + s.neu + s.pos;
        assert!(total == 0.0 || (total - 1.0).abs() <= 0.003, "{s:?}");
        // Aliases from the input itself: the first word, and the first @handle.
        let first = text.split_whitespace().next().unwrap_or("brand");
        let target = Target::new([first, "@brand"]);
        if let Some(t) = vader.target_sentiment(text, &target) {
            assert!(t.mentions >= 1);
            assert!((-1.0..=1.0).contains(&t.scores.compound));
            for r in &t.sentences {
                assert!(r.start <= r.end && r.end <= text.len());
            }
        }
    }

    // The learned models: probabilities in [0, 1] summing to 1, compound in
    // [-1, 1], the same answer twice, with and without a target.
    let first = text.split_whitespace().next().unwrap_or("brand");
    let target = Target::new([first, "@brand"]);
    for model in [SentimentModel::english(), SentimentModel::french()] {
        let p = model.predict(text);
        let probabilities = [p.negative, p.neutral, p.positive];
        assert!(
            probabilities
                .iter()
                .all(|v| v.is_finite() && (0.0..=1.0).contains(v)),
            "{p:?}"
        );
        assert!(
            (probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-9,
            "{p:?}"
        );
        assert!((-1.0..=1.0).contains(&p.compound()), "{p:?}");
        assert_eq!(p, model.predict(text), "deterministic");
        if let Some(q) = model.predict_toward(text, &target) {
            assert!(
                (q.negative + q.neutral + q.positive - 1.0).abs() < 1e-9,
                "{q:?}"
            );
        }
        let f = model.extractor().extract(text, &target.mentions(text));
        let dimension = model.extractor().config().dimension();
        assert!(f.indices.iter().all(|&i| (i as usize) < dimension));
        assert!(f.values.iter().all(|v| v.is_finite()));
    }

    // A topic file is text too: never a panic, and errors say where.
    if let Err(e) = Topic::from_toml_str(text, "fuzz.toml") {
        assert!(
            e.to_string().starts_with("fuzz.toml:") || e.to_string().contains("invalid argument"),
            "{e}"
        );
    }
}
