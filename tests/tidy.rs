//! Invariants of the code base that no compiler checks, held by reading the
//! sources (rust-analyzer's `tidy` habit). ARCHITECTURE.md states each one
//! beside the test that holds it.
//!
//! - The libraries that must do no IO (core, graph, text, score, eval) name
//!   neither `std::fs` nor `std::net`: data comes in through
//!   `portevoix-ingest`, reports go out through `portevoix-report` and the
//!   CLI.
//! - The CLI calls no kernel itself: it names an algorithm and calls the one
//!   library entry point of its task (`centrality`, `detect_communities`,
//!   `simulate_spread`, `strongest_paths`), so that every behaviour of the
//!   binary is a library function.
//! - `CARGO_MANIFEST_DIR` appears only in tests and benches: a library or a
//!   binary that finds files through it breaks once the checkout moves (a
//!   `cargo install`ed binary).
//! - Every public item of the libraries is documented.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n == "target") {
                    continue;
                }
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The lines of `text` that are code: comments dropped (line comments and
/// doc comments; block comments are not used in this code base).
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter_map(|(i, l)| {
        let t = l.trim_start();
        if t.starts_with("//") {
            return None;
        }
        // Drop a trailing comment, outside string literals (good enough:
        // `//` inside a string is followed by no space in this code base).
        let code = match l.find(" // ") {
            Some(k) if !l[..k].contains('"') => &l[..k],
            _ => l,
        };
        Some((i + 1, code))
    })
}

fn relative(p: &Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).display().to_string()
}

#[test]
fn io_free_libraries_name_neither_std_fs_nor_std_net() {
    let mut found = Vec::new();
    for krate in ["core", "graph", "text", "score", "eval"] {
        let src = root().join(format!("crates/portevoix-{krate}/src"));
        let files = rust_files(&src);
        assert!(!files.is_empty(), "{}", src.display());
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for (n, line) in code_lines(&text) {
                if line.contains("std::fs") || line.contains("std::net") {
                    found.push(format!("{}:{n}: {}", relative(&f), line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "IO in an IO-free library:\n{}",
        found.join("\n")
    );
}

/// The kernels the CLI must not call itself; it calls the entry point of
/// its task instead.
const KERNELS: &[&str] = &[
    "pagerank",
    "personalized_pagerank",
    "personalized_pagerank_batch",
    "hits",
    "leaderrank",
    "katz",
    "core_numbers",
    "hyperball",
    "leiden",
    "leiden_view",
    "label_propagation",
    "label_propagation_view",
    "modularity",
    "sir",
    "independent_cascade",
    "sir_outbreak_per_node",
];

#[test]
fn the_cli_calls_no_kernel() {
    let mut found = Vec::new();
    for f in rust_files(&root().join("crates/portevoix-cli/src")) {
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in code_lines(&text) {
            for k in KERNELS {
                let call = format!("{k}(");
                let at = line.match_indices(&call).any(|(i, _)| {
                    // A whole name: not `foo_pagerank(`, not `.pagerank(`
                    // of a field, not a string.
                    let before = line[..i].chars().next_back();
                    !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '"')
                });
                if at {
                    found.push(format!("{}:{n}: {}", relative(&f), line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "kernel calls in the CLI (call the library's entry point of the task):\n{}",
        found.join("\n")
    );
}

#[test]
fn cargo_manifest_dir_only_in_tests_and_benches() {
    let mut found = Vec::new();
    let mut dirs: Vec<PathBuf> = vec![root().join("src"), root().join("examples")];
    for krate in std::fs::read_dir(root().join("crates")).unwrap().flatten() {
        dirs.push(krate.path().join("src"));
    }
    for dir in dirs {
        for f in rust_files(&dir) {
            let text = std::fs::read_to_string(&f).unwrap();
            for (n, line) in text.lines().enumerate() {
                if line.contains("CARGO_MANIFEST_DIR") {
                    found.push(format!("{}:{}: {}", relative(&f), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "CARGO_MANIFEST_DIR outside tests and benches (embed with include_str!/include_bytes!, or take a path):\n{}",
        found.join("\n")
    );
}

/// Whether the item or field at `lines[i]` has a doc comment: the nearest
/// line above it that is not an attribute is `///` (or the file starts
/// with `//!` for a module declared in its own file).
fn documented(lines: &[&str], i: usize) -> bool {
    let mut j = i;
    let mut in_attribute = false;
    while j > 0 {
        j -= 1;
        let t = lines[j].trim();
        if t.is_empty() {
            return false;
        }
        if t.starts_with("///") || t.starts_with("#[doc") {
            return true;
        }
        if t.starts_with("//") {
            continue;
        }
        // Attributes, also across lines: `#[derive(` … `)]`.
        if t.starts_with("#[") || t.starts_with("#![") {
            in_attribute = false;
            continue;
        }
        if t.ends_with(")]") || t.ends_with(']') && !t.contains('{') {
            in_attribute = true;
            continue;
        }
        if in_attribute {
            continue;
        }
        return false;
    }
    false
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Whether the public line `lines[i]` is part of the crate's public API:
/// not inside a block (struct, enum, impl) of a type that is not `pub`, and
/// not under `#[allow(missing_docs)]`.
fn in_public_api(lines: &[&str], i: usize, text: &str) -> bool {
    let own = indent(lines[i]);
    if own == 0 {
        return true;
    }
    // The enclosing block: the nearest line above with less indentation.
    let Some(h) = (0..i).rev().find(|&j| {
        !lines[j].trim().is_empty() && indent(lines[j]) < own && lines[j].trim_end().ends_with('{')
    }) else {
        return true;
    };
    let header = lines[h].trim_start();
    // Attributes of the enclosing item.
    let mut a = h;
    while a > 0 && lines[a - 1].trim_start().starts_with("#[") {
        a -= 1;
        if lines[a].contains("allow(missing_docs)") {
            return false;
        }
    }
    if header.starts_with("impl") {
        // `impl Name`, `impl<T> Name<T>`: public if `Name` is declared `pub`
        // in this file, or not declared here (then it is another file's).
        let rest = header.trim_start_matches("impl").trim_start();
        let rest = if rest.starts_with('<') {
            rest.split_once('>').map_or(rest, |(_, r)| r).trim_start()
        } else {
            rest
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let declared_private = ["struct", "enum"].iter().any(|kind| {
            text.lines().any(|l| {
                let t = l.trim_start();
                (t.starts_with(&format!("pub(crate) {kind} {name}"))
                    || t.starts_with(&format!("{kind} {name}")))
                    && t[t.find(&name).unwrap() + name.len()..]
                        .starts_with(|c: char| !c.is_alphanumeric() && c != '_')
            })
        });
        return !declared_private;
    }
    header.starts_with("pub ") && in_public_api(lines, h, text)
}

#[test]
fn every_public_item_of_the_libraries_is_documented() {
    let mut missing = Vec::new();
    let mut dirs = vec![root().join("src")];
    for krate in std::fs::read_dir(root().join("crates")).unwrap().flatten() {
        if krate.file_name() != "portevoix-cli" {
            dirs.push(krate.path().join("src"));
        }
    }
    for dir in dirs {
        for f in rust_files(&dir) {
            let text = std::fs::read_to_string(&f).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            let mut test_module = false;
            for (i, line) in lines.iter().enumerate() {
                let t = line.trim_start();
                if t.starts_with("#[cfg(test)]") {
                    test_module = true;
                }
                if test_module {
                    continue;
                }
                let public =
                    t.starts_with("pub ") && !t.starts_with("pub use ") && !t.starts_with("pub(");
                if !public || !in_public_api(&lines, i, &text) {
                    continue;
                }
                if let Some(name) = t.strip_prefix("pub mod ").and_then(|r| r.strip_suffix(';')) {
                    // Documented in its own file with `//!`.
                    let dir = f.parent().unwrap();
                    let own = [
                        dir.join(format!("{name}.rs")),
                        dir.join(name).join("mod.rs"),
                    ];
                    let stem_dir = f.with_extension("");
                    let nested = [
                        stem_dir.join(format!("{name}.rs")),
                        stem_dir.join(name).join("mod.rs"),
                    ];
                    let file = own.iter().chain(&nested).find(|p| p.exists());
                    let ok = documented(&lines, i)
                        || file.is_some_and(|p| {
                            std::fs::read_to_string(p)
                                .is_ok_and(|s| s.trim_start().starts_with("//!"))
                        });
                    if !ok {
                        missing.push(format!("{}:{}: {}", relative(&f), i + 1, t));
                    }
                    continue;
                }
                if !documented(&lines, i) {
                    missing.push(format!("{}:{}: {}", relative(&f), i + 1, t));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "public items without a doc comment:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_library_warns_on_missing_docs() {
    let mut roots = vec![root().join("src/lib.rs")];
    for krate in std::fs::read_dir(root().join("crates")).unwrap().flatten() {
        let lib = krate.path().join("src/lib.rs");
        if lib.exists() {
            roots.push(lib);
        }
    }
    for lib in roots {
        let text = std::fs::read_to_string(&lib).unwrap();
        assert!(
            text.contains("#![warn(missing_docs)]") || text.contains("#![deny(missing_docs)]"),
            "{} lacks #![warn(missing_docs)]",
            relative(&lib)
        );
    }
}
