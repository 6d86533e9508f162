"""The Team consensus tab: several people rate the same indicators on their own — each adds their self-assessment
to a team from their own browser with a short team code, or the facilitator imports saved files — and the team
sees, per indicator, everyone's rating and evidence side by side, the spread and where it disagrees most; it
records the rating it agrees on, with the dissent kept beside it, and downloads the team file, a report and the
agreed ratings (which open in the Self-assessment tab like any assessment). Display only: the logic is
assistant.facilitation.consensus and .teams."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import gradio as gr

from assistant.app.escape import markdown_text as md
from assistant.facilitation import assessment as A
from assistant.facilitation.consensus import TeamAssessment
from assistant.facilitation.forms import write
from assistant.facilitation.team_report import name_of, order_of, report_markdown
from assistant.facilitation.team_views import CSS as TEAM_CSS, agreed_html, item_html, spread_html
from assistant.facilitation.teams import normal_code, shown_code
from assistant.facilitation.views import CSS

STYLE = CSS + TEAM_CSS


def build_tab(services, ctx) -> None:
    ui = _layout()
    tab = _TeamTab(services, ctx, ui)
    b = [ctx.browser]
    private = dict(api_visibility="private")
    out = ui.outputs
    ui.new.click(tab.start, inputs=[ui.name] + b, outputs=out, **private)
    ui.open.click(tab.open_team, inputs=[ui.code, ui.name] + b, outputs=out, **private)
    ui.mine.click(tab.add_mine, inputs=[ui.code, ui.name] + b, outputs=out, **private)
    ui.files.upload(tab.import_files, inputs=[ui.files, ui.code] + b, outputs=out, **private)
    ui.item.input(tab.pick_item, inputs=[ui.code, ui.item], outputs=[ui.item_view, ui.agreed, ui.goal, ui.dissent],
                  **private)
    ui.record.click(tab.record, inputs=[ui.code, ui.item, ui.agreed, ui.goal, ui.rationale, ui.dissent] + b,
                    outputs=out, **private)
    ctx.restore.append((tab.restore, out))


def _layout() -> SimpleNamespace:
    ui = SimpleNamespace()
    gr.Markdown("### Rate together, then agree\nEach person rates the indicators on their own in the "
                "**Self-assessment** tab. Start a team here and share its code: everyone enters it with their name "
                "and adds their self-assessment (or import people's saved files). You then see where the team "
                "agrees, where it disagrees most, and everyone's evidence side by side — and record the rating you "
                "agree on, with any dissent kept beside it.")
    with gr.Row(equal_height=False, elem_classes=["team-bar"]):
        ui.code = gr.Textbox(label="Team code", placeholder="e.g. k7m2-p9qx-4t", elem_id="team-code", scale=2)
        ui.name = gr.Textbox(label="Your name (as the team will see it)", elem_id="team-name", scale=2)
    with gr.Row():
        ui.new = gr.Button("Start a new team", elem_id="team-new", size="sm")
        ui.open = gr.Button("Open this team", elem_id="team-open", size="sm")
        ui.mine = gr.Button("Add my self-assessment to the team", variant="primary", elem_id="team-add-mine",
                            size="sm")
    ui.files = gr.File(label="Or add people's saved self-assessments (.json, one per person; team files too)",
                       file_count="multiple", file_types=[".json"], elem_id="team-files", height=130)
    ui.status = gr.Markdown("", elem_id="team-status")
    ui.members = gr.Markdown("", elem_id="team-members")
    ui.spread = gr.HTML("", elem_id="team-spread", css_template=STYLE, js_on_load=None)
    with gr.Column(visible=False, elem_id="team-agree-box") as ui.agree_box:
        _agree(ui)
    ui.outputs = [ui.code, ui.name, ui.status, ui.members, ui.spread, ui.item, ui.item_view, ui.agreed, ui.goal,
                  ui.dissent, ui.rationale, ui.agreed_view, ui.dl_team, ui.dl_report, ui.dl_agreed, ui.agree_box]
    return ui


def _agree(ui) -> None:
    """Agreeing a rating per indicator, what was agreed, and the downloads (shown once the team has members)."""
    gr.Markdown("#### Agree a rating")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=380):
            ui.item = gr.Dropdown([], label="Indicator (largest disagreements first)", elem_id="team-item")
            ui.item_view = gr.HTML("", elem_id="team-item-view", css_template=STYLE, js_on_load=None)
        with gr.Column(scale=2, min_width=320):
            ui.agreed = gr.Radio([], label="The rating we agree on", elem_id="team-agreed")
            ui.goal = gr.Radio([], label="Our goal for it", elem_id="team-goal")
            ui.rationale = gr.Textbox(label="Why we agreed (the evidence that settled it)", lines=2,
                                      elem_id="team-rationale")
            ui.dissent = gr.Textbox(label="Dissent in their own words (one per line, “Name: …”; everyone who rated "
                                          "differently is recorded anyway)", lines=2, elem_id="team-dissent")
            ui.record = gr.Button("Record the agreed rating", variant="primary", elem_id="team-record")
    ui.agreed_view = gr.HTML("", elem_id="team-agreed-view", css_template=STYLE, js_on_load=None)
    with gr.Row():
        ui.dl_team = gr.DownloadButton("Team file (.json)", value=None, elem_id="team-dl-json", interactive=False)
        ui.dl_report = gr.DownloadButton("Team report (Markdown)", value=None, elem_id="team-dl-md", interactive=False)
        ui.dl_agreed = gr.DownloadButton("Agreed ratings as a self-assessment (.json)", value=None,
                                         elem_id="team-dl-agreed", interactive=False)


def _dissent_notes(text: str) -> dict[str, str]:
    out = {}
    for line in (text or "").splitlines():
        name, sep, note = line.partition(":")
        if sep and name.strip() and note.strip():
            out[name.strip()] = " ".join(note.split())
    return out


class _TeamTab:
    def __init__(self, services, ctx, ui):
        self.services, self.ctx, self.ui = services, ctx, ui
        self.teams = services.teams
        self.lib = services.library

    def _levels(self, item_id: str | None) -> list[str]:
        return list(A.scale_of(item_id).values()) if item_id else []

    def show(self, code: str, team: TeamAssessment | None, key, status: str = "", name: str | None = None,
             item: str | None = None) -> dict:
        ui = self.ui
        out = {ui.code: shown_code(code) if code else gr.update(), ui.status: status}
        if name is not None:
            out[ui.name] = name
        if team is None:
            return out
        order = order_of(self.lib)
        worst = [s.item_id for s in team.disagreements(order, n=50)]
        ids = worst + [s.item_id for s in team.spreads(order) if s.item_id not in worst]
        item = item if item in ids else (ids[0] if ids else None)
        people = ", ".join(f"**{md(m.name)}** ({len(m.assessment.ratings)} ratings)" for m in team.members)
        out.update({ui.agree_box: gr.update(visible=bool(team.members)),
                    ui.members: f"**Team {shown_code(code)}** — {len(team.members)} "
                                f"{'person' if len(team.members) == 1 else 'people'}: {people or 'no one yet'}.",
                    ui.spread: spread_html(team, self.lib), ui.agreed_view: agreed_html(team, self.lib),
                    ui.item: gr.update(choices=[(name_of(self.lib, i), i) for i in ids], value=item)})
        out.update(self._item(team, item))
        folder = self.services.sessions.files_dir(key)
        files = {ui.dl_team: ("team-assessment.json", team.to_json()),
                 ui.dl_report: ("team-assessment-report.md", report_markdown(team, self.lib)),
                 ui.dl_agreed: ("agreed-self-assessment.json", team.agreed_assessment().to_json())}
        for comp, (fname, text) in files.items():
            out[comp] = gr.update(value=write(folder, fname, text.encode("utf-8")), interactive=bool(team.members))
        return out

    def _item(self, team: TeamAssessment, item: str | None) -> dict:
        ui = self.ui
        s = next((x for x in team.spreads() if x.item_id == item), None)
        levels = self._levels(item)
        if s is None:
            return {ui.item_view: item_html(None, self.lib), ui.agreed: gr.update(choices=[], value=None),
                    ui.goal: gr.update(choices=[], value=None), ui.dissent: ""}
        cur, goal = (s.agreed.current, s.agreed.goal) if s.agreed else s.proposed
        return {ui.item_view: item_html(s, self.lib),
                ui.agreed: gr.update(choices=levels, value=A.level_name(item, cur) if cur is not None else None),
                ui.goal: gr.update(choices=levels, value=A.level_name(item, goal) if goal is not None else None),
                ui.dissent: ""}

    # ---- events --------------------------------------------------------------------------------------------
    def restore(self, browser, request: gr.Request = None):
        key = self.ctx.key(browser, request)
        d = self.teams.remembered(key)
        if not d["code"]:
            return {self.ui.status: gr.update()}
        return self.show(d["code"], self.teams.load(d["code"]), key, name=d["name"])

    def start(self, name, browser, request: gr.Request = None):
        key = self.ctx.key(browser, request)
        code = self.teams.new()
        self.teams.remember(key, code, name or "")
        return self.show(code, self.teams.load(code), key, f"Team **{shown_code(code)}** started. Share the code: "
                         "each person enters it with their name and adds their self-assessment.")

    def open_team(self, code, name, browser, request: gr.Request = None):
        key = self.ctx.key(browser, request)
        team = self.teams.load(code)
        if team is None:
            return {self.ui.status: "No team has that code: check it (it looks like k7m2-p9qx-4t), or start a new team."}
        self.teams.remember(key, code, name or "")
        return self.show(normal_code(code), team, key, f"Opened team **{shown_code(code)}**.")

    def add_mine(self, code, name, browser, request: gr.Request = None):
        key = self.ctx.key(browser, request)
        try:
            mine = A.Assessment.from_dict(self.services.sessions.load(key, "assessment") or {})
        except (ValueError, KeyError):
            mine = None
        if mine is None or not mine.ratings:
            return {self.ui.status: "You have no ratings yet: rate some indicators in the **Self-assessment** tab, "
                                    "then add them here."}
        if not (name or "").strip():
            return {self.ui.status: "Write your name first, so the team knows whose ratings these are."}
        code = normal_code(code) or self.teams.new()
        mine.rater = " ".join(name.split())
        try:
            team = self.teams.contribute(code, mine.rater, mine, "shared from a browser")
        except KeyError as exc:
            return {self.ui.status: str(exc.args[0])}
        self.teams.remember(key, code, mine.rater)
        return self.show(code, team, key, f"Added your {len(mine.ratings)} ratings to team **{shown_code(code)}**.",
                         name=mine.rater)

    def import_files(self, files, code, browser, request: gr.Request = None):
        key = self.ctx.key(browser, request)
        loaded, problems = [], []
        for f in files or []:
            path = Path(f if isinstance(f, str) else f.name)
            try:
                loaded.append((path.stem, json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError) as exc:
                problems.append(f"{md(path.name)}: {md(exc)}")
        code = normal_code(code) or self.teams.new()

        def edit(team: TeamAssessment) -> None:
            from assistant.facilitation.consensus import merge

            other = merge(loaded)
            for m in other.members:
                team.add(m.name, m.assessment, m.source)
            team.agreed.update(other.agreed)

        try:
            team = self.teams.change(code, edit)
        except (KeyError, ValueError) as exc:
            return {self.ui.status: f"Could not add those files: {md(exc.args[0] if exc.args else exc)}"}
        self.teams.remember(key, code, self.teams.remembered(key)["name"])
        note = f"Added {len(loaded)} file{'s' if len(loaded) != 1 else ''} to team **{shown_code(code)}**."
        return self.show(code, team, key, note + (" Skipped: " + "; ".join(problems) if problems else ""))

    def pick_item(self, code, item):
        team = self.teams.load(code)
        out = self._item(team, item) if team else {}
        ui = self.ui
        return (out.get(ui.item_view, ""), out.get(ui.agreed, gr.update()), out.get(ui.goal, gr.update()),
                out.get(ui.dissent, ""))

    def record(self, code, item, agreed, goal, rationale, dissent, browser, request: gr.Request = None):
        key = self.ctx.key(browser, request)
        if not item or agreed is None:
            return {self.ui.status: "Choose an indicator and the rating the team agrees on first."}
        names = {v: k for k, v in A.scale_of(item).items()}
        try:
            team = self.teams.change(code, lambda t: t.agree(item, names.get(agreed), names.get(goal), rationale or "",
                                                             _dissent_notes(dissent)))
        except KeyError as exc:
            return {self.ui.status: str(exc.args[0])}
        ag = team.agreed[item]
        who = ", ".join(d.name for d in ag.dissent)
        return {**self.show(code, team, key, f"Recorded: {name_of(self.lib, item).split(' — ')[0]} — {agreed}"
                            + (f", with dissent from {md(who)}." if who else ", unanimous."), item=item),
                self.ui.rationale: ""}
