"""One switched-in index generation, read-only: what readers search while a writer builds the next one."""

from __future__ import annotations

import json
import threading

from assistant.index.sentence_table import load_sentences
from assistant.types import Chunk


class ServedGeneration:
    """A finished generation (never written again; a `generations.Generation`, in a folder or on a Chroma server)
    with its collection, texts and sentence vectors loaded on first use. Readers hold one for a whole question; the
    store swaps in the next one when a build is done."""

    def __init__(self, generation):
        self.generation = generation
        self.name = generation.name
        self.state: dict = json.loads(generation.get_text("state") or "{}")
        # Guards only this generation's lazy loads; a writer never takes it, so it never waits on a build.
        self._lock = threading.Lock()
        self._collection = None
        self._texts: dict[str, str] = {}
        self._sentences: dict | None = None

    def collection(self):
        """This generation's Chroma collection (opened once)."""
        with self._lock:
            if self._collection is None:
                self._collection = self.generation.collection("passages")
            return self._collection

    def document_text(self, doc_id: str) -> str | None:
        """The extracted text a document was indexed from (spans index into it), or None."""
        with self._lock:
            cached = self._texts.get(doc_id)
        if cached is not None:
            return cached
        text = self.generation.get_text(f"text:{doc_id}")
        if text is None:
            return None
        with self._lock:
            self._texts[doc_id] = text
        return text

    def all_chunks(self) -> list[Chunk]:
        """Every chunk of this generation, in source order."""
        got = self.collection().get(include=["documents", "metadatas"])
        chunks = [Chunk.from_metadata(i, t, m) for i, t, m in zip(got["ids"], got["documents"], got["metadatas"])]
        return sorted(chunks, key=lambda c: (c.source, c.start, c.chunk_id))

    def dense_search(self, vector: list[float], k: int, where: dict | None = None) -> list[tuple[Chunk, float]]:
        """Top-k chunks of this generation by cosine similarity to `vector`, optionally filtered by metadata."""
        col = self.collection()
        n = min(k, col.count())
        if n <= 0:
            return []
        res = col.query(query_embeddings=[vector], n_results=n, where=where or None,
                        include=["documents", "metadatas", "distances"])
        return [(Chunk.from_metadata(i, t, m), 1.0 - float(d))
                for i, t, m, d in zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0])]

    def preload_sentences(self, table: dict) -> None:
        """Serve `table` as this generation's sentence vectors (the writer just computed it)."""
        with self._lock:
            self._sentences = table

    def sentence_vectors(self) -> dict[tuple[str, int, int], object]:
        """Precomputed vectors of every quotable sentence, by (doc_id, start, end); empty if none."""
        with self._lock:
            if self._sentences is None:
                self._sentences = load_sentences(self.generation.collection("sentences"))
            return self._sentences

