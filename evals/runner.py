"""Run the real pipeline over a dataset, score every item, and write results, summary, reports and manifest."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from evals.aggregate import summarize
from evals.baselines import build_baselines
from evals.datasets import EvalItem, load_dataset, load_split, resolve_targets
from evals.metrics import Span, cosine, normalized_corpus
from evals.normalize import strip_markers
from evals.scoring import baseline_block, score_item

HERE = Path(__file__).resolve().parent
DEFAULT_GOLD = HERE / "gold.jsonl"  # shipped inside the evals package (a wheel carries it)
CURVE_K = 10


@dataclass
class RunOptions:
    gold: Path = DEFAULT_GOLD
    split: str | None = None  # a named split (gold, dev, test) instead of a --gold file
    corpus: Path | None = None
    out: Path | None = None
    k: int = 5
    compare: Path | None = None
    baselines: list[str] = field(default_factory=list)
    limit: int | None = None
    index: Path | None = None  # default: the product's index for the default corpus, a temp index otherwise
    thresholds: Path | None = None
    check: bool = False
    progress: bool = True
    argv: list[str] | None = None


@dataclass
class RunResult:
    out_dir: Path
    summary: dict
    records: list[dict]
    check_failures: list[str]


def runs_dir() -> Path:
    """Where runs are written: evals/runs/ in a checkout, the per-user data folder when installed."""
    from assistant.resources import state_root

    return state_root() / "evals" / "runs"


def default_out_dir() -> Path:
    return runs_dir() / datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def build_services(corpus_dir: Path, index_dir: Path | None, isolated: bool, work: Path):
    """Services over `corpus_dir`; an isolated run also ignores the uploads folder."""
    from assistant.config import load_settings
    from assistant.wiring import build

    corpus: dict = {"dir": str(corpus_dir)}
    overrides: dict = {"corpus": corpus}
    if index_dir is not None:
        overrides["index"] = {"dir": str(index_dir)}
    if isolated:
        corpus["uploads_dir"] = str(work / "no-uploads")
    return build(load_settings(**overrides))


def to_spans(passages) -> list[Span]:
    return [Span(p.chunk.source, p.chunk.start, p.chunk.end, p.chunk.text) for p in passages]


def answer_item(services, item: EvalItem, k: int) -> tuple[dict, float]:
    """Answer.to_dict() for the item (history for follow-ups) and the wall latency in ms; errors become records."""
    t0 = time.perf_counter()
    try:
        ans = services.answerer.answer(item.question, history=item.history or None, framework=item.framework, k=k)
        out = ans.to_dict()
    except Exception as exc:  # one broken item must not sink the run
        rejected = type(exc).__name__ == "InputError"  # the product refusing the input is an abstention
        out = {"answer": str(exc) if rejected else "", "abstained": rejected, "citations": [], "passages": [],
               "error": None if rejected else f"{type(exc).__name__}: {exc}",
               "notes": [f"input rejected: {exc}"] if rejected else []}
    return out, (time.perf_counter() - t0) * 1000


def catalog_relation(services):
    """The catalog relation for citation precision; None for corpora without a framework catalog."""
    from evals.elements import element_relation

    try:
        return element_relation(services.catalog)
    except Exception:  # a corpus without a framework manifest has no catalog
        return None


def run_item(services, item: EvalItem, index: int, k: int, corpus_norm: str, baselines: dict,
             related=None) -> dict:
    ans, latency = answer_item(services, item, k)
    resolved = ans.get("resolved_question") or item.question
    curve_spans: list[Span] = []
    if item.targets:
        try:
            curve_spans = to_spans(services.retriever.search(resolved, k=CURVE_K, framework=item.framework))
        except Exception:  # an unknown framework name etc.: the curve is empty, the answer's error says why
            curve_spans = []
    scored = score_item(item, ans, curve_spans, k, corpus_norm, related)
    record = {
        "index": index,
        "id": item.id,
        "type": item.type,
        "question": item.question,
        "history": item.history,
        "resolved_question": resolved,
        "framework": item.framework,
        "reference_answer": item.answer,
        "key_facts": item.key_facts,
        "gold": [t.to_dict() for t in item.targets],
        "answer": ans.get("answer", ""),
        "backend": ans.get("backend"),
        "shape": ans.get("shape"),
        "citations": [{k2: c.get(k2) for k2 in ("n", "label", "source", "start", "end", "quote", "span", "section",
                                                 "chunk_id")} for c in ans.get("citations", [])],
        "passages": ans.get("passages", []),
        "notes": ans.get("notes", []),
        "latency_ms": latency,
        "timings_ms": ans.get("timings_ms", {}),
        "error": ans.get("error"),
        "warnings": item.warnings,
        **scored,
        "baselines": {},
    }
    if item.targets or (item.key_facts and item.answerable):
        for name, b in baselines.items():
            record["baselines"][name] = baseline_block(item, b.search(item.question, CURVE_K), k)
    return record


def add_semantic_similarity(services, records: list[dict]) -> None:
    """Cosine similarity of answer and reference with the bundled embedding model (one batch)."""
    todo = [r for r in records if r["reference_answer"] and r["answer"] and not r.get("error")]
    if not todo:
        return
    texts = [strip_markers(r["answer"]) for r in todo] + [r["reference_answer"] for r in todo]
    vecs = services.embedder.embed(texts)
    n = len(todo)
    for i, r in enumerate(todo):
        r["metrics"]["semantic_similarity"] = round(cosine(vecs[i], vecs[n + i]), 6)


def _threshold(services) -> float | None:
    """The answer engine's refusal threshold (None for other engines)."""
    model = getattr(getattr(services, "engine", None), "abstention", None)
    return getattr(model, "threshold", None)


def run(opts: RunOptions) -> RunResult:
    from evals import manifest as mf
    from evals import thresholds as th
    from evals.compare import compare_runs, load_run

    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    out_dir = Path(opts.out) if opts.out else default_out_dir()
    with tempfile.TemporaryDirectory(prefix="evals-") as tmp:
        work = Path(tmp)
        dataset = load_split(opts.split) if opts.split else load_dataset(Path(opts.gold), work)
        items = dataset.items[: opts.limit] if opts.limit else dataset.items
        from assistant.config import load_settings

        default_corpus = Path(load_settings().corpus.dir).resolve()
        corpus_dir = Path(dataset.corpus_dir or opts.corpus or default_corpus).resolve()
        if not corpus_dir.is_dir():
            raise FileNotFoundError(f"corpus folder not found: {corpus_dir}")
        is_default = corpus_dir == default_corpus
        index_dir = Path(opts.index) if opts.index else (None if is_default else work / "index")
        services = build_services(corpus_dir, index_dir, isolated=index_dir is not None, work=work)
        progress = None
        if opts.progress:
            from assistant.wiring import terminal_progress

            progress = terminal_progress()
        sync, load_errors = services.ingest(progress=progress)
        docs_list, _ = services.load([corpus_dir])
        docs = {d.source: d.text for d in docs_list}
        warnings = resolve_targets(items, docs) + [f"skipped corpus file {e}" for e in load_errors]
        corpus_norm = normalized_corpus(list(docs.values()))
        baselines = build_baselines(opts.baselines, docs, services.embedder, services.retriever.chunks())
        from tqdm import tqdm

        related = catalog_relation(services)
        records = []
        for i, item in enumerate(tqdm(items, desc="Evaluating", unit="q", file=sys.stderr,
                                      disable=not opts.progress)):
            records.append(run_item(services, item, i, opts.k, corpus_norm, baselines, related))
        add_semantic_similarity(services, records)
        summary = summarize(records, opts.k, list(baselines))
        summary["warnings"] = warnings
        summary["abstention_threshold"] = _threshold(services)
        summary["run"] = {
            "started_utc": started.isoformat(timespec="seconds"),
            "gold": str(opts.gold) if not opts.split else f"split {opts.split}", "split": opts.split,
            "format": dataset.format, "corpus": str(corpus_dir),
            "corpus_is_default": is_default, "index": str(index_dir or services.settings.index.dir),
            "k": opts.k, "limit": opts.limit, "baselines": list(baselines),
            "backend": services.settings.answer.backend, "git_commit": mf.git_commit(),
            "ingest": sync.summary(), "seconds": round(time.perf_counter() - t0, 2),
        }
        if opts.compare:
            prev_summary, prev_records = load_run(Path(opts.compare))
            summary["compare"] = compare_runs(prev_summary, prev_records, summary, records, str(opts.compare))
        failures: list[str] = []
        if opts.check or opts.thresholds:
            tpath = Path(opts.thresholds) if opts.thresholds else th.DEFAULT
            failures, notes = th.check(summary, th.load(tpath, opts.split or "gold"))
            summary["check"] = {"file": str(tpath), "failures": failures, "notes": notes}
        manifest = mf.build_manifest(services.settings, corpus_dir, Path(dataset.path), dataset.format,
                                     services.embedder.model_id, opts.argv, index_dir)
        manifest["indexed_documents"] = [d.source for d in services.store.documents()]
        write_outputs(out_dir, summary, records, manifest)
    return RunResult(out_dir, summary, records, failures)


def write_outputs(out_dir: Path, summary: dict, records: list[dict], manifest: dict | None = None) -> None:
    """results.jsonl, summary.json, manifest.json, plots/*.png, report.md and report.html."""
    from evals import plots, report_html, report_md

    out_dir = Path(out_dir)
    (out_dir / "plots").mkdir(parents=True, exist_ok=True)
    with open(out_dir / "results.jsonl", "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    if manifest is not None:
        (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    figures = plots.all_plots(summary, records)
    for name, png in figures.items():
        (out_dir / "plots" / name).write_bytes(png)
    (out_dir / "report.md").write_text(report_md.render(summary, records, figures), encoding="utf-8")
    (out_dir / "report.html").write_text(report_html.render(summary, records, figures), encoding="utf-8")
