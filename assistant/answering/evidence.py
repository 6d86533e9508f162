"""Candidate sentences from retrieved passages, each with its exact source span, scored against a question."""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable

from assistant.text.tokens import tokens
from assistant.answering.features import ABOUT_SOURCES
from assistant.answering.guard import is_injection
from assistant.text.sentences import sentence_spans
from assistant.text.clean import one_line
from assistant.index.embeddings import Embedder
from assistant.types import Passage

GENERIC = frozenset(tokens(
    "district districts leader leaders leadership school schools framework frameworks say says describe described "
    "mean means define explain tell doc docs document documents according per lead ct uva ple instll rubric "
    "coherence capacity system please question answer give want need know about treat treats treated handle "
    "handles vs versus compare comparison recommend recommends recommendation suggest suggests talk talks "
    "measure measures approach expect expects include includes involve involves look looks like cover covers "
    "kind way ways thing things role use used work works do does show shows across each both between "
    "difference different differ cross walk crosswalk other another brief overview actually really mostly"))


@dataclass
class Sentence:
    """One sentence of a passage: exact span in its document, cleaned display text and scores."""

    passage: Passage
    rank: int  # rank of its passage in retrieval
    start: int
    end: int
    text: str  # cleaned, single line
    score: float = 0.0
    lexical: float = 0.0
    dense: float = 0.0
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.passage.chunk.doc_id, self.start, self.end)


class SentenceEmbeddings:
    """Sentence vectors: precomputed at indexing time when available, else embedded once and cached."""

    def __init__(self, embedder: Embedder, precomputed: Callable[[], dict] | None = None, size: int = 20000):
        self.embedder = embedder
        self.precomputed = precomputed  # (doc_id, start, end) -> vector, or None
        self.size = size
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def for_sentences(self, sentences: list["Sentence"]) -> list[list[float]]:
        table = self.precomputed() if self.precomputed else None
        out: list = [None] * len(sentences)
        todo = []
        for i, s in enumerate(sentences):
            v = table.get(s.key) if table else None
            if v is None:
                todo.append(i)
            else:
                out[i] = v
        if todo:
            vecs = self.vectors([sentences[i].text for i in todo])
            for i, v in zip(todo, vecs):
                out[i] = v
        return out

    def vectors(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            vecs = self.embedder.embed(missing)
            with self._lock:
                for t, v in zip(missing, vecs):
                    self._cache[t] = v
                while len(self._cache) > self.size:
                    self._cache.popitem(last=False)
        with self._lock:
            return [self._cache[t] for t in texts]


MIN_WORDS = 5


def chunk_sentences(raw: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, display text) of the quotable sentences inside a chunk span (headings skipped)."""
    out = []
    for a, b in sentence_spans(raw, start, end):
        text = one_line(raw[a:b])
        if len(text.split()) >= MIN_WORDS and not is_heading(text):
            out.append((a, b, text))
    return out


def is_reference(text: str) -> bool:
    """A bibliography line or source note ("Lane, B. (2009). Exploring ...", "Adapted from: ...")."""
    return bool(re.match(r"^\(?\d{4}\)?\.|^adapted from\b|^source\b", text.strip(), re.I) or
                re.search(r"\b[A-Z][a-z]+ (et al\.?|&) ?[A-Z]?[a-z]*\.? ?\(\d{4}\)(,|\s*$)", text) or
                re.match(r"^[A-Z][\w .,&-]+: [A-Z][\w .,&-]+\.$", text.strip()))


_SMALL = frozenset("a an and the of for in on to with that as by at or from".split())


def is_heading(text: str) -> bool:
    """A title line ("Deepened Work in Action Planning Strategy"): mostly capitalised words, no final stop."""
    if re.search(r"[.!?;:]$", text.strip()):
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'’/-]*", text) if w.lower() not in _SMALL]
    if not words:
        return True
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.75 and len(words) <= 16


def candidates(passages: list[Passage], text_of) -> list[Sentence]:
    """Sentences of the passages (exact spans from the document text), skipping headings and planted instructions."""
    out: list[Sentence] = []
    seen: set[tuple[str, int, int]] = set()
    for rank, p in enumerate(passages):
        c = p.chunk
        raw = text_of(c.doc_id)
        if raw is None:
            continue
        for a, b, text in chunk_sentences(raw, c.start, c.end):
            if (c.doc_id, a, b) in seen:
                continue
            seen.add((c.doc_id, a, b))
            s = Sentence(p, rank, a, b, text)
            if c.kind == "notes" or is_reference(text):
                s.flags.add("reference")
            if is_injection(text):
                s.flags.add("instruction")  # text in a document that addresses the assistant: never quoted
                continue
            out.append(s)
    return out


def content_terms(question: str) -> list[str]:
    """Question terms that carry its topic (stemmed, without generic framework words)."""
    return [t for t in dict.fromkeys(tokens(question)) if t not in GENERIC and len(t) > 1]


def score(sentences: list[Sentence], question: str, qvec: list[float] | None, embeddings: SentenceEmbeddings | None,
          idf: dict[str, float] | None = None, value: re.Pattern | None = None,
          illustrative: frozenset[str] = frozenset()) -> None:
    """Fill lexical, dense and combined scores in place; `value` is the shape of the specific value the question asks
    for (a frequency, an amount …): sentences that state one rank higher."""
    terms = content_terms(question)
    examples = asks_for_examples(question)
    weights = {t: (idf or {}).get(t, 2.0) for t in terms}
    total = sum(weights.values()) or 1.0
    if qvec is not None and embeddings is not None and sentences:
        vecs = embeddings.for_sentences(sentences)
        for s, v in zip(sentences, vecs):
            s.dense = float(sum(a * b for a, b in zip(qvec, v)))
    for s in sentences:
        have = set(tokens(s.text)) | set(tokens(s.passage.chunk.section))
        s.lexical = sum(w for t, w in weights.items() if t in have) / total
        prior = 1.0 / math.sqrt(s.rank + 1)
        s.score = 0.5 * s.dense + 0.3 * s.lexical + 0.2 * prior
        label = re.match(r"^(?:\d+\.\s*)?([A-Z][\w’' /&-]{2,60}):\s", s.text)
        if label and terms and len(set(tokens(label.group(1))) & set(terms)) >= max(1, (len(terms) + 1) // 2):
            s.score += 0.1  # "Governance: The policies ...": the document defining the term asked about
        if s.passage.chunk.kind in illustrative:
            # what a framework holds is stated in its own terms first; its stories illustrate it, and are what a
            # request for an example asks for
            s.score += 0.05 if examples else -0.05
        if "reference" in s.flags and not ABOUT_SOURCES.search(question):
            s.score -= 0.3  # citations and source notes answer "where is this from", little else
    if value is not None and sentences:
        # "How often …" is answered by a sentence that states a frequency: the best one among the strong candidates
        # leads the answer.
        ranked = sorted(sentences, key=lambda s: -s.score)
        floor = 0.75 * ranked[0].score
        stating = next((s for s in ranked if s.score >= floor and value.search(s.text)), None)
        if stating is not None and stating is not ranked[0]:
            stating.score = ranked[0].score + 0.01


def asks_for_examples(question: str) -> bool:
    """Whether the question asks for examples or stories ("give me an example of a district doing that")."""
    return bool(_ABOUT_EXAMPLES.search(question))


_ABOUT_EXAMPLES = re.compile(r"\b(?:examples?|stor(?:y|ies)|vignettes?|case|in practice|in the field|districts? "
                             r"(?:that|who|which)|for instance|illustrat\w*)\b", re.I)


def select(sentences: list[Sentence], n: int, per_passage: int = 3, min_score: float = 0.0) -> list[Sentence]:
    """The n best sentences, skipping near-duplicates and limiting how many come from one passage."""
    chosen: list[Sentence] = []
    counts: dict[str, int] = {}
    for s in sorted(sentences, key=lambda s: -s.score):
        if len(chosen) >= n:
            break
        if s.score < min_score:
            break
        cid = s.passage.chunk.chunk_id
        if counts.get(cid, 0) >= per_passage:
            continue
        if any(_similar(s.text, c.text) for c in chosen):
            continue
        chosen.append(s)
        counts[cid] = counts.get(cid, 0) + 1
    return chosen


def _similar(a: str, b: str) -> bool:
    ta, tb = set(tokens(a)), set(tokens(b))
    if not ta or not tb:
        return False
    return len(ta & tb) / min(len(ta), len(tb)) > 0.8


def reading_order(sentences: list[Sentence]) -> list[Sentence]:
    """Sentences grouped by passage (best passage first), in document order within a passage."""
    best_rank: dict[str, int] = {}
    for s in sentences:
        cid = s.passage.chunk.chunk_id
        best_rank[cid] = min(best_rank.get(cid, 99), s.rank)
    return sorted(sentences, key=lambda s: (best_rank[s.passage.chunk.chunk_id], s.start))


_NUMBER = re.compile(r"\b\d+(\.\d+)?\b|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
                     r"twenty|thirty|hundred|dozen|half|once|twice|an? (hour|week|month|year|day))\b", re.I)


def has_number(text: str) -> bool:
    return bool(_NUMBER.search(text))
