//! The library path of `portevoix discover`: one `Engine` built from the
//! data, several campaigns scored on it concurrently, and a signal of the
//! user's own registered beside the built-in ones.
//!
//! ```text
//! cargo run --release --example discover_engine [TWEETS.csv]
//! ```
//!
//! Default input: the US airline tweets of the shared datasets. The three
//! campaigns are `examples/campaigns/airline.toml` under its own objective
//! (advocacy) and under awareness and consideration; the user signal
//! `brand.answered_by_brand` counts the times the brand's accounts replied
//! to or mentioned the person (the brand already engages with them).

use portevoix::core::{Error, Layer};
use portevoix::graph::BuildOptions;
use portevoix::ingest::{FormatKind, ReadOptions, load};
use portevoix::score::campaign::{Campaign, Objective};
use portevoix::score::discover::{DiscoverOptions, discover};
use portevoix::score::discovery::Discovery;
use portevoix::score::engine::Engine;
use portevoix::score::signals::{CampaignContext, Family, Signal};
use portevoix::text::analysis::Analyzer;
use portevoix_testdata::shared_dataset;
use std::path::PathBuf;
use std::time::Instant;

/// A user signal: replies and mentions the brand's accounts gave the person.
struct AnsweredByBrand;

impl Signal for AnsweredByBrand {
    fn name(&self) -> &str {
        "brand.answered_by_brand"
    }
    fn family(&self) -> Family {
        Family::BrandAffinity
    }
    fn description(&self) -> &str {
        "replies and mentions the brand's accounts gave the person"
    }
    fn compute(&self, ctx: &CampaignContext<'_>) -> Result<Vec<f64>, Error> {
        let mut out = vec![0.0; ctx.engine.num_accounts()];
        for layer in [Layer::Reply, Layer::Mention] {
            if let Some(g) = ctx.engine.network().layer(layer) {
                for &brand in &ctx.brand {
                    let (targets, weights) = g.out_neighbors(brand);
                    for (&t, &w) in targets.iter().zip(weights) {
                        out[t as usize] += f64::from(w);
                    }
                }
            }
        }
        Ok(out)
    }
}

fn summary(d: &Discovery) {
    println!(
        "\n## {} ({}): {} candidates",
        d.campaign, d.objective, d.num_candidates
    );
    println!("rank  baseline rank  account            contextual  tier   role        ambassador");
    for a in d.accounts.iter().take(5) {
        println!(
            "{:>4}  {:>13}  {:<18} {:>10.1}  {:<5}  {:<10}  {}",
            a.rank,
            a.baseline_rank,
            a.handle.as_deref().unwrap_or(&a.id),
            a.contextual_score,
            a.tier.name(),
            a.role.map_or("-", |r| r.name()),
            a.ambassador.map_or("-", |k| k.name()),
        );
    }
    // What context changes: how many of the baseline's top 20 stay in the
    // contextual top 20.
    let top = |by_baseline: bool| -> Vec<&str> {
        let mut v: Vec<_> = d.accounts.iter().collect();
        v.sort_by_key(|a| if by_baseline { a.baseline_rank } else { a.rank });
        v.iter().take(20).map(|a| a.id.as_str()).collect()
    };
    let contextual = top(false);
    let kept = top(true)
        .iter()
        .filter(|id| contextual.contains(id))
        .count();
    println!("baseline top 20 still in the contextual top 20: {kept}");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| shared_dataset("airline-sentiment/tweets.csv"));
    let start = Instant::now();
    let dataset = load(
        &[(&path, Some(FormatKind::PostsCsv))],
        &ReadOptions::default(),
    )?;
    let engine = Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard())?;
    println!(
        "engine: {} accounts, {} posts, built in {:.2} s",
        engine.num_accounts(),
        engine.corpus().num_posts(),
        start.elapsed().as_secs_f64()
    );

    let advocacy = Campaign::from_toml_str(
        include_str!("campaigns/airline.toml"),
        "examples/campaigns/airline.toml",
    )?;
    let variant = |objective: Objective| {
        let mut c = advocacy.with_objective(objective);
        c.name = format!("{} [{objective:?}]", advocacy.name);
        c
    };
    let campaigns = [
        advocacy.clone(),
        variant(Objective::Awareness),
        variant(Objective::Consideration),
    ];

    // The engine is Send + Sync: score the campaigns on three threads.
    let start = Instant::now();
    let results: Vec<Result<Discovery, Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = campaigns
            .iter()
            .map(|campaign| {
                let engine = &engine;
                scope.spawn(move || {
                    let options = DiscoverOptions::default()
                        .with_signal(std::sync::Arc::new(AnsweredByBrand));
                    discover(engine, campaign, &options)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a scoring thread panicked"))
            .collect()
    });
    println!(
        "three campaigns scored concurrently in {:.2} s",
        start.elapsed().as_secs_f64()
    );
    for d in results {
        summary(&d?);
    }
    Ok(())
}
