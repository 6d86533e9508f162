"""The improvement-plan sections of the Word export: the driver diagram as a picture (drawn at print resolution)
followed by the same diagram as an outline (so its text and citation markers are there to read, search and copy),
the 90-day cycles with their study/act logs, and the readiness table with its flagged scores."""

from __future__ import annotations

import io

from docx.shared import Inches, Pt

from assistant.facilitation.citemarks import marks
from assistant.facilitation.diagram_png import to_png
from assistant.facilitation.docx_blocks import MUTED, heading, runs, table, whole

LOG_INCHES = (0.9, 2.3, 2.3, 1.0)
READY_INCHES = (1.5, 0.6, 0.6, 0.75, 0.7, 0.8, 0.75, 0.8)


def _marks(node) -> str:
    return marks(node.cites)


def diagram(doc, o) -> None:
    """The driver diagram: the picture, then its outline."""
    if o.plan is None:
        return
    d = o.plan.diagram
    heading(doc, "Driver diagram", 1)
    png, width_pt = to_png(d)
    doc.add_picture(io.BytesIO(png), width=Inches(min(6.5, width_pt / 72)))
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    cap = doc.add_paragraph()
    cap.add_run("Aim → primary drivers (our bets) → secondary drivers (what carries each bet) → change ideas "
                "(what we will try). The same diagram as a list:").font.color.rgb = MUTED
    cap.paragraph_format.keep_with_next = True
    for band in d.bands:
        p = whole(doc.add_paragraph(style="List Bullet"))
        runs(p, f"Primary driver {band.number}: {band.primary.text}{_marks(band.primary)}", bold=True)
        for node in band.secondaries:
            runs(whole(doc.add_paragraph(style="List Bullet 2")), f"Secondary driver: {node.text}{_marks(node)}")
        for node in band.changes:
            runs(whole(doc.add_paragraph(style="List Bullet 2")), f"Change idea: {node.text}")


def cycles_and_readiness(doc, o) -> None:
    p = o.plan
    if p is None:
        return
    if p.cycles:
        heading(doc, "90-day cycles", 1)
        runs(whole(doc.add_paragraph()), p.cycles_intro)
        for c in p.cycles:
            heading(doc, c.heading + (" — next" if c.next else ""), 2)
            for label, value in c.fields:
                para = whole(doc.add_paragraph(style="List Bullet"))
                para.add_run(f"{label}: ").bold = True
                para.add_run(value)
                para.paragraph_format.keep_with_next = True
            if c.log:
                lead = doc.add_paragraph()
                lead.add_run("Study and act log").bold = True
                lead.paragraph_format.keep_with_next = True
                table(doc, p.LOG_HEAD, c.log, LOG_INCHES, size=9)
    if p.readiness:
        heading(doc, "Readiness", 1)
        intro = doc.add_paragraph("Scores from 1 (not yet) to 5 (fully).")
        intro.paragraph_format.keep_with_next = True
        table(doc, p.readiness_head, p.readiness, READY_INCHES, size=9)
        for who, text in p.readiness_low:
            para = whole(doc.add_paragraph(style="List Bullet"))
            para.add_run(f"{who}: ").bold = True
            runs(para, text)
        for who, note in p.readiness_notes:
            para = whole(doc.add_paragraph(style="List Bullet"))
            para.add_run(f"{who} — note: ").italic = True
            para.add_run(note).font.size = Pt(10.5)
