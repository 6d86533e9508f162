"""The Theory of action tab: a step-by-step form (the goal, the problem of practice, at most three bets chosen from
the practices the finder, the self-assessment or the chat suggested, each clause asked in the form it takes in the
sentence), a live cited draft with the frameworks' coherence checks, and downloads (Word, PDF, Markdown, JSON).

It edits the one draft this browser shares with the chat, the Practice finder and the Self-assessment
(`services.sessions`): the form opens it when the page opens and whenever the tab is selected, and every edit is
saved at once (the "saved" note beside the Update button says when). Display only: the logic is
assistant.facilitation."""

from __future__ import annotations

from types import SimpleNamespace

import gradio as gr

from assistant.app import toa_log
from assistant.app.escape import markdown_text
from assistant.app.late_replies import STAMP_JS, SaveOrder, fill_gaps, merge_into, offer
from assistant.facilitation import forms as F
from assistant.facilitation.toa import FIELD_LABELS, MAX_BETS, PLACE_YOUR_BETS, TheoryOfAction
from assistant.facilitation.views import CSS, checks_html, draft_html, findings_html

BET_LABELS = {"title": "Bet title", "item_ids": "Framework items it draws on (ids)",
              "district_actions": "If we … — what the district will do (one action per line, each starting with a verb)",
              "principal_changes": "then … — what principals and school leadership teams will do differently",
              "core_changes": "which will … — what changes in classrooms (teachers, students, content)",
              "lead_metrics": "Lead metrics (checked during the year)", "lag_outcomes": "Lag outcomes (student results)",
              "owners": "Owners", "timeframe": "Timeframe"}
BET_HINTS = {"district_actions": "e.g. redesign the principal supervisor role so each supervisor coaches 8 principals",
             "principal_changes": "e.g. principals spend two mornings a week in classrooms giving feedback",
             "core_changes": "e.g. teachers plan lessons around grade-level texts"}
BET_IDS = {"title": "title", "item_ids": "items", "district_actions": "actions", "principal_changes": "principals",
           "core_changes": "core", "lead_metrics": "lead", "lag_outcomes": "lag", "owners": "owners",
           "timeframe": "timeframe"}


def saved_note(when: str) -> str:
    return f'<span class="saved-badge" role="status">✓ Saved {when} — kept in this browser</span>' if when else ""


def option_choices(candidates: list[dict]) -> list[tuple[str, str]]:
    return [(c["label"], c["item_id"]) for c in candidates]


def _chosen(state) -> list[str]:
    """The offered practices that are bets already (ticked); a bet opened from a file may not be on offer."""
    offered = {c["item_id"] for c in state.candidates}
    return [b.item_ids[0] for b in state.toa.active_bets() if b.item_ids and b.item_ids[0] in offered]


def _same_values(shown, saved) -> bool:
    """Whether the form's values are the saved draft's (empty and None alike, lists as lists)."""
    def norm(v):
        return [str(x) for x in v] if isinstance(v, (list, tuple)) else ("" if v is None else str(v).strip())
    return len(shown) == len(saved) and all(norm(a) == norm(b) for a, b in zip(shown, saved))


def build_tab(services, ctx) -> None:
    ui = _layout()
    tab = _ToaTab(services, ctx, ui.fields)
    fields, browser, notice = ui.fields, [ctx.browser], ui.notice
    private = dict(api_visibility="private")
    # Saves run one at a time and each carries the page's stamp, so the newest edit is the one kept and shown even
    # when requests reach the server out of order.
    serial = dict(concurrency_id="toa-draft", concurrency_limit=1, js=STAMP_JS)
    saving = fields + browser + [ui.shown_rev, ui.stamp]
    ui.update.click(tab.refresh, inputs=saving, outputs=ui.view_outputs, api_name="toa_draft", **serial)
    for box in fields:
        event = box.blur if isinstance(box, gr.Textbox) else box.input
        event(tab.preview, inputs=saving, outputs=ui.view_outputs, show_progress="hidden", trigger_mode="always_last",
              **serial, **private)
    ui.find.click(tab.suggest, inputs=[ui.goal, ui.problem] + browser, outputs=[ui.options, ui.cands, ui.detail, notice],
                  **private)
    ui.options.change(tab.warn, inputs=[ui.options], outputs=[ui.warning], show_progress="hidden", **private)
    ui.make.click(tab.make_bets, inputs=[ui.options, ui.cands] + fields, outputs=fields + [notice], **private).then(
        tab.refresh, inputs=saving, outputs=ui.view_outputs, **serial, **private)
    ui.load.upload(tab.open_file, inputs=[ui.load] + browser, outputs=fields + [notice], concurrency_id="toa-draft",
                   concurrency_limit=1, **private).then(
        tab.refresh, inputs=saving, outputs=ui.view_outputs, **serial, **private)
    # Opening the tab or the page offers the saved draft; the browser takes it only into fields not typed in since.
    # The opening is stamped like a save, so the log places it among the page's saves.
    opening = [ui.shown_rev] + fields + [ui.stamp]
    merge_into(ctx.tab.select(tab.opened, inputs=browser + opening, outputs=ui.open_outputs, show_progress="hidden",
                              concurrency_id="toa-draft", concurrency_limit=1, js=STAMP_JS, **private),
               ui.offer, fields)
    ctx.restore.append((tab.opened, ui.open_outputs, opening, lambda event: merge_into(event, ui.offer, fields),
                        {"js": STAMP_JS}))


def _layout() -> SimpleNamespace:
    """The tab's components: the step-by-step form on the left, the live draft and downloads on the right."""
    ui = SimpleNamespace(cands=gr.State([]),  # the practices offered as bets: [{item_id, label, ...}]
                         shown_rev=gr.State(-1),  # the revision of the shared draft the form shows
                         offer=gr.JSON(None, visible=False),  # the saved draft offered to the form (late_replies)
                         stamp=gr.Textbox("", visible=False))  # the page's order of this save (late_replies)
    gr.Markdown("### Write your theory of action\nWork through the steps with your team. The draft on the right "
                "updates as you go: every clause cites the framework passage behind it, and the coherence checks "
                "show what the frameworks say a strong theory of action includes. Practices you *use as bets* in the "
                "Practice finder or the Self-assessment, and drafts started in the chat, appear here.")
    with gr.Row():
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
    ui.view_outputs = [ui.draft_view, ui.checks_view, ui.dl_docx, ui.dl_pdf, ui.dl_md, ui.dl_json, ui.saved,
                       ui.shown_rev]
    ui.open_outputs = [ui.offer, ui.options, ui.cands, ui.draft_view, ui.checks_view, ui.dl_docx, ui.dl_pdf,
                                   ui.dl_md, ui.dl_json, ui.shown_rev]
    return ui


def _steps(ui: SimpleNamespace) -> None:
    """Steps 1-5: goal, problem of practice, bets, each bet's chain (each box asking for its clause in the form it
    takes in the sentence), coherence."""
    with gr.Row():
        ui.title = gr.Textbox(label="Title", value="Theory of action", elem_id="toa-title")
        ui.district = gr.Textbox(label="District", elem_id="toa-district")
    gr.Markdown("**Step 1 — the goal.** It completes the sentence: *“… so that ___.”* What will be different "
                "for students, by how much, by when?")
    ui.goal = gr.Textbox(label=f"{FIELD_LABELS['goal']} (so that …)", lines=2, elem_id="toa-goal",
                         placeholder="e.g. 60% of grade 3–8 students read on grade level by June 2028")
    gr.Markdown("**Step 2 — the problem of practice.** What do adults do (or not do) today that holds this back?")
    ui.problem = gr.Textbox(label=FIELD_LABELS["problem"], lines=2, elem_id="toa-problem")
    ui.evidence = gr.Textbox(label="Evidence (one item per line)", lines=2, elem_id="toa-evidence")
    gr.Markdown(f"**Step 3 — place your bets.** Choose at most {MAX_BETS} practices to bet on.")
    ui.find = gr.Button("Suggest practices for our problem", elem_id="toa-find", size="sm")
    ui.options = gr.CheckboxGroup([], label="Practices offered as bets (from the finder, the self-assessment, "
                                            "the chat or the button above)", elem_id="toa-options")
    ui.warning = gr.Markdown("", elem_id="toa-bets-warning")
    ui.make = gr.Button("Use the chosen practices as our bets", variant="primary", elem_id="toa-make-bets")
    with gr.Accordion("Why these practices (with the passages they come from)", open=False):
        ui.detail = gr.HTML(findings_html([]), elem_id="toa-options-detail", css_template=CSS, js_on_load=None)
    gr.Markdown("**Step 4 — what each bet changes, and how you will know.** Each box completes its part of the "
                "sentence *“If we …, then …, which will …”*.")
    ui.bet_boxes = []
    for k in range(1, F.FORM_BETS + 1):
        with gr.Accordion(f"Bet {k}", open=True, elem_id=f"toa-bet{k}"):
            ui.bet_boxes.append([gr.Textbox(label=BET_LABELS[f], elem_id=f"toa-bet{k}-{BET_IDS[f]}",
                                            lines=1 if f in ("title", "item_ids", "owners", "timeframe") else 2,
                                            placeholder=BET_HINTS.get(f, "")) for f in F.BET])
    gr.Markdown("**Step 5 — make it coherent.** Each check on the right reads only the fields it names.")
    ui.scope = gr.Textbox(label="Scope — which schools, and when", elem_id="toa-scope")
    ui.culture = gr.Textbox(label=FIELD_LABELS["culture"], lines=2, elem_id="toa-culture")
    ui.systems = gr.CheckboxGroup(F.SYSTEM_NAMES, label=FIELD_LABELS["systems"], elem_id="toa-systems")
    ui.board = gr.Textbox(label=FIELD_LABELS["board_role"], lines=2, elem_id="toa-board")
    ui.external = gr.Textbox(label="External factors (politics, policy, funding, stakeholders)", lines=2,
                             elem_id="toa-external")
    ui.comms = gr.Textbox(label="Communication plan — who hears what, how, when", lines=2, elem_id="toa-comms")
    ui.assumptions = gr.Textbox(label="Assumptions (one per line)", lines=2, elem_id="toa-assumptions")


def _draft_panel(ui: SimpleNamespace) -> None:
    """The live draft (with the "saved" note beside the Update button), its downloads and the coherence checks."""
    with gr.Row(equal_height=True):
        ui.update = gr.Button("Update the draft, checks and downloads", variant="primary", elem_id="toa-update",
                              scale=3)
        ui.saved = gr.HTML("", elem_id="toa-saved", js_on_load=None)
    ui.draft_view = gr.HTML(draft_html(None), elem_id="toa-draft", css_template=CSS, js_on_load=None)
    with gr.Row():
        ui.dl_docx = gr.DownloadButton("Download Word (.docx)", value=None, elem_id="toa-export-docx",
                                       interactive=False)
        ui.dl_pdf = gr.DownloadButton("Download PDF", value=None, elem_id="toa-export-pdf", interactive=False)
    with gr.Row():
        ui.dl_md = gr.DownloadButton("Download Markdown", value=None, elem_id="toa-export-md", interactive=False)
        ui.dl_json = gr.DownloadButton("Save draft (.json)", value=None, elem_id="toa-save-json", interactive=False)
    gr.Markdown("Downloads always match the draft shown above.", elem_id="toa-download-note")
    ui.checks_view = gr.HTML("", elem_id="toa-checks", css_template=CSS, js_on_load=None)


_KEEP = (gr.update(),) * 8  # the draft view's outputs, left as they are


class _ToaTab:
    """The tab's event handlers over the form's `fields` (in F.from_values order) and the shared draft."""

    def __init__(self, services, ctx, fields: list):
        self.services, self.ctx, self.fields = services, ctx, fields
        self.sessions = services.sessions  # the one draft this browser shares with the chat and the other tabs
        self.order = SaveOrder()

    def _state(self, key):
        from assistant.facilitation.session import FacilitationState

        return self.sessions.draft(key) or FacilitationState()

    def _save(self, values: list, key, shown_rev, stamp, line: toa_log.SaveLine) -> tuple[TheoryOfAction, str, int]:
        """The form as the shared draft (bets beyond the form's three, added in the chat, are kept, and so is each
        bet's improvement plan, which the Improvement plan tab edits). A form that has not received the newest
        draft, saved elsewhere, adds what was typed to it instead of erasing what it has not seen."""
        state = self._state(key)
        line.saved_rev, line.outcome = state.rev, "applied"
        behind = self.order.behind(key or "", stamp, shown_rev if isinstance(shown_rev, int) else -1, state.rev)
        if behind:
            merged = fill_gaps(list(values), F.to_values(state.toa))
            line.behind(list(values), merged)
            values = merged
        toa = F.from_values(list(values))
        toa.bets += state.toa.active_bets()[F.FORM_BETS:]
        toa.keep_plan(state.toa)
        state.toa = toa
        when = self.sessions.save_draft(key, state)
        # A form behind the saved work still does not show what it was merged with: it stays behind (its next save
        # adds again) until it is offered the draft, instead of erasing on its next save what it never received.
        self.order.wrote(key or "", None if behind else stamp, state.rev)
        line.rev = state.rev
        return toa, when, shown_rev if behind else state.rev

    def _draft(self, toa: TheoryOfAction):
        if not (toa.goal or toa.problem or toa.active_bets()):
            return None
        self.ctx.ready()
        return self.services.drafter.draft(toa)

    def _downloads(self, draft, key) -> list:
        from assistant.facilitation.exports import export

        folder = self.sessions.files_dir(key)
        return [gr.update(value=F.write(folder, name, data), interactive=True)
                for data, name in (export(draft, fmt) for fmt in ("docx", "pdf", "md", "json"))]

    def refresh(self, *values, request: gr.Request = None):
        """Save; draft, checks and fresh download files (the Update button, and after bets or a file are loaded)."""
        *values, browser, shown_rev, stamp = values
        key = self.ctx.key(browser, request)
        line = toa_log.SaveLine(stamp, key, shown_rev, values)
        try:
            return self._refresh(values, key, shown_rev, stamp, line)
        finally:
            line.emit()

    def _refresh(self, values: list, key, shown_rev, stamp, line: toa_log.SaveLine):
        if not self.order.admit(key or "", stamp):  # a later save of this page was applied first
            line.outcome = "skipped"
            return _KEEP
        toa, when, rev = self._save(values, key, shown_rev, stamp, line)
        draft = self._draft(toa)
        if draft is None:
            return (draft_html(None), "", *[gr.update(value=None, interactive=False)] * 4, saved_note(when), rev)
        out = self._downloads(draft, key)
        if self.order.superseded(key or "", stamp):
            line.outcome += ", not shown"
            return _KEEP
        return (draft_html(draft), checks_html(draft.checks, draft), *out, saved_note(when), rev)

    def preview(self, *values, request: gr.Request = None):
        """Save while typing: the same as the Update button (draft, checks, downloads), so downloads are never
        stale whichever of the two runs last."""
        return self.refresh(*values, request=request)

    def opened(self, browser: str | None, rev: int = -1, *shown_and_stamp, request: gr.Request = None):
        """The shared draft offered to the form (page open, tab selected; the form's values then the page's stamp)
        unless the form shows it already: the offer (merged in the browser into the fields not typed in since),
        offered practices, draft, downloads."""
        *shown, stamp = shown_and_stamp or [None]
        key = self.ctx.key(browser, request)
        state = self._state(key)
        by_page = self.order.wrote_last(key or "", stamp, state.rev)

        def note(outcome: str, offered=None) -> None:
            toa_log.opened(stamp, key, rev, state.rev, by_page, outcome, offered)

        if state.rev == 0 or (rev == state.rev and rev >= 0):  # nothing saved yet, or the form shows it already
            note("no offer (nothing saved yet)" if state.rev == 0 else "no offer (the form shows it)")
            return (None,) + (gr.update(),) * 9  # no offer (an earlier one must not be merged again)
        values = F.to_values(state.toa)
        if shown and _same_values(shown, values):  # the form holds what is saved: take the revision only
            note("revision only (the form holds the saved values)")
            return (None,) + (gr.update(),) * 8 + (state.rev,)
        if shown and len(shown) == len(values):
            # A field the saved draft leaves empty is not offered as empty: the form may hold typing whose save is
            # still queued behind this request (an offer never erases what a form holds).
            values = fill_gaps(values, list(shown))
        note("offer", (shown or [None] * len(values), values))
        chosen = _chosen(state)
        draft = self._draft(state.toa) if self.ctx.wait() else None
        views = ((draft_html(draft), checks_html(draft.checks, draft), *self._downloads(draft, key))
                 if draft is not None else (draft_html(None), "", *[gr.update(value=None, interactive=False)] * 4))
        return (offer(shown or [None] * len(values), values),
                gr.update(choices=option_choices(state.candidates), value=chosen), state.candidates, *views, state.rev)

    def suggest(self, goal_text: str, problem_text: str, browser: str | None, request: gr.Request = None):
        """More practices for the problem, added to the options the draft offers."""
        from assistant.facilitation.placing import offer, candidate

        query = " ".join(x for x in (problem_text, goal_text) if x and x.strip())
        if not query:
            return gr.update(), gr.update(), gr.update(), "Write the goal or the problem of practice first."
        self.ctx.ready()
        found = self.services.finder.find(query, k=6)
        key = self.ctx.key(browser, request)
        state = self._state(key)
        offer(state, [candidate(f) for f in found])
        self.sessions.save_draft(key, state)
        chosen = _chosen(state)
        return (gr.update(choices=option_choices(state.candidates), value=chosen), state.candidates,
                findings_html(found), f"{len(found)} practices suggested. Tick up to {MAX_BETS}, then *Use the chosen "
                                      "practices as our bets*.")

    @staticmethod
    def warn(chosen: list):
        n = len(chosen or [])
        return f"⚠ {PLACE_YOUR_BETS.format(n=n)}" if n > MAX_BETS else ""

    def make_bets(self, chosen: list, current: list, *values):
        from assistant.facilitation.placing import bet_from

        chosen = list(chosen or [])
        if not chosen:
            return (*[gr.update()] * len(self.fields), "Tick at least one practice first.")
        toa = F.from_values(list(values))
        by_id = {c["item_id"]: c for c in current}
        kept = {b.item_ids[0]: b for b in toa.bets if b.item_ids}
        toa.bets = [kept.get(i) or bet_from(by_id[i]) for i in chosen[:MAX_BETS] if i in by_id or i in kept]
        msg = (f"⚠ {PLACE_YOUR_BETS.format(n=len(chosen))} I used the first {MAX_BETS}." if len(chosen) > MAX_BETS
               else f"Your bets: {markdown_text('; '.join(b.title for b in toa.bets))}. Now fill in step 4 for each bet.")
        return (*F.to_values(toa), msg)

    def open_file(self, file, browser: str | None = None, request: gr.Request = None):
        """A saved draft into the form — and, whole (with its improvement plan), into the shared draft."""
        try:
            toa = TheoryOfAction.load(file if isinstance(file, str) else file.name)
        except (ValueError, KeyError, OSError) as exc:
            return (*[gr.update()] * len(self.fields), f"Could not open that file: {markdown_text(exc)}")
        key = self.ctx.key(browser, request)
        state = self._state(key)
        state.toa = toa
        self.sessions.save_draft(key, state)
        extra_note = f" It has {len(toa.bets)} bets; the form shows the first {F.FORM_BETS}." \
            if len(toa.bets) > F.FORM_BETS else ""
        return (*F.to_values(toa), f"Opened “{markdown_text(toa.title)}”.{extra_note}")
