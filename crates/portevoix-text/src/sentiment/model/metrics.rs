//! Classification metrics of the model cards: accuracy, macro-averaged
//! recall (TweetEval's sentiment metric) and F1, and the expected
//! calibration error of the probabilities.

use serde::{Deserialize, Serialize};

/// Scores of predictions against gold classes (indices 0, 1, 2).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Number of examples.
    pub n: usize,
    /// Share of correct predictions.
    pub accuracy: f64,
    /// Mean over the three classes of the recall.
    pub macro_recall: f64,
    /// Mean over the three classes of F1.
    pub macro_f1: f64,
    /// Expected calibration error of the top-class probability (15 equal-width
    /// bins; Guo et al., *On Calibration of Modern Neural Networks*, ICML 2017);
    /// NaN when no probabilities were given.
    pub ece: f64,
}

/// Scores of `predicted` against `gold`, with the top-class probabilities
/// `confidence` (same length) for the ECE, if given.
///
/// # Panics
/// When the lengths differ.
///
/// # Example
/// ```
/// use portevoix_text::sentiment::model::score;
/// let s = score(&[0, 1, 2, 2], &[0, 1, 2, 1], None);
/// assert_eq!(s.accuracy, 0.75);
/// assert!((s.macro_recall - (1.0 + 0.5 + 1.0) / 3.0).abs() < 1e-12);
/// ```
pub fn score(predicted: &[usize], gold: &[usize], confidence: Option<&[f64]>) -> Scores {
    assert_eq!(predicted.len(), gold.len());
    let mut confusion = [[0usize; 3]; 3];
    for (&p, &g) in predicted.iter().zip(gold) {
        confusion[g.min(2)][p.min(2)] += 1;
    }
    let n = gold.len();
    let correct: usize = (0..3).map(|c| confusion[c][c]).sum();
    let mut recall = 0.0;
    let mut f1 = 0.0;
    for (c, row) in confusion.iter().enumerate() {
        let tp = row[c] as f64;
        let actual: usize = row.iter().sum();
        let predicted_c: usize = (0..3).map(|g| confusion[g][c]).sum();
        let r = if actual > 0 { tp / actual as f64 } else { 0.0 };
        let p = if predicted_c > 0 {
            tp / predicted_c as f64
        } else {
            0.0
        };
        recall += r;
        f1 += if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
    }
    let ece = confidence.map_or(f64::NAN, |conf| {
        assert_eq!(conf.len(), n);
        expected_calibration_error(predicted, gold, conf, 15)
    });
    Scores {
        n,
        accuracy: if n > 0 {
            correct as f64 / n as f64
        } else {
            f64::NAN
        },
        macro_recall: recall / 3.0,
        macro_f1: f1 / 3.0,
        ece,
    }
}

/// ECE with `bins` equal-width bins of the top-class probability: the mean
/// over bins, weighted by their share of examples, of |accuracy − mean confidence|.
pub fn expected_calibration_error(
    predicted: &[usize],
    gold: &[usize],
    confidence: &[f64],
    bins: usize,
) -> f64 {
    let mut count = vec![0usize; bins];
    let mut correct = vec![0usize; bins];
    let mut conf_sum = vec![0f64; bins];
    for ((&p, &g), &c) in predicted.iter().zip(gold).zip(confidence) {
        let b = ((c * bins as f64) as usize).min(bins - 1);
        count[b] += 1;
        correct[b] += usize::from(p == g);
        conf_sum[b] += c;
    }
    let n = predicted.len().max(1) as f64;
    (0..bins)
        .filter(|&b| count[b] > 0)
        .map(|b| {
            let k = count[b] as f64;
            (k / n) * (correct[b] as f64 / k - conf_sum[b] / k).abs()
        })
        .sum()
}
