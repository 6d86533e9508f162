"""report.md: the run summary, tables, figures (linked PNGs), comparison and failures, for reading in a terminal or Git."""

from __future__ import annotations

from evals.compare import format_text
from evals.tables import APPLICABILITY, APPLICABILITY_HEADERS, baseline_table, by_type_table, md_table, overall_table


def _clip(text: str, n: int = 240) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + " …"


def render(summary: dict, records: list[dict], plots: dict[str, bytes] | None = None) -> str:
    run = summary.get("run", {})
    k = run.get("k", 5)
    out = [f"# Eval run {run.get('started_utc', '')}", ""]
    out.append(f"- Dataset: `{run.get('gold', '')}` ({run.get('format', '')}), {summary['n_items']} items "
               f"({', '.join(f'{t}: {n}' for t, n in summary['n_by_type'].items())})")
    out.append(f"- Corpus: `{run.get('corpus', '')}`; k = {k}; baselines: {', '.join(run.get('baselines') or []) or 'none'}")
    out.append(f"- Commit: `{run.get('git_commit') or 'unknown'}`; answer backend: {run.get('backend', '')}; "
               f"wall time {run.get('seconds', 0):.1f} s")
    out.append(f"- Passed {summary['n_items'] - summary['failures']}/{summary['n_items']} items; "
               f"{summary['errors']} errors")
    chk = summary.get("check")
    if chk:
        verdict = "PASS" if not chk["failures"] else "FAIL"
        out.append(f"- Thresholds ({chk['file']}): **{verdict}**" + "".join(f"\n  - {f}" for f in chk["failures"]))
    out += ["", "## Overall", "", md_table(*overall_table(summary, k)), ""]
    out += ["## By question type (mean [95% bootstrap CI])", "", md_table(*by_type_table(summary, k)), ""]
    h, rows = baseline_table(summary, k)
    if rows:
        out += ["## Baselines (same corpus, same items)", "", md_table(h, rows), "",
                "naive = llama-index SentenceSplitter(chunk_size=1024) + dense cosine top-k; bm25 = BM25 over the "
                "same chunks; bm25-passages = BM25 over the product's own passages; baselines search the raw "
                "question (no follow-up resolution). hit@budget compares rankings within their first "
                "2,000 characters. The baseline "
                "key-fact recall reads its top passage as the answer.", ""]
    curve = summary.get("abstention_curve") or []
    if curve:
        t = summary.get("abstention_threshold")
        out += ["## Abstention calibration", "",
                f"The answer engine refuses below a calibrated confidence (threshold {t:.3f}, fitted on dev with "
                "`python -m evals calibrate`). For other thresholds, the share of answerable questions that would be "
                "refused and of unanswerable questions that would be declined:" if t is not None else
                "Share of answerable questions refused and unanswerable questions declined at each threshold:", "",
                md_table(["threshold", "answerable refused", "unanswerable declined"],
                         [[f"{p['threshold']:.2f}", f"{p['false_refusal_rate']:.3f}", f"{p['decline_rate']:.3f}"]
                          for p in curve[::5]]), ""]
    if plots:
        out += ["## Figures", ""] + [f"![{name}](plots/{name})" for name in plots] + [""]
    if summary.get("compare"):
        out += ["## Comparison", "", "```", format_text(summary["compare"]), "```", ""]
    fails = [r for r in records if not r["passed"]]
    out += [f"## Failures ({len(fails)})", ""]
    if run.get("split") == "test":
        # The test split reports; it is never read item by item to write a rule (tune on dev).
        counts = {}
        for r in fails:
            counts[r["type"]] = counts.get(r["type"], 0) + 1
        out += ["Per-item failures of the test split are not listed: test is for reporting, dev for tuning.", ""]
        out += [f"- {t}: {n}" for t, n in counts.items()]
        fails = []
    for r in fails:
        out.append(f"- **{r['id']}** [{r['type']}] — {'; '.join(r['fail_reasons'])}")
        out.append(f"  - Q: {_clip(r['question'], 200)}")
        if r.get("history"):
            out.append(f"  - history: {len(r['history'])} turns; resolved as: {_clip(r.get('resolved_question', ''), 160)}")
        out.append(f"  - A: {_clip(r.get('answer', ''))}")
        if r.get("facts_missed"):
            out.append(f"  - missed facts: {', '.join(repr(f) for f in r['facts_missed'])}")
    if summary.get("warnings"):
        out += ["", "## Gold warnings", ""] + [f"- {w}" for w in summary["warnings"]]
    out += ["", "## Which metrics apply to which dataset format", "", md_table(APPLICABILITY_HEADERS,
                                                                                 [list(r) for r in APPLICABILITY]), ""]
    return "\n".join(out)
