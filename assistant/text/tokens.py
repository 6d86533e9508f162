"""Words and terms: the one tokeniser, stemmer and stop-word list, and the typographic normalisation answers are
compared with (retrieval, answer scoring, catalog look-ups and the eval metrics all count words the same way)."""

from __future__ import annotations

import re
import unicodedata

STOP = frozenset("""a about above after again all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having he her
here hers him his how i if in into is it its itself just me more most my no nor not of off on once only or other
our ours out over own same she should so some such than that the their theirs them then there these they this
those through to too under until up very was we were what when where which while who whom why will with would you
your yours say says said tell us look looks like""".split())

_WORD = re.compile(r"[a-z0-9]+")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b")
_SUFFIXES = (("ies", "y"), ("ing", ""), ("edly", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", ""))


_MARKS = re.compile(r"[\u0300-\u036f]+")  # combining accents, after canonical decomposition


def words(text: str) -> list[str]:
    """Lowercase runs of letters and digits, in order ("11a" stays one word); accented Latin letters count as
    their base letter ("educación" -> "educacion"), so Spanish and French words stay whole and match unaccented."""
    text = text.lower()
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFD", text))
    return _WORD.findall(text)


def stem(word: str) -> str:
    """Crude suffix stripping so 'principals'/'principal', 'coaching'/'coach', 'practice'/'practices' and
    'shape'/'shaping' meet (a final silent e goes too, as the suffixes take it with them)."""
    for suffix, repl in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: len(word) - len(suffix)] + repl
    if word.endswith("e") and len(word) > 4 and word[-2] not in "aeiou":
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Stemmed words without stop words, in order: what BM25, evidence scoring and support checks compare."""
    return [stem(w) for w in words(text) if w not in STOP]


def fold(text: str) -> str:
    """Casefolded text with typographic apostrophes made plain, possessive 's dropped and '&' spelled 'and'."""
    return _POSSESSIVE.sub("", text.casefold().replace("’", "'")).replace("&", " and ")


def terms(text: str) -> set[str]:
    """The content terms of a name or phrase (folded, stemmed, stop words dropped): titles and the words that
    name them meet here."""
    return set(tokens(fold(text)))


# Typographic variants that exports and models mix freely.
_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2026": "...",
})

NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen".split()) if i > 0}


def unify(text: str) -> str:
    """Unicode-normalised text with typographic quotes, dashes and spaces made plain (case kept)."""
    return unicodedata.normalize("NFKC", text or "").translate(_TRANSLATE)


def normalize(text: str) -> str:
    """Lowercase, plain quotes/dashes, '&' -> 'and', punctuation stripped, number words 1-13 as digits, one space."""
    text = unify(text).lower().replace("&", " and ")
    text = re.sub(r"[^\w\s]|_", " ", text)
    return " ".join(NUMBER_WORDS.get(t, t) for t in text.split())
