"""Nearest sentences: every quotable sentence's vector (computed at indexing time) searched by cosine, so a question
worded unlike any passage can still reach the one sentence that answers it."""

from __future__ import annotations

import numpy as np

from assistant.types import Chunk, Passage


class SentenceIndex:
    """Sentence vectors in one matrix, each row mapped to the tightest chunk that holds the sentence."""

    def __init__(self, chunks: list[Chunk], vectors: dict[tuple[str, int, int], object]):
        by_doc: dict[str, list[Chunk]] = {}
        for c in chunks:
            by_doc.setdefault(c.doc_id, []).append(c)
        rows, owners, spans = [], [], []
        for (doc_id, a, b), vec in vectors.items():
            holders = [c for c in by_doc.get(doc_id, ()) if c.start <= a and b <= c.end and c.kind != "level"] or \
                [c for c in by_doc.get(doc_id, ()) if c.start <= a and b <= c.end]
            if not holders:
                continue
            owners.append(min(holders, key=lambda c: c.end - c.start))
            spans.append((a, b))
            rows.append(vec)
        self.owners = owners
        self.spans = spans
        self.matrix = np.asarray(rows, dtype=np.float32).reshape(len(rows), -1) if rows else np.zeros((0, 1), np.float32)

    def nearest(self, vector, n: int = 12, framework: str | None = None,
                exclude: frozenset[str] = frozenset()) -> list[Passage]:
        """The chunks holding the n sentences closest to `vector` (best first, one passage per chunk), each with
        its best sentence similarity as the "sentence" signal; chunks of documents in `exclude` are skipped."""
        if not len(self.owners):
            return []
        sims = self.matrix @ np.asarray(vector, dtype=np.float32)
        out: dict[str, Passage] = {}
        for i in np.argsort(-sims):
            chunk = self.owners[int(i)]
            if (framework and chunk.framework != framework) or chunk.doc_id in exclude:
                continue
            if chunk.chunk_id not in out:
                out[chunk.chunk_id] = Passage(chunk, float(sims[i]), {"sentence": float(sims[i])})
                if len(out) >= n:
                    break
        return list(out.values())
