//! GEXF 1.3 (Gephi) output of a discovery.

use super::{PYRAMID_COLOURS, label};
use portevoix_core::{Layer, NodeId};
use portevoix_score::Engine;
use portevoix_score::discovery::{AmbassadorKind, DiscoveredAccount, Discovery, Role};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Escapes text for XML content and attribute values, dropping characters
/// that XML 1.0 forbids (control characters other than tab, LF, CR).
pub(crate) fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' | '\n' | '\r' => o.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => o.push(c),
        }
    }
    o
}

/// Writes the whole discovery (every account) as a GEXF 1.3 graph for
/// Gephi, with `edges` among its accounts: `(source id, target id, weight)`
/// by external id. Edges are directed.
///
/// Nodes have `id` = the external id and `label` = the handle (else the id),
/// with the attributes declared in `<attributes class="node">`:
/// `contextual_score`, `baseline_score` (double), `rank`, `baseline_rank`,
/// `pyramid_level`, `community` (integer), `tier`, `role`, `ambassador`
/// (string), `detractor` (boolean), then one double attribute per signal,
/// whose id and title are the signal's name. Absent values (`role`,
/// `ambassador`, `community` of an account without one) are left out. Each
/// node is coloured by pyramid level and sized by contextual score
/// (`viz:color`, `viz:size`).
///
/// Fails with [`io::ErrorKind::InvalidInput`] when an edge names an account
/// that is not in the discovery, or has a weight that is not finite.
///
/// ```
/// use portevoix_report::discover::{example::example_discovery, write_gexf};
///
/// let d = example_discovery();
/// let (a, b) = (d.accounts[0].id.clone(), d.accounts[1].id.clone());
/// let mut out = Vec::new();
/// write_gexf(&d, &[(a, b, 2.0)], &mut out).unwrap();
/// let xml = String::from_utf8(out).unwrap();
/// assert!(xml.contains(r#"<edge id="0""#));
/// ```
pub fn write_gexf(
    d: &Discovery,
    edges: &[(String, String, f64)],
    out: &mut dyn Write,
) -> io::Result<()> {
    write(d, &d.accounts, edges, out)
}

/// The edges among the accounts of `d` for its GEXF graph: every layer of
/// the engine's network but ratings merged (weight 1 each, so an edge's
/// weight is the number of interactions), self-loops left out, as
/// `(source id, target id, weight)`.
pub fn discovery_edges(engine: &Engine, d: &Discovery) -> Vec<(String, String, f64)> {
    let network = engine.network();
    let mut listed = vec![false; engine.num_accounts()];
    for a in &d.accounts {
        listed[a.node.index()] = true;
    }
    let layers: Vec<(Layer, f32)> = network
        .layers()
        .map(|(l, _)| l)
        .filter(|l| *l != Layer::Rating)
        .map(|l| (l, 1.0))
        .collect();
    let merged = network.merged(&layers);
    let mut edges = Vec::new();
    for a in &d.accounts {
        let (targets, weights) = merged.out_neighbors(a.node);
        for (&t, &w) in targets.iter().zip(weights) {
            if listed[t as usize] && t != a.node.0 {
                edges.push((a.id.clone(), engine.external_id(NodeId(t)), f64::from(w)));
            }
        }
    }
    edges
}

fn hex_rgb(hex: &str) -> (u8, u8, u8) {
    let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0x888888);
    ((v >> 16) as u8, (v >> 8) as u8, v as u8)
}

/// Writes `accounts` as nodes and `edges` among them.
pub(crate) fn write(
    d: &Discovery,
    accounts: &[DiscoveredAccount],
    edges: &[(String, String, f64)],
    out: &mut dyn Write,
) -> io::Result<()> {
    let known: HashSet<&str> = accounts.iter().map(|a| a.id.as_str()).collect();
    for (s, t, w) in edges {
        for end in [s, t] {
            if !known.contains(end.as_str()) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "GEXF edge {s} -> {t}: account `{end}` is not among the listed accounts"
                    ),
                ));
            }
        }
        if !w.is_finite() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("GEXF edge {s} -> {t}: weight {w} is not finite"),
            ));
        }
    }

    let mut x = String::with_capacity(512 + accounts.len() * 600);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(
        "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n",
    );
    let _ = writeln!(
        x,
        "  <meta>\n    <creator>Porte-voix</creator>\n    <description>campaign {}, objective {}: {} of {} candidates</description>\n  </meta>",
        xml(&d.campaign),
        xml(d.objective.name()),
        accounts.len(),
        d.num_candidates
    );
    x.push_str("  <graph mode=\"static\" defaultedgetype=\"directed\">\n");
    x.push_str("    <attributes class=\"node\">\n");
    let fixed = [
        ("contextual_score", "double"),
        ("baseline_score", "double"),
        ("rank", "integer"),
        ("baseline_rank", "integer"),
        ("tier", "string"),
        ("role", "string"),
        ("ambassador", "string"),
        ("detractor", "boolean"),
        ("pyramid_level", "integer"),
        ("community", "integer"),
    ];
    for (id, ty) in fixed {
        let _ = writeln!(
            x,
            "      <attribute id=\"{id}\" title=\"{id}\" type=\"{ty}\"/>"
        );
    }
    for s in &d.signals {
        let n = xml(&s.name);
        let _ = writeln!(
            x,
            "      <attribute id=\"{n}\" title=\"{n}\" type=\"double\"/>"
        );
    }
    x.push_str("    </attributes>\n    <nodes>\n");
    for a in accounts {
        let _ = writeln!(
            x,
            "      <node id=\"{}\" label=\"{}\">\n        <attvalues>",
            xml(&a.id),
            xml(&label(a))
        );
        let mut att = |k: &str, v: &str| {
            let _ = writeln!(
                x,
                "          <attvalue for=\"{}\" value=\"{}\"/>",
                xml(k),
                xml(v)
            );
        };
        att("contextual_score", &a.contextual_score.to_string());
        att("baseline_score", &a.baseline_score.to_string());
        att("rank", &a.rank.to_string());
        att("baseline_rank", &a.baseline_rank.to_string());
        att("tier", a.tier.name());
        if let Some(r) = a.role {
            att("role", Role::name(r));
        }
        if let Some(k) = a.ambassador {
            att("ambassador", AmbassadorKind::name(k));
        }
        att("detractor", if a.detractor { "true" } else { "false" });
        att("pyramid_level", &a.pyramid_level.to_string());
        if let Some(c) = a.community {
            att("community", &c.to_string());
        }
        for s in &d.signals {
            if let Some(v) = a.signals.get(&s.name).filter(|v| v.is_finite()) {
                att(&s.name, &v.to_string());
            }
        }
        let colour = PYRAMID_COLOURS
            .get(usize::from(a.pyramid_level).wrapping_sub(1))
            .copied()
            .unwrap_or("#888888");
        let (r, g, b) = hex_rgb(colour);
        let size = 1.0 + a.contextual_score.clamp(0.0, 100.0) / 10.0;
        let _ = writeln!(
            x,
            "        </attvalues>\n        <viz:color r=\"{r}\" g=\"{g}\" b=\"{b}\"/>\n        <viz:size value=\"{size}\"/>\n      </node>"
        );
    }
    x.push_str("    </nodes>\n");
    if !edges.is_empty() {
        x.push_str("    <edges>\n");
        for (i, (s, t, w)) in edges.iter().enumerate() {
            let _ = writeln!(
                x,
                "      <edge id=\"{i}\" source=\"{}\" target=\"{}\" weight=\"{w}\"/>",
                xml(s),
                xml(t)
            );
        }
        x.push_str("    </edges>\n");
    }
    x.push_str("  </graph>\n</gexf>\n");
    out.write_all(x.as_bytes())
}
