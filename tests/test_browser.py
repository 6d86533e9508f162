"""The web app in headless Debian Chromium (Playwright): ask, see a cited answer, open a citation, toggle "Why this
answer", export, upload a PDF; screenshots go to artifacts/screenshots/. No request may leave 127.0.0.1.

Skipped when Chromium or Playwright is missing, unless the CI environment variable is set (then it fails).
"""

from __future__ import annotations

import os
import re

import pytest

from app_fixtures import PDFS, SCREENSHOTS, chromium_path, launched_chromium, running_app

pytestmark = [pytest.mark.integration, pytest.mark.browser]


def _require_browser():
    reason = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "the playwright Python package is not installed (pip install -e '.[test]')"
    if reason is None and chromium_path() is None:
        reason = "Debian's chromium is not installed (make browser, or apt-get install chromium)"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def app(real_index_dir, tmp_path_factory):
    _require_browser()
    yield from running_app(tmp_path_factory, "app-browser", real_index_dir)


@pytest.fixture(scope="module")
def browser(app):
    with launched_chromium() as b:
        yield b


@pytest.fixture
def page(browser, app):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith((app.url, "data:", "blob:", "about:")) else None)
    page.goto(app.url)
    page.locator("#question textarea").wait_for(timeout=30_000)
    yield page
    context.close()
    assert not outside, f"requests left the computer: {outside[:5]}"


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_first_open_shows_examples_for_each_kind_of_user(page):
    from playwright.sync_api import expect

    for role in ("superintendent", "coach", "evaluator"):
        expect(page.locator(f"#example-{role}-1")).to_be_visible()
    expect(page.locator("#sources")).to_contain_text("passages behind each answer")
    expect(page.locator("#ready-notice .notice")).to_have_count(0, timeout=30_000)
    shot(page, "01-first-open")


def test_ask_see_citation_and_open_its_source(page, tmp_path):
    from playwright.sync_api import expect

    page.locator("#question textarea").fill("What does indicator 11a look like at Getting Better?")
    page.locator("#send").click()
    bot = page.locator("#chat [data-testid='bot']")
    expect(bot).to_have_count(1, timeout=60_000)
    markers = page.locator("#chat a[href^='#src-1-']")
    expect(markers.first).to_be_visible(timeout=60_000)
    expect(page.locator("#sources .src-card").first).to_be_visible()
    expect(page.locator("#sources mark").first).to_be_visible()
    expect(page.locator("#examples")).to_be_hidden()

    # Hovering a marker highlights its source; clicking brings it into view and highlights it.
    markers.first.hover()
    expect(page.locator("#src-1-1")).to_have_class(re.compile(r"\bactive\b"))
    last = markers.nth(markers.count() - 1)
    target = last.get_attribute("href").lstrip("#")
    last.click()
    card = page.locator(f"#{target}")
    expect(card).to_have_class(re.compile(r"\bactive\b"))
    expect(card).to_be_in_viewport()
    expect(card.locator(".src-text")).not_to_be_empty()
    assert page.url.rstrip("/") == page.url.split("#")[0].rstrip("/")  # no navigation, no new tab
    shot(page, "02-answer-with-sources")

    # Why this answer: every retrieved passage with its scores.
    page.locator("#why-toggle input").check()
    expect(page.locator("#why table")).to_be_visible()
    expect(page.locator("#why tbody tr").first).to_be_visible()
    shot(page, "03-why-this-answer")

    # Export the conversation as Markdown.
    with page.expect_download() as dl:
        page.locator("#export").click()
    path = dl.value.path()
    text = open(path, encoding="utf-8").read()
    assert "indicator 11a" in text and "[1]" in text

    # A follow-up, then clear.
    page.locator("#question textarea").fill("And at Keep Improving?")
    page.locator("#question textarea").press("Enter")
    expect(bot).to_have_count(2, timeout=60_000)
    expect(page.locator("#chat a[href^='#src-2-']").first).to_be_visible(timeout=60_000)
    page.locator("#clear").click()
    expect(bot).to_have_count(0)
    expect(page.locator("#examples")).to_be_visible()


def test_abstention_looks_different(page):
    from playwright.sync_api import expect

    page.locator("#example-coach-1").wait_for()
    page.locator("#question textarea").fill("How do I bake sourdough bread at home?")
    page.locator("#send").click()
    expect(page.locator("#chat .abstain-msg")).to_be_visible(timeout=60_000)
    expect(page.locator("#sources .abstain-box")).to_be_visible()
    shot(page, "04-abstention")


def test_too_long_question_shows_a_notice(page):
    from playwright.sync_api import expect

    page.locator("#question textarea").fill("x" * 20_000)
    page.locator("#send").click()
    expect(page.locator("#chat-notice .notice")).to_contain_text("limit", timeout=30_000)
    expect(page.locator("#chat [data-testid='bot']")).to_have_count(0)


def test_upload_a_pdf_and_see_it_listed(page, app):
    from playwright.sync_api import expect

    page.get_by_role("tab", name="Documents").click()
    expect(page.locator("#documents")).to_contain_text("Built-in framework", timeout=30_000)
    page.locator("#upload input[type='file']").set_input_files(str(PDFS / "google-doc-document.pdf"))
    page.locator("#add-docs").click()
    expect(page.locator("#upload-result")).to_contain_text("1 file added", timeout=120_000)
    expect(page.locator("#documents")).to_contain_text("Your upload")
    expect(page.locator("#documents")).to_contain_text("PDF Example Document")
    shot(page, "05-documents-after-upload")

    # The new document can be chosen in the Ask tab's "Search in" list.
    page.get_by_role("tab", name="Ask").click()
    page.locator("#framework input").click()
    expect(page.locator("ul[role='listbox'] li", has_text="PDF Example Document")).to_be_visible(timeout=30_000)
    page.keyboard.press("Escape")

    page.get_by_role("tab", name="Status").click()
    expect(page.locator("#status")).to_contain_text("all-MiniLM-L6-v2")
    shot(page, "06-status")
