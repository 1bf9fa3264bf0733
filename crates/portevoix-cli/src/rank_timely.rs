//! `portevoix rank --engine timely`: the same kernels on timely-dataflow,
//! across processes and machines (crate `portevoix-dist`, cargo feature
//! `timely` of this binary).
//!
//! Three ways to run:
//!
//! * `--processes P [--workers W]`: one command on one machine. The binary
//!   re-executes itself `P` times with the hidden arguments `--process I
//!   --rendezvous`; each child binds an ephemeral loopback port, announces it
//!   on its standard output, gets everyone's addresses from the parent on its
//!   standard input and runs as process `I`
//!   ([`portevoix_dist::launch`]). Process 0 writes `--out`.
//! * `--hostfile FILE --process I [--workers W]`: process `I` of a job over
//!   several machines; the hostfile lists `host:port` of every process, one
//!   per line (timely's hostfile). Start the same command on every machine,
//!   each with its own `--process`; process 0 writes `--out`.
//! * `--engine local` (the default): the rayon engine.

use crate::rank::RankArgs;
use portevoix_core::Error;
use portevoix_dist::cluster::{EXIT_LOST_PEER, FailStop, read_hostfile};
use portevoix_dist::launch::{Hidden, launch_local, rendezvous};
use portevoix_dist::{Algorithm, DistError, InputFile, Job, Layout, Network, Output, Values};
use portevoix_graph::kernels::Centrality;
use portevoix_graph::kernels::{
    CoreMode, HitsOptions, HyperBallOptions, KatzOptions, LeaderRankOptions, PageRankOptions,
};
use portevoix_report::rank::{LayerWeight, RankSummary, RankTimings, RankedAccount};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Which engine runs the kernel.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Engine {
    /// The rayon engine, on this machine.
    #[default]
    Local,
    /// timely-dataflow, over `--processes` local processes or the machines of `--hostfile`.
    Timely,
}

/// The distributed engine's flags of `rank`.
#[derive(clap::Args, Debug, Clone)]
pub struct DistArgs {
    /// Engine: `local` (rayon, this machine) or `timely` (timely-dataflow, several processes or machines).
    #[arg(
        long,
        value_enum,
        default_value = "local",
        help_heading = "Distributed engine"
    )]
    pub engine: Engine,
    /// timely: number of processes started on this machine (the binary runs itself once per process).
    #[arg(
        long,
        value_name = "P",
        help_heading = "Distributed engine",
        conflicts_with = "hostfile"
    )]
    pub processes: Option<usize>,
    /// timely: worker threads per process.
    #[arg(
        long,
        value_name = "W",
        default_value_t = 1,
        help_heading = "Distributed engine"
    )]
    pub workers: usize,
    /// timely: `host:port` of every process of a multi-machine job, one per line (process I on line I).
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Distributed engine",
        requires = "process"
    )]
    pub hostfile: Option<PathBuf>,
    /// timely: this process's index in the hostfile (process 0 writes the output).
    #[arg(long, value_name = "I", help_heading = "Distributed engine")]
    pub process: Option<usize>,
    /// timely: seconds to wait for the other processes at start-up.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 60,
        help_heading = "Distributed engine"
    )]
    pub connect_timeout: u64,
    /// (internal) started by `--processes`: get the peers' addresses from the parent.
    #[arg(long, hide = true)]
    pub rendezvous: bool,
    /// timely: bytes per part of an uncompressed input (each part is read by one worker).
    #[arg(long, value_name = "BYTES", default_value_t = portevoix_dist::input::DEFAULT_BLOCK_BYTES, help_heading = "Distributed engine")]
    pub part_bytes: u64,
    /// timely: print the job's measurements as one JSON line on standard error (process 0): stage
    /// times, iterations, edges, bytes exchanged between processes and between workers of a process.
    #[arg(long, help_heading = "Distributed engine")]
    pub stats: bool,
}

impl DistArgs {
    /// Whether `rank` runs on timely.
    pub fn is_timely(&self) -> bool {
        self.engine == Engine::Timely
    }
}

/// The kernel as a distributed algorithm, with the same options the local
/// path gives it; the option the distributed engine does not take yet
/// (`--undirected`) is refused rather than ignored.
fn algorithm(args: &RankArgs) -> Result<Algorithm, Error> {
    let algo: Centrality = args.algo.parse()?;
    let refuse = |what: &str| {
        Err(Error::argument(
            "--engine",
            format!("{what} is not available with --engine timely; run it with --engine local"),
        ))
    };
    let weights = match &args.personalization {
        Some(path) => Some(
            portevoix_ingest::id_weights::read(&mut portevoix_ingest::Input::open(path)?)?
                .into_iter()
                .map(|r| (r.id, r.weight))
                .collect::<Vec<_>>(),
        ),
        None => None,
    };
    if args.undirected {
        return refuse("--undirected");
    }
    Ok(match algo {
        Centrality::PageRank | Centrality::PersonalizedPageRank => {
            let o = PageRankOptions {
                damping: args.damping,
                tolerance: args.tol,
                max_iterations: args.max_iterations,
                ..PageRankOptions::default()
            };
            match weights {
                Some(w) => Algorithm::PersonalizedPageRank(o, w),
                None if algo == Centrality::PersonalizedPageRank => {
                    return Err(Error::argument(
                        "--personalization",
                        "ppr needs --personalization FILE (a CSV id,weight)",
                    ));
                }
                None => Algorithm::PageRank(o),
            }
        }
        _ if weights.is_some() => {
            return Err(Error::argument(
                "--personalization",
                format!("--personalization applies to pagerank and ppr, not {algo}"),
            ));
        }
        Centrality::InDegree => Algorithm::InDegree,
        Centrality::LeaderRank => Algorithm::LeaderRank(LeaderRankOptions {
            tolerance: args.tol,
            max_iterations: args.max_iterations,
            ..LeaderRankOptions::default()
        }),
        Centrality::HitsAuthority | Centrality::HitsHub => {
            let o = HitsOptions {
                tolerance: args.tol,
                max_iterations: args.max_iterations,
            };
            if algo == Centrality::HitsHub {
                Algorithm::HitsHub(o)
            } else {
                Algorithm::HitsAuthority(o)
            }
        }
        Centrality::Katz => Algorithm::Katz(KatzOptions {
            alpha: args.alpha,
            tolerance: args.tol,
            max_iterations: args.max_iterations,
            ..KatzOptions::default()
        }),
        Centrality::Coreness => Algorithm::Coreness(CoreMode::Undirected),
        Centrality::InCoreness => Algorithm::Coreness(CoreMode::In),
        Centrality::OutCoreness => Algorithm::Coreness(CoreMode::Out),
        Centrality::Reach2 | Centrality::Reach3 => {
            let hops = if algo == Centrality::Reach2 { 2 } else { 3 };
            Algorithm::HyperBall(
                HyperBallOptions {
                    max_hops: hops,
                    ..HyperBallOptions::default()
                },
                hops,
            )
        }
    })
}

fn job(args: &RankArgs) -> Result<Job, Error> {
    let format = args.input.format()?;
    let inputs = args
        .input
        .inputs
        .iter()
        .map(|p| InputFile {
            path: p.clone(),
            format,
        })
        .collect();
    let mut job = Job::new(inputs, algorithm(args)?);
    job.block_bytes = args.dist.part_bytes.max(1);
    job.read = args.input.read_options()?;
    job.build = args.graph.build_options()?;
    job.layers = args
        .layers
        .as_deref()
        .map(crate::input::parse_layers)
        .transpose()?;
    Ok(job)
}

/// A tag every process of one job shares: processes started with another
/// kernel or layout are refused at the handshake.
fn job_tag(args: &RankArgs, processes: usize) -> u64 {
    let text = format!(
        "{}|{}|{}|{}|{:?}|{}",
        args.algo,
        args.tol,
        processes,
        args.dist.workers,
        args.layers,
        args.all_signals.all_signals
    );
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn summary(args: &RankArgs, out: &Output) -> Result<RankSummary, Error> {
    let Values::Scores(scores) = &out.values else {
        return Err(Error::argument(
            "rank_timely",
            "the kernel returned no scores",
        ));
    };
    let top = portevoix_report::rank::top_scores(scores, args.top);
    Ok(RankSummary {
        kernel: args.algo.clone(),
        layers: out
            .layers
            .iter()
            .map(|&(l, weight)| LayerWeight {
                layer: l.as_str().to_string(),
                weight,
            })
            .collect(),
        nodes: out.names.len() as u64,
        edges: out.edges,
        iterations: out.iterations,
        residual: out.residual,
        converged: out.converged,
        method: None,
        timings_ms: RankTimings {
            parse: out.times.load.as_secs_f64() * 1e3,
            build: out.times.setup.as_secs_f64() * 1e3,
            kernel: (out.times.kernel + out.times.gather).as_secs_f64() * 1e3,
        },
        top: top
            .iter()
            .enumerate()
            .map(|(i, &(node, score))| {
                let id = out.names.name(node).to_string();
                RankedAccount {
                    rank: i + 1,
                    label: id.clone(),
                    id,
                    score,
                }
            })
            .collect(),
    })
}

/// The measurements of `--stats`, one JSON object.
fn stats(args: &RankArgs, out: &Output, layout: &Layout) -> String {
    let per_iteration = |b: u64| {
        if out.iterations > 0 {
            b as f64 / out.iterations as f64
        } else {
            0.0
        }
    };
    serde_json::json!({
        "processes": layout.processes,
        "workers": layout.workers,
        "kernel": args.algo,
        "accounts": out.names.len(),
        "edges": out.edges,
        "records": out.records,
        "iterations": out.iterations,
        "load_s": out.times.load.as_secs_f64(),
        "setup_s": out.times.setup.as_secs_f64(),
        "kernel_s": out.times.kernel.as_secs_f64(),
        "gather_s": out.times.gather.as_secs_f64(),
        "ns_per_edge_iteration": if out.iterations > 0 && out.edges > 0 {
            out.times.kernel.as_secs_f64() * 1e9 / (out.iterations as f64 * out.edges as f64)
        } else { 0.0 },
        "kernel_bytes_between_processes": out.kernel_traffic.remote_bytes,
        "kernel_bytes_within_processes": out.kernel_traffic.local_bytes,
        "kernel_bytes_between_processes_per_iteration": per_iteration(out.kernel_traffic.remote_bytes),
        "load_bytes_between_processes": out.load_traffic.remote_bytes,
        "load_bytes_within_processes": out.load_traffic.local_bytes,
        "rounds": out.kernel_traffic.rounds,
    })
    .to_string()
}

/// Process 0's part: the scores file and the summary on standard output.
fn finish(args: &RankArgs, out: &Output) -> Result<(), Error> {
    if let (Some(path), Values::Scores(scores)) = (&args.out, &out.values) {
        let mut file = std::fs::File::create(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        portevoix_report::scores_csv::write_scores_csv(&mut file, &out.names, scores).map_err(
            |source| Error::Io {
                path: path.to_path_buf(),
                source,
            },
        )?;
    }
    let summary = summary(args, out)?;
    let text = if args.json {
        serde_json::to_string_pretty(&summary)
            .map_err(|e| Error::argument("rank_timely", e.to_string()))?
            + "\n"
    } else {
        portevoix_report::rank::render_table(&summary)
    };
    crate::write_stdout(text.as_bytes())
}

fn fail(e: impl std::fmt::Display, process: Option<usize>, code: u8) -> ExitCode {
    match process {
        Some(p) => eprintln!("portevoix: process {p}: error: {e}"),
        None => eprintln!("portevoix: error: {e}"),
    }
    ExitCode::from(code)
}

/// Runs `rank --engine timely`.
pub fn main(args: &'static RankArgs) -> ExitCode {
    let dist = &args.dist;
    if dist.workers == 0 {
        return fail("--workers must be at least 1", None, 2);
    }
    // One command, P local processes: start them and wait.
    if let (Some(p), None) = (dist.processes, dist.process) {
        if p == 0 {
            return fail("--processes must be at least 1", None, 2);
        }
        let program = match std::env::current_exe() {
            Ok(p) => p,
            Err(e) => {
                return fail(
                    format!("cannot find this program to start its processes: {e}"),
                    None,
                    2,
                );
            }
        };
        let argv: Vec<OsString> = std::env::args_os().skip(1).collect();
        return match launch_local(&program, &argv, p, Hidden::Flags) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(e, None, 2),
        };
    }
    let process = dist.process.unwrap_or(0);
    let (layout, network) = match cluster_of(args, process) {
        Ok(x) => x,
        Err(code) => return code,
    };
    if args.all_signals.all_signals {
        return crate::all_signals_timely::run(args, &layout, network, process);
    }
    let job = match job(args) {
        Ok(j) => j,
        Err(e) => return fail(e, Some(process), 2),
    };
    match portevoix_dist::run(&layout, network, &job) {
        Ok(Some(out)) => {
            if dist.stats {
                eprintln!("{}", stats(args, &out, &layout));
            }
            match finish(args, &out) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e, Some(process), 2),
            }
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(e @ DistError::LostPeer { .. }) => fail(e, Some(process), EXIT_LOST_PEER as u8),
        Err(e) => fail(e, Some(process), 2),
    }
}

/// This process's place in the job (`--rendezvous`, `--hostfile` or one
/// process) and its network settings; the exit code of a failure.
fn cluster_of(args: &RankArgs, process: usize) -> Result<(Layout, Network), ExitCode> {
    let dist = &args.dist;
    let (layout, listener) = if dist.rendezvous {
        let processes = dist.processes.unwrap_or(1);
        match rendezvous() {
            Ok((listener, addresses)) => (
                Layout {
                    processes,
                    workers: dist.workers,
                    process,
                    addresses,
                },
                Some(listener),
            ),
            Err(e) => return Err(fail(e, Some(process), 2)),
        }
    } else if let Some(hostfile) = &dist.hostfile {
        match read_hostfile(hostfile) {
            Ok(addresses) => (
                Layout {
                    processes: addresses.len(),
                    workers: dist.workers,
                    process,
                    addresses,
                },
                None,
            ),
            Err(e) => return Err(fail(e, Some(process), 2)),
        }
    } else {
        (Layout::single(dist.workers), None)
    };
    let network = Network {
        listener,
        tag: job_tag(args, layout.processes),
        connect_timeout: Duration::from_secs(dist.connect_timeout),
        fail_stop: FailStop::ExitProcess,
    };
    Ok((layout, network))
}
