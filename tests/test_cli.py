"""The command line, run as a user would: a new process against the real index."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.integration


def run(args, index_dir, stdin=None):
    env = {**os.environ, "ASSISTANT_INDEX__DIR": str(index_dir / "index"),
           "ASSISTANT_CORPUS__UPLOADS_DIR": str(index_dir / "uploads"), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300, input=stdin)


def test_search_json_gives_passages_with_all_metadata(real_index_dir):
    r = run(["search", "what does 11a say at getting better", "--k", "3", "--json"], real_index_dir)
    assert r.returncode == 0, r.stderr
    hits = json.loads(r.stdout)
    assert len(hits) == 3
    top = hits[0]
    assert {"text", "score", "source", "framework", "section", "indicator", "level", "page", "span"} <= set(top)
    assert (top["indicator"], top["level"]) == ("11a", "Getting Better")


def test_search_with_framework_filter(real_index_dir):
    r = run(["search", "principal supervisors", "--framework", "uva", "--json"], real_index_dir)
    assert r.returncode == 0
    assert {h["framework"] for h in json.loads(r.stdout)} == {"UVA-PLE"}


def test_unknown_framework_is_an_error_on_stderr(real_index_dir):
    r = run(["search", "coaching", "--framework", "Danielson"], real_index_dir)
    assert r.returncode == 1
    assert "Unknown framework 'Danielson'" in r.stderr and not r.stdout.strip()


def test_reingest_of_an_unchanged_corpus_embeds_nothing(real_index_dir):
    r = run(["ingest"], real_index_dir)
    assert r.returncode == 0
    assert "0 added, 0 updated, 0 removed, 5 unchanged; 0 passages embedded" in r.stdout


def test_ingest_of_a_missing_path_fails_clearly(real_index_dir):
    r = run(["ingest", "/no/such/file.pdf"], real_index_dir)
    assert r.returncode == 1 and "no such file" in r.stderr


def test_ask_prints_answer_and_sources(real_index_dir):
    r = run(["ask", "uva ple levers?"], real_index_dir)
    assert r.returncode == 0
    assert "UVA-PLE names 4 levers" in r.stdout and "Sources:" in r.stdout


def test_ask_with_history_file(real_index_dir, tmp_path):
    hist = tmp_path / "h.json"
    hist.write_text(json.dumps([{"role": "user", "content": "what does 11a say at getting started"},
                                {"role": "assistant", "content": "…"}]))
    r = run(["ask", "and at keep improving?", "--history", str(hist), "--json"], real_index_dir)
    data = json.loads(r.stdout)
    assert data["resolved_question"] == "what does 11a say at Keep Improving"
    assert [c["level"] for c in data["citations"] if c["level"]] == ["Keep Improving"]


def test_ask_batch_writes_one_json_line_per_question(real_index_dir, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text("\n".join(json.dumps(x) for x in [
        {"id": "a", "question": "what are the 3 steps in the instll pathway"},
        {"id": "b", "question": "what year was the lead ct framework published"},
        {"id": "c", "question": ""},
    ]))
    r = run(["ask", "--batch", str(batch), "--json"], real_index_dir)
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x.get("id") for x in lines[:2]] == ["a", "b"]
    assert lines[0]["abstained"] is False and lines[1]["abstained"] is True
    assert "Please type a question" in lines[2]["error"]
    assert r.returncode == 1, "a failed line makes the batch exit non-zero"


def test_ask_refuses_a_huge_question_without_a_traceback(real_index_dir):
    r = run(["ask", "x " * 10000], real_index_dir)
    assert r.returncode == 1 and "limit is 4,000" in r.stderr and "Traceback" not in r.stderr
