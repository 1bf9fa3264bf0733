//! The model file: versioned, self-describing, checked.
//!
//! Layout (little-endian):
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `PVSENTI\x1A` |
//! | 4 | format version ([`FORMAT_VERSION`]) |
//! | 4 + n | the model card, JSON (its `features` say how to read texts) |
//! | 1 | classifier: 1 logistic regression, 2 fastText |
//! | … | the weights (below) |
//! | 8 | xxh3-64 of every byte before it |
//!
//! Logistic regression: dimension (u32), the 3 intercepts (f32), the number
//! of non-zero feature rows (u32), then per row its index (u32) and 3
//! weights (f32). fastText: rows, hashed, dense, dim (u32 each), the 3
//! intercepts, the output layer (3 × (dim + dense) f32), the number of
//! non-zero embedding rows (u32), then per row its index and `dim` values.
//! Zero rows are not stored, so a model is as large as what its training
//! data touched.

use xxhash_rust::xxh3::xxh3_64;

use super::card::ModelCard;
use super::fasttext::FastTextModel;
use super::linear::LinearModel;

/// The magic bytes that open a model file.
pub const MAGIC: &[u8; 8] = b"PVSENTI\x1A";

/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// The classifier inside a model.
#[derive(Debug, Clone, PartialEq)]
pub enum Classifier {
    /// Multinomial logistic regression.
    Linear(LinearModel),
    /// fastText-style averaged embeddings.
    FastText(FastTextModel),
}

impl Classifier {
    /// `logistic-regression` or `fasttext`.
    pub fn name(&self) -> &'static str {
        match self {
            Classifier::Linear(_) => "logistic-regression",
            Classifier::FastText(_) => "fasttext",
        }
    }

    /// The logits of a feature vector.
    pub fn logits_of(&self, indices: &[u32], values: &[f32]) -> [f64; 3] {
        match self {
            Classifier::Linear(m) => m.logits_of(indices, values),
            Classifier::FastText(m) => m.logits_of(indices, values),
        }
    }

    /// The weights alone, serialised (what the card's `weights_hash` hashes).
    pub(crate) fn weight_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match self {
            Classifier::Linear(m) => {
                out.push(1);
                put_u32(&mut out, m.dimension as u32);
                m.bias.iter().for_each(|&b| put_f32(&mut out, b));
                let rows: Vec<usize> = (0..m.dimension)
                    .filter(|&j| m.weights[3 * j..3 * j + 3].iter().any(|&w| w != 0.0))
                    .collect();
                put_u32(&mut out, rows.len() as u32);
                for j in rows {
                    put_u32(&mut out, j as u32);
                    m.weights[3 * j..3 * j + 3]
                        .iter()
                        .for_each(|&w| put_f32(&mut out, w));
                }
            }
            Classifier::FastText(m) => {
                out.push(2);
                for v in [m.rows, m.hashed, m.dense, m.dim] {
                    put_u32(&mut out, v as u32);
                }
                m.bias.iter().for_each(|&b| put_f32(&mut out, b));
                m.output.iter().for_each(|&w| put_f32(&mut out, w));
                let rows: Vec<usize> = (0..m.rows)
                    .filter(|&r| {
                        m.embeddings[r * m.dim..(r + 1) * m.dim]
                            .iter()
                            .any(|&w| w != 0.0)
                    })
                    .collect();
                put_u32(&mut out, rows.len() as u32);
                for r in rows {
                    put_u32(&mut out, r as u32);
                    m.embeddings[r * m.dim..(r + 1) * m.dim]
                        .iter()
                        .for_each(|&w| put_f32(&mut out, w));
                }
            }
        }
        out
    }

    /// The xxh3 of the weights' bytes (the card's `weights_hash` is it in
    /// hexadecimal).
    pub(crate) fn weights_id(&self) -> u64 {
        xxh3_64(&self.weight_bytes())
    }
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_f32(out: &mut Vec<u8>, v: f32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Serialises a card and a classifier into a model file.
pub(crate) fn encode(card: &ModelCard, classifier: &Classifier) -> Vec<u8> {
    let card_json =
        serde_json::to_vec(card).unwrap_or_else(|e| unreachable!("a card always serialises: {e}"));
    let weights = classifier.weight_bytes();
    let mut out = Vec::with_capacity(16 + card_json.len() + weights.len() + 8);
    out.extend_from_slice(MAGIC);
    put_u32(&mut out, FORMAT_VERSION);
    put_u32(&mut out, card_json.len() as u32);
    out.extend_from_slice(&card_json);
    out.extend_from_slice(&weights);
    let hash = xxh3_64(&out);
    out.extend_from_slice(&hash.to_le_bytes());
    out
}

/// A reader over the bytes of a model file, with errors that say what is wrong.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], String> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| {
                format!(
                    "truncated: {what} needs {n} bytes at offset {}, the file has {}",
                    self.at,
                    self.bytes.len()
                )
            })?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn u32(&mut self, what: &str) -> Result<u32, String> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn f32(&mut self, what: &str) -> Result<f32, String> {
        let b = self.take(4, what)?;
        let v = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        if v.is_finite() {
            Ok(v)
        } else {
            Err(format!("{what} is not a finite number"))
        }
    }

    fn f32s(&mut self, n: usize, what: &str) -> Result<Vec<f32>, String> {
        let b = self.take(n.checked_mul(4).ok_or("size overflow")?, what)?;
        let v: Vec<f32> = b
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        if v.iter().all(|x| x.is_finite()) {
            Ok(v)
        } else {
            Err(format!("{what} holds a non-finite number"))
        }
    }
}

/// Largest dimension a model file may declare (guards allocations).
const MAX_DIMENSION: usize = 1 << 25;

/// Parses a model file; the message says what is wrong (not a model file, a
/// newer version, damaged, truncated, inconsistent).
pub(crate) fn decode(bytes: &[u8]) -> Result<(ModelCard, Classifier), String> {
    if bytes.len() < 8 || &bytes[..8] != MAGIC {
        return Err(
            "not a Porte-voix sentiment model (the file does not start with the model magic bytes)"
                .into(),
        );
    }
    if bytes.len() < 24 {
        return Err(format!("truncated: {} bytes", bytes.len()));
    }
    let mut r = Reader { bytes, at: 8 };
    let version = r.u32("the format version")?;
    if version != FORMAT_VERSION {
        return Err(format!(
            "model format version {version}, this build reads version {FORMAT_VERSION}: retrain the model or use a matching build"
        ));
    }
    let (body, tail) = bytes.split_at(bytes.len() - 8);
    let stored = u64::from_le_bytes([
        tail[0], tail[1], tail[2], tail[3], tail[4], tail[5], tail[6], tail[7],
    ]);
    if xxh3_64(body) != stored {
        return Err(
            "damaged: the checksum does not match the content (the file was altered or truncated)"
                .into(),
        );
    }
    let mut r = Reader {
        bytes: body,
        at: r.at,
    };
    let card_len = r.u32("the card length")? as usize;
    let card_bytes = r.take(card_len, "the model card")?;
    let card: ModelCard = serde_json::from_slice(card_bytes)
        .map_err(|e| format!("the model card is not valid: {e}"))?;
    card.features
        .validate()
        .map_err(|e| format!("the model card's features: {e}"))?;
    let weights_start = r.at;
    let tag = r.take(1, "the classifier tag")?[0];
    let classifier = match tag {
        1 => {
            let dimension = r.u32("the dimension")? as usize;
            if dimension != card.features.dimension() {
                return Err(format!(
                    "the weights have dimension {dimension}, the card's features {}",
                    card.features.dimension()
                ));
            }
            let bias = [
                r.f32("an intercept")?,
                r.f32("an intercept")?,
                r.f32("an intercept")?,
            ];
            let rows = r.u32("the row count")? as usize;
            if rows > dimension {
                return Err(format!("{rows} weight rows for dimension {dimension}"));
            }
            let mut weights = vec![0f32; 3 * dimension];
            for _ in 0..rows {
                let j = r.u32("a row index")? as usize;
                if j >= dimension {
                    return Err(format!("row index {j} ≥ dimension {dimension}"));
                }
                for c in 0..3 {
                    weights[3 * j + c] = r.f32("a weight")?;
                }
            }
            Classifier::Linear(LinearModel {
                dimension,
                weights,
                bias,
            })
        }
        2 => {
            let rows = r.u32("the embedding rows")? as usize;
            let hashed = r.u32("the hashed size")? as usize;
            let dense = r.u32("the dense size")? as usize;
            let dim = r.u32("the embedding size")? as usize;
            if !rows.is_power_of_two()
                || rows > MAX_DIMENSION
                || dim == 0
                || dim > 1024
                || dense > 4096
                || hashed != card.features.buckets()
            {
                return Err(format!(
                    "inconsistent fastText sizes: rows {rows}, hashed {hashed}, dense {dense}, dim {dim}"
                ));
            }
            let bias = [
                r.f32("an intercept")?,
                r.f32("an intercept")?,
                r.f32("an intercept")?,
            ];
            let output = r.f32s(3 * (dim + dense), "the output layer")?;
            let stored = r.u32("the row count")? as usize;
            if stored > rows {
                return Err(format!("{stored} embedding rows stored for {rows}"));
            }
            let mut embeddings = vec![0f32; rows * dim];
            for _ in 0..stored {
                let k = r.u32("a row index")? as usize;
                if k >= rows {
                    return Err(format!("row index {k} ≥ {rows}"));
                }
                let w = r.f32s(dim, "an embedding row")?;
                embeddings[k * dim..(k + 1) * dim].copy_from_slice(&w);
            }
            Classifier::FastText(FastTextModel {
                rows,
                hashed,
                dense,
                dim,
                embeddings,
                output,
                bias,
            })
        }
        t => return Err(format!("unknown classifier tag {t}")),
    };
    if r.at != body.len() {
        return Err(format!(
            "{} unexpected bytes after the weights",
            body.len() - r.at
        ));
    }
    // The weights section is exactly `Classifier::weight_bytes`: hash it as read.
    if format!("{:016x}", xxh3_64(&body[weights_start..])) != card.weights_hash {
        return Err("the weights do not match the card's weights_hash".into());
    }
    Ok((card, classifier))
}
