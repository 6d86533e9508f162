"""The answer engine: validate, resolve follow-ups, retrieve, then answer from the catalog or by extracting
cited sentences; abstain when the evidence does not answer; never follow instructions found in text."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Iterator

from assistant.answering import abstain, composer, evidence, followups, guard, listing
from assistant.frameworks import identifiers as ident, resolver
from assistant.frameworks.catalog import Catalog
from assistant.index.embeddings import Embedder
from assistant.text.tokens import tokens
from assistant.answering.citations import CitationBuilder, check_numbers
from assistant.answering.structured import StructuredAnswers
from assistant.protocols import (ChunkSource, DocumentTexts, FrameworkNames, IndexVersion, QueryEmbedder, Searcher,
                                 SentenceVectors, TermWeights)
from assistant.types import Answer


class InputError(ValueError):
    """A question that cannot be answered as given (empty, too long); the message is for the user."""


def validate_question(question: str, max_chars: int) -> str:
    """The stripped question, or InputError with a message a person can act on."""
    q = (question or "").strip()
    if not q:
        raise InputError("Please type a question.")
    if len(q) > max_chars:
        raise InputError(f"That message is {len(q):,} characters long; the limit is {max_chars:,}. "
                         "Please shorten it to the question you want answered (paste only the relevant part).")
    return q


# Words that frame a question rather than name its subject ("how does LEAD CT define ...").
_QUESTION_WORDS = frozenset(tokens("what whats say says about more tell define definition mean means describe explain "
                                   "framework frameworks lead ct uva ple instll rubric according per"))

NOT_COVERED = ("The framework documents do not cover this{topic}. {reason_sentence}"
               "The closest related passages are shown with the sources as related reading, not as an answer.")


@dataclass
class ExtractiveEngine:
    """The offline default: deterministic, instant, and every sentence is a quoted span of a source.

    What it reads from the index comes through one role each (wiring passes the retriever and the store)."""

    searcher: Searcher
    chunk_source: ChunkSource
    framework_names: FrameworkNames
    query_embedder: QueryEmbedder
    term_weights: TermWeights
    document_texts: DocumentTexts
    sentence_vectors: SentenceVectors
    index_version: IndexVersion
    catalog: Catalog | None
    embedder: Embedder
    max_chars: int = 4000
    max_sentences: int = 6
    threshold: float = 0.35
    k: int = 5
    name: str = "extractive"
    _embeddings: evidence.SentenceEmbeddings | None = field(default=None, repr=False)
    _vocab: tuple[str | None, set[str]] = field(default=(None, set()), repr=False)

    def __post_init__(self):
        self._embeddings = evidence.SentenceEmbeddings(self.embedder, self.sentence_vectors.sentence_vectors)
        self.structured = StructuredAnswers(self.catalog, self.chunk_source.chunks, self.document_texts.document_text)

    def backend_status(self) -> str:
        return "Extractive (offline): answers are quoted from the documents, no language model."

    def stream(self, question, history=None, framework=None, k=None) -> Iterator[str | Answer]:
        yield self.answer(question, history, framework, k)

    # ---- the pipeline -------------------------------------------------------------------------------------
    def answer(self, question: str, history: list[dict] | None = None, framework: str | None = None,
               k: int | None = None) -> Answer:
        work = self.prepare(question, history, framework, k)
        if work.final is not None:
            return work.final
        text = composer.compose(work.shape, work.sentences, work.cites, self.max_sentences, work.fws)
        if not text:
            return self.not_covered(work, "no sentence answered the question")
        return self.finish(work, text, self.name)

    def prepare(self, question: str, history: list[dict] | None = None, framework: str | None = None,
                k: int | None = None) -> "Work":
        """Everything before wording the answer; `final` is set when the answer is already decided."""
        t0 = time.perf_counter()
        q = validate_question(question, self.max_chars)
        w = Work(question=q, t0=t0, k=k or self.k, cites=CitationBuilder(self.document_texts.document_text))
        if guard.is_injection(q):
            w.notes.append(guard.REFUSAL_NOTE)
            residual = guard.strip_injection(q)
            if guard.asks_for_hidden_instructions(q) or len(tokens(residual)) < 2:
                w.final = self._declined(q, w.notes, t0, "The message asks me to step outside the documents; "
                                         "there is no question about the frameworks left to answer.")
                return w
            q_work = residual
        else:
            q_work = q
        w.rq = rq = ident.expand(followups.resolve(q_work, history, self.catalog))
        w.timings["resolve"] = _ms(t0)
        w.fws = fws = ident.frameworks_in(rq)
        w.shape = composer.shape_of(rq, fws)
        fw = framework or None
        if fw is None and len(fws) == 1 and w.shape != "comparison":
            fw = fws[0]  # one named framework is a clear intent: search inside it
        t1 = time.perf_counter()
        w.passages = self.searcher.search(rq, k=max(8, w.k), framework=fw)
        if w.shape == "comparison" and not framework:
            w.passages = self._per_framework(rq, fws, w.passages)
        w.timings["retrieve"] = _ms(t1)
        t2 = time.perf_counter()
        composed = self._structured(rq, w.cites, fws)
        if composed is not None:
            w.shape = composed.shape
            w.timings["compose"] = _ms(t2)
            w.final = self.finish(w, composed.text, self.name)
            return w
        topic = composer.topic_of(rq) if w.shape == "comparison" else rq
        w.sentences = evidence.candidates(w.passages, self.document_texts.document_text)
        qvec = self.query_embedder.embed_query(topic) if w.sentences else None
        evidence.score(w.sentences, topic, qvec, self._embeddings, self.term_weights.idf())
        ranked = sorted(w.sentences, key=lambda s: -s.score)
        decision = abstain.decide(rq, ranked[:6], self._vocabulary(), self.threshold, self._fuzzy)
        w.timings["compose"] = _ms(t2)
        if not decision.answer:
            w.final = self.not_covered(w, decision.reason)
        return w

    def finish(self, w: "Work", text: str, backend: str) -> Answer:
        """The Answer for composed text whose [n] markers all refer to w.cites."""
        bad = check_numbers(text, w.cites.citations)
        if bad:
            raise AssertionError(f"citation numbers without sources: {bad}")
        if w.notes:
            text = f"_{w.notes[0]}_\n\n{text}"
        w.timings["total"] = _ms(w.t0)
        return Answer(question=w.question, text=text, citations=w.cites.citations, passages=_evidence(w),
                      abstained=False, backend=backend, shape=w.shape, notes=list(w.notes), timings=w.timings,
                      resolved_question=w.rq, related=[])

    # ---- pieces -------------------------------------------------------------------------------------------
    def _structured(self, rq: str, cites: CitationBuilder, fws: list[str]):
        if self.catalog is None:
            return None
        ids = ident.parse(rq)
        if re.search(r"\bwhich (lever|area|step|component|function)\b.*\b(in|under|belong)\b", rq, re.I):
            got = self.structured.parent_of(rq, cites)
            if got is not None:
                return got
        if ids.indicators or (ids.practices and (ids.levels or re.search(r"rubric|indicator", rq, re.I))):
            got = self.structured.rubric(rq, cites)
            if got is not None:
                return got
        req = listing.detect(rq, self.catalog)
        if req is not None:
            return self.structured.listing(req, cites)
        named = self._named_item(rq, ids)
        if named is not None and named.kind == "practice" and self.catalog.is_leveled(named.framework):
            return self.structured.rubric(f"practice {named.number}", cites)
        if named is not None:
            return self.structured.item(rq, cites, named)
        return None

    def _per_framework(self, rq: str, fws: list[str], general: list):
        """Comparison evidence: the topic searched inside each named framework (or every framework)."""
        topic = composer.topic_of(rq)
        targets = fws or self.framework_names.frameworks()
        out, seen = [], set()
        for f in targets:
            for p in self.searcher.search(topic, k=4, framework=f):
                if p.chunk.chunk_id not in seen:
                    seen.add(p.chunk.chunk_id)
                    out.append(p)
        for p in general:
            if p.chunk.chunk_id not in seen:
                seen.add(p.chunk.chunk_id)
                out.append(p)
        return out

    def _named_item(self, rq: str, ids: ident.Identifiers):
        """A catalog item the question is plainly about ("condition 4 uva ple", "purpose of focusing direction")."""
        numbered = ids.conditions or ids.practices or ids.levers or ids.systems or ids.steps
        mentioned = resolver.mentioned(self.catalog, rq)
        if not mentioned:
            return None
        top = mentioned[0]
        asks_part = re.search(r"deepened work|implications?|purpose|process outcomes?|definition", rq, re.I)
        if numbered and top.number and not composer.asks_to_compare(rq) and not composer.asks_how_to(rq):
            return top
        if asks_part and top.fields:
            return top
        if len(top.title.split()) >= 2 and top.kind not in ("section", "notes", "culture-feature", "leadership-condition"):
            q_terms = set(tokens(re.sub(r"\(.*?\)", " ", rq))) - _QUESTION_WORDS
            t_terms = set(tokens(top.title))
            if q_terms and len(q_terms & t_terms) / len(q_terms) >= 0.6:
                return top  # the question is essentially the item's name ("say more about connect the dots")
        return None

    def _vocabulary(self) -> set[str]:
        gen = self.index_version.generation
        if self._vocab[0] != gen:
            vocab: set[str] = set()
            for c in self.chunk_source.chunks():
                vocab.update(tokens(c.text))
                vocab.update(tokens(c.section))
            self._vocab = (gen, vocab)
        return self._vocab[1]

    def _fuzzy(self, term: str) -> bool:
        """A typo-tolerant vocabulary hit: same 5-letter prefix, or one edit away for longer words."""
        if len(term) < 5:
            return False
        vocab = self._vocabulary()
        prefix = term[:5]
        return any(w.startswith(prefix) or (abs(len(w) - len(term)) <= 1 and _one_edit(w, term))
                   for w in vocab if w[:1] == term[:1])

    def _declined(self, q: str, notes: list[str], t0: float, why: str) -> Answer:
        text = (f"{notes[0]} {why} You can ask me about the five frameworks, for example "
                "“What are the seven systems in LEAD CT?” or “What does 11a say at Getting Better?”")
        return Answer(question=q, text=text, citations=[], passages=[], abstained=True, backend=self.name,
                      shape="declined", notes=notes, timings={"total": _ms(t0)}, resolved_question=q)

    def not_covered(self, w: "Work", reason: str) -> Answer:
        """The abstention for work in progress: the documents do not cover it, related passages shown."""
        text = NOT_COVERED.format(topic="", reason_sentence=f"({reason[0].upper() + reason[1:]}.) ")
        if w.notes:
            text = f"_{w.notes[0]}_\n\n{text}"
        w.timings["total"] = _ms(w.t0)
        return Answer(question=w.question, text=text, citations=[], passages=w.passages[: w.k], abstained=True,
                      backend=self.name, shape="abstain", related=w.passages[:3], notes=list(w.notes),
                      timings=w.timings, resolved_question=w.rq)


@dataclass
class Work:
    """The state of one answer in progress (shared by the extractive engine and the generators)."""

    question: str
    t0: float
    k: int
    cites: CitationBuilder
    rq: str = ""
    fws: list = field(default_factory=list)
    shape: str = "general"
    passages: list = field(default_factory=list)
    sentences: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    timings: dict = field(default_factory=dict)
    final: Answer | None = None


def _evidence(w: "Work") -> list:
    """The passages behind an answer: those it cites first, then the best other retrieved ones, k in all
    (at least every cited passage)."""
    out, seen = [], set()
    for c in w.cites.citations:
        if c.chunk.chunk_id not in seen:
            seen.add(c.chunk.chunk_id)
            out.append(next((p for p in w.passages if p.chunk.chunk_id == c.chunk.chunk_id), c.passage))
    for p in w.passages:
        if len(out) >= w.k:
            break
        if p.chunk.chunk_id not in seen:
            seen.add(p.chunk.chunk_id)
            out.append(p)
    return out


def _one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    if len(a) > len(b):
        a, b = b, a
    for i in range(len(b)):
        if b[:i] + b[i + 1:] == a:
            return True
    return False


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 2)
