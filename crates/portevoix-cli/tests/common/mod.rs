//! Helpers shared by the CLI tests (each test file uses some of them).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the `portevoix` binary with `args`.
pub fn portevoix(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_portevoix"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// A path relative to the repository root.
pub fn repo(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

/// Records of an RFC 4180 CSV (quoted fields may hold commas, `""` and
/// newlines), header included, read with the `csv` crate.
pub fn csv_records(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_string).collect())
        .collect()
}

/// Runs the `portevoix` binary with `args` from directory `cwd`, without
/// the `PORTEVOIX_DATASETS` variable (as a user outside the checkout would).
pub fn portevoix_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_portevoix"))
        .args(args)
        .current_dir(cwd)
        .env_remove("PORTEVOIX_DATASETS")
        .output()
        .expect("the binary runs")
}
