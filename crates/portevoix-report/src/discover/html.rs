//! The self-contained HTML report of a discovery: inline CSS, SVG charts
//! drawn here, no script and no external asset.

use super::{
    PYRAMID_COLOURS, advocacy, candidates_line, count_lines, label, pyramid_level_name, role_names,
    stance, top_contributions_label, truncate,
};
use portevoix_core::Evidence;
use portevoix_score::discovery::{DiscoveredAccount, Discovery, Role, Tier};
use std::borrow::Cow;
use std::fmt::Write as _;

/// Escapes text for HTML content and quoted attribute values.
fn e(s: &str) -> Cow<'_, str> {
    html_escape::encode_quoted_attribute(s)
}

const FAMILIES: [(&str, &str); 5] = [
    ("reach", "#4e79a7"),
    ("resonance", "#f28e2b"),
    ("relevance", "#59a14f"),
    ("trust", "#b07aa1"),
    ("brand_affinity", "#e15759"),
];
const OTHER_FAMILY_COLOUR: &str = "#9c755f";

fn tier_colour(t: Tier) -> &'static str {
    match t {
        Tier::Macro => "#8c564b",
        Tier::Micro => "#17becf",
        Tier::Other => "#7f7f7f",
    }
}
const ROLE_COLOUR: &str = "#bcbd22";
const AMBASSADOR_COLOUR: &str = "#e377c2";
const DETRACTOR_COLOUR: &str = "#d62728";

const CSS: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#222;background:#fff;margin:0 auto;max-width:1180px;padding:16px 24px}\
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin:1.4em 0 .4em;border-bottom:1px solid #ddd;padding-bottom:.2em}\
h3{font-size:1.05em;margin:1em 0 .3em}\
.meta{color:#444}.notes{color:#555;font-size:.9em}\
svg{display:block;max-width:100%;height:auto}\
svg text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;fill:#222}\
svg text.inside{fill:#fff;font-weight:bold}\
.chart-note{color:#555;font-size:.85em;margin:.2em 0 1em}\
table.accounts{border-collapse:collapse;font-size:.85em;width:100%}\
table.accounts th,table.accounts td{border-bottom:1px solid #e4e4e4;padding:3px 6px;text-align:left;vertical-align:top}\
table.accounts td.num{text-align:right;font-variant-numeric:tabular-nums}\
details summary{cursor:pointer;color:#335;white-space:nowrap}details ul{margin:.2em 0;padding-left:1.2em}\
.grid{display:flex;flex-wrap:wrap;gap:8px 32px}.grid>div{flex:1 1 540px}";

/// Colour of a signal, by the family of its [`SignalInfo`](portevoix_score::signals::SignalInfo)
/// (else the prefix of its name).
fn signal_family<'a>(d: &'a Discovery, signal: &'a str) -> &'a str {
    d.signals
        .iter()
        .find(|s| s.name == signal)
        .map(|s| s.family.name())
        .unwrap_or_else(|| match signal.split('.').next().unwrap_or(signal) {
            "brand" => "brand_affinity",
            prefix => prefix,
        })
}

fn family_colour(family: &str) -> &'static str {
    FAMILIES
        .iter()
        .find(|(f, _)| *f == family)
        .map_or(OTHER_FAMILY_COLOUR, |(_, c)| c)
}

/// Which accounts belong to a class.
type Keep = fn(&DiscoveredAccount) -> bool;

/// Renders the page; `accounts` are the listed ones (table and scatter plot).
pub(crate) fn render(d: &Discovery, accounts: &[DiscoveredAccount]) -> String {
    render_with_posts(d, accounts, &std::collections::BTreeMap::new())
}

/// At most this many ambassadors and detractors (each) show the posts
/// behind their judgement.
const JUDGED_MAX: usize = 25;

/// Renders the page with the text of the posts in `texts` (post id →
/// text) shown beside the posts that made the ambassadors and detractors.
pub(crate) fn render_with_posts(
    d: &Discovery,
    accounts: &[DiscoveredAccount],
    texts: &std::collections::BTreeMap<String, String>,
) -> String {
    let mut h = String::with_capacity(64 * 1024 + accounts.len() * 1500);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Porte-voix discovery: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        e(&d.campaign)
    );
    let _ = writeln!(h, "<header>\n<h1>Discovery: {}</h1>", e(&d.campaign));
    let _ = writeln!(
        h,
        "<p class=\"meta\">Objective <b>{}</b> · {}</p>",
        e(d.objective.name()),
        e(&candidates_line(d, accounts.len()))
    );
    h.push_str("<p class=\"meta\">");
    for (i, (k, v)) in count_lines(&d.counts).into_iter().enumerate() {
        if i > 0 {
            h.push_str(" · ");
        }
        let _ = write!(h, "{}: {}", e(k), e(&v));
    }
    h.push_str("</p>\n");
    if !d.unresolved.is_empty() || !d.notes.is_empty() {
        h.push_str("<ul class=\"notes\">\n");
        if !d.unresolved.is_empty() {
            let _ = writeln!(
                h,
                "<li>Unresolved names: {}</li>",
                e(&d.unresolved.join(", "))
            );
        }
        for n in &d.notes {
            let _ = writeln!(h, "<li>{}</li>", e(n));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</header>\n");

    h.push_str("<section>\n<h2>Pyramid of influence</h2>\n");
    pyramid(&mut h, d);
    h.push_str("</section>\n<section>\n<h2>Tiers and roles</h2>\n");
    classes(&mut h, d);
    h.push_str("</section>\n<section>\n<h2>Top people per class</h2>\n");
    h.push_str(
        "<p class=\"chart-note\">Each bar is a contextual score (0 to 100) broken down into the \
         contributions of its signals, coloured by family.</p>\n",
    );
    legend(&mut h);
    h.push_str("<div class=\"grid\">\n");
    let groups: [(&str, &str, Keep); 4] = [
        ("macro", "Macro-influencers", |a| a.tier == Tier::Macro),
        ("micro", "Micro-influencers", |a| a.tier == Tier::Micro),
        ("ambassadors", "Ambassadors", |a| a.ambassador.is_some()),
        ("detractors", "Detractors", |a| a.detractor),
    ];
    for (id, title, keep) in &groups {
        let people: Vec<&DiscoveredAccount> =
            d.accounts.iter().filter(|a| keep(a)).take(10).collect();
        let _ = writeln!(h, "<div>\n<h3>{title}</h3>");
        breakdown(&mut h, d, id, &people);
        h.push_str("</div>\n");
    }
    h.push_str("</div>\n</section>\n");
    judged_posts(&mut h, d, texts);
    h.push_str("<section>\n<h2>Baseline rank against contextual rank</h2>\n");
    ranks(&mut h, accounts);
    h.push_str("</section>\n<section>\n<h2>Accounts</h2>\n");
    table(&mut h, d, accounts);
    h.push_str("</section>\n</body>\n</html>\n");
    h
}

/// The pyramid: five stacked trapezoids, level 5 at the top, each with its
/// count inside and its name and share on the right.
fn pyramid(h: &mut String, d: &Discovery) {
    const TOP: f64 = 10.0;
    const BAND: f64 = 64.0;
    const GAP: f64 = 6.0;
    const CX: f64 = 300.0;
    const W_TOP: f64 = 70.0;
    const W_BASE: f64 = 560.0;
    let height = 5.0 * BAND + 4.0 * GAP;
    let total: u64 = d.counts.pyramid.iter().sum();
    let width_at = |y: f64| W_TOP + (W_BASE - W_TOP) * (y - TOP) / height;
    let _ = writeln!(
        h,
        "<svg id=\"pyramid\" xmlns=\"http://www.w3.org/2000/svg\" width=\"960\" height=\"{h}\" viewBox=\"0 0 960 {h}\" role=\"img\" aria-label=\"Pyramid of influence\">",
        h = height + 2.0 * TOP
    );
    for level in (1..=5u8).rev() {
        let band = f64::from(5 - level);
        let y0 = TOP + band * (BAND + GAP);
        let y1 = y0 + BAND;
        let (w0, w1) = (width_at(y0), width_at(y1));
        let count = d.counts.pyramid[usize::from(level) - 1];
        let share = if total > 0 {
            100.0 * count as f64 / total as f64
        } else {
            0.0
        };
        let name = pyramid_level_name(level);
        let _ = writeln!(
            h,
            "<g class=\"band band-{level}\"><polygon id=\"level-{level}\" class=\"level level-{level}\" \
             points=\"{:.1},{y0:.1} {:.1},{y0:.1} {:.1},{y1:.1} {:.1},{y1:.1}\" fill=\"{}\">\
             <title>Level {level}, {}: {count} accounts</title></polygon>\
             <text class=\"inside\" x=\"{CX}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"18\">{count}</text>\
             <text class=\"level-label\" x=\"{:.1}\" y=\"{:.1}\" font-size=\"15\" font-weight=\"600\">{level} · {}</text>\
             <text class=\"level-count\" x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\">{count} account{} ({share:.1}%)</text></g>",
            CX - w0 / 2.0,
            CX + w0 / 2.0,
            CX + w1 / 2.0,
            CX - w1 / 2.0,
            PYRAMID_COLOURS[usize::from(level) - 1],
            e(name),
            y0 + BAND / 2.0 + 6.0,
            CX + W_BASE / 2.0 + 24.0,
            y0 + BAND / 2.0 - 3.0,
            e(name),
            CX + W_BASE / 2.0 + 24.0,
            y0 + BAND / 2.0 + 15.0,
            if count == 1 { "" } else { "s" },
        );
    }
    h.push_str("</svg>\n");
}

/// Horizontal bars: tiers, roles, ambassadors, detractors.
fn classes(h: &mut String, d: &Discovery) {
    let c = &d.counts;
    let mut rows: Vec<(String, String, u64, &str)> = Vec::new();
    for t in [Tier::Macro, Tier::Micro, Tier::Other] {
        let n = c.tiers.get(t.name()).copied().unwrap_or(0);
        rows.push((
            format!("tier {}", t.name()),
            format!("tier tier-{}", t.name()),
            n,
            tier_colour(t),
        ));
    }
    for r in role_names() {
        let n = c.roles.get(r).copied().unwrap_or(0);
        rows.push((
            format!("role {r}"),
            format!("role role-{r}"),
            n,
            ROLE_COLOUR,
        ));
    }
    for k in super::AMBASSADOR_NAMES {
        let n = c.ambassadors.get(k).copied().unwrap_or(0);
        rows.push((
            format!("ambassador {k}"),
            format!("ambassador ambassador-{k}"),
            n,
            AMBASSADOR_COLOUR,
        ));
    }
    rows.push((
        "detractor".into(),
        "detractor".into(),
        c.detractors,
        DETRACTOR_COLOUR,
    ));
    const ROW: f64 = 24.0;
    const LABEL_W: f64 = 190.0;
    const BAR_W: f64 = 560.0;
    let max = rows.iter().map(|r| r.2).max().unwrap_or(0).max(1) as f64;
    let gap_after = [2usize, 9, 11];
    let height = rows.len() as f64 * ROW + gap_after.len() as f64 * 10.0 + 10.0;
    let _ = writeln!(
        h,
        "<svg id=\"classes\" xmlns=\"http://www.w3.org/2000/svg\" width=\"860\" height=\"{height}\" viewBox=\"0 0 860 {height}\" role=\"img\" aria-label=\"Tiers and roles\">"
    );
    let mut y = 5.0;
    for (i, (name, class, n, colour)) in rows.iter().enumerate() {
        let w = BAR_W * *n as f64 / max;
        let _ = writeln!(
            h,
            "<g class=\"row\"><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"13\">{}</text>\
             <rect class=\"bar {}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{colour}\"><title>{}: {n}</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\">{n}</text></g>",
            LABEL_W,
            y + ROW / 2.0 + 4.0,
            e(&name.replace('_', " ")),
            e(class),
            LABEL_W + 10.0,
            y + 3.0,
            ROW - 6.0,
            e(name),
            LABEL_W + 16.0 + w,
            y + ROW / 2.0 + 4.0,
        );
        y += ROW;
        if gap_after.contains(&i) {
            y += 10.0;
        }
    }
    h.push_str("</svg>\n");
}

fn legend(h: &mut String) {
    let _ = write!(
        h,
        "<svg id=\"legend\" xmlns=\"http://www.w3.org/2000/svg\" width=\"860\" height=\"26\" viewBox=\"0 0 860 26\" role=\"img\" aria-label=\"Signal families\">"
    );
    let mut x = 0.0;
    for (family, colour) in FAMILIES {
        let _ = write!(
            h,
            "<g class=\"legend-item family-{family}\"><rect x=\"{x:.1}\" y=\"6\" width=\"14\" height=\"14\" fill=\"{colour}\"/>\
             <text x=\"{:.1}\" y=\"18\" font-size=\"13\">{}</text></g>",
            x + 20.0,
            family.replace('_', " ")
        );
        x += 30.0 + 9.0 * family.len() as f64;
    }
    h.push_str("</svg>\n");
}

/// The top people of one class, each with a bar of its contributions.
fn breakdown(h: &mut String, d: &Discovery, id: &str, people: &[&DiscoveredAccount]) {
    const ROW: f64 = 24.0;
    const LABEL_W: f64 = 190.0;
    const SCALE: f64 = 3.0; // pixels per score point
    let rows = people.len().max(1) as f64;
    let height = rows * ROW + 8.0;
    let width = LABEL_W + 10.0 + 100.0 * SCALE + 50.0;
    let _ = writeln!(
        h,
        "<svg id=\"top-{id}\" class=\"breakdown\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"Top {id}\">"
    );
    if people.is_empty() {
        let _ = writeln!(h, "<text x=\"0\" y=\"18\" font-size=\"13\">none</text>");
    }
    for (i, a) in people.iter().enumerate() {
        let y = 4.0 + i as f64 * ROW;
        let _ = write!(
            h,
            "<g class=\"person\"><text x=\"{LABEL_W:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"13\">#{} {}</text>",
            y + ROW / 2.0 + 4.0,
            a.rank,
            e(&truncate(&label(a), 24))
        );
        // Segments in the order of the discovery's signals, so that colours
        // line up from one bar to the next.
        let mut x = LABEL_W + 10.0;
        let mut ordered: Vec<&portevoix_core::Contribution> =
            a.explanation.contributions.iter().collect();
        let pos = |s: &str| {
            d.signals
                .iter()
                .position(|i| i.name == s)
                .unwrap_or(usize::MAX)
        };
        ordered.sort_by_key(|c| pos(&c.signal));
        for c in ordered {
            let w = SCALE * c.contribution.max(0.0);
            if w <= 0.0 {
                continue;
            }
            let family = signal_family(d, &c.signal);
            let _ = write!(
                h,
                "<rect class=\"seg family-{}\" x=\"{x:.2}\" y=\"{:.1}\" width=\"{w:.2}\" height=\"{:.1}\" fill=\"{}\"><title>{}: {:.2}</title></rect>",
                e(family),
                y + 3.0,
                ROW - 6.0,
                family_colour(family),
                e(&c.signal),
                c.contribution
            );
            x += w;
        }
        let _ = writeln!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\">{:.1}</text></g>",
            x + 6.0,
            y + ROW / 2.0 + 4.0,
            a.contextual_score
        );
    }
    h.push_str("</svg>\n");
}

/// Most points drawn on the scatter plot.
const SCATTER_MAX: usize = 500;

/// Baseline rank (x) against contextual rank (y), both on log scales with
/// rank 1 at the top left, and the diagonal.
fn ranks(h: &mut String, accounts: &[DiscoveredAccount]) {
    let points = &accounts[..accounts.len().min(SCATTER_MAX)];
    const L: f64 = 70.0;
    const T: f64 = 20.0;
    const S: f64 = 520.0;
    let max_rank = points
        .iter()
        .map(|a| a.rank.max(a.baseline_rank))
        .max()
        .unwrap_or(1)
        .max(10) as f64;
    // A margin inside the frame keeps the points at rank 1 and at the
    // largest rank whole.
    const PAD: f64 = 12.0;
    let pos = |r: u32| PAD + f64::from(r.max(1)).ln() / max_rank.ln() * (S - 2.0 * PAD);
    let (w, hh) = (L + S + 200.0, T + S + 60.0);
    let _ = writeln!(
        h,
        "<svg id=\"ranks\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{hh}\" viewBox=\"0 0 {w} {hh}\" role=\"img\" aria-label=\"Baseline rank against contextual rank\">"
    );
    let _ = writeln!(
        h,
        "<rect class=\"frame\" x=\"{L}\" y=\"{T}\" width=\"{S}\" height=\"{S}\" fill=\"none\" stroke=\"#999\"/>"
    );
    let mut ticks: Vec<u32> = std::iter::successors(Some(1u32), |t| t.checked_mul(10))
        .take_while(|t| f64::from(*t) <= max_rank)
        .collect();
    let last = *ticks.last().unwrap_or(&1);
    if max_rank / f64::from(last) >= 2.0 {
        ticks.push(max_rank as u32);
    }
    for t in ticks {
        let p = pos(t);
        let _ = writeln!(
            h,
            "<g class=\"tick\"><line x1=\"{x:.1}\" y1=\"{T}\" x2=\"{x:.1}\" y2=\"{b}\" stroke=\"#e6e6e6\"/>\
             <line x1=\"{L}\" y1=\"{y:.1}\" x2=\"{r}\" y2=\"{y:.1}\" stroke=\"#e6e6e6\"/>\
             <text x=\"{x:.1}\" y=\"{ty}\" text-anchor=\"middle\" font-size=\"12\">{t}</text>\
             <text x=\"{tx}\" y=\"{yy:.1}\" text-anchor=\"end\" font-size=\"12\">{t}</text></g>",
            x = L + p,
            y = T + p,
            b = T + S,
            r = L + S,
            ty = T + S + 16.0,
            tx = L - 6.0,
            yy = T + p + 4.0,
        );
    }
    let _ = writeln!(
        h,
        "<line class=\"diagonal\" x1=\"{L}\" y1=\"{T}\" x2=\"{}\" y2=\"{}\" stroke=\"#555\" stroke-dasharray=\"6 4\"/>",
        L + S,
        T + S
    );
    let _ = writeln!(
        h,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\">baseline rank (log scale)</text>\
         <text x=\"16\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\" transform=\"rotate(-90 16 {})\">contextual rank (log scale)</text>",
        L + S / 2.0,
        T + S + 40.0,
        T + S / 2.0,
        T + S / 2.0
    );
    // Worst first, so the best are drawn on top.
    for a in points.iter().rev() {
        let _ = writeln!(
            h,
            "<circle class=\"point tier-{}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\" fill=\"{}\" fill-opacity=\"0.8\" stroke=\"#fff\" stroke-width=\"0.8\"><title>#{} {}: contextual rank {}, baseline rank {}</title></circle>",
            a.tier.name(),
            L + pos(a.baseline_rank),
            T + pos(a.rank),
            tier_colour(a.tier),
            a.rank,
            e(&label(a)),
            a.rank,
            a.baseline_rank
        );
    }
    for a in points.iter().take(5) {
        let _ = writeln!(
            h,
            "<text class=\"point-label\" x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{}</text>",
            L + pos(a.baseline_rank) + 8.0,
            T + pos(a.rank) + 4.0,
            e(&truncate(&label(a), 20))
        );
    }
    // Tier legend.
    let lx = L + S + 20.0;
    for (i, t) in [Tier::Macro, Tier::Micro, Tier::Other]
        .into_iter()
        .enumerate()
    {
        let y = T + 14.0 + i as f64 * 22.0;
        let _ = writeln!(
            h,
            "<circle cx=\"{lx}\" cy=\"{y}\" r=\"5\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"13\">{}</text>",
            tier_colour(t),
            lx + 12.0,
            y + 4.0,
            t.name()
        );
    }
    h.push_str("</svg>\n");
    let _ = writeln!(
        h,
        "<p class=\"chart-note\">{} listed accounts (at most {SCATTER_MAX}). Above the dashed diagonal: ranked higher by \
         the contextual score than by the baseline social score; below: lower.</p>",
        points.len()
    );
}

/// The posts that made each ambassador and detractor (the best
/// [`JUDGED_MAX`] of each class by contextual rank): their text when known
/// and their stance probabilities toward the brand.
fn judged_posts(h: &mut String, d: &Discovery, texts: &std::collections::BTreeMap<String, String>) {
    h.push_str(
        "<section id=\"judged\">\n<h2>Ambassadors and detractors: the posts behind the judgement</h2>\n\
         <p class=\"chart-note\">Each organic mention of the brand with the probabilities of its stance toward the \
         brand (negative, neutral, positive).</p>\n",
    );
    let groups: [(&str, Keep); 2] = [
        ("Ambassadors", |a| a.ambassador.is_some()),
        ("Detractors", |a| a.detractor),
    ];
    for (title, keep) in groups {
        let people: Vec<&DiscoveredAccount> = d
            .accounts
            .iter()
            .filter(|a| keep(a))
            .take(JUDGED_MAX)
            .collect();
        let _ = writeln!(h, "<h3>{title} ({})</h3>", people.len());
        if people.is_empty() {
            h.push_str("<p>none</p>\n");
            continue;
        }
        h.push_str("<ul class=\"judged\">\n");
        for a in people {
            let why = a
                .classification_evidence
                .iter()
                .find(|s| s.starts_with("ambassador") || s.starts_with("detractor"))
                .map_or("", String::as_str);
            let _ = write!(
                h,
                "<li><b>{}</b> (rank {}): {}<ul>",
                e(&label(a)),
                a.rank,
                e(why)
            );
            for ev in &a.explanation.evidence {
                if let Evidence::Post { post, why, .. } = ev
                    && why.starts_with("mentions the brand")
                {
                    let text = texts.get(post).map_or("", String::as_str);
                    let _ = write!(
                        h,
                        "<li class=\"post\"><q>{}</q> <span class=\"meta\">post {}: {}</span></li>",
                        e(text),
                        e(post),
                        e(why)
                    );
                }
            }
            h.push_str("</ul></li>\n");
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
}

fn evidence_line(ev: &Evidence) -> String {
    match ev {
        Evidence::Post { post, why, weight } => format!("post {post}: {why} (weight {weight:.2})"),
        Evidence::Account {
            label, why, weight, ..
        } => format!("{label}: {why} (weight {weight:.2})"),
        Evidence::Note { text } => text.clone(),
    }
}

fn table(h: &mut String, d: &Discovery, accounts: &[DiscoveredAccount]) {
    let _ = d;
    h.push_str(
        "<table class=\"accounts\">\n<thead><tr><th>rank</th><th>account</th><th>contextual</th><th>baseline</th>\
         <th>baseline rank</th><th>tier</th><th>role</th><th>ambassador / detractor</th>\
         <th title=\"mean P(positive) − P(negative) over the organic brand mentions / number of mentions\">stance</th>\
         <th>level</th><th>top contributions</th><th>why</th></tr></thead>\n<tbody>\n",
    );
    for a in accounts {
        let _ = write!(
            h,
            "<tr class=\"account tier-{}\"><td class=\"num\">{}</td><td title=\"{}\">{}</td><td class=\"num\">{:.1}</td>\
             <td class=\"num\">{:.1}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td>",
            a.tier.name(),
            a.rank,
            e(&a.id),
            e(&label(a)),
            a.contextual_score,
            a.baseline_score,
            a.baseline_rank,
            a.tier.name(),
            e(&a.role.map_or("", Role::name).replace('_', " ")),
            e(&advocacy(a)),
            e(&stance(a)),
            a.pyramid_level,
            e(&top_contributions_label(&a.explanation)),
        );
        h.push_str("<td><details><summary>why</summary><ul>");
        for c in &a.explanation.contributions {
            let _ = write!(
                h,
                "<li>{}: raw {}, normalised {:.3}, weight {:.3}, contribution {:.2}</li>",
                e(&c.signal),
                c.raw,
                c.normalised,
                c.weight,
                c.contribution
            );
        }
        for ev in &a.explanation.evidence {
            let _ = write!(h, "<li>{}</li>", e(&evidence_line(ev)));
        }
        for s in a.classification_evidence.iter().chain(&a.pyramid_evidence) {
            let _ = write!(h, "<li>{}</li>", e(s));
        }
        h.push_str("</ul></details></td></tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
}
