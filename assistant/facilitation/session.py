"""Per-conversation facilitation state (the theory-of-action draft plus where the conversation is) and the
`SessionStore` wiring builds once and hands to the chat facilitator and the tabs, so the Theory of action tab can
open the draft the chat is building and the self-assessment's priorities (keyed by the Gradio session hash, which
every tab of one page shares)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from assistant.facilitation.toa import TheoryOfAction

STEPS = ("goal", "problem", "choose", "actions", "changes", "metrics", "extras", "review", "done", "")


@dataclass
class FacilitationState:
    active: bool = False  # a guided session is running: continuation turns are facilitation messages
    step: str = ""  # one of STEPS
    toa: TheoryOfAction = field(default_factory=TheoryOfAction)
    candidates: list[dict] = field(default_factory=list)  # suggested practices, numbered from 1
    bet: int = 0  # 0-based index of the bet being filled
    topic: str = ""  # what the team asked for ("principal coaching")
    asked: str = ""  # the criterion key asked about in the extras step
    skipped: list[str] = field(default_factory=list)  # criteria the team chose to skip
    shown: int = 0  # how many candidates were shown

    def to_dict(self) -> dict:
        return {"active": self.active, "step": self.step, "toa": self.toa.to_dict(), "candidates": self.candidates,
                "bet": self.bet, "topic": self.topic, "asked": self.asked, "skipped": list(self.skipped),
                "shown": self.shown}

    @classmethod
    def from_dict(cls, d: dict | None) -> "FacilitationState":
        if not d:
            return cls()
        toa = TheoryOfAction.from_dict(d["toa"]) if d.get("toa") else TheoryOfAction()
        step = d.get("step") or ""
        return cls(active=bool(d.get("active")), step=step if step in STEPS else "", toa=toa,
                   candidates=list(d.get("candidates") or []), bet=int(d.get("bet") or 0),
                   topic=str(d.get("topic") or ""), asked=str(d.get("asked") or ""),
                   skipped=list(d.get("skipped") or []), shown=int(d.get("shown") or 0))

    @classmethod
    def coerce(cls, state) -> "FacilitationState":
        """A state from a FacilitationState, its dict form, or None (a fresh state)."""
        if isinstance(state, cls):
            return cls.from_dict(state.to_dict())  # a copy: callers keep their old state unchanged
        return cls.from_dict(state if isinstance(state, dict) else None)


class BoundedMap:
    """Latest JSON-ready value per browser session (bounded: the oldest session is dropped first; thread-safe)."""

    def __init__(self, size: int = 500):
        self.size = size
        self._data: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, key: str | None, value) -> None:
        if not key:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def get(self, key: str | None):
        if not key:
            return None
        with self._lock:
            return self._data.get(key)


class SessionStore:
    """What the chat and the tabs of one browser session share, in memory: the facilitation state (written by the
    chat and the Theory of action tab) and the practices the Self-assessment tab suggests (read by the Theory of
    action tab). Values are stored as JSON-ready copies, so no two sessions or threads share an object."""

    def __init__(self, size: int = 500):
        self._drafts = BoundedMap(size)
        self._priorities = BoundedMap(size)

    def save_draft(self, key: str | None, state: FacilitationState) -> None:
        self._drafts.put(key, state.to_dict())

    def draft(self, key: str | None) -> FacilitationState | None:
        """A fresh copy of the session's facilitation state, or None."""
        d = self._drafts.get(key)
        return FacilitationState.from_dict(d) if d else None

    def save_priorities(self, key: str | None, items: list[dict]) -> None:
        """The self-assessment's suggested practices: [{item_id, label}]."""
        self._priorities.put(key, [dict(i) for i in items])

    def priorities(self, key: str | None) -> list[dict]:
        return [dict(i) for i in self._priorities.get(key) or []]
