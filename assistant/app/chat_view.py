"""Rendering of the conversation for the Ask tab: answer messages with linked [n] markers, suggested next questions,
the collapsible sources and the feedback buttons under each answer, and the Markdown export. Pure functions over
`Answer.to_dict()`.

The chat's HTML sanitiser keeps ids, classes, roles and fragment links but drops data attributes, so what the page
script needs travels in those: feedback buttons have ids ``fb-<turn>-<rating>``, a suggested question is a link to
``#ask:<the question, percent-encoded>``.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from assistant.app.source_cards import esc, inline_sources

RATINGS = {"helpful": "Helpful", "not_helpful": "Not helpful", "wrong_citation": "Wrong citation"}
FACILITATOR = "facilitator"  # the backend name of guided-session steps (no feedback bar: they are not answers)


def session_id(state: dict) -> str:
    """The per-session id, assigned on first use."""
    if not state.get("sid"):
        state["sid"] = uuid.uuid4().hex
    return state["sid"]


HISTORY_TURNS = 10  # how many earlier question/answer pairs the answer engine sees for follow-ups


def history_for(turns: list[dict]) -> list[dict]:
    """The latest turns of the conversation as [{role, content}] for follow-up resolution."""
    out: list[dict] = []
    for t in turns[-HISTORY_TURNS:]:
        if t["answer"].get("backend") == FACILITATOR:
            continue  # a facilitation step ("1, 3", a goal) is not a topic for follow-up questions
        out.append({"role": "user", "content": t["question"]})
        out.append({"role": "assistant", "content": t["answer"].get("answer", "")})
    return out


# ---- rendering: answer ---------------------------------------------------------------------------------------
# Markers as they appear in inert text (see `inert`): brackets written as entities.
_MARKER = re.compile(r"&#91;(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)&#93;")


def inert(text: str) -> str:
    """Message text for the chat's Markdown: HTML escaped and brackets written as entities, so text quoted from a
    document can make no link or image (nothing is fetched) while bold and lists still render."""
    return html.escape(text, quote=False).replace("[", "&#91;").replace("]", "&#93;")


def link_markers(text: str, turn: int, numbers: set[int]) -> str:
    """Replace [n] / [n, m] markers (in `inert` text) that name a citation with links to the source cards of
    `turn`; other bracketed numbers stay text."""

    def repl(m: re.Match) -> str:
        nums = [int(x) for x in re.findall(r"\d+", m.group(1))]
        if not nums or any(n not in numbers for n in nums):
            return m.group(0)
        return "".join(f'<a href="#src-{turn}-{n}" title="Show source {n}">[{n}]</a>' for n in nums)

    return _MARKER.sub(repl, text)


def next_steps_html(steps: list) -> str:
    """Suggested next questions as links the page script sends as a new question."""
    links = []
    for s in steps or []:
        s = s if isinstance(s, dict) else {"label": str(s), "message": str(s)}
        label = str(s.get("label") or s.get("message") or "").strip()
        message = str(s.get("message") or label).strip()
        if label and message:
            links.append(f'<a class="next-step" role="button" href="#ask:{quote(message, safe="")}">{esc(label)}</a>')
    if not links:
        return ""
    return f'<div class="next-steps" role="group"><span class="ns-label">You could ask next:</span> {" ".join(links)}</div>'


def feedback_html(turn: int, rating: str | None) -> str:
    """The feedback buttons under an answer; the chosen one marked."""
    buttons = "".join(
        f'<button type="button" class="fb-btn{" chosen" if key == rating else ""}" id="fb-{turn}-{key}">'
        f'{"✓ " if key == rating else ""}{label}</button>' for key, label in RATINGS.items())
    ask = (f"Thanks — saved as “{RATINGS[rating]}”. You can change it:" if rating in RATINGS
           else "Was this answer helpful?")
    return f'<div class="fb-bar" role="group"><span class="fb-q">{ask}</span> {buttons}</div>'


def answer_markdown(ans: dict, turn: int, latest: bool = False, rating: str | None = None) -> str:
    """Chat message for one answer: text with linked markers, notices, suggestions (latest answer only), the
    collapsible sources and the feedback buttons."""
    text = inert(ans.get("answer") or "")
    numbers = {int(c["n"]) for c in ans.get("citations", [])}
    body = link_markers(text, turn, numbers)
    if ans.get("abstained"):
        related = len(ans.get("related") or [])
        hint = ((" The closest passage is listed with the sources." if related == 1 else
                 f" The {related} closest passages are listed with the sources.") if related else "")
        body = (f'<div class="abstain-msg"><strong>Not answered by the documents in the library.</strong>'
                f"{esc(hint)}</div>\n\n{body}")
    blocks = [body]
    notes = ans.get("notes") or []
    if notes:
        blocks.append("\n".join(f"*Note: {inert(n)}*" for n in notes))
    if latest:
        blocks.append(next_steps_html(ans.get("next_steps") or []))
    blocks.append(inline_sources(ans, turn))
    if ans.get("backend") != FACILITATOR:
        blocks.append(feedback_html(turn, rating))
    return "\n\n".join(b for b in blocks if b)


def question_markdown(question: str) -> str:
    q = question if len(question) <= 2000 else question[:2000] + " …"
    return inert(q)


WARMING_UP = ('<div class="warmup" role="status"><strong>Getting ready — your answer will follow.</strong> '
              "The assistant is still starting up: a few seconds, or about a minute the very first time, while it builds "
              "its library.</div>")
THINKING = '<span class="thinking" role="status">Looking through the documents…</span>'


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
                quote_text = " ".join(str(c.get("quote", "")).split())
                where = c.get("source", "") + (f", page {c['page']}" if c.get("page") is not None else "")
                lines.append(f"[{c['n']}] {c.get('label', '')} — “{quote_text}” ({where})")
            lines.append("")
        elif a.get("related"):
            lines += ["**Closest passages**", ""]
            for p in a["related"]:
                lines.append(f"- {p.get('framework', '')} › {p.get('section', '')}: {_snippet(p.get('text', ''), 240)}")
            lines.append("")
    return "\n".join(lines)


def _snippet(text: str, n: int) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[:n].rsplit(" ", 1)[0] + " …"


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
