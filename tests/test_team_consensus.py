"""Team consensus on a self-assessment, without an index: people's ratings merged per indicator (spread, proposed
rating, largest disagreements), the agreed rating with the dissent recorded, team files that reopen and merge, and
team codes shared between browsers through the session store."""

from __future__ import annotations

import pytest

from assistant.facilitation.assessment import Assessment
from assistant.facilitation.consensus import SCHEMA, TeamAssessment, merge
from assistant.facilitation.session import SessionStore
from assistant.facilitation.teams import TeamRoom, normal_code, shown_code

KEY = "0f3c2a9b8d7e6f5a4b3c2d1e0f9a8b7c"


def person(name: str, ratings: dict[str, tuple]) -> Assessment:
    a = Assessment(district="Riverside", rater=name)
    for item, (current, goal, note) in ratings.items():
        a.rate(item, current, goal, note)
    return a


ANA = person("Ana", {"rubric:12b": (0, 2, "Supervisors visit for compliance"), "rubric:1": (1, 2, "")})
BEN = person("Ben", {"rubric:12b": (2, 3, "Coaching has started in 5 schools"), "rubric:1": (1, 2, "")})
CAL = person("Cal", {"rubric:12b": (1, 2, "Some coaching"), "rubric:1": (2, 3, "Vision is shared"),
                     "rubric:19a": (0, 1, "")})


def team(*people: Assessment) -> TeamAssessment:
    t = TeamAssessment()
    for p in people:
        t.add(p.rater, p)
    return t


@pytest.mark.parametrize("people, item, spread, proposed, raters", [
    ((ANA, BEN, CAL), "rubric:12b", 2, (1, 2), ["Ana", "Ben", "Cal"]),
    ((ANA, BEN, CAL), "rubric:1", 1, (1, 2), ["Ana", "Ben", "Cal"]),
    ((ANA, BEN, CAL), "rubric:19a", 0, (0, 1), ["Cal"]),  # one rater: no spread
    ((ANA, BEN), "rubric:12b", 2, (0, 2), ["Ana", "Ben"]),  # an even count: the lower middle
    ((ANA, ANA), "rubric:12b", 0, (0, 2), ["Ana"]),  # the same person twice counts once
])
def test_spread_and_proposal_per_indicator(people, item, spread, proposed, raters):
    s = next(x for x in team(*people).spreads() if x.item_id == item)
    assert (s.spread, s.proposed, [n for n, _ in s.ratings]) == (spread, proposed, raters)


def test_largest_disagreements_first_in_catalog_order_and_agreement_left_out():
    t = team(ANA, BEN, CAL)
    order = {"rubric:1": 0, "rubric:12b": 1, "rubric:19a": 2}
    assert [s.item_id for s in t.disagreements(order)] == ["rubric:12b", "rubric:1"]
    assert [s.item_id for s in t.spreads(order)] == ["rubric:1", "rubric:12b", "rubric:19a"]
    assert team(ANA).disagreements() == []


@pytest.mark.parametrize("agreed, notes, dissent", [
    (1, {}, [("Ana", 0, "Supervisors visit for compliance"), ("Ben", 2, "Coaching has started in 5 schools")]),
    (1, {"ben": "Our pilot shows it"}, [("Ana", 0, "Supervisors visit for compliance"), ("Ben", 2, "Our pilot shows it")]),
    (2, {}, [("Ana", 0, "Supervisors visit for compliance"), ("Cal", 1, "Some coaching")]),
])
def test_agreeing_records_everyone_who_rated_otherwise(agreed, notes, dissent):
    t = team(ANA, BEN, CAL)
    ag = t.agree("rubric:12b", agreed, 3, "  Walkthroughs   settle it ", notes)
    assert [(d.name, d.current, d.note) for d in ag.dissent] == dissent and ag.rationale == "Walkthroughs settle it"
    out = t.agreed_assessment().ratings["rubric:12b"]
    assert out.current == agreed and out.goal == 3 and out.evidence.startswith("Walkthroughs settle it Dissent: ")
    assert all(name in out.evidence for name, _, _ in dissent)


def test_a_unanimous_agreement_has_no_dissent():
    t = team(ANA, BEN)
    assert t.agree("rubric:1", 1).dissent == [] and "Dissent" not in t.agreed_assessment().ratings["rubric:1"].evidence


def test_team_files_round_trip_and_refuse_other_files():
    t = team(ANA, BEN, CAL)
    t.agree("rubric:12b", 1, 3, "Walkthroughs")
    again = TeamAssessment.from_json(t.to_json())
    assert [m.name for m in again.members] == ["Ana", "Ben", "Cal"] and again.district == "Riverside"
    assert again.agreed["rubric:12b"].dissent[0].name == "Ana" and again.to_dict() == t.to_dict()
    for bad in ({"schema": "other"}, [], {"schema": SCHEMA, "version": 99}):
        with pytest.raises(ValueError):
            TeamAssessment.from_dict(bad)


def test_merge_names_people_by_rater_else_by_file_and_brings_team_files_in():
    anon = person("", {"rubric:12b": (3, 3, "")})
    earlier = team(ANA)
    earlier.agree("rubric:12b", 0)
    t = merge([("ben", BEN.to_dict()), ("dana", anon.to_dict()), ("old", earlier.to_dict())])
    assert [m.name for m in t.members] == ["Ben", "dana", "Ana"] and "rubric:12b" in t.agreed
    assert t.members[1].source == "imported dana"
    with pytest.raises(ValueError):
        merge([("x", {"schema": "something else"})])


def test_adding_the_same_name_replaces_that_persons_ratings():
    t = team(ANA)
    t.add("ana", person("ana", {"rubric:12b": (3, 3, "")}))
    assert len(t.members) == 1 and t.members[0].assessment.ratings["rubric:12b"].current == 3
    t.remove("ANA")
    assert t.members == []


@pytest.mark.parametrize("typed, stored", [
    ("k7m2-p9qx-4t", "k7m2p9qx4t"), (" K7M2 P9QX 4T ", "k7m2p9qx4t"), ("k7m2p9qx4", ""), ("k7m2-p9qx-40", ""),
    ("../../etc/pa", ""), (None, ""),
])
def test_team_codes(typed, stored):
    assert normal_code(typed) == stored
    assert shown_code(typed) == (f"{stored[:4]}-{stored[4:8]}-{stored[8:]}" if stored else "")


def test_a_team_is_shared_through_the_store_and_survives_a_restart(tmp_path):
    room = TeamRoom(SessionStore(tmp_path))
    code = room.new()
    assert normal_code(code) == code and room.load(code).members == []
    room.contribute(shown_code(code), "Ana", ANA, "shared from a browser")  # typed as people read it
    room.contribute(code, "Ben", BEN, "shared from a browser")
    room.remember(KEY, code, "Ana")
    again = TeamRoom(SessionStore(tmp_path))  # a server restart
    assert [m.name for m in again.load(code).members] == ["Ana", "Ben"]
    assert again.remembered(KEY) == {"code": code, "name": "Ana"}
    with pytest.raises(KeyError):
        again.contribute("abcd-efgh-jk", "Cal", CAL, "")  # a well-formed code no team has
    with pytest.raises(KeyError):
        again.contribute("not a code", "Cal", CAL, "")
    assert again.load("not a code") is None and list(tmp_path.rglob("*etc*")) == []


def test_people_adding_at_once_are_all_kept(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    room = TeamRoom(SessionStore(tmp_path))
    code = room.new()
    people = [person(f"P{k}", {"rubric:12b": (k % 4, 3, "")}) for k in range(12)]
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda p: room.contribute(code, p.rater, p, ""), people))
    assert sorted(m.name for m in room.load(code).members) == sorted(p.rater for p in people)
