"""Who a document belongs to, decided by where its file lives.

- The framework corpus and anything an administrator indexed from the command line (files outside the uploads
  folder) belong to the shared library: everyone sees them, nobody removes them from the app.
- Files directly in the uploads folder are shared uploads: made without sign-in (one person on this computer), or
  moved there by an administrator to share them. Without sign-in they are "yours" and removable.
- With sign-in, a person's uploads live in ``<uploads>/users/<key>/``; only that person lists, retrieves, removes and
  replaces them. The key is derived from the user name (a readable slug plus a hash), never chosen by a client.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable

from assistant.text.clean import slugify

USERS_FOLDER = "users"
SHARED = ""  # the owner key of shared uploads (and of everyone when sign-in is off)


def user_key(username: str | None) -> str:
    """The owner key of a signed-in user ('' without sign-in): a folder-safe slug plus a hash of the exact name."""
    if not username:
        return SHARED
    digest = hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{(slugify(username) or 'user')[:24]}-{digest}"


class Ownership:
    """Maps document files to owners and answers who may see or remove what."""

    def __init__(self, uploads_dir: Path):
        self.uploads_dir = Path(uploads_dir)
        self._owners: dict[str, str | None] = {}  # path -> owner (paths are asked about on every search)

    def folder(self, key: str) -> Path:
        """Where `key`'s uploads are stored."""
        return self.uploads_dir / USERS_FOLDER / key if key else self.uploads_dir

    def owner(self, path: str | Path | None) -> str | None:
        """None for library documents (outside the uploads folder), '' for shared uploads, else the owner key."""
        if not path:
            return None
        key = str(path)
        if key not in self._owners:
            if len(self._owners) > 10_000:
                self._owners.clear()
            self._owners[key] = self._owner(Path(path))
        return self._owners[key]

    def _owner(self, path: Path) -> str | None:
        try:
            rel = path.resolve().relative_to(self.uploads_dir.resolve())
        except ValueError:
            return None
        parts = rel.parts
        if len(parts) >= 3 and parts[0] == USERS_FOLDER:
            return parts[1]
        return SHARED

    def visible(self, path: str | Path | None, key: str) -> bool:
        """True when the person with `key` may list and retrieve the document stored at `path`."""
        return self.owner(path) in (None, SHARED, key)

    def removable(self, path: str | Path | None, key: str) -> bool:
        """True when the person with `key` may remove it: their own upload (or a shared one without sign-in)."""
        owner = self.owner(path)
        return owner is not None and owner == key

    def hidden(self, records: Iterable, key: str) -> frozenset[str]:
        """Ids of the documents (records with doc_id and path) the person with `key` may not see."""
        return frozenset(r.doc_id for r in records if not self.visible(r.path, key))
