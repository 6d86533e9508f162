"""The improvement-plan tools as JSON, for the API and `python -m assistant toa … --json`: the driver diagram (with
Mermaid, SVG and cited suggestions), the cycles, and the readiness checks. Citation numbers index the draft's
`sources` (each an exact span: source, start, end, quote), the same numbers as every export."""

from __future__ import annotations

from assistant.facilitation.cycles import STATUS_NAMES, next_cycle
from assistant.facilitation.diagram_svg import to_svg
from assistant.facilitation.mermaid import to_mermaid
from assistant.facilitation.readiness import DIMENSIONS, NAMES, follow_up, question


def sources_json(draft, numbers=None) -> list[dict]:
    """The draft's sources (all, or the given numbers) with their numbers."""
    keep = set(numbers) if numbers is not None else None
    return [dict(s.to_dict(), n=n) for n, s in enumerate(draft.sources, 1) if keep is None or n in keep]


def diagram_json(draft, suggester=None) -> dict:
    d = draft.plan.diagram
    out = {"driver_diagram": d.to_dict(), "mermaid": to_mermaid(d), "svg": to_svg(d, draft.source),
           "sources": sources_json(draft, {n for node in d.nodes() for n in node.cites})}
    if suggester is not None:
        out["suggestions"] = {str(k): [s.to_dict() for s in suggester.suggest(draft.toa, k - 1)]
                              for k in range(1, len(d.bands) + 1)}
    return out


def cycles_json(draft, planner) -> dict:
    bets = draft.toa.active_bets()
    nxt = next_cycle(bets)
    return {
        "bets": [{"bet": b, "title": chain.title, "cycles": [
            dict(c.to_dict(), number=k, status=c.status, status_name=STATUS_NAMES[c.status], end_date=c.end_date(),
                 decision=c.decision, still_to_plan=c.gaps()) for k, c in enumerate(bet.cycles, 1)]}
            for b, (bet, chain) in enumerate(zip(bets, draft.chains), 1)],
        "next": {"bet": nxt[0] + 1, "cycle": nxt[1] + 1} if nxt else None,
        "measure_language": [r.to_dict() for r in planner.measure_language()],
        "cycle_language": [r.to_dict() for r in planner.cycle_language()],
    }


def readiness_json(draft, planner) -> dict:
    out = []
    for b, (bet, chain) in enumerate(zip(draft.toa.active_bets(), draft.chains), 1):
        r = bet.readiness
        passages = planner.readiness_passages(bet)
        out.append({"bet": b, "title": chain.title, "average": r.average(), "summary": r.summary(),
                    "dimensions": [{"dimension": d, "name": NAMES[d], "question": question(d), "score": r.score(d),
                                    "note": r.note(d), "low": d in r.low(),
                                    "follow_up": follow_up(d) if d in r.low() else "",
                                    "passages": [p.to_dict() for p in passages[d]]} for d in DIMENSIONS]})
    return {"bets": out, "scale": {"1": "not yet", "5": "fully"}}
