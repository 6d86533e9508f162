"""The composition root: builds every collaborator from Settings; nothing else constructs adapters."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from assistant.config import Settings
from assistant.ingest.loaders import LoadError, load_paths, read_manifest
from assistant.index.store import IndexStore, SyncReport
from assistant.offline import enforce_offline
from assistant.types import Document


@dataclass
class Services:
    """Everything the edges (CLI, app, eval suite) use, built once from Settings."""

    settings: Settings
    _cache: dict = field(default_factory=dict)

    @cached_property
    def embedder(self):
        from assistant.index.embeddings import FakeEmbedder, MiniLMEmbedder

        e = self.settings.embedding
        if e.kind == "fake":
            return FakeEmbedder()
        return MiniLMEmbedder(e.model_path, threads=e.threads, batch_size=e.batch_size, max_tokens=e.max_tokens)

    @cached_property
    def catalog(self):
        from assistant.frameworks import build_catalog

        return build_catalog(self.settings.corpus.dir)

    @cached_property
    def chunker(self):
        from assistant.ingest.chunking import chunk_document
        from assistant.ingest.structured_chunks import structured_splitter

        splitter = structured_splitter(self.catalog)
        return lambda doc: chunk_document(doc, splitter)

    @cached_property
    def store(self) -> IndexStore:
        from assistant.ingest.chunking import CHUNKER_VERSION

        return IndexStore(self.settings.index.dir, self.embedder, self.chunker, CHUNKER_VERSION,
                          self.settings.index.collection)

    @cached_property
    def retriever(self):
        from assistant.retrieval.retriever import RetrievalConfig, Retriever

        r = self.settings.retrieval
        cfg = RetrievalConfig(k=r.k, candidates=r.candidates, rrf_k=r.rrf_k, dense_weight=r.dense_weight,
                              bm25_weight=r.bm25_weight, boost=r.boost, phrase_weight=r.phrase_weight)
        return Retriever(self.store, self.embedder, cfg)

    @cached_property
    def answerer(self):
        from assistant.answering.engine import build_answerer

        return build_answerer(self.settings, self.retriever, self.catalog, self.embedder)

    # ---- corpus ------------------------------------------------------------------------------------------
    def corpus_folders(self) -> list[Path]:
        """Folders whose files make up the index: the framework corpus and the uploads folder."""
        folders = [self.settings.corpus.dir]
        if self.settings.corpus.uploads_dir.exists():
            folders.append(self.settings.corpus.uploads_dir)
        return folders

    def load(self, paths: list[Path]) -> tuple[list[Document], list[LoadError]]:
        """Load files (manifest metadata applies to corpus files), collecting per-file errors."""
        c = self.settings.corpus
        return load_paths(paths, read_manifest(c.dir), max_bytes=int(c.max_file_mb * 2**20),
                          max_pages=c.max_pdf_pages)

    def ingest(self, paths: list[Path] | None = None, progress=None) -> tuple[SyncReport, list[LoadError]]:
        """Index `paths` (default: corpus + uploads, removing files that disappeared from those folders)."""
        folders = self.corpus_folders() if not paths else [Path(p) for p in paths]
        docs, errors = self.load(folders)
        scope = [f for f in folders if Path(f).is_dir()]
        report = self.store.sync(docs, scope=scope, progress=progress)
        return report, errors

    def ensure_index(self, progress=None) -> SyncReport | None:
        """Build the default index when it is missing or was built by another model/chunker; else do nothing."""
        if self.store.exists() and self.store.compatible():
            return None
        report, errors = self.ingest(progress=progress)
        for e in errors:
            print(f"skipped {e}", file=sys.stderr)
        return report


def build(settings: Settings) -> Services:
    """Services for these settings (adapters load lazily on first use)."""
    enforce_offline()
    return Services(settings)


def terminal_progress():
    """A tqdm progress callback for terminals (stderr)."""
    from tqdm import tqdm

    bar = {"bar": None}

    def update(stage: str, done: int, total: int) -> None:
        if bar["bar"] is None:
            bar["bar"] = tqdm(total=total, desc=f"Indexing ({stage})", unit="passage", file=sys.stderr)
        b = bar["bar"]
        b.total = total
        b.n = done
        b.refresh()
        if done >= total:
            b.close()
            bar["bar"] = None

    return update
