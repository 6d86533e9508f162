"""Retrieval: identifier parsing, BM25, fusion and boosts (fakes), and the real pipeline on hand-written cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.frameworks import identifiers as ident
from assistant.index.bm25 import BM25
from assistant.text.tokens import tokens
from assistant.retrieval.retriever import identifier_boost
from assistant.types import Chunk

CASES = [json.loads(line) for line in (Path(__file__).parent / "data" / "retrieval_cases.jsonl").read_text().splitlines()
         if line.strip()]
CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.mark.parametrize("text,field,expected", [
    ("what does 11a say at getting better", "indicators", ["11a"]),
    ("indicator 3 b", "indicators", ["3b"]),
    ("Practice 13 please", "practices", ["13"]),
    ("uva condition #4", "conditions", ["4"]),
    ("lever 2 conditions", "levers", ["2"]),
    ("what's in system 3", "systems", ["3"]),
    ("INSTLL step 2", "steps", ["2"]),
    ("and at keep improving?", "levels", ["Keep Improving"]),
    ("getting started vs getting better", "levels", ["Getting Started", "Getting Better"]),
    ("how do LEAD CT and UVA-PLE treat supervisors", "frameworks", ["LEAD CT", "UVA-PLE"]),
    ("the weather in 2024", "indicators", []),
])
def test_identifiers_people_type(text, field, expected):
    assert getattr(ident.parse(text), field) == expected


@pytest.mark.parametrize("name,expected", [("uva", "UVA-PLE"), ("lead ct", "LEAD CT"), ("RUBRIC", "Leadership System rubric"),
                                           ("Coherence & Capacity", "Coherence & Capacity"), (None, None)])
def test_framework_aliases_resolve(name, expected):
    known = ["LEAD CT", "INSTLL", "Leadership System rubric", "UVA-PLE", "Coherence & Capacity"]
    assert ident.resolve_framework(name, known) == expected


def test_unknown_framework_is_a_clear_error():
    with pytest.raises(ValueError, match="Unknown framework 'Danielson'"):
        ident.resolve_framework("Danielson", ["LEAD CT"])


def test_bm25_prefers_the_document_with_rare_matching_terms():
    bm = BM25(["principal supervisors coach principals", "budget forecasting scenarios", "principal budget"])
    top = bm.top("coaching for principals", 3)
    assert top[0][0] == 0
    assert tokens("Principals coaching") == ["principal", "coach"]


def _chunk(**kw) -> Chunk:
    base = dict(chunk_id="c", doc_id="d", source="s", framework="Leadership System rubric", start=0, end=1, text="t")
    base.update(kw)
    return Chunk(**base)


def test_identifier_boost_prefers_the_named_cell():
    ids = ident.parse("what does 11a say at getting better")
    exact = identifier_boost(_chunk(indicator="11a", practice="11", level="Getting Better"), ids)
    other_level = identifier_boost(_chunk(indicator="11a", practice="11", level="Keep Improving"), ids)
    sibling = identifier_boost(_chunk(indicator="11b", practice="11", level="Getting Better"), ids)
    unrelated = identifier_boost(_chunk(indicator="3a", practice="3", level="Getting Better"), ids)
    assert exact > other_level > sibling > unrelated


def test_fake_pipeline_filters_by_framework(fake_services):
    hits = fake_services.retriever.search("principal supervisors", k=5, framework="uva")
    assert hits and all(p.chunk.framework == "UVA-PLE" for p in hits)


def test_empty_query_returns_nothing(fake_services):
    assert fake_services.retriever.search("   ") == []


def _span(case) -> tuple[int, int]:
    text = (CORPUS / case["doc"]).read_text(encoding="utf-8")
    start = text.index(case["quote"])
    return start, start + len(case["quote"])


@pytest.mark.integration
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_real_retrieval_finds_the_passage_in_the_top_5(real_services, case):
    start, end = _span(case)
    hits = real_services.retriever.search(case["question"], k=5, framework=case.get("framework"))
    found = [h for h in hits if h.chunk.source == case["doc"] and h.chunk.start < end and start < h.chunk.end]
    assert found, f"{case['question']!r}: got " + "; ".join(f"{h.chunk.source}:{h.chunk.section}" for h in hits)


@pytest.mark.integration
def test_passages_carry_all_metadata(real_services):
    hit = real_services.retriever.search("what does 11a say at getting better", k=1)[0]
    c = hit.chunk
    assert (c.indicator, c.practice, c.level, c.framework) == ("11a", "11", "Getting Better", "Leadership System rubric")
    raw = (CORPUS / c.source).read_text(encoding="utf-8")
    assert c.text.split()[0] in raw[c.start:c.end]
    assert set(hit.signals) >= {"dense", "bm25", "boost"}
