"""What the generic layers may ask about a framework, stated once per framework beside its parser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from assistant.frameworks.model import Item

Parse = Callable[[str, str, str], list[Item]]  # (raw text, framework short name, source file) -> items


@dataclass(frozen=True)
class SelfAssessment:
    """How a framework's items are rated in a self-assessment."""

    kind: str  # the kind of item rated ("indicator", "condition")
    group_kind: str  # what ratings are averaged over ("area", "lever")
    scale: dict[int, str]  # rating -> name, lowest first
    # Not leveled: the field that says what "in place" means, and the fields read for next moves, as
    # (highest current rating, field) steps; above the last step there is no next move.
    describing_field: str = ""
    next_fields: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Descriptor:
    """One framework kind: its parser and the facts chunking, retrieval, answering and facilitation need."""

    parser: str  # the manifest `parser` value that selects it ("rubric")
    prefix: str  # the id prefix of its items ("rubric" in "rubric:11a")
    parse: Parse
    label: str = ""  # short name in compact item names ("Rubric"); empty: the manifest short name
    # A leveled rubric: its indicators have one cell per level (lowest first), chunked and answered per level.
    levels: tuple[str, ...] = ()
    indicator_kind: str = ""  # kind whose number is a chunk's `indicator` ("11a")
    practice_kind: str = ""  # kind whose number is a chunk's `practice` ("11")
    split_kinds: frozenset[str] = frozenset()  # kinds cut into one chunk per field
    inline_kinds: frozenset[str] = frozenset()  # fragments inside a paragraph: they never drive chunking
    actionable_kinds: frozenset[str] = frozenset()  # kinds a district can act on (suggested practices)
    # Kinds that name what carries a bet in a driver diagram (a system, condition or practice): suggested as
    # secondary drivers. Empty: none of this framework's items are.
    driver_kinds: frozenset[str] = frozenset()
    parent_numbered_kinds: frozenset[str] = frozenset()  # numbered within their parent: names need the parent
    illustrative_kinds: frozenset[str] = frozenset()  # stories and examples, not the framework's own statements
    assessment: SelfAssessment | None = None

    @property
    def leveled(self) -> bool:
        return bool(self.levels)


# Documents without a parser (uploads) are described by nothing: no levels, no special kinds.
PLAIN = Descriptor(parser="", prefix="", parse=lambda raw, framework, source: [])
