//! The engagement-pod, follow-back and mention-ring cues: they fire on the
//! shapes they describe (built here) and stay rare on real data (the bundled
//! Higgs sample and the airline tweets, where they are not expected).

use portevoix_graph::BuildOptions;
use portevoix_ingest::{FormatKind, ReadOptions, load, load_bytes};
use portevoix_score::engine::Engine;
use portevoix_score::engine::authenticity::{FOLLOW_BACK, MENTION_RING, POD};
use portevoix_testdata::shared_dataset;
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

fn mentions(out: &mut String, actor: &str, target: &str, times: usize) {
    for _ in 0..times {
        edge(out, actor, target, "mention");
    }
}

/// 8 accounts `{prefix}0..7`, each mentioning `target` `repeat` times and
/// the next two of the group once.
fn mention_group(out: &mut String, prefix: &str, target: &str, repeat: usize) {
    for i in 0..8 {
        let me = format!("{prefix}{i}");
        mentions(out, &me, target, repeat);
        mentions(out, &me, &format!("{prefix}{}", (i + 1) % 8), 1);
        mentions(out, &me, &format!("{prefix}{}", (i + 2) % 8), 1);
    }
}

#[test]
fn a_mention_ring_is_flagged_and_a_thread_a_fan_base_and_friends_are_not() {
    let mut rows = String::from("{\"type\":\"header\",\"schema\":\"portevoix/1\"}\n");
    // Ring: the target never answers.
    mention_group(&mut rows, "ring", "target", 3);
    // Customers in threads, but the brand is addressed by 40 other
    // accounts too: the group is a small share of its audience.
    mention_group(&mut rows, "cust", "brand", 2);
    for k in 0..40 {
        mentions(&mut rows, &format!("caller{k}"), "brand", 1);
    }
    // Friends whose host answers them: a conversation, not a ring.
    mention_group(&mut rows, "friend", "host", 3);
    for i in 0..8 {
        mentions(&mut rows, "host", &format!("friend{i}"), 1);
    }
    // Diluted: most of their mentions go to 10 unrelated accounts each.
    mention_group(&mut rows, "busy", "idol", 2);
    for i in 0..8 {
        for k in 0..10 {
            mentions(
                &mut rows,
                &format!("busy{i}"),
                &format!("elsewhere{i}_{k}"),
                1,
            );
        }
    }
    let engine = engine_of(rows);
    let auth = engine.authenticity();
    let has = |name: &str| auth.has(engine.resolve(name).unwrap(), MENTION_RING);
    for i in 0..8 {
        assert!(has(&format!("ring{i}")), "ring{i}");
        assert!(auth.score[engine.resolve(&format!("ring{i}")).unwrap().index()] < 0.5);
        assert!(
            !has(&format!("cust{i}")),
            "cust{i}: 8 of 48 accounts addressing the brand"
        );
        assert!(!has(&format!("friend{i}")), "friend{i}: the host answers");
        assert!(
            !has(&format!("busy{i}")),
            "busy{i}: 4 of 14 mentions in the group"
        );
    }
    for name in ["target", "brand", "host", "idol"] {
        assert!(!has(name), "{name}");
    }
}

#[test]
fn the_mention_ring_is_rare_on_real_tweets() {
    let path = shared_dataset("airline-sentiment/tweets.csv");
    let dataset = load(
        &[(&path, Some(FormatKind::PostsCsv))],
        &ReadOptions::default(),
    )
    .unwrap();
    let engine = Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).unwrap();
    let flags = &engine.authenticity().flags;
    let rings = flags.iter().filter(|f| *f & MENTION_RING != 0).count();
    // Measured: 0 of 5,863 accounts.
    assert!(
        (rings as f64) < 0.002 * flags.len() as f64,
        "{rings} of {} accounts flagged as mention rings",
        flags.len()
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
    let rings = flags.iter().filter(|f| *f & MENTION_RING != 0).count();
    assert!(
        (rings as f64) < 0.002 * flags.len() as f64,
        "{rings} of {} accounts flagged as mention rings",
        flags.len()
    );
    // No follow layer: the follow-back cue cannot fire.
    assert_eq!(harvesters, 0);
    // Retweet rings exist in real data, but they are a tiny minority.
    assert!(
        (pods as f64) < 0.002 * flags.len() as f64,
        "{pods} of {} accounts flagged as pods",
        flags.len()
    );
}
