"""DOCX export (python-docx): a document a coach can hand to a board — title, goal and problem, the statement,
one chain per bet, the strategy table as a real Word table, plan details, assumptions, coherence checks, and
citations as superscript markers resolved in a closing "Sources" appendix (python-docx has no footnote API).

Print layout is stated in the file, so Word and LibreOffice paginate it well: every heading keeps with the next
paragraph, list items and sources keep their lines together, table rows cannot split across pages and the header
row repeats."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from assistant.facilitation.drafting import Draft
from assistant.facilitation.outline import outline, segments

ACCENT = RGBColor(0x1D, 0x4E, 0xD8)
MUTED = RGBColor(0x4B, 0x55, 0x63)
COLUMN_INCHES = (1.0, 1.6, 1.05, 1.0, 1.0, 0.85)  # 6.5 in: the page width inside one-inch margins


def _runs(paragraph, text: str, bold: bool = False, italic: bool = False) -> None:
    """Text with citation sentinels as superscript markers."""
    for piece, nums in segments(text):
        if nums:
            run = paragraph.add_run("".join(f"[{n}]" for n in nums))
            run.font.superscript = True
            run.font.color.rgb = ACCENT
        else:
            run = paragraph.add_run(piece)
            run.bold, run.italic = bold, italic


def _heading(doc, text: str, level: int):
    h = doc.add_heading(text, level=level)
    h.paragraph_format.keep_with_next = True
    h.paragraph_format.keep_together = True
    return h


def _whole(paragraph):
    """Keep a paragraph's lines on one page."""
    paragraph.paragraph_format.keep_together = True
    return paragraph


def _row_flags(row, header: bool = False) -> None:
    """A row that never splits across pages (and, for the header, repeats on every page)."""
    props = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit",) + (("w:tblHeader",) if header else ()):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        props.append(el)


def _box(paragraph, fill: str, border: str) -> None:
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


def _shade(cell, hex_fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_fill)
    props.append(shd)


def to_docx(draft: Draft) -> bytes:
    """The draft as a Word document: its outline's sections in order, then the Sources appendix."""
    o = outline(draft)
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    doc.core_properties.title = o.title
    doc.core_properties.subject = "District theory of action"
    for section in (_head, _chains, _table, _details, _checks, _sources):
        section(doc, o)
    for para in doc.paragraphs:
        if para.style.name.startswith("Title"):
            para.alignment = WD_ALIGN_PARAGRAPH.LEFT
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _head(doc, o) -> None:
    """Title, goal and problem, the statement (shaded) and any warnings."""
    doc.add_heading(o.title, level=0)
    sub = doc.add_paragraph(o.subtitle)
    sub.runs[0].font.color.rgb = MUTED
    for label, text in o.intro:
        p = doc.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(text)
    _heading(doc, "Our theory of action", 1)
    p = _whole(doc.add_paragraph())
    _box(p, "EFF6FF", "93C5FD")
    _runs(p, o.statement, bold=True)
    for w in o.warnings:
        wp = doc.add_paragraph()
        run = wp.add_run(f"Warning: {w}")
        run.bold = True
        run.font.color.rgb = RGBColor(0xB4, 0x53, 0x09)


def _chains(doc, o) -> None:
    if not o.chains:
        return
    _heading(doc, "How each bet reaches classrooms", 1)
    for heading, sentence, linked in o.chains:
        _heading(doc, heading, 2)
        _runs(_whole(doc.add_paragraph()), sentence)
        if linked:
            lp = doc.add_paragraph()
            lp.add_run("Draws on: ").italic = True
            lp.add_run("; ".join(linked))


def _table(doc, o) -> None:
    """The strategy table as a real Word table: shaded header row repeated on every page, rows that cannot split,
    fixed column widths."""
    if not o.table:
        return
    _heading(doc, "Strategy table", 1)
    table = doc.add_table(rows=1, cols=len(o.table_head))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, o.table_head):
        cell.text = ""
        head = cell.paragraphs[0].add_run(text)
        head.bold, head.font.size = True, Pt(9)
        _shade(cell, "DBEAFE")
    _row_flags(table.rows[0], header=True)
    for row in o.table:
        added = table.add_row()
        _row_flags(added)
        for cell, text in zip(added.cells, row):
            lines = text.split("\n") if text else [""]
            cell.text = lines[0]
            for extra in lines[1:]:
                cell.add_paragraph(extra)
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(9.5)
    for column, width in zip(table.columns, COLUMN_INCHES):  # the grid (LibreOffice) and every cell (Word)
        column.width = Inches(width)
        for cell in column.cells:
            cell.width = Inches(width)


def _details(doc, o) -> None:
    """Plan details and assumptions (stated and implied by the chains)."""
    if o.details:
        _heading(doc, "Plan details", 1)
        for label, value in o.details:
            p = _whole(doc.add_paragraph(style="List Bullet"))
            p.add_run(f"{label}: ").bold = True
            p.add_run(value)
    if o.assumptions or o.implied:
        _heading(doc, "Assumptions", 1)
        for a in o.assumptions:
            _whole(doc.add_paragraph(a, style="List Bullet"))
        for a in o.implied:
            p = _whole(doc.add_paragraph(style="List Bullet"))
            p.add_run("Implied by the chain: ").italic = True
            p.add_run(a)


def _checks(doc, o) -> None:
    _heading(doc, "Coherence checks", 1)
    for met, name, detail, question in o.checks:
        p = _whole(doc.add_paragraph(style="List Bullet"))
        status = p.add_run("✓ Met — " if met else "✗ Missing — ")
        status.bold = True
        status.font.color.rgb = RGBColor(0x15, 0x80, 0x3D) if met else RGBColor(0xB9, 0x1C, 0x1C)
        p.add_run(f"{name}: ").bold = True
        _runs(p, detail)
        if question:
            q = p.add_run(f" Question for the team: {question}")
            q.italic = True


def _sources(doc, o) -> None:
    """The appendix the superscript markers refer to: each exact quoted passage with its place."""
    _heading(doc, "Sources", 1)
    intro = doc.add_paragraph("Each numbered marker above refers to the exact framework passage quoted here.")
    intro.runs[0].font.color.rgb = MUTED
    intro.paragraph_format.keep_with_next = True
    for n, label, quote, where in o.sources:
        p = _whole(doc.add_paragraph())
        p.paragraph_format.space_after = Pt(6)
        num = p.add_run(f"[{n}] ")
        num.bold = True
        num.font.color.rgb = ACCENT
        p.add_run(f"“{quote}”")
        meta = p.add_run(f" — {label} ({where})")
        meta.font.size = Pt(9)
        meta.font.color.rgb = MUTED
