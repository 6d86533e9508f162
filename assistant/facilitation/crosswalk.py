"""Crosswalk: for one framework item, the most closely related items in each of the other frameworks, side by side
with their text and citations (UVA-PLE Condition 4 ↔ rubric Practice 12 ↔ LEAD CT school-leadership conditions).

Relatedness is `ItemSpace.similarity`: centred embeddings of the items' profiles and sentences plus idf-weighted
word overlap. Within a column an item and its ancestor/descendant never both appear (the better one stays).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.facilitation.library import Library
from assistant.text.clean import shorten
from assistant.types import SourceRef
from assistant.facilitation.vectors import SpaceSource

MIN_SIMILARITY = 0.12  # below this only the single closest item of a framework is shown (marked weak)


@dataclass
class Entry:
    """One item in a crosswalk: what it is, how close, and the span that says it."""

    item_id: str
    framework: str
    label: str
    text: str
    score: float
    citation: SourceRef
    weak: bool = False  # shown only because nothing in that framework is closer

    def to_dict(self) -> dict:
        return {"item_id": self.item_id, "framework": self.framework, "label": self.label, "text": self.text,
                "score": round(self.score, 4), "weak": self.weak, "citation": self.citation.to_dict()}


@dataclass
class Crosswalk:
    anchor: Entry
    columns: dict[str, list[Entry]] = field(default_factory=dict)  # framework -> related items, best first

    def to_dict(self) -> dict:
        return {"anchor": self.anchor.to_dict(),
                "columns": {fw: [e.to_dict() for e in entries] for fw, entries in self.columns.items()}}

    def to_markdown(self) -> str:
        a = self.anchor
        lines = [f"### {a.label} ({a.framework})", "", f"> {a.citation.text}", f"> — {a.citation.label}", ""]
        for fw, entries in self.columns.items():
            lines.append(f"**{fw}**")
            if not entries:
                lines.append("- (nothing closely related)")
            for e in entries:
                weak = " — a weak match" if e.weak else ""
                lines.append(f"- **{e.label}** — {shorten(e.citation.text, 40)} *(match {e.score:.2f}{weak}; "
                             f"{e.citation.source}, characters {e.citation.start}–{e.citation.end})*")
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"


def _entry(lib: Library, item, score: float) -> Entry:
    cite = lib.defining(item)
    return Entry(item.id, item.framework, lib.name(item), shorten(cite.text, 60), score, cite)


class Crosswalker:
    """Builds crosswalks from the library's items and the current item space."""

    def __init__(self, library: Library, spaces: SpaceSource):
        self.lib = library
        self.spaces = spaces

    def crosswalk(self, ref: str, per_framework: int = 2) -> Crosswalk:
        """Related items in every other framework for an item id or typed reference ('uva:condition-4', '12a')."""
        lib = self.lib
        item = lib.resolve(ref or "")
        if item is None:
            raise ValueError(f"no framework item matches {ref!r}; use an id such as 'uva:condition-4' or 'rubric:12a'")
        sims = self.spaces.current().similarities(item)
        catalog = lib.catalog
        related_line = ({item.id} | {a.id for a in catalog.ancestors(item.id)}
                        | {d.id for d in catalog.descendants(item.id)})
        columns: dict[str, list[Entry]] = {fw: [] for fw in catalog.frameworks() if fw != item.framework}
        taken: dict[str, list[set[str]]] = {fw: [] for fw in columns}
        for other_id, score in sorted(sims.items(), key=lambda kv: (-kv[1], kv[0])):
            other = catalog.get(other_id)
            if other.framework == item.framework or other_id in related_line:
                continue
            col = columns[other.framework]
            if len(col) >= per_framework or (col and score < MIN_SIMILARITY):
                continue
            line = {other_id} | {a.id for a in catalog.ancestors(other_id)}
            if any(other_id in kept or e.item_id in line for e, kept in zip(col, taken[other.framework])):
                continue
            entry = _entry(lib, other, score)
            entry.weak = score < MIN_SIMILARITY
            col.append(entry)
            taken[other.framework].append(line)
        return Crosswalk(_entry(lib, item, 1.0), columns)
