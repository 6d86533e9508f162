"""Text normalisation shared by the answer metrics: one definition of 'the same words' for every metric."""

from __future__ import annotations

import re
import unicodedata

# Typographic variants that exports and models mix freely.
_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2026": "...",
})

NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen".split()) if i > 0}

ARTICLES = frozenset({"a", "an", "the"})

# A fixed stop-word list (kept here, not imported from the product, so metrics do not move when retrieval does).
STOP = frozenset("""a about above after again all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having he her
here hers him his how i if in into is it its itself just me more most my no nor not of off on once only or other
our ours out over own same she should so some such than that the their theirs them then there these they this
those through to too under until up very was we were what when where which while who whom why will with would you
your yours s t""".split())

CITATION_MARKER = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")


def strip_markers(text: str) -> str:
    """Text without [n] / [1, 2] citation markers."""
    return CITATION_MARKER.sub(" ", text or "")


def unify(text: str) -> str:
    """Unicode-normalised text with typographic quotes, dashes and spaces made plain (case kept)."""
    return unicodedata.normalize("NFKC", text or "").translate(_TRANSLATE)


def normalize(text: str) -> str:
    """Lowercase, plain quotes/dashes, '&' -> 'and', punctuation stripped, number words 1-13 as digits, one space."""
    text = unify(text).lower().replace("&", " and ")
    text = re.sub(r"[^\w\s]|_", " ", text)
    return " ".join(NUMBER_WORDS.get(t, t) for t in text.split())


def contains(haystack: str, needle: str) -> bool:
    """Normalised, whole-word containment of `needle` in `haystack` (empty needles are never contained)."""
    n = normalize(needle)
    return bool(n) and f" {n} " in f" {normalize(strip_markers(haystack))} "


def answer_tokens(text: str) -> list[str]:
    """Tokens for token-F1: normalised words without articles or citation markers."""
    return [t for t in normalize(strip_markers(text)).split() if t not in ARTICLES]


def stem(word: str) -> str:
    """Crude suffix stripping so 'principals'/'principal' and 'coaching'/'coach' meet."""
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: len(word) - len(suffix)] + repl
    return word


def content_tokens(text: str) -> list[str]:
    """Stemmed, stop-word-free tokens of normalised text (for support and overlap checks)."""
    return [stem(t) for t in normalize(strip_markers(text)).split() if (t not in STOP and len(t) > 1) or t.isdigit()]


def overlap_coefficient(a: str, b: str) -> float:
    """|A ∩ B| / min(|A|, |B|) over content-token sets (0 when either side has none)."""
    sa, sb = set(content_tokens(a)), set(content_tokens(b))
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


_SENT_END = re.compile(r"[.!?][\"')]*(?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])*(?=\s+[^\sa-z]|\s*$)")


def sentences(text: str) -> list[str]:
    """Sentences of an answer: every line on its own, split after . ! ? (citation markers stay with their sentence)."""
    out: list[str] = []
    for line in (text or "").split("\n"):
        start = 0
        for m in _SENT_END.finditer(line):
            piece = line[start:m.end()].strip()
            if piece:
                out.append(piece)
            start = m.end()
        rest = line[start:].strip()
        if rest:
            out.append(rest)
    return out


def paragraph_sentences(text: str) -> list[list[str]]:
    """Sentences grouped by paragraph (blocks separated by blank lines)."""
    return [sentences(p) for p in re.split(r"\n\s*\n", text or "") if p.strip()]


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
        u = unicodedata.normalize("NFKC", ch).translate(_TRANSLATE).lower()
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
