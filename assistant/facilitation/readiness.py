"""A readiness check per bet: the team scores six dimensions — need, fit, resources, evidence, readiness (is the
practice itself ready to use) and capacity — from 1 to 5 with a note, in the spirit of implementation-readiness
tools. The questions are this project's own (prompts/facilitation/readiness_<dimension>.txt, with a follow-up for
a low score); scores of LOW or less are flagged for discussion before the team commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.text.templates import render

DIMENSIONS = ("need", "fit", "resources", "evidence", "readiness", "capacity")
NAMES = {"need": "Need", "fit": "Fit", "resources": "Resources", "evidence": "Evidence",
         "readiness": "Readiness of the practice", "capacity": "Capacity"}
SHORT = {**NAMES, "readiness": "Readiness"}  # in a table heading
SCALE = {1: "Not yet", 2: "A little", 3: "Partly", 4: "Mostly", 5: "Fully"}
LOW = 2  # a score at or below this is flagged


def question(dimension: str) -> str:
    """What the team is asked for a dimension."""
    return render(f"facilitation/readiness_{dimension}")


def follow_up(dimension: str) -> str:
    """What to talk about when a dimension scores low."""
    return render(f"facilitation/readiness_{dimension}_low")


def _score(value) -> int | None:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if n in SCALE else None


@dataclass
class Readiness:
    """Scores (1-5, None when not scored) and notes by dimension."""

    scores: dict[str, int | None] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def rate(self, dimension: str, score, note: str | None = None) -> None:
        if dimension not in DIMENSIONS:
            raise ValueError(f"unknown readiness dimension {dimension!r}; use one of {', '.join(DIMENSIONS)}")
        if score not in (None, "") and _score(score) is None:
            raise ValueError(f"{NAMES[dimension]}: the score must be 1 to 5 (got {score!r})")
        self.scores[dimension] = _score(score)
        if note is not None:
            self.notes[dimension] = " ".join(str(note).split())

    def score(self, dimension: str) -> int | None:
        return self.scores.get(dimension)

    def note(self, dimension: str) -> str:
        return self.notes.get(dimension, "")

    def scored(self) -> list[str]:
        return [d for d in DIMENSIONS if self.score(d) is not None]

    def low(self) -> list[str]:
        """The dimensions flagged for discussion (scored LOW or less), in order."""
        return [d for d in DIMENSIONS if (self.score(d) or LOW + 1) <= LOW]

    def average(self) -> float | None:
        vals = [self.score(d) for d in self.scored()]
        return round(sum(vals) / len(vals), 1) if vals else None

    def is_empty(self) -> bool:
        return not self.scored() and not any(self.notes.values())

    def summary(self) -> str:
        """'Scored 6 of 6, average 3.5; low: capacity (2)' — or that nothing is scored yet."""
        if not self.scored():
            return "Not scored yet."
        low = self.low()
        flag = "; low: " + ", ".join(f"{NAMES[d].lower()} ({self.score(d)})" for d in low) if low else "; none low"
        return f"Scored {len(self.scored())} of {len(DIMENSIONS)}, average {self.average():.1f}{flag}."

    def to_dict(self) -> dict:
        return {d: {"score": self.score(d), "note": self.note(d)} for d in DIMENSIONS
                if self.score(d) is not None or self.note(d)}

    @classmethod
    def from_dict(cls, d) -> "Readiness":
        r = cls()
        for dim in DIMENSIONS:
            v = (d or {}).get(dim) if isinstance(d, dict) else None
            if isinstance(v, dict):
                r.scores[dim] = _score(v.get("score"))
                r.notes[dim] = " ".join(str(v.get("note") or "").split())
            elif v is not None:
                r.scores[dim] = _score(v)
        return r
