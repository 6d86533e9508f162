"""Exports a superintendent can print: the PDF, and the DOCX as LibreOffice prints it, are rendered to images and
text positions, and checked for layout facts a reader would notice — no heading in the last 10% of a page (and
always followed by content), no strategy-table row split across pages, no citation marker broken across lines,
every marker resolved in the sources appendix, no nearly blank page, no placeholder — for plans whose content
pushes page breaks to different places. Citation numbers are the same on screen, in Markdown, DOCX and PDF."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from print_tools import docx_to_pdf, ink_bottoms, missing_tools, pages
from test_facilitation_wording import defects

from assistant.facilitation.exports import export, to_markdown
from assistant.facilitation.outline import outline
from assistant.facilitation.toa import Bet, TheoryOfAction
from assistant.facilitation.views import draft_html

pytestmark = pytest.mark.integration
if missing_tools() and not os.environ.get("CI"):
    pytest.skip(f"needs Debian's {', '.join(missing_tools())} (poppler-utils, libreoffice-writer-nogui; `make test` "
                "installs them)", allow_module_level=True)

DATA = Path(__file__).parent / "data"
HEADINGS = {"Our theory of action", "How each bet reaches classrooms", "Strategy table", "Plan details", "Assumptions",
            "Coherence checks", "Sources"}
PLACEHOLDERS = re.compile(r"\[what|\[which|\(not set yet\)|\{|\}|\bTBD\b|\[\s*\]")


def _plan(variant: int) -> TheoryOfAction:
    """The coaching plan, with more or less text before each heading so page breaks fall in different places;
    variant 3 adds a bet the team has not finished."""
    t = TheoryOfAction.load(DATA / "toa_principal_coaching.json")
    t.bets[0].timeframe, t.bets[1].timeframe = "Years 2025-2028", "Starting August 2025"
    t.evidence += [f"Observation round {k}: feedback to teachers was generic in most classrooms visited"
                   for k in range(variant * 3)]
    t.assumptions += [f"Assumption {k}: supervisors can protect coaching time every week" for k in range(variant * 2)]
    if variant == 3:
        t.bets.append(Bet(title="School leadership", item_ids=["leadct:component-school-leadership"],
                          district_actions=["school Leadership[7]"], timeframe="Spring 2026"))
    return t


@pytest.fixture(scope="module", params=[0, 1, 2, 3])
def printed(request, real_services, tmp_path_factory):
    draft = real_services.drafter.draft(_plan(request.param))
    folder = tmp_path_factory.mktemp(f"print{request.param}")
    pdf = folder / "plan.pdf"
    pdf.write_bytes(export(draft, "pdf")[0])
    docx = folder / "plan-word.docx"
    docx.write_bytes(export(draft, "docx")[0])
    return draft, {"pdf": pdf, "docx": docx_to_pdf(docx, folder)}, docx


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_headings_are_never_stranded(printed, fmt):
    _, files, _ = printed
    seen = set()
    for n, page in enumerate(pages(files[fmt]), 1):
        body = [ln for ln in page.lines if "— page" not in ln.text]
        for k, line in enumerate(body):
            if line.text in HEADINGS or re.match(r"Bet \d+: ", line.text):
                seen.add(line.text if line.text in HEADINGS else "Bet")
                assert line.bottom < 0.9 * page.height, (fmt, n, line.text, line.bottom / page.height)
                assert k + 1 < len(body), (fmt, n, f"{line.text!r} ends the page")
    assert {"Our theory of action", "Strategy table", "Coherence checks", "Sources", "Bet"} <= seen


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_table_rows_stay_on_one_page(printed, fmt):
    """The first word of a row's actions cell (else of its owners or lead-metrics cell: the driver diagram repeats
    the actions as change ideas) and of its timeframe cell (each unique in the document) are on the same page."""
    draft, files, _ = printed
    words = [p.words for p in pages(files[fmt])]
    everywhere = [w for ws in words for w in ws]
    checked = 0
    for row in outline(draft).table:
        firsts = [cell.lstrip("• ").split()[0] for cell in row[1:4] if cell.strip()]
        start = next((w for w in firsts if everywhere.count(w) == 1), None)
        end = row[5].split()[0]
        if start is None or everywhere.count(end) != 1:
            continue
        page_of = {w: k for k, ws in enumerate(words) for w in ws if w in (start, end)}
        assert page_of[start] == page_of[end], (fmt, row[0], "row split across pages")
        checked += 1
    assert checked >= 2


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_citation_markers_are_whole_and_resolved_in_the_appendix(printed, fmt):
    draft, files, _ = printed
    body, appendix = [], []
    in_sources = False
    for page in pages(files[fmt]):
        for line in page.lines:
            if line.text == "Sources":
                in_sources = True
                continue
            m = re.match(r"\[(\d+)\] “", line.text)
            if in_sources and m:
                appendix.append(int(m.group(1)))
            elif not in_sources:
                for word in line.text.split():
                    if "[" in word or "]" in word:
                        assert re.fullmatch(r"[^\[\]]*(?:\[\d+\])+[.,;:”]?", word), (fmt, "broken marker", word)
                        body += [int(x) for x in re.findall(r"\[(\d+)\]", word)]
    assert appendix == list(range(1, len(draft.sources) + 1))
    assert body and set(body) <= set(appendix)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_no_page_is_nearly_blank(printed, fmt):
    _, files, _ = printed
    bottoms = ink_bottoms(files[fmt])
    assert len(bottoms) >= 2
    assert all(b >= 0.5 for b in bottoms[:-1]), (fmt, [round(b, 2) for b in bottoms])


def test_exported_text_is_free_of_placeholders_and_wording_defects(printed):
    from docx import Document

    draft, files, docx = printed
    texts = {"pdf": "\n".join(p.text() for p in pages(files["pdf"])), "md": to_markdown(draft),
             "docx": "\n".join(p.text for p in Document(str(docx)).paragraphs)}
    for fmt, text in texts.items():
        assert not PLACEHOLDERS.search(text), (fmt, PLACEHOLDERS.search(text).group(0))
    for p in Document(str(docx)).paragraphs:
        if p.text.startswith("If we "):
            plain = re.sub(r"\[\d+\]", "", p.text)
            assert defects(plain, None) == [], plain


def test_citation_numbers_are_the_same_on_screen_and_in_every_format(printed):
    from docx import Document

    draft, files, docx = printed
    expected = [n for c in draft.statement for n in c.cites]
    html = draft_html(draft)
    statement_html = html.split('id="toa-statement">', 1)[1].split("</div>", 1)[0]
    assert [int(n) for n in re.findall(r"\[(\d+)\]", statement_html)] == expected
    md = to_markdown(draft).split("## Our theory of action", 1)[1].split("##", 1)[0]
    assert [int(n) for n in re.findall(r"\[(\d+)\]", md)] == expected
    stmt = next(p for p in Document(str(docx)).paragraphs if p.text.startswith("If we "))
    assert [int(n) for n in re.findall(r"\[(\d+)\]", "".join(r.text for r in stmt.runs if r.font.superscript))] \
        == expected
    pdf_text = "\n".join(p.text() for p in pages(files["pdf"]))
    pdf_statement = pdf_text.split("Our theory of action", 1)[1].split("How each bet reaches classrooms", 1)[0]
    assert [int(n) for n in re.findall(r"\[(\d+)\]", pdf_statement)] == expected
    assert expected and sorted(set(expected)) == list(range(1, len(set(expected)) + 1))
