//! `portevoix sentiment --encoder DIR -` (feature `encoder`): stance of each standard-input line from
//! the all-MiniLM-L6-v2 sentence encoder and the default English stance head.
//!
//! The output follows the model engine's contract: one JSON object per input line, same order, with
//! `label` (`negative`, `neutral` or `positive`), `negative`, `neutral`, `positive` (summing to 1)
//! and `compound` (positive minus negative).

use crate::text::{LangChoice, SentimentArgs};
use portevoix_core::Error;
use portevoix_text::encoder::{
    EncoderError, EncoderFiles, HeadPrediction, SentenceEncoder, StanceHead, normalize_tweet,
};
use std::io::{BufRead, Write};
use std::path::Path;

/// Lines embedded per forward batch group: bounds memory on long inputs, large enough for batching.
const LINES_PER_GROUP: usize = 1024;

/// The encoder of a model directory and the default head.
pub struct EncoderEngine {
    encoder: SentenceEncoder,
    head: StanceHead,
}

impl EncoderEngine {
    /// Reads the model files of `dir` (as `scripts/fetch-encoder.sh DIR` leaves them).
    ///
    /// # Errors
    /// [`Error::Io`] for an unreadable file, [`Error::InvalidArgument`] naming the file for a missing
    /// or damaged one.
    pub fn load(dir: &Path) -> Result<EncoderEngine, Error> {
        if !dir.is_dir() {
            return Err(Error::argument(
                "encoder",
                format!(
                    "--encoder {}: not a directory (scripts/fetch-encoder.sh DIR fetches the model)",
                    dir.display()
                ),
            ));
        }
        let mut io_error = None;
        let files = EncoderFiles::read_with(|name| match std::fs::read(dir.join(name)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => {
                let reason = e.to_string();
                io_error = Some(Error::Io {
                    path: dir.join(name).display().to_string().into(),
                    source: e,
                });
                Err(EncoderError::model(name, reason))
            }
        });
        let files = match (files, io_error) {
            (_, Some(e)) => return Err(e),
            (files, None) => files.map_err(|e| in_dir(dir, e))?,
        };
        let encoder = SentenceEncoder::new(files).map_err(|e| in_dir(dir, e))?;
        let head = StanceHead::default_english();
        if head.dense_dimension() != encoder.dimension() {
            return Err(Error::argument(
                "encoder",
                format!(
                    "{}: the encoder's vectors have {} values, the stance head reads {}",
                    dir.display(),
                    encoder.dimension(),
                    head.dense_dimension()
                ),
            ));
        }
        Ok(EncoderEngine { encoder, head })
    }

    /// The stance of each text.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if the encoder fails (it does not on any UTF-8 text).
    pub fn predict(&self, texts: &[String]) -> Result<Vec<HeadPrediction>, Error> {
        let normalised: Vec<String> = texts.iter().map(|t| normalize_tweet(t)).collect();
        let vectors = self.encoder.embed(&normalised)?;
        (0..texts.len())
            .map(|i| self.head.predict(vectors.row(i), &[]).map_err(Error::from))
            .collect()
    }
}

/// `path: reason` for a model file of `dir`.
fn in_dir(dir: &Path, e: EncoderError) -> Error {
    Error::argument("encoder", format!("{}/{e}", dir.display()))
}

/// `sentiment --encoder DIR -`: standard input to standard output.
///
/// # Errors
/// [`Error::InvalidArgument`] for data files (the encoder reads standard-input lines only, `-`), for
/// `--lang fr` (the encoder is English only), `--target` or `--summary`; then [`EncoderEngine::load`]'s
/// and [`sentiment_lines`]' errors.
pub fn sentiment(args: &SentimentArgs, dir: &Path) -> Result<(), Error> {
    let stdin_lines = args.input.inputs.len() == 1
        && args.input.inputs[0].as_os_str() == "-"
        && args.input.format.is_none();
    if !stdin_lines {
        return Err(Error::argument(
            "encoder",
            "--encoder reads one text per line from standard input: pass `-` alone",
        ));
    }
    if args.lang == LangChoice::Fr {
        return Err(Error::argument(
            "--encoder",
            "--encoder is English only (all-MiniLM-L6-v2); use VADER for French",
        ));
    }
    if args.target.is_some() || args.summary {
        return Err(Error::argument(
            "encoder",
            "--encoder does not take --target or --summary",
        ));
    }
    let engine = EncoderEngine::load(dir)?;
    let stdout = std::io::stdout();
    sentiment_lines(
        &engine,
        std::io::stdin().lock(),
        std::io::BufWriter::with_capacity(1 << 16, stdout.lock()),
    )
}

/// One JSON object of the stdin contract.
fn prediction_json(p: &HeadPrediction) -> String {
    let [negative, neutral, positive] = p.probabilities;
    serde_json::json!({
        "label": p.label_name(),
        "negative": negative,
        "neutral": neutral,
        "positive": positive,
        "compound": p.compound,
    })
    .to_string()
}

/// Reads one text per line from `input` (CR LF or LF; invalid UTF-8 replaced by U+FFFD, as the VADER
/// path does) and writes one JSON object per line to `out`, same order. A closed output pipe ends
/// the run quietly.
///
/// # Errors
/// [`Error::Io`] for a read or write failure, or the encoder's errors.
pub fn sentiment_lines(
    engine: &EncoderEngine,
    mut input: impl BufRead,
    mut out: impl Write,
) -> Result<(), Error> {
    let mut lines = Vec::with_capacity(LINES_PER_GROUP);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = input
            .read_until(b'\n', &mut buf)
            .map_err(|source| Error::Io {
                path: "standard input".into(),
                source,
            })?;
        if n > 0 {
            if buf.last() == Some(&b'\n') {
                buf.pop();
            }
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            lines.push(String::from_utf8_lossy(&buf).into_owned());
        }
        if lines.len() == LINES_PER_GROUP || (n == 0 && !lines.is_empty()) {
            let mut text = String::new();
            for p in engine.predict(&lines)? {
                text.push_str(&prediction_json(&p));
                text.push('\n');
            }
            lines.clear();
            if let Err(e) = out.write_all(text.as_bytes()) {
                return write_error(e);
            }
        }
        if n == 0 {
            break;
        }
    }
    out.flush().or_else(write_error)
}

fn write_error(e: std::io::Error) -> Result<(), Error> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return Ok(());
    }
    Err(Error::Io {
        path: "standard output".into(),
        source: e,
    })
}
