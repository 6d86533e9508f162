"""HTML of the Team consensus tab: one indicator with everyone's rating and note side by side, the largest
disagreements first then every indicator by person, and what the team agreed with the dissent recorded."""

from __future__ import annotations

from assistant.facilitation.assessment import level_name
from assistant.facilitation.consensus import Spread, TeamAssessment
from assistant.facilitation.team_report import name_of, order_of
from assistant.facilitation.views import esc

CSS = """
.team-cols { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: .5rem; margin: .3rem 0; }
.team-person { border: 1px solid #cbd5e1; border-radius: 8px; padding: .4rem .6rem; background: #fff; }
.team-person h5 { margin: 0 0 .2rem 0; font-size: .95rem; color: #111827; }
.team-level { font-weight: 700; color: #1e3a8a; }
.team-note { color: #1f2937; font-size: .9rem; margin: .2rem 0 0 0; }
.team-table { border-collapse: collapse; width: 100%; font-size: .88rem; }
.team-table th, .team-table td { border: 1px solid #cbd5e1; padding: .25rem .4rem; text-align: left; vertical-align: top; }
.team-table th { background: #dbeafe; }
.team-table td.hot { background: #ffedd5; font-weight: 700; }
.team-agreed { color: #14532d; font-weight: 700; }
"""


def _person(s: Spread, name: str, r) -> str:
    note = f'<p class="team-note">“{esc(r.evidence)}”</p>' if r.evidence else '<p class="team-note fac-empty">No note.</p>'
    return (f'<div class="team-person"><h5>{esc(name)}</h5><span class="team-level">'
            f"{esc(level_name(s.item_id, r.current))}</span>{note}</div>")


def item_html(s: Spread | None, lib) -> str:
    """One indicator: everyone's rating and note side by side, the spread and the proposal."""
    if s is None:
        return '<p class="fac-empty">Choose an indicator to see everyone\'s rating and notes side by side.</p>'
    agreed = (f'<p class="team-agreed">Agreed: {esc(level_name(s.item_id, s.agreed.current))}'
              + (f" — dissent recorded from {esc(', '.join(d.name for d in s.agreed.dissent))}" if s.agreed.dissent
                 else " — unanimous") + "</p>") if s.agreed else ""
    return (f"<h4>{esc(name_of(lib, s.item_id))}</h4><p>Spread {s.spread} · proposed: "
            f"<strong>{esc(level_name(s.item_id, s.proposed[0]))}</strong> (the lower middle rating)</p>"
            f'<div class="team-cols">{"".join(_person(s, n, r) for n, r in s.ratings)}</div>{agreed}')


def spread_html(team: TeamAssessment, lib) -> str:
    """The largest disagreements (notes side by side), then every indicator by person."""
    if not team.members:
        return '<p class="fac-empty">No one has added ratings yet.</p>'
    order = order_of(lib)
    names = [m.name for m in team.members]
    worst = team.disagreements(order, n=3)
    parts = ["<h4>Where the team disagrees most</h4>"]
    parts += [f'<section class="fac-card" data-item="{esc(s.item_id)}">{item_html(s, lib)}</section>' for s in worst]
    if not worst:
        parts.append("<p>Everyone who rated an indicator rated it the same.</p>")
    rows = []
    for s in team.spreads(order):
        by = dict(s.ratings)
        cells = "".join(f"<td>{esc(level_name(s.item_id, by[n].current)) if n in by else '—'}</td>" for n in names)
        agreed = esc(level_name(s.item_id, s.agreed.current)) if s.agreed else ""
        rows.append(f'<tr data-item="{esc(s.item_id)}"><td>{esc(name_of(lib, s.item_id))}</td>{cells}'
                    f'<td class="{"hot" if s.spread >= 2 else ""}">{s.spread}</td>'
                    f"<td>{esc(level_name(s.item_id, s.proposed[0]))}</td><td class=\"team-agreed\">{agreed}</td></tr>")
    head = "".join(f"<th>{esc(n)}</th>" for n in names)
    parts.append(f'<h4>Every indicator</h4><table class="team-table" id="team-table"><thead><tr><th>Indicator</th>'
                 f"{head}<th>Spread</th><th>Proposed</th><th>Agreed</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")
    return "".join(parts)


def agreed_html(team: TeamAssessment, lib) -> str:
    if not team.agreed:
        return '<p class="fac-empty">Nothing agreed yet: choose an indicator, agree a rating and record it.</p>'
    items = []
    for item_id, ag in team.agreed.items():
        dissent = ("; ".join(f"{esc(d.name)} — {esc(level_name(item_id, d.current))}"
                             + (f" (“{esc(d.note)}”)" if d.note else "") for d in ag.dissent))
        items.append(f'<li data-item="{esc(item_id)}"><strong>{esc(name_of(lib, item_id))}:</strong> '
                     f'<span class="team-agreed">{esc(level_name(item_id, ag.current))}</span>'
                     + (f" — {esc(ag.rationale)}" if ag.rationale else "")
                     + (f"<br><em>Dissent:</em> {dissent}" if dissent else " <em>(unanimous)</em>") + "</li>")
    return f'<h4>What the team agreed</h4><ul id="team-agreed-list">{"".join(items)}</ul>'
