"""Numbered citations over exact source spans: one number per distinct span, in order of first use."""

from __future__ import annotations

import re
from typing import Callable

from assistant.text.sentences import sentence_spans
from assistant.types import Chunk, Citation, Passage, SourceRef


class CitationBuilder:
    """Hands out [n] numbers for spans and keeps the list the answer text refers to."""

    def __init__(self, text_of: Callable[[str], str | None]):
        self._text_of = text_of
        self._by_span: dict[tuple[str, int, int], Citation] = {}
        self.citations: list[Citation] = []

    def cite(self, passage: Passage, start: int, end: int) -> int:
        """The citation number for document span [start, end) of this passage's document."""
        key = (passage.chunk.doc_id, start, end)
        hit = self._by_span.get(key)
        if hit is not None:
            return hit.number
        raw = self._text_of(passage.chunk.doc_id) or ""
        quote = raw[start:end] if raw else passage.chunk.text
        c = Citation(len(self.citations) + 1, passage, SourceRef.in_chunk(passage.chunk, start, end, quote))
        self._by_span[key] = c
        self.citations.append(c)
        return c.number

    def marker(self, passage: Passage, start: int, end: int) -> str:
        return f"[{self.cite(passage, start, end)}]"


def chunk_for_span(chunks: list[Chunk], source: str, start: int, end: int, level: str = "") -> Chunk | None:
    """The indexed chunk holding a source span (preferring the matching rubric level and the tightest chunk)."""
    best = None
    for c in chunks:
        if c.source != source or not (c.start <= start < c.end or start <= c.start < end):
            continue
        rank = (0 if (not level or c.level == level) else 1, c.end - c.start)
        if best is None or rank < best[0]:
            best = (rank, c)
    return best[1] if best else None


def first_sentence(raw: str, start: int, end: int, min_words: int = 6) -> tuple[int, int]:
    """Span of the first real sentence inside [start, end) (skipping headings); the whole span if none."""
    for a, b in sentence_spans(raw, start, end):
        if len(raw[a:b].split()) >= min_words:
            return a, b
    return start, end


def check_numbers(text: str, citations: list[Citation]) -> list[int]:
    """Citation numbers used in text that have no entry (should always be empty)."""
    used = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    have = {c.number for c in citations}
    return sorted(used - have)
