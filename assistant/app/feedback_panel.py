"""Feedback on each answer: "Helpful", "Not helpful" and "Wrong citation" buttons under every answer (chat_view)
reach the server through a hidden bus (the page script sets its value); the rating is saved at once with the
question and what the answer cited, and a panel below the question box offers to add a note."""

from __future__ import annotations

import json
import uuid

import gradio as gr

from assistant.app.chat_view import RATINGS, history_for
from assistant.feedback.entry import note_entry, rating_entry
from assistant.feedback.log import ANONYMOUS

# The page script for the bus: a click on a feedback button marks it chosen and sends {turn, rating}.
BUS_JS = """
(function () {
  window.__fbSend = function (turn, rating) {
    props.value = JSON.stringify({turn: turn, rating: rating, at: Date.now()});
  };
  if (window.__fbBound) return;
  window.__fbBound = true;
  document.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('button.fb-btn');
    var m = b && /^fb-(\\d+)-([a-z_]+)$/.exec(b.id || '');
    if (!m) return;
    e.preventDefault();
    var bar = b.closest('.fb-bar');
    bar.querySelectorAll('.fb-btn').forEach(function (x) {
      x.classList.remove('chosen'); x.textContent = x.textContent.replace(/^\\u2713 /, '');
    });
    b.classList.add('chosen'); b.textContent = '\\u2713 ' + b.textContent;
    var q = bar.querySelector('.fb-q'); if (q) q.textContent = 'Thanks \\u2014 saved. You can change it:';
    window.__fbSend(parseInt(m[1], 10), m[2]);
    var tries = 0;
    (function focusNote() {  // once the note panel shows, put the cursor in it
      var t = document.querySelector('#feedback-note textarea');
      if (t && t.offsetParent) { t.focus({preventScroll: false}); return; }
      if (++tries < 40) setTimeout(focusNote, 100);
    })();
  }, true);
})();
"""


def user_of(request: gr.Request | None) -> str:
    return getattr(request, "username", None) or ANONYMOUS


def hide():
    """Updates that close the note panel."""
    return gr.update(visible=False), "", gr.update(value="")


def build(services, session: gr.State) -> list:
    """The note panel and the bus, wired to `services.feedback`; returns the panel's parts (box, title, text)."""
    from assistant import __version__

    with gr.Column(visible=False, elem_id="feedback-note") as box:
        title = gr.Markdown("", elem_id="feedback-note-title")
        text = gr.Textbox(label="Add a note (optional)", lines=2, max_lines=6, elem_id="feedback-text",
                          placeholder="What was missing or wrong? Which source did not fit?")
        with gr.Row():
            save = gr.Button("Save note", elem_id="feedback-save", size="sm", variant="primary", min_width=110)
            close = gr.Button("Close", elem_id="feedback-close", size="sm", min_width=90)
    bus = gr.HTML("", elem_id="feedback-bus", html_template="", js_on_load=BUS_JS, container=False)
    parts = [box, title, text]

    def rate(payload: str, state: dict, request: gr.Request):
        """Save a rating of one answer of this conversation and offer to add a note."""
        try:
            data = json.loads(payload or "{}")
            turn, rating = int(data["turn"]), str(data["rating"])
        except (ValueError, KeyError, TypeError):
            return gr.update(), gr.update(), gr.update(), state
        turns = (state or {}).get("turns") or []
        if rating not in RATINGS or not 1 <= turn <= len(turns):
            return gr.update(), gr.update(), gr.update(), state
        t = turns[turn - 1]
        fb = t.setdefault("feedback", {})
        fb.setdefault("id", uuid.uuid4().hex)
        fb["rating"] = rating
        services.feedback.record(user_of(request), rating_entry(fb["id"], rating, t["question"], t["answer"],
                                                                history_for(turns[:turn - 1]), __version__))
        state["feedback_open"] = turn
        ask = ("Which source was wrong, and what should it have been?" if rating == "wrong_citation" else
               "Anything to add? For example, what was missing or what you expected.")
        head = f"**Thanks — your rating “{RATINGS[rating]}” for answer {turn} is saved.** {ask}"
        return gr.update(visible=True), head, gr.update(value=""), state

    def add_note(note: str, state: dict, request: gr.Request):
        """Add the note to the rating just given."""
        turns = (state or {}).get("turns") or []
        turn = (state or {}).get("feedback_open")
        if note and note.strip() and turn and 1 <= turn <= len(turns):
            fid = (turns[turn - 1].get("feedback") or {}).get("id")
            if fid:
                services.feedback.record(user_of(request), note_entry(fid, note))
                gr.Info("Thanks — your note is saved.")
        state.pop("feedback_open", None)
        return (*hide(), state)

    bus.change(rate, inputs=[bus, session], outputs=[*parts, session], show_progress="hidden",
               api_visibility="private")
    save.click(add_note, inputs=[text, session], outputs=[*parts, session], show_progress="hidden",
               api_visibility="private")
    close.click(hide, outputs=parts, queue=False, show_progress="hidden", api_visibility="private")
    return parts
