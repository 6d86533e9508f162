"""Per-user state in a folder several app workers share: a worker sees what another wrote, concurrent writers never
leave a half-written or lost file, a draft's revisions are counted across processes, and every worker derives the
same browser-id secret."""

from __future__ import annotations

import json
import multiprocessing
import threading

import pytest

from assistant.facilitation.session import FacilitationState, SessionStore
from assistant.wiring import build
from conftest import make_settings

KEY = "alice-0123456789-browser42"


def test_a_worker_reads_what_another_worker_saved(tmp_path):
    a, b = SessionStore(tmp_path), SessionStore(tmp_path)
    a.save(KEY, "conversation", [{"role": "user", "content": "first"}])
    assert b.load(KEY, "conversation") == [{"role": "user", "content": "first"}]
    b.save(KEY, "conversation", [{"role": "user", "content": "second, longer"}])
    assert a.load(KEY, "conversation") == [{"role": "user", "content": "second, longer"}], "no stale cache"
    assert not list(tmp_path.rglob("*.tmp"))


def _save_drafts(folder: str, n: int) -> None:
    store = SessionStore(folder)
    for _ in range(n):
        store.save_draft(KEY, FacilitationState(step="goal"))


def test_revisions_are_counted_across_processes(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_save_drafts, args=(str(tmp_path), 15)) for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert all(w.exitcode == 0 for w in workers)
    saved = json.loads((tmp_path / KEY / "facilitation.json").read_text(encoding="utf-8"))
    assert saved["rev"] == 45, "every save by every worker got its own revision"


def test_concurrent_writers_leave_one_whole_file(tmp_path):
    stores = [SessionStore(tmp_path) for _ in range(4)]
    payloads = [[{"role": "user", "content": f"worker {i} " + "x" * 5000}] for i in range(4)]

    def write(i):
        for _ in range(25):
            stores[i].save(KEY, "conversation", payloads[i])

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert json.loads((tmp_path / KEY / "conversation.json").read_text(encoding="utf-8")) in payloads
    assert not list(tmp_path.rglob("*.tmp"))


@pytest.mark.parametrize("workers", [2, 5])
def test_workers_agree_on_one_browser_secret(tmp_path, workers):
    services = [build(make_settings(tmp_path, fake=True)) for _ in range(workers)]
    secrets: list[str] = []
    threads = [threading.Thread(target=lambda s=s: secrets.append(s.browser_secret)) for s in services]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(secrets)) == 1 and len(secrets[0]) == 32
    assert sorted(p.name for p in (tmp_path / "sessions").iterdir()) == [".browser-secret"]
