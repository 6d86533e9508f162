"""Secondary drivers suggested for a bet from the catalog: the systems, conditions and practices (the kinds each
framework's descriptor names as drivers) closest to what the bet says it will do and to the framework items it
already draws on — each with the exact sentence of the item that makes the connection, cited.

Deterministic: relatedness is the current item space's (vectors.py) meaning match to the bet's own words plus the
items' closeness to the bet's linked items; each framework's best item first when it comes close to the best
overall, no more than PER_FRAMEWORK suggestions from one framework, and never an item together with its container
or its parts.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.facilitation.drivers import Driver
from assistant.facilitation.library import Library
from assistant.frameworks.vocabulary import with_expansion
from assistant.facilitation.placing import short_title
from assistant.facilitation.toa import TheoryOfAction
from assistant.facilitation.vectors import SpaceSource
from assistant.types import SourceRef

PER_FRAMEWORK = 2
LINKED_WEIGHT = 0.5  # closeness to the bet's own framework items, beside the meaning match to its words
DRIVER_WORDS = 12  # a longer title is cut where a phrase ends
SPREAD = 0.8  # a framework's best item comes first when it scores at least this share of the best overall


@dataclass
class DriverSuggestion:
    item_id: str
    text: str  # the driver as it would read in the diagram
    label: str  # the item's display name ("UVA-PLE Condition 4: …")
    framework: str
    ref: SourceRef  # the sentence that connects it to the bet
    score: float

    def driver(self) -> Driver:
        return Driver(self.text, self.item_id, self.ref)

    def to_dict(self) -> dict:
        return {"item_id": self.item_id, "text": self.text, "label": self.label, "framework": self.framework,
                "score": round(self.score, 4), "citation": self.ref.to_dict()}


def bet_words(bet) -> str:
    """What a bet says it does, in the team's words (the title when nothing else is written)."""
    parts = [bet.title, *bet.district_actions, *bet.principal_changes, *bet.core_changes]
    return ". ".join(p for p in parts if p and p.strip())


class DriverSuggester:
    """Suggests secondary drivers for a bet (see module docstring)."""

    def __init__(self, library: Library, spaces: SpaceSource):
        self.lib = library
        self.spaces = spaces

    def suggest(self, toa: TheoryOfAction, index: int, k: int = 5) -> list[DriverSuggestion]:
        """Up to `k` suggestions for the bet at 0-based `index` of the plan's bets, best first; the bet's own items
        and drivers it already has are never suggested."""
        bets = toa.active_bets()
        if not 0 <= index < len(bets):
            raise IndexError(f"there is no bet {index + 1}")
        bet = bets[index]
        words = bet_words(bet)
        if not words:
            return []
        catalog = self.lib.catalog
        space = self.spaces.current()
        qvec = space.embed_query(with_expansion(words))
        dense = space.dense(qvec)
        linked = [catalog.get(i) for i in bet.item_ids if catalog.get(i) is not None]
        near: dict[str, float] = {}
        for item in linked:
            for other, sim in space.similarities(item).items():
                near[other] = max(near.get(other, sim), sim)
        taken = {d.item_id for d in bet.secondary_drivers if d.item_id}
        blocked = self._family([i.id for i in linked] + sorted(taken))
        scored = sorted(((dense[i.id] + LINKED_WEIGHT * near.get(i.id, 0.0), i) for i in space.items
                         if catalog.is_driver(i) and i.id not in blocked), key=lambda x: (-x[0], x[1].id))
        picks = self._diverse(scored, k, blocked)
        return [DriverSuggestion(item.id, self._text(item), self.lib.name(item), item.framework,
                                 self._sentence(space, item, qvec), score) for score, item in picks]

    def _diverse(self, scored: list, k: int, blocked: set[str]) -> list:
        """The best item of each framework that comes close to the best overall first (one view per framework,
        like the crosswalk), then the rest by score; at most PER_FRAMEWORK per framework, no item with its family."""
        top = scored[0][0] if scored else 0.0
        firsts: dict[str, tuple] = {}
        for pair in scored:
            firsts.setdefault(pair[1].framework, pair)
        order = sorted((p for p in firsts.values() if p[0] >= SPREAD * top), key=lambda p: (-p[0], p[1].id))
        order += [p for p in scored if p not in order]
        out, per, blocked = [], {}, set(blocked)
        for score, item in order:
            if len(out) >= k:
                break
            if per.get(item.framework, 0) >= PER_FRAMEWORK or item.id in blocked:
                continue
            per[item.framework] = per.get(item.framework, 0) + 1
            blocked |= self._family([item.id])
            out.append((score, item))
        return sorted(out, key=lambda p: (-p[0], p[1].id))

    def _family(self, ids: list[str]) -> set[str]:
        """The items, their containers and their parts."""
        catalog = self.lib.catalog
        out = set(ids)
        for i in ids:
            out |= {a.id for a in catalog.ancestors(i)} | {d.id for d in catalog.descendants(i)}
        return out

    def _sentence(self, space, item, qvec) -> SourceRef:
        """The item's sentence closest to the bet (headings skipped); its defining span when none qualifies."""
        for _sim, a, b in space.sentence_scores(item.id, qvec):
            if not self.lib.is_heading(item, a, b):
                return self.lib.ref(item, a, b)
        return self.lib.defining(item)

    @staticmethod
    def _text(item) -> str:
        """A driver's words from the item's title: a name short enough for a diagram box, cut where a phrase ends
        ("Developing tools and processes to directly monitor local school improvement efforts | and provide …")."""
        text = short_title(item.title)
        if not text.endswith(" …"):
            return text
        full = " ".join(item.title.split())
        at = full.find(" and ")
        while at > 0:
            head = full[:at].rstrip(",")
            if 5 <= len(head.split()) <= DRIVER_WORDS:
                return head
            at = full.find(" and ", at + 1)
        return text
