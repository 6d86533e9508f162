"""A small Okapi BM25 scorer over chunk texts (words as the text toolkit tokenises them)."""

from __future__ import annotations

import math
from collections import Counter

from assistant.text.tokens import tokens


class BM25:
    """Okapi BM25 (k1=1.2, b=0.75) over a fixed list of texts."""

    def __init__(self, texts: list[str], k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.docs = [Counter(tokens(t)) for t in texts]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.avg = (sum(self.lengths) / len(self.lengths)) if self.docs else 0.0
        df: Counter = Counter()
        for d in self.docs:
            df.update(d.keys())
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.postings: dict[str, list[int]] = {}
        for i, d in enumerate(self.docs):
            for t in d:
                self.postings.setdefault(t, []).append(i)

    def scores(self, query: str) -> dict[int, float]:
        """Scores of the documents sharing at least one query term, by document index."""
        out: dict[int, float] = {}
        for t in set(tokens(query)):
            idf = self.idf.get(t)
            if idf is None:
                continue
            for i in self.postings[t]:
                tf = self.docs[i][t]
                norm = tf * (self.k1 + 1) / (tf + self.k1 * (1 - self.b + self.b * self.lengths[i] / (self.avg or 1)))
                out[i] = out.get(i, 0.0) + idf * norm
        return out

    def top(self, query: str, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """The k best (index, score) pairs, optionally restricted to `allowed` indexes."""
        scored = self.scores(query)
        items = [(i, s) for i, s in scored.items() if allowed is None or i in allowed]
        items.sort(key=lambda x: (-x[1], x[0]))
        return items[:k]
