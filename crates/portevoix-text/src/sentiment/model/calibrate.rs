//! Temperature scaling (Guo, Pleiss, Sun & Weinberger, *On Calibration of
//! Modern Neural Networks*, ICML 2017): one scalar T divides the logits so
//! that the probabilities match the observed frequencies; the predicted class
//! never changes.

/// Softmax of `logits / temperature`.
pub fn softmax(logits: [f64; 3], temperature: f64) -> [f64; 3] {
    let t = if temperature.is_finite() && temperature > 0.0 {
        temperature
    } else {
        1.0
    };
    let z = logits.map(|v| v / t);
    let m = z[0].max(z[1]).max(z[2]);
    if !m.is_finite() {
        return [1.0 / 3.0; 3];
    }
    let e = z.map(|v| (v - m).exp());
    let s = e[0] + e[1] + e[2];
    e.map(|v| v / s)
}

/// Mean negative log-likelihood of `gold` under `softmax(logits / t)`.
pub fn nll(logits: &[[f64; 3]], gold: &[usize], t: f64) -> f64 {
    let n = logits.len().max(1) as f64;
    logits
        .iter()
        .zip(gold)
        .map(|(z, &g)| -softmax(*z, t)[g.min(2)].max(1e-300).ln())
        .sum::<f64>()
        / n
}

/// The temperature in [0.05, 20] that minimises the NLL of `gold` given
/// `logits` (golden-section search on log T; the NLL is unimodal in T).
///
/// # Complexity
/// O(60 × n).
///
/// # Example
/// ```
/// use portevoix_text::sentiment::model::fit_temperature;
/// // Over-confident logits: right 3 times in 4 at probability ~1.
/// let logits = vec![[10.0, 0.0, 0.0], [10.0, 0.0, 0.0], [10.0, 0.0, 0.0], [10.0, 0.0, 0.0]];
/// let t = fit_temperature(&logits, &[0, 0, 0, 1]);
/// assert!(t > 2.0);
/// ```
pub fn fit_temperature(logits: &[[f64; 3]], gold: &[usize]) -> f64 {
    if logits.is_empty() {
        return 1.0;
    }
    let (mut a, mut b) = (0.05f64.ln(), 20f64.ln());
    let phi = (5f64.sqrt() - 1.0) / 2.0;
    let f = |x: f64| nll(logits, gold, x.exp());
    let mut c = b - phi * (b - a);
    let mut d = a + phi * (b - a);
    let (mut fc, mut fd) = (f(c), f(d));
    for _ in 0..60 {
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - phi * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + phi * (b - a);
            fd = f(d);
        }
    }
    ((a + b) / 2.0).exp()
}
