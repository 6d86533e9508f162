"""The driver diagram as an SVG drawing for the page (and a download): boxes, column headings and connectors from
diagram_layout, text as real text (selectable, read by screen readers), each cited box titled with its sources,
and the diagram as a plain list beside it for anyone who cannot see the drawing."""

from __future__ import annotations

import html

from assistant.facilitation.diagram_layout import Style, layout
from assistant.facilitation.plan_parts import DriverDiagram

SCREEN = Style(width=1160, font=14, head=14.5)
FONTS = "'DejaVu Sans', Verdana, 'Segoe UI', Arial, sans-serif"
TONES = {  # kind -> (fill, border, text)
    "aim": ("#1e3a8a", "#1e3a8a", "#ffffff"),
    "primary": ("#dbeafe", "#1d4ed8", "#111827"),
    "secondary": ("#ffffff", "#475569", "#111827"),
    "change": ("#fef3c7", "#b45309", "#111827"),
}
EMPTY_TONE = ("#f8fafc", "#64748b", "#334155")
MARK = {"aim": "#bfdbfe"}  # citation markers on a dark box
ACCENT = "#1d4ed8"
LINE = "#64748b"
MARGIN = 4  # room for the outermost boxes' borders


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def to_svg(diagram: DriverDiagram, sources=None, style: Style = SCREEN) -> str:
    """The diagram as a standalone SVG document; `sources(n)` gives citation n's SourceRef for box tooltips."""
    lay = layout(diagram, style)
    s = lay.style
    w, h = lay.width + 2 * MARGIN, lay.height + 2 * MARGIN
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0f} {h:.0f}" width="{w:.0f}" height="{h:.0f}" '
           f'role="img" aria-labelledby="dd-title" font-family="{_e(FONTS)}" class="driver-diagram">',
           f'<title id="dd-title">{_e(_summary(diagram))}</title>',
           f'<rect width="{w:.0f}" height="{h:.0f}" fill="#ffffff"/><g transform="translate({MARGIN},{MARGIN})">']
    for x, y, lines in lay.heads:
        out.append(_text(x, y, lines, s.head, s.leading, "#1e3a8a", bold=True))
    out += [f'<line x1="{a:.1f}" y1="{b:.1f}" x2="{c:.1f}" y2="{d:.1f}" stroke="{LINE}" stroke-width="1.6"/>'
            for a, b, c, d in lay.lines]
    for box in lay.boxes:
        fill, border, ink = EMPTY_TONE if box.empty else TONES[box.node.kind]
        dash = ' stroke-dasharray="5 4"' if box.empty else ""
        tip = _tip(box.node, sources) if sources and box.node.cites else ""
        flag = ' data-empty="1"' if box.empty else ""
        out.append(f'<g class="dd-{box.node.kind}"{flag}>{tip}'
                   f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" rx="6" '
                   f'fill="{fill}" stroke="{border}" stroke-width="1.4"{dash}/>')
        out.append(_text(box.x + s.pad, box.y + s.pad, box.lines, s.font, s.leading, ink,
                         bold=box.node.kind in ("aim", "primary"), italic=box.empty, marker=box.marker,
                         mark_colour=MARK.get(box.node.kind, ACCENT)))
        out.append("</g>")
    out.append("</g></svg>")
    return "".join(out)


def _text(x: float, y: float, lines: list[str], size: float, leading: float, colour: str, bold: bool = False,
          italic: bool = False, marker: str = "", mark_colour: str = ACCENT) -> str:
    """Lines of text from (x, y) (the top of the first line); the marker follows the last line."""
    weight = ' font-weight="700"' if bold else ""
    style = ' font-style="italic"' if italic else ""
    spans = []
    for k, line in enumerate(lines):
        dy = size * 0.95 if k == 0 else size * leading
        spans.append(f'<tspan x="{x:.1f}" dy="{dy:.1f}">{_e(line)}</tspan>')
    if marker:
        spans.append(f'<tspan fill="{mark_colour}" font-size="{size * 0.8:.1f}" font-weight="700"> {_e(marker)}</tspan>')
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:.1f}" fill="{colour}"{weight}{style}>{"".join(spans)}</text>'


def _tip(node, sources) -> str:
    parts = []
    for n in node.cites:
        ref = sources(n)
        parts.append(f"[{n}] {ref.label}: “{ref.text[:220]}”")
    return f"<title>{_e(' '.join(parts))}</title>"


def _summary(diagram: DriverDiagram) -> str:
    bets = "; ".join(b.primary.text for b in diagram.bands)
    return f"Driver diagram. Aim: {diagram.aim.text or 'not written yet'}. Primary drivers: {bets or 'none yet'}."


def outline_html(diagram: DriverDiagram) -> str:
    """The diagram as a nested list (the same content, for reading without the drawing)."""
    def marks(node) -> str:
        return f' <sup>{"".join(f"[{n}]" for n in node.cites)}</sup>' if node.cites else ""

    items = []
    for band in diagram.bands:
        sec = "".join(f"<li>{_e(n.text)}{marks(n)}</li>" for n in band.secondaries) or "<li><em>none named yet</em></li>"
        chg = "".join(f"<li>{_e(n.text)}</li>" for n in band.changes) or "<li><em>none written yet</em></li>"
        items.append(f"<li><strong>Primary driver {band.number}: {_e(band.primary.text)}</strong>{marks(band.primary)}"
                     f"<ul><li>Secondary drivers<ul>{sec}</ul></li><li>Change ideas<ul>{chg}</ul></li></ul></li>")
    return (f'<p><strong>Aim:</strong> {_e(diagram.aim.text or "not written yet")}</p>'
            f'<ul class="dd-outline">{"".join(items)}</ul>')
