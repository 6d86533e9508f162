"""The one-page plan as a PDF that always prints on one page: it is laid out at full size first; when it runs over,
the type and spacing shrink step by step, and only then are long lists shortened ("+2 more") and quotes cut — so
the board sees everything a page can hold, at the largest size that fits."""

from __future__ import annotations

from assistant.facilitation.onepager import NOT_PLANNED, OnePager
from assistant.facilitation.pdf_layout import Layout, Span
from assistant.text.clean import shorten

MUTED = (75, 85, 99)
ACCENT = (29, 78, 216)
SCALES = (1.0, 0.94, 0.88, 0.82, 0.76, 0.7)
WIDTHS = [30, 20, 28, 22]


def to_pdf(p: OnePager) -> bytes:
    """The page at the largest scale that fits (see module docstring)."""
    pdf = None
    for compact in (False, True):
        for scale in SCALES:
            pdf = _page(p, scale, compact)
            if pdf.page == 1:
                return bytes(pdf.output())
    return bytes(pdf.output())


def _short(cell: str, compact: bool) -> str:
    """A table cell, at most two entries when compact ("+1 more")."""
    entries = cell.split("\n")
    if not compact or len(entries) <= 2:
        return cell
    return "\n".join(entries[:2] + [f"+{len(entries) - 2} more"])


def _page(p: OnePager, s: float, compact: bool) -> Layout:
    pdf = Layout(p.title, f"{p.title} — one-page plan")
    pdf.set_margins(16, 14, 16)
    pdf.bottom = pdf.h - 16
    pdf.add_page()
    pdf.paragraph([Span(p.title, "B", (17, 24, 39))], size=16 * s, after=0.6 * s)
    pdf.paragraph([Span(p.subtitle, "", MUTED)], size=9 * s, after=2.5 * s)
    pdf.paragraph([Span("Goal: ", "B", ACCENT), Span(p.goal, "B")], size=11 * s, fill=(239, 246, 255), after=2.5 * s)

    _heading(pdf, "Our theory of action", s)
    pdf.paragraph([Span(p.statement)], size=10 * s, after=2.5 * s)

    _heading(pdf, "Our bets", s)
    rows = [[row[0]] + [_short(c, compact) for c in row[1:]] for row in p.bets]
    if rows:
        pdf.table(p.bets_head, rows, WIDTHS, size=9 * s)
        pdf.set_y(pdf.get_y() - 3 + 1.5 * s)

    _heading(pdf, "Next 90-day cycle", s)
    if p.cycle:
        pdf.paragraph([Span(p.cycle_title, "B")], size=10 * s, after=1 * s)
        for label, value in p.cycle:
            pdf.paragraph([Span(f"{label}: ", "B"), Span(value)], size=9.5 * s, indent=1, after=0.8 * s, bullet="•")
    else:
        pdf.paragraph([Span(NOT_PLANNED, "I", MUTED)], size=9.5 * s)
    pdf.set_y(pdf.get_y() + 1.5 * s)

    _heading(pdf, "The passages this plan rests on", s)
    for n, label, quote in p.sources:
        text = shorten(quote, 28) if compact else quote
        pdf.paragraph([Span(f"[{n}] ", "B", ACCENT), Span(f"“{text}”"), Span(f" — {label}", "", MUTED)],
                      size=8.5 * s, after=1.2 * s)
    pdf.paragraph([Span("Numbers match the full theory of action, which lists every source with its place in the "
                        "document.", "I", MUTED)], size=8 * s, after=0)
    return pdf


def _heading(pdf: Layout, text: str, s: float) -> None:
    pdf.heading(text, size=12 * s, before=1.5 * s, follow=8 * s)
