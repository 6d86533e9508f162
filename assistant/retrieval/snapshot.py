"""What search needs from one served index generation, built once and never changed: a question is answered
from one snapshot throughout, and a new generation replaces the snapshot whole."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from assistant.index.bm25 import BM25
from assistant.retrieval.sentences import SentenceIndex
from assistant.text.spelling import Speller
from assistant.text.tokens import tokens, words
from assistant.types import Chunk


@dataclass(frozen=True)
class SearchSnapshot:
    """The chunks of one generation with their BM25 index, word pairs, speller and sentence index; `dense` searches
    that same generation's vectors."""

    generation: str | None
    chunks: list[Chunk]
    bm25: BM25 | None
    pairs: list[set[tuple[str, str]]]
    speller: Speller
    sentences: SentenceIndex
    dense: Callable[[list[float], int, dict | None], list[tuple[Chunk, float]]]
    by_id: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, served, known_words: frozenset[str], lexical_text: Callable[[Chunk], str]) -> "SearchSnapshot":
        """The snapshot of `served` (a ServedGeneration, or None for no index)."""
        chunks = served.all_chunks() if served is not None else []
        return cls(
            generation=served.name if served is not None else None, chunks=chunks,
            bm25=BM25([lexical_text(c) for c in chunks]) if chunks else None,
            pairs=[word_pairs(c.text) for c in chunks],
            speller=Speller(Counter(w for c in chunks for w in words(f"{c.section} {c.text}")), known_words),
            sentences=SentenceIndex(chunks, served.sentence_vectors() if served is not None else {}),
            dense=served.dense_search if served is not None else _no_vectors,
            by_id={c.chunk_id: i for i, c in enumerate(chunks)})


def word_pairs(text: str) -> set[tuple[str, str]]:
    """Adjacent content-word pairs (stop words skipped), a cheap phrase/proximity signal."""
    toks = tokens(text)
    return set(zip(toks, toks[1:]))


def _no_vectors(vector: list[float], k: int, where: dict | None = None) -> list[tuple[Chunk, float]]:
    return []
