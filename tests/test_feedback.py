"""Feedback on answers: records kept as JSONL per user (or in memory, the fake), merged by id, and turned by
`python -m evals feedback` into gold candidates in the eval schema that the eval loader reads."""

from __future__ import annotations

import json

import pytest

from assistant.feedback.entry import note_entry, rating_entry
from assistant.feedback.log import FeedbackLog, MemoryFeedbackLog, merge, read_records, user_file

CITATION = {"n": 1, "source": "uva-ple-district-conditions.txt", "doc_id": "uva-ple-district-conditions-txt",
            "framework": "UVA-PLE", "label": "UVA-PLE › Lever 2 › Condition 4", "start": 100, "end": 140,
            "quote": "Principal supervisors visit schools weekly.", "page": None, "item_id": "uva:condition-4"}


def answer(text="Supervisors visit weekly. [1]", shape="general", abstained=False, backend="extractive"):
    return {"question": "q", "answer": text, "citations": [] if abstained else [CITATION], "abstained": abstained,
            "shape": shape, "backend": backend, "resolved_question": "q"}


@pytest.mark.parametrize("user, expected", [
    ("alice", "alice.jsonl"), ("", "local.jsonl"), (None, "local.jsonl"),
    ("bob smith", "bob_smith-"), ("../../etc/passwd", "etc_passwd-"), ("名前", "user-"),
])
def test_each_user_gets_a_safe_file_of_their_own(user, expected):
    name = user_file(user)
    assert name.startswith(expected) and name.endswith(".jsonl") and "/" not in name and ".." not in name


def test_ratings_and_notes_are_appended_and_merged_by_id(tmp_path):
    log = FeedbackLog(tmp_path / "fb")
    log.record("alice", rating_entry("id1", "not_helpful", "How often?", answer(), [], "1.0"))
    log.record("alice", note_entry("id1", "  It should say twice a month.  "))
    log.record("alice", rating_entry("id1", "wrong_citation", "How often?", answer(), [], "1.0"))
    log.record("bob", rating_entry("id2", "helpful", "What is coherence?", answer(), [], "1.0"))
    assert sorted(p.name for p in (tmp_path / "fb").iterdir()) == ["alice.jsonl", "bob.jsonl"]
    (tmp_path / "fb" / "alice.jsonl").open("a").write("not json\n")
    records = read_records(tmp_path / "fb")
    assert len(records) == 4 and {r["user"] for r in records} == {"alice", "bob"}
    merged = {e["id"]: e for e in merge(records)}
    assert merged["id1"]["rating"] == "wrong_citation" and merged["id1"]["note"] == "It should say twice a month."
    assert merged["id1"]["citations"][0]["quote"] == CITATION["quote"] and merged["id1"]["app_version"] == "1.0"
    with pytest.raises(ValueError):
        rating_entry("id3", "meh", "q", answer(), [])


def test_wiring_selects_the_jsonl_log_or_the_memory_fake(tmp_path):
    from assistant.config import load_settings
    from assistant.wiring import build

    real = build(load_settings(feedback={"dir": tmp_path / "f"})).feedback
    fake = build(load_settings(feedback={"kind": "memory"})).feedback
    assert isinstance(real, FeedbackLog) and real.folder == tmp_path / "f"
    assert isinstance(fake, MemoryFeedbackLog)
    fake.record("", {"id": "x", "rating": "helpful"})
    assert fake.records == [{"id": "x", "rating": "helpful", "user": "local"}]


# ---- gold candidates --------------------------------------------------------------------------------------------
def records() -> list[dict]:
    history = [{"role": "user", "content": "What is 11a?"}, {"role": "assistant", "content": "Monitoring. [1]"}]
    return [
        {**rating_entry("a1", "helpful", "How often do supervisors visit?", answer(), []), "user": "alice"},
        {**rating_entry("b1", "not_helpful", "how often do supervisors  visit?", answer(), []), "user": "bob"},
        {**note_entry("b1", "Missing the frequency."), "user": "bob"},
        {**rating_entry("c1", "wrong_citation", "And at Keep Improving?", answer(shape="rubric"), history),
         "user": "alice"},
        {**rating_entry("d1", "helpful", "What is the ratio of supervisors?", answer("", abstained=True), []),
         "user": "carol"},
        {**rating_entry("e1", "helpful", "1, 3", answer(backend="facilitator"), []), "user": "carol"},
        {**rating_entry("f1", "helpful", "What is coherence making?", answer(), []), "user": "dave"},
    ]


def test_feedback_becomes_gold_candidates_in_the_eval_schema(tmp_path):
    from evals.datasets import load_jsonl
    from evals.feedback import candidates

    found, skipped = candidates(records(), known_questions={"what is coherence making?"})
    assert skipped == {"guided steps": 1, "already in the gold set": 1}
    assert sorted(c["question"] for c in found) == ["And at Keep Improving?", "How often do supervisors visit?",
                                                     "What is the ratio of supervisors?"]  # latest wording kept
    for c in found:
        assert list(c)[:8] == ["id", "type", "question", "history", "answer", "key_facts", "sources", "tags"]
        assert c["key_facts"] == [] and "from-feedback" in c["tags"] and "needs-review" in c["tags"]
    same = next(c for c in found if c["question"].lower().startswith("how often"))
    assert {r["user"] for r in same["review"]["ratings"]} == {"alice", "bob"}  # one question, two people
    assert any(r["note"] == "Missing the frequency." for r in same["review"]["ratings"])
    follow = next(c for c in found if c["question"] == "And at Keep Improving?")
    assert follow["type"] == "followup" and follow["history"][0]["content"] == "What is 11a?"
    assert "check-sources" in follow["tags"] and follow["answer"] == ""
    assert follow["sources"] == [{"doc": CITATION["source"], "quote": CITATION["quote"]}]
    declined = next(c for c in found if "ratio" in c["question"])
    assert declined["type"] == "unanswerable" and declined["sources"] == [] and declined["answer"] == ""
    path = tmp_path / "candidates.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in found), encoding="utf-8")
    items = load_jsonl(path)  # the eval suite reads them as they are
    assert [i.question for i in items] == [c["question"] for c in found]


def test_a_helpful_answer_becomes_the_draft_reference_without_markers():
    from evals.feedback import candidates

    found, _ = candidates([{**rating_entry("z", "helpful", "Q?", answer("Weekly visits [1] and coaching [1, 2]."),
                                           []), "user": "u"}])
    assert found[0]["answer"] == "Weekly visits and coaching." and found[0]["type"] == "lookup"


def test_the_command_writes_candidates_and_explains_what_it_did(tmp_path, capsys):
    from evals.cli import main

    log = FeedbackLog(tmp_path / "fb")
    for r in records():
        log.record(r.pop("user"), r)
    out = tmp_path / "out" / "candidates.jsonl"
    assert main(["feedback", "--dir", str(tmp_path / "fb"), "--out", str(out), "--gold", str(tmp_path / "none")]) == 0
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    err = capsys.readouterr().err
    assert len(lines) == 4 and "gold candidates" in err and "Review each one" in err and "1 guided steps" in err
    assert main(["feedback", "--dir", str(tmp_path / "fb"), "--rating", "wrong_citation"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 1 and json.loads(printed[0])["question"] == "And at Keep Improving?"
    assert main(["feedback", "--dir", str(tmp_path / "empty")]) == 0
    assert "No feedback yet" in capsys.readouterr().err
    assert main(["feedback", "--rating", "bogus"]) == 2
