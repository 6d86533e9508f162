"""Markdown pieces of the facilitation chat, with numbered citations that become the reply's `Citation` list
(the chat renders "[n]" markers as links to source cards, exactly as for ordinary answers)."""

from __future__ import annotations

import re

from assistant.answering.citations import chunk_for_span
from assistant.ingest.loaders import doc_id_for
from assistant.protocols import ChunkSource
from assistant.types import Chunk, Citation, Passage, SourceRef
from assistant.facilitation.checks import summary_line
from assistant.facilitation.drafting import Draft
from assistant.facilitation.outline import chain_text, check_marks, segments, statement_text
from assistant.facilitation.library import excerpt
from assistant.text.clean import shorten


class Cites:
    """Numbers SourceRefs in order of first use and turns them into the answer's Citations."""

    def __init__(self, chunks: ChunkSource):
        self.chunks = chunks
        self.refs: list[SourceRef] = []
        self._keys: dict[tuple, int] = {}

    def add(self, ref: SourceRef | None) -> int:
        if ref is None:
            return 0
        key = (ref.source, ref.start, ref.end)
        if key not in self._keys:
            self.refs.append(ref)
            self._keys[key] = len(self.refs)
        return self._keys[key]

    def mark(self, ref: SourceRef | None) -> str:
        n = self.add(ref)
        return f"[{n}]" if n else ""

    def citations(self) -> list[Citation]:
        try:
            chunks = self.chunks.chunks()
        except Exception:  # no index: cite with a chunk made from the span itself
            chunks = []
        out = []
        for n, ref in enumerate(self.refs, 1):
            chunk = chunk_for_span(chunks, ref.source, ref.start, ref.end) if chunks else None
            if chunk is None:
                chunk = Chunk(chunk_id=f"span:{ref.source}:{ref.start}-{ref.end}", doc_id=doc_id_for(ref.source),
                              source=ref.source, framework=ref.framework, start=ref.start, end=ref.end, text=ref.text,
                              section=" › ".join(ref.path), kind="passage", item_id=ref.item_id)
            out.append(Citation(n, Passage(chunk, 1.0, {"facilitation": 1.0}), ref))
        return out


def _remap(text: str, draft: Draft, cites: Cites) -> str:
    """Sentinel markers of a draft text -> the reply's own numbers (the draft's numbers when the draft opens the
    reply, see draft_markdown)."""
    out = []
    for piece, nums in segments(text):
        out.append("".join(cites.mark(draft.source(n)) for n in nums) if nums else piece)
    return "".join(out)


def draft_markdown(draft: Draft, cites: Cites, chains: bool = True) -> str:
    """The statement, each bet's chain and the coherence checks, cited. When nothing was cited before it in the
    reply, the draft's sources are numbered first, so [n] here is [n] on the Theory of action tab and in exports."""
    if not cites.refs:
        for ref in draft.sources:
            cites.add(ref)
    lines = ["**Your draft theory of action**", "", "> " + _remap(statement_text(draft), draft, cites), ""]
    for w in draft.warnings:
        lines += [f"⚠ {w}", ""]
    if chains:
        for c in draft.chains:
            lines += [f"**Bet {c.number} — {c.title}:** " + _remap(chain_text(draft, c), draft, cites), ""]
    missing = [f"{r.name} " + _remap(check_marks(draft, r), draft, cites) for r in draft.checks if not r.met]
    lines.append(f"**Coherence checks:** {summary_line(draft.checks)}"
                 + (f" Still open: {', '.join(m.strip() for m in missing)}." if missing else ""))
    return "\n".join(lines)


def option_lines(candidates: list[dict], cites: Cites, start: int = 1) -> str:
    """Numbered suggested practices, each with its matching sentence cited."""
    lines = []
    for n, c in enumerate(candidates[start - 1:], start):
        ref = SourceRef.from_dict(c["citation"])
        also = [r["label"] for r in c.get("related", [])][:2]
        extra = f" *(see also: {'; '.join(also)})*" if also else ""
        lines.append(f"{n}. **{c['label']}** — “{excerpt(ref, 32)}” {cites.mark(ref)}{extra}")
    return "\n".join(lines)


def review_markdown(rv, cites: Cites) -> str:
    """A reviewed statement for the chat: its clauses, what it does well, and cited suggestions."""
    lines = ["**Your statement, clause by clause**", ""]
    lines += [f"- *{c.role}*: {c.text}" for c in rv.clauses]
    met = [r for r in rv.checks if r.met]
    lines += ["", "**What it already does well:** " + ("; ".join(r.name for r in met) if met else "—"), "",
              "**What the frameworks would add**", ""]
    for n, s in enumerate(rv.suggestions, 1):
        lines.append(f"{n}. **{s.name}** {cites.mark(s.criterion)} — {s.hint} *Ask the team:* {s.question}")
        if s.support is not None:
            lines.append(f"   *For example:* “{shorten(s.support.text, 35)}” {cites.mark(s.support)}")
    if not rv.suggestions:
        lines.append("Nothing missing against the eleven checks — nicely done.")
    lines += ["", "Want to rebuild it step by step? Say **start a theory of action**."]
    return "\n".join(lines)
