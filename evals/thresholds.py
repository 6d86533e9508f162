"""Quality gates: floors and ceilings from evals/thresholds.toml, checked against a run summary (`--check`)."""

from __future__ import annotations

import tomllib
from pathlib import Path

DEFAULT = Path(__file__).resolve().parent / "thresholds.toml"


def load(path: Path | None = None, split: str | None = None) -> dict[str, dict[str, float]]:
    """{"floors": {metric: min}, "ceilings": {metric: max}} for a split's section ([dev.floors] …); a file without
    sections (or a split it does not name) uses its top-level [floors]/[ceilings]."""
    data = tomllib.loads(Path(path or DEFAULT).read_text(encoding="utf-8"))
    section = data.get(split, data) if split else data
    if split and split not in data and not ("floors" in data or "ceilings" in data):
        raise ValueError(f"{Path(path or DEFAULT).name} has no thresholds for split {split!r}")
    return {"floors": {k: float(v) for k, v in section.get("floors", {}).items()},
            "ceilings": {k: float(v) for k, v in section.get("ceilings", {}).items()}}


def value(summary: dict, metric: str) -> float | None:
    """A summary metric by name; hit@N / recall@N fall back to the top-10 curves when the run used another k."""
    v = summary.get("overall", {}).get(metric)
    if v is not None:
        return v
    for name in ("hit", "recall"):
        if metric.startswith(name + "@"):
            curve = summary.get("curves", {}).get("ours", {}).get(name) or []
            n = int(metric.split("@", 1)[1])
            if 0 < n <= len(curve):
                return curve[n - 1]
    return None


def check(summary: dict, thresholds: dict) -> tuple[list[str], list[str]]:
    """(failures, notes): one line per metric below its floor / above its ceiling; notes for unmeasured metrics."""
    failures, notes = [], []
    for kind, sign in (("floors", 1), ("ceilings", -1)):
        for metric, bound in thresholds.get(kind, {}).items():
            v = value(summary, metric)
            if v is None:
                notes.append(f"{metric}: not measured by this run (no applicable items); not checked")
                continue
            if sign * (v - bound) < -1e-9:
                word = "below floor" if sign > 0 else "above ceiling"
                failures.append(f"{metric} = {v:.3f} {word} {bound:.3f}")
    return failures, notes
