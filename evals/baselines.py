"""Reference retrievers scored beside the pipeline: naive llama-index chunks + dense top-k, and BM25 on the same chunks.

naive: `SentenceSplitter(chunk_size=1024)` (llama-index defaults otherwise) over the same corpus documents, embedded
with the same model, ranked by cosine. No BM25, no structure, no identifier boosts, no follow-up resolution.
bm25: `assistant.bm25.BM25` over exactly those naive chunks.
bm25-passages: the same BM25 over the product's own passages (its chunking), so "equal context budget" compares
ranking with ranking on passages of the same sizes.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from evals.metrics import Span
from evals.normalize import locate

NAMES = ("naive", "bm25", "bm25-passages")
CHUNK_SIZE = 1024


class Baseline(Protocol):
    name: str

    def search(self, query: str, k: int = 10) -> list[Span]: ...


def _no_llm() -> None:
    """Make sure nothing in llama-index can reach a hosted LLM or embedding API."""
    from llama_index.core import Settings
    from llama_index.core.embeddings import MockEmbedding
    from llama_index.core.llms import MockLLM

    Settings.llm = MockLLM()
    Settings.embed_model = MockEmbedding(embed_dim=8)


def naive_chunks(docs: dict[str, str], chunk_size: int = CHUNK_SIZE) -> list[Span]:
    """llama-index SentenceSplitter chunks of every document, each with its character span in the document."""
    from llama_index.core import Document
    from llama_index.core.node_parser import SentenceSplitter

    _no_llm()
    splitter = SentenceSplitter(chunk_size=chunk_size)
    out: list[Span] = []
    for source in sorted(docs):
        text = docs[source]
        nodes = splitter.get_nodes_from_documents([Document(text=text, metadata={"source": source})])
        for node in nodes:
            body = node.get_content()
            a, b = node.start_char_idx, node.end_char_idx
            if a is None or b is None or text[a:b] != body:
                span = locate(body, text)
                if span is None:  # cannot place it: keep the text, span unknown (never overlaps a gold span)
                    a, b = -1, -1
                else:
                    a, b = span
            out.append(Span(source, int(a), int(b), body))
    return out


class DenseBaseline:
    """Cosine top-k over naive chunks with the pipeline's embedder."""

    name = "naive"

    def __init__(self, chunks: list[Span], embedder):
        self.chunks = chunks
        self.embedder = embedder
        vecs = embedder.embed([c.text for c in chunks]) if chunks else []
        self.matrix = np.asarray(vecs, dtype=np.float32).reshape(len(chunks), -1)

    def search(self, query: str, k: int = 10) -> list[Span]:
        if not self.chunks or not query.strip():
            return []
        q = np.asarray(self.embedder.embed([query])[0], dtype=np.float32)
        sims = self.matrix @ q
        order = sorted(range(len(self.chunks)), key=lambda i: (-float(sims[i]), i))[:k]
        return [self.chunks[i] for i in order]


class BM25Baseline:
    """assistant.index.bm25.BM25 over naive chunks."""

    name = "bm25"

    def __init__(self, chunks: list[Span], name: str = "bm25"):
        from assistant.index.bm25 import BM25

        self.name = name
        self.chunks = chunks
        self.bm25 = BM25([c.text for c in chunks])

    def search(self, query: str, k: int = 10) -> list[Span]:
        return [self.chunks[i] for i, _ in self.bm25.top(query, k)]


def parse_names(values: list[str] | None) -> list[str]:
    """Baseline names from repeatable / comma-separated options, validated, in order, without repeats."""
    names: list[str] = []
    for v in values or []:
        for n in v.split(","):
            n = n.strip().lower()
            if not n:
                continue
            if n not in NAMES:
                raise ValueError(f"unknown baseline {n!r} (choose from {', '.join(NAMES)})")
            if n not in names:
                names.append(n)
    return names


def build_baselines(names: list[str], docs: dict[str, str], embedder, passages=()) -> dict[str, Baseline]:
    """The requested baselines over the same documents (chunks are made once and shared); `passages` are the
    product's own chunks, for the bm25-passages baseline."""
    if not names:
        return {}
    chunks = naive_chunks(docs) if set(names) & {"naive", "bm25"} else []
    own = [Span(c.source, c.start, c.end, c.text) for c in passages]
    out: dict[str, Baseline] = {}
    for n in names:
        if n == "naive":
            out[n] = DenseBaseline(chunks, embedder)
        elif n == "bm25":
            out[n] = BM25Baseline(chunks)
        else:
            out[n] = BM25Baseline(own, name=n)
    return out
