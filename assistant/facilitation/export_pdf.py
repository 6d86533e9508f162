"""PDF export (fpdf2): the same outline as the DOCX, with superscript citation markers and a "Sources" appendix.
Uses DejaVu Sans found through matplotlib's font manager (matplotlib ships it, so any install has it; full
Unicode); without it, a core font with text folded to Latin-1."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from assistant.facilitation.drafting import Draft
from assistant.facilitation.outline import outline, segments

FAMILY = "DejaVu Sans"
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


class _PDF(FPDF):
    def __init__(self, title: str):
        super().__init__(format="Letter")
        self.doc_title = title
        fonts = unicode_fonts()
        self.unicode = fonts is not None
        if fonts is not None:
            for style, path in fonts.items():
                self.add_font("Body", style, str(path))
            self.family = "Body"
        else:
            self.family = "Helvetica"
        self.set_auto_page_break(True, margin=16)
        self.set_title(self.t(title))
        self.set_creator("District Leadership Assistant")

    def t(self, text: str) -> str:
        """Text the current font can show."""
        if self.unicode:
            return text
        for k, v in _FOLD.items():
            text = text.replace(k, v)
        return unicodedata.normalize("NFKD", text).encode("latin-1", "ignore").decode("latin-1")

    def footer(self):
        self.set_y(-12)
        self.set_font(self.family, "I", 8)
        self.set_text_color(100, 100, 100)
        self.cell(0, 6, self.t(f"{self.doc_title} — page {self.page_no()}"), align="C")

    def heading(self, text: str, size: float = 13) -> None:
        self.ln(2)
        self.set_font(self.family, "B", size)
        self.set_text_color(17, 24, 39)
        self.multi_cell(0, size * 0.5, self.t(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def para(self, text: str, size: float = 10.5, style: str = "", indent: float = 0) -> None:
        """A paragraph with citation sentinels rendered as superscript markers."""
        self.set_font(self.family, style, size)
        self.set_text_color(31, 41, 55)
        self.set_x(self.l_margin + indent)
        left = self.l_margin
        self.set_left_margin(left + indent)
        h = size * 0.5
        for piece, nums in segments(text):
            if nums:
                self.set_text_color(29, 78, 216)
                self.char_vpos = "SUP"
                self.write(h, "".join(f"[{n}]" for n in nums))
                self.char_vpos = "LINE"
                self.set_text_color(31, 41, 55)
            else:
                self.write(h, self.t(piece))
        self.set_left_margin(left)
        self.ln(h + 1.5)


def to_pdf(draft: Draft) -> bytes:
    o = outline(draft)
    pdf = _PDF(o.title)
    pdf.add_page()
    pdf.set_font(pdf.family, "B", 18)
    pdf.multi_cell(0, 9, pdf.t(o.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 9.5)
    pdf.set_text_color(75, 85, 99)
    pdf.multi_cell(0, 5, pdf.t(o.subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for label, text in o.intro:
        pdf.para(f"{label}: {text}")
    pdf.heading("Our theory of action")
    pdf.set_fill_color(239, 246, 255)
    pdf.para(o.statement, size=11.5, style="B")
    for w in o.warnings:
        pdf.para(f"Warning: {w}", style="B")
    if o.chains:
        pdf.heading("How each bet reaches classrooms")
        for heading, sentence, linked in o.chains:
            pdf.heading(heading, size=11)
            pdf.para(sentence)
            if linked:
                pdf.para("Draws on: " + "; ".join(linked), size=9, style="I")
    if o.table:
        pdf.heading("Strategy table")
        pdf.set_font(pdf.family, "", 8)
        pdf.set_text_color(31, 41, 55)
        heads = FontFace(emphasis="BOLD", fill_color=(219, 234, 254))
        with pdf.table(col_widths=(16, 26, 14, 18, 16, 10), line_height=4, text_align="LEFT",
                       headings_style=heads) as table:
            head = table.row()
            for h in o.table_head:
                head.cell(pdf.t(h))
            for row in o.table:
                r = table.row()
                for cell in row:
                    r.cell(pdf.t(cell))
        pdf.ln(2)
    if o.details:
        pdf.heading("Plan details")
        for label, value in o.details:
            pdf.para(f"{label}: {value}", indent=2)
    if o.assumptions or o.implied:
        pdf.heading("Assumptions")
        for a in o.assumptions:
            pdf.para(f"- {a}", indent=2)
        for a in o.implied:
            pdf.para(f"- Implied by the chain: {a}", indent=2, style="I")
    pdf.heading("Coherence checks")
    for met, name, detail, question in o.checks:
        status = "✓ Met" if met else "✗ Missing"
        pdf.para(f"{status} — {name}: {detail}" + (f" Question for the team: {question}" if question else ""),
                 size=9.5, indent=2)
    pdf.add_page()
    pdf.heading("Sources")
    for n, label, quote, where in o.sources:
        pdf.para(f"[{n}] “{quote}” — {label} ({where})", size=8.5)
    return bytes(pdf.output())
