//! Trust scores read straight from a network's rating layer, shared by the
//! `trust` and `fraud` protocols: the rating kernels of
//! [`portevoix_graph::kernels`] (fairness–goodness, REV2) and the naive
//! baselines (mean rating received, number of ratings received).
//!
//! Every score is "higher = more trustworthy" and has one value per account
//! of the network (dense id order). Without a rating layer every score is 0.

use portevoix_core::{Error, Layer, NodeId};
use portevoix_graph::Network;
use portevoix_graph::kernels::{FairnessGoodnessOptions, Rev2Options, fairness_goodness, rev2};

/// The rows [`kernel_rows`] returns, in order.
pub const KERNEL_ROWS: [&str; 4] = [
    "kernel:fg.goodness",
    "kernel:fg.fairness",
    "kernel:rev2.fairness",
    "kernel:rev2.goodness",
];

/// Fairness–goodness (Kumar et al., ICDM 2016) and REV2 (Kumar et al.,
/// WSDM 2018, default parameters: every weight 1, median priors, no
/// behavioural scores) on the rating layer, ratings divided by the largest
/// absolute value present (10 on Bitcoin OTC): goodness = trust received,
/// fairness = trustworthiness as a rater.
///
/// # Errors
///
/// What the kernels report (a non-finite rating).
pub fn kernel_rows(network: &Network) -> Result<Vec<(String, Vec<f64>)>, Error> {
    let n = network.num_nodes();
    let Some(g) = network.layer(Layer::Rating) else {
        return Ok(KERNEL_ROWS
            .iter()
            .map(|r| (r.to_string(), vec![0.0; n]))
            .collect());
    };
    let fg = fairness_goodness(g, &FairnessGoodnessOptions::default())?;
    let r = rev2(g, &Rev2Options::default(), None)?;
    Ok(vec![
        (KERNEL_ROWS[0].into(), fg.goodness),
        (KERNEL_ROWS[1].into(), fg.fairness),
        (KERNEL_ROWS[2].into(), r.fairness),
        (KERNEL_ROWS[3].into(), r.goodness),
    ])
}

/// The mean rating each account received (its raw values; 0 for an account
/// never rated).
pub fn mean_rating_received(network: &Network) -> Vec<f64> {
    let n = network.num_nodes();
    let Some(g) = network.layer(Layer::Rating) else {
        return vec![0.0; n];
    };
    let mut sum = vec![0.0; n];
    let mut count = vec![0usize; n];
    let targets = g.out_csr().neighbors();
    let weights = g.out_csr().weights();
    for u in 0..n {
        for e in g.out_edge_range(NodeId(u as u32)) {
            let v = targets[e] as usize;
            sum[v] += f64::from(g.edge_value(e).unwrap_or(weights[e]));
            count[v] += 1;
        }
    }
    sum.iter()
        .zip(&count)
        .map(|(s, &c)| if c == 0 { 0.0 } else { s / c as f64 })
        .collect()
}

/// The number of accounts that rated each account (in-degree of the rating
/// layer).
pub fn ratings_received(network: &Network) -> Vec<f64> {
    let n = network.num_nodes();
    match network.layer(Layer::Rating) {
        Some(g) => (0..n)
            .map(|v| g.in_degree(NodeId(v as u32)) as f64)
            .collect(),
        None => vec![0.0; n],
    }
}
