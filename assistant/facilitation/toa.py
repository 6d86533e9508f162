"""The theory-of-action data model: a student-outcome goal, the problem of practice and its evidence, a few bets
(each linked to framework items, with district actions, changes for school leaders and in the instructional core,
lead metrics, lag outcomes, owners and a timeframe), assumptions, and how the plan is governed and communicated.
Each bet also carries its improvement plan: secondary drivers (drivers.py), 90-day cycles (cycles.py) and a
readiness check (readiness.py); the goal is the driver diagram's aim and the district actions its change ideas.

Plain dataclasses with a versioned JSON round trip (version 1 files, from before the improvement plan, still
load). Free-text list fields accept a list or one string with one entry per line (or separated by ';').
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from assistant.facilitation.cycles import Cycle, cycles_from
from assistant.facilitation.drivers import Driver, drivers_from
from assistant.facilitation.entries import answered, as_list  # noqa: F401 (part of this module's API)
from assistant.facilitation.readiness import Readiness
from assistant.facilitation.jsonfile import JsonFile

SCHEMA = "district-assistant/theory-of-action"
VERSION = 2  # 2: bets carry secondary drivers, 90-day cycles and a readiness check
MAX_BETS = 3
PLACE_YOUR_BETS = ("Place your bets: a theory of action works best with at most three bets. You have {n}; "
                   "which ones matter most for the goal?")
# What each field is called wherever a person sees it (the form, the coherence checks, the chat).
FIELD_LABELS = {
    "title": "Title", "district": "District", "goal": "Student-outcome goal", "problem": "Problem of practice",
    "evidence": "Evidence", "scope": "Scope", "culture": "Culture — how adults will work together",
    "systems": "Which of the seven systems must change", "board_role": "The board's role",
    "external_factors": "External factors", "communication": "Communication plan", "assumptions": "Assumptions",
    "district_actions": "If we … (what the district will do)",
    "principal_changes": "then … (what changes for principals and school leadership teams)",
    "core_changes": "which will … (what changes in classrooms)", "lead_metrics": "Lead metrics",
    "lag_outcomes": "Lag outcomes", "owners": "Owners", "timeframe": "Timeframe", "item_ids": "Framework items",
}
@dataclass
class Bet:
    """One strategic bet: what the district will do, and how it reaches classrooms and students."""

    title: str = ""
    item_ids: list[str] = field(default_factory=list)  # framework items the bet draws on
    district_actions: list[str] = field(default_factory=list)
    principal_changes: list[str] = field(default_factory=list)  # what changes for principals and school teams
    core_changes: list[str] = field(default_factory=list)  # what changes for teachers, students, content
    lead_metrics: list[str] = field(default_factory=list)
    lag_outcomes: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    timeframe: str = ""
    secondary_drivers: list[Driver] = field(default_factory=list)  # what carries the bet (driver diagram)
    cycles: list[Cycle] = field(default_factory=list)  # 90-day cycles testing its change ideas
    readiness: Readiness = field(default_factory=Readiness)

    LIST_FIELDS = ("item_ids", "district_actions", "principal_changes", "core_changes", "lead_metrics",
                   "lag_outcomes", "owners")
    PLAN_FIELDS = ("secondary_drivers", "cycles", "readiness")

    def to_dict(self) -> dict:
        d = {"title": self.title, **{name: list(getattr(self, name)) for name in self.LIST_FIELDS},
             "timeframe": self.timeframe}
        d["secondary_drivers"] = [x.to_dict() for x in self.secondary_drivers]
        d["cycles"] = [c.to_dict() for c in self.cycles]
        d["readiness"] = self.readiness.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Bet":
        b = cls(title=str(d.get("title") or "").strip(), timeframe=str(d.get("timeframe") or "").strip())
        for name in cls.LIST_FIELDS:
            setattr(b, name, as_list(d.get(name)))
        b.secondary_drivers = drivers_from(d.get("secondary_drivers"))
        b.cycles = cycles_from(d.get("cycles"))
        b.readiness = Readiness.from_dict(d.get("readiness"))
        return b

    def is_empty(self) -> bool:
        return not (self.title or self.item_ids or self.district_actions)

    def key(self) -> str:
        """What identifies the bet when a form rebuilds it: its first framework item, else its title."""
        return self.item_ids[0] if self.item_ids else " ".join(self.title.lower().split())


@dataclass
class TheoryOfAction(JsonFile):
    """A district theory of action in progress (the chat facilitator and the Theory of action tab share it)."""

    title: str = "Theory of action"
    district: str = ""
    goal: str = ""  # the student-outcome goal
    problem: str = ""  # the problem of practice
    evidence: list[str] = field(default_factory=list)  # what shows the problem (data, observations)
    bets: list[Bet] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    scope: str = ""  # who it covers ("all 14 schools")
    culture: str = ""  # how adults will work together ("how we do things around here")
    systems: list[str] = field(default_factory=list)  # which of the seven systems must change
    board_role: str = ""  # how the board of education shares and governs the theory of action
    external_factors: str = ""  # politics, policy, funding, stakeholders to plan for
    communication: str = ""  # how the plan is communicated and shared, and with whom

    TEXT_FIELDS = ("title", "district", "goal", "problem", "scope", "culture", "board_role", "external_factors",
                   "communication")

    # ---- editing ---------------------------------------------------------------------------------------------
    def warnings(self) -> list[str]:
        """Plain-language warnings about the draft's shape (more than three bets)."""
        bets = [b for b in self.bets if not b.is_empty()]
        return [PLACE_YOUR_BETS.format(n=len(bets))] if len(bets) > MAX_BETS else []

    def active_bets(self) -> list[Bet]:
        return [b for b in self.bets if not b.is_empty()]

    def set_bet(self, index: int, bet: Bet) -> None:
        """Put `bet` at 0-based `index` (appending empty bets as needed)."""
        while len(self.bets) <= index:
            self.bets.append(Bet())
        self.bets[index] = bet

    def remove_bet(self, index: int) -> Bet:
        if not 0 <= index < len(self.bets):
            raise IndexError(f"there is no bet {index + 1}")
        return self.bets.pop(index)

    def keep_plan(self, before: "TheoryOfAction") -> None:
        """Carry each bet's improvement plan (drivers, cycles, readiness) over from `before`, the same plan as it
        was before a form that does not show those parts rebuilt it: bets are matched by `Bet.key`, then — when one
        of the two has no framework item (a bet the team typed, perhaps renamed) — by place."""
        old = before.active_bets()
        by_key = {b.key(): b for b in old if b.key()}
        keys = {b.key() for b in self.active_bets()}
        for k, bet in enumerate(self.active_bets()):
            same_place = old[k] if k < len(old) and old[k].key() not in keys else None
            if same_place is not None and bet.item_ids and same_place.item_ids:
                same_place = None  # another practice in this place is another bet
            match = by_key.get(bet.key()) or same_place
            if match is not None:
                for name in Bet.PLAN_FIELDS:
                    setattr(bet, name, getattr(match, name))

    def all_item_ids(self) -> list[str]:
        return list(dict.fromkeys(i for b in self.active_bets() for i in b.item_ids))

    def all_text(self) -> str:
        """Every text field of the plan in one string (for heuristic checks)."""
        parts = [getattr(self, f) for f in self.TEXT_FIELDS] + self.evidence + self.assumptions + self.systems
        for b in self.active_bets():
            parts.append(b.title)
            parts.append(b.timeframe)
            for name in Bet.LIST_FIELDS:
                if name != "item_ids":
                    parts.extend(getattr(b, name))
        return "\n".join(p for p in parts if p)

    # ---- JSON ----------------------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        d = {"schema": SCHEMA, "version": VERSION}
        for f in fields(self):
            value = getattr(self, f.name)
            d[f.name] = [b.to_dict() for b in value] if f.name == "bets" else value
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "TheoryOfAction":
        if not isinstance(d, dict) or d.get("schema") != SCHEMA:
            raise ValueError("this file is not a saved theory of action (schema missing or different)")
        if int(d.get("version", 0)) > VERSION:
            raise ValueError(f"this theory of action was saved by a newer version (v{d['version']}); please update")
        t = cls()
        for name in cls.TEXT_FIELDS:
            if d.get(name) is not None:
                setattr(t, name, str(d[name]).strip())
        t.evidence = as_list(d.get("evidence"))
        t.assumptions = as_list(d.get("assumptions"))
        t.systems = as_list(d.get("systems"))
        t.bets = [Bet.from_dict(b) for b in d.get("bets") or [] if isinstance(b, dict)]
        return t
