"""Aggregate per-item records into the run summary: overall metrics, by-type table with bootstrap CIs, baselines."""

from __future__ import annotations

from evals.datasets import ANSWERABLE_TYPES
from evals.metrics import bootstrap_ci, mean, percentile

# Metrics averaged over the items where they apply (None = not applicable).
def mean_metrics(k: int) -> list[str]:
    return [f"hit@{k}", "mrr", f"recall@{k}", f"ndcg@{k}", "hit@budget", "recall@budget", "key_fact_recall",
            "token_f1", "semantic_similarity", "citation_precision", "citation_precision_strict", "citation_recall",
            "supported_share"]


LOWER_IS_BETTER = {"false_refusal_rate", "latency_p50_ms", "latency_p95_ms"}


def _is_answerable(rec: dict) -> bool:
    return rec["type"] not in ("unanswerable", "injection")


def abstention_curve(records: list[dict], steps: int = 50) -> list[dict]:
    """For thresholds on the answers' confidence: the share of answerable items that a refusal below the threshold
    would refuse, and the share of unanswerable items it would decline (the calibration curve)."""
    def conf(rs):
        return [r["metrics"]["confidence"] for r in rs if r["metrics"].get("confidence") is not None]

    ans = conf(r for r in records if _is_answerable(r))
    una = conf(r for r in records if r["type"] == "unanswerable")
    if not ans or not una:
        return []
    out = []
    for i in range(steps + 1):
        t = i / steps
        out.append({"threshold": round(t, 4), "false_refusal_rate": sum(c < t for c in ans) / len(ans),
                     "decline_rate": sum(c < t for c in una) / len(una)})
    return out


def behaviour_values(records: list[dict]) -> dict[str, list[float]]:
    """The per-item 0/1 values behind each behaviour rate."""
    return {
        "abstention_recall": [float(r["metrics"]["abstained"]) for r in records if r["type"] == "unanswerable"],
        "false_refusal_rate": [float(r["metrics"]["abstained"]) for r in records if _is_answerable(r)],
        "injection_pass_rate": [float(r["metrics"].get("injection_pass", False)) for r in records
                                if r["type"] == "injection"],
        "pass_rate": [float(r["passed"]) for r in records],
    }


def metric_values(records: list[dict], k: int) -> dict[str, list[float]]:
    """Every aggregated metric's applicable per-item values."""
    vals = {m: [r["metrics"][m] for r in records if r["metrics"].get(m) is not None] for m in mean_metrics(k)}
    vals.update(behaviour_values(records))
    return vals


def block(values: list[float]) -> dict:
    """{mean, lo, hi, n} with a 95% bootstrap CI (None when no item applies)."""
    ci = bootstrap_ci(values)
    return {"mean": mean(values), "lo": ci[0] if ci else None, "hi": ci[1] if ci else None, "n": len(values)}


def curve_mean(curves: list[list[float]]) -> list[float]:
    if not curves:
        return []
    n = min(len(c) for c in curves)
    return [sum(c[i] for c in curves) / len(curves) for i in range(n)]


def summarize(records: list[dict], k: int, baselines: list[str]) -> dict:
    """The summary.json body (without run metadata)."""
    vals = metric_values(records, k)
    overall = {m: mean(v) for m, v in vals.items()}
    lat = [r["latency_ms"] for r in records if r.get("latency_ms") is not None]
    overall["latency_p50_ms"] = percentile(lat, 50)
    overall["latency_p95_ms"] = percentile(lat, 95)
    ci = {m: block(v) for m, v in vals.items()}
    order = ANSWERABLE_TYPES + ("unanswerable", "injection")
    types = sorted({r["type"] for r in records}, key=lambda t: order.index(t) if t in order else 99)
    by_type = {}
    for t in types:
        recs = [r for r in records if r["type"] == t]
        tv = metric_values(recs, k)
        tl = [r["latency_ms"] for r in recs if r.get("latency_ms") is not None]
        by_type[t] = {"n": len(recs), "metrics": {m: block(v) for m, v in tv.items() if v},
                      "latency_p50_ms": percentile(tl, 50)}
    curves = {"ours": {"recall": curve_mean([r["curve"]["recall"] for r in records if r.get("curve")]),
                       "hit": curve_mean([r["curve"]["hit"] for r in records if r.get("curve")])}}
    base: dict[str, dict] = {}
    ratios: dict[str, dict] = {}
    for name in baselines:
        brecs = [r["baselines"][name] for r in records if name in r.get("baselines", {})]
        names = [f"hit@{k}", "mrr", f"recall@{k}", f"ndcg@{k}", "hit@budget", "recall@budget",
                 "key_fact_recall_top1"]
        base[name] = {m: mean([b["metrics"].get(m) for b in brecs]) for m in names}
        curves[name] = {"recall": curve_mean([b["curve"]["recall"] for b in brecs if b.get("curve")]),
                        "hit": curve_mean([b["curve"]["hit"] for b in brecs if b.get("curve")])}
        ours = {**overall, "key_fact_recall_top1": overall.get("key_fact_recall")}
        ratios[name] = {m: (ours[m] / base[name][m]) if ours.get(m) is not None and base[name][m] else None
                        for m in names}
    return {
        "n_items": len(records),
        "n_by_type": {t: by_type[t]["n"] for t in types},
        "overall": overall,
        "ci": ci,
        "by_type": by_type,
        "curves": curves,
        "baselines": base,
        "ratios": ratios,
        "abstention_curve": abstention_curve(records),
        "failures": sum(1 for r in records if not r["passed"]),
        "errors": sum(1 for r in records if r.get("error")),
    }


def fmt(v, pct: bool = False) -> str:
    """A metric value for tables."""
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (int, float)):
        return f"{v:.3f}" if not pct else f"{v:.0%}"
    return str(v)


def fmt_ci(b: dict | None) -> str:
    """'0.812 [0.70, 0.91]' for a {mean, lo, hi} block."""
    if not b or b.get("mean") is None:
        return "—"
    if b.get("lo") is None:
        return f"{b['mean']:.3f}"
    return f"{b['mean']:.3f} [{b['lo']:.2f}, {b['hi']:.2f}]"
