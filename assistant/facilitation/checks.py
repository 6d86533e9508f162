"""Coherence checks drawn from the frameworks' own criteria. Each criterion is stated by a catalog item (cited by
the exact sentence that says it); a check shows met / missing, why, and — when missing — a question for the team
and framework items that show how to meet it.

The checks read the structured plan (bets, metrics, fields) and fall back to its words, so a plan that says how
the board is involved anywhere in its text counts as addressing governance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.facilitation import signals
from assistant.frameworks.anchors import CRITERIA, Criterion, system_number
from assistant.facilitation.library import Library
from assistant.types import SourceRef
from assistant.facilitation.toa import MAX_BETS, TheoryOfAction


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

    @property
    def status(self) -> str:
        return "met" if self.met else "missing"

    def to_dict(self) -> dict:
        return {"key": self.key, "name": self.name, "met": self.met, "status": self.status, "detail": self.detail,
                "question": self.question, "citations": [c.to_dict() for c in self.citations],
                "examples": [e.to_dict() for e in self.examples]}


def criterion_refs(lib: Library, c: Criterion) -> list[SourceRef]:
    """The cited sentences stating a criterion (main first)."""
    return [lib.find(c.item_id, c.phrase)] + [lib.find(i, p) for i, p in c.also]


def _result(lib: Library, c: Criterion, met: bool, detail: str) -> CheckResult:
    examples = [lib.defining(i) for i in c.examples if lib.catalog.get(i) is not None] if not met else []
    return CheckResult(c.key, c.name, met, detail, criterion_refs(lib, c), "" if met else c.question, examples)


def _names(bets, numbers) -> str:
    return ", ".join(f"bet {n}" + (f" ({bets[n - 1].title})" if bets[n - 1].title else "") for n in numbers)


def systems_touched(toa: TheoryOfAction, lib: Library | None = None) -> list[int]:
    """LEAD CT systems the plan names or touches (its systems field, linked LEAD CT systems, its words)."""
    found = set(signals.systems_in("\n".join(toa.systems)))
    for item_id in toa.all_item_ids():
        n = system_number(item_id)
        if n is not None:
            found.add(n)
    found |= set(signals.systems_in(toa.all_text()))
    return sorted(found)


def run_checks(toa: TheoryOfAction, lib: Library, per_bet: bool = True) -> list[CheckResult]:
    """Every criterion, met or missing, for the plan. With per_bet=False (a pasted statement, whose "then" and
    "which" clauses serve all its actions) bet-level criteria count as met when the plan states them once."""
    bets = toa.active_bets()
    if not per_bet and bets:
        return _statement_checks(toa, lib, bets)
    text = toa.all_text()
    return _chain_checks(toa, lib, bets, text) + _plan_checks(toa, lib, bets, text)


def _chain_checks(toa: TheoryOfAction, lib: Library, bets, text: str) -> list[CheckResult]:
    """How the bets reach classrooms: few bets, the instructional core, school leadership, culture, systems."""
    out: list[CheckResult] = []
    n = len(bets)

    c = BY_KEY["few_bets"]
    if n == 0:
        out.append(_result(lib, c, False, "No bets yet."))
    elif n > MAX_BETS:
        out.append(_result(lib, c, False, f"{n} bets — more than {MAX_BETS}. Place your bets on the few that matter "
                                          "most."))
    else:
        out.append(_result(lib, c, True, f"{n} bet{'s' if n != 1 else ''}."))

    c = BY_KEY["instructional_core"]
    missing = [k for k, b in enumerate(bets, 1)
               if not b.core_changes and not signals.mentions(" ".join(b.principal_changes), "core")]
    if n and not missing:
        out.append(_result(lib, c, True, "Every bet says what changes for teachers, students or content."))
    else:
        out.append(_result(lib, c, False, f"No classroom change stated for {_names(bets, missing)}." if missing
                           else "No bets yet, so no path to classrooms."))

    c = BY_KEY["school_leadership"]
    lead = [k for k, b in enumerate(bets, 1) if b.principal_changes or signals.mentions(
        " ".join([b.title] + b.district_actions), "leadership")]
    out.append(_result(lib, c, bool(lead), f"Addressed in {_names(bets, lead)}." if lead else
                       "No bet says what changes for principals and school leadership teams."))

    c = BY_KEY["culture"]
    words = signals.matches(toa.culture + "\n" + text, "culture")
    out.append(_result(lib, c, bool(toa.culture or words), f"Culture: {toa.culture}" if toa.culture else
                       (f"Mentions {', '.join(words[:4])}." if words else "Nothing says how adults will work together.")))

    c = BY_KEY["systems"]
    touched = systems_touched(toa, lib)
    names = ", ".join(signals.system_name(s) for s in touched)
    out.append(_result(lib, c, len(touched) >= 2, f"Touches {names}." if len(touched) >= 2 else
                       (f"Only the {names} is named." if touched else "No system is named.")))
    return out


def _plan_checks(toa: TheoryOfAction, lib: Library, bets, text: str) -> list[CheckResult]:
    """What surrounds the chain: governance, external factors, metrics, scope, public goals, communication."""
    out: list[CheckResult] = []
    n = len(bets)

    c = BY_KEY["governance"]
    gov = toa.board_role or signals.mentions(text, "governance")
    out.append(_result(lib, c, bool(gov), f"Board role: {toa.board_role}" if toa.board_role else
                       ("The board is mentioned." if gov else "The board of education's role is not stated.")))

    c = BY_KEY["external_factors"]
    ext = toa.external_factors or signals.matches(text, "external")
    out.append(_result(lib, c, bool(ext), f"External factors: {toa.external_factors}" if toa.external_factors else
                       (f"Mentions {', '.join(ext[:4])}." if ext else "No outside factors (politics, policy, "
                                                                        "funding, stakeholders) are named.")))

    c = BY_KEY["metrics"]
    no_lead = [k for k, b in enumerate(bets, 1) if not b.lead_metrics]
    no_lag = [k for k, b in enumerate(bets, 1) if not b.lag_outcomes]
    if n and not no_lead and not no_lag:
        out.append(_result(lib, c, True, "Every bet has lead metrics and lag outcomes."))
    else:
        parts = ([f"no lead metric for {_names(bets, no_lead)}"] if no_lead else []) + \
                ([f"no lag outcome for {_names(bets, no_lag)}"] if no_lag else [])
        out.append(_result(lib, c, False, ("; ".join(parts) or "no bets yet").capitalize() + "."))

    c = BY_KEY["system_wide"]
    # An explicit scope decides; otherwise the goal and the plan's words ("every school", "district-wide").
    wide = signals.matches(toa.scope if toa.scope else "\n".join([toa.goal, text]), "system_wide")
    out.append(_result(lib, c, bool(wide), f"Scope: {toa.scope or wide[0]}." if wide else
                       (f"Scope: {toa.scope} — not yet all schools." if toa.scope
                        else "The plan does not say it reaches all schools.")))

    c = BY_KEY["public_goals"]
    specific = signals.mentions(toa.goal, "specific")
    public = signals.mentions("\n".join([toa.communication, toa.goal, toa.board_role]), "public")
    if specific and public:
        out.append(_result(lib, c, True, "The goal has a number or date and is shared publicly."))
    else:
        why = [] if specific else ["the goal has no number or date"]
        why += [] if public else ["nothing says where the public sees it"]
        out.append(_result(lib, c, False, ("; ".join(why) if toa.goal else "no goal yet").capitalize() + "."))

    c = BY_KEY["communication"]
    comm = toa.communication or signals.matches(text, "communication")
    out.append(_result(lib, c, bool(comm), f"Communication: {toa.communication}" if toa.communication else
                       (f"Mentions {', '.join(comm[:3])}." if comm else "No communication plan yet.")))
    return out


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
