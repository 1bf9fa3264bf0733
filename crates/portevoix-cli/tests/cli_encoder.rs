//! `portevoix sentiment --engine encoder --encoder DIR -`. With the feature `encoder`, the model
//! files come from `PORTEVOIX_ENCODER_DIR` (`scripts/fetch-encoder.sh DIR`); the tests that need them
//! are skipped with a message when it is not set, unless `PORTEVOIX_REQUIRE_ENCODER=1` (CI). Without
//! the feature, asking for the encoder is a clear error.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

#[cfg_attr(not(feature = "encoder"), allow(dead_code))]
fn with_stdin(args: &[&str], input: &[u8], threads: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_portevoix"))
        .args(args)
        .env("RAYON_NUM_THREADS", threads)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // A run refused on its arguments exits before reading its input: a broken pipe here is
    // that refusal, which the caller checks on the output.
    if let Err(e) = child.stdin.take().unwrap().write_all(input) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().expect("output")
}

#[cfg(feature = "encoder")]
fn model_dir(test: &str) -> Option<String> {
    let required = std::env::var("PORTEVOIX_REQUIRE_ENCODER").is_ok_and(|v| v == "1");
    match std::env::var("PORTEVOIX_ENCODER_DIR") {
        Ok(dir)
            if std::path::Path::new(&dir)
                .join("model.safetensors")
                .is_file() =>
        {
            Some(dir)
        }
        _ => {
            assert!(
                !required,
                "{test}: PORTEVOIX_ENCODER_DIR has no model files"
            );
            eprintln!(
                "SKIPPED {test}: PORTEVOIX_ENCODER_DIR is not set (scripts/fetch-encoder.sh DIR)"
            );
            None
        }
    }
}

#[cfg(feature = "encoder")]
#[test]
fn one_json_object_per_line_in_order_with_the_stance_contract() {
    let Some(dir) = model_dir("one_json_object_per_line_in_order_with_the_stance_contract") else {
        return;
    };
    // Real airline tweets (negative, positive, neutral by their annotators), then edge cases: an empty
    // line, emoji only, invalid UTF-8, a CRLF line, and a line far longer than 256 tokens.
    let long = "@united flight delayed again and again ".repeat(200);
    let mut input = Vec::new();
    input.extend_from_slice(
        b"@united worst customer service ever, two hours on hold and my bag is still lost\n",
    );
    input.extend_from_slice(
        b"@SouthwestAir thank you for the amazing crew, best flight I have had in years!\n",
    );
    input.extend_from_slice(b"@JetBlue what time does the Boston flight board tomorrow?\n\n");
    input.extend_from_slice("😂😂😂\n".as_bytes());
    input.extend_from_slice(b"caf\xe9 \xff\xfe bad bytes\r\n");
    input.extend_from_slice(long.as_bytes());
    let args = [
        "sentiment",
        "--engine",
        "encoder",
        "--encoder",
        &dir,
        "--lang",
        "en",
        "-",
    ];
    let out = with_stdin(&args, &input, "2");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    assert_eq!(lines.len(), 7);
    // The model engine's objects: the same keys in the same order.
    let model = with_stdin(
        &["sentiment", "--engine", "model", "--lang", "en", "-"],
        &input,
        "2",
    );
    let keys = |out: &[u8]| -> Vec<Vec<String>> {
        String::from_utf8_lossy(out)
            .lines()
            .map(|l| {
                l.split(['{', ',', '}'])
                    .filter_map(|f| f.split(':').next())
                    .filter(|k| !k.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .collect()
    };
    assert_eq!(keys(&out.stdout), keys(&model.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("{\"label\":"));
    for v in &lines {
        let p = ["negative", "neutral", "positive"].map(|k| v[k].as_f64().unwrap());
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{v}");
        assert!((v["compound"].as_f64().unwrap() - (p[2] - p[0])).abs() < 1e-12);
        assert!(["negative", "neutral", "positive"].contains(&v["label"].as_str().unwrap()));
    }
    assert_eq!(lines[0]["label"], "negative", "{}", lines[0]);
    assert_eq!(lines[1]["label"], "positive", "{}", lines[1]);
    assert_eq!(lines[2]["label"], "neutral", "{}", lines[2]);
    // Same output for one thread and two, and for `--encoder DIR` alone (it implies the engine).
    let one = with_stdin(&args, &input, "1");
    let alone = with_stdin(&["sentiment", "--encoder", &dir, "-"], &input, "2");
    assert_eq!(one.stdout, out.stdout);
    assert_eq!(alone.stdout, out.stdout);
}

#[cfg(feature = "encoder")]
#[test]
fn bad_encoder_directories_and_options_are_clear_errors() {
    let missing = with_stdin(
        &["sentiment", "--encoder", "/nonexistent/minilm", "-"],
        b"hi\n",
        "1",
    );
    assert_eq!(missing.status.code(), Some(2));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(
        err.contains("not a directory") && err.contains("fetch-encoder.sh"),
        "{err}"
    );

    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().to_str().unwrap();
    let out = with_stdin(&["sentiment", "--encoder", dir, "-"], b"hi\n", "1");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("config.json: missing"), "{err}");

    std::fs::write(empty.path().join("config.json"), b"{not json").unwrap();
    std::fs::write(empty.path().join("tokenizer.json"), b"{}").unwrap();
    std::fs::write(empty.path().join("model.safetensors"), b"").unwrap();
    let out = with_stdin(&["sentiment", "--encoder", dir, "-"], b"hi\n", "1");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("config.json: not a BERT configuration"),
        "{err}"
    );

    let french = with_stdin(
        &["sentiment", "--encoder", dir, "--lang", "fr", "-"],
        b"",
        "1",
    );
    assert!(String::from_utf8_lossy(&french.stderr).contains("English only"));
    let files = common::portevoix(&["sentiment", "--encoder", dir, "tweets.csv"]);
    assert!(String::from_utf8_lossy(&files.stderr).contains("standard input"));
    // --engine encoder needs --encoder; --encoder goes with no other engine.
    let no_dir = with_stdin(&["sentiment", "--engine", "encoder", "-"], b"hi\n", "1");
    assert_eq!(no_dir.status.code(), Some(2));
    let err = String::from_utf8_lossy(&no_dir.stderr);
    assert!(
        err.contains("needs --encoder DIR") && err.contains("fetch-encoder.sh"),
        "{err}"
    );
    let vader = with_stdin(
        &["sentiment", "--engine", "vader", "--encoder", dir, "-"],
        b"hi\n",
        "1",
    );
    assert!(String::from_utf8_lossy(&vader.stderr).contains("goes with --engine encoder"));
    assert!(vader.stdout.is_empty());
}

#[cfg(not(feature = "encoder"))]
#[test]
fn the_encoder_in_a_build_without_the_feature_is_a_clear_error() {
    for args in [
        &["sentiment", "--engine", "encoder", "--encoder", "/tmp", "-"][..],
        &["sentiment", "--encoder", "/tmp", "-"][..],
        &["sentiment", "--engine", "encoder", "-"][..],
    ] {
        let out = with_stdin(args, b"hi\n", "1");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("feature `encoder`") && err.contains("--features encoder"),
            "{args:?}: {err}"
        );
        assert!(out.stdout.is_empty());
    }
}
