"""PDF export: the same outline as the DOCX (the improvement plan's sections: export_pdf_plan.py), laid out for print
by pdf_layout — headings kept with their content,
table rows and check items never split across pages, superscript citation markers glued to their word, and an
appendix of quoted sources whose numbers are the draft's own. Uses DejaVu Sans found through matplotlib's font
manager (matplotlib ships it, so any install has it; full Unicode); without it, a core font with text folded to
Latin-1 (pdf_layout.unicode_fonts)."""

from __future__ import annotations

from assistant.facilitation.drafting import Draft
from assistant.facilitation.export_pdf_plan import diagram_section, plan_sections
from assistant.facilitation.outline import outline
from assistant.facilitation.pdf_layout import Layout, Span, unicode_fonts  # noqa: F401 (part of this API)

MUTED = (75, 85, 99)
MET = (21, 128, 61)
MISSING = (185, 28, 28)
WARN = (180, 83, 9)
TABLE_WIDTHS = [15, 24, 16, 17, 14, 14]
BODY = 10.5


def to_pdf(draft: Draft) -> bytes:
    o = outline(draft)
    pdf = Layout(o.title, o.title)
    pdf.add_page()
    pdf.paragraph([Span(o.title, "B", (17, 24, 39))], size=18, after=1)
    pdf.paragraph([Span(o.subtitle, "", MUTED)], size=9.5, after=3)
    for label, text in o.intro:
        pdf.paragraph([Span(f"{label}: ", "B"), Span(text)])

    statement = [Span(o.statement, "B")]
    pdf.heading("Our theory of action", follow=pdf.measure(statement, 11.5) + 5)
    pdf.paragraph(statement, size=11.5, fill=(239, 246, 255), after=3)
    for w in o.warnings:
        pdf.paragraph([Span(f"Warning: {w}", "B", WARN)])

    if o.chains:
        first = o.chains[0]
        pdf.heading("How each bet reaches classrooms", follow=_chain_height(pdf, first) + 8)
        for heading, sentence, linked in o.chains:
            body = [Span(sentence)]
            pdf.heading(heading, size=11, follow=pdf.measure(body, BODY), before=2)
            pdf.paragraph(body)
            if linked:
                pdf.paragraph([Span("Draws on: ", "I", MUTED), Span("; ".join(linked), "", MUTED)], size=9)

    diagram_section(pdf, o)
    if o.table:
        pdf.heading("Strategy table", follow=pdf.row_height(o.table_head, TABLE_WIDTHS)
                    + pdf.row_height(o.table[0], TABLE_WIDTHS))
        pdf.table(o.table_head, o.table, TABLE_WIDTHS)
    plan_sections(pdf, o)

    if o.details:
        items = [[Span(f"{label}: ", "B"), Span(value)] for label, value in o.details]
        _list(pdf, "Plan details", items)
    if o.assumptions or o.implied:
        items = [[Span(a)] for a in o.assumptions]
        items += [[Span("Implied by the chain: ", "I", MUTED), Span(a)] for a in o.implied]
        _list(pdf, "Assumptions", items)

    checks = []
    for met, name, detail, question in o.checks:
        spans = [Span("✓ Met — " if met else "✗ Missing — ", "B", MET if met else MISSING), Span(f"{name}: ", "B"),
                 Span(detail)]
        if question:
            spans.append(Span(f" Question for the team: {question}", "I", MUTED))
        checks.append(spans)
    _list(pdf, "Coherence checks", checks, size=9.5)

    entries = [[Span(f"[{n}] ", "B", (29, 78, 216)), Span(f"“{quote}”"), Span(f" — {label} ({where})", "", MUTED)]
               for n, label, quote, where in o.sources]
    intro = [Span("Each numbered marker above refers to the exact framework passage quoted here.", "", MUTED)]
    pdf.flush_floats()  # the diagram, if it is still waiting, comes before the appendix
    if pdf.room() < 0.35 * (pdf.bottom - pdf.t_margin):
        pdf.add_page()  # the appendix opens a page unless most of this one is still free
    pdf.heading("Sources", follow=pdf.measure(intro, 9) + (pdf.measure(entries[0], 8.5) if entries else 0) + 4)
    pdf.paragraph(intro, size=9)
    for spans in entries:
        pdf.paragraph(spans, size=8.5, after=1.6)
    return bytes(pdf.output())


def _chain_height(pdf: Layout, chain) -> float:
    heading, sentence, _ = chain
    return pdf.measure([Span(heading, "B")], 11) + pdf.measure([Span(sentence)], BODY)


def _list(pdf: Layout, heading: str, items: list[list[Span]], size: float = BODY) -> None:
    """A heading and bulleted items, each item whole on one page."""
    pdf.heading(heading, follow=pdf.measure(items[0], size, indent=5) if items else 0)
    for spans in items:
        pdf.paragraph(spans, size=size, indent=2, after=1.6, bullet="•")
