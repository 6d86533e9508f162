"""Coherence checks drawn from the frameworks' own criteria. Each criterion is stated by a catalog item (cited by
the exact sentence that says it); a check shows met / missing, why, and — when missing — a question for the team
and framework items that show how to meet it.

The checks read the structured plan (bets, metrics, fields) and fall back to its words, so a plan that says how
the board is involved anywhere in its text counts as addressing governance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.facilitation import signals
from assistant.facilitation.library import Library
from assistant.types import SourceRef
from assistant.facilitation.toa import MAX_BETS, TheoryOfAction


@dataclass(frozen=True)
class Criterion:
    key: str
    name: str
    item_id: str  # the catalog item that states the criterion
    phrase: str  # words of that item that state it: the cited sentence is the one holding them
    keywords: tuple[str, ...]  # words the cited text must contain (checked by the tests)
    question: str  # asked when the criterion is missing
    also: tuple[tuple[str, str], ...] = ()  # further (item id, phrase) citations
    examples: tuple[str, ...] = ()  # items showing how to meet it


CRITERIA: tuple[Criterion, ...] = (
    Criterion("few_bets", "A few bets", "leadct:principle-1", "small number of strategies",
              ("small number of strategies",),
              "If you could fund only three bets next year, which would they be — and what will you stop doing?",
              also=(("leadct:principle-1", "Place your bets"),)),
    Criterion("instructional_core", "An explicit path to the instructional core", "leadct:requirement-2",
              "drive improvements in the instructional core", ("theory of action", "instructional core"),
              "For each bet, what will teachers do differently, what will students experience, and what content "
              "will they engage with?",
              also=(("leadct:component-instructional-core", "teachers’ intellectual and personal resources"),),
              examples=("instll:strategy-3", "instll:strategy-3:action-1")),
    Criterion("school_leadership", "School leadership addressed", "leadct:requirement-5",
              "necessary conditions for great school leadership", ("conditions", "school leadership"),
              "What will principals and school leadership teams do differently, and what will the district do to "
              "make that possible?",
              also=(("leadct:principle-4", "conditions and capacities for strong and effective school leadership"),),
              examples=("uva:condition-4", "leadct:leadership-condition-d", "rubric:practice-12")),
    Criterion("culture", "Culture: “how we do things around here”", "leadct:principle-2",
              "how we do things around here", ("how we do things around here", "culture"),
              "When this works, how will adults work together differently — what will “how we do things around "
              "here” look like?",
              also=(("leadct:requirement-3", "collaborative culture"),),
              examples=("leadct:culture-relational-trust", "leadct:culture-collective-responsibility")),
    Criterion("systems", "The seven systems aligned", "leadct:requirement-4", "integrate and align the Seven Systems",
              ("align", "seven systems"),
              "Which of the seven systems — instructional, professional learning, talent, student support, resources "
              "and operations, engagement and communications, continuous improvement — must change for each bet, "
              "and how will you keep them aligned?",
              examples=("leadct:component-seven-systems",)),
    Criterion("governance", "Governance: the board's role", "leadct:requirement-1", "with the board of education",
              ("theory of action", "board of education"),
              "How will the board of education help build, adopt and monitor this theory of action?",
              also=(("leadct:component-governance", "collaborate regularly to develop, communicate, and assess"),),
              examples=("instll:element-school-board-and-superintendent-district",)),
    Criterion("external_factors", "External factors addressed", "leadct:component-external-factors",
              "effectively address these external factors", ("theory of action", "external factors"),
              "Which outside factors — state and local politics, policy, funding, community stakeholders — could "
              "help or block these bets, and how will you respond?"),
    Criterion("metrics", "Lead metrics and lag outcomes", "coherence:coherence-making:outcome-1",
              "lag outcomes and lead metrics", ("few goals", "lag outcomes", "lead metrics"),
              "For each bet, what early signal (a lead metric) will you check every month or quarter, and which "
              "student outcome (a lag outcome) will show it worked?",
              examples=("leadct:system-7",)),
    Criterion("system_wide", "System-wide scope", "instll:criterion-system-wide", "system-wide",
              ("system-wide", "all schools"),
              "Does the plan reach every school? If some schools start first, how and when does it reach the rest?"),
    Criterion("public_goals", "Specific, public goals", "instll:criterion-specific-and-public-goals",
              "specific and public goals", ("specific and public goals",),
              "Is the goal specific (a number and a date), and where will families and staff see progress toward it?"),
    Criterion("communication", "A communication plan", "instll:step-2", "communicated and shared",
              ("communicated and shared",),
              "Who needs to hear about this plan — principals, teachers, families, community leaders — and how and "
              "when will you share it?",
              also=(("coherence:coherence-making:practice-1", "communication strategy"),),
              examples=("leadct:system-6",)),
)
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
        if item_id.startswith("leadct:system-"):
            found.add(int(item_id.rsplit("-", 1)[1]))
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
