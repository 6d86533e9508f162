"""Hybrid retrieval: dense (Chroma) + BM25, reciprocal-rank fusion, exact-identifier boosts, framework filter."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from assistant.frameworks import identifiers as ident
from assistant.index.embeddings import Embedder
from assistant.index.latest import Latest
from assistant.index.store import IndexStore
from assistant.retrieval.snapshot import SearchSnapshot, word_pairs
from assistant.text.tokens import STOP
from assistant.types import Chunk, Passage


@dataclass(frozen=True)
class RetrievalConfig:
    k: int = 5
    candidates: int = 30
    rrf_k: int = 60
    dense_weight: float = 1.0
    bm25_weight: float = 1.0
    boost: float = 0.05
    phrase_weight: float = 1.0  # chunks sharing word pairs with the query ("lag outcomes", "site visits")


class Retriever:
    """The one search function behind the CLI, the answer engine, the eval suite and the app."""

    def __init__(self, store: IndexStore, embedder: Embedder, config: RetrievalConfig | None = None,
                 known_words: frozenset[str] = frozenset()):
        """`known_words`: real words never treated as typos (e.g. the embedding model's vocabulary)."""
        self.store = store
        self.known_words = known_words | STOP
        self.embedder = embedder
        self.config = config or RetrievalConfig()
        self._lock = threading.Lock()
        self._qcache: OrderedDict[str, list[float]] = OrderedDict()
        self._snapshot: Latest[SearchSnapshot] = Latest()

    def frameworks(self) -> list[str]:
        """Framework names present in the index."""
        return sorted({d.framework for d in self.store.documents()})

    def chunks(self) -> list[Chunk]:
        """All indexed chunks (cached per index generation)."""
        return self.snapshot().chunks

    def search(self, query: str, k: int | None = None, framework: str | None = None,
               dense: bool = True, lexical: bool = True, boosts: bool = True,
               exclude: frozenset[str] = frozenset()) -> list[Passage]:
        """The top-k passages for `query`, best first, with fused score and per-signal evidence; documents whose
        ids are in `exclude` (someone else's uploads) are never considered."""
        cfg = self.config
        k = k or cfg.k
        snap = self.snapshot()  # one generation for the whole search, even if a new one is switched in meanwhile
        query = snap.speller.text(ident.expand(query.strip()))
        if not query:
            return []
        fw = ident.resolve_framework(framework, self.frameworks()) if framework else None
        allowed = {i for i, c in enumerate(snap.chunks)
                   if (fw is None or c.framework == fw) and c.doc_id not in exclude}
        by_id = snap.by_id
        fused: dict[int, float] = {}
        signals: dict[int, dict[str, float]] = {}
        n_cand = max(cfg.candidates, k)
        if dense:
            vec = self.embed_query(query)
            for rank, (chunk, sim) in enumerate(snap.dense(vec, n_cand, _where(fw, exclude))):
                i = by_id.get(chunk.chunk_id)
                if i is None or i not in allowed:
                    continue
                fused[i] = fused.get(i, 0.0) + cfg.dense_weight / (cfg.rrf_k + rank + 1)
                signals.setdefault(i, {})["dense"] = sim
        if lexical and snap.bm25 is not None:
            for rank, (i, score) in enumerate(snap.bm25.top(query, n_cand, allowed)):
                fused[i] = fused.get(i, 0.0) + cfg.bm25_weight / (cfg.rrf_k + rank + 1)
                signals.setdefault(i, {})["bm25"] = score
        if lexical and cfg.phrase_weight and snap.pairs:
            q_pairs = word_pairs(query)
            if q_pairs:
                counts = {i: len(q_pairs & snap.pairs[i]) for i in allowed if q_pairs & snap.pairs[i]}
                for rank, (i, n) in enumerate(sorted(counts.items(), key=lambda x: (-x[1], x[0]))[:n_cand]):
                    fused[i] = fused.get(i, 0.0) + cfg.phrase_weight / (cfg.rrf_k + rank + 1)
                    signals.setdefault(i, {})["phrase"] = float(n)
        if boosts:
            ids = ident.parse(query)
            for i in allowed:
                b = identifier_boost(snap.chunks[i], ids)
                if b:
                    fused[i] = fused.get(i, 0.0) + b * cfg.boost
                    signals.setdefault(i, {})["boost"] = b
        ranked = sorted(fused.items(), key=lambda x: (-x[1], x[0]))[:k]
        return [Passage(snap.chunks[i], s, signals.get(i, {})) for i, s in ranked]

    def correct(self, text: str) -> str:
        """The text with words the documents never use, and that are no known word, corrected to the document word
        one or two edits away ("curiculum" -> "curriculum")."""
        return self.snapshot().speller.text(text)

    def nearest_sentences(self, vector: list[float], n: int = 12, framework: str | None = None,
                          exclude: frozenset[str] = frozenset()) -> list[Passage]:
        """Passages holding the sentences closest in meaning to `vector` (see retrieval.sentences); documents whose
        ids are in `exclude` are never considered."""
        snap = self.snapshot()
        fw = ident.resolve_framework(framework, self.frameworks()) if framework else None
        return snap.sentences.nearest(vector, n, fw, exclude)

    def embed_query(self, query: str) -> list[float]:
        """The query's vector (the last 512 queries are remembered)."""
        with self._lock:
            hit = self._qcache.get(query)
            if hit is not None:
                self._qcache.move_to_end(query)
                return hit
        vec = self.embedder.embed([query])[0]
        with self._lock:
            self._qcache[query] = vec
            if len(self._qcache) > 512:
                self._qcache.popitem(last=False)
        return vec

    def clear_query_cache(self) -> None:
        """Forget remembered query vectors (benchmarks time the real embedding)."""
        with self._lock:
            self._qcache.clear()

    def idf(self) -> dict[str, float]:
        """BM25 inverse document frequencies of the indexed terms ({} for an empty index)."""
        bm25 = self.snapshot().bm25
        return bm25.idf if bm25 is not None else {}

    def snapshot(self) -> SearchSnapshot:
        """What search reads, for the generation being served. When a new generation is switched in, one caller
        builds its snapshot while every other keeps answering from the previous one (none waits on a build,
        except before the first)."""
        served = self.store.served()
        return self._snapshot.get(served.name if served is not None else None,
                                  lambda: SearchSnapshot.of(served, self.known_words, lexical_text))

    @property
    def generation(self) -> str | None:
        """The generation search answers from (it trails the store's by one snapshot build)."""
        return self.snapshot().generation


def _where(framework: str | None, exclude: frozenset[str]) -> dict | None:
    """The Chroma metadata filter for a framework and excluded documents (None: no filter)."""
    conds: list[dict] = []
    if framework:
        conds.append({"framework": framework})
    if exclude:
        conds.append({"doc_id": {"$nin": sorted(exclude)}})
    if not conds:
        return None
    return conds[0] if len(conds) == 1 else {"$and": conds}


def lexical_text(chunk: Chunk) -> str:
    """What BM25 indexes: the section path, identifiers and the text."""
    extra = " ".join(x for x in (chunk.section, chunk.indicator and f"indicator {chunk.indicator}", chunk.level) if x)
    return f"{extra} {chunk.text}"


def identifier_boost(chunk: Chunk, ids: ident.Identifiers) -> float:
    """How strongly a chunk matches the identifiers a question names (0 when none)."""
    score = 0.0
    label = f"{chunk.section} {chunk.item_id}"
    if ids.indicators:
        if chunk.indicator and chunk.indicator in ids.indicators:
            score += 2.0
            if ids.levels:
                score += 1.0 if chunk.level in ids.levels else (-0.5 if chunk.level else 0.3)
        elif chunk.practice and any(re.sub(r"[ab]$", "", x) == chunk.practice for x in ids.indicators):
            score += 0.5
    # Only a leveled rubric's chunks carry a practice number (the catalog's chunking policy), so it names them.
    if ids.practices and chunk.practice and chunk.practice in ids.practices:
        score += 1.5
        if ids.levels:
            score += 1.0 if chunk.level in ids.levels else (-0.5 if chunk.level else 0.3)
    for name, word in (("conditions", "condition"), ("levers", "lever"), ("systems", "system"), ("steps", "step")):
        for n in getattr(ids, name):
            if re.search(rf"\b{word}[- ]{n}\b", label, re.I):
                score += 2.0
    if ids.levels and not (ids.indicators or ids.practices) and chunk.level in ids.levels:
        score += 0.3
    if ids.frameworks and chunk.framework in ids.frameworks:
        score += 0.3
    return score
