"""A sixth framework needs only a document, a manifest entry and a registered parser: it is catalogued, chunked
along its items, retrieved and answered with citations, with no change to any generic layer."""

from __future__ import annotations

import re
import shutil

import pytest

from assistant.frameworks import Descriptor, build_catalog, builtin_registry
from assistant.frameworks.parsers.text import Builder
from assistant.wiring import build
from conftest import CORPUS, make_settings

SHORT = "Equity Compass"
DOCUMENT = """Equity Compass: Commitments for District Equity

Commitment 1: A Shared Definition of Equity
The superintendent and the board adopt one written definition of educational equity. Every school improvement
plan names how it advances that definition, and principals report on it twice a year.

Commitment 2: Resources Allocated by Student Need
The district budget sends more dollars, staff and time to the schools and students with the greatest needs.
A weighted funding formula is published each spring so families can see how money follows need.

Commitment 3: Family Voice in Decisions
Families sit on every school site council and on the district budget committee. Meetings are held in the
evening, with interpreters and child care, so that working parents can take part.
"""
MANIFEST_ENTRY = f"""
[[document]]
file = "equity-compass.txt"
parser = "equity-compass"
short = "{SHORT}"
title = "Equity Compass: Commitments for District Equity"
"""
_HEAD = re.compile(r"^Commitment (\d+): (.+)$", re.M)


def parse_equity(raw: str, framework: str, source: str):
    """One item per commitment: its heading line through the paragraph under it."""
    bld = Builder(raw, framework, source, "equity")
    heads = list(_HEAD.finditer(raw))
    for head, nxt in zip(heads, heads[1:] + [None]):
        end = nxt.start() if nxt else len(raw)
        bld.add(f"commitment-{head.group(1)}", "commitment", head.group(2), head.start(), end,
                number=head.group(1))
    return bld.items


DESCRIPTOR = Descriptor(parser="equity-compass", prefix="equity", parse=parse_equity,
                        actionable_kinds=frozenset({"commitment"}))


@pytest.fixture
def services(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    manifest = (CORPUS / "manifest.toml").read_text(encoding="utf-8")
    (corpus / "manifest.toml").write_text(manifest + MANIFEST_ENTRY, encoding="utf-8")
    shutil.copy(CORPUS / "uva-ple-district-conditions.txt", corpus)
    (corpus / "equity-compass.txt").write_text(DOCUMENT, encoding="utf-8")
    s = build(make_settings(tmp_path, fake=True, corpus=corpus))
    # The one step beyond files: the parser registered through the frameworks registry.
    s.__dict__["catalog"] = build_catalog(corpus, builtin_registry().with_parser(DESCRIPTOR))
    s.ensure_index()
    return s


def test_it_is_catalogued_beside_the_others(services):
    cat = services.catalog
    assert cat.frameworks() == ["UVA-PLE", SHORT]
    commitments = cat.of_kind("commitment", SHORT)
    assert [i.id for i in commitments] == ["equity:commitment-1", "equity:commitment-2", "equity:commitment-3"]
    assert commitments[1].label == "Resources Allocated by Student Need"
    assert DOCUMENT[commitments[1].start:commitments[1].end].startswith("Commitment 2: Resources Allocated")
    assert all(cat.is_actionable(i) for i in commitments) and not cat.is_leveled(SHORT)


def test_it_is_chunked_along_its_items(services):
    chunks = [c for c in services.store.all_chunks() if c.source == "equity-compass.txt"]
    items = {i.id: i for i in services.catalog.of_kind("commitment", SHORT)}
    by_item = {c.item_id: c for c in chunks if c.item_id}
    assert set(by_item) == set(items)
    for item_id, chunk in by_item.items():
        assert (chunk.start, chunk.end) == (items[item_id].start, items[item_id].end)
        assert chunk.kind == "commitment" and chunk.framework == SHORT
        assert items[item_id].label in chunk.section


@pytest.mark.parametrize("query,item_id", [
    ("weighted funding formula that sends money to the schools with the greatest needs", "equity:commitment-2"),
    ("families on the site council with interpreters and child care", "equity:commitment-3"),
    ("one written definition of educational equity adopted by the board", "equity:commitment-1"),
])
def test_it_is_retrieved(services, query, item_id):
    top = services.retriever.search(query, k=3)
    assert top[0].chunk.item_id == item_id
    assert services.retriever.search(query, k=3, framework=SHORT)[0].chunk.item_id == item_id


def test_it_is_answered_with_citations(services):
    answer = services.answerer.answer("How does the Equity Compass allocate resources by student need?")
    assert not answer.abstained
    assert answer.citations, answer.text
    cited = [c for c in answer.citations if c.chunk.framework == SHORT]
    assert cited and all(services.store.document_text(c.chunk.doc_id)[c.start:c.end] == c.quote for c in cited)
    assert all(c.chunk.item_id.startswith("equity:commitment-") for c in cited)
    assert any("weighted funding formula" in c.quote or "greatest needs" in c.quote for c in cited)
    assert re.search(r"\[\d+\]", answer.text)
