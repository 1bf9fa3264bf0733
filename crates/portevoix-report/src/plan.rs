//! The reports of a campaign plan (`portevoix plan`): JSON Lines (the
//! contract: one row per chosen person in order of choice, then one summary
//! row without an `id`), a readable table, and a self-contained HTML page
//! with the reach curve and the overlap matrix drawn as SVG.
//!
//! # Example
//!
//! ```
//! use portevoix_report::plan::{PlanFormat, write_plan};
//! use portevoix_report::plan::example_plan;
//!
//! let plan = example_plan();
//! let mut out = Vec::new();
//! write_plan(&plan, PlanFormat::Jsonl, &mut out).unwrap();
//! let text = String::from_utf8(out).unwrap();
//! let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
//! assert_eq!(first["id"], "42");
//! assert!(text.lines().last().unwrap().starts_with("{\"summary\":"));
//! ```

use portevoix_score::plan::{Plan, PlanSummary, PlannedPick};
use std::fmt::Write as _;
use std::io::{self, Write};
use std::str::FromStr;

/// The formats of a plan report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanFormat {
    /// JSON Lines: picks in order of choice, then `{"summary": ...}`.
    Jsonl,
    /// A readable table with the summary below.
    Table,
    /// A self-contained HTML page (reach curve and overlap matrix in SVG).
    Html,
}

impl PlanFormat {
    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            PlanFormat::Jsonl => "jsonl",
            PlanFormat::Table => "table",
            PlanFormat::Html => "html",
        }
    }
}

impl FromStr for PlanFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<PlanFormat, String> {
        match s.to_ascii_lowercase().as_str() {
            "jsonl" => Ok(PlanFormat::Jsonl),
            "table" => Ok(PlanFormat::Table),
            "html" => Ok(PlanFormat::Html),
            other => Err(format!(
                "unknown plan report `{other}`: jsonl, table or html"
            )),
        }
    }
}

/// Writes `plan` in `format`.
///
/// # Errors
///
/// What writing to `out` reports; serialisation errors as
/// [`io::ErrorKind::InvalidData`].
pub fn write_plan(plan: &Plan, format: PlanFormat, out: &mut impl Write) -> io::Result<()> {
    match format {
        PlanFormat::Jsonl => write_jsonl(plan, out),
        PlanFormat::Table => out.write_all(render_table(plan).as_bytes()),
        PlanFormat::Html => out.write_all(render_html(plan).as_bytes()),
    }
}

fn write_jsonl(plan: &Plan, out: &mut impl Write) -> io::Result<()> {
    for pick in &plan.picks {
        serde_json::to_writer(&mut *out, pick).map_err(io::Error::from)?;
        out.write_all(b"\n")?;
    }
    #[derive(serde::Serialize)]
    struct SummaryRow<'a> {
        summary: &'a PlanSummary,
    }
    serde_json::to_writer(
        &mut *out,
        &SummaryRow {
            summary: &plan.summary,
        },
    )
    .map_err(io::Error::from)?;
    out.write_all(b"\n")
}

fn name(p: &PlannedPick) -> String {
    p.handle.clone().unwrap_or_else(|| p.id.clone())
}

/// The reach of the plan and of the baseline, checked when a check ran.
fn headline(s: &PlanSummary) -> String {
    let (plan, base, how) = match (&s.reach_check, &s.baseline.reach_check) {
        (Some(p), Some(b)) => (
            format!("{:.1} ± {:.1}", p.mean, p.std_error),
            format!("{:.1} ± {:.1}", b.mean, b.std_error),
            format!("independent Monte Carlo check, {} worlds", p.runs),
        ),
        _ => (
            format!("{:.1}", s.reach),
            format!("{:.1}", s.baseline.reach),
            if s.guarantee.is_some() {
                "estimated on the selection's sets".to_string()
            } else {
                "exact".to_string()
            },
        ),
    };
    format!(
        "expected reach {plan} of {} audience members ({how}); {} ({} people, cost {}): {base}; plan {:+.1}%",
        s.audience.size,
        s.baseline.rule.replace('_', " "),
        s.baseline.ids.len(),
        s.baseline.cost,
        100.0 * s.baseline.plan_advantage
    )
}

fn guarantee_line(s: &PlanSummary) -> String {
    match &s.guarantee {
        Some(g) => format!(
            "{} / {}: at least {:.3} of the best possible set's expected reach (greedy ratio {:.3} − ε {}) with probability {:.6}; {} reverse-reachable sets, {:.1} MiB",
            s.algorithm,
            s.rule,
            g.ratio,
            g.greedy_ratio,
            g.epsilon,
            g.confidence,
            g.rr_sets,
            g.peak_rr_bytes as f64 / (1u64 << 20) as f64
        ),
        None => format!(
            "{} / {}: exact reaches, greedy ratio {}",
            s.algorithm,
            s.rule,
            if s.budget.is_some() {
                "½(1 − 1/e)"
            } else {
                "1 − 1/e"
            }
        ),
    }
}

/// The plan as a readable table, with the summary below it.
pub fn render_table(plan: &Plan) -> String {
    let s = &plan.summary;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Plan for {}: {} people, model {} (rates {}), audience {} ({})",
        s.campaign,
        plan.picks.len(),
        s.model,
        s.rates,
        s.audience.size,
        s.audience.source
    );
    let _ = writeln!(
        t,
        "{:>4}  {:<20} {:>8} {:>12} {:>12} {:>10} {:>7} {:>6}",
        "pick", "account", "cost", "marginal", "cumulative", "overlap", "score", "rank"
    );
    for p in &plan.picks {
        let _ = writeln!(
            t,
            "{:>4}  {:<20} {:>8} {:>12.1} {:>12.1} {:>10.1} {:>7.1} {:>6}",
            p.pick,
            truncate(&name(p), 20),
            p.cost,
            p.marginal_gain,
            p.cumulative_reach,
            p.overlap,
            p.contextual_score,
            p.rank
        );
    }
    let _ = writeln!(t, "\n{}", headline(s));
    let _ = writeln!(t, "{}", guarantee_line(s));
    let e = &s.eligibility;
    let _ = writeln!(
        t,
        "eligible {} of {} candidates (gated: {} authenticity, {} relevance; {} detractors); costs: {}",
        e.eligible,
        e.candidates,
        e.gated_authenticity,
        e.gated_relevance,
        e.detractors,
        s.costs.source
    );
    for n in &s.notes {
        let _ = writeln!(t, "note: {n}");
    }
    t
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n - 1).collect();
        out.push('…');
        out
    }
}

fn esc(s: &str) -> String {
    html_escape::encode_quoted_attribute(s).into_owned()
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#222;\
max-width:1180px;margin:0 auto;padding:16px 24px}h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ddd}\
table{border-collapse:collapse;font-size:.9em}td,th{padding:3px 8px;border-bottom:1px solid #eee;text-align:right}\
td.l,th.l{text-align:left}p.note{color:#666;font-size:.9em}svg text{font-size:11px;fill:#333}";

/// The plan as a self-contained HTML page: the headline numbers, the reach
/// curve of the plan against the baseline, the overlap matrix and the
/// picks with their explanations.
pub fn render_html(plan: &Plan) -> String {
    let s = &plan.summary;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Porte-voix plan: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>Campaign plan: {}</h1>\n<p>{}</p>\n<p>{}</p>\n<p class=\"note\">{}</p>\n",
        esc(&s.campaign),
        esc(&s.campaign),
        esc(&headline(s)),
        esc(&guarantee_line(s)),
        esc(&s.audience.note)
    );
    h.push_str("<h2>Expected reach by number of people</h2>\n");
    reach_curve_svg(&mut h, s);
    h.push_str("<h2>Audience overlap between the people chosen</h2>\n");
    overlap_svg(&mut h, plan);
    h.push_str("<h2>The people, in order of choice</h2>\n<table>\n<tr><th>pick</th><th class=\"l\">account</th><th>cost</th><th>marginal gain</th><th>cumulative reach</th><th>overlap</th><th>score</th><th>rank</th><th class=\"l\">why</th></tr>\n");
    for p in &plan.picks {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"l\">{}</td><td>{}</td><td>{:.1}</td><td>{:.1}</td><td>{:.1}</td><td>{:.1}</td><td>{}</td><td class=\"l\">{}</td></tr>",
            p.pick,
            esc(&name(p)),
            p.cost,
            p.marginal_gain,
            p.cumulative_reach,
            p.overlap,
            p.contextual_score,
            p.rank,
            esc(&p.explanation)
        );
    }
    h.push_str("</table>\n");
    for n in &s.notes {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", esc(n));
    }
    h.push_str("</body>\n</html>\n");
    h
}

/// Two curves: the plan's cumulative reach and the baseline's, over the
/// number of people.
fn reach_curve_svg(h: &mut String, s: &PlanSummary) {
    let (w, ht, left, bottom) = (720.0, 320.0, 70.0, 40.0);
    let n = s.reach_curve.len().max(s.baseline.reach_curve.len()).max(1);
    let top = s
        .reach_curve
        .iter()
        .chain(&s.baseline.reach_curve)
        .fold(1.0f64, |a, &b| a.max(b));
    let x = |i: usize| left + (w - left - 20.0) * (i as f64) / (n as f64);
    let y = |v: f64| (ht - bottom) - (ht - bottom - 20.0) * v / top;
    let _ = write!(
        h,
        "<svg id=\"reach-curve\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{ht}\" viewBox=\"0 0 {w} {ht}\" role=\"img\" aria-label=\"Expected reach by number of people\">\n\
         <line x1=\"{left}\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\" stroke=\"#999\"/><line x1=\"{left}\" y1=\"20\" x2=\"{left}\" y2=\"{0}\" stroke=\"#999\"/>\n\
         <text x=\"{2}\" y=\"{3}\" text-anchor=\"middle\">people</text><text x=\"4\" y=\"14\">expected reach (max {top:.0})</text>\n",
        ht - bottom,
        w - 20.0,
        (w + left) / 2.0,
        ht - 8.0
    );
    for (curve, colour, label) in [
        (&s.reach_curve, "#4e79a7", "plan"),
        (&s.baseline.reach_curve, "#e15759", "top by score"),
    ] {
        let points: Vec<String> = std::iter::once((0usize, 0.0))
            .chain(curve.iter().enumerate().map(|(i, v)| (i + 1, *v)))
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(v)))
            .collect();
        let _ = writeln!(
            h,
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"><title>{label}</title></polyline>",
            points.join(" ")
        );
    }
    for i in 1..=n {
        if n <= 25 || i % 5 == 0 {
            let _ = writeln!(
                h,
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{i}</text>",
                x(i),
                ht - bottom + 14.0
            );
        }
    }
    let _ = writeln!(
        h,
        "<rect x=\"{0}\" y=\"24\" width=\"12\" height=\"3\" fill=\"#4e79a7\"/><text x=\"{1}\" y=\"30\">plan</text>\
         <rect x=\"{0}\" y=\"40\" width=\"12\" height=\"3\" fill=\"#e15759\"/><text x=\"{1}\" y=\"46\">{2}</text>\n</svg>",
        left + 12.0,
        left + 28.0,
        esc(&s.baseline.rule.replace('_', " "))
    );
}

/// The overlap matrix as a heat map: cell `(i, j)` is the expected
/// audience picks `i` and `j` share, shaded by its share of the smaller of
/// their solo reaches.
fn overlap_svg(h: &mut String, plan: &Plan) {
    let m = &plan.summary.overlap_matrix;
    let k = m.len();
    if k == 0 {
        h.push_str("<p>No one was chosen.</p>\n");
        return;
    }
    let cell = (480.0 / k as f64).clamp(8.0, 40.0);
    let label = 150.0;
    let size = label + cell * k as f64 + 10.0;
    let _ = writeln!(
        h,
        "<svg id=\"overlap\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{size:.0}\" height=\"{size:.0}\" viewBox=\"0 0 {size:.0} {size:.0}\" role=\"img\" aria-label=\"Audience overlap matrix\">"
    );
    for (i, p) in plan.picks.iter().enumerate().take(k) {
        let yy = label + cell * i as f64;
        let _ = writeln!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}. {}</text>",
            label - 4.0,
            yy + cell * 0.65,
            i + 1,
            esc(&truncate(&name(p), 18))
        );
        let _ = writeln!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            label + cell * (i as f64 + 0.5),
            label - 4.0,
            i + 1
        );
        for j in 0..k {
            let denom = m[i][i].min(m[j][j]);
            let share = if i == j {
                1.0
            } else if denom > 0.0 {
                (m[i][j] / denom).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let colour = if i == j {
                "#bbbbbb".to_string()
            } else {
                let t = 1.0 - share;
                format!(
                    "rgb({},{},{})",
                    (225.0 * t + 30.0 * share) as u8 + 30,
                    (235.0 * t + 60.0 * share) as u8 + 20,
                    255
                )
            };
            let _ = writeln!(
                h,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{cell:.1}\" height=\"{cell:.1}\" fill=\"{colour}\" stroke=\"#fff\"><title>{} and {}: {:.1} shared ({:.0}% of the smaller audience)</title></rect>",
                label + cell * j as f64,
                yy,
                esc(&name(p)),
                esc(&plan.picks.get(j).map(name).unwrap_or_default()),
                m[i][j],
                100.0 * share
            );
        }
    }
    h.push_str("</svg>\n<p class=\"note\">Darker: a larger share of the smaller of the two audiences is shared. Diagonal: the person alone.</p>\n");
}

/// A small, fixed plan for examples and tests of the writers.
pub fn example_plan() -> Plan {
    use portevoix_score::discovery::Tier;
    use portevoix_score::plan::{
        AudienceReport, Baseline, CostReport, Eligibility, Guarantee, PlanSummary,
    };
    let pick = |i: usize, id: &str, gain: f64, cum: f64, solo: f64| PlannedPick {
        id: id.into(),
        handle: None,
        cost: 1.0,
        marginal_gain: gain,
        cumulative_reach: cum,
        overlap: solo - gain,
        contextual_score: 50.0,
        rank: i as u32,
        explanation: format!("pick {i}"),
        pick: i,
        solo_reach: solo,
        cumulative_cost: i as f64,
        tier: Tier::Micro,
        most_overlap_with: None,
        node: portevoix_core::NodeId(i as u32),
    };
    Plan {
        picks: vec![
            pick(1, "42", 100.0, 100.0, 100.0),
            pick(2, "7", 60.0, 160.0, 80.0),
        ],
        summary: PlanSummary {
            campaign: "example".into(),
            model: "ic".into(),
            rates: "wc".into(),
            algorithm: "imm".into(),
            rule: "greedy".into(),
            stop: "count".into(),
            k: 2,
            budget: None,
            cost: 2.0,
            reach: 160.0,
            reach_check: None,
            reach_curve: vec![100.0, 160.0],
            guarantee: Some(Guarantee {
                greedy_ratio: 0.632,
                epsilon_requested: 0.1,
                epsilon: 0.1,
                confidence: 0.999,
                ratio: 0.532,
                rr_sets: 1000,
                peak_rr_bytes: 1 << 20,
                capped: None,
            }),
            baseline: Baseline {
                rule: "top_k_by_contextual_score".into(),
                ids: vec!["42".into(), "9".into()],
                cost: 2.0,
                reach_curve: vec![100.0, 130.0],
                reach: 130.0,
                reach_check: None,
                plan_advantage: 160.0 / 130.0 - 1.0,
                shared_with_plan: 1,
            },
            audience: AudienceReport {
                source: "everyone".into(),
                size: 1000,
                accounts: 1000,
                note: "no text".into(),
                unmatched: vec![],
            },
            eligibility: Eligibility::default(),
            costs: CostReport {
                source: "tiers".into(),
                from_list: 0,
                unmatched: vec![],
            },
            influence_view: (1000, 5000),
            overlap_matrix: vec![vec![100.0, 20.0], vec![20.0, 80.0]],
            notes: vec![],
            timings: vec![],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_renders_the_picks() {
        let plan = example_plan();
        let table = render_table(&plan);
        assert!(table.contains("42") && table.contains("+23.1%"), "{table}");
        let html = render_html(&plan);
        assert!(html.contains("id=\"reach-curve\"") && html.contains("id=\"overlap\""));
        assert_eq!(html.matches("<rect x=").count(), 4 + 2);
        let mut out = Vec::new();
        write_plan(&plan, PlanFormat::Jsonl, &mut out).unwrap();
        let rows: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(rows.len(), 3);
        // The contract's fields come first, in this order.
        let line = String::from_utf8({
            let mut o = Vec::new();
            write_plan(&plan, PlanFormat::Jsonl, &mut o).unwrap();
            o
        })
        .unwrap();
        let first = line.lines().next().unwrap();
        let at: Vec<usize> = [
            "id",
            "handle",
            "cost",
            "marginal_gain",
            "cumulative_reach",
            "overlap",
            "contextual_score",
            "rank",
            "explanation",
        ]
        .iter()
        .map(|k| first.find(&format!("\"{k}\":")).unwrap())
        .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{first}");
        assert!(rows[2].get("id").is_none() && rows[2]["summary"]["k"] == 2);
    }
}
