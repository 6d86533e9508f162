"""The facilitation tools as one flow, in headless Debian Chromium: a question in the chat, the Practice finder's
results used as bets, a self-assessment priority used as a bet, the theory of action drafted from them (with
messy typing), honest coherence checks, the DOCX and PDF downloads — a reload in the middle and a server restart
at the end lose nothing — and "export" in the chat gives the same draft as a file. The downloaded documents are
checked for the defects a coach would notice (wording, placeholders, stranded headings, broken or unresolved
citation markers, nearly blank pages) and their citation numbers against the screen. Screenshots go to
artifacts/screenshots/."""

from __future__ import annotations

import base64
import io
import os
import re

import pytest

from app_fixtures import SCREENSHOTS, chromium_path, launched_chromium, running_app
from print_tools import docx_to_pdf, ink_bottoms, missing_tools, pages
from test_facilitation_print import HEADINGS, PLACEHOLDERS
from test_facilitation_wording import defects

pytestmark = [pytest.mark.browser, pytest.mark.integration]

if (chromium_path() is None or missing_tools()) and not os.environ.get("CI"):
    pytest.skip("needs Debian's chromium, poppler-utils and libreoffice (`make test` installs them)",
                allow_module_level=True)
from playwright.sync_api import expect  # noqa: E402

CHALLENGE = "Our principals get no real coaching: supervisors visit only for compliance"
GOAL = "By June 2029, 60% of our grade 3-8 students read on grade level in all 14 schools"
PROBLEM = "Supervisors visit principals for compliance, and feedback to teachers is rare and generic"
BETS = {  # typed the way a cabinet types: leading "we will", stray capitals, pasted markers, doubled words
    1: {"actions": "We will Reassign principal supervisors to eight schools each.\nTrain supervisors in "
                   "observation and feedback cycles [3]",
        "principals": "spend two mornings a week in classrooms giving teachers feedback",
        "core": "Teachers plan lessons around grade-level texts", "lead": "Coaching visits per principal per month",
        "lag": "Grade 3-8 reading proficiency on the state test", "owners": "Chief Academic Officer",
        "timeframe": "2025-26 to 2027-28"},
    2: {"actions": "cabinet reviews all department requests against our three bets",
        "principals": "School Leadership teams run a six-week cycle of inquiry on student work",
        "core": "students explain their reasoning in math and reading", "lead": "Cycles completed per quarter",
        "lag": "Interim reading growth", "owners": "Director of Curriculum", "timeframe": "Starting August 2025"},
    3: {"actions": "by building a shared vision of a graduate with families and students",
        "principals": "lead their staff in using the vision to set school priorities",
        "core": "the the classroom tasks reflect the vision of a graduate", "lead": "Schools with aligned plans",
        "lag": "Graduation rate", "owners": "Superintendent", "timeframe": "Spring 2026"},
}


def box(page, elem_id: str):
    return page.locator(f"#{elem_id} textarea, #{elem_id} input").first


def shot(page, name: str, locator=None):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (locator or page).screenshot(path=str(SCREENSHOTS / f"{name}.png"), **({} if locator else {"full_page": True}))


@pytest.fixture
def app(real_index_dir, tmp_path_factory):
    yield from running_app(tmp_path_factory, "facilitation-flow", real_index_dir)


def _near(a, b, px: float) -> bool:
    """Whether two elements' boxes are within `px` of each other (the saved note beside its control)."""
    x, y = a.bounding_box(), b.bounding_box()
    dx = max(0, max(x["x"], y["x"]) - min(x["x"] + x["width"], y["x"] + y["width"]))
    dy = max(0, max(x["y"], y["y"]) - min(x["y"] + x["height"], y["y"] + y["height"]))
    assert dx <= px and dy <= px, (x, y)
    return True


def _ask(page, text: str):
    page.get_by_role("tab", name="Ask").click()
    n = page.locator("#chat [data-testid='bot']").count()
    box(page, "question").fill(text)
    page.locator("#send").click()
    page.wait_for_function("n => document.querySelectorAll(\"#chat [data-testid='bot']\").length > n", arg=n,
                           timeout=90000)  # the answer (and any files it brings)
    expect(page.locator("#chat-saved")).to_contain_text("Saved", timeout=30000)


def _finder(page):
    page.get_by_role("tab", name="Practice finder").click()
    box(page, "finder-challenge").fill(CHALLENGE)
    page.locator("#finder-search").click()
    choose = page.locator("#finder-choose label")
    expect(choose.first).to_be_visible(timeout=90000)
    picked = [choose.nth(i).inner_text() for i in (0, 1)]
    choose.nth(0).click()
    choose.nth(1).click()
    page.locator("#finder-use").click()
    expect(page.locator("#finder-used")).to_contain_text("Your bets", timeout=30000)
    assert _near(page.locator("#finder-used"), page.locator("#finder-use"), 40)
    shot(page, "flow-1-finder-use-as-bets")
    return picked


def _assessment(page):
    page.get_by_role("tab", name="Self-assessment").click()
    box(page, "assess-district").fill("Riverside Unified")
    page.locator("#assess-item input").click()
    page.get_by_role("option", name=re.compile(r"^12b")).click()
    page.locator("#assess-current label").filter(has_text="Getting Started").first.click()
    page.locator("#assess-goal label").filter(has_text="Keep Improving").first.click()
    page.locator("#assess-save-rating").click()
    expect(page.locator("#assess-status")).to_contain_text("Saved Indicator 12b", timeout=30000)
    assert _near(page.locator("#assess-status"), page.locator("#assess-next"), 40)  # beside the two save buttons
    page.locator("#assess-chart-btn").click()
    img = page.locator("#assess-chart img")
    expect(img).to_be_visible(timeout=60000)
    _readable_chart(page, "#assess-chart img")
    _readable_chart(page, "#assess-heatmap img")
    expect(page.locator("#assess-heatmap img")).to_have_attribute("alt", re.compile("by name"))
    label = page.locator("#assess-choose label").first
    expect(label).to_contain_text("Indicator 12b — District leaders engage in coaching conversations")
    expect(label).to_contain_text("gap 2: Getting Started → Keep Improving")
    label.click()
    page.locator("#assess-send").click()
    expect(page.locator("#assess-sent")).to_contain_text("Your bets", timeout=30000)
    shot(page, "flow-2-self-assessment")


def _readable_chart(page, selector: str):
    """Full width of its tab, and no label under 12 px as shown (the PNG states its smallest text size)."""
    from PIL import Image

    width, natural, tab = page.evaluate(
        "s => { const i = document.querySelector(s); const t = document.querySelector('#tab-assessment');"
        " return [i.clientWidth, i.naturalWidth, t.clientWidth]; }", selector)
    assert width >= 0.9 * tab, (selector, width, tab)
    src = page.locator(selector).get_attribute("src")
    png = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
    assert float(png.text["min-font-px"]) * width / natural >= 12, (selector, png.text, width, natural)


def _fill_bet(page, k: int):
    for key, value in BETS[k].items():
        box(page, f"toa-bet{k}-{key}").fill(value)


def test_finder_to_bets_to_printed_theory_of_action_nothing_lost(app, tmp_path):
    with launched_chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page = context.new_page()
        page.goto(app.url)
        _ask(page, "What is a theory of action?")
        picked = _finder(page)
        _assessment(page)

        page.get_by_role("tab", name="Theory of action").click()
        expect(box(page, "toa-bet3-title")).to_have_value("District leaders engage in coaching conversations",
                                                           timeout=60000)
        titles = [box(page, f"toa-bet{k}-title").input_value() for k in (1, 2)]
        assert all(t and t in label for t, label in zip(titles, picked)), (titles, picked)  # the finder's own list
        box(page, "toa-district").fill("Riverside Unified")
        box(page, "toa-goal").fill(GOAL)
        box(page, "toa-problem").fill(PROBLEM)
        _fill_bet(page, 1)
        box(page, "toa-scope").click()  # leaving a field saves the draft
        expect(page.locator("#toa-draft")).to_contain_text("as measured by grade 3-8 reading proficiency",
                                                           timeout=120000)  # bet 1, saved up to its lag outcome
        expect(page.locator("#toa-saved")).to_contain_text("Saved")
        assert _near(page.locator("#toa-saved"), page.locator("#toa-update"), 40)

        page.reload()  # mid-way: the conversation, the assessment and the draft come back
        expect(page.locator("#chat [data-testid='user']").first).to_contain_text("What is a theory of action?",
                                                                                timeout=60000)
        page.get_by_role("tab", name="Theory of action").click()
        expect(box(page, "toa-goal")).to_have_value(GOAL, timeout=60000)
        expect(box(page, "toa-bet1-principals")).to_have_value(BETS[1]["principals"])
        expect(box(page, "toa-bet3-title")).to_have_value("District leaders engage in coaching conversations")
        page.get_by_role("tab", name="Self-assessment").click()
        expect(page.locator("#assess-table")).to_contain_text("Indicator 12b", timeout=30000)
        page.get_by_role("tab", name="Theory of action").click()

        _fill_bet(page, 2)
        _fill_bet(page, 3)
        page.locator("#toa-update").click()
        expect(page.locator("#toa-statement")).to_contain_text("ensure that cabinet reviews", timeout=90000)
        checks = page.locator("#toa-checks")
        expect(checks.locator("[data-check='metrics'].met")).to_have_count(1, timeout=90000)  # every field is in
        for key in ("culture", "communication", "governance", "systems", "external_factors"):  # fields still empty
            expect(checks.locator(f"[data-check='{key}'].missing")).to_have_count(1)
        for key in ("few_bets", "instructional_core", "school_leadership", "metrics", "system_wide"):
            expect(checks.locator(f"[data-check='{key}'].met")).to_have_count(1)
        page.locator("#toa-systems label").filter(has_text="Professional Learning System").click()
        page.locator("#toa-systems label").filter(has_text="Talent Management System").click()
        box(page, "toa-culture").fill("Collective responsibility: central office serves schools")
        box(page, "toa-board").fill("The board adopts the theory of action and reviews lead metrics quarterly")
        box(page, "toa-external").fill("State coaching funds end in 2027")
        box(page, "toa-comms").fill("Share with principals in August and with families on a public dashboard")
        page.locator("#toa-update").click()
        # Each field left saves, and the saves run one after another (each renders the draft and its files), so the
        # checks pass through the earlier saves' results first (the systems are met before the last fields are in):
        # wait as long for the result of the last save as for any other.
        expect(checks.locator(".fac-check.missing")).to_have_count(0, timeout=90000)
        expect(checks.locator("[data-check='systems'].met")).to_contain_text(
            "Professional Learning System, Talent Management System.")
        expect(page.locator("#toa-export-pdf")).to_be_enabled(timeout=60000)
        statement = page.locator("#toa-statement")
        expect(statement).to_contain_text("If we reassign principal supervisors to eight schools each")
        shot(page, "flow-3-draft", page.locator("#toa-draft"))
        shot(page, "flow-4-checks", checks)
        screen = statement.inner_text()
        screen_marks = [int(n) for n in re.findall(r"\[(\d+)\]", screen)]

        files = {}
        for fmt, elem in (("docx", "#toa-export-docx"), ("pdf", "#toa-export-pdf")):
            with page.expect_download(timeout=60000) as dl:
                page.locator(elem).click()
            files[fmt] = tmp_path / {"docx": "word.docx", "pdf": "downloaded.pdf"}[fmt]  # LibreOffice makes word.pdf
            dl.value.save_as(files[fmt])
        _check_documents(files, screen, screen_marks, tmp_path)

        _ask(page, "export our theory of action")
        link = page.locator("#chat [data-testid='bot'] a[download], #chat [data-testid='bot'] a[href*='.docx']")
        expect(link.first).to_be_visible(timeout=30000)
        shot(page, "flow-5-chat-export")
        with page.expect_download(timeout=60000) as dl:
            link.first.click()
        assert dl.value.suggested_filename.endswith((".docx", ".pdf"))

        app.stop()
        app.start()  # a server restart: the same browser finds its work again
        page.reload()
        expect(page.locator("#chat [data-testid='user']")).to_have_count(2, timeout=90000)
        page.get_by_role("tab", name="Theory of action").click()
        expect(box(page, "toa-goal")).to_have_value(GOAL, timeout=90000)
        expect(box(page, "toa-comms")).to_have_value(re.compile("public dashboard"))
        expect(page.locator("#toa-statement")).to_contain_text("If we reassign", timeout=90000)
        shot(page, "flow-6-after-restart")


def _check_documents(files: dict, screen: str, screen_marks: list[int], tmp_path):
    """The downloads read as written by a person and print well; their numbers are the screen's."""
    from docx import Document

    doc = Document(str(files["docx"]))
    paragraphs = [p.text for p in doc.paragraphs]
    body = "\n".join(paragraphs)
    assert not PLACEHOLDERS.search(body), PLACEHOLDERS.search(body).group(0)
    sentences = [p for p in doc.paragraphs if p.text.startswith("If we ")]
    assert len(sentences) == 4  # the statement and one chain per bet
    for p in sentences:
        plain = re.sub(r"\[\d+\]", "", p.text)
        assert defects(plain, None) == [], plain
    statement = sentences[0]
    assert statement.text.startswith("If we reassign principal supervisors to eight schools each")
    assert "ensure that cabinet reviews all department requests" in statement.text
    assert "by June 2029, 60% of our grade 3-8 students read on grade level" in statement.text
    docx_marks = [int(n) for n in re.findall(r"\[(\d+)\]", "".join(r.text for r in statement.runs
                                                                 if r.font.superscript))]
    assert docx_marks == screen_marks
    assert re.sub(r"\[\d+\]|\s", "", statement.text) == re.sub(r"\[\d+\]|\s", "", screen)

    printed = {"pdf": files["pdf"], "docx": docx_to_pdf(files["docx"], tmp_path)}
    for fmt, pdf in printed.items():
        ps = pages(pdf)
        text = "\n".join(p.text() for p in ps)
        assert not PLACEHOLDERS.search(text), (fmt, PLACEHOLDERS.search(text).group(0))
        for n, page in enumerate(ps, 1):
            lines = [ln for ln in page.lines if "— page" not in ln.text]
            for k, line in enumerate(lines):
                if line.text in HEADINGS or re.match(r"Bet \d+: ", line.text):
                    assert line.bottom < 0.9 * page.height and k + 1 < len(lines), (fmt, n, line.text)
        words = [w for p in ps for w in p.words]
        assert not [w for w in words if re.search(r"\[\d+$|^\d+\]", w)], fmt  # no marker broken across lines
        appendix = text.split("\nSources\n", 1)[1]
        numbers = [int(n) for n in re.findall(r"^\[(\d+)\] “", appendix, re.M)]
        assert numbers == list(range(1, len(numbers) + 1)) and set(screen_marks) <= set(numbers), fmt
        statement_text = text.split("Our theory of action", 1)[1].split("How each bet reaches classrooms", 1)[0]
        assert [int(n) for n in re.findall(r"\[(\d+)\]", statement_text)] == screen_marks, fmt
        assert all(b >= 0.5 for b in ink_bottoms(pdf)[:-1]), fmt
