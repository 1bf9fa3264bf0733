//! The kernels, each the vertex program of its local counterpart in
//! `portevoix_graph::kernels`, run as supersteps over the owned accounts.

pub mod centrality;
pub mod diffusion;
pub mod pagerank;
pub mod structure;
