"""The improvement plan's own data, without an index: secondary drivers keeping their citations through the team's
edits, 90-day cycles (dates, what a plan still lacks, status, which cycle runs next), the readiness check (scores,
flags, summaries), and all of it saved with the theory of action and kept when the form rebuilds the bets."""

from __future__ import annotations

import pytest

from assistant.facilitation.cycles import Cycle, LogEntry, cycles_from, iso, next_cycle, parse_date
from assistant.facilitation.drivers import MAX_DRIVERS, Driver, add, drivers_from, relabel
from assistant.facilitation.entries import answered, as_list
from assistant.facilitation.readiness import DIMENSIONS, LOW, Readiness, follow_up, question
from assistant.facilitation.toa import Bet, TheoryOfAction
from assistant.types import SourceRef

REF = SourceRef("uva:condition-4", "UVA-PLE", "uva.txt", 10, 40, "District leaders establish coaching", ("C4",))


def driver(text: str, item: str = "uva:condition-4") -> Driver:
    return Driver(text, item, REF)


# ---- entries ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, expected", [
    ("Coaching visits", True), ("TBD", False), ("n/a", False), ("  ?? ", False), ("", False), (None, False),
    (["", "tbd", "Weekly walkthroughs"], True), (["-", "none"], False), ("x", False), ("See above", False),
])
def test_answered(value, expected):
    assert answered(value) is expected


@pytest.mark.parametrize("value, expected", [
    ("a\nb", ["a", "b"]), ("a; b;", ["a", "b"]), ("- a\n2) b\n• c", ["a", "b", "c"]), (None, []),
    (["a", " ", 3], ["a", "3"]),
])
def test_as_list(value, expected):
    assert as_list(value) == expected


# ---- drivers ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("old, lines, kept", [
    ([driver("Supervisors coach principals")], "Supervisors coach principals", [True]),  # unchanged
    ([driver("Supervisors coach principals")], "Supervisors coach every principal", [True]),  # a light edit
    ([driver("Supervisors coach principals")], "A new budget line for tutoring", [False]),  # replaced
    ([driver("Supervisors coach principals"), driver("Teacher teams use data", "uva:condition-12")],
     "Teacher teams use data\nSupervisors coach principals", [True, True]),  # reordered: each keeps its own
    ([driver("Supervisors coach principals")], "Supervisors coach principals\nSupervisors coach principals!",
     [True, False]),  # one earlier driver gives its citation once
    ([Driver("Our own words")], "Our own words", [False]),  # the team's own: never cited
])
def test_relabel_keeps_a_citation_only_through_light_edits(old, lines, kept):
    out = relabel(old, lines)
    assert [d.ref is not None for d in out] == kept
    assert [d.text for d in out] == as_list(lines)


def test_relabel_gives_the_citation_of_the_driver_the_line_came_from():
    a, b = driver("Supervisors coach principals", "uva:condition-4"), driver("Teacher teams use data", "x:1")
    out = relabel([a, b], ["Teacher teams use student data"])
    assert out[0].item_id == "x:1"


@pytest.mark.parametrize("have, new, added", [
    ([], [driver("A", "i:1"), driver("B", "i:2")], 2),
    ([driver("A", "i:1")], [driver("A again", "i:1")], 0),  # the same item
    ([Driver("Coaching")], [driver("coaching", "i:9")], 0),  # the same words
    ([driver(str(k), f"i:{k}") for k in range(MAX_DRIVERS)], [driver("one more", "i:99")], 0),  # full
])
def test_add_never_repeats_an_item_and_stops_at_the_maximum(have, new, added):
    out, n = add(have, new)
    assert n == added and len(out) == len(have) + added <= MAX_DRIVERS


@pytest.mark.parametrize("value, texts, cited", [
    ("One\nTwo", ["One", "Two"], [False, False]),
    ([{"text": "A", "item_id": "i:1", "citation": REF.to_dict()}, "B"], ["A", "B"], [True, False]),
    ([{"text": "A", "citation": {"source": "x"}}], ["A"], [False]),  # a damaged citation is dropped
    ([{"text": "  "}, 5, None], [], []),
])
def test_drivers_from_saved_forms(value, texts, cited):
    out = drivers_from(value)
    assert [d.text for d in out] == texts and [d.ref is not None for d in out] == cited


# ---- cycles ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("2025-09-02", "2025-09-02"), ("2025-9-2", "2025-09-02"), ("9/2/2025", "2025-09-02"), ("2025-02-30", None),
    ("next month", None), ("", None),
])
def test_parse_date(text, expected):
    d = parse_date(text)
    assert (d.isoformat() if d else None) == expected


def test_iso_keeps_what_it_cannot_read():
    assert iso("9/2/2025") == "2025-09-02" and iso("  after  winter break ") == "after winter break"


READY = dict(change_idea="Weekly coaching", prediction="Feedback doubles", lead_measures=["Visits"], who="CAO",
             start="2025-09-02")


@pytest.mark.parametrize("changes, gaps", [
    ({}, []),
    ({"change_idea": "TBD"}, ["the change idea to test"]),
    ({"prediction": ""}, ["a prediction (what you expect to happen, and why)"]),
    ({"lead_measures": []}, ["a lead measure to watch during the cycle"]),
    ({"who": "n/a"}, ["who runs it"]),
    ({"start": ""}, ["a start date (as 2025-09-02)"]),
    ({"start": "after break"}, ["a start date as 2025-09-02 (not “after break”)"]),
    ({"end": "2025-08-01"}, ["an end date after the start"]),
    ({"end": "spring"}, ["an end date as 2025-12-01 (not “spring”)"]),
])
def test_cycle_gaps_name_what_is_missing(changes, gaps):
    assert Cycle(**{**READY, **changes}).gaps() == gaps


@pytest.mark.parametrize("log, status, decision", [
    ([], "planned", ""),
    ([LogEntry("2025-10-01", "Visited", "More feedback", "continue")], "running", "continue"),
    ([LogEntry(did="Visited"), LogEntry(decision="adapt")], "decided", "adapt"),
    ([LogEntry(decision="abandon"), LogEntry(did="Still looking")], "decided", "abandon"),
])
def test_cycle_status_follows_its_log(log, status, decision):
    c = Cycle(**READY, log=log)
    assert (c.status, c.decision) == (status, decision)


def test_cycle_ends_ninety_days_after_it_starts_unless_told():
    assert Cycle(**READY).end_date() == "2025-12-01"
    assert Cycle(**{**READY, "end": "2025-11-15"}).end_date() == "2025-11-15"
    assert Cycle(**{**READY, "start": "soon"}).end_date() == ""


def test_cycle_json_round_trip_and_unknown_decisions():
    c = Cycle(**READY, log=[LogEntry("10/15/2025", "Did", "Learned", "adopt")])
    again = Cycle.from_dict(c.to_dict())
    assert again.log[0].date == "2025-10-15" and again.to_dict() == Cycle.from_dict(again.to_dict()).to_dict()
    assert (again.change_idea, again.lead_measures, again.decision) == (c.change_idea, c.lead_measures, "adopt")
    assert LogEntry.from_dict({"decision": "maybe"}).decision == ""
    assert cycles_from([{"change_idea": ""}, {"change_idea": "X"}, "junk"]) == [Cycle(change_idea="X")]


@pytest.mark.parametrize("plans, expected", [
    ([[], []], None),
    ([[dict(start="2025-10-01")], [dict(start="2025-09-01")]], (1, 0)),  # the soonest planned
    ([[dict(start="2025-09-01")], [dict(start="2025-12-01", log=[LogEntry(did="x")])]], (1, 0)),  # under way first
    ([[dict(start="", change_idea="undated")], [dict(start="2026-01-01")]], (1, 0)),  # undated last
    ([[dict(start="2025-09-01", log=[LogEntry(decision="adopt")]), dict(start="2026-01-01")]], (0, 1)),  # decided
])
def test_next_cycle(plans, expected):
    bets = [Bet(title=f"Bet {k}", cycles=[Cycle(**{**READY, **p}) for p in ps]) for k, ps in enumerate(plans)]
    found = next_cycle(bets)
    assert (found[:2] if found else None) == expected


# ---- readiness -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("scores, low, summary", [
    ({}, [], "Not scored yet."),
    ({"need": 5, "fit": 4}, [], "Scored 2 of 6, average 4.5; none low."),
    ({"need": 4, "capacity": 2, "resources": 1}, ["resources", "capacity"],
     "Scored 3 of 6, average 2.3; low: resources (1), capacity (2)."),
    ({d: 3 for d in DIMENSIONS}, [], "Scored 6 of 6, average 3.0; none low."),
])
def test_readiness_flags_low_scores(scores, low, summary):
    r = Readiness()
    for d, s in scores.items():
        r.rate(d, s, f"note on {d}")
    assert r.low() == low and r.summary() == summary
    assert all(r.score(d) <= LOW for d in r.low())


@pytest.mark.parametrize("dimension, score", [("budget", 3), ("need", 6), ("need", 0), ("need", "high")])
def test_readiness_refuses_what_it_cannot_score(dimension, score):
    with pytest.raises(ValueError):
        Readiness().rate(dimension, score)


def test_readiness_json_round_trip_and_clearing():
    r = Readiness()
    r.rate("need", "4", "Results are flat")
    r.rate("capacity", 2)
    again = Readiness.from_dict(r.to_dict())
    assert again.scores == {"need": 4, "capacity": 2} and again.note("need") == "Results are flat"
    r.rate("need", None)
    assert r.score("need") is None and r.note("need") == "Results are flat"
    assert Readiness.from_dict({"need": 3, "fit": "x", "bogus": 5}).scores == {"need": 3, "fit": None}
    assert Readiness.from_dict(None).is_empty()


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_every_dimension_has_its_own_question_and_follow_up(dimension):
    q, f = question(dimension), follow_up(dimension)
    assert q.endswith("?") and len(q.split()) >= 12 and "{" not in q
    assert len(f.split()) >= 8 and "{" not in f and f != q


# ---- saved with the draft --------------------------------------------------------------------------------------
def _planned_bet(title: str, item: str) -> Bet:
    b = Bet(title=title, item_ids=[item], district_actions=["Coach principals"],
            secondary_drivers=[driver("Supervisors coach", item)], cycles=[Cycle(**READY)])
    b.readiness.rate("capacity", 2, "Not trained")
    return b


def test_the_plan_travels_in_the_saved_draft():
    toa = TheoryOfAction(title="T", goal="60% by 2028", bets=[_planned_bet("Coaching", "uva:condition-4")])
    again = TheoryOfAction.from_json(toa.to_json())
    bet = again.bets[0]
    assert bet.secondary_drivers[0].ref == REF and bet.cycles == [Cycle(**READY)]
    assert bet.readiness.low() == ["capacity"] and again.to_dict()["version"] == 2


def test_a_version_1_draft_opens_with_an_empty_plan():
    d = TheoryOfAction(title="T", bets=[Bet(title="Coaching")]).to_dict()
    d["version"] = 1
    for b in d["bets"]:
        for k in Bet.PLAN_FIELDS:
            b.pop(k)
    bet = TheoryOfAction.from_dict(d).bets[0]
    assert bet.secondary_drivers == [] and bet.cycles == [] and bet.readiness.is_empty()


@pytest.mark.parametrize("rebuilt, keeps", [
    ([("Coaching", "uva:condition-4"), ("Data teams", "uva:condition-12")], [True, True]),  # same bets
    ([("Data teams", "uva:condition-12"), ("Coaching", "uva:condition-4")], [True, True]),  # reordered
    ([("Coaching, renamed", "uva:condition-4")], [True]),  # renamed: matched by its item
    ([("A new bet", "rubric:12b"), ("Data teams", "uva:condition-12")], [False, True]),  # bet 1 replaced
    ([("Coaching", "")], [True]),  # no item, same place, old key not taken
])
def test_the_form_rebuilding_bets_keeps_each_bets_plan(rebuilt, keeps):
    before = TheoryOfAction(bets=[_planned_bet("Coaching", "uva:condition-4"),
                                  _planned_bet("Data teams", "uva:condition-12")])
    before.bets[1].cycles[0].who = "Director of Curriculum"
    after = TheoryOfAction(bets=[Bet(title=t, item_ids=[i] if i else []) for t, i in rebuilt])
    after.keep_plan(before)
    assert [bool(b.cycles) for b in after.bets] == keeps
    for b in after.bets:
        if b.cycles and b.item_ids == ["uva:condition-12"]:
            assert b.cycles[0].who == "Director of Curriculum"  # its own plan, not its neighbour's
