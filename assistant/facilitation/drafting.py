"""The draft of a theory of action: the statement ("If we …, then …, which will …, so that …"), one chain per bet,
the strategy table, the assumptions and the coherence checks — every clause citing the framework sentence that
supports it.

Supporting sentences are chosen deterministically: among the sentences of the bet's linked framework items (and a
small pool of items about the clause's role — school leadership for "then", the instructional core for "which",
student outcomes for "so that"), the one closest in meaning to the clause, linked items first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from assistant.facilitation.checks import CheckResult, run_checks
from assistant.facilitation.library import Library, sentence_case
from assistant.types import SourceRef
from assistant.text.templates import render
from assistant.facilitation.toa import TheoryOfAction
from assistant.facilitation.vectors import ItemSpace, SpaceSource, words
from assistant.frameworks.anchors import CHAIN_POOLS as POOLS

# A sentence of the bet's own items wins near-ties against the pool (less so for outcomes, where the pool's
# statements about student outcomes are the better support).
LINKED_BONUS = {"if": 0.08, "then": 0.08, "which": 0.04, "so that": 0.0}
# First words that open a full clause ("teachers plan …", "60% of students …") rather than a verb phrase.
_SUBJECTS = set("""all every each any more fewer most no students student teachers teacher principals principal
the our their school schools classrooms classroom families leaders leadership teams team graduation attendance
reading math literacy proficiency achievement grade grades kids children learners staff we they it""".split())
PLACEHOLDER = {"if": "[what will the district do?]", "then": "[what will change for principals and school teams?]",
               "which": "[what will change for teachers, students and content?]",
               "so that": "[which student outcome?]"}


@dataclass
class Clause:
    role: str  # "if", "then", "which", "so that"
    text: str  # the words after the connective
    cites: list[int] = field(default_factory=list)  # numbers into Draft.sources
    missing: bool = False  # the plan does not say this yet (text is a placeholder)


@dataclass
class Chain:
    number: int
    title: str
    clauses: list[Clause]
    linked: list[tuple[str, str]]  # (item id, display name)

    def sentence(self) -> str:
        return chain_text(self.clauses, "toa_chain")


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

    def statement_text(self) -> str:
        return chain_text(self.statement, "toa_statement")

    def source(self, number: int) -> SourceRef:
        return self.sources[number - 1]

    def to_dict(self) -> dict:
        def clauses(cs):
            return [{"role": c.role, "text": c.text, "cites": c.cites, "missing": c.missing} for c in cs]

        return {"title": self.toa.title, "district": self.toa.district, "statement": self.statement_text(),
                "statement_clauses": clauses(self.statement),
                "chains": [{"number": c.number, "title": c.title, "sentence": c.sentence(),
                            "clauses": clauses(c.clauses), "linked": [list(x) for x in c.linked]} for c in self.chains],
                "table": [r.__dict__ for r in self.table], "assumptions": self.assumptions,
                "implied_assumptions": self.implied_assumptions, "checks": [c.to_dict() for c in self.checks],
                "sources": [dict(s.to_dict(), n=k) for k, s in enumerate(self.sources, 1)], "warnings": self.warnings}


def chain_text(clauses: list[Clause], template: str) -> str:
    """The clauses through the statement template, without citation markers."""
    by = {c.role: c.text for c in clauses}
    values = {"actions": by.get("if", ""), "leadership": by.get("then", ""), "core": by.get("which", "")}
    values["goal" if template == "toa_statement" else "outcomes"] = by.get("so that", "")
    return render(f"facilitation/{template}", **values)


def opens_clause(text: str) -> bool:
    """Whether text starts with a subject ('teachers plan …', '60% of students …') rather than a verb."""
    first = text.split(" ", 1)[0].lower().strip("“\"'(") if text else ""
    return first in _SUBJECTS or first[:1].isdigit()


def shape(role: str, text: str) -> str:
    """Fit the team's words to the connective: 'then' + clause, 'which will' + verb phrase, 'so that' + clause."""
    if not text:
        return text
    if role == "then" and not opens_clause(text):
        return f"principals and school leadership teams will {text}"
    if role == "which" and opens_clause(text):
        return f"mean that {text}"
    if role == "so that" and not opens_clause(text):
        return f"we {text}"
    return text


def shape_all(role: str, parts: list[str]) -> str:
    """Join parts under one connective: 'principals … will spend … and lead …' when they share the shape,
    each part shaped on its own otherwise."""
    parts = [p for p in parts if p and p.strip()]
    if not parts:
        return ""
    kinds = {opens_clause(p) for p in parts}
    if len(kinds) == 1:
        return shape(role, join(parts))
    return join([shape(role, p) for p in parts])


def join(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b, and c' (each in sentence case)."""
    items = [sentence_case(p) for p in parts if p and p.strip()]
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


class Drafting(Protocol):
    def draft(self, toa: TheoryOfAction) -> Draft:
        """The draft for a plan, every clause cited."""


class Drafter:
    """Builds Drafts: each clause supported by the closest framework sentence (see module docstring)."""

    def __init__(self, library: Library, spaces: SpaceSource):
        self.lib = library
        self.spaces = spaces

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

    def draft(self, toa: TheoryOfAction) -> Draft:
        """The draft for a plan, every clause cited."""
        sources: list[SourceRef] = []
        keys: dict[tuple, int] = {}

        def cite(ref: SourceRef | None) -> list[int]:
            if ref is None:
                return []
            key = (ref.source, ref.start, ref.end)
            if key not in keys:
                sources.append(ref)
                keys[key] = len(sources)
            return [keys[key]]

        bets = toa.active_bets()
        chains: list[Chain] = []
        goal = shape("so that", sentence_case(toa.goal)) if toa.goal else ""
        for n, bet in enumerate(bets, 1):
            actions = bet.district_actions or ([bet.title] if bet.title else [])
            lag = join(bet.lag_outcomes)
            outcome = f"{goal}, as measured by {lag}" if goal and lag else (goal or (f"we improve {lag}" if lag else ""))
            clauses = []
            for role, parts in (("if", actions), ("then", bet.principal_changes), ("which", bet.core_changes),
                                ("so that", [outcome] if outcome else [])):
                text = shape_all(role, parts) if role != "so that" else outcome
                missing = not text
                anchor = text or " ".join([bet.title] + actions)
                cites = cite(self.support(anchor, bet.item_ids, role)) if anchor.strip() else []
                clauses.append(Clause(role, text or PLACEHOLDER[role], cites, missing))
            linked = [(i, self.lib.name(i)) for i in bet.item_ids if self.lib.catalog.get(i) is not None]
            chains.append(Chain(n, bet.title or f"Bet {n}", clauses, linked))

        statement = self._statement(toa, bets, chains, cite)
        table = [Row(c.title, b.district_actions, b.owners, b.lead_metrics, b.lag_outcomes, b.timeframe)
                 for c, b in zip(chains, bets)]
        checks = run_checks(toa, self.lib)
        for check in checks:  # the checks' criteria join the numbered sources (exports list them once)
            for ref in check.citations:
                cite(ref)
        return Draft(toa, statement, chains, table, list(toa.assumptions), implied(chains), checks, sources,
                     toa.warnings())

    def _statement(self, toa: TheoryOfAction, bets, chains: list[Chain], cite) -> list[Clause]:
        """The whole theory of action: each bet's lead action, the leadership and core changes, the goal."""
        out = []
        for role in ("if", "then", "which"):
            texts, nums = [], set()
            for bet, chain in zip(bets, chains):
                clause = next(c for c in chain.clauses if c.role == role)
                if clause.missing:
                    continue
                nums.update(clause.cites)
                if role == "if":
                    texts.append((bet.district_actions or [bet.title])[0])
                else:
                    texts.append((bet.principal_changes if role == "then" else bet.core_changes)[0])
            text = join(list(dict.fromkeys(texts))) if texts else ""
            if text:
                text = shape_all(role, list(dict.fromkeys(texts)))
            out.append(Clause(role, text or PLACEHOLDER[role], sorted(nums), not text))
        goal = shape("so that", sentence_case(toa.goal)) if toa.goal else ""
        goal_cite = cite(self.support(goal, toa.all_item_ids(), "so that")) if goal else []
        out.append(Clause("so that", goal or PLACEHOLDER["so that"], goal_cite, not goal))
        return out


def implied(chains: list[Chain]) -> list[str]:
    """The causal links each chain takes for granted, stated as assumptions the team can test."""
    out = []
    for c in chains:
        by = {cl.role: cl for cl in c.clauses}
        if not by["if"].missing and not by["then"].missing:
            out.append(f"{c.title}: if we {by['if'].text}, then {by['then'].text}.")
        if not by["then"].missing and not by["which"].missing:
            out.append(f"{c.title}: when {by['then'].text}, that will {by['which'].text}.")
    return out
