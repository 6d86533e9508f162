"""Geometry of a driver diagram, computed once and drawn by each renderer (SVG on screen, the PDF, the PNG in the
Word file): four columns — aim, primary drivers, secondary drivers, change ideas — with one band per bet, every
box's text wrapped to its measured width (DejaVu Sans metrics, the font every renderer draws with first), and
connectors drawn as a "bus": a vertical line between two columns with a short horizontal stub to each box.

Units are whatever the caller's width and font size are in (pixels on screen, points in print).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from assistant.facilitation.plan_parts import DriverDiagram, Node

COLUMNS = ("Aim", "Primary drivers — our bets", "Secondary drivers — what carries each bet",
           "Change ideas — what we will try")
FRACTIONS = (0.2, 0.235, 0.29, 0.275)
EMPTY = {"secondary": "Secondary drivers not named yet", "change": "Change ideas not written yet",
         "aim": "The aim is not written yet"}
MAX_BOX_LINES = {"aim": 16, "primary": 6}  # longer text is cut (with "…") so one box never dwarfs the diagram
DEFAULT_LINES = 7


@dataclass(frozen=True)
class Style:
    width: float  # the whole diagram
    font: float  # box text size
    head: float = 0.0  # column heading size (default: the box text size)
    pad: float = 0.0  # inside a box (default: half the font size)
    gap: float = 0.0  # between columns, where the connectors run (default: 2.2 × font)
    vgap: float = 0.0  # between boxes of a column (default: 0.6 × font)
    band_gap: float = 0.0  # between bets (default: 1.2 × font)
    leading: float = 1.3  # line height as a multiple of the font size

    def filled(self) -> "Style":
        f = self.font
        return Style(self.width, f, self.head or f, self.pad or 0.5 * f, self.gap or 2.2 * f, self.vgap or 0.6 * f,
                     self.band_gap or 1.2 * f, self.leading)


@dataclass
class Box:
    node: Node
    x: float
    y: float
    w: float
    h: float
    lines: list[str]  # the wrapped text, without citation markers
    marker: str = ""  # "[3][4]", drawn right after the last line
    empty: bool = False  # stands for a part the team has not written yet

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass
class DiagramLayout:
    style: Style
    width: float
    height: float
    heads: list[tuple[float, float, list[str]]]  # (x, y of the first line's top, lines) per column
    boxes: list[Box] = field(default_factory=list)
    lines: list[tuple[float, float, float, float]] = field(default_factory=list)  # connector segments


# ---- text metrics --------------------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _font(bold: bool):
    from PIL import ImageFont

    from assistant.facilitation.pdf_layout import unicode_fonts

    fonts = unicode_fonts()
    if fonts is None:
        return None
    return ImageFont.truetype(str(fonts["B" if bold else ""]), 100)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of `text` set in DejaVu Sans at `size` (an estimate when the font is missing)."""
    font = _font(bold)
    if font is None:
        return 0.6 * size * len(text)
    return font.getlength(text) * size / 100


def wrap(text: str, width: float, size: float, bold: bool = False, marker: str = "",
         max_lines: int = DEFAULT_LINES) -> list[str]:
    """`text` broken into lines no wider than `width` (a word longer than a line is cut), the last line leaving room
    for `marker`; past `max_lines` the text is cut with "…"."""
    words = text.split()
    mark_w = text_width(" " + marker, size * 0.8, True) if marker else 0.0  # drawn after the last line
    lines: list[str] = []
    current = ""
    for k, word in enumerate(words):
        tail = mark_w if k == len(words) - 1 else 0.0
        while text_width(word, size, bold) + tail > width and len(word) > 1:  # a very long word
            cut = max(1, int(len(word) * width / (text_width(word, size, bold) + tail)))
            while cut > 1 and text_width(word[:cut], size, bold) > width:  # glyphs differ in width
                cut -= 1
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:cut])
            word = word[cut:]
        trial = f"{current} {word}".strip()
        if current and text_width(trial, size, bold) + tail > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_width(last + " …", size, bold) + mark_w > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines[-1] = last + " …"
    return lines


# ---- layout --------------------------------------------------------------------------------------------------
def layout(diagram: DriverDiagram, style: Style) -> DiagramLayout:
    """Boxes, column headings and connectors of the diagram at the style's width and font size."""
    s = style.filled()
    cols = [(s.width - 3 * s.gap) * f for f in FRACTIONS]
    xs = [sum(cols[:k]) + k * s.gap for k in range(4)]
    lh = s.font * s.leading
    heads = [(x, 0.0, wrap(title, w, s.head, True)) for x, w, title in zip(xs, cols, COLUMNS)]
    top = max(len(h[2]) for h in heads) * s.head * s.leading + s.vgap * 1.5
    out = DiagramLayout(s, s.width, 0.0, heads)

    def box(node: Node, col: int, y: float, empty: bool = False) -> Box:
        marker = "".join(f"[{n}]" for n in node.cites)
        bold = node.kind in ("aim", "primary")
        text = EMPTY.get(node.kind, "") if empty else node.text
        lines = wrap(text, cols[col] - 2 * s.pad, s.font, bold, "" if empty else marker,
                     MAX_BOX_LINES.get(node.kind, DEFAULT_LINES))
        return Box(node, xs[col], y, cols[col], len(lines) * lh + 2 * s.pad, lines, "" if empty else marker, empty)

    y = top
    primaries: list[Box] = []
    for band in diagram.bands:
        primary = box(band.primary, 1, 0)
        seconds = [box(n, 2, 0) for n in band.secondaries] or [box(Node("secondary", ""), 2, 0, empty=True)]
        changes = [box(n, 3, 0) for n in band.changes] or [box(Node("change", ""), 3, 0, empty=True)]
        heights = [primary.h, _stack(seconds, s.vgap), _stack(changes, s.vgap)]
        height = max(heights)
        primary.y = y + (height - primary.h) / 2
        _place(seconds, y + (height - heights[1]) / 2, s.vgap)
        _place(changes, y + (height - heights[2]) / 2, s.vgap)
        out.boxes += [primary, *seconds, *changes]
        primaries.append(primary)
        _bus(out, [primary], seconds, xs[2] - s.gap / 2)
        _bus(out, seconds, changes, xs[3] - s.gap / 2)
        y += height + s.band_gap
    bottom = y - s.band_gap if diagram.bands else top
    aim = box(diagram.aim, 0, 0, empty=not diagram.aim.text)
    aim.y = top + max(0.0, (bottom - top - aim.h) / 2)
    out.boxes.insert(0, aim)
    if primaries:
        _bus(out, [aim], primaries, xs[1] - s.gap / 2)
    out.height = max(bottom, aim.y + aim.h) + s.vgap
    return out


def _stack(boxes: list[Box], gap: float) -> float:
    return sum(b.h for b in boxes) + gap * (len(boxes) - 1)


def _place(boxes: list[Box], y: float, gap: float) -> None:
    for b in boxes:
        b.y = y
        y += b.h + gap


def _bus(out: DiagramLayout, left: list[Box], right: list[Box], x: float) -> None:
    """Connect every box on the left with every box on the right through one vertical line at `x`."""
    ys = [b.cy for b in left + right]
    out.lines.append((x, min(ys), x, max(ys)))
    out.lines += [(b.x + b.w, b.cy, x, b.cy) for b in left]
    out.lines += [(x, b.cy, b.x, b.cy) for b in right]
