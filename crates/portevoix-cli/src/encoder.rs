//! `portevoix sentiment --engine encoder --encoder DIR -` (feature `encoder`): stance of each
//! standard-input line from the all-MiniLM-L6-v2 sentence encoder and the default English stance
//! head over the learned model's judgement ([`EncoderStance`]).
//!
//! The output is the model engine's contract, written by the same function: one JSON object per
//! input line, same order, `{"label","negative","neutral","positive","compound"}` (probabilities
//! summing to 1, compound = positive − negative).

use crate::text::{LangChoice, SentimentArgs, prediction_json};
use portevoix_core::Error;
use portevoix_text::encoder::{EncoderError, EncoderFiles, EncoderStance};
use portevoix_text::sentiment::model::Prediction;
use std::io::{BufRead, Write};
use std::path::Path;

/// Lines embedded per forward batch group: bounds memory on long inputs, large enough for batching.
const LINES_PER_GROUP: usize = 1024;

/// The encoder of a model directory, the default head and the embedded English model.
pub struct EncoderEngine {
    engine: EncoderStance,
}

impl EncoderEngine {
    /// Reads the model files of `dir` (as `scripts/fetch-encoder.sh DIR` leaves them).
    ///
    /// # Errors
    /// [`Error::Io`] for an unreadable file, [`Error::Argument`] naming the file for a missing
    /// or damaged one.
    pub fn load(dir: &Path) -> Result<EncoderEngine, Error> {
        let files = read_files(dir).map_err(|e| match e {
            Error::Argument { reason, .. } => {
                Error::argument("--encoder", format!("--encoder {reason}"))
            }
            other => other,
        })?;
        let engine = EncoderStance::english(files)
            .map_err(|e| Error::argument("encoder", format!("{}/{e}", dir.display())))?;
        Ok(EncoderEngine { engine })
    }

    /// The stance of each text.
    ///
    /// # Errors
    /// [`Error::Argument`] if the encoder fails (it does not on any UTF-8 text).
    pub fn predict(&self, texts: &[String]) -> Result<Vec<Prediction>, Error> {
        Ok(self.engine.predict(texts)?)
    }
}

/// The files of the model directory `dir` (as `scripts/fetch-encoder.sh DIR` leaves it).
///
/// # Errors
/// [`Error::Argument`] when `dir` is not a directory or a required file is missing (naming it),
/// [`Error::Io`] for a file that cannot be read.
pub fn read_files(dir: &Path) -> Result<EncoderFiles, Error> {
    if !dir.is_dir() {
        return Err(Error::argument(
            "encoder",
            format!(
                "{}: not a directory (scripts/fetch-encoder.sh DIR fetches the model)",
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
            io_error = Some(Error::io(dir.join(name), e));
            Err(EncoderError::model(name, reason))
        }
    });
    match (files, io_error) {
        (_, Some(e)) => Err(e),
        (files, None) => {
            files.map_err(|e| Error::argument("encoder", format!("{}/{e}", dir.display())))
        }
    }
}

/// `sentiment --engine encoder --encoder DIR -`: standard input to standard output.
///
/// # Errors
/// [`Error::Argument`] for data files (the encoder reads standard-input lines only, `-`), for
/// `--lang fr` (the encoder is English only), `--target`, `--summary` or `--model`; then
/// [`EncoderEngine::load`]'s and [`sentiment_lines`]' errors.
pub fn sentiment(args: &SentimentArgs, dir: &Path) -> Result<(), Error> {
    let stdin_lines = args.input.inputs.len() == 1
        && args.input.inputs[0].as_os_str() == "-"
        && args.input.format.is_none();
    if !stdin_lines {
        return Err(Error::argument(
            "encoder",
            "--engine encoder reads one text per line from standard input: pass `-` alone",
        ));
    }
    if args.lang == LangChoice::Fr {
        return Err(Error::argument(
            "--encoder",
            "--engine encoder is English only (all-MiniLM-L6-v2): use --engine model or vader for French",
        ));
    }
    if args.target.is_some() || args.summary || args.model.is_some() {
        return Err(Error::argument(
            "encoder",
            "--engine encoder does not take --target, --summary or --model",
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
