"""Numbered citations over exact source spans: one number per quoted passage, in order of first use."""

from __future__ import annotations

import re
from typing import Callable

from assistant.text.sentences import sentence_spans
from assistant.types import Chunk, Citation, Passage, SourceRef


class CitationBuilder:
    """Hands out [n] numbers, one per passage in order of first use, and keeps the list the answer refers to.

    Quoting a passage again (another sentence of it) reuses its number: the citation then covers every quoted span
    (`Citation.spans`) and its `ref` spans from the first to the last of them."""

    def __init__(self, text_of: Callable[[str], str | None]):
        self._text_of = text_of
        self._by_chunk: dict[str, int] = {}  # chunk id -> index in self.citations
        self.citations: list[Citation] = []

    def cite(self, passage: Passage, start: int, end: int) -> int:
        """The citation number of this passage, recording document span [start, end) as quoted."""
        chunk = passage.chunk
        raw = self._text_of(chunk.doc_id) or ""
        at = self._by_chunk.get(chunk.chunk_id)
        if at is None:
            quote = raw[start:end] if raw else chunk.text
            c = Citation(len(self.citations) + 1, passage, SourceRef.in_chunk(chunk, start, end, quote),
                         ((start, end),))
            self._by_chunk[chunk.chunk_id] = len(self.citations)
            self.citations.append(c)
            return c.number
        old = self.citations[at]
        if (start, end) in old.spans:
            return old.number
        spans = tuple(sorted(set(old.spans) | {(start, end)}))
        a, b = spans[0][0], max(e for _, e in spans)
        ref = SourceRef.in_chunk(chunk, a, b, raw[a:b] if raw else chunk.text)
        self.citations[at] = Citation(old.number, old.passage, ref, spans)
        return old.number

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


def drop_markers(text: str, numbers: list[int]) -> str:
    """The text without the [n] markers for `numbers` (markers that have no source)."""
    bad = {int(n) for n in numbers}
    return re.sub(r"\s?\[(\d+)\]", lambda m: "" if int(m.group(1)) in bad else m.group(0), text)


def check_numbers(text: str, citations: list[Citation]) -> list[int]:
    """Citation numbers used in text that have no entry (should always be empty)."""
    used = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    have = {c.number for c in citations}
    return sorted(used - have)
