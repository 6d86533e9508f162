"""The improvement-plan sections of the PDF export: the driver diagram drawn as vector graphics from diagram_layout
(real, searchable text; kept whole on one page — it opens the next page when it does not fit, while the text after
it fills this one), the 90-day cycles with their study/act logs, and the readiness table with flagged scores."""

from __future__ import annotations

from assistant.facilitation.diagram_layout import DiagramLayout, Style, layout
from assistant.facilitation.diagram_svg import ACCENT, EMPTY_TONE, LINE, MARK, TONES
from assistant.facilitation.pdf_layout import PT, Layout, Span

MUTED = (75, 85, 99)
LOG_WIDTHS = [12, 30, 30, 14]
FONT_STEPS = (8.0, 7.5, 7.0, 6.5, 6.0)  # the diagram's text size, shrunk only when it would not fit a page


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _fitting(pdf: Layout, diagram) -> DiagramLayout:
    """The diagram laid out across the text width, at the largest size that fits one page below its heading."""
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / PT
    room = (pdf.bottom - pdf.t_margin - 14) / PT
    for size in FONT_STEPS:
        lay = layout(diagram, Style(width=width, font=size, head=size + 0.5))
        if lay.height <= room:
            return lay
    return lay


def draw_diagram(pdf: Layout, lay: DiagramLayout, x0: float, y0: float) -> None:
    """Draw a laid-out diagram (units: points) with its top-left corner at (x0, y0) mm."""
    s = lay.style

    def mm(v: float) -> float:
        return v * PT

    for x, y, lines in lay.heads:
        pdf.set_font(pdf.family, "B", s.head)
        pdf.set_text_color(*_rgb("#1e3a8a"))
        for k, line in enumerate(lines):
            pdf.text(x0 + mm(x), y0 + mm(y + s.head * 0.95 + k * s.head * s.leading), pdf.t(line))
    pdf.set_draw_color(*_rgb(LINE))
    pdf.set_line_width(0.3)
    for a, b, c, d in lay.lines:
        pdf.line(x0 + mm(a), y0 + mm(b), x0 + mm(c), y0 + mm(d))
    for box in lay.boxes:
        fill, border, ink = EMPTY_TONE if box.empty else TONES[box.node.kind]
        pdf.set_fill_color(*_rgb(fill))
        pdf.set_draw_color(*_rgb(border))
        if box.empty:
            pdf.set_dash_pattern(dash=1.2, gap=0.9)
        pdf.rect(x0 + mm(box.x), y0 + mm(box.y), mm(box.w), mm(box.h), style="DF", round_corners=True,
                 corner_radius=1.2)
        pdf.set_dash_pattern()
        style = "B" if box.node.kind in ("aim", "primary") else ("I" if box.empty else "")
        pdf.set_font(pdf.family, style, s.font)
        pdf.set_text_color(*_rgb(ink))
        y = box.y + s.pad + s.font * 0.95
        for line in box.lines:
            pdf.set_font(pdf.family, style, s.font)
            pdf.text(x0 + mm(box.x + s.pad), y0 + mm(y), pdf.t(line))
            y += s.font * s.leading
        if box.marker:
            last = pdf.get_string_width(pdf.t((box.lines[-1] if box.lines else "") + " "))
            pdf.set_font(pdf.family, "B", s.font * 0.8)
            pdf.set_text_color(*_rgb(MARK.get(box.node.kind, ACCENT)))
            pdf.text(x0 + mm(box.x + s.pad) + last, y0 + mm(y - s.font * s.leading), pdf.t(box.marker))


def diagram_section(pdf: Layout, o) -> None:
    """The heading, the diagram and a one-line key, kept together (see Layout.float_block)."""
    if o.plan is None:
        return
    lay = _fitting(pdf, o.plan.diagram)
    key = [Span("Aim → primary drivers (our bets) → secondary drivers (what carries each bet) → change ideas "
                "(what we will try).", "", MUTED)]
    head_h = pdf.measure([Span("Driver diagram", "B")], 13) + 6
    key_h = pdf.measure(key, 8.5) + 3
    height = head_h + lay.height * PT + 3 + key_h

    def draw(y: float) -> None:
        pdf.set_y(y)
        pdf.heading("Driver diagram", follow=0)
        top = pdf.get_y() + 1
        draw_diagram(pdf, lay, pdf.l_margin, top)
        pdf.set_y(top + lay.height * PT + 2)
        pdf.paragraph(key, size=8.5, after=1)

    pdf.float_block(height, draw)


def plan_sections(pdf: Layout, o) -> None:
    """The 90-day cycles and the readiness checks."""
    p = o.plan
    if p is None:
        return
    if p.cycles:
        intro = [Span(p.cycles_intro)]
        pdf.heading("90-day cycles", follow=pdf.measure(intro, 10) + 12)
        pdf.paragraph(intro, size=10)
        for c in p.cycles:
            items = [[Span(f"{label}: ", "B"), Span(value)] for label, value in c.fields]
            pdf.heading(c.heading + (" — next" if c.next else ""), size=11, before=2,
                        follow=sum(pdf.measure(i, 10, indent=6) for i in items[:3]))
            for spans in items:
                pdf.paragraph(spans, size=10, indent=2, after=1.2, bullet="•")
            if c.log:
                pdf.paragraph([Span("Study and act log", "B")], size=9.5, after=1)
                pdf.table(p.LOG_HEAD, c.log, LOG_WIDTHS)
    if p.readiness:
        widths = [24, 9, 7, 12, 11, 12, 11, 10]
        pdf.heading("Readiness", follow=pdf.row_height(p.readiness_head, widths) + pdf.row_height(p.readiness[0], widths) + 8)
        pdf.paragraph([Span("Scores from 1 (not yet) to 5 (fully).", "", MUTED)], size=9.5, after=1.5)
        pdf.table(p.readiness_head, p.readiness, widths)
        for who, text in p.readiness_low:
            pdf.paragraph([Span(f"{who}: ", "B"), Span(text)], size=9.5, indent=2, after=1.4, bullet="•")
        for who, note in p.readiness_notes:
            pdf.paragraph([Span(f"{who} — note: ", "I", MUTED), Span(note)], size=9.5, indent=2, after=1.2, bullet="•")
