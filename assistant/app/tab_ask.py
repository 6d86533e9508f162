"""The Ask tab: conversation, sources panel with highlighted quotes, "Why this answer", examples, export.

Everything a conversation needs lives in a per-session ``gr.State`` (a dict with the turns); nothing is shared
between sessions. Rendering works from `Answer.to_dict()` so it is the same for streamed and non-streamed answers.
Source cards have ids ``src-<turn>-<n>``; answer markers link to them and the page script (ui.HEAD) scrolls to and
highlights the card.
"""

from __future__ import annotations

import html
import sys
import time
import traceback

import gradio as gr

from assistant.app.chat_view import (answer_markdown, esc, export_dir, prune_exports, question_markdown, session_id,
                                     sources_html, why_html, write_export)

ALL = "All frameworks"
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


def facilitation_reply(services, question: str, state: dict, key: str | None):
    """The facilitator's Answer when the message starts or continues a theory-of-action session, else None.
    Its errors propagate: respond() reports them like the answer engine's."""
    return services.facilitator.facilitate(question, state, key or session_id(state))


def failure(exc: Exception) -> str:
    """The notice for an unexpected error while answering (the traceback goes to the log)."""
    traceback.print_exc(file=sys.stderr)
    return notice("Sorry — something went wrong while answering that question. "
                  f"Please try again or rephrase it. ({type(exc).__name__})")


def respond(services, ctx, question: str, state: dict, framework: str, key: str | None = None):
    """Answer one question, yielding UI updates (streamed when the answer engine has `stream()`).

    Yields tuples in the order of the tab's outputs: chatbot, question box, sources, why, notice, export button,
    examples, state.
    `ctx` needs only `ready()`. The engine's `stream()` may yield str tokens, then must yield the final Answer."""
    from assistant.answering.engine import InputError

    state = state or new_session()
    turns = state["turns"]
    q, fw = question or "", framework
    keep = gr.update()
    try:
        from assistant.answering import engine as answering

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

    try:
        answer = facilitation_reply(services, question_text, state, key)
    except Exception as exc:  # a facilitator bug: reported, never hidden behind an ordinary answer
        yield (turns_msgs, q, keep, keep, failure(exc), keep, gr.update(visible=not turns), state)
        return
    answerer = services.answerer
    kwargs = {"history": history_for(turns), "framework": None if fw in (None, "", ALL) else fw}
    try:
        if answer is not None:
            pass  # a facilitation step ("help us write a theory of action …"): rendered like any answer
        elif hasattr(answerer, "stream"):
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
        yield (turns_msgs, q, keep, keep, failure(exc), keep, gr.update(visible=not turns), state)
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
        if t["answer"].get("backend") == "facilitator":
            continue  # a facilitation step ("1, 3", a goal) is not a topic for follow-up questions
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
    from assistant.ingest.loaders import read_manifest

    try:
        return [ALL] + sorted(e.short for e in read_manifest(services.settings.corpus.dir).values())
    except Exception:
        return [ALL]


def notice(message: str) -> str:
    return f'<div class="notice" role="alert">{esc(message)}</div>' if message else ""


# ---- the tab --------------------------------------------------------------------------------------------------
def _examples() -> tuple[gr.Column, list[tuple[gr.Button, str]]]:
    """The example questions, grouped by role: their box (hidden once a conversation starts) and (button, text)."""
    buttons: list[tuple[gr.Button, str]] = []
    with gr.Column(elem_id="examples", visible=True) as box:
        gr.Markdown("**Not sure where to start? Try one of these:**")
        with gr.Row(equal_height=False):
            for role, qs in EXAMPLES.items():
                with gr.Column(min_width=200, elem_classes=["example-group"]):
                    gr.Markdown(f"For {role.lower()}s", elem_classes=["role"])
                    for q in qs:
                        b = gr.Button(q, size="sm", elem_classes=["example-btn"],
                                      elem_id=f"example-{role.lower()}-{qs.index(q) + 1}")
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


def build_tab(services, ctx) -> None:
    from assistant.answering.engine import InputError

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
            examples_box, example_buttons = _examples()
        with gr.Column(scale=2, min_width=360):
            sources = gr.HTML(sources_html([]), elem_id="sources", js_on_load=None)

    outputs = [chatbot, question, sources, why, chat_notice, export, examples_box, session]

    def ask_question(question: str, state: dict, framework: str, request: gr.Request):
        """Ask one question in this conversation; returns the chat, sources, why-panel, notice and export file."""
        yield from respond(services, ctx, question, state, framework, getattr(request, "session_hash", None))

    common = dict(outputs=outputs, show_progress="minimal", show_progress_on=[chatbot])
    send.click(ask_question, inputs=[question, session, framework], api_name="chat", **common)
    question.submit(ask_question, inputs=[question, session, framework], api_visibility="private", **common)

    def example_handler(text: str):
        def run(state: dict, fw: str, request: gr.Request):
            yield from respond(services, ctx, text, state, fw, getattr(request, "session_hash", None))

        return run

    for button, text in example_buttons:
        button.click(example_handler(text), inputs=[session, framework], api_visibility="private", **common)
    clear.click(_clear_all, inputs=[session], outputs=outputs, api_name="clear", queue=False, show_progress="hidden")
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
