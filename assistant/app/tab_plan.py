"""The Improvement plan tab: the theory of action turned into the tools an improvement team works with — a driver
diagram (aim → primary drivers → secondary drivers → change ideas, drawn, with secondary drivers suggested from the
frameworks and cited), 90-day cycles per bet with a study/act log, a readiness check per bet, and the one-page plan
for the board. It edits the one draft this browser shares with the chat and the other tabs (`services.sessions`);
every save says when. Display only: the logic is assistant.facilitation; the handlers are plan_handlers.py and the
API endpoints plan_api.py."""

from __future__ import annotations

from types import SimpleNamespace

import gradio as gr

from assistant.app.plan_handlers import PlanTab
from assistant.facilitation.cycles import DECISIONS
from assistant.facilitation.plan_views import CSS as PLAN_CSS
from assistant.facilitation.readiness import DIMENSIONS, NAMES, SCALE, question
from assistant.facilitation.views import CSS

STYLE = CSS + PLAN_CSS


def build_tab(services, ctx) -> None:
    from assistant.app.plan_api import register

    ui = _layout()
    tab = PlanTab(services, ctx, ui)
    b = [ctx.browser]
    private = dict(api_visibility="private")
    serial = dict(concurrency_id="toa-draft", concurrency_limit=1)  # one draft, saved in arrival order
    out = ui.outputs
    ui.bet.input(tab.pick_bet, inputs=[ui.bet] + b, outputs=out, **private)
    ui.save_diagram.click(tab.save_diagram, inputs=[ui.bet, ui.aim, ui.primary, ui.secondary, ui.changes] + b,
                          outputs=out, **serial, **private)
    ui.suggest.click(tab.suggest, inputs=[ui.bet] + b, outputs=[ui.suggestions, ui.sugg_state, ui.sugg_view,
                                                                ui.sugg_note], **private)
    ui.add.click(tab.add_drivers, inputs=[ui.bet, ui.suggestions, ui.sugg_state] + b, outputs=out, **serial,
                 **private)
    ui.cycle_pick.input(tab.pick_cycle, inputs=[ui.bet, ui.cycle_pick] + b, outputs=out, **private)
    cycle_fields = [ui.idea, ui.prediction, ui.measures, ui.who, ui.start, ui.end]
    ui.save_cycle.click(tab.save_cycle, inputs=[ui.bet, ui.cycle_pick] + cycle_fields + b, outputs=out, **serial,
                        **private)
    log_fields = [ui.log_date, ui.log_did, ui.log_learned, ui.log_decision]
    ui.add_log.click(tab.add_log, inputs=[ui.bet, ui.cycle_pick] + log_fields + b, outputs=out, **serial, **private)
    ready = [x for d in DIMENSIONS for x in (ui.scores[d], ui.notes[d])]
    ui.save_ready.click(tab.save_readiness, inputs=[ui.bet] + ready + b, outputs=out, **serial, **private)
    ui.make.click(tab.one_page, inputs=b, outputs=[ui.page, ui.dl_page_pdf, ui.dl_page_docx, ui.dl_page_md,
                                                   ui.dl_full_docx, ui.dl_full_pdf, ui.page_note], **private)
    # Shown when the tab is opened (a reload starts on the first tab), never at page load: drawing the plan is the
    # slowest view, and reading needs no place in the draft's save order, so it never holds up another tab's save.
    ctx.tab.select(tab.opened, inputs=b + [ui.shown_rev], outputs=out, show_progress="hidden", **private)
    register(services, ctx)


def _layout() -> SimpleNamespace:
    ui = SimpleNamespace(shown_rev=gr.State(-1), sugg_state=gr.State([]))
    gr.Markdown("### Turn the theory of action into an improvement plan\nPick a bet, then work through its "
                "**driver diagram**, its **90-day cycles** and its **readiness**; the **one-page plan** gathers "
                "the goal, the bets and the next cycle for the board. Everything is saved with your theory of "
                "action, and every suggestion quotes the framework passage it comes from.")
    ui.notice = gr.Markdown("", elem_id="plan-notice")
    with gr.Row(equal_height=True):
        ui.bet = gr.Radio([], label="Which bet are you working on?", elem_id="plan-bet", scale=4)
        ui.saved = gr.HTML("", elem_id="plan-saved", js_on_load=None)
    with gr.Tabs(elem_id="plan-tabs", overflow_behavior="wrap"):  # every part reachable on a phone
        with gr.Tab("Driver diagram", id="plan-diagram-tab", elem_id="plan-diagram-tab"):
            _diagram(ui)
        with gr.Tab("90-day cycles", id="plan-cycles-tab", elem_id="plan-cycles-tab"):
            _cycles(ui)
        with gr.Tab("Readiness", id="plan-readiness-tab", elem_id="plan-readiness-tab"):
            _readiness(ui)
        with gr.Tab("One-page plan", id="plan-onepager-tab", elem_id="plan-onepager-tab"):
            _onepager(ui)
    ui.section_notes = {"top": ui.notice, "diagram": ui.diagram_note, "suggest": ui.sugg_note,
                        "cycle": ui.cycle_note, "log": ui.log_note, "readiness": ui.ready_note}
    ui.outputs = [ui.bet, ui.saved, ui.shown_rev, *ui.section_notes.values(), ui.measure_hint, ui.aim, ui.aim_check,
                  ui.diagram, ui.dl_svg, ui.dl_png, ui.primary, ui.secondary, ui.changes, ui.suggestions, ui.sugg_state, ui.sugg_view, ui.guidance,
                  ui.cycle_pick, ui.idea, ui.prediction, ui.measures, ui.who, ui.start, ui.end, ui.cycle_view,
                  ui.overview, ui.log_date, ui.log_did, ui.log_learned, ui.log_decision, ui.ready_view,
                  *ui.scores.values(), *ui.notes.values(), *ui.passages.values()]
    return ui


def _diagram(ui) -> None:
    ui.aim = gr.Textbox(label="Aim — what will be better for students, by how much, by when (the goal)", lines=2,
                        elem_id="plan-aim")
    ui.aim_check = gr.HTML("", elem_id="plan-aim-check", css_template=STYLE, js_on_load=None)  # under it: a phone
    ui.diagram = gr.HTML("", elem_id="plan-diagram", css_template=STYLE, js_on_load=None)
    with gr.Row():
        ui.dl_svg = gr.DownloadButton("Download the diagram (SVG)", value=None, elem_id="plan-dl-svg",
                                      interactive=False, size="sm")
        ui.dl_png = gr.DownloadButton("Download the diagram (PNG, for slides)", value=None, elem_id="plan-dl-png",
                                      interactive=False, size="sm")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=380):
            ui.primary = gr.Textbox(label="Primary driver — this bet, in a few words", elem_id="plan-primary")
            ui.secondary = gr.Textbox(label="Secondary drivers — the systems, conditions or practices that carry "
                                            "this bet (one per line; edit the suggested ones freely)", lines=4,
                                      elem_id="plan-secondary")
            ui.changes = gr.Textbox(label="Change ideas — what the district will try (one per line; the same as the "
                                          "bet's “If we …” actions)", lines=3, elem_id="plan-changes")
            ui.save_diagram = gr.Button("Save and redraw the diagram", variant="primary", elem_id="plan-save-diagram")
            ui.diagram_note = gr.Markdown("", elem_id="plan-diagram-note")
        with gr.Column(scale=2, min_width=320):
            ui.suggest = gr.Button("Suggest secondary drivers from the frameworks", elem_id="plan-suggest")
            ui.sugg_note = gr.Markdown("", elem_id="plan-sugg-note")
            ui.suggestions = gr.CheckboxGroup([], label="Suggested secondary drivers (tick to add)",
                                              elem_id="plan-suggestions")
            ui.add = gr.Button("Add the ticked drivers", elem_id="plan-add-drivers", size="sm")
            with gr.Accordion("Why these drivers (the passages they come from)", open=True):
                ui.sugg_view = gr.HTML("", elem_id="plan-sugg-view", css_template=STYLE, js_on_load=None)


def _cycles(ui) -> None:
    gr.Markdown("Test one change idea at a time for about 90 days: say what you predict, watch a few lead measures "
                "as it runs, then study what happened and decide — adopt, adapt or abandon.")
    ui.overview = gr.HTML("", elem_id="plan-cycles-overview", css_template=STYLE, js_on_load=None)
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=380):
            ui.cycle_pick = gr.Dropdown([("Plan a new cycle", "new")], value="new", label="Cycle",
                                        elem_id="plan-cycle-pick")
            ui.idea = gr.Dropdown([], label="Change idea to test (pick one of the bet's, or type another)",
                                  allow_custom_value=True, elem_id="plan-cycle-idea")
            ui.prediction = gr.Textbox(label="Prediction — what we expect to happen, and why", lines=2,
                                       elem_id="plan-cycle-prediction")
            ui.measures = gr.Textbox(label="Lead measures we will watch during the cycle (one per line)", lines=2,
                                     elem_id="plan-cycle-measures")
            ui.measure_hint = gr.HTML("", elem_id="plan-measure-hint", css_template=STYLE, js_on_load=None)
            ui.who = gr.Textbox(label="Who runs it", elem_id="plan-cycle-who")
            with gr.Row():
                ui.start = gr.Textbox(label="Starts (as 2025-09-02)", elem_id="plan-cycle-start")
                ui.end = gr.Textbox(label="Ends (blank: 90 days later)", elem_id="plan-cycle-end")
            ui.save_cycle = gr.Button("Save the cycle plan", variant="primary", elem_id="plan-save-cycle")
            ui.cycle_note = gr.Markdown("", elem_id="plan-cycle-note")
        with gr.Column(scale=3, min_width=380):
            ui.cycle_view = gr.HTML("", elem_id="plan-cycle-view", css_template=STYLE, js_on_load=None)
            gr.Markdown("**Study and act** — as the cycle runs, log what you did and saw, what you learned against "
                        "the prediction, and what you decided.")
            ui.log_date = gr.Textbox(label="Date (as 2025-10-15)", elem_id="plan-log-date")
            ui.log_did = gr.Textbox(label="What we did and saw", lines=2, elem_id="plan-log-did")
            ui.log_learned = gr.Textbox(label="What we learned, compared with the prediction", lines=2,
                                        elem_id="plan-log-learned")
            ui.log_decision = gr.Radio([(v, k) for k, v in DECISIONS.items()], label="Decision", elem_id="plan-log-decision")
            ui.add_log = gr.Button("Add to the log", elem_id="plan-add-log")
            ui.log_note = gr.Markdown("", elem_id="plan-log-note")
    with gr.Accordion("What the frameworks say about lead measures and short cycles", open=False,
                      elem_id="plan-guidance-box"):
        ui.guidance = gr.HTML("", elem_id="plan-guidance", css_template=STYLE, js_on_load=None)


def _readiness(ui) -> None:
    gr.Markdown("Score each dimension for this bet from **1 (not yet)** to **5 (fully)**, with a note on why. "
                "Scores of 2 or less are flagged for the team to discuss before committing. Under each question are "
                "the framework passages that bear on it.")
    ui.scores, ui.notes, ui.passages = {}, {}, {}
    choices = [(f"{k} — {v}", str(k)) for k, v in SCALE.items()]
    for d in DIMENSIONS:
        with gr.Group(elem_id=f"plan-ready-{d}-group"):
            gr.Markdown(f"**{NAMES[d]}.** {question(d)}")
            with gr.Row(equal_height=False):
                ui.scores[d] = gr.Radio(choices, label=f"{NAMES[d]} score", elem_id=f"plan-ready-{d}", scale=3)
                ui.notes[d] = gr.Textbox(label="Why (a note)", elem_id=f"plan-ready-{d}-note", scale=2)
            with gr.Accordion("What the frameworks say", open=False):
                ui.passages[d] = gr.HTML("", elem_id=f"plan-ready-{d}-passages", css_template=STYLE, js_on_load=None)
    ui.save_ready = gr.Button("Save the readiness check", variant="primary", elem_id="plan-save-readiness")
    ui.ready_note = gr.Markdown("", elem_id="plan-ready-note")
    ui.ready_view = gr.HTML("", elem_id="plan-readiness-view", css_template=STYLE, js_on_load=None)


def _onepager(ui) -> None:
    gr.Markdown("The goal, the theory of action, the bets with owners and lead and lag measures, the next 90-day "
                "cycle and the three framework passages the plan rests on — on one printed page.")
    ui.make = gr.Button("Make the one-page plan", variant="primary", elem_id="plan-make-onepager")
    ui.page_note = gr.Markdown("", elem_id="plan-page-note")
    with gr.Row():
        ui.dl_page_pdf = gr.DownloadButton("One-page plan (PDF)", value=None, elem_id="plan-onepager-pdf",
                                           interactive=False)
        ui.dl_page_docx = gr.DownloadButton("One-page plan (Word)", value=None, elem_id="plan-onepager-docx",
                                            interactive=False)
        ui.dl_page_md = gr.DownloadButton("One-page plan (Markdown)", value=None, elem_id="plan-onepager-md",
                                          interactive=False)
    with gr.Row():
        ui.dl_full_docx = gr.DownloadButton("The full plan (Word)", value=None, elem_id="plan-full-docx",
                                            interactive=False, size="sm")
        ui.dl_full_pdf = gr.DownloadButton("The full plan (PDF)", value=None, elem_id="plan-full-pdf",
                                           interactive=False, size="sm")
    ui.page = gr.HTML("", elem_id="plan-onepager", css_template=STYLE, js_on_load=None)
