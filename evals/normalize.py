"""What the answer metrics compare: normalised words (from the text toolkit), citation markers, answer sentences and
quote locations."""

from __future__ import annotations

import re

from assistant.text.sentences import split_sentences
from assistant.text.tokens import STOP, normalize, stem, unify

ARTICLES = frozenset({"a", "an", "the"})

CITATION_MARKER = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")


def strip_markers(text: str) -> str:
    """Text without [n] / [1, 2] citation markers."""
    return CITATION_MARKER.sub(" ", text or "")


def contains(haystack: str, needle: str) -> bool:
    """Normalised, whole-word containment of `needle` in `haystack` (empty needles are never contained)."""
    n = normalize(needle)
    return bool(n) and f" {n} " in f" {normalize(strip_markers(haystack))} "


def answer_tokens(text: str) -> list[str]:
    """Tokens for token-F1: normalised words without articles or citation markers."""
    return [t for t in normalize(strip_markers(text)).split() if t not in ARTICLES]


def content_tokens(text: str) -> list[str]:
    """Stemmed, stop-word-free tokens of normalised text (for support and overlap checks)."""
    return [stem(t) for t in normalize(strip_markers(text)).split() if (t not in STOP and len(t) > 1) or t.isdigit()]


def overlap_coefficient(a: str, b: str) -> float:
    """|A ∩ B| / min(|A|, |B|) over content-token sets (0 when either side has none)."""
    sa, sb = set(content_tokens(a)), set(content_tokens(b))
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def paragraph_sentences(text: str) -> list[list[str]]:
    """Sentences grouped by paragraph (blocks separated by blank lines)."""
    return [split_sentences(p) for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def markers(sentence: str) -> list[int]:
    """Citation numbers named by [n] markers in a sentence, in order, without repeats."""
    seen: list[int] = []
    for m in CITATION_MARKER.finditer(sentence):
        for n in re.split(r"\s*[,;]\s*", m.group(1)):
            if n and int(n) not in seen:
                seen.append(int(n))
    return seen


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """Character span of `quote` in `text`: exact first, then ignoring case, typography and whitespace runs."""
    if not quote:
        return None
    i = text.find(quote)
    if i >= 0:
        return i, i + len(quote)
    norm, index = _normal_with_index(text)
    q, _ = _normal_with_index(quote)
    q = q.strip()
    if not q:
        return None
    j = norm.find(q)
    if j < 0:
        return None
    return index[j], index[j + len(q) - 1] + 1


def _normal_with_index(text: str) -> tuple[str, list[int]]:
    """Lowercased, typography-unified text with whitespace runs collapsed, plus each char's source offset."""
    chars: list[str] = []
    index: list[int] = []
    prev_space = False
    for pos, ch in enumerate(text):
        u = unify(ch).lower()
        for c in u:
            if c.isspace():
                if prev_space:
                    continue
                c, prev_space = " ", True
            else:
                prev_space = False
            chars.append(c)
            index.append(pos)
    return "".join(chars), index
