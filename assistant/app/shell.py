"""The web app's composition: theme, CSS, page script, start-up notice and the tab registry.

A tab is one module with a ``build_tab(services, ctx)`` function (``build_tab(services)`` also works) that creates
its components inside the ``gr.Tab`` this module opens. To add a tab, append one `TabSpec` to `TABS`.
``services`` is the composition root (assistant/wiring.py): a tab takes the collaborators it uses from it (the
answerer, the practice finder, the drafter, the session store the tabs share …), in its handlers for anything that
needs the search model, so the page is up before the model loads.
``ctx`` (a `UIContext`) gives a tab what it shares with the others:

- ``ctx.ready()``: call at the top of every handler that uses the index, retriever or answerer; it waits while the
  search model loads in the background after start-up and raises ``gr.Error`` with a plain message if it failed.
- ``ctx.index_version``: a per-session ``gr.State`` (int). A tab that changes the library returns
  ``ctx.bump(version)`` into it; a tab that shows library contents listens with ``ctx.index_version.change(...)``.
- ``ctx.on_load``: ``(fn, outputs)`` pairs run when a page opens (after the page is usable).
- ``ctx.browser``: a ``gr.BrowserState`` holding this browser's id (kept in its local storage, so it survives
  reloads and server restarts). Handlers that keep work between visits take it as an input and use
  ``ctx.key(browser, request)`` as their key in ``services.sessions``.
- ``ctx.restore``: ``(fn, outputs[, inputs[, then[, options]]])`` entries run when a page opens, once the browser id
  is known: ``fn(browser_id, *inputs)`` returns the saved work to show (it must not replace work begun since the page
  opened, see ``late_replies``); ``then(event)`` chains what follows the reply and returns the last event;
  ``options`` are more arguments of the event (``js``, ``concurrency_id`` …).
- ``ctx.tab``: the ``gr.Tab`` being built, e.g. to refresh a tab from the shared draft when it is selected.
"""

from __future__ import annotations

import importlib
import inspect
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

import gradio as gr

if TYPE_CHECKING:
    from assistant.wiring import Services


@dataclass(frozen=True)
class TabSpec:
    label: str  # shown on the tab
    module: str  # dotted module path with build_tab(services, ctx)
    id: str  # stable tab id (elem_id "tab-<id>")


TABS: list[TabSpec] = [
    TabSpec("Ask", "assistant.app.tab_ask", "ask"),
    TabSpec("Practice finder", "assistant.app.tab_practices", "practices"),
    TabSpec("Self-assessment", "assistant.app.tab_assessment", "assessment"),
    TabSpec("Team consensus", "assistant.app.tab_team", "team"),
    TabSpec("Theory of action", "assistant.app.tab_toa", "toa"),
    TabSpec("Improvement plan", "assistant.app.tab_plan", "plan"),
    TabSpec("Documents", "assistant.app.tab_documents", "documents"),
    TabSpec("Status", "assistant.app.tab_status", "status"),
]

TITLE = "District Leadership Assistant"


class Readiness:
    """Start-up state shared by the server (which prepares the index and model) and the UI (which waits for it)."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.stage = "Starting up…"
        self.error: str | None = None
        self.started = time.time()
        self.ready_at: float | None = None

    def set_stage(self, text: str) -> None:
        self.stage = text

    def set_ready(self) -> None:
        self.ready_at = time.time()
        self.stage = "Ready"
        self._event.set()

    def set_failed(self, message: str) -> None:
        self.error = message
        self.stage = "Could not start"
        self._event.set()

    @property
    def is_ready(self) -> bool:
        return self._event.is_set() and self.error is None

    @property
    def done(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._event.wait(timeout)


@dataclass
class UIContext:
    services: Services
    readiness: Readiness
    index_version: gr.State
    on_load: list[tuple[Callable, list]] = field(default_factory=list)
    browser: gr.BrowserState | None = None
    restore: list[tuple[Callable, list]] = field(default_factory=list)
    tab: gr.Tab | None = None  # the tab being built (a tab listens to its own .select)
    wait_timeout: float = 600.0

    @staticmethod
    def key(browser: str | None, request: gr.Request | None = None) -> str | None:
        """The key of this browser's saved work: its id, or the page's session for API clients without one. With
        sign-in it is bound to the person too, so two people sharing a browser never see each other's work."""
        base = browser or getattr(request, "session_hash", None)
        user = getattr(request, "username", None) if request is not None else None
        if not base or not user:
            return base
        import hashlib

        return "u" + hashlib.sha256(f"{user}\0{base}".encode("utf-8", "surrogatepass")).hexdigest()[:40]

    def ready(self) -> None:
        """Block until the library and search model are ready; gr.Error with a clear message otherwise."""
        r = self.readiness
        if not r.wait(self.wait_timeout):
            raise gr.Error("The assistant is still getting ready. Please try again in a minute.")
        if r.error:
            raise gr.Error(f"The assistant could not start: {r.error}")

    def wait(self) -> bool:
        """Like `ready()` but quiet: True when ready, False when start-up failed or timed out (for page loads)."""
        return self.readiness.wait(self.wait_timeout) and self.readiness.error is None

    @staticmethod
    def bump(version: int | None) -> int:
        return int(version or 0) + 1


# ---- look and feel ------------------------------------------------------------------------------------------
def theme() -> gr.themes.Base:
    """Default theme with local fonts only (nothing fetched from the internet) and WCAG AA contrast for all text."""
    system = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
    mono = ["ui-monospace", "SFMono-Regular", "Consolas", "Liberation Mono", "monospace"]
    return gr.themes.Default(primary_hue="blue", neutral_hue="slate", font=system, font_mono=mono).set(
        body_text_color="#1f2937",
        body_text_color_subdued="#4b5563",
        block_title_text_color="#1f2937",
        block_label_text_color="#374151",
        block_info_text_color="#4b5563",
        # placeholders at 6.4:1 on white (Gradio's default slate-400 is 2.6:1)
        input_placeholder_color="#52606f",
        link_text_color="#1d4ed8",
        link_text_color_visited="#1d4ed8",
        # blue-700 buttons: white text at 6.7:1 contrast (the default blue-500 is 3.7:1)
        button_primary_background_fill="#1d4ed8",
        button_primary_background_fill_hover="#1e40af",
        button_primary_text_color="#ffffff",
        button_primary_border_color="#1d4ed8",
    )


def launch_options() -> dict:
    """Look-and-feel arguments for `Blocks.launch()` (Gradio 6 takes them there, not on Blocks)."""
    from assistant.app.page_script import HEAD
    from assistant.app.style import CSS

    return {"theme": theme(), "css": CSS, "head": HEAD}


# ---- composition --------------------------------------------------------------------------------------------
def ready_notice(readiness: Readiness) -> str:
    if readiness.error:
        return (f'<div class="notice failed" role="alert"><strong>The assistant could not start.</strong> '
                f'{_esc(readiness.error)}</div>')
    if not readiness.is_ready:
        return (f'<div class="notice loading" role="status"><strong>Getting ready…</strong> {_esc(readiness.stage)} '
                'You can type your question now; it will be answered as soon as the assistant is ready.</div>')
    return ""


def _esc(text: str) -> str:
    import html

    return html.escape(str(text), quote=True)


def browser_id(current: str | None) -> str:
    """This browser's id: the one its local storage holds, or a new one."""
    import re
    import uuid

    return current if isinstance(current, str) and re.fullmatch(r"[a-f0-9]{32}", current) else uuid.uuid4().hex


def build_app(services: Services, readiness: Readiness | None = None, tabs: list[TabSpec] | None = None) -> gr.Blocks:
    """The whole web app as a gr.Blocks (not launched)."""
    readiness = readiness or Readiness()
    with gr.Blocks(title=TITLE, fill_width=False, delete_cache=(3600, 86400)) as demo:
        gr.Markdown(f"# {TITLE}\nAnswers drawn from five district-leadership frameworks and your own documents — "
                    "every answer shows the passages it comes from.", elem_id="app-title")
        # Empty at first: the page config is built once, so a baked-in "getting ready" would flash on every
        # later page load; the load event and the timer fill it in while start-up is still running.
        notice = gr.HTML("", elem_id="ready-notice", js_on_load=None)
        timer = gr.Timer(1.0, active=not readiness.done)
        index_version = gr.State(0)
        browser = gr.BrowserState(None, storage_key="district-assistant-browser", secret=services.browser_secret)
        ctx = UIContext(services=services, readiness=readiness, index_version=index_version, browser=browser)

        def poll():
            return ready_notice(readiness), gr.Timer(active=not readiness.done)

        timer.tick(poll, outputs=[notice, timer], queue=False, show_progress="hidden", api_visibility="private")

        with gr.Tabs(elem_id="tabs", overflow_behavior="wrap"):  # every tab reachable on a phone, no "⋯" menu
            for spec in tabs if tabs is not None else TABS:
                module = importlib.import_module(spec.module)
                with gr.Tab(spec.label, id=spec.id, elem_id=f"tab-{spec.id}") as tab:
                    ctx.tab = tab
                    build = module.build_tab
                    if len(inspect.signature(build).parameters) >= 2:
                        build(services, ctx)
                    else:
                        build(services)

        def on_open():
            notice_html = ready_notice(readiness)
            return notice_html, gr.Timer(active=not readiness.done)

        demo.load(on_open, outputs=[notice, timer], queue=False, show_progress="hidden", api_visibility="private")
        for fn, outputs in ctx.on_load:
            demo.load(fn, outputs=outputs, show_progress="hidden", api_visibility="private")
        opened = demo.load(browser_id, inputs=[browser], outputs=[browser], queue=False, show_progress="hidden",
                           api_visibility="private")
        for fn, outputs, *extra in ctx.restore:
            options = extra[2] if len(extra) > 2 else {}
            opened = opened.then(fn, inputs=[browser] + (extra[0] if extra else []), outputs=outputs,
                                 show_progress="hidden", api_visibility="private", **options)
            if len(extra) > 1 and extra[1] is not None:  # a step of its own after the reply, e.g. merging an offer
                opened = extra[1](opened)
    return demo
