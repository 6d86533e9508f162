"""Chunks for framework documents cut along the catalog tree: a small item is one chunk, a large one is split
into its children (and its own intro text); kinds the framework splits by field (a leveled rubric's indicators)
always become one chunk per field. Which kinds split or stay inline is the catalog's (framework descriptors')."""

from __future__ import annotations

import re

from assistant.ingest.chunking import MAX_WORDS, generic_chunks, make_chunk
from assistant.text.clean import clean
from assistant.types import Chunk, Document



def structured_splitter(catalog):
    """A splitter for chunk_document(); returns no chunks for documents the catalog does not describe."""

    def split(doc: Document) -> list[Chunk]:
        items = catalog.items_for_source(doc.source) if catalog is not None else []
        if not items:
            return []
        ids = {i.id for i in items}
        roots = [i for i in items if i.parent is None or i.parent not in ids]
        out: list[Chunk] = []
        for root in roots:
            out.extend(_item_chunks(doc, catalog, root))
        return _dedupe(out)

    return split


def _words(text: str) -> int:
    return len(text.split())


def _item_chunks(doc: Document, catalog, item) -> list[Chunk]:
    # Inline fragments (features, key conditions, bullet actions inside one paragraph) never drive chunking:
    # their paragraph is kept whole or split by sentences.
    inline = catalog.descriptor(item.framework).inline_kinds
    kids = [c for c in catalog.children(item.id) if c.kind not in inline]
    inside = [c for c in kids if c.start >= item.start and c.end <= item.end]
    # Children placed elsewhere in the file (UVA-PLE conditions under a lever named only in the overview).
    elsewhere = [c for c in kids if c not in inside]
    out = _own_chunks(doc, catalog, item, inside)
    for child in elsewhere:
        out.extend(_item_chunks(doc, catalog, child))
    return out


def _own_chunks(doc: Document, catalog, item, children) -> list[Chunk]:
    section = " › ".join(item.path)
    meta = _meta(catalog, item)
    # Split kinds (rubric indicators) are cut per field so "what does 11a say at Getting Better" finds that cell.
    split = catalog.descriptor(item.framework).split_kinds
    levels = catalog.descriptor(item.framework).levels
    if item.kind in split and item.fields:
        return _field_chunks(doc, item, section, meta, levels)
    whole_ok = not any(c.kind in split for c in children)
    if (_words(item.text) <= MAX_WORDS and whole_ok) or (not children and not item.fields):
        if _words(item.text) <= MAX_WORDS:
            return [make_chunk(doc, item.start, item.end, section=section, kind=item.kind, item_id=item.id,
                               text=item.text, **meta)]
        return [_retag(c, item, section, meta) for c in generic_chunks(doc, item.start, item.end)]
    if not children:
        return _field_chunks(doc, item, section, meta, levels)
    out: list[Chunk] = []
    pos = item.start
    for child in sorted(children, key=lambda c: c.start):
        if child.start > pos and doc.text[pos:child.start].strip():
            out.extend(_gap_chunks(doc, item, pos, child.start, section, meta))
        out.extend(_item_chunks(doc, catalog, child))
        pos = max(pos, child.end)
    if pos < item.end and doc.text[pos:item.end].strip():
        out.extend(_gap_chunks(doc, item, pos, item.end, section, meta))
    return out


def _gap_chunks(doc, item, start, end, section, meta) -> list[Chunk]:
    text = clean(doc.text[start:end])
    if len(re.findall(r"[A-Za-z]{2,}", text)) < 3 and (not text or text.rstrip(":;. ") in section or
                                                       not re.search(r"[A-Za-z]{4,}", text)):
        return []  # a bare heading already carried by the section path
    if _words(text) <= MAX_WORDS:
        return [make_chunk(doc, start, end, section=section, kind=item.kind, item_id=item.id, text=text, **meta)]
    return [_retag(c, item, section, meta) for c in generic_chunks(doc, start, end)]


def _field_chunks(doc, item, section, meta, levels) -> list[Chunk]:
    """One chunk per field; each span reaches back over the heading line before it so no text is orphaned."""
    out = []
    pos = item.start
    for f in sorted(item.fields, key=lambda f: f.start):
        gap = doc.text[pos:f.start]
        start = pos if len(gap.split()) <= 25 and "\t" not in gap.strip() else f.start
        out.append(_field_chunk(doc, item, f, section, meta, levels, start))
        pos = f.end
    return out


def _field_chunk(doc, item, field, section, meta, levels, start: int | None = None) -> Chunk:
    level = field.name if field.name in levels else ""
    kind = "level" if level else item.kind
    lead = field.name
    m = dict(meta)
    if level:
        m["level"] = level
    return make_chunk(doc, field.start if start is None else start, field.end, section=section, kind=kind,
                      item_id=item.id, text=field.text, lead=lead, **m)


def _retag(chunk: Chunk, item, section: str, meta: dict) -> Chunk:
    from dataclasses import replace

    return replace(chunk, section=section, kind=item.kind, item_id=item.id, **meta)


def _meta(catalog, item) -> dict:
    """Rubric identifiers for chunks of an indicator or practice (the kinds the framework's descriptor names)."""
    meta = {"indicator": "", "practice": ""}
    d = catalog.descriptor(item.framework)
    if d.indicator_kind and item.kind == d.indicator_kind:
        meta["indicator"] = item.number
        parent = catalog.get(item.parent) if item.parent else None
        meta["practice"] = parent.number if parent is not None and parent.kind == d.practice_kind else \
            "".join(ch for ch in item.number if ch.isdigit())
    elif d.practice_kind and item.kind == d.practice_kind:
        meta["practice"] = item.number
    return meta


def _dedupe(chunks: list[Chunk]) -> list[Chunk]:
    seen: set[str] = set()
    out = []
    for c in chunks:
        if c.chunk_id in seen or not c.text.strip():
            continue
        seen.add(c.chunk_id)
        out.append(c)
    return out
