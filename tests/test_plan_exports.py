"""The improvement plan over the real index: every passage the planning tools cite is an exact span of the
frameworks (the fixed anchors, the suggested secondary drivers, the diagram's nodes, the readiness passages), and
the real exports carry the plan — the DOCX opened with python-docx, the PDF read with pypdf, the Markdown's
Mermaid — with citation numbers that resolve and no placeholders; the one-page plan prints on one page."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from pypdf import PdfReader

from assistant.facilitation.driver_suggestions import PER_FRAMEWORK
from assistant.facilitation.exports import export
from assistant.facilitation.onepager import top_sources
from assistant.frameworks.improvement import CYCLE_LANGUAGE, MEASURE_LANGUAGE, READINESS_PASSAGES
from assistant.text.clean import squash
from plan_data import CYCLE, LOG, planned
from print_tools import docx_to_pdf, missing_tools
from test_facilitation_print import PLACEHOLDERS

pytestmark = pytest.mark.integration
ANCHORS = [*MEASURE_LANGUAGE, *CYCLE_LANGUAGE, *(a for refs in READINESS_PASSAGES.values() for a in refs)]


def exact(services, ref) -> bool:
    return services.library.raw(ref.source)[ref.start:ref.end] == ref.quote and ref.end > ref.start


@pytest.fixture(scope="module")
def plan(real_services):
    toa = planned(real_services)
    return toa, real_services.drafter.draft(toa)


@pytest.mark.parametrize("anchor", ANCHORS, ids=[f"{a[0]}|{a[1][:20]}" for a in ANCHORS])
def test_every_anchor_quotes_its_words_exactly(real_services, anchor):
    ref = real_services.planner.anchor(anchor)
    item = real_services.library.item(anchor[0])
    assert exact(real_services, ref) and item.start <= ref.start and ref.end <= item.end
    if anchor[1]:
        assert squash(anchor[1]).casefold() in squash(ref.text).casefold()
        assert len(ref.quote) < 900  # a sentence, not the whole item


def test_capacity_opens_with_the_threshold_of_capacity(real_services, plan):
    passages = real_services.planner.readiness_passages(plan[0].bets[0])
    assert passages["capacity"][0].item_id == "instll:threshold-of-capacity"
    assert all(exact(real_services, r) for refs in passages.values() for r in refs)
    own = {r.item_id for refs in passages.values() for r in refs} - {a[0] for a in ANCHORS}
    family = {i.id for x in plan[0].bets[0].item_ids for i in [real_services.library.item(x),
                                                                 *real_services.library.catalog.descendants(x)]}
    assert own and own <= family  # the bet's own framework items speak to some dimensions too


@pytest.mark.parametrize("bet", [0, 1])
def test_suggested_drivers_are_cited_systems_from_several_frameworks(real_services, plan, bet):
    toa = plan[0]
    cat = real_services.library.catalog
    found = real_services.driver_suggester.suggest(toa, bet, k=5)
    own = set(toa.bets[bet].item_ids) | {d.item_id for d in toa.bets[bet].secondary_drivers}
    assert len(found) == 5 and len({s.item_id for s in found}) == 5 and not own & {s.item_id for s in found}
    assert len({s.framework for s in found}) >= 3
    assert max(sum(s.framework == f for s in found) for f in {s.framework for s in found}) <= PER_FRAMEWORK
    for s in found:
        item = cat.get(s.item_id)
        assert cat.is_driver(item) and exact(real_services, s.ref) and item.start <= s.ref.start < item.end
        assert 2 <= len(s.text.split()) <= 14 and s.label.startswith(cat.display_name(item.framework))
    with pytest.raises(IndexError):
        real_services.driver_suggester.suggest(toa, 7)


def test_every_diagram_node_is_grounded_and_numbered_with_the_draft(real_services, plan):
    toa, draft = plan
    d = draft.plan.diagram
    assert d.aim.text.startswith("Raise the share") and d.aim_specific and d.aim_dated
    assert [b.primary.item_id for b in d.bands] == [b.item_ids[0] for b in toa.bets]
    for band in d.bands:
        assert band.primary.cites and len(band.secondaries) == 3 and band.changes
        for node in [band.primary, *band.secondaries]:
            assert node.cites and all(draft.source(n) == r for n, r in zip(node.cites, node.refs))
            assert all(exact(real_services, r) for r in node.refs)
    assert len(draft.sources) == len(set((s.source, s.start, s.end) for s in draft.sources))


def test_a_driver_whose_document_changed_falls_back_to_its_items_definition(real_services, plan):
    from dataclasses import replace

    toa = planned(real_services)
    d = toa.bets[0].secondary_drivers[0]
    d.ref = replace(d.ref, quote=d.ref.quote + " (edited since)")
    node = real_services.drafter.draft(toa).plan.diagram.bands[0].secondaries[0]
    assert node.refs == [real_services.library.defining(d.item_id)]


def _text(pdf_bytes: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf_bytes))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


def test_pdf_carries_the_diagram_cycles_and_readiness(plan):
    toa, draft = plan
    n, text = _text(export(draft, "pdf")[0])
    flat = squash(text)
    for words in ("Driver diagram", "Secondary drivers", "Change ideas", "90-day cycles", "Study and act log",
                  "Readiness", "2 (low)", CYCLE["prediction"], LOG.learned, "Keep testing",
                  "Supervisors untrained", "2025-09-02 to 2025-12-01"):
        assert squash(words) in flat, words
    for node in draft.plan.diagram.bands[0].secondaries:  # the drawing's text is real, searchable text
        assert squash(node.text.split()[0]) in flat
    assert not PLACEHOLDERS.search(text)
    appendix = text.split("\nSources\n", 1)[1]
    listed = [int(x) for x in re.findall(r"^\[(\d+)\] “", appendix, re.M)]
    assert listed == list(range(1, len(draft.sources) + 1))


def test_docx_carries_the_diagram_as_a_picture_and_as_cited_text(plan):
    toa, draft = plan
    doc = Document(io.BytesIO(export(draft, "docx")[0]))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert len(doc.inline_shapes) >= 1 and doc.inline_shapes[0].width.inches > 5
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert {"Driver diagram", "90-day cycles", "Readiness"} <= set(heads)
    primaries = [p for p in doc.paragraphs if p.text.startswith("Primary driver ")]
    assert len(primaries) == 2 and all(any(r.font.superscript for r in p.runs) for p in primaries)
    assert sum(p.text.startswith("Secondary driver: ") for p in doc.paragraphs) == 6
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "2 (low)" in cells and LOG.learned in cells
    assert CYCLE["prediction"] in body and "Capacity" in body and not PLACEHOLDERS.search(body)
    marks = {int(n) for p in doc.paragraphs for r in p.runs if r.font.superscript for n in re.findall(r"\d+", r.text)}
    assert marks <= set(range(1, len(draft.sources) + 1))


def test_markdown_has_the_diagram_as_mermaid(plan):
    toa, draft = plan
    md = export(draft, "md")[0].decode()
    block = md.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert block.startswith("flowchart LR") and block.count("[\"") + block.count("([\"") >= 1 + 2 * (1 + 3) + 3
    assert "## 90-day cycles" in md and "## Readiness" in md and "| 1. Principal supervisors as coaches |" in md
    assert not PLACEHOLDERS.search(md.replace("```", ""))


@pytest.mark.parametrize("extra, long_text", [(0, False), (1, False), (3, True)])
def test_the_one_page_plan_prints_on_one_page(real_services, extra, long_text, tmp_path):
    toa = planned(real_services, extra, long_text)
    draft = real_services.drafter.draft(toa)
    pages, text = _text(export(draft, "onepager")[0])
    assert pages == 1
    flat = squash(text)
    for words in ("Goal:", toa.goal[:40], "Our theory of action", "Our bets", "Next 90-day cycle",
                  CYCLE["change_idea"], "The passages this plan rests on", "Chief Academic Officer"):
        assert squash(words) in flat, words
    keep = top_sources(draft)
    assert len(keep) == 3 and len({draft.source(n).framework for n in keep}) == 3
    for n in keep:  # the full plan's numbers and quotes
        assert f"[{n}]" in text and squash(draft.source(n).text.split()[0]) in flat
    assert not PLACEHOLDERS.search(text)
    md = export(draft, "onepager-md")[0].decode()
    assert md.count("\n[") == 3 and "## Next 90-day cycle" in md
    if missing_tools() or extra == 1:
        return
    docx = tmp_path / "page.docx"
    docx.write_bytes(export(draft, "onepager-docx")[0])
    printed = docx_to_pdf(docx, tmp_path)
    assert len(PdfReader(str(printed)).pages) == 1  # Word's version, as LibreOffice prints it


def test_a_plan_without_cycles_says_so_on_the_page(real_services):
    toa = planned(real_services)
    for b in toa.bets:
        b.cycles = []
    _, text = _text(export(real_services.drafter.draft(toa), "onepager")[0])
    assert "No 90-day cycle is planned yet" in text
