#!/usr/bin/env python3
"""Compare Porte-voix with peer graph libraries on the same files, in one run.

Writes BENCHMARKS.md (everything below the ``<!-- generated below -->`` marker;
the hand-written part above it is kept). See README.md beside this file.

    python benches/peers/run.py --tasks load --datasets slashdot,epinions --repeat 3

The orchestrator uses only the standard library; every measurement runs in a
fresh child process (child.py, in benches/peers/.venv) whose peak RSS is read
with wait4(), so each number belongs to exactly one measurement.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gzip
import hashlib
import json
import os
import platform
import re
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DATA = HERE / "data"
SHARED = Path(os.environ.get("PORTEVOIX_SHARED", ROOT.parent / "shared")) / "datasets"
VENV_PY = HERE / ".venv" / "bin" / "python"
MARKER = "<!-- generated below -->"

sys.path.insert(0, str(HERE))
import tasks as T  # noqa: E402  (metadata only: no heavy imports at module level)

PV = "portevoix"  # key of Porte-voix's own row


def log(msg: str) -> None:
    print(f"[peers {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ===========================================================================
# Datasets


@dataclass
class Dataset:
    name: str
    kind: str  # "edgelist"
    sep: str
    description: str
    make: Callable[["Dataset", argparse.Namespace], Path]  # returns the prepared file
    big: bool = False
    # filled by prepare():
    path: Optional[Path] = None
    meta: dict = field(default_factory=dict)
    error: Optional[str] = None

    def args(self) -> T.DatasetArgs:
        return T.DatasetArgs(
            name=self.name,
            path=str(self.path),
            sep=self.sep,
            edges=int(self.meta["lines"]),
            has_comments=bool(self.meta["has_comments"]),
        )


def _file_stats(path: Path, sep: str) -> dict:
    """Lines, comment lines, bytes and sha256 of a file (one streaming pass)."""
    h = hashlib.sha256()
    lines = comments = 0
    crlf = False
    with open(path, "rb") as f:
        prev = b"\n"  # a file's first line starts like one after a newline
        first = True
        while True:
            buf = f.read(1 << 24)
            if not buf:
                break
            h.update(buf)
            lines += buf.count(b"\n")
            if first:
                crlf = b"\r\n" in buf[: 1 << 20]
                first = False
            comments += (prev + buf[:1]).count(b"\n#") + buf.count(b"\n#")
            prev = buf[-1:]
    return {
        "lines": lines - comments,
        "comment_lines": comments,
        "has_comments": comments > 0,
        "crlf": crlf,
        "bytes": path.stat().st_size,
        "sha256": h.hexdigest(),
    }


def _meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".meta.json")


def _load_or_stat(path: Path, sep: str, extra: dict) -> dict:
    mp = _meta_path(path)
    st = path.stat()
    if mp.exists():
        try:
            m = json.loads(mp.read_text())
            if m.get("bytes") == st.st_size and m.get("mtime") == st.st_mtime:
                return m
        except (ValueError, OSError):
            pass
    log(f"hashing and counting {path.name} ...")
    m = _file_stats(path, sep)
    m["mtime"] = st.st_mtime
    m.update(extra)
    mp.write_text(json.dumps(m, indent=1))
    return m


def _open_source(src: Path):
    return gzip.open(src, "rb") if src.suffix == ".gz" else open(src, "rb")


def make_clean(src: Path, out_name: str, note: str):
    """Decompress, drop '#' lines, keep the first two columns, LF line ends.

    Every library (Porte-voix included) then reads this one file: igraph's
    readers and pandas' pyarrow engine reject '#' lines, and igraph's
    Read_Edgelist would silently misread a third column as more vertex ids.
    """

    def make(ds: Dataset, a) -> Path:
        out = DATA / out_name
        if not out.exists():
            if not src.exists():
                raise FileNotFoundError(f"source missing: {src}")
            log(f"preparing {out.name} from {src}")
            sep = ds.sep.encode()
            tmp = out.with_suffix(".tmp")
            with _open_source(src) as fin, open(tmp, "wb", buffering=1 << 22) as fout:
                for line in fin:
                    line = line.strip()
                    if not line or line.startswith(b"#"):
                        continue
                    f = line.replace(b",", b" ").split()
                    fout.write(f[0] + sep + f[1] + b"\n")
            tmp.rename(out)
        ds.meta = _load_or_stat(out, ds.sep, {"source": str(src), "prepared": note})
        return out

    return make


def make_raw(src: Path, out_name: str):
    """The decompressed file, byte for byte (comments, CRLF and all)."""

    def make(ds: Dataset, a) -> Path:
        out = DATA / out_name
        if not out.exists():
            log(f"decompressing {src} -> {out.name}")
            tmp = out.with_suffix(".tmp")
            with _open_source(src) as fin, open(tmp, "wb") as fout:
                shutil.copyfileobj(fin, fout, 1 << 22)
            tmp.rename(out)
        ds.meta = _load_or_stat(
            out, ds.sep, {"source": str(src), "prepared": "gunzip only (byte for byte)"
                          if src.suffix == ".gz" else "copied byte for byte"}
        )
        return out

    return make


def find_kronecker_example() -> Optional[list]:
    """cargo argv prefix that runs the `kronecker` example, or None."""
    cands = [(ROOT / "examples", None)]
    for c in sorted((ROOT / "crates").glob("*/examples")):
        cands.append((c, c.parent))
    for d, crate in cands:
        if (d / "kronecker.rs").exists() or (d / "kronecker" / "main.rs").exists():
            argv = ["cargo", "run", "--release", "--example", "kronecker"]
            if crate is not None:
                m = re.search(r'^name\s*=\s*"([^"]+)"', (crate / "Cargo.toml").read_text(), re.M)
                if m:
                    argv += ["-p", m.group(1)]
            return argv
    # an [[example]] with a custom path
    for toml in [ROOT / "Cargo.toml", *sorted((ROOT / "crates").glob("*/Cargo.toml"))]:
        txt = toml.read_text()
        if re.search(r'\[\[example\]\]\s*\n\s*name\s*=\s*"kronecker"', txt):
            argv = ["cargo", "run", "--release", "--example", "kronecker"]
            if toml.parent != ROOT:
                m = re.search(r'^name\s*=\s*"([^"]+)"', txt, re.M)
                argv += ["-p", m.group(1)]
            return argv
    return None


def make_kron(scale: int, ef: int, seed: int = 1):
    def make(ds: Dataset, a) -> Path:
        gen = a.kron_generator
        if gen == "rust":
            out = DATA / f"kron-s{scale}-e{ef}-seed{seed}.txt"
        else:
            out = DATA / f"kron-s{scale}-e{ef}-seed{seed}.rmat-numpy.txt"
        note = ""
        if not out.exists():
            tmp = out.with_suffix(".tmp")
            if gen == "rust":
                prefix = find_kronecker_example()
                if prefix is None:
                    raise RuntimeError(
                        "the Rust `kronecker` example does not exist yet "
                        "(examples/kronecker.rs or crates/*/examples/kronecker.rs); "
                        "use --kron-generator numpy to test the harness only"
                    )
                cmd = prefix + [
                    "--", "--scale", str(scale), "--edge-factor", str(ef),
                    "--seed", str(seed), "--out", str(tmp),
                ]
            else:
                cmd = [str(a.python), str(HERE / "rmat_numpy.py"),
                       str(scale), str(ef), str(seed), str(tmp)]
            log(f"generating {out.name}: {shlex.join(cmd)}")
            t0 = time.time()
            r = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
            if r.returncode != 0 or not tmp.exists():
                raise RuntimeError(
                    f"generator failed ({r.returncode}): {shlex.join(cmd)}\n{r.stderr[-1500:]}")
            log(f"generated in {time.time() - t0:.0f} s")
            # The peers need a file without '#' lines: strip a header if the
            # generator wrote one (only the first lines are looked at).
            with open(tmp, "rb") as f:
                head = f.read(1 << 16)
            if head.startswith(b"#") or b"\n#" in head:
                log("generator wrote '#' header lines: stripping them for the peers")
                tmp2 = out.with_suffix(".tmp2")
                with open(tmp, "rb") as fin, open(tmp2, "wb") as fout:
                    for line in fin:
                        if not line.startswith(b"#"):
                            fout.write(line)
                tmp.unlink()
                tmp2.rename(tmp)
                note = "; '#' header lines stripped"
            tmp.rename(out)
            cmd_s = shlex.join(cmd).replace(str(tmp), str(out))
        else:
            cmd_s = None
        # separator: "src dst" is asked of the generator; accept a tab too
        with open(out, "rb") as f:
            first = f.readline()
        ds.sep = "\t" if b"\t" in first else " "
        made_by = (
            "cargo run --release --example kronecker -- --scale %d --edge-factor %d --seed %d"
            % (scale, ef, seed) if gen == "rust"
            else "benches/peers/rmat_numpy.py (numpy R-MAT stand-in, harness testing only)"
        )
        ds.meta = _load_or_stat(out, ds.sep, {"prepared": made_by + note, "command": cmd_s,
                                              "generator": gen})
        return out

    return make


def dataset_registry() -> dict:
    sd = SHARED
    reg = {
        "slashdot": Dataset(
            "slashdot", "edgelist", "\t",
            "Slashdot Zoo friend/foe links, Feb 2009 (SNAP soc-Slashdot0902), "
            "82,168 nodes, 948,464 edges",
            make_clean(sd / "slashdot-zoo/soc-Slashdot0902.txt.gz", "slashdot.txt",
                       "gunzip, '#' lines dropped, CRLF -> LF, tab-separated"),
        ),
        "slashdot-raw": Dataset(
            "slashdot-raw", "edgelist", "\t",
            "soc-Slashdot0902 as shipped (decompressed only): '#' header lines and CRLF "
            "line ends; shows which readers take a real SNAP file as it is",
            make_raw(sd / "slashdot-zoo/soc-Slashdot0902.txt.gz", "slashdot-raw.txt"),
        ),
        "epinions": Dataset(
            "epinions", "edgelist", "\t",
            "Epinions trust/distrust (SNAP soc-sign-epinions), 131,828 nodes, "
            "841,372 edges; sign column cut",
            make_clean(sd / "epinions-signed/soc-sign-epinions.txt.gz", "epinions.txt",
                       "gunzip, '#' lines dropped, sign column cut (2 columns), tab-separated"),
        ),
        "higgs-retweet": Dataset(
            "higgs-retweet", "edgelist", " ",
            "Higgs Twitter retweet network (SNAP higgs-retweet_network), "
            "328,132 weighted edges; weight column cut",
            make_clean(sd / "higgs-twitter/higgs-retweet_network.edgelist.gz",
                       "higgs-retweet.txt",
                       "gunzip, weight column cut (2 columns), space-separated"),
        ),
        "bitcoin-otc": Dataset(
            "bitcoin-otc", "edgelist", "\t",
            "Bitcoin OTC who-trusts-whom ratings (SNAP soc-sign-bitcoinotc), 5,881 nodes, "
            "35,592 edges; rating and time columns cut (a small graph on which pure-Python "
            "peers finish)",
            make_clean(sd / "bitcoin-otc/soc-sign-bitcoinotc.csv", "bitcoin-otc.txt",
                       "comma-separated: rating and time cut (2 columns), tab-separated"),
        ),
        "airline-tweets": Dataset(
            "airline-tweets", "text", ",",
            "Twitter US Airline Sentiment (Kaggle/CrowdFlower), the 8,771-row copy in "
            "../shared/datasets: 8,666 distinct English tweets after dropping repeated ids",
            make_raw(sd / "airline-sentiment/tweets.csv", "airline-tweets.csv"),
        ),
    }
    return reg


KRON_RE = re.compile(r"^kron(\d+)(?:-e(\d+))?$")


def get_dataset(name: str, reg: dict) -> Dataset:
    if name in reg:
        return reg[name]
    m = KRON_RE.match(name)
    if m:
        scale, ef = int(m.group(1)), int(m.group(2) or 16)
        return Dataset(
            name, "edgelist", " ",
            f"Graph500 Kronecker, scale {scale} (2^{scale} = {1 << scale:,} vertex ids), "
            f"edge factor {ef}: {ef << scale:,} generated edges (duplicates and "
            f"self-loops kept), seed 1, `src dst` text",
            make_kron(scale, ef), big=scale >= 22,
        )
    raise SystemExit(f"unknown dataset {name!r}: one of {', '.join(reg)}, kron<SCALE>[-e<EF>]")


# ===========================================================================
# Measurement


@dataclass
class Run:
    ok: bool
    status: str  # "ok", "failed: ...", "timeout", "skipped: ...", "not available: ..."
    seconds: Optional[float] = None  # in-process time of the measured call
    wall: Optional[float] = None  # whole process, fork to exit
    cpu: Optional[float] = None  # user + sys of the child
    maxrss_kib: Optional[int] = None
    rss_setup_kib: Optional[int] = None
    summary: dict = field(default_factory=dict)


def run_child(argv: list, timeout: float, mem_limit: Optional[int], env: dict) -> tuple:
    """Run argv in a new session; return (rc or None on timeout, stdout, stderr,
    wall seconds, rusage). rusage comes from wait4 on exactly this child."""
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()

    def pre():
        if mem_limit:
            resource.setrlimit(resource.RLIMIT_AS, (mem_limit, mem_limit))

    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                         start_new_session=True, preexec_fn=pre, env=env, cwd=ROOT)
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        _, status, ru = os.wait4(p.pid, 0)
    except KeyboardInterrupt:
        kill()
        os.wait4(p.pid, 0)
        raise
    finally:
        timer.cancel()
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    try:  # leftovers of the child's session (should be none)
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    out.seek(0)
    err.seek(0)
    so = out.read().decode("utf-8", "replace")
    se = err.read().decode("utf-8", "replace")
    rc = None if timed_out.is_set() else p.returncode
    return rc, so, se, wall, ru


def _last_json(text: str) -> Optional[dict]:
    text = text.strip()
    try:
        return json.loads(text)
    except ValueError:
        pass
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                continue
    i = text.find("{")
    if i >= 0:
        try:
            return json.loads(text[i:])
        except ValueError:
            pass
    return None


def _err_tail(se: str, so: str) -> str:
    txt = (se.strip() or so.strip()).splitlines()
    return " | ".join(l.strip() for l in txt[-2:])[:300] if txt else "no output"


def measure_peer(a, task: str, key: str, ds: Dataset, env: dict) -> Run:
    argv = [str(a.python), str(HERE / "child.py"), "measure", task, key,
            json.dumps(ds.args().__dict__)]
    rc, so, se, wall, ru = run_child(argv, a.timeout, a.mem_limit_bytes, env)
    cpu = ru.ru_utime + ru.ru_stime
    if rc is None:
        return Run(False, f"timeout (> {a.timeout:g} s)", wall=wall, cpu=cpu,
                   maxrss_kib=ru.ru_maxrss)
    js = _last_json(so)
    if rc != 0 or not js or not js.get("ok"):
        why = (js or {}).get("error") or _err_tail(se, so)
        if rc is not None and rc < 0:
            why = f"killed by signal {-rc}" + (" (out of memory?)" if -rc == 9 else "") + f"; {why}"
        return Run(False, f"failed: {why}", wall=wall, cpu=cpu, maxrss_kib=ru.ru_maxrss)
    return Run(True, "ok", seconds=js["seconds"], wall=wall, cpu=cpu, maxrss_kib=ru.ru_maxrss,
               rss_setup_kib=js.get("rss_setup_kib"), summary=js.get("summary") or {})


def portevoix_binary(a, task: T.Task) -> tuple:
    """(path, why-not) of the Porte-voix binary that runs ``task``."""
    if task.portevoix_binary is None:
        return a.portevoix, ("" if a.portevoix_ok else a.portevoix_why)
    path = ROOT / task.portevoix_binary
    ok = path.is_file() and os.access(path, os.X_OK)
    return path, "" if ok else f"{path} missing: run `{task.portevoix_build}`"


def measure_portevoix(a, task: T.Task, ds: Dataset, env: dict) -> Run:
    argv = [str(portevoix_binary(a, task)[0])] + task.portevoix_argv(ds.args())
    rc, so, se, wall, ru = run_child(argv, a.timeout, a.mem_limit_bytes, env)
    cpu = ru.ru_utime + ru.ru_stime
    if rc is None:
        return Run(False, f"timeout (> {a.timeout:g} s)", wall=wall, cpu=cpu,
                   maxrss_kib=ru.ru_maxrss)
    if rc != 0:
        return Run(False, f"failed (exit {rc}): {_err_tail(se, so)}", wall=wall, cpu=cpu,
                   maxrss_kib=ru.ru_maxrss)
    js = _last_json(so)
    if js is None:
        return Run(False, f"failed: no JSON on stdout: {_err_tail(so, se)}", wall=wall,
                   cpu=cpu, maxrss_kib=ru.ru_maxrss)
    secs = task.portevoix_seconds(js) if task.portevoix_seconds else None
    summary = T.portevoix_summary(js)
    if secs is None:
        summary["note"] = "no timings in the JSON: in-process time = process wall"
        secs = wall
    return Run(True, "ok", seconds=secs, wall=wall, cpu=cpu, maxrss_kib=ru.ru_maxrss,
               summary=summary)


def warm(path: Path) -> None:
    """Read the file once so every library reads it from the page cache."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


# ===========================================================================
# Machine and versions


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _cmd(argv: list, cwd=None) -> Optional[str]:
    try:
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=30, cwd=cwd)
        return r.stdout.strip() if r.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        return None


def machine_info(a) -> dict:
    cpu = _read("/proc/cpuinfo")
    model = re.search(r"^model name\s*:\s*(.*)$", cpu, re.M)
    mem = re.search(r"^MemTotal:\s*(\d+) kB", _read("/proc/meminfo"), re.M)
    osr = re.search(r'^PRETTY_NAME="?([^"\n]*)"?', _read("/etc/os-release"), re.M)
    info = {
        "cpu": model.group(1).strip() if model else platform.processor() or "?",
        "logical_cpus": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)),
        "mem_gib": round(int(mem.group(1)) / 2**20, 1) if mem else None,
        "os": (osr.group(1) if osr else platform.system()) + f", kernel {platform.release()}",
        "loadavg_start": _read("/proc/loadavg").split()[:3],
        "rustc": _cmd(["rustc", "--version"]),
        "git": _cmd(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT),
        "git_dirty": bool(_cmd(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=ROOT)),
    }
    flags = re.search(r"^flags\s*:\s*(.*)$", cpu, re.M)
    if flags:
        f = flags.group(1).split()
        info["simd"] = ",".join(x for x in ("avx2", "avx512f", "bmi2") if x in f)
    return info


def memory_bandwidth(a) -> Optional[dict]:
    """A STREAM-like triad on this machine (examples/stream_triad.rs, best of 10 runs over
    arrays four times the last-level cache, the CLI's default thread count): the floor
    that PageRank's sweeps are compared with. None if it could not run."""
    cmd = ["cargo", "run", "--release", "--example", "stream_triad", "--", "--json"]
    log(f"memory bandwidth: {shlex.join(cmd)}")
    r = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    js = _last_json(r.stdout) if r.returncode == 0 else None
    if js is None:
        log(f"triad failed: {_err_tail(r.stderr, r.stdout)}")
        return None
    js["command"] = shlex.join(cmd)
    log(f"triad: {js.get('triad_gb_s')} GB/s")
    return js


# Bytes one pull sweep of PageRank must move at least: the in-CSR's neighbour ids
# (4 B per edge) and offsets (8 B per node), the previous vector read and the new one
# written (8 + 8 B per node). Porte-voix's power sweep also reads the inverse
# out-weights and writes the next messages (16 B per node more); the floor counts
# only what any pull implementation needs.
FLOOR_BYTES_PER_EDGE = 4
FLOOR_BYTES_PER_NODE = 24


def bandwidth_line(s: dict, triad: Optional[dict]) -> Optional[str]:
    """Porte-voix's time per sweep of a PageRank run against the triad floor."""
    it, n, m = s.get("iterations"), s.get("nodes"), s.get("edges")
    t = (s.get("timings_ms") or {}).get("kernel")
    if not (triad and isinstance(it, int) and it > 0 and isinstance(n, int)
            and isinstance(m, int) and isinstance(t, (int, float))):
        return None
    if s.get("method") not in (None, "power"):
        return (f"Porte-voix ran its {s['method']} solver ({it} sweeps, most over the graph's "
                "core only, plus the set-up): the per-sweep bandwidth comparison applies to "
                "power sweeps, as on the Kronecker graph.")
    gbs = float(triad["triad_gb_s"])
    per = t / it
    bytes_ = FLOOR_BYTES_PER_EDGE * m + FLOOR_BYTES_PER_NODE * n
    floor = bytes_ / (gbs * 1e9) * 1e3
    return (f"Porte-voix per sweep (last run): {per:.2f} ms over {it} sweeps "
            f"({s.get('method', '?')} solver); memory-bandwidth floor "
            f"{bytes_ / 1e6:,.1f} MB / {gbs:.2f} GB/s = {floor:.2f} ms; "
            f"**ratio {per / floor:.2f}** (time per sweep ÷ floor).")


def peer_versions(a) -> dict:
    rc, so, se, _, _ = run_child([str(a.python), str(HERE / "child.py"), "versions"], 120,
                                 None, dict(os.environ))
    js = _last_json(so) if rc == 0 else None
    return js or {"error": _err_tail(se, so)}


def portevoix_version(a) -> Optional[str]:
    if not a.portevoix_ok:
        return None
    v = _cmd([str(a.portevoix), "--version"]) or "version unknown"
    built = _dt.datetime.fromtimestamp(a.portevoix.stat().st_mtime, _dt.timezone.utc)
    return f"{v} (`{os.path.relpath(a.portevoix, ROOT)}`, built {built:%Y-%m-%d %H:%M} UTC)"


# ===========================================================================
# Report


def fmt_s(x: Optional[float]) -> str:
    if x is None:
        return "–"
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    if x >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def fmt_mib(kib: Optional[float]) -> str:
    return "–" if kib is None else f"{kib / 1024:,.0f}"


def fmt_ratio(x: Optional[float]) -> str:
    if x is None:
        return "–"
    return f"{x:.2f}×" if x < 10 else f"{x:.0f}×" if x >= 100 else f"{x:.1f}×"


def fmt_int(x) -> str:
    return f"{x:,}" if isinstance(x, int) else "–"


@dataclass
class Agg:
    key: str
    label: str
    runs: list
    status: str
    med: Optional[float] = None
    lo: Optional[float] = None
    hi: Optional[float] = None
    wall: Optional[float] = None
    cpu: Optional[float] = None
    rss: Optional[float] = None
    rss_setup: Optional[float] = None
    summary: dict = field(default_factory=dict)
    n_ok: int = 0


def aggregate(key: str, label: str, runs: list) -> Agg:
    ok = [r for r in runs if r.ok]
    if not ok:
        st = runs[-1].status if runs else "not run"
        return Agg(key, label, runs, st)
    secs = [r.seconds for r in ok]
    status = "ok" if len(ok) == len(runs) else f"ok {len(ok)}/{len(runs)}; {[r for r in runs if not r.ok][-1].status}"
    return Agg(
        key, label, runs, status,
        med=statistics.median(secs), lo=min(secs), hi=max(secs),
        wall=statistics.median(r.wall for r in ok),
        cpu=statistics.median(r.cpu for r in ok),
        rss=statistics.median(r.maxrss_kib for r in ok),
        rss_setup=(statistics.median(r.rss_setup_kib for r in ok)
                   if all(r.rss_setup_kib for r in ok) else None),
        summary=ok[-1].summary, n_ok=len(ok),
    )


def _div(a, b):
    return a / b if a is not None and b else None


def _result(s: dict) -> str:
    """What the computation produced, to compare libraries on quality as well
    as time: modularity, mean outbreak, reach error, mean sentiment."""
    out = []
    if isinstance(s.get("method"), str):
        out.append(f"{s['method']}")
    if isinstance(s.get("modularity"), (int, float)):
        out.append(f"modularity {s['modularity']:.4f}")
    if isinstance(s.get("communities"), int):
        out.append(f"{s['communities']:,} communities")
    if isinstance(s.get("mean"), (int, float)):
        out.append(f"mean outbreak {s['mean']:,.1f}")
    if isinstance(s.get("mean_rel_error_top"), (int, float)):
        out.append(f"reach error vs exact: mean {s['mean_rel_error_top']:.1%}, "
                   f"max {s.get('max_rel_error_top', 0):.1%}")
    if isinstance(s.get("total_reach"), (int, float)):
        out.append(f"total reach {s['total_reach']:,}")
    if isinstance(s.get("mean_compound"), (int, float)):
        out.append(f"mean compound {s['mean_compound']:+.6f}")
    if isinstance(s.get("top_authority"), list) and s["top_authority"]:
        ids = ", ".join(str(t[0]) for t in s["top_authority"][:3])
        out.append(f"top authorities {ids}")
    return "; ".join(out) or "–"


def table(aggs: list, pv: Optional[Agg]) -> str:
    hdr = ("| library | median s | min s | max s | process wall s | CPU s | peak RSS MiB "
           "| RSS after imports MiB | time × PV | wall × PV | RSS × PV | nodes | edges | result | status |")
    sep = "|" + "---|" * 15
    rows = [hdr, sep]
    pv_ok = pv is not None and pv.med is not None
    order = sorted(aggs, key=lambda g: (g.key != PV, g.med is None,
                                         g.med if g.med is not None else 0))
    for g in order:
        s = g.summary or {}
        nodes = s.get("nodes")
        edges = s.get("edges", s.get("rows"))
        if "rows" in s and "edges" not in s:
            edges_s = f"({s['rows']:,} rows)"
        else:
            edges_s = fmt_int(edges)
        is_pv = g.key == PV
        label = f"**{g.label}**" if is_pv else g.label
        rows.append("| " + " | ".join([
            label, fmt_s(g.med), fmt_s(g.lo), fmt_s(g.hi), fmt_s(g.wall), fmt_s(g.cpu),
            fmt_mib(g.rss), fmt_mib(g.rss_setup) if not is_pv else "–",
            "1×" if is_pv and pv_ok else fmt_ratio(_div(g.med, pv.med)) if pv_ok else "–",
            "1×" if is_pv and pv_ok else fmt_ratio(_div(g.wall, pv.wall)) if pv_ok else "–",
            "1×" if is_pv and pv_ok else fmt_ratio(_div(g.rss, pv.rss)) if pv_ok else "–",
            fmt_int(nodes), edges_s, _result(s), g.status.replace("|", "/").replace("\n", " "),
        ]) + " |")
    return "\n".join(rows)


DEFAULT_HAND = """# Benchmarks

Everything below the "generated below" marker line is written by
`python benches/peers/run.py` (see `benches/peers/README.md`); everything above
it is hand-written and kept when the script runs again.

## Criterion benchmarks

_Hand-written: `cargo bench` results go here (command, commit, numbers)._

## Memory per edge

_Hand-written: bytes per edge of each Network layer, and how they were measured._

"""


def render(a, info, versions, pv_version, dsets, results, started, finished) -> str:
    L = []
    cmd = "python benches/peers/run.py" + (" " + shlex.join(a.argv) if a.argv else "")
    L.append("## Peer comparison (generated)\n")
    L.append(f"Generated by `{cmd}` (run from the repository root), "
             f"{started:%Y-%m-%d %H:%M} to {finished:%H:%M} UTC. "
             f"Median of {a.repeat} runs; every run is a fresh process.\n")
    L.append("### Machine\n")
    L.append(f"- CPU: {info['cpu']} ({info.get('simd') or 'no AVX2'}), "
             f"{info['logical_cpus']} logical cores ({info['usable_cpus']} usable)")
    L.append(f"- Memory: {info['mem_gib']} GiB")
    L.append(f"- OS: {info['os']}")
    L.append(f"- Load average (1, 5, 15 min) at start: {' '.join(info['loadavg_start'])}; "
             f"at end: {' '.join(info.get('loadavg_end', []))}. The machine is shared: "
             "other jobs may have run during the measurements.")
    L.append(f"- Porte-voix: {pv_version or ('binary ' + str(a.portevoix) + ' (no --version)') if a.portevoix_ok else 'not available: ' + a.portevoix_why}"
             f"; git {info.get('git') or '?'}{' (dirty tree)' if info.get('git_dirty') else ''}; "
             f"{info.get('rustc') or 'rustc ?'}")
    vs = ", ".join(f"{k} {v}" for k, v in versions.items() if v and k != "error")
    L.append(f"- Python peers: {vs or versions.get('error')}")
    tri = info.get("triad")
    if tri:
        L.append(f"- Memory bandwidth (STREAM-like triad `a = b + s·c`, `{tri['command']}`): "
                 f"best {tri['triad_gb_s']:.2f} GB/s, median {tri['triad_median_gb_s']:.2f} GB/s "
                 f"over {tri['repeat']} runs, {tri['threads']} threads, "
                 f"{tri['mib_per_array']:,} MiB per array (last-level cache "
                 f"{tri['last_level_cache_mib']} MiB); 24 bytes per element counted")
    L.append(f"- Limits per measurement: timeout {a.timeout:.0f} s, address space "
             f"{a.mem_limit_gib:g} GiB (RLIMIT_AS)\n")

    L.append("### Inputs\n")
    L.append("Every library, Porte-voix included, reads the same file, from the page "
             "cache (each file is read once before its measurements).\n")
    L.append("| dataset | file | edges (lines) | size MiB | sha256 (first 16) | how it was made |")
    L.append("|---|---|---|---|---|---|")
    for ds in dsets:
        if ds.error:
            L.append(f"| {ds.name} | – | – | – | – | **not available**: {ds.error.splitlines()[0][:300]} |")
            continue
        m = ds.meta
        rel = os.path.relpath(ds.path, ROOT)
        L.append(f"| {ds.name} | `{rel}` | {m['lines']:,} | {m['bytes'] / 2**20:,.1f} | "
                 f"`{m['sha256'][:16]}` | {m.get('prepared', '')} |")
    L.append("")
    for ds in dsets:
        L.append(f"- **{ds.name}**: {ds.description}.")
    L.append("")

    for tname in a.task_list:
        task = T.TASKS[tname]
        L.append(f"### Task `{tname}`: {task.title}\n")
        L.append(task.description + "\n")
        L.append("Columns: *median/min/max s* = the measured call in process; *process "
                 "wall s* = the whole child process (interpreter start, imports, setup, "
                 "the call, exit); *CPU s* = user + system time of the process (more than "
                 "wall means several threads); *peak RSS* = the process's maximum resident "
                 "set (`ru_maxrss` from `wait4`), interpreter and imports included, which "
                 "*RSS after imports* shows on its own; *× PV* = peer ÷ Porte-voix "
                 "(> 1 means Porte-voix is faster or smaller): *time* compares in-process "
                 "times, *wall* whole processes.\n")
        for ds in dsets:
            if ds.kind != task.kind:
                continue  # an edge list is no input for a text task, and the reverse
            L.append(f"#### {tname} · {ds.name}\n")
            if ds.error:
                L.append(f"Not measured: dataset not available ({ds.error.splitlines()[0][:300]}).\n")
                continue
            aggs = results.get((tname, ds.name), [])
            pv = next((g for g in aggs if g.key == PV), None)
            L.append(table(aggs, pv))
            L.append("")
            if pv and pv.summary.get("layers"):
                parts = []
                for l in pv.summary["layers"]:
                    txt = f"layer {l['layer']}"
                    if "input_rows" in l:
                        txt += f": {l['input_rows']:,} rows read"
                    if "edges" in l:
                        txt += f", {l['edges']:,} edges"
                    if l.get("duplicates_merged"):
                        txt += f", {l['duplicates_merged']:,} duplicates merged"
                    if l.get("self_loops_kept"):
                        txt += f", {l['self_loops_kept']:,} self-loops kept"
                    if l.get("self_loops_dropped"):
                        txt += f", {l['self_loops_dropped']:,} self-loops dropped"
                    if isinstance(l.get("bytes_per_edge"), (int, float)):
                        txt += f", {l['bytes_per_edge']:.1f} bytes/edge (CSR both directions)"
                    parts.append(txt)
                nb = pv.summary.get("network_bytes")
                L.append("Porte-voix (last run's JSON): " + "; ".join(parts)
                         + (f"; network heap {nb / 2**20:,.1f} MiB" if nb else "") + ".\n")
            if pv and tname == "pagerank":
                line = bandwidth_line(pv.summary, info.get("triad"))
                if line:
                    L.append(line + "\n")
            if pv and pv.summary.get("timings_ms"):
                t = pv.summary["timings_ms"]
                L.append("Porte-voix in-process timings of the last run (ms): "
                         + ", ".join(f"{k} {v:.1f}" if isinstance(v, (int, float)) else f"{k} {v}"
                                     for k, v in t.items()) + ".\n")

        L.append(f"#### Fairness notes for `{tname}`\n")
        if task.kind == "text":
            L.append("| library | call | threads |")
            L.append("|---|---|---|")
            if task.portevoix_call:
                L.append(f"| **Porte-voix** | `{task.portevoix_call}` | its own (the *CPU s* "
                         "column shows how many were busy) |")
            for key in a.peer_keys[tname]:
                im = task.impls[key]
                L.append(f"| {im.label} | `{im.call}` | {im.threads} |")
            L.append("")
            L.append("- Both sides read the same CSV and drop repeated tweet ids before the "
                     "timer; the time is the scoring of every tweet. Porte-voix's process wall "
                     "time adds process start, reading the CSV, building the lexicon and exit.")
        else:
            L.append("| library | call | graph object built | vertex ids | threads |")
            L.append("|---|---|---|---|---|")
            if task.portevoix_call:
                L.append(f"| **Porte-voix** | `{task.portevoix_call}` | frozen multi-layer "
                         "Network: CSR in both directions with weights; duplicates merged "
                         "(sum), self-loops kept by the flag | interned (external id string → "
                         "dense index) | its own (the *CPU s* column shows how many were busy) |")
            for key in a.peer_keys[tname]:
                im = task.impls[key]
                L.append(f"| {im.label} | `{im.call}` | {im.graph} | {im.ids} | {im.threads} |")
            L.append("")
            pv_time = (task.portevoix_call.rsplit("(", 1)[-1].rstrip(")")
                       if "(" in task.portevoix_call else "process wall")
            L.append(f"- Porte-voix's time is the one its JSON reports ({pv_time}); its "
                     "process wall time adds process start, loading (except for `load`), "
                     "what the command prints after the computation, and exit. The peers' "
                     "time is `time.perf_counter` around the one call, after imports and "
                     "loading.")
            L.append("- Libraries that do not intern ids (igraph Read_Edgelist, rustworkx, "
                     "scikit-network) do less work than those that do (Porte-voix, NetworKit "
                     "with continuous=False, NetworkX, igraph Read_Ncol): they use each id "
                     "as a vertex index, which only works for small dense integers (a "
                     "64-bit Twitter id would ask for 10^18 vertices, a user name fails). "
                     "On these SNAP and Kronecker files they work; their *nodes* column is "
                     "max id + 1, isolated gap vertices included.")
            L.append("- Porte-voix (summing weights), NetworkX's DiGraph, NetworKit's reader "
                     "and scikit-network's CSR (duplicates summed) collapse parallel edges; "
                     "igraph and rustworkx keep them. The *edges* column shows it where the "
                     "file has some (the Kronecker graphs do). Every library keeps self-loops "
                     "(Porte-voix by `--keep-self-loops`).")
            L.append("- pandas builds no graph: its rows are there to show what parsing alone "
                     "costs in Python's fastest readers.")
        limited = [im for im in task.impls.values() if im.max_edges and im.key in a.peer_keys[tname]]
        for im in limited:
            L.append(f"- {im.label} is skipped on files above {im.max_edges:,} edges "
                     f"({im.skip_reason}).")
        L.append("")
    return "\n".join(L) + "\n"


def write_report(path: Path, generated: str) -> None:
    hand = DEFAULT_HAND
    if path.exists():
        old = path.read_text()
        m = re.search(r"^" + re.escape(MARKER) + r"[ \t]*$", old, re.M)  # a line of its own
        if m:
            hand = old[: m.start()]
        elif old.strip():
            hand = old.rstrip() + "\n\n"
    path.write_text(hand.rstrip() + "\n\n" + MARKER + "\n\n" + generated)


# ===========================================================================
# Main


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Benchmark Porte-voix against peer graph libraries on the same files.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Quick: python benches/peers/run.py --out /tmp/BENCHMARKS.md\n"
               "Full:  python benches/peers/run.py --datasets "
               "slashdot,epinions,higgs-retweet,kron20,kron23 --big",
    )
    p.add_argument("--tasks", default="load",
                   help=f"comma-separated, of: {', '.join(T.TASKS)} (default: load)")
    p.add_argument("--datasets", default=None,
                   help="comma-separated: slashdot, slashdot-raw, epinions, higgs-retweet, "
                        "kron<SCALE>[-e<EDGE_FACTOR>] (edge factor 16 by default: kron20 = "
                        "16.8M edges, kron23 = 134M edges). Default: the quick set "
                        "slashdot,epinions,higgs-retweet")
    p.add_argument("--big", action="store_true",
                   help="allow Kronecker scale >= 22 (kron23: ~2.3 GB file, ~30 min or more); "
                        "with no --datasets given, adds kron20 and kron23 to the quick set")
    p.add_argument("--repeat", type=int, default=3, help="runs per measurement (median reported)")
    p.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"),
                   help="report to write (default: BENCHMARKS.md at the repository root)")
    p.add_argument("--portevoix", default="target/release/portevoix",
                   help="Porte-voix binary (relative to the repository root)")
    p.add_argument("--peers", default=None,
                   help="only these implementations (comma-separated keys, e.g. "
                        "networkx,igraph-edgelist); Porte-voix always runs")
    p.add_argument("--timeout", type=float, default=None,
                   help="seconds per measurement (default 900; 1800 with --big: igraph's "
                        "Read_Ncol took 685 s on kron23)")
    p.add_argument("--mem-limit-gib", type=float, default=16.0,
                   help="address-space limit per measurement (0: none)")
    p.add_argument("--python", default=str(VENV_PY), help="interpreter with the pinned peers")
    p.add_argument("--kron-generator", choices=["rust", "numpy"], default="rust",
                   help="rust (default): cargo run --release --example kronecker; numpy: "
                        "a stand-in for testing this harness only (different file name)")
    p.add_argument("--no-triad", action="store_true",
                   help="skip the memory-bandwidth (STREAM-like triad) measurement that runs "
                        "with the pagerank task")
    p.add_argument("--json-out", default=None,
                   help="raw results as JSON (default: benches/peers/data/results-<time>.json)")
    a = p.parse_args(argv)
    a.argv = argv
    return a


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    a = parse_args(argv)
    started = _dt.datetime.now(_dt.timezone.utc)
    a.task_list = [t for t in a.tasks.split(",") if t]
    for t in a.task_list:
        if t not in T.TASKS:
            raise SystemExit(f"unknown task {t!r}: one of {', '.join(T.TASKS)}")
    if a.timeout is None:
        a.timeout = 1800.0 if a.big else 900.0
    if a.datasets is None:
        a.datasets = "slashdot,epinions,higgs-retweet" + (",kron20,kron23" if a.big else "")
    a.python = Path(a.python)
    if not a.python.exists():
        raise SystemExit(f"{a.python} not found: run benches/peers/setup.sh first")
    a.mem_limit_bytes = int(a.mem_limit_gib * 2**30) if a.mem_limit_gib > 0 else None
    a.portevoix = Path(a.portevoix)
    if not a.portevoix.is_absolute():
        a.portevoix = ROOT / a.portevoix
    a.portevoix_ok = a.portevoix.is_file() and os.access(a.portevoix, os.X_OK)
    a.portevoix_why = "" if a.portevoix_ok else (
        f"{os.path.relpath(a.portevoix, ROOT)} not found "
        "(build it: cargo build --release -p portevoix-cli)")
    if not a.portevoix_ok:
        log(f"Porte-voix not available: {a.portevoix_why}")
    only = set(a.peers.split(",")) if a.peers else None
    if only is not None:
        # A key names a peer in the tasks that have it: `--peers igraph,networkit`
        # runs NetworKit where it has an implementation and skips it elsewhere.
        known = {k for t in a.task_list for k in T.TASKS[t].impls}
        unknown = only - known
        if unknown:
            raise SystemExit(f"unknown peers: {', '.join(sorted(unknown))}; "
                             f"known for these tasks: {', '.join(sorted(known))}")
    a.peer_keys = {}
    for t in a.task_list:
        keys = list(T.TASKS[t].impls)
        if only is not None:
            keys = [k for k in keys if k in only]
        a.peer_keys[t] = keys

    DATA.mkdir(parents=True, exist_ok=True)
    reg = dataset_registry()
    dsets = []
    for name in [d for d in a.datasets.split(",") if d]:
        ds = get_dataset(name, reg)
        if ds.big and not a.big:
            raise SystemExit(f"{name} is big (Kronecker scale >= 22): add --big")
        try:
            ds.path = ds.make(ds, a)
        except Exception as e:  # noqa: BLE001  (reported, not fatal)
            ds.error = f"{type(e).__name__}: {e}"
            log(f"dataset {name} not available: {ds.error}")
        dsets.append(ds)

    info = machine_info(a)
    if "pagerank" in a.task_list and not a.no_triad:
        info["triad"] = memory_bandwidth(a)
    versions = peer_versions(a)
    pv_version = portevoix_version(a)
    env = dict(os.environ)
    env["OMP_WAIT_POLICY"] = "PASSIVE"  # NetworKit's OpenMP threads must not spin
    env.setdefault("PYTHONHASHSEED", "0")

    results: dict = {}
    raw = []
    for tname in a.task_list:
        task = T.TASKS[tname]
        for ds in dsets:
            if ds.error or ds.kind != task.kind:
                continue
            dargs = ds.args()
            warm(ds.path)
            entries = []  # (key, label, runner or None, skip status)
            if task.portevoix_argv is None:
                entries.append((PV, "Porte-voix", None, "not available: no such task in the CLI yet"))
            elif portevoix_binary(a, task)[1]:
                entries.append((PV, "Porte-voix", None,
                                "not available: " + portevoix_binary(a, task)[1]))
            else:
                entries.append((PV, "Porte-voix",
                                lambda t=task, d=ds: measure_portevoix(a, t, d, env), None))
            for key in a.peer_keys[tname]:
                im = task.impls[key]
                skip = im.skip_for(dargs)
                entries.append((key, im.label,
                                None if skip else (lambda k=key, d=ds: measure_peer(a, tname, k, d, env)),
                                skip))
            runs = {k: [] for k, *_ in entries}
            dead = {k: st for k, _, fn, st in entries if fn is None}
            for rep in range(a.repeat):
                for key, label, fn, _ in entries:
                    if key in dead:
                        continue
                    r = fn()
                    runs[key].append(r)
                    log(f"{tname} {ds.name} rep {rep + 1}/{a.repeat} {key}: "
                        + (f"{r.seconds:.3f} s (wall {r.wall:.2f} s, {r.maxrss_kib / 1024:.0f} MiB)"
                           if r.ok else r.status[:200]))
                    if not r.ok:  # a failure or timeout is not retried
                        dead[key] = r.status
            aggs = []
            for key, label, fn, skip in entries:
                if fn is None:
                    aggs.append(Agg(key, label, [], skip))
                else:
                    aggs.append(aggregate(key, label, runs[key]))
            results[(tname, ds.name)] = aggs
            for g in aggs:
                raw.append({"task": tname, "dataset": ds.name, "impl": g.key, "status": g.status,
                            "runs": [r.__dict__ for r in g.runs]})

    info["loadavg_end"] = _read("/proc/loadavg").split()[:3]
    finished = _dt.datetime.now(_dt.timezone.utc)
    generated = render(a, info, versions, pv_version, dsets, results, started, finished)
    out = Path(a.out)
    write_report(out, generated)
    log(f"wrote {out}")
    jpath = Path(a.json_out) if a.json_out else DATA / f"results-{started:%Y%m%dT%H%M%S}.json"
    jpath.write_text(json.dumps({
        "argv": a.argv, "machine": info, "versions": versions, "portevoix": pv_version,
        "datasets": {d.name: {"path": str(d.path), "meta": d.meta, "error": d.error} for d in dsets},
        "results": raw,
    }, indent=1, default=str))
    log(f"raw results: {jpath}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
