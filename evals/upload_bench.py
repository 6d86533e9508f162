"""`python -m evals.upload_bench`: does adding a document freeze answering? (prints figures; asserts nothing)

Starts the app on this computer (a free loopback port, a fresh index in a temporary folder, the real model), then
runs the load test (evals.loadtest) twice with the same users and duration: once as is, once with one text file of
--upload-mb MB uploaded a third of the way in. Prints both runs' latency, errors and throughput, the upload's
duration, the ratio of the 95th-percentile latencies, and the app's memory after each run (--rounds repeats the
plain run, to see whether memory levels off). Bounded like the load test: loopback only, at most 100 users and
600 seconds per run; the app and its folder are removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from evals import loadtest

ROOT = Path(__file__).resolve().parent.parent


def upload_text(path: Path, megabytes: float, seed: int = 11) -> Path:
    """A plain-text district document of about `megabytes` MB: sentences drawn from the frameworks' own words."""
    words: list[str] = []
    for f in sorted((ROOT / "corpus").glob("*.txt")):
        words += re.findall(r"[A-Za-z][a-z]{2,}", f.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    target = int(megabytes * 2**20)
    out: list[str] = ["# Our district improvement plan", ""]
    size, n = 0, 0
    while size < target:
        n += 1
        if n % 40 == 1:
            out += [f"## Part {n // 40 + 1}", ""]
        para = " ".join(" ".join(rng.choice(words) for _ in range(rng.randint(8, 22))).capitalize() + "."
                        for _ in range(rng.randint(3, 6)))
        out += [para, ""]
        size += len(para) + 2
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(base: Path, timeout: float = 900) -> tuple[subprocess.Popen, str, Path]:
    """`python app.py` on a free loopback port with private folders; waits for "Ready:" (the index is built)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "GRADIO_"))}
    env.update({"ASSISTANT_INDEX__DIR": str(base / "index"), "ASSISTANT_CORPUS__UPLOADS_DIR": str(base / "uploads"),
                "GRADIO_TEMP_DIR": str(base / "gradio"), "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"})
    log = base / "app.log"
    with open(log, "w") as fh:
        proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port)], cwd=base, env=env,
                                stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if "\nReady:" in "\n" + text:
            return proc, f"http://127.0.0.1:{port}", log
        if proc.poll() is not None or "could not prepare" in text:
            break
        time.sleep(1)
    stop_app(proc)
    raise RuntimeError(f"the app did not become ready:\n{log.read_text(errors='replace')[-3000:]}")


def stop_app(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident, peak resident) MiB of a process, from /proc."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def figures(stats) -> dict:
    lat = stats.latencies
    return {"served": len(lat), "errors": sum(stats.errors.values()), "p50": loadtest.percentile(lat, 50),
            "p95": loadtest.percentile(lat, 95), "max": max(lat) if lat else float("nan"),
            "throughput": len(lat) / getattr(stats, "elapsed", 1.0), "upload": getattr(stats, "upload", None)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.upload_bench", description=__doc__.splitlines()[0])
    p.add_argument("--users", type=int, default=20)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--upload-mb", type=float, default=1.0)
    p.add_argument("--rounds", type=int, default=1, help="plain runs before the run with the upload")
    args = p.parse_args(argv)
    if not 1 <= args.users <= loadtest.MAX_USERS or not 1 <= args.seconds <= loadtest.MAX_SECONDS:
        print(f"error: --users 1–{loadtest.MAX_USERS}, --seconds 1–{loadtest.MAX_SECONDS}", file=sys.stderr)
        return 2
    from assistant.offline import enforce_offline

    enforce_offline()
    base = Path(tempfile.mkdtemp(prefix="assistant-upload-bench-"))
    proc = None
    try:
        doc = upload_text(base / "district-plan.txt", args.upload_mb)
        say = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
        say("… starting the app (first start builds the index)")
        proc, url, _log = start_app(base)
        rows = []
        for n in range(args.rounds):
            say(f"… load test {n + 1}: {args.users} users, {args.seconds:g} s")
            rows.append((f"plain run {n + 1}", figures(loadtest.run(url, args.users, args.seconds)),
                         memory_mb(proc.pid)))
        say(f"… load test with a {doc.stat().st_size / 2**20:.1f} MB upload a third of the way in")
        rows.append(("with upload", figures(loadtest.run(url, args.users, args.seconds, upload=doc)),
                     memory_mb(proc.pid)))
        print(report(rows, args))
    finally:
        if proc is not None:
            stop_app(proc)
        shutil.rmtree(base, ignore_errors=True)
    return 0


def report(rows: list, args) -> str:
    lines = [f"{args.users} users × {args.seconds:g} s per run, upload {args.upload_mb:g} MB of text",
             f"{'run':14} {'served':>7} {'errors':>6} {'answers/s':>9} {'p50 s':>7} {'p95 s':>7} {'max s':>7} "
             f"{'RSS MiB':>8} {'peak MiB':>8}  upload"]
    for name, f, (rss, peak) in rows:
        up = f"{f['upload'][1]} in {f['upload'][0]:.1f} s" if f["upload"] else (
            "not finished within the run" if name == "with upload" else "")
        lines.append(f"{name:14} {f['served']:7d} {f['errors']:6d} {f['throughput']:9.2f} {f['p50']:7.2f} "
                     f"{f['p95']:7.2f} {f['max']:7.2f} {rss:8.0f} {peak:8.0f}  {up}")
    base, up = rows[-2][1] if len(rows) > 1 else rows[0][1], rows[-1][1]
    failed = f" ({up['errors']} failed questions, e.g. time-outs, are not in the p95)" if up["errors"] else ""
    lines.append(f"p95 with upload ÷ p95 without: {up['p95'] / base['p95']:.2f}×{failed}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
