"""Replies and saves that arrive late or out of order (assistant.app.late_replies): a save older than one already
applied for the same page is skipped, and the Theory of action tab offers the saved draft to the form instead of
writing the fields, so the browser can keep what was typed meanwhile (the browser half is in
test_late_replies_browser.py)."""

from __future__ import annotations

import pytest

from assistant.app.late_replies import SaveOrder, fill_gaps, offer, parse_stamp
from assistant.facilitation import forms as F


@pytest.mark.parametrize("stamp, parsed", [
    ("k3j9x:1", ("k3j9x", 1)),
    ("a:b:12", ("a:b", 12)),  # the number is after the last colon
    ("", None), (None, None), (7, None),  # API calls carry no stamp
    ("page:", None), (":4", None), ("page:-1", None), ("page:x", None),
])
def test_parse_stamp(stamp, parsed):
    assert parse_stamp(stamp) == parsed


@pytest.mark.parametrize("saves, applied", [
    ([("k", "p:1"), ("k", "p:2"), ("k", "p:3")], [True, True, True]),  # in order
    ([("k", "p:2"), ("k", "p:1")], [True, False]),  # the older snapshot arrives last: skipped
    ([("k", "p:2"), ("k", "p:2")], [True, False]),  # the same save twice
    ([("k", "p:5"), ("k", "q:1")], [True, True]),  # a reload (a new page) starts its own numbering
    ([("k", "p:5"), ("j", "p:1")], [True, True]),  # another browser's work is ordered on its own
    ([("k", "p:5"), ("k", None), ("k", "p:4")], [True, True, False]),  # an unstamped API save changes no order
])
def test_save_order_applies_only_the_newest_save_of_a_page(saves, applied):
    order = SaveOrder()
    assert [order.admit(key, stamp) for key, stamp in saves] == applied


def test_a_save_overtaken_while_it_ran_is_not_shown():
    order = SaveOrder()
    assert order.admit("k", "p:1") and not order.superseded("k", "p:1")
    assert order.admit("k", "p:2")
    assert order.superseded("k", "p:1") and not order.superseded("k", "p:2")
    assert not order.superseded("k", None)


def test_save_order_forgets_the_oldest_browsers_beyond_its_bound():
    order = SaveOrder(keys=2)
    for key in ("a", "b", "c"):
        order.admit(key, "p:9")
    assert order.admit("a", "p:1")  # "a" was forgotten, so any save of it is taken
    assert not order.admit("c", "p:1")


def test_offer_carries_what_was_sent_and_what_is_proposed_as_plain_lists():
    assert offer(("", None, ("x",)), ["a", "b", ["x", "y"]]) == {"sent": ["", None, ["x"]],
                                                                  "values": ["a", "b", ["x", "y"]]}


def _form(goal: str = "", problem: str = "") -> list:
    values = F.to_values(F.from_values([""] * F.N_VALUES))
    values[F.TOP.index("goal")], values[F.TOP.index("problem")] = goal, problem
    return values


GOAL = "By 2031 every ninth grader passes algebra"
PROBLEM = "Teachers re-teach the same unit because nobody looks at the exit tickets"


def test_a_stale_snapshot_saved_after_a_newer_one_is_skipped(toa_tab):
    from assistant.app.tab_toa import _KEEP

    newer = toa_tab.refresh(*_form(GOAL, PROBLEM), "browser1", -1, "page:2")
    assert newer != _KEEP
    stale = toa_tab.refresh(*_form("", PROBLEM), "browser1", -1, "page:1")  # blurred earlier, arrived later
    assert stale == _KEEP
    assert toa_tab.sessions.draft("browser1").toa.goal == GOAL
    toa_tab.refresh(*_form("", PROBLEM), "browser1", -1, "")  # a call through the API has no stamp: applied
    assert toa_tab.sessions.draft("browser1").toa.goal == ""


def test_opening_offers_the_saved_draft_and_never_writes_the_fields(toa_tab):
    toa_tab.refresh(*_form(GOAL, PROBLEM), "browser2", -1, "page:1")
    rev = toa_tab.sessions.draft("browser2").rev
    sent = _form()  # what the form held when the tab was opened
    reply = toa_tab.opened("browser2", -1, *sent, "other:1")  # the form's values, then the page's stamp
    assert len(reply) == 10 and reply[-1] == rev
    assert reply[0] == offer(sent, _form(GOAL, PROBLEM))
    # The form shows this revision already, or holds the saved values: no offer, so nothing is merged again.
    assert toa_tab.opened("browser2", rev, *sent, "other:2")[0] is None
    same = toa_tab.opened("browser2", rev - 1, *_form(GOAL, PROBLEM), "other:3")
    assert same[0] is None and same[-1] == rev
    assert toa_tab.opened("nobody-yet", -1, *sent, "other:4")[0] is None


@pytest.mark.parametrize("form, saved, kept", [
    (["typed", "", None, [], "  "], ["a", "b", "c", ["X"], "d"], ["typed", "b", "c", ["X"], "d"]),
    (["x", ["Y"]], ["", []], ["x", ["Y"]]),
])
def test_fill_gaps_keeps_saved_values_where_the_form_is_empty(form, saved, kept):
    assert fill_gaps(form, saved) == kept


@pytest.mark.parametrize("wrote, stamp, shown_rev, saved_rev, behind", [
    (None, "p:3", 4, 4, False),  # the form shows the newest revision
    (("p", 5), "p:4", 4, 5, False),  # the page wrote 5 itself; the reply is on its way
    (("p", 5), "p:4", 5, 6, True),  # 6 was saved elsewhere (the finder, the chat, another tab)
    (("old", 5), "new:1", -1, 5, True),  # reloaded: the new page has not received what the old one wrote
    (None, "p:1", -1, 0, False),  # nothing saved yet
    (None, "", -1, 5, False),  # the API sends the whole form on purpose
])
def test_a_form_is_behind_when_it_has_not_received_work_saved_elsewhere(wrote, stamp, shown_rev, saved_rev, behind):
    order = SaveOrder()
    if wrote:
        order.wrote("k", f"{wrote[0]}:9", wrote[1])
    assert order.behind("k", stamp, shown_rev, saved_rev) is behind


def test_a_form_behind_the_shared_draft_adds_to_it_and_erases_nothing(toa_tab):
    toa_tab.refresh(*_form(GOAL, ""), "browser3", -1, "page:1")
    state = toa_tab.sessions.draft("browser3")
    state.toa.problem = PROBLEM  # saved elsewhere (another tab) after this page's save
    toa_tab.sessions.save_draft("browser3", state)
    behind = toa_tab.sessions.draft("browser3").rev
    toa_tab.refresh(*_form("", ""), "browser3", behind - 1, "page:2")  # this page typed nothing new yet
    saved = toa_tab.sessions.draft("browser3").toa
    assert (saved.goal, saved.problem) == (GOAL, PROBLEM)
    toa_tab.refresh(*_form("", PROBLEM), "browser3", toa_tab.sessions.draft("browser3").rev, "page:3")
    assert toa_tab.sessions.draft("browser3").toa.goal == ""  # a form that is up to date clears what it clears


def test_a_form_stays_behind_until_it_is_offered_the_work_it_was_merged_with(toa_tab):
    """After a save merged into work saved elsewhere, the form still does not show that work: the reply keeps its
    old revision, and its next save adds again instead of erasing what it never received."""
    toa_tab.refresh(*_form(GOAL, ""), "browser4", -1, "page:1")
    state = toa_tab.sessions.draft("browser4")
    state.toa.problem = PROBLEM  # saved elsewhere
    toa_tab.sessions.save_draft("browser4", state)
    shown = toa_tab.sessions.draft("browser4").rev - 1
    reply = toa_tab.refresh(*_form(GOAL, ""), "browser4", shown, "page:2")
    assert reply[-1] == shown  # the form is still behind
    toa_tab.refresh(*_form(GOAL + " and geometry", ""), "browser4", reply[-1], "page:3")
    saved = toa_tab.sessions.draft("browser4").toa
    assert (saved.goal, saved.problem) == (GOAL + " and geometry", PROBLEM)
    # once offered the draft, the form is up to date and clears what it clears
    rev = toa_tab.opened("browser4", reply[-1], *_form(GOAL + " and geometry", ""), "page:4")[-1]
    toa_tab.refresh(*_form(GOAL + " and geometry", ""), "browser4", rev, "page:5")
    assert toa_tab.sessions.draft("browser4").toa.problem == ""


def test_an_offer_never_empties_a_field_the_form_holds(toa_tab):
    """Typing whose save is still queued when the form is offered the draft is not erased by the offer."""
    toa_tab.refresh(*_form("", PROBLEM), "browser5", -1, "old:1")
    typed = _form(GOAL, PROBLEM)  # the goal was typed on the new page; its save has not been applied yet
    reply = toa_tab.opened("browser5", -1, *typed, "new:1")
    assert reply[0] is None or reply[0]["values"][F.TOP.index("goal")] == GOAL
