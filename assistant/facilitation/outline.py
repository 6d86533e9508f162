"""The format-neutral outline every export of a theory-of-action draft shows, in order: title, goal and problem,
the statement, one chain per bet, the improvement plan (driver diagram, 90-day cycles, readiness: plan_outline.py),
the strategy table, plan details, assumptions, coherence checks, and "Sources" —
every citation number resolved to its exact quote. Text carries citation numbers between sentinels (`segments()`
splits them out) so each format renders markers its own way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from assistant.facilitation.citemarks import CITE, marks, plain, segments  # noqa: F401 (part of this module's API)
from assistant.facilitation.drafting import Clause, Draft
from assistant.facilitation.plan_outline import PlanOutline, plan_outline
from assistant.text.templates import render


def cited_text(clauses: list[Clause], template_name: str) -> str:
    """The statement/chain sentence with citation sentinels after each clause."""
    by = {c.role: c for c in clauses}

    def part(role: str) -> str:
        c = by.get(role)
        if c is None:
            return ""
        marks = f"{CITE}{','.join(map(str, c.cites))}{CITE}" if c.cites else ""
        return c.text + marks

    values = {"actions": part("if"), "leadership": part("then"), "core": part("which")}
    values["goal" if template_name == "toa_statement" else "outcomes"] = part("so that")
    return render(f"facilitation/{template_name}", **values)


def statement_text(draft: Draft) -> str:
    """The statement with citation sentinels, or what is still needed before it can be written."""
    return cited_text(draft.statement, "toa_statement") if draft.complete else draft.needs_text(draft.statement_needs)


def chain_text(draft: Draft, chain) -> str:
    """A bet's chain with citation sentinels, or what is still needed for it."""
    return cited_text(chain.clauses, "toa_chain") if chain.complete else draft.needs_text(chain.needs())


def check_marks(draft: Draft, check) -> str:
    """Citation sentinels for a check's criterion sources (the draft's own numbers)."""
    nums = sorted({n for n in (draft.number(c) for c in check.citations) if n})
    return f"{CITE}{','.join(map(str, nums))}{CITE}" if nums else ""


NOT_SET = "Not set yet"


def _cell(value) -> str:
    """A table cell: entries in sentence case, one per line, bulleted when there are several."""
    entries = [v.strip() for v in (value if isinstance(value, list) else [value]) if v and v.strip()]
    entries = [e[:1].upper() + e[1:] for e in entries]
    if len(entries) > 1:
        return "\n".join(f"• {e}" for e in entries)
    return entries[0] if entries else NOT_SET


@dataclass
class Outline:
    """Everything an export shows, in order, format-neutral (text may hold citation sentinels)."""

    title: str
    subtitle: str
    intro: list[tuple[str, str]]  # (label, text): goal, problem, evidence
    statement: str
    warnings: list[str]
    chains: list[tuple[str, str, list[str]]]  # (heading, sentence or what is still needed, linked framework items)
    table_head: list[str]
    table: list[list[str]]
    details: list[tuple[str, str]]
    assumptions: list[str]
    implied: list[str]
    checks: list[tuple[bool, str, str, str]]  # (met, name, detail + marker, question)
    sources: list[tuple[int, str, str, str]]  # (n, label, quote, where)
    notes: list[str] = field(default_factory=list)
    plan: PlanOutline | None = None  # driver diagram, 90-day cycles, readiness (after the chains)


def outline(draft: Draft) -> Outline:
    t = draft.toa
    sub = " · ".join(x for x in (t.district, f"Drafted {date.today().isoformat()}") if x)
    intro = [("Goal", t.goal.strip() or f"{NOT_SET}: {render('facilitation/need_so_that')}."),
             ("Problem of practice", t.problem.strip() or f"{NOT_SET}: what adults do, or do not do, today that "
                                                           "holds the goal back.")]
    if t.evidence:
        intro.append(("Evidence", "; ".join(t.evidence)))
    chains = [(f"Bet {c.number}: {c.title}", chain_text(draft, c), [name for _, name in c.linked])
              for c in draft.chains]
    head = ["Bet", "District actions", "Owners", "Lead metrics", "Lag outcomes", "Timeframe"]
    rows = [[r.bet] + [_cell(v) for v in (r.actions, r.owners, r.lead_metrics, r.lag_outcomes, r.timeframe)]
            for r in draft.table]
    details = [(label, value) for label, value in (
        ("Scope", t.scope), ("Culture — how we do things around here", t.culture),
        ("Systems that must change", ", ".join(t.systems)), ("The board's role", t.board_role),
        ("External factors", t.external_factors), ("Communication plan", t.communication)) if value]
    checks = [(r.met, r.name, r.detail + check_marks(draft, r), r.question) for r in draft.checks]
    sources = [(n, s.label, s.text, f"{s.source}, characters {s.start}–{s.end}") for n, s in enumerate(draft.sources, 1)]
    return Outline(t.title or "Theory of action", sub, intro, statement_text(draft), list(draft.warnings), chains,
                   head, rows, details, list(draft.assumptions), list(draft.implied_assumptions), checks, sources,
                   plan=plan_outline(draft.plan) if draft.plan is not None and draft.plan.diagram.bands else None)
