"""Text helpers shared by the framework parsers: page furniture, line/paragraph spans, item builders."""

from __future__ import annotations

import re
from typing import Iterator

from assistant.frameworks.model import Field, Item, label_for
from assistant.text.clean import clean, squash

# Lines that are page furniture of the exports (repeated table/page headers), never content.
DEBRIS_LINES = frozenset({
    "School District Coherence and Capacity Framework",
    "Purpose Process Outcomes Practices",
    "PRACTICE IN# GETTING STARTED GETTING BETTER KEEP IMPROVING",
})
_DEBRIS_HINTS = ("PRACTICE\tIN#", "Coherence and Capacity Framework", "Process Outcomes Practices")


def drop_debris(raw: str) -> str:
    """`raw` with page/table header lines blanked to spaces (length and offsets kept)."""
    if not any(hint in raw for hint in _DEBRIS_HINTS):
        return raw
    return "\n".join(" " * len(line) if squash(line) in DEBRIS_LINES else line for line in raw.split("\n"))


def span_text(raw: str) -> str:
    """Display text of a raw corpus span: page furniture dropped, then cleaned like any text."""
    return clean(drop_debris(raw))


def trim(raw: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither starts nor ends with whitespace."""
    while start < end and raw[start].isspace():
        start += 1
    while end > start and raw[end - 1].isspace():
        end -= 1
    return start, end


def lines(raw: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, str]]:
    """(start, end, text) for each line in raw[start:end], end excluding the newline."""
    end = len(raw) if end is None else end
    pos = start
    while pos < end:
        nl = raw.find("\n", pos, end)
        stop = end if nl < 0 else nl
        yield pos, stop, raw[pos:stop]
        pos = stop + 1


def paragraphs(raw: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Trimmed spans of blank-line-separated blocks in raw[start:end] (debris lines count as blank)."""
    out: list[tuple[int, int]] = []
    cur: list[int] | None = None
    for a, b, text in lines(raw, start, end):
        blank = not text.strip() or squash(text) in DEBRIS_LINES
        if blank:
            if cur:
                out.append(trim(raw, cur[0], cur[1]))
            cur = None
        elif cur is None:
            cur = [a, b]
        else:
            cur[1] = b
    if cur:
        out.append(trim(raw, cur[0], cur[1]))
    return out


_SMALL_WORDS = frozenset("a an and as at by for in of on or the to with".split())


def title_case(s: str) -> str:
    """'SHAPE THE DISTRICT'S IDENTITY' -> "Shape the District's Identity"."""
    words = s.lower().split()
    return " ".join(w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))


def upper_first(s: str) -> str:
    """'urgency and efficacy' -> 'Urgency and efficacy'."""
    return s[:1].upper() + s[1:]


def strip_article(s: str) -> str:
    """'A Window of Opportunity' -> 'Window of Opportunity' (for ids)."""
    return re.sub(r"^(?:a|an|the) ", "", s, flags=re.I)


def make_field(raw: str, name: str, start: int, end: int) -> Field:
    """A Field over trimmed raw[start:end] with cleaned text."""
    start, end = trim(raw, start, end)
    return Field(name=name, text=span_text(raw[start:end]), start=start, end=end)


class Builder:
    """Collects one document's items; computes text, trimmed spans and display paths."""

    def __init__(self, raw: str, framework: str, source: str, prefix: str):
        self.raw, self.framework, self.source, self.prefix = raw, framework, source, prefix
        self.items: list[Item] = []

    def add(self, local_id: str, kind: str, title: str, start: int, end: int, *, number: str = "",
            parent: Item | None = None, fields: tuple[Field, ...] = (), text: str | None = None) -> Item:
        start, end = trim(self.raw, start, end)
        if start >= end:
            raise ValueError(f"{self.source}: empty span for {local_id}")
        path = (parent.path if parent else ()) + (label_for(kind, number, title),)
        item = Item(id=f"{self.prefix}:{local_id}", framework=self.framework, source=self.source, kind=kind,
                    number=number, title=title, text=span_text(self.raw[start:end]) if text is None else text,
                    start=start, end=end, parent=parent.id if parent else None, path=path, fields=fields)
        self.items.append(item)
        return item

    def field(self, name: str, start: int, end: int) -> Field:
        return make_field(self.raw, name, start, end)

    def line(self, text: str, start: int = 0) -> tuple[int, int]:
        """Span of the first line at or after `start` whose stripped content is exactly `text`."""
        for a, b, t in lines(self.raw, start):
            if t.strip() == text:
                return a, b
        raise ValueError(f"{self.source}: expected heading {text!r} not found")

    def find(self, needle: str, start: int = 0, end: int | None = None) -> int:
        """Offset of `needle` in raw (within [start, end)); a missing anchor is a parse error, not silence."""
        pos = self.raw.find(needle, start, len(self.raw) if end is None else end)
        if pos < 0:
            raise ValueError(f"{self.source}: expected {needle!r} not found")
        return pos
