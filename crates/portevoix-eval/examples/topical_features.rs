//! Writes, for every topic of the `topical` protocol, the product's signals
//! of every account of the population at the split, with the topic's
//! future and past gains: the table `scripts/topical_cv/` cross-validates
//! scoring rules on.
//!
//! ```sh
//! PORTEVOIX_DATASETS=../shared/datasets cargo run --release -p portevoix-eval --example topical_features -- /tmp/topical_features.jsonl [SITE...]
//! ```
//!
//! One JSON object per line: per site a header `{"site", "split",
//! "signals": [[name, family], ...]}`, then per topic and account of the
//! population `{"site", "tag", "account", "id", "future", "past", "gate",
//! "score", "raw": [...], "norm": [...]}`: the consideration campaign's
//! contextual score and its notes (gate first, then authenticity cues), each signal's raw and log-rank value in
//! the header's order (0 for an account outside the candidate pool).

use portevoix_eval::protocol::EvalOptions;
use portevoix_eval::protocols::topical::{SHARED_SITES, full_ids, load_site, outcomes, site_name};
use portevoix_score::{Campaign, DiscoverOptions, Engine, Objective, discover};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .ok_or("usage: topical_features OUT.jsonl [SITE...]")?;
    let mut sites: Vec<PathBuf> = args.map(PathBuf::from).collect();
    if sites.is_empty() {
        let options = EvalOptions::default();
        sites = SHARED_SITES
            .iter()
            .map(|s| options.dataset(s))
            .collect::<Result<_, _>>()?;
    }
    let mut w = std::io::BufWriter::new(std::fs::File::create(&out)?);
    for path in &sites {
        let name = site_name(path);
        let mut site = load_site(path)?;
        let o = outcomes(&site)?;
        let past = std::mem::take(&mut site.past);
        let full_id = full_ids(&site, &past);
        let engine = Engine::builder().dataset(past).build()?;
        let options = DiscoverOptions {
            evidence: 0,
            ..DiscoverOptions::default()
        };
        let mut header = false;
        for topic in &o.topics {
            let campaign = Campaign::builder(&topic.tag)
                .tag(&topic.tag)
                .objective(Objective::Consideration)
                .build()?;
            let d = discover(&engine, &campaign, &options)?;
            if !header {
                let signals: Vec<_> = d
                    .signals
                    .iter()
                    .map(|s| json!([s.name, s.family.name()]))
                    .collect();
                let line = json!({"site": name, "split": o.split.to_iso8601(), "signals": signals});
                writeln!(w, "{line}")?;
                header = true;
            }
            let k = d.signals.len();
            let mut rows: Vec<Option<&portevoix_score::discovery::DiscoveredAccount>> =
                vec![None; site.dataset.num_nodes()];
            for a in &d.accounts {
                if let Some(u) = full_id.get(a.node.index()).copied().flatten() {
                    rows[u] = Some(a);
                }
            }
            for &u in &o.population {
                let (score, gate, raw, norm) = match rows[u] {
                    Some(a) => (
                        a.contextual_score,
                        a.explanation
                            .evidence
                            .iter()
                            .filter_map(|e| match e {
                                portevoix_core::Evidence::Note { text } => Some(text.as_str()),
                                _ => None,
                            })
                            .collect::<Vec<_>>()
                            .join("; "),
                        a.explanation.contributions.iter().map(|c| c.raw).collect(),
                        a.explanation
                            .contributions
                            .iter()
                            .map(|c| c.normalised)
                            .collect(),
                    ),
                    None => (
                        0.0,
                        "not a candidate".to_string(),
                        vec![0.0; k],
                        vec![0.0; k],
                    ),
                };
                let line = json!({
                    "site": name, "tag": topic.tag, "account": u,
                    "id": site.dataset.interner.name(portevoix_core::NodeId(u as u32)).to_string(),
                    "future": topic.future[u], "past": topic.past[u],
                    "gate": gate, "score": score, "raw": raw, "norm": norm,
                });
                writeln!(w, "{line}")?;
            }
        }
        eprintln!("{name}: {} topics", o.topics.len());
    }
    Ok(())
}
