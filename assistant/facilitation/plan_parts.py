"""The improvement-plan parts of a draft, as every view and export shows them: the driver diagram (aim → primary
drivers → secondary drivers → change ideas), the 90-day cycles with the frameworks' language on lead measures and
short cycles, and the readiness checks — each cited passage an exact span (`SourceRef`), numbered with the rest of
the draft (drafting.number_sources).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.facilitation.cycles import Cycle
from assistant.facilitation.readiness import Readiness
from assistant.types import SourceRef


@dataclass
class Node:
    """One box of the driver diagram."""

    kind: str  # "aim", "primary", "secondary", "change"
    text: str
    refs: list[SourceRef] = field(default_factory=list)
    cites: list[int] = field(default_factory=list)  # the draft's citation numbers of `refs`
    item_id: str = ""  # the catalog item behind it, if any

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "cites": list(self.cites), "item_id": self.item_id}


@dataclass
class Band:
    """One bet's row of the diagram: its primary driver, what carries it, and the change ideas it tests."""

    number: int
    primary: Node
    secondaries: list[Node]
    changes: list[Node]

    def to_dict(self) -> dict:
        return {"bet": self.number, "primary": self.primary.to_dict(),
                "secondary": [n.to_dict() for n in self.secondaries], "change_ideas": [n.to_dict() for n in self.changes]}


@dataclass
class DriverDiagram:
    aim: Node
    bands: list[Band]
    aim_specific: bool = False  # the aim has a number
    aim_dated: bool = False  # … and a date

    def nodes(self) -> list[Node]:
        """Every node in reading order: the aim, then each band's primary, secondaries and change ideas."""
        out = [self.aim]
        for b in self.bands:
            out += [b.primary, *b.secondaries, *b.changes]
        return out

    def to_dict(self) -> dict:
        return {"aim": self.aim.to_dict(), "aim_specific": self.aim_specific, "aim_dated": self.aim_dated,
                "bets": [b.to_dict() for b in self.bands]}


@dataclass
class Cited:
    """A cited passage shown as guidance, with its draft number once numbered."""

    ref: SourceRef
    cite: int = 0


@dataclass
class CyclePart:
    number: int  # the bet's number
    title: str
    cycles: list[Cycle]


@dataclass
class ReadinessPart:
    number: int
    title: str
    readiness: Readiness
    low: dict[str, Cited] = field(default_factory=dict)  # flagged dimension -> the passage that bears on it most


@dataclass
class PlanParts:
    diagram: DriverDiagram
    measures: list[Cited] = field(default_factory=list)  # what the frameworks say about lead and lag measures
    cycle_guidance: list[Cited] = field(default_factory=list)  # … and about short improvement cycles
    cycles: list[CyclePart] = field(default_factory=list)  # bets with at least one cycle
    readiness: list[ReadinessPart] = field(default_factory=list)  # bets with at least one score
    next_cycle: tuple[int, int] | None = None  # (bet number, cycle number) the plan runs next

    def cited(self) -> list[tuple[SourceRef, object]]:
        """Every citation in reading order — diagram, cycle guidance, readiness — with the object whose number it
        sets (a Node or a Cited)."""
        out: list[tuple[SourceRef, object]] = [(r, n) for n in self.diagram.nodes() for r in n.refs]
        if self.cycles:
            out += [(c.ref, c) for c in self.measures + self.cycle_guidance]
        out += [(c.ref, c) for part in self.readiness for c in part.low.values()]
        return out

    def cycle(self) -> tuple[CyclePart, Cycle] | None:
        """The bet and cycle the plan runs next."""
        if self.next_cycle is None:
            return None
        bet, k = self.next_cycle
        part = next((p for p in self.cycles if p.number == bet), None)
        return (part, part.cycles[k - 1]) if part is not None else None
