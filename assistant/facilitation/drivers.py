"""Secondary drivers of a bet: what carries the bet (a system, a condition, a practice), in the team's words, each
keeping the exact framework span it was suggested from (a `SourceRef`) while the team edits its wording.

A driver the team typed itself has no citation; a suggested one keeps its citation through light edits (the team
tightens the wording) but not when the line is replaced by something else.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from assistant.types import SourceRef

KEEP_CITATION = 0.6  # an edited line keeps the citation of the driver it came from when this similar to it
MAX_DRIVERS = 6  # per bet: a driver diagram with more stops being read


@dataclass
class Driver:
    text: str
    item_id: str = ""  # the catalog item it was suggested from ("" when the team wrote it)
    ref: SourceRef | None = None  # the exact span it cites

    def to_dict(self) -> dict:
        return {"text": self.text, "item_id": self.item_id, "citation": self.ref.to_dict() if self.ref else None}

    @classmethod
    def from_dict(cls, d) -> "Driver":
        """A driver from its saved form, or from plain text."""
        if isinstance(d, str):
            return cls(" ".join(d.split()))
        ref = d.get("citation")
        try:
            ref = SourceRef.from_dict(ref) if ref else None
        except (KeyError, TypeError, ValueError):
            ref = None  # a damaged citation is dropped, never invented
        return cls(" ".join(str(d.get("text") or "").split()), str(d.get("item_id") or ""), ref)


def drivers_from(value) -> list[Driver]:
    """Drivers from a saved list (dicts or strings) or from text with one driver per line."""
    from assistant.facilitation.entries import as_list

    if isinstance(value, str):
        value = as_list(value)
    out = [Driver.from_dict(v) for v in value or [] if isinstance(v, (str, dict))]
    return [d for d in out if d.text]


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a.casefold(), b.casefold()).ratio()


def relabel(old: list[Driver], lines: list[str]) -> list[Driver]:
    """The drivers as the team now words them (one per line): a line that is an earlier driver's text, or a light
    edit of it, keeps that driver's item and citation (each earlier driver is used once, closest first)."""
    from assistant.facilitation.entries import as_list

    texts = as_list(lines)
    unused = list(old)
    out: list[Driver] = []
    for text in texts:
        text = " ".join(text.split())
        best = max(unused, key=lambda d: (d.text == text, _similar(d.text, text)), default=None)
        if best is not None and (best.text == text or _similar(best.text, text) >= KEEP_CITATION):
            unused.remove(best)
            out.append(Driver(text, best.item_id, best.ref))
        else:
            out.append(Driver(text))
    return out


def add(drivers: list[Driver], new: list[Driver]) -> tuple[list[Driver], int]:
    """`drivers` with the new ones appended (an item already there is not added twice; never more than
    MAX_DRIVERS); returns the list and how many were added."""
    have = {d.item_id for d in drivers if d.item_id} | {d.text.casefold() for d in drivers}
    out = list(drivers)
    for d in new:
        if len(out) >= MAX_DRIVERS:
            break
        if (d.item_id and d.item_id in have) or d.text.casefold() in have:
            continue
        out.append(d)
        have |= {d.item_id, d.text.casefold()}
    return out, len(out) - len(drivers)
