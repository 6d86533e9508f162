"""Where index generations live and which one is served: folders on this computer (embedded Chroma) or collections
on a Chroma server. Either way a generation is two collections — passages (the searched vectors) and sentences
(vectors of quotable sentences) — plus text records (the state, document texts and the ingestion docstore: files in
the folder, or a third collection on the server), and it is served only once complete: the pointer (the CURRENT
file, or one record of the server's pointer collection) switches in one step, so readers see the old build or the
new one, never half of one.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from assistant.index.filelock import exclusive

KINDS = ("passages", "sentences")  # the vector collections of a generation
PLACEHOLDER = [1.0]  # records are looked up by id, never by vector; Chroma still wants one per record
PART = 1_000_000  # characters per record part


class Generation:
    """One generation's collections, opened through its client on first use, and its text records (on the server:
    the `records` collection; FolderGeneration keeps them as files)."""

    def __init__(self, name: str, connect, names: dict[str, str]):
        self.name = name
        self._connect = connect  # () -> the Chroma client; called once, when a collection is first needed
        self._client = None
        self.names = names  # kind -> collection name
        self._open: dict[str, object] = {}

    @property
    def client(self):
        if self._client is None:
            self._client = self._connect()
        return self._client

    def collection(self, kind: str, create: bool = False, metadata: dict | None = None):
        """The generation's collection of this kind (created when `create`); never with an embedding function."""
        if kind not in self._open:
            name = self.names[kind]
            if create:
                meta = {"hnsw:space": "cosine", **(metadata or {})}
                self._open[kind] = self.client.get_or_create_collection(name, embedding_function=None, metadata=meta)
            else:
                self._open[kind] = self.client.get_collection(name, embedding_function=None)
        return self._open[kind]

    def record_keys(self) -> list[str]:
        """The keys of every text record."""
        got = self.collection("records").get(include=["metadatas"])
        return sorted({str(m["key"]) for m in got["metadatas"]})

    def put_text(self, key: str, text: str) -> None:
        """Keep a text record (split in parts: a server limits the size of one request)."""
        parts = [text[i:i + PART] for i in range(0, len(text), PART)] or [""]
        self.collection("records", create=True).upsert(
            ids=[f"{key}#{i}" for i in range(len(parts))], documents=parts, embeddings=[PLACEHOLDER] * len(parts),
            metadatas=[{"key": key, "part": i, "parts": len(parts)} for i in range(len(parts))])

    def get_text(self, key: str) -> str | None:
        """A text record, or None when the generation has none by that key."""
        got = self.collection("records").get(where={"key": key}, include=["documents", "metadatas"])
        parts = sorted((int(m["part"]), d) for m, d in zip(got["metadatas"], got["documents"]))
        if not parts or len(parts) != int(got["metadatas"][0]["parts"]):
            return None
        return "".join(d or "" for _, d in parts)

    def close(self) -> None:
        self._open.clear()
        self._client = None


class FolderGeneration(Generation):
    """A generation folder: the embedded database, plus its text records as files a person can read
    (state.json, docstore.json, texts/<doc id>.txt), which need no database to read."""

    def __init__(self, folder: Path, connect, names: dict[str, str]):
        super().__init__(folder.name, connect, names)
        self.folder = folder

    def _path(self, key: str) -> Path:
        if key.startswith("text:"):
            return self.folder / "texts" / f"{key[5:]}.txt"
        return self.folder / f"{key}.json"

    def record_keys(self) -> list[str]:
        keys = [p.stem for p in self.folder.glob("*.json")]
        return sorted(keys + [f"text:{p.stem}" for p in (self.folder / "texts").glob("*.txt")])

    def put_text(self, key: str, text: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def get_text(self, key: str) -> str | None:
        try:
            return self._path(key).read_text(encoding="utf-8")
        except OSError:
            return None


def chroma_settings():
    """Telemetry off, no reset: the same for embedded and server clients."""
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


class FolderGenerations:
    """Embedded Chroma: each generation is a folder `gen-*` under `root` with its own database; builds happen in
    `build-*` folders and CURRENT names the served one (written to a temporary file and renamed over)."""

    pointer_ttl = 0.0  # reading CURRENT costs a small file read: always look

    def __init__(self, root: Path, collection: str = "passages"):
        self.root = Path(root)
        self.base = collection

    def describe(self) -> str:
        return str(self.root.resolve())

    def current(self) -> str | None:
        try:
            name = (self.root / "CURRENT").read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return name if name and (self.root / name / "state.json").is_file() else None

    def _names(self) -> dict[str, str]:
        return {k: self.base if k == "passages" else f"{self.base}-{k}" for k in KINDS}

    def open(self, name: str) -> Generation:
        return FolderGeneration(self.root / name, lambda: _persistent(self.root / name), self._names())

    def begin(self) -> Generation:
        """A fresh, empty build (abandoned builds are removed first: the caller holds the write lock)."""
        self.root.mkdir(parents=True, exist_ok=True)
        for stale in self.root.glob("build-*"):
            shutil.rmtree(stale, ignore_errors=True)
        folder = self.root / f"build-{uuid.uuid4().hex[:8]}"
        folder.mkdir()
        return FolderGeneration(folder, lambda: _persistent(folder), self._names())

    def publish(self, build: Generation) -> str:
        """Rename the finished build to a generation and point CURRENT at it; returns the generation's name."""
        folder = self.root / build.name
        build.close()
        final = self.root / new_name()
        os.replace(folder, final)
        pointer = self.root / "CURRENT.tmp"
        pointer.write_text(final.name, encoding="utf-8")
        os.replace(pointer, self.root / "CURRENT")
        return final.name

    def collect(self) -> None:
        """Remove abandoned builds and generations older than the previous one (a reader may still hold it)."""
        current = self.current()
        gens = sorted((p for p in self.root.glob("gen-*") if p.is_dir()), key=lambda p: p.name)
        old = [g for g in gens if g.name != current]
        for g in old[:-1]:
            shutil.rmtree(g, ignore_errors=True)
        for b in self.root.glob("build-*"):
            shutil.rmtree(b, ignore_errors=True)

    @contextmanager
    def lock(self):
        """One writer at a time across processes (the app and the command line)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with exclusive(self.root / ".lock"):
            yield


class ServerGenerations:
    """A Chroma server (`chromadb.HttpClient`): a generation is the collections `<base>-<gen>-<kind>`, and the record
    `current` of the collection `<base>-pointer` names the served one and the one before it. Writers take a file lock
    in `lock_dir` (on a shared folder when workers on several machines write)."""

    pointer_ttl = 1.0  # a pointer read is a network round trip: readers look at most once a second

    def __init__(self, url: str, lock_dir: Path, collection: str = "passages", token: str = "",
                 token_header: str = "Authorization"):
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(f"ASSISTANT_INDEX__CHROMA_URL must look like http://HOST:PORT, not {url!r}")
        self.url = url
        self.host = parsed.hostname
        self.port = parsed.port or (443 if parsed.scheme == "https" else 8000)
        self.ssl = parsed.scheme == "https"
        self.headers = {}
        if token:
            self.headers[token_header] = f"Bearer {token}" if token_header.lower() == "authorization" else token
        self.lock_dir = Path(lock_dir)
        self.base = collection
        self._client = None

    def describe(self) -> str:
        return f"Chroma server {self.url}"

    @property
    def client(self):
        if self._client is None:
            import chromadb

            self._client = chromadb.HttpClient(host=self.host, port=self.port, ssl=self.ssl,
                                               headers=self.headers or None, settings=chroma_settings())
        return self._client

    def _pointer(self, create: bool = False):
        name = f"{self.base}-pointer"
        if create:
            return self.client.get_or_create_collection(name, embedding_function=None)
        try:
            return self.client.get_collection(name, embedding_function=None)
        except Exception as exc:  # no pointer collection yet: nothing built on this server
            if _missing(exc):
                return None
            raise

    def _pointed(self) -> dict:
        col = self._pointer()
        if col is None:
            return {}
        got = col.get(ids=["current"], include=["metadatas"])
        return dict(got["metadatas"][0]) if got["ids"] else {}

    def current(self) -> str | None:
        return self._pointed().get("generation") or None

    def _names(self, name: str) -> dict[str, str]:
        return {k: f"{self.base}-{name}-{k}" for k in (*KINDS, "records")}

    def open(self, name: str) -> Generation:
        return Generation(name, lambda: self.client, self._names(name))

    def begin(self) -> Generation:
        name = new_name()
        return Generation(name, lambda: self.client, self._names(name))

    def publish(self, build: Generation) -> str:
        before = self.current()
        self._pointer(create=True).upsert(ids=["current"], embeddings=[PLACEHOLDER],
                                          metadatas=[{"generation": build.name, "previous": before or ""}])
        build.close()
        return build.name

    def collect(self) -> None:
        """Delete every generation's collections but the served one and the one before it (abandoned builds too:
        the caller holds the write lock)."""
        pointed = self._pointed()
        keep = {pointed.get("generation"), pointed.get("previous")}
        prefix = f"{self.base}-gen-"
        for col in self.client.list_collections():
            name = getattr(col, "name", col)
            if not name.startswith(prefix):
                continue
            gen = name[len(self.base) + 1:].rsplit("-", 1)[0]
            if gen not in keep:
                self.client.delete_collection(name)

    @contextmanager
    def lock(self):
        self.lock_dir.mkdir(parents=True, exist_ok=True)
        with exclusive(self.lock_dir / ".lock"):
            yield


def _persistent(folder: Path):
    import chromadb

    return chromadb.PersistentClient(path=str(folder), settings=chroma_settings())


def locate(index):
    """Where the index settings say generations live: a Chroma server (index.chroma_url) or folders (index.dir)."""
    if index.chroma_url:
        return ServerGenerations(index.chroma_url, index.dir, index.collection, index.chroma_token,
                                 index.chroma_token_header)
    return FolderGenerations(index.dir, index.collection)


def new_name() -> str:
    """A generation name that sorts by creation time and never repeats."""
    return f"gen-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"


def _missing(exc: Exception) -> bool:
    text = f"{type(exc).__name__}: {exc}".lower()
    return "does not exist" in text or "notfound" in text or "not found" in text
