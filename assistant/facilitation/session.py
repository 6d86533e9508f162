"""Per-conversation facilitation state (the theory-of-action draft plus where the conversation is) and a small
in-memory store so the Theory of action tab can open the draft the chat is building (keyed by the Gradio
session hash, which both tabs of one page share)."""

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


class SharedStore:
    """Latest JSON-ready value per browser session (bounded, thread-safe)."""

    def __init__(self, size: int = 500):
        self.size = size
        self._data: OrderedDict[str, dict] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, key: str | None, value: dict) -> None:
        if not key:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def get(self, key: str | None) -> dict | None:
        if not key:
            return None
        with self._lock:
            return self._data.get(key)


class DraftStore(SharedStore):
    """The facilitation state per browser session: written by the chat and the Theory of action tab."""

    def remember(self, key: str | None, state: FacilitationState) -> None:
        self.put(key, state.to_dict())

    def recall(self, key: str | None) -> FacilitationState | None:
        d = self.get(key)
        return FacilitationState.from_dict(d) if d else None


DRAFTS = DraftStore()
# Practices the Self-assessment tab suggests (list of {item_id, label}) per browser session, for the Theory of action tab.
PRIORITIES = SharedStore()
