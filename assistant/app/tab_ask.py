"""The Ask tab: conversation, sources (beside the chat on wide screens, collapsible under each answer on small ones),
"open in document", "Why this answer", examples, feedback on each answer, export.

Everything a conversation needs lives in a per-session ``gr.State`` (a dict with the turns); nothing is shared
between sessions. Rendering works from `Answer.to_dict()` so it is the same for streamed and non-streamed answers.
Source cards have ids ``src-<turn>-<n>``; answer markers link to them and the page script (shell.HEAD) scrolls to
and highlights the card that is on screen.
"""

from __future__ import annotations

import os
import sys
import time
import traceback

import gradio as gr

from assistant.app import feedback_panel
from assistant.app.chat_view import (THINKING, WARMING_UP, answer_markdown, export_dir, history_for, inert,
                                     prune_exports, question_markdown, session_id, write_export)
from assistant.app.document_view import build_viewer
from assistant.app.source_cards import esc, sources_html
from assistant.app.why_panel import why_html

ALL = "All frameworks"
STREAM_MIN_INTERVAL = 0.05  # seconds between streamed UI updates

EXAMPLES: dict[str, list[str]] = {  # heading -> questions; buttons get elem_id "example-<role>-<n>"
    "For superintendents": [
        "What does a district theory of action need to include?",
        "How should the central office support principals in low-performing schools?",
    ],
    "For coaches": [
        "What does indicator 11a look like at Getting Better?",
        "How can principals build a collaborative culture focused on learning?",
    ],
    "For evaluators": [
        "What evidence shows a district is at Keep Improving on instructional leadership routines?",
        "Which district conditions does UVA-PLE say matter most for school transformation?",
    ],
}
ROLE_IDS = {"For superintendents": "superintendent", "For coaches": "coach", "For evaluators": "evaluator"}

PLACEHOLDER = ("**Ask a question about district leadership.**\n\nAnswers quote the frameworks directly; "
               "click a number like [1] to see the passage it comes from. Press Enter to send; Shift+Enter starts "
               "a new line.")


def new_session() -> dict:
    """Per-session state. The id is assigned on first use: gr.State deep-copies its initial value into every
    session, so an id created here would be shared by all sessions."""
    return {"sid": None, "turns": []}


def facilitation_reply(services, question: str, state: dict, key: str | None):
    """The facilitator's Answer when the message starts or continues a theory-of-action session, else None.
    Its errors propagate: respond() reports them like the answer engine's."""
    return services.facilitator.facilitate(question, state, key or session_id(state))


def failure(exc: Exception) -> str:
    """The notice for an unexpected error while answering (the traceback, with the error's type, goes to the log)."""
    traceback.print_exc(file=sys.stderr)
    return notice("Sorry — something went wrong while answering that question. Please try again, or rephrase it. "
                  "If it keeps happening, the Status tab shows whether the assistant is working.")


def wait_until_ready(ctx) -> str | None:
    """Wait for start-up to finish; a sentence for the person when it failed or took too long, else None."""
    try:
        ctx.ready()
    except Exception as exc:  # gr.Error with a message meant for people
        return getattr(exc, "message", None) or str(exc) or "The assistant is not ready. Please try again shortly."
    return None


def respond(services, ctx, question: str, state: dict, framework: str, key: str | None = None,
            user: str | None = None):
    """Answer one question for `user` (None without sign-in), yielding UI updates (streamed when the answer
    engine has `stream()`).

    Yields tuples in the order of the tab's outputs: chatbot, question box, sources, why, notice, export button,
    examples, state; a refusal carries the conversation unchanged, so every reply holds the chat as a list.
    The question shows at once — with "getting ready" while the assistant is still starting.
    `ctx` needs `ready()` (and `readiness` for the warm-up message). The engine's `stream()` may yield str
    tokens, then must yield the final Answer."""
    from assistant import inputs
    from assistant.inputs import InputError

    state = state if isinstance(state, dict) and isinstance(state.get("turns"), list) else new_session()
    turns = state["turns"]
    keep = gr.update()
    try:
        question_text = inputs.question(question, services.settings.answer.max_question_chars)
        fw = inputs.framework(framework)
    except InputError as exc:
        yield (chat_messages(turns), question if isinstance(question, str) else "", keep, keep, notice(str(exc)),
               keep, keep, state)
        return
    q = question
    turns_msgs = chat_messages(turns)
    readiness = getattr(ctx, "readiness", None)
    warming = readiness is not None and not readiness.done
    pending = turns_msgs + [{"role": "user", "content": question_markdown(question_text)},
                            {"role": "assistant", "content": WARMING_UP if warming else THINKING}]
    yield (pending, "", keep, keep, "", keep, gr.update(visible=False), state)
    problem = wait_until_ready(ctx)
    if problem:
        yield (turns_msgs, q, keep, keep, notice(problem), keep, gr.update(visible=not turns), state)
        return
    if warming:
        pending[-1] = {"role": "assistant", "content": THINKING}
        yield (pending, gr.update(), keep, keep, keep, keep, keep, state)
    answer = None
    try:
        answer = facilitation_reply(services, question_text, state, key)
        if answer is None:
            kwargs = {"history": history_for(turns), "framework": None if fw in (None, "", ALL) else fw}
            for update in _answer(services.answerer_for(user), question_text, kwargs, pending, state):
                if isinstance(update, tuple):
                    yield update
                else:
                    answer = update
    except (InputError, ValueError) as exc:  # e.g. an unknown framework name: the message is meant for people
        yield (turns_msgs, q, keep, keep, notice(str(exc)), keep, gr.update(visible=not turns), state)
        return
    except Exception as exc:  # the answer engine or the facilitator failed: tell the person, keep the conversation
        yield (turns_msgs, q, keep, keep, failure(exc), keep, gr.update(visible=not turns), state)
        return
    if answer is None:
        yield (turns_msgs, q, keep, keep, notice("No answer was produced; please try again."),
               keep, gr.update(visible=not turns), state)
        return
    turns.append({"question": question_text, "answer": with_span_quotes(services, answer.to_dict())})
    path = write_export(state)
    yield (chat_messages(turns), "", sources_html(turns), why_html(turns), "",
           gr.update(value=path, interactive=bool(path)), gr.update(visible=False), state)


def _answer(answerer, question: str, kwargs: dict, pending: list[dict], state: dict):
    """Streamed UI updates (tuples) while the answer is written, then the Answer itself."""
    keep = gr.update()
    if not hasattr(answerer, "stream"):
        yield answerer.answer(question, **kwargs)
        return
    partial, last = "", 0.0
    for item in answerer.stream(question, **kwargs):
        if isinstance(item, str):
            partial += item
            now = time.monotonic()
            if now - last >= STREAM_MIN_INTERVAL:
                last = now
                pending[-1] = {"role": "assistant", "content": inert(partial) + " ▌"}
                yield (pending, gr.update(), keep, keep, keep, keep, keep, state)
        else:
            yield item


def with_span_quotes(services, ans: dict) -> dict:
    """The answer with, for each citation quoting one passage in several places (`spans`), the words at each span
    (so every quoted place can be highlighted in the passage)."""
    store = getattr(services, "store", None)
    for c in ans.get("citations") or []:
        spans = [s for s in (c.get("spans") or []) if isinstance(s, (list, tuple)) and len(s) == 2]
        if len(spans) < 2 or store is None:
            continue
        try:
            text = store.document_text(c.get("doc_id", ""))
        except Exception:
            text = None
        if text:
            c["span_quotes"] = [text[int(a):int(b)] for a, b in spans]
    return ans


# ---- conversation helpers ---------------------------------------------------------------------------------------
def chat_messages(turns: list[dict]) -> list[dict]:
    msgs: list[dict] = []
    for i, t in enumerate(turns, 1):
        msgs.append({"role": "user", "content": question_markdown(t["question"])})
        msgs.append({"role": "assistant", "content": answer_markdown(t["answer"], i, latest=i == len(turns),
                                                                      rating=(t.get("feedback") or {}).get("rating"))})
        msgs += [{"role": "assistant", "content": {"path": f}} for f in t["answer"].get("files", [])
                 if os.path.exists(f)]  # downloads offered with the answer (an exported draft)
    return msgs


def framework_choices(services, user: str | None = None) -> list[str]:
    try:
        return [ALL] + list(services.view_for(user).frameworks())
    except Exception:
        return [ALL]


def initial_framework_choices(services) -> list[str]:
    """Framework names from the corpus manifest (cheap: no model or index needed while the page starts)."""
    from assistant.ingest.loaders import read_manifest

    try:
        return [ALL] + sorted(e.short for e in read_manifest(services.settings.corpus.dir).values())
    except Exception:
        return [ALL]


def saved_badge(when: str, has_turns: bool) -> str:
    """The "saved" state shown beside the Ask button."""
    if not has_turns:
        return ""
    title = f"Saved at {when}: it comes back after a reload" if when else "Kept in this browser"
    return f'<span class="saved-badge" role="status" title="{esc(title)}">✓ Saved</span>'


def notice(message: str) -> str:
    return f'<div class="notice" role="alert">{esc(message)}</div>' if message else ""


# ---- the tab --------------------------------------------------------------------------------------------------
def _examples() -> tuple[gr.Column, list[tuple[gr.Button, str]]]:
    """The example questions, grouped by role: their box (hidden once a conversation starts) and (button, text)."""
    buttons: list[tuple[gr.Button, str]] = []
    with gr.Column(elem_id="examples", visible=True) as box:
        gr.Markdown("**Not sure where to start? Try one of these:**")
        with gr.Row(equal_height=False):
            for heading, qs in EXAMPLES.items():
                with gr.Column(min_width=200, elem_classes=["example-group"]):
                    gr.Markdown(heading, elem_classes=["role"])
                    for n, q in enumerate(qs, 1):
                        b = gr.Button(q, size="sm", elem_classes=["example-btn"],
                                      elem_id=f"example-{ROLE_IDS[heading]}-{n}")
                        buttons.append((b, q))
    return box, buttons


def _clear_all(state: dict):
    """A fresh conversation for the same browser session (its exported files removed)."""
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


def _example(services, ctx, text: str):
    """The handler of one example button: ask its question in this conversation."""
    def run(state: dict, fw: str, browser: str | None = None, request: gr.Request = None):
        yield from respond(services, ctx, text, state, fw, ctx.key(browser, request), getattr(request, "username", None))

    return run


class _Memory:
    """This browser's conversation: saved after every answer, shown again when a page opens (never replacing a
    question asked while it opened), emptied by "Clear conversation"."""

    def __init__(self, services, ctx):
        self.sessions, self.ctx = services.sessions, ctx

    def keep(self, state: dict, browser: str | None = None, request: gr.Request = None) -> str:
        when = self.sessions.save(self.ctx.key(browser, request), "conversation", state or new_session())
        return saved_badge(when, bool((state or {}).get("turns")))

    def restore(self, browser: str | None, current: dict | None = None, request: gr.Request = None):
        state = self.sessions.load(self.ctx.key(browser, request), "conversation") or new_session()
        turns = state.get("turns") or []
        if not turns or (current and current.get("turns")):  # nothing saved, or a question already asked
            return (gr.update(),) * 7
        path = write_export(state) if turns else None
        return (chat_messages(turns), sources_html(turns), why_html(turns),
                gr.update(value=path, interactive=bool(path)), gr.update(visible=not turns), state,
                saved_badge("", bool(turns)))

    def clear(self, state: dict, browser: str | None = None, request: gr.Request = None):
        self.sessions.save(self.ctx.key(browser, request), "conversation", new_session())
        return _clear_all(state)


def build_tab(services, ctx) -> None:
    prune_exports()
    session = gr.State(new_session())
    with gr.Row(equal_height=False, elem_id="ask-layout"):
        with gr.Column(scale=3, min_width=480, elem_id="chat-col"):
            chatbot = gr.Chatbot(value=[], elem_id="chat", label="Conversation", show_label=False, height=None,
                                 buttons=["copy"], feedback_options=None, placeholder=PLACEHOLDER,
                                 sanitize_html=True, autoscroll=True, group_consecutive_messages=False)
            with gr.Row(equal_height=True, elem_id="ask-row"):
                question = gr.Textbox(elem_id="question", show_label=False, label="Your question", lines=1,
                                      max_lines=8, scale=6, submit_btn=False,
                                      placeholder="Ask a question, e.g. “What is a theory of action?”")
                send = gr.Button("Ask", elem_id="send", variant="primary", scale=1, min_width=90)
            saved = gr.HTML("", elem_id="chat-saved", js_on_load=None)  # under the Ask button, on every width
            chat_notice = gr.HTML("", elem_id="chat-notice", js_on_load=None)
            note = feedback_panel.build(services, session)
            with gr.Row(equal_height=False, elem_id="chat-toolbar"):
                framework = gr.Dropdown(choices=initial_framework_choices(services), value=ALL, elem_id="framework",
                                        label="Search in", scale=3, min_width=220, interactive=True)
                why_toggle = gr.Checkbox(False, label="Why this answer", info="How the passages were found",
                                         elem_id="why-toggle", scale=2, min_width=170)
                with gr.Column(scale=2, min_width=190, elem_id="chat-actions"):
                    clear = gr.Button("Clear conversation", elem_id="clear", size="sm")
                    export = gr.DownloadButton("Export conversation (.md)", value=None, elem_id="export",
                                               interactive=False, size="sm")
            why = gr.HTML(why_html([]), elem_id="why", visible=False, js_on_load=None)
            examples_box, example_buttons = _examples()
        with gr.Column(scale=2, min_width=360, elem_id="sources-col"):
            sources = gr.HTML(sources_html([]), elem_id="sources", js_on_load=None)
    build_viewer(services, ctx)

    outputs = [chatbot, question, sources, why, chat_notice, export, examples_box, session]

    memory = _Memory(services, ctx)

    def ask_question(question: str, state: dict, framework: str, browser: str | None = None,
                     request: gr.Request = None):
        """Ask one question in this conversation; returns the chat, sources, why-panel, notice and export file."""
        yield from respond(services, ctx, question, state, framework, ctx.key(browser, request),
                           getattr(request, "username", None))

    common = dict(outputs=outputs, show_progress="hidden")
    after = dict(fn=memory.keep, inputs=[session, ctx.browser], outputs=[saved], show_progress="hidden",
                 api_visibility="private")  # every answer is saved for this browser
    for event, how in ((send.click, dict(api_name="chat")), (question.submit, dict(api_visibility="private"))):
        event(ask_question, inputs=[question, session, framework, ctx.browser], **how, **common).then(**after)
    for button, text in example_buttons:
        button.click(_example(services, ctx, text), inputs=[session, framework, ctx.browser],
                     api_visibility="private", **common).then(**after)
    clear.click(memory.clear, inputs=[session, ctx.browser], outputs=outputs, api_name="clear", queue=False,
                show_progress="hidden").then(**after)
    clear.click(feedback_panel.hide, outputs=note, queue=False, show_progress="hidden", api_visibility="private")
    ctx.restore.append((memory.restore, [chatbot, sources, why, export, examples_box, session, saved], [session]))
    why_toggle.change(lambda on: gr.update(visible=bool(on)), inputs=[why_toggle], outputs=[why], queue=False,
                      show_progress="hidden", api_visibility="private")

    def refresh_frameworks(fw: str | None = None, request: gr.Request = None):
        if not ctx.wait():
            return gr.update()
        choices = framework_choices(services, getattr(request, "username", None))
        value = fw if fw in choices else ALL
        return gr.update(choices=choices, value=value)

    ctx.on_load.append((refresh_frameworks, [framework]))
    ctx.index_version.change(refresh_frameworks, inputs=[framework], outputs=[framework], show_progress="hidden",
                             api_visibility="private")

    gr.api(api_ask(services, ctx), api_name="ask")


def api_ask(services, ctx):
    """The /ask API function: one question answered statelessly for the signed-in person (JSON)."""
    from assistant import inputs
    from assistant.inputs import InputError

    def ask(question: str, history: list[dict] | None = None, framework: str = "", request: gr.Request = None) -> dict:
        """Answer one question statelessly: the answer with citations, retrieved passages and timings (JSON)."""
        try:
            q = inputs.question(question, services.settings.answer.max_question_chars)
            turns = inputs.history(history)
            fw = inputs.framework(framework)
        except InputError as exc:
            raise gr.Error(str(exc)) from None
        ctx.ready()
        try:
            answerer = services.answerer_for(getattr(request, "username", None))
            return answerer.answer(q, history=turns or None, framework=None if fw == ALL else fw).to_dict()
        except ValueError as exc:  # InputError, an unknown framework: the message is meant for the caller
            raise gr.Error(str(exc)) from None

    return ask
