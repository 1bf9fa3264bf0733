//! Language identification on real posts: airline-sentiment (English
//! tweets), fr-media (French media tweets) and the twitter-api-v2 pages,
//! whose tweets carry Twitter's own `lang` label.

mod common;

use std::path::Path;

use portevoix_testdata::shared_dataset;
use portevoix_text::analysis::{Analyzer, DetectionStrategy, Language, TokenKind, detect_language};

/// (text, Twitter's lang label if any) of every object with `id` and `text`.
fn collect(value: &serde_json::Value, out: &mut Vec<(String, Option<String>)>) {
    match value {
        serde_json::Value::Object(map) => {
            if let (Some(serde_json::Value::String(text)), Some(_)) =
                (map.get("text"), map.get("id"))
            {
                let lang = map.get("lang").and_then(|l| l.as_str()).map(str::to_string);
                out.push((text.clone(), lang));
            }
            map.values().for_each(|v| collect(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

fn json_texts(path: &Path) -> Vec<(String, Option<String>)> {
    let data = std::fs::read_to_string(path).unwrap();
    let mut out = Vec::new();
    match serde_json::from_str::<serde_json::Value>(&data) {
        Ok(value) => collect(&value, &mut out),
        Err(_) => {
            for line in data.lines() {
                if let Ok(value) = serde_json::from_str::<serde_json::Value>(line) {
                    collect(&value, &mut out);
                }
            }
        }
    }
    out
}

fn french_texts() -> Vec<String> {
    let mut texts: Vec<String> = json_texts(&shared_dataset("fr-media/twitter-tweets.json"))
        .into_iter()
        .chain(json_texts(&shared_dataset("fr-media/fusion.json")))
        .map(|(t, _)| t)
        .collect();
    texts.sort();
    texts.dedup();
    texts
}

/// Words of the text proper (no mentions, URLs, numbers; hashtag words count).
fn word_count(text: &str) -> usize {
    static COUNTER: std::sync::OnceLock<Analyzer> = std::sync::OnceLock::new();
    COUNTER
        .get_or_init(|| {
            Analyzer::builder("count")
                .languages(&[Language::English])
                .stop_words(false)
                .stem(false)
                .build()
        })
        .analyze(text)
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .count()
}

struct Rate {
    hits: usize,
    total: usize,
}

impl Rate {
    fn pct(&self) -> f64 {
        100.0 * self.hits as f64 / self.total.max(1) as f64
    }
}

fn rate(texts: &[&str], expected: Language, detect: impl Fn(&str) -> Option<Language>) -> Rate {
    let hits = texts.iter().filter(|t| detect(t) == Some(expected)).count();
    Rate {
        hits,
        total: texts.len(),
    }
}

fn long_enough(texts: &[String]) -> Vec<&str> {
    texts
        .iter()
        .map(String::as_str)
        .filter(|t| word_count(t) >= 5)
        .collect()
}

#[test]
fn english_airline_tweets() {
    let texts: Vec<String> = common::airline_column("text")
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    let long = long_enough(&texts);
    println!(
        "airline: {} tweets, {} with >= 5 words",
        texts.len(),
        long.len()
    );
    assert!(long.len() > 8_000, "{}", long.len());
    let standard = Analyzer::standard();
    let whatlang_only = Analyzer::builder("w")
        .detection(DetectionStrategy::Whatlang)
        .build();
    let en_fr = Analyzer::builder("en_fr")
        .languages(&[Language::English, Language::French])
        .build();
    let s = rate(&long, Language::English, |t| {
        standard.detect(t).map(|g| g.language)
    });
    let w = rate(&long, Language::English, |t| {
        whatlang_only.detect(t).map(|g| g.language)
    });
    let d = rate(&long, Language::English, |t| {
        detect_language(t, &[]).map(|g| g.language)
    });
    let ef = rate(&long, Language::English, |t| {
        en_fr.detect(t).map(|g| g.language)
    });
    let reliable = long
        .iter()
        .filter(|t| standard.detect(t).is_some_and(|g| g.reliable))
        .count();
    println!(
        "airline (English), {} tweets with >= 5 words: standard {:.2}%, whatlang-only {:.2}%, detect_language {:.2}%, en+fr {:.2}%, reliable {:.2}%",
        long.len(),
        s.pct(),
        w.pct(),
        d.pct(),
        ef.pct(),
        100.0 * reliable as f64 / long.len() as f64
    );
    assert!(s.pct() >= 95.0, "standard {:.2}%", s.pct());
    assert!(ef.pct() >= 98.0, "en+fr {:.2}%", ef.pct());
    assert!(w.pct() >= 85.0, "whatlang {:.2}%", w.pct());
}

#[test]
fn french_media_tweets() {
    let texts = french_texts();
    let long = long_enough(&texts);
    assert!(long.len() > 3_000, "{}", long.len());
    let standard = Analyzer::standard();
    let whatlang_only = Analyzer::builder("w")
        .detection(DetectionStrategy::Whatlang)
        .build();
    let en_fr = Analyzer::builder("en_fr")
        .languages(&[Language::English, Language::French])
        .build();
    let s = rate(&long, Language::French, |t| {
        standard.detect(t).map(|g| g.language)
    });
    let w = rate(&long, Language::French, |t| {
        whatlang_only.detect(t).map(|g| g.language)
    });
    let ef = rate(&long, Language::French, |t| {
        en_fr.detect(t).map(|g| g.language)
    });
    println!(
        "fr-media (French), {} distinct tweets with >= 5 words: standard {:.2}%, whatlang-only {:.2}%, en+fr {:.2}%",
        long.len(),
        s.pct(),
        w.pct(),
        ef.pct()
    );
    // The rest is mostly English: FRANCE24 and others also post in English.
    let mut others = std::collections::BTreeMap::new();
    for t in &long {
        let got = standard.detect(t).map(|g| g.language);
        if got != Some(Language::French) {
            *others.entry(format!("{got:?}")).or_insert(0usize) += 1;
        }
    }
    println!("  fr-media tweets not detected as French: {others:?}");
    for t in long
        .iter()
        .filter(|t| standard.detect(t).map(|g| g.language) != Some(Language::French))
        .take(8)
    {
        println!("  not French: {:?} -> {:?}", t, standard.detect(t));
    }
    assert!(s.pct() >= 95.0, "standard {:.2}%", s.pct());
    assert!(ef.pct() >= 97.0, "en+fr {:.2}%", ef.pct());
}

#[test]
fn twitter_labels_agree() {
    let dir = shared_dataset("twitter-api-v2");
    let mut labelled = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "jsonl") {
            labelled.extend(json_texts(&path));
        }
    }
    labelled.sort();
    labelled.dedup();
    let standard = Analyzer::standard();
    let mut total = 0;
    let mut agree = 0;
    for (text, lang) in &labelled {
        let Some(expected) = lang.as_deref().and_then(Language::from_code) else {
            continue;
        };
        if word_count(text) < 5 {
            continue;
        }
        total += 1;
        let got = standard.detect(text).map(|g| g.language);
        if got == Some(expected) {
            agree += 1;
        } else {
            println!("  twitter says {expected:?}, we say {got:?}: {text:?}");
        }
    }
    println!(
        "twitter-api-v2: {agree}/{total} labelled tweets with >= 5 words agree with Twitter's lang"
    );
    assert!(total >= 20, "{total}");
    assert!(agree as f64 >= 0.9 * total as f64, "{agree}/{total}");
}

#[test]
fn no_letters_no_language() {
    assert_eq!(detect_language("", &[]), None);
    assert_eq!(detect_language("12 34 !!! 🚀 :)", &[]), None);
    assert_eq!(detect_language("@someone #tag https://t.co/x", &[]), None);
    assert_eq!(Analyzer::standard().analyze("2022 !!!").language, None);
}

#[test]
fn allowed_set_restricts() {
    let text = "Le gouvernement a annoncé de nouvelles mesures pour les hôpitaux";
    let g = detect_language(text, &[Language::English, Language::French]).unwrap();
    assert_eq!(g.language, Language::French);
    assert!(g.reliable);
    let g = detect_language(text, &[Language::English, Language::German]);
    assert!(g.is_none_or(|g| g.language != Language::French));
    // Greek script, only Latin languages allowed.
    assert_eq!(
        detect_language("Καλημέρα σε όλους τους φίλους", &[Language::English]),
        None
    );
    assert_eq!(
        detect_language("Καλημέρα σε όλους τους φίλους", &[])
            .unwrap()
            .language,
        Language::Greek
    );
}

#[test]
fn forced_and_given_languages() {
    let fr = Analyzer::builder("fr")
        .languages(&[Language::French])
        .build();
    let a = fr.analyze("The influencers");
    assert_eq!(a.language.unwrap().language, Language::French);
    assert_eq!(a.language.unwrap().confidence, 1.0);
    let a = Analyzer::standard().analyze_in("Les influenceuses", Some(Language::French));
    assert_eq!(a.terms().collect::<Vec<_>>(), ["influenc"]);
}

#[test]
fn unreliable_guess_means_no_stemming() {
    // Too short to tell: the guess is kept, but nothing language-specific is applied.
    let a = Analyzer::builder("w")
        .detection(DetectionStrategy::Whatlang)
        .build()
        .analyze("ok");
    if let Some(g) = a.language {
        if !g.reliable {
            assert_eq!(a.effective_language(), None);
            assert_eq!(a.terms().collect::<Vec<_>>(), ["ok"]);
        }
    }
}
