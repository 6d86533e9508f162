"""Browser checks of the practice finder and the self-assessment on their own in headless Chromium (Playwright
driving Debian's chromium); the whole flow from finder to printed theory of action is test_facilitation_flow.py.
Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import os

import pytest

from app_fixtures import SCREENSHOTS, chromium_path, launched_chromium, running_app

pytestmark = [pytest.mark.browser, pytest.mark.integration]

if chromium_path() is None and not os.environ.get("CI"):
    pytest.skip("Debian chromium is not installed (apt-get install chromium; `make browser`)", allow_module_level=True)
try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - the test extra installs it
    if os.environ.get("CI"):
        raise
    pytest.skip("playwright is not installed (pip install -e '.[test]')", allow_module_level=True)



@pytest.fixture(scope="module")
def app(real_index_dir, tmp_path_factory):
    yield from running_app(tmp_path_factory, "fac-app", real_index_dir)


@pytest.fixture(scope="module")
def browser():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with launched_chromium() as b:
        yield b


@pytest.fixture
def page(app, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.goto(app.url)
    yield pg
    context.close()


def text_of(page, elem_id: str):
    return page.locator(f"#{elem_id} textarea, #{elem_id} input").first


def test_practice_finder_and_crosswalk(page):
    page.get_by_role("tab", name="Practice finder").click()
    text_of(page, "finder-challenge").fill("new teachers leave our high-poverty schools after a year")
    page.locator("#finder-search").click()
    cards = page.locator("#finder-results .fac-card")
    expect(cards.first).to_be_visible(timeout=60000)
    assert cards.count() == 5
    expect(cards.first).to_contain_text("Condition 8")
    expect(page.locator("#crosswalk")).to_contain_text("LEAD CT", timeout=30000)
    page.screenshot(path=str(SCREENSHOTS / "fac-practice-finder.png"), full_page=True)


def test_self_assessment_rate_chart_and_save(page, tmp_path):
    import json

    page.get_by_role("tab", name="Self-assessment").click()
    text_of(page, "assess-district").fill("Riverside Unified")
    page.locator("#assess-current label").filter(has_text="Getting Started").first.click()
    page.locator("#assess-goal label").filter(has_text="Keep Improving").first.click()
    expect(page.locator("#assess-moves")).to_contain_text("Next moves — what Getting Better looks like", timeout=30000)
    text_of(page, "assess-evidence").fill("Vision posters, no community input")
    page.locator("#assess-next").click()
    expect(page.locator("#assess-table")).to_contain_text("Indicator 1", timeout=30000)
    page.locator("#assess-focus label").filter(has_text="Area 1").first.click()
    page.locator("#assess-chart-btn").click()
    expect(page.locator("#assess-chart img")).to_be_visible(timeout=60000)
    expect(page.locator("#assess-priorities")).to_contain_text("gap 2")
    page.screenshot(path=str(SCREENSHOTS / "fac-self-assessment.png"), full_page=True)
    with page.expect_download(timeout=30000) as download:
        page.locator("#assess-download").click()
    path = tmp_path / "assessment.json"
    download.value.save_as(path)
    data = json.loads(path.read_text())
    assert data["district"] == "Riverside Unified"
    assert data["ratings"][0] == {"item_id": "rubric:1", "current": 1, "goal": 3,
                                  "evidence": "Vision posters, no community input"}
