"""The realistic question set (users' own voices) and its fixed dev/test split: shape, counts and exact quotes."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from evals.splits import DATA_DIR, REALISTIC, assign, paths

ROOT = Path(__file__).resolve().parents[1]
CORPUS = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "corpus").glob("*.txt")}
ROWS = {split: [json.loads(line) for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines() if line.strip()]
        for split, name in REALISTIC.items()}
ALL = ROWS["dev"] + ROWS["test"]
# Written after the draw, from the documents alone: dev (tuning) data only.
LATER_FILES = ("realistic_dev2.jsonl", "realistic_dev3.jsonl", "realistic_dev4.jsonl",
               "realistic_dev5.jsonl")
LATER = [json.loads(line) for name in LATER_FILES
         for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines() if line.strip()]
GOLD = [json.loads(line) for line in (DATA_DIR / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]

# What the realistic set must hold across both splits (the minimums).
MINIMUMS = [("problem", 60), ("paraphrase", 40), ("count", 30), ("cross", 40), ("coach", 30), ("evaluator", 20),
            ("followup", 20), ("unanswerable", 30), ("injection", 15)]


@pytest.mark.parametrize("kind,minimum", MINIMUMS)
def test_each_question_type_has_its_minimum(kind, minimum):
    assert Counter(r["type"] for r in ALL)[kind] >= minimum


def test_at_least_300_items_and_unique_ids_across_all_data():
    assert len(ALL) >= 300
    ids = [r["id"] for r in ALL + LATER + GOLD]
    assert len(ids) == len(set(ids))


def test_the_split_is_the_fixed_seed_draw():
    drawn = assign(ALL)
    for split, rows in ROWS.items():
        assert all(drawn[r["id"]] == split for r in rows)
    assert paths("dev")[0].name == "gold.jsonl"  # the original gold set joins dev


def test_no_question_appears_in_two_places():
    # A follow-up's words may repeat ("which framework says that?"); with its history it is a different question.
    questions = [(" ".join(r["question"].lower().split()), json.dumps(r.get("history") or []))
                 for r in ALL + LATER + GOLD]
    assert len(questions) == len(set(questions))


def test_the_later_dev_items_are_dev_only():
    assert tuple(p.name for p in paths("dev")[-len(LATER_FILES):]) == LATER_FILES
    assert not {p.name for p in paths("test")} & set(LATER_FILES)


@pytest.mark.parametrize("row", ALL + LATER, ids=[r["id"] for r in ALL + LATER])
def test_item_shape_and_verbatim_quotes(row):
    assert row["question"].strip() and row["answer"].strip()
    if row["type"] == "unanswerable":
        assert not row["sources"] and not row["key_facts"]
    elif row["type"] != "injection":
        assert row["sources"] and row["key_facts"]
    if row["type"] == "followup":
        assert row.get("history") and all(t["role"] in ("user", "assistant") for t in row["history"])
    for s in row["sources"]:
        assert s["quote"] in CORPUS[s["doc"]], f"not verbatim in {s['doc']}: {s['quote'][:60]!r}"
    for fact in row["key_facts"]:
        alternatives = fact if isinstance(fact, list) else [fact]
        assert alternatives and all(isinstance(a, str) and a.strip() for a in alternatives)


def test_the_set_covers_the_hard_cases():
    tags = Counter(t for r in ALL for t in r.get("tags", []))
    assert tags["after-refusal"] >= 4  # follow-ups after a refused turn
    assert tags["nonexistent-item"] >= 6  # "condition 15", "a fourth level"
    assert tags["mixed"] >= 6  # an instruction plus a real question
    lowercase = sum(1 for r in ALL if r["question"] == r["question"].lower())
    assert lowercase >= 40
