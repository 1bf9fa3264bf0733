//! `topics` on real data: the cardano Stack Exchange site (tags), the
//! coffee site's `.7z` and the bundled airline tweets (hashtags). Every
//! count is checked against the posts themselves, read here without the
//! topics module.

use portevoix_core::PostKind;
use portevoix_graph::BuildOptions;
use portevoix_ingest::{FormatKind, ReadOptions, load, load_bytes};
use portevoix_score::engine::Engine;
use portevoix_score::topics::{Period, TopicSource, Topics, TopicsOptions, topics};
use portevoix_testdata::shared_dataset;
use portevoix_text::analysis::{Analyzer, Language};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn engine(path: PathBuf, format: FormatKind) -> Engine {
    let dataset = load(&[(path.as_path(), Some(format))], &ReadOptions::default()).unwrap();
    Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).unwrap()
}

fn cardano() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        engine(
            shared_dataset("stackexchange/cardano"),
            FormatKind::StackExchange,
        )
    })
}

/// The first three topics of cardano, 5 people and 15 keywords each.
fn cardano_topics() -> &'static Topics {
    static T: OnceLock<Topics> = OnceLock::new();
    T.get_or_init(|| {
        let options = TopicsOptions {
            top: 3,
            people: 5,
            keywords: 15,
            ..TopicsOptions::default()
        };
        topics(cardano(), &options).unwrap()
    })
}

fn airline() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../datasets/airline-sample/tweets.first1000.csv");
        engine(path, FormatKind::PostsCsv)
    })
}

/// The posts of tag `tag` counted from the data: questions carrying it and
/// the answers to them.
fn tag_posts(engine: &Engine, tag: &str) -> Vec<usize> {
    let posts = engine.posts();
    let tagged: BTreeSet<&str> = posts
        .iter()
        .filter(|p| p.kind == PostKind::Question && p.tags.iter().any(|t| t == tag))
        .map(|p| p.id.as_str())
        .collect();
    (0..posts.len())
        .filter(|&i| {
            let p = &posts[i];
            match p.kind {
                PostKind::Question => tagged.contains(p.id.as_str()),
                PostKind::Answer => p
                    .reply_to
                    .as_ref()
                    .is_some_and(|r| tagged.contains(r.post.as_str())),
                _ => false,
            }
        })
        .collect()
}

#[test]
fn plutus_leads_cardano_and_its_counts_are_the_data_s() {
    let t = cardano_topics();
    let names: Vec<&str> = t.topics.iter().map(|s| s.topic.as_str()).collect();
    assert_eq!(names[0], "plutus", "{names:?}");
    assert_eq!(t.period, Period::Month); // nine months of data
    for s in &t.topics {
        assert_eq!(s.source, TopicSource::Tag);
        let expected = tag_posts(cardano(), &s.topic);
        assert_eq!(s.posts, expected.len() as u64, "{}", s.topic);
        let authors: BTreeSet<_> = expected
            .iter()
            .map(|&i| cardano().posts()[i].author)
            .collect();
        assert_eq!(s.authors, authors.len() as u64, "{}", s.topic);
        let summed: u64 = s.volume.iter().map(|v| v.posts).sum();
        assert_eq!(summed + s.undated, s.posts, "{}", s.topic);
        assert!(s.volume.iter().all(|v| v.authors <= v.posts));
    }
    // Ranked by posts.
    assert!(t.topics.windows(2).all(|w| w[0].posts >= w[1].posts));
    let plutus = &t.topics[0];
    assert!(plutus.posts > 400, "{}", plutus.posts);
    assert_eq!(plutus.volume.len(), 9);
    assert_eq!(plutus.volume[0].period, "2021-04");
}

#[test]
fn every_person_listed_wrote_on_the_topic_and_the_best_answered_it() {
    let engine = cardano();
    for s in &cardano_topics().topics {
        assert_eq!(s.people.len(), 5, "{}", s.topic);
        let posts = tag_posts(engine, &s.topic);
        let mut by_author: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        for &i in &posts {
            let p = &engine.posts()[i];
            let e = by_author.entry(engine.external_id(p.author)).or_default();
            e.0 += 1;
            e.1 += u64::from(p.kind == PostKind::Answer);
        }
        for p in &s.people {
            let (wrote, _) = by_author[&p.id];
            assert_eq!(p.posts, wrote, "{} on {}", p.id, s.topic);
            assert!(p.contextual_score > 0.0);
        }
        assert!(s.people.windows(2).all(|w| w[0].rank < w[1].rank));
        let answerers = s.people.iter().filter(|p| by_author[&p.id].1 > 0).count();
        assert!(answerers >= 4, "{}: {answerers} of 5 answered", s.topic);
    }
}

#[test]
fn plutus_keywords_name_its_concepts_and_no_stop_word() {
    let plutus = &cardano_topics().topics[0];
    let terms: Vec<&str> = plutus.keywords.iter().map(|k| k.term.as_str()).collect();
    for expected in ["script", "datum", "validator", "haskell"] {
        assert!(terms.contains(&expected), "{expected} not in {terms:?}");
    }
    let stop = Language::English.stop_words();
    for k in &plutus.keywords {
        assert!(!stop.contains(k.term.as_str()), "{}", k.term);
        assert!(!k.term.contains("plutus"), "{}", k.term);
        assert!(k.term.chars().any(char::is_alphabetic), "{}", k.term);
        assert!(k.posts >= 2);
    }
    assert!(plutus.keywords.windows(2).all(|w| w[0].tfidf >= w[1].tfidf));
    // "wallet" is a topic of its own, with its own words.
    let wallet = cardano_topics()
        .topics
        .iter()
        .find(|s| s.topic == "wallet")
        .unwrap();
    let terms: Vec<&str> = wallet.keywords.iter().map(|k| k.term.as_str()).collect();
    assert!(
        terms.contains(&"daedalus") && terms.contains(&"yoroi"),
        "{terms:?}"
    );
}

#[test]
fn airline_hashtags_are_topics_case_folded_with_their_authors() {
    let options = TopicsOptions {
        top: 5,
        people: 3,
        keywords: 5,
        ..TopicsOptions::default()
    };
    let t = topics(airline(), &options).unwrap();
    assert_eq!(t.period, Period::Day); // a week of tweets
    let first = &t.topics[0];
    assert_eq!(first.source, TopicSource::Hashtag);
    // Count the tweets holding the hashtag, in any case, from their text.
    let holds = |text: &str, tag: &str| {
        let lower = text.to_lowercase();
        lower.match_indices(&format!("#{tag}")).any(|(i, m)| {
            !lower[i + m.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    };
    for s in &t.topics {
        let posts: Vec<_> = airline()
            .posts()
            .iter()
            .filter(|p| p.repost_of.is_none() && holds(&p.text, &s.topic))
            .collect();
        assert_eq!(s.posts, posts.len() as u64, "#{}", s.topic);
        let authors: BTreeSet<String> = posts
            .iter()
            .map(|p| airline().external_id(p.author))
            .collect();
        for person in &s.people {
            assert!(
                authors.contains(&person.id),
                "{} on #{}",
                person.id,
                s.topic
            );
        }
        for k in &s.keywords {
            assert!(
                !k.term.starts_with('@') && !k.term.contains("http"),
                "{}",
                k.term
            );
        }
    }
    assert_eq!(first.topic, "unitedairlines");
    assert!(first.posts >= 10, "{}", first.posts);
    assert!(!first.people.is_empty());
}

#[test]
fn coffee_archive_reads_by_week_and_the_same_on_any_thread_count() {
    let coffee = engine(
        shared_dataset("stackexchange/coffee/coffee.stackexchange.com.7z"),
        FormatKind::StackExchange,
    );
    let options = TopicsOptions {
        top: 4,
        people: 3,
        keywords: 8,
        ..TopicsOptions::default()
    };
    let a = topics(&coffee, &options).unwrap();
    assert_eq!(a.period, Period::Week);
    assert_eq!(a.topics[0].topic, "brewing-process");
    let espresso = a.topics.iter().find(|s| s.topic == "espresso").unwrap();
    let terms: Vec<&str> = espresso.keywords.iter().map(|k| k.term.as_str()).collect();
    assert!(
        terms.contains(&"crema") || terms.contains(&"shot"),
        "{terms:?}"
    );
    // The same on one thread as on the pool.
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let b = one.install(|| topics(&coffee, &options)).unwrap();
    assert_eq!(a, b);
    // An explicit period regroups the same posts.
    let monthly = topics(
        &coffee,
        &TopicsOptions {
            period: Some(Period::Month),
            people: 0,
            ..options
        },
    )
    .unwrap();
    let s = &monthly.topics[0];
    assert!(s.volume.iter().all(|v| v.period.starts_with("2015-")));
    assert_eq!(s.volume.iter().map(|v| v.posts).sum::<u64>(), s.posts);
    assert!(s.people.is_empty());
}

#[test]
fn data_without_posts_has_no_topic_and_says_so() {
    let ds = load_bytes(
        "edges.txt",
        b"1 2\n2 3\n".to_vec(),
        FormatKind::EdgeList,
        &ReadOptions::default(),
    )
    .unwrap();
    let engine = Engine::builder().dataset(ds).build().unwrap();
    let t = topics(&engine, &TopicsOptions::default()).unwrap();
    assert!(t.topics.is_empty());
    assert_eq!(t.topics_found, 0);
    assert!(t.notes[0].contains("no topic"), "{:?}", t.notes);
}
