"""Vectors for catalog items: per-sentence vectors (for matching a leader's words to the exact sentence) and
per-item profiles (for grouping near-duplicates and the crosswalk), built once per index generation
(`CurrentSpace` keeps the space of the index being served).

Sentence vectors come from the index (computed at indexing time) when present; anything missing is embedded
here. Profiles are mean-centred before comparison: every framework talks about "district leaders" and "schools",
and centring removes that shared direction so similarity reflects what an item is specifically about.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from typing import Callable, Protocol

import numpy as np

from assistant.index.bm25 import BM25

from assistant.index.embeddings import Embedder
from assistant.index.latest import Latest
from assistant.ingest.loaders import doc_id_for
from assistant.text.tokens import terms as content_terms
from assistant.facilitation.library import Library
from assistant.protocols import SentenceVectors

# Words every framework uses; they say nothing about what an item is specifically about.
COMMON = {"district", "school", "leader", "leadership", "system", "support", "student", "improvement", "level",
          "building", "practice", "staff", "educator", "develop", "implement", "ensure", "effective"}


def actionable_items(catalog) -> list:
    """The catalog items a district can act on, in catalog order (the members of every ItemSpace); which kinds
    are actionable is the catalog's (each framework's descriptor): containers and prose are context."""
    return [i for i in catalog if catalog.is_actionable(i)]


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(n == 0, 1.0, n)


class ItemSpace:
    """Sentence and profile vectors of every actionable catalog item."""

    def __init__(self, library: Library, embedder: Embedder, indexed: SentenceVectors | None = None):
        """`indexed`: the index's sentence vectors (None when there is no index: every sentence is embedded)."""
        self.lib = library
        self.catalog = library.catalog
        self.embedder = embedder
        self.items = actionable_items(self.catalog)
        self.index = {item.id: k for k, item in enumerate(self.items)}
        self._qcache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._build(indexed)

    # ---- build ---------------------------------------------------------------------------------------------
    def _build(self, indexed: SentenceVectors | None) -> None:
        table = {}
        try:
            table = indexed.sentence_vectors() if indexed is not None else {}
        except Exception:  # an index without sentence vectors: embed them here
            table = {}
        by_doc: dict[str, list] = {}
        for (doc, a, b), v in table.items():
            by_doc.setdefault(doc, []).append((a, b, v))
        self.sentences: list[list[tuple[int, int]]] = []
        mats: list[np.ndarray | None] = []
        todo: list[tuple[int, list[tuple[int, int]], list[str]]] = []
        for k, item in enumerate(self.items):
            rows = [(a, b, v) for a, b, v in by_doc.get(doc_id_for(item.source), ()) if a >= item.start and b <= item.end]
            if rows:
                rows.sort(key=lambda r: r[0])
                self.sentences.append([(a, b) for a, b, _ in rows])
                mats.append(np.asarray([v for _, _, v in rows], dtype=np.float32))
                continue
            spans = self.lib.sentences(item) or [(item.start, item.end)]
            # Inline fragments (culture features, key conditions) sit inside one long sentence: use their own span.
            if not any(a >= item.start and b <= item.end and (a, b) != (item.start, item.end) for a, b in spans):
                spans = [(item.start, item.end)]
            raw = self.lib.raw(item.source)
            self.sentences.append(spans)
            mats.append(None)
            todo.append((k, spans, [" ".join(raw[a:b].split()) for a, b in spans]))
        flat = [t for _, _, texts in todo for t in texts]
        vecs = self.embedder.embed(flat) if flat else []
        pos = 0
        for k, spans, texts in todo:
            mats[k] = np.asarray(vecs[pos:pos + len(texts)], dtype=np.float32)
            pos += len(texts)
        self.sentence_vecs: list[np.ndarray] = [_unit(m) for m in mats]
        profiles = np.asarray(self.embedder.embed([self._profile(i) for i in self.items]), dtype=np.float32)
        means = np.asarray([m.mean(axis=0) for m in self.sentence_vecs], dtype=np.float32)
        self._profile_mu = profiles.mean(axis=0)
        self._sent_mu = _unit(means).mean(axis=0)
        self._profile_c = _unit(profiles - self._profile_mu)
        self._mean_c = _unit(_unit(means) - self._sent_mu)
        self._lex = [self._terms(i.text) for i in self.items]
        df: dict[str, int] = {}
        for terms in self._lex:
            for t in terms:
                df[t] = df.get(t, 0) + 1
        n = len(self._lex)
        self._idf = {t: math.log(n / d) for t, d in df.items()}
        # Each item as one lexical document: its own text and everything under it.
        self._bm25 = BM25([" ".join([i.title, i.text] + [d.text for d in self.catalog.descendants(i.id)])
                           for i in self.items])

    def _profile(self, item) -> str:
        """What an item is about, in one text: its title plus its defining content."""
        if item.kind == "practice" and self.catalog.is_leveled(item.framework):
            kids = self.catalog.children(item.id)
            return item.title + " " + " ".join(k.fields[0].text for k in kids if k.fields)
        if item.kind == "indicator":
            parent = self.catalog.get(item.parent) if item.parent else None
            body = item.fields[1].text if len(item.fields) > 1 else item.text
            return f"{parent.title if parent else ''} {body}"
        if item.kind == "condition" and len(item.fields) >= 2:
            return f"{item.title}. {item.fields[0].text} {item.fields[1].text}"
        return item.text if item.text.startswith(item.title[:20]) else f"{item.title}. {item.text}"

    @staticmethod
    def _terms(text: str) -> set[str]:
        return {t for t in content_terms(text) if len(t) > 2 and not t.isdigit()} - COMMON

    # ---- queries -------------------------------------------------------------------------------------------
    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            hit = self._qcache.get(text)
        if hit is None:
            hit = _unit(np.asarray(self.embedder.embed([text])[0], dtype=np.float32))
            with self._lock:
                self._qcache[text] = hit
                while len(self._qcache) > 256:
                    self._qcache.popitem(last=False)
        return hit

    def sentence_scores(self, item_id: str, qvec: np.ndarray) -> list[tuple[float, int, int]]:
        """(similarity, start, end) of every sentence of the item, best first."""
        k = self.index[item_id]
        sims = self.sentence_vecs[k] @ qvec
        return sorted(((float(s), a, b) for s, (a, b) in zip(sims, self.sentences[k])), key=lambda x: (-x[0], x[1]))

    def lexical_scores(self, text: str) -> dict[str, float]:
        """BM25 score of every item (its text and its descendants') for free text; items sharing no term are absent."""
        return {self.items[i].id: s for i, s in self._bm25.scores(text).items()}

    def dense(self, qvec: np.ndarray) -> dict[str, float]:
        """Best sentence similarity of every item to the query vector."""
        return {item.id: float((self.sentence_vecs[k] @ qvec).max()) for k, item in enumerate(self.items)}

    def lexical(self, a: str, b: str) -> float:
        """idf-weighted overlap of the two items' content words (0..1)."""
        ta, tb = self._lex[self.index[a]], self._lex[self.index[b]]
        union = sum(self._idf.get(t, 0.0) for t in ta | tb)
        return sum(self._idf.get(t, 0.0) for t in ta & tb) / union if union else 0.0

    def similarity(self, a: str, b: str) -> float:
        """How closely two items say the same thing: centred embeddings of profile and sentences, plus words."""
        i, j = self.index[a], self.index[b]
        dense = 0.5 * float(self._profile_c[i] @ self._profile_c[j]) + 0.5 * float(self._mean_c[i] @ self._mean_c[j])
        return dense + 0.5 * self.lexical(a, b)

    def similarities(self, item) -> dict[str, float]:
        """`similarity(item, other)` for every item in the space; `item` may be any catalog item (containers and
        other non-actionable items are embedded on the fly)."""
        if item.id in self.index:
            return {other.id: self.similarity(item.id, other.id) for other in self.items}
        vec = np.asarray(self.embedder.embed([self._profile(item)])[0], dtype=np.float32)
        p = _unit(vec - self._profile_mu)
        m = _unit(_unit(vec) - self._sent_mu)
        terms = self._terms(item.text)
        out = {}
        for k, other in enumerate(self.items):
            t = self._lex[k]
            union = sum(self._idf.get(w, 0.0) for w in terms | t)
            lex = sum(self._idf.get(w, 0.0) for w in terms & t) / union if union else 0.0
            out[other.id] = 0.5 * float(p @ self._profile_c[k]) + 0.5 * float(m @ self._mean_c[k]) + 0.5 * lex
        return out


class SpaceSource(Protocol):
    def current(self) -> ItemSpace:
        """The item space of the index being served."""


class CurrentSpace:
    """The item space of the current index generation, built on first use and again after the index changes
    (an upload adds sentence vectors)."""

    def __init__(self, build: Callable[[], ItemSpace], generation: Callable[[], str | None]):
        self._build = build
        self._generation = generation
        self._space: Latest[ItemSpace] = Latest()

    def current(self) -> ItemSpace:
        """The space of the current generation; while it is being built (it embeds every sentence the index
        lacks), the previous generation's space."""
        return self._space.get(self._generation(), self._build)


def words(text: str) -> set[str]:
    """Content-word stems of free text (shared with the heuristics in checks and review)."""
    return {t for t in content_terms(text) if len(t) > 2}
