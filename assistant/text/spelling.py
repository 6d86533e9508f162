"""Typo repair against a known vocabulary: a word the documents never use is replaced by the document word one or
two edits away ("curiculum" -> "curriculum", "principls" -> "principals"), the most frequent when several are."""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
MIN_LENGTH = 5  # shorter words are too easily one edit from a different real word


def within(a: str, b: str, limit: int) -> bool:
    """Whether the edit distance (insertions, deletions, substitutions, adjacent swaps) of a and b is ≤ limit."""
    if abs(len(a) - len(b)) > limit:
        return False
    prev2: list[int] | None = None
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return False
        prev2, prev = prev, cur
    return prev[-1] <= limit


class Speller:
    """Corrects words against the frequencies of a vocabulary (the indexed documents' words)."""

    def __init__(self, frequencies: Counter[str], known: frozenset[str] = frozenset()):
        self.freq = frequencies
        self.known = known  # words never corrected (stop words, framework names)
        self._by_length: dict[int, list[str]] = {}
        for w in frequencies:
            self._by_length.setdefault(len(w), []).append(w)
        self._known_by_length: dict[int, list[str]] = {}
        for w in known:
            if w.isalpha() and len(w) >= MIN_LENGTH - 1:
                self._known_by_length.setdefault(len(w), []).append(w)
        self._memo: dict[str, str] = {}

    def word(self, w: str) -> str:
        """The vocabulary word a misspelt `w` stands for, or `w` itself (lowercase) when it is fine or unknown."""
        low = w.lower()
        if len(low) < MIN_LENGTH or low in self.freq or low in self.known or not low.isalpha():
            return low
        if low not in self._memo:
            limit = 1 if len(low) < 8 else 2
            best, best_freq = low, 0
            for n in range(len(low) - limit, len(low) + limit + 1):
                for cand in self._by_length.get(n, ()):
                    if cand[0] == low[0] and self.freq[cand] > best_freq and within(low, cand, limit):
                        best, best_freq = cand, self.freq[cand]
            if best == low:  # no document word is near: a known word with the one letter the typist dropped
                best = next((k for k in sorted(self._known_by_length.get(len(low) + 1, []))
                             if k[0] == low[0] and within(low, k, 1)), low)  # "shoud" -> "should"
            self._memo[low] = best
        return self._memo[low]

    def text(self, text: str) -> str:
        """The text with misspelt words corrected (other characters and case of correct words kept)."""
        def fix(m: re.Match) -> str:
            w = m.group(0)
            c = self.word(w)
            return w if c == w.lower() else c
        return _WORD.sub(fix, text)


def known_words(vocab_file) -> frozenset[str]:
    """The whole words of a WordPiece vocabulary (the embedding model's vocab.txt): real words that must not be
    "corrected" just because the documents do not happen to use them."""
    try:
        with open(vocab_file, encoding="utf-8") as fh:
            return frozenset(w for w in (line.strip() for line in fh) if w.isalpha() and w.islower())
    except OSError:
        return frozenset()
