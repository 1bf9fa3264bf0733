//! # portevoix-testdata
//!
//! Where the tests, benches and examples of Porte-voix find the shared real
//! datasets (`/work/shared/datasets` in development, `../shared/datasets`
//! beside a CI checkout). A dev-dependency only: the libraries never look
//! for data on their own; they take paths (or bytes) from their caller, and
//! the `portevoix` binary takes a `--datasets` directory or
//! `PORTEVOIX_DATASETS`.
//!
//! ```no_run
//! let otc = portevoix_testdata::shared_dataset("bitcoin-otc/soc-sign-bitcoinotc.csv");
//! assert!(otc.ends_with("soc-sign-bitcoinotc.csv"));
//! ```
#![warn(missing_docs)]

use std::path::PathBuf;

/// Where the shared real datasets are: `$PORTEVOIX_DATASETS` if set, else
/// the first `shared/datasets` directory found beside the current directory
/// or one of its ancestors (the layout of a development checkout and of CI,
/// where the repository is cloned next to `shared/`).
pub fn datasets_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PORTEVOIX_DATASETS") {
        return Some(dir.into());
    }
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .map(|a| a.join("shared").join("datasets"))
        .find(|d| d.is_dir())
}

/// A file of the shared datasets, e.g.
/// `shared_dataset("bitcoin-otc/soc-sign-bitcoinotc.csv")`.
///
/// # Panics
///
/// When the datasets or the file cannot be found: a test that checks
/// behaviour on real data must fail, not pass silently, when the data is
/// missing.
pub fn shared_dataset(relative: &str) -> PathBuf {
    let dir = datasets_dir().unwrap_or_else(|| {
        panic!(
            "the shared datasets were not found: set PORTEVOIX_DATASETS or clone next to shared/"
        )
    });
    let path = dir.join(relative);
    assert!(
        path.exists(),
        "missing shared dataset file {}",
        path.display()
    );
    path
}
