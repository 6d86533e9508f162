"""Practice finder and crosswalk on the real index: the finder cases (tests/data/finder_cases.jsonl) and
crosswalk sanity pairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.facilitation.finder import evaluate, load_cases
from assistant.frameworks.vocabulary import expand

CASES_PATH = Path(__file__).parent / "data" / "finder_cases.jsonl"
# Measured on the 22 cases (all-MiniLM-L6-v2, hybrid retrieval): 21/22 at k=5 and at k=3 (finder-006 expects
# passages in non-actionable sections — LEAD CT's call for coherence, the UVA-PLE overview — or Practice 19).
HIT_RATE_FLOOR_K5 = 0.9
HIT_RATE_FLOOR_K3 = 0.85

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def finder(real_services):
    return real_services.finder


@pytest.fixture(scope="module")
def cases(finder):
    return load_cases(CASES_PATH, finder.lib)


def test_at_least_18_cases_with_resolvable_quotes(cases):
    assert len(cases) >= 18
    assert all(case["spans"] for case in cases)


def test_top5_hit_rate(finder, cases):
    result = evaluate(finder, cases, k=5)
    misses = [r["id"] for r in result["rows"] if not r["item"]]
    assert result["hit_rate"] >= HIT_RATE_FLOOR_K5, f"misses: {misses}"


def test_top3_hit_rate(finder, cases):
    assert evaluate(finder, cases, k=3)["hit_rate"] >= HIT_RATE_FLOOR_K3


@pytest.mark.parametrize("challenge,expected_any", [
    ("our principals get no real coaching", {"uva:condition-4", "rubric:practice-12", "leadct:leadership-condition-d"}),
    ("new teachers leave our high-poverty schools after a year", {"uva:condition-8", "uva:condition-9"}),
    ("teachers use whatever materials they like", {"uva:condition-11", "instll:element-materials", "leadct:system-1"}),
    ("board and superintendent keep fighting", {"leadct:component-governance", "leadct:requirement-1",
                                                "instll:element-school-board-and-superintendent-district"}),
])
def test_top3_has_the_obvious_practice(finder, challenge, expected_any):
    found = {f.item_id for f in finder.find(challenge, k=3)}
    assert found & expected_any, found


def test_findings_carry_exact_citations_and_reasons(finder):
    found = finder.find("data meetings are compliance exercises", k=5)
    assert len(found) == 5
    assert [f.rank for f in found] == [1, 2, 3, 4, 5]
    for f in found:
        raw = finder.lib.raw(f.citation.source)
        assert raw[f.citation.start:f.citation.end] == f.citation.quote
        assert f.start <= f.citation.start and f.citation.end <= f.end  # the reason sits inside the item
        assert f.reason and f.label
        assert finder.catalog.get(f.item_id) is not None
    assert len({f.framework for f in found}) >= 3  # across frameworks: at most two per framework


def test_framework_filter(finder):
    found = finder.find("principal supervision", k=4, framework="UVA-PLE")
    assert found and all(f.framework == "UVA-PLE" for f in found)


def test_rubric_indicators_roll_up_to_their_practice(finder):
    found = finder.find("district leaders coach building leaders in partnership meetings", k=5)
    rubric = [f for f in found if f.item_id.startswith("rubric:")]
    assert rubric and all(f.kind == "practice" for f in rubric)
    assert any(f.focus_id.startswith("rubric:12") for f in rubric)


def test_empty_challenge_is_an_error(finder):
    with pytest.raises(ValueError):
        finder.find("   ")


def test_vocabulary_adds_framework_words_only():
    assert "retention" in expand("teachers keep leaving")
    assert "observations" in expand("admins do walkthroughs")
    assert expand("xyz") == ""


@pytest.mark.parametrize("anchor,framework,expected_any", [
    ("uva:condition-4", "Leadership System rubric", {"rubric:practice-12", "rubric:12a", "rubric:12b"}),
    ("uva:condition-4", "LEAD CT", {"leadct:component-school-leadership", "leadct:principle-4", "leadct:system-2",
                                    "leadct:leadership-condition-c", "leadct:leadership-condition-d"}),
    ("uva:condition-8", "LEAD CT", {"leadct:system-3", "leadct:component-school-leadership"}),
    ("uva:condition-8", "INSTLL", {"instll:element-human-capital"}),
    ("rubric:practice-13", "INSTLL", {"instll:element-administration-and-finance", "instll:strategy-4:action-1"}),
    ("rubric:practice-13", "LEAD CT", {"leadct:system-5"}),
    ("uva:condition-11", "INSTLL", {"instll:element-aligned-curriculum"}),
    ("leadct:system-2", "INSTLL", {"instll:element-knowledge-and-expertise"}),
])
def test_crosswalk_pairs(real_services, anchor, framework, expected_any):
    cw = real_services.crosswalker.crosswalk(anchor, per_framework=2)
    got = {e.item_id for e in cw.columns[framework]}
    assert got & expected_any, got


def test_crosswalk_shape_and_citations(real_services):
    cw = real_services.crosswalker.crosswalk("condition 4 uva")  # a typed reference works too
    assert cw.anchor.item_id == "uva:condition-4"
    assert set(cw.columns) == {"LEAD CT", "INSTLL", "Leadership System rubric", "Coherence & Capacity"}
    lib = real_services.finder.lib
    for entries in cw.columns.values():
        assert 1 <= len(entries) <= 2
        for e in entries:
            assert lib.raw(e.citation.source)[e.citation.start:e.citation.end] == e.citation.quote
            assert e.framework != "UVA-PLE"
    md = cw.to_markdown()
    assert "Condition 4" in md and "LEAD CT" in md
    with pytest.raises(ValueError):
        real_services.crosswalker.crosswalk("no such thing here")
