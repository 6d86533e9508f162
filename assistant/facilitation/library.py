"""The framework text behind every suggestion: exact spans of catalog items, their sentences and display labels.

Every suggestion cites a `SourceRef` (assistant.types): the catalog item it belongs to plus an exact character span
of the document text (``quote == raw[start:end]``). `Library` turns catalog items into SourceRefs, reading document
texts from the same source the answer engine cites from.
"""

from __future__ import annotations

import re

from assistant.frameworks import Catalog, lookup
from assistant.ingest.loaders import doc_id_for
from assistant.protocols import DocumentTexts
from assistant.text.clean import clean, shorten, squash
from assistant.text.sentences import sentence_spans
from assistant.types import SourceRef

# The field that states what an item *is*, per kind (the rest of the item elaborates it).
DEFINING_FIELD = {"condition": "Definition", "strategy": "Aim", "function": "Description", "step": "Summary",
                  "component": "Purpose", "lever": "Focus"}
SHORT_ITEM_CHARS = 420  # items up to this long are quoted whole


class Library:
    """Catalog items as citable text: exact spans, defining sentences, phrase look-ups."""

    def __init__(self, catalog: Catalog, texts: DocumentTexts):
        self.catalog = catalog
        self.texts = texts

    # ---- text ----------------------------------------------------------------------------------------------
    def raw(self, source: str) -> str:
        """The text of the framework document `source` (catalog offsets index it)."""
        text = self.texts.document_text(doc_id_for(source))
        if text is None:
            raise KeyError(f"{source} is not in the library index; index the corpus first")
        return text

    def item(self, item_id: str):
        """The catalog item, or KeyError with a message a person can act on."""
        item = self.catalog.get(item_id)
        if item is None:
            raise KeyError(f"unknown framework item {item_id!r} (ids look like 'uva:condition-4' or 'rubric:12a')")
        return item

    def resolve(self, ref: str):
        """An item by id ('uva:condition-4') or by a typed reference ('condition 4 uva', '12a'); None if unknown."""
        item = self.catalog.get(ref.strip())
        if item is not None:
            return item
        hits = lookup(self.catalog, ref)
        return hits[0] if hits else None

    def ref(self, item, start: int | None = None, end: int | None = None) -> SourceRef:
        """A SourceRef over [start, end) of the item's file (default: the whole item)."""
        if isinstance(item, str):
            item = self.item(item)
        a = item.start if start is None else start
        b = item.end if end is None else end
        return SourceRef(item.id, item.framework, item.source, a, b, self.raw(item.source)[a:b], tuple(item.path))

    def sentences(self, item, min_words: int = 3) -> list[tuple[int, int]]:
        """Sentence spans inside the item (headings of fewer than `min_words` words skipped)."""
        raw = self.raw(item.source)
        return [(a, b) for a, b in sentence_spans(raw, item.start, item.end) if len(raw[a:b].split()) >= min_words]

    def is_heading(self, item, start: int, end: int) -> bool:
        """Whether [start, end) is a heading rather than prose: too short, the item's own title, or (for items
        with named parts) outside every part ("Implications for District Leaders' Practice of …")."""
        text = squash(self.raw(item.source)[start:end])
        if len(text.split()) < 5 or text.rstrip(".").endswith(item.title.rstrip(".")):
            return True
        if item.fields and item.kind != "practice":
            return not any(f.start <= start and end <= f.end for f in item.fields)
        return False

    def defining(self, item) -> SourceRef:
        """The span that states what the item is: its defining field, its practice cell, or its first real
        sentence; short items are quoted whole."""
        if isinstance(item, str):
            item = self.item(item)
        raw = self.raw(item.source)
        if item.kind == "practice" and self.catalog.is_leveled(item.framework):
            tab = raw.find("\t", item.start, item.end)
            return self.ref(item, item.start, tab if tab > 0 else item.end)
        name = DEFINING_FIELD.get(item.kind)
        f = item.field(name) if name else None
        if f is not None:
            return self.ref(item, f.start, f.end)
        if item.kind == "indicator" and item.fields:
            return self.ref(item, item.fields[0].start, item.fields[0].end)
        if item.end - item.start <= SHORT_ITEM_CHARS:
            return self.ref(item)
        for a, b in self.sentences(item, 6):
            return self.ref(item, a, b)
        return self.ref(item)

    def find(self, item, phrase: str) -> SourceRef:
        """The sentence of `item` that contains `phrase` (whitespace- and markup-insensitive); the whole item if
        no sentence does. Used to cite the exact words a criterion comes from."""
        if isinstance(item, str):
            item = self.item(item)
        want = squash(phrase).casefold()
        raw = self.raw(item.source)
        for a, b in self.sentences(item, 1):
            if want in squash(clean(raw[a:b])).casefold():
                return self.ref(item, a, b)
        if want in squash(item.text).casefold():
            return self.ref(item)
        raise ValueError(f"{item.id}: phrase {phrase!r} not found")

    # ---- labels --------------------------------------------------------------------------------------------
    def name(self, item) -> str:
        """Short display name: 'UVA-PLE Condition 4: Supervision and …', 'Rubric Practice 12: …'."""
        if isinstance(item, str):
            item = self.item(item)
        fw = self.catalog.display_name(item.framework)
        if item.kind == "indicator":
            return f"{fw} Indicator {item.number}"
        label = item.label
        if item.kind == "practice" and self.catalog.is_leveled(item.framework):
            label = f"Practice {item.number}: {shorten(item.title, 12)}"
        elif item.kind in self.catalog.descriptor(item.framework).parent_numbered_kinds:
            parent = self.catalog.get(item.parent) if item.parent else None
            label = f"{parent.title if parent else ''} {item.kind} {item.number}: {shorten(item.title, 12)}".strip()
        elif item.kind in ("action", "criterion", "element") or len(label.split()) > 14:
            label = shorten(label, 12)
        return f"{fw} {label}"


def excerpt(ref: SourceRef, words: int = 30) -> str:
    """A quotable excerpt of a cited span: list numbering ("2.", "(d)") dropped, cut to `words` words."""
    return shorten(re.sub(r"^\(?[0-9a-z]{1,2}[.)]\s+", "", ref.text), words)


def sentence_case(text: str) -> str:
    """Lowercase the first letter unless the first word is an acronym or a proper name in capitals ('ELA')."""
    text = squash(text).strip().rstrip(".")
    if not text:
        return text
    first = text.split(" ", 1)[0]
    if len(first) > 1 and (first.isupper() or re.search(r"[A-Z]", first[1:])):
        return text
    return text[:1].lower() + text[1:]
