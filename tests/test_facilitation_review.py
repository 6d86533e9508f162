"""Review of a pasted theory-of-action statement: clauses, the same checks, cited suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.facilitation.library import Library
from assistant.facilitation.review import read_plan, review, split_clauses
from assistant.frameworks import build_catalog
from conftest import CorpusTexts

ROOT = Path(__file__).resolve().parents[1]
WEAK = ("If we invest in coaching for principals, adopt a new math curriculum, expand tutoring and launch a family "
        "engagement campaign, then principals will lead stronger instruction, which will improve teaching, so that "
        "student achievement rises.")
STRONG = ("If we redesign principal supervision so every principal in all 14 schools gets weekly coaching, and protect "
          "weekly collaboration time for teacher teams, then principals and school leadership teams will lead cycles "
          "of inquiry, which will mean teachers adjust instruction using common formative assessments, so that 60% of "
          "students read on grade level by 2028. We will track lead metrics (coaching visits per month, share of teams "
          "completing cycles) and the lag outcome of state reading proficiency, report them publicly to families and "
          "the board each quarter, communicate the plan at town halls, and build a culture of collective "
          "responsibility. State funding and the union contract are external factors we will plan around.")


@pytest.fixture(scope="module")
def lib():
    return Library(build_catalog(ROOT / "corpus"), CorpusTexts())


@pytest.mark.parametrize("text,roles", [
    ("If we coach principals, then teachers improve, so that students learn.", ["if", "then", "so that"]),
    ("If we coach principals then principals observe weekly, which will improve teaching, so that scores rise",
     ["if", "then", "which", "so that"]),
    ("Our theory: if we align curriculum, then teachers plan together.", ["other", "if", "then"]),
    ("By coaching principals we raise achievement", ["if"]),
    ("We will improve schools.", ["other"]),
])
def test_split_clauses_roles(text, roles):
    assert [c.role for c in split_clauses(text)] == roles


def test_if_clause_parts_are_counted():
    clauses = split_clauses(WEAK)
    assert clauses[0].parts == ["invest in coaching for principals", "adopt a new math curriculum", "expand tutoring",
                                "launch a family engagement campaign"]
    assert len(read_plan(WEAK, clauses).bets) == 4


def test_weak_statement_misses_and_gets_cited_suggestions(lib):
    rv = review(WEAK, lib)
    status = {r.key: r.met for r in rv.checks}
    assert status["few_bets"] is False and "4 actions" in next(r.detail for r in rv.checks if r.key == "few_bets")
    assert status["instructional_core"] and status["school_leadership"]
    for key in ("governance", "external_factors", "metrics", "communication", "public_goals", "culture"):
        assert status[key] is False, key
    keys = [s.key for s in rv.suggestions]
    assert "few_bets" in keys and "metrics" in keys
    for s in rv.suggestions:
        assert lib.raw(s.criterion.source)[s.criterion.start:s.criterion.end] == s.criterion.quote
        assert s.hint and s.question.endswith("?")
    md = rv.to_markdown()
    assert "Suggested improvements" in md and "Place your bets" in md


def test_strong_statement_meets_every_check(lib):
    rv = review(STRONG, lib)
    assert [c.role for c in rv.clauses] == ["if", "then", "which", "so that"]
    assert [r.key for r in rv.checks if not r.met] == []
    assert rv.suggestions == []


@pytest.mark.integration
def test_review_with_services_adds_close_framework_examples(real_services):
    rv = real_services.reviewer.review(WEAK)
    with_support = [s for s in rv.suggestions if s.support is not None]
    assert with_support
    lib = real_services.library
    culture = next(s for s in rv.suggestions if s.key == "culture")
    assert culture.support.item_id.startswith("leadct:culture-")
    for s in with_support:
        assert lib.raw(s.support.source)[s.support.start:s.support.end] == s.support.quote


def test_empty_statement_is_an_error(lib):
    with pytest.raises(ValueError):
        review("  ", lib)
