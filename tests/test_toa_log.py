"""The Theory of action tab's log (assistant.app.toa_log): one line per save and per opening of the form, saying
what became of it (applied, skipped as superseded, merged as behind, not shown) with the form's fields by name and
length — and never a word of what was typed, nor the browser's key."""

from __future__ import annotations

import logging
import re

import pytest

from assistant.app import toa_log
from assistant.facilitation import forms as F

KEY = "b7e1c0d2a9f84e6b8c3d5f7a9e1b2c4d"  # a browser's id opens its saved work: it must not be logged
GOAL = "By 2031 every Marblewood ninth grader passes algebra"
PROBLEM = "Teachers in Quillhaven re-teach the same unit because nobody looks at the exit tickets"
LEAD = "Share of Fernbrook exit tickets reviewed weekly"
TITLE = "Coaching cycles for Ashcombe principals"
PRIVATE = (GOAL, PROBLEM, LEAD, TITLE, KEY)
MARKERS = ("Marblewood", "Quillhaven", "Fernbrook", "Ashcombe")


def form(**fields) -> list:
    """The form's values with the named fields (toa_log.NAMES: goal, b1.lead …) filled in."""
    values = F.to_values(F.from_values([""] * F.N_VALUES))
    for name, text in fields.items():
        values[toa_log.NAMES.index(name.replace("__", "."))] = text
    return values


def applied(tab, monkeypatch):
    tab.refresh(*form(goal=GOAL, b1__title=TITLE, b1__lead=LEAD), KEY, -1, "page:1")


def skipped(tab, monkeypatch):
    tab.refresh(*form(goal=GOAL), KEY, -1, "page:2")
    tab.refresh(*form(goal=GOAL, problem=PROBLEM), KEY, -1, "page:1")  # made earlier, arrived later


def behind(tab, monkeypatch):
    tab.refresh(*form(goal=GOAL), KEY, -1, "page:1")
    state = tab.sessions.draft(KEY)
    state.toa.problem = PROBLEM  # saved elsewhere (another tab) after this page's save
    tab.sessions.save_draft(KEY, state)
    tab.refresh(*form(b1__lead=LEAD), KEY, 1, "page:2")  # the form has not received it


def not_shown(tab, monkeypatch):
    later = tab._downloads

    def overtaken(draft, key):  # a later save of the page is applied while this one renders its files
        tab.order.admit(key, "page:9")
        return later(draft, key)

    monkeypatch.setattr(tab, "_downloads", overtaken)
    tab.refresh(*form(goal=GOAL), KEY, -1, "page:1")


def opened(tab, monkeypatch):
    tab.refresh(*form(goal=GOAL, problem=PROBLEM), KEY, -1, "page:1")
    tab.opened(KEY, -1, *form(problem=PROBLEM + " and more"), "other:1")


def opened_same(tab, monkeypatch):
    tab.refresh(*form(goal=GOAL), KEY, -1, "page:1")
    tab.opened(KEY, -1, *form(goal=GOAL), "page:2")


W = r"who=[0-9a-f]{8}"


@pytest.mark.parametrize("scenario, line", [
    (applied, rf"DEBUG save stamp=page:1 {W} shown=-1 saved=0 -> applied rev=1 \| "
              rf"title:16 goal:{len(GOAL)} b1\(title:{len(TITLE)} lead:{len(LEAD)}\)"),
    (skipped, rf"INFO save stamp=page:1 {W} shown=-1 saved=\? -> skipped \| title:16 goal:{len(GOAL)} "
              rf"problem:{len(PROBLEM)}"),
    (behind, rf"INFO save stamp=page:2 {W} shown=1 saved=2 -> behind rev=3 kept=goal,problem \| title:16 "
             rf"b1\(lead:{len(LEAD)}\)"),
    (not_shown, rf"INFO save stamp=page:1 {W} shown=-1 saved=0 -> applied, not shown rev=1 \| title:16 "
                rf"goal:{len(GOAL)}"),
    (opened, rf"DEBUG open stamp=other:1 {W} shown=-1 saved=1 \(newest written elsewhere\) -> offer "
             rf"goal:0>{len(GOAL)} problem:{len(PROBLEM) + 9}>{len(PROBLEM)}"),
    (opened_same, rf"DEBUG open stamp=page:2 {W} shown=-1 saved=1 \(newest written by this page\) -> revision only "
                  r"\(the form holds the saved values\)"),
])
def test_each_save_and_opening_logs_one_line_of_names_and_lengths_never_the_text(toa_tab, caplog, monkeypatch,
                                                                                  scenario, line):
    caplog.set_level(logging.DEBUG, logger="assistant.app.toa_log")
    scenario(toa_tab, monkeypatch)
    lines = [f"{r.levelname} {r.getMessage()}" for r in caplog.records if r.name == "assistant.app.toa_log"]
    assert re.fullmatch(line, lines[-1]), lines[-1]
    logged = "\n".join(lines)
    assert not [text for text in PRIVATE + MARKERS if text in logged]


def test_a_save_whose_draft_fails_to_render_is_logged_all_the_same(toa_tab, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG, logger="assistant.app.toa_log")

    def broken(toa):
        raise RuntimeError("drafting failed")

    monkeypatch.setattr(toa_tab, "_draft", broken)
    with pytest.raises(RuntimeError):
        toa_tab.refresh(*form(goal=GOAL), KEY, -1, "page:1")
    assert re.search(r"-> applied rev=1 \| title:16 goal:\d+$", caplog.records[-1].getMessage())


@pytest.mark.parametrize("values, shape", [
    (form(), "title:16"),
    (form(title="", b2__owners="Ann", b3__timeframe="2026"), "b2(owners:3) b3(timeframe:4)"),
    (form(title="  ", evidence="a\nb", systems=["x", "y"]), "evidence:3 systems:2"),
    ([None] * F.N_VALUES, "-"),
])
def test_shape_names_the_non_empty_fields_and_their_lengths(values, shape):
    assert toa_log.shape(values) == shape
