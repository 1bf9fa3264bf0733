//! The engagement-pod and follow-back cues: they fire on the shapes they
//! describe (built here) and stay rare on real data (the bundled Higgs
//! sample, where pods and follow-back harvesting are not expected).

use portevoix_graph::BuildOptions;
use portevoix_ingest::{FormatKind, ReadOptions, load, load_bytes};
use portevoix_score::authenticity::{FOLLOW_BACK, POD};
use portevoix_score::engine::Engine;
use portevoix_text::analysis::Analyzer;
use std::fmt::Write;
use std::path::Path;

fn engine_of(jsonl: String) -> Engine {
    let dataset = load_bytes(
        "cues.jsonl",
        jsonl.into_bytes(),
        FormatKind::Canonical,
        &ReadOptions::default(),
    )
    .unwrap();
    Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).unwrap()
}

fn edge(out: &mut String, actor: &str, target: &str, layer: &str) {
    writeln!(
        out,
        r#"{{"type":"interaction","actor":"{actor}","target":"{target}","layer":"{layer}"}}"#
    )
    .unwrap();
}

#[test]
fn a_pod_trading_reshares_is_flagged_and_a_fan_club_is_not() {
    let mut rows = String::from("{\"type\":\"header\",\"schema\":\"portevoix/1\"}\n");
    // Pod: 8 accounts re-sharing each other and the target.
    for i in 0..8 {
        edge(&mut rows, &format!("pod{i}"), "target", "repost");
        for j in (0..8).filter(|&j| j != i) {
            edge(&mut rows, &format!("pod{i}"), &format!("pod{j}"), "repost");
        }
    }
    // Fans: 8 accounts re-sharing a star who re-shares 4 of them back once,
    // and each re-sharing 10 other accounts: not a closed group.
    for i in 0..8 {
        edge(&mut rows, &format!("fan{i}"), "star", "repost");
        for k in 0..10 {
            edge(
                &mut rows,
                &format!("fan{i}"),
                &format!("other{i}_{k}"),
                "repost",
            );
        }
    }
    for i in 0..4 {
        edge(&mut rows, "star", &format!("fan{i}"), "repost");
    }
    let engine = engine_of(rows);
    let auth = engine.authenticity();
    let has = |name: &str, flag: u16| auth.has(engine.resolve(name).unwrap(), flag);
    for i in 0..8 {
        assert!(has(&format!("pod{i}"), POD), "pod{i}");
        assert!(!has(&format!("fan{i}"), POD), "fan{i}");
        assert!(auth.score[engine.resolve(&format!("pod{i}")).unwrap().index()] < 0.5);
    }
    assert!(!has("target", POD));
    assert!(
        !has("star", POD),
        "4 reciprocal partners are below the 5 needed"
    );
}

#[test]
fn follow_back_harvesting_is_flagged_and_a_sociable_account_is_not() {
    let mut rows = String::from("{\"type\":\"header\",\"schema\":\"portevoix/1\"}\n");
    // The harvester follows 1,200 accounts; 150 follow back.
    for i in 0..1200 {
        edge(&mut rows, "harvester", &format!("u{i}"), "follow");
    }
    for i in 0..150 {
        edge(&mut rows, &format!("u{i}"), "harvester", "follow");
    }
    // A sociable account follows 1,200 and is followed by 400 (300 of them
    // strangers): most of its followers are not follow-backs.
    for i in 0..1200 {
        edge(&mut rows, "sociable", &format!("u{i}"), "follow");
    }
    for i in 0..100 {
        edge(&mut rows, &format!("u{i}"), "sociable", "follow");
    }
    for i in 0..300 {
        edge(&mut rows, &format!("stranger{i}"), "sociable", "follow");
    }
    let engine = engine_of(rows);
    let auth = engine.authenticity();
    let harvester = engine.resolve("harvester").unwrap();
    let sociable = engine.resolve("sociable").unwrap();
    assert!(
        auth.has(harvester, FOLLOW_BACK),
        "{:?}",
        auth.cues(harvester)
    );
    assert!(auth.score[harvester.index()] < 0.5);
    assert!(
        !auth.has(sociable, FOLLOW_BACK),
        "{:?}",
        auth.cues(sociable)
    );
}

#[test]
fn the_new_cues_are_rare_on_real_data() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../datasets/higgs-sample/higgs-activity_time.first60000.txt.gz");
    let dataset = load(&[(&path, Some(FormatKind::Higgs))], &ReadOptions::default()).unwrap();
    let engine = Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).unwrap();
    let flags = &engine.authenticity().flags;
    let pods = flags.iter().filter(|f| *f & POD != 0).count();
    let harvesters = flags.iter().filter(|f| *f & FOLLOW_BACK != 0).count();
    // No follow layer: the follow-back cue cannot fire.
    assert_eq!(harvesters, 0);
    // Retweet rings exist in real data, but they are a tiny minority.
    assert!(
        (pods as f64) < 0.002 * flags.len() as f64,
        "{pods} of {} accounts flagged as pods",
        flags.len()
    );
}
