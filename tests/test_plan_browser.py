"""The improvement plan and team consensus as a team meets them, in headless Debian Chromium: a saved theory of
action opened, its driver diagram built (secondary drivers suggested from the frameworks, cited, added) and drawn
readably at laptop width, one 90-day cycle planned and logged, readiness scored with a low score flagged, three
people's self-assessments merged and a rating agreed with the dissent recorded, and the one-page plan downloaded
(one printed page). The Plan tab is checked at 1440 and 390 px wide. Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from app_fixtures import SCREENSHOTS, chromium_path, launched_chromium, running_app
from assistant.facilitation.assessment import Assessment
from assistant.facilitation.readiness import SCALE
from plan_data import CYCLE, DATA, LOG

pytestmark = [pytest.mark.browser, pytest.mark.integration]

if chromium_path() is None:
    pytest.skip("needs Debian's chromium (apt-get install chromium)", allow_module_level=True)
from playwright.sync_api import expect  # noqa: E402

SCORES = {"need": 5, "fit": 4, "resources": 3, "evidence": 4, "readiness": 3, "capacity": 2}


@pytest.fixture(scope="module")
def app(real_index_dir, tmp_path_factory):
    yield from running_app(tmp_path_factory, "plan-browser", real_index_dir)


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as b:
        yield b


def box(page, elem_id: str):
    return page.locator(f"#{elem_id} textarea, #{elem_id} input").first


def shot(page, name: str, locator=None):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (locator or page).screenshot(path=str(SCREENSHOTS / f"plan-{name}.png"), **({} if locator else {"full_page": True}))


def _open_draft(page):
    page.get_by_role("tab", name="Theory of action").click()
    with page.expect_file_chooser() as chooser:
        page.locator("#toa-load-json").click()
    chooser.value.set_files(str(DATA / "toa_principal_coaching.json"))
    expect(page.locator("#toa-notice")).to_contain_text("Opened", timeout=60_000)
    page.get_by_role("tab", name="Improvement plan").click()
    expect(page.locator("#plan-bet label").first).to_contain_text("1. Principal supervisors as coaches",
                                                                  timeout=90_000)


def _diagram(page):
    page.locator("#plan-suggest").click()
    ticks = page.locator("#plan-suggestions label")
    expect(ticks.first).to_be_visible(timeout=60_000)
    expect(page.locator("#plan-sugg-view .fac-card").first).to_contain_text("“")  # each with its passage
    picked = [ticks.nth(k).inner_text().split(" — ")[0] for k in (0, 1)]
    ticks.nth(0).click()
    ticks.nth(1).click()
    page.locator("#plan-add-drivers").click()
    expect(page.locator("#plan-sugg-note")).to_contain_text("Added 2 secondary drivers", timeout=60_000)
    expect(box(page, "plan-secondary")).to_have_value(re.compile(re.escape(picked[0])))
    svg = page.locator("#plan-dd svg")
    expect(svg.locator("g.dd-secondary")).to_have_count(3)  # two here, the other bet's empty box
    text = " ".join(svg.locator("text").all_text_contents())
    assert all(p.split()[0] in text for p in picked) and re.search(r"\[\d+\]", text)
    expect(page.locator("#plan-aim-check")).to_contain_text("has a number")
    return picked


def _readable(page, min_px: float = 12.0):
    """The drawing fills its box and its smallest box text shows at `min_px` or more."""
    width, view, smallest, boxw = page.evaluate(
        "() => { const s = document.querySelector('#plan-dd svg'); const sizes = [...s.querySelectorAll('g text')]"
        ".map(t => parseFloat(t.getAttribute('font-size'))); return [s.getBoundingClientRect().width, "
        "s.viewBox.baseVal.width, Math.min(...sizes), document.querySelector('#plan-dd').clientWidth]; }")
    assert smallest * width / view >= min_px, (smallest, width, view)
    assert width >= 0.95 * (boxw - 14), (width, boxw)
    return smallest * width / view


def _cycle(page):
    page.get_by_role("tab", name="90-day cycles").click()
    expect(page.locator("#plan-measure-hint")).to_contain_text("In the frameworks' words")
    idea = box(page, "plan-cycle-idea")
    idea.fill(CYCLE["change_idea"])
    idea.press("Enter")
    box(page, "plan-cycle-prediction").fill(CYCLE["prediction"])
    box(page, "plan-cycle-measures").fill("\n".join(CYCLE["lead_measures"]))
    box(page, "plan-cycle-who").fill(CYCLE["who"])
    box(page, "plan-cycle-start").fill("9/2/2025")
    page.locator("#plan-save-cycle").click()
    expect(page.locator("#plan-cycle-note")).to_contain_text("Saved cycle 1. It is ready to run.", timeout=60_000)
    expect(page.locator("#plan-cycle-view")).to_contain_text("2025-09-02 to 2025-12-01")
    box(page, "plan-log-date").fill(LOG.date)
    box(page, "plan-log-did").fill(LOG.did)
    box(page, "plan-log-learned").fill(LOG.learned)
    page.locator("#plan-log-decision label").filter(has_text="Keep testing").click()
    page.locator("#plan-add-log").click()
    expect(page.locator("#plan-log-note")).to_contain_text("1 entry in cycle 1 (under way)", timeout=60_000)
    expect(page.locator("#plan-cycle-log")).to_contain_text(LOG.learned)
    shot(page, "2-cycle", page.locator("#plan-cycles-tab"))


def _readiness(page):
    page.get_by_role("tab", name="Readiness").click()
    page.locator("#plan-ready-capacity-group button").filter(has_text="What the frameworks say").click()
    expect(page.locator("#plan-ready-capacity-passages")).to_contain_text("Threshold of Capacity")
    for dim, score in SCORES.items():
        page.locator(f"#plan-ready-{dim} label").filter(has_text=f"{score} — {SCALE[score]}").click()
    box(page, "plan-ready-capacity-note").fill("Supervisors are not trained as coaches yet")
    page.locator("#plan-save-readiness").click()
    expect(page.locator("#plan-ready-note")).to_contain_text("average 3.5; low: capacity (2)", timeout=60_000)
    expect(page.locator("#plan-readiness-view [data-low='capacity']")).to_be_visible()
    shot(page, "3-readiness", page.locator("#plan-readiness-view"))


def _one_page(page, tmp_path):
    page.get_by_role("tab", name="One-page plan").click()
    page.locator("#plan-make-onepager").click()
    expect(page.locator("#plan-page")).to_contain_text(CYCLE["change_idea"], timeout=90_000)
    expect(page.locator("#plan-onepager-pdf")).to_be_enabled()
    shot(page, "4-one-page", page.locator("#plan-page"))
    with page.expect_download(timeout=60_000) as dl:
        page.locator("#plan-onepager-pdf").click()
    path = tmp_path / "one-page.pdf"
    dl.value.save_as(path)
    reader = PdfReader(str(path))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1 and "Next 90-day cycle" in text and "Threshold" not in text
    assert re.search(r"\[\d+\] “", text) and "Principal supervisors as coaches" in text


def _team(page, tmp_path):
    files = []
    for name, level, note in (("Ana", 0, "Supervisors visit for compliance"), ("Ben", 2, "Coaching in 5 schools"),
                              ("Cal", 1, "Some coaching")):
        a = Assessment(district="Riverside", rater=name)
        a.rate("rubric:12b", level, 3, note)
        a.rate("rubric:1", 1, 2, "")
        files.append(str(a.save(tmp_path / f"{name}.json")))
    page.get_by_role("tab", name="Team consensus").click()
    page.locator("#team-files input[type='file']").set_input_files(files)
    expect(page.locator("#team-status")).to_contain_text("Added 3 files", timeout=60_000)
    expect(page.locator("#team-members")).to_contain_text("3 people")
    worst = page.locator("#team-spread section.fac-card").first
    expect(worst).to_contain_text("Indicator 12b")
    expect(worst.locator(".team-person")).to_have_count(3)  # notes side by side
    expect(worst).to_contain_text("Supervisors visit for compliance")
    page.locator("#team-rationale textarea").fill("Walkthroughs show coaching in some schools")
    page.locator("#team-record").click()
    expect(page.locator("#team-agreed-list")).to_contain_text("Dissent", timeout=60_000)
    expect(page.locator("#team-agreed-list")).to_contain_text("Ana")
    shot(page, "5-team", page.locator("#tab-team"))


def test_a_team_builds_its_improvement_plan(app, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(app.url)
    _open_draft(page)
    _diagram(page)
    px = _readable(page)
    print(f"driver diagram at 1440 px: smallest box text {px:.1f} px")
    shot(page, "1-diagram", page.locator("#plan-diagram"))
    _cycle(page)
    _readiness(page)
    _one_page(page, tmp_path)
    _team(page, tmp_path)
    page.reload()  # all of it was saved with the draft
    page.get_by_role("tab", name="Improvement plan").click()
    expect(page.locator("#plan-dd svg g.dd-secondary")).to_have_count(3, timeout=90_000)
    page.get_by_role("tab", name="90-day cycles").click()
    expect(page.locator("#plan-cycles-overview")).to_contain_text("Under way")
    context.close()


def test_the_plan_tab_fits_a_phone(app, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    page = context.new_page()
    page.goto(app.url)
    _open_draft(page)
    for name in ("Improvement plan", "Team consensus"):
        tab = page.get_by_role("tab", name=name, exact=True)
        b = tab.bounding_box()
        assert b and b["x"] >= 0 and b["x"] + b["width"] <= 390, (name, b)
    page.get_by_role("tab", name="Improvement plan").click()
    expect(page.locator("#plan-dd svg")).to_be_visible(timeout=60_000)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 391  # the page never scrolls sideways
    scroller = page.evaluate("() => { const d = document.querySelector('#plan-dd'); "
                             "return [d.scrollWidth, d.clientWidth, getComputedStyle(d).overflowX]; }")
    assert scroller[0] > scroller[1] and scroller[2] == "auto"  # the drawing scrolls inside its own box
    for elem in ("plan-save-diagram", "plan-suggest"):
        b = page.locator(f"#{elem}").bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= 390, (elem, b)
    shot(page, "6-phone")
    page.get_by_role("tab", name="Readiness").click()
    b = page.locator("#plan-ready-capacity").bounding_box()
    assert b["x"] >= 0 and b["x"] + b["width"] <= 390
    shot(page, "7-phone-readiness")
    context.close()
