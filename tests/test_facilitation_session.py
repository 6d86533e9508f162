"""Each browser's work kept between visits (SessionStore) and bets placed from suggestions (placing): the same
draft from every tab, a reload or a restart (a new store over the same folder) finds it, keys are never paths."""

from __future__ import annotations

import pytest

from assistant.facilitation.placing import bet_from, place, short_title
from assistant.facilitation.session import FacilitationState, SessionStore
from assistant.facilitation.toa import Bet, TheoryOfAction

KEY = "0f3c2a9b8d7e6f5a4b3c2d1e0f9a8b7c"


def suggestion(item_id: str, title: str) -> dict:
    return {"item_id": item_id, "label": f"UVA-PLE {title}", "title": title, "framework": "UVA-PLE", "reason": "",
            "citation": {}, "focus_id": "", "related": []}


def test_a_new_store_over_the_same_folder_finds_everything(tmp_path):
    store = SessionStore(tmp_path)
    state = FacilitationState(active=True, step="goal", toa=TheoryOfAction(goal="Raise reading to 60% by 2028"))
    assert store.save_draft(KEY, state) and state.rev == 1
    store.save(KEY, "conversation", {"sid": None, "turns": [{"question": "q", "answer": {"answer": "a"}}]})
    store.save(KEY, "assessment", {"district": "Riverside"})
    again = SessionStore(tmp_path)  # a server restart
    assert again.draft(KEY).toa.goal == "Raise reading to 60% by 2028" and again.draft(KEY).rev == 1
    assert again.load(KEY, "conversation")["turns"][0]["question"] == "q"
    assert again.load(KEY, "assessment") == {"district": "Riverside"}
    again.save_draft(KEY, again.draft(KEY))
    assert again.draft(KEY).rev == 2


def test_copies_never_share_objects(tmp_path):
    store = SessionStore(tmp_path)
    store.save(KEY, "assessment", {"ratings": []})
    store.load(KEY, "assessment")["ratings"].append(1)
    assert store.load(KEY, "assessment") == {"ratings": []}


@pytest.mark.parametrize("key", ["../../etc", "a/b", "", "x" * 200, "with space"])
def test_keys_that_are_not_plain_ids_are_never_paths(tmp_path, key):
    store = SessionStore(tmp_path)
    store.save(key, "assessment", {"x": 1})
    assert list(tmp_path.rglob("*.json")) == []
    assert store.files_dir(key).name == "shared"


def test_memory_store_writes_nothing(tmp_path):
    store = SessionStore(None)
    store.save(KEY, "assessment", {"x": 1})
    assert store.load(KEY, "assessment") == {"x": 1} and SessionStore(None).load(KEY, "assessment") is None


def test_oldest_browsers_are_dropped_beyond_the_limit(tmp_path):
    import os
    import time

    store = SessionStore(tmp_path, max_browsers=3)
    for n in range(5):
        store.save(f"browser{n:04d}", "assessment", {"n": n})
        os.utime(tmp_path / f"browser{n:04d}", (time.time() + n, time.time() + n))
    store._prune()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["browser0002", "browser0003", "browser0004"]


@pytest.mark.parametrize("title,expected", [
    ("Supervision and Development that Strengthens School Leaders", "Supervision and Development that Strengthens "
                                                                      "School Leaders"),
    ("District and building leaders engage with students, staff, and community through formal and informal "
     "communications to share ideas and build trust.", "District and building leaders engage with students, staff, "
                                                        "and community"),
    ("Condition 4: Supervision and Development", "Supervision and Development"),
])
def test_bet_titles_are_whole_phrases(title, expected):
    assert short_title(title) == expected


# (bets before: (item, started?), chosen, bets after, message starts with)
PLACES = [
    ([], ["a", "b"], ["a", "b"], "Your bets"),
    ([("a", False), ("b", False)], ["c"], ["a", "b", "c"], "Your bets"),
    ([("a", False), ("b", True), ("c", False)], ["d"], ["b", "c", "d"], "Your bets"),  # an unstarted bet makes room
    ([("a", True), ("b", True), ("c", True)], ["d"], ["a", "b", "c"], "⚠ Place your bets"),
    ([("a", True)], ["a"], ["a"], "Those practices are already bets"),
    ([], ["a", "b", "c", "d"], ["a", "b", "c"], "⚠ Place your bets"),
]


@pytest.mark.parametrize("before,chosen,after,message", PLACES)
def test_place_bets_from_suggestions(before, chosen, after, message):
    suggestions = [suggestion(i, f"Condition {i}") for i in "abcd"]
    state = FacilitationState()
    for item, begun in before:
        bet = bet_from(suggestion(item, f"Condition {item}"))
        if begun:
            bet.district_actions = ["Redesign the supervisor role"]
        state.toa.bets.append(bet)
    said = place(state, suggestions, chosen)
    if len(chosen) > 3 and not before:
        assert said.startswith(message) and state.toa.bets == []
        return
    assert said.startswith(message), said
    assert [b.item_ids[0] for b in state.toa.bets] == after
    assert {c["item_id"] for c in state.candidates} == set("abcd")  # the same list is offered everywhere


def test_started_bets_keep_what_the_team_wrote():
    state = FacilitationState(toa=TheoryOfAction(bets=[Bet(title="Mine", item_ids=["a"], core_changes=["x y"])]))
    place(state, [suggestion("b", "B")], ["b"])
    assert state.toa.bets[0].core_changes == ["x y"] and state.toa.bets[1].title == "B"
