//! A campaign service: one `Engine` kept in memory, a pool of worker
//! threads, many campaigns answered concurrently. No web framework: a
//! request is a campaign file's text, a response the best accounts as JSON
//! Lines, or an error routed by its kind (a campaign the user must fix, with
//! the key and the line; anything else for the operator's log).
//!
//! ```text
//! cargo run --release --example campaign_service [TWEETS.csv] [CAMPAIGN.toml ...]
//! ```
//!
//! Default input: the repository's sample of airline tweets
//! (`datasets/airline-sample/tweets.first1000.csv`, run from the
//! repository's root) and the United campaign under each objective, plus
//! one campaign with a mistake, answered on four threads.
//! `cargo test --example campaign_service` checks that the answers equal
//! those of one thread and that the mistake comes back as a configuration
//! error with its location.

use portevoix::core::{Error, ErrorKind};
use portevoix::ingest::{Dataset, FormatKind, ReadOptions, load};
use portevoix::report::discover::{ReportFormat, write_discovery};
use portevoix::{Campaign, DiscoverOptions, Engine, Objective};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

/// The United campaign of the repository.
const AIRLINE: &str = include_str!("campaigns/airline.toml");

/// What a request gets back.
#[derive(Debug)]
enum Answer {
    /// The best accounts, one JSON object per line (the `discover`
    /// contract).
    Accounts(String),
    /// A campaign the user must fix: the key, its place, why.
    BadCampaign(String),
    /// Anything else: logged by the service, a short message to the user.
    Failed(String),
}

/// One request: a campaign file's text and where to send the answer.
struct Job {
    name: String,
    campaign: String,
    reply: Sender<Answer>,
}

/// The service: a queue of jobs and the threads that take them.
struct Service {
    jobs: Sender<Job>,
    workers: Vec<JoinHandle<()>>,
}

impl Service {
    /// Starts `threads` workers sharing `engine`; each answers with the
    /// `top` best accounts.
    fn start(engine: Arc<Engine>, threads: usize, top: usize) -> Service {
        let (jobs, queue) = channel::<Job>();
        let queue = Arc::new(std::sync::Mutex::new(queue));
        let options = DiscoverOptions {
            top: Some(top),
            ..DiscoverOptions::default()
        };
        let workers = (0..threads)
            .map(|_| {
                let (engine, queue, options) = (engine.clone(), queue.clone(), options.clone());
                std::thread::spawn(move || {
                    loop {
                        // The lock is held while waiting for a job, not while answering it.
                        let job = match queue.lock() {
                            Ok(q) => q.recv(),
                            Err(_) => return,
                        };
                        let Ok(job) = job else { return };
                        let answer = answer(&engine, &job, &options);
                        let _ = job.reply.send(answer);
                    }
                })
            })
            .collect();
        Service { jobs, workers }
    }

    /// Queues a campaign; the answer arrives on the receiver.
    fn submit(&self, name: &str, campaign: &str) -> Receiver<Answer> {
        let (reply, answer) = channel();
        let job = Job {
            name: name.to_string(),
            campaign: campaign.to_string(),
            reply,
        };
        if self.jobs.send(job).is_err() {
            eprintln!("service: no worker left for {name}");
        }
        answer
    }

    /// Lets the workers finish the queue and stop.
    fn shutdown(self) {
        drop(self.jobs);
        for w in self.workers {
            let _ = w.join();
        }
    }
}

/// Scores one campaign; errors are routed by kind.
fn answer(engine: &Engine, job: &Job, options: &DiscoverOptions) -> Answer {
    let scored = Campaign::from_toml_str(&job.campaign, &job.name)
        .and_then(|campaign| engine.discover(&campaign, options));
    match scored {
        Ok(discovery) => {
            let mut out = Vec::new();
            match write_discovery(&discovery, ReportFormat::Jsonl, None, &mut out) {
                Ok(()) => Answer::Accounts(String::from_utf8_lossy(&out).into_owned()),
                Err(e) => failed(&job.name, &Error::output("JSON Lines", e.to_string())),
            }
        }
        Err(e) if e.kind() == ErrorKind::Config => Answer::BadCampaign(e.to_string()),
        Err(e) => failed(&job.name, &e),
    }
}

fn failed(name: &str, e: &Error) -> Answer {
    eprintln!("service: {name}: {e}");
    Answer::Failed(format!("{name} could not be scored; the operator was told"))
}

/// The United campaign under `objective`.
fn airline_under(objective: Objective) -> String {
    AIRLINE.replace(
        "objective = \"advocacy\"",
        &format!("objective = \"{objective}\""),
    )
}

fn load_tweets(path: &std::path::Path) -> Result<Dataset, Error> {
    load(
        &[(path, Some(FormatKind::PostsCsv))],
        &ReadOptions::default(),
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let tweets = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("datasets/airline-sample/tweets.first1000.csv"));
    let engine = Arc::new(Engine::builder().dataset(load_tweets(&tweets)?).build()?);
    let mut campaigns: Vec<(String, String)> = args
        .map(|p| Ok((p.clone(), std::fs::read_to_string(&p)?)))
        .collect::<Result<_, std::io::Error>>()?;
    if campaigns.is_empty() {
        for o in [
            Objective::Advocacy,
            Objective::Awareness,
            Objective::Consideration,
        ] {
            campaigns.push((format!("united-{o}.toml"), airline_under(o)));
        }
        campaigns.push((
            "typo.toml".into(),
            AIRLINE.replace("relevance_floor = 0.0", "relevance_floor = 1.5"),
        ));
    }
    let service = Service::start(engine, 4, 3);
    let answers: Vec<(String, Receiver<Answer>)> = campaigns
        .iter()
        .map(|(name, text)| (name.clone(), service.submit(name, text)))
        .collect();
    for (name, answer) in answers {
        match answer.recv()? {
            Answer::Accounts(lines) => {
                println!("{name}: best accounts");
                for line in lines.lines() {
                    let v: serde_json::Value = serde_json::from_str(line)?;
                    println!("  {} {} {:.1}", v["rank"], v["id"], v["contextual_score"]);
                }
            }
            Answer::BadCampaign(why) => println!("{name}: please fix the campaign: {why}"),
            Answer::Failed(why) => println!("{name}: {why}"),
        }
    }
    service.shutdown();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use portevoix::ingest::load_bytes;

    const TWEETS: &[u8] = include_bytes!("../datasets/airline-sample/tweets.first1000.csv");

    fn engine() -> Arc<Engine> {
        let dataset = load_bytes(
            "tweets.first1000.csv",
            TWEETS.to_vec(),
            FormatKind::PostsCsv,
            &ReadOptions::default(),
        )
        .unwrap();
        Arc::new(Engine::builder().dataset(dataset).build().unwrap())
    }

    /// Many campaigns at once on four threads: each answer equals the one
    /// thread's; a campaign with a bad value comes back as a configuration
    /// error naming the file, the line and the key's reason.
    #[test]
    fn concurrent_answers_equal_sequential_ones_and_mistakes_are_the_users() {
        let engine = engine();
        let objectives = [
            Objective::Advocacy,
            Objective::Awareness,
            Objective::Consideration,
        ];
        let service = Service::start(engine.clone(), 4, 5);
        let mut pending = Vec::new();
        for round in 0..2 {
            for o in objectives {
                let name = format!("united-{o}-{round}.toml");
                pending.push((o, service.submit(&name, &airline_under(o))));
            }
        }
        let typo = AIRLINE.replace("relevance_floor = 0.0", "relevance_floor = 1.5");
        let bad = service.submit("typo.toml", &typo);
        let options = DiscoverOptions {
            top: Some(5),
            ..DiscoverOptions::default()
        };
        for (o, answer) in pending {
            let Answer::Accounts(lines) = answer.recv().unwrap() else {
                panic!("{o}: not scored")
            };
            assert_eq!(lines.lines().count(), 5);
            let alone = answer_of(&engine, &airline_under(o), &options);
            assert_eq!(lines, alone, "{o}");
        }
        let Answer::BadCampaign(why) = bad.recv().unwrap() else {
            panic!("a configuration error")
        };
        let line = typo
            .lines()
            .position(|l| l.starts_with("relevance_floor"))
            .unwrap()
            + 1;
        assert!(why.starts_with(&format!("typo.toml:{line}:1: ")), "{why}");
        assert!(why.contains("relevance_floor is 1.5"), "{why}");
        service.shutdown();
    }

    fn answer_of(engine: &Engine, text: &str, options: &DiscoverOptions) -> String {
        let job = Job {
            name: "alone.toml".into(),
            campaign: text.into(),
            reply: channel().0,
        };
        match answer(engine, &job, options) {
            Answer::Accounts(lines) => lines,
            other => panic!("{other:?}"),
        }
    }
}
