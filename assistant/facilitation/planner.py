"""Builds the improvement-plan parts of a draft (plan_parts.py) and the cited passages the planning tools show:
the frameworks' language on lead measures and short cycles, and the passages that bear on each readiness dimension
(the fixed ones assistant/frameworks/improvement.py names, and the sentence of the bet's own framework items that
speaks to the question most closely).
"""

from __future__ import annotations

from assistant.facilitation import wording as W
from assistant.facilitation.cycles import next_cycle
from assistant.facilitation.library import Library
from assistant.facilitation.plan_parts import Band, Cited, CyclePart, DriverDiagram, Node, PlanParts, ReadinessPart
from assistant.facilitation.readiness import DIMENSIONS, question
from assistant.facilitation.signals import mentions
from assistant.facilitation.toa import Bet, TheoryOfAction
from assistant.facilitation.vectors import SpaceSource
from assistant.frameworks.improvement import CYCLE_LANGUAGE, MEASURE_LANGUAGE, READINESS_PASSAGES, Anchor
from assistant.types import SourceRef


class Planner:
    """The improvement-plan side of a draft: diagram, cycles, readiness (see module docstring)."""

    def __init__(self, library: Library, spaces: SpaceSource):
        self.lib = library
        self.spaces = spaces

    # ---- cited guidance ------------------------------------------------------------------------------------
    def anchor(self, anchor: Anchor) -> SourceRef:
        """The cited span of an (item, phrase) anchor: the sentence holding the phrase; without a phrase, the
        item's first part (its text under the heading), or the whole item."""
        item_id, phrase = anchor
        if phrase:
            return self.lib.find(item_id, phrase)
        item = self.lib.item(item_id)
        part = item.fields[0] if item.fields else item
        return self.lib.ref(item, part.start, part.end)

    def measure_language(self) -> list[SourceRef]:
        """What the frameworks say about lead metrics and lag outcomes."""
        return [self.anchor(a) for a in MEASURE_LANGUAGE]

    def cycle_language(self) -> list[SourceRef]:
        """What the frameworks say about short improvement cycles."""
        return [self.anchor(a) for a in CYCLE_LANGUAGE]

    def readiness_passages(self, bet: Bet | None = None) -> dict[str, list[SourceRef]]:
        """For each dimension, the passages that bear on it: the fixed ones, then (for a bet) the sentence of its
        own framework items closest to the dimension's question."""
        out = {}
        for dim in DIMENSIONS:
            refs = [self.anchor(a) for a in READINESS_PASSAGES[dim]]
            own = self._own_sentence(bet, question(dim)) if bet is not None else None
            if own is not None and not any(r.overlaps(own.source, own.start, own.end) for r in refs):
                refs.append(own)
            out[dim] = refs
        return out

    def _own_sentence(self, bet: Bet, text: str) -> SourceRef | None:
        space = self.spaces.current()
        ids = [i for i in bet.item_ids if i in space.index]
        ids += [d.id for i in bet.item_ids if i not in space.index and self.lib.catalog.get(i) is not None
                for d in self.lib.catalog.descendants(i) if d.id in space.index]
        if not ids:
            return None
        qvec = space.embed_query(text)
        best = None
        for item_id in dict.fromkeys(ids):
            item = self.lib.catalog.get(item_id)
            for sim, a, b in space.sentence_scores(item_id, qvec)[:6]:
                if not self.lib.is_heading(item, a, b) and (best is None or sim > best[0]):
                    best = (sim, item, a, b)
        return self.lib.ref(best[1], best[2], best[3]) if best else None

    # ---- the draft's parts ---------------------------------------------------------------------------------
    def parts(self, toa: TheoryOfAction, titles: list[str]) -> PlanParts:
        """The plan parts of a theory of action; `titles` are the bets' display titles (the draft's chains)."""
        bets = toa.active_bets()
        diagram = self.diagram(toa, titles)
        cycles = [CyclePart(n, title, list(b.cycles)) for n, (b, title) in enumerate(zip(bets, titles), 1)
                  if b.cycles]
        ready = []
        for n, (b, title) in enumerate(zip(bets, titles), 1):
            if b.readiness.scored():
                low = {d: Cited(self.anchor(READINESS_PASSAGES[d][0])) for d in b.readiness.low()}
                ready.append(ReadinessPart(n, title, b.readiness, low))
        nxt = next_cycle(bets)
        return PlanParts(diagram, [Cited(r) for r in self.measure_language()[:1]],
                         [Cited(r) for r in self.cycle_language()[:1]], cycles, ready,
                         (nxt[0] + 1, nxt[1] + 1) if nxt else None)

    def diagram(self, toa: TheoryOfAction, titles: list[str]) -> DriverDiagram:
        """Aim (the goal) → one primary driver per bet (tied to its first framework item) → its secondary drivers
        (each with the span it was suggested from) → its change ideas (the district actions)."""
        names = [toa.district, toa.title]
        goal = " ".join(toa.goal.split())
        aim = Node("aim", goal[:1].upper() + goal[1:] if goal else "")
        bands = []
        for n, (bet, title) in enumerate(zip(toa.active_bets(), titles), 1):
            first = next((i for i in bet.item_ids if self.lib.catalog.get(i) is not None), "")
            primary = Node("primary", title, [self.lib.defining(first)] if first else [], item_id=first)
            secondaries = [Node("secondary", d.text, self._checked(d), item_id=d.item_id)
                           for d in bet.secondary_drivers]
            changes = [Node("change", _sentence_case(W.tidy(a, names))) for a in W.split_parts(bet.district_actions)]
            bands.append(Band(n, primary, secondaries, [c for c in changes if c.text]))
        return DriverDiagram(aim, bands, mentions(goal, "specific"), mentions(goal, "when"))

    def _checked(self, driver) -> list[SourceRef]:
        """The driver's citation when it is still the exact text of the document; else its item's defining span
        (the document changed); none for a driver the team wrote."""
        ref = driver.ref
        if ref is not None:
            try:
                if self.lib.raw(ref.source)[ref.start:ref.end] == ref.quote:
                    return [ref]
            except KeyError:
                pass
        if driver.item_id and self.lib.catalog.get(driver.item_id) is not None:
            return [self.lib.defining(driver.item_id)]
        return []


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
