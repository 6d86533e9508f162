"""The Practice finder tab: a challenge in the leader's own words -> the framework practices that address it (each
with the sentence that matched and where it comes from), a crosswalk of any result across the frameworks, and "use
as bets": the chosen results become bets in the theory of action this browser shares with the chat and the other
tabs (the same list, not a new search). Display only: the logic is assistant.facilitation."""

from __future__ import annotations

import gradio as gr

from assistant.facilitation.views import CSS, crosswalk_html, findings_html

ALL = "All frameworks"
EXAMPLES = ["Our principals get no real coaching from central office",
            "New teachers leave our high-poverty schools after a year",
            "Every school is doing its own thing; there is no common direction",
            "We give interim tests but no one knows what to do with the results"]


def _frameworks(services) -> list[str]:
    from assistant.ingest.loaders import read_manifest

    try:
        return [ALL] + sorted(e.short for e in read_manifest(services.settings.corpus.dir).values())
    except Exception:
        return [ALL]


def build_tab(services, ctx) -> None:
    gr.Markdown("### Find the practices that fit your challenge\nDescribe a problem of practice or a goal the way "
                "your team would say it. The finder searches all five frameworks and shows the practices, conditions "
                "and systems that speak to it — each with the exact passage it comes from.")
    with gr.Row(equal_height=True):
        challenge = gr.Textbox(label="Your challenge or goal", lines=2, scale=5, elem_id="finder-challenge",
                               placeholder="e.g. “our principals get no real coaching”")
        with gr.Column(scale=2, min_width=220):
            framework = gr.Dropdown(_frameworks(services), value=ALL, label="Search in", elem_id="finder-framework")
            k = gr.Slider(3, 10, value=5, step=1, label="How many results", elem_id="finder-k")
    with gr.Row():
        search = gr.Button("Find practices", variant="primary", elem_id="finder-search", scale=1)
        examples = gr.Dropdown(EXAMPLES, value=None, label="Or try an example", elem_id="finder-example", scale=3)
    notice = gr.Markdown("", elem_id="finder-notice")
    found_state = gr.State([])  # the results as suggestions, in their order
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            with gr.Group(elem_id="finder-bets"):
                chosen = gr.CheckboxGroup([], label="Choose the practices to bet on (at most three)",
                                          elem_id="finder-choose")
                with gr.Row(equal_height=False, elem_classes=["use-bets"]):
                    use = gr.Button("Use as bets in our theory of action", variant="primary", elem_id="finder-use",
                                    scale=0, min_width=300)
                    used = gr.Markdown("", elem_id="finder-used")
            results = gr.HTML(findings_html([]), elem_id="finder-results", css_template=CSS, js_on_load=None)
        with gr.Column(scale=2):
            pick = gr.Radio([], label="Compare a result across the frameworks", elem_id="finder-pick")
            cross = gr.HTML(crosswalk_html(None), elem_id="crosswalk", css_template=CSS, js_on_load=None)

    def run(text: str, fw: str, n: float):
        from assistant.facilitation.placing import candidate

        text = (text or "").strip()
        none = gr.update(choices=[], value=[])
        if not text:
            return (findings_html([]), gr.update(choices=[], value=None), crosswalk_html(None),
                    "Type a challenge first — one sentence is enough.", none, [], "")
        ctx.ready()
        try:
            found = services.finder.find(text, k=int(n), framework=None if fw == ALL else fw)
        except ValueError as exc:
            return findings_html([]), gr.update(choices=[], value=None), crosswalk_html(None), str(exc), none, [], ""
        choices = [(f"{f.rank}. {f.label}", f.item_id) for f in found]
        first = found[0].item_id if found else None
        cw = services.crosswalker.crosswalk(first) if first else None
        return (findings_html(found), gr.update(choices=choices, value=first), crosswalk_html(cw),
                f"{len(found)} practices found. Tick the ones to bet on, or pick one on the right to compare it "
                "across the frameworks.", gr.update(choices=choices, value=[]), [candidate(f) for f in found], "")

    def use_as_bets(picked: list, found: list, browser: str | None, request: gr.Request = None):
        """The ticked results become bets in this browser's theory of action (and its list of options)."""
        from assistant.facilitation.placing import place
        from assistant.facilitation.session import FacilitationState

        if not picked:
            return "Tick at least one practice above first."
        key = ctx.key(browser, request)
        state = services.sessions.draft(key) or FacilitationState()
        message = place(state, found, list(picked))
        when = services.sessions.save_draft(key, state)
        return f"{message} *(saved {when})*" if not message.startswith("⚠") else message

    def compare(item_id: str | None):
        if not item_id:
            return crosswalk_html(None)
        ctx.ready()
        return crosswalk_html(services.crosswalker.crosswalk(item_id))

    outputs = [results, pick, cross, notice, chosen, found_state, used]
    search.click(run, inputs=[challenge, framework, k], outputs=outputs, api_name="practices")
    challenge.submit(run, inputs=[challenge, framework, k], outputs=outputs, api_visibility="private")
    examples.change(lambda e: e or gr.update(), inputs=[examples], outputs=[challenge], queue=False,
                    api_visibility="private").then(run, inputs=[challenge, framework, k], outputs=outputs,
                                                   api_visibility="private")
    pick.change(compare, inputs=[pick], outputs=[cross], api_visibility="private")
    use.click(use_as_bets, inputs=[chosen, found_state, ctx.browser], outputs=[used], api_visibility="private",
              concurrency_id="toa-draft", concurrency_limit=1)
