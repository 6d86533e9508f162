"""Where feedback is kept: one JSONL file per user (`FeedbackLog`), or in memory (`MemoryFeedbackLog`, the fake).

A record is appended for each event: a rating creates an entry (with the question, the answer and its citations),
a later rating or note on the same answer appends a record with the same ``id``; `merge` folds them, last wins.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from pathlib import Path

from assistant.index.filelock import exclusive

ANONYMOUS = "local"  # the user name when the app runs without sign-in


def user_file(user: str) -> str:
    """A safe, stable file name for a user name (readable part + a hash when the name had to be changed)."""
    name = user or ANONYMOUS
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")[:60] or "user"
    if slug != name:
        slug += "-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f"{slug}.jsonl"


class FeedbackLog:
    """Appends feedback records to <dir>/<user>.jsonl (one JSON object a line)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._lock = threading.Lock()

    def record(self, user: str, entry: dict) -> None:
        """Append one record to the user's file (the folder is created on first use)."""
        line = json.dumps({**entry, "user": user or ANONYMOUS}, ensure_ascii=False) + "\n"
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Workers on several machines may append to one shared file: appends are atomic only under a lock there.
            path = self.folder / user_file(user)
            with exclusive(path), open(path, "a", encoding="utf-8") as fh:
                fh.write(line)


class MemoryFeedbackLog:
    """The deterministic fake: records kept in a list (settings feedback.kind = "memory")."""

    def __init__(self) -> None:
        self.records: list[dict] = []

    def record(self, user: str, entry: dict) -> None:
        """Keep one record."""
        self.records.append({**entry, "user": user or ANONYMOUS})


def read_records(folder: Path) -> list[dict]:
    """Every record of every user's file under `folder` (unreadable lines skipped), in file then line order."""
    out: list[dict] = []
    for path in sorted(Path(folder).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict) and rec.get("id"):
                out.append(rec)
    return out


def merge(records: list[dict]) -> list[dict]:
    """One entry per feedback id: later records' non-empty fields override earlier ones."""
    by_id: dict[str, dict] = {}
    for rec in records:
        entry = by_id.setdefault(str(rec["id"]), {})
        entry.update({k: v for k, v in rec.items() if v not in (None, "") or k not in entry})
    return list(by_id.values())
