//! The invariant "nothing is sent anywhere" (ARCHITECTURE.md, Invariants):
//! no crate in the dependency tree of the default build can open a network
//! connection, and no workspace code uses sockets.
//!
//! How it checks:
//!
//! 1. `cargo tree --workspace -e normal,build --offline` lists every crate
//!    the default build compiles (normal and build dependencies of every
//!    workspace member, default features; dev-dependencies are not built
//!    into anything users run). None may be on [`DENIED`]: HTTP clients and
//!    servers, async runtimes with sockets, TLS stacks, RPC, messaging and
//!    mail libraries, DNS resolvers, Git and SSH bindings, and distributed
//!    dataflow transports. A crate that opens connections pulls in one of
//!    these (or `std::net`, which step 2 covers for our own code), so the
//!    list catches the dependency that would bring networking in.
//! 2. Every Rust file of the workspace's sources (`crates/*/src`, `src`,
//!    `examples`, `benches`, build scripts) is scanned for the standard
//!    library's and libc's socket APIs (`std::net`, `TcpStream`,
//!    `TcpListener`, `UdpSocket`, `ToSocketAddrs`, `libc::socket`, ...).
//!
//! An opt-in feature that needs the network (the distributed engine's
//! multi-process transport) stays out of the default build and out of this
//! check; turning it on is a user's explicit choice.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Crates that open network connections (or exist to).
const DENIED: &[&str] = &[
    // HTTP clients and servers
    "reqwest",
    "hyper",
    "hyper-util",
    "h2",
    "h3",
    "ureq",
    "curl",
    "curl-sys",
    "isahc",
    "surf",
    "attohttpc",
    "minreq",
    "http-req",
    "ehttp",
    "actix-web",
    "axum",
    "warp",
    "tiny_http",
    "rouille",
    "rocket",
    "poem",
    "salvo",
    "tide",
    // async runtimes and socket layers
    "tokio",
    "async-std",
    "smol",
    "async-net",
    "mio",
    "socket2",
    "polling",
    "nix-socket",
    // TLS
    "native-tls",
    "openssl",
    "openssl-sys",
    "rustls",
    "boring",
    "schannel",
    "security-framework",
    // WebSocket, RPC, messaging, mail
    "tungstenite",
    "tokio-tungstenite",
    "websocket",
    "tonic",
    "tarpc",
    "quinn",
    "zmq",
    "nng",
    "lapin",
    "rdkafka",
    "lettre",
    "paho-mqtt",
    "rumqttc",
    // DNS
    "trust-dns-resolver",
    "hickory-resolver",
    "trust-dns-proto",
    "hickory-proto",
    // Git, SSH, cloud SDKs
    "git2",
    "libgit2-sys",
    "ssh2",
    "libssh2-sys",
    "aws-config",
    "aws-sdk-s3",
    "google-cloud-storage",
    // distributed dataflow transports
    "timely_communication",
    "abomonation_derive",
];

/// Socket APIs that workspace code may not use.
const SOCKET_APIS: &[&str] = &[
    "std::net",
    "core::net",
    "TcpStream",
    "TcpListener",
    "UdpSocket",
    "ToSocketAddrs",
    "UnixStream",
    "UnixDatagram",
    "libc::socket",
    "libc::connect",
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The crate names of the default build's dependency tree: every workspace
/// crate with default features, except `portevoix-dist`, the distributed
/// engine, which opens sockets by design and is built only with the CLI's
/// opt-in `timely` feature (that it stays opt-in is asserted below: a
/// default build that pulled it in would list `timely_communication`).
fn default_build_crates() -> Vec<String> {
    let out = Command::new(env!("CARGO"))
        .current_dir(workspace())
        .args([
            "tree",
            "--workspace",
            "--exclude",
            "portevoix-dist",
            "-e",
            "normal,build",
            "--prefix",
            "none",
            "--format",
            "{p}",
            "--offline",
            "--locked",
        ])
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn no_networking_crate_in_the_default_build() {
    let crates = default_build_crates();
    // The tree is real: the workspace and its chosen dependencies are there.
    for expected in [
        "portevoix-cli",
        "portevoix-ingest",
        "rayon",
        "serde",
        "hmac",
        "sha2",
    ] {
        assert!(
            crates.iter().any(|c| c == expected),
            "{expected} missing from {crates:?}"
        );
    }
    let denied: Vec<&String> = crates
        .iter()
        .filter(|c| DENIED.contains(&c.as_str()))
        .collect();
    assert!(
        denied.is_empty(),
        "networking crates in the default build: {denied:?} (see `cargo tree -i NAME` for who pulls them in)"
    );
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_socket_use_in_workspace_code() {
    let root = workspace();
    let mut files = Vec::new();
    for dir in ["src", "examples", "benches"] {
        rust_files(&root.join(dir), &mut files);
    }
    for krate in std::fs::read_dir(root.join("crates")).unwrap().flatten() {
        // The distributed engine's sockets are its purpose; it is opt-in (see
        // `default_build_crates`), and its listener binds where the user says.
        if krate.file_name() == "portevoix-dist" {
            continue;
        }
        rust_files(&krate.path().join("src"), &mut files);
        let build = krate.path().join("build.rs");
        if build.exists() {
            files.push(build);
        }
    }
    assert!(files.len() > 50, "only {} files scanned", files.len());
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if let Some(api) = SOCKET_APIS.iter().find(|a| code.contains(*a)) {
                found.push(format!("{}:{}: {api}", f.display(), i + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "socket use in workspace code:\n{}",
        found.join("\n")
    );
}
