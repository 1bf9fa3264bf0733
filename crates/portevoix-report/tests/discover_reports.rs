//! Every report format of a discovery, on the hand-built example discovery
//! (40 accounts spanning every class), read back and checked.

use portevoix_report::discover::example::{EXAMPLE_ACCOUNTS, example_discovery};
use portevoix_report::discover::{
    CSV_COLUMNS, PYRAMID_COLOURS, ReportFormat, write_discovery, write_gexf,
};
use portevoix_score::discovery::{Discovery, Role};
use serde_json::Value;
use std::collections::BTreeSet;

fn render(d: &Discovery, format: ReportFormat, top: Option<usize>) -> String {
    let mut out = Vec::new();
    write_discovery(d, format, top, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn jsonl(d: &Discovery, top: Option<usize>) -> Vec<Value> {
    render(d, ReportFormat::Jsonl, top)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const HOSTILE: &str = "@<b>&\"evil\"</b>'";

fn with_hostile_handle() -> Discovery {
    let mut d = example_discovery();
    d.accounts[0].handle = Some(HOSTILE.to_string());
    d.campaign = "Brand <script>alert(1)</script> & \"co\"".to_string();
    d.notes.push("note with <tags> & \"quotes\"".to_string());
    d
}

#[test]
fn format_names_round_trip() {
    let names: Vec<&str> = ReportFormat::ALL.iter().map(|f| f.name()).collect();
    assert_eq!(names, ["table", "jsonl", "csv", "md", "html", "gexf"]);
    for f in ReportFormat::ALL {
        assert_eq!(f.name().parse::<ReportFormat>().unwrap(), f);
        assert_eq!(f.to_string(), f.name());
    }
    assert_eq!(
        "Markdown".parse::<ReportFormat>().unwrap(),
        ReportFormat::Markdown
    );
    let err = "pdf".parse::<ReportFormat>().unwrap_err();
    assert!(err.to_string().contains("pdf"), "{err}");
}

#[test]
fn example_discovery_spans_every_class() {
    let d = example_discovery();
    assert_eq!(d.accounts.len(), EXAMPLE_ACCOUNTS);
    let tiers: BTreeSet<&str> = d.accounts.iter().map(|a| a.tier.name()).collect();
    assert_eq!(tiers.len(), 3);
    let roles: BTreeSet<Role> = d.accounts.iter().filter_map(|a| a.role).collect();
    assert_eq!(roles.len(), Role::ALL.len());
    let kinds: BTreeSet<&str> = d
        .accounts
        .iter()
        .filter_map(|a| a.ambassador.map(|k| k.name()))
        .collect();
    assert_eq!(kinds.len(), 2);
    assert!(d.accounts.iter().any(|a| a.detractor));
    let levels: BTreeSet<u8> = d.accounts.iter().map(|a| a.pyramid_level).collect();
    assert_eq!(levels, (1..=5).collect());
    assert!(d.accounts.iter().any(|a| a.handle.is_none()));
    assert!(d.accounts.iter().any(|a| a.community.is_none()));
    for (i, a) in d.accounts.iter().enumerate() {
        assert_eq!(a.rank as usize, i + 1);
    }
    assert_eq!(
        d.counts.pyramid.iter().sum::<u64>(),
        EXAMPLE_ACCOUNTS as u64
    );
}

/// JSON numbers are written exactly (shortest round-trip form); serde_json's
/// default parser may be off by one unit in the last place.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

fn is_str_or_null(v: &Value) -> bool {
    v.is_string() || v.is_null()
}

fn check_explanation_base(e: &Value) {
    assert!(e["score"].is_f64(), "{e}");
    for c in e["contributions"].as_array().unwrap() {
        assert!(c["signal"].is_string());
        for k in ["raw", "normalised", "weight", "contribution"] {
            assert!(c[k].is_number(), "{k} in {c}");
        }
    }
    for ev in e["evidence"].as_array().unwrap() {
        let kind = ev["kind"].as_str().unwrap();
        match kind {
            "post" => {
                assert!(ev["post"].is_string() && ev["why"].is_string() && ev["weight"].is_number())
            }
            "account" => {
                assert!(ev["label"].is_string() && ev["why"].is_string() && ev["account"].is_u64())
            }
            "note" => assert!(ev["text"].is_string()),
            other => panic!("unknown evidence kind {other}"),
        }
    }
}

#[test]
fn jsonl_contract_keys_types_and_values() {
    let d = example_discovery();
    let rows = jsonl(&d, None);
    assert_eq!(rows.len(), d.accounts.len());
    for (i, (v, a)) in rows.iter().zip(&d.accounts).enumerate() {
        let o = v.as_object().expect("one object per line");
        for key in [
            "id",
            "handle",
            "contextual_score",
            "baseline_score",
            "rank",
            "baseline_rank",
            "tier",
            "role",
            "ambassador",
            "detractor",
            "pyramid_level",
            "community",
            "signals",
            "explanation",
            "baseline_explanation",
        ] {
            assert!(o.contains_key(key), "missing key {key} in line {i}");
        }
        assert_eq!(v["id"], a.id.as_str());
        assert!(is_str_or_null(&v["handle"]));
        assert_eq!(v["handle"].as_str(), a.handle.as_deref());
        assert!(close(
            v["contextual_score"].as_f64().unwrap(),
            a.contextual_score
        ));
        assert!(close(
            v["baseline_score"].as_f64().unwrap(),
            a.baseline_score
        ));
        let score = v["contextual_score"].as_f64().unwrap();
        assert!((0.0..=100.0).contains(&score));
        assert_eq!(v["rank"].as_u64().unwrap(), i as u64 + 1, "rank order");
        assert_eq!(
            v["baseline_rank"].as_u64().unwrap(),
            u64::from(a.baseline_rank)
        );
        let tier = v["tier"].as_str().unwrap();
        assert!(["macro", "micro", "other"].contains(&tier));
        assert_eq!(tier, a.tier.name());
        assert!(is_str_or_null(&v["role"]));
        assert_eq!(v["role"].as_str(), a.role.map(|r| r.name()));
        let amb = &v["ambassador"];
        assert!(amb.is_null() || ["employee", "customer"].contains(&amb.as_str().unwrap()));
        assert_eq!(amb.as_str(), a.ambassador.map(|k| k.name()));
        assert_eq!(v["detractor"].as_bool().unwrap(), a.detractor);
        let level = v["pyramid_level"].as_u64().unwrap();
        assert!((1..=5).contains(&level));
        assert_eq!(level, u64::from(a.pyramid_level));
        assert!(v["community"].is_u64() || v["community"].is_null());
        assert_eq!(v["community"].as_u64(), a.community.map(u64::from));
        let signals = v["signals"].as_object().unwrap();
        assert_eq!(signals.len(), a.signals.len());
        for (name, value) in &a.signals {
            assert!(close(signals[name].as_f64().unwrap(), *value), "{name}");
        }
        let e = &v["explanation"];
        check_explanation_base(e);
        assert!(close(e["score"].as_f64().unwrap(), a.explanation.score));
        assert_eq!(
            e["contributions"].as_array().unwrap().len(),
            a.explanation.contributions.len()
        );
        assert_eq!(
            e["evidence"].as_array().unwrap().len(),
            a.explanation.evidence.len()
        );
        let class: Vec<&str> = e["classification"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(class, a.classification_evidence);
        let pyr: Vec<&str> = e["pyramid"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(pyr, a.pyramid_evidence);
        let b = &v["baseline_explanation"];
        check_explanation_base(b);
        assert!(close(b["score"].as_f64().unwrap(), a.baseline_score));
    }
}

/// On a real discovery (the bundled airline sample, the airline campaign),
/// every explanation read back from the JSON Lines adds up to its score:
/// the writer keeps every contribution and enough precision.
#[test]
fn jsonl_contributions_sum_to_score() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let tweets = root.join("datasets/airline-sample/tweets.first1000.csv");
    let dataset = portevoix_ingest::load(
        &[(&tweets, Some(portevoix_ingest::FormatKind::PostsCsv))],
        &portevoix_ingest::ReadOptions::default(),
    )
    .unwrap();
    let engine = portevoix_score::engine::Engine::new(
        dataset,
        &portevoix_graph::BuildOptions::default(),
        &portevoix_text::analysis::Analyzer::standard(),
    )
    .unwrap();
    let text = std::fs::read_to_string(root.join("examples/campaigns/airline.toml")).unwrap();
    let campaign =
        portevoix_score::campaign::Campaign::from_toml_str(&text, "airline.toml").unwrap();
    let d = portevoix_score::discover::discover(
        &engine,
        &campaign,
        &portevoix_score::discover::DiscoverOptions::default(),
    )
    .unwrap();
    let rows = jsonl(&d, None);
    assert_eq!(rows.len(), d.accounts.len());
    assert!(rows.len() > 500, "{}", rows.len());
    let mut positive = 0;
    for v in rows {
        for key in ["explanation", "baseline_explanation"] {
            let e = &v[key];
            let contributions = e["contributions"].as_array().unwrap();
            assert!(!contributions.is_empty(), "{key} of {}", v["id"]);
            let sum: f64 = contributions
                .iter()
                .map(|c| c["contribution"].as_f64().unwrap())
                .sum();
            let score = e["score"].as_f64().unwrap();
            assert!((sum - score).abs() < 1e-9, "{key}: {sum} vs {score}");
            positive += usize::from(score > 0.0);
        }
    }
    assert!(positive > 500, "{positive}");
}

#[test]
fn csv_parses_back() {
    let d = example_discovery();
    let text = render(&d, ReportFormat::Csv, None);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let mut expected: Vec<String> = CSV_COLUMNS.iter().map(|s| s.to_string()).collect();
    expected.extend(d.signals.iter().map(|s| s.name.clone()));
    assert_eq!(header, expected);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), d.accounts.len());
    for (row, a) in rows.iter().zip(&d.accounts) {
        assert_eq!(row.len(), header.len());
        assert_eq!(&row[col("id")], a.id);
        assert_eq!(&row[col("handle")], a.handle.as_deref().unwrap_or(""));
        assert_eq!(row[col("rank")].parse::<u32>().unwrap(), a.rank);
        assert_eq!(
            row[col("contextual_score")].parse::<f64>().unwrap(),
            a.contextual_score
        );
        assert_eq!(
            row[col("baseline_score")].parse::<f64>().unwrap(),
            a.baseline_score
        );
        assert_eq!(
            row[col("baseline_rank")].parse::<u32>().unwrap(),
            a.baseline_rank
        );
        assert_eq!(&row[col("tier")], a.tier.name());
        assert_eq!(&row[col("role")], a.role.map_or("", |r| r.name()));
        assert_eq!(
            &row[col("ambassador")],
            a.ambassador.map_or("", |k| k.name())
        );
        assert_eq!(row[col("detractor")].parse::<bool>().unwrap(), a.detractor);
        assert_eq!(
            row[col("pyramid_level")].parse::<u8>().unwrap(),
            a.pyramid_level
        );
        assert_eq!(
            &row[col("community")],
            a.community.map(|c| c.to_string()).unwrap_or_default()
        );
        for s in &d.signals {
            assert_eq!(
                row[col(&s.name)].parse::<f64>().unwrap(),
                a.signals[&s.name],
                "{}",
                s.name
            );
        }
    }
}

#[test]
fn table_has_header_counts_and_rows() {
    let d = example_discovery();
    let t = render(&d, ReportFormat::Table, None);
    assert!(t.contains(&format!("campaign: {}", d.campaign)));
    assert!(t.contains("objective: awareness"));
    assert!(t.contains("tiers: macro 6, micro 14, other 20"), "{t}");
    assert!(t.contains("detractors: "));
    assert!(
        t.contains("pyramid levels: 1 12, 2 8, 3 10, 4 6, 5 4"),
        "{t}"
    );
    assert!(t.contains("note: relevance floor applied"));
    assert!(t.contains("unresolved names: @unknown_brand_fan"));
    let header = t.lines().find(|l| l.starts_with("rank")).unwrap();
    for h in [
        "account",
        "context",
        "baseline",
        "base#",
        "tier",
        "role",
        "amb/det",
        "stance",
        "lvl",
        "top contributions",
    ] {
        assert!(header.contains(h), "{header}");
    }
    let first = &d.accounts[0];
    let row = t
        .lines()
        .find(|l| l.trim_start().starts_with("1  "))
        .unwrap();
    assert!(
        row.contains(first.handle.as_deref().unwrap_or(&first.id)),
        "{row}"
    );
    let top = &first
        .explanation
        .contributions
        .iter()
        .max_by(|a, b| a.contribution.total_cmp(&b.contribution))
        .unwrap()
        .signal;
    assert!(row.contains(top.as_str()), "{row}");
    let data_rows = t
        .lines()
        .skip_while(|l| !l.starts_with("rank"))
        .skip(1)
        .count();
    assert_eq!(data_rows, d.accounts.len());
}

#[test]
fn markdown_is_a_github_table_with_class_counts() {
    let d = example_discovery();
    let m = render(&d, ReportFormat::Markdown, None);
    assert!(m.starts_with("# Discovery: "));
    assert!(m.contains("| tier macro | 6 |"), "{m}");
    let leaders = d.counts.roles["opinion_leader"];
    assert!(
        m.contains(&format!("| role opinion\\_leader | {leaders} |")),
        "{m}"
    );
    assert!(
        m.contains("| pyramid level 5 (self-realisation &amp; collaborations) | 4 |"),
        "{m}"
    );
    let table: Vec<&str> = m
        .lines()
        .skip_while(|l| !l.starts_with("| rank |"))
        .collect();
    assert!(table[1].starts_with("|---:|"));
    assert_eq!(table.len(), 2 + d.accounts.len());
    let cols = table[0].matches('|').count();
    for row in &table[2..] {
        assert_eq!(
            row.matches('|').count() - row.matches("\\|").count(),
            cols,
            "{row}"
        );
    }
}

/// Every `<svg>…</svg>` of the page, each checked to parse as XML.
fn svgs(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").unwrap() + start + "</svg>".len();
        let svg = &rest[start..end];
        roxmltree::Document::parse(svg)
            .unwrap_or_else(|e| panic!("SVG is not well-formed XML: {e}\n{svg}"));
        out.push(svg.to_string());
        rest = &rest[end..];
    }
    out
}

#[test]
fn html_is_self_contained_with_charts() {
    let d = example_discovery();
    let h = render(&d, ReportFormat::Html, None);
    assert!(h.starts_with("<!DOCTYPE html>"));
    assert!(h.trim_end().ends_with("</html>"));
    for forbidden in ["<script", "<link", " src=", "url(", "@import"] {
        assert!(
            !h.contains(forbidden),
            "external asset or script: {forbidden}"
        );
    }
    for id in [
        "pyramid",
        "classes",
        "legend",
        "top-macro",
        "top-micro",
        "top-ambassadors",
        "top-detractors",
        "ranks",
    ] {
        assert!(h.contains(&format!("<svg id=\"{id}\"")), "missing svg#{id}");
    }
    let all = svgs(&h);
    assert_eq!(all.len(), 8);
    // The pyramid: one polygon per level, fixed colours, level 5 on top,
    // each level below and wider than the one above, labels with name and
    // count.
    let pyramid = roxmltree::Document::parse(&all[0]).unwrap();
    let polys: Vec<roxmltree::Node> = pyramid
        .descendants()
        .filter(|n| n.has_tag_name("polygon"))
        .collect();
    assert_eq!(polys.len(), 5);
    let geometry = |n: &roxmltree::Node| {
        let pts: Vec<(f64, f64)> = n
            .attribute("points")
            .unwrap()
            .split_whitespace()
            .map(|p| {
                let (x, y) = p.split_once(',').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect();
        let top = pts.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let right = pts.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
        let left = pts.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
        (top, right - left)
    };
    for (k, p) in polys.iter().enumerate() {
        let level = 5 - k;
        assert_eq!(
            p.attribute("class"),
            Some(format!("level level-{level}").as_str())
        );
        assert_eq!(p.attribute("fill"), Some(PYRAMID_COLOURS[level - 1]));
        if k > 0 {
            let (y_above, w_above) = geometry(&polys[k - 1]);
            let (y, w) = geometry(p);
            assert!(
                y > y_above && w > w_above,
                "level {level} must be below and wider"
            );
        }
    }
    let texts: Vec<String> = pyramid
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(String::from))
        .collect();
    for (level, name) in [
        (1, "discovering"),
        (2, "identity"),
        (3, "sharing & networking"),
        (4, "niche"),
        (5, "self-realisation"),
    ] {
        let count = d.counts.pyramid[level - 1];
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with(&format!("{level} · ")) && t.contains(name)),
            "label of level {level}: {texts:?}"
        );
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with(&format!("{count} account"))),
            "count of level {level}"
        );
    }
    // Each pyramid colour is used by the pyramid only.
    for c in PYRAMID_COLOURS {
        assert_eq!(h.matches(c).count(), 1, "{c}");
    }
    // Classes: a bar per tier, role, ambassador kind, and detractors.
    for class in [
        "tier tier-macro",
        "role role-power_user",
        "ambassador ambassador-employee",
        "bar detractor",
    ] {
        assert!(all[1].contains(class), "{class}");
    }
    // Top people: as many rows as people in the class (at most 10), each
    // with segments summing to its score (3 px per point).
    let macros = d
        .accounts
        .iter()
        .filter(|a| a.tier.name() == "macro")
        .count()
        .min(10);
    let top_macro = roxmltree::Document::parse(&all[3]).unwrap();
    let people: Vec<roxmltree::Node> = top_macro
        .descendants()
        .filter(|n| n.attribute("class") == Some("person"))
        .collect();
    assert_eq!(people.len(), macros);
    let best_macro = d
        .accounts
        .iter()
        .find(|a| a.tier.name() == "macro")
        .unwrap();
    let width: f64 = people[0]
        .descendants()
        .filter(|n| n.has_tag_name("rect"))
        .map(|n| n.attribute("width").unwrap().parse::<f64>().unwrap())
        .sum();
    assert!(
        (width / 3.0 - best_macro.contextual_score).abs() < 0.1,
        "{width}"
    );
    let micro = roxmltree::Document::parse(&all[4]).unwrap();
    assert_eq!(
        micro
            .descendants()
            .filter(|n| n.attribute("class") == Some("person"))
            .count(),
        10
    );
    // Scatter: one point per listed account, and the diagonal.
    let ranks = roxmltree::Document::parse(&all[7]).unwrap();
    let points = ranks
        .descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.starts_with("point tier-"))
        })
        .count();
    assert_eq!(points, d.accounts.len());
    assert!(
        ranks
            .descendants()
            .any(|n| n.attribute("class") == Some("diagonal"))
    );
    // The table lists every account.
    assert_eq!(h.matches("<tr class=\"account").count(), d.accounts.len());
}

#[test]
fn gexf_parses_back_with_attributes() {
    let d = example_discovery();
    let x = render(&d, ReportFormat::Gexf, None);
    let doc = roxmltree::Document::parse(&x).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "gexf");
    assert_eq!(root.tag_name().namespace(), Some("http://gexf.net/1.3"));
    assert_eq!(root.attribute("version"), Some("1.3"));
    let attrs = doc
        .descendants()
        .find(|n| n.has_tag_name("attributes"))
        .unwrap();
    assert_eq!(attrs.attribute("class"), Some("node"));
    let declared: Vec<(String, String)> = attrs
        .children()
        .filter(|n| n.has_tag_name("attribute"))
        .map(|n| {
            (
                n.attribute("id").unwrap().to_string(),
                n.attribute("type").unwrap().to_string(),
            )
        })
        .collect();
    for (name, ty) in [
        ("contextual_score", "double"),
        ("baseline_score", "double"),
        ("rank", "integer"),
        ("tier", "string"),
        ("role", "string"),
        ("ambassador", "string"),
        ("detractor", "boolean"),
        ("pyramid_level", "integer"),
        ("community", "integer"),
    ] {
        assert!(
            declared.contains(&(name.to_string(), ty.to_string())),
            "{name}"
        );
    }
    for s in &d.signals {
        assert!(
            declared.contains(&(s.name.clone(), "double".to_string())),
            "{}",
            s.name
        );
    }
    let nodes: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("node"))
        .collect();
    assert_eq!(nodes.len(), d.accounts.len());
    assert!(!doc.descendants().any(|n| n.has_tag_name("edge")));
    for (n, a) in nodes.iter().zip(&d.accounts) {
        assert_eq!(n.attribute("id"), Some(a.id.as_str()));
        assert_eq!(
            n.attribute("label"),
            Some(a.handle.as_deref().unwrap_or(&a.id))
        );
        let value = |k: &str| {
            n.descendants()
                .find(|v| v.has_tag_name("attvalue") && v.attribute("for") == Some(k))
                .and_then(|v| v.attribute("value"))
        };
        assert_eq!(
            value("contextual_score").unwrap().parse::<f64>().unwrap(),
            a.contextual_score
        );
        assert_eq!(
            value("baseline_score").unwrap().parse::<f64>().unwrap(),
            a.baseline_score
        );
        assert_eq!(value("rank").unwrap().parse::<u32>().unwrap(), a.rank);
        assert_eq!(value("tier"), Some(a.tier.name()));
        assert_eq!(value("role"), a.role.map(|r| r.name()));
        assert_eq!(value("ambassador"), a.ambassador.map(|k| k.name()));
        assert_eq!(
            value("detractor"),
            Some(if a.detractor { "true" } else { "false" })
        );
        assert_eq!(
            value("pyramid_level").unwrap().parse::<u8>().unwrap(),
            a.pyramid_level
        );
        assert_eq!(
            value("community").map(|c| c.parse::<u32>().unwrap()),
            a.community
        );
        for s in &d.signals {
            assert_eq!(
                value(&s.name).unwrap().parse::<f64>().unwrap(),
                a.signals[&s.name]
            );
        }
    }
}

#[test]
fn gexf_with_edges() {
    let d = example_discovery();
    let (a, b, c) = (
        d.accounts[0].id.clone(),
        d.accounts[1].id.clone(),
        d.accounts[39].id.clone(),
    );
    let edges = vec![(a.clone(), b.clone(), 2.5), (c.clone(), a.clone(), 1.0)];
    let mut out = Vec::new();
    write_gexf(&d, &edges, &mut out).unwrap();
    let x = String::from_utf8(out).unwrap();
    let doc = roxmltree::Document::parse(&x).unwrap();
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("node")).count(),
        d.accounts.len()
    );
    let e: Vec<(String, String, f64)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("edge"))
        .map(|n| {
            (
                n.attribute("source").unwrap().to_string(),
                n.attribute("target").unwrap().to_string(),
                n.attribute("weight").unwrap().parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(e, edges);
    let bad = vec![(a, "no-such-account".to_string(), 1.0)];
    let err = write_gexf(&d, &bad, &mut Vec::new()).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("no-such-account"));
    let nan = vec![(b, c, f64::NAN)];
    assert!(write_gexf(&d, &nan, &mut Vec::new()).is_err());
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let d = with_hostile_handle();
    // HTML: the raw text never appears, its escaped form does; the SVGs are
    // still well-formed.
    let h = render(&d, ReportFormat::Html, None);
    assert!(!h.contains("<b>&"), "unescaped handle");
    assert!(!h.contains("<script>"), "unescaped campaign");
    assert!(!h.contains("<tags>"), "unescaped note");
    assert!(
        h.contains("@&lt;b&gt;&amp;&quot;evil&quot;&lt;/b&gt;"),
        "escaped handle"
    );
    assert_eq!(svgs(&h).len(), 8);
    // GEXF: valid XML and the label round-trips.
    let x = render(&d, ReportFormat::Gexf, None);
    let doc = roxmltree::Document::parse(&x).unwrap();
    let node = doc.descendants().find(|n| n.has_tag_name("node")).unwrap();
    assert_eq!(node.attribute("label"), Some(HOSTILE));
    assert!(
        doc.descendants()
            .any(|n| n.has_tag_name("description") && n.text().unwrap().contains("<script>"))
    );
    // JSON Lines and CSV: the value round-trips.
    assert_eq!(jsonl(&d, Some(1))[0]["handle"], HOSTILE);
    let c = render(&d, ReportFormat::Csv, Some(1));
    let mut r = csv::Reader::from_reader(c.as_bytes());
    let row = r.records().next().unwrap().unwrap();
    assert_eq!(&row[2], HOSTILE);
    // Markdown: no raw HTML.
    let m = render(&d, ReportFormat::Markdown, None);
    assert!(!m.contains("<b>") && !m.contains("<script>"));
    assert!(m.contains("&lt;b&gt;"));
    // Table: control characters cannot break a row or drive the terminal.
    let mut d2 = example_discovery();
    d2.accounts[0].handle = Some("@line\nbreak\x1b[31m".to_string());
    let t = render(&d2, ReportFormat::Table, None);
    assert!(!t.contains('\x1b'));
    assert!(t.lines().any(|l| l.contains("@line break")));
}

#[test]
fn top_is_honoured_by_every_format() {
    let d = example_discovery();
    for k in [0usize, 1, 5, 40, 1000] {
        let n = k.min(d.accounts.len());
        let rows = jsonl(&d, Some(k));
        assert_eq!(rows.len(), n);
        for (i, v) in rows.iter().enumerate() {
            assert_eq!(v["rank"].as_u64().unwrap(), i as u64 + 1);
        }
        let c = render(&d, ReportFormat::Csv, Some(k));
        assert_eq!(csv::Reader::from_reader(c.as_bytes()).records().count(), n);
        let t = render(&d, ReportFormat::Table, Some(k));
        let rows = t
            .lines()
            .skip_while(|l| !l.starts_with("rank"))
            .skip(1)
            .filter(|l| !l.starts_with('('))
            .count();
        assert_eq!(rows, n);
        let m = render(&d, ReportFormat::Markdown, Some(k));
        assert_eq!(
            m.lines().skip_while(|l| !l.starts_with("| rank |")).count(),
            2 + n
        );
        let h = render(&d, ReportFormat::Html, Some(k));
        assert_eq!(h.matches("<tr class=\"account").count(), n);
        // Class counts still cover every candidate.
        assert!(h.contains(&format!(">{} accounts (", d.counts.pyramid[0])));
        let x = render(&d, ReportFormat::Gexf, Some(k));
        let doc = roxmltree::Document::parse(&x).unwrap();
        assert_eq!(
            doc.descendants().filter(|n| n.has_tag_name("node")).count(),
            n
        );
    }
}

#[test]
fn empty_discovery_in_every_format() {
    let mut d = example_discovery();
    d.accounts.clear();
    d.counts = Default::default();
    d.notes.clear();
    d.unresolved.clear();
    for f in ReportFormat::ALL {
        let out = render(&d, f, None);
        match f {
            ReportFormat::Jsonl => assert!(out.is_empty()),
            ReportFormat::Csv => assert_eq!(out.lines().count(), 1),
            ReportFormat::Html => assert_eq!(svgs(&out).len(), 8),
            ReportFormat::Gexf => {
                roxmltree::Document::parse(&out).unwrap();
            }
            _ => assert!(!out.is_empty()),
        }
    }
}

/// End to end on real data: the bundled airline tweets sample scored by
/// `portevoix_score::discover::discover` with `examples/campaigns/airline.toml`,
/// then written in every format and read back.
#[test]
fn end_to_end_on_the_airline_sample() {
    use portevoix_graph::BuildOptions;
    use portevoix_ingest::{FormatKind, ReadOptions, load};
    use portevoix_score::campaign::Campaign;
    use portevoix_score::discover::{DiscoverOptions, discover};
    use portevoix_score::engine::Engine;
    use portevoix_text::analysis::Analyzer;
    use std::path::Path;

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let data = root.join("datasets/airline-sample/tweets.first1000.csv");
    let dataset = load(
        &[(data.as_path(), Some(FormatKind::PostsCsv))],
        &ReadOptions::default(),
    )
    .unwrap();
    let engine = Engine::new(dataset, &BuildOptions::default(), &Analyzer::standard()).unwrap();
    let text = std::fs::read_to_string(root.join("examples/campaigns/airline.toml")).unwrap();
    let campaign = Campaign::from_toml_str(&text, "airline.toml").unwrap();
    let d = discover(&engine, &campaign, &DiscoverOptions::default()).unwrap();
    assert!(d.accounts.len() >= 10, "{} candidates", d.accounts.len());

    // JSON Lines: the contract on every account.
    let rows = jsonl(&d, None);
    assert_eq!(rows.len(), d.accounts.len());
    for (i, (v, a)) in rows.iter().zip(&d.accounts).enumerate() {
        assert_eq!(v["id"], a.id.as_str());
        assert!(is_str_or_null(&v["handle"]));
        assert_eq!(v["rank"].as_u64().unwrap(), u64::from(a.rank));
        if i > 0 {
            assert!(
                v["rank"].as_u64() > rows[i - 1]["rank"].as_u64(),
                "rank order"
            );
        }
        assert!(v["baseline_rank"].as_u64().unwrap() >= 1);
        for k in ["contextual_score", "baseline_score"] {
            let s = v[k].as_f64().unwrap();
            assert!((0.0..=100.0 + 1e-9).contains(&s), "{k} {s}");
        }
        assert!(["macro", "micro", "other"].contains(&v["tier"].as_str().unwrap()));
        assert!(is_str_or_null(&v["role"]));
        let amb = &v["ambassador"];
        assert!(amb.is_null() || ["employee", "customer"].contains(&amb.as_str().unwrap()));
        assert!(v["detractor"].is_boolean());
        assert!((1..=5).contains(&v["pyramid_level"].as_u64().unwrap()));
        assert!(v["community"].is_u64() || v["community"].is_null());
        assert!(
            v["signals"]
                .as_object()
                .unwrap()
                .values()
                .all(|x| x.is_number())
        );
        let e = &v["explanation"];
        check_explanation_base(e);
        assert!(
            e["classification"]
                .as_array()
                .unwrap()
                .iter()
                .all(|s| s.is_string())
        );
        assert!(
            e["pyramid"]
                .as_array()
                .unwrap()
                .iter()
                .all(|s| s.is_string())
        );
        let sum: f64 = e["contributions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["contribution"].as_f64().unwrap())
            .sum();
        assert!(
            (sum - e["score"].as_f64().unwrap()).abs() < 1e-6,
            "line {i}"
        );
        assert!(close(e["score"].as_f64().unwrap(), a.contextual_score));
        check_explanation_base(&v["baseline_explanation"]);
    }
    // CSV: one row per account, one column per signal.
    let c = render(&d, ReportFormat::Csv, None);
    let mut r = csv::Reader::from_reader(c.as_bytes());
    assert_eq!(
        r.headers().unwrap().len(),
        CSV_COLUMNS.len() + d.signals.len()
    );
    assert_eq!(r.records().filter(|r| r.is_ok()).count(), d.accounts.len());
    // HTML: well-formed charts, one point per listed account.
    let h = render(&d, ReportFormat::Html, Some(50));
    if let Some(dir) = std::env::var_os("PORTEVOIX_KEEP_REPORTS") {
        // For looking at the reports of real data by eye.
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(Path::new(&dir).join("airline.html"), &h).unwrap();
        std::fs::write(
            Path::new(&dir).join("airline.txt"),
            render(&d, ReportFormat::Table, Some(30)),
        )
        .unwrap();
    }
    assert_eq!(svgs(&h).len(), 8);
    // Scores of 0 (gated) are not listed in the reports for reading.
    let scored = d
        .accounts
        .iter()
        .filter(|a| a.contextual_score > 0.0)
        .count();
    assert!(scored > 20 && scored < 50, "{scored}");
    assert_eq!(h.matches("<tr class=\"account").count(), scored);
    assert!(h.contains("scores of 0 are not listed"));
    // HTML: the stance toward the brand beside each name that mentions it.
    assert!(h.contains(">stance</th>"));
    let mentioning = d.accounts[..scored]
        .iter()
        .filter(|a| a.signals.get("brand.mentions").is_some_and(|&n| n > 0.0))
        .collect::<Vec<_>>();
    assert!(!mentioning.is_empty());
    for a in mentioning {
        let cell = format!(
            "<td class=\"num\">{:+.2}/{:.0}</td>",
            a.signals["brand.sentiment"], a.signals["brand.mentions"]
        );
        assert!(h.contains(&cell), "{} has no stance cell {cell}", a.id);
    }
    // GEXF: parses, one node per account.
    let x = render(&d, ReportFormat::Gexf, None);
    let doc = roxmltree::Document::parse(&x).unwrap();
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("node")).count(),
        d.accounts.len()
    );
    // Table and Markdown: one row per listed account.
    let t = render(&d, ReportFormat::Table, Some(20));
    // The signals the sample does not vary (tags, ratings, ...) in one note.
    let constant: Vec<&str> = d
        .notes
        .iter()
        .filter_map(|n| n.strip_suffix(" has the same value for every candidate: not weighted"))
        .collect();
    assert!(constant.len() > 1, "{:?}", d.notes);
    let grouped: Vec<&str> = t
        .lines()
        .filter(|l| l.starts_with("note: not weighted, the same value for every candidate: "))
        .collect();
    assert_eq!(grouped.len(), 1, "{t}");
    assert!(
        constant.iter().all(|name| grouped[0].contains(name)),
        "{}",
        grouped[0]
    );
    assert!(!t.contains("has the same value for every candidate"), "{t}");
    assert_eq!(
        t.lines()
            .skip_while(|l| !l.starts_with("rank"))
            .skip(1)
            .count(),
        d.accounts.len().min(20)
    );
    let m = render(&d, ReportFormat::Markdown, Some(20));
    assert_eq!(
        m.lines().skip_while(|l| !l.starts_with("| rank |")).count(),
        2 + d.accounts.len().min(20)
    );
}
