//! `portevoix analyze` (topic relevance per account) and `portevoix sentiment`
//! (the learned model or VADER, per post or per line of standard input;
//! `sentiment train` in `text/train.rs`).

mod train;

use crate::input::InputArgs;
use portevoix_core::{Error, Timestamp};
use portevoix_report::relevance::{AnalyzeTimings, relevance_report};
use portevoix_report::sentiment::{ScoredPost, TargetScore, polarity_label};
use portevoix_text::analysis::{Analyzer, Language, detect_language};
use portevoix_text::corpus::{Corpus, CorpusOptions, RelevanceOptions};
use portevoix_text::sentiment::model::{Prediction, SentimentModel};
use portevoix_text::sentiment::{SentimentScores, Target, Vader};
use portevoix_text::topic::Topic;
use rayon::prelude::*;
use std::io::{BufRead, BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `portevoix analyze`.
#[derive(clap::Args)]
pub struct AnalyzeArgs {
    /// The topic file (TOML; see examples/topic-airline-luggage.toml and docs/topic-format.md).
    #[arg(long, value_name = "TOPIC.toml")]
    pub topic: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    /// Only posts from this time on (ISO 8601 or Unix seconds).
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Only posts before this time (ISO 8601 or Unix seconds).
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
    /// Count reposts as the re-poster's own text.
    #[arg(long)]
    pub include_reposts: bool,
    /// BM25 term-frequency saturation.
    #[arg(long, default_value_t = 1.2)]
    pub k1: f64,
    /// BM25 length normalisation.
    #[arg(long, default_value_t = 0.75)]
    pub b: f64,
    /// Number of accounts listed.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// On-topic posts shown per account.
    #[arg(long, default_value_t = 3)]
    pub evidence: usize,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

fn parse_time(flag: &str, text: &str) -> Result<Timestamp, Error> {
    Timestamp::parse(text).ok_or_else(|| {
        Error::argument(format!("--{flag}"), format!(
            "--{flag} {text:?}: not a time (use ISO 8601, e.g. 2015-02-20T00:00, or Unix seconds)"
        ))
    })
}

/// Runs `analyze` and writes its report (table or JSON).
pub fn analyze(args: &AnalyzeArgs) -> Result<(), Error> {
    let topic_text = std::fs::read_to_string(&args.topic).map_err(|source| Error::Io {
        path: args.topic.clone(),
        source,
    })?;
    let topic = Topic::from_toml_str(&topic_text, &args.topic.display().to_string())?;
    let window = match (&args.from, &args.to) {
        (None, None) => None,
        (from, to) => Some((
            from.as_deref()
                .map(|t| parse_time("from", t))
                .transpose()?
                .unwrap_or(Timestamp(i64::MIN)),
            to.as_deref()
                .map(|t| parse_time("to", t))
                .transpose()?
                .unwrap_or(Timestamp(i64::MAX)),
        )),
    };
    let options = RelevanceOptions {
        k1: args.k1,
        b: args.b,
        window,
        evidence_posts: args.evidence,
        ..RelevanceOptions::default()
    };
    let start = Instant::now();
    let mut dataset = args.input.load(|_, _| {})?;
    let loaded = start.elapsed();
    if dataset.posts.is_empty() && dataset.accounts.iter().all(|a| a.bio.is_none()) {
        return Err(Error::argument(
            "INPUT",
            "the inputs hold no posts and no bios: analyze needs text (Twitter API v2, Mastodon, posts CSV or canonical posts)",
        ));
    }
    let analyzer = Analyzer::standard();
    let corpus = Corpus::build(
        &dataset.posts,
        &dataset.accounts,
        &analyzer,
        &CorpusOptions {
            include_reposts: args.include_reposts,
        },
    );
    let indexed = start.elapsed();
    let relevance = corpus.relevance(&topic, &options)?;
    let done = start.elapsed();
    let timings = AnalyzeTimings {
        load: loaded.as_secs_f64() * 1e3,
        index: (indexed - loaded).as_secs_f64() * 1e3,
        relevance: (done - indexed).as_secs_f64() * 1e3,
    };
    if args.input.redact_text {
        // Analysed: the texts are not needed any more.
        portevoix_ingest::privacy::drop_texts(&mut dataset);
    }
    let mut report = relevance_report(&dataset, &corpus, &relevance, args.top, timings);
    if args.input.redact_text {
        portevoix_report::privacy::redact_relevance(&mut report);
    }
    crate::emit(
        &report,
        args.json,
        portevoix_report::relevance::render_table,
    )
}

/// Which lexicon scores a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LangChoice {
    /// VADER's English lexicon.
    En,
    /// The French VADER lexicon.
    Fr,
    /// Detect each text's language (English or French); English when unsure.
    Auto,
}

/// Which scorer `sentiment` uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    /// The learned model (English or French, embedded; or --model FILE): calibrated probabilities.
    Model,
    /// VADER (the lexicon of vaderSentiment 3.3.2, or vaderSentiment-fr): neg, neu, pos, compound.
    Vader,
    /// The all-MiniLM-L6-v2 sentence encoder of --encoder DIR with its stance head over the learned
    /// model's judgement (English; builds with the cargo feature `encoder`): the model's output.
    Encoder,
}

impl Engine {
    /// The name on the command line.
    fn name(self) -> &'static str {
        match self {
            Engine::Model => "model",
            Engine::Vader => "vader",
            Engine::Encoder => "encoder",
        }
    }
}

/// Arguments of `portevoix sentiment`.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SentimentArgs {
    /// Train a model (see `portevoix sentiment train --help`).
    #[command(subcommand)]
    pub command: Option<train::SentimentCommand>,
    /// Scorer: the learned model (the default; label and class probabilities), VADER, or the
    /// sentence encoder (with --encoder DIR, which alone implies it).
    #[arg(long, value_enum)]
    pub engine: Option<Engine>,
    /// A model file written by `portevoix sentiment train`, used for every text (instead of the
    /// embedded English and French models).
    #[arg(long, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Language: en, fr, or auto (per text: French when detected as French, English otherwise).
    /// With data files, auto trusts a post's declared language first.
    #[arg(long, value_enum, default_value = "auto")]
    pub lang: LangChoice,
    /// The brand or person to score sentiment toward: comma-separated aliases
    /// (@handles, names, keywords), e.g. "@united,united airlines".
    #[arg(long, value_name = "ALIASES")]
    pub target: Option<String>,
    /// Print JSON Lines (one object per post) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Posts shown in the table.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Print only the summary (counts, mean compound, scoring time); as JSON with --json.
    #[arg(long)]
    pub summary: bool,
    /// `-` alone reads one text per line from standard input and writes one JSON object per line,
    /// in the same order: {"label","negative","neutral","positive","compound"} with the model,
    /// {"neg","neu","pos","compound"} with VADER. Otherwise data files with posts.
    #[command(flatten)]
    pub input: InputArgs,
    /// With --engine encoder (implied): the all-MiniLM-L6-v2 model directory
    /// (scripts/fetch-encoder.sh DIR). English, standard input only (`-`): one
    /// {"label","negative","neutral","positive","compound"} object per line, as the model's.
    #[arg(long, value_name = "DIR")]
    pub encoder: Option<std::path::PathBuf>,
}

impl SentimentArgs {
    /// The engine asked for: `--engine`, else the encoder when `--encoder DIR` is given, else the
    /// model.
    ///
    /// # Errors
    /// [`Error::Argument`] for `--encoder DIR` with `--engine model|vader`, for `--engine encoder`
    /// without `--encoder DIR`, and for the encoder in a build without the `encoder` feature.
    pub fn chosen_engine(&self) -> Result<Engine, Error> {
        let engine = match (self.engine, &self.encoder) {
            (Some(Engine::Encoder), _) | (None, Some(_)) => Engine::Encoder,
            (Some(e), Some(_)) => {
                return Err(Error::argument(
                    "--encoder",
                    format!(
                        "--encoder DIR goes with --engine encoder, not --engine {}",
                        e.name()
                    ),
                ));
            }
            (Some(e), None) => e,
            (None, None) => Engine::Model,
        };
        if engine == Engine::Encoder {
            if !cfg!(feature = "encoder") {
                return Err(Error::argument(
                    "--engine",
                    "--engine encoder needs a portevoix built with the cargo feature `encoder` (cargo build --release -p portevoix-cli --features encoder); this build has no sentence encoder",
                ));
            }
            if self.encoder.is_none() {
                return Err(Error::argument(
                    "--encoder",
                    "--engine encoder needs --encoder DIR, the all-MiniLM-L6-v2 model directory (scripts/fetch-encoder.sh DIR fetches it)",
                ));
            }
        }
        Ok(engine)
    }
}

/// The two lexicons ([`Vader::english`] and [`Vader::french`] build each once
/// per process; these are cheap handles), and the model given with `--model`.
struct Lexicons {
    en: Vader,
    fr: Vader,
    custom: Option<SentimentModel>,
}

impl Lexicons {
    fn get() -> Lexicons {
        Lexicons {
            en: Vader::english(),
            fr: Vader::french(),
            custom: None,
        }
    }

    /// The lexicons, and the model of `--model` if given (read and checked now,
    /// so that a wrong file fails before any output).
    fn load(args: &SentimentArgs) -> Result<Lexicons, Error> {
        let mut l = Lexicons::get();
        if let Some(path) = &args.model {
            let bytes = std::fs::read(path).map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            })?;
            l.custom = Some(SentimentModel::from_bytes(
                &bytes,
                &path.display().to_string(),
            )?);
        }
        Ok(l)
    }

    /// The model for a text scored with `vader`'s language (the `--model` file when given).
    fn model(&self, lang: &str) -> &SentimentModel {
        match (&self.custom, lang) {
            (Some(m), _) => m,
            (None, "fr") => SentimentModel::french(),
            (None, _) => SentimentModel::english(),
        }
    }

    /// The lexicon for a text: forced, declared, or detected among English and French.
    fn pick(
        &self,
        choice: LangChoice,
        declared: Option<Language>,
        text: &str,
    ) -> (&Vader, &'static str) {
        let french = match choice {
            LangChoice::En => false,
            LangChoice::Fr => true,
            LangChoice::Auto => match declared {
                Some(Language::French) => true,
                Some(Language::English) => false,
                _ => detect_language(text, &[Language::English, Language::French])
                    .is_some_and(|g| g.language == Language::French),
            },
        };
        if french {
            (&self.fr, "fr")
        } else {
            (&self.en, "en")
        }
    }
}

fn scores_json(s: &SentimentScores) -> String {
    // Field order and names are the contract: neg, neu, pos, compound.
    format!(
        "{{\"neg\":{},\"neu\":{},\"pos\":{},\"compound\":{}}}",
        json_number(s.neg),
        json_number(s.neu),
        json_number(s.pos),
        json_number(s.compound)
    )
}

pub(crate) fn prediction_json(p: &Prediction) -> String {
    // Field order and names are the contract: label, negative, neutral, positive, compound.
    format!(
        "{{\"label\":\"{}\",\"negative\":{},\"neutral\":{},\"positive\":{},\"compound\":{}}}",
        p.label().name(),
        json_number(p.negative),
        json_number(p.neutral),
        json_number(p.positive),
        json_number(p.compound())
    )
}

/// A finite f64 as JSON (VADER never yields NaN; guard anyway so the output stays valid JSON).
fn json_number(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        "0".into()
    }
}

/// Standard-input mode: one text per line in, one JSON object per line out, same order.
/// Lines are read as bytes, invalid UTF-8 replaced, a trailing `\r` dropped, so every
/// input line gets exactly one output line.
fn sentiment_lines(args: &SentimentArgs, engine: Engine) -> Result<(), Error> {
    let lexicons = Lexicons::load(args)?;
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let io_err = |source: std::io::Error| Error::Io {
        path: "standard input".into(),
        source,
    };
    const BATCH: usize = 4096;
    let mut lines: Vec<String> = Vec::with_capacity(BATCH);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = input.read_until(b'\n', &mut buf).map_err(io_err)?;
        if n > 0 {
            if buf.last() == Some(&b'\n') {
                buf.pop();
            }
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            lines.push(String::from_utf8_lossy(&buf).into_owned());
        }
        if lines.len() == BATCH || (n == 0 && !lines.is_empty()) {
            let scored: Vec<String> = lines
                .par_iter()
                .map(|t| {
                    let (vader, lang) = lexicons.pick(args.lang, None, t);
                    match engine {
                        Engine::Vader => scores_json(&vader.polarity_scores(t)),
                        // The encoder has its own path (`crate::encoder`).
                        Engine::Model | Engine::Encoder => {
                            prediction_json(&lexicons.model(lang).predict(t))
                        }
                    }
                })
                .collect();
            for s in &scored {
                let written = out
                    .write_all(s.as_bytes())
                    .and_then(|_| out.write_all(b"\n"));
                if let Err(e) = written {
                    if e.kind() == std::io::ErrorKind::BrokenPipe {
                        return Ok(());
                    }
                    return Err(Error::Io {
                        path: "standard output".into(),
                        source: e,
                    });
                }
            }
            lines.clear();
        }
        if n == 0 {
            break;
        }
    }
    match out.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Io {
            path: "standard output".into(),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// Runs `sentiment`: on standard input lines, writes directly and returns
/// `None`; on data files, returns the text to print.
pub fn sentiment(args: &SentimentArgs) -> Result<Option<String>, Error> {
    if let Some(train::SentimentCommand::Train(train)) = &args.command {
        return train::run(train).map(Some);
    }
    let engine = args.chosen_engine()?;
    #[cfg(feature = "encoder")]
    if let (Engine::Encoder, Some(dir)) = (engine, &args.encoder) {
        return crate::encoder::sentiment(args, dir).map(|()| None);
    }
    let stdin_lines = args.input.inputs.len() == 1
        && args.input.inputs[0].as_os_str() == "-"
        && args.input.format.is_none();
    if stdin_lines {
        return sentiment_lines(args, engine).map(|()| None);
    }
    let dataset = args.input.load(|_, _| {})?;
    if dataset.posts.is_empty() {
        return Err(Error::argument(
            "INPUT",
            "the inputs hold no posts (for one text per line, pass `-` alone and pipe the texts in)",
        ));
    }
    let target = match &args.target {
        Some(aliases) => {
            let aliases: Vec<String> = aliases
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(|a| args.input.user_reference(a))
                .collect::<Result<_, _>>()?;
            if aliases.is_empty() {
                return Err(Error::argument("--target", "--target names no alias"));
            }
            Some(Target::new(&aliases))
        }
        None => None,
    };
    let lexicons = Lexicons::load(args)?;
    if engine == Engine::Model && lexicons.custom.is_none() {
        // Read the embedded models before the clock: `scoring_ms` is the scoring alone.
        let _ = (SentimentModel::english(), SentimentModel::french());
    }
    // Start the thread pool before the clock: `scoring_ms` is the scoring alone.
    rayon::broadcast(|_| ());
    let start = Instant::now();
    let mut posts: Vec<ScoredPost> = dataset
        .posts
        .par_iter()
        .map(|post| {
            let declared = post.language.as_deref().and_then(Language::from_code);
            let (vader, lang) = lexicons.pick(args.lang, declared, &post.text);
            let (s, polarity, target) = match engine {
                Engine::Vader => {
                    let s = vader.polarity_scores(&post.text);
                    let target = target.as_ref().and_then(|t| {
                        vader.target_sentiment(&post.text, t).map(|ts| TargetScore {
                            compound: ts.scores.compound,
                            mentions: ts.mentions,
                        })
                    });
                    (s, polarity_label(s.compound), target)
                }
                // The encoder reads standard input only (`crate::encoder`).
                Engine::Model | Engine::Encoder => {
                    // neg, neu, pos carry the model's class probabilities.
                    let model = lexicons.model(lang);
                    let p = model.predict(&post.text);
                    let target = target.as_ref().and_then(|t| {
                        model.predict_toward(&post.text, t).map(|q| TargetScore {
                            compound: q.compound(),
                            mentions: t.mentions(&post.text).len(),
                        })
                    });
                    let s = SentimentScores {
                        neg: p.negative,
                        neu: p.neutral,
                        pos: p.positive,
                        compound: p.compound(),
                    };
                    (s, p.label().name(), target)
                }
            };
            let author = match dataset.handle(post.author) {
                Some(h) => format!("@{h}"),
                None => dataset
                    .interner
                    .try_name(post.author)
                    .map_or_else(|| post.author.0.to_string(), |n| n.to_string()),
            };
            ScoredPost {
                id: post.id.clone(),
                author,
                lang: lang.to_string(),
                neg: s.neg,
                neu: s.neu,
                pos: s.pos,
                compound: s.compound,
                polarity,
                target,
                text: post.text.clone(),
            }
        })
        .collect();
    let scoring_ms = start.elapsed().as_secs_f64() * 1e3;
    drop(dataset);
    if args.input.redact_text {
        portevoix_report::privacy::redact_sentiment(&mut posts);
    }
    let summary = portevoix_report::sentiment::summarize(&posts, scoring_ms);
    if args.summary {
        crate::emit(&summary, args.json, |s| {
            portevoix_report::sentiment::render_table(s, &posts, 0)
        })?;
        return Ok(None);
    }
    if args.json {
        let mut out = String::new();
        for p in &posts {
            let line = serde_json::to_string(p)
                .map_err(|e| portevoix_core::Error::output("JSON", e.to_string()))?;
            out.push_str(&line);
            out.push('\n');
        }
        return Ok(Some(out));
    }
    Ok(Some(portevoix_report::sentiment::render_table(
        &summary, &posts, args.limit,
    )))
}
