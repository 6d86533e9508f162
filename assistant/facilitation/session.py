"""Per-browser facilitation state (the theory-of-action draft plus where the conversation is) and the
`SessionStore` wiring builds once and hands to the chat facilitator and the tabs, so the chat, the Practice finder,
the Self-assessment and the Theory of action tab share one draft per browser, and the conversation, the assessment
and the draft survive a reload and a server restart.

Keys are browser ids (kept in the browser's local storage by the app; a Gradio session hash for API clients).
With a folder, every value is also written as JSON under <folder>/<key>/<section>.json (atomically); without one
(settings.sessions.kind = "memory", the fake) values live in memory only. Several app workers may share the folder:
each write goes to a file of its own and is renamed over the old one, every read is from the file (whichever worker
wrote it last), and a draft's revision is counted under a file lock.
"""

from __future__ import annotations

import json
import os
import secrets
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections import OrderedDict
from pathlib import Path
from dataclasses import dataclass, field

from assistant.facilitation.toa import TheoryOfAction
from assistant.index.filelock import exclusive

STEPS = ("goal", "problem", "choose", "actions", "changes", "metrics", "extras", "review", "done", "")


@dataclass
class FacilitationState:
    active: bool = False  # a guided session is running: continuation turns are facilitation messages
    step: str = ""  # one of STEPS
    toa: TheoryOfAction = field(default_factory=TheoryOfAction)
    candidates: list[dict] = field(default_factory=list)  # suggested practices, numbered from 1
    bet: int = 0  # 0-based index of the bet being filled
    topic: str = ""  # what the team asked for ("principal coaching")
    asked: str = ""  # the criterion key asked about in the extras step
    skipped: list[str] = field(default_factory=list)  # criteria the team chose to skip
    shown: int = 0  # how many candidates were shown
    pending: str = ""  # what the reply must bring besides its text ("export": the draft as files); never saved
    rev: int = 0  # how many times this browser's draft was saved (a tab reloads its form only when it changed)

    def to_dict(self) -> dict:
        return {"active": self.active, "step": self.step, "toa": self.toa.to_dict(), "candidates": self.candidates,
                "bet": self.bet, "topic": self.topic, "asked": self.asked, "skipped": list(self.skipped),
                "shown": self.shown, "rev": self.rev}

    @classmethod
    def from_dict(cls, d: dict | None) -> "FacilitationState":
        if not d:
            return cls()
        toa = TheoryOfAction.from_dict(d["toa"]) if d.get("toa") else TheoryOfAction()
        step = d.get("step") or ""
        return cls(active=bool(d.get("active")), step=step if step in STEPS else "", toa=toa,
                   candidates=list(d.get("candidates") or []), bet=int(d.get("bet") or 0),
                   topic=str(d.get("topic") or ""), asked=str(d.get("asked") or ""),
                   skipped=list(d.get("skipped") or []), shown=int(d.get("shown") or 0), rev=int(d.get("rev") or 0))

    @classmethod
    def coerce(cls, state) -> "FacilitationState":
        """A state from a FacilitationState, its dict form, or None (a fresh state)."""
        if isinstance(state, cls):
            return cls.from_dict(state.to_dict())  # a copy: callers keep their old state unchanged
        return cls.from_dict(state if isinstance(state, dict) else None)


class BoundedMap:
    """Latest JSON-ready value per key (bounded: the oldest key is dropped first; thread-safe)."""

    def __init__(self, size: int = 500):
        self.size = size
        self._data: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, key: str | None, value) -> None:
        if not key:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def get(self, key: str | None):
        if not key:
            return None
        with self._lock:
            return self._data.get(key)


_KEY = re.compile(r"^[A-Za-z0-9_-]{6,80}$")
SECTIONS = ("facilitation", "assessment", "conversation", "team")


class SessionStore:
    """What the chat and the tabs of one browser share (see module docstring). Values are stored as JSON-ready
    copies, so no two browsers or threads share an object; a key that is not a plain id is never used as a path."""

    def __init__(self, folder: Path | str | None = None, size: int = 500, max_browsers: int = 5000):
        self.folder = Path(folder) if folder else None
        self.max_browsers = max_browsers
        self._cache = BoundedMap(size * len(SECTIONS))
        self._lock = threading.Lock()
        self._rev_lock = threading.Lock()
        self._writes = 0

    # ---- sections ------------------------------------------------------------------------------------------
    def _path(self, key: str, section: str) -> Path | None:
        if self.folder is None or not _KEY.match(key or "") or section not in SECTIONS:
            return None
        return self.folder / key / f"{section}.json"

    def save(self, key: str | None, section: str, value) -> str:
        """Keep `value` (JSON-ready) for the browser; returns the time it was saved ("14:02:11"), "" without a key."""
        if not key:
            return ""
        data = json.loads(json.dumps(value, ensure_ascii=False))
        path = self._path(key, section)
        if path is None:  # kept in memory only: the fake, or a key that is not a plain id
            self._cache.put(f"{key}/{section}", data)
            return time.strftime("%H:%M:%S")
        with self._lock:
            path.parent.mkdir(parents=True, exist_ok=True)
            # A name no other thread, process or machine uses, so concurrent writers never share a file.
            tmp = path.with_suffix(f".{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
            tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)
            self._writes += 1
            if self._writes % 200 == 0:
                self._prune()
        return time.strftime("%H:%M:%S")

    def update(self, key: str | None, section: str, change):
        """Read, change and save one value as one step (no other update of the same store runs in between):
        `change(value or None)` returns the new value. Returns (new value, time saved)."""
        with self._rev_lock:
            value = change(self.load(key, section))
            return value, self.save(key, section, value)

    def load(self, key: str | None, section: str):
        """The browser's saved value (a fresh copy), or None."""
        if not key:
            return None
        path = self._path(key, section)
        if path is None:
            value = self._cache.get(f"{key}/{section}")
            return json.loads(json.dumps(value)) if value is not None else None
        try:  # always the file: another worker may have written it since (a small read, never a stale copy)
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def files_dir(self, key: str | None) -> Path:
        """A folder for the browser's downloads, under the temporary folder the web app may serve files from
        (exports are made again from the saved draft whenever they are needed)."""
        folder = Path(tempfile.gettempdir()) / "district-assistant-facilitation" / (
            key if _KEY.match(key or "") else "shared")
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _prune(self) -> None:
        """Drop the browsers not seen for longest once there are more than `max_browsers`."""
        folders = sorted((p for p in self.folder.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)
        for old in folders[:max(0, len(folders) - self.max_browsers)]:
            shutil.rmtree(old, ignore_errors=True)

    # ---- the shared draft -----------------------------------------------------------------------------------
    def save_draft(self, key: str | None, state: FacilitationState) -> str:
        """Save the browser's draft as its next revision (state.rev is set to it)."""
        path = self._path(key, "facilitation") if key else None
        with self._rev_lock:
            if path is None:
                return self._next_revision(key, state)
            path.parent.mkdir(parents=True, exist_ok=True)
            with exclusive(path.parent / ".lock"):  # other workers count revisions of this browser's draft too
                return self._next_revision(key, state)

    def _next_revision(self, key: str | None, state: FacilitationState) -> str:
        before = self.load(key, "facilitation") or {}
        state.rev = int(before.get("rev") or 0) + 1
        return self.save(key, "facilitation", state.to_dict())

    def draft(self, key: str | None) -> FacilitationState | None:
        """A fresh copy of the browser's facilitation state, or None."""
        d = self.load(key, "facilitation")
        return FacilitationState.from_dict(d) if d else None


def shared_secret(path: Path) -> str:
    """The secret kept in `path`, made on first use. Workers sharing the folder must agree on one: whoever links
    theirs in first wins, and the rest read it."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{secrets.token_hex(4)}")
    tmp.write_text(secrets.token_hex(16), encoding="utf-8")
    tmp.chmod(0o600)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text(encoding="utf-8").strip()
