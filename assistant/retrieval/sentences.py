"""Nearest sentences: every quotable sentence's vector (computed at indexing time) searched by cosine, so a question
worded unlike any passage can still reach the one sentence that answers it."""

from __future__ import annotations

import numpy as np

from assistant.types import Chunk, Passage


class SentenceIndex:
    """Sentence vectors in one matrix, each row mapped to the tightest chunk that holds the sentence."""

    def __init__(self, chunks: list[Chunk], vectors: dict[tuple[str, int, int], object]):
        owner = _owners(chunks, list(vectors))
        rows, owners, spans = [], [], []
        for key, vec in vectors.items():
            chunk = owner.get(key)
            if chunk is None:
                continue
            owners.append(chunk)
            spans.append(key[1:])
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


def _owners(chunks: list[Chunk], keys: list[tuple[str, int, int]]) -> dict[tuple[str, int, int], Chunk]:
    """The tightest chunk holding each sentence (a leveled chunk only when no other holds it). One sweep per
    document in start order, keeping only the chunks that reach the current sentence, so the work grows with the
    sentences and chunks, not with their product (a long upload has thousands of each)."""
    by_doc: dict[str, list[Chunk]] = {}
    for c in chunks:
        by_doc.setdefault(c.doc_id, []).append(c)
    keys_by_doc: dict[str, list[tuple[str, int, int]]] = {}
    for key in keys:
        keys_by_doc.setdefault(key[0], []).append(key)
    out: dict[tuple[str, int, int], Chunk] = {}
    for doc_id, doc_keys in keys_by_doc.items():
        # Chunks keep their given order among equals (the tie-break of `min`); the sweep needs them by start.
        doc_chunks = sorted(enumerate(by_doc.get(doc_id, ())), key=lambda ic: (ic[1].start, ic[0]))
        active: list[tuple[int, Chunk]] = []
        nxt = 0
        for key in sorted(doc_keys, key=lambda k: k[1]):
            a, b = key[1], key[2]
            while nxt < len(doc_chunks) and doc_chunks[nxt][1].start <= a:
                active.append(doc_chunks[nxt])
                nxt += 1
            active = [ic for ic in active if ic[1].end >= a]  # a chunk ending before this sentence holds no later one
            holders = sorted((ic for ic in active if ic[1].end >= b), key=lambda ic: ic[0])
            best = [c for _, c in holders if c.kind != "level"] or [c for _, c in holders]
            if best:
                out[key] = min(best, key=lambda c: c.end - c.start)
    return out
