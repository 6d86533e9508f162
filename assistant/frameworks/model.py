"""Typed framework items: every item and field carries cleaned text plus its exact span in the raw file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """A named sub-part of an item (a rubric level cell, a condition's Definition, a component's Purpose)."""

    name: str
    text: str  # cleaned text (export debris removed)
    start: int  # raw[start:end] is exactly this part, trimmed of surrounding whitespace
    end: int

    def to_dict(self) -> dict:
        return {"name": self.name, "text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Item:
    """One catalog entry; `text` is the cleaned content of raw[start:end] (children included)."""

    id: str  # globally unique, stable, lowercase: "rubric:11a", "uva:condition-4"
    framework: str  # manifest short name, e.g. "UVA-PLE"
    source: str  # corpus file name
    kind: str  # "condition", "indicator", "practice", ...
    number: str  # "11a", "4", "" when unnumbered
    title: str  # clean display title
    text: str
    start: int
    end: int
    parent: str | None
    path: tuple[str, ...]  # display labels root -> this item
    fields: tuple[Field, ...] = ()

    def field(self, name: str) -> Field | None:
        """The field called `name` (case-insensitive), or None."""
        want = " ".join(name.split()).casefold()
        return next((f for f in self.fields if f.name.casefold() == want), None)

    @property
    def label(self) -> str:
        """Display label: "Condition 4: Supervision and ...", "Indicator 11a", "Practice 11: ..."."""
        return label_for(self.kind, self.number, self.title)

    def to_dict(self) -> dict:
        return {"id": self.id, "framework": self.framework, "source": self.source, "kind": self.kind,
                "number": self.number, "title": self.title, "label": self.label, "text": self.text,
                "start": self.start, "end": self.end, "parent": self.parent, "path": list(self.path),
                "fields": [f.to_dict() for f in self.fields]}


# Kinds whose number is shown in labels ("Lever 2: ..."); other kinds are labelled by title alone.
_LABEL_WORD = {
    "lever": "Lever", "condition": "Condition", "practice": "Practice", "indicator": "Indicator",
    "system": "System", "step": "Step", "principle": "Principle", "requirement": "Requirement",
    "area": "Area", "strategy": "Strategy", "outcome": "Outcome", "action": "Action",
    "leadership-condition": "Key Condition",
}


def label_for(kind: str, number: str, title: str) -> str:
    """The label an item of this kind/number/title displays."""
    if kind == "vignette":
        return f"Insight from the Field: {title}"
    word = _LABEL_WORD.get(kind)
    if not word or not number:
        return title
    head = f"{word} ({number})" if kind == "leadership-condition" else f"{word} {number}"
    return head if not title or title == head else f"{head}: {title}"
