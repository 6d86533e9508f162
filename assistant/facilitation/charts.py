"""Slide-ready charts of a self-assessment (matplotlib, Agg backend, PNG bytes): current vs goal by area of focus,
an indicator heat map, and growth between two assessments."""

from __future__ import annotations

import io
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402

from assistant.facilitation.assessment import (  # noqa: E402
    Assessment, Comparison, default_scale, group_of, rated_items, scale_named, scale_words, summary)
from assistant.facilitation.library import Library  # noqa: E402

CURRENT = "#2563eb"
GOAL = "#f59e0b"
BEFORE = "#94a3b8"
LEVEL_COLOURS = ["#e5e7eb", "#fde68a", "#93c5fd", "#34d399", "#059669"]  # not rated, then levels low -> high


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=130, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return buf.getvalue()


def _wrap(label: str, width: int = 34) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def _scale(scale: str) -> dict[int, str]:
    return scale_named(scale)


def area_chart(assessment: Assessment, lib: Library, scale: str | None = None) -> bytes:
    """Horizontal bars: average current level (and goal, when set) per area of focus / lever."""
    scale = scale or default_scale()
    rows = summary(assessment, lib, scale)
    levels = _scale(scale)
    fig, ax = plt.subplots(figsize=(9, 0.9 + 0.75 * len(rows)))
    y = list(range(len(rows)))[::-1]
    cur = [r.current or 0 for r in rows]
    goal = [r.goal or 0 for r in rows]
    has_goal = any(r.goal is not None for r in rows)
    h = 0.38 if has_goal else 0.6
    ax.barh([v + (h / 2 if has_goal else 0) for v in y], cur, height=h, color=CURRENT, label="Current (average)")
    if has_goal:
        ax.barh([v - h / 2 for v in y], goal, height=h, color=GOAL, label="Goal (average)")
    for r, v in zip(rows, y):
        note = f"{r.current:.1f}" if r.current is not None else "not rated"
        ax.text((r.current or 0) + 0.04, v + (h / 2 if has_goal else 0), f"{note}  ({r.rated}/{r.items} rated)",
                va="center", fontsize=8, color="#1f2937")
    ax.set_yticks(y, [_wrap(r.label) for r in rows], fontsize=9)
    top = max(levels)
    ax.set_xlim(0, top + 0.9)
    _level_axis(ax, levels)
    what = scale_words(scale)[1]
    ax.set_title(f"{assessment.district or assessment.title}: level by {what}"
                 + (f" ({assessment.date})" if assessment.date else ""), fontsize=11)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    return _png(fig)


def heatmap(assessment: Assessment, lib: Library, scale: str | None = None) -> bytes:
    """One row per area, one cell per indicator (numbered), coloured by its current level."""
    scale = scale or default_scale()
    catalog = lib.catalog
    members = rated_items(catalog, scale)
    levels = _scale(scale)
    groups: dict[str, list] = {}
    for item in members:
        g = group_of(catalog, item.id)
        groups.setdefault(g.label if g else "", []).append(item)
    width = max(len(v) for v in groups.values())
    fig, ax = plt.subplots(figsize=(1.2 + 0.62 * width + 3.2, 0.6 + 0.55 * len(groups)))
    colours = LEVEL_COLOURS[: len(levels) + 1]
    cmap = ListedColormap(colours)
    base = min(levels)
    grid, labels = [], []
    for name, items in groups.items():
        row, lab = [], []
        for item in items:
            r = assessment.ratings.get(item.id)
            row.append(0 if r is None or r.current is None else r.current - base + 1)
            lab.append(item.number)
        grid.append(row + [float("nan")] * (width - len(row)))
        labels.append(lab)
    ax.imshow(grid, cmap=cmap, vmin=-0.5, vmax=len(colours) - 0.5, aspect="auto")
    for i, lab in enumerate(labels):
        for j, text in enumerate(lab):
            ax.text(j, i, text, ha="center", va="center", fontsize=8, color="#111827")
    ax.set_yticks(range(len(groups)), [_wrap(n, 36) for n in groups], fontsize=8)
    ax.set_xticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    from matplotlib.patches import Patch

    handles = [Patch(color=colours[0], label="Not rated")] + [
        Patch(color=colours[k - base + 1], label=levels[k]) for k in sorted(levels)]
    ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    ax.set_title(f"Current level of each {scale_words(scale)[0]}", fontsize=11)
    return _png(fig)


def growth_chart(comparison: Comparison, before_label: str = "Before", after_label: str = "After",
                 scale: str | None = None) -> bytes:
    """Average level per area in two assessments, side by side."""
    scale = scale or default_scale()
    rows = comparison.groups
    levels = _scale(scale)
    fig, ax = plt.subplots(figsize=(9, 0.9 + 0.75 * len(rows)))
    y = list(range(len(rows)))[::-1]
    h = 0.38
    ax.barh([v + h / 2 for v in y], [b or 0 for _, b, _ in rows], height=h, color=BEFORE, label=before_label)
    ax.barh([v - h / 2 for v in y], [a or 0 for _, _, a in rows], height=h, color=CURRENT, label=after_label)
    for (label, b, a), v in zip(rows, y):
        if a is not None and b is not None:
            ax.text(max(a, b) + 0.05, v, f"{a - b:+.1f}", va="center", fontsize=8, color="#1f2937")
    ax.set_yticks(y, [_wrap(label) for label, _, _ in rows], fontsize=9)
    ax.set_xlim(0, max(levels) + 0.6)
    _level_axis(ax, levels)
    ax.set_title("Growth by area of focus", fontsize=11)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    return _png(fig)


def _level_axis(ax, levels: dict) -> None:
    """Level names as x ticks, light vertical grid, no top/right frame (shared by the bar charts)."""
    ticks = [k for k in sorted(levels) if k > 0]
    ax.set_xticks(ticks, [_wrap(levels[k], 12) for k in ticks], fontsize=8)
    ax.grid(axis="x", color="#e5e7eb")
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
