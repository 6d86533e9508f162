"""The Self-assessment tab: rate each rubric indicator (or UVA-PLE condition) now and where you want it to be, with
evidence notes; see the cited descriptor and the next level's concrete moves; charts by area of focus; priorities;
save/load as JSON and compare with an earlier assessment. Display only: the logic is assistant.facilitation."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import gradio as gr

from assistant.facilitation import assessment as A
from assistant.facilitation.views import CSS, moves_html, priorities_html

HEADERS = ["Item", "Area / lever", "Current", "Goal", "Evidence"]


def _items(lib, scale: str) -> list:
    return A.rated_items(lib.catalog, scale)


def _levels(scale: str) -> dict[int, str]:
    return A.scale_named(scale)


def _choice_label(lib, item) -> str:
    if item.kind == "indicator":
        practice = lib.catalog.get(item.parent)
        return f"{item.number} — {' '.join(practice.title.split()[:12])} …"
    return item.label


def _panel(lib, item_id: str, level_name: str | None) -> str:
    """The selected item's current descriptor and next moves."""
    if not item_id:
        return ""
    level = {v: k for k, v in A.scale_of(item_id).items()}.get(level_name)
    return moves_html(lib.name(item_id), A.descriptor(lib, item_id, level), level_name or "not rated yet",
                      A.next_moves(lib, item_id, level))


def build_tab(services, ctx) -> None:
    lib = services.library
    ui = _layout(lib)
    tab = _AssessTab(lib, services.sessions, ctx, ui.first)
    private = dict(api_visibility="private")
    ctx.on_load.append((tab.first_panel, [ui.moves]))
    ui.scale.change(tab.switch, inputs=[ui.scale, ui.state], outputs=[ui.item, ui.current, ui.goal, ui.evidence,
                                                                      ui.moves], **private)
    ui.item.change(tab.show, inputs=[ui.item, ui.state], outputs=[ui.current, ui.goal, ui.evidence, ui.moves],
                   **private)
    ui.current.change(tab.panel, inputs=[ui.item, ui.current], outputs=[ui.moves], **private)
    common = [ui.state, ui.district, ui.when, ui.focus, ui.sid, ui.item, ui.current, ui.goal, ui.evidence]
    ui.save.click(tab.store, inputs=common, outputs=[ui.state, ui.table, ui.download, ui.status], **private)
    ui.save_next.click(tab.store_next, inputs=common + [ui.scale], **private,
                       outputs=[ui.state, ui.table, ui.download, ui.status, ui.item, ui.current, ui.goal, ui.evidence,
                                ui.moves])
    ui.chart_btn.click(tab.charts, inputs=[ui.state, ui.focus, ui.sid, ui.scale],
                       outputs=[ui.chart, ui.heat, ui.prios, ui.state], **private)
    ui.upload.upload(tab.opened, inputs=[ui.upload, ui.sid],
                     outputs=[ui.state, ui.table, ui.district, ui.when, ui.focus, ui.download, ui.status], **private)
    ui.earlier.upload(tab.compare, inputs=[ui.earlier, ui.state, ui.sid, ui.scale], outputs=[ui.growth, ui.changes],
                      **private)
    ui.send.click(tab.share, inputs=[ui.state, ui.focus], outputs=[ui.sent], **private)


def _layout(lib) -> SimpleNamespace:
    """The tab's components: who and what is rated, the rating form beside the next moves, charts and priorities,
    saving, opening and comparing."""
    ui = SimpleNamespace(sid=gr.State(lambda: uuid.uuid4().hex), state=gr.State(lambda: A.Assessment().to_dict()))
    gr.Markdown("### Where is your district on the Leadership System rubric?\nFor each indicator, choose where you "
                "are now and where you want to be, and note your evidence. You'll see what the next level asks for, "
                "a chart of your areas of focus, and where the gaps are largest.")
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
            with gr.Row():
                ui.save = gr.Button("Save rating", variant="primary", elem_id="assess-save-rating")
                ui.save_next = gr.Button("Save and next", elem_id="assess-next")
        with gr.Column(scale=3):
            ui.moves = gr.HTML("", elem_id="assess-moves", css_template=CSS, js_on_load=None)
    ui.table = gr.Dataframe(headers=HEADERS, value=[], interactive=False, wrap=True, elem_id="assess-table",
                            label="Your ratings")
    with gr.Row():
        areas = [(g.label, g.id) for g in lib.catalog.of_kind("area")]
        ui.focus = gr.CheckboxGroup(areas, label="Areas of focus you care about most", elem_id="assess-focus",
                                    scale=3)
        ui.chart_btn = gr.Button("Update charts and priorities", elem_id="assess-chart-btn", scale=1)
    with gr.Row():
        ui.chart = gr.Image(label="Level by area of focus", type="filepath", elem_id="assess-chart",
                            interactive=False)
        ui.heat = gr.Image(label="Each indicator", type="filepath", elem_id="assess-heatmap", interactive=False)
    ui.prios = gr.HTML(priorities_html([]), elem_id="assess-priorities", css_template=CSS, js_on_load=None)
    ui.send = gr.Button("Use these priorities as bet options in the Theory of action tab", elem_id="assess-send")
    ui.sent = gr.Markdown("", elem_id="assess-sent")
    with gr.Row():
        ui.download = gr.DownloadButton("Save assessment (.json)", value=None, elem_id="assess-download")
        ui.upload = gr.UploadButton("Open a saved assessment", file_types=[".json"], elem_id="assess-upload")
        ui.earlier = gr.File(label="Compare with an earlier assessment (.json)", file_types=[".json"],
                             elem_id="assess-compare-file")
    ui.status = gr.Markdown("", elem_id="assess-status")
    ui.growth = gr.Image(label="Growth by area", type="filepath", elem_id="assess-growth", interactive=False)
    ui.changes = gr.Markdown("", elem_id="assess-changes")
    return ui


def _kind(lib, label: str) -> str:
    """The scale a "What to rate" choice names (the first scale for anything else)."""
    scales = A.scale_choices(lib.catalog)
    return scales.get(label) or next(iter(scales.values()))


class _AssessTab:
    """The tab's event handlers; the assessment itself travels in the page's state as `Assessment.to_dict()`."""

    def __init__(self, lib, sessions, ctx, first: list):
        self.lib, self.ctx, self.first = lib, ctx, first
        self.sessions = sessions  # the Theory of action tab offers the priorities sent from here

    def panel(self, item_id: str, level_name: str | None):
        self.ctx.ready()  # descriptors are quoted from the indexed document texts
        return _panel(self.lib, item_id, level_name)

    def first_panel(self) -> str:
        return _panel(self.lib, self.first[0].id, None) if self.ctx.wait() else ""

    def rows(self, d: dict) -> list[list]:
        lib = self.lib
        out = []
        for r in A.Assessment.from_dict(d).ratings.values():
            g = A.group_of(lib.catalog, r.item_id)
            out.append([lib.name(r.item_id), g.label if g else "", A.level_name(r.item_id, r.current),
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

    def store(self, d: dict, dist: str, date: str, areas_chosen: list, folder: str, item_id: str, cur, tgt, ev):
        from assistant.facilitation.forms import session_dir, write

        a = A.Assessment.from_dict(d)
        a.district, a.date, a.focus_areas = (dist or "").strip(), (date or "").strip(), list(areas_chosen or [])
        if item_id:
            m = {v: k for k, v in A.scale_of(item_id).items()}
            a.rate(item_id, m.get(cur), m.get(tgt), ev or "")
        data = a.to_dict()
        path = write(session_dir(folder), "self-assessment.json", a.to_json().encode("utf-8"))
        return data, self.rows(data), gr.update(value=path), f"Saved {self.lib.name(item_id)}." if item_id else ""

    def store_next(self, d, dist, date, areas_chosen, folder, item_id, cur, tgt, ev, label):
        data, table_rows, dl, msg = self.store(d, dist, date, areas_chosen, folder, item_id, cur, tgt, ev)
        ids = [i.id for i in _items(self.lib, _kind(self.lib, label))]
        nxt = ids[(ids.index(item_id) + 1) % len(ids)] if item_id in ids else ids[0]
        c, t, e, html = self.show(nxt, data)
        return data, table_rows, dl, msg, nxt, c, t, e, html

    def charts(self, d: dict, areas_chosen: list, folder: str, label: str):
        from assistant.facilitation import charts as C
        from assistant.facilitation.forms import session_dir, write

        lib = self.lib
        a = A.Assessment.from_dict(d)
        a.focus_areas = list(areas_chosen or [])
        s = _kind(self.lib, label)
        folder_path = session_dir(folder)
        bars = write(folder_path, f"areas-{s}.png", C.area_chart(a, lib, s))
        grid = write(folder_path, f"heatmap-{s}.png", C.heatmap(a, lib, s))
        return bars, grid, priorities_html(A.priorities(a, lib, n=5)), a.to_dict()

    def opened(self, file, folder: str):
        from assistant.facilitation.forms import session_dir, write

        if file is None:
            return gr.update(), gr.update(), gr.update(), gr.update(), gr.update(), gr.update(), "No file chosen."
        try:
            a = A.Assessment.load(file if isinstance(file, str) else file.name)
        except (ValueError, KeyError, OSError) as exc:
            return (gr.update(), gr.update(), gr.update(), gr.update(), gr.update(), gr.update(),
                    f"Could not open that file: {exc}")
        d = a.to_dict()
        path = write(session_dir(folder), "self-assessment.json", a.to_json().encode("utf-8"))
        return (d, self.rows(d), a.district, a.date, gr.update(value=a.focus_areas), gr.update(value=path),
                f"Opened the assessment of {a.district or 'your district'} ({a.date}), {len(a.ratings)} ratings.")

    def compare(self, file, d: dict, folder: str, label: str):
        from assistant.facilitation import charts as C
        from assistant.facilitation.forms import session_dir, write

        if file is None:
            return None, ""
        try:
            before = A.Assessment.load(file if isinstance(file, str) else file.name)
        except (ValueError, KeyError, OSError) as exc:
            return None, f"Could not open that file: {exc}"
        after = A.Assessment.from_dict(d)
        s = _kind(self.lib, label)
        cmp = A.compare(before, after, self.lib, s)
        img = write(session_dir(folder), "growth.png",
                    C.growth_chart(cmp, before.date or "Before", after.date or "Now", s))

        def moved(c) -> str:
            return f"{c.label} ({A.level_name(c.item_id, c.before)} → {A.level_name(c.item_id, c.after)})"

        up, down = [moved(c) for c in cmp.improved()], [moved(c) for c in cmp.declined()]
        text = (f"**Moved up ({len(up)}):** " + ("; ".join(up) or "none") + f"\n\n**Moved down ({len(down)}):** "
                + ("; ".join(down) or "none"))
        return img, text

    def share(self, d: dict, areas_chosen: list, request: gr.Request):
        a = A.Assessment.from_dict(d)
        a.focus_areas = list(areas_chosen or [])
        ps = A.priorities(a, self.lib, n=5)
        self.sessions.save_priorities(getattr(request, "session_hash", None),
                                      [{"item_id": p.item_id, "label": p.label} for p in ps])
        if not ps:
            return "Set goal levels first: priorities are the indicators with the largest gap."
        return f"Sent {len(ps)} priorities. In the **Theory of action** tab, choose *Add my self-assessment priorities*."
