"""Review a pasted theory-of-action statement: split it into clauses (if / then / which / so that, and the parts
joined by "and"), read it into a plan heuristically, run the same coherence checks, and suggest cited improvements
for what is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from assistant.facilitation import signals
from assistant.facilitation.checks import BY_KEY, CheckResult, run_checks, summary_line
from assistant.facilitation.library import Library
from assistant.text.clean import shorten
from assistant.types import SourceRef
from assistant.facilitation.toa import Bet, TheoryOfAction

# Connectives that open a clause, longest first; each maps to a role.
_CONNECTIVES = [
    (r"\bif we\b", "if"), (r"\bif\b", "if"), (r"\bwhen we\b", "if"), (r"\bby\b(?= \w+ing\b)", "if"),
    (r"\bthen\b", "then"), (r"\bwhich (?:will|would|should)\b", "which"), (r"\bwhich\b", "which"),
    (r"\bthat will\b", "which"), (r"\bleading to\b", "which"), (r"\bresulting in\b", "so that"),
    (r"\bso that\b", "so that"), (r"\bin order to\b", "so that"), (r"\bultimately\b", "so that"),
]
_SPLIT = re.compile("|".join(f"(?P<c{k}>{p})" for k, (p, _) in enumerate(_CONNECTIVES)), re.I)
# Hints per missing criterion: where the addition goes in the statement.
HINTS = {
    "few_bets": "Name at most three district actions in the “If we …” clause; move the rest to an implementation plan.",
    "instructional_core": "Add a “which will …” clause that says what teachers will do differently and what students "
                          "will experience.",
    "school_leadership": "Add a “then principals and school leadership teams will …” clause.",
    "culture": "Say how adults will work together (trust, collaboration, collective responsibility).",
    "systems": "Name the systems each action changes (e.g. professional learning, talent management, resources).",
    "governance": "Say how the board of education shares, adopts and monitors the theory of action.",
    "external_factors": "Name the outside factors (politics, policy, funding, stakeholders) and how you will respond.",
    "metrics": "Add how you will know: a lead metric you check during the year and a lag outcome for students.",
    "system_wide": "Say that the plan reaches all schools (and how, if some start first).",
    "public_goals": "Make the “so that …” goal specific (a number and a date) and say where it is reported publicly.",
    "communication": "Add how and with whom the plan will be communicated and shared.",
}


@dataclass
class Clause:
    role: str  # "if", "then", "which", "so that", or "other" (text before the first connective)
    text: str
    parts: list[str]  # the pieces joined by "and" / ";" / ","


@dataclass
class Suggestion:
    key: str
    name: str
    hint: str
    question: str
    criterion: SourceRef  # where the frameworks state the criterion
    support: SourceRef | None = None  # a framework sentence close to the statement that shows how


@dataclass
class Review:
    text: str
    clauses: list[Clause]
    plan: TheoryOfAction
    checks: list[CheckResult]
    suggestions: list[Suggestion] = field(default_factory=list)

    def to_markdown(self) -> str:
        out = ["## Review of your theory of action", "", "**Clauses**", ""]
        for c in self.clauses:
            parts = f" ({len(c.parts)} parts)" if len(c.parts) > 1 else ""
            out.append(f"- *{c.role}*: {c.text}{parts}")
        out += ["", f"**Coherence checks** — {summary_line(self.checks)}", ""]
        for r in self.checks:
            mark = "✓" if r.met else "✗"
            out.append(f"- {mark} **{r.name}** — {r.detail} *({r.citations[0].label})*")
        if self.suggestions:
            out += ["", "**Suggested improvements**", ""]
            for n, s in enumerate(self.suggestions, 1):
                out.append(f"{n}. **{s.name}.** {s.hint} *Ask the team:* {s.question}")
                out.append(f"   - The criterion: “{shorten(s.criterion.text, 45)}” — {s.criterion.label}")
                if s.support is not None:
                    out.append(f"   - What it can look like: “{shorten(s.support.text, 45)}” — {s.support.label}")
        return "\n".join(out) + "\n"

    def to_dict(self) -> dict:
        return {"text": self.text, "clauses": [c.__dict__ for c in self.clauses],
                "checks": [c.to_dict() for c in self.checks],
                "suggestions": [{"key": s.key, "name": s.name, "hint": s.hint, "question": s.question,
                                 "criterion": s.criterion.to_dict(),
                                 "support": s.support.to_dict() if s.support else None} for s in self.suggestions]}


def split_clauses(text: str) -> list[Clause]:
    """Clauses of a statement in order, each with its role and its "and"-joined parts."""
    text = " ".join((text or "").split())
    out: list[Clause] = []
    pos, role = 0, "other"
    for m in _SPLIT.finditer(text):
        chunk = text[pos:m.start()]
        if chunk.strip(" ,.;:—-"):
            out.append(_clause(role, chunk))
        role = _CONNECTIVES[int(m.lastgroup[1:])][1]
        pos = m.end()
    if text[pos:].strip(" ,.;:—-"):
        out.append(_clause(role, text[pos:]))
    return out


def _clause(role: str, chunk: str) -> Clause:
    body = chunk.strip(" ,.;:—-")
    parts = [p.strip(" ,.;:") for p in re.split(r";|,\s*(?:and\s+)?(?=\w+\s)|\band\b(?!\s+(?:then|which))", body)]
    parts = [p for p in parts if len(p.split()) >= 2] or [body]
    if role != "if":  # only the actions are counted separately; elsewhere "and" joins one idea
        parts = [body]
    return Clause(role, body, parts)


def read_plan(text: str, clauses: list[Clause] | None = None) -> TheoryOfAction:
    """A plan read out of a statement: each "if" part is a bet; "then"/"which" parts become leadership and
    classroom changes; "so that" is the goal; sentences about metrics, culture, the board, outside factors,
    communication, scope and systems go to those fields — all of it the team's own words."""
    clauses = clauses if clauses is not None else split_clauses(text)
    toa = TheoryOfAction(title="Pasted theory of action")
    actions = [p for c in clauses if c.role == "if" for p in c.parts]
    changes = [c.text for c in clauses if c.role in ("then", "which")]
    leadership = [t for t in changes if signals.mentions(t, "leadership")]
    core = [t for t in changes if signals.mentions(t, "core")]
    goal = " ".join(c.text for c in clauses if c.role == "so that")
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    lead = [s for s in sentences if signals.mentions(s, "lead")]
    lag = [s for s in sentences if signals.mentions(s, "lag")] or ([goal] if signals.mentions(goal, "specific") else [])
    toa.goal = goal
    toa.problem = " ".join(text.split())
    for name, kind in (("culture", "culture"), ("board_role", "governance"), ("external_factors", "external"),
                       ("communication", "communication")):
        setattr(toa, name, " ".join(s for s in sentences if signals.mentions(s, kind)))
    toa.scope = " ".join(s for s in sentences if signals.mentions(s, "system_wide"))
    toa.systems = [signals.system_name(n) for n in signals.systems_in(text)]
    for a in actions:
        toa.bets.append(Bet(title=shorten(a, 10), district_actions=[a], principal_changes=list(leadership),
                            core_changes=list(core), lead_metrics=list(lead), lag_outcomes=list(lag)))
    return toa


class Support(Protocol):
    def support(self, text: str, linked: list[str], role: str, pool: bool = True) -> SourceRef | None:
        """The framework sentence that best supports `text` among the linked items."""


def review(text: str, lib: Library, drafter: Support | None = None) -> Review:
    """Clauses, checks and cited suggestions for a pasted statement (a Drafter adds close framework sentences)."""
    if not (text or "").strip():
        raise ValueError("Paste the theory-of-action statement you want reviewed.")
    clauses = split_clauses(text)
    plan = read_plan(text, clauses)
    checks = run_checks(plan, lib, per_bet=False)
    suggestions = []
    roles = {"school_leadership": "then", "instructional_core": "which", "metrics": "so that", "few_bets": "if"}
    for r in checks:
        if r.met:
            continue
        c = BY_KEY[r.key]
        support = None
        if drafter is not None and c.examples:
            support = drafter.support(" ".join(text.split()), list(c.examples), roles.get(r.key, "if"), pool=False)
        elif r.examples:
            support = r.examples[0]
        suggestions.append(Suggestion(r.key, r.name, HINTS.get(r.key, ""), c.question, r.citations[0], support))
    return Review(text, clauses, plan, checks, suggestions)


class Reviewing(Protocol):
    def review(self, text: str) -> Review:
        """Clauses, checks and cited suggestions for a pasted theory-of-action statement."""


@dataclass
class Reviewer:
    """Reviews pasted statements, with the framework sentences closest to the statement as examples."""

    library: Library
    drafter: Support

    def review(self, text: str) -> Review:
        return review(text, self.library, self.drafter)
