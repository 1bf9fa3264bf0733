//! The summary printed by `portevoix inspect`: per layer, size, what was
//! dropped or merged, degrees, reciprocity, time span, top accounts, and the
//! diagnostics of the load.

use portevoix_core::Layer;
use portevoix_graph::{DegreeSummary, Network};
use portevoix_ingest::{Dataset, IngestReport};
use serde::Serialize;
use std::fmt::Write;

/// Wall-clock milliseconds of each step of a load.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Timings {
    /// Reading and parsing every input.
    pub parse: f64,
    /// Building the frozen network.
    pub build: f64,
    /// Parse + build.
    pub total: f64,
}

/// An account in a top list.
#[derive(Debug, Clone, Serialize)]
pub struct TopAccount {
    /// External id.
    pub id: String,
    /// `@handle` when known, else the external id.
    pub label: String,
    /// The degree it is ranked by.
    pub in_degree: u64,
}

/// One layer of the summary.
#[derive(Debug, Clone, Serialize)]
pub struct LayerSummary {
    /// Layer name.
    pub layer: String,
    /// Interaction rows read for this layer.
    pub input_rows: u64,
    /// Distinct edges after merging.
    pub edges: u64,
    /// Accounts with at least one edge on this layer.
    pub active_nodes: u64,
    /// Self-loops dropped (or kept, see `self_loops_kept`).
    pub self_loops_dropped: u64,
    /// Self-loops kept because the build asked for them.
    pub self_loops_kept: u64,
    /// Rows merged into an earlier edge with the same endpoints.
    pub duplicates_merged: u64,
    /// Share of edges whose reverse edge exists.
    pub reciprocity: f64,
    /// Sum of edge weights.
    pub weight_sum: f64,
    /// First and last interaction time (ISO 8601), if the input had times.
    pub time_span: Option<(String, String)>,
    /// In-degree distribution over all accounts of the network.
    pub in_degree: DegreeSummary,
    /// Out-degree distribution over all accounts of the network.
    pub out_degree: DegreeSummary,
    /// Accounts with the highest in-degree (ties: lower dense id first).
    pub top_in_degree: Vec<TopAccount>,
    /// Memory of both CSR directions with weights.
    pub csr_bytes: u64,
    /// `csr_bytes / edges`.
    pub bytes_per_edge: f64,
    /// Memory of counts, times and rating values kept beside the CSR.
    pub extra_bytes: u64,
}

/// Everything `inspect` reports.
#[derive(Debug, Clone, Serialize)]
pub struct InspectSummary {
    /// Distinct accounts over all layers.
    pub nodes: u64,
    /// Distinct edges over all layers.
    pub edges: u64,
    /// Accounts with a profile.
    pub accounts_with_profile: u64,
    /// Posts read.
    pub posts: u64,
    /// Propagation trees read.
    pub cascades: u64,
    /// Per layer, in [`Layer::ALL`] order.
    pub layers: Vec<LayerSummary>,
    /// Wall-clock timings.
    pub timings_ms: Timings,
    /// Total heap bytes of the network.
    pub network_bytes: u64,
    /// The diagnostics of the load.
    pub diagnostics: IngestReport,
}

/// Summarises a loaded dataset and its network.
///
/// `top` is the length of each layer's top-by-in-degree list.
/// Complexity: O(V + E) per layer (degree summaries sort the degrees: O(V log V)).
pub fn summarize(
    dataset: &Dataset,
    network: &Network,
    top: usize,
    timings: Timings,
) -> InspectSummary {
    let mut layers = Vec::new();
    for layer in Layer::ALL {
        let Some(g) = network.layer(layer) else {
            continue;
        };
        let s = g.stats();
        let d = g.degree_summary();
        layers.push(LayerSummary {
            layer: layer.as_str().to_string(),
            input_rows: s.input_rows,
            edges: s.edges,
            active_nodes: s.active_nodes,
            self_loops_dropped: s.self_loops_dropped,
            self_loops_kept: s.self_loops,
            duplicates_merged: s.duplicates_merged,
            reciprocity: s.reciprocity,
            weight_sum: s.weight_sum,
            time_span: s.time_span.map(|(a, b)| (a.to_iso8601(), b.to_iso8601())),
            in_degree: d.in_degree,
            out_degree: d.out_degree,
            top_in_degree: g
                .top_by_in_degree(top)
                .into_iter()
                .map(|(node, in_degree)| {
                    let (id, label) = crate::account_label(dataset, network, node);
                    TopAccount {
                        id,
                        label,
                        in_degree,
                    }
                })
                .collect(),
            csr_bytes: g.csr_bytes() as u64,
            bytes_per_edge: g.bytes_per_edge(),
            extra_bytes: g.extra_bytes() as u64,
        });
    }
    InspectSummary {
        nodes: network.num_nodes() as u64,
        edges: network.num_edges() as u64,
        accounts_with_profile: dataset.accounts.len() as u64,
        posts: dataset.posts.len() as u64,
        cascades: dataset.cascades.len() as u64,
        layers,
        timings_ms: timings,
        network_bytes: network.heap_bytes() as u64,
        diagnostics: dataset.report.clone(),
    }
}

fn human(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Renders the summary as a readable plain-text table.
pub fn render_table(s: &InspectSummary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "network: {} accounts, {} edges on {} layer(s); {} profiles, {} posts, {} cascades",
        human(s.nodes),
        human(s.edges),
        s.layers.len(),
        human(s.accounts_with_profile),
        human(s.posts),
        human(s.cascades)
    );
    let _ = writeln!(
        out,
        "loaded in {:.0} ms (parse {:.0} ms, build {:.0} ms); network memory {:.1} MiB",
        s.timings_ms.total,
        s.timings_ms.parse,
        s.timings_ms.build,
        s.network_bytes as f64 / (1024.0 * 1024.0)
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<8} {:>11} {:>11} {:>10} {:>10} {:>10} {:>8} {:>6}  time span",
        "layer", "rows", "edges", "accounts", "selfloops", "dup.merged", "recipr.", "B/edge"
    );
    for l in &s.layers {
        let span = l
            .time_span
            .as_ref()
            .map(|(a, b)| format!("{a} .. {b}"))
            .unwrap_or_else(|| "-".into());
        let loops = if l.self_loops_kept > 0 {
            format!("{} kept", human(l.self_loops_kept))
        } else {
            human(l.self_loops_dropped)
        };
        let _ = writeln!(
            out,
            "{:<8} {:>11} {:>11} {:>10} {:>10} {:>10} {:>8.4} {:>6.1}  {}",
            l.layer,
            human(l.input_rows),
            human(l.edges),
            human(l.active_nodes),
            loops,
            human(l.duplicates_merged),
            l.reciprocity,
            l.bytes_per_edge,
            span
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<12} {:>4} {:>7} {:>9} {:>6} {:>6} {:>8}   (over all accounts)",
        "degree", "min", "median", "mean", "p90", "p99", "max"
    );
    for l in &s.layers {
        for (dir, d) in [("in", &l.in_degree), ("out", &l.out_degree)] {
            let _ = writeln!(
                out,
                "{:<12} {:>4} {:>7} {:>9.3} {:>6} {:>6} {:>8}",
                format!("{} {}", l.layer, dir),
                d.min,
                d.median,
                d.mean,
                d.p90,
                d.p99,
                human(d.max)
            );
        }
    }
    for l in &s.layers {
        if l.top_in_degree.is_empty() {
            continue;
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "top accounts by {} in-degree:", l.layer);
        for (rank, t) in l.top_in_degree.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {:>3}. {:<24} {:>9}",
                rank + 1,
                t.label,
                human(t.in_degree)
            );
        }
    }
    let _ = writeln!(out);
    let skipped = s.diagnostics.skipped_total();
    let _ = writeln!(
        out,
        "diagnostics ({} mode): {} records read, {} skipped",
        match s.diagnostics.mode {
            portevoix_ingest::Mode::Strict => "strict",
            portevoix_ingest::Mode::Lenient => "lenient",
        },
        human(s.diagnostics.records_total()),
        human(skipped)
    );
    let _ = write!(out, "{}", s.diagnostics);
    out
}

#[cfg(test)]
mod tests {
    use super::human;

    #[test]
    fn thousands_separators() {
        assert_eq!(human(0), "0");
        assert_eq!(human(999), "999");
        assert_eq!(human(1000), "1,000");
        assert_eq!(human(14_855_842), "14,855,842");
    }
}
