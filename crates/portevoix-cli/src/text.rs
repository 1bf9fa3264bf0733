//! `portevoix analyze` (topic relevance per account) and `portevoix sentiment`
//! (VADER per post, or per line of standard input).

use crate::input::InputArgs;
use portevoix_core::{Error, Timestamp};
use portevoix_report::relevance::{AnalyzeTimings, relevance_report};
use portevoix_report::sentiment::{ScoredPost, TargetScore, polarity_label};
use portevoix_text::analysis::{Analyzer, Language, detect_language};
use portevoix_text::corpus::{Corpus, CorpusOptions, RelevanceOptions};
use portevoix_text::sentiment::{Target, Vader};
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
    let dataset = args.input.load(|_, _| {})?;
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
    let report = relevance_report(&dataset, &corpus, &relevance, args.top, timings);
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

/// Arguments of `portevoix sentiment`.
#[derive(clap::Args)]
pub struct SentimentArgs {
    /// Lexicon: en, fr, or auto (per text: French when detected as French, English otherwise).
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
    /// `-` alone reads one text per line from standard input and writes one JSON object per line
    /// ({"neg","neu","pos","compound"}), in the same order. Otherwise data files with posts.
    #[command(flatten)]
    pub input: InputArgs,
}

/// The two lexicons ([`Vader::english`] and [`Vader::french`] build each once
/// per process; these are cheap handles).
struct Lexicons {
    en: Vader,
    fr: Vader,
}

impl Lexicons {
    fn get() -> Lexicons {
        Lexicons {
            en: Vader::english(),
            fr: Vader::french(),
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

/// Standard-input mode: one text per line in, one JSON object per line out, same order.
/// Lines are read as bytes, invalid UTF-8 replaced, a trailing `\r` dropped, so every
/// input line gets exactly one output line.
fn sentiment_lines(args: &SentimentArgs) -> Result<(), Error> {
    let lexicons = Lexicons::get();
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
                    let (vader, _) = lexicons.pick(args.lang, None, t);
                    // Field order and names are the contract: neg, neu, pos, compound.
                    serde_json::to_string(&vader.polarity_scores(t))
                        .map_err(|e| Error::output("JSON", e.to_string()))
                })
                .collect::<Result<_, Error>>()?;
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
    let stdin_lines = args.input.inputs.len() == 1
        && args.input.inputs[0].as_os_str() == "-"
        && args.input.format.is_none();
    if stdin_lines {
        return sentiment_lines(args).map(|()| None);
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
            let aliases: Vec<&str> = aliases
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .collect();
            if aliases.is_empty() {
                return Err(Error::argument("--target", "--target names no alias"));
            }
            Some(Target::new(&aliases))
        }
        None => None,
    };
    let lexicons = Lexicons::get();
    // Start the thread pool before the clock: `scoring_ms` is the scoring alone.
    rayon::broadcast(|_| ());
    let start = Instant::now();
    let posts: Vec<ScoredPost> = dataset
        .posts
        .par_iter()
        .map(|post| {
            let declared = post.language.as_deref().and_then(Language::from_code);
            let (vader, lang) = lexicons.pick(args.lang, declared, &post.text);
            let s = vader.polarity_scores(&post.text);
            let target = target.as_ref().and_then(|t| {
                vader.target_sentiment(&post.text, t).map(|ts| TargetScore {
                    compound: ts.scores.compound,
                    mentions: ts.mentions,
                })
            });
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
                polarity: polarity_label(s.compound),
                target,
                text: post.text.clone(),
            }
        })
        .collect();
    let scoring_ms = start.elapsed().as_secs_f64() * 1e3;
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
