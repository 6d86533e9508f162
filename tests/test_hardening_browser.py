"""In headless Chromium: a document whose title is HTML shows as text in the Documents tab and in the Remove
confirmation, and fetches nothing; the sign-in page works with every API route behind sign-in."""

from __future__ import annotations

import pytest

from app_fixtures import AppProcess, chromium_path, launched_chromium
from test_browser import _require_browser

pytestmark = [pytest.mark.integration, pytest.mark.browser]

TITLE = '<img src="/beacon.png" onerror="document.title=\'pwned\'"> Plan'


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    _require_browser()
    proc = AppProcess(tmp_path_factory.mktemp("app-hardening-browser"), ASSISTANT_EMBEDDING__KIND="fake",
                      ASSISTANT_SERVER__AUTH="alice:wonder-land-42")
    try:
        proc.start(timeout=300)
        yield proc
    finally:
        proc.stop()


@pytest.fixture
def page(app):
    with launched_chromium() as browser:
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.requests = []
        page.on("request", lambda r: page.requests.append(r.url))
        page.goto(app.url)
        page.get_by_label("username").fill("alice")
        page.get_by_label("password").fill("wonder-land-42")
        page.get_by_role("button", name="Login").click()
        page.locator("#question textarea").wait_for(timeout=60_000)
        yield page


def test_a_title_made_of_html_stays_text_everywhere(page, app, tmp_path):
    from playwright.sync_api import expect

    doc = tmp_path / "plan.md"
    doc.write_text(f"# {TITLE}\n\nPrincipal supervisors coach every principal twice a month with written feedback.\n")
    page.get_by_role("tab", name="Documents").click()
    page.locator("#upload input[type='file']").set_input_files(str(doc))
    page.locator("#add-docs").click()
    expect(page.locator("#upload-result")).to_contain_text("1 file added", timeout=120_000)
    expect(page.locator("#documents")).to_contain_text('<img src="/beacon.png"')
    page.locator("#remove-choice input").click()
    page.locator("ul[role='listbox'] li", has_text="Plan").first.click()
    page.locator("#remove").click()
    confirm = page.locator("#remove-confirm")
    expect(confirm).to_contain_text('Remove <img src="/beacon.png"', timeout=30_000)
    assert confirm.locator("img").count() == 0
    page.locator("#remove-yes").click()
    expect(page.locator("#remove-result")).to_contain_text("Removed", timeout=60_000)
    expect(page.locator("#remove-result")).to_contain_text("<img")
    assert page.title() != "pwned"
    assert not [u for u in page.requests if "beacon" in u], page.requests
