"""`python -m evals.bench`: build, latency, cold-start, memory and retrieval-quality figures (prints; asserts nothing).

Everything runs against a fresh index in a temporary folder; the product index is never touched.
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

ROOT = Path(__file__).resolve().parent.parent
GOLD = Path(__file__).resolve().parent / "gold.jsonl"
CASES = ROOT / "tests" / "data" / "retrieval_cases.jsonl"
COLD_QUERY = "what does the rubric say about instructional leadership routines at getting started?"


def _pct(values: list[float], q: float) -> float | None:
    import numpy as np

    return float(np.percentile(values, q)) if values else None


def _read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _maxrss_mb(kb: float) -> float:
    return kb / 1024.0  # Linux reports ru_maxrss in KiB


def _run_child(cmd: list[str], env: dict, out_path: Path) -> tuple[float, int, float]:
    """(wall seconds, exit code, peak RSS MiB) of one child process; stdout goes to a file."""
    with open(out_path, "wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, proc.returncode, _maxrss_mb(usage.ru_maxrss)


def child_env(tmp: Path, corpus: Path) -> dict:
    env = dict(os.environ)
    env.update({"ASSISTANT_INDEX__DIR": str(tmp / "index"), "ASSISTANT_CORPUS__DIR": str(corpus),
                "ASSISTANT_CORPUS__UPLOADS_DIR": str(tmp / "uploads"),
                "PYTHONPATH": os.pathsep.join(x for x in (str(ROOT), env.get("PYTHONPATH", "")) if x)})
    return env


def retrieval_cases(services, cases: list[dict], docs: dict[str, str], baselines: dict, k: int = 5) -> dict:
    """hit@k and MRR of the pipeline and each baseline on the retrieval cases (one run, same questions)."""
    from evals.datasets import Target, other_occurrences
    from evals.metrics import Span, coverage, retrieval_metrics
    from evals.normalize import locate

    rows: dict[str, list[dict]] = {"ours": []}
    rows.update({name: [] for name in baselines})
    skipped = []
    for case in cases:
        span = locate(case["quote"], docs.get(case["doc"], ""))
        if span is None:
            skipped.append(case.get("id"))
            continue
        targets = [Target(case["doc"], span[0], span[1], case["quote"],
                          other_occurrences(docs[case["doc"]], span))]
        found = services.retriever.search(case["question"], k=k, framework=case.get("framework"))
        ours = [Span(p.chunk.source, p.chunk.start, p.chunk.end, p.chunk.text) for p in found]
        rows["ours"].append(retrieval_metrics(coverage(ours, targets), 1, k))
        for name, b in baselines.items():
            rows[name].append(retrieval_metrics(coverage(b.search(case["question"], k), targets), 1, k))
    out = {}
    for name, ms in rows.items():
        n = len(ms) or 1
        out[name] = {f"hit@{k}": sum(m["hit"] for m in ms) / n, "mrr": sum(m["mrr"] for m in ms) / n, "n": len(ms)}
    for name in baselines:
        for m in (f"hit@{k}", "mrr"):
            b = out[name][m]
            out[name][f"ours/{name} {m}"] = out["ours"][m] / b if b else None
    out["skipped_cases"] = skipped
    return out


def run(corpus: Path | None = None, min_queries: int = 100, answers: int | None = None, progress=None) -> dict:
    """Speed, memory and retrieval-quality figures of a fresh index over `corpus` (default: the framework corpus)."""
    from assistant.config import load_settings
    from assistant.wiring import build

    say = progress or (lambda msg: None)
    figures: dict = {}
    tmp = Path(tempfile.mkdtemp(prefix="assistant-bench-"))
    try:
        corpus = Path(corpus or load_settings().corpus.dir).resolve()
        settings = load_settings(corpus={"dir": str(corpus), "uploads_dir": str(tmp / "uploads")},
                                 index={"dir": str(tmp / "index")})
        services = build(settings)
        _index_figures(services, figures, say)
        gold = _read_jsonl(GOLD)
        cases = _read_jsonl(CASES)
        questions = list(dict.fromkeys([g["question"] for g in gold] + [c["question"] for c in cases]))
        _search_figures(services, questions or [COLD_QUERY], min_queries, figures, say)
        items = gold[:answers] if answers else gold
        _answer_figures(services, items or [{"question": q} for q in (questions or [COLD_QUERY])[:30]], figures, say)
        _cold_figures(tmp, corpus, figures, say)
        say("retrieval cases: ours vs naive vs bm25")
        from evals.baselines import build_baselines

        docs_list, _ = services.load([corpus])
        docs = {d.source: d.text for d in docs_list}
        t0 = time.perf_counter()
        baselines = build_baselines(["naive", "bm25"], docs, services.embedder)
        figures["baseline_build_s"] = time.perf_counter() - t0
        figures["retrieval_cases"] = retrieval_cases(services, cases, docs, baselines) if cases else {}
        figures["self_peak_rss_mb"] = _maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        figures["embedding_model"] = services.embedder.model_id
        figures["cpu_count"] = os.cpu_count()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return figures


def _index_figures(services, figures: dict, say) -> None:
    """Model load, a fresh index build, and an unchanged re-ingest."""
    say("loading the embedding model")
    t0 = time.perf_counter()
    services.embedder
    figures["model_load_s"] = time.perf_counter() - t0
    say("building a fresh index")
    t0 = time.perf_counter()
    report, _ = services.ingest()
    figures["index_build_s"] = time.perf_counter() - t0
    figures["passages_indexed"] = report.embedded
    figures["documents_indexed"] = len(report.added)
    t0 = time.perf_counter()
    again, _ = services.ingest()
    figures["reingest_unchanged_s"] = time.perf_counter() - t0
    figures["reingest_changed"] = again.changed


def _search_figures(services, questions: list[str], min_queries: int, figures: dict, say) -> None:
    """Warm search latency, each query embedded afresh."""
    say(f"warm search latency ({max(min_queries, len(questions))} queries)")
    retriever = services.retriever
    retriever.search(questions[0])  # warm-up: BM25 build, Chroma open
    lat = []
    for i in range(max(min_queries, len(questions))):
        q = questions[i % len(questions)]
        retriever.clear_query_cache()  # measure the real query embedding, not the cache
        t0 = time.perf_counter()
        retriever.search(q, k=5)
        lat.append((time.perf_counter() - t0) * 1000)
    figures["search_queries"] = len(lat)
    figures["search_p50_ms"], figures["search_p95_ms"] = _pct(lat, 50), _pct(lat, 95)


def _answer_figures(services, items: list[dict], figures: dict, say) -> None:
    """Warm answer latency over gold items (follow-ups with their history)."""
    say(f"warm answer latency ({len(items)} questions)")
    retriever, answerer = services.retriever, services.answerer
    answerer.answer(items[0]["question"])  # warm-up
    alat, errors = [], 0
    for g in items:
        retriever.clear_query_cache()
        t0 = time.perf_counter()
        try:
            answerer.answer(g["question"], history=g.get("history") or None)
        except Exception:
            errors += 1
        alat.append((time.perf_counter() - t0) * 1000)
    figures["answer_questions"] = len(alat)
    figures["answer_errors"] = errors
    figures["answer_p50_ms"], figures["answer_p95_ms"] = _pct(alat, 50), _pct(alat, 95)


def _cold_figures(tmp: Path, corpus: Path, figures: dict, say) -> None:
    """A cold CLI search and a cold core import, each in a child process (wall time, peak memory)."""
    say("cold start (child processes)")
    env = child_env(tmp, corpus)
    wall, code, rss = _run_child([sys.executable, "-m", "assistant", "search", COLD_QUERY, "--json"], env,
                                 tmp / "search.json")
    figures["cold_search_s"], figures["cold_search_exit"], figures["child_peak_rss_mb"] = wall, code, rss
    code_imp = ("import time; t=time.perf_counter(); import assistant.types, assistant.retrieval; "
                "print(time.perf_counter()-t)")
    wall, code, rss_imp = _run_child([sys.executable, "-c", code_imp], env, tmp / "import.txt")
    figures["cold_import_process_s"] = wall
    try:
        figures["core_import_s"] = float((tmp / "import.txt").read_text().strip().splitlines()[-1])
    except (ValueError, IndexError):
        figures["core_import_s"] = None
    figures["import_child_peak_rss_mb"] = rss_imp


def format_table(f: dict) -> str:
    def v(x, unit=""):
        if x is None:
            return "—"
        return f"{x:.3f}{unit}" if isinstance(x, float) else f"{x}{unit}"

    rows = [
        ("embedding model load", v(f.get("model_load_s"), " s")),
        (f"index build (fresh, {f.get('documents_indexed')} docs, {f.get('passages_indexed')} passages)",
         v(f.get("index_build_s"), " s")),
        ("re-ingest, corpus unchanged", v(f.get("reingest_unchanged_s"), " s")),
        (f"warm search p50 / p95 ({f.get('search_queries')} queries)",
         f"{v(f.get('search_p50_ms'), ' ms')} / {v(f.get('search_p95_ms'), ' ms')}"),
        (f"warm answer p50 / p95 ({f.get('answer_questions')} questions, {f.get('answer_errors')} errors)",
         f"{v(f.get('answer_p50_ms'), ' ms')} / {v(f.get('answer_p95_ms'), ' ms')}"),
        ("cold start: `python -m assistant search ... --json` to exit",
         f"{v(f.get('cold_search_s'), ' s')} (exit {f.get('cold_search_exit')})"),
        ("cold import of assistant.types + assistant.retrieval",
         f"{v(f.get('core_import_s'), ' s')} (process {v(f.get('cold_import_process_s'), ' s')})"),
        ("peak RSS: this process / search child", f"{v(f.get('self_peak_rss_mb'), ' MiB')} / "
                                                  f"{v(f.get('child_peak_rss_mb'), ' MiB')}"),
    ]
    width = max(len(r[0]) for r in rows)
    out = [f"{a.ljust(width)}  {b}" for a, b in rows]
    rc = f.get("retrieval_cases") or {}
    if rc:
        names = [n for n in rc if n not in ("skipped_cases",)]
        out += ["", f"retrieval cases (n={rc['ours']['n']}): hit@5 and MRR",
                f"{'retriever':10} {'hit@5':>7} {'MRR':>7} {'ours÷this hit@5':>16} {'ours÷this MRR':>14}"]
        for n in names:
            r = rc[n]
            ratio_h = r.get(f"ours/{n} hit@5")
            ratio_m = r.get(f"ours/{n} mrr")
            out.append(f"{n:10} {r['hit@5']:7.3f} {r['mrr']:7.3f} "
                       f"{(f'{ratio_h:.2f}x' if ratio_h else '—'):>16} {(f'{ratio_m:.2f}x' if ratio_m else '—'):>14}")
        if rc.get("skipped_cases"):
            out.append(f"(skipped, quote not found: {', '.join(map(str, rc['skipped_cases']))})")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.bench", description=__doc__.splitlines()[0])
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: the framework corpus)")
    p.add_argument("--queries", type=int, default=100, help="minimum number of timed searches")
    p.add_argument("--answers", type=int, default=None, help="timed answers (default: every gold question)")
    args = p.parse_args(argv)
    figures = run(args.corpus, args.queries, args.answers,
                  progress=lambda m: print(f"… {m}", file=sys.stderr, flush=True))
    print(json.dumps(figures, indent=1) if args.json else format_table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
