#!/usr/bin/env python3
"""Tables of docs/planning-evaluation.md ("Campaign plans") from `portevoix plan` JSON Lines outputs.

Usage: python3 benches/plan_report.py FILE.jsonl...   (each the --out of one `portevoix plan` run)
Prints one Markdown row per plan: the plan's reach against the top k of `discover` (or the top by contextual score
until the budget), both by the independent Monte Carlo check when it ran, per unit of cost with a budget."""
import json, sys


def load(path):
    rows = [json.loads(l) for l in open(path) if l.strip()]
    picks = [r for r in rows if "id" in r]
    summary = next(r["summary"] for r in rows if "summary" in r)
    return picks, summary


def reach(s, part):
    c = part.get("reach_check")
    return (c["mean"], c["std_error"]) if c else (part["reach"], 0.0)


print("| file | model | k | budget | audience | plan: people | plan cost | plan reach (± s.e.) | top-by-score: people "
      "| cost | reach (± s.e.) | plan vs top | plan reach / cost | top reach / cost | shared | guarantee | select s | check s |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
for path in sys.argv[1:]:
    picks, s = load(path)
    b = s["baseline"]
    (pr, pe), (br, be) = reach(s, s), reach(s, b)
    g = s.get("guarantee")
    gtxt = f"{g['ratio']:.3f} (ε {g['epsilon']}, p {g['confidence']:.6f})" if g else "exact"
    t = dict(s["timings"])
    name = path.rsplit("/", 1)[-1]
    budget = s["budget"] if s["budget"] is not None else "–"
    print(f"| {name} | {s['model']} | {s['k']} | {budget} | {s['audience']['size']:,} | {len(picks)} | {s['cost']:g} "
          f"| {pr:,.1f} ± {pe:.1f} | {len(b['ids'])} | {b['cost']:g} | {br:,.1f} ± {be:.1f} | {100 * (pr / br - 1):+.1f}% "
          f"| {pr / s['cost']:,.1f} | {br / b['cost']:,.1f} | {b['shared_with_plan']} | {gtxt} "
          f"| {t.get('select', 0):.2f} | {t.get('check', 0):.1f} |")
