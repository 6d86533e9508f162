"""The theory-of-action model (JSON round trip, warnings) and the cited draft: statement, chains, strategy table,
assumptions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.facilitation.wording import join
from assistant.text.templates import render, template, variables
from assistant.facilitation.toa import SCHEMA, VERSION, Bet, TheoryOfAction, as_list

DATA = Path(__file__).parent / "data"


@pytest.fixture
def plan():
    return TheoryOfAction.load(DATA / "toa_principal_coaching.json")


def test_json_round_trip(plan, tmp_path):
    again = TheoryOfAction.from_json(plan.to_json())
    assert again.to_dict() == plan.to_dict()
    path = plan.save(tmp_path / "draft.json")
    assert json.loads(path.read_text())["schema"] == SCHEMA
    assert TheoryOfAction.load(path).bets[0].lead_metrics == plan.bets[0].lead_metrics


@pytest.mark.parametrize("bad,message", [
    ({"title": "x"}, "not a saved theory of action"),
    ({"schema": SCHEMA, "version": VERSION + 1}, "newer version"),
])
def test_rejects_other_files(bad, message):
    with pytest.raises(ValueError, match=message):
        TheoryOfAction.from_dict(bad)
    with pytest.raises(ValueError, match="not valid JSON"):
        TheoryOfAction.from_json("{nope")


@pytest.mark.parametrize("value,expected", [
    ("a\nb", ["a", "b"]), ("a; b;", ["a", "b"]), (["- a", "2. b", ""], ["a", "b"]), (None, []), ("", []),
])
def test_list_fields_accept_text_or_lists(value, expected):
    assert as_list(value) == expected


def test_more_than_three_bets_warns():
    t = TheoryOfAction.load(DATA / "toa_five_bets.json")
    assert len(t.active_bets()) == 5
    assert t.warnings() and "Place your bets" in t.warnings()[0] and "5" in t.warnings()[0]
    assert t.bets[2].district_actions == ["Launch a family engagement campaign"]  # a string became a list
    t.bets = t.bets[:3]
    assert t.warnings() == []


def test_bet_editing():
    t = TheoryOfAction()
    t.set_bet(1, Bet(title="second"))
    assert len(t.bets) == 2 and t.bets[0].is_empty() and t.active_bets()[0].title == "second"
    assert t.remove_bet(1).title == "second"
    with pytest.raises(IndexError):
        t.remove_bet(5)


def test_join():
    assert join(["a", "b", "c"]) == "a, b, and c"
    assert join(["a", "a", "b"]) == "a and b"


def test_templates_have_their_variables():
    assert variables(template("facilitation/toa_statement")) == {"actions", "leadership", "core", "goal"}
    assert render("facilitation/toa_statement", actions="a", leadership="b", core="c", goal="d") == \
        "If we a, then b, which will c, so that d."
    with pytest.raises(KeyError, match="needs"):
        render("facilitation/toa_statement", actions="a")


@pytest.mark.integration
def test_draft_statement_chains_table_and_citations(real_services, plan):
    draft = real_services.drafter.draft(plan)
    text = draft.statement_text()
    assert text.startswith("If we redesign the principal supervisor role")
    assert ", then principals spend two mornings" in text and ", which will mean that teachers" in text
    assert text.endswith("by June 2028 in all 14 schools.")
    assert [c.role for c in draft.statement] == ["if", "then", "which", "so that"]
    assert all(c.cites and not c.missing for c in draft.statement)
    numbers = [n for c in draft.statement for n in c.cites]
    assert sorted(set(numbers))[0] == 1 and max(numbers) <= len(set(numbers)) + 1  # numbered in reading order
    assert len(draft.chains) == 2
    for chain in draft.chains:
        assert chain.sentence().startswith("If we ")
        for clause in chain.clauses:
            assert clause.cites, (chain.title, clause.role)
            for n in clause.cites:
                ref = draft.source(n)
                assert ref.quote.strip() and ref.start < ref.end
    # the first bet's "if" clause is supported by one of its own linked items
    first_if = draft.source(draft.chains[0].clauses[0].cites[0])
    assert first_if.item_id in {"uva:condition-4", "rubric:practice-12", "rubric:12a", "rubric:12b",
                                "leadct:leadership-condition-d", "leadct:component-school-leadership"}
    assert draft.table[0].owners == ["Chief Academic Officer", "Principal supervisors"]
    assert draft.table[1].lead_metrics == ["Teams completing a six-week cycle each quarter"]
    assert draft.assumptions == plan.assumptions
    assert any("if we redesign" in a for a in draft.implied_assumptions)
    assert all(r.met for r in draft.checks)
    d = draft.to_dict()
    assert d["statement"] == text and len(d["sources"]) == len(draft.sources)


@pytest.mark.integration
def test_every_cited_span_is_exact_corpus_text(real_services, plan):
    lib = real_services.library
    for ref in real_services.drafter.draft(plan).sources:
        assert lib.raw(ref.source)[ref.start:ref.end] == ref.quote
        item = lib.catalog.get(ref.item_id)
        assert item.start <= ref.start and ref.end <= item.end


@pytest.mark.integration
def test_incomplete_plan_says_what_is_missing_instead_of_placeholders(real_services):
    t = TheoryOfAction(goal="Cut chronic absence from 28% to 15% by 2027",
                       bets=[Bet(title="Attendance teams", district_actions=["Start attendance teams"]),
                             Bet(title="School leadership", district_actions=["school Leadership"],
                                 principal_changes=["meet families"], core_changes=["teachers call home"])])
    draft = real_services.drafter.draft(t)
    first, second = draft.chains
    by = {c.role: c for c in first.clauses}
    assert by["then"].missing and by["which"].missing and not by["if"].missing
    assert first.sentence() == "" and "what principals and school leadership teams will do" in " ".join(first.needs())
    assert all(not c.cites for c in first.clauses)  # nothing shown, nothing cited
    assert second.sentence() == "" and any("“school leadership” names a topic" in n for n in second.needs())
    assert draft.statement_text() == "" and not draft.complete
    text = " ".join(draft.statement_needs + first.needs() + second.needs())
    assert "[" not in text and "Still needed" in draft.needs_text(first.needs())


@pytest.mark.integration
def test_five_bets_draft_keeps_the_warning(real_services):
    draft = real_services.drafter.draft(TheoryOfAction.load(DATA / "toa_five_bets.json"))
    assert draft.warnings and len(draft.chains) == 5
    few = next(r for r in draft.checks if r.key == "few_bets")
    assert not few.met and "5 bets" in few.detail


@pytest.mark.parametrize("shown,saved,same", [
    (["Riverside", None, ["Talent Management System"]], ["Riverside", "", ["Talent Management System"]], True),
    (["Riverside ", "goal"], ["Riverside", "goal"], True),
    (["Riverside", "goal"], ["Riverside", "another goal"], False),  # the saved draft changed elsewhere: show it
    (["Riverside"], ["Riverside", ""], False),
])
def test_opening_the_tab_replaces_the_form_only_when_the_saved_draft_differs(shown, saved, same):
    from assistant.app.tab_toa import _same_values
    assert _same_values(shown, saved) is same
