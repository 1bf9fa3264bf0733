//! Starting timely workers: one process, or one process of several connected
//! over TCP, and turning a failure anywhere into an error everywhere.
//!
//! # Addressing
//!
//! A job of `P` processes with `W` workers each has `P · W` timely workers;
//! process `p` runs workers `p·W .. (p+1)·W` (timely's own numbering). With
//! `P > 1` every process knows every process's address (`host:port`, one per
//! line of a hostfile, process `i` on line `i`, exactly timely's hostfile),
//! listens on its own and connects to the processes before it; the others
//! connect to it. The handshake (a magic number, a job tag, the process
//! index, acknowledged) rejects a process of another job or a wrong index,
//! then the sockets are handed to timely (`initialize_networking_from_sockets`).
//! Unlike timely's own set-up, connecting gives up after a deadline with an
//! error naming the process that could not be reached, and prints nothing.
//!
//! # Fail-stop
//!
//! Timely has no fault tolerance: when a peer process dies, its sockets close
//! and timely's receive thread panics with "timely communication error". A
//! panic hook (installed once) records it with the thread's name, which
//! carries the peer's index (`timely:recv-3`), so the job fails with
//! [`DistError::LostPeer`] naming the lost process. In worker processes
//! started by the command line ([`FailStop::ExitProcess`]) the hook prints
//! that error and ends the process at once, whatever its threads are doing,
//! so that a failure spreads to every process in the time a socket takes to
//! close, and nothing is left running.

use crate::comm::Comm;
use crate::error::{DistError, Result};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};
use timely::communication::Hooks;
use timely::communication::allocator::zero_copy::initialize::initialize_networking_from_sockets;
use timely::communication::allocator::{AllocatorBuilder, ProcessBuilder};

/// The shape of a job: processes, workers per process, and this process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Number of processes (1 for a single-process job).
    pub processes: usize,
    /// Worker threads per process.
    pub workers: usize,
    /// This process's index, `0..processes`.
    pub process: usize,
    /// `host:port` of every process (empty for a single process).
    pub addresses: Vec<String>,
}

impl Layout {
    /// A single process with `workers` threads.
    pub fn single(workers: usize) -> Layout {
        Layout {
            processes: 1,
            workers,
            process: 0,
            addresses: Vec::new(),
        }
    }

    /// Total number of timely workers.
    pub fn total_workers(&self) -> usize {
        self.processes * self.workers
    }

    /// Checks the layout's consistency.
    pub fn validate(&self) -> Result<()> {
        if self.processes == 0 || self.workers == 0 {
            return Err(DistError::Setup(
                "a job needs at least one process and one worker per process".into(),
            ));
        }
        if self.process >= self.processes {
            return Err(DistError::Setup(format!(
                "process index {} is out of range for {} processes (0..{})",
                self.process,
                self.processes,
                self.processes - 1
            )));
        }
        if self.processes > 1 && self.addresses.len() != self.processes {
            return Err(DistError::Setup(format!(
                "{} processes need {} addresses, got {}",
                self.processes,
                self.processes,
                self.addresses.len()
            )));
        }
        Ok(())
    }
}

/// Reads a hostfile: one `host:port` per line, process `i` on line `i`;
/// blank lines and `#` comments are skipped.
pub fn read_hostfile(path: &std::path::Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| DistError::Setup(format!("cannot read hostfile {}: {e}", path.display())))?;
    let hosts: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    for (i, h) in hosts.iter().enumerate() {
        if h.rsplit_once(':')
            .is_none_or(|(_, p)| p.parse::<u16>().is_err())
        {
            return Err(DistError::Setup(format!(
                "{}: line for process {i} is '{h}', expected host:port",
                path.display()
            )));
        }
    }
    if hosts.is_empty() {
        return Err(DistError::Setup(format!(
            "hostfile {} lists no process",
            path.display()
        )));
    }
    Ok(hosts)
}

/// What a lost peer does to this process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailStop {
    /// Return [`DistError::LostPeer`] from [`execute`] (library use, tests).
    #[default]
    ReturnError,
    /// Print the error on standard error and end the process with exit code
    /// [`EXIT_LOST_PEER`] at once (worker processes of the command line).
    ExitProcess,
}

/// Exit code of a worker process that lost a peer.
pub const EXIT_LOST_PEER: i32 = 3;

struct PanicLog {
    /// (thread name, message) of panics in timely threads.
    events: Vec<(String, String)>,
    exit: bool,
    process: usize,
    addresses: Vec<String>,
}

static PANICS: Mutex<PanicLog> = Mutex::new(PanicLog {
    events: Vec::new(),
    exit: false,
    process: 0,
    addresses: Vec::new(),
});
static HOOK: Once = Once::new();

thread_local! {
    /// Set while `execute` joins timely's threads: the panics timely's guards
    /// raise there after a lost peer are expected, and reported as an error.
    static JOINING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn panic_message(info: &std::panic::PanicHookInfo<'_>) -> String {
    if let Some(s) = info.payload().downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = info.payload().downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// The peer a timely network thread talks to (`timely:recv-3` → 3).
fn peer_of_thread(name: &str) -> Option<usize> {
    name.strip_prefix("timely:recv-")
        .or_else(|| name.strip_prefix("timely:send-"))
        .and_then(|i| i.parse().ok())
}

fn lost_peer_error(log: &PanicLog) -> Option<DistError> {
    log.events.iter().find_map(|(thread, msg)| {
        let process = peer_of_thread(thread)?;
        let cause = msg
            .strip_prefix("timely communication error: ")
            .unwrap_or(msg)
            .to_string();
        Some(DistError::LostPeer {
            process,
            address: log.addresses.get(process).cloned(),
            cause: format!("{cause} (the process ended, was killed, or the network failed)"),
        })
    })
}

fn install_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let thread = std::thread::current().name().unwrap_or("").to_string();
            if JOINING.with(|j| j.get()) {
                return;
            }
            if peer_of_thread(&thread).is_none() {
                // Not a network thread: a defect or an assertion, shown as usual.
                previous(info);
                if !thread.starts_with("timely:") {
                    return;
                }
            }
            let message = panic_message(info);
            let mut log = PANICS.lock().unwrap_or_else(|p| p.into_inner());
            log.events.push((thread.clone(), message));
            if log.exit {
                if let Some(err) = lost_peer_error(&log) {
                    eprintln!("portevoix: process {}: error: {err}", log.process);
                    let _ = std::io::stderr().flush();
                    std::process::exit(EXIT_LOST_PEER);
                }
                // A defect in a worker: report it and stop the process, which
                // closes its sockets and stops the peers in turn.
                let (t, m) = log.events.last().cloned().unwrap_or_default();
                eprintln!(
                    "portevoix: process {}: error: worker thread {t} failed: {m}",
                    log.process
                );
                let _ = std::io::stderr().flush();
                std::process::exit(EXIT_LOST_PEER);
            }
        }));
    });
}

const MAGIC: u64 = 0x504F_5254_4556_4F58; // "PORTEVOX"

fn write_u64s(stream: &mut TcpStream, values: &[u64]) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(values.len() * 8);
    for v in values {
        buf.extend_from_slice(&v.to_be_bytes());
    }
    stream.write_all(&buf)
}

fn read_u64s<const N: usize>(stream: &mut TcpStream) -> std::io::Result<[u64; N]> {
    let mut out = [0u64; N];
    for v in out.iter_mut() {
        let mut b = [0u8; 8];
        stream.read_exact(&mut b)?;
        *v = u64::from_be_bytes(b);
    }
    Ok(out)
}

/// Connects process `me` to every other process: it connects to the
/// processes before it and accepts the ones after it on `listener`. Each
/// side checks the other's magic number, job tag and index.
fn connect_mesh(
    listener: TcpListener,
    addresses: &[String],
    me: usize,
    tag: u64,
    timeout: Duration,
) -> Result<Vec<Option<TcpStream>>> {
    let deadline = Instant::now() + timeout;
    let n = addresses.len();
    let lower: Vec<(usize, String)> = addresses[..me].iter().cloned().enumerate().collect();
    let connector = std::thread::spawn(move || -> Result<Vec<TcpStream>> {
        let mut out = Vec::new();
        for (j, address) in lower {
            let mut last = String::new();
            let stream = loop {
                if Instant::now() > deadline {
                    return Err(DistError::Connect(format!(
                        "process {me} could not reach process {j} at {address} within {}s ({last}); \
                         is it running, with the same hostfile?",
                        timeout.as_secs()
                    )));
                }
                let attempt = address
                    .to_socket_addrs()
                    .map_err(|e| e.to_string())
                    .and_then(|mut a| a.next().ok_or_else(|| "no address".to_string()))
                    .and_then(|a| {
                        TcpStream::connect_timeout(&a, Duration::from_secs(2))
                            .map_err(|e| e.to_string())
                    });
                match attempt {
                    Ok(s) => break s,
                    Err(e) => {
                        last = e;
                        std::thread::sleep(Duration::from_millis(100));
                    }
                }
            };
            let mut stream = stream;
            let io = |e: std::io::Error| {
                DistError::Connect(format!("handshake with process {j} at {address}: {e}"))
            };
            stream.set_nodelay(true).map_err(io)?;
            stream
                .set_read_timeout(Some(
                    deadline
                        .saturating_duration_since(Instant::now())
                        .max(Duration::from_millis(100)),
                ))
                .map_err(io)?;
            write_u64s(&mut stream, &[MAGIC, tag, me as u64]).map_err(io)?;
            let [magic, their_tag, their_index] = read_u64s::<3>(&mut stream).map_err(io)?;
            if magic != MAGIC || their_tag != tag || their_index != j as u64 {
                return Err(DistError::Connect(format!(
                    "process at {address} is not process {j} of this job (it answered index \
                     {their_index}, job tag {their_tag:#x}, ours {tag:#x}): check the hostfile \
                     and that every process runs the same command"
                )));
            }
            stream.set_read_timeout(None).map_err(io)?;
            out.push(stream);
        }
        Ok(out)
    });
    let mut higher: Vec<Option<TcpStream>> = (me + 1..n).map(|_| None).collect();
    listener
        .set_nonblocking(true)
        .map_err(|e| DistError::Connect(format!("listener: {e}")))?;
    while higher.iter().any(Option::is_none) {
        if Instant::now() > deadline {
            let missing: Vec<String> = higher
                .iter()
                .enumerate()
                .filter(|(_, s)| s.is_none())
                .map(|(i, _)| format!("{} ({})", me + 1 + i, addresses[me + 1 + i]))
                .collect();
            return Err(DistError::Connect(format!(
                "process {me} waited {}s for processes {} to connect",
                timeout.as_secs(),
                missing.join(", ")
            )));
        }
        match listener.accept() {
            Ok((mut stream, from)) => {
                let io =
                    |e: std::io::Error| DistError::Connect(format!("handshake with {from}: {e}"));
                stream.set_nonblocking(false).map_err(io)?;
                stream.set_nodelay(true).map_err(io)?;
                stream
                    .set_read_timeout(Some(Duration::from_secs(10)))
                    .map_err(io)?;
                let Ok([magic, their_tag, index]) = read_u64s::<3>(&mut stream) else {
                    continue; // not one of ours (a port scan, a health check)
                };
                let index = index as usize;
                if magic != MAGIC || their_tag != tag || index <= me || index >= n {
                    // Tell it who we are so it can report the mismatch, then drop it.
                    let _ = write_u64s(&mut stream, &[MAGIC, tag, me as u64]);
                    continue;
                }
                write_u64s(&mut stream, &[MAGIC, tag, me as u64]).map_err(io)?;
                stream.set_read_timeout(None).map_err(io)?;
                higher[index - me - 1] = Some(stream);
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => return Err(DistError::Connect(format!("accepting connections: {e}"))),
        }
    }
    let lower = connector
        .join()
        .map_err(|_| DistError::Connect("the connecting thread failed".into()))??;
    let mut sockets: Vec<Option<TcpStream>> = lower.into_iter().map(Some).collect();
    sockets.push(None);
    sockets.extend(higher);
    Ok(sockets)
}

/// How a process joins a multi-process job.
pub struct Network {
    /// A listener already bound to this process's address (the local
    /// launcher binds ephemeral ports first, so no port can be taken by
    /// another program in between); `None` binds `addresses[process]`.
    pub listener: Option<TcpListener>,
    /// A number every process of the job shares (e.g. a hash of the command
    /// line); a process of another job is refused at the handshake.
    pub tag: u64,
    /// How long to wait for the other processes at start-up.
    pub connect_timeout: Duration,
    /// What a lost peer does to this process.
    pub fail_stop: FailStop,
}

impl Default for Network {
    fn default() -> Self {
        Network {
            listener: None,
            tag: 0,
            connect_timeout: Duration::from_secs(60),
            fail_stop: FailStop::ReturnError,
        }
    }
}

/// Runs `func` on every worker of this process and returns their results
/// in worker order.
///
/// # Errors
/// [`DistError::Connect`] if the processes cannot connect,
/// [`DistError::LostPeer`] if a peer is lost mid-run, [`DistError::Worker`]
/// if a worker thread panics.
pub fn execute<T, F>(layout: &Layout, network: Network, func: F) -> Result<Vec<T>>
where
    T: Send + 'static,
    F: Fn(&mut Comm<'_>) -> T + Send + Sync + 'static,
{
    layout.validate()?;
    install_hook();
    let workers = layout.workers;
    let logic = move |worker: &mut timely::worker::Worker| {
        let mut comm = Comm::new(worker, workers);
        func(&mut comm)
    };
    let guards = if layout.processes == 1 {
        timely::execute(timely::Config::process(workers), logic).map_err(DistError::Worker)?
    } else {
        {
            let mut log = PANICS.lock().unwrap_or_else(|p| p.into_inner());
            log.events.clear();
            log.exit = network.fail_stop == FailStop::ExitProcess;
            log.process = layout.process;
            log.addresses = layout.addresses.clone();
        }
        let listener = match network.listener {
            Some(l) => l,
            None => {
                let address = &layout.addresses[layout.process];
                let port = address.rsplit_once(':').map_or("", |(_, p)| p);
                // Listen on every interface at the process's port: the host part of
                // the hostfile is how the *others* reach this process.
                TcpListener::bind(format!("0.0.0.0:{port}")).map_err(|e| {
                    DistError::Connect(format!(
                        "process {} cannot listen on port {port} ({address}): {e}",
                        layout.process
                    ))
                })?
            }
        };
        let sockets = connect_mesh(
            listener,
            &layout.addresses,
            layout.process,
            network.tag,
            network.connect_timeout,
        )?;
        let hooks = Hooks::default();
        let process_allocators =
            ProcessBuilder::new_typed_vector(workers, hooks.refill.clone(), None);
        let (builders, guard) = initialize_networking_from_sockets(
            process_allocators,
            sockets,
            layout.process,
            workers,
            hooks,
        )
        .map_err(|e| DistError::Connect(format!("starting timely's network threads: {e}")))?;
        let builders = builders.into_iter().map(AllocatorBuilder::Tcp).collect();
        timely::execute::execute_from(
            builders,
            Box::new(guard),
            timely::WorkerConfig::default(),
            logic,
        )
        .map_err(DistError::Worker)?
    };
    // Joining may panic when a network thread failed (timely's guards expect
    // clean shutdowns): turn every such panic into the recorded cause.
    JOINING.with(|j| j.set(true));
    let joined = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || guards.join()));
    JOINING.with(|j| j.set(false));
    let failure = || {
        let log = PANICS.lock().unwrap_or_else(|p| p.into_inner());
        lost_peer_error(&log).unwrap_or_else(|| {
            DistError::Worker(
                log.events
                    .first()
                    .map(|(t, m)| format!("{t}: {m}"))
                    .unwrap_or_else(|| "a worker thread panicked".into()),
            )
        })
    };
    match joined {
        Ok(results) => {
            let mut out = Vec::with_capacity(results.len());
            for r in results {
                match r {
                    Ok(v) => out.push(v),
                    Err(_) => return Err(failure()),
                }
            }
            Ok(out)
        }
        Err(_) => Err(failure()),
    }
}
