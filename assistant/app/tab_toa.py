"""The Theory of action tab: a step-by-step form (goal, problem of practice, at most three bets chosen from suggested
practices or self-assessment priorities, what each bet changes and how you will know), a live cited draft with the
frameworks' coherence checks, and downloads (Word, PDF, Markdown, JSON). It opens the draft the Ask tab's
facilitator is building. Display only: the logic is assistant.facilitation."""

from __future__ import annotations

import itertools
import threading
import uuid
from types import SimpleNamespace

import gradio as gr

from assistant.facilitation import forms as F
from assistant.facilitation.toa import MAX_BETS, PLACE_YOUR_BETS, TheoryOfAction
from assistant.facilitation.views import CSS, checks_html, draft_html, findings_html

BET_LABELS = {"title": "Bet title", "item_ids": "Framework items it draws on (ids)",
              "district_actions": "What the district will do (one action per line)",
              "principal_changes": "What changes for principals and school leadership teams",
              "core_changes": "What changes in classrooms — teachers, students, content",
              "lead_metrics": "Lead metrics (checked during the year)", "lag_outcomes": "Lag outcomes (student results)",
              "owners": "Owners", "timeframe": "Timeframe"}


class RefreshOrder:
    """Numbers the draft refreshes of each page, so an older result never overwrites a newer one."""

    def __init__(self, pages: int = 2000):
        self.pages = pages
        self._seq = itertools.count(1)
        self._latest: dict[str, int] = {}  # page id -> number of the newest refresh started for it
        self._lock = threading.Lock()

    def start(self, page_id: str) -> int:
        with self._lock:
            n = next(self._seq)
            self._latest[page_id] = n
            if len(self._latest) > self.pages:
                self._latest.pop(next(iter(self._latest)))
            return n

    def superseded(self, page_id: str, n: int) -> bool:
        """A newer refresh of the same page started while this one ran: its (older) result must not overwrite."""
        with self._lock:
            return self._latest.get(page_id, n) != n


BET_IDS = {"title": "title", "item_ids": "items", "district_actions": "actions", "principal_changes": "principals",
           "core_changes": "core", "lead_metrics": "lead", "lag_outcomes": "lag", "owners": "owners",
           "timeframe": "timeframe"}


def build_tab(services, ctx) -> None:
    ui = _layout()
    tab = _ToaTab(services, ctx, ui.fields)
    fields, sid, notice, view_outputs = ui.fields, ui.sid, ui.notice, ui.view_outputs
    private = dict(api_visibility="private")
    # Draft refreshes run one at a time in arrival order, so the newest edit is always the one shown.
    serial = dict(concurrency_id="toa-draft", concurrency_limit=1)
    ui.update.click(tab.refresh, inputs=[sid] + fields, outputs=view_outputs, api_name="toa_draft", **serial)
    for box in fields:
        if isinstance(box, gr.Textbox):
            box.blur(tab.preview, inputs=[sid] + fields, outputs=view_outputs, show_progress="hidden",
                     trigger_mode="always_last", **serial, **private)
        else:
            box.input(tab.preview, inputs=[sid] + fields, outputs=view_outputs, show_progress="hidden",
                      trigger_mode="always_last", **serial, **private)
    ui.find.click(tab.suggest, inputs=[ui.goal, ui.problem, ui.cands],
                  outputs=[ui.options, ui.cands, ui.detail, notice], **private)
    ui.prios.click(tab.add_priorities, inputs=[ui.cands, ui.options], outputs=[ui.options, ui.cands, notice], **private)
    ui.options.change(tab.warn, inputs=[ui.options], outputs=[ui.warning], show_progress="hidden", **private)
    ui.make.click(tab.make_bets, inputs=[ui.options, ui.cands] + fields, outputs=fields + [notice], **private).then(
        tab.refresh, inputs=[sid] + fields, outputs=view_outputs, **serial, **private)
    ui.from_chat.click(tab.open_chat, outputs=fields + [ui.options, ui.cands, notice], **private).then(
        tab.refresh, inputs=[sid] + fields, outputs=view_outputs, **serial, **private)
    ui.load.upload(tab.open_file, inputs=[ui.load], outputs=fields + [notice], **private).then(
        tab.refresh, inputs=[sid] + fields, outputs=view_outputs, **serial, **private)


def _layout() -> SimpleNamespace:
    """The tab's components: the step-by-step form on the left, the live draft and downloads on the right."""
    ui = SimpleNamespace(sid=gr.State(lambda: uuid.uuid4().hex),
                         cands=gr.State([]))  # suggested practices: [{item_id, label, ...}]
    gr.Markdown("### Write your theory of action\nWork through the steps with your team. The draft on the right "
                "updates as you go: every clause cites the framework passage behind it, and the coherence checks "
                "show what the frameworks say a strong theory of action includes.")
    with gr.Row():
        ui.from_chat = gr.Button("Open the draft from the Ask tab", elem_id="toa-from-chat", size="sm")
        ui.load = gr.UploadButton("Open a saved draft (.json)", file_types=[".json"], elem_id="toa-load-json",
                                  size="sm")
    ui.notice = gr.Markdown("", elem_id="toa-notice")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=420):
            _steps(ui)
        with gr.Column(scale=2, min_width=360):
            _draft_panel(ui)
    top = [ui.title, ui.district, ui.goal, ui.problem, ui.evidence]
    extra = [ui.scope, ui.culture, ui.systems, ui.board, ui.external, ui.comms, ui.assumptions]
    ui.fields = top + [b for boxes in ui.bet_boxes for b in boxes] + extra
    assert len(ui.fields) == F.N_VALUES
    ui.view_outputs = [ui.draft_view, ui.checks_view, ui.dl_docx, ui.dl_pdf, ui.dl_md, ui.dl_json]
    return ui


def _steps(ui: SimpleNamespace) -> None:
    """Steps 1-5: goal, problem of practice, bets (suggested or from priorities), each bet's chain, coherence."""
    with gr.Row():
        ui.title = gr.Textbox(label="Title", value="Theory of action", elem_id="toa-title")
        ui.district = gr.Textbox(label="District", elem_id="toa-district")
    gr.Markdown("**Step 1 — the goal.** What will be different for students, by how much, by when?")
    ui.goal = gr.Textbox(label="Student-outcome goal", lines=2, elem_id="toa-goal",
                         placeholder="e.g. Raise grade 3–8 reading proficiency from 41% to 60% by June 2028")
    gr.Markdown("**Step 2 — the problem of practice.** What do adults do (or not do) today that holds this back?")
    ui.problem = gr.Textbox(label="Problem of practice", lines=2, elem_id="toa-problem")
    ui.evidence = gr.Textbox(label="Evidence (one item per line)", lines=2, elem_id="toa-evidence")
    gr.Markdown(f"**Step 3 — place your bets.** Choose at most {MAX_BETS} practices to bet on.")
    with gr.Row():
        ui.find = gr.Button("Suggest practices for our problem", variant="primary", elem_id="toa-find")
        ui.prios = gr.Button("Add my self-assessment priorities", elem_id="toa-use-priorities")
    ui.options = gr.CheckboxGroup([], label="Suggested practices", elem_id="toa-options")
    ui.warning = gr.Markdown("", elem_id="toa-bets-warning")
    ui.make = gr.Button("Use the chosen practices as our bets", elem_id="toa-make-bets")
    with gr.Accordion("Why these practices (with the passages they come from)", open=False):
        ui.detail = gr.HTML(findings_html([]), elem_id="toa-options-detail", css_template=CSS, js_on_load=None)
    gr.Markdown("**Step 4 — what each bet changes, and how you will know.**")
    ui.bet_boxes = []
    for k in range(1, F.FORM_BETS + 1):
        with gr.Accordion(f"Bet {k}", open=k == 1, elem_id=f"toa-bet{k}"):
            boxes = []
            for f in F.BET:
                lines = 1 if f in ("title", "item_ids", "owners", "timeframe") else 2
                boxes.append(gr.Textbox(label=BET_LABELS[f], lines=lines, elem_id=f"toa-bet{k}-{BET_IDS[f]}"))
            ui.bet_boxes.append(boxes)
    gr.Markdown("**Step 5 — make it coherent.** The checks on the right say which of these still need an answer.")
    ui.scope = gr.Textbox(label="Scope — which schools, and when", elem_id="toa-scope")
    ui.culture = gr.Textbox(label="Culture — how adults will work together", lines=2, elem_id="toa-culture")
    ui.systems = gr.CheckboxGroup(F.SYSTEM_NAMES, label="Which of the seven systems must change",
                                  elem_id="toa-systems")
    ui.board = gr.Textbox(label="The board's role", lines=2, elem_id="toa-board")
    ui.external = gr.Textbox(label="External factors (politics, policy, funding, stakeholders)", lines=2,
                             elem_id="toa-external")
    ui.comms = gr.Textbox(label="Communication plan — who hears what, how, when", lines=2, elem_id="toa-comms")
    ui.assumptions = gr.Textbox(label="Assumptions (one per line)", lines=2, elem_id="toa-assumptions")


def _draft_panel(ui: SimpleNamespace) -> None:
    """The live draft, its downloads and the coherence checks."""
    ui.update = gr.Button("Update the draft, checks and downloads", variant="primary", elem_id="toa-update")
    ui.draft_view = gr.HTML(draft_html(None), elem_id="toa-draft", css_template=CSS, js_on_load=None)
    with gr.Row():
        ui.dl_docx = gr.DownloadButton("Download Word (.docx)", value=None, elem_id="toa-export-docx",
                                       interactive=False)
        ui.dl_pdf = gr.DownloadButton("Download PDF", value=None, elem_id="toa-export-pdf", interactive=False)
    with gr.Row():
        ui.dl_md = gr.DownloadButton("Download Markdown", value=None, elem_id="toa-export-md", interactive=False)
        ui.dl_json = gr.DownloadButton("Save draft (.json)", value=None, elem_id="toa-save-json", interactive=False)
    gr.Markdown("Downloads match the draft as of your last *Update*.", elem_id="toa-download-note")
    ui.checks_view = gr.HTML("", elem_id="toa-checks", css_template=CSS, js_on_load=None)


_KEEP = (gr.update(),) * 6  # the draft view's outputs, left as they are


class _ToaTab:
    """The tab's event handlers over the form's `fields` (in F.from_values order)."""

    def __init__(self, services, ctx, fields: list):
        self.services, self.ctx, self.fields = services, ctx, fields
        self.sessions = services.sessions  # shared with the Ask tab's facilitator and the Self-assessment tab
        self.order = RefreshOrder()

    def _draft(self, values: list, request):
        from assistant.facilitation.session import FacilitationState

        toa = F.from_values(list(values))
        if not (toa.goal or toa.problem or toa.active_bets()):
            return None
        self.ctx.ready()
        key = getattr(request, "session_hash", None)
        state = self.sessions.draft(key) or FacilitationState()
        state.toa = toa
        self.sessions.save_draft(key, state)  # the Ask tab's facilitator continues from the edited draft
        return self.services.drafter.draft(toa)

    def refresh(self, folder: str, *values, request: gr.Request = None):
        """Draft, checks and fresh download files (the Update button, and after bets or a file are loaded)."""
        from assistant.facilitation.exports import export

        n = self.order.start(folder)
        draft = self._draft(values, request)
        if draft is None:
            return (draft_html(None), "", *[gr.update(value=None, interactive=False)] * 4)
        out = []
        for fmt in ("docx", "pdf", "md", "json"):
            data, name = export(draft, fmt)
            out.append(gr.update(value=F.write(F.session_dir(folder), name, data), interactive=True))
        if self.order.superseded(folder, n):
            return _KEEP
        return (draft_html(draft), checks_html(draft.checks), *out)

    def preview(self, folder: str, *values, request: gr.Request = None):
        """Draft and checks while typing (fast); downloads wait for the Update button so they are never stale."""
        n = self.order.start(folder)
        draft = self._draft(values, request)
        if self.order.superseded(folder, n):
            return _KEEP
        if draft is None:
            return (draft_html(None), "", *[gr.update(interactive=False)] * 4)
        return (draft_html(draft), checks_html(draft.checks), *[gr.update(interactive=False)] * 4)

    def suggest(self, goal_text: str, problem_text: str, current: list):
        from assistant.facilitation.chat_render import candidate

        query = " ".join(x for x in (problem_text, goal_text) if x and x.strip())
        if not query:
            return gr.update(), current, gr.update(), "Write the goal or the problem of practice first."
        self.ctx.ready()
        found = self.services.finder.find(query, k=6)
        new = [candidate(f) for f in found]
        return (gr.update(choices=[(c["label"], c["item_id"]) for c in new], value=[]), new, findings_html(found),
                f"{len(new)} practices suggested. Tick up to {MAX_BETS}, then *Use the chosen practices as our bets*.")

    def add_priorities(self, current: list, chosen: list, request: gr.Request):
        got = self.sessions.priorities(getattr(request, "session_hash", None))
        items = [i for i in got if i["item_id"] not in {c["item_id"] for c in current}]
        if not items:
            return (gr.update(), current,
                    "No priorities yet: rate indicators with goal levels in the Self-assessment tab.")
        merged = current + [{"item_id": i["item_id"], "label": i["label"], "focus_id": ""} for i in items]
        return (gr.update(choices=[(c["label"], c["item_id"]) for c in merged], value=chosen), merged,
                f"Added {len(items)} self-assessment priorities to the options.")

    @staticmethod
    def warn(chosen: list):
        n = len(chosen or [])
        return f"⚠ {PLACE_YOUR_BETS.format(n=n)}" if n > MAX_BETS else ""

    def make_bets(self, chosen: list, current: list, *values):
        from assistant.facilitation.chat_render import bet_from

        chosen = list(chosen or [])
        if not chosen:
            return (*[gr.update()] * len(self.fields), "Tick at least one practice first.")
        toa = F.from_values(list(values))
        by_id = {c["item_id"]: c for c in current}
        kept = {b.item_ids[0]: b for b in toa.bets if b.item_ids}
        toa.bets = [kept.get(i) or bet_from(by_id[i]) for i in chosen[:MAX_BETS] if i in by_id]
        msg = (f"⚠ {PLACE_YOUR_BETS.format(n=len(chosen))} I used the first {MAX_BETS}." if len(chosen) > MAX_BETS
               else f"Your bets: {', '.join(b.title for b in toa.bets)}. Now fill in step 4 for each bet.")
        return (*F.to_values(toa), msg)

    def open_chat(self, request: gr.Request):
        state = self.sessions.draft(getattr(request, "session_hash", None))
        if state is None or not (state.toa.goal or state.toa.bets):
            return (*[gr.update()] * len(self.fields), gr.update(), [], "There is no draft in the Ask tab yet. Ask "
                    "there: *“help us write a theory of action for principal coaching”*.")
        c = state.candidates
        return (*F.to_values(state.toa), gr.update(choices=[(x["label"], x["item_id"]) for x in c],
                                                    value=[b.item_ids[0] for b in state.toa.bets if b.item_ids]),
                c, "Opened the draft from the Ask tab.")

    def open_file(self, file):
        try:
            toa = TheoryOfAction.load(file if isinstance(file, str) else file.name)
        except (ValueError, KeyError, OSError) as exc:
            return (*[gr.update()] * len(self.fields), f"Could not open that file: {exc}")
        extra_note = f" It has {len(toa.bets)} bets; the form shows the first {F.FORM_BETS}." \
            if len(toa.bets) > F.FORM_BETS else ""
        return (*F.to_values(toa), f"Opened “{toa.title}”.{extra_note}")
