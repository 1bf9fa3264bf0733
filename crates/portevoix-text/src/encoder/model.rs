//! The sentence encoder: WordPiece tokens, a BERT forward pass, mean pooling, L2 normalisation.

use super::{EncoderError, EncoderFiles};
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{Tokenizer, TruncationParams};

/// Texts per forward pass when the caller does not say ([`SentenceEncoder::embed_with`]).
pub const DEFAULT_BATCH_SIZE: usize = 32;

/// Tokens per text when the model directory has no `sentence_bert_config.json` (sentence-transformers'
/// default for this model family).
const DEFAULT_MAX_TOKENS: usize = 256;

/// A sentence encoder: text in, one unit-length vector out, as sentence-transformers computes it for
/// a `Transformer → Pooling(mean) → Normalize` model such as all-MiniLM-L6-v2.
///
/// The steps are those of the reference (`SentenceTransformer.encode`): the model's own tokenizer
/// (lower-casing WordPiece with `[CLS]` and `[SEP]`), truncation to `max_seq_length` tokens, a BERT
/// forward pass over a padded batch with an attention mask, the mean of the token vectors where the
/// mask is 1 (`[CLS]` and `[SEP]` included), divided by its Euclidean norm.
///
/// The forward pass runs on candle's CPU backend in `f32`; `tests/encoder_fidelity.rs` checks the
/// vectors against sentence-transformers on real tweets (largest difference per coordinate below 1e-4).
///
/// Reference: N. Reimers and I. Gurevych, *Sentence-BERT: Sentence Embeddings using Siamese
/// BERT-Networks*, EMNLP 2019; W. Wang et al., *MiniLM: Deep Self-Attention Distillation for
/// Task-Agnostic Compression of Pre-Trained Transformers*, NeurIPS 2020.
pub struct SentenceEncoder {
    tokenizer: Tokenizer,
    model: BertModel,
    device: Device,
    dimension: usize,
    max_tokens: usize,
}

/// Unit-length sentence vectors, one row per input text, in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct Embeddings {
    dimension: usize,
    values: Vec<f32>,
}

impl Embeddings {
    /// Vectors from rows laid end to end (`values.len()` a multiple of `dimension`).
    ///
    /// # Errors
    /// [`EncoderError::Inference`] when `dimension` is 0 or does not divide `values.len()`.
    pub fn from_rows(dimension: usize, values: Vec<f32>) -> Result<Embeddings, EncoderError> {
        if dimension == 0 || values.len() % dimension != 0 {
            return Err(EncoderError::Inference(format!(
                "{} values do not make rows of dimension {dimension}",
                values.len()
            )));
        }
        Ok(Embeddings { dimension, values })
    }

    /// Number of vectors.
    pub fn len(&self) -> usize {
        self.values.len() / self.dimension
    }

    /// True when there is no vector.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Length of each vector (384 for all-MiniLM-L6-v2).
    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// The vector of text `i`.
    ///
    /// # Panics
    /// When `i >= self.len()`.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.values[i * self.dimension..(i + 1) * self.dimension]
    }

    /// Every vector, rows laid end to end.
    pub fn as_slice(&self) -> &[f32] {
        &self.values
    }
}

impl SentenceEncoder {
    /// Builds the encoder from a model directory's files.
    ///
    /// # Errors
    /// [`EncoderError::Model`] naming the file at fault: a configuration that is not BERT JSON, a
    /// tokenizer that does not parse, weights that are not safetensors or lack a tensor the
    /// configuration needs (with the tensor's name), or shapes that disagree with the configuration.
    ///
    /// # Example
    /// ```no_run
    /// use portevoix_text::encoder::{EncoderFiles, SentenceEncoder};
    /// // The directory `scripts/fetch-encoder.sh DIR` unpacked.
    /// let dir = std::path::Path::new("models/all-MiniLM-L6-v2");
    /// let files = EncoderFiles::read_with(|name| match std::fs::read(dir.join(name)) {
    ///     Ok(bytes) => Ok(Some(bytes)),
    ///     Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
    ///     Err(e) => Err(portevoix_text::encoder::EncoderError::model(name, e.to_string())),
    /// })?;
    /// let encoder = SentenceEncoder::new(files)?;
    /// let vectors = encoder.embed(&["thanks for nothing @united", "great crew, thanks!"])?;
    /// let cosine: f32 = vectors.row(0).iter().zip(vectors.row(1)).map(|(a, b)| a * b).sum();
    /// # Ok::<(), portevoix_text::encoder::EncoderError>(())
    /// ```
    pub fn new(files: EncoderFiles) -> Result<SentenceEncoder, EncoderError> {
        let [config_name, tokenizer_name, weights_name, sentence_name] = EncoderFiles::FILES;
        let config: Config = serde_json::from_slice(&files.config).map_err(|e| {
            EncoderError::model(config_name, format!("not a BERT configuration: {e}"))
        })?;
        let max_tokens = match &files.sentence_config {
            Some(bytes) => sentence_max_tokens(bytes)
                .map_err(|reason| EncoderError::model(sentence_name, reason))?,
            None => DEFAULT_MAX_TOKENS,
        }
        .min(config.max_position_embeddings);
        let mut tokenizer = Tokenizer::from_bytes(&files.tokenizer)
            .map_err(|e| EncoderError::model(tokenizer_name, format!("not a tokenizer: {e}")))?;
        // Padding is done per batch below; truncation follows sentence-transformers' max_seq_length,
        // not the tokenizer file's own setting (128 in all-MiniLM-L6-v2's file).
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: max_tokens,
                ..TruncationParams::default()
            }))
            .map_err(|e| EncoderError::model(tokenizer_name, e.to_string()))?;
        let device = Device::Cpu;
        let weights = VarBuilder::from_buffered_safetensors(files.weights, DType::F32, &device)
            .map_err(|e| EncoderError::model(weights_name, e.to_string()))?;
        let model = BertModel::load(weights, &config)
            .map_err(|e| EncoderError::model(weights_name, e.to_string()))?;
        Ok(SentenceEncoder {
            tokenizer,
            model,
            device,
            dimension: config.hidden_size,
            max_tokens,
        })
    }

    /// Length of the vectors (384 for all-MiniLM-L6-v2).
    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// Most tokens read per text (`[CLS]` and `[SEP]` included); the rest is cut, as
    /// sentence-transformers does.
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// The unit-length vector of every text, in batches of [`DEFAULT_BATCH_SIZE`].
    ///
    /// # Errors
    /// [`EncoderError::Inference`] if the tokenizer or the forward pass fails (it does not on any
    /// UTF-8 text: an empty text is `[CLS] [SEP]`).
    pub fn embed<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<Embeddings, EncoderError> {
        self.embed_with(texts, DEFAULT_BATCH_SIZE)
    }

    /// [`SentenceEncoder::embed`] with `batch_size` texts per forward pass.
    ///
    /// Texts are ordered by token count (ties by position) and cut into batches of `batch_size`, so
    /// that little padding is computed. The batches depend only on the texts and `batch_size`, never
    /// on the number of threads, so the output is the same for any thread count; a text's vector may
    /// differ from the same text embedded in another list by float rounding (about 1e-7), since the
    /// padded length of its batch changes the order of some sums.
    ///
    /// Complexity: O(n · (L² · H + L · H²)) per text of L tokens with hidden size H.
    ///
    /// # Errors
    /// As [`SentenceEncoder::embed`]; [`EncoderError::Inference`] when `batch_size` is 0.
    pub fn embed_with<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
        batch_size: usize,
    ) -> Result<Embeddings, EncoderError> {
        if batch_size == 0 {
            return Err(EncoderError::Inference(
                "batch size must be at least 1".into(),
            ));
        }
        let tokens = self.tokenize(texts)?;
        let mut order: Vec<usize> = (0..tokens.len()).collect();
        order.sort_by_key(|&i| (tokens[i].len(), i));
        let mut values = vec![0f32; tokens.len() * self.dimension];
        for batch in order.chunks(batch_size) {
            let pooled = self.forward_batch(batch.iter().map(|&i| tokens[i].as_slice()))?;
            for (&i, vector) in batch.iter().zip(pooled.chunks_exact(self.dimension)) {
                values[i * self.dimension..(i + 1) * self.dimension].copy_from_slice(vector);
            }
        }
        Embeddings::from_rows(self.dimension, values)
    }

    /// Token ids of every text, `[CLS]` and `[SEP]` included, truncated to `max_tokens`.
    pub fn tokenize<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
    ) -> Result<Vec<Vec<u32>>, EncoderError> {
        let inputs: Vec<&str> = texts.iter().map(AsRef::as_ref).collect();
        let encodings = self
            .tokenizer
            .encode_batch_fast(inputs, true)
            .map_err(|e| EncoderError::Inference(format!("tokenizer: {e}")))?;
        Ok(encodings
            .into_iter()
            .map(|e| e.get_ids().to_vec())
            .collect())
    }

    /// Pooled, normalised vectors of one batch, rows laid end to end in batch order.
    fn forward_batch<'a>(
        &self,
        batch: impl ExactSizeIterator<Item = &'a [u32]> + Clone,
    ) -> Result<Vec<f32>, EncoderError> {
        let rows = batch.len();
        let width = batch.clone().map(<[u32]>::len).max().unwrap_or(0);
        let mut ids = vec![0u32; rows * width];
        let mut mask = vec![0u32; rows * width];
        let mut lengths = Vec::with_capacity(rows);
        for (r, text) in batch.enumerate() {
            ids[r * width..r * width + text.len()].copy_from_slice(text);
            mask[r * width..r * width + text.len()].fill(1);
            lengths.push(text.len());
        }
        let hidden = self
            .run_model(ids, mask, rows, width)
            .map_err(|e| EncoderError::Inference(e.to_string()))?;
        Ok(mean_pool_normalise(
            &hidden,
            &lengths,
            width,
            self.dimension,
        ))
    }

    /// The last hidden states of a padded batch, `rows × width × dimension`, row-major.
    fn run_model(
        &self,
        ids: Vec<u32>,
        mask: Vec<u32>,
        rows: usize,
        width: usize,
    ) -> candle_core::Result<Vec<f32>> {
        let ids = Tensor::from_vec(ids, (rows, width), &self.device)?;
        let mask = Tensor::from_vec(mask, (rows, width), &self.device)?;
        let token_types = ids.zeros_like()?;
        let hidden = self.model.forward(&ids, &token_types, Some(&mask))?;
        hidden.flatten_all()?.to_vec1::<f32>()
    }
}

/// Mean of each row's first `length` token vectors, divided by its Euclidean norm (at least 1e-12,
/// as `torch.nn.functional.normalize`).
fn mean_pool_normalise(
    hidden: &[f32],
    lengths: &[usize],
    width: usize,
    dimension: usize,
) -> Vec<f32> {
    let mut out = vec![0f32; lengths.len() * dimension];
    for (r, (&length, pooled)) in lengths
        .iter()
        .zip(out.chunks_exact_mut(dimension))
        .enumerate()
    {
        for t in 0..length {
            let start = (r * width + t) * dimension;
            for (p, h) in pooled.iter_mut().zip(&hidden[start..start + dimension]) {
                *p += h;
            }
        }
        let count = length.max(1) as f32;
        pooled.iter_mut().for_each(|p| *p /= count);
        let norm = pooled.iter().map(|p| p * p).sum::<f32>().sqrt().max(1e-12);
        pooled.iter_mut().for_each(|p| *p /= norm);
    }
    out
}

/// `max_seq_length` of a `sentence_bert_config.json`.
fn sentence_max_tokens(bytes: &[u8]) -> Result<usize, String> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    match value.get("max_seq_length") {
        None => Ok(DEFAULT_MAX_TOKENS),
        Some(v) => v
            .as_u64()
            .filter(|&n| n >= 2)
            .map(|n| n as usize)
            .ok_or_else(|| format!("max_seq_length must be an integer of at least 2, found {v}")),
    }
}
