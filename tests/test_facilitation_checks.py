"""Coherence checks: every criterion is cited by a span that states it, and each is met on a complete plan and
missing on a plan crafted to lack exactly it."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from assistant.facilitation.checks import BY_KEY, CRITERIA, criterion_refs, run_checks, systems_touched
from assistant.facilitation.library import Library
from assistant.facilitation.toa import Bet, TheoryOfAction
from assistant.frameworks import build_catalog
from conftest import CorpusTexts

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "tests" / "data" / "toa_principal_coaching.json"


@pytest.fixture(scope="module")
def lib():
    return Library(build_catalog(ROOT / "corpus"), CorpusTexts())


@pytest.fixture
def plan():
    return TheoryOfAction.load(PLAN)


def squash(text: str) -> str:
    return " ".join(text.split()).casefold()


@pytest.mark.parametrize("criterion", CRITERIA, ids=lambda c: c.key)
def test_each_criterion_is_cited_by_a_span_that_states_it(lib, criterion):
    refs = criterion_refs(lib, criterion)
    main = refs[0]
    assert main.item_id == criterion.item_id
    assert lib.raw(main.source)[main.start:main.end] == main.quote  # exact corpus text
    item = lib.catalog.get(criterion.item_id)
    assert item.start <= main.start and main.end <= item.end  # inside the item that states the criterion
    for word in criterion.keywords:
        assert squash(word) in squash(main.text), (criterion.key, word, main.text)
    for ref in refs[1:]:
        assert lib.raw(ref.source)[ref.start:ref.end] == ref.quote


def test_criteria_cover_the_frameworks_own_sources():
    items = {c.item_id for c in CRITERIA}
    assert {"leadct:principle-1", "leadct:requirement-2", "leadct:requirement-5", "leadct:principle-2",
            "leadct:requirement-4", "leadct:requirement-1", "leadct:component-external-factors",
            "coherence:coherence-making:outcome-1", "instll:criterion-system-wide",
            "instll:criterion-specific-and-public-goals", "instll:step-2"} <= items


def test_complete_plan_meets_every_check(lib, plan):
    results = run_checks(plan, lib)
    assert [r.key for r in results] == [c.key for c in CRITERIA]
    assert all(r.met for r in results), [(r.key, r.detail) for r in results if not r.met]
    assert all(not r.question for r in results)


def _drop_core(t):
    for b in t.bets:
        b.core_changes = []
        b.principal_changes = [re.sub(r"teachers?", "staff", p) for p in b.principal_changes]
        b.principal_changes = [p.replace("classrooms", "buildings").replace("grade-level tasks", "plans")
                               for p in b.principal_changes]


def _drop_leadership(t):
    for b in t.bets:
        b.principal_changes = []
        b.district_actions = ["Buy a new reading curriculum"]
        b.title = "Curriculum"


def _drop_culture(t):
    t.culture = ""
    t.scope = "All 14 schools"
    for b in t.bets:
        b.title = "Bet"
        b.district_actions = ["Redesign supervision"]


def _drop_systems(t):
    t.systems = []
    t.title, t.goal, t.problem, t.evidence, t.assumptions = "ToA", "Raise scores to 60% by 2028 in all schools", "x", [], []
    t.culture, t.board_role, t.external_factors, t.communication, t.scope = "", "", "", "", ""
    t.bets = [Bet(title="Principal visits", district_actions=["Visit schools"], principal_changes=["Principals visit"],
                  core_changes=["Teachers improve"], lead_metrics=["visits"], lag_outcomes=["scores"])]


def _more_than_three(t):
    t.bets = t.bets + [copy.deepcopy(t.bets[0]) for _ in range(2)]


MUTATIONS = {
    "few_bets": _more_than_three,
    "instructional_core": _drop_core,
    "school_leadership": _drop_leadership,
    "culture": _drop_culture,
    "systems": _drop_systems,
    "governance": lambda t: (setattr(t, "board_role", ""), setattr(t, "communication", "Share with staff in August")),
    "external_factors": lambda t: (setattr(t, "external_factors", ""), setattr(t, "assumptions", [])),
    "metrics": lambda t: setattr(t.bets[1], "lead_metrics", []),
    "system_wide": lambda t: (setattr(t, "scope", "The five priority schools"),
                              setattr(t, "goal", "Raise reading proficiency in priority schools from 41% to 60% by 2028")),
    "public_goals": lambda t: setattr(t, "goal", "Better reading for the priority schools"),
    "communication": lambda t: setattr(t, "communication", ""),
}


@pytest.mark.parametrize("key", list(MUTATIONS))
def test_each_check_goes_missing_when_its_part_is_removed(lib, plan, key):
    MUTATIONS[key](plan)
    results = {r.key: r for r in run_checks(plan, lib)}
    r = results[key]
    assert not r.met, (key, r.detail)
    assert r.question == BY_KEY[key].question
    assert r.citations[0].item_id == BY_KEY[key].item_id
    assert r.detail


def test_all_criteria_have_mutations():
    assert set(MUTATIONS) == {c.key for c in CRITERIA}


def test_empty_plan_misses_everything_with_questions(lib):
    results = run_checks(TheoryOfAction(), lib)
    assert not any(r.met for r in results)
    assert all(r.question.endswith("?") for r in results)
    ex = {r.key: r.examples for r in results}
    assert ex["school_leadership"] and ex["school_leadership"][0].item_id == "uva:condition-4"


def test_systems_touched_reads_fields_items_and_words(plan, lib):
    assert {2, 3} <= set(systems_touched(plan, lib))
    t = TheoryOfAction(bets=[Bet(title="x", item_ids=["leadct:system-4"], district_actions=["y"])])
    assert systems_touched(t, lib) == [4]
