//! One command, `P` local processes: the program re-executes itself.
//!
//! [`launch_local`] starts `P` copies of a program (the `portevoix` binary,
//! or a test binary) with the caller's arguments plus the hidden
//! [`PROCESS_FLAG`] `I` and [`RENDEZVOUS_FLAG`]. Each child binds an
//! ephemeral port on the loopback interface and prints it on its standard
//! output as `PORTEVOIX-PORT <port>` ([`rendezvous`] does both); the parent
//! collects the `P` ports and writes the address list, one line, to every
//! child's standard input; every child then joins the job as process `I`
//! with its already bound listener (no port can be taken in between). The
//! rest of a child's standard output is copied to the parent's; standard
//! error is shared.
//!
//! Fail-stop: when a child exits with a failure, the others stop by
//! themselves within the time a socket takes to close (they lose a peer);
//! the parent waits [`GRACE`] for them, ends any that is left, and reports
//! the first failure. The parent keeps the children's standard input open
//! until they end: a child that reads its end (the launcher was killed)
//! stops too, so nothing is left running.

use crate::error::{DistError, Result};
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Hidden flag giving a child its process index.
pub const PROCESS_FLAG: &str = "--process";
/// Hidden flag telling a child to get its peers' addresses from the parent.
pub const RENDEZVOUS_FLAG: &str = "--rendezvous";
/// What a child prints before its port.
pub const PORT_PREFIX: &str = "PORTEVOIX-PORT ";
/// How long the parent waits for the other children after one failed.
pub const GRACE: Duration = Duration::from_secs(10);

/// The child's side: binds an ephemeral loopback port, announces it, and
/// reads the job's addresses (one line, comma-separated) from standard input.
///
/// # Errors
/// The port cannot be bound, or the parent closed standard input early.
pub fn rendezvous() -> Result<(TcpListener, Vec<String>)> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .map_err(|e| DistError::Connect(format!("cannot bind a loopback port: {e}")))?;
    let port = listener
        .local_addr()
        .map_err(|e| DistError::Connect(e.to_string()))?
        .port();
    let mut out = std::io::stdout();
    writeln!(out, "{PORT_PREFIX}{port}")
        .and_then(|_| out.flush())
        .map_err(|e| DistError::Connect(format!("cannot announce the port: {e}")))?;
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| DistError::Connect(format!("reading the addresses: {e}")))?;
    let addresses: Vec<String> = line
        .trim()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if addresses.is_empty() {
        return Err(DistError::Connect(
            "the launcher gave no addresses (it stopped before the job started)".into(),
        ));
    }
    // The launcher keeps standard input open until every process ended: if
    // it goes away (killed), end this process too, so nothing is left running.
    std::thread::spawn(|| {
        let mut sink = [0u8; 64];
        while let Ok(n) = std::io::stdin().read(&mut sink) {
            if n == 0 {
                break;
            }
        }
        eprintln!("portevoix: the launcher ended; stopping this process");
        std::process::exit(crate::cluster::EXIT_LOST_PEER);
    });
    Ok((listener, addresses))
}

fn describe(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return format!("killed by signal {sig}");
        }
    }
    match status.code() {
        Some(c) => format!("exit code {c}"),
        None => "no exit code".into(),
    }
}

/// How a child learns its index and that it must rendezvous.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    /// The hidden arguments [`PROCESS_FLAG`] `I` and [`RENDEZVOUS_FLAG`],
    /// appended to the child's arguments (the command line).
    Flags,
    /// The environment variable [`PROCESS_ENV`]` = I` (programs whose
    /// arguments cannot take extra flags, such as test binaries).
    Env,
}

/// Environment variable giving a child its index with [`Hidden::Env`].
pub const PROCESS_ENV: &str = "PORTEVOIX_DIST_PROCESS";

/// Starts `processes` copies of `program` with `args` and waits for all of
/// them; see the module docs.
///
/// # Errors
/// A child cannot start or announce its port ([`DistError::Setup`]), or a
/// child fails ([`DistError::Job`] with its index and exit status; the
/// child's own message is on standard error).
pub fn launch_local(
    program: &Path,
    args: &[OsString],
    processes: usize,
    hidden: Hidden,
) -> Result<()> {
    let mut children: Vec<Child> = Vec::with_capacity(processes);
    let kill_all = |children: &mut Vec<Child>| {
        for c in children.iter_mut() {
            let _ = c.kill();
            let _ = c.wait();
        }
    };
    for i in 0..processes {
        let mut command = Command::new(program);
        command.args(args);
        match hidden {
            Hidden::Flags => {
                command
                    .arg(PROCESS_FLAG)
                    .arg(i.to_string())
                    .arg(RENDEZVOUS_FLAG);
            }
            Hidden::Env => {
                command.env(PROCESS_ENV, i.to_string());
            }
        }
        let child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).spawn();
        match child {
            Ok(c) => children.push(c),
            Err(e) => {
                kill_all(&mut children);
                return Err(DistError::Setup(format!(
                    "cannot start process {i} ({}): {e}",
                    program.display()
                )));
            }
        }
    }
    // Collect the ports, then copy each child's remaining output.
    let mut ports = Vec::with_capacity(processes);
    let mut copiers = Vec::new();
    for (i, c) in children.iter_mut().enumerate() {
        let stdout = c.stdout.take().expect("piped");
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let port = loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => break None,
                Ok(_) => {
                    // The announcement may follow other output on its line
                    // (a test harness prints the test's name first).
                    if let Some(at) = line.find(PORT_PREFIX) {
                        print!("{}", &line[..at]);
                        break line[at + PORT_PREFIX.len()..].trim().parse::<u16>().ok();
                    }
                    // Anything printed before the port goes through.
                    print!("{line}");
                }
            }
        };
        match port {
            Some(p) => ports.push(p),
            None => {
                kill_all(&mut children);
                return Err(DistError::Setup(format!(
                    "process {i} stopped before announcing its port (see its error above)"
                )));
            }
        }
        copiers.push(std::thread::spawn(move || {
            let mut rest = Vec::new();
            let _ = reader.read_to_end(&mut rest);
            let _ = std::io::stdout().write_all(&rest);
        }));
    }
    let list: Vec<String> = ports.iter().map(|p| format!("127.0.0.1:{p}")).collect();
    let line = format!("{}\n", list.join(","));
    // Kept open until the end: a child reads EOF only if this launcher ends.
    let mut stdins = Vec::with_capacity(processes);
    for c in children.iter_mut() {
        if let Some(mut stdin) = c.stdin.take() {
            let _ = stdin.write_all(line.as_bytes()).and_then(|_| stdin.flush());
            stdins.push(stdin);
        }
    }
    // Wait; after the first failure give the others GRACE to stop.
    let mut status: Vec<Option<ExitStatus>> = vec![None; processes];
    let mut failed: Option<(usize, ExitStatus, Instant)> = None;
    loop {
        for (i, c) in children.iter_mut().enumerate() {
            if status[i].is_none()
                && let Ok(Some(s)) = c.try_wait()
            {
                status[i] = Some(s);
                if !s.success() && failed.is_none() {
                    failed = Some((i, s, Instant::now()));
                }
            }
        }
        if status.iter().all(Option::is_some) {
            break;
        }
        if let Some((_, _, at)) = failed
            && at.elapsed() > GRACE
        {
            kill_all(&mut children);
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(stdins);
    for c in copiers {
        let _ = c.join();
    }
    if failed.is_none() {
        return Ok(());
    }
    // Report the cause, not its echoes: a process that lost a peer exits with
    // EXIT_LOST_PEER; the one that failed first for another reason (killed,
    // out of memory, a bad input) is the origin.
    let failures: Vec<(usize, ExitStatus)> = status
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.filter(|s| !s.success()).map(|s| (i, s)))
        .collect();
    let lost = |s: &ExitStatus| s.code() == Some(crate::cluster::EXIT_LOST_PEER);
    let (i, s) = failures
        .iter()
        .find(|(_, s)| !lost(s))
        .or(failures.first())
        .copied()
        .or(failed.map(|(i, s, _)| (i, s)))
        .expect("a failure was recorded");
    Err(DistError::Job(format!(
        "process {i} of {processes} failed ({}); the job stopped",
        describe(s)
    )))
}
