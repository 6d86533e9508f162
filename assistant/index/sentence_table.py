"""The sentence-vector table of a generation: every quotable sentence's vector, computed once at indexing time."""

from __future__ import annotations

from pathlib import Path
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


def save_sentences(path: Path, table: Iterable[tuple[Key, object]]) -> None:
    """Write (key, vector) pairs to `path` (.npz)."""
    import numpy as np

    items = list(table)
    keys = np.asarray([f"{d}\t{a}\t{b}" for (d, a, b), _ in items], dtype=object)
    vectors = np.stack([v for _, v in items]).astype(np.float32) if items else np.zeros((0, 0), np.float32)
    np.savez(path, keys=keys, vectors=vectors)


def load_sentences(path: Path) -> dict[Key, object]:
    """The table saved in `path` (empty when the file is missing)."""
    if not path.exists():
        return {}
    import numpy as np

    data = np.load(path, allow_pickle=True)
    out = {}
    for key, vec in zip(data["keys"], data["vectors"]):
        doc_id, a, b = str(key).split("\t")
        out[(doc_id, int(a), int(b))] = vec
    return out
