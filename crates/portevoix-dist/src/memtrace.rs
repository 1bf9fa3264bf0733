//! Resident memory and time at the stages of a job, for the peak-memory and
//! load-time measurements (BENCHMARKS.md): with the environment variable
//! `PORTEVOIX_DIST_MEMTRACE` set, every worker prints `memtrace process P
//! worker W STAGE rss MiB hwm MiB at SECONDS s` on standard error at each
//! stage boundary (Linux: `/proc/self/status`, whose `VmRSS` and `VmHWM` are
//! the process's, shared by its workers; the seconds count from the first
//! stage the process traces, its job's start). Without the variable it does
//! nothing.

use crate::comm::Comm;

/// Whether tracing is on (read once).
fn enabled() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("PORTEVOIX_DIST_MEMTRACE").is_some())
}

/// `VmRSS` and `VmHWM` in KiB, when the system reports them.
fn resident_kib() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// Prints this process's resident memory after `stage`, if tracing is on.
pub fn note(comm: &Comm<'_>, stage: &str) {
    if !enabled() {
        return;
    }
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let at = START.get_or_init(std::time::Instant::now).elapsed();
    if let Some((rss, hwm)) = resident_kib() {
        eprintln!(
            "memtrace process {} worker {} {stage} rss {} MiB hwm {} MiB at {:.3} s",
            comm.process(),
            comm.index(),
            rss / 1024,
            hwm / 1024,
            at.as_secs_f64()
        );
    }
}
