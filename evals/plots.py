"""Report figures as PNG bytes (matplotlib, Agg backend; no display needed)."""

from __future__ import annotations

import io

PLOT_METRICS = ("pass_rate", "mrr", "key_fact_recall", "citation_precision", "supported_share")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    _pyplot().close(fig)
    return buf.getvalue()


def recall_curve(curves: dict[str, dict[str, list[float]]]) -> bytes:
    """recall@k for k = 1..10: the pipeline and every baseline."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.6))
    for name, c in curves.items():
        ys = c.get("recall") or []
        if ys:
            ax.plot(range(1, len(ys) + 1), ys, marker="o", label=name, linewidth=2 if name == "ours" else 1.2)
    ax.set_xlabel("k (passages retrieved)")
    ax.set_ylabel("recall@k")
    ax.set_ylim(0, 1.02)
    ax.set_xticks(range(1, 11))
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    ax.set_title("Gold-evidence recall by k")
    return _png(fig)


def metrics_by_type(by_type: dict[str, dict], metrics=PLOT_METRICS) -> bytes:
    """Grouped bars: a few key metrics for every question type (with CI whiskers)."""
    plt = _pyplot()
    types = list(by_type)
    fig, ax = plt.subplots(figsize=(max(6, 1.3 * len(types) + 2), 3.8))
    width = 0.8 / max(1, len(metrics))
    for j, m in enumerate(metrics):
        xs, ys, lo, hi = [], [], [], []
        for i, t in enumerate(types):
            b = by_type[t]["metrics"].get(m)
            if not b or b.get("mean") is None:
                continue
            xs.append(i + (j - (len(metrics) - 1) / 2) * width)
            ys.append(b["mean"])
            lo.append(b["mean"] - (b["lo"] if b["lo"] is not None else b["mean"]))
            hi.append((b["hi"] if b["hi"] is not None else b["mean"]) - b["mean"])
        if xs:
            ax.bar(xs, ys, width=width, label=m, yerr=[lo, hi], capsize=2)
    ax.set_xticks(range(len(types)))
    ax.set_xticklabels([f"{t}\n(n={by_type[t]['n']})" for t in types])
    ax.set_ylim(0, 1.05)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=7, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    ax.set_title("Metrics by question type (95% bootstrap CI)")
    return _png(fig)


def latency_histogram(latencies_ms: list[float]) -> bytes:
    """Distribution of per-item answer latency with p50/p95 lines."""
    import numpy as np

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.2))
    vals = [v for v in latencies_ms if v is not None]
    if vals:
        ax.hist(vals, bins=min(30, max(5, len(vals) // 3)), color="#4a7ab5")
        for q, style in ((50, "--"), (95, ":")):
            x = float(np.percentile(vals, q))
            ax.axvline(x, color="k", linestyle=style, label=f"p{q} = {x:.0f} ms")
        ax.legend()
    ax.set_xlabel("answer latency (ms)")
    ax.set_ylabel("items")
    ax.set_title("Answer latency")
    return _png(fig)


def abstention_curve(curve: list[dict], threshold: float | None = None) -> bytes:
    """False-refusal rate and decline rate against the refusal threshold (the calibration curve)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    xs = [p["threshold"] for p in curve]
    ax.plot(xs, [p["decline_rate"] for p in curve], label="unanswerable declined", color="#2563eb")
    ax.plot(xs, [p["false_refusal_rate"] for p in curve], label="answerable refused", color="#dc2626")
    if threshold is not None:
        ax.axvline(threshold, color="#6b7280", linestyle="--", label=f"threshold {threshold:.2f}")
    ax.set_xlabel("refuse below this confidence")
    ax.set_ylabel("share of questions")
    ax.set_ylim(0, 1.02)
    ax.legend(loc="center right", fontsize=9)
    ax.set_title("Abstention calibration")
    return _png(fig)


def all_plots(summary: dict, records: list[dict]) -> dict[str, bytes]:
    """Every report figure by file name."""
    figures = {
        "recall_curve.png": recall_curve(summary.get("curves", {})),
        "metrics_by_type.png": metrics_by_type(summary.get("by_type", {})),
        "latency.png": latency_histogram([r.get("latency_ms") for r in records]),
    }
    if summary.get("abstention_curve"):
        figures["abstention_curve.png"] = abstention_curve(summary["abstention_curve"],
                                                           summary.get("abstention_threshold"))
    return figures
