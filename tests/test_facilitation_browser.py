"""Browser walk-through of the facilitation tabs in headless Chromium (Playwright driving Debian's chromium):
one complete theory of action from goal to DOCX download (the file is opened and checked), plus the practice
finder and the self-assessment. Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import os

import pytest

from app_fixtures import CHROMIUM_ARGS, SCREENSHOTS, chromium_path, running_app

pytestmark = [pytest.mark.browser, pytest.mark.integration]

if chromium_path() is None and not os.environ.get("CI"):
    pytest.skip("Debian chromium is not installed (apt-get install chromium; `make browser`)", allow_module_level=True)
try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    if os.environ.get("CI"):
        raise
    pytest.skip("playwright is not installed (pip install -e '.[test]')", allow_module_level=True)

GOAL = "Raise grade 3-8 reading proficiency from 41% to 60% by June 2028 in all 14 schools"
PROBLEM = "Our principals get no real coaching: supervisors visit only for compliance"


@pytest.fixture(scope="module")
def app(real_index_dir, tmp_path_factory):
    yield from running_app(tmp_path_factory, "fac-app", real_index_dir)


@pytest.fixture(scope="module")
def browser():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(app, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.goto(app.url)
    yield pg
    context.close()


def text_of(page, elem_id: str):
    return page.locator(f"#{elem_id} textarea, #{elem_id} input").first


def test_theory_of_action_from_goal_to_docx(page, tmp_path):
    from docx import Document

    page.get_by_role("tab", name="Theory of action").click()
    text_of(page, "toa-district").fill("Riverside Unified")
    text_of(page, "toa-goal").fill(GOAL)
    text_of(page, "toa-problem").fill(PROBLEM)
    page.locator("#toa-find").click()
    options = page.locator("#toa-options label")
    expect(options.first).to_be_visible(timeout=60000)
    assert options.count() == 6
    labels = [options.nth(i).inner_text() for i in range(options.count())]
    assert any("Condition 4" in x for x in labels), labels

    for i in range(4):  # four bets: the frameworks say place a few
        options.nth(i).click()
    expect(page.locator("#toa-bets-warning")).to_contain_text("Place your bets", timeout=15000)
    page.locator("#toa-bets-warning").screenshot(path=str(SCREENSHOTS / "fac-toa-place-your-bets.png"))
    options.nth(2).click()
    options.nth(3).click()
    expect(page.locator("#toa-bets-warning")).not_to_contain_text("Place your bets", timeout=15000)
    page.locator("#toa-make-bets").click()
    expect(text_of(page, "toa-bet1-title")).not_to_have_value("", timeout=30000)
    for k in (2, 3):  # closed accordions render their fields when opened
        page.locator(f"#toa-bet{k}").get_by_text(f"Bet {k}", exact=True).click()
    expect(text_of(page, "toa-bet2-title")).not_to_have_value("")
    expect(text_of(page, "toa-bet3-title")).to_have_value("")

    bet1 = {"actions": "Redesign the supervisor role so each supervisor coaches 8 principals\n"
                       "Train supervisors in observation and feedback cycles",
            "principals": "Principals spend two mornings a week in classrooms giving feedback",
            "core": "Teachers plan lessons around grade-level texts",
            "lead": "Coaching visits per principal per month", "lag": "Grade 3-8 reading proficiency",
            "owners": "Chief Academic Officer", "timeframe": "2025-26 to 2027-28"}
    for key, value in bet1.items():
        text_of(page, f"toa-bet1-{key}").fill(value)
    bet2 = {"actions": "Hold monthly principal cadre meetings on instruction",
            "principals": "lead cycles of inquiry with their leadership teams",
            "core": "Teachers adjust instruction using common formative assessments",
            "lead": "Cycles completed per quarter", "lag": "Interim reading growth"}
    for key, value in bet2.items():
        text_of(page, f"toa-bet2-{key}").fill(value)
    text_of(page, "toa-culture").fill("Collective responsibility: central office serves schools")
    text_of(page, "toa-board").fill("The board adopts the theory of action and reviews lead metrics quarterly in public")
    text_of(page, "toa-external").fill("State coaching funds end in 2027")
    text_of(page, "toa-comms").fill("Share with principals in August and with families at town halls")
    page.locator("#toa-update").click()
    expect(page.locator("#toa-export-docx")).to_be_enabled(timeout=60000)  # the full refresh has finished

    statement = page.locator("#toa-statement")
    expect(statement).to_contain_text("If we redesign the supervisor role", timeout=60000)
    expect(statement).to_contain_text("so that we raise grade 3-8 reading proficiency")
    expect(statement.locator("sup").first).to_be_visible()
    checks = page.locator("#toa-checks")
    expect(checks).to_contain_text("coherence checks met")
    expect(checks.locator("[data-check='governance'].met")).to_have_count(1)
    expect(checks.locator("[data-check='few_bets'].met")).to_have_count(1)
    page.locator("#toa-draft").screenshot(path=str(SCREENSHOTS / "fac-toa-draft.png"))
    checks.screenshot(path=str(SCREENSHOTS / "fac-toa-checks.png"))
    page.screenshot(path=str(SCREENSHOTS / "fac-toa-page.png"), full_page=True)

    with page.expect_download(timeout=60000) as download:
        page.locator("#toa-export-docx").click()
    assert download.value.suggested_filename == "riverside-unified-theory-of-action.docx"
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)

    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert "Our theory of action" in texts and "Coherence checks" in texts and "Sources" in texts
    stmt = next(p for p in doc.paragraphs if p.text.startswith("If we redesign the supervisor role"))
    assert "so that we raise grade 3-8 reading proficiency" in stmt.text
    assert any(r.font.superscript and r.text.startswith("[") for r in stmt.runs)
    table = doc.tables[0]
    assert table.rows[0].cells[0].text == "Bet" and len(table.rows) == 3
    assert "Chief Academic Officer" in table.rows[1].cells[2].text
    sources = texts[texts.index("Sources") + 2:]
    assert sources and all(s.startswith("[") and "“" in s and ".txt, characters" in s for s in sources)
    assert any("Supervision and Development" in s or "UVA-PLE" in s for s in sources)


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
