//! # portevoix-eval
//!
//! The evaluation stage of Porte-voix: ground truths that the scores never
//! saw (Higgs temporal holdout, Twitter15 later cascades, SIR spreading,
//! held-out Bitcoin OTC ratings, human sentiment labels, injected
//! manipulation), metrics (precision@k, NDCG@k, Kendall tau-b, Spearman rho,
//! AUC, macro-F1, bootstrap confidence intervals) and the protocols that
//! compare scoring variants on them.
//!
//! The protocols are specified in the project's issue "Evaluation harness:
//! benchmark scoring variants against real ground truth" and land with it;
//! until then the crate exports nothing, rather than an API that would
//! pretend to work.
#![warn(missing_docs)]
