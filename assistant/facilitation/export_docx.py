"""DOCX export (python-docx): a document a coach can hand to a board — title, goal and problem, the statement,
one chain per bet, the driver diagram (a picture, with its outline), the strategy table as a real Word table, the
90-day cycles and readiness checks (export_docx_plan.py), plan details, assumptions, coherence checks, and
citations as superscript markers resolved in a closing "Sources" appendix (python-docx has no footnote API).

Print layout is stated in the file, so Word and LibreOffice paginate it well: every heading keeps with the next
paragraph, list items and sources keep their lines together, table rows cannot split across pages and the header
row repeats."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from assistant.facilitation.docx_blocks import ACCENT, MUTED, box, heading, runs, table, whole
from assistant.facilitation.drafting import Draft
from assistant.facilitation.export_docx_plan import cycles_and_readiness, diagram
from assistant.facilitation.outline import outline

COLUMN_INCHES = (1.0, 1.6, 1.05, 1.0, 1.0, 0.85)  # 6.5 in: the page width inside one-inch margins


def to_docx(draft: Draft) -> bytes:
    """The draft as a Word document: its outline's sections in order, then the Sources appendix."""
    o = outline(draft)
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    doc.core_properties.title = o.title
    doc.core_properties.subject = "District theory of action"
    for section in (_head, _chains, diagram, _table, cycles_and_readiness, _details, _checks, _sources):
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
    heading(doc, "Our theory of action", 1)
    p = whole(doc.add_paragraph())
    box(p, "EFF6FF", "93C5FD")
    runs(p, o.statement, bold=True)
    for w in o.warnings:
        wp = doc.add_paragraph()
        run = wp.add_run(f"Warning: {w}")
        run.bold = True
        run.font.color.rgb = RGBColor(0xB4, 0x53, 0x09)


def _chains(doc, o) -> None:
    if not o.chains:
        return
    heading(doc, "How each bet reaches classrooms", 1)
    for title, sentence, linked in o.chains:
        heading(doc, title, 2)
        runs(whole(doc.add_paragraph()), sentence)
        if linked:
            lp = doc.add_paragraph()
            lp.add_run("Draws on: ").italic = True
            lp.add_run("; ".join(linked))


def _table(doc, o) -> None:
    """The strategy table as a real Word table (see docx_blocks.table)."""
    if not o.table:
        return
    heading(doc, "Strategy table", 1)
    table(doc, o.table_head, o.table, COLUMN_INCHES)


def _details(doc, o) -> None:
    """Plan details and assumptions (stated and implied by the chains)."""
    if o.details:
        heading(doc, "Plan details", 1)
        for label, value in o.details:
            p = whole(doc.add_paragraph(style="List Bullet"))
            p.add_run(f"{label}: ").bold = True
            p.add_run(value)
    if o.assumptions or o.implied:
        heading(doc, "Assumptions", 1)
        for a in o.assumptions:
            whole(doc.add_paragraph(a, style="List Bullet"))
        for a in o.implied:
            p = whole(doc.add_paragraph(style="List Bullet"))
            p.add_run("Implied by the chain: ").italic = True
            p.add_run(a)


def _checks(doc, o) -> None:
    heading(doc, "Coherence checks", 1)
    for met, name, detail, question in o.checks:
        p = whole(doc.add_paragraph(style="List Bullet"))
        status = p.add_run("✓ Met — " if met else "✗ Missing — ")
        status.bold = True
        status.font.color.rgb = RGBColor(0x15, 0x80, 0x3D) if met else RGBColor(0xB9, 0x1C, 0x1C)
        p.add_run(f"{name}: ").bold = True
        runs(p, detail)
        if question:
            q = p.add_run(f" Question for the team: {question}")
            q.italic = True


def _sources(doc, o) -> None:
    """The appendix the superscript markers refer to: each exact quoted passage with its place."""
    heading(doc, "Sources", 1)
    intro = doc.add_paragraph("Each numbered marker above refers to the exact framework passage quoted here.")
    intro.runs[0].font.color.rgb = MUTED
    intro.paragraph_format.keep_with_next = True
    for n, label, quote, where in o.sources:
        p = whole(doc.add_paragraph())
        p.paragraph_format.space_after = Pt(6)
        num = p.add_run(f"[{n}] ")
        num.bold = True
        num.font.color.rgb = ACCENT
        p.add_run(f"“{quote}”")
        meta = p.add_run(f" — {label} ({where})")
        meta.font.size = Pt(9)
        meta.font.color.rgb = MUTED
