"""The Ask tab: conversation, sources panel with highlighted quotes, "Why this answer", examples, export.

Everything a conversation needs lives in a per-session ``gr.State`` (a dict with the turns); nothing is shared
between sessions. Rendering works from `Answer.to_dict()` so it is the same for streamed and non-streamed answers.
Source cards have ids ``src-<turn>-<n>``; answer markers link to them and the page script (ui.HEAD) scrolls to and
highlights the card.
"""

from __future__ import annotations

import html
import os
import re
import sys
import tempfile
import time
import traceback
import uuid
from datetime import datetime
from pathlib import Path

import gradio as gr

ALL = "All frameworks"
MAX_TURNS_SHOWN = 20
STREAM_MIN_INTERVAL = 0.05  # seconds between streamed UI updates

EXAMPLES: dict[str, list[str]] = {  # role -> questions; buttons get elem_id "example-<role>-<n>"
    "Superintendent": [
        "What does a district theory of action need to include?",
        "How should the central office support principals in low-performing schools?",
    ],
    "Coach": [
        "What does indicator 11a look like at Getting Better?",
        "How can principals build a collaborative culture focused on learning?",
    ],
    "Evaluator": [
        "What evidence shows a district is at Keep Improving on instructional leadership routines?",
        "Which district conditions does UVA-PLE say matter most for school transformation?",
    ],
}

PLACEHOLDER = ("**Ask a question about district leadership.**\n\nAnswers quote the frameworks directly; "
               "click a number like [1] to see the passage it comes from. Press Enter to send; Shift+Enter starts "
               "a new line.")


def new_session() -> dict:
    """Per-session state. The id is assigned on first use: gr.State deep-copies its initial value into every
    session, so an id created here would be shared by all sessions."""
    return {"sid": None, "turns": []}


def session_id(state: dict) -> str:
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
    from .textclean import clean

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
        from .textclean import clean

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


# ---- answering --------------------------------------------------------------------------------------------------
def respond(services, ctx, question: str, state: dict, framework: str):
    """Answer one question, yielding UI updates (streamed when the answer engine has `stream()`).

    Yields tuples in the order of the tab's outputs: chatbot, question box, sources, why, notice, export button,
    examples, state.
    `ctx` needs only `ready()`. The engine's `stream()` may yield str tokens, then must yield the final Answer."""
    from .answering import InputError

    state = state or new_session()
    turns = state["turns"]
    q, fw = question or "", framework
    keep = gr.update()
    try:
        from . import answering

        validate = getattr(answering, "validate_question", None)
        if validate is not None:
            validate(q, services.settings.answer.max_question_chars)
    except InputError as exc:
        yield (keep, q, keep, keep, notice(str(exc)), keep, keep, state)
        return
    ctx.ready()
    question_text = q.strip()
    turns_msgs = chat_messages(turns)
    pending = turns_msgs + [{"role": "user", "content": question_markdown(question_text)},
                            {"role": "assistant", "content": "…"}]
    yield (pending, "", keep, keep, "", keep, gr.update(visible=False), state)

    answerer = services.answerer
    kwargs = {"history": history_for(turns), "framework": None if fw in (None, "", ALL) else fw}
    answer = None
    try:
        if hasattr(answerer, "stream"):
            partial, last = "", 0.0
            for item in answerer.stream(question_text, **kwargs):
                if isinstance(item, str):
                    partial += item
                    now = time.monotonic()
                    if now - last >= STREAM_MIN_INTERVAL:
                        last = now
                        pending[-1] = {"role": "assistant", "content": html.escape(partial, quote=False) + " ▌"}
                        yield (pending, gr.update(), keep, keep, keep, keep, keep, state)
                else:
                    answer = item
        else:
            answer = answerer.answer(question_text, **kwargs)
    except InputError as exc:
        yield (turns_msgs, q, keep, keep, notice(str(exc)), keep,
               gr.update(visible=not turns), state)
        return
    except ValueError as exc:  # e.g. an unknown framework name: the message is meant for people
        yield (turns_msgs, q, keep, keep, notice(str(exc)), keep, gr.update(visible=not turns), state)
        return
    except Exception as exc:  # the answer engine failed: tell the person, keep the conversation
        traceback.print_exc(file=sys.stderr)
        msg = ("Sorry — something went wrong while answering that question. "
               f"Please try again or rephrase it. ({type(exc).__name__})")
        yield (turns_msgs, q, keep, keep, notice(msg), keep, gr.update(visible=not turns), state)
        return
    if answer is None:
        yield (turns_msgs, q, keep, keep, notice("No answer was produced; please try again."),
               keep, gr.update(visible=not turns), state)
        return
    turns.append({"question": question_text, "answer": answer.to_dict()})
    path = write_export(state)
    yield (chat_messages(turns), "", sources_html(turns), why_html(turns), "",
           gr.update(value=path, interactive=bool(path)), gr.update(visible=False), state)


# ---- conversation helpers ---------------------------------------------------------------------------------------
HISTORY_TURNS = 10  # how many earlier question/answer pairs the answer engine sees for follow-ups


def history_for(turns: list[dict]) -> list[dict]:
    """The latest turns of the conversation as [{role, content}] for follow-up resolution."""
    out: list[dict] = []
    for t in turns[-HISTORY_TURNS:]:
        out.append({"role": "user", "content": t["question"]})
        out.append({"role": "assistant", "content": t["answer"].get("answer", "")})
    return out


def chat_messages(turns: list[dict]) -> list[dict]:
    msgs: list[dict] = []
    for i, t in enumerate(turns, 1):
        msgs.append({"role": "user", "content": question_markdown(t["question"])})
        msgs.append({"role": "assistant", "content": answer_markdown(t["answer"], i)})
    return msgs


def framework_choices(services) -> list[str]:
    try:
        return [ALL] + list(services.retriever.frameworks())
    except Exception:
        return [ALL]


def initial_framework_choices(services) -> list[str]:
    """Framework names from the corpus manifest (cheap: no model or index needed while the page starts)."""
    from .corpus import read_manifest

    try:
        return [ALL] + sorted(e.short for e in read_manifest(services.settings.corpus.dir).values())
    except Exception:
        return [ALL]


def notice(message: str) -> str:
    return f'<div class="notice" role="alert">{esc(message)}</div>' if message else ""


# ---- the tab --------------------------------------------------------------------------------------------------
def build_tab(services, ctx) -> None:
    from .answering import InputError

    prune_exports()
    session = gr.State(new_session())
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=480):
            chatbot = gr.Chatbot(value=[], elem_id="chat", label="Conversation", height=470, buttons=["copy"],
                                 feedback_options=None, placeholder=PLACEHOLDER, sanitize_html=True,
                                 autoscroll=True, group_consecutive_messages=False)
            with gr.Row(equal_height=True):
                question = gr.Textbox(elem_id="question", show_label=False, lines=1, max_lines=8, scale=6,
                                      placeholder="Ask a question, e.g. “What is a theory of action?”",
                                      autofocus=True, submit_btn=False)
                send = gr.Button("Ask", elem_id="send", variant="primary", scale=1, min_width=90)
            chat_notice = gr.HTML("", elem_id="chat-notice", js_on_load=None)
            with gr.Row(equal_height=False, elem_id="chat-toolbar"):
                framework = gr.Dropdown(choices=initial_framework_choices(services), value=ALL, elem_id="framework",
                                        label="Search in", scale=3, min_width=220, interactive=True)
                why_toggle = gr.Checkbox(False, label="Why this answer", info="Show every passage found, with scores",
                                         elem_id="why-toggle", scale=2, min_width=170)
                with gr.Column(scale=2, min_width=190, elem_id="chat-actions"):
                    clear = gr.Button("Clear conversation", elem_id="clear", size="sm")
                    export = gr.DownloadButton("Export conversation (.md)", value=None, elem_id="export",
                                               interactive=False, size="sm")
            why = gr.HTML(why_html([]), elem_id="why", visible=False, js_on_load=None)
            with gr.Column(elem_id="examples", visible=True) as examples_box:
                gr.Markdown("**Not sure where to start? Try one of these:**")
                example_buttons: list[tuple[gr.Button, str]] = []
                with gr.Row(equal_height=False):
                    for role, qs in EXAMPLES.items():
                        with gr.Column(min_width=200, elem_classes=["example-group"]):
                            gr.Markdown(f"For {role.lower()}s", elem_classes=["role"])
                            for q in qs:
                                b = gr.Button(q, size="sm", elem_classes=["example-btn"],
                                              elem_id=f"example-{role.lower()}-{qs.index(q) + 1}")
                                example_buttons.append((b, q))
        with gr.Column(scale=2, min_width=360):
            sources = gr.HTML(sources_html([]), elem_id="sources", js_on_load=None)

    outputs = [chatbot, question, sources, why, chat_notice, export, examples_box, session]

    def clear_all(state: dict):
        fresh = new_session()
        if state and state.get("sid"):
            fresh["sid"] = state["sid"]
            try:
                for f in (export_dir() / state["sid"]).glob("*"):
                    f.unlink()
            except OSError:
                pass
        return ([], "", sources_html([]), why_html([]), "", gr.update(value=None, interactive=False),
                gr.update(visible=True), fresh)

    def ask_question(question: str, state: dict, framework: str):
        """Ask one question in this conversation; returns the chat, sources, why-panel, notice and export file."""
        yield from respond(services, ctx, question, state, framework)

    common = dict(outputs=outputs, show_progress="minimal", show_progress_on=[chatbot])
    send.click(ask_question, inputs=[question, session, framework], api_name="chat", **common)
    question.submit(ask_question, inputs=[question, session, framework], api_visibility="private", **common)

    def example_handler(text: str):
        def run(state: dict, fw: str):
            yield from respond(services, ctx, text, state, fw)

        return run

    for button, text in example_buttons:
        button.click(example_handler(text), inputs=[session, framework], api_visibility="private", **common)
    clear.click(clear_all, inputs=[session], outputs=outputs, api_name="clear", queue=False, show_progress="hidden")
    why_toggle.change(lambda on: gr.update(visible=bool(on)), inputs=[why_toggle], outputs=[why], queue=False,
                      show_progress="hidden", api_visibility="private")

    def refresh_frameworks(fw: str | None = None):
        if not ctx.wait():
            return gr.update()
        choices = framework_choices(services)
        value = fw if fw in choices else ALL
        return gr.update(choices=choices, value=value)

    ctx.on_load.append((refresh_frameworks, [framework]))
    ctx.index_version.change(refresh_frameworks, inputs=[framework], outputs=[framework], show_progress="hidden",
                             api_visibility="private")

    def ask(question: str, history: list[dict] | None = None, framework: str = "") -> dict:
        """Answer one question statelessly: the answer with citations, retrieved passages and timings (JSON)."""
        ctx.ready()
        try:
            fw = None if framework in (None, "", ALL) else framework
            return services.answerer.answer(question, history=history or None, framework=fw).to_dict()
        except InputError as exc:
            raise gr.Error(str(exc)) from None

    gr.api(ask, api_name="ask")
