"""Team consensus on a self-assessment: several people rate the same indicators on their own; merged, the team sees
per indicator who rated what (with their evidence notes side by side), the spread, where it disagrees most, and a
proposed rating (the lower median); it records the rating it agrees on, with the dissent — everyone who rated
differently, their rating and their words — kept beside it. The agreed ratings become one assessment that the
charts, priorities and bets use like any other.

Saved as versioned JSON (`SCHEMA`, `VERSION`): the members' own assessments travel inside, so the file can be
reopened, added to, or merged with other files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from statistics import median_low

from assistant.facilitation.assessment import Assessment, Rating, level_name
from assistant.facilitation.jsonfile import JsonFile

SCHEMA = "district-assistant/team-assessment"
VERSION = 1


@dataclass
class Member:
    name: str
    assessment: Assessment
    source: str = ""  # how the ratings arrived ("imported ana.json", "shared from a browser")

    def to_dict(self) -> dict:
        return {"name": self.name, "source": self.source, "assessment": self.assessment.to_dict()}


@dataclass
class Dissent:
    name: str
    current: int | None
    goal: int | None
    note: str = ""

    def to_dict(self) -> dict:
        return {"name": self.name, "current": self.current, "goal": self.goal, "note": self.note}


@dataclass
class Agreed:
    item_id: str
    current: int | None
    goal: int | None = None
    rationale: str = ""
    dissent: list[Dissent] = field(default_factory=list)
    on: str = field(default_factory=lambda: date.today().isoformat())

    def to_dict(self) -> dict:
        return {"item_id": self.item_id, "current": self.current, "goal": self.goal, "rationale": self.rationale,
                "dissent": [d.to_dict() for d in self.dissent], "on": self.on}


@dataclass
class Spread:
    """One indicator across the team."""

    item_id: str
    ratings: list[tuple[str, Rating]]  # (member name, rating), in member order; only members who rated it
    proposed: tuple[int | None, int | None]  # (current, goal): the lower median of each
    agreed: Agreed | None = None

    @property
    def levels(self) -> list[int]:
        return [r.current for _, r in self.ratings if r.current is not None]

    @property
    def spread(self) -> int:
        """Highest minus lowest current rating (0 when everyone agrees or only one rated)."""
        return max(self.levels) - min(self.levels) if self.levels else 0


def _median(values: list[int]) -> int | None:
    return median_low(values) if values else None


@dataclass
class TeamAssessment(JsonFile):
    title: str = "Team self-assessment"
    district: str = ""
    date: str = field(default_factory=lambda: date.today().isoformat())
    members: list[Member] = field(default_factory=list)
    agreed: dict[str, Agreed] = field(default_factory=dict)

    # ---- members -------------------------------------------------------------------------------------------
    def add(self, name: str, assessment: Assessment, source: str = "") -> Member:
        """Add a person's ratings; the same name (any case) replaces that person's earlier ratings."""
        name = " ".join((name or "").split()) or f"Person {len(self.members) + 1}"
        member = Member(name, assessment, source)
        for k, m in enumerate(self.members):
            if m.name.casefold() == name.casefold():
                self.members[k] = member
                break
        else:
            self.members.append(member)
        self.district = self.district or assessment.district
        return member

    def remove(self, name: str) -> None:
        self.members = [m for m in self.members if m.name.casefold() != name.casefold()]

    # ---- reading -------------------------------------------------------------------------------------------
    def spreads(self, order: dict[str, int] | None = None) -> list[Spread]:
        """Every indicator someone rated, in catalog order when `order` (item id -> position) is given."""
        ids: list[str] = []
        for m in self.members:
            ids += [i for i in m.assessment.ratings if i not in ids]
        if order:
            ids.sort(key=lambda i: order.get(i, len(order)))
        out = []
        for item_id in ids:
            ratings = [(m.name, m.assessment.ratings[item_id]) for m in self.members if item_id in m.assessment.ratings]
            cur = _median([r.current for _, r in ratings if r.current is not None])
            goal = _median([r.goal for _, r in ratings if r.goal is not None])
            out.append(Spread(item_id, ratings, (cur, goal), self.agreed.get(item_id)))
        return out

    def disagreements(self, order: dict[str, int] | None = None, n: int = 5) -> list[Spread]:
        """Where the team disagrees most: the largest spread first, then the most raters, then catalog order."""
        rows = [s for s in self.spreads(order) if s.spread > 0]
        return sorted(rows, key=lambda s: (-s.spread, -len(s.levels)))[:n]

    # ---- agreeing ------------------------------------------------------------------------------------------
    def agree(self, item_id: str, current: int | None, goal: int | None = None, rationale: str = "",
              notes: dict[str, str] | None = None) -> Agreed:
        """Record the team's rating; everyone whose rating differs is recorded as dissent, with their note (from
        `notes`, by name) or else their own evidence."""
        notes = {k.casefold(): v for k, v in (notes or {}).items()}
        dissent = []
        for name, r in next((s.ratings for s in self.spreads() if s.item_id == item_id), []):
            if r.current != current:
                dissent.append(Dissent(name, r.current, r.goal, notes.get(name.casefold()) or r.evidence))
        agreed = Agreed(item_id, current, goal, " ".join((rationale or "").split()), dissent)
        self.agreed[item_id] = agreed
        return agreed

    def agreed_assessment(self) -> Assessment:
        """The agreed ratings as one assessment (evidence: the rationale, then the dissent)."""
        a = Assessment(title="Team self-assessment (agreed)", district=self.district, date=self.date)
        for item_id, ag in self.agreed.items():
            parts = [ag.rationale] if ag.rationale else []
            if ag.dissent:
                parts.append("Dissent: " + "; ".join(
                    f"{d.name} rated {level_name(item_id, d.current)}" + (f" ({d.note})" if d.note else "")
                    for d in ag.dissent))
            a.rate(item_id, ag.current, ag.goal, " ".join(parts))
        return a

    # ---- JSON ----------------------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {"schema": SCHEMA, "version": VERSION, "title": self.title, "district": self.district,
                "date": self.date, "members": [m.to_dict() for m in self.members],
                "agreed": [a.to_dict() for a in self.agreed.values()]}

    @classmethod
    def from_dict(cls, d: dict) -> "TeamAssessment":
        if not isinstance(d, dict) or d.get("schema") != SCHEMA:
            raise ValueError("this file is not a saved team assessment (schema missing or different)")
        if int(d.get("version", 0)) > VERSION:
            raise ValueError(f"this team assessment was saved by a newer version (v{d['version']}); please update")
        t = cls(title=str(d.get("title") or cls.title), district=str(d.get("district") or ""),
                date=str(d.get("date") or ""))
        for m in d.get("members") or []:
            t.add(str(m.get("name") or ""), Assessment.from_dict(m.get("assessment")), str(m.get("source") or ""))
        for a in d.get("agreed") or []:
            dissent = [Dissent(str(x.get("name") or ""), _level(x.get("current")), _level(x.get("goal")),
                               str(x.get("note") or "")) for x in a.get("dissent") or []]
            t.agreed[str(a["item_id"])] = Agreed(str(a["item_id"]), _level(a.get("current")), _level(a.get("goal")),
                                                 str(a.get("rationale") or ""), dissent, str(a.get("on") or ""))
        return t


def _level(v) -> int | None:
    return None if v is None or v == "" else int(v)


def merge(files: list[tuple[str, dict]]) -> TeamAssessment:
    """A team from saved files, each (name to use when the file names no one, its JSON): self-assessments become
    members (named by their `rater`, else the given name); team files bring their members and agreements."""
    team = TeamAssessment()
    for fallback, data in files:
        if isinstance(data, dict) and data.get("schema") == SCHEMA:
            other = TeamAssessment.from_dict(data)
            for m in other.members:
                team.add(m.name, m.assessment, m.source)
            team.agreed.update(other.agreed)
            continue
        a = Assessment.from_dict(data)
        team.add(a.rater or fallback, a, f"imported {fallback}")
    return team
