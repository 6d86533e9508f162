"""Split documents into retrievable chunks: framework documents by their catalog structure, others by headings and paragraphs."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Callable, Iterable

from assistant.text.clean import clean
from assistant.text.sentences import sentence_spans
from assistant.types import Chunk, Document

CHUNKER_VERSION = "6"
MAX_WORDS = 170  # ~230 word-pieces: stays inside MiniLM's 256-token window with the heading prefix
MIN_WORDS = 25


@dataclass(frozen=True)
class Block:
    start: int
    end: int
    heading: bool


# A structured splitter returns chunks for the spans it understands; the generic splitter covers the rest.
StructuredSplitter = Callable[[Document], list[Chunk]]


def chunk_document(doc: Document, structured: StructuredSplitter | None = None) -> list[Chunk]:
    """Chunks covering the document: structured ones first, generic heading/paragraph chunks for uncovered text."""
    return cover_gaps(doc, list(structured(doc)) if structured else [])


def cover_gaps(doc: Document, chunks: list[Chunk]) -> list[Chunk]:
    """`chunks` plus generic chunks for the text they leave uncovered, without debris, in document order."""
    chunks = list(chunks)
    covered = sorted((c.start, c.end) for c in chunks)
    for a, b in _gaps(covered, len(doc.text)):
        chunks.extend(generic_chunks(doc, a, b))
    chunks = [c for c in chunks if has_content(c.text)]
    chunks.sort(key=lambda c: (c.start, -c.end, c.kind))
    return chunks


_LETTERS = re.compile(r"[^\W\d_]{2,}")


def has_content(text: str) -> bool:
    """False for debris: bare ids ("3b"), table headers in capitals, punctuation. Letters of any script count;
    a caseless script (Chinese, Arabic) needs no lowercase."""
    if len(_LETTERS.findall(text)) < 3:
        return False
    if re.search(r"[a-z]", text):
        return True
    return not text.isascii() and any(ch.isalpha() and not ch.isupper() for ch in text)


def generic_chunks(doc: Document, start: int = 0, end: int | None = None) -> list[Chunk]:
    """Heading/paragraph-aware chunks of doc.text[start:end], each within MAX_WORDS, section = nearest headings."""
    end = len(doc.text) if end is None else end
    blocks = list(_blocks(doc.text, start, end))
    out: list[Chunk] = []
    headings: list[str] = _headings_before(doc.text, start)
    group: list[Block] = []
    words = 0

    def flush():
        nonlocal group, words
        body = [b for b in group if not b.heading]
        if body:
            a, b = group[0].start, group[-1].end
            out.append(make_chunk(doc, a, b, section=" › ".join(headings[-2:]), kind="passage"))
        group, words = [], 0

    for block in blocks:
        text = doc.text[block.start:block.end]
        if block.heading:
            flush()
            headings = _push_heading(headings, clean(text))
            continue
        n = len(text.split())
        if n > MAX_WORDS:
            flush()
            for a, b in _split_long(doc.text, block.start, block.end):
                out.append(make_chunk(doc, a, b, section=" › ".join(headings[-2:]), kind="passage"))
            continue
        if words + n > MAX_WORDS or (group and words >= MIN_WORDS * 3):
            flush()
        group.append(block)
        words += n
    flush()
    return [c for c in out if c.text]


def make_chunk(doc: Document, start: int, end: int, *, section: str = "", kind: str = "passage", item_id: str = "",
               indicator: str = "", practice: str = "", level: str = "", text: str | None = None,
               lead: str = "") -> Chunk:
    """A chunk over doc.text[start:end] with a stable id (document, span, kind) and embed text within the window."""
    body = clean(doc.text[start:end]) if text is None else text
    key = f"{doc.doc_id}:{start}:{end}:{kind}:{level}"
    chunk_id = f"{doc.doc_id}-{hashlib.sha1(key.encode()).hexdigest()[:12]}"
    head = " — ".join(x for x in (doc.framework, section, lead) if x)
    return Chunk(
        chunk_id=chunk_id,
        doc_id=doc.doc_id,
        source=doc.source,
        framework=doc.framework,
        start=start,
        end=end,
        text=body,
        section=section,
        kind=kind,
        item_id=item_id,
        indicator=indicator,
        practice=practice,
        level=level,
        page=doc.page_at(start),
        title=doc.title,
        embed_text=truncate_words(f"{head}: {body}" if head else body, MAX_WORDS + 15),
    )


def truncate_words(text: str, n: int) -> str:
    """The first n whitespace-separated words of text."""
    parts = text.split()
    return " ".join(parts[:n])


def _gaps(spans: list[tuple[int, int]], length: int) -> Iterable[tuple[int, int]]:
    pos = 0
    for a, b in spans:
        if a > pos:
            yield pos, a
        pos = max(pos, b)
    if pos < length:
        yield pos, length


_NUMBERED_HEAD = re.compile(r"^(#{1,6}\s|(Step|Lever|Condition|Practice|Part|Section|Chapter)\s+\d+\b)", re.I)


def _is_heading(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > 100:
        return False
    if _NUMBERED_HEAD.match(s):
        return True
    if s.startswith(("-", "*", "•", "✓", "<")) or re.match(r"^\d+[.)]\s", s):
        return False
    words = s.split()
    if s.isupper() and len(words) <= 12:
        return True
    return len(words) <= 10 and not re.search(r"[.,;:!?)]$", s) and s[0].isupper()


def _blocks(text: str, start: int, end: int) -> Iterable[Block]:
    """Paragraph blocks (split at blank lines; a heading line is its own block)."""
    for m in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", text[start:end]):
        para_start = start + m.start()
        lines = list(re.finditer(r"[^\n]+", m.group(0)))
        buf_start = None
        buf_end = None
        for lm in lines:
            a, b = para_start + lm.start(), para_start + lm.end()
            if not text[a:b].strip():
                continue
            if _is_heading(text[a:b]) and (len(lines) == 1 or lm is lines[0]):
                if buf_start is not None:
                    yield Block(buf_start, buf_end, False)
                    buf_start = None
                yield Block(a, b, True)
                continue
            if buf_start is None:
                buf_start = a
            buf_end = b
        if buf_start is not None:
            yield Block(buf_start, buf_end, False)


def _headings_before(text: str, pos: int) -> list[str]:
    heads: list[str] = []
    for m in re.finditer(r"[^\n]+", text[:pos]):
        if _is_heading(m.group(0)):
            heads = _push_heading(heads, clean(m.group(0)))
    return heads


def _push_heading(heads: list[str], title: str) -> list[str]:
    title = title.lstrip("#").strip()
    if title.startswith("#"):
        return heads
    return (heads + [title])[-3:]


def _split_long(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Split an over-long paragraph at sentence ends into pieces of at most MAX_WORDS."""
    piece_start = None
    words = 0
    last_end = start
    for a, b in sentence_spans(text, start, end):
        n = len(text[a:b].split())
        if piece_start is not None and words + n > MAX_WORDS:
            yield piece_start, last_end
            piece_start, words = None, 0
        if piece_start is None:
            piece_start = a
        words += n
        last_end = b
    if piece_start is not None:
        yield piece_start, last_end
