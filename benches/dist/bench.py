#!/usr/bin/env python3
"""Benchmarks of the distributed engine (portevoix-dist) beside the local one.

For a Graph500 Kronecker graph (examples/kronecker.rs, fixed seed 1, edge
factor 16), runs PageRank to a total L1 change of 1e-9 with

  * the local rayon engine on 1 and 2 threads (RAYON_NUM_THREADS),
  * timely in 1 x 1, 1 x 2 (one process, two workers) and P x 1 for each P
    asked (P processes on loopback, hostfile mode, each under /usr/bin/time),

`--repeat` times each (interleaved: every mode once per round), and writes a
Markdown table with medians: load time and its ratio to the local load,
the kernel's set-up (timely: the halos), the iterations' time, the gather on
process 0 (scores and names), iterations, nanoseconds per edge and iteration
of the iterations' time (the COST measure of McSherry, Isard and Murray
2015: the same work at the same core count), the ratio to the local engine
at the same core count (the median of the ratios within each round: the
machine may be shared), bytes exchanged
between processes per iteration, peak resident memory of each process
(median over the runs, process 0 first) and the largest against the local
engine's on one thread, and whether the scores equal the local engine's (L1).

Usage (from the repository root, after
`cargo build --release -p portevoix-cli --features timely` and
`cargo build --release --example kronecker`):

  python3 benches/dist/bench.py --scale 20 --processes 2,4,8 --repeat 3 --out benches/dist/results-scale20.md
  python3 benches/dist/bench.py --scale 23 --processes 2 --repeat 1 --out benches/dist/results-scale23.md
"""
import argparse, csv, json, os, statistics, subprocess, sys, tempfile, time

PV = os.path.abspath("target/release/portevoix")
KRON = os.path.abspath("target/release/examples/kronecker")


def timed(cmd, env=None, stderr_to=None):
    """Runs cmd under /usr/bin/time; returns (stdout, stderr, max RSS in KiB, seconds)."""
    full = ["/usr/bin/time", "-f", "PVTIME %M %e"] + cmd
    p = subprocess.run(full, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
    lines = p.stderr.strip().splitlines()
    rss, secs = next(l for l in reversed(lines) if l.startswith("PVTIME")).split()[1:]
    return p.stdout, p.stderr, int(rss), float(secs)


def read_scores(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))[1:]
    return {r[0]: float(r[1]) for r in rows}


def l1(a, b):
    return sum(abs(a[k] - b.get(k, 0.0)) for k in a) + sum(abs(v) for k, v in b.items() if k not in a)


def local(graph, threads, out):
    # `rank --json` prints its summary only without --out: one measured run
    # for the times and memory, then one run that writes the scores.
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
    cmd = [PV, "rank", "--algo", "pagerank", "--tol", "1e-9"]
    stdout, _, rss, secs = timed(cmd + ["--json", graph], env=env)
    timed(cmd + ["--out", out, graph], env=env)
    s = json.loads(stdout)
    t = s["timings_ms"]
    return {"load_s": (t["parse"] + t["build"]) / 1e3, "setup_s": 0.0, "kernel_s": t["kernel"] / 1e3,
            "gather_s": 0.0, "iterations": s["iterations"], "edges": s["edges"], "rss_kib": [rss],
            "wall_s": secs, "bytes_per_iteration": 0}


def timely(graph, processes, workers, out, port_base):
    common = ["rank", "--algo", "pagerank", "--tol", "1e-9", "--engine", "timely",
              "--workers", str(workers), "--stats", "--out", out, graph]
    if processes == 1:
        _, err, rss, secs = timed([PV] + common)
        results = [(err, rss)]
    else:
        hosts = tempfile.NamedTemporaryFile("w", suffix=".hosts", delete=False)
        hosts.write("".join(f"127.0.0.1:{port_base + i}\n" for i in range(processes)))
        hosts.close()
        procs = []
        for i in range(processes):
            cmd = ["/usr/bin/time", "-f", "PVTIME %M %e", PV] + common + \
                  ["--hostfile", hosts.name, "--process", str(i)]
            procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
        results = []
        for i, p in enumerate(procs):
            _, err = p.communicate()
            if p.returncode != 0:
                sys.exit(f"process {i} failed ({p.returncode}):\n{err[-2000:]}")
            line = next(l for l in reversed(err.strip().splitlines()) if l.startswith("PVTIME"))
            results.append((err, int(line.split()[1])))
        os.unlink(hosts.name)
    for err, _ in results:  # PORTEVOIX_DIST_MEMTRACE=1: the stages' memory
        for l in err.splitlines():
            if l.startswith("memtrace"):
                print(l, file=sys.stderr)
    stats = json.loads(next(l for l in results[0][0].splitlines() if l.startswith("{")))
    return {"load_s": stats["load_s"], "setup_s": stats["setup_s"], "kernel_s": stats["kernel_s"],
            "gather_s": stats["gather_s"],
            "iterations": stats["iterations"], "edges": stats["edges"],
            "rss_kib": [r for _, r in results],
            "bytes_per_iteration": stats["kernel_bytes_between_processes_per_iteration"],
            "load_bytes": stats["load_bytes_between_processes"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=20)
    ap.add_argument("--processes", default="2")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--graph", help="an existing edge list (else generated in --tmp)")
    ap.add_argument("--tmp", default="/tmp")
    ap.add_argument("--out", required=True)
    ap.add_argument("--skip-timely-single", action="store_true",
                    help="skip timely 1 x 1 and 1 x 2 (for a quick memory comparison at large scale)")
    a = ap.parse_args()
    graph = a.graph or os.path.join(a.tmp, f"kronecker-s{a.scale}-ef16-seed1.txt")
    if not os.path.exists(graph):
        t = time.time()
        subprocess.run([KRON, "--scale", str(a.scale), "--edge-factor", "16", "--seed", "1", "--out", graph], check=True)
        print(f"generated {graph} in {time.time() - t:.1f}s", file=sys.stderr)
    tmp = tempfile.mkdtemp(prefix="pv-dist-bench-")
    modes = [("local", 1, 1), ("local", 1, 2)]
    if not a.skip_timely_single:
        modes += [("timely", 1, 1), ("timely", 1, 2)]
    modes += [("timely", int(p), 1) for p in a.processes.split(",") if int(p) > 1]
    # Repeats are interleaved (every mode once, then again), so that a change
    # of the machine's load hits every mode alike; ratios are also taken
    # within each repeat (same-run ratios) and their median reported.
    runs = {m: [] for m in modes}
    loadavg = [os.getloadavg()[0]]
    reference = None
    for r in range(a.repeat):
        for mi, (engine, p, w) in enumerate(modes):
            out = os.path.join(tmp, f"{engine}-{p}x{w}.csv")
            # Fresh ports for every run (no wait for the previous run's sockets).
            res = local(graph, w, out) if engine == "local" else timely(graph, p, w, out, 7300 + 100 * r + 10 * mi)
            scores = read_scores(out)
            if reference is None:
                reference = scores
            res["l1"] = l1(reference, scores)
            del scores
            runs[(engine, p, w)].append(res)
            print(f"{engine} {p}x{w} run {r}: {res}", file=sys.stderr)
        loadavg.append(os.getloadavg()[0])
    ns = lambda x: x["kernel_s"] * 1e9 / (x["iterations"] * x["edges"])
    rows = []
    for engine, p, w in modes:
        rs = runs[(engine, p, w)]
        med = lambda k: statistics.median(x[k] for x in rs)
        loc = runs[("local", 1, 1 if p * w == 1 else 2)]
        rows.append({"engine": engine, "p": p, "w": w, "load": med("load_s"), "setup": med("setup_s"),
                     "kernel": med("kernel_s"), "gather": med("gather_s"),
                     "iterations": rs[0]["iterations"], "edges": rs[0]["edges"],
                     "ns": statistics.median(ns(x) for x in rs),
                     "ratio": statistics.median(ns(x) / ns(l) for x, l in zip(rs, loc)),
                     "load_ratio": statistics.median(x["load_s"] / l["load_s"] for x, l in zip(rs, loc)),
                     "rss": [statistics.median(x["rss_kib"][i] for x in rs) for i in range(len(rs[0]["rss_kib"]))],
                     "bpi": med("bytes_per_iteration"),
                     "l1": max(x["l1"] for x in rs)})
    with open(a.out, "w") as f:
        e = rows[0]["edges"]
        f.write(f"Kronecker scale {a.scale} (edge factor 16, seed 1): {e:,} edges after merging duplicates; "
                f"PageRank to a total L1 change of 1e-9; medians of {a.repeat} runs, interleaved; "
                f"load average {' / '.join(f'{x:.1f}' for x in loadavg)} (start / after each round).\n\n")
        f.write("| engine | processes x workers | cores | load (s) | load vs local | set-up (s) | PageRank (s) "
                "| gather (s) | iterations | ns / edge / iteration | vs local, same cores, same run "
                "| bytes between processes / iteration | peak RSS per process (MiB) "
                "| largest peak / local 1 x 1 | L1 to local |\n")
        f.write("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
        single = max(next(r for r in rows if r["engine"] == "local" and r["w"] == 1)["rss"])
        for r in rows:
            cores = min(r["p"] * r["w"], 2)
            f.write(f"| {r['engine']} | {r['p']} x {r['w']} | {cores} | {r['load']:.2f} | {r['load_ratio']:.2f}x | "
                    f"{r['setup']:.2f} | {r['kernel']:.2f} | {r['gather']:.2f} | "
                    f"{r['iterations']} | {r['ns']:.2f} | {r['ratio']:.2f}x | {r['bpi'] / 1e6:.1f} MB | "
                    f"{' / '.join(f'{x / 1024:.0f}' for x in r['rss'])} | {max(r['rss']) / single:.2f}x | "
                    f"{r['l1']:.1e} |\n")
    print(open(a.out).read())


if __name__ == "__main__":
    main()
