"""HTML views of the improvement-plan tools for the app (the tabs only place them): the driver diagram with its
sources, suggested secondary drivers, the frameworks' language on measures and cycles, a cycle and its log, the
readiness check, and a preview of the one-page plan. Every quote shows where it comes from."""

from __future__ import annotations

from assistant.facilitation.cycles import DECISIONS, STATUS_NAMES
from assistant.facilitation.diagram_svg import outline_html, to_svg
from assistant.facilitation.library import excerpt
from assistant.facilitation.readiness import DIMENSIONS, LOW, NAMES, follow_up
from assistant.facilitation.views import esc, marked, quote_block, where
from assistant.text.clean import shorten

CSS = """
.plan-dd { overflow-x: auto; border: 1px solid #cbd5e1; border-radius: 8px; background: #fff; padding: 6px; }
.plan-dd svg { width: 100%; min-width: 940px; height: auto; display: block; }
.plan-badge { display: inline-block; border-radius: 999px; padding: 0 .55rem; font-size: .85rem; font-weight: 600;
  margin-right: .35rem; }
.plan-badge.ok { background: #dcfce7; color: #14532d; } .plan-badge.no { background: #fef3c7; color: #78350f; }
.plan-badge.run { background: #dbeafe; color: #1e3a8a; } .plan-badge.done { background: #e2e8f0; color: #1f2937; }
.plan-table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .3rem 0 .6rem 0; }
.plan-table th, .plan-table td { border: 1px solid #cbd5e1; padding: .3rem .45rem; text-align: left; vertical-align: top; }
.plan-table th { background: #dbeafe; color: #111827; }
.plan-bar { display: grid; grid-template-columns: 12rem 1fr 2.2rem; gap: .5rem; align-items: center; margin: .2rem 0; }
.plan-bar .track { background: #e2e8f0; border-radius: 4px; height: .8rem; }
.plan-bar .fill { background: #1d4ed8; border-radius: 4px; height: .8rem; }
.plan-bar.low .fill { background: #b45309; }
.plan-flag { background: #fff7ed; border: 1px solid #fb923c; border-radius: 8px; padding: .45rem .7rem; margin: .4rem 0;
  color: #431407; }
.plan-page { max-width: 760px; border: 1px solid #cbd5e1; box-shadow: 0 1px 6px rgba(15,23,42,.12); border-radius: 4px;
  padding: 1.2rem 1.5rem; background: #fff; color: #111827; }
.plan-page h3 { margin: .1rem 0; } .plan-page h4 { margin: .8rem 0 .25rem 0; color: #111827; }
.plan-goal { background: #eff6ff; border-radius: 6px; padding: .45rem .7rem; font-weight: 700; }
.plan-page sup, .plan-dd-sources sup { color: #1d4ed8; font-weight: 700; }
.plan-dd-sources { font-size: .85rem; }
.plan-hint { font-size: .85rem; color: #1f2937; background: #f8fafc; border-left: 3px solid #f59e0b; padding: .3rem .6rem;
  margin: -.2rem 0 .4rem 0; } .plan-hint ul { margin: .2rem 0 0 1rem; padding: 0; }
"""


def diagram_html(draft) -> str:
    """The drawn diagram (scrolls sideways on a narrow screen), the diagram as a list, and the sources it cites."""
    if draft is None or draft.plan is None or not draft.plan.diagram.bands:
        return ('<p class="fac-empty">Place your bets (Theory of action tab, or use practices as bets) to see the '
                "driver diagram.</p>")
    d = draft.plan.diagram
    nums = sorted({n for node in d.nodes() for n in node.cites})
    sources = "".join(f'<li value="{n}">“{esc(excerpt(draft.source(n), 60))}” — <span class="fac-where">'
                      f"{where(draft.source(n))}</span></li>" for n in nums)
    return (f'<div class="plan-dd" id="plan-dd">{to_svg(d, draft.source)}</div>'
            f'<details><summary>The diagram as a list</summary>{outline_html(d)}</details>'
            + (f'<details open><summary>Sources of the diagram</summary><ol class="fac-sources plan-dd-sources">'
               f"{sources}</ol></details>" if sources else ""))


def aim_html(diagram) -> str:
    """Whether the aim (the goal) is specific and dated."""
    if diagram is None or not diagram.aim.text:
        return '<p class="fac-empty">Write the aim: what will be better for students, by how much, by when.</p>'
    return (f'<span class="plan-badge {"ok" if diagram.aim_specific else "no"}">'
            f'{"✓ has a number" if diagram.aim_specific else "✗ no number yet"}</span>'
            f'<span class="plan-badge {"ok" if diagram.aim_dated else "no"}">'
            f'{"✓ has a date" if diagram.aim_dated else "✗ no date yet"}</span>')


def suggestions_html(suggestions) -> str:
    if not suggestions:
        return ('<p class="fac-empty">Choose <strong>Suggest secondary drivers</strong>: the frameworks\' systems, '
                "conditions and practices closest to this bet, each with the sentence that connects them.</p>")
    return "".join(f'<section class="fac-card" data-item="{esc(s.item_id)}"><h4><span class="fac-num">{k}</span>'
                   f"{esc(s.text)}</h4><p class=\"fac-where\">{esc(s.label)}</p>{quote_block(s.ref, 50)}</section>"
                   for k, s in enumerate(suggestions, 1))


def guidance_html(measures, cycles) -> str:
    """What the frameworks say about lead and lag measures and about short cycles."""
    def block(title: str, refs) -> str:
        return f'<div class="fac-col"><h5>{esc(title)}</h5>' + "".join(quote_block(r, 45) for r in refs) + "</div>"

    return ('<div class="fac-cols">' + block("Lead and lag measures, in the frameworks' words", measures)
            + block("Short improvement cycles, in the frameworks' words", cycles) + "</div>")


def measure_hint_html(refs) -> str:
    """The frameworks' words on lead and lag measures, short, beside the lead-measures box."""
    items = "".join(f'<li>“{esc(excerpt(r, 28))}” <span class="fac-where">— {esc(r.framework)}, '
                    f"{esc(shorten(r.path[-1], 6) if r.path else r.item_id)}</span></li>" for r in refs)
    return f'<div class="plan-hint"><strong>In the frameworks\' words:</strong><ul>{items}</ul></div>'


def cycle_html(cycle, number: int) -> str:
    """A cycle's status, what its plan still lacks, and its study/act log."""
    if cycle is None:
        return ('<p class="fac-empty">Plan a new cycle: one change idea, a prediction, the lead measures you will '
                "watch, who runs it and when.</p>")
    tone = {"planned": "no", "running": "run", "decided": "done"}[cycle.status]
    decided = f" — {DECISIONS[cycle.decision].split(' —')[0].lower()}" if cycle.status == "decided" else ""
    parts = [f'<p><span class="plan-badge {tone}" data-status="{cycle.status}">Cycle {number}: '
             f"{STATUS_NAMES[cycle.status]}{esc(decided)}</span> {esc(cycle.start)}"
             f"{' to ' + esc(cycle.end_date()) if cycle.end_date() else ''}</p>"]
    gaps = cycle.gaps()
    if gaps:
        parts.append(f'<p class="fac-q">Still to plan: {esc("; ".join(gaps))}.</p>')
    if cycle.log:
        rows = "".join(f"<tr><td>{esc(e.date)}</td><td>{esc(e.did)}</td><td>{esc(e.learned)}</td>"
                       f"<td>{esc(DECISIONS.get(e.decision, '').split(' —')[0])}</td></tr>" for e in cycle.log)
        parts.append('<table class="plan-table" id="plan-cycle-log"><thead><tr><th>Date</th><th>What we did and saw'
                     "</th><th>What we learned</th><th>Decision</th></tr></thead>"
                     f"<tbody>{rows}</tbody></table>")
    else:
        parts.append('<p class="fac-empty">Nothing logged yet: add what you did and saw as the cycle runs.</p>')
    return "".join(parts)


def cycles_overview_html(bets, next_ids) -> str:
    """Every bet's cycles with their status; the one the plan runs next marked."""
    rows = []
    for b, bet in enumerate(bets):
        for k, c in enumerate(bet.cycles):
            mark = " <strong>← next</strong>" if next_ids == (b, k) else ""
            rows.append(f"<tr><td>Bet {b + 1}</td><td>Cycle {k + 1}</td><td>{esc(c.change_idea)}</td>"
                        f"<td>{esc(c.start)}{' to ' + esc(c.end_date()) if c.end_date() else ''}</td>"
                        f"<td>{STATUS_NAMES[c.status]}{mark}</td></tr>")
    if not rows:
        return '<p class="fac-empty">No cycles planned yet.</p>'
    return ('<table class="plan-table"><thead><tr><th>Bet</th><th>Cycle</th><th>Change idea</th><th>When</th>'
            f"<th>Status</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def passages_html(refs) -> str:
    return "".join(quote_block(r, 45) for r in refs)


def readiness_html(readiness) -> str:
    """Scores as bars, low ones flagged with what to talk about."""
    if not readiness.scored():
        return '<p class="fac-empty">Score each dimension from 1 (not yet) to 5 (fully), then save.</p>'
    bars = []
    for d in DIMENSIONS:
        s = readiness.score(d)
        low = s is not None and s <= LOW
        width = 0 if s is None else s * 20
        bars.append(f'<div class="plan-bar{" low" if low else ""}" data-dim="{d}"><span>{esc(NAMES[d])}</span>'
                    f'<span class="track"><span class="fill" style="display:block;width:{width}%"></span></span>'
                    f"<span>{s if s is not None else '–'}</span></div>")
    flags = [f'<div class="plan-flag" data-low="{d}"><strong>⚑ {esc(NAMES[d])} scored {readiness.score(d)} of 5.'
             f"</strong> {esc(follow_up(d))}</div>" for d in readiness.low()]
    return f"<p><strong>{esc(readiness.summary())}</strong></p>" + "".join(bars) + "".join(flags)


def onepager_html(page) -> str:
    """A preview of the one-page plan, laid out like the page."""
    rows = "".join("<tr>" + "".join(f"<td>{esc(c).replace(chr(10), '<br>')}</td>" for c in row) + "</tr>"
                   for row in page.bets)
    cycle = ("<p><strong>" + esc(page.cycle_title) + "</strong></p><ul>"
             + "".join(f"<li><strong>{esc(a)}:</strong> {esc(b)}</li>" for a, b in page.cycle) + "</ul>"
             if page.cycle else '<p class="fac-empty">No 90-day cycle is planned yet.</p>')
    sources = "".join(f'<li value="{n}">“{esc(q)}” — <span class="fac-where">{esc(label)}</span></li>'
                      for n, label, q in page.sources)
    return (f'<div class="plan-page" id="plan-page"><h3>{esc(page.title)}</h3><p class="fac-where">'
            f'{esc(page.subtitle)}</p><p class="plan-goal">Goal: {esc(page.goal)}</p><h4>Our theory of action</h4>'
            f"<p>{marked(page.statement)}</p><h4>Our bets</h4><table class=\"plan-table\"><thead><tr>"
            + "".join(f"<th>{esc(h)}</th>" for h in page.bets_head) + f"</tr></thead><tbody>{rows}</tbody></table>"
            f"<h4>Next 90-day cycle</h4>{cycle}<h4>The passages this plan rests on</h4>"
            f'<ol class="fac-sources">{sources}</ol></div>')

