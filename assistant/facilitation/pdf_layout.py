"""Page layout for printed documents on fpdf2: paragraphs of styled spans with superscript citation markers that
never break away from the word they follow, headings kept with what follows them, blocks that are never split
across pages, and tables whose rows stay whole (the header repeats on a new page). Everything is measured before it
is drawn, so page breaks are decided, not left to chance.

Text may hold citation sentinels (outline.CITE); `Span`s carry style, size and colour.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

from assistant.facilitation.outline import segments

FAMILY = "DejaVu Sans"
PT = 0.3528  # millimetres per point
LEADING = 1.38  # line height as a multiple of the font size
SUP = 0.68  # superscript size as a share of the text size
INK = (31, 41, 55)
ACCENT = (29, 78, 216)
_FOLD = {"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-", "…": "...", "•": "-", "✓": "[met]",
         "✗": "[missing]", "›": ">", "→": "->", "\u00a0": " ", "\u2009": " "}


def unicode_fonts() -> dict[str, Path] | None:
    """TTF files of DejaVu Sans for fpdf styles "", "B", "I" (regular stands in for a missing oblique), or None."""
    from matplotlib import font_manager

    def find(weight: str, style: str) -> Path | None:
        try:
            path = font_manager.findfont(font_manager.FontProperties(family=FAMILY, weight=weight, style=style),
                                         fallback_to_default=False)
        except ValueError:
            return None
        return Path(path) if Path(path).suffix.lower() == ".ttf" and Path(path).is_file() else None

    regular, bold = find("normal", "normal"), find("bold", "normal")
    if regular is None or bold is None:
        return None
    return {"": regular, "B": bold, "I": find("normal", "oblique") or regular}


@dataclass
class Span:
    text: str  # may hold citation sentinels
    style: str = ""  # "", "B", "I"
    colour: tuple[int, int, int] = INK


@dataclass
class Run:
    text: str
    style: str
    colour: tuple[int, int, int]
    sup: bool
    width: float


class Layout(FPDF):
    """An fpdf2 document that lays text out itself (see module docstring)."""

    def __init__(self, title: str, footer: str):
        super().__init__(format="Letter", unit="mm")
        self.footer_text = footer
        fonts = unicode_fonts()
        self.unicode = fonts is not None
        if fonts is not None:
            for style, path in fonts.items():
                self.add_font("Body", style, str(path))
            self.family = "Body"
        else:
            self.family = "Helvetica"
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(False)
        self.bottom = self.h - 20  # the lowest line a block may reach
        self.set_title(self.t(title))
        self.set_creator("District Leadership Assistant")
        self.alias_nb_pages()
        self._floats: list[tuple[float, object]] = []  # blocks waiting for the top of the next page

    # ---- text ----------------------------------------------------------------------------------------------
    def t(self, text: str) -> str:
        """Text the current font can show (Latin-1 folding without DejaVu)."""
        if self.unicode:
            return text
        for k, v in _FOLD.items():
            text = text.replace(k, v)
        return unicodedata.normalize("NFKD", text).encode("latin-1", "ignore").decode("latin-1")

    def header(self):
        """Blocks that did not fit where they were placed open the next page (see `float_block`)."""
        waiting, self._floats = self._floats, []
        for height, draw in waiting:
            y = self.get_y()
            draw(y)
            self.set_y(y + height)

    def float_block(self, height: float, draw) -> None:
        """A block `height` mm tall that must stay whole (a drawing with its heading): drawn here when it fits, else
        at the top of the next page while the text after it keeps filling this one — so no page is left mostly
        blank. `draw(y)` draws it with its top at y. Call `flush_floats()` before a section that must come after."""
        if height <= self.room():
            y = self.get_y()
            draw(y)
            self.set_y(y + height)
        elif self.room() < 0.3 * (self.bottom - self.t_margin):
            self.add_page()  # little room is lost: break here and keep reading order
            y = self.get_y()
            draw(y)
            self.set_y(y + height)
        else:
            self._floats.append((height, draw))

    def flush_floats(self) -> None:
        """Place every waiting block now (on a new page)."""
        if self._floats:
            self.add_page()

    def footer(self):
        self.set_font(self.family, "I", 8)
        self.set_text_color(100, 100, 100)
        self.set_xy(self.l_margin, self.h - 13)
        self.cell(self.w - self.l_margin - self.r_margin, 5, self.t(f"{self.footer_text} — page {self.page_no()} "
                                                                     "of {nb}"), align="C")

    def _run(self, text: str, style: str, colour, size: float, sup: bool) -> Run:
        self.set_font(self.family, style, size * (SUP if sup else 1))
        text = self.t(text)
        return Run(text, style, colour, sup, self.get_string_width(text))

    def boxes(self, spans: list[Span], size: float) -> list[list[Run]]:
        """Unbreakable boxes: words, each with the citation markers and punctuation glued to it; a space
        separates boxes."""
        out: list[list[Run]] = []
        current: list[Run] = []
        for span in spans:
            for piece, nums in segments(span.text):
                if nums:
                    current.append(self._run("".join(f"[{n}]" for n in nums), span.style, ACCENT, size, True))
                    continue
                for part in re.split(r"(\s+)", piece):
                    if not part:
                        continue
                    if part.isspace():
                        if current:
                            out.append(current)
                        current = []
                    else:
                        current.append(self._run(part, span.style, span.colour, size, False))
        if current:
            out.append(current)
        return out

    def lines(self, spans: list[Span], size: float, width: float) -> list[list[list[Run]]]:
        """Boxes broken greedily into lines no wider than `width`."""
        self.set_font(self.family, "", size)
        space = self.get_string_width(" ")
        lines: list[list[list[Run]]] = [[]]
        used = 0.0
        for box in self._fitting(self.boxes(spans, size), width, size):
            w = sum(r.width for r in box)
            if lines[-1] and used + space + w > width:
                lines.append([])
                used = 0.0
            used += (space if lines[-1] else 0.0) + w
            lines[-1].append(box)
        return [line for line in lines if line]

    def _fitting(self, boxes: list[list[Run]], width: float, size: float) -> list[list[Run]]:
        """Boxes, with any single box wider than the line cut into pieces that fit (a very long word)."""
        out = []
        for box in boxes:
            if sum(r.width for r in box) <= width or len(box) != 1:
                out.append(box)
                continue
            r = box[0]
            piece = ""
            for ch in r.text:
                if piece and self._run(piece + ch, r.style, r.colour, size, r.sup).width > width:
                    out.append([self._run(piece, r.style, r.colour, size, r.sup)])
                    piece = ""
                piece += ch
            out.append([self._run(piece, r.style, r.colour, size, r.sup)])
        return out

    @staticmethod
    def line_height(size: float) -> float:
        return size * PT * LEADING

    def measure(self, spans: list[Span], size: float, indent: float = 0.0) -> float:
        width = self.w - self.l_margin - self.r_margin - indent
        return len(self.lines(spans, size, width)) * self.line_height(size)

    def draw_lines(self, lines, x: float, y: float, size: float) -> float:
        """Draw laid-out lines from (x, y) (top of the first line); returns the y below the last line."""
        self.set_font(self.family, "", size)
        space = self.get_string_width(" ")
        lh = self.line_height(size)
        for line in lines:
            base = y + lh * 0.78
            cx = x
            for k, box in enumerate(line):
                if k:
                    cx += space
                for r in box:
                    self.set_font(self.family, r.style, size * (SUP if r.sup else 1))
                    self.set_text_color(*r.colour)
                    self.text(cx, base - (size * PT * 0.38 if r.sup else 0), r.text)
                    cx += r.width
            y += lh
        return y

    # ---- flow ----------------------------------------------------------------------------------------------
    def room(self) -> float:
        return self.bottom - self.get_y()

    def ensure(self, height: float) -> None:
        """Start a new page unless `height` fits below the current position."""
        if height > self.room() and self.get_y() > self.t_margin + 1:
            self.add_page()

    def paragraph(self, spans: list[Span], size: float = 10.5, indent: float = 0.0, after: float = 2.2,
                  keep: bool = True, fill: tuple[int, int, int] | None = None, bullet: str = "") -> None:
        """A paragraph, kept whole on one page when `keep` (long ones flow line by line); with `bullet`, the
        bullet hangs to the left of the text."""
        pad = 2.5 if fill else 0.0
        if bullet:
            hang = 4.0
            height = self.measure(spans, size, indent + hang)
            self.ensure(height)
            self.set_font(self.family, "", size)  # after measuring, which leaves the last word's (marker's) size
            self.set_text_color(*INK)
            self.text(self.l_margin + indent, self.get_y() + self.line_height(size) * 0.78, self.t(bullet))
            return self.paragraph(spans, size, indent + hang, after, keep, fill)
        width = self.w - self.l_margin - self.r_margin - indent - 2 * pad
        lines = self.lines(spans, size, width)
        lh = self.line_height(size)
        height = len(lines) * lh + 2 * pad
        if keep and height <= self.bottom - self.t_margin:
            self.ensure(height)
        if fill:
            self.set_fill_color(*fill)
            self.rect(self.l_margin + indent, self.get_y(), width + 2 * pad, height, style="F")
        y = self.get_y() + pad
        for line in lines:
            if y + lh > self.bottom:
                self.add_page()
                y = self.get_y()
            y = self.draw_lines([line], self.l_margin + indent + pad, y, size)
        self.set_y(y + pad + after)

    def heading(self, text: str, size: float = 13.0, follow: float = 0.0, before: float = 3.0) -> None:
        """A heading that never ends a page: it moves to the next page with `follow` mm of what comes after."""
        spans = [Span(text, "B", (17, 24, 39))]
        height = before + self.measure(spans, size) + 1.5
        self.ensure(height + follow)
        if self.get_y() > self.t_margin + 1:
            self.set_y(self.get_y() + before)
        self.paragraph(spans, size, after=1.5, keep=False)

    def table(self, head: list[str], rows: list[list[str]], widths: list[float], size: float = 8.5) -> None:
        """A bordered table; a row never splits across pages, and the header repeats after a page break."""
        total = self.w - self.l_margin - self.r_margin
        cols = [total * w / sum(widths) for w in widths]
        pad = 1.6

        def layout(cells, style):
            laid = [self.cell_lines(c, style, size, w - 2 * pad) for c, w in zip(cells, cols)]
            return laid, max(len(x) for x in laid) * self.line_height(size) + 2 * pad

        header = layout(head, "B")

        def draw(laid, height, fill=None):
            x, y = self.l_margin, self.get_y()
            for lines, w in zip(laid, cols):
                if fill:
                    self.set_fill_color(*fill)
                self.set_draw_color(148, 163, 184)
                self.rect(x, y, w, height, style="DF" if fill else "D")
                self.draw_lines(lines, x + pad, y + pad, size)
                x += w
            self.set_y(y + height)

        self.ensure(header[1] + (layout(rows[0], "")[1] if rows else 0))
        draw(*header, fill=(219, 234, 254))
        for row in rows:
            laid, height = layout(row, "")
            if height > self.room():
                self.add_page()
                draw(*header, fill=(219, 234, 254))
            draw(laid, height)
        self.set_y(self.get_y() + 3)

    def cell_lines(self, text: str, style: str, size: float, width: float) -> list:
        """A table cell's lines: each of its own lines ("\n"-separated entries) starts a new line."""
        out = []
        for part in (text or "").split("\n"):
            out += self.lines([Span(part, style)], size, width) or ([[]] if not out else [])
        return out or [[]]

    def row_height(self, cells: list[str], widths: list[float], size: float = 8.5) -> float:
        total = self.w - self.l_margin - self.r_margin
        cols = [total * w / sum(widths) for w in widths]
        return max(len(self.cell_lines(c, "", size, w - 3.2)) for c, w in zip(cells, cols)) \
            * self.line_height(size) + 3.2
