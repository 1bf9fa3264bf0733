//! A community's topics: what a community manager looks at first.
//!
//! [`topics`] lists the topics of the data (Stack Exchange tags, or
//! hashtags elsewhere: see [`extract`]) by volume, and for each of the
//! first ones:
//!
//! - its volume over time, posts and distinct authors per calendar period,
//!   and the trend of the last complete period ([`volume`]);
//! - its top contextual people, scored by the product's own `discover` on
//!   a campaign for the topic ([`people`]);
//! - its suggested keywords, tf·idf of its posts against every post
//!   ([`keywords`]).
//!
//! It runs on the [`Engine`] that `discover` uses: the engine is built
//! once, and the graph signals every topic shares are computed once.
//!
//! Topics are ranked by posts, then distinct authors, then name; people by
//! contextual score, then external id; keywords by tf·idf, then term: the
//! same data and options give the same result.

pub mod extract;
pub mod keywords;
pub mod people;
pub mod volume;

pub use extract::{TopicPosts, TopicSource};
pub use keywords::Keyword;
pub use people::TopicPerson;
pub use volume::{Period, VolumePoint, trend};

use crate::campaign::Campaign;
use crate::engine::Engine;
use portevoix_core::{Error, Timestamp};
use portevoix_text::analysis::{Analysis, Language};
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::Serialize;

/// What [`topics`] lists.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicsOptions {
    /// Topics listed, by volume (20).
    pub top: usize,
    /// People listed per topic (5).
    pub people: usize,
    /// Keywords listed per topic (10).
    pub keywords: usize,
    /// The period of the volume series; `None`: chosen from the span of
    /// the data ([`Period::auto`]).
    pub period: Option<Period>,
    /// The campaign each topic's campaign starts from (objective, weights,
    /// gates, window, languages, lists, thresholds), its name, topic and
    /// tags replaced by the topic's; `None`: the defaults with the
    /// consideration objective.
    pub campaign: Option<Campaign>,
}

impl Default for TopicsOptions {
    fn default() -> TopicsOptions {
        TopicsOptions {
            top: 20,
            people: 5,
            keywords: 10,
            period: None,
            campaign: None,
        }
    }
}

/// One topic: its volume, people and keywords.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicSummary {
    /// The topic's name (a tag, or a hashtag without its `#`), lower-case.
    pub topic: String,
    /// Where the name comes from.
    pub source: TopicSource,
    /// Its content posts (questions and answers, or stream posts).
    pub posts: u64,
    /// Distinct authors of those posts.
    pub authors: u64,
    /// Posts without a date (in no period of `volume`): `posts` is the sum
    /// of `volume`'s posts plus these.
    pub undated: u64,
    /// Posts and authors per period, every period of the data.
    pub volume: Vec<VolumePoint>,
    /// The last complete period against the mean of the topic's earlier
    /// ones, `(last − mean) / mean` ([`trend`]); `None` for a topic too new
    /// to say.
    pub trend: Option<f64>,
    /// The top contextual people.
    pub people: Vec<TopicPerson>,
    /// The suggested keywords.
    pub keywords: Vec<Keyword>,
}

/// The topics of a community.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Topics {
    /// The period of the volume series.
    pub period: Period,
    /// Content posts of the data (the documents of the keywords' idf).
    pub posts: u64,
    /// Distinct topics found.
    pub topics_found: u64,
    /// The first and last periods of the series (`None` without dated
    /// posts).
    pub span: Option<(String, String)>,
    /// The first [`TopicsOptions::top`] topics, by posts, then authors,
    /// then name.
    pub topics: Vec<TopicSummary>,
    /// What the reader should know (no topic found, ...).
    pub notes: Vec<String>,
}

/// Lists the community's topics with their volume over time, top contextual
/// people and suggested keywords.
///
/// # Arguments
///
/// - `engine`: the data (the engine `discover` uses);
/// - `options`: how many topics, people and keywords, and the period.
///
/// # Returns
///
/// The [`Topics`]: the first topics by volume, each with its series, trend,
/// people and keywords.
///
/// # Errors
///
/// What [`discover`](crate::discover()) and the graph kernels report.
///
/// # Complexity
///
/// The analysis of every content post, O(text), in parallel; the graph
/// signals once; then per listed topic one `discover` without the graph
/// kernels, O(posts + edges + n log n), and its keywords, O(tokens of its
/// posts).
///
/// # Example
///
/// ```
/// use portevoix_ingest::{FormatKind, ReadOptions, load_bytes};
/// use portevoix_score::Engine;
/// use portevoix_score::topics::{TopicsOptions, topics};
///
/// let csv = b"tweet_id,name,text,tweet_created\n\
///     1,ann,@united lost my bag again #fail,2015-02-20T10:00\n\
///     2,bob,@united lost luggage and no help #FAIL,2015-02-21T11:00\n\
///     3,bob,@united thank you for the lovely flight,2015-02-22T11:00\n\
///     4,cat,@united smooth boarding today,2015-02-23T09:00\n".to_vec();
/// let dataset = load_bytes("t.csv", csv, FormatKind::PostsCsv, &ReadOptions::default()).unwrap();
/// let engine = Engine::builder().dataset(dataset).build().unwrap();
/// let t = topics(&engine, &TopicsOptions::default()).unwrap();
/// let fail = &t.topics[0];
/// assert_eq!((fail.topic.as_str(), fail.posts, fail.authors), ("fail", 2, 2));
/// // In both #fail posts, and in no other: twice as frequent there at least.
/// assert_eq!(fail.keywords[0].term, "lost");
/// assert!(fail.people.iter().all(|p| p.posts > 0));
/// ```
pub fn topics(engine: &Engine, options: &TopicsOptions) -> Result<Topics, Error> {
    let analyses = analyse(engine);
    let found = extract::extract(engine, &analyses);
    let authors_of = |t: &TopicPosts| -> u64 {
        let set: FxHashSet<u32> = t
            .posts
            .iter()
            .map(|&i| engine.posts()[i].author.0)
            .collect();
        set.len() as u64
    };
    let mut ranked: Vec<(u64, TopicPosts)> =
        found.into_iter().map(|t| (authors_of(&t), t)).collect();
    ranked.sort_by(|(a1, t1), (a2, t2)| {
        t2.posts
            .len()
            .cmp(&t1.posts.len())
            .then(a2.cmp(a1))
            .then_with(|| t1.name.cmp(&t2.name))
    });
    let topics_found = ranked.len() as u64;
    ranked.truncate(options.top);

    let content: Vec<usize> = (0..engine.posts().len())
        .filter(|&i| analyses[i].is_some())
        .collect();
    let times = content.iter().filter_map(|&i| engine.posts()[i].time);
    let range = times.fold(None, |r: Option<(Timestamp, Timestamp)>, t| match r {
        None => Some((t, t)),
        Some((a, b)) => Some((a.min(t), b.max(t))),
    });
    let period = options
        .period
        .unwrap_or_else(|| range.map_or(Period::Month, |(a, b)| Period::auto(a, b)));
    let grid = range.map(|(a, b)| volume::Grid::new(period, a, b));

    let mut notes = Vec::new();
    if topics_found == 0 {
        notes.push(format!(
            "no topic: none of the {} content posts carries a tag or a hashtag",
            content.len()
        ));
    }
    let index = keywords::KeywordIndex::new(engine, &analyses);
    let scorer = if ranked.is_empty() || options.people == 0 {
        None
    } else {
        Some(people::PeopleScorer::new(
            engine,
            options.campaign.as_ref(),
        )?)
    };
    let analyzer = engine.corpus().analyzer();
    let mut summaries = Vec::with_capacity(ranked.len());
    for (authors, topic) in &ranked {
        let posts = topic.posts.iter().map(|&i| {
            let p = &engine.posts()[i];
            (p.time, p.author.0)
        });
        let (volume, undated) = match &grid {
            Some(g) => volume::series(g, posts),
            None => (Vec::new(), topic.posts.len() as u64),
        };
        let trend = grid
            .as_ref()
            .and_then(|g| volume::trend(&volume, g.last_complete()));
        let people = match &scorer {
            Some(s) => s.top(topic, options.people)?,
            None => Vec::new(),
        };
        summaries.push(TopicSummary {
            topic: topic.name.clone(),
            source: topic.source,
            posts: topic.posts.len() as u64,
            authors: *authors,
            undated,
            volume,
            trend,
            people,
            keywords: index.top(
                engine,
                analyzer,
                &topic.name,
                &topic.posts,
                options.keywords,
            ),
        });
    }
    Ok(Topics {
        period,
        posts: content.len() as u64,
        topics_found,
        span: grid
            .as_ref()
            .map(|g| (g.label(0), g.label(g.len().saturating_sub(1)))),
        topics: summaries,
        notes,
    })
}

/// Every content post analysed by the corpus's analyser (in the post's
/// declared language when it names one), in parallel; `None` for the
/// other posts.
fn analyse(engine: &Engine) -> Vec<Option<Analysis>> {
    let analyzer = engine.corpus().analyzer();
    engine
        .posts()
        .par_iter()
        .map(|p| {
            extract::is_content(p).then(|| {
                let language = p.language.as_deref().and_then(Language::from_code);
                analyzer.analyze_in(&p.text, language)
            })
        })
        .collect()
}

impl Engine {
    /// [`topics`] on this engine: `engine.topics(&options)?`.
    ///
    /// # Errors
    ///
    /// As [`topics`].
    pub fn topics(&self, options: &TopicsOptions) -> Result<Topics, Error> {
        topics(self, options)
    }
}
