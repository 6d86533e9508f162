"""Chroma server mode against a real `chroma run` on loopback: ingest, search and answer through it (the same
results as the embedded index), an unchanged re-ingest that rewrites nothing, an ingest killed midway that leaves
readers on the previous build, two app workers that answer alike, and a backup restored into the server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app_fixtures import AppProcess, app_env
from chroma_server import ChromaServer

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ["What does indicator 11a look like at Getting Better?", "What are the seven systems in LEAD CT?",
             "How should principal supervisors support school leaders?"]


@pytest.fixture(scope="module")
def chroma(tmp_path_factory):
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server"))
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def worker_env(tmp_path_factory, chroma, real_index_dir):
    """Settings of a worker using the server: its own folders, the ONNX export of the session's real index."""
    base = tmp_path_factory.mktemp("server-worker")
    return app_env(base, ASSISTANT_INDEX__CHROMA_URL=chroma.url, ASSISTANT_INDEX__COLLECTION="district",
                   ASSISTANT_EMBEDDING__ONNX_DIR=str(real_index_dir / "index" / "models"))


def cli(args: list[str], env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=env["HOME"])


def pointer(chroma) -> str:
    got = chroma.client().get_collection("district-pointer", embedding_function=None).get(ids=["current"])
    return got["metadatas"][0]["generation"]


def test_ingest_search_answer_then_an_unchanged_reingest_rewrites_nothing(chroma, worker_env, real_services):
    import json

    first = cli(["ingest"], worker_env)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "5 added" in first.stdout
    served, collections = pointer(chroma), chroma.collections()
    assert {f"district-{served}-{k}" for k in ("passages", "sentences", "records")} <= set(collections)

    for q in QUESTIONS:
        found = cli(["search", q, "--k", "5", "--json"], worker_env)
        assert found.returncode == 0, found.stderr[-2000:]
        embedded = [p.chunk.chunk_id for p in real_services.retriever.search(q, k=5)]
        assert [p["chunk_id"] for p in json.loads(found.stdout)] == embedded, "the server serves the same index"
        asked = cli(["ask", q, "--json"], worker_env)
        assert asked.returncode == 0, asked.stderr[-2000:]
        assert json.loads(asked.stdout)["answer"] == real_services.answerer.answer(q).text

    again = cli(["ingest"], worker_env)
    assert again.returncode == 0 and "5 unchanged; 0 passages embedded" in again.stdout
    assert pointer(chroma) == served and chroma.collections() == collections, "nothing was rewritten"


def long_report(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    topics = ["coaching cycles", "walkthrough data", "budget autonomy", "principal pipelines", "family engagement",
              "curriculum adoption", "data teams", "school improvement plans"]
    paras = [f"## Section {i}\n\nIn year {i % 7 + 1} our district studied {topics[i % len(topics)]} with "
             f"{i} schools, and the cabinet reviewed the evidence on {topics[(i * 3) % len(topics)]} every "
             f"{['week', 'month', 'quarter'][i % 3]} before deciding what to scale next." for i in range(600)]
    path = folder / "district-annual-report.md"
    path.write_text("# District annual report\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
    return path


def test_an_ingest_killed_midway_leaves_readers_on_the_previous_build(chroma, worker_env):
    import json

    served = pointer(chroma)
    before = cli(["ask", QUESTIONS[0], "--json"], worker_env)
    long_report(Path(worker_env["ASSISTANT_CORPUS__UPLOADS_DIR"]))
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "ingest"], env=worker_env, cwd=worker_env["HOME"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        building = None
        while time.monotonic() < deadline and building is None and proc.poll() is None:
            building = next((name for name, n in chroma.collections().items()
                             if name.endswith("-passages") and served not in name and n > 0), None)
            time.sleep(0.1)
        assert building is not None, "the build never started"
        os.killpg(proc.pid, signal.SIGKILL)  # mid-build: the old documents are copied, the report is embedding
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert pointer(chroma) == served, "the half-built generation was never served"
    assert building in chroma.collections(), "the abandoned build is left aside"
    docs = json.loads(cli(["docs", "--json"], {**worker_env}).stdout)
    assert "district-annual-report.md" not in {d["source"] for d in docs}
    after = cli(["ask", QUESTIONS[0], "--json"], worker_env)
    assert json.loads(after.stdout)["answer"] == json.loads(before.stdout)["answer"]

    finished = cli(["ingest"], worker_env)
    assert finished.returncode == 0 and "1 added" in finished.stdout, finished.stderr[-2000:]
    assert pointer(chroma) != served
    assert building not in chroma.collections(), "the next writer removes the abandoned build"
    Path(worker_env["ASSISTANT_CORPUS__UPLOADS_DIR"], "district-annual-report.md").unlink()
    assert "1 removed" in cli(["ingest"], worker_env).stdout


def test_two_app_workers_on_one_server_answer_alike(chroma, worker_env, tmp_path_factory):
    shared = tmp_path_factory.mktemp("shared")
    settings = {k: worker_env[k] for k in ("ASSISTANT_INDEX__CHROMA_URL", "ASSISTANT_INDEX__COLLECTION",
                                           "ASSISTANT_EMBEDDING__ONNX_DIR")}
    settings.update(ASSISTANT_SESSIONS__DIR=str(shared / "sessions"), ASSISTANT_FEEDBACK__DIR=str(shared / "fb"),
                    ASSISTANT_CORPUS__UPLOADS_DIR=str(shared / "uploads"))
    workers = [AppProcess(tmp_path_factory.mktemp(f"worker{i}"), **settings) for i in range(2)]
    from gradio_client import Client

    try:
        for w in workers:
            w.start(timeout=300)
        health = [httpx.get(w.url + "/healthz", timeout=10).json() for w in workers]
        assert health[0]["ready"] and health[0] == health[1]
        answers = []
        for w in workers:
            api = Client(w.url, verbose=False, download_files=False)
            answers.append([api.predict(q, None, "", api_name="/ask") for q in QUESTIONS[:2]])
        for a, b in zip(*answers):
            assert a["answer"] == b["answer"] and a["citations"] == b["citations"] and not a["abstained"]
    finally:
        for w in workers:
            w.stop()


def test_a_backup_restores_into_the_server_with_identical_answers(chroma, tmp_path, real_services_copy):
    from assistant.backup import backup, restore
    from assistant.config import load_settings
    from assistant.wiring import build

    archive = tmp_path / "district.tar.gz"
    backup(real_services_copy, archive)
    s = load_settings(corpus={"uploads_dir": tmp_path / "uploads"}, index={
        "dir": tmp_path / "index", "chroma_url": chroma.url, "collection": "restored"},
        sessions={"dir": tmp_path / "sessions"}, feedback={"dir": tmp_path / "feedback"})
    s.embedding.onnx_dir = real_services_copy.settings.index.dir / "models"
    restored = build(s)
    restore(restored, archive)
    assert restored.store.location == f"Chroma server {chroma.url}"
    for q in QUESTIONS:
        assert restored.answerer.answer(q).text == real_services_copy.answerer.answer(q).text
