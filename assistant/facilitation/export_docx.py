"""DOCX export (python-docx): a document a coach can hand to a board — title, goal and problem, the statement,
one chain per bet, the strategy table as a real Word table, plan details, assumptions, coherence checks, and
citations as superscript markers resolved in a closing "Sources" appendix (python-docx has no footnote API)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from assistant.facilitation.drafting import Draft
from assistant.facilitation.outline import outline, segments

ACCENT = RGBColor(0x1D, 0x4E, 0xD8)
MUTED = RGBColor(0x4B, 0x55, 0x63)


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
    """Title, goal and problem, the statement and any warnings."""
    doc.add_heading(o.title, level=0)
    sub = doc.add_paragraph(o.subtitle)
    sub.runs[0].font.color.rgb = MUTED
    for label, text in o.intro:
        p = doc.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(text)
    doc.add_heading("Our theory of action", level=1)
    p = doc.add_paragraph(style="Intense Quote")
    _runs(p, o.statement)
    for w in o.warnings:
        wp = doc.add_paragraph()
        run = wp.add_run(f"Warning: {w}")
        run.bold = True
        run.font.color.rgb = RGBColor(0xB4, 0x53, 0x09)


def _chains(doc, o) -> None:
    if not o.chains:
        return
    doc.add_heading("How each bet reaches classrooms", level=1)
    for heading, sentence, linked in o.chains:
        doc.add_heading(heading, level=2)
        _runs(doc.add_paragraph(), sentence)
        if linked:
            lp = doc.add_paragraph()
            lp.add_run("Draws on: ").italic = True
            lp.add_run("; ".join(linked))


def _table(doc, o) -> None:
    """The strategy table as a real Word table (header row shaded)."""
    if not o.table:
        return
    doc.add_heading("Strategy table", level=1)
    table = doc.add_table(rows=1, cols=len(o.table_head))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, o.table_head):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
        _shade(cell, "DBEAFE")
    for row in o.table:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            lines = text.split("\n") if text else [""]
            cell.text = lines[0]
            for extra in lines[1:]:
                cell.add_paragraph(extra)
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(9.5)


def _details(doc, o) -> None:
    """Plan details and assumptions (stated and implied by the chains)."""
    if o.details:
        doc.add_heading("Plan details", level=1)
        for label, value in o.details:
            p = doc.add_paragraph(style="List Bullet")
            p.add_run(f"{label}: ").bold = True
            p.add_run(value)
    if o.assumptions or o.implied:
        doc.add_heading("Assumptions", level=1)
        for a in o.assumptions:
            doc.add_paragraph(a, style="List Bullet")
        for a in o.implied:
            p = doc.add_paragraph(style="List Bullet")
            p.add_run("Implied by the chain: ").italic = True
            p.add_run(a)


def _checks(doc, o) -> None:
    doc.add_heading("Coherence checks", level=1)
    for met, name, detail, question in o.checks:
        p = doc.add_paragraph(style="List Bullet")
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
    doc.add_page_break()
    doc.add_heading("Sources", level=1)
    intro = doc.add_paragraph("Each numbered marker above refers to the exact framework passage quoted here.")
    intro.runs[0].font.color.rgb = MUTED
    for n, label, quote, where in o.sources:
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(6)
        num = p.add_run(f"[{n}] ")
        num.bold = True
        num.font.color.rgb = ACCENT
        p.add_run(f"“{quote}”")
        meta = p.add_run(f" — {label} ({where})")
        meta.font.size = Pt(9)
        meta.font.color.rgb = MUTED
