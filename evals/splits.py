"""The evaluation splits: which data files make up gold, dev and test, and the fixed-seed draw that made dev/test.

`dev` is for tuning (the original gold set joins it); `test` is for reporting only: its failures are never read to
write a rule. The realistic items were drawn into dev and test once by `assign()` (stratified by question type,
half of each type to test); a test checks that the files still agree with that draw. `realistic_dev2.jsonl`,
`realistic_dev3.jsonl`, `realistic_dev4.jsonl` and `realistic_dev5.jsonl` were written later from the documents
alone, after the draw, and are tuning data only (they never join test).
"""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
SEED = 20261129
FILES: dict[str, tuple[str, ...]] = {
    "gold": ("gold.jsonl",),
    "dev": ("gold.jsonl", "realistic_dev.jsonl", "realistic_dev2.jsonl", "realistic_dev3.jsonl",
            "realistic_dev4.jsonl", "realistic_dev5.jsonl"),
    "test": ("realistic_test.jsonl",),
}
REALISTIC = {"dev": "realistic_dev.jsonl", "test": "realistic_test.jsonl"}


def names() -> list[str]:
    """The split names, in report order."""
    return list(FILES)


def paths(split: str) -> list[Path]:
    """The data files of a split; ValueError names the known splits."""
    if split not in FILES:
        raise ValueError(f"unknown split {split!r} (known: {', '.join(FILES)})")
    return [DATA_DIR / f for f in FILES[split]]


def assign(items: list[dict], seed: int = SEED) -> dict[str, str]:
    """id -> "dev" | "test": per question type (sorted), ids sorted then shuffled by one seeded generator; the
    first half (rounded down) of each type goes to test."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for it in items:
        by_type[str(it["type"])].append(str(it["id"]))
    rng = random.Random(seed)
    out: dict[str, str] = {}
    for t in sorted(by_type):
        ids = sorted(by_type[t])
        rng.shuffle(ids)
        half = len(ids) // 2
        for k, item_id in enumerate(ids):
            out[item_id] = "test" if k < half else "dev"
    return out
