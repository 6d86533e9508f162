"""Exports of a theory-of-action draft: Markdown here, DOCX (export_docx.py) and PDF (export_pdf.py), all built from
the same `outline()` (outline.py); JSON is the plan itself; and the one-page plan for the board (onepager.py).
"""

from __future__ import annotations

import re

from assistant.facilitation.drafting import Draft
from assistant.facilitation.outline import outline, plain

MIME = {"md": "text/markdown", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf", "json": "application/json"}


def to_markdown(draft: Draft) -> str:
    o = outline(draft)
    out = [f"# {o.title}", "", f"*{o.subtitle}*", ""]
    for label, text in o.intro:
        out += [f"**{label}:** {text}", ""]
    out += ["## Our theory of action", "", f"> {plain(o.statement)}", ""]
    out += [f"> **Warning:** {w}" for w in o.warnings] + ([""] if o.warnings else [])
    if o.chains:
        out += ["## How each bet reaches classrooms", ""]
        for heading, sentence, linked in o.chains:
            out += [f"### {heading}", "", plain(sentence), ""]
            if linked:
                out += [f"*Draws on:* {'; '.join(linked)}", ""]
    if o.plan:
        out += ["## Driver diagram", "", "```mermaid", o.plan.mermaid, "```", ""]
    if o.table:
        out += ["## Strategy table", ""] + _md_table(o.table_head, o.table)
    if o.plan:
        out += plan_markdown(o.plan)
    if o.details:
        out += ["## Plan details", ""] + [f"- **{label}:** {value}" for label, value in o.details] + [""]
    if o.assumptions or o.implied:
        out += ["## Assumptions", ""] + [f"- {a}" for a in o.assumptions]
        out += [f"- *(implied by the chain)* {a}" for a in o.implied] + [""]
    out += ["## Coherence checks", ""]
    for met, name, detail, question in o.checks:
        out.append(f"- {'✓ met' if met else '✗ missing'} — **{name}:** {plain(detail)}"
                   + (f" *Question for the team:* {question}" if question else ""))
    out += ["", "## Sources", ""]
    for n, label, quote, where in o.sources:
        out.append(f"[{n}] “{quote}” — {label} ({where})")
    return "\n".join(out).rstrip() + "\n"


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        out.append("| " + " | ".join(plain(cell).replace("\n", "<br>").replace("|", "/") for cell in row) + " |")
    return out + [""]


def plan_markdown(p) -> list[str]:
    """The 90-day cycles and readiness sections (the diagram goes before the strategy table)."""
    out = []
    if p.cycles:
        out += ["## 90-day cycles", "", plain(p.cycles_intro), ""]
        for c in p.cycles:
            out += [f"### {c.heading}" + (" — next" if c.next else ""), ""]
            out += [f"- **{label}:** {value}" for label, value in c.fields] + [""]
            if c.log:
                out += ["**Study and act log**", ""] + _md_table(p.LOG_HEAD, c.log)
    if p.readiness:
        out += ["## Readiness", "", "Scores from 1 (not yet) to 5 (fully).", ""] + _md_table(p.readiness_head, p.readiness)
        if p.readiness_low:
            out += ["**Talk about these before committing:**", ""]
            out += [f"- **{who}:** {plain(text)}" for who, text in p.readiness_low] + [""]
        if p.readiness_notes:
            out += ["**Notes:**", ""] + [f"- **{who}:** {note}" for who, note in p.readiness_notes] + [""]
    return out


def filename(draft: Draft, ext: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", (draft.toa.district or draft.toa.title or "theory-of-action").lower()).strip("-")
    return f"{base or 'theory-of-action'}-theory-of-action.{ext}"


def export(draft: Draft, fmt: str) -> tuple[bytes, str]:
    """(file bytes, suggested file name) for fmt in md, docx, pdf, json — or the one-page plan: onepager (PDF),
    onepager-docx, onepager-md."""
    fmt = fmt.lower().lstrip(".")
    if fmt in ("md", "markdown"):
        return to_markdown(draft).encode("utf-8"), filename(draft, "md")
    if fmt == "docx":
        from assistant.facilitation.export_docx import to_docx

        return to_docx(draft), filename(draft, "docx")
    if fmt == "pdf":
        from assistant.facilitation.export_pdf import to_pdf

        return to_pdf(draft), filename(draft, "pdf")
    if fmt == "json":
        return draft.toa.to_json().encode("utf-8"), filename(draft, "json")
    if fmt in ONE_PAGER:
        return one_page(draft, ONE_PAGER[fmt])
    raise ValueError(f"unknown export format {fmt!r}; use md, docx, pdf, json, onepager, onepager-docx or onepager-md")


ONE_PAGER = {"onepager": "pdf", "onepager-pdf": "pdf", "onepager-docx": "docx", "onepager-md": "md"}


def one_page(draft: Draft, fmt: str) -> tuple[bytes, str]:
    """The one-page plan for the board as (bytes, file name): fmt pdf (always one printed page), docx or md."""
    from assistant.facilitation.onepager import one_pager, to_markdown as page_markdown

    page = one_pager(draft)
    name = filename(draft, fmt).replace("-theory-of-action.", "-one-page-plan.")
    if fmt == "md":
        return page_markdown(page).encode("utf-8"), name
    if fmt == "docx":
        from assistant.facilitation.onepager_docx import to_docx as page_docx

        return page_docx(page), name
    from assistant.facilitation.onepager_pdf import to_pdf as page_pdf

    return page_pdf(page), name


__all__ = ["MIME", "export", "filename", "to_markdown"]
