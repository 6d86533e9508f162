"""The improvement-plan sections every export of a draft shows, format-neutral (text may hold citation sentinels,
outline.CITE): the driver diagram (drawn by each format; Mermaid in Markdown), the 90-day cycles with the
frameworks' language on lead measures and short cycles, and the readiness checks with low scores flagged."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.facilitation.citemarks import marks
from assistant.facilitation.cycles import DECISIONS, STATUS_NAMES, parse_date
from assistant.facilitation.library import excerpt
from assistant.facilitation.mermaid import to_mermaid
from assistant.facilitation.plan_parts import Cited, DriverDiagram, PlanParts
from assistant.facilitation.readiness import DIMENSIONS, NAMES, SHORT, follow_up
from assistant.text.templates import render


@dataclass
class CycleOutline:
    heading: str  # "Bet 1: Principal supervisors as coaches — cycle 1 (under way)"
    fields: list[tuple[str, str]]  # (label, value)
    log: list[list[str]]  # rows: date, what we did and saw, what we learned, decision
    next: bool = False  # the cycle the plan runs next


@dataclass
class PlanOutline:
    diagram: DriverDiagram
    mermaid: str
    cycles_intro: str = ""
    cycles: list[CycleOutline] = field(default_factory=list)
    readiness_head: list[str] = field(default_factory=list)
    readiness: list[list[str]] = field(default_factory=list)  # one row per bet
    readiness_notes: list[tuple[str, str]] = field(default_factory=list)  # (bet and dimension, note)
    readiness_low: list[tuple[str, str]] = field(default_factory=list)  # (bet and dimension, follow-up + marker)

    LOG_HEAD = ["Date", "What we did and saw", "What we learned", "Decision"]


def _quote(c: Cited, words: int = 24) -> str:
    return f"“{excerpt(c.ref, words)}”"


def _when(cycle) -> str:
    start, end = cycle.start, cycle.end_date()
    if start and end:
        return f"{start} to {end}" + ("" if cycle.end or not parse_date(start) else " (90 days)")
    return start or end or "Dates not set yet"


def cycle_outlines(parts: PlanParts) -> list[CycleOutline]:
    out = []
    nxt = parts.next_cycle
    for part in parts.cycles:
        for k, c in enumerate(part.cycles, 1):
            status = STATUS_NAMES[c.status].lower()
            decided = f": {DECISIONS[c.decision].split(' —')[0].lower()}" if c.status == "decided" else ""
            fields = [("Change idea to test", c.change_idea), ("Prediction", c.prediction),
                      ("Lead measures", "; ".join(c.lead_measures)), ("Who", c.who), ("When", _when(c))]
            log = [[e.date, e.did, e.learned, DECISIONS.get(e.decision, "").split(" —")[0]] for e in c.log]
            out.append(CycleOutline(f"Bet {part.number}: {part.title} — cycle {k} ({status}{decided})",
                                    [(a, b) for a, b in fields if b], log, (part.number, k) == nxt))
    return out


def plan_outline(parts: PlanParts) -> PlanOutline:
    o = PlanOutline(parts.diagram, to_mermaid(parts.diagram))
    if parts.cycles:
        m, c = parts.measures[0], parts.cycle_guidance[0]
        o.cycles_intro = render("facilitation/plan_cycles_intro", measures=_quote(m), measures_cite=marks([m.cite]),
                                cycles=_quote(c), cycles_cite=marks([c.cite]))
        o.cycles = cycle_outlines(parts)
    if parts.readiness:
        o.readiness_head = ["Bet"] + [SHORT[d] for d in DIMENSIONS] + ["Average"]
        for part in parts.readiness:
            r = part.readiness
            cells = [(f"{r.score(d)} (low)" if d in part.low else str(r.score(d))) if r.score(d) else "–"
                     for d in DIMENSIONS]
            o.readiness.append([f"{part.number}. {part.title}", *cells, f"{r.average():.1f}" if r.average() else "–"])
            o.readiness_notes += [(f"Bet {part.number} — {NAMES[d]}", r.note(d)) for d in DIMENSIONS if r.note(d)]
            for d, cited in part.low.items():
                text = render("facilitation/plan_readiness_low", dimension=NAMES[d], score=r.score(d),
                              follow_up=follow_up(d))
                o.readiness_low.append((f"Bet {part.number} — {NAMES[d]}",
                                        f"{text} The frameworks: {_quote(cited, 30)}{marks([cited.cite])}"))
    return o
