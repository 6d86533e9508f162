"""The sentence-vector table of a generation: every quotable sentence's vector, computed once at indexing time."""

from __future__ import annotations

from typing import Callable, Iterable

Key = tuple[str, int, int]  # (doc_id, start, end)
Progress = Callable[[str, int, int], None]
BATCH = 128


def embed_sentences(embed: Callable[[list[str]], list[list[float]]], todo: list[tuple[Key, str]],
                    progress: Progress | None = None) -> dict[Key, object]:
    """Vectors of (key, text) sentences, embedded in batches of similar length (little padding, so the model's work
    follows the text's length); each batch becomes float32 rows at once, so memory stays near the table's size."""
    import numpy as np

    order = sorted(range(len(todo)), key=lambda i: len(todo[i][1]))
    out: dict[Key, object] = {}
    for n in range(0, len(order), BATCH):
        rows = order[n:n + BATCH]
        vecs = np.asarray(embed([todo[i][1] for i in rows]), dtype=np.float32)
        for i, v in zip(rows, vecs):
            out[todo[i][0]] = v
        if progress:
            progress("sentences", min(n + BATCH, len(order)), len(order))
    return {key: out[key] for key, _ in todo}  # in document order, as before


def save_sentences(collection, table: Iterable[tuple[Key, object]]) -> None:
    """Add (key, vector) pairs to a generation's sentence collection, in batches a server accepts."""
    items = list(table)
    for n in range(0, len(items), 512):
        batch = items[n:n + 512]
        collection.add(ids=[f"{d}:{a}:{b}" for (d, a, b), _ in batch],
                       embeddings=[[float(x) for x in v] for _, v in batch],
                       metadatas=[{"doc_id": d, "start": a, "end": b} for (d, a, b), _ in batch])


def load_sentences(collection) -> dict[Key, object]:
    """The table kept in a generation's sentence collection (vectors as float32 rows)."""
    import numpy as np

    got = collection.get(include=["embeddings", "metadatas"])
    return {(str(m["doc_id"]), int(m["start"]), int(m["end"])): np.asarray(v, dtype=np.float32)
            for m, v in zip(got["metadatas"], got["embeddings"])}
