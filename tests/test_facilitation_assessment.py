"""Rubric self-assessment: ratings, save/load, descriptors and next moves, summaries, comparison, priorities,
charts."""

from __future__ import annotations

import json
from pathlib import Path

import io

import pytest

from assistant.facilitation import charts
from assistant.facilitation.assessment import (SCHEMA, Assessment, compare, descriptor, item_name, next_moves,
                                               priorities, rated_items, summary)
from assistant.facilitation.library import Library
from assistant.frameworks import build_catalog
from conftest import CorpusTexts

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def lib():
    return Library(build_catalog(ROOT / "corpus"), CorpusTexts())


@pytest.fixture
def fall():
    return Assessment.load(DATA / "assessment_fall.json")


@pytest.fixture
def spring():
    return Assessment.load(DATA / "assessment_spring.json")


def test_the_scales_cover_28_indicators_and_13_conditions(lib):
    assert len(rated_items(lib.catalog, "rubric")) == 28
    assert len(rated_items(lib.catalog, "uva")) == 13


def test_save_load_round_trip(fall, tmp_path):
    path = fall.save(tmp_path / "a.json")
    data = json.loads(path.read_text())
    assert data["schema"] == SCHEMA and data["version"] == 1
    again = Assessment.load(path)
    assert again.to_dict() == fall.to_dict()
    assert again.ratings["rubric:11a"].evidence == "Evidence for 11a"


@pytest.mark.parametrize("call,message", [
    (lambda a: a.rate("rubric:11a", 4), "not on the scale"),
    (lambda a: a.rate("uva:condition-4", 0), "not on the scale"),
    (lambda a: a.rate("leadct:system-1", 1), "not a rubric indicator"),
    (lambda a: Assessment.from_dict({"schema": "other"}), "not a saved self-assessment"),
    (lambda a: Assessment.from_dict({"schema": SCHEMA, "version": 99}), "newer version"),
    (lambda a: Assessment.from_json("{"), "not valid JSON"),
])
def test_invalid_input_is_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call(Assessment())


@pytest.mark.parametrize("item_id,level,field", [
    ("rubric:11a", 1, "Getting Started"), ("rubric:11a", 3, "Keep Improving"), ("uva:condition-4", 2, "Definition"),
])
def test_descriptor_is_the_cited_cell(lib, item_id, level, field):
    ref = descriptor(lib, item_id, level)
    f = lib.catalog.get(item_id).field(field)
    assert (ref.start, ref.end) == (f.start, f.end)
    assert lib.raw(ref.source)[ref.start:ref.end] == ref.quote
    assert descriptor(lib, item_id, None) is None


@pytest.mark.parametrize("item_id,current,target", [
    ("rubric:12a", None, "Getting Started"), ("rubric:12a", 0, "Getting Started"), ("rubric:12a", 1, "Getting Better"),
    ("rubric:12a", 2, "Keep Improving"), ("uva:condition-4", 1, "Implications"), ("uva:condition-4", 3, "Deepened Work"),
])
def test_next_moves_are_the_next_levels_sentences(lib, item_id, current, target):
    moves = next_moves(lib, item_id, current)
    assert moves.target == target
    field = lib.catalog.get(item_id).field(target)
    assert moves.moves and all(field.start <= m.start and m.end <= field.end for m in moves.moves)
    assert all(lib.raw(m.source)[m.start:m.end] == m.quote for m in moves.moves)


def test_top_of_scale_has_no_next_moves(lib):
    assert next_moves(lib, "rubric:12a", 3) is None
    assert next_moves(lib, "uva:condition-4", 4) is None


def test_summary_by_area(lib, fall):
    rows = summary(fall, lib)
    assert [r.label.split(":")[0] for r in rows] == [f"Area {n}" for n in range(1, 7)]
    area4 = next(r for r in rows if r.group_id == "rubric:area-4")
    assert area4.items == 7 and area4.rated == 7
    assert area4.current == round((1 + 0 + 1 + 1 + 0 + 1 + 0) / 7, 2)
    uva = summary(fall, lib, "uva")
    assert len(uva) == 4 and next(r for r in uva if r.group_id == "uva:lever-2").rated == 1


def test_priorities_largest_gap_in_focus_areas(lib, fall):
    got = [p.item_id for p in priorities(fall, lib)]
    assert got == ["rubric:12b", "rubric:10a", "rubric:11b", "rubric:17", "rubric:9"]
    top = priorities(fall, lib, n=1)[0]
    assert top.gap == 3 and top.moves.target == "Getting Started"
    everywhere = [p.item_id for p in priorities(fall, lib, n=3, areas=[])]
    assert everywhere[0] == "rubric:12b" and "rubric:6b" in everywhere  # area 3 counts when no focus is set


def test_compare_growth(lib, fall, spring):
    cmp = compare(fall, spring, lib)
    changes = {c.item_id: c.change for c in cmp.items}
    assert changes["rubric:11a"] == 1 and changes["rubric:12b"] == 1 and changes["rubric:13"] == -1
    assert {c.item_id for c in cmp.improved()} == {"rubric:11a", "rubric:12a", "rubric:12b", "rubric:16", "rubric:10a"}
    assert [c.item_id for c in cmp.declined()] == ["rubric:13"]
    area4 = next(g for g in cmp.groups if g[0].startswith("Area 4"))
    assert area4[2] > area4[1]


@pytest.mark.parametrize("make", [
    lambda a, b, lib: charts.area_chart(a, lib),
    lambda a, b, lib: charts.area_chart(a, lib, "uva"),
    lambda a, b, lib: charts.heatmap(a, lib),
    lambda a, b, lib: charts.growth_chart(compare(a, b, lib), "Fall", "Spring"),
    lambda a, b, lib: charts.area_chart(Assessment(), lib),
], ids=["areas", "uva", "heatmap", "growth", "empty"])
def test_charts_are_png_drawn_for_full_width_with_readable_labels(lib, fall, spring, make):
    from PIL import Image

    data = make(fall, spring, lib)
    assert data.startswith(PNG) and len(data) > 5000
    width = Image.open(io.BytesIO(data)).width
    assert width >= 1200  # drawn for a full-width place
    assert charts.min_font_px(data) * 1000 / width >= 12  # at least 12 px even shown only 1000 px wide


@pytest.mark.parametrize("item_id,name", [
    ("rubric:1", "Indicator 1 — District leaders establish the identity of the district"),
    ("rubric:3b", "Indicator 3b — District leaders engage representative constituent groups, including students, "
                  "staff, and community members"),
    ("rubric:12b", "Indicator 12b — District leaders engage in coaching conversations"),
    ("uva:condition-4", "Condition 4 — Supervision and Development that Strengthens School Leaders"),
])
def test_items_are_named_by_their_text(lib, item_id, name):
    assert item_name(lib, item_id) == name


def test_priorities_are_named_with_their_gap(lib, fall):
    top = priorities(fall, lib, n=1)[0]
    assert top.name == "Indicator 12b — District leaders engage in coaching conversations"
    assert top.gap_text == "gap 3: Not yet started → Keep Improving"
    s = top.suggestion(lib)
    assert s["item_id"] == "rubric:12b" and "gap 3" in s["label"] and s["title"] == "District leaders engage in " \
                                                                                    "coaching conversations"
