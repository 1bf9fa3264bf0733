//! `portevoix paths`: the `k` strongest influence paths from the brand's
//! accounts (or its employees, or accounts given with `--from`) to each
//! person the campaign wants to reach.
//!
//! # Which ties carry a message
//!
//! By default the paths walk the merged view of the layers that move a
//! message from one account to another: **follow, repost, quote, reply and
//! mention** (those present, weight 1 each). An interaction `A → B` of these
//! layers means A saw something of B (A follows, re-shares, quotes, answers
//! or names B), so B's message can travel to A: the walk goes against the
//! stored edges ([`Direction::Followers`]). The campaign's endorsement view
//! (`CampaignContext::endorsement`) is not used: it counts likes, which show
//! approval but pass nothing on, and it drops replies and mentions whenever
//! an endorsement layer exists, although a reply or a mention is the most
//! direct sign that A read B (and the only tie of a posts CSV export such as
//! the airline tweets). `--layers` picks other layers (e.g. `rating` for a
//! trust network); `--along-edges` walks the stored direction for exports
//! whose edges already point along the flow.
//!
//! # Tie strength
//!
//! `p = 1 − exp(−w / scale)` with `w` the tie's weight on the merged view
//! (the number of interactions, all layers together, under the default
//! `--duplicates sum`), or its merged-row count with `--tie count`; a path's
//! strength is the product of its ties' (see
//! `portevoix_graph::kernels::paths`).

use crate::input::{GraphArgs, InputArgs};
use portevoix_core::{Error, Layer, NodeId};
use portevoix_graph::kernels::paths::{
    Direction, PathOptions, TieStrength, message_layers, strongest_paths,
};
use portevoix_report::paths::{PathAccount, PathsReport, PathsTimings, TargetPaths, describe_path};
use portevoix_report::rank::LayerWeight;
use portevoix_score::engine::Engine;
use portevoix_text::analysis::Analyzer;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How a tie's strength is computed.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TieKind {
    /// From the tie's weight on the merged view (interactions under `--duplicates sum`).
    Weight,
    /// From the number of interaction rows merged into the tie.
    Count,
}

/// Arguments of `paths`.
#[derive(clap::Args)]
pub struct PathsArgs {
    /// The campaign file (TOML, docs/campaign-format.md): its `[brand] handles` are the sources,
    /// or its `employees` with --via-employees. Optional when --from is given.
    #[arg(long, value_name = "CAMPAIGN.toml", required_unless_present = "from")]
    pub campaign: Option<PathBuf>,
    /// The person to reach (`@handle` or account id); repeat for several, each gets its own paths.
    #[arg(long = "to", value_name = "ID", required = true)]
    pub to: Vec<String>,
    /// Start from these accounts (`@handle` or account id) instead of the campaign's brand; repeatable.
    #[arg(long = "from", value_name = "ID")]
    pub from: Vec<String>,
    /// Start from the campaign's employees and collaborators instead of its brand accounts.
    #[arg(long, conflicts_with = "from")]
    pub via_employees: bool,
    /// Treat every --to account as one person (paths to any of them), instead of one list per target.
    #[arg(long)]
    pub together: bool,
    /// Number of paths per target.
    #[arg(short = 'k', long = "top", value_name = "N", default_value_t = 5)]
    pub k: usize,
    /// Layers walked and their weights, e.g. `repost=1,reply=1`; default: follow, repost, quote,
    /// reply and mention, those present, weight 1 each.
    #[arg(long, value_name = "LAYER=W,...")]
    pub layers: Option<String>,
    /// Walk the stored edges' direction (actor → target) instead of against it; for exports whose
    /// edges already point the way messages flow.
    #[arg(long)]
    pub along_edges: bool,
    /// Tie strength from the tie's weight or from its interaction count: p = 1 − exp(−x / scale).
    #[arg(long, value_enum, default_value = "weight")]
    pub tie: TieKind,
    /// Scale of the tie strength: the weight or count at which a tie reaches p = 1 − 1/e (0.63).
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Resolves names given on the command line; every unknown name is an error.
/// Under `--pseudonymize` a name is taken as the user wrote it about the
/// original data (`@handle` or account id, hashed like the data), else as
/// a pseudonym copied from a report (`i…`, `@u…`).
fn resolve_flag(
    engine: &Engine,
    input: &InputArgs,
    flag: &str,
    names: &[String],
) -> Result<Vec<NodeId>, Error> {
    let pseudonymizer = input.pseudonymizer()?;
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for n in names {
        let original = pseudonymizer.as_ref().map(|p| p.reference(n));
        let id = match original {
            Some(hashed) => engine.resolve(&hashed).or_else(|| engine.resolve(n)),
            None => engine.resolve(&input.user_reference(n)?),
        };
        match id {
            Some(id) => {
                if !found.contains(&id) {
                    found.push(id);
                }
            }
            None => missing.push(n.as_str()),
        }
    }
    if missing.is_empty() {
        Ok(found)
    } else {
        Err(Error::argument(
            flag,
            format!(
                "{flag}: no account {} in the inputs (use an @handle or an account id present in the data)",
                missing
                    .iter()
                    .map(|m| format!("{m:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ))
    }
}

/// The layers walked: as asked, or the message layers present.
fn layers(engine: &Engine, spec: Option<&str>) -> Result<Vec<(Layer, f32)>, Error> {
    if spec.is_some() {
        return crate::input::chosen_layers(engine.network(), spec);
    }
    let network = engine.network();
    let chosen = message_layers(network);
    if chosen.is_empty() {
        let present: Vec<&str> = network.layers().map(|(l, _)| l.as_str()).collect();
        return Err(Error::argument(
            "--layers",
            format!(
                "the inputs hold no follow, repost, quote, reply or mention interaction (layers present: {}); \
             choose the layers to walk with --layers",
                if present.is_empty() {
                    "none".to_string()
                } else {
                    present.join(", ")
                }
            ),
        ));
    }
    Ok(chosen)
}

/// Runs `paths` and returns what it prints.
pub fn run(args: &PathsArgs) -> Result<PathsReport, Error> {
    if !(args.scale.is_finite() && args.scale > 0.0) {
        return Err(Error::argument(
            "--scale",
            format!("--scale must be a positive number, got {}", args.scale),
        ));
    }
    if args.k == 0 {
        return Err(Error::argument("-k", "-k must be at least 1"));
    }
    // Read the campaign before the data, so that a bad file fails fast.
    let campaign = args
        .campaign
        .as_deref()
        .map(crate::discover::read_campaign)
        .transpose()?;
    // Its brand and employees, hashed like the data under --pseudonymize.
    let campaign = match (campaign, args.input.pseudonymizer()?) {
        (Some(c), Some(p)) => Some(c.pseudonymized(&p)),
        (c, _) => c,
    };
    let start = Instant::now();
    let dataset = args.input.load(|_, _| {})?;
    let parsed = start.elapsed();
    let engine = Engine::new(dataset, &args.graph.build_options()?, &Analyzer::standard())?;

    let targets = resolve_flag(&engine, &args.input, "--to", &args.to)?;
    let mut unresolved = Vec::new();
    let (sources_from, sources) = if !args.from.is_empty() {
        (
            "from",
            resolve_flag(&engine, &args.input, "--from", &args.from)?,
        )
    } else {
        let campaign = campaign
            .as_ref()
            .ok_or_else(|| Error::argument("--campaign", "give --campaign or --from"))?;
        let (kind, list, key) = if args.via_employees {
            ("employees", &campaign.employees, "employees")
        } else {
            ("brand", &campaign.brand.handles, "[brand] handles")
        };
        if list.is_empty() {
            return Err(Error::argument(
                "--campaign",
                format!("the campaign lists no {key}; add them or give --from"),
            ));
        }
        let (found, missing) = engine.resolve_all(list);
        if found.is_empty() {
            return Err(Error::argument(
                "--campaign",
                format!(
                    "none of the campaign's {key} is in the inputs: {}",
                    missing.join(", ")
                ),
            ));
        }
        unresolved = missing.into_iter().map(str::to_string).collect();
        (kind, found)
    };

    let layers = layers(&engine, args.layers.as_deref())?;
    let network = engine.network();
    let view = network.view(&layers);
    let built = start.elapsed();

    let tie = match args.tie {
        TieKind::Weight => TieStrength::Weight { scale: args.scale },
        TieKind::Count => TieStrength::Count { scale: args.scale },
    };
    let options = PathOptions {
        direction: if args.along_edges {
            Direction::Following
        } else {
            Direction::Followers
        },
        tie,
    };
    let groups: Vec<Vec<NodeId>> = if args.together {
        vec![targets]
    } else {
        targets.into_iter().map(|t| vec![t]).collect()
    };
    let dataset = &engine;
    let mut out = Vec::with_capacity(groups.len());
    for group in &groups {
        let found = strongest_paths(&view, &sources, group, args.k, &options)?;
        let paths = found
            .iter()
            .enumerate()
            .map(|(i, p)| {
                describe_path(
                    dataset,
                    network,
                    i + 1,
                    &p.nodes,
                    p.strength,
                    &p.ties,
                    &layers,
                    args.along_edges,
                )
            })
            .collect();
        out.push(TargetPaths {
            targets: group
                .iter()
                .map(|&t| PathAccount::new(dataset, network, t))
                .collect(),
            paths,
        });
    }
    let done = start.elapsed();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    Ok(PathsReport {
        sources_from: sources_from.to_string(),
        sources: sources
            .iter()
            .map(|&s| PathAccount::new(dataset, network, s))
            .collect(),
        unresolved,
        layers: layers
            .iter()
            .map(|&(l, weight)| LayerWeight {
                layer: l.as_str().to_string(),
                weight,
            })
            .collect(),
        direction: if args.along_edges {
            "along edges"
        } else {
            "against edges"
        }
        .to_string(),
        tie: format!(
            "p = 1 − exp(−{} / {})",
            match args.tie {
                TieKind::Weight => "weight",
                TieKind::Count => "count",
            },
            args.scale
        ),
        k: args.k,
        nodes: network.num_nodes() as u64,
        edges: view.num_edges() as u64,
        targets: out,
        timings_ms: PathsTimings {
            parse: ms(parsed),
            build: ms(built - parsed),
            paths: ms(done - built),
        },
    })
}
