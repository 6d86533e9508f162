"""Coherence checks drawn from the frameworks' own criteria. Each criterion is stated by a catalog item (cited by
the exact sentence that says it); a check shows met / missing, why, and — when missing — a question for the team
and framework items that show how to meet it.

A check decides only from what the team wrote in the plan's fields, and names those fields: never from bet titles,
linked framework items or other words the tool itself put in. A field holding only a placeholder ("TBD", "n/a")
counts as empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.facilitation import signals
from assistant.facilitation.library import Library
from assistant.frameworks.anchors import CRITERIA, Criterion
from assistant.types import SourceRef
from assistant.facilitation.toa import FIELD_LABELS, MAX_BETS, TheoryOfAction, answered


BY_KEY = {c.key: c for c in CRITERIA}


@dataclass
class CheckResult:
    key: str
    name: str
    met: bool
    detail: str  # what was found, or what is missing
    citations: list[SourceRef]  # where the frameworks state the criterion (first = main)
    question: str = ""  # for the team, when missing
    examples: list[SourceRef] = field(default_factory=list)  # how other framework items meet it
    fields: list[str] = field(default_factory=list)  # the plan fields the check read (their labels)

    @property
    def status(self) -> str:
        return "met" if self.met else "missing"

    def to_dict(self) -> dict:
        return {"key": self.key, "name": self.name, "met": self.met, "status": self.status, "detail": self.detail,
                "question": self.question, "citations": [c.to_dict() for c in self.citations],
                "examples": [e.to_dict() for e in self.examples], "fields": list(self.fields)}


def criterion_refs(lib: Library, c: Criterion) -> list[SourceRef]:
    """The cited sentences stating a criterion (main first)."""
    return [lib.find(c.item_id, c.phrase)] + [lib.find(i, p) for i, p in c.also]


def _result(lib: Library, c: Criterion, met: bool, detail: str, fields: tuple[str, ...] = ()) -> CheckResult:
    examples = [lib.defining(i) for i in c.examples if lib.catalog.get(i) is not None] if not met else []
    return CheckResult(c.key, c.name, met, detail, criterion_refs(lib, c), "" if met else c.question, examples,
                       [FIELD_LABELS[f] for f in fields])


def _names(bets, numbers) -> str:
    return ", ".join(f"bet {n}" + (f" ({bets[n - 1].title})" if bets[n - 1].title else "") for n in numbers)


def _quote(text: str, words: int = 14) -> str:
    parts = " ".join(str(text).split()).rstrip(".").split(" ")
    return "“" + " ".join(parts[:words]) + (" …" if len(parts) > words else "") + "”"


def _field(toa: TheoryOfAction, lib: Library, key: str, name: str) -> CheckResult:
    """A check met when the team answered one plan field."""
    value = getattr(toa, name)
    label = FIELD_LABELS[name]
    if answered(value):
        return _result(lib, BY_KEY[key], True, f"{label}: {_quote(value)}.", (name,))
    said = f" only says {_quote(value)}" if str(value).strip() else " is empty"
    return _result(lib, BY_KEY[key], False, f"“{label}”{said}.", (name,))


def systems_touched(toa: TheoryOfAction, lib: Library | None = None) -> list[int]:
    """The LEAD CT systems the team named in the plan's systems field: ticked names exactly, other entries by the
    systems' vocabulary ("coaching and PD" -> Professional Learning)."""
    by_name = {signals.system_name(n).lower(): n for n in signals.SEVEN_SYSTEMS}
    found: set[int] = set()
    for entry in toa.systems:
        n = by_name.get(" ".join(entry.split()).lower())
        found |= {n} if n else set(signals.systems_in(entry))
    return sorted(found)


def _per_bet(lib: Library, key: str, bets, attrs: tuple[str, ...], met_detail: str) -> CheckResult:
    """A check met when every bet answers the given fields."""
    c = BY_KEY[key]
    if not bets:
        return _result(lib, c, False, "No bets yet.", attrs)
    lacking = {a: [k for k, b in enumerate(bets, 1) if not answered(getattr(b, a))] for a in attrs}
    if not any(lacking.values()):
        return _result(lib, c, True, met_detail, attrs)
    parts = [f"“{FIELD_LABELS[a]}” is empty for {_names(bets, ks)}" for a, ks in lacking.items() if ks]
    return _result(lib, c, False, "; ".join(parts) + ".", attrs)


def run_checks(toa: TheoryOfAction, lib: Library, per_bet: bool = True) -> list[CheckResult]:
    """Every criterion, met or missing, for the plan. With per_bet=False (a pasted statement, whose "then" and
    "which" clauses serve all its actions) bet-level criteria count as met when the plan states them once."""
    bets = toa.active_bets()
    if not per_bet and bets:
        return _statement_checks(toa, lib, bets)
    n = len(bets)
    out: list[CheckResult] = []

    c = BY_KEY["few_bets"]
    if n == 0:
        out.append(_result(lib, c, False, "No bets yet."))
    elif n > MAX_BETS:
        out.append(_result(lib, c, False, f"{n} bets — more than {MAX_BETS}. Place your bets on the few that matter "
                                          "most."))
    else:
        out.append(_result(lib, c, True, f"{n} bet{'s' if n != 1 else ''}."))
    out.append(_per_bet(lib, "instructional_core", bets, ("core_changes",),
                        "Every bet says what changes in classrooms."))
    out.append(_per_bet(lib, "school_leadership", bets, ("principal_changes",),
                        "Every bet says what changes for principals and school leadership teams."))
    out.append(_field(toa, lib, "culture", "culture"))

    c = BY_KEY["systems"]
    touched = systems_touched(toa, lib)
    names = ", ".join(signals.system_name(s) for s in touched)
    label = FIELD_LABELS["systems"]
    out.append(_result(lib, c, len(touched) >= 2, f"{label}: {names}." if len(touched) >= 2 else
                       (f"{label}: only the {names} — alignment means naming the systems that must change "
                        "together." if touched else f"“{label}” names none yet."), ("systems",)))
    out.append(_field(toa, lib, "governance", "board_role"))
    out.append(_field(toa, lib, "external_factors", "external_factors"))
    out.append(_per_bet(lib, "metrics", bets, ("lead_metrics", "lag_outcomes"),
                        "Every bet has lead metrics and lag outcomes."))
    out.append(_system_wide(toa, lib))
    out.append(_public_goals(toa, lib))
    out.append(_field(toa, lib, "communication", "communication"))
    return out


def _system_wide(toa: TheoryOfAction, lib: Library) -> CheckResult:
    """The scope field decides; when it is empty, the goal's own words ("in all 14 schools")."""
    c = BY_KEY["system_wide"]
    if answered(toa.scope):
        wide = signals.matches(toa.scope, "system_wide")
        return _result(lib, c, bool(wide), f"Scope: {_quote(toa.scope)}" + ("." if wide else
                       " — not yet every school."), ("scope",))
    wide = signals.matches(toa.goal, "system_wide") if answered(toa.goal) else []
    if wide:
        return _result(lib, c, True, f"The goal covers {wide[0]} (“Scope” is empty).", ("scope", "goal"))
    return _result(lib, c, False, "“Scope” is empty and the goal does not say it reaches every school.",
                   ("scope", "goal"))


def _public_goals(toa: TheoryOfAction, lib: Library) -> CheckResult:
    """Specific: the goal has a number and a time. Public: the communication plan, the board's role or the goal
    says where the public sees progress."""
    c = BY_KEY["public_goals"]
    fields = ("goal", "communication", "board_role")
    if not answered(toa.goal):
        return _result(lib, c, False, "No goal yet.", fields)
    number = bool(re.search(r"\d", re.sub(r"\b(?:19|20)\d\d\b", "", toa.goal)))
    time = bool(signals.mentions(toa.goal, "when"))
    public = [f for f in ("communication", "board_role", "goal") if signals.mentions(getattr(toa, f), "public")]
    if number and time and public:
        return _result(lib, c, True, f"The goal has a number and a date, and “{FIELD_LABELS[public[0]]}” says "
                                     "where the public sees progress.", fields)
    why = ([] if number else ["the goal has no number"]) + ([] if time else ["the goal has no date"])
    why += [] if public else ["neither the communication plan nor the board's role says where the public sees it"]
    return _result(lib, c, False, "; ".join(why).capitalize() + ".", fields)


def _statement_checks(toa: TheoryOfAction, lib: Library, bets) -> list[CheckResult]:
    """Checks for a statement read as one chain: bet-level criteria are judged on the statement as a whole."""
    first = bets[0]
    single = TheoryOfAction(**{**toa.__dict__, "bets": [first]})
    out = run_checks(single, lib)
    few = _result(lib, BY_KEY["few_bets"], len(bets) <= MAX_BETS,
                  f"{len(bets)} actions in the “if” clause" + (f" — more than {MAX_BETS}. Place your bets on the "
                                                              "few that matter most." if len(bets) > MAX_BETS else "."))
    details = {"instructional_core": "The statement says what changes in classrooms.",
               "school_leadership": "The statement says what changes for school leaders.",
               "metrics": "The statement names lead metrics and lag outcomes."}
    fixed = [few]
    for r in out[1:]:
        if r.met and r.key in details:
            r.detail = details[r.key]
        elif not r.met and r.key in details:
            r.detail = {"instructional_core": "Nothing says what changes for teachers, students or content.",
                        "school_leadership": "Nothing says what changes for principals and school leadership teams.",
                        "metrics": "No lead metric or lag outcome is named."}[r.key]
        fixed.append(r)
    return fixed


def summary_line(results: list[CheckResult]) -> str:
    met = sum(r.met for r in results)
    return f"{met} of {len(results)} coherence checks met."
