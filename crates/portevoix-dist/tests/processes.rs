//! Real OS processes: this test binary re-executes itself as the job's
//! processes ([`portevoix_dist::launch`] with [`Hidden::Env`]), exactly as
//! the `portevoix` binary does for `rank --engine timely --processes P`.
//! One test computes PageRank in two processes; another kills one process
//! mid-run and checks that the other stops by itself, quickly, with an error
//! naming the lost process.

mod common;

use common::*;
use portevoix_dist::cluster::EXIT_LOST_PEER;
use portevoix_dist::launch::{GRACE, Hidden, PROCESS_ENV, launch_local, rendezvous};
use portevoix_dist::{Algorithm, FailStop, InputFile, Job, Layout, Network, Values};
use portevoix_graph::kernels::{PageRankOptions, PageRankSolver, pagerank_with};
use portevoix_ingest::{FormatKind, ReadOptions};
use std::ffi::OsString;
use std::time::{Duration, Instant};

/// Where a child of this test process with `role` writes (its parent's pid
/// keeps concurrent test runs apart).
fn out_path(parent: u32, role: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("portevoix-dist-test-{parent}-{role}"))
}

fn otc() -> Vec<InputFile> {
    vec![InputFile {
        path: data("bitcoin-otc/soc-sign-bitcoinotc.csv"),
        format: Some(FormatKind::Signed),
    }]
}

fn child_args(entry: &str) -> Vec<OsString> {
    [
        entry,
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]
    .iter()
    .map(OsString::from)
    .collect()
}

#[test]
#[ignore = "entry point of the processes started by two_os_processes_compute_the_local_pagerank"]
fn child_pagerank() {
    child("pagerank");
}

#[test]
#[ignore = "entry point of the processes started by a_killed_process_stops_the_job_quickly_and_is_named"]
fn child_long() {
    child("long");
}

/// The body of every child process.
fn child(role: &str) {
    let Ok(index) = std::env::var(PROCESS_ENV) else {
        return;
    };
    let process: usize = index.parse().unwrap();
    let out = out_path(std::os::unix::process::parent_id(), role);
    let out = out.display().to_string();
    let (listener, addresses) = rendezvous().unwrap();
    let options = if role == "long" {
        // Runs until killed: no tolerance is ever met.
        PageRankOptions {
            tolerance: 0.0,
            max_iterations: usize::MAX,
            ..Default::default()
        }
    } else {
        PageRankOptions {
            tolerance: 1e-12,
            ..Default::default()
        }
    };
    let mut job = Job::new(otc(), Algorithm::PageRank(options));
    job.unit = 64;
    let layout = Layout {
        processes: addresses.len(),
        workers: 1,
        process,
        addresses,
    };
    if role == "long" && process == 1 {
        // Crash (SIGABRT) a moment after the job started.
        std::thread::spawn(|| {
            std::thread::sleep(Duration::from_millis(1500));
            std::process::abort();
        });
    }
    let network = Network {
        listener: Some(listener),
        tag: 1,
        fail_stop: FailStop::ReturnError,
        ..Network::default()
    };
    match portevoix_dist::run(&layout, network, &job) {
        Ok(Some(o)) => {
            let Values::Scores(s) = o.values else {
                panic!("scores")
            };
            let text: Vec<String> = s.iter().map(|x| x.to_string()).collect();
            std::fs::write(&out, text.join("\n")).unwrap();
        }
        Ok(None) => {}
        Err(e) => {
            std::fs::write(format!("{out}.err{process}"), e.to_string()).unwrap();
            std::process::exit(EXIT_LOST_PEER);
        }
    }
}

#[test]
fn two_os_processes_compute_the_local_pagerank() {
    let out = out_path(std::process::id(), "pagerank");
    let exe = std::env::current_exe().unwrap();
    launch_local(&exe, &child_args("child_pagerank"), 2, Hidden::Env).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    let got: Vec<f64> = text.lines().map(|l| l.parse().unwrap()).collect();
    let local = local_view(&otc(), &ReadOptions::default(), None);
    // The local power iteration: the vertex program the distributed engine
    // runs (the local default may finish with its Krylov solver).
    let want = pagerank_with(
        &local.view,
        &PageRankOptions {
            tolerance: 1e-12,
            ..Default::default()
        },
        PageRankSolver::Power,
        None,
        None,
    )
    .unwrap();
    assert!(l1(&got, &want.scores) < 1e-9);
}

#[test]
fn a_killed_process_stops_the_job_quickly_and_is_named() {
    let out = out_path(std::process::id(), "long");
    let exe = std::env::current_exe().unwrap();
    let start = Instant::now();
    let err = launch_local(&exe, &child_args("child_long"), 2, Hidden::Env).unwrap_err();
    let elapsed = start.elapsed();
    // Process 1 died at about 1.5 s; process 0 must have stopped by itself,
    // well before the launcher's grace period would have killed it.
    assert!(
        elapsed < Duration::from_millis(1500) + GRACE,
        "took {elapsed:?}"
    );
    assert!(err.to_string().contains("process 1 of 2 failed"), "{err}");
    let err0 = format!("{}.err0", out.display());
    let message = std::fs::read_to_string(&err0).unwrap();
    let _ = std::fs::remove_file(&err0);
    assert!(message.contains("lost contact with process 1"), "{message}");
    assert!(!out.exists(), "no result is written after a failure");
}
