"""`python -m evals.bomb_bench`: time and peak memory of refusing decompression bombs (prints; asserts nothing).

Generates a Word file whose text inflates to --unpacked-mb MB, a Word file of 50,000 parts and a PDF whose pages
inflate, then reads each (a) with the loader alone and (b) with `python -m assistant ingest FILE` against a fresh
index, each in a child process whose address space is capped at --cap-mb MB (so an unprotected reader fails
instead of exhausting the machine). Prints outcome, seconds and the child's peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from evals.hostile import docx_bomb, docx_many_parts, pdf_bomb

ROOT = Path(__file__).resolve().parent.parent

# Each child prints its own peak (VmHWM) last: Linux carries ru_maxrss over from the parent across exec.
_PEAK = """
def _peak():
    print("peak_kb", next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")))
"""
_LOADER = _PEAK + """
import json, sys
from assistant.ingest.loaders import LoadError, load_file
try:
    doc = load_file(sys.argv[1])
    print(json.dumps("loaded %d characters" % len(doc.text)))
except LoadError as exc:
    print(json.dumps("refused: " + exc.reason))
except MemoryError:
    print(json.dumps("MemoryError"))
_peak()
"""
_CLI = _PEAK + """
import runpy, sys
sys.argv = ["assistant", "ingest", sys.argv[1]]
try:
    runpy.run_module("assistant", run_name="__main__")
except SystemExit as exc:
    print("exit", exc.code)
except MemoryError:
    print("MemoryError")
_peak()
"""


def _limit(cap_mb: int):
    def apply() -> None:
        cap = cap_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    return apply


def child(cmd: list[str], env: dict, cap_mb: int, timeout: float, out_path: Path) -> tuple[str, float, float]:
    """(last output line, wall seconds, peak RSS MiB as the child reports it) of one capped child process."""
    import threading

    with open(out_path, "w") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True,
                                preexec_fn=_limit(cap_mb))
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = [x for x in out_path.read_text(errors="replace").splitlines() if x.strip()]
    peak = next((int(x.split()[1]) / 1024 for x in lines if x.startswith("peak_kb ")), float("nan"))
    lines = [x for x in lines if not x.startswith("peak_kb ") and not x.startswith("exit ")]
    last = lines[-1] if lines else f"exit {proc.returncode}"
    if wall >= timeout:
        last = f"killed after {timeout:.0f} s"
    return last[:160], wall, peak


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.bomb_bench", description=__doc__.splitlines()[0])
    p.add_argument("--unpacked-mb", type=int, default=1024)
    p.add_argument("--cap-mb", type=int, default=4096)
    p.add_argument("--timeout", type=float, default=600)
    args = p.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="assistant-bombs-"))
    try:
        files = {
            f"docx, text part inflating to {args.unpacked_mb} MB": docx_bomb(tmp / "plan.docx", args.unpacked_mb),
            "docx, 50,000 parts": docx_many_parts(tmp / "parts.docx", 50_000),
            "pdf, 100 pages × 12 MB streams": pdf_bomb(tmp / "plan.pdf", pages=100, page_mb=12),
        }
        env = {**os.environ, "PYTHONPATH": str(ROOT), "ASSISTANT_INDEX__DIR": str(tmp / "index"),
               "ASSISTANT_CORPUS__UPLOADS_DIR": str(tmp / "uploads")}
        rows = []
        for name, path in files.items():
            size = f"{path.stat().st_size / 2**20:.1f} MB file"
            for how, cmd in (("loader", [sys.executable, "-c", _LOADER, str(path)]),
                             ("CLI ingest", [sys.executable, "-c", _CLI, str(path)])):
                print(f"… {how}: {name}", file=sys.stderr, flush=True)
                out, wall, peak = child(cmd, env, args.cap_mb, args.timeout, tmp / "out.txt")
                try:
                    out = json.loads(out)
                except ValueError:
                    pass
                rows.append((f"{name} ({size})", how, out, wall, peak))
        width = max(len(r[0]) for r in rows)
        print(f"{'file'.ljust(width)}  {'reader':10} {'seconds':>8} {'peak MiB':>9}  outcome")
        for name, how, out, wall, peak in rows:
            print(f"{name.ljust(width)}  {how:10} {wall:8.1f} {peak:9.0f}  {out}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
