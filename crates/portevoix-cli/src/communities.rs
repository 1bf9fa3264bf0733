//! `portevoix communities`: Leiden or label propagation on the undirected
//! weighted view of a loaded network; prints the modularity, the number of
//! communities and the largest ones.
//!
//! Also holds the loading shared with `spread` ([`load_network`]): inputs,
//! network, and the layer view a kernel runs on, chosen as `rank` does.

use crate::input::{GraphArgs, InputArgs};
use portevoix_core::{Error, Layer};
use portevoix_graph::kernels::{
    CommunityAlgorithm, LabelPropagationOptions, LeidenOptions, UndirectedView, detect_communities,
};
use portevoix_graph::{LayerGraph, Network};
use portevoix_ingest::Dataset;
use portevoix_report::communities::{
    CommunitiesSummary, CommunityTimings, community_sizes, largest_communities,
};
use portevoix_report::rank::LayerWeight;
use std::borrow::Cow;
use std::time::{Duration, Instant};

/// The community algorithms.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// Leiden (Traag et al. 2019), maximising modularity at `--resolution`.
    Leiden,
    /// Asynchronous label propagation (Raghavan et al. 2007); modularity reported at resolution 1.
    LabelPropagation,
}

/// Arguments of `communities`.
#[derive(clap::Args)]
pub struct CommunitiesArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub graph: GraphArgs,
    /// The algorithm.
    #[arg(long, value_enum, default_value = "leiden")]
    pub algorithm: Algorithm,
    /// Layers of the view and their weights, e.g. `follow=1,repost=1`; default as for `rank`.
    #[arg(long, value_name = "LAYER=W,...")]
    pub layers: Option<String>,
    /// Modularity resolution γ > 0 (Leiden).
    #[arg(long, default_value_t = 1.0)]
    pub resolution: f64,
    /// Seed of the node orders (and of Leiden's refinement).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Leiden passes (default 2, igraph's default) or label-propagation sweeps (default 100);
    /// Leiden stops earlier when a pass moves no account.
    #[arg(long, value_name = "N")]
    pub max_iterations: Option<usize>,
    /// Leiden starts (default 1): whole runs, the first with `--seed` and the others with seeds
    /// derived from it, in parallel; the highest modularity is kept (ties to the earliest).
    #[arg(long, value_name = "N")]
    pub starts: Option<usize>,
    /// Number of largest communities listed.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Inputs loaded and built, with the layers a kernel runs on.
pub(crate) struct Loaded {
    pub dataset: Dataset,
    pub network: Network,
    pub layers: Vec<(Layer, f32)>,
    /// Time to read and parse the inputs.
    pub parsed: Duration,
}

impl Loaded {
    /// The view: the layer itself when one layer of weight 1 is asked, else a merged copy.
    pub fn view(&self) -> Cow<'_, LayerGraph> {
        self.network.view(&self.layers)
    }

    /// The layers and weights, for the report.
    pub fn layer_weights(&self) -> Vec<LayerWeight> {
        self.layers
            .iter()
            .map(|&(l, weight)| LayerWeight {
                layer: l.as_str().to_string(),
                weight,
            })
            .collect()
    }
}

/// Reads the inputs, builds the network and picks the layers: as asked, or
/// the endorsement layers present (every layer if none), as `rank` does.
pub(crate) fn load_network(
    input: &InputArgs,
    graph: &GraphArgs,
    layers: Option<&str>,
) -> Result<Loaded, Error> {
    let start = Instant::now();
    let mut dataset = input.load_graph_only(|_, _| {})?;
    let parsed = start.elapsed();
    let interner = std::mem::take(&mut dataset.interner);
    let network = Network::build(&dataset.interactions, interner, &graph.build_options()?)?;
    // The network holds the interactions now; the log (12 bytes a row, 1.6 GB at
    // 134M rows) would only take room from the kernel.
    dataset.interactions = Default::default();
    let layers = crate::input::chosen_layers(&network, layers)?;
    Ok(Loaded {
        dataset,
        network,
        layers,
        parsed,
    })
}

/// Runs `communities` and returns what it prints.
pub fn run(args: &CommunitiesArgs) -> Result<CommunitiesSummary, Error> {
    if !(args.resolution.is_finite() && args.resolution > 0.0) {
        return Err(Error::argument(
            "--resolution",
            format!(
                "--resolution must be a positive number, got {}",
                args.resolution
            ),
        ));
    }
    let start = Instant::now();
    let loaded = load_network(&args.input, &args.graph, args.layers.as_deref())?;
    let graph = loaded.view();
    let view_start = Instant::now();
    let view = UndirectedView::new(&graph);
    let view_done = Instant::now();
    let (algorithm, resolution) = match args.algorithm {
        Algorithm::Leiden => {
            let defaults = LeidenOptions::default();
            let options = LeidenOptions {
                resolution: args.resolution,
                seed: args.seed,
                max_iterations: args.max_iterations.unwrap_or(defaults.max_iterations),
                starts: args.starts.unwrap_or(defaults.starts),
                ..defaults
            };
            (CommunityAlgorithm::Leiden(options), args.resolution)
        }
        Algorithm::LabelPropagation => {
            let defaults = LabelPropagationOptions::default();
            let options = LabelPropagationOptions {
                seed: args.seed,
                max_iterations: args.max_iterations.unwrap_or(defaults.max_iterations),
            };
            (CommunityAlgorithm::LabelPropagation(options), 1.0)
        }
    };
    let partition = detect_communities(&view, &algorithm)?;
    let kernel_done = Instant::now();
    let sizes = community_sizes(&partition.membership, partition.num_communities);
    let largest = largest_communities(
        &loaded.dataset,
        &loaded.network,
        &partition.membership,
        &sizes,
        view.strengths(),
        args.top,
        3,
    );
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    Ok(CommunitiesSummary {
        algorithm: clap::ValueEnum::to_possible_value(&args.algorithm)
            .map(|v| v.get_name().to_string())
            .unwrap_or_default(),
        layers: loaded.layer_weights(),
        nodes: loaded.network.num_nodes() as u64,
        edges: graph.num_edges() as u64,
        undirected_edges: (view.num_entries() / 2) as u64,
        resolution,
        seed: args.seed,
        iterations: partition.iterations,
        communities: partition.num_communities,
        singletons: sizes.iter().filter(|&&s| s == 1).count(),
        modularity: partition.modularity,
        timings_ms: CommunityTimings {
            parse: ms(loaded.parsed),
            build: ms((view_start - start).saturating_sub(loaded.parsed)),
            view: ms(view_done - view_start),
            kernel: ms(kernel_done - view_done),
        },
        largest,
    })
}
