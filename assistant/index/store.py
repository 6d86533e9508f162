"""Chroma-backed passage index: idempotent by content hash, built into a fresh generation and switched atomically."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

from assistant.index.embeddings import Embedder
from assistant.index.filelock import exclusive
from assistant.offline import enforce_offline
from assistant.types import Chunk, Document

StructuredSplitter = Callable[[Document], list[Chunk]]
Progress = Callable[[str, int, int], None]  # (stage, done, total)
# How a generation folder is laid out; a served generation of another layout is rebuilt.
LAYOUT = "ingestion-pipeline-1"


@dataclass
class DocRecord:
    """What the index knows about one document."""

    doc_id: str
    source: str
    title: str
    framework: str
    content_hash: str
    path: str
    chunks: int
    pages: int
    indexed_at: str


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    embedded: int = 0
    seconds: float = 0.0
    rebuilt: bool = False
    clashes: list[str] = field(default_factory=list)  # documents not indexed because their id was taken

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
                f"{len(self.unchanged)} unchanged; {self.embedded} passages embedded in {self.seconds:.2f} s")


class IndexStore:
    """Reads and writes the passage index under `root`; one writer at a time, readers never see a partial build."""

    def __init__(self, root: Path, embedder: Embedder, splitter: StructuredSplitter, chunker_version: str,
                 collection: str = "passages"):
        enforce_offline()
        self.root = Path(root)
        self.embedder = embedder
        self.splitter = splitter  # catalog-aware chunks; the generic splitter covers the rest
        self.chunker_version = chunker_version
        self.collection_name = collection
        self._lock = threading.RLock()
        self._client = None
        self._collection = None
        self._gen: str | None = None
        self._state: dict = {}
        self._texts: dict[str, str] = {}
        self._sentences: dict | None = None

    # ---- reading -------------------------------------------------------------------------------------------
    @property
    def generation(self) -> str | None:
        """Name of the generation being served (changes on every switch)."""
        self._refresh()
        return self._gen

    def documents(self) -> list[DocRecord]:
        """Every indexed document, in source order."""
        self._refresh()
        return sorted((DocRecord(**d) for d in self._state.get("docs", {}).values()), key=lambda d: d.source)

    def exists(self) -> bool:
        return self._current_name() is not None

    def compatible(self) -> bool:
        """True when the served index was built by this embedding model, chunker version and layout."""
        self._refresh()
        return (self._state.get("model_id") == self.embedder.model_id
                and self._state.get("chunker_version") == self.chunker_version
                and self._state.get("layout") == LAYOUT)

    def document_text(self, doc_id: str) -> str | None:
        """The extracted text a document was indexed from (spans index into it), or None."""
        self._refresh()
        with self._lock:
            cached = self._texts.get(doc_id)
            if cached is not None or self._gen is None:
                return cached
            path = self.root / self._gen / "texts" / f"{doc_id}.txt"
            if not path.exists():
                return None
            text = path.read_text(encoding="utf-8")
            self._texts[doc_id] = text
            return text

    def all_chunks(self) -> list[Chunk]:
        """Every chunk in the served generation (for BM25 and catalogues)."""
        col = self._served_collection()
        if col is None:
            return []
        got = col.get(include=["documents", "metadatas"])
        chunks = [Chunk.from_metadata(i, t, m) for i, t, m in zip(got["ids"], got["documents"], got["metadatas"])]
        return sorted(chunks, key=lambda c: (c.source, c.start, c.chunk_id))

    def dense_search(self, vector: list[float], k: int, where: dict | None = None) -> list[tuple[Chunk, float]]:
        """Top-k chunks by cosine similarity to `vector`, optionally filtered by metadata."""
        col = self._served_collection()
        if col is None:
            return []
        n = min(k, col.count())
        if n <= 0:
            return []
        res = col.query(query_embeddings=[vector], n_results=n, where=where or None,
                        include=["documents", "metadatas", "distances"])
        return [(Chunk.from_metadata(i, t, m), 1.0 - float(d))
                for i, t, m, d in zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0])]

    # ---- writing -------------------------------------------------------------------------------------------
    def sync(self, docs: list[Document], scope: Iterable[Path] = (), progress: Progress | None = None,
             remove_ids: Iterable[str] = ()) -> SyncReport:
        """Make the index hold `docs` (by content hash); drop documents under `scope` folders that are gone.
        A document whose id belongs to a different file that still exists is a clash: reported, not indexed."""
        started = time.perf_counter()
        with self._write_lock():
            self._refresh()
            report = SyncReport()
            rebuild = self.exists() and not self.compatible()
            report.rebuilt = rebuild
            old_docs: dict[str, dict] = {} if rebuild else dict(self._state.get("docs", {}))
            docs = self._without_clashes(docs, old_docs, report)
            wanted = {d.doc_id: d for d in docs}
            wanted_paths = {_resolved(d.path) for d in docs if d.path}
            scope = [Path(p).resolve() for p in scope]
            drop = set(remove_ids)
            gone: set[str] = set()
            for doc_id, rec in old_docs.items():
                if doc_id in wanted:
                    continue
                p = _resolved(rec.get("path"))
                # Gone from its folder, removed by id, or the same file now indexed under another id.
                if doc_id in drop or (p is not None and (p in wanted_paths or (
                        any(_under(p, s) for s in scope) and not p.exists()))):
                    report.removed.append(rec["source"])
                    gone.add(doc_id)
            to_embed: list[Document] = []
            for d in docs:
                rec = old_docs.get(d.doc_id)
                if rec and rec["content_hash"] == d.content_hash:
                    report.unchanged.append(d.source)
                    continue
                (report.updated if rec else report.added).append(d.source)
                to_embed.append(d)
            if not report.changed and self.exists():
                report.seconds = time.perf_counter() - started
                return report
            embed_ids = {d.doc_id for d in to_embed}
            keep = {i: r for i, r in old_docs.items() if i not in gone and i not in embed_ids}
            report.embedded = self._build_generation(keep, docs, progress)
            report.seconds = time.perf_counter() - started
            return report

    @staticmethod
    def _without_clashes(docs: list[Document], old_docs: dict[str, dict], report: "SyncReport") -> list[Document]:
        """`docs` minus those whose id the index holds for another file that still exists (reported)."""
        out = []
        for d in docs:
            rec = old_docs.get(d.doc_id)
            old_path, new_path = _resolved(rec.get("path")) if rec else None, _resolved(d.path)
            if old_path is not None and new_path is not None and old_path != new_path and old_path.exists():
                report.clashes.append(f"{d.source}: not indexed; its id {d.doc_id!r} is already used by {old_path} "
                                      "(rename one of the files)")
                continue
            out.append(d)
        return out

    def remove(self, doc_ids: Iterable[str]) -> SyncReport:
        """Remove documents by id (keeps everything else)."""
        return self.sync([], remove_ids=doc_ids)

    # ---- internals -----------------------------------------------------------------------------------------
    def _build_generation(self, keep: dict[str, dict], docs: list[Document], progress: Progress | None) -> int:
        """Carry the kept documents into a fresh folder, run the ingestion pipeline there, then switch to it."""
        import chromadb

        from assistant.index.pipeline import GenerationPipeline

        self.root.mkdir(parents=True, exist_ok=True)
        for stale in self.root.glob("build-*"):  # we hold the write lock: these were abandoned by a crash
            shutil.rmtree(stale, ignore_errors=True)
        build = self.root / f"build-{uuid.uuid4().hex[:8]}"
        (build / "texts").mkdir(parents=True)
        client = chromadb.PersistentClient(path=str(build), settings=_chroma_settings())
        col = client.get_or_create_collection(
            self.collection_name, embedding_function=None,
            metadata={"hnsw:space": "cosine", "model_id": self.embedder.model_id,
                      "chunker_version": self.chunker_version})
        self._carry_over(build, col, keep)
        pipeline = GenerationPipeline(build, col, self.embedder, self.splitter, progress)
        # The docstore now knows exactly the carried documents: it skips those unchanged, embeds everything else.
        pipeline.retain(keep)
        chunks = pipeline.run(docs)
        pipeline.persist()
        texts = build / "texts"
        embedded = {c.doc_id for c in chunks}
        docs_state = dict(keep)
        chunks_by_doc = [(d, [c for c in chunks if c.doc_id == d.doc_id]) for d in docs
                         if d.doc_id in embedded or d.doc_id not in keep]
        for doc, doc_chunks in chunks_by_doc:
            # Keep the exact extracted text: citation spans index into it (PDF/DOCX text is not the file).
            (texts / f"{doc.doc_id}.txt").write_text(doc.text, encoding="utf-8")
            docs_state[doc.doc_id] = DocRecord(
                doc_id=doc.doc_id, source=doc.source, title=doc.title, framework=doc.framework,
                content_hash=doc.content_hash, path=doc.path, chunks=len(doc_chunks), pages=len(doc.pages),
                indexed_at=datetime.now(timezone.utc).isoformat(timespec="seconds")).__dict__
        self._write_sentence_vectors(build, keep, chunks_by_doc, progress)
        state = {"model_id": self.embedder.model_id, "chunker_version": self.chunker_version, "layout": LAYOUT,
                 "docs": docs_state}
        (build / "state.json").write_text(json.dumps(state, indent=1), encoding="utf-8")
        del pipeline, col, client
        final = self.root / f"gen-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
        os.replace(build, final)
        pointer = self.root / "CURRENT.tmp"
        pointer.write_text(final.name, encoding="utf-8")
        os.replace(pointer, self.root / "CURRENT")  # the atomic switch: readers see old or new, never half
        self._refresh(force=True)
        self._collect_garbage()
        return len(chunks)

    def _carry_over(self, build: Path, col, keep: dict[str, dict]) -> None:
        """Copy the kept documents' records (vectors, metadata), texts and docstore entries from the served
        generation, through Chroma's API so a reader of the served folder never races a file copy."""
        old = self._served_collection() if keep else None
        if old is None:
            return
        served = self.root / str(self._gen)
        for doc_id in keep:
            old_text = served / "texts" / f"{doc_id}.txt"
            if old_text.exists():
                shutil.copyfile(old_text, build / "texts" / old_text.name)
            got = old.get(where={"doc_id": doc_id}, include=["embeddings", "documents", "metadatas"])
            if got["ids"]:
                col.add(ids=got["ids"], embeddings=got["embeddings"], documents=got["documents"],
                        metadatas=got["metadatas"])
        from assistant.index.pipeline import DOCSTORE_FILE

        if (served / DOCSTORE_FILE).exists():  # written before its generation was switched in: complete
            shutil.copyfile(served / DOCSTORE_FILE, build / DOCSTORE_FILE)

    def sentence_vectors(self) -> dict[tuple[str, int, int], "object"]:
        """Precomputed vectors of every quotable sentence, by (doc_id, start, end); empty if none."""
        self._refresh()
        with self._lock:
            if self._sentences is not None:
                return self._sentences
            table: dict = {}
            if self._gen is not None:
                table = _load_sentences(self.root / self._gen / "sentences.npz")
            self._sentences = table
            return table

    def _write_sentence_vectors(self, build: Path, keep: dict, chunks_by_doc, progress) -> None:
        """Embed the sentences of new documents once, at indexing time, so answering never waits on it."""
        import numpy as np

        from assistant.answering.evidence import chunk_sentences

        keys: list[str] = []
        vecs: list = []
        old = self.sentence_vectors() if keep else {}
        for (doc_id, a, b), v in old.items():
            if doc_id in keep:
                keys.append(f"{doc_id}\t{a}\t{b}")
                vecs.append(v)
        todo: list[tuple[str, str]] = []
        for doc, chunks in chunks_by_doc:
            seen = set()
            for c in chunks:
                for a, b, text in chunk_sentences(doc.text, c.start, c.end):
                    if (a, b) not in seen:
                        seen.add((a, b))
                        todo.append((f"{doc.doc_id}\t{a}\t{b}", text))
        for i in range(0, len(todo), 128):
            batch = todo[i:i + 128]
            keys.extend(k for k, _ in batch)
            vecs.extend(self.embedder.embed([t for _, t in batch]))
            if progress:
                progress("sentences", min(i + 128, len(todo)), len(todo))
        arr = np.asarray(vecs, dtype=np.float32).reshape(len(vecs), -1) if vecs else np.zeros((0, 0), np.float32)
        np.savez(build / "sentences.npz", keys=np.asarray(keys, dtype=object), vectors=arr)

    def _current_name(self) -> str | None:
        p = self.root / "CURRENT"
        try:
            name = p.read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return name if name and (self.root / name / "state.json").exists() else None

    def _refresh(self, force: bool = False) -> None:
        with self._lock:
            name = self._current_name()
            if name == self._gen and not force:
                return
            self._gen = name
            self._client = self._collection = None
            self._state = {}
            self._texts = {}
            self._sentences = None
            if name:
                self._state = json.loads((self.root / name / "state.json").read_text(encoding="utf-8"))

    def _served_collection(self):
        self._refresh()
        with self._lock:
            if self._gen is None:
                return None
            if self._collection is None:
                import chromadb

                self._client = chromadb.PersistentClient(path=str(self.root / self._gen), settings=_chroma_settings())
                self._collection = self._client.get_collection(self.collection_name, embedding_function=None)
            return self._collection

    def _collect_garbage(self) -> None:
        """Remove abandoned builds and generations older than the previous one (a reader may still hold it)."""
        gens = sorted((p for p in self.root.glob("gen-*") if p.is_dir()), key=lambda p: p.name)
        current = self._gen
        old = [g for g in gens if g.name != current]
        for g in old[:-1]:
            shutil.rmtree(g, ignore_errors=True)
        # We hold the write lock, so any other build folder was abandoned by a crashed or killed writer.
        for b in self.root.glob("build-*"):
            shutil.rmtree(b, ignore_errors=True)

    @contextmanager
    def _write_lock(self):
        self.root.mkdir(parents=True, exist_ok=True)
        with self._lock, exclusive(self.root / ".lock"):  # one writer across processes (app + CLI)
            yield


def _chroma_settings():
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


def _resolved(path: str | None) -> Path | None:
    return Path(path).resolve() if path else None


def _under(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def _load_sentences(path: Path) -> dict:
    if not path.exists():
        return {}
    import numpy as np

    data = np.load(path, allow_pickle=True)
    out = {}
    for key, vec in zip(data["keys"], data["vectors"]):
        doc_id, a, b = str(key).split("\t")
        out[(doc_id, int(a), int(b))] = vec
    return out
