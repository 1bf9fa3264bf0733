//! The stance head (multinomial logistic regression over dense and sparse features) and the model
//! files' error paths. None of these tests needs the encoder's weights: the head is trained on real
//! features computed here (VADER's scores of the real airline tweets, and their words as sparse
//! features), and the damaged-file tests build their own files.
#![cfg(feature = "encoder")]

mod common;
#[path = "common/encoder.rs"]
#[allow(dead_code)]
mod encoder_common;

use portevoix_text::encoder::{
    ClassWeighting, EncoderError, EncoderFiles, HeadExample, HeadOptions, LINEAR_FEATURES,
    SentenceEncoder, StanceHead, linear_features,
};
use portevoix_text::sentiment::Vader;
use portevoix_text::sentiment::model::SentimentModel;
use std::collections::HashMap;

/// Airline tweets as (dense VADER scores, sparse word counts, label), the first `n` rows.
struct Data {
    dense: Vec<[f32; 4]>,
    sparse: Vec<Vec<(u32, f32)>>,
    labels: Vec<usize>,
    vocabulary: usize,
}

fn airline(n: usize) -> Data {
    let texts = common::airline_column("text");
    let labels = common::airline_column("airline_sentiment");
    let vader = Vader::english();
    let mut vocabulary: HashMap<String, u32> = HashMap::new();
    let mut data = Data {
        dense: Vec::new(),
        sparse: Vec::new(),
        labels: Vec::new(),
        vocabulary: 0,
    };
    for ((_, text), (_, label)) in texts.iter().zip(&labels).take(n) {
        let s = vader.polarity_scores(text);
        data.dense
            .push([s.neg as f32, s.neu as f32, s.pos as f32, s.compound as f32]);
        let mut counts: HashMap<u32, f32> = HashMap::new();
        for word in text.split_whitespace().map(str::to_lowercase) {
            let next = vocabulary.len() as u32;
            *counts
                .entry(*vocabulary.entry(word).or_insert(next))
                .or_default() += 1.0;
        }
        let mut row: Vec<(u32, f32)> = counts.into_iter().collect();
        row.sort_by_key(|&(j, _)| j);
        data.sparse.push(row);
        data.labels.push(match label.as_str() {
            "negative" => 0,
            "neutral" => 1,
            "positive" => 2,
            other => panic!("label {other}"),
        });
    }
    data.vocabulary = vocabulary.len();
    data
}

fn examples(data: &Data, with_sparse: bool) -> Vec<HeadExample<'_>> {
    (0..data.labels.len())
        .map(|i| HeadExample {
            dense: &data.dense[i],
            sparse: if with_sparse { &data.sparse[i] } else { &[] },
            label: data.labels[i],
        })
        .collect()
}

fn accuracy(head: &StanceHead, data: &Data, range: std::ops::Range<usize>, sparse: bool) -> f64 {
    let hits = range
        .clone()
        .filter(|&i| {
            let s: &[(u32, f32)] = if sparse { &data.sparse[i] } else { &[] };
            head.predict(&data.dense[i], s).unwrap().label == data.labels[i]
        })
        .count();
    hits as f64 / range.len() as f64
}

#[test]
fn sparse_features_add_to_the_dense_block_on_held_out_tweets() {
    let data = airline(6000);
    let train = 0..4000;
    let all = examples(&data, true);
    let dense_only = examples(&data, false);
    let options = HeadOptions {
        sparse_l2: 1e-3,
        ..HeadOptions::default()
    };
    let (with_words, report) =
        StanceHead::train(&all[train.clone()], 4, data.vocabulary, &options).unwrap();
    assert!(report.iterations > 5, "{report:?}");
    let (vader_only, _) =
        StanceHead::train(&dense_only[train.clone()], 4, data.vocabulary, &options).unwrap();
    let a_words = accuracy(&with_words, &data, 4000..6000, true);
    let a_vader = accuracy(&vader_only, &data, 4000..6000, false);
    // Words carry what VADER misses on airline tweets (delays, bags, "thanks" in complaints).
    assert!(a_words > a_vader + 0.05, "{a_words} vs {a_vader}");
    assert!(a_vader > 0.5, "{a_vader}");
    let p = with_words
        .predict(&data.dense[4000], &data.sparse[4000])
        .unwrap();
    assert!((p.probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert!((p.compound - (p.probabilities[2] - p.probabilities[0])).abs() < 1e-15);
}

#[test]
fn training_is_identical_for_any_thread_count() {
    let data = airline(3000);
    let all = examples(&data, true);
    let train = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| StanceHead::train(&all, 4, data.vocabulary, &HeadOptions::default()))
            .unwrap()
            .0
    };
    let one = train(1);
    assert_eq!(one.to_json(), train(3).to_json());
    assert_eq!(one.to_json(), train(1).to_json());
}

#[test]
fn balanced_weights_raise_the_recall_of_the_rare_class() {
    let data = airline(5000);
    let all = examples(&data, false);
    let recall_positive = |weighting| {
        let options = HeadOptions {
            class_weighting: weighting,
            ..HeadOptions::default()
        };
        let (head, _) = StanceHead::train(&all, 4, 0, &options).unwrap();
        let positives: Vec<usize> = (0..5000).filter(|&i| data.labels[i] == 2).collect();
        let hits = positives
            .iter()
            .filter(|&&i| head.predict(&data.dense[i], &[]).unwrap().label == 2)
            .count();
        hits as f64 / positives.len() as f64
    };
    let (uniform, balanced) = (
        recall_positive(ClassWeighting::Uniform),
        recall_positive(ClassWeighting::Balanced),
    );
    assert!(balanced > uniform, "{balanced} vs {uniform}");
}

#[test]
fn head_files_round_trip_and_damaged_ones_are_refused() {
    let data = airline(1000);
    let (mut head, _) = StanceHead::train(
        &examples(&data, true),
        4,
        data.vocabulary,
        &HeadOptions::default(),
    )
    .unwrap();
    head.set_card("data", "airline tweets 1-1000");
    let json = head.to_json();
    let back = StanceHead::from_json(&json, "head.json").unwrap();
    assert_eq!(back.card()["data"], "airline tweets 1-1000");
    assert_eq!(back.options(), head.options());
    // serde_json parses floats to within one unit in the last place (without float_roundtrip).
    for i in 0..200 {
        let (a, b) = (
            head.predict(&data.dense[i], &data.sparse[i]).unwrap(),
            back.predict(&data.dense[i], &data.sparse[i]).unwrap(),
        );
        assert_eq!(a.label, b.label);
        assert!((a.compound - b.compound).abs() < 1e-12);
    }
    assert_eq!(
        StanceHead::from_json(&back.to_json(), "again").unwrap(),
        back
    );

    let error = |text: &str| {
        StanceHead::from_json(text, "head.json")
            .unwrap_err()
            .to_string()
    };
    assert!(error("").starts_with("head.json: not a stance head file"));
    assert!(error(&json[..json.len() / 2]).starts_with("head.json: not a stance head file"));
    assert!(error(&json.replace("\"version\": 2", "\"version\": 9")).contains("version 9"));
    // Version 1 files (before the linear block) are still read.
    assert!(StanceHead::from_json(&json.replace("\"version\": 2", "\"version\": 1"), "v1").is_ok());
    assert!(error(&json.replace("portevoix-stance-head", "other")).contains("format"));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut short = value.clone();
    short["bias"] = serde_json::json!([0.0, 0.0]);
    assert!(error(&short.to_string()).contains("3 biases"));
    let mut scale = value;
    scale["dense_scale"][0] = serde_json::json!(0.0);
    assert!(error(&scale.to_string()).contains("finite"));

    // Wrong inputs at prediction time are errors, not panics.
    assert!(head.predict(&[0.0; 3], &[]).is_err());
    assert!(head.predict(&[0.0; 4], &[(u32::MAX, 1.0)]).is_err());
}

#[test]
fn bad_training_input_is_an_error() {
    let dense = [0.5f32, 0.5];
    let ok = HeadExample {
        dense: &dense,
        sparse: &[],
        label: 1,
    };
    let train = |e: &[HeadExample<'_>], sparse_dimension| {
        StanceHead::train(e, 2, sparse_dimension, &HeadOptions::default())
    };
    assert!(train(&[], 0).is_err());
    assert!(train(&[HeadExample { label: 3, ..ok }], 0).is_err());
    assert!(
        train(
            &[HeadExample {
                dense: &[1.0],
                ..ok
            }],
            0
        )
        .is_err()
    );
    let nan = [f32::NAN, 0.0];
    assert!(train(&[HeadExample { dense: &nan, ..ok }], 0).is_err());
    assert!(
        train(
            &[HeadExample {
                sparse: &[(5, 1.0)],
                ..ok
            }],
            5
        )
        .is_err()
    );
    let negative = HeadOptions {
        dense_l2: -1.0,
        ..HeadOptions::default()
    };
    assert!(StanceHead::train(&[ok], 2, 0, &negative).is_err());
    // One class only still trains (the others get low probabilities).
    let (head, _) = train(&[ok, ok], 0).unwrap();
    assert_eq!(head.predict(&dense, &[]).unwrap().label_name(), "neutral");
}

#[test]
fn the_default_head_is_valid_and_documents_itself() {
    let head = StanceHead::default_english();
    assert_eq!(head.dense_dimension(), 384);
    // It reads the embedded English linear model's log-probabilities: the model it was trained
    // with, or EncoderStance refuses it.
    assert_eq!(head.sparse_dimension(), LINEAR_FEATURES);
    assert_eq!(
        head.linear_model(),
        Some(SentimentModel::english().card().weights_hash.as_str())
    );
    for key in [
        "data",
        "command",
        "encoder",
        "validation",
        "licence",
        "selection",
        "trained",
    ] {
        assert!(head.card().contains_key(key), "model card lacks {key}");
    }
}

/// Dense VADER scores, linear blocks and labels of the first airline tweets.
type WithLinear = (
    Vec<[f32; 4]>,
    Vec<[(u32, f32); LINEAR_FEATURES]>,
    Vec<usize>,
);

/// The airline tweets' VADER scores (dense) and the embedded linear model's log-probabilities
/// toward the airline (sparse, as the encoder engine's head reads them), first `n` rows.
fn airline_with_linear(n: usize) -> WithLinear {
    let data = airline(n);
    let texts = common::airline_column("text");
    let airlines = common::airline_column("airline");
    let model = SentimentModel::english();
    let sparse = texts
        .iter()
        .zip(&airlines)
        .take(n)
        .map(|((_, text), (_, airline))| {
            // The airlines' handles (as the sentiment protocol's `airline_target` names them).
            let handle = match airline.as_str() {
                "United" => "@united",
                "US Airways" => "@USAirways",
                "American" => "@AmericanAir",
                "Southwest" => "@SouthwestAir",
                "Delta" => "@Delta",
                "Virgin America" => "@VirginAmerica",
                other => panic!("airline {other}"),
            };
            let target = portevoix_text::sentiment::Target::new([handle]);
            linear_features(&model.predict_masked(text, &target.mentions(text)))
        })
        .collect();
    (data.dense, sparse, data.labels)
}

/// A small head on real features (VADER's scores, and the embedded linear model's log-probabilities
/// toward the airline as the encoder engine's head reads them), retrained: the same file, bit for
/// bit, on 1 and 2 threads and on a second run.
fn small_head() -> (StanceHead, String) {
    let (dense, sparse, labels) = airline_with_linear(1500);
    let examples: Vec<HeadExample<'_>> = (0..labels.len())
        .map(|i| HeadExample {
            dense: &dense[i],
            sparse: &sparse[i],
            label: labels[i],
        })
        .collect();
    let options = HeadOptions {
        dense_l2: 1e-2,
        sparse_l2: 1e-4,
        ..HeadOptions::default()
    };
    let train = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let (mut head, _) = pool
            .install(|| StanceHead::train(&examples, 4, LINEAR_FEATURES, &options))
            .unwrap();
        head.set_linear_model(SentimentModel::english().card().weights_hash.clone())
            .unwrap();
        head
    };
    let one = train(1);
    assert_eq!(one.to_json(), train(2).to_json());
    assert_eq!(one.to_json(), train(1).to_json());
    // The linear block carries the linear model's judgement: the head beats the majority class
    // (0.63) on the last 500 tweets, which it was trained on with the others, by a margin.
    let right = (1000..1500)
        .filter(|&i| one.predict(&dense[i], &sparse[i]).unwrap().label == labels[i])
        .count();
    assert!(right as f64 / 500.0 > 0.70, "{right} of 500");
    // A linear block is three wide.
    let (mut narrow, _) = StanceHead::train(&examples[..100], 4, 5, &options).unwrap();
    assert!(narrow.set_linear_model("x").is_err());
    let hash = format!(
        "{:016x}",
        xxhash_rust::xxh3::xxh3_64(one.to_json().as_bytes())
    );
    (one, hash)
}

#[test]
fn a_small_head_retrains_to_the_same_bytes_on_any_thread_count() {
    let (_, hash) = small_head();
    eprintln!("small head hash {hash}");
}

/// The small head's hash against the value pinned when the test was written: a change of the
/// optimiser, the standardisation, the loss or the file format shows here.
#[test]
fn a_small_head_retrains_to_its_pinned_hash() {
    let (_, hash) = small_head();
    assert_eq!(hash, SMALL_HEAD_HASH);
}

/// The xxh3 of the JSON of [`small_head`]'s head, pinned on 2026-12-08 (x86-64, `cargo test`):
/// re-pinned when the linear model's `predict` began summing the character n-grams word by word
/// (its log-probabilities, the head's linear block, moved by float rounding, under 5e-7).
const SMALL_HEAD_HASH: &str = "3036a877438613fa";

#[test]
fn missing_or_damaged_model_files_name_the_file() {
    let files = |config: &[u8], tokenizer: &[u8], weights: &[u8]| EncoderFiles {
        config: config.to_vec(),
        tokenizer: tokenizer.to_vec(),
        weights: weights.to_vec(),
        sentence_config: None,
    };
    let message = |f: EncoderFiles| SentenceEncoder::new(f).err().expect("an error").to_string();
    let config = br#"{"vocab_size": 10, "hidden_size": 4, "num_hidden_layers": 1, "num_attention_heads": 1,
        "intermediate_size": 8, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
        "max_position_embeddings": 16, "type_vocab_size": 2, "initializer_range": 0.02,
        "layer_norm_eps": 1e-12, "pad_token_id": 0, "classifier_dropout": null, "model_type": "bert"}"#;
    let tokenizer = br#"{"version": "1.0", "truncation": null, "padding": null, "added_tokens": [],
        "normalizer": null, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null,
        "decoder": null, "model": {"type": "WordLevel", "vocab": {"[UNK]": 0, "a": 1}, "unk_token": "[UNK]"}}"#;
    assert!(
        message(files(b"{", tokenizer, b"")).starts_with("config.json: not a BERT configuration")
    );
    assert!(message(files(config, b"[]", b"")).starts_with("tokenizer.json: not a tokenizer"));
    assert!(message(files(config, tokenizer, b"")).starts_with("model.safetensors:"));
    assert!(message(files(config, tokenizer, &[7u8; 100])).starts_with("model.safetensors:"));
    let mut with_sentence = files(config, tokenizer, b"");
    with_sentence.sentence_config = Some(br#"{"max_seq_length": "long"}"#.to_vec());
    assert!(message(with_sentence).contains("sentence_bert_config.json: max_seq_length"));
    // A missing required file is named; the optional one may be missing.
    let missing =
        EncoderFiles::read_with(|name| Ok((name != "tokenizer.json").then(|| b"x".to_vec())))
            .unwrap_err();
    assert!(matches!(&missing, EncoderError::Model { file, .. } if file == "tokenizer.json"));
    let optional = EncoderFiles::read_with(|name| {
        Ok((name != "sentence_bert_config.json").then(|| b"x".to_vec()))
    })
    .unwrap();
    assert!(optional.sentence_config.is_none());
}

/// The engine on real airline tweets (the model files from `PORTEVOIX_ENCODER_DIR`; skipped without
/// them unless `PORTEVOIX_REQUIRE_ENCODER=1`): it agrees with the annotators far above the majority
/// class, gives identical probabilities on 1 and 2 threads, and reads the brand's mentions.
#[test]
fn the_encoder_engine_on_airline_tweets_for_any_thread_count() {
    use portevoix_text::encoder::{EncoderStance, encoder_text};
    let Some(dir) = encoder_common::encoder_dir("the_encoder_engine_on_airline_tweets") else {
        return;
    };
    let engine = EncoderStance::english(encoder_common::read_files(&dir).unwrap()).unwrap();
    let texts = common::airline_column("text");
    let labels = common::airline_column("airline_sentiment");
    // Every 20th tweet: 439 tweets of all six airlines.
    let rows: Vec<usize> = (0..texts.len()).step_by(20).collect();
    let united = portevoix_text::sentiment::Target::new(["@united", "United Airlines"]);
    let brands: Vec<Vec<std::ops::Range<usize>>> =
        rows.iter().map(|&i| united.mentions(&texts[i].1)).collect();
    let items: Vec<(&str, &[std::ops::Range<usize>])> = rows
        .iter()
        .zip(&brands)
        .map(|(&i, b)| (texts[i].1.as_str(), b.as_slice()))
        .collect();
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| engine.predict_toward(&items))
            .unwrap()
    };
    let one = run(1);
    assert_eq!(one, run(2));
    let right = rows
        .iter()
        .zip(&one)
        .filter(|(i, p)| p.label().name() == labels[**i].1)
        .count();
    let accuracy = right as f64 / rows.len() as f64;
    eprintln!(
        "encoder engine accuracy {accuracy:.3} on {} airline tweets",
        rows.len()
    );
    // The majority class (negative) scores 0.63 on these tweets; the default head (the
    // full-pool run, written 2026-12-08) scores 0.749 (the 8,192-tweet head 0.720, the
    // 2,048-tweet head 0.663).
    assert!(accuracy > 0.72, "accuracy {accuracy}");
    for p in &one {
        assert!((p.negative + p.neutral + p.positive - 1.0).abs() < 1e-9);
    }
    // The encoder reads the brand as @user; the brand's name does not sway it.
    assert_eq!(
        encoder_text(
            "United Airlines lost my bag",
            std::slice::from_ref(&(0..15))
        ),
        "@user lost my bag"
    );
    // Empty and emoji-only texts are judged, not refused.
    let edge = engine.predict(&["", "😂😂😂", "   "]).unwrap();
    assert_eq!(edge.len(), 3);
}
