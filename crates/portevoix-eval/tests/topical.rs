//! Protocol `topical` on the four shared Stack Exchange sites.

use portevoix_eval::protocol::EvalOptions;
use portevoix_eval::protocols::topical;

#[test]
fn topical_on_the_shared_sites() {
    let report = topical::run(&EvalOptions::default().quick()).unwrap();
    for line in &report.setup {
        eprintln!("{line}");
    }
    for r in &report.results {
        let row: Vec<String> = report
            .metric_order
            .iter()
            .map(|m| format!("{m}={:.3}", r.metrics[m].estimate))
            .collect();
        eprintln!("{}: {}", r.variant, row.join(" "));
    }
    for f in &report.findings {
        eprintln!("{f}");
    }
}
