"""Slide-ready charts of a self-assessment (matplotlib, Agg backend, PNG bytes): current vs goal by area of focus,
each rated indicator by name, and growth between two assessments.

Charts are drawn for a full-width place on the page (WIDTH_IN × DPI pixels) with no text smaller than MIN_FONT_PT,
so labels read at 12 px or more when shown at their width; every PNG states its smallest text size in pixels in a
"min-font-px" text chunk, so a test can check what a reader sees.
"""

from __future__ import annotations

import base64
import html
import io
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from assistant.facilitation.assessment import (  # noqa: E402
    Assessment, Comparison, default_scale, group_of, item_text, rated_items, scale_named, scale_words, summary)
from assistant.facilitation.library import Library  # noqa: E402

CURRENT = "#1d4ed8"
GOAL = "#d97706"
BEFORE = "#94a3b8"
INK = "#111827"
WIDTH_IN = 13.0
DPI = 100
MIN_FONT_PT = 12.5
LABEL_PT = 13.5
TITLE_PT = 17


def _png(fig) -> bytes:
    smallest = min((t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()),
                   default=MIN_FONT_PT)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor="white",
                metadata={"min-font-px": f"{smallest * DPI / 72:.1f}"})
    plt.close(fig)
    return buf.getvalue()


def min_font_px(png: bytes) -> float:
    """The smallest text size of a chart, in pixels at its own resolution (from its PNG text chunk)."""
    from PIL import Image

    return float(Image.open(io.BytesIO(png)).text["min-font-px"])


def chart_html(png: bytes, alt: str, elem: str = "") -> str:
    """A chart for the page: as wide as its column, with its description for screen readers."""
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure class="fac-chart"{f" id={elem!r}" if elem else ""}><img src="data:image/png;base64,{data}" '
            f'alt="{html.escape(alt, quote=True)}" style="width:100%;height:auto;display:block"></figure>')


def _wrap(label: str, width: int = 40) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def _scale(scale: str) -> dict[int, str]:
    return scale_named(scale)


def area_chart(assessment: Assessment, lib: Library, scale: str | None = None) -> bytes:
    """Horizontal bars: average current level (and goal, when set) per area of focus / lever."""
    scale = scale or default_scale()
    rows = summary(assessment, lib, scale)
    levels = _scale(scale)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 1.6 + 1.05 * len(rows)))
    y = list(range(len(rows)))[::-1]
    has_goal = any(r.goal is not None for r in rows)
    h = 0.38 if has_goal else 0.6
    ax.barh([v + (h / 2 if has_goal else 0) for v in y], [r.current or 0 for r in rows], height=h, color=CURRENT,
            label="Current (average)")
    if has_goal:
        ax.barh([v - h / 2 for v in y], [r.goal or 0 for r in rows], height=h, color=GOAL, label="Goal (average)")
    for r, v in zip(rows, y):
        note = f"{r.current:.1f}" if r.current is not None else "not rated"
        ax.text((r.current or 0) + 0.04, v + (h / 2 if has_goal else 0), f"{note}  ({r.rated}/{r.items} rated)",
                va="center", fontsize=MIN_FONT_PT, color=INK)
    ax.set_yticks(y, [_wrap(r.label) for r in rows], fontsize=LABEL_PT)
    ax.set_xlim(0, max(levels) + 1.1)
    _level_axis(ax, levels)
    what = scale_words(scale)[1]
    ax.set_title(f"{assessment.district or assessment.title}: level by {what}"
                 + (f" ({assessment.date})" if assessment.date else ""), fontsize=TITLE_PT, loc="left")
    ax.legend(loc="lower right", fontsize=LABEL_PT, frameon=False)
    fig.tight_layout()
    return _png(fig)


def heatmap(assessment: Assessment, lib: Library, scale: str | None = None) -> bytes:
    """Each rated indicator (or condition) by name, grouped by area: where it is now and where the team wants it."""
    scale = scale or default_scale()
    catalog = lib.catalog
    members = rated_items(catalog, scale)
    levels = _scale(scale)
    rated = [i for i in members if i.id in assessment.ratings]
    rows: list[tuple[str, object]] = []  # (label, item or None for an area heading)
    last = None
    for item in rated:
        g = group_of(catalog, item.id)
        if g is not None and g.id != last:
            rows.append((g.label, None))
            last = g.id
        rows.append((f"{item.number} — {item_text(lib, item.id)}", item))
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 1.8 + 0.62 * max(1, len(rows))))
    if not rated:
        ax.text(0.5, 0.5, f"No {scale_words(scale)[0]} rated yet", ha="center", va="center", fontsize=LABEL_PT, color=INK,
                transform=ax.transAxes)
        ax.set_axis_off()
        return _png(fig)
    y = list(range(len(rows)))[::-1]
    for (label, item), v in zip(rows, y):
        if item is None:
            continue
        r = assessment.ratings[item.id]
        if r.current is not None and r.goal is not None and r.goal != r.current:
            ax.annotate("", xy=(r.goal, v), xytext=(r.current, v),
                        arrowprops={"arrowstyle": "->", "color": "#6b7280", "lw": 1.6})
        if r.current is not None:
            ax.plot([r.current], [v], "o", color=CURRENT, markersize=11)
        if r.goal is not None:
            ax.plot([r.goal], [v], "D", color=GOAL, markersize=10)
    labels = [_wrap(label, 62) for label, _ in rows]
    ax.set_yticks(y, labels, fontsize=MIN_FONT_PT)
    for tick, (_, item) in zip(ax.get_yticklabels(), rows):
        if item is None:
            tick.set_fontweight("bold")
            tick.set_fontsize(LABEL_PT)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlim(min(levels) - 0.3, max(levels) + 0.3)
    _level_axis(ax, levels, start=min(levels))
    ax.plot([], [], "o", color=CURRENT, label="Where we are now")
    ax.plot([], [], "D", color=GOAL, label="Our goal")
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=LABEL_PT, frameon=False)
    ax.set_title(f"Each rated {scale_words(scale)[0]}: now and goal", fontsize=TITLE_PT, loc="left", pad=38)
    fig.tight_layout()
    return _png(fig)


def growth_chart(comparison: Comparison, before_label: str = "Before", after_label: str = "After",
                 scale: str | None = None) -> bytes:
    """Average level per area in two assessments, side by side."""
    scale = scale or default_scale()
    rows = comparison.groups
    levels = _scale(scale)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 1.6 + 1.05 * len(rows)))
    y = list(range(len(rows)))[::-1]
    h = 0.38
    ax.barh([v + h / 2 for v in y], [b or 0 for _, b, _ in rows], height=h, color=BEFORE, label=before_label)
    ax.barh([v - h / 2 for v in y], [a or 0 for _, _, a in rows], height=h, color=CURRENT, label=after_label)
    for (label, b, a), v in zip(rows, y):
        if a is not None and b is not None:
            ax.text(max(a, b) + 0.05, v, f"{a - b:+.1f}", va="center", fontsize=MIN_FONT_PT, color=INK)
    ax.set_yticks(y, [_wrap(label) for label, _, _ in rows], fontsize=LABEL_PT)
    ax.set_xlim(0, max(levels) + 0.8)
    _level_axis(ax, levels)
    ax.set_title(f"Growth by {scale_words(scale)[1]}", fontsize=TITLE_PT, loc="left")
    ax.legend(loc="lower right", fontsize=LABEL_PT, frameon=False)
    fig.tight_layout()
    return _png(fig)


def _level_axis(ax, levels: dict, start: int = 1) -> None:
    """Level names as x ticks, light vertical grid, no top/right frame (shared by the charts)."""
    ticks = [k for k in sorted(levels) if k >= start]
    ax.set_xticks(ticks, [_wrap(levels[k], 14) for k in ticks], fontsize=MIN_FONT_PT)
    ax.grid(axis="x", color="#e5e7eb")
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
