#!/usr/bin/env python3
"""Tables of docs/planning-evaluation.md from the JSON of examples/influence_max.rs.

    cargo build --release --example influence_max
    B=target/release/examples/influence_max; D=benches/influence_max-data; mkdir -p $D
    for d in higgs-retweet higgs-multiplex slashdot epinions; do
      $B quality --dataset $d --celf-runs 1000 --json $D/q_$d.json   # its ε sweep is read too
      $B budget  --dataset $d --budgets 50,200,1000 --json $D/b_$d.json
    done
    for d in higgs-retweet kron20; do $B speed --dataset $d --k 50 --epsilon 0.1 --repeat 5 --json $D/s_$d.json; done
    # optional: sw_NAME.json, a quality run with --k 50 only, for a separate ε sweep
    python3 benches/influence_max_report.py $D > /tmp/tables.md

Standard library only. Prints Markdown on stdout.
"""

import json
import sys
from pathlib import Path

ORDER = ["higgs-retweet", "higgs-multiplex", "slashdot", "epinions", "kron20"]


def load(d: Path, prefix: str) -> list:
    out = []
    for name in ORDER:
        p = d / f"{prefix}_{name}.json"
        if p.exists():
            out.append(json.loads(p.read_text()))
    return out


def pct(a: float, b: float) -> str:
    return f"{100.0 * a / b:.1f}%" if b else "–"


def gain(a: float, b: float) -> str:
    return f"{100.0 * (a / b - 1):+.1f}%" if b else "–"


def quality(rows: list) -> None:
    print("| graph | nodes | edges | k | IMM (± s.e.) | CELF-MC (± s.e.) | IMM / CELF | shared seeds "
          "| PageRank top-k | degree top-k | IMM vs PageRank | IMM vs degree | IMM s | CELF s (k = 50) | speed-up |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for q in rows:
        celf_s = q["celf"]["seconds"]
        for r in q["rows"]:
            imm, pr, deg = r["imm"]["mc"], r["pagerank"]["mc"], r["degree"]["mc"]
            c = r.get("celf") or {}
            cm = c.get("mc")
            print(f"| {q['dataset']} | {q['nodes']:,} | {q['edges']:,} | {r['k']} "
                  f"| {imm['mean']:,.1f} ± {imm['std_error']:.1f} "
                  f"| {cm['mean']:,.1f} ± {cm['std_error']:.1f} " if cm else "| – ", end="")
            print(f"| {pct(imm['mean'], cm['mean']) if cm else '–'} "
                  f"| {c.get('shared_seeds', '–')}/{r['k']} "
                  f"| {pr['mean']:,.1f} | {deg['mean']:,.1f} "
                  f"| {gain(imm['mean'], pr['mean'])} | {gain(imm['mean'], deg['mean'])} "
                  f"| {r['imm']['seconds']:.2f} | {celf_s:.1f} "
                  f"| {celf_s / r['imm']['seconds']:.0f}× |")
    print()
    sw = [(q, x) for q in rows + SWEEPS for x in q.get("sweep", [])]
    if sw:
        print("Larger ε at k = 50: the speed-up over CELF (1,000 worlds, same run) at CELF's quality.\n")
        print("| graph | ε | guarantee | IMM reach (± s.e.) | / CELF | IMM s | CELF s | speed-up |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for q, x in sw:
            c = next((r.get("celf") for r in q["rows"] if r["k"] == x["k"]), None)
            cm = c["mc"]["mean"] if c else None
            print(f"| {q['dataset']} | {x['epsilon']} | {x['guarantee']:.3f} "
                  f"| {x['mc']['mean']:,.1f} ± {x['mc']['std_error']:.1f} "
                  f"| {pct(x['mc']['mean'], cm) if cm else '–'} | {x['seconds']:.2f} "
                  f"| {q['celf']['seconds']:.1f} | {q['celf']['seconds'] / x['seconds']:.0f}× |")
        print()
    print("IMM's guarantee in every row: ε = 0.1, confidence 1 − n⁻¹ (e.g. "
          + ", ".join(f"{q['dataset']} {q['rows'][0]['imm']['confidence']:.7f}" for q in rows)
          + "), so at least 1 − 1/e − 0.1 = 0.532 of the optimum in expectation.")
    print()


def budget(rows: list) -> None:
    print("| graph | budget | plan: seeds (tiers 1/4/16/64) | plan reach | plan cost | reach / cost "
          "| PageRank-until-budget: seeds | reach | cost | reach / cost "
          "| degree-until-budget: seeds | reach | cost | reach / cost | plan vs best baseline (per cost) |")
    print("|---|---:|---|---:|---:|---:|---|---:|---:|---:|---|---:|---:|---:|---:|")

    def tiers(t):
        return "/".join(str(t[x]) for x in ("1", "4", "16", "64"))

    for b in rows:
        for r in b["rows"]:
            p, pr, dg = r["plan"], r["pagerank_until_budget"], r["degree_until_budget"]
            ppc = p["mc"]["mean"] / p["cost"]
            base = max(pr["mc"]["mean"] / pr["cost"], dg["mc"]["mean"] / dg["cost"])
            print(f"| {b['dataset']} | {r['budget']:g} | {p['seeds']} ({tiers(p['tiers'])}) "
                  f"| {p['mc']['mean']:,.1f} | {p['cost']:g} | {ppc:.1f} "
                  f"| {pr['seeds']} ({tiers(pr['tiers'])}) | {pr['mc']['mean']:,.1f} | {pr['cost']:g} "
                  f"| {pr['mc']['mean'] / pr['cost']:.1f} "
                  f"| {dg['seeds']} ({tiers(dg['tiers'])}) | {dg['mc']['mean']:,.1f} | {dg['cost']:g} "
                  f"| {dg['mc']['mean'] / dg['cost']:.1f} | {gain(ppc, base)} |")
    print()


def speed(rows: list) -> None:
    print("| graph | nodes | edges | k | ε | threads | IMM median wall s (runs) | min–max s | median CPU s "
          "| phase-1 sets | phase-2 sets | mean set size | peak RR MiB | load s | model s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in rows:
        t = s["seconds"]
        print(f"| {s['dataset']} | {s['nodes']:,} | {s['edges']:,} | {s['k']} | {s['epsilon']} "
              f"| {s['threads']} | {s['median_s']:.2f} ({len(t)}) | {min(t):.2f}–{max(t):.2f} "
              f"| {s.get('cpu_median_s', float('nan')):.2f} "
              f"| {s['phase1_sets']:,} | {s['sets']:,} | {s['mean_set_size']:.1f} "
              f"| {s['peak_rr_mib']:.0f} | {s['load_s']:.2f} | {s['model_s']:.2f} |")
    print()


SWEEPS: list = []  # quality runs at k = 50 only, kept for their ε sweep


def main() -> int:
    d = Path(sys.argv[1] if len(sys.argv) > 1 else "benches/influence_max-data")
    q, b, s = load(d, "q"), load(d, "b"), load(d, "s")
    SWEEPS.extend(load(d, "sw"))
    if q:
        print("### Quality: expected spread of the chosen seeds (10,000 Monte Carlo worlds)\n")
        quality(q)
    if b:
        print("### Budgets: reach per unit of cost\n")
        budget(b)
    if s:
        print("### Speed\n")
        speed(s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
