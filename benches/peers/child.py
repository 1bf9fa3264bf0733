"""Run exactly one measurement and print one JSON line on stdout.

Started by run.py in a fresh process (inside benches/peers/.venv), so that the
peak RSS the parent reads with wait4() belongs to this one measurement only.

    python child.py measure TASK IMPL DATASET_JSON
    python child.py versions
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tasks  # noqa: E402

VERSIONED = [
    "numpy", "scipy", "pandas", "pyarrow", "networkx", "igraph", "networkit",
    "rustworkx", "scikit-network", "vaderSentiment",
]


def versions() -> dict:
    import importlib.metadata as md
    import platform

    out = {"python": platform.python_version()}
    for d in VERSIONED:
        try:
            out[d] = md.version(d)
        except md.PackageNotFoundError:
            out[d] = None
    return out


def maxrss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def measure(task: str, key: str, ds_json: str) -> dict:
    ds = tasks.DatasetArgs(**json.loads(ds_json))
    im = tasks.TASKS[task].impls[key]
    t0 = time.perf_counter()
    run, summarize = im.fn(ds)  # setup: imports, untimed inputs
    setup_s = time.perf_counter() - t0
    rss_setup = maxrss_kib()
    t0 = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - t0
    summary = summarize(result)
    return {
        "ok": True,
        "seconds": seconds,
        "setup_seconds": setup_s,
        "rss_setup_kib": rss_setup,
        "summary": summary,
    }


def main(argv):
    if argv[:1] == ["versions"]:
        print(json.dumps(versions()))
        return 0
    if len(argv) != 4 or argv[0] != "measure":
        print(__doc__, file=sys.stderr)
        return 2
    try:
        out = measure(argv[1], argv[2], argv[3])
    except MemoryError:
        out = {"ok": False, "error": "MemoryError (address-space limit reached)"}
    except BaseException as e:  # report, never crash the harness
        tb = traceback.format_exc(limit=3)
        msg = f"{type(e).__name__}: {e}".strip()
        out = {"ok": False, "error": msg[:500], "traceback": tb[-2000:]}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    return 0 if out["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
