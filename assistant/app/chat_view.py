"""Rendering of the conversation for the Ask tab: answer markdown with linked [n] markers, source cards with the
quoted span highlighted, "Why this answer", and the Markdown export. Pure functions over `Answer.to_dict()`."""

from __future__ import annotations

import html
import os
import re
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path


MAX_TURNS_SHOWN = 20


def session_id(state: dict) -> str:
    """The per-session id, assigned on first use."""
    if not state.get("sid"):
        state["sid"] = uuid.uuid4().hex
    return state["sid"]


def esc(text) -> str:
    return html.escape(str(text if text is not None else ""), quote=True)


# ---- rendering: answer ---------------------------------------------------------------------------------------
_MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")


def link_markers(text: str, turn: int, numbers: set[int]) -> str:
    """Replace [n] / [n, m] markers that name a citation with links to the source cards of `turn`."""

    def repl(m: re.Match) -> str:
        nums = [int(x) for x in re.findall(r"\d+", m.group(1))]
        if not nums or any(n not in numbers for n in nums):
            return m.group(0)
        return "".join(f'<a href="#src-{turn}-{n}" title="Show source {n}">[{n}]</a>' for n in nums)

    return _MARKER.sub(repl, text)


def answer_markdown(ans: dict, turn: int) -> str:
    """Chat message for one answer: text with linked markers; abstentions and notes styled as notices."""
    text = html.escape(ans.get("answer") or "", quote=False)
    numbers = {int(c["n"]) for c in ans.get("citations", [])}
    body = link_markers(text, turn, numbers)
    notes = ans.get("notes") or []
    if ans.get("abstained"):
        related = len(ans.get("related") or [])
        hint = ((" The closest passage is listed beside the chat." if related == 1 else
                 f" The {related} closest passages are listed beside the chat.") if related else "")
        body = (f'<div class="abstain-msg"><strong>Not answered by the documents in the library.</strong>'
                f"{esc(hint)}</div>\n\n{body}")
    if notes:
        body += "\n\n" + "\n".join(f"*Note: {html.escape(n, quote=False)}*" for n in notes)
    return body


def question_markdown(question: str) -> str:
    q = question if len(question) <= 2000 else question[:2000] + " …"
    return html.escape(q, quote=False)


# ---- rendering: sources -------------------------------------------------------------------------------------
def highlight(passage: str, quote: str) -> tuple[str, bool]:
    """Escaped passage text with the quoted span marked; (html, found). The quote is raw source text."""
    from assistant.text.clean import clean

    if not quote:
        return esc(passage), False
    for q in dict.fromkeys([quote.strip(), clean(quote)]):
        if not q:
            continue
        i = passage.find(q)
        if i >= 0:
            return f"{esc(passage[:i])}<mark>{esc(q)}</mark>{esc(passage[i + len(q):])}", True
        words = re.findall(r"\S+", q)
        if words:
            m = re.search(r"\s+".join(re.escape(w) for w in words), passage, flags=re.I)
            if m:
                a, b = m.span()
                return f"{esc(passage[:a])}<mark>{esc(passage[a:b])}</mark>{esc(passage[b:])}", True
    return esc(passage), False


def _tags(p: dict) -> str:
    tags = []
    if p.get("indicator") and p["indicator"] not in (p.get("section") or ""):
        tags.append(f"Indicator {p['indicator']}")
    if p.get("level"):
        tags.append(f"Level: {p['level']}")
    if p.get("page") is not None:
        tags.append(f"Page {p['page']}")
    return "".join(f'<span class="tag">{esc(t)}</span>' for t in tags)


FOLD_CHARS = 420


def source_card(p: dict, anchor: str, number: int | None, quote: str | None = None, fold: bool = False) -> str:
    """One source: number, framework, section path, indicator/level/page tags, passage with the quote marked.

    With `fold`, a long passage shows its opening and folds the rest behind "Show the whole passage"."""
    text = p.get("text") or ""
    body, found = highlight(text, quote or "")
    if fold and len(text) > FOLD_CHARS:
        cut = text[:FOLD_CHARS].rsplit(" ", 1)[0]
        body = (f"{esc(cut)} …<details class=\"more\"><summary>Show the whole passage</summary>"
                f"{esc(text)}</details>")
    extra = ""
    if quote and not found:
        from assistant.text.clean import clean

        extra = f'<blockquote class="src-quote"><strong>Quoted:</strong> <mark>{esc(clean(quote))}</mark></blockquote>'
    section = (p.get("section") or "").replace(" › ", " › ")
    span = p.get("span") or [p.get("start"), p.get("end")]
    where = f"{esc(p.get('source', ''))}"
    if span and span[0] is not None:
        where += f" · characters {span[0]:,}–{span[1]:,}"
    num = f'<span class="src-num">{number}</span>' if number is not None else ""
    return (f'<section class="src-card" id="{esc(anchor)}" tabindex="-1">'
            f'<div class="src-head">{num}<span class="src-fw">{esc(p.get("framework", ""))}</span></div>'
            + (f'<p class="src-path">{esc(section)}</p>' if section else "")
            + (f'<div class="src-meta">{_tags(p)}</div>' if _tags(p) else "")
            + f'<div class="src-text">{body}</div>{extra}<div class="src-file">{where}</div></section>')


def turn_sources(ans: dict, turn: int) -> str:
    parts: list[str] = []
    if ans.get("abstained"):
        related = ans.get("related") or []
        parts.append('<div class="abstain-box" role="note"><strong>No direct answer in the library.</strong> '
                     + ("These passages are the closest matches; they may still help."
                        if related else "Try rephrasing, or choose a different framework.") + "</div>")
        parts.extend(source_card(p, f"rel-{turn}-{i}", None, fold=True) for i, p in enumerate(related, 1))
    for c in ans.get("citations", []):
        parts.append(source_card(c, f"src-{turn}-{c['n']}", c["n"], c.get("quote")))
    if not parts:
        parts.append('<p class="sources-empty">No sources for this answer.</p>')
    return "".join(parts)


def sources_html(turns: list[dict]) -> str:
    """The sources panel: the latest answer's sources open, earlier ones folded."""
    if not turns:
        return ('<h3>Sources</h3><p class="sources-empty">The passages behind each answer appear here, with the '
                "quoted words highlighted.</p>")
    shown = list(enumerate(turns, 1))[-MAX_TURNS_SHOWN:]
    n, last = shown[-1]
    out = [f"<h3>Sources for your latest question</h3>", turn_sources(last["answer"], n)]
    for n, t in reversed(shown[:-1]):
        q = t["question"] if len(t["question"]) <= 90 else t["question"][:90] + "…"
        out.append(f'<details class="turn-sources"><summary>Earlier: {esc(q)}</summary>'
                   f"{turn_sources(t['answer'], n)}</details>")
    return "".join(out)


def why_html(turns: list[dict]) -> str:
    """Every retrieved passage of the latest answer with its scores (for the "Why this answer" toggle)."""
    if not turns:
        return '<p class="sources-empty">Ask a question to see how its answer was found.</p>'
    ans = turns[-1]["answer"]
    cited = {c.get("chunk_id") for c in ans.get("citations", [])}
    rows = []
    for i, p in enumerate(ans.get("passages", []), 1):
        s = p.get("signals") or {}
        where = " › ".join(x for x in (p.get("framework"), p.get("section")) if x)
        mark = '<span class="cited">cited</span>' if p.get("chunk_id") in cited else ""
        rows.append(f"<tr><td>{i}</td><td>{esc(where)} {mark}<br><small>{esc(_snippet(p.get('text', '')))}</small></td>"
                    f"<td>{p.get('score', 0):.4f}</td><td>{_fmt(s.get('dense'))}</td><td>{_fmt(s.get('bm25'))}</td>"
                    f"<td>{_fmt(s.get('boost'))}</td></tr>")
    timing = ans.get("timings_ms") or {}
    total = timing.get("total")
    resolved = ans.get("resolved_question")
    head = ""
    if resolved and resolved != ans.get("question"):
        head += f"<p>Searched for: <em>{esc(resolved)}</em> (your follow-up, read with the conversation).</p>"
    head += (f"<p>{len(rows)} passages were retrieved"
             + (f" in {total / 1000:.2f} s" if isinstance(total, (int, float)) else "")
             + f"; answer method: {esc(ans.get('backend', ''))}. Higher scores are better matches.</p>")
    table = ("<table><thead><tr><th>#</th><th>Passage</th><th>Overall</th><th>Meaning match</th>"
             "<th>Keyword match</th><th>Named item bonus</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    return head + table


def _fmt(v) -> str:
    return "–" if v is None else f"{v:.3f}"


def _snippet(text: str, n: int = 160) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[:n].rsplit(" ", 1)[0] + " …"


# ---- export ---------------------------------------------------------------------------------------------------
def conversation_markdown(turns: list[dict]) -> str:
    """The conversation with its citations as Markdown (for the export button)."""
    lines = ["# Conversation with the District Leadership Assistant", "",
             f"Exported {datetime.now().strftime('%Y-%m-%d %H:%M')}.", ""]
    for i, t in enumerate(turns, 1):
        a = t["answer"]
        lines += [f"## {i}. {t['question'].strip()}", ""]
        if a.get("abstained"):
            lines += ["> Not answered by the documents in the library.", ""]
        lines += [a.get("answer", "").strip(), ""]
        for n in a.get("notes") or []:
            lines += [f"*Note: {n}*", ""]
        if a.get("citations"):
            lines += ["**Sources**", ""]
            for c in a["citations"]:
                quote = " ".join(str(c.get("quote", "")).split())
                span = c.get("span") or ["", ""]
                lines.append(f"[{c['n']}] {c.get('label', '')} — “{quote}” "
                             f"({c.get('source', '')}, characters {c.get('start', span[0])}–{c.get('end', span[1])})")
            lines.append("")
        elif a.get("related"):
            lines += ["**Closest passages**", ""]
            for p in a["related"]:
                lines.append(f"- {p.get('framework', '')} › {p.get('section', '')}: {_snippet(p.get('text', ''), 240)}")
            lines.append("")
    return "\n".join(lines)


def export_dir() -> Path:
    d = Path(tempfile.gettempdir()) / "district-assistant-exports"
    d.mkdir(parents=True, exist_ok=True)
    return d


def prune_exports(max_age_s: float = 86400) -> None:
    """Delete conversation exports of sessions untouched for a day (they hold conversation text)."""
    import shutil

    now = time.time()
    try:
        for folder in export_dir().iterdir():
            if folder.is_dir() and now - folder.stat().st_mtime > max_age_s:
                shutil.rmtree(folder, ignore_errors=True)
    except OSError:
        pass


def write_export(session: dict) -> str | None:
    if not session.get("turns"):
        return None
    folder = export_dir() / session_id(session)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"conversation-{datetime.now().strftime('%Y-%m-%d')}.md"
    tmp = folder / f".{uuid.uuid4().hex}.tmp"
    tmp.write_text(conversation_markdown(session["turns"]), encoding="utf-8")
    os.replace(tmp, path)
    return str(path)
