//! `portevoix sentiment train`: reads labelled files, trains the learned
//! sentiment model (library: `portevoix_text::sentiment::model::train`) and
//! writes the model file.

use portevoix_core::{Error, Timestamp};
use portevoix_text::sentiment::model::{
    ClassifierChoice, DataSource, FeatureConfig, FeatureLanguage, LabelledText, TrainOptions,
    ValidationSet, parse_csv, parse_semeval, parse_tweeteval, train,
};
use std::path::{Path, PathBuf};

/// Subcommands of `portevoix sentiment`.
#[derive(clap::Subcommand)]
pub enum SentimentCommand {
    /// Train a sentiment model from labelled texts and write the model file (with its model card).
    /// Example (the embedded English model):
    /// `portevoix sentiment train --lang en --format semeval --data ../shared/datasets/sentiment-train/semeval2017-en/train/*.tsv
    /// --valid ../shared/datasets/sentiment-train/tweeteval-en/val_text.txt --out crates/portevoix-text/models/sentiment-en.pvsm`
    Train(TrainArgs),
}

/// The formats of labelled files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LabelledFormatArg {
    /// SemEval-2017 Task 4A: `id<TAB>label<TAB>text`, literal \uXXXX escapes decoded.
    Semeval,
    /// TweetEval: `*_text.txt` (one text per line) beside `*_labels.txt` (0, 1, 2 per line).
    Tweeteval,
    /// CSV with a header: --text-col and --label-col name the columns (default `text`, `label`).
    Csv,
}

/// Which classifiers to train.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ClassifierArg {
    /// Multinomial logistic regression.
    Linear,
    /// fastText-style averaged embeddings.
    Fasttext,
    /// Both; keep the better on the first --valid set.
    Best,
}

/// The training languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TrainLang {
    /// English rules and lexicon.
    En,
    /// French rules and lexicon.
    Fr,
}

/// Arguments of `portevoix sentiment train`.
#[derive(clap::Args)]
pub struct TrainArgs {
    /// Language of the texts (negation rules, elision, VADER lexicon of the features).
    #[arg(long, value_enum)]
    pub lang: TrainLang,
    /// Labelled training files.
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    pub data: Vec<PathBuf>,
    /// Format of the --data files; guessed from each name when omitted (`.tsv` semeval,
    /// `*_text.txt` tweeteval, `.csv` csv).
    #[arg(long, value_enum, conflicts_with_all = ["text_col", "label_col"])]
    pub format: Option<LabelledFormatArg>,
    /// Format of the --valid files; guessed from each name when omitted.
    #[arg(long, value_enum)]
    pub valid_format: Option<LabelledFormatArg>,
    /// CSV: the text column (implies --format csv).
    #[arg(long, value_name = "COLUMN")]
    pub text_col: Option<String>,
    /// CSV: the label column (negative/neutral/positive or 0/1/2; implies --format csv).
    #[arg(long, value_name = "COLUMN")]
    pub label_col: Option<String>,
    /// Validation files (same format): never trained on (their texts are held out of --data), scored
    /// in the model card; the first one chooses between the classifiers.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub valid: Vec<PathBuf>,
    /// Classifiers to train.
    #[arg(long, value_enum, default_value = "best")]
    pub classifier: ClassifierArg,
    /// L2 penalty of the logistic regression (default: the cross-validated value).
    #[arg(long)]
    pub l2: Option<f64>,
    /// Seed of the calibration split and of fastText's order.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Licence of the training data, recorded in the model card.
    #[arg(long)]
    pub licence: Option<String>,
    /// The model file to write.
    #[arg(long, value_name = "MODEL")]
    pub out: PathBuf,
}

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Reads one labelled file in `format` (or the format its name says; for the
/// --data files, --text-col or --label-col imply csv).
fn read_labelled(
    path: &Path,
    format: Option<LabelledFormatArg>,
    columns_imply_csv: bool,
    args: &TrainArgs,
) -> Result<Vec<LabelledText>, Error> {
    let name = path.display().to_string();
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let columns = columns_imply_csv && (args.text_col.is_some() || args.label_col.is_some());
    let format = match format {
        Some(f) => f,
        None if columns => LabelledFormatArg::Csv,
        None if file_name.ends_with(".tsv") => LabelledFormatArg::Semeval,
        None if file_name.ends_with("_text.txt") => LabelledFormatArg::Tweeteval,
        None if file_name.ends_with(".csv") => LabelledFormatArg::Csv,
        _ => {
            return Err(Error::argument(
                "train",
                format!(
                    "{name}: cannot tell the format from the name; give --format semeval|tweeteval|csv"
                ),
            ));
        }
    };
    let bytes = read(path)?;
    match format {
        LabelledFormatArg::Semeval => parse_semeval(&bytes, &name),
        LabelledFormatArg::Csv => parse_csv(
            &bytes,
            &name,
            args.text_col.as_deref().unwrap_or("text"),
            args.label_col.as_deref().unwrap_or("label"),
        ),
        LabelledFormatArg::Tweeteval => {
            let labels = match file_name.strip_suffix("_text.txt") {
                Some(stem) => path.with_file_name(format!("{stem}_labels.txt")),
                None => {
                    return Err(Error::argument(
                        "train",
                        format!(
                            "{name}: a TweetEval text file is named *_text.txt, beside its *_labels.txt"
                        ),
                    ));
                }
            };
            parse_tweeteval(
                &bytes,
                &name,
                &read(&labels)?,
                &labels.display().to_string(),
            )
        }
    }
}

/// The day of training: `SOURCE_DATE_EPOCH` (reproducible builds) or now.
fn training_date() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    Timestamp::from_secs(secs)
        .to_iso8601()
        .chars()
        .take(10)
        .collect()
}

/// An argument as a POSIX shell reads it back: bare when it holds only safe
/// characters, else in single quotes.
fn shell_quote(arg: &str) -> String {
    let safe = !arg.is_empty()
        && arg
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-./=:,+@%".contains(&b));
    if safe {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

/// Runs `sentiment train` and returns the report to print.
pub fn run(args: &TrainArgs) -> Result<String, Error> {
    let language = match args.lang {
        TrainLang::En => FeatureLanguage::En,
        TrainLang::Fr => FeatureLanguage::Fr,
    };
    let mut examples = Vec::new();
    let mut sources = Vec::new();
    for path in &args.data {
        let rows = read_labelled(path, args.format, true, args)?;
        sources.push(DataSource {
            name: path.display().to_string(),
            rows: rows.len(),
        });
        examples.extend(rows);
    }
    let mut validation = Vec::new();
    for path in &args.valid {
        validation.push(ValidationSet {
            name: path.display().to_string(),
            texts: read_labelled(path, args.valid_format, false, args)?,
        });
    }
    let mut options = TrainOptions::new(FeatureConfig::for_language(language));
    options.classifiers = match args.classifier {
        ClassifierArg::Linear => ClassifierChoice::Linear,
        ClassifierArg::Fasttext => ClassifierChoice::FastText,
        ClassifierArg::Best => ClassifierChoice::Best,
    };
    if let Some(l2) = args.l2 {
        if !(l2.is_finite() && l2 > 0.0) {
            return Err(Error::argument(
                "train",
                format!("--l2 {l2}: want a positive number"),
            ));
        }
        options.linear.l2 = l2;
    }
    if let Some(seed) = args.seed {
        options.seed = seed;
        options.fasttext.seed = seed;
    }
    options.name = format!("porte-voix sentiment {}", language.code());
    options.licence = args
        .licence
        .clone()
        .unwrap_or_else(|| "as the training data's (not given: pass --licence)".into());
    options.date = training_date();
    // The program's own path varies between machines; the card names it `portevoix`, so that the
    // documented command reproduces the committed models byte for byte.
    options.command = std::iter::once("portevoix".to_string())
        .chain(std::env::args().skip(1).map(|a| shell_quote(&a)))
        .collect::<Vec<_>>()
        .join(" ");
    options.data = sources;
    let outcome = train(&examples, &validation, &options)?;
    let bytes = outcome.model.to_bytes();
    std::fs::write(&args.out, &bytes).map_err(|source| Error::Io {
        path: args.out.to_path_buf(),
        source,
    })?;
    let card = outcome.model.card();
    let mut out = format!(
        "trained on {} texts ({} held out as validation texts) in {:.1} s of features",
        card.training_examples, card.held_out, outcome.feature_seconds
    );
    for (name, secs) in &outcome.seconds {
        out.push_str(&format!(", {secs:.1} s {name}"));
    }
    out.push('\n');
    for v in &card.validation {
        out.push_str(&format!(
            "  {:20} {}: accuracy {:.4}, macro-recall {:.4}, macro-F1 {:.4}, ECE {:.4}\n",
            v.classifier,
            v.data,
            v.scores.accuracy,
            v.scores.macro_recall,
            v.scores.macro_f1,
            v.scores.ece
        ));
    }
    if let Some((before, after)) = card.calibration_ece {
        out.push_str(&format!(
            "  temperature {:.3} (calibration split ECE {before:.4} -> {after:.4})\n",
            card.temperature
        ));
    }
    out.push_str(&format!(
        "wrote {} ({} bytes, {}, weights {})\n",
        args.out.display(),
        bytes.len(),
        card.classifier,
        card.weights_hash
    ));
    Ok(out)
}
