//! The Rust sentence encoder against sentence-transformers on real tweets.
//!
//! `tests/golden/encoder_minilm.jsonl.gz` holds, for 290 texts (airline tweets, TweetEval validation
//! tweets, SemEval tweets and edge cases), the token ids and the vector that sentence-transformers
//! computed with all-MiniLM-L6-v2 (`tests/golden/make_encoder_golden.py` made it). The model files
//! come from `PORTEVOIX_ENCODER_DIR` (`scripts/fetch-encoder.sh DIR`); without them these tests are
//! skipped with a message, unless `PORTEVOIX_REQUIRE_ENCODER=1`.
#![cfg(feature = "encoder")]

#[path = "common/encoder.rs"]
mod encoder_common;

use encoder_common::load_encoder;
use std::io::BufRead;

struct Reference {
    source: String,
    text: String,
    ids: Vec<u32>,
    embedding: Vec<f32>,
}

fn references() -> Vec<Reference> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/encoder_minilm.jsonl.gz"
    );
    let file = std::fs::File::open(path).expect("golden file");
    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(file));
    let mut rows = Vec::new();
    for line in reader.lines().skip(1) {
        let v: serde_json::Value = serde_json::from_str(&line.expect("line")).expect("JSON");
        rows.push(Reference {
            source: v["source"].as_str().unwrap().to_string(),
            text: v["text"].as_str().unwrap().to_string(),
            ids: v["ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap() as u32)
                .collect(),
            embedding: v["embedding"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap() as f32)
                .collect(),
        });
    }
    assert_eq!(rows.len(), 290);
    rows
}

#[test]
fn token_ids_match_the_reference_tokenizer_exactly() {
    let Some(encoder) = load_encoder("token_ids_match_the_reference_tokenizer_exactly") else {
        return;
    };
    let refs = references();
    let texts: Vec<&str> = refs.iter().map(|r| r.text.as_str()).collect();
    let ids = encoder.tokenize(&texts).expect("tokens");
    for (r, ids) in refs.iter().zip(&ids) {
        assert_eq!(ids, &r.ids, "{} text {:?}", r.source, r.text);
    }
    // The long edge case is cut at max_seq_length, as sentence-transformers cuts it.
    assert_eq!(encoder.max_tokens(), 256);
    assert!(ids.iter().any(|t| t.len() == 256));
}

#[test]
fn embeddings_match_sentence_transformers_within_1e_4() {
    let Some(encoder) = load_encoder("embeddings_match_sentence_transformers_within_1e_4") else {
        return;
    };
    let refs = references();
    let texts: Vec<&str> = refs.iter().map(|r| r.text.as_str()).collect();
    let vectors = encoder.embed(&texts).expect("embeddings");
    assert_eq!(vectors.len(), refs.len());
    assert_eq!(vectors.dimension(), 384);
    let mut worst = (0f32, 0usize);
    for (i, r) in refs.iter().enumerate() {
        let row = vectors.row(i);
        let norm: f32 = row.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!(
            (norm - 1.0).abs() < 1e-5,
            "{} {:?}: norm {norm}",
            r.source,
            r.text
        );
        let diff = row
            .iter()
            .zip(&r.embedding)
            .map(|(a, b)| (a - b).abs())
            .fold(0f32, f32::max);
        if diff > worst.0 {
            worst = (diff, i);
        }
    }
    eprintln!(
        "largest coordinate difference {:.2e} on {:?}",
        worst.0, refs[worst.1].text
    );
    assert!(
        worst.0 < 1e-4,
        "largest difference {} on {:?}",
        worst.0,
        refs[worst.1].text
    );
    // Cosines to the reference: the geometry is the model's, not merely close coordinates.
    for (i, r) in refs.iter().enumerate() {
        let cosine: f32 = vectors
            .row(i)
            .iter()
            .zip(&r.embedding)
            .map(|(a, b)| a * b)
            .sum();
        assert!(cosine > 0.99999, "{:?}: cosine {cosine}", r.text);
    }
}

#[test]
fn batch_size_changes_vectors_only_by_rounding() {
    let Some(encoder) = load_encoder("batch_size_changes_vectors_only_by_rounding") else {
        return;
    };
    let refs = references();
    let texts: Vec<&str> = refs.iter().take(80).map(|r| r.text.as_str()).collect();
    let one = encoder.embed_with(&texts, 1).expect("batch 1");
    let many = encoder.embed_with(&texts, 64).expect("batch 64");
    let again = encoder.embed_with(&texts, 64).expect("batch 64 again");
    assert_eq!(many, again, "same input and batch size, same bits");
    let diff = one
        .as_slice()
        .iter()
        .zip(many.as_slice())
        .map(|(a, b)| (a - b).abs())
        .fold(0f32, f32::max);
    assert!(diff < 1e-5, "batch 1 vs 64: {diff}");
    assert!(encoder.embed_with(&texts, 0).is_err());
    assert!(encoder.embed::<&str>(&[]).expect("no text").is_empty());
}

#[test]
fn similar_complaints_are_closer_than_praise() {
    let Some(encoder) = load_encoder("similar_complaints_are_closer_than_praise") else {
        return;
    };
    let v = encoder
        .embed(&[
            "@united lost my luggage again, worst airline",
            "my bag never arrived, thanks for nothing @united",
            "great crew and a smooth flight, thank you @united",
        ])
        .expect("embeddings");
    let cos =
        |a: usize, b: usize| -> f32 { v.row(a).iter().zip(v.row(b)).map(|(x, y)| x * y).sum() };
    assert!(cos(0, 1) > cos(0, 2), "{} vs {}", cos(0, 1), cos(0, 2));
}
