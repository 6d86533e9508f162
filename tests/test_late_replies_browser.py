"""Late replies in headless Debian Chromium: the browser-side merge and stamps of assistant.app.late_replies, and
the Theory of action tab keeping what a person types while the saved draft is still on its way (the request that
opens the tab is held back by the test until the typing is done, so the reply is late every time)."""

from __future__ import annotations

import os
import re

import pytest

from app_fixtures import chromium_path, launched_chromium, running_app
from assistant.app.late_replies import MERGE_JS, STAMP_JS

pytestmark = [pytest.mark.browser]

if chromium_path() is None and not os.environ.get("CI"):
    pytest.skip("needs Debian's chromium (`make test` installs it)", allow_module_level=True)
from playwright.sync_api import expect  # noqa: E402


@pytest.fixture(scope="module")
def chromium():
    with launched_chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def blank_page(chromium):
    page = chromium.new_page()
    page.set_content("<html><body></body></html>")
    yield page
    page.close()


@pytest.mark.parametrize("offered, current, shown", [
    ({"sent": ["", ""], "values": ["goal", "bet"]}, ["", ""], ["goal", "bet"]),  # nothing typed: all taken
    ({"sent": ["", ""], "values": ["goal", "bet"]}, ["typed", ""], ["typed", "bet"]),  # typed meanwhile: kept
    ({"sent": [None, None], "values": ["goal", "bet"]}, ["", "x"], ["goal", "x"]),  # null and "" alike
    ({"sent": ["old", ["A"]], "values": ["new", ["A", "B"]]}, ["old", ["A"]], ["new", ["A", "B"]]),  # lists
    ({"sent": ["old", ["A"]], "values": ["new", ["A", "B"]]}, ["old", ["C"]], ["new", ["C"]]),  # ticked meanwhile
    ({"sent": ["", ""], "values": ["goal"]}, ["", ""], ["goal", ""]),  # a shorter offer leaves the rest
    (None, ["a", "b"], ["a", "b"]),  # no offer: the form as it is
    ({"values": ["x", "y"]}, ["a", "b"], ["a", "b"]),  # malformed: nothing taken
])
def test_merge_takes_offered_values_only_into_fields_not_typed_in(blank_page, offered, current, shown):
    assert blank_page.evaluate(f"([o, cur]) => ({MERGE_JS})(o, ...cur)", [offered, current]) == shown


def test_stamps_number_a_pages_saves_in_order_and_keep_the_other_inputs(blank_page):
    stamps = [blank_page.evaluate(f"(args) => ({STAMP_JS})(...args)", ["a", ["b"], "browser", ""]) for _ in range(3)]
    assert all(s[:3] == ["a", ["b"], "browser"] for s in stamps)
    pages = {s[3].rsplit(":", 1)[0] for s in stamps}
    assert len(pages) == 1 and [int(s[3].rsplit(":", 1)[1]) for s in stamps] == [1, 2, 3]


def box(page, elem_id: str):
    return page.locator(f"#{elem_id} textarea, #{elem_id} input").first


@pytest.fixture
def app(real_index_dir, tmp_path_factory):
    yield from running_app(tmp_path_factory, "late-replies", real_index_dir)


@pytest.mark.integration
def test_typing_while_the_saved_draft_is_on_its_way_is_kept(app, chromium):
    """The Practice finder's picks are saved as bets; the Theory of action tab is opened and, before its reply
    arrives, the person types the goal and bet 1's principal change: the reply fills the bets and keeps both."""
    goal = "By June 2030 every eighth grader reads two novels a term and writes about them"
    principals = "principals walk classrooms with teacher leaders every Tuesday"
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    held, hold = [], [False]

    def route(r):
        if hold[0]:
            held.append(r)
        else:
            r.continue_()

    page.goto(app.url)
    page.get_by_role("tab", name="Practice finder").click()
    box(page, "finder-challenge").fill("New teachers leave after a year because nobody mentors them")
    page.locator("#finder-search").click()
    choose = page.locator("#finder-choose label")
    expect(choose.first).to_be_visible(timeout=90000)
    first = choose.nth(0).inner_text()
    choose.nth(0).click()
    page.locator("#finder-use").click()
    expect(page.locator("#finder-used")).to_contain_text("Your bets", timeout=30000)

    page.route(re.compile(r".*/queue/join.*"), route)
    hold[0] = True
    page.get_by_role("tab", name="Theory of action").click()
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the tab's request was not sent"
    box(page, "toa-goal").fill(goal)
    box(page, "toa-bet1-principals").fill(principals)
    hold[0] = False
    for r in held:
        r.continue_()

    title = box(page, "toa-bet1-title")
    expect(title).not_to_have_value("", timeout=60000)  # the saved bet arrived...
    assert title.input_value() in first
    assert box(page, "toa-goal").input_value() == goal  # ...and what was typed meanwhile is still there
    assert box(page, "toa-bet1-principals").input_value() == principals
    context.close()
