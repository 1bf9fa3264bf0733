//! The learned sentiment model on real data: the embedded models reproduce
//! their cards' validation numbers, training is deterministic (a small model
//! retrained gives a known hash, whatever the thread count), damaged model
//! files give clear errors, the brand placeholder changes the stance, and
//! adaptation to stance examples helps on held-out folds.

use portevoix_testdata::shared_dataset;
use portevoix_text::sentiment::Target;
use portevoix_text::sentiment::model::{
    AdaptOptions, Class, ClassifierChoice, FeatureConfig, FeatureLanguage, LabelledText,
    SentimentModel, StanceExample, TrainOptions, ValidationSet, parse_tweeteval, score, train,
};

fn tweeteval(dir: &str, split: &str) -> Vec<LabelledText> {
    let text = shared_dataset(&format!("sentiment-train/{dir}/{split}_text.txt"));
    let labels = shared_dataset(&format!("sentiment-train/{dir}/{split}_labels.txt"));
    parse_tweeteval(
        &std::fs::read(&text).unwrap(),
        &text.display().to_string(),
        &std::fs::read(&labels).unwrap(),
        &labels.display().to_string(),
    )
    .unwrap()
}

/// The card's validation scores of the shipped classifier, recomputed from
/// the validation files: the committed model is the one the card describes.
fn check_card(model: &SentimentModel, dir: &str) {
    let val = tweeteval(dir, "val");
    let predictions: Vec<_> = val.iter().map(|t| model.predict(&t.text)).collect();
    let predicted: Vec<usize> = predictions.iter().map(|p| p.label().index()).collect();
    let confidence: Vec<f64> = predictions.iter().map(|p| p.confidence()).collect();
    let gold: Vec<usize> = val.iter().map(|t| t.class.index()).collect();
    let s = score(&predicted, &gold, Some(&confidence));
    let card = model.card();
    let recorded = card
        .validation
        .iter()
        .find(|v| v.classifier == card.classifier)
        .expect("the shipped classifier's validation scores");
    assert_eq!(recorded.scores.n, s.n);
    assert!(
        (recorded.scores.macro_recall - s.macro_recall).abs() < 1e-9,
        "{recorded:?} vs {s:?}"
    );
    assert!((recorded.scores.macro_f1 - s.macro_f1).abs() < 1e-9);
    assert!((recorded.scores.ece - s.ece).abs() < 1e-6);
}

#[test]
fn embedded_english_model_matches_its_card() {
    let model = SentimentModel::english();
    let card = model.card();
    assert_eq!(card.features.language, FeatureLanguage::En);
    assert!(
        card.held_out >= 2000,
        "TweetEval validation tweets held out: {}",
        card.held_out
    );
    assert!(
        card.command
            .starts_with("portevoix sentiment train --lang en"),
        "{}",
        card.command
    );
    check_card(model, "tweeteval-en");
    // The target: TweetEval validation macro-recall ≥ 0.66.
    let shipped = card
        .validation
        .iter()
        .find(|v| v.classifier == card.classifier)
        .unwrap();
    assert!(shipped.scores.macro_recall >= 0.66, "{:?}", shipped.scores);
    let bytes = std::hint::black_box(portevoix_text::sentiment::model::ENGLISH_MODEL).len();
    assert!(bytes <= 20 << 20, "{bytes} bytes");
}

#[test]
fn embedded_french_model_matches_its_card() {
    let model = SentimentModel::french();
    assert_eq!(model.card().features.language, FeatureLanguage::Fr);
    check_card(model, "deft2017-fr");
    let shipped = model
        .card()
        .validation
        .iter()
        .find(|v| v.classifier == model.card().classifier)
        .unwrap();
    assert!(shipped.scores.macro_f1 >= 0.62, "{:?}", shipped.scores);
    let bytes = std::hint::black_box(portevoix_text::sentiment::model::FRENCH_MODEL).len();
    assert!(bytes <= 20 << 20, "{bytes} bytes");
}

/// A small French model (the first 600 DEFT training texts, validation
/// held out), trained on 1 and on 2 threads: the same bytes, and the hash
/// recorded here. A change of the features, the optimiser or the file
/// format changes it; update it deliberately.
#[test]
fn retraining_a_small_model_gives_the_same_hash() {
    let mut texts = tweeteval("deft2017-fr", "train");
    texts.truncate(600);
    let val = ValidationSet {
        name: "deft-val".into(),
        texts: tweeteval("deft2017-fr", "val"),
    };
    let mut options = TrainOptions::new(FeatureConfig::for_language(FeatureLanguage::Fr));
    options.classifiers = ClassifierChoice::Best;
    options.date = "2026-12-07".into();
    options.command = "test".into();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| train(&texts, std::slice::from_ref(&val), &options).unwrap())
    };
    let one = run(1);
    let two = run(2);
    assert_eq!(
        one.model.to_bytes(),
        two.model.to_bytes(),
        "same model for 1 and 2 threads"
    );
    let card = one.model.card();
    assert_eq!(card.validation.len(), 2, "both classifiers reported");
    assert_eq!(card.weights_hash, EXPECTED_SMALL_MODEL_HASH, "{card:?}");
}

const EXPECTED_SMALL_MODEL_HASH: &str = "9d050538fe3c9570";

#[test]
fn damaged_model_files_give_clear_errors() {
    let bytes = portevoix_text::sentiment::model::FRENCH_MODEL.to_vec();
    let err = |b: &[u8]| {
        SentimentModel::from_bytes(b, "m.pvsm")
            .unwrap_err()
            .to_string()
    };
    assert!(err(b"hello world, not a model").contains("m.pvsm: not a Porte-voix sentiment model"));
    assert!(err(&[]).contains("not a Porte-voix sentiment model"));
    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x40;
    assert!(err(&flipped).contains("damaged"), "{}", err(&flipped));
    assert!(err(&bytes[..bytes.len() - 100]).contains("damaged"));
    assert!(err(&bytes[..20]).contains("truncated") || err(&bytes[..20]).contains("damaged"));
    let mut newer = bytes.clone();
    newer[8] = 9;
    assert!(err(&newer).contains("version 9"), "{}", err(&newer));
    // The untouched bytes load, and write back identically.
    let model = SentimentModel::from_bytes(&bytes, "m.pvsm").unwrap();
    assert_eq!(model.to_bytes(), bytes);
}

/// The model sees the brand: its mentions become the `<brand>` placeholder
/// (and VADER scores the text with them masked), so "united", a positive
/// word of VADER's lexicon, does not lift a complaint.
#[test]
fn the_brand_placeholder_reaches_the_model() {
    let model = SentimentModel::english();
    let brand = Target::new(["@united"]);
    let text = "@united my flight is delayed again";
    let toward = model.predict_toward(text, &brand).unwrap();
    let raw = model.predict(text);
    assert_ne!(toward, raw);
    assert_eq!(toward.label(), Class::Negative, "{toward:?}");
}

#[test]
fn hostile_lines_are_scored() {
    for model in [SentimentModel::english(), SentimentModel::french()] {
        let huge = "so bad and so good ".repeat(50_000);
        let invalid = String::from_utf8_lossy(b"caf\xE9 \xFF\xFE ok").into_owned();
        for text in [
            "",
            "   ",
            "😍😍😍",
            "🇫🇷",
            huge.as_str(),
            invalid.as_str(),
            "\u{200d}\u{fe0f}",
        ] {
            let p = model.predict(text);
            assert!(
                (p.negative + p.neutral + p.positive - 1.0).abs() < 1e-9,
                "{text:.20}: {p:?}"
            );
        }
    }
    assert_eq!(
        SentimentModel::english().predict("😍😍😍").label(),
        Class::Positive
    );
}

/// Stance examples from the airline tweets: 3-fold cross-validation on the
/// first 1,500 tweets; each fold predicted by the model adapted on the
/// others beats the base model on the same fold.
#[test]
fn adaptation_helps_on_held_out_folds() {
    let path = shared_dataset("airline-sentiment/tweets.csv");
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let (ct, cl, ca) = (col("text"), col("airline_sentiment"), col("airline"));
    let examples: Vec<StanceExample> = reader
        .records()
        .take(1500)
        .map(|r| {
            let r = r.unwrap();
            let text = r[ct].to_string();
            let brand =
                portevoix_text::sentiment::Target::new([format!("@{}", r[ca].replace(' ', ""))])
                    .mentions(&text);
            StanceExample {
                text,
                class: Class::parse(&r[cl]).unwrap(),
                brand,
            }
        })
        .collect();
    let options = AdaptOptions {
        l2_grid: vec![1e-3, 1e-2],
        folds: 2,
        seed: 1,
    };
    let (base, adapted) = SentimentModel::english()
        .cross_validate_adaptation(&examples, 3, 7, &options)
        .unwrap();
    assert!(
        adapted.accuracy > base.accuracy + 0.03,
        "base {base:?}, adapted {adapted:?}"
    );
    let model = SentimentModel::english()
        .adapt(&examples, &options)
        .unwrap();
    // With the campaign's examples, "thanks @BRAND" and "thanks for nothing @BRAND" part ways.
    let brand = Target::new(["@united"]);
    let thanks = model.predict_toward("thanks @united", &brand).unwrap();
    let nothing = model
        .predict_toward("thanks for nothing @united", &brand)
        .unwrap();
    assert!(
        nothing.compound() < thanks.compound(),
        "{nothing:?} vs {thanks:?}"
    );
    let card = model.card().adaptation.clone().unwrap();
    assert_eq!(card.examples, 1500);
    assert_eq!(card.base, SentimentModel::english().card().weights_hash);
}

/// The memo of words (per thread) and the word-by-word character logits of
/// `predict` change nothing a user sees: on the DEFT and TweetEval
/// validation tweets, extraction is the same bytes on a fresh thread as on a
/// thread that has seen every text before, and `predict` (memoised partial
/// dot products) agrees with the full feature vector's prediction within
/// float rounding, with the same label, cold and warm.
#[test]
fn the_word_memo_changes_no_feature_and_no_label() {
    use portevoix_text::sentiment::model::SparseFeatures;
    for (dir, model) in [
        ("tweeteval-en", SentimentModel::english()),
        ("deft2017-fr", SentimentModel::french()),
    ] {
        let texts: Vec<String> = tweeteval(dir, "val").into_iter().map(|t| t.text).collect();
        let extract_all = || -> Vec<SparseFeatures> {
            texts
                .iter()
                .map(|t| {
                    let brand: Vec<_> = t.find(' ').map(|i| 0..i).into_iter().collect();
                    model.extractor().extract(t, &brand)
                })
                .collect()
        };
        let cold = std::thread::scope(|s| s.spawn(extract_all).join().unwrap());
        // The thread's memos see extraction and predictions first.
        let _ = extract_all();
        for t in &texts {
            let _ = model.predict(t);
        }
        let warm = extract_all();
        assert_eq!(cold, warm, "{dir}: the memo changed a feature vector");
        for pass in ["cold", "warm"] {
            for (t, f) in texts.iter().zip(&cold) {
                let brand: Vec<_> = t.find(' ').map(|i| 0..i).into_iter().collect();
                let fast = model.predict_masked(t, &brand);
                let full = model.predict_features(f);
                for (a, b) in fast.probabilities().iter().zip(full.probabilities()) {
                    assert!((a - b).abs() < 1e-5, "{dir} {pass}: {a} vs {b} on {t:?}");
                }
                assert_eq!(fast.label(), full.label(), "{dir} {pass}: {t:?}");
            }
        }
    }
}
