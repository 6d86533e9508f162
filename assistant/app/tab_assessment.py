"""The Self-assessment tab: rate each rubric indicator (or UVA-PLE condition) now and where you want it to be, with
evidence notes; see the cited descriptor and the next level's concrete moves; full-width charts by area of focus
and of each rated item by name; priorities named by their text and gap, which can be used as bets in the theory of
action this browser shares with the chat and the other tabs; save/load as JSON and compare with an earlier
assessment. The assessment is saved for this browser as you go and comes back after a reload or a restart.
Display only: the logic is assistant.facilitation."""

from __future__ import annotations

from types import SimpleNamespace

import gradio as gr

from assistant.app.escape import markdown_text
from assistant.facilitation import assessment as A
from assistant.facilitation.views import CSS, moves_html, priorities_html

HEADERS = ["Item", "Area / lever", "Current", "Goal", "Evidence"]


def _items(lib, scale: str) -> list:
    return A.rated_items(lib.catalog, scale)


def _levels(scale: str) -> dict[int, str]:
    return A.scale_named(scale)


def _choice_label(lib, item) -> str:
    return f"{item.number} — {A.item_text(lib, item.id)}"


def _panel(lib, item_id: str, level_name: str | None) -> str:
    """The selected item's current descriptor and next moves."""
    if not item_id:
        return ""
    level = {v: k for k, v in A.scale_of(item_id).items()}.get(level_name)
    return moves_html(A.item_name(lib, item_id), A.descriptor(lib, item_id, level), level_name or "not rated yet",
                      A.next_moves(lib, item_id, level))


def build_tab(services, ctx) -> None:
    lib = services.library
    ui = _layout(lib)
    tab = _AssessTab(lib, services.sessions, ctx, ui.first)
    private = dict(api_visibility="private")
    b = [ctx.browser]
    ctx.on_load.append((tab.first_panel, [ui.moves]))
    ctx.on_load.append((tab.item_choices, [ui.item]))
    ui.scale.change(tab.switch, inputs=[ui.scale, ui.state], outputs=[ui.item, ui.current, ui.goal, ui.evidence,
                                                                      ui.moves], **private)
    ui.item.change(tab.show, inputs=[ui.item, ui.state], outputs=[ui.current, ui.goal, ui.evidence, ui.moves],
                   **private)
    ui.current.change(tab.panel, inputs=[ui.item, ui.current], outputs=[ui.moves], **private)
    common = [ui.state, ui.district, ui.when, ui.focus, ui.item, ui.current, ui.goal, ui.evidence]
    ui.save.click(tab.store, inputs=common + b, outputs=[ui.state, ui.table, ui.download, ui.status], **private)
    ui.save_next.click(tab.store_next, inputs=common + [ui.scale] + b, **private,
                       outputs=[ui.state, ui.table, ui.download, ui.status, ui.item, ui.current, ui.goal, ui.evidence,
                                ui.moves])
    drawn = [ui.chart, ui.heat, ui.prios, ui.state, ui.prio_state, ui.chosen, ui.sent]
    ui.chart_btn.click(tab.charts, inputs=[ui.state, ui.focus, ui.scale] + b, outputs=drawn, **private)
    ui.upload.upload(tab.opened, inputs=[ui.upload] + b,
                     outputs=[ui.state, ui.table, ui.district, ui.when, ui.focus, ui.download, ui.opened], **private)
    ui.earlier.upload(tab.compare, inputs=[ui.earlier, ui.state, ui.scale] + b, outputs=[ui.growth, ui.changes],
                      **private)
    ui.send.click(tab.use_as_bets, inputs=[ui.chosen, ui.prio_state] + b, outputs=[ui.sent],
                  concurrency_id="toa-draft", concurrency_limit=1, **private)
    ctx.restore.append((tab.restore, [ui.state, ui.table, ui.district, ui.when, ui.focus, ui.current, ui.goal,
                                      ui.evidence, ui.moves, ui.chart, ui.heat, ui.prios, ui.prio_state, ui.chosen]))


def _layout(lib) -> SimpleNamespace:
    """The tab's components: who and what is rated, the rating form (its "saved" note beside the save buttons)
    beside the next moves, full-width charts, priorities to bet on, saving, opening and comparing."""
    ui = SimpleNamespace(state=gr.State(lambda: A.Assessment().to_dict()), prio_state=gr.State([]))
    gr.Markdown("### Where is your district on the Leadership System rubric?\nFor each indicator, choose where you "
                "are now and where you want to be, and note your evidence. You'll see what the next level asks for, "
                "charts of where you are, and where the gaps are largest — and you can use those priorities as bets "
                "in your theory of action.")
    with gr.Row():
        ui.district = gr.Textbox(label="District", elem_id="assess-district", scale=2)
        ui.when = gr.Textbox(label="Date", value=A.Assessment().date, elem_id="assess-date", scale=1)
        scales = A.scale_choices(lib.catalog)  # display label -> scale name, the leveled rubric first
        first_scale = next(iter(scales.values()))
        ui.scale = gr.Radio(list(scales), value=next(iter(scales)), label="What to rate", elem_id="assess-scale",
                            scale=2)
    ui.first = first = _items(lib, first_scale)
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            ui.item = gr.Dropdown([(_choice_label(lib, i), i.id) for i in first], value=first[0].id,
                                  label="Indicator", elem_id="assess-item")
            ui.current = gr.Radio(list(_levels(first_scale).values()), label="Where we are now",
                                  elem_id="assess-current")
            ui.goal = gr.Radio(list(_levels(first_scale).values()), label="Where we want to be (goal)",
                               elem_id="assess-goal")
            ui.evidence = gr.Textbox(label="Evidence notes", lines=2, elem_id="assess-evidence",
                                     placeholder="What tells you this? (data, observations, documents)")
            with gr.Row(equal_height=True):
                ui.save = gr.Button("Save rating", variant="primary", elem_id="assess-save-rating", scale=1)
                ui.save_next = gr.Button("Save and next", elem_id="assess-next", scale=1)
                ui.status = gr.Markdown("", elem_id="assess-status")
        with gr.Column(scale=3):
            ui.moves = gr.HTML("", elem_id="assess-moves", css_template=CSS, js_on_load=None)
    ui.table = gr.Dataframe(headers=HEADERS, value=[], interactive=False, wrap=True, elem_id="assess-table",
                            label="Your ratings")
    with gr.Row(equal_height=False):
        areas = [(g.label, g.id) for g in lib.catalog.of_kind("area")]
        ui.focus = gr.CheckboxGroup(areas, label="Areas of focus you care about most", elem_id="assess-focus",
                                    scale=3)
        ui.chart_btn = gr.Button("Update charts and priorities", elem_id="assess-chart-btn", scale=1, min_width=200)
    ui.chart = gr.HTML("", elem_id="assess-chart", js_on_load=None)  # full width, so labels stay readable
    ui.heat = gr.HTML("", elem_id="assess-heatmap", js_on_load=None)
    ui.prios = gr.HTML(priorities_html([]), elem_id="assess-priorities", css_template=CSS, js_on_load=None)
    with gr.Group(elem_id="assess-bets"):
        ui.chosen = gr.CheckboxGroup([], label="Choose priorities to bet on", elem_id="assess-choose")
        with gr.Row(equal_height=False, elem_classes=["use-bets"]):
            ui.send = gr.Button("Use as bets in our theory of action", variant="primary", elem_id="assess-send",
                                scale=0, min_width=300)
            ui.sent = gr.Markdown("", elem_id="assess-sent")
    with gr.Row():
        ui.download = gr.DownloadButton("Save assessment (.json)", value=None, elem_id="assess-download")
        ui.upload = gr.UploadButton("Open a saved assessment", file_types=[".json"], elem_id="assess-upload")
        ui.earlier = gr.File(label="Compare with an earlier assessment (.json)", file_types=[".json"],
                             elem_id="assess-compare-file")
    ui.opened = gr.Markdown("", elem_id="assess-opened")
    ui.growth = gr.Image(label="Growth by area", type="filepath", elem_id="assess-growth", interactive=False)
    ui.changes = gr.Markdown("", elem_id="assess-changes")
    return ui


def _kind(lib, label: str) -> str:
    """The scale a "What to rate" choice names (the first scale for anything else)."""
    scales = A.scale_choices(lib.catalog)
    return scales.get(label) or next(iter(scales.values()))


class _AssessTab:
    """The tab's event handlers; the assessment travels in the page's state as `Assessment.to_dict()` and is kept
    for the browser in `sessions` ("assessment")."""

    def __init__(self, lib, sessions, ctx, first: list):
        self.lib, self.ctx, self.first = lib, ctx, first
        self.sessions = sessions

    def panel(self, item_id: str, level_name: str | None):
        self.ctx.ready()  # descriptors are quoted from the indexed document texts
        return _panel(self.lib, item_id, level_name)

    def first_panel(self) -> str:
        return _panel(self.lib, self.first[0].id, None) if self.ctx.wait() else ""

    def item_choices(self):
        """The items named by their own text, once the documents are indexed (practice names until then)."""
        if not self.ctx.wait():
            return gr.update()
        return gr.update(choices=[(_choice_label(self.lib, i), i.id) for i in self.first])

    def rows(self, d: dict) -> list[list]:
        lib = self.lib
        out = []
        for r in A.Assessment.from_dict(d).ratings.values():
            g = A.group_of(lib.catalog, r.item_id)
            out.append([A.item_name(lib, r.item_id), g.label if g else "", A.level_name(r.item_id, r.current),
                        A.level_name(r.item_id, r.goal) if r.goal is not None else "", r.evidence])
        return out

    def show(self, item_id: str, d: dict):
        r = (d.get("ratings") and next((x for x in d["ratings"] if x["item_id"] == item_id), None)) or {}
        names = A.scale_of(item_id) if item_id else {}
        cur = names.get(r.get("current")) if r.get("current") is not None else None
        tgt = names.get(r.get("goal")) if r.get("goal") is not None else None
        return cur, tgt, r.get("evidence", ""), self.panel(item_id, cur)

    def switch(self, label: str, d: dict):
        s = _kind(self.lib, label)
        items = _items(self.lib, s)
        names = list(_levels(s).values())
        cur, tgt, ev, html = self.show(items[0].id, d)
        return (gr.update(choices=[(_choice_label(self.lib, i), i.id) for i in items], value=items[0].id,
                          label=A.scale_words(s)[0].capitalize()),
                gr.update(choices=names, value=cur), gr.update(choices=names, value=tgt), ev, html)

    def keep(self, a: A.Assessment, key) -> tuple[dict, str, str]:
        """Save for this browser (and as a download); returns (data, download path, time saved)."""
        from assistant.facilitation.forms import write

        data = a.to_dict()
        saved_at = self.sessions.save(key, "assessment", data)
        path = write(self.sessions.files_dir(key), "self-assessment.json", a.to_json().encode("utf-8"))
        return data, path, saved_at

    def store(self, d: dict, dist: str, date: str, areas_chosen: list, item_id: str, cur, tgt, ev, browser=None,
              request: gr.Request = None):
        a = A.Assessment.from_dict(d)
        a.district, a.date, a.focus_areas = (dist or "").strip(), (date or "").strip(), list(areas_chosen or [])
        if item_id:
            m = {v: k for k, v in A.scale_of(item_id).items()}
            a.rate(item_id, m.get(cur), m.get(tgt), ev or "")
        data, path, saved_at = self.keep(a, self.ctx.key(browser, request))
        name = A.item_name(self.lib, item_id).split(" — ")[0] if item_id else ""
        return data, self.rows(data), gr.update(value=path), f"✓ Saved {name} at {saved_at}." if item_id else ""

    def store_next(self, d, dist, date, areas_chosen, item_id, cur, tgt, ev, label, browser=None,
                   request: gr.Request = None):
        data, table_rows, dl, msg = self.store(d, dist, date, areas_chosen, item_id, cur, tgt, ev, browser, request)
        ids = [i.id for i in _items(self.lib, _kind(self.lib, label))]
        nxt = ids[(ids.index(item_id) + 1) % len(ids)] if item_id in ids else ids[0]
        c, t, e, html = self.show(nxt, data)
        return data, table_rows, dl, msg, nxt, c, t, e, html

    def charts(self, d: dict, areas_chosen: list, label: str, browser=None, request: gr.Request = None):
        """Both charts (as wide as the tab), the priorities, and the priorities as suggestions to bet on."""
        from assistant.facilitation import charts as C

        lib = self.lib
        a = A.Assessment.from_dict(d)
        a.focus_areas = list(areas_chosen or [])
        s = _kind(lib, label)
        kind, group = A.scale_words(s)
        bars = C.chart_html(C.area_chart(a, lib, s), f"Average current and goal level by {group}", "assess-chart-img")
        grid = C.chart_html(C.heatmap(a, lib, s), f"Each rated {kind} by name, with where it is now and the goal",
                            "assess-heatmap-img")
        ps = A.priorities(a, lib, n=5)
        data, _, _ = self.keep(a, self.ctx.key(browser, request))
        suggestions = [p.suggestion(lib) for p in ps]
        return (bars, grid, priorities_html(ps), data, suggestions,
                gr.update(choices=[(x["label"], x["item_id"]) for x in suggestions], value=[]), "")

    def use_as_bets(self, picked: list, suggestions: list, browser=None, request: gr.Request = None) -> str:
        """The ticked priorities become bets in this browser's theory of action."""
        from assistant.facilitation.placing import place
        from assistant.facilitation.session import FacilitationState

        if not picked:
            return "Tick at least one priority first (choose *Update charts and priorities* to see them)."
        key = self.ctx.key(browser, request)
        st = self.sessions.draft(key) or FacilitationState()
        message = place(st, suggestions, list(picked))
        saved_at = self.sessions.save_draft(key, st)
        return f"{message} *(saved {saved_at})*" if not message.startswith("⚠") else message

    def restore(self, browser: str | None, request: gr.Request = None):
        """This browser's saved assessment, with its charts and priorities when it has ratings."""
        d = self.sessions.load(self.ctx.key(browser, request), "assessment")
        try:
            a = A.Assessment.from_dict(d) if d else None
        except (ValueError, KeyError):
            a = None
        if a is None:
            return (gr.update(),) * 14
        d = a.to_dict()
        cur, tgt, ev, html = self.show(self.first[0].id, d) if self.ctx.wait() else (None, None, "", "")
        bars, grid, prio_html, suggestions, choose = "", "", priorities_html([]), [], gr.update()
        if a.ratings:
            label = next(iter(A.scale_choices(self.lib.catalog)))
            bars, grid, prio_html, _, suggestions, choose, _ = self.charts(d, a.focus_areas, label, browser)
        return (d, self.rows(d), a.district, a.date, gr.update(value=a.focus_areas), cur, tgt, ev, html, bars, grid,
                prio_html, suggestions, choose)

    def opened(self, file, browser=None, request: gr.Request = None):
        if file is None:
            return gr.update(), gr.update(), gr.update(), gr.update(), gr.update(), gr.update(), "No file chosen."
        try:
            a = A.Assessment.load(file if isinstance(file, str) else file.name)
        except (ValueError, KeyError, OSError) as exc:
            return (gr.update(), gr.update(), gr.update(), gr.update(), gr.update(), gr.update(),
                    f"Could not open that file: {markdown_text(exc)}")
        d, path, _ = self.keep(a, self.ctx.key(browser, request))
        return (d, self.rows(d), a.district, a.date, gr.update(value=a.focus_areas), gr.update(value=path),
                f"Opened the assessment of {markdown_text(a.district or 'your district')} ({markdown_text(a.date)}), "
                f"{len(a.ratings)} ratings.")

    def compare(self, file, d: dict, label: str, browser=None, request: gr.Request = None):
        from assistant.facilitation import charts as C
        from assistant.facilitation.forms import write

        if file is None:
            return None, ""
        try:
            before = A.Assessment.load(file if isinstance(file, str) else file.name)
        except (ValueError, KeyError, OSError) as exc:
            return None, f"Could not open that file: {markdown_text(exc)}"
        after = A.Assessment.from_dict(d)
        s = _kind(self.lib, label)
        cmp = A.compare(before, after, self.lib, s)
        img = write(self.sessions.files_dir(self.ctx.key(browser, request)), "growth.png",
                    C.growth_chart(cmp, before.date or "Before", after.date or "Now", s))

        def moved(c) -> str:
            return f"{c.label} ({A.level_name(c.item_id, c.before)} → {A.level_name(c.item_id, c.after)})"

        up, down = [moved(c) for c in cmp.improved()], [moved(c) for c in cmp.declined()]
        text = (f"**Moved up ({len(up)}):** " + ("; ".join(up) or "none") + f"\n\n**Moved down ({len(down)}):** "
                + ("; ".join(down) or "none"))
        return img, text
