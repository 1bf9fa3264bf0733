//! # portevoix-eval
//!
//! The evaluation stage of Porte-voix: ground truths that the scores never
//! saw (Higgs temporal holdout, Twitter15 later cascades, SIR spreading,
//! held-out Bitcoin OTC ratings, REV2's fraud labels, human sentiment
//! labels, injected manipulation), metrics (precision@k, NDCG@k, Kendall
//! tau-b, Spearman rho, AUC, average precision, macro-F1, bootstrap
//! confidence intervals) and the protocols that compare scoring variants on
//! them.
//!
//! The protocols are specified in the project's issue "Evaluation harness:
//! benchmark scoring variants against real ground truth" and land with it.
//! [`metrics`] holds the metrics themselves: precision@k, NDCG@k, Kendall
//! tau-b, Spearman rho, ROC AUC, macro-F1, accuracy and percentile
//! bootstrap confidence intervals, each checked against scipy and
//! scikit-learn.
#![warn(missing_docs)]

pub mod data;
pub mod metrics;
pub mod protocol;
pub mod protocols;
pub mod rating_scores;
pub mod variants;
