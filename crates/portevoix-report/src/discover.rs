//! Reports of a [`Discovery`]: the ranked candidates of a campaign with their
//! scores, classes and explanations, as a terminal table, JSON Lines, CSV,
//! Markdown, a self-contained HTML page with SVG charts, or GEXF for Gephi.
//!
//! Writers format what the scoring stage computed; they compute no score.
//! Every writer lists the accounts in the order of [`Discovery::accounts`]
//! (best contextual score first, i.e. rank order) and, given `top = Some(k)`,
//! only the first `k` of them. Class counts always cover every candidate.
//!
//! ```
//! use portevoix_report::discover::{write_discovery, ReportFormat};
//!
//! // A hand-built, realistic discovery (40 accounts, every class).
//! let d = portevoix_report::discover::example::example_discovery();
//! let format: ReportFormat = "jsonl".parse().unwrap();
//! let mut out = Vec::new();
//! write_discovery(&d, format, Some(3), &mut out).unwrap();
//! let text = String::from_utf8(out).unwrap();
//! assert_eq!(text.lines().count(), 3);
//! let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
//! assert_eq!(first["rank"], 1);
//! assert!(first["explanation"]["contributions"].is_array());
//!
//! let mut html = Vec::new();
//! write_discovery(&d, ReportFormat::Html, None, &mut html).unwrap();
//! assert!(String::from_utf8(html).unwrap().contains(r#"<svg id="pyramid""#));
//! ```
//!
//! # JSON Lines contract
//!
//! [`ReportFormat::Jsonl`] is a stable contract, read by external checks. It
//! writes one JSON object per line, one line per account, in rank order (all
//! accounts unless `top` is given). Each object has at least these keys
//! (more may be added later; none of these will be removed or change type):
//!
//! | key | type | meaning |
//! |---|---|---|
//! | `id` | string | the account's external id |
//! | `handle` | string or null | `@handle` when the export gives one |
//! | `name` | string or null | the profile's display name when the export gives one (Stack Exchange `DisplayName`, a tweet author's name) |
//! | `contextual_score` | number, 0 to 100 | the campaign's contextual score |
//! | `baseline_score` | number, 0 to 100 | the baseline social score |
//! | `rank` | integer ≥ 1 | rank by contextual score, 1 = best |
//! | `baseline_rank` | integer ≥ 1 | rank by baseline score, 1 = best |
//! | `tier` | `"macro"`, `"micro"` or `"other"` | influencer tier |
//! | `role` | string or null | `celebrity`, `opinion_leader`, `specialist`, `trend_spotter` (macro); `networker`, `diffuser`, `power_user` (micro); null for others |
//! | `ambassador` | null, `"employee"` or `"customer"` | ambassador kind |
//! | `detractor` | boolean | repeated negative sentiment toward the brand |
//! | `pyramid_level` | integer 1 to 5 | level on the pyramid of influence |
//! | `community` | integer or null | community of the interaction view |
//! | `signals` | object | raw value of every signal, by name (`reach.pagerank`, ...) |
//! | `explanation` | object | why the contextual score is what it is (below) |
//! | `baseline_explanation` | object | `score`, `contributions`, `evidence` of the baseline score |
//!
//! `explanation` has the keys `score` (number, equal to `contextual_score`),
//! `contributions` (array of `{signal, raw, normalised, weight,
//! contribution}`, whose `contribution`s add up to `score`), `evidence`
//! (array of objects tagged by `kind`: `{"kind":"post", post, why, weight}`,
//! `{"kind":"account", account, label, why, weight}` or
//! `{"kind":"note", text}`), `classification` (array of strings: the rules
//! behind tier, role, ambassador and detractor) and `pyramid` (array of
//! strings: the rules behind the pyramid level). Every number is finite.
//!
//! # Other formats
//!
//! - [`ReportFormat::Csv`]: a header row, then one row per account: the
//!   columns of [`CSV_COLUMNS`], then one column per signal, named after it,
//!   in the order of [`Discovery::signals`]. Absent values are empty cells.
//! - [`ReportFormat::Table`]: a header (campaign, objective, class counts,
//!   notes) and one aligned row per account with its three largest
//!   contributions.
//! - [`ReportFormat::Markdown`]: the same as GitHub-flavoured Markdown.
//! - [`ReportFormat::Html`]: one self-contained page (inline CSS and SVG, no
//!   script, no external asset): the pyramid of influence (`<svg
//!   id="pyramid">`, one `polygon.level.level-N` per level filled with
//!   [`PYRAMID_COLOURS`]), tiers and roles (`svg#classes`), the top people
//!   of each class with their score broken down by signal (`svg#top-macro`,
//!   `#top-micro`, `#top-ambassadors`, `#top-detractors`), baseline against
//!   contextual rank (`svg#ranks`), and a table of the listed accounts.
//! - [`ReportFormat::Gexf`]: GEXF 1.3 for Gephi, the listed accounts as nodes
//!   with their classes and signals as attributes, no edges; use
//!   [`write_gexf`] to add edges.

pub mod example;
mod gexf;
mod html;

pub use gexf::{discovery_edges, write_gexf};

use portevoix_core::{Contribution, Evidence, Explanation};
use portevoix_score::discovery::{
    AmbassadorKind, ClassCounts, DiscoveredAccount, Discovery, Role, Tier,
};
use portevoix_score::scoring::weights::NOT_VARYING as CONSTANT_SIGNAL;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

/// The output formats of a discovery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportFormat {
    /// Aligned text table for a terminal (`table`).
    Table,
    /// JSON Lines, one object per account: the stable contract (`jsonl`).
    Jsonl,
    /// CSV, one row per account, one column per signal (`csv`).
    Csv,
    /// GitHub-flavoured Markdown (`md`).
    Markdown,
    /// Self-contained HTML page with SVG charts (`html`).
    Html,
    /// GEXF 1.3 graph for Gephi, nodes only (`gexf`).
    Gexf,
}

impl ReportFormat {
    /// Every format, in the order of their names in help texts.
    pub const ALL: [ReportFormat; 6] = [
        ReportFormat::Table,
        ReportFormat::Jsonl,
        ReportFormat::Csv,
        ReportFormat::Markdown,
        ReportFormat::Html,
        ReportFormat::Gexf,
    ];

    /// The format's name on the command line (`table`, `jsonl`, `csv`, `md`,
    /// `html`, `gexf`).
    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Table => "table",
            ReportFormat::Jsonl => "jsonl",
            ReportFormat::Csv => "csv",
            ReportFormat::Markdown => "md",
            ReportFormat::Html => "html",
            ReportFormat::Gexf => "gexf",
        }
    }

    /// The usual file extension of the format (`txt` for the table).
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Table => "txt",
            other => other.name(),
        }
    }
}

impl fmt::Display for ReportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A report format name that is none of `table|jsonl|csv|md|html|gexf`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownReportFormat(pub String);

impl fmt::Display for UnknownReportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown report format `{}` (expected one of: table, jsonl, csv, md, html, gexf)",
            self.0
        )
    }
}

impl std::error::Error for UnknownReportFormat {}

impl FromStr for ReportFormat {
    type Err = UnknownReportFormat;

    /// Parses a format name, case-insensitively; `markdown` and `json-lines`
    /// are accepted as aliases of `md` and `jsonl`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "table" | "txt" => Ok(ReportFormat::Table),
            "jsonl" | "json-lines" | "ndjson" => Ok(ReportFormat::Jsonl),
            "csv" => Ok(ReportFormat::Csv),
            "md" | "markdown" => Ok(ReportFormat::Markdown),
            "html" => Ok(ReportFormat::Html),
            "gexf" => Ok(ReportFormat::Gexf),
            _ => Err(UnknownReportFormat(s.to_string())),
        }
    }
}

/// Writes a discovery of `engine` in `format`: [`write_discovery`], and for
/// GEXF the edges among the listed accounts ([`discovery_edges`]).
///
/// # Errors
///
/// What the writer reports.
pub fn write_report(
    engine: &portevoix_score::Engine,
    d: &Discovery,
    format: ReportFormat,
    top: Option<usize>,
    out: &mut dyn Write,
) -> io::Result<()> {
    if format == ReportFormat::Gexf {
        write_gexf(d, &discovery_edges(engine, d), out)
    } else if format == ReportFormat::Html {
        let accounts = listed_for_reading(d, top);
        out.write_all(html::render_with_posts(d, accounts, &judged_texts(engine, d)).as_bytes())
    } else {
        write_discovery(d, format, top, out)
    }
}

/// The text of the posts cited as evidence of the ambassadors and
/// detractors, by post id.
fn judged_texts(engine: &portevoix_score::Engine, d: &Discovery) -> BTreeMap<String, String> {
    let wanted: std::collections::BTreeSet<&str> = d
        .accounts
        .iter()
        .filter(|a| a.ambassador.is_some() || a.detractor)
        .flat_map(|a| &a.explanation.evidence)
        .filter_map(|ev| match ev {
            portevoix_core::Evidence::Post { post, .. } => Some(post.as_str()),
            _ => None,
        })
        .collect();
    engine
        .posts()
        .iter()
        .filter(|p| wanted.contains(p.id.as_str()))
        .map(|p| (p.id.clone(), p.text.clone()))
        .collect()
}

/// Writes a discovery in `format`, listing the first `top` accounts (all of
/// them when `None`). Class counts in headers and charts always cover every
/// candidate. See the module documentation for each format.
pub fn write_discovery(
    d: &Discovery,
    format: ReportFormat,
    top: Option<usize>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let accounts = listed(d, top);
    let reading = listed_for_reading(d, top);
    match format {
        ReportFormat::Table => out.write_all(render_table(d, reading).as_bytes()),
        ReportFormat::Jsonl => write_jsonl(accounts, out),
        ReportFormat::Csv => write_csv(d, accounts, out),
        ReportFormat::Markdown => out.write_all(render_markdown(d, reading).as_bytes()),
        ReportFormat::Html => out.write_all(html::render(d, reading).as_bytes()),
        ReportFormat::Gexf => gexf::write(d, accounts, &[], out),
    }
}

/// The accounts a report lists: the first `top` (all when `None`).
fn listed(d: &Discovery, top: Option<usize>) -> &[DiscoveredAccount] {
    let n = top.map_or(d.accounts.len(), |k| k.min(d.accounts.len()));
    &d.accounts[..n]
}

/// The accounts a report for reading lists (table, Markdown, HTML): the
/// first `top`, without the contextual scores of 0 that follow the scored
/// ones (people a gate set to 0: off topic, against the brand, inauthentic;
/// their reasons stay in JSON Lines and CSV). All of the first `top` when
/// no one scored above 0, so that a campaign whose weights are all 0 still
/// shows its pool.
pub fn listed_for_reading(d: &Discovery, top: Option<usize>) -> &[DiscoveredAccount] {
    let first = listed(d, top);
    let scored = first
        .iter()
        .take_while(|a| a.contextual_score > 0.0)
        .count();
    if scored == 0 { first } else { &first[..scored] }
}

/// The name of a pyramid level (1 to 5); `"unknown"` outside that range.
pub fn pyramid_level_name(level: u8) -> &'static str {
    match level {
        1 => "discovering the ecosystem",
        2 => "building a digital identity",
        3 => "sharing & networking",
        4 => "building a niche",
        5 => "self-realisation & collaborations",
        _ => "unknown",
    }
}

/// Fill colour (`#rrggbb`) of each pyramid level in the HTML report, index 0
/// = level 1. They are used by nothing else on the page, so a screenshot can
/// be checked for them.
pub const PYRAMID_COLOURS: [&str; 5] = ["#3366cc", "#2ca02c", "#ff9900", "#9933cc", "#cc0033"];

/// The fixed CSV columns, before one column per signal.
pub const CSV_COLUMNS: [&str; 13] = [
    "rank",
    "id",
    "handle",
    "contextual_score",
    "baseline_score",
    "baseline_rank",
    "tier",
    "role",
    "ambassador",
    "detractor",
    "pyramid_level",
    "community",
    "name",
];

// ---------------------------------------------------------------- JSON Lines

#[derive(Serialize)]
struct JsonAccount<'a> {
    id: &'a str,
    handle: Option<&'a str>,
    name: Option<&'a str>,
    contextual_score: f64,
    baseline_score: f64,
    rank: u32,
    baseline_rank: u32,
    tier: Tier,
    role: Option<Role>,
    ambassador: Option<AmbassadorKind>,
    detractor: bool,
    pyramid_level: u8,
    community: Option<u32>,
    signals: &'a BTreeMap<String, f64>,
    explanation: JsonExplanation<'a>,
    baseline_explanation: &'a Explanation,
}

#[derive(Serialize)]
struct JsonExplanation<'a> {
    score: f64,
    contributions: &'a [Contribution],
    evidence: &'a [Evidence],
    classification: &'a [String],
    pyramid: &'a [String],
}

fn write_jsonl(accounts: &[DiscoveredAccount], out: &mut dyn Write) -> io::Result<()> {
    let mut line = Vec::with_capacity(1024);
    for a in accounts {
        line.clear();
        let record = JsonAccount {
            id: &a.id,
            handle: a.handle.as_deref(),
            name: a.name.as_deref(),
            contextual_score: a.contextual_score,
            baseline_score: a.baseline_score,
            rank: a.rank,
            baseline_rank: a.baseline_rank,
            tier: a.tier,
            role: a.role,
            ambassador: a.ambassador,
            detractor: a.detractor,
            pyramid_level: a.pyramid_level,
            community: a.community,
            signals: &a.signals,
            explanation: JsonExplanation {
                score: a.explanation.score,
                contributions: &a.explanation.contributions,
                evidence: &a.explanation.evidence,
                classification: &a.classification_evidence,
                pyramid: &a.pyramid_evidence,
            },
            baseline_explanation: &a.baseline_explanation,
        };
        serde_json::to_writer(&mut line, &record)?;
        line.push(b'\n');
        out.write_all(&line)?;
    }
    Ok(())
}

// ----------------------------------------------------------------------- CSV

fn write_csv(d: &Discovery, accounts: &[DiscoveredAccount], out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<&str> = CSV_COLUMNS.to_vec();
    header.extend(d.signals.iter().map(|s| s.name.as_str()));
    w.write_record(&header)?;
    let mut row: Vec<String> = Vec::with_capacity(header.len());
    for a in accounts {
        row.clear();
        row.push(a.rank.to_string());
        row.push(a.id.clone());
        row.push(a.handle.clone().unwrap_or_default());
        row.push(a.contextual_score.to_string());
        row.push(a.baseline_score.to_string());
        row.push(a.baseline_rank.to_string());
        row.push(a.tier.name().to_string());
        row.push(a.role.map_or("", Role::name).to_string());
        row.push(a.ambassador.map_or("", AmbassadorKind::name).to_string());
        row.push(a.detractor.to_string());
        row.push(a.pyramid_level.to_string());
        row.push(a.community.map(|c| c.to_string()).unwrap_or_default());
        row.push(a.name.clone().unwrap_or_default());
        for s in &d.signals {
            row.push(
                a.signals
                    .get(&s.name)
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
            );
        }
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

// ------------------------------------------------------------ shared helpers

/// How a reader recognises an account: its `@handle`; else its display
/// name with its id (names are not unique: `Ashley (1130)`); else its id.
fn label(a: &DiscoveredAccount) -> Cow<'_, str> {
    match (&a.handle, &a.name) {
        (Some(h), _) => Cow::Borrowed(h),
        (None, Some(n)) if !n.trim().is_empty() => Cow::Owned(format!("{} ({})", n.trim(), a.id)),
        _ => Cow::Borrowed(&a.id),
    }
}

/// `employee`, `customer`, `detractor`, both, or empty.
fn advocacy(a: &DiscoveredAccount) -> String {
    match (a.ambassador, a.detractor) {
        (Some(k), true) => format!("{}+detractor", k.name()),
        (Some(k), false) => k.name().to_string(),
        (None, true) => "detractor".to_string(),
        (None, false) => String::new(),
    }
}

/// The `n` largest contributions, largest first (ties: signal name).
fn top_contributions(e: &Explanation, n: usize) -> Vec<&Contribution> {
    let mut c: Vec<&Contribution> = e.contributions.iter().collect();
    c.sort_by(|a, b| {
        b.contribution
            .total_cmp(&a.contribution)
            .then_with(|| a.signal.cmp(&b.signal))
    });
    c.truncate(n);
    c
}

fn top_contributions_label(e: &Explanation) -> String {
    top_contributions(e, 3)
        .iter()
        .map(|c| format!("{} {:.1}", c.signal, c.contribution))
        .collect::<Vec<_>>()
        .join(", ")
}

fn join_counts(m: &BTreeMap<String, u64>, order: &[&str]) -> String {
    // Known names in their natural order, then any other name.
    let mut parts: Vec<String> = order
        .iter()
        .filter_map(|k| m.get(*k).map(|v| format!("{k} {v}")))
        .collect();
    parts.extend(
        m.iter()
            .filter(|(k, _)| !order.contains(&k.as_str()))
            .map(|(k, v)| format!("{k} {v}")),
    );
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join(", ")
    }
}

const TIER_NAMES: [&str; 3] = ["macro", "micro", "other"];
const AMBASSADOR_NAMES: [&str; 2] = ["employee", "customer"];

fn role_names() -> Vec<&'static str> {
    Role::ALL.iter().map(|r| r.name()).collect()
}

/// Lines summarising the class counts: tiers, roles, ambassadors, detractors,
/// pyramid.
fn count_lines(c: &ClassCounts) -> Vec<(&'static str, String)> {
    let pyramid = (1..=5u8)
        .map(|l| format!("{l} {}", c.pyramid[l as usize - 1]))
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        ("tiers", join_counts(&c.tiers, &TIER_NAMES)),
        ("roles", join_counts(&c.roles, &role_names())),
        (
            "ambassadors",
            join_counts(&c.ambassadors, &AMBASSADOR_NAMES),
        ),
        ("detractors", c.detractors.to_string()),
        ("pyramid levels", pyramid),
    ]
}

fn candidates_line(d: &Discovery, shown: usize) -> String {
    let cut = shown < d.accounts.len() && d.accounts[shown].contextual_score <= 0.0;
    format!(
        "{} candidates out of {} accounts; {} listed{}",
        d.num_candidates,
        d.num_accounts,
        shown,
        if cut {
            " (scores of 0 are not listed: JSON Lines and CSV give each one's reason)"
        } else {
            ""
        }
    )
}

// --------------------------------------------------------------------- table

/// Truncates to `max` characters, ending with `…` when cut.
fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Replaces control characters (newlines, tabs, escapes) by spaces so that a
/// cell stays on one line and cannot drive the terminal.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

const TABLE_HEADERS: [&str; 11] = [
    "rank",
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
];
const TABLE_RIGHT: [bool; 11] = [
    true, false, true, true, true, false, false, false, true, true, false,
];

/// The stance toward the brand: the mean of P(positive) − P(negative) over
/// the organic brand mentions and their number (`+0.85/3`), empty without
/// a mention.
fn stance(a: &DiscoveredAccount) -> String {
    match (
        a.signals.get("brand.mentions"),
        a.signals.get("brand.sentiment"),
    ) {
        (Some(&n), Some(&mean)) if n > 0.0 => format!("{mean:+.2}/{n:.0}"),
        _ => String::new(),
    }
}

fn table_row(a: &DiscoveredAccount) -> [String; 11] {
    [
        a.rank.to_string(),
        truncate(&one_line(&label(a)), 28),
        format!("{:.1}", a.contextual_score),
        format!("{:.1}", a.baseline_score),
        a.baseline_rank.to_string(),
        a.tier.name().to_string(),
        a.role.map_or("", Role::name).to_string(),
        advocacy(a),
        stance(a),
        a.pyramid_level.to_string(),
        one_line(&top_contributions_label(&a.explanation)),
    ]
}

/// The discovery's notes for a reader: the signals that do not vary over
/// the candidates (often a whole family the data does not carry: tags on
/// tweets, ratings outside rating platforms) in one line, the others as
/// they are, in their order.
fn grouped_notes(notes: &[String]) -> Vec<String> {
    let constant: Vec<&str> = notes
        .iter()
        .filter_map(|n| n.strip_suffix(CONSTANT_SIGNAL))
        .collect();
    let mut out = Vec::with_capacity(notes.len());
    let mut listed = false;
    for n in notes {
        if n.ends_with(CONSTANT_SIGNAL) {
            if !listed && constant.len() > 1 {
                out.push(format!(
                    "not weighted, the same value for every candidate: {}",
                    constant.join(", ")
                ));
            } else if !listed {
                out.push(n.clone());
            }
            listed = true;
        } else {
            out.push(n.clone());
        }
    }
    out
}

fn render_table(d: &Discovery, accounts: &[DiscoveredAccount]) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "campaign: {}   objective: {}",
        one_line(&d.campaign),
        one_line(d.objective.name())
    );
    let _ = writeln!(s, "{}", candidates_line(d, accounts.len()));
    for (k, v) in count_lines(&d.counts) {
        let _ = writeln!(s, "{k}: {v}");
    }
    if !d.unresolved.is_empty() {
        let _ = writeln!(
            s,
            "unresolved names: {}",
            one_line(&d.unresolved.join(", "))
        );
    }
    for n in grouped_notes(&d.notes) {
        let _ = writeln!(s, "note: {}", one_line(&n));
    }
    s.push('\n');
    let rows: Vec<[String; 11]> = accounts.iter().map(table_row).collect();
    let mut widths = TABLE_HEADERS.map(|h| h.chars().count());
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut line = |cells: &[String]| {
        let mut l = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                l.push_str("  ");
            }
            let pad = widths[i].saturating_sub(cell.chars().count());
            if i + 1 == cells.len() {
                l.push_str(cell);
            } else if TABLE_RIGHT[i] {
                l.extend(std::iter::repeat_n(' ', pad));
                l.push_str(cell);
            } else {
                l.push_str(cell);
                l.extend(std::iter::repeat_n(' ', pad));
            }
        }
        s.push_str(l.trim_end());
        s.push('\n');
    };
    line(&TABLE_HEADERS.map(String::from));
    for r in &rows {
        line(r);
    }
    if rows.is_empty() {
        s.push_str("(no candidates)\n");
    }
    s
}

// ------------------------------------------------------------------ markdown

/// Escapes text for a Markdown table cell: Markdown punctuation gets a
/// backslash, HTML-significant characters become entities, control
/// characters become spaces.
fn md(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '#' | '~' => {
                o.push('\\');
                o.push(c);
            }
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            c if c.is_control() => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

fn render_markdown(d: &Discovery, accounts: &[DiscoveredAccount]) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "# Discovery: {}\n", md(&d.campaign));
    let _ = writeln!(
        s,
        "Objective: **{}**. {}.\n",
        md(d.objective.name()),
        candidates_line(d, accounts.len())
    );
    s.push_str("| class | count |\n|---|---:|\n");
    let c = &d.counts;
    for t in TIER_NAMES {
        let _ = writeln!(s, "| tier {t} | {} |", c.tiers.get(t).copied().unwrap_or(0));
    }
    for r in role_names() {
        let _ = writeln!(
            s,
            "| role {} | {} |",
            md(r),
            c.roles.get(r).copied().unwrap_or(0)
        );
    }
    for k in AMBASSADOR_NAMES {
        let _ = writeln!(
            s,
            "| ambassador {k} | {} |",
            c.ambassadors.get(k).copied().unwrap_or(0)
        );
    }
    let _ = writeln!(s, "| detractor | {} |", c.detractors);
    for l in (1..=5u8).rev() {
        let _ = writeln!(
            s,
            "| pyramid level {l} ({}) | {} |",
            md(pyramid_level_name(l)),
            c.pyramid[l as usize - 1]
        );
    }
    s.push('\n');
    if !d.unresolved.is_empty() {
        let _ = writeln!(s, "Unresolved names: {}\n", md(&d.unresolved.join(", ")));
    }
    for n in grouped_notes(&d.notes) {
        let _ = writeln!(s, "- Note: {}", md(&n));
    }
    if !d.notes.is_empty() {
        s.push('\n');
    }
    s.push_str(
        "| rank | account | contextual | baseline | baseline rank | tier | role | ambassador/detractor | stance | level | top contributions |\n",
    );
    s.push_str("|---:|---|---:|---:|---:|---|---|---|---:|---:|---|\n");
    for a in accounts {
        let r = table_row(a);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r[0],
            md(&label(a)),
            r[2],
            r[3],
            r[4],
            r[5],
            md(&r[6]),
            r[7],
            r[8],
            r[9],
            md(&r[10]),
        );
    }
    s
}
