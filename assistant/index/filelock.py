"""An exclusive lock on a file, shared by every process that takes it: fcntl on Unix, msvcrt on Windows."""

from __future__ import annotations

import importlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


class LockUnavailable(RuntimeError):
    """This platform offers no file lock; the message says what to do instead."""


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if missing) for the duration; waits for other holders."""
    with open(path, "a+b") as fh:
        release = _acquire(fh)
        try:
            yield
        finally:
            release()


def _module(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _acquire(fh):
    fcntl = _module("fcntl")
    if fcntl is not None:
        fcntl.flock(fh, fcntl.LOCK_EX)
        return lambda: fcntl.flock(fh, fcntl.LOCK_UN)
    msvcrt = _module("msvcrt")
    if msvcrt is not None:
        fh.seek(0)
        while True:
            try:  # LK_LOCK gives up after about ten seconds: keep waiting, as flock does
                msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)
                break
            except OSError:
                continue

        def release() -> None:
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)

        return release
    raise LockUnavailable(
        "Cannot lock the index for writing: this platform has neither fcntl nor msvcrt file locks. "
        "Make sure only one process indexes at a time, or run on Linux, macOS or Windows.")
