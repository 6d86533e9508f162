"""The theory-of-action data model: a student-outcome goal, the problem of practice and its evidence, a few bets
(each linked to framework items, with district actions, changes for school leaders and in the instructional core,
lead metrics, lag outcomes, owners and a timeframe), assumptions, and how the plan is governed and communicated.

Plain dataclasses with a versioned JSON round trip. Free-text list fields accept a list or one string with one
entry per line (or separated by ';').
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields

from assistant.facilitation.jsonfile import JsonFile

SCHEMA = "district-assistant/theory-of-action"
VERSION = 1
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
# Answers that only hold a place ("TBD", "n/a") say nothing yet.
_PLACEHOLDER = re.compile(r"^\W*(?:tbd|tba|to be (?:decided|determined)|to ?do|n/?a|na|none|nothing(?: yet)?|not yet|"
                          r"later|pending|unknown|unsure|\?+|-+|x+|\.+|same|see above)\W*$", re.I)


def answered(value) -> bool:
    """Whether a field holds an answer: some words that are not a placeholder such as "TBD" or "n/a"."""
    if isinstance(value, (list, tuple)):
        return any(answered(v) for v in value)
    text = " ".join(str(value or "").split())
    return len(re.findall(r"[A-Za-z]", text)) >= 2 and not _PLACEHOLDER.match(text)


def as_list(value) -> list[str]:
    """A list of non-empty entries from a list, or from text with one entry per line or separated by ';'."""
    if value is None:
        return []
    if isinstance(value, str):
        parts = re.split(r"\n|;", value)
    else:
        parts = [str(v) for v in value]
    out = []
    for p in parts:
        p = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", p).strip()
        if p:
            out.append(p)
    return out


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

    LIST_FIELDS = ("item_ids", "district_actions", "principal_changes", "core_changes", "lead_metrics",
                   "lag_outcomes", "owners")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Bet":
        b = cls(title=str(d.get("title") or "").strip(), timeframe=str(d.get("timeframe") or "").strip())
        for name in cls.LIST_FIELDS:
            setattr(b, name, as_list(d.get(name)))
        return b

    def is_empty(self) -> bool:
        return not (self.title or self.item_ids or self.district_actions)


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
