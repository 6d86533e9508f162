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
                "same chunks; baselines search the raw question (no follow-up resolution). The baseline "
                "key-fact recall reads its top passage as the answer.", ""]
    if plots:
        out += ["## Figures", ""] + [f"![{name}](plots/{name})" for name in plots] + [""]
    if summary.get("compare"):
        out += ["## Comparison", "", "```", format_text(summary["compare"]), "```", ""]
    fails = [r for r in records if not r["passed"]]
    out += [f"## Failures ({len(fails)})", ""]
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
