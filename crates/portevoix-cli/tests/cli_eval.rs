//! `portevoix eval` from the command line: results.json and the data it
//! names, and what happens without the shared datasets (an error, never a
//! panic), from a directory outside the checkout.

mod common;

use common::portevoix_in;
use portevoix_testdata::shared_dataset;

/// `--data` alone needs no datasets directory, wherever the binary runs.
#[test]
fn sentiment_with_data_runs_without_the_shared_datasets() {
    let cwd = tempfile::tempdir().unwrap();
    let out = cwd.path().join("out");
    let tweets = shared_dataset("airline-sentiment/tweets.csv");
    let o = portevoix_in(
        cwd.path(),
        &[
            "eval",
            "--protocol",
            "sentiment",
            "--quick",
            "--resamples",
            "20",
            "--data",
            tweets.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("sentiment/results.json")).unwrap())
            .unwrap();
    assert_eq!(json["population"], 2000);
}

/// Without `--data` and without the shared datasets: exit code 2 and a
/// message naming the way out (a panic exits with 101).
#[test]
fn default_data_without_datasets_is_a_clear_error() {
    let cwd = tempfile::tempdir().unwrap();
    for protocol in ["sir", "sentiment", "trust", "cascades"] {
        let o = portevoix_in(cwd.path(), &["eval", "--protocol", protocol, "--quick"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{protocol}: {err}");
        assert!(err.contains("--datasets"), "{protocol}: {err}");
        assert!(!err.contains("panicked"), "{protocol}: {err}");
    }
}

/// The protocols whose quick version runs on built-in data work anywhere.
#[test]
fn quick_higgs_holdout_runs_on_its_built_in_sample_anywhere() {
    let cwd = tempfile::tempdir().unwrap();
    let out = cwd.path().join("out");
    let o = portevoix_in(
        cwd.path(),
        &[
            "eval",
            "--protocol",
            "higgs-holdout",
            "--quick",
            "--resamples",
            "10",
            "--variants",
            "in_degree,baseline",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("higgs-holdout/results.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        json["data"][0],
        "datasets/higgs-sample/higgs-activity_time.first60000.txt.gz (built in)"
    );
}

/// The manipulation protocol injects its rows in memory: it writes no
/// temporary file (it used to write them under the temporary directory and
/// leak it on an early error), so an unusable temporary directory is no
/// obstacle.
#[test]
fn manipulation_writes_no_temporary_file() {
    let cwd = tempfile::tempdir().unwrap();
    let not_a_dir = cwd.path().join("tmp-is-a-file");
    std::fs::write(&not_a_dir, "").unwrap();
    // The first 15,000 rows of the bundled Higgs sample keep it short.
    let mut rows = String::new();
    let gz = std::fs::File::open(common::repo(
        "datasets/higgs-sample/higgs-activity_time.first60000.txt.gz",
    ))
    .unwrap();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(gz), &mut rows).unwrap();
    let head: String = rows
        .lines()
        .take(15_000)
        .map(|l| format!("{l}\n"))
        .collect();
    let data = cwd.path().join("higgs-head.txt");
    std::fs::write(&data, head).unwrap();
    let out = cwd.path().join("out");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_portevoix"))
        .args([
            "eval",
            "--protocol",
            "manipulation",
            "--quick",
            "--data",
            data.to_str().unwrap(),
            "--resamples",
            "10",
            "--variants",
            "baseline,contextual_awareness",
            "--out",
            out.to_str().unwrap(),
        ])
        .current_dir(cwd.path())
        .env_remove("PORTEVOIX_DATASETS")
        .env("TMPDIR", &not_a_dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("manipulation/results.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["results"].as_array().unwrap().len(), 2);
    let entries: Vec<_> = std::fs::read_dir(cwd.path()).unwrap().collect();
    assert_eq!(
        entries.len(),
        3,
        "the file, the data, the output: {entries:?}"
    );
}
