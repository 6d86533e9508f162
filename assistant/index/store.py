"""Chroma-backed passage index: idempotent by content hash, built into a fresh generation and switched atomically.
Where generations live (folders of an embedded Chroma, or a Chroma server) is the `generations` collaborator's
business (generations.py); everything here reads and writes the same collections and records either way."""

from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

from assistant.index.embeddings import Embedder
from assistant.index.sentence_table import embed_sentences, save_sentences
from assistant.index.served import ServedGeneration
from assistant.offline import enforce_offline
from assistant.types import Chunk, Document

StructuredSplitter = Callable[[Document], list[Chunk]]
Progress = Callable[[str, int, int], None]  # (stage, done, total)
# How a generation is laid out (sentence vectors in a collection, state and texts as records); a served generation
# of another layout is rebuilt.
LAYOUT = "generation-2"


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
    """Reads and writes the passage index held by `generations` (FolderGenerations or ServerGenerations); one
    writer at a time, readers never see a partial build."""

    def __init__(self, generations, embedder: Embedder, splitter: StructuredSplitter, chunker_version: str):
        enforce_offline()
        self.generations = generations
        self.embedder = embedder
        self.splitter = splitter  # catalog-aware chunks; the generic splitter covers the rest
        self.chunker_version = chunker_version
        # Readers take no lock a writer holds: they read the served snapshot, swapped in whole after a build.
        self._served: ServedGeneration | None = None
        self._swap = threading.Lock()
        self._writer = threading.Lock()  # one writer in this process (the file lock covers other processes)
        self._pointer_seen: tuple[float, str | None] | None = None  # (when, name): a server's pointer, re-read ≤1/s

    # ---- reading -------------------------------------------------------------------------------------------
    def served(self) -> ServedGeneration | None:
        """The generation being served, as one immutable snapshot (None before the first build). A reader that
        holds it keeps a consistent view for as long as it likes; a writer never makes it wait."""
        name = self._current_name()
        current = self._served
        if (current.name if current is not None else None) == name:
            return current
        with self._swap:  # brief: compares and replaces one reference, never held across a build
            name = self._current_name(fresh=True)  # again: a switch may have happened since, never step back
            if (self._served.name if self._served is not None else None) != name:
                self._served = ServedGeneration(self.generations.open(name)) if name else None
            return self._served

    @property
    def generation(self) -> str | None:
        """Name of the generation being served (changes on every switch)."""
        served = self.served()
        return served.name if served else None

    def documents(self) -> list[DocRecord]:
        """Every indexed document, in source order."""
        served = self.served()
        docs = served.state.get("docs", {}) if served else {}
        return sorted((DocRecord(**d) for d in docs.values()), key=lambda d: d.source)

    @property
    def location(self) -> str:
        """Where the index lives, for people (a folder, or the Chroma server's address)."""
        return self.generations.describe()

    @property
    def built_at(self) -> str:
        """When the served generation was built (ISO time), or ''."""
        served = self.served()
        return str(served.state.get("built_at", "")) if served else ""

    def exists(self) -> bool:
        return self._current_name() is not None

    def compatible(self) -> bool:
        """True when the served index was built by this embedding model, chunker version and layout."""
        served = self.served()
        state = served.state if served else {}
        return (state.get("model_id") == self.embedder.model_id
                and state.get("chunker_version") == self.chunker_version
                and state.get("layout") == LAYOUT)

    def document_text(self, doc_id: str) -> str | None:
        """The extracted text a document was indexed from (spans index into it), or None."""
        served = self.served()
        return served.document_text(doc_id) if served else None

    def all_chunks(self) -> list[Chunk]:
        """Every chunk in the served generation (for BM25 and catalogues)."""
        served = self.served()
        return served.all_chunks() if served else []

    def dense_search(self, vector: list[float], k: int, where: dict | None = None) -> list[tuple[Chunk, float]]:
        """Top-k chunks by cosine similarity to `vector`, optionally filtered by metadata."""
        served = self.served()
        return served.dense_search(vector, k, where) if served else []

    def sentence_vectors(self) -> dict[tuple[str, int, int], "object"]:
        """Precomputed vectors of every quotable sentence, by (doc_id, start, end); empty if none."""
        served = self.served()
        return served.sentence_vectors() if served else {}

    # ---- writing -------------------------------------------------------------------------------------------
    def sync(self, docs: list[Document], scope: Iterable[Path] = (), progress: Progress | None = None,
             remove_ids: Iterable[str] = ()) -> SyncReport:
        """Make the index hold `docs` (by content hash); drop documents under `scope` folders that are gone.
        A document whose id belongs to a different file that still exists is a clash: reported, not indexed."""
        started = time.perf_counter()
        with self._write_lock():
            served = self.served()
            report = SyncReport()
            rebuild = served is not None and not self.compatible()
            report.rebuilt = rebuild
            old_docs: dict[str, dict] = {} if rebuild or served is None else dict(served.state.get("docs", {}))
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
            report.embedded = self._build_generation(served, keep, docs, progress)
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

    # ---- backup ---------------------------------------------------------------------------------------------
    def export(self, folder: Path) -> dict[str, int]:
        """Write the served generation to `folder` as plain files (see portable.py); counts of records by kind."""
        from assistant.index import portable

        served = self.served()
        if served is None:
            raise ValueError(f"there is no index to back up yet at {self.location}")
        return portable.dump(served.generation, Path(folder))

    def restore(self, folder: Path, fix_state: Callable[[dict], dict]) -> dict[str, int]:
        """Serve the generation dumped in `folder` (switched in atomically, like any build)."""
        from assistant.index import portable

        with self._write_lock():
            build = self.generations.begin()
            counts = portable.load(Path(folder), build, fix_state)
            self._publish(build)
            return counts

    # ---- internals -----------------------------------------------------------------------------------------
    def _build_generation(self, served: ServedGeneration | None, keep: dict[str, dict], docs: list[Document],
                          progress: Progress | None) -> int:
        """Carry the kept documents of `served` into a fresh generation, run the ingestion pipeline there, then
        switch to it. Readers keep searching `served` meanwhile. The state record is written last: a build is
        complete when it has one, and only then published."""
        from assistant.index.pipeline import GenerationPipeline

        build = self.generations.begin()
        col = build.collection("passages", create=True, metadata={
            "model_id": self.embedder.model_id, "chunker_version": self.chunker_version})
        self._carry_over(served, build, col, keep)
        docstore = served.generation.get_text("docstore") if keep and served is not None else None
        pipeline = GenerationPipeline(col, self.embedder, self.splitter, progress, docstore)
        # The docstore now knows exactly the carried documents: it skips those unchanged, embeds everything else.
        pipeline.retain(keep)
        chunks = pipeline.run(docs)
        build.put_text("docstore", pipeline.docstore_json())
        embedded = {c.doc_id for c in chunks}
        docs_state = dict(keep)
        chunks_by_doc = [(d, [c for c in chunks if c.doc_id == d.doc_id]) for d in docs
                         if d.doc_id in embedded or d.doc_id not in keep]
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        for doc, doc_chunks in chunks_by_doc:
            # Keep the exact extracted text: citation spans index into it (PDF/DOCX text is not the file).
            build.put_text(f"text:{doc.doc_id}", doc.text)
            docs_state[doc.doc_id] = DocRecord(
                doc_id=doc.doc_id, source=doc.source, title=doc.title, framework=doc.framework,
                content_hash=doc.content_hash, path=doc.path, chunks=len(doc_chunks), pages=len(doc.pages),
                indexed_at=now).__dict__
        sentences = self._write_sentence_vectors(served, build, keep, chunks_by_doc, progress)
        state = {"model_id": self.embedder.model_id, "chunker_version": self.chunker_version, "layout": LAYOUT,
                 "built_at": now, "docs": docs_state}
        build.put_text("state", json.dumps(state, indent=1))
        del pipeline, col
        self._publish(build, sentences)
        return len(chunks)

    def _publish(self, build, sentences: dict | None = None) -> None:
        """Switch every reader to the finished build (atomically), then drop generations no reader can still hold."""
        name = self.generations.publish(build)
        fresh = ServedGeneration(self.generations.open(name))
        if sentences is not None:
            fresh.preload_sentences(sentences)  # just computed: readers of the new generation need not load them
        with self._swap:
            self._served = fresh
            self._pointer_seen = (time.monotonic(), name)
        self.generations.collect()

    @staticmethod
    def _carry_over(served: ServedGeneration | None, build, col, keep: dict[str, dict]) -> None:
        """Copy the kept documents' records (vectors, metadata) and texts from the served generation, through
        Chroma's API, so a reader of the served generation never races a copy."""
        if served is None or not keep:
            return
        old = served.collection()
        for doc_id in keep:
            text = served.document_text(doc_id)
            if text is not None:
                build.put_text(f"text:{doc_id}", text)
            got = old.get(where={"doc_id": doc_id}, include=["embeddings", "documents", "metadatas"])
            if got["ids"]:
                col.add(ids=got["ids"], embeddings=got["embeddings"], documents=got["documents"],
                        metadatas=got["metadatas"])

    def _write_sentence_vectors(self, served: ServedGeneration | None, build, keep: dict, chunks_by_doc,
                                progress) -> dict:
        """Embed the sentences of new documents once, at indexing time, so answering never waits on it; returns
        the new generation's whole table (kept documents' rows carried over)."""
        from assistant.answering.evidence import chunk_sentences

        old = served.sentence_vectors() if keep and served is not None else {}
        table = {key: v for key, v in old.items() if key[0] in keep}
        todo: list = []
        for doc, chunks in chunks_by_doc:
            seen = set()
            for c in chunks:
                for a, b, text in chunk_sentences(doc.text, c.start, c.end):
                    if (a, b) not in seen:
                        seen.add((a, b))
                        todo.append(((doc.doc_id, a, b), text))
        table.update(embed_sentences(self.embedder.embed, todo, progress))
        save_sentences(build.collection("sentences", create=True), table.items())
        return table

    def _current_name(self, fresh: bool = False) -> str | None:
        """The served generation's name from the pointer (a server's is re-read at most once a second)."""
        seen = self._pointer_seen
        if not fresh and seen is not None and time.monotonic() - seen[0] < self.generations.pointer_ttl:
            return seen[1]
        name = self.generations.current()
        self._pointer_seen = (time.monotonic(), name)
        return name

    @contextmanager
    def _write_lock(self):
        with self._writer, self.generations.lock():  # one writer across processes (app + CLI, or workers)
            yield


def _resolved(path: str | None) -> Path | None:
    return Path(path).resolve() if path else None


def _under(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False
