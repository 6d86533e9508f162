"""The one-page plan for the board: the goal, the theory of action, the bets with their owners and lead and lag
measures, the next 90-day cycle, and the three framework passages that matter most — everything on one printed
page (onepager_pdf.py fits it; onepager_docx.py sets it for Word).

"The three that matter most" are the draft's sources the plan leans on most: cited by the most clauses and boxes
(statement, chains, driver diagram), one per framework first; their numbers are the full draft's, so the page
and the full plan agree. Other markers are left off the page.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from assistant.facilitation.citemarks import CITE, plain
from assistant.facilitation.cycles import STATUS_NAMES
from assistant.facilitation.drafting import Draft
from assistant.facilitation.library import excerpt
from assistant.facilitation.outline import statement_text

TOP = 3
QUOTE_WORDS = 60
NOT_PLANNED = "No 90-day cycle is planned yet: the team picks one change idea to test next."


@dataclass
class OnePager:
    title: str
    subtitle: str
    goal: str
    statement: str  # with citation sentinels for the chosen sources only
    bets_head: list[str]
    bets: list[list[str]]  # bet, owners, lead measures, lag outcomes
    cycle_title: str  # "Bet 1: … — cycle 1, 2025-09-02 to 2025-12-01"
    cycle: list[tuple[str, str]]  # (label, value); empty when none is planned
    sources: list[tuple[int, str, str]]  # (n, label, quote)
    notes: list[str] = field(default_factory=list)


def top_sources(draft: Draft, k: int = TOP) -> list[int]:
    """The `k` citation numbers the plan leans on most (see module docstring), in number order."""
    counts: Counter[int] = Counter()
    for c in draft.statement:
        counts.update(c.cites)
    for chain in draft.chains:
        for c in chain.clauses:
            counts.update(c.cites)
    if draft.plan is not None:
        for node in draft.plan.diagram.nodes():
            counts.update(node.cites)
    ranked = sorted(counts, key=lambda n: (-counts[n], n)) or list(range(1, len(draft.sources) + 1))
    chosen: list[int] = []
    seen: set[str] = set()
    for n in ranked:  # one per framework first
        fw = draft.source(n).framework
        if fw not in seen and len(chosen) < k:
            chosen.append(n)
            seen.add(fw)
    chosen += [n for n in ranked if n not in chosen][:k - len(chosen)]
    return sorted(chosen)


def keep_marks(text: str, keep: set[int]) -> str:
    """Sentinel text with only the citation numbers in `keep`."""
    def sub(m: re.Match) -> str:
        nums = [n for n in m.group(1).split(",") if n and int(n) in keep]
        return f"{CITE}{','.join(nums)}{CITE}" if nums else ""

    return re.sub(f"{CITE}([0-9,]*){CITE}", sub, text)


def _cell(values: list[str]) -> str:
    vals = [v[:1].upper() + v[1:] for v in values if v and v.strip()]
    return "\n".join(vals) if vals else "—"


def one_pager(draft: Draft) -> OnePager:
    t = draft.toa
    keep = top_sources(draft)
    sub = " · ".join(x for x in (t.district, f"One-page plan, {date.today().isoformat()}") if x)
    bets = [[f"{c.title}", _cell(b.owners), _cell(b.lead_metrics), _cell(b.lag_outcomes)]
            for c, b in zip(draft.chains, t.active_bets())]
    cycle_title, cycle = "", []
    found = draft.plan.cycle() if draft.plan is not None else None
    if found is not None:
        part, c = found
        k = part.cycles.index(c) + 1
        when = " to ".join(x for x in (c.start, c.end_date()) if x)
        cycle_title = f"Bet {part.number}: {part.title} — cycle {k} ({STATUS_NAMES[c.status].lower()})"
        cycle = [(a, b) for a, b in (("Change idea", c.change_idea), ("Prediction", c.prediction),
                                     ("Lead measures", "; ".join(c.lead_measures)), ("Who", c.who), ("When", when))
                 if b]
    sources = [(n, draft.source(n).label, excerpt(draft.source(n), QUOTE_WORDS)) for n in keep]
    return OnePager(t.title or "Theory of action", sub, " ".join(t.goal.split()) or "Not written yet.",
                    keep_marks(statement_text(draft), set(keep)), ["Bet", "Owners", "Lead measures", "Lag outcomes"],
                    bets, cycle_title, cycle, sources)


def to_markdown(p: OnePager) -> str:
    out = [f"# {p.title}", "", f"*{p.subtitle}*", "", f"**Goal:** {p.goal}", "", "## Our theory of action", "",
           f"> {plain(p.statement)}", "", "## Our bets", "", "| " + " | ".join(p.bets_head) + " |",
           "|" + "---|" * len(p.bets_head)]
    out += ["| " + " | ".join(c.replace("\n", "<br>").replace("|", "/") for c in row) + " |" for row in p.bets]
    out += ["", "## Next 90-day cycle", ""]
    out += [f"**{p.cycle_title}**", ""] + [f"- **{a}:** {b}" for a, b in p.cycle] if p.cycle else [NOT_PLANNED]
    out += ["", "## The passages this plan rests on", ""]
    out += [f"[{n}] “{quote}” — {label}" for n, label, quote in p.sources]
    out += ["", "*Numbers match the full theory of action, which lists every source.*"]
    return "\n".join(out).rstrip() + "\n"
