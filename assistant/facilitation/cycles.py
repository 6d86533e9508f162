"""90-day cycles of a bet: one change idea tested at a time — the prediction, the lead measures watched, who runs it
and when — and a study/act log filled in as the cycle runs (what was done and seen, what was learned against the
prediction, and the decision: adopt, adapt, abandon or keep testing).

Dates are ISO (2025-09-02); a cycle without an end date ends 90 days after it starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from assistant.facilitation.entries import answered, as_list

CYCLE_DAYS = 90
DECISIONS = {  # the decision a log entry records -> how it reads
    "adopt": "Adopt — make it how we work",
    "adapt": "Adapt — change it and test again",
    "abandon": "Abandon — stop and try another idea",
    "continue": "Keep testing — not enough evidence yet",
}
CLOSING = ("adopt", "adapt", "abandon")  # decisions that end a cycle
STATUS_NAMES = {"planned": "Planned", "running": "Under way", "decided": "Decided"}


def parse_date(text: str) -> date | None:
    """A date typed as 2025-09-02 (or 9/2/2025); None when it is not one."""
    text = (text or "").strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text) or None
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        return date(int(m.group(3)), int(m.group(1)), int(m.group(2))) if m else None
    except ValueError:
        return None


def iso(text: str) -> str:
    """The date in ISO form when it is one, else the text as typed (so nothing the team wrote is lost)."""
    d = parse_date(text)
    return d.isoformat() if d else " ".join((text or "").split())


@dataclass
class LogEntry:
    """One study/act entry: what the team did and saw, what it learned against the prediction, its decision."""

    date: str = ""
    did: str = ""
    learned: str = ""
    decision: str = ""  # a key of DECISIONS, or ""

    def to_dict(self) -> dict:
        return {"date": self.date, "did": self.did, "learned": self.learned, "decision": self.decision}

    @classmethod
    def from_dict(cls, d: dict) -> "LogEntry":
        decision = str(d.get("decision") or "").strip().lower()
        return cls(iso(str(d.get("date") or "")), str(d.get("did") or "").strip(),
                   str(d.get("learned") or "").strip(), decision if decision in DECISIONS else "")


@dataclass
class Cycle:
    change_idea: str = ""  # the change idea under test (one of the bet's district actions, or the team's words)
    prediction: str = ""  # what the team expects to happen, and why
    lead_measures: list[str] = field(default_factory=list)
    who: str = ""  # who runs the cycle
    start: str = ""
    end: str = ""  # "" -> CYCLE_DAYS after the start
    log: list[LogEntry] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"change_idea": self.change_idea, "prediction": self.prediction,
                "lead_measures": list(self.lead_measures), "who": self.who, "start": self.start, "end": self.end,
                "log": [e.to_dict() for e in self.log]}

    @classmethod
    def from_dict(cls, d: dict) -> "Cycle":
        return cls(str(d.get("change_idea") or "").strip(), str(d.get("prediction") or "").strip(),
                   as_list(d.get("lead_measures")), str(d.get("who") or "").strip(), iso(str(d.get("start") or "")),
                   iso(str(d.get("end") or "")),
                   [LogEntry.from_dict(e) for e in d.get("log") or [] if isinstance(e, dict)])

    # ---- reading ---------------------------------------------------------------------------------------------
    def end_date(self) -> str:
        """The end date as planned, or CYCLE_DAYS after a valid start ("" when neither is known)."""
        if self.end:
            return self.end
        start = parse_date(self.start)
        return (start + timedelta(days=CYCLE_DAYS)).isoformat() if start else ""

    @property
    def decision(self) -> str:
        """The latest decision recorded in the log ("" while there is none)."""
        return next((e.decision for e in reversed(self.log) if e.decision), "")

    @property
    def status(self) -> str:
        """"planned" (nothing logged yet), "running" (logged, no closing decision) or "decided"."""
        if self.decision in CLOSING:
            return "decided"
        return "running" if self.log else "planned"

    def gaps(self) -> list[str]:
        """What the plan of the cycle still lacks, in words a team can act on (empty when it is ready to run)."""
        out = []
        if not answered(self.change_idea):
            out.append("the change idea to test")
        if not answered(self.prediction):
            out.append("a prediction (what you expect to happen, and why)")
        if not answered(self.lead_measures):
            out.append("a lead measure to watch during the cycle")
        if not answered(self.who):
            out.append("who runs it")
        start, end = parse_date(self.start), parse_date(self.end_date())
        if not start:
            out.append("a start date (as 2025-09-02)" if not self.start else f"a start date as 2025-09-02 (not “{self.start}”)")
        elif self.end and not parse_date(self.end):
            out.append(f"an end date as 2025-12-01 (not “{self.end}”)")
        elif end and end <= start:
            out.append("an end date after the start")
        return out

    def is_empty(self) -> bool:
        return not (self.change_idea or self.prediction or self.lead_measures or self.who or self.log)


def cycles_from(value) -> list[Cycle]:
    out = [Cycle.from_dict(c) for c in value or [] if isinstance(c, dict)]
    return [c for c in out if not c.is_empty()]


def next_cycle(bets) -> tuple[int, int, Cycle] | None:
    """The cycle the plan runs next, as (0-based bet, 0-based cycle, cycle): a cycle under way first, then the
    planned one that starts soonest (undated last); None when no cycle is open."""
    open_cycles = [(c.status != "running", parse_date(c.start) or date.max, b, k, c)
                   for b, bet in enumerate(bets) for k, c in enumerate(bet.cycles) if c.status != "decided"]
    if not open_cycles:
        return None
    *_, b, k, c = min(open_cycles, key=lambda x: x[:4])
    return b, k, c
