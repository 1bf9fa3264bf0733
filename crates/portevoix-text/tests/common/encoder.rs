//! Shared by the encoder tests: where the model files are, and reading them.

use portevoix_text::encoder::{EncoderError, EncoderFiles, SentenceEncoder};
use std::path::PathBuf;

/// The model directory from `PORTEVOIX_ENCODER_DIR` (`scripts/fetch-encoder.sh DIR` fills it), or
/// `None` with a message on stderr, so that a test without the model is skipped. When
/// `PORTEVOIX_REQUIRE_ENCODER=1` (CI), a missing directory fails the test instead.
pub fn encoder_dir(test: &str) -> Option<PathBuf> {
    let required = std::env::var("PORTEVOIX_REQUIRE_ENCODER").is_ok_and(|v| v == "1");
    match std::env::var_os("PORTEVOIX_ENCODER_DIR") {
        Some(dir) if PathBuf::from(&dir).join("model.safetensors").is_file() => Some(dir.into()),
        other => {
            let why = match other {
                Some(dir) => format!("{} has no model.safetensors", PathBuf::from(dir).display()),
                None => "PORTEVOIX_ENCODER_DIR is not set".to_string(),
            };
            assert!(
                !required,
                "{test}: {why}, and PORTEVOIX_REQUIRE_ENCODER=1; run scripts/fetch-encoder.sh DIR"
            );
            eprintln!(
                "SKIPPED {test}: {why} (run scripts/fetch-encoder.sh DIR and set PORTEVOIX_ENCODER_DIR=DIR)"
            );
            None
        }
    }
}

/// The files of a model directory, read from disk.
pub fn read_files(dir: &std::path::Path) -> Result<EncoderFiles, EncoderError> {
    EncoderFiles::read_with(|name| match std::fs::read(dir.join(name)) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(EncoderError::model(name, e.to_string())),
    })
}

/// The encoder of `PORTEVOIX_ENCODER_DIR`, or `None` (skipped) as [`encoder_dir`] says.
pub fn load_encoder(test: &str) -> Option<SentenceEncoder> {
    let dir = encoder_dir(test)?;
    let files = read_files(&dir).expect("model files");
    Some(SentenceEncoder::new(files).expect("the encoder loads"))
}
