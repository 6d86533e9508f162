"""`python -m evals.bench`: build, latency, cold-start, memory and retrieval-quality figures (prints; asserts nothing).

Everything runs against a fresh index in a temporary folder; the product index is never touched. The start-up
figures (cold search, app page and readiness, peak memory, warm search) are measured side by side for
sentence-transformers and ONNX embeddings, and for an earlier git revision with `--before REF` (evals/startup.py).
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


def run(corpus: Path | None = None, min_queries: int = 100, answers: int | None = None, progress=None,
        before: str | None = None, repeat: int = 3, startup: bool = True, builds: bool = True) -> dict:
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
        if startup:
            figures["startup"] = _startup_figures(tmp, corpus, questions or [COLD_QUERY], before, repeat,
                                                  min_queries, builds)
        say("retrieval cases: ours vs naive vs bm25")
        from evals.baselines import build_baselines

        docs_list, _ = services.load([corpus])
        docs = {d.source: d.text for d in docs_list}
        t0 = time.perf_counter()
        baselines = build_baselines(["naive", "bm25"], docs, services.embedder)
        figures["baseline_build_s"] = time.perf_counter() - t0
        figures["retrieval_cases"] = retrieval_cases(services, cases, docs, baselines) if cases else {}
        figures["self_peak_rss_mb"] = _maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        figures["embedding_model"] = f"{services.embedder.model_id} ({settings.embedding.kind})"
        figures["cpu_count"] = os.cpu_count()
        figures["load_average"] = os.getloadavg()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return figures


def _startup_figures(tmp: Path, corpus: Path, questions: list[str], before: str | None, repeat: int,
                     queries: int, builds: bool) -> dict:
    """The side-by-side start-up figures, measured by a separate small process (see evals/startup.py)."""
    (tmp / "questions.json").write_text(json.dumps(questions), encoding="utf-8")
    cmd = [sys.executable, "-m", "evals.startup", "--tmp", str(tmp / "startup"), "--corpus", str(corpus),
           "--index", str(tmp / "index"), "--models", str(tmp / "index" / "models"), "--question", COLD_QUERY,
           "--questions", str(tmp / "questions.json"), "--repeat", str(repeat), "--queries", str(queries)]
    cmd += (["--before", before] if before else []) + ([] if builds else ["--no-builds"])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(x for x in (str(ROOT), os.environ.get("PYTHONPATH")) if x)}
    proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    return json.loads(proc.stdout) if proc.returncode == 0 else {"error": f"exit code {proc.returncode}"}


def _index_figures(services, figures: dict, say) -> None:
    """Model load, a fresh index build, and an unchanged re-ingest."""
    say("loading the embedding model (a fresh folder: includes the one-time ONNX export)")
    t0 = time.perf_counter()
    services.embedder.embed(["warm-up"])
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


def format_table(f: dict) -> str:
    def v(x, unit=""):
        if x is None:
            return "—"
        return f"{x:.3f}{unit}" if isinstance(x, float) else f"{x}{unit}"

    rows = [
        ("embedding model first load (with the one-time ONNX export)", v(f.get("model_load_s"), " s")),
        (f"index build (fresh, {f.get('documents_indexed')} docs, {f.get('passages_indexed')} passages)",
         v(f.get("index_build_s"), " s")),
        ("re-ingest, corpus unchanged", v(f.get("reingest_unchanged_s"), " s")),
        (f"warm search p50 / p95 ({f.get('search_queries')} queries)",
         f"{v(f.get('search_p50_ms'), ' ms')} / {v(f.get('search_p95_ms'), ' ms')}"),
        (f"warm answer p50 / p95 ({f.get('answer_questions')} questions, {f.get('answer_errors')} errors)",
         f"{v(f.get('answer_p50_ms'), ' ms')} / {v(f.get('answer_p95_ms'), ' ms')}"),
        ("peak RSS of this process", v(f.get("self_peak_rss_mb"), " MiB")),
        ("machine: cores / load average at the end", f"{f.get('cpu_count')} / "
                                                     f"{' '.join(f'{x:.1f}' for x in f.get('load_average') or ())}"),
    ]
    width = max(len(r[0]) for r in rows)
    out = [f"{a.ljust(width)}  {b}" for a, b in rows]
    st = f.get("startup")
    if st and "variants" in st:
        from evals.startup import format_side_by_side

        out += ["", "start-up and footprint, side by side (fresh child processes, same existing index):",
                format_side_by_side(list(st["variants"]), list(st["variants"].values()), st["repeat"], st["queries"])]
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
    p.add_argument("--before", metavar="REF", default=None,
                   help="also measure the start-up figures of this git revision (e.g. main), side by side")
    p.add_argument("--repeat", type=int, default=3, help="fresh processes per cold start-up figure (median)")
    p.add_argument("--no-startup", action="store_true", help="skip the side-by-side start-up figures")
    p.add_argument("--no-builds", action="store_true", help="skip the per-variant fresh index builds")
    args = p.parse_args(argv)
    figures = run(args.corpus, args.queries, args.answers,
                  progress=lambda m: print(f"… {m}", file=sys.stderr, flush=True), before=args.before,
                  repeat=max(1, args.repeat), startup=not args.no_startup, builds=not args.no_builds)
    print(json.dumps(figures, indent=1) if args.json else format_table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
