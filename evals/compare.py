"""Compare a run with a previous run folder: per-metric deltas, regressed and improved items."""

from __future__ import annotations

import json
from pathlib import Path

from evals.aggregate import LOWER_IS_BETTER

KEY_METRICS = ("mrr", "key_fact_recall", "citation_precision", "supported_share", "abstained")
NOTABLE = 0.25
VISIBLE = 5e-4  # smaller deltas print as +0.000 and are not called better or worse  # a same-verdict item is listed as changed when a key metric moves this much


def load_run(run_dir: Path) -> tuple[dict, list[dict]]:
    """summary.json and results.jsonl of a run folder."""
    run_dir = Path(run_dir)
    summary_path = run_dir / "summary.json"
    if not summary_path.exists():
        raise FileNotFoundError(f"{run_dir}: no summary.json (not an eval run folder)")
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    results = run_dir / "results.jsonl"
    records = [json.loads(x) for x in results.read_text(encoding="utf-8").splitlines() if x.strip()] \
        if results.exists() else []
    return summary, records


def _key_metrics(rec: dict) -> dict:
    m = rec.get("metrics", {})
    keys = [k for k in m if k.startswith("hit@")] + list(KEY_METRICS)
    return {k: m.get(k) for k in keys}


def compare_runs(prev_summary: dict, prev_records: list[dict], summary: dict, records: list[dict],
                 prev_dir: str = "") -> dict:
    """Deltas of every shared overall metric, and items whose verdict or key metrics changed."""
    deltas = {}
    before, after = prev_summary.get("overall", {}), summary.get("overall", {})
    for m, v in after.items():
        b = before.get(m)
        if isinstance(v, (int, float)) and isinstance(b, (int, float)):
            d = v - b
            better = (d < 0) if m in LOWER_IS_BETTER else (d > 0)
            deltas[m] = {"before": b, "after": v, "delta": d, "better": better if abs(d) >= VISIBLE else None}
    prev = {r["id"]: r for r in prev_records}
    cur = {r["id"]: r for r in records}
    regressed, improved, changed = [], [], []
    for i, r in cur.items():
        p = prev.get(i)
        if p is None:
            continue
        km_b, km_a = _key_metrics(p), _key_metrics(r)
        moves = {k: [km_b.get(k), km_a.get(k)] for k in km_a if km_b.get(k) != km_a.get(k)}
        entry = {"id": i, "type": r.get("type"), "before_pass": p.get("passed"), "after_pass": r.get("passed"),
                 "changes": moves, "fail_reasons": r.get("fail_reasons", [])}
        if p.get("passed") and not r.get("passed"):
            regressed.append(entry)
        elif not p.get("passed") and r.get("passed"):
            improved.append(entry)
        elif any(isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool)
                 and abs(a - b) >= NOTABLE for b, a in moves.values()):
            changed.append(entry)
    return {
        "previous": str(prev_dir),
        "deltas": deltas,
        "regressed": regressed,
        "improved": improved,
        "changed": changed,
        "new_items": sorted(set(cur) - set(prev)),
        "missing_items": sorted(set(prev) - set(cur)),
    }


def _change_text(changes: dict) -> str:
    parts = []
    for k, (b, a) in changes.items():
        f = (lambda x: "—" if x is None else (str(x) if isinstance(x, bool) else f"{x:.2f}"))
        parts.append(f"{k} {f(b)}→{f(a)}")
    return "; ".join(parts)


def format_text(cmp: dict) -> str:
    """Plain-text comparison for the terminal and report.md."""
    lines = [f"Compared with {cmp['previous']}", "", "metric                      before    after     delta"]
    for m, d in cmp["deltas"].items():
        mark = "" if d["better"] is None else (" (better)" if d["better"] else " (worse)")
        lines.append(f"{m:26} {d['before']:9.3f} {d['after']:9.3f} {d['delta']:+9.3f}{mark}")
    for title, key in (("Regressed (pass → fail)", "regressed"), ("Improved (fail → pass)", "improved"),
                       ("Changed (same verdict, key metric moved ≥ 0.25)", "changed")):
        lines += ["", f"{title}: {len(cmp[key])}"]
        for e in cmp[key]:
            reasons = f" — {'; '.join(e['fail_reasons'])}" if e.get("fail_reasons") else ""
            lines.append(f"  {e['id']} [{e['type']}] {_change_text(e['changes'])}{reasons}")
    if cmp["new_items"]:
        lines += ["", f"New items: {', '.join(cmp['new_items'])}"]
    if cmp["missing_items"]:
        lines += ["", f"Items no longer in the gold set: {', '.join(cmp['missing_items'])}"]
    return "\n".join(lines)
