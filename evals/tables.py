"""Table data (headers + string rows) shared by the terminal summary, report.md and report.html."""

from __future__ import annotations

from evals.aggregate import fmt, fmt_ci

# Which metric families apply to which dataset format (also in evals/README.md).
APPLICABILITY = [
    ("retrieval (hit, MRR, recall, nDCG, curve)", "yes (quote spans)",
     "yes (context spans; token overlap ≥ 0.6 when a context is not in the corpus)", "yes (answer spans)"),
    ("key-fact recall", "yes", "no (no key facts)", "yes (any gold answer text)"),
    ("token F1, semantic similarity", "yes", "yes (reference_answer)", "yes (first gold answer)"),
    ("citation precision / recall", "yes", "yes", "yes"),
    ("supported-sentence share", "yes", "yes", "yes"),
    ("abstention recall", "yes (unanswerable)", "no (every example is answerable)", "yes (is_impossible)"),
    ("false-refusal rate", "yes", "yes", "yes"),
    ("injection pass rate", "yes (injection)", "no", "no"),
    ("latency", "yes", "yes", "yes"),
]
APPLICABILITY_HEADERS = ["metric", "our JSONL", "llama-index LabelledRagDataset", "SQuAD JSON"]


def overall_table(summary: dict, k: int) -> tuple[list[str], list[list[str]]]:
    """metric | value | 95% CI | n, then one column per baseline (value and ours/baseline ratio)."""
    base = summary.get("baselines", {})
    headers = ["metric", "ours", "95% CI", "n"] + [f"{b} (ours/{b})" for b in base]
    rows = []
    for m, v in summary["overall"].items():
        ci = summary.get("ci", {}).get(m) or {}
        interval = f"[{ci['lo']:.2f}, {ci['hi']:.2f}]" if ci.get("lo") is not None else ""
        row = [m, fmt(v), interval, str(ci.get("n", ""))]
        for b, vals in base.items():
            bm = "key_fact_recall_top1" if m == "key_fact_recall" else m
            if bm in vals:
                r = summary["ratios"][b].get(bm)
                row.append(f"{fmt(vals[bm])} ({r:.2f}×)" if r is not None else fmt(vals[bm]))
            else:
                row.append("")
        rows.append(row)
    return headers, rows


def by_type_table(summary: dict, k: int) -> tuple[list[str], list[list[str]]]:
    """One row per question type: n, pass rate and the main metrics with CIs."""
    cols = ["pass_rate", f"hit@{k}", "mrr", "key_fact_recall", "token_f1", "semantic_similarity",
            "citation_precision", "citation_precision_strict", "citation_recall", "supported_share", "abstention_recall", "false_refusal_rate",
            "injection_pass_rate"]
    present = [c for c in cols if any(c in t["metrics"] for t in summary["by_type"].values())]
    headers = ["type", "n"] + present + ["latency p50 ms"]
    rows = []
    for t, b in summary["by_type"].items():
        rows.append([t, str(b["n"])] + [fmt_ci(b["metrics"].get(c)) for c in present]
                    + [fmt(b.get("latency_p50_ms"))])
    return headers, rows


def baseline_table(summary: dict, k: int) -> tuple[list[str], list[list[str]]]:
    """Retrieval metrics side by side: ours and each baseline, with ours/baseline ratios."""
    base = summary.get("baselines", {})
    if not base:
        return [], []
    names = [f"hit@{k}", "mrr", f"recall@{k}", f"ndcg@{k}", "key_fact_recall_top1"]
    headers = ["metric", "ours"] + list(base) + [f"ours/{b}" for b in base]
    rows = []
    for m in names:
        ours = summary["overall"].get("key_fact_recall" if m == "key_fact_recall_top1" else m)
        label = "key_fact_recall (baseline: top passage)" if m == "key_fact_recall_top1" else m
        rows.append([label, fmt(ours)] + [fmt(base[b].get(m)) for b in base]
                    + [fmt(summary["ratios"][b].get(m)) for b in base])
    return headers, rows


def text_table(headers: list[str], rows: list[list[str]]) -> str:
    """Fixed-width plain text table."""
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)] if rows else [len(h) for h in headers]
    line = lambda r: "  ".join(str(x).ljust(w) for x, w in zip(r, widths)).rstrip()
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


def md_table(headers: list[str], rows: list[list[str]]) -> str:
    """GitHub-flavoured Markdown table (pipes escaped)."""
    esc = lambda x: str(x).replace("|", "\\|").replace("\n", " ")
    out = ["| " + " | ".join(esc(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(esc(x) for x in r) + " |" for r in rows]
    return "\n".join(out)
