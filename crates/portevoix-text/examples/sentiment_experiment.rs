//! Development harness of the learned sentiment model: trains the logistic
//! regression on the SemEval pool (TweetEval validation held out) or DEFT
//! 2017 (`LANG_MODEL=fr`) and reports validation, airline and fr-media
//! numbers; with `CV=k`, k-fold cross-validation on the training set only,
//! which is how the hyperparameters were chosen
//! (docs/sentiment-evaluation.md). Hyperparameters from environment
//! variables (L2, BITS, CHARMIN, CHARMAX, NEG, BIGRAMS, CHARW, DENSEW,
//! BALANCED); `TIMING=1` times the parts of feature extraction.
//!
//! ```text
//! CV=3 L2=3e-5 cargo run --release -p portevoix-text --example sentiment_experiment
//! ```

use portevoix_text::sentiment::Target;
use portevoix_text::sentiment::model::*;
use rayon::prelude::*;
use std::collections::HashSet;
use std::time::Instant;

/// A named evaluation set with the brand ranges of each text.
type EvalSet = (String, Vec<LabelledText>, Vec<Vec<std::ops::Range<usize>>>);

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn airline_target(airline: &str) -> Target {
    Target::new(match airline {
        "United" => vec!["@united", "United Airlines"],
        "US Airways" => vec!["@USAirways", "US Airways"],
        "American" => vec!["@AmericanAir", "American Airlines"],
        "Southwest" => vec!["@SouthwestAir", "Southwest Airlines"],
        "Delta" => vec!["@Delta", "@DeltaAssist", "Delta Airlines"],
        "Virgin America" => vec!["@VirginAmerica", "Virgin America"],
        other => vec![other],
    })
}

fn main() {
    let root = std::env::var("PORTEVOIX_DATASETS").unwrap_or("/work/shared/datasets".into());
    let lang = env("LANG_MODEL", "en".to_string());
    let language = FeatureLanguage::from_code(&lang).unwrap();
    let mut config = FeatureConfig::for_language(language);
    config.hash_bits = env("BITS", config.hash_bits);
    config.char_min = env("CHARMIN", config.char_min);
    config.char_max = env("CHARMAX", config.char_max);
    config.negation = env("NEG", 1u8) == 1;
    config.bigrams = env("BIGRAMS", 1u8) == 1;
    config.char_weight = env("CHARW", config.char_weight);
    config.dense_weight = env("DENSEW", config.dense_weight);
    let options = LinearOptions {
        l2: env("L2", 1e-4),
        ..LinearOptions::default()
    };
    let fx = FeatureExtractor::new(config.clone()).unwrap();
    let read = |p: &str| std::fs::read(format!("{root}/{p}")).unwrap();
    let (train, evals): (Vec<LabelledText>, Vec<EvalSet>) = if language == FeatureLanguage::En {
        let val = parse_tweeteval(
            &read("sentiment-train/tweeteval-en/val_text.txt"),
            "val",
            &read("sentiment-train/tweeteval-en/val_labels.txt"),
            "vl",
        )
        .unwrap();
        let keys: HashSet<String> = val.iter().map(|v| match_key(&v.text)).collect();
        let mut train = Vec::new();
        let dir = format!("{root}/sentiment-train/semeval2017-en/train");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let mut held = 0;
        for f in files {
            for t in parse_semeval(&std::fs::read(&f).unwrap(), &f.display().to_string()).unwrap() {
                if keys.contains(&match_key(&t.text)) {
                    held += 1;
                } else {
                    train.push(t);
                }
            }
        }
        eprintln!("train {} (held out {held}), val {}", train.len(), val.len());
        let mut airline = Vec::new();
        let mut ranges = Vec::new();
        let bytes = read("airline-sentiment/tweets.csv");
        let mut rdr = csv::Reader::from_reader(bytes.as_slice());
        let h = rdr.headers().unwrap().clone();
        let col = |n: &str| h.iter().position(|x| x == n).unwrap();
        let (ct, cl, ca) = (col("text"), col("airline_sentiment"), col("airline"));
        for r in rdr.records() {
            let r = r.unwrap();
            let text = r[ct].to_string();
            ranges.push(airline_target(&r[ca]).mentions(&text));
            airline.push(LabelledText {
                text,
                class: Class::parse(&r[cl]).unwrap(),
                location: Default::default(),
            });
        }
        let nv = val.len();
        (
            train,
            vec![
                ("tweeteval-val".into(), val, vec![vec![]; nv]),
                ("airline".into(), airline.clone(), ranges),
                (
                    "airline-nomask".into(),
                    airline.clone(),
                    vec![vec![]; airline.len()],
                ),
            ],
        )
    } else {
        let train = parse_tweeteval(
            &read("sentiment-train/deft2017-fr/train_text.txt"),
            "t",
            &read("sentiment-train/deft2017-fr/train_labels.txt"),
            "l",
        )
        .unwrap();
        let val = parse_tweeteval(
            &read("sentiment-train/deft2017-fr/val_text.txt"),
            "v",
            &read("sentiment-train/deft2017-fr/val_labels.txt"),
            "l",
        )
        .unwrap();
        let tsv =
            std::fs::read_to_string("crates/portevoix-text/tests/data/fr_labelled.tsv").unwrap();
        let mut media = Vec::new();
        for line in tsv.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let mut f = line.splitn(3, '\t');
            let (_, l, t) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap());
            media.push(LabelledText {
                text: t.to_string(),
                class: Class::parse(l).unwrap(),
                location: Default::default(),
            });
        }
        let (nv, nm) = (val.len(), media.len());
        (
            train,
            vec![
                ("deft-val".into(), val, vec![vec![]; nv]),
                ("fr-media".into(), media, vec![vec![]; nm]),
            ],
        )
    };
    if env("TIMING", 0u8) == 1 {
        let texts: Vec<&str> = evals[1].1.iter().map(|t| t.text.as_str()).collect();
        let bytes: usize = texts.iter().map(|t| t.len()).sum();
        let model = SentimentModel::english();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        pool.install(|| {
            for round in 0..3 {
                let t = Instant::now();
                let feats: Vec<SparseFeatures> = texts.iter().map(|t| fx.extract(t, &[])).collect();
                let te = t.elapsed().as_secs_f64();
                let t = Instant::now();
                let mut s = 0.0;
                for f in &feats { s += model.logits(f)[0]; }
                let tl = t.elapsed().as_secs_f64();
                let t = Instant::now();
                let v = portevoix_text::sentiment::Vader::english();
                for x in &texts { s += v.polarity_scores(x).compound; }
                let tv = t.elapsed().as_secs_f64();
                let t = Instant::now();
                let mut toks = Vec::new();
                for x in &texts { toks.clear(); portevoix_text::analysis::Tokenizer::tokenize(&portevoix_text::analysis::SocialTokenizer::new(), x, &mut toks); }
                let tt = t.elapsed().as_secs_f64();
                println!("round {round}: extract {:.1} MB/s ({:.2} µs), logits {:.2} µs, vader {:.2} µs, tokenize {:.2} µs, nnz {:.0} {s}", bytes as f64 / te / 1e6, te * 1e6 / texts.len() as f64, tl * 1e6 / texts.len() as f64, tv * 1e6 / texts.len() as f64, tt * 1e6 / texts.len() as f64, feats.iter().map(|f| f.len()).sum::<usize>() as f64 / feats.len() as f64);
            }
        });
        return;
    }
    let t0 = Instant::now();
    let rows: Vec<SparseFeatures> = train.par_iter().map(|t| fx.extract(&t.text, &[])).collect();
    let t_feat = t0.elapsed();
    let classes: Vec<Class> = train.iter().map(|t| t.class).collect();
    let counts = [0, 1, 2].map(|c| classes.iter().filter(|k| k.index() == c).count() as f64);
    let balanced = env("BALANCED", 1u8) == 1;
    let weights: Vec<f64> = classes
        .iter()
        .map(|c| {
            if balanced {
                classes.len() as f64 / (3.0 * counts[c.index()])
            } else {
                1.0
            }
        })
        .collect();
    let design = Design::new(config.dimension(), &rows, &classes, &weights, None).unwrap();
    let folds: usize = env("CV", 0);
    if folds > 1 {
        // k-fold cross-validation on the training set only (deterministic interleaved folds
        // after a fixed shuffle).
        let mut order: Vec<usize> = (0..design.rows()).collect();
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for i in (1..order.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            order.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let mut recalls = Vec::new();
        let mut f1s = Vec::new();
        for k in 0..folds {
            let test: Vec<usize> = order
                .iter()
                .enumerate()
                .filter(|(p, _)| p % folds == k)
                .map(|(_, &i)| i)
                .collect();
            let fit: Vec<usize> = order
                .iter()
                .enumerate()
                .filter(|(p, _)| p % folds != k)
                .map(|(_, &i)| i)
                .collect();
            let (m, _) = LinearModel::train(&design.subset(&fit), &options);
            let p: Vec<usize> = test
                .iter()
                .map(|&i| {
                    let z = m.logits(&rows[i]);
                    (0..3).max_by(|&a, &b| z[a].total_cmp(&z[b])).unwrap()
                })
                .collect();
            let g: Vec<usize> = test.iter().map(|&i| classes[i].index()).collect();
            let s = score(&p, &g, None);
            recalls.push(s.macro_recall);
            f1s.push(s.macro_f1);
        }
        println!(
            "CV{folds} macroR {:.4} macroF1 {:.4}",
            recalls.iter().sum::<f64>() / folds as f64,
            f1s.iter().sum::<f64>() / folds as f64
        );
        return;
    }
    let t1 = Instant::now();
    let (model, report) = LinearModel::train(&design, &options);
    eprintln!(
        "features {:.2}s, train {:.2}s {:?}, nnz/row {:.0}",
        t_feat.as_secs_f64(),
        t1.elapsed().as_secs_f64(),
        report,
        rows.iter().map(|r| r.len()).sum::<usize>() as f64 / rows.len() as f64
    );
    for (name, data, ranges) in &evals {
        let preds: Vec<(usize, f64)> = data
            .par_iter()
            .zip(ranges)
            .map(|(t, r)| {
                let z = model.logits(&fx.extract(&t.text, r));
                let m = z[0].max(z[1]).max(z[2]);
                let e: Vec<f64> = z.iter().map(|v| (v - m).exp()).collect();
                let s: f64 = e.iter().sum();
                let best = (0..3).max_by(|&a, &b| z[a].total_cmp(&z[b])).unwrap();
                (best, e[best] / s)
            })
            .collect();
        let p: Vec<usize> = preds.iter().map(|x| x.0).collect();
        let c: Vec<f64> = preds.iter().map(|x| x.1).collect();
        let g: Vec<usize> = data.iter().map(|t| t.class.index()).collect();
        let s = score(&p, &g, Some(&c));
        println!(
            "{name:16} acc {:.4} macroR {:.4} macroF1 {:.4} ece {:.4}",
            s.accuracy, s.macro_recall, s.macro_f1, s.ece
        );
    }
}
