"""Team consensus as JSON (the API and `assess team --json`) and as a Markdown report (the download and the command
line): per indicator who rated what with their evidence, the spread, the proposed rating, the largest disagreements
first, and the agreed ratings with dissent. (The tab's HTML: team_views.py.)"""

from __future__ import annotations

from assistant.facilitation.assessment import item_name, level_name
from assistant.facilitation.consensus import Spread, TeamAssessment


def order_of(lib) -> dict[str, int]:
    return {item.id: k for k, item in enumerate(lib.catalog)}


def name_of(lib, item_id: str) -> str:
    try:
        return item_name(lib, item_id)
    except (KeyError, ValueError):
        return item_id


def spread_json(s: Spread, lib) -> dict:
    cur, goal = s.proposed
    return {"item_id": s.item_id, "name": name_of(lib, s.item_id), "spread": s.spread,
            "ratings": [{"name": n, "current": r.current, "current_name": level_name(s.item_id, r.current),
                         "goal": r.goal, "evidence": r.evidence} for n, r in s.ratings],
            "proposed": {"current": cur, "goal": goal, "current_name": level_name(s.item_id, cur)},
            "agreed": s.agreed.to_dict() if s.agreed else None}


def team_json(team: TeamAssessment, lib) -> dict:
    order = order_of(lib)
    return {"team": team.to_dict(), "members": [m.name for m in team.members],
            "items": [spread_json(s, lib) for s in team.spreads(order)],
            "disagreements": [s.item_id for s in team.disagreements(order)],
            "agreed_assessment": team.agreed_assessment().to_dict()}


def report_markdown(team: TeamAssessment, lib) -> str:
    """The team's view as a document: largest disagreements with everyone's notes, every indicator, the agreements."""
    order = order_of(lib)
    names = [m.name for m in team.members]
    out = [f"# {team.title}", "", f"*{team.district or 'Our district'} · {team.date} · {len(names)} people: "
           f"{', '.join(names)}*", "", "## Where we disagree most", ""]
    worst = team.disagreements(order)
    if not worst:
        out += ["Everyone who rated an indicator rated it the same.", ""]
    for s in worst:
        out += [f"### {name_of(lib, s.item_id)} (spread {s.spread})", ""]
        out += [f"- **{n}:** {level_name(s.item_id, r.current)}" + (f" — “{r.evidence}”" if r.evidence else "")
                for n, r in s.ratings] + [""]
    out += ["## Every indicator", "", "| Indicator | " + " | ".join(names) + " | Spread | Proposed | Agreed |",
            "|" + "---|" * (len(names) + 4)]
    for s in team.spreads(order):
        by = dict(s.ratings)
        cells = [level_name(s.item_id, by[n].current) if n in by else "—" for n in names]
        agreed = level_name(s.item_id, s.agreed.current) if s.agreed else ""
        out.append(f"| {name_of(lib, s.item_id)} | " + " | ".join(cells)
                   + f" | {s.spread} | {level_name(s.item_id, s.proposed[0])} | {agreed} |")
    out += ["", "## What we agreed", ""]
    if not team.agreed:
        out.append("Nothing agreed yet.")
    for item_id, ag in team.agreed.items():
        line = f"- **{name_of(lib, item_id)}:** {level_name(item_id, ag.current)}"
        line += f" (goal {level_name(item_id, ag.goal)})" if ag.goal is not None else ""
        line += f". {ag.rationale}" if ag.rationale else "."
        if ag.dissent:
            line += " *Dissent:* " + "; ".join(f"{d.name} — {level_name(item_id, d.current)}"
                                              + (f" (“{d.note}”)" if d.note else "") for d in ag.dissent) + "."
        out.append(line)
    return "\n".join(out).rstrip() + "\n"
