"""The draft of a theory of action: the statement ("If we …, then …, which will …, so that …"), one chain per bet,
the strategy table, the assumptions and the coherence checks — every clause citing the framework sentence that
supports it.

Clauses are the team's own words fitted to their connective (wording.py); a clause that cannot be written yet is
never filled with a placeholder: its chain (or the statement) says what is still needed instead. Supporting
sentences are chosen deterministically: among the sentences of the bet's linked framework items (and a small pool
of items about the clause's role — school leadership for "then", the instructional core for "which", student
outcomes for "so that"), the one closest in meaning to the clause, linked items first.

With a `Planner`, the draft also holds the improvement plan (plan_parts.py): the driver diagram, the 90-day cycles
and the readiness checks. Citation numbers follow reading order — statement, chains, driver diagram, cycles,
readiness, coherence checks — and are the same on screen, in the chat and in every export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from assistant.facilitation import wording as W
from assistant.facilitation.checks import CheckResult, run_checks
from assistant.facilitation.library import Library
from assistant.facilitation.plan_parts import PlanParts
from assistant.facilitation.toa import Bet, TheoryOfAction
from assistant.facilitation.vectors import ItemSpace, SpaceSource, words
from assistant.frameworks.anchors import CHAIN_POOLS as POOLS
from assistant.text.templates import render
from assistant.types import SourceRef

# A sentence of the bet's own items wins near-ties against the pool (less so for outcomes, where the pool's
# statements about student outcomes are the better support).
LINKED_BONUS = {"if": 0.08, "then": 0.08, "which": 0.04, "so that": 0.0}
ROLES = W.ROLES


@dataclass
class Clause:
    role: str  # "if", "then", "which", "so that"
    text: str  # the words after the connective ("" when the plan does not say this yet)
    cites: list[int] = field(default_factory=list)  # numbers into Draft.sources
    need: str = ""  # what is still needed, when the clause is missing
    notes: list[str] = field(default_factory=list)  # entries that could not be used, and why
    present: str = ""  # "then": the clause in the present tense
    refs: list[SourceRef] = field(default_factory=list, repr=False)  # supporting sentences (numbered at the end)

    @property
    def missing(self) -> bool:
        return not self.text


def _complete(clauses: list[Clause]) -> bool:
    return bool(clauses) and all(not c.missing for c in clauses)


def _needs(clauses: list[Clause]) -> list[str]:
    return [c.need for c in clauses if c.missing] + [n for c in clauses for n in c.notes]


@dataclass
class Chain:
    number: int
    title: str
    clauses: list[Clause]
    linked: list[tuple[str, str]]  # (item id, display name)

    @property
    def complete(self) -> bool:
        return _complete(self.clauses)

    def sentence(self) -> str:
        """The chain as one sentence ("" until every clause is written)."""
        return chain_text(self.clauses, "toa_chain") if self.complete else ""

    def needs(self) -> list[str]:
        return _needs(self.clauses)


@dataclass
class Row:
    bet: str
    actions: list[str]
    owners: list[str]
    lead_metrics: list[str]
    lag_outcomes: list[str]
    timeframe: str


@dataclass
class Draft:
    toa: TheoryOfAction
    statement: list[Clause]
    chains: list[Chain]
    table: list[Row]
    assumptions: list[str]
    implied_assumptions: list[str]
    checks: list[CheckResult]
    sources: list[SourceRef]
    warnings: list[str]
    statement_needs: list[str] = field(default_factory=list)
    plan: PlanParts | None = None  # the improvement plan (driver diagram, cycles, readiness)

    @property
    def complete(self) -> bool:
        return _complete(self.statement) and not self.statement_needs

    def statement_text(self) -> str:
        """The whole theory of action as one sentence ("" until it can be written)."""
        return chain_text(self.statement, "toa_statement") if self.complete else ""

    def needs_text(self, needs: list[str]) -> str:
        return render("facilitation/toa_still_needed", items="; ".join(needs)) if needs else ""

    def source(self, number: int) -> SourceRef:
        return self.sources[number - 1]

    def number(self, ref: SourceRef) -> int:
        """The citation number of a source (0 when it is not cited)."""
        key = (ref.source, ref.start, ref.end)
        return next((n for n, s in enumerate(self.sources, 1) if (s.source, s.start, s.end) == key), 0)

    def to_dict(self) -> dict:
        def clauses(cs):
            return [{"role": c.role, "text": c.text, "cites": c.cites, "missing": c.missing, "need": c.need,
                     "notes": c.notes} for c in cs]

        return {"title": self.toa.title, "district": self.toa.district, "statement": self.statement_text(),
                "statement_needs": self.statement_needs, "statement_clauses": clauses(self.statement),
                "chains": [{"number": c.number, "title": c.title, "sentence": c.sentence(), "needs": c.needs(),
                            "clauses": clauses(c.clauses), "linked": [list(x) for x in c.linked]} for c in self.chains],
                "table": [r.__dict__ for r in self.table], "assumptions": self.assumptions,
                "implied_assumptions": self.implied_assumptions, "checks": [c.to_dict() for c in self.checks],
                "sources": [dict(s.to_dict(), n=k) for k, s in enumerate(self.sources, 1)], "warnings": self.warnings,
                **({"driver_diagram": self.plan.diagram.to_dict()} if self.plan else {})}


def chain_text(clauses: list[Clause], template: str) -> str:
    """The clauses through the statement template, without citation markers."""
    by = {c.role: c.text for c in clauses}
    values = {"actions": by.get("if", ""), "leadership": by.get("then", ""), "core": by.get("which", "")}
    values["goal" if template == "toa_statement" else "outcomes"] = by.get("so that", "")
    return render(f"facilitation/{template}", **values)


class Drafting(Protocol):
    def draft(self, toa: TheoryOfAction) -> Draft:
        """The draft for a plan, every clause cited."""


class Drafter:
    """Builds Drafts: each clause supported by the closest framework sentence (see module docstring)."""

    def __init__(self, library: Library, spaces: SpaceSource, planner=None):
        """`planner` (planner.Planner): adds the improvement plan to every draft; None leaves it out."""
        self.lib = library
        self.spaces = spaces
        self.planner = planner

    def _items(self, space: ItemSpace, ids) -> list[str]:
        """The ids usable for support: items in the space, or a container's items in the space."""
        out: list[str] = []
        for i in ids:
            if i in space.index:
                out.append(i)
            elif self.lib.catalog.get(i) is not None:
                out.extend(d.id for d in self.lib.catalog.descendants(i) if d.id in space.index)
        return list(dict.fromkeys(out))

    def support(self, text: str, linked: list[str], role: str, pool: bool = True) -> SourceRef | None:
        """The sentence that best supports `text` among the linked items (and the role's pool)."""
        space = self.spaces.current()
        linked = self._items(space, linked)
        pool = [i for i in self._items(space, POOLS.get(role, ())) if i not in linked] if pool else []
        if not (linked or pool) or not text.strip():
            return None
        qvec = space.embed_query(text)
        qwords = words(text)
        best = None
        for item_id, bonus in [(i, LINKED_BONUS.get(role, 0.0)) for i in linked] + [(i, 0.0) for i in pool]:
            item = self.lib.catalog.get(item_id)
            raw = self.lib.raw(item.source)
            for sim, a, b in space.sentence_scores(item_id, qvec)[:6]:
                sentence = raw[a:b]
                if self.lib.is_heading(item, a, b):
                    continue
                overlap = len(qwords & words(sentence)) / (len(qwords) or 1)
                score = sim + 0.15 * overlap + bonus
                if best is None or score > best[0]:
                    best = (score, item_id, a, b)
        if best is None:
            return None
        return self.lib.ref(best[1], best[2], best[3])

    def _clause(self, role: str, fit: W.Fit, bet: Bet | None, linked: list[str]) -> Clause:
        clause = Clause(role, fit.text, need=fit.need, notes=list(fit.notes), present=fit.present)
        if not clause.missing:
            ref = self.support(fit.text, linked, role)
            clause.refs = [ref] if ref is not None else []
        return clause

    def _bet_clauses(self, toa: TheoryOfAction, bet: Bet, names: list[str]) -> list[Clause]:
        goal = W.fit("so that", toa.goal, names) if toa.goal.strip() else W.Fit("", W.fit("so that", "").need)
        lag = W.as_measured(bet.lag_outcomes, names)
        if not goal.missing and lag:
            outcome = W.Fit(f"{goal.text}, as measured by {lag}")
        elif goal.missing and lag:
            outcome = W.Fit(f"we improve {lag}")
        else:
            outcome = goal
        fits = {"if": W.fit_all("if", bet.district_actions, names),
                "then": W.fit_all("then", bet.principal_changes, names),
                "which": W.fit_all("which", bet.core_changes, names), "so that": outcome}
        return [self._clause(role, fits[role], bet, bet.item_ids) for role in ROLES]

    def draft(self, toa: TheoryOfAction) -> Draft:
        """The draft for a plan, every clause cited, citations numbered in reading order."""
        names = [toa.district, toa.title]
        bets = toa.active_bets()
        chains: list[Chain] = []
        for n, bet in enumerate(bets, 1):
            title = W.tidy(bet.title, names) or f"Bet {n}"
            linked = [(i, self.lib.name(i)) for i in bet.item_ids if self.lib.catalog.get(i) is not None]
            chains.append(Chain(n, title[:1].upper() + title[1:], self._bet_clauses(toa, bet, names), linked))
        statement, statement_needs = self._statement(toa, bets, chains, names)
        table = [Row(c.title, [W.tidy(a, names) for a in W.split_parts(b.district_actions)], b.owners, b.lead_metrics,
                     b.lag_outcomes, b.timeframe) for c, b in zip(chains, bets)]
        checks = run_checks(toa, self.lib)
        draft = Draft(toa, statement, chains, table, list(toa.assumptions), implied(chains), checks, [],
                      toa.warnings(), statement_needs)
        if self.planner is not None:
            draft.plan = self.planner.parts(toa, [c.title for c in chains])
        number_sources(draft)
        return draft

    def _statement(self, toa: TheoryOfAction, bets: list[Bet], chains: list[Chain], names) -> tuple[list[Clause], list[str]]:
        """The whole theory of action from the complete chains: each bet's lead action, its change for school
        leaders and in classrooms, and the goal; or what is still needed before it can be written."""
        done = [(b, c) for b, c in zip(bets, chains) if c.complete]
        goal = W.fit("so that", toa.goal, names)
        needs = [] if not goal.missing else [goal.need]
        if not done:
            needs.append(render("facilitation/need_bet"))
        if needs:
            return [], needs
        out = []
        sources = {"if": "district_actions", "then": "principal_changes", "which": "core_changes"}
        for role, attr in sources.items():
            firsts = []
            for bet, _ in done:
                usable = [p for p in W.split_parts(getattr(bet, attr)) if not W.fit(role, p, names).missing]
                firsts.append(usable[0])
            fit = W.fit_all(role, firsts, names)
            refs = [r for _, c in done for cl in c.clauses if cl.role == role for r in cl.refs]
            out.append(Clause(role, fit.text, present=fit.present, refs=_unique(refs)))
        ref = self.support(goal.text, toa.all_item_ids(), "so that")
        out.append(Clause("so that", goal.text, refs=[ref] if ref else []))
        return out, []


def _unique(refs: list[SourceRef]) -> list[SourceRef]:
    seen, out = set(), []
    for r in refs:
        key = (r.source, r.start, r.end)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def number_sources(draft: Draft) -> None:
    """Number every shown citation in reading order — statement, complete chains, the improvement plan, checks —
    and set Draft.sources."""
    keys: dict[tuple, int] = {}

    def cite(ref: SourceRef) -> int:
        key = (ref.source, ref.start, ref.end)
        if key not in keys:
            draft.sources.append(ref)
            keys[key] = len(draft.sources)
        return keys[key]

    if draft.complete:
        for c in draft.statement:
            c.cites = [cite(r) for r in c.refs]
    for chain in draft.chains:
        for c in chain.clauses:
            c.cites = [cite(r) for r in c.refs] if chain.complete else []
    if draft.plan is not None:
        for ref, holder in draft.plan.cited():
            if hasattr(holder, "cites"):
                holder.cites.append(cite(ref))
            else:
                holder.cite = cite(ref)
    for check in draft.checks:
        for ref in check.citations:
            cite(ref)


def implied(chains: list[Chain]) -> list[str]:
    """The causal links each complete chain takes for granted, stated as assumptions the team can test."""
    out = []
    for c in chains:
        if not c.complete:
            continue
        by = {cl.role: cl for cl in c.clauses}
        out.append(render("facilitation/toa_assume_leaders", title=c.title, actions=by["if"].text,
                          leadership=by["then"].text))
        out.append(render("facilitation/toa_assume_core", title=c.title, leadership=by["then"].present,
                          core=by["which"].text))
    return out
