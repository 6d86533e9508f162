"""Start-up and footprint, side by side per variant (an embedding kind of this checkout, or another git revision):
cold `search --json`, app page up and ready to answer, peak memory, warm search latency and a fresh index build,
every figure from fresh child processes on the same existing index.

Run as its own small process (`python -m evals.startup`, standard library only): Linux counts the spawning
process's peak memory into a child's ru_maxrss (the child's memory is the parent's until exec), so children of
the benchmark's big process would all report at least its size.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tarfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("torch", "transformers", "sentence_transformers")
TARGETS = {"cold_search_s": "≤ 1.5", "search_rss_mb": "≤ 300", "app_page_s": "≤ 3", "app_ready_s": "≤ 5",
           "app_rss_mb": "≤ 600", "warm_p50_ms": "≤ before"}
# The warm-search child uses only the API every revision has: settings, wiring, retriever.search.
WARM_SCRIPT = """
import json, resource, sys, time
from assistant.config import load_settings
from assistant.wiring import build
questions, n = json.loads(sys.argv[1]), int(sys.argv[2])
r = build(load_settings()).retriever
r.search(questions[0])
lat = []
for i in range(n):
    r.clear_query_cache()
    t0 = time.perf_counter()
    r.search(questions[i % len(questions)], k=5)
    lat.append((time.perf_counter() - t0) * 1000)
lat.sort()
print(json.dumps({"p50": lat[len(lat) // 2], "p95": lat[int(len(lat) * 0.95)]}))
"""


@dataclass
class Variant:
    """One column: a source tree and the settings its children run with."""

    label: str
    tree: Path
    settings: dict[str, str] = field(default_factory=dict)


def this_checkout(kind: str, label: str) -> Variant:
    return Variant(label, ROOT, {"ASSISTANT_EMBEDDING__KIND": kind})


def git_revision(ref: str, into: Path) -> Variant:
    """The files of `ref` (git archive, the repository is not touched) as a variant with its own defaults."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref], check=True,
                          capture_output=True).stdout
    into.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return Variant(f"{ref} (before)", into)


def _env(variant: Variant, base: Path, corpus: Path, index: Path, models: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "GRADIO_"))}
    env.update({"ASSISTANT_INDEX__DIR": str(index), "ASSISTANT_CORPUS__DIR": str(corpus),
                "ASSISTANT_CORPUS__UPLOADS_DIR": str(base / "uploads"), "ASSISTANT_EMBEDDING__ONNX_DIR": str(models),
                "GRADIO_TEMP_DIR": str(base / "gradio"), "PYTHONPATH": str(variant.tree), "PYTHONUNBUFFERED": "1"})
    env.update(variant.settings)
    return env


@dataclass
class Run:
    wall_s: float
    exit_code: int
    rss_mb: float
    cpu_s: float  # user + system: far less sensitive than wall time to other load on a shared machine


def _run(cmd: list[str], env: dict, cwd: Path, out: Path, err=subprocess.DEVNULL) -> Run:
    """Wall time, exit code, peak RSS and CPU time of one child; its stdout goes to `out`."""
    with open(out, "wb") as fh:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=fh, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    return Run(wall, os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024.0, usage.ru_utime + usage.ru_stime)


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a running process so far (Linux /proc), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _page_up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


def run_app(variant: Variant, env: dict, cwd: Path, timeout: float = 240.0) -> dict:
    """Start `app.py`, time the page (first HTTP 200) and the "Ready:" line, then stop it and read its peak RSS."""
    port = _free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(variant.tree / "app.py"), "--port", str(port)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    ready: dict = {}

    def read() -> None:
        for line in proc.stdout:
            if line.startswith("Ready:") and "at" not in ready:
                ready["at"] = time.perf_counter() - t0
                ready["cpu"] = _cpu_seconds(proc.pid)
        proc.stdout.close()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    page = None
    while time.perf_counter() - t0 < timeout and proc.poll() is None:
        if page is None and _page_up(f"http://127.0.0.1:{port}/"):
            page = time.perf_counter() - t0
        if page is not None and "at" in ready:
            break
        time.sleep(0.05)
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    killer = threading.Timer(30, proc.kill)  # a wedged shutdown must not hang the benchmark
    killer.start()
    try:
        _, _, usage = os.wait4(proc.pid, 0)
    except ChildProcessError:  # already reaped by poll(): it exited on its own
        usage = None
    killer.cancel()
    reader.join(timeout=5)
    return {"app_page_s": page, "app_ready_s": ready.get("at"), "app_cpu_s": ready.get("cpu"),
            "app_rss_mb": usage.ru_maxrss / 1024.0 if usage else None}


def imports_forbidden(variant: Variant, env: dict, cwd: Path, question: str, out: Path) -> list[str]:
    """Which of torch/transformers/sentence_transformers a cold `search --json` imports (from -X importtime)."""
    err = out.with_suffix(".imports")
    with open(err, "wb") as fh:
        _run([sys.executable, "-X", "importtime", "-m", "assistant", "search", question, "--json"], env, cwd, out,
             err=fh)
    names = {line.split("|")[-1].strip() for line in err.read_text(errors="replace").splitlines()
             if line.startswith("import time:")}
    return [m for m in FORBIDDEN if m in names]


@dataclass
class Prepared:
    """A variant with its own copy of the index, ready to measure."""

    variant: Variant
    base: Path
    env: dict
    cwd: Path


def prepare(variant: Variant, base: Path, corpus: Path, index: Path, models: Path, say) -> Prepared:
    """Copy the index for the variant and let its code settle it (a rebuild only if that code finds it
    incompatible), untimed."""
    base.mkdir(parents=True, exist_ok=True)
    own = base / "index"
    shutil.copytree(index, own, ignore=shutil.ignore_patterns("models"))
    env = _env(variant, base, corpus, own, models)
    say(f"{variant.label}: settling the index")
    _run([sys.executable, "-m", "assistant", "docs"], env, base, base / "docs.txt")
    return Prepared(variant, base, env, base)  # cwd: never the checkout, so a revision's own files win


def _median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def cold_figures(prepared: list[Prepared], question: str, repeat: int, say) -> dict[str, dict]:
    """Cold search and app start per variant; rounds interleave the variants, so a load spike hits all alike."""
    searches: dict[str, list[Run]] = {p.variant.label: [] for p in prepared}
    apps: dict[str, list[dict]] = {p.variant.label: [] for p in prepared}
    for r in range(repeat):
        say(f"cold search and app start, round {r + 1} of {repeat}")
        for p in prepared:
            label = p.variant.label
            searches[label].append(_run([sys.executable, "-m", "assistant", "search", question, "--json"], p.env,
                                        p.cwd, p.base / "search.json"))
            apps[label].append(run_app(p.variant, p.env, p.cwd))
    out = {}
    for p in prepared:
        runs, starts = searches[p.variant.label], apps[p.variant.label]
        f = {"cold_search_s": _median([x.wall_s for x in runs]), "cold_search_cpu_s": _median([x.cpu_s for x in runs]),
             "search_exit": max(x.exit_code for x in runs), "search_rss_mb": _median([x.rss_mb for x in runs]),
             "search_imports": imports_forbidden(p.variant, p.env, p.cwd, question, p.base / "imports.json")}
        for key in ("app_page_s", "app_ready_s", "app_cpu_s", "app_rss_mb"):
            f[key] = _median([a[key] for a in starts]) if all(a[key] is not None for a in starts) else None
        out[p.variant.label] = f
    return out


def warm_figures(p: Prepared, corpus: Path, models: Path, questions: list[str], queries: int, build: bool,
                 say) -> dict:
    """Warm search latency in one process and, with `build`, a fresh `ingest` of the corpus."""
    say(f"{p.variant.label}: warm search")
    run = _run([sys.executable, "-c", WARM_SCRIPT, json.dumps(questions), str(queries)], p.env, p.cwd,
               p.base / "warm.json")
    warm = json.loads((p.base / "warm.json").read_text() or "{}") if run.exit_code == 0 else {}
    f = {"warm_p50_ms": warm.get("p50"), "warm_p95_ms": warm.get("p95"), "warm_rss_mb": run.rss_mb}
    if build:
        say(f"{p.variant.label}: fresh index build")
        fresh = _env(p.variant, p.base, corpus, p.base / "fresh-index", models)
        run = _run([sys.executable, "-m", "assistant", "ingest"], fresh, p.cwd, p.base / "ingest.txt")
        f.update(build_s=run.wall_s, build_cpu_s=run.cpu_s, build_rss_mb=run.rss_mb, build_exit=run.exit_code)
    return f


def format_side_by_side(labels: list[str], columns: list[dict], repeat: int, queries: int) -> str:
    """The figures as one table, a column per variant plus the targets."""
    def num(x, fmt):
        return "—" if x is None else format(x, fmt)

    rows = [
        (f"cold `search --json`, start to exit (s; median of {repeat})", "cold_search_s", ".2f"),
        ("  its CPU time, user + system (s)", "cold_search_cpu_s", ".2f"),
        ("peak RSS of that search process (MB)", "search_rss_mb", ".0f"),
        ("does it import torch/transformers/sentence-transformers?", "search_imports", None),
        (f"app: page up, first HTTP 200 (s; median of {repeat})", "app_page_s", ".2f"),
        ("app: ready to answer, 'Ready:' line (s)", "app_ready_s", ".2f"),
        ("  its CPU time until ready (s)", "app_cpu_s", ".2f"),
        ("app: peak RSS when ready (MB)", "app_rss_mb", ".0f"),
        (f"warm search p50 ({queries} queries, ms)", "warm_p50_ms", ".1f"),
        ("warm search p95 (ms)", "warm_p95_ms", ".1f"),
        ("warm search process peak RSS (MB)", "warm_rss_mb", ".0f"),
        ("fresh index build, `ingest` (s)", "build_s", ".1f"),
        ("  its CPU time (s)", "build_cpu_s", ".1f"),
        ("fresh index build peak RSS (MB)", "build_rss_mb", ".0f"),
    ]
    table = [["", *labels, "target"]]
    for title, key, fmt in rows:
        if all(key not in c for c in columns):
            continue
        cells = [("yes" if c[key] else "no") if fmt is None and key in c else num(c.get(key), fmt or "")
                 for c in columns]
        table.append([title, *cells, TARGETS.get(key, "")])
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    lines = [" | ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths)))
             for r in table]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def side_by_side(tmp: Path, corpus: Path, index: Path, models: Path, question: str, questions: list[str],
                 before: str | None = None, repeat: int = 3, queries: int = 100, build: bool = True,
                 say=lambda m: None) -> dict:
    """Figures per variant: `before` (a git revision, optional), sentence-transformers and ONNX of this checkout."""
    tmp, corpus, index, models = (Path(p).resolve() for p in (tmp, corpus, index, models))  # children run elsewhere
    variants = [this_checkout("minilm", "sentence-transformers"), this_checkout("onnx", "onnx")]
    if before:
        variants.insert(0, git_revision(before, tmp / "before-tree"))
    prepared = [prepare(v, tmp / f"variant-{i}", corpus, index, models, say) for i, v in enumerate(variants)]
    out = cold_figures(prepared, question, repeat, say)
    for p in prepared:
        out[p.variant.label].update(warm_figures(p, corpus, models, questions, queries, build, say))
    return {"repeat": repeat, "queries": queries, "variants": out, "load_average": os.getloadavg()}


def main(argv: list[str] | None = None) -> int:
    """Print the side-by-side figures as JSON (progress on stderr)."""
    p = argparse.ArgumentParser(prog="python -m evals.startup", description=__doc__.splitlines()[0])
    p.add_argument("--tmp", type=Path, required=True, help="scratch folder (variants are created under it)")
    p.add_argument("--corpus", type=Path, required=True)
    p.add_argument("--index", type=Path, required=True, help="an existing index folder (copied per variant)")
    p.add_argument("--models", type=Path, required=True, help="the folder holding the ONNX export")
    p.add_argument("--question", required=True, help="the cold-search question")
    p.add_argument("--questions", type=Path, required=True, help="JSON list of warm-search questions")
    p.add_argument("--before", default=None, help="also measure this git revision")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--queries", type=int, default=100)
    p.add_argument("--no-builds", action="store_true")
    a = p.parse_args(argv)
    figures = side_by_side(a.tmp, a.corpus, a.index, a.models, a.question, json.loads(a.questions.read_text()),
                           a.before, max(1, a.repeat), a.queries, not a.no_builds,
                           say=lambda m: print(f"… {m}", file=sys.stderr, flush=True))
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
