"""The index's write lock: fcntl where it exists, msvcrt on Windows, and a clear message where neither does."""

from __future__ import annotations

import subprocess
import sys
import time
from types import SimpleNamespace

import pytest

from assistant.index import filelock
from conftest import ROOT


def test_a_second_process_waits_for_the_lock(tmp_path):
    path = tmp_path / ".lock"
    script = ("import sys; sys.path.insert(0, sys.argv[2]); from pathlib import Path\n"
              "from assistant.index.filelock import exclusive\n"
              "with exclusive(Path(sys.argv[1])): print('got', flush=True)\n")
    with filelock.exclusive(path):
        proc = subprocess.Popen([sys.executable, "-c", script, str(path), str(ROOT)], stdout=subprocess.PIPE,
                                text=True)
        time.sleep(1.5)
        assert proc.poll() is None, "the other process must wait while the lock is held"
    out, _ = proc.communicate(timeout=60)
    assert out.strip() == "got"


class FakeMsvcrt:
    """msvcrt.locking as Windows has it: LK_LOCK gives up (OSError) after a while; records every call."""

    LK_LOCK, LK_UNLCK = 1, 0

    def __init__(self, busy: int):
        self.busy = busy
        self.calls: list[int] = []

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        assert nbytes == 1
        self.calls.append(mode)
        if mode == self.LK_LOCK and self.busy:
            self.busy -= 1
            raise OSError("deadlock avoided")


@pytest.mark.parametrize("busy,calls", [(0, [1, 0]), (2, [1, 1, 1, 0])])
def test_windows_uses_msvcrt_and_keeps_waiting(tmp_path, monkeypatch, busy, calls):
    fake = FakeMsvcrt(busy)
    monkeypatch.setattr(filelock, "_module", lambda name: {"msvcrt": fake}.get(name))
    with filelock.exclusive(tmp_path / ".lock"):
        assert fake.calls == calls[:-1]
    assert fake.calls == calls


def test_no_lock_primitive_gives_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setattr(filelock, "_module", lambda name: None)
    with pytest.raises(filelock.LockUnavailable, match="only one process indexes at a time"):
        with filelock.exclusive(tmp_path / ".lock"):
            pass


def test_fcntl_is_preferred_where_it_exists(tmp_path, monkeypatch):
    seen = []
    fake = SimpleNamespace(LOCK_EX=2, LOCK_UN=8, flock=lambda fh, op: seen.append(op))
    monkeypatch.setattr(filelock, "_module", lambda name: {"fcntl": fake, "msvcrt": FakeMsvcrt(0)}.get(name))
    with filelock.exclusive(tmp_path / ".lock"):
        assert seen == [2]
    assert seen == [2, 8]
