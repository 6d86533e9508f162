"""An index generation as plain files (one JSON line per vector record, vectors included, and one per text
record), so a backup made from the embedded index restores into a Chroma server and back: `dump` reads a served
generation, `load` fills a new build."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from assistant.index.generations import KINDS, Generation

PAGE = 500  # records per request, well under any server's batch limit


def dump(generation: Generation, folder: Path) -> dict[str, int]:
    """Write every record of the generation's collections under `folder`; returns how many of each kind."""
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    meta: dict[str, dict] = {}
    for kind in KINDS:
        col = generation.collection(kind)
        meta[kind] = dict(col.metadata or {})
        n = 0
        with open(folder / f"{kind}.jsonl", "w", encoding="utf-8") as fh:
            while True:
                got = col.get(include=["embeddings", "documents", "metadatas"], limit=PAGE, offset=n)
                if not got["ids"]:
                    break
                for i, e, d, m in zip(got["ids"], got["embeddings"], got["documents"], got["metadatas"]):
                    fh.write(json.dumps({"id": i, "embedding": [float(x) for x in e], "document": d,
                                         "metadata": m}, ensure_ascii=False) + "\n")
                n += len(got["ids"])
        counts[kind] = n
    keys = generation.record_keys()
    with open(folder / "records.jsonl", "w", encoding="utf-8") as fh:
        for key in keys:
            fh.write(json.dumps({"key": key, "text": generation.get_text(key)}, ensure_ascii=False) + "\n")
    counts["records"] = len(keys)
    (folder / "collections.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return counts


def load(folder: Path, build: Generation, fix_state: Callable[[dict], dict]) -> dict[str, int]:
    """Fill an empty build from a dump; the state record passes through `fix_state` (paths of another computer)."""
    meta = json.loads((folder / "collections.json").read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    for kind in KINDS:
        col = build.collection(kind, create=True, metadata={k: v for k, v in meta.get(kind, {}).items()
                                                             if not k.startswith("hnsw:")})
        batch: list[dict] = []
        n = 0
        with open(folder / f"{kind}.jsonl", encoding="utf-8") as fh:
            for line in fh:
                batch.append(json.loads(line))
                if len(batch) >= PAGE:
                    n += _add(col, batch)
        n += _add(col, batch)
        counts[kind] = n
    state = None
    counts["records"] = 0
    with open(folder / "records.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["key"] == "state":
                state = json.loads(row["text"])
            else:
                build.put_text(row["key"], row["text"])
            counts["records"] += 1
    if state is None:
        raise ValueError("the backup's index has no state record: it is incomplete")
    build.put_text("state", json.dumps(fix_state(state), indent=1))  # last: the build is complete from here on
    return counts


def _add(col, batch: list[dict]) -> int:
    if not batch:
        return 0
    documents = [r["document"] for r in batch]
    col.add(ids=[r["id"] for r in batch], embeddings=[r["embedding"] for r in batch],
            documents=documents if any(d is not None for d in documents) else None,
            metadatas=[r["metadata"] for r in batch])
    n = len(batch)
    batch.clear()
    return n
