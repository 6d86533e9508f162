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
    TabSpec("Theory of action", "assistant.app.tab_toa", "toa"),
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
    wait_timeout: float = 600.0

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
    """Default theme with local fonts only (nothing fetched from the internet) and strong text contrast."""
    system = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
    mono = ["ui-monospace", "SFMono-Regular", "Consolas", "Liberation Mono", "monospace"]
    return gr.themes.Default(primary_hue="blue", neutral_hue="slate", font=system, font_mono=mono).set(
        body_text_color="#1f2937",
        body_text_color_subdued="#4b5563",
        block_title_text_color="#1f2937",
        link_text_color="#1d4ed8",
        link_text_color_visited="#1d4ed8",
        # blue-700 buttons: white text at 6.7:1 contrast (the default blue-500 is 3.7:1)
        button_primary_background_fill="#1d4ed8",
        button_primary_background_fill_hover="#1e40af",
        button_primary_text_color="#ffffff",
        button_primary_border_color="#1d4ed8",
    )


CSS = """
:root { color-scheme: light; }
.gradio-container { width: 100% !important; max-width: 1400px !important; margin: 0 auto; }
#app-title h1 { font-size: 1.45rem; margin: 0.2rem 0 0 0; }
#app-title p { margin: 0.15rem 0 0.4rem 0; color: #374151; }
#ready-notice .notice { border-radius: 8px; padding: 0.55rem 0.8rem; margin: 0.2rem 0 0.4rem 0; font-size: 0.95rem; }
#ready-notice .notice.loading { background: #eff6ff; border: 1px solid #93c5fd; color: #1e3a8a; }
#ready-notice .notice.failed { background: #fef2f2; border: 1px solid #fca5a5; color: #7f1d1d; }

/* chat */
#chat a[href^="#src-"] { text-decoration: none; font-weight: 600; color: #1d4ed8; background: #dbeafe;
  border-radius: 4px; padding: 0 3px; font-size: 0.85em; vertical-align: 1px; }
#chat a[href^="#src-"]:hover, #chat a[href^="#src-"]:focus { background: #1d4ed8; color: #fff; }
#chat .abstain-msg { background: #fff7ed; border-left: 4px solid #ea580c; border-radius: 6px;
  padding: 0.35rem 0.6rem; color: #7c2d12; margin-bottom: 0.4rem; }
#chat-notice:empty { display: none; }
#chat-notice .notice { border-radius: 8px; padding: 0.5rem 0.75rem; background: #fffbeb; border: 1px solid #f59e0b;
  color: #78350f; }
.example-group { gap: 6px !important; }
.example-group .role { font-weight: 600; color: #1f2937; margin: 0; font-size: 0.92rem; }
.example-btn { text-align: left !important; justify-content: flex-start !important; white-space: normal !important;
  font-weight: 400 !important; }

/* sources panel */
#sources { max-height: 76vh; overflow-y: auto !important; padding-right: 4px; }
.src-card details.more summary { cursor: pointer; color: #1d4ed8; font-size: 0.85rem; }
.src-card details.more[open] { margin-top: 0.3rem; }
#sources h3 { font-size: 1.02rem; margin: 0.1rem 0 0.5rem 0; }
.src-card { border: 1px solid #cbd5e1; border-left: 4px solid #94a3b8; border-radius: 8px; padding: 0.55rem 0.75rem;
  margin: 0 0 0.6rem 0; background: #fff; scroll-margin-top: 8px; transition: box-shadow .2s, border-color .2s; }
.src-card.active { border-color: #1d4ed8; border-left-color: #1d4ed8; box-shadow: 0 0 0 3px #bfdbfe; }
.src-card .src-head { display: flex; gap: 0.5rem; align-items: baseline; margin-bottom: 0.2rem; }
.src-card .src-num { font-weight: 700; color: #fff; background: #1d4ed8; border-radius: 4px; padding: 0 6px;
  font-size: 0.85rem; }
.src-card .src-fw { font-weight: 650; color: #111827; }
.src-card .src-path { color: #374151; font-size: 0.88rem; margin: 0 0 0.3rem 0; }
.src-card .src-meta { display: flex; flex-wrap: wrap; gap: 4px; margin: 0 0 0.35rem 0; }
.src-card .tag { font-size: 0.78rem; background: #f1f5f9; color: #1f2937; border: 1px solid #cbd5e1;
  border-radius: 999px; padding: 0 8px; }
.src-card .src-text { font-size: 0.9rem; line-height: 1.45; color: #1f2937; margin: 0; white-space: pre-line; }
.src-card mark { background: #fde68a; color: #111827; padding: 0 1px; border-radius: 2px; }
.src-card .src-quote { font-size: 0.88rem; border-left: 3px solid #f59e0b; padding-left: 0.5rem; margin: 0.3rem 0 0 0; }
.src-card .src-file { font-size: 0.78rem; color: #4b5563; margin-top: 0.3rem; }
.sources-empty { color: #4b5563; font-size: 0.92rem; }
.abstain-box { background: #fff7ed; border: 1px solid #fb923c; border-radius: 8px; padding: 0.55rem 0.75rem;
  margin-bottom: 0.6rem; color: #7c2d12; }
.turn-sources { margin-top: 0.6rem; border-top: 1px solid #e2e8f0; padding-top: 0.4rem; }
.turn-sources summary { cursor: pointer; color: #374151; font-size: 0.9rem; }
.notes { font-size: 0.86rem; color: #374151; background: #f8fafc; border: 1px solid #e2e8f0; border-radius: 6px;
  padding: 0.35rem 0.6rem; margin-bottom: 0.6rem; }

/* why this answer */
#why { border: 1px solid #cbd5e1; border-radius: 8px; padding: 0.5rem 0.75rem; max-height: 420px;
  overflow-y: auto !important; }
#why table { font-size: 0.84rem; width: 100%; border-collapse: collapse; }
#why th, #why td { border-bottom: 1px solid #e2e8f0; padding: 4px 6px; text-align: left; vertical-align: top; }
#why th { background: #f1f5f9; color: #111827; }
#why .cited { font-weight: 700; color: #1d4ed8; }

/* documents & status */
#documents table, #documents th, #documents td, #documents span, #documents input {
  font-family: var(--font) !important; }
.status-table { border-collapse: collapse; min-width: 60%; }
.status-table th, .status-table td { text-align: left; padding: 6px 12px; border-bottom: 1px solid #e2e8f0;
  vertical-align: top; }
.status-table th { color: #111827; white-space: nowrap; background: #f8fafc; }
#remove-confirm { border: 1px solid #fca5a5; background: #fef2f2; border-radius: 8px; padding: 0.5rem 0.75rem; }
#upload-result ul { margin: 0.3rem 0; padding-left: 1.1rem; }
#upload-result li.ok::marker { content: "✓  "; color: #15803d; }
#upload-result li.fail::marker { content: "✗  "; color: #b91c1c; }
#upload-result li.fail { color: #7f1d1d; }
#upload-result li.ok { color: #14532d; }
"""

# Page script: clicking a [n] marker in an answer scrolls its source card into view and highlights it; hovering
# highlights it. Event delegation on the document, so it works for messages rendered later.
HEAD = """
<script>
(function () {
  // One light colour scheme everywhere (the custom colours below are chosen for it): undo Gradio's automatic dark
  // mode, which it switches on from the system preference by adding class "dark" to <body>.
  function light() { if (document.body && document.body.classList.contains('dark')) document.body.classList.remove('dark'); }
  function watch() { light(); new MutationObserver(light).observe(document.body, {attributes: true, attributeFilter: ['class']}); }
  if (document.body) watch(); else document.addEventListener('DOMContentLoaded', watch);
})();
(function () {
  function card(a) {
    var href = a.getAttribute('href') || '';
    if (href.indexOf('#src-') !== 0) return null;
    return document.getElementById(href.slice(1));
  }
  function show(el, scroll) {
    document.querySelectorAll('.src-card.active').forEach(function (c) { if (c !== el) c.classList.remove('active'); });
    var d = el.closest('details'); if (d && !d.open) d.open = true;
    el.classList.add('active');
    if (scroll) el.scrollIntoView({behavior: 'smooth', block: 'nearest'});
  }
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[href^="#src-"]');
    if (!a) return;
    e.preventDefault(); e.stopPropagation();
    var el = card(a); if (el) show(el, true);
  }, true);
  document.addEventListener('mouseover', function (e) {
    var a = e.target.closest && e.target.closest('#chat a[href^="#src-"]');
    if (!a) return;
    var el = card(a); if (el) show(el, false);
  });
})();
</script>
"""


def launch_options() -> dict:
    """Look-and-feel arguments for `Blocks.launch()` (Gradio 6 takes them there, not on Blocks)."""
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
        ctx = UIContext(services=services, readiness=readiness, index_version=index_version)

        def poll():
            return ready_notice(readiness), gr.Timer(active=not readiness.done)

        timer.tick(poll, outputs=[notice, timer], queue=False, show_progress="hidden", api_visibility="private")

        with gr.Tabs(elem_id="tabs"):
            for spec in tabs if tabs is not None else TABS:
                module = importlib.import_module(spec.module)
                with gr.Tab(spec.label, id=spec.id, elem_id=f"tab-{spec.id}"):
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
    return demo
