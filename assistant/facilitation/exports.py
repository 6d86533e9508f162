"""Exports of a theory-of-action draft: Markdown here, DOCX (export_docx.py) and PDF (export_pdf.py), all built from
the same `outline()` (outline.py); JSON is the plan itself.
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
    if o.table:
        out += ["## Strategy table", "", "| " + " | ".join(o.table_head) + " |",
                "|" + "---|" * len(o.table_head)]
        for row in o.table:
            out.append("| " + " | ".join(cell.replace("\n", "<br>").replace("|", "/") for cell in row) + " |")
        out.append("")
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


def filename(draft: Draft, ext: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", (draft.toa.district or draft.toa.title or "theory-of-action").lower()).strip("-")
    return f"{base or 'theory-of-action'}-theory-of-action.{ext}"


def export(draft: Draft, fmt: str) -> tuple[bytes, str]:
    """(file bytes, suggested file name) for fmt in md, docx, pdf, json."""
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
    raise ValueError(f"unknown export format {fmt!r}; use md, docx, pdf or json")


__all__ = ["MIME", "export", "filename", "to_markdown"]
