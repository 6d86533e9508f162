"""HTML views of the facilitation results for the Gradio tabs (the tabs only place them on the page): findings,
crosswalks, drafts with numbered citations, coherence checks, assessment panels. Plain language; every quote
shows where it comes from."""

from __future__ import annotations

import html

from assistant.facilitation.outline import chain_text, check_marks, segments, statement_text
from assistant.facilitation.library import excerpt
from assistant.types import SourceRef

# Styles for the HTML components of the facilitation tabs (passed as css_template).
CSS = """
.fac-card { border: 1px solid #cbd5e1; border-left: 4px solid #2563eb; border-radius: 8px; padding: .55rem .8rem;
  margin: 0 0 .6rem 0; background: #fff; }
.fac-card h4 { margin: 0 0 .25rem 0; font-size: 1rem; color: #111827; }
.fac-quote { margin: .25rem 0; padding-left: .55rem; border-left: 3px solid #f59e0b; color: #1f2937; font-size: .93rem; }
.fac-where { color: #4b5563; font-size: .8rem; margin: .2rem 0 0 0; }
.fac-also { color: #374151; font-size: .85rem; margin: .3rem 0 0 0; }
.fac-num { display: inline-block; min-width: 1.5rem; font-weight: 700; color: #fff; background: #2563eb;
  border-radius: 4px; text-align: center; margin-right: .35rem; }
.fac-cols { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: .6rem; }
.fac-col h5 { margin: 0 0 .3rem 0; font-size: .92rem; color: #1e3a8a; }
.fac-check { display: flex; gap: .5rem; align-items: baseline; padding: .35rem .2rem; border-bottom: 1px solid #e2e8f0; }
.fac-check .st { font-weight: 700; min-width: 5.3rem; }
.fac-check.met .st { color: #15803d; } .fac-check.missing .st { color: #b91c1c; }
.fac-q { color: #7c2d12; font-style: italic; font-size: .88rem; }
.fac-statement { font-size: 1.05rem; line-height: 1.55; background: #eff6ff; border-radius: 8px; padding: .6rem .8rem;
  border: 1px solid #bfdbfe; }
.fac-statement sup, .fac-chain sup, .fac-check sup { color: #1d4ed8; font-weight: 700; }
.fac-missing { color: #92400e; background: #fef3c7; border-radius: 3px; padding: 0 2px; }
.fac-needed { color: #7c2d12; background: #fffbeb; border-color: #fcd34d; }
.fac-gap { color: #92400e; font-weight: 600; font-size: .9rem; }
.fac-fields { color: #374151; font-size: .8rem; margin: .15rem 0 0 0; }
.fac-warn { background: #fff7ed; border: 1px solid #fb923c; color: #7c2d12; border-radius: 8px; padding: .45rem .7rem;
  margin: .4rem 0; }
.fac-sources { font-size: .85rem; color: #1f2937; } .fac-sources li { margin-bottom: .3rem; }
.fac-empty { color: #4b5563; }
"""


def esc(text) -> str:
    return html.escape(str(text if text is not None else ""), quote=True)


def where(ref: SourceRef) -> str:
    return f"{esc(ref.label)} · {esc(ref.source)}, characters {ref.start:,}–{ref.end:,}"


def quote_block(ref: SourceRef, words: int = 60) -> str:
    return (f'<blockquote class="fac-quote">“{esc(excerpt(ref, words))}”</blockquote>'
            f'<p class="fac-where">{where(ref)}</p>')


def findings_html(findings) -> str:
    if not findings:
        return '<p class="fac-empty">Describe a challenge above and choose <strong>Find practices</strong>.</p>'
    cards = []
    for f in findings:
        also = ""
        if f.related:
            also = '<p class="fac-also">Also in other frameworks: ' + "; ".join(
                f"<strong>{esc(r.label)}</strong>" for r in f.related) + "</p>"
        focus = f' <span class="tag">best match: indicator {esc(f.focus_id.split(":")[1])}</span>' if f.focus_id else ""
        cards.append(f'<section class="fac-card" data-item="{esc(f.item_id)}"><h4><span class="fac-num">{f.rank}</span>'
                     f"{esc(f.label)}{focus}</h4>{quote_block(f.citation)}{also}</section>")
    return "".join(cards)


def crosswalk_html(cw) -> str:
    if cw is None:
        return '<p class="fac-empty">Pick a result to see the closest items in the other frameworks.</p>'
    a = cw.anchor
    cols = []
    for fw, entries in cw.columns.items():
        body = "".join(f'<div class="fac-card"><h4>{esc(e.label)}</h4>{quote_block(e.citation, 40)}'
                       + ('<p class="fac-also">(a weak match)</p>' if e.weak else "") + "</div>" for e in entries)
        cols.append(f'<div class="fac-col"><h5>{esc(fw)}</h5>{body or "<p class=fac-empty>Nothing close.</p>"}</div>')
    return (f'<section class="fac-card"><h4>{esc(a.label)}</h4>{quote_block(a.citation, 70)}</section>'
            f'<div class="fac-cols">{"".join(cols)}</div>')


def marked(text: str) -> str:
    """Sentinel text as HTML with <sup>[n]</sup> markers (the draft's own citation numbers)."""
    out = []
    for piece, nums in segments(text):
        out.append("<sup>" + "".join(f"[{n}]" for n in nums) + "</sup>" if nums else esc(piece))
    return "".join(out)


def draft_html(draft) -> str:
    """The statement, chains and the numbered sources they cite (numbers as in every export)."""
    if draft is None:
        return '<p class="fac-empty">Fill in the goal and choose your bets to see the draft.</p>'
    cls = "fac-statement" if draft.complete else "fac-statement fac-needed"
    parts = [f'<div class="{cls}" id="toa-statement">{marked(statement_text(draft))}</div>']
    parts += [f'<div class="fac-warn" role="alert">{esc(w)}</div>' for w in draft.warnings]
    for c in draft.chains:
        body = marked(chain_text(draft, c))
        cls = "fac-chain" if c.complete else "fac-chain fac-needed"
        parts.append(f'<p class="{cls}" data-bet="{c.number}"><strong>Bet {c.number} — {esc(c.title)}:</strong> '
                     f"{body}</p>")
    if draft.implied_assumptions:
        parts.append("<p><strong>Assumptions this takes for granted</strong> (test them):</p><ul>"
                     + "".join(f"<li>{esc(a)}</li>" for a in draft.implied_assumptions) + "</ul>")
    shown = sorted({n for c in draft.statement + [x for ch in draft.chains for x in ch.clauses] for n in c.cites})
    if shown:
        parts.append('<ol class="fac-sources">' + "".join(
            f'<li value="{n}">“{esc(excerpt(draft.source(n), 40))}” — <span class="fac-where">'
            f"{where(draft.source(n))}</span></li>" for n in shown) + "</ol>")
    return "".join(parts)


def checks_html(checks, draft=None) -> str:
    """The coherence checks, each with the fields it read and its criterion (numbered as in the draft)."""
    if not checks:
        return ""
    met = sum(c.met for c in checks)
    rows = [f"<p><strong>{met} of {len(checks)} coherence checks met.</strong> Each check reads only what you "
            "wrote in the fields it names, and comes from the frameworks' own criteria.</p>"]
    for c in checks:
        ref = c.citations[0]
        q = f'<div class="fac-q">Ask the team: {esc(c.question)}</div>' if c.question else ""
        mark = marked(check_marks(draft, c)) if draft is not None else ""
        read = (f'<div class="fac-fields">Read from: {esc("; ".join(c.fields))}</div>' if c.fields else "")
        rows.append(f'<div class="fac-check {c.status}" data-check="{esc(c.key)}"><span class="st">'
                    f'{"✓ Met" if c.met else "✗ Missing"}</span><div><strong>{esc(c.name)}</strong> — {esc(c.detail)}'
                    f'{mark}{read}<div class="fac-where">“{esc(excerpt(ref, 25))}” — {where(ref)}</div>{q}</div></div>')
    return "".join(rows)


def moves_html(item_label: str, current: SourceRef | None, current_name: str, moves) -> str:
    """An indicator's current descriptor and the next level's sentences as concrete next moves."""
    parts = [f"<h4>{esc(item_label)}</h4>"]
    if current is not None:
        parts.append(f'<p><strong>Where you are — {esc(current_name)}:</strong></p>{quote_block(current, 90)}')
    else:
        parts.append(f"<p><strong>Where you are:</strong> {esc(current_name)}.</p>")
    if moves is None:
        parts.append("<p>This is the top of the scale: keep the practice strong and share it.</p>")
    else:
        parts.append(f"<p><strong>Next moves — what {esc(moves.target)} looks like:</strong></p><ol>")
        parts += [f"<li>{esc(m.text)}<div class=\"fac-where\">{where(m)}</div></li>" for m in moves.moves]
        parts.append("</ol>")
    return f'<section class="fac-card">{"".join(parts)}</section>'


def priorities_html(prios) -> str:
    if not prios:
        return ('<p class="fac-empty">Set a goal level for some indicators to see where the gap is largest '
                "(choose the areas you care about to narrow it).</p>")
    rows = []
    for n, p in enumerate(prios, 1):
        moves = p.moves.moves[:2] if p.moves else []
        first = "".join(f'<li>{esc(m.text)}<div class="fac-where">{where(m)}</div></li>' for m in moves)
        rows.append(f'<section class="fac-card" data-item="{esc(p.item_id)}"><h4><span class="fac-num">{n}</span>'
                    f"{esc(p.name or p.label)} <span class=\"fac-gap\">({esc(p.gap_text)})</span></h4>"
                    f"<p class=\"fac-where\">{esc(p.group)}</p>"
                    + (f"<ul>{first}</ul>" if first else "") + "</section>")
    return "".join(rows)
