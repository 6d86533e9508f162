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
from assistant.index.sentence_table import embed_sentences, save_sentences
from assistant.index.served import ServedGeneration, chroma_settings
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
        # Readers take no lock a writer holds: they read the served snapshot, swapped in whole after a build.
        self._served: ServedGeneration | None = None
        self._swap = threading.Lock()
        self._writer = threading.Lock()  # one writer in this process (the file lock covers other processes)

    # ---- reading -------------------------------------------------------------------------------------------
    def served(self) -> ServedGeneration | None:
        """The generation being served, as one immutable snapshot (None before the first build). A reader that
        holds it keeps a consistent view for as long as it likes; a writer never makes it wait."""
        name = self._current_name()
        current = self._served
        if (current.name if current is not None else None) == name:
            return current
        with self._swap:  # brief: compares and replaces one reference, never held across a build
            name = self._current_name()  # again: a switch may have happened since, never step back to an older one
            if (self._served.name if self._served is not None else None) != name:
                self._served = ServedGeneration(self.root / name, self.collection_name) if name else None
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

    # ---- internals -----------------------------------------------------------------------------------------
    def _build_generation(self, served: ServedGeneration | None, keep: dict[str, dict], docs: list[Document],
                          progress: Progress | None) -> int:
        """Carry the kept documents of `served` into a fresh folder, run the ingestion pipeline there, then switch
        to it. Readers keep searching `served` meanwhile."""
        import chromadb

        from assistant.index.pipeline import GenerationPipeline

        self.root.mkdir(parents=True, exist_ok=True)
        for stale in self.root.glob("build-*"):  # we hold the write lock: these were abandoned by a crash
            shutil.rmtree(stale, ignore_errors=True)
        build = self.root / f"build-{uuid.uuid4().hex[:8]}"
        (build / "texts").mkdir(parents=True)
        client = chromadb.PersistentClient(path=str(build), settings=chroma_settings())
        col = client.get_or_create_collection(
            self.collection_name, embedding_function=None,
            metadata={"hnsw:space": "cosine", "model_id": self.embedder.model_id,
                      "chunker_version": self.chunker_version})
        self._carry_over(served, build, col, keep)
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
        sentences = self._write_sentence_vectors(served, build, keep, chunks_by_doc, progress)
        state = {"model_id": self.embedder.model_id, "chunker_version": self.chunker_version, "layout": LAYOUT,
                 "docs": docs_state}
        (build / "state.json").write_text(json.dumps(state, indent=1), encoding="utf-8")
        del pipeline, col, client
        final = self.root / f"gen-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
        os.replace(build, final)
        pointer = self.root / "CURRENT.tmp"
        pointer.write_text(final.name, encoding="utf-8")
        os.replace(pointer, self.root / "CURRENT")  # the atomic switch: readers see old or new, never half
        fresh = ServedGeneration(final, self.collection_name)
        fresh.preload_sentences(sentences)  # just computed: readers of the new generation need not load them
        with self._swap:
            self._served = fresh
        self._collect_garbage(fresh.name)
        return len(chunks)

    @staticmethod
    def _carry_over(served: ServedGeneration | None, build: Path, col, keep: dict[str, dict]) -> None:
        """Copy the kept documents' records (vectors, metadata), texts and docstore entries from the served
        generation, through Chroma's API so a reader of the served folder never races a file copy."""
        if served is None or not keep:
            return
        old = served.collection()
        folder = served.folder
        for doc_id in keep:
            old_text = folder / "texts" / f"{doc_id}.txt"
            if old_text.exists():
                shutil.copyfile(old_text, build / "texts" / old_text.name)
            got = old.get(where={"doc_id": doc_id}, include=["embeddings", "documents", "metadatas"])
            if got["ids"]:
                col.add(ids=got["ids"], embeddings=got["embeddings"], documents=got["documents"],
                        metadatas=got["metadatas"])
        from assistant.index.pipeline import DOCSTORE_FILE

        if (folder / DOCSTORE_FILE).exists():  # written before its generation was switched in: complete
            shutil.copyfile(folder / DOCSTORE_FILE, build / DOCSTORE_FILE)

    def _write_sentence_vectors(self, served: ServedGeneration | None, build: Path, keep: dict, chunks_by_doc,
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
        save_sentences(build / "sentences.npz", table.items())
        return table

    def _current_name(self) -> str | None:
        p = self.root / "CURRENT"
        try:
            name = p.read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return name if name and (self.root / name / "state.json").exists() else None

    def _collect_garbage(self, current: str) -> None:
        """Remove abandoned builds and generations older than the previous one (a reader may still hold it)."""
        gens = sorted((p for p in self.root.glob("gen-*") if p.is_dir()), key=lambda p: p.name)
        old = [g for g in gens if g.name != current]
        for g in old[:-1]:
            shutil.rmtree(g, ignore_errors=True)
        # We hold the write lock, so any other build folder was abandoned by a crashed or killed writer.
        for b in self.root.glob("build-*"):
            shutil.rmtree(b, ignore_errors=True)

    @contextmanager
    def _write_lock(self):
        self.root.mkdir(parents=True, exist_ok=True)
        with self._writer, exclusive(self.root / ".lock"):  # one writer across processes (app + CLI)
            yield


def _resolved(path: str | None) -> Path | None:
    return Path(path).resolve() if path else None


def _under(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False
