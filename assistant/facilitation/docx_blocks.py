"""Building blocks of the Word exports (python-docx): text with citation sentinels as superscript markers,
headings that keep with what follows, paragraphs kept whole, shaded boxes, and tables whose rows never split
across pages and whose header row repeats on every page."""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from assistant.facilitation.citemarks import segments

ACCENT = RGBColor(0x1D, 0x4E, 0xD8)
MUTED = RGBColor(0x4B, 0x55, 0x63)


def runs(paragraph, text: str, bold: bool = False, italic: bool = False) -> None:
    """Text with citation sentinels as superscript markers."""
    for piece, nums in segments(text):
        if nums:
            run = paragraph.add_run("".join(f"[{n}]" for n in nums))
            run.font.superscript = True
            run.font.color.rgb = ACCENT
        else:
            run = paragraph.add_run(piece)
            run.bold, run.italic = bold, italic


def heading(doc, text: str, level: int):
    h = doc.add_heading(text, level=level)
    h.paragraph_format.keep_with_next = True
    h.paragraph_format.keep_together = True
    return h


def whole(paragraph):
    """Keep a paragraph's lines on one page."""
    paragraph.paragraph_format.keep_together = True
    return paragraph


def row_flags(row, header: bool = False) -> None:
    """A row that never splits across pages (and, for the header, repeats on every page)."""
    props = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit",) + (("w:tblHeader",) if header else ()):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        props.append(el)


def box(paragraph, fill: str, border: str) -> None:
    """Shade a paragraph and draw a rule on its left (the statement)."""
    props = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for k, v in (("w:val", "single"), ("w:sz", "18"), ("w:space", "8"), ("w:color", border)):
        left.set(qn(k), v)
    borders.append(left)
    props.append(borders)
    shd = OxmlElement("w:shd")
    for k, v in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        shd.set(qn(k), v)
    props.append(shd)
    paragraph.paragraph_format.left_indent = Inches(0.15)
    paragraph.paragraph_format.space_after = Pt(10)


def shade(cell, hex_fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_fill)
    props.append(shd)


def table(doc, head: list[str], rows: list[list[str]], inches, size: float = 9.5, header_fill: str = "DBEAFE"):
    """A real Word table: shaded header row repeated on every page, rows that cannot split, fixed column widths;
    cells may hold several lines ("\n") and citation sentinels."""
    t = doc.add_table(rows=1, cols=len(head))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for cell, text in zip(t.rows[0].cells, head):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size = True, Pt(size - 0.5)
        shade(cell, header_fill)
    row_flags(t.rows[0], header=True)
    for row in rows:
        added = t.add_row()
        row_flags(added)
        for cell, text in zip(added.cells, row):
            lines = text.split("\n") if text else [""]
            cell.text = ""
            runs(cell.paragraphs[0], lines[0])
            for extra in lines[1:]:
                runs(cell.add_paragraph(), extra)
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(size) if not run.font.superscript else Pt(size - 1)
    for column, width in zip(t.columns, inches):  # the grid (LibreOffice) and every cell (Word)
        column.width = Inches(width)
        for cell in column.cells:
            cell.width = Inches(width)
    return t
