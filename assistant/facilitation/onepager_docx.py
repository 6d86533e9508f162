"""The one-page plan as a Word document a board clerk can edit: the same content as the PDF, set compactly (narrow
margins, 10-point text, a real table for the bets) so it prints on one page; long lists are shortened the way the
PDF shortens them when the plan is large."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Inches, Pt, RGBColor

from assistant.facilitation.docx_blocks import ACCENT, MUTED, box, runs, table
from assistant.facilitation.onepager import NOT_PLANNED, OnePager
from assistant.facilitation.onepager_pdf import _short
from assistant.text.clean import shorten

WIDTHS = (2.2, 1.5, 2.1, 1.7)  # 7.5 in inside 0.5-inch margins
LONG = 1800  # characters of content past which lists and quotes are shortened
VERY_LONG = 2600  # … and past which the type is set smaller still (Word cannot shrink a page to fit by itself)


def _heading(doc, text: str) -> None:
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold, run.font.size, run.font.color.rgb = True, Pt(12), RGBColor(0x11, 0x18, 0x27)
    p.paragraph_format.space_before, p.paragraph_format.space_after = Pt(6), Pt(2)
    p.paragraph_format.keep_with_next = True


def _size(p) -> int:
    return len(p.goal) + len(p.statement) + sum(len(c) for row in p.bets for c in row) + sum(
        len(q) for _, _, q in p.sources) + sum(len(v) for _, v in p.cycle)


def to_docx(p: OnePager) -> bytes:
    size = _size(p)
    compact, tight = size > LONG, size > VERY_LONG
    doc = Document()
    sec = doc.sections[0]
    sec.left_margin = sec.right_margin = Inches(0.5)
    sec.top_margin = sec.bottom_margin = Inches(0.5)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Calibri", Pt(8.5 if tight else 9.5 if compact else 10)
    normal.paragraph_format.space_after = Pt(1 if tight else 2)
    doc.core_properties.title = p.title
    doc.core_properties.subject = "One-page plan"
    title = doc.add_paragraph()
    run = title.add_run(p.title)
    run.bold, run.font.size = True, Pt(16)
    sub = doc.add_paragraph()
    sub.add_run(p.subtitle).font.color.rgb = MUTED
    goal = doc.add_paragraph()
    box(goal, "EFF6FF", "93C5FD")
    g = goal.add_run("Goal: ")
    g.bold, g.font.color.rgb = True, ACCENT
    goal.add_run(p.goal).bold = True
    _heading(doc, "Our theory of action")
    runs(doc.add_paragraph(), p.statement)
    _heading(doc, "Our bets")
    if p.bets:
        table(doc, p.bets_head, [[r[0]] + [_short(c, compact) for c in r[1:]] for r in p.bets], WIDTHS,
              size=8 if tight else 9)
    _heading(doc, "Next 90-day cycle")
    if p.cycle:
        doc.add_paragraph().add_run(p.cycle_title).bold = True
        for label, value in p.cycle:
            item = doc.add_paragraph(style="List Bullet")
            item.add_run(f"{label}: ").bold = True
            item.add_run(value)
    else:
        doc.add_paragraph().add_run(NOT_PLANNED).italic = True
    _heading(doc, "The passages this plan rests on")
    for n, label, quote in p.sources:
        para = doc.add_paragraph()
        num = para.add_run(f"[{n}] ")
        num.bold, num.font.color.rgb = True, ACCENT
        para.add_run(f"“{shorten(quote, 20 if tight else 28) if compact else quote}”").font.size = Pt(8 if tight else 9)
        meta = para.add_run(f" — {label}")
        meta.font.size, meta.font.color.rgb = Pt(8.5), MUTED
    note = doc.add_paragraph()
    note.add_run("Numbers match the full theory of action, which lists every source with its place in the "
                 "document.").italic = True
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
