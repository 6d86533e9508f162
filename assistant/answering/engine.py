"""The answer engine: validate, resolve follow-ups, retrieve, then answer from the catalog or by extracting
cited sentences; abstain when the evidence does not answer; never follow instructions found in text."""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Iterator

from assistant.answering import composer, evidence, features, followups, guard, listing, pointers, refusal
from assistant.answering.citations import CitationBuilder, check_numbers, drop_markers
from assistant.answering.confidence import AbstentionModel, Evidence, load_model
from assistant.inputs import validate_question
from assistant.answering.message import read_message
from assistant.answering.named import named_item
from assistant.answering.problems import ProblemAnswers, is_help_seeking
from assistant.answering.structure import StructureAnswers
from assistant.answering.structured import StructuredAnswers
from assistant.frameworks import identifiers as ident
from assistant.frameworks.catalog import Catalog
from assistant.index.embeddings import Embedder
from assistant.protocols import (ChunkSource, Corrector, DocumentTexts, FrameworkNames, IndexVersion, PracticeRanking,
                                 QueryEmbedder, Searcher, SentenceSearch, SentenceVectors, TermWeights)
from assistant.text.templates import render
from assistant.text.tokens import tokens, words
from assistant.types import Answer


log = logging.getLogger(__name__)
CANDIDATES = 30  # passages weighed per question (the answer uses the best few; the rest inform the evidence)
NEAREST = 6  # passages added for holding one of the sentences nearest in meaning to the question


FOCUS_BONUS = 0.05  # lead of a compared framework's closest item's sentences

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
    corrector: Corrector | None = None  # typo repair against the documents' words
    sentence_search: SentenceSearch | None = None  # nearest sentences, a second source of candidate sentences
    practices: PracticeRanking | None = None  # the practice finder's ranking, for problem-of-practice answers
    abstention: AbstentionModel | None = None  # default: the calibrated model shipped with the package
    k: int = 5
    name: str = "extractive"
    _embeddings: evidence.SentenceEmbeddings | None = field(default=None, repr=False)
    _vocab: tuple[str | None, set[str]] = field(default=(None, set()), repr=False)

    def __post_init__(self):
        self._embeddings = evidence.SentenceEmbeddings(self.embedder, self.sentence_vectors.sentence_vectors)
        self.structured = StructuredAnswers(self.catalog, self.chunk_source.chunks, self.document_texts.document_text)
        self.structure = StructureAnswers(self.catalog, self.structured,
                                          lambda q, k, fw: self.searcher.search(q, k=k, framework=fw)) \
            if self.catalog is not None else None
        self.problems = ProblemAnswers(self.practices, self.catalog, self.chunk_source.chunks) \
            if self.practices is not None and self.catalog is not None else None
        if self.abstention is None:
            self.abstention = load_model()

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
        msg = read_message(self.corrector.correct(ident.expand(q)) if self.corrector is not None else q)
        text = msg.text
        if msg.instructions:
            w.notes.append(guard.REFUSAL_NOTE)
            text = msg.legitimate
            if len(tokens(text)) < 2:
                w.final = self._declined(q, w.notes, t0, "The message asks me to step outside the documents; "
                                         "there is no question about the frameworks left to answer.")
                return w
        if followups.asks_provenance(text) and history:
            w.final = self._provenance(w, history, framework)
            if w.final is not None:
                return w
        w.rq = rq = ident.expand(followups.resolve(text, history, self.catalog))
        w.fws = ident.frameworks_in(rq)
        w.shape = composer.shape_of(rq, w.fws)
        w.timings["resolve"] = _ms(t0)
        # Catalog answers (lists, counts, rubric cells, named items) are tried on each question the message asks
        # before the whole message, so a pasted excerpt or a story does not hide the question.
        asks = [ident.expand(followups.resolve(a, history, self.catalog)) for a in msg.questions()] \
            if len(msg.parts) > 1 else []
        # A story around the questions is context, not a catalog request: only the questions themselves are tried.
        for candidate in asks if (asks and msg.context) else [*asks, rq]:
            composed = self._structured(candidate, w.cites, ident.frameworks_in(candidate))
            # An item's own text that states no value of the kind asked for ("how many days … in Condition 7")
            # does not answer it: the evidence decides below. Counts and lists are the catalog's own values.
            wanted = features.value_pattern(candidate, soft=False) if composed and composed.shape in ITEM_TEXT else None
            if composed is not None and (wanted is None or wanted.search(composed.text)):
                w.shape = composed.shape
                named = framework or (w.fws[0] if len(w.fws) == 1 else None)
                w.passages = self.searcher.search(rq, k=max(8, w.k), framework=named)
                w.final = self.finish(w, composed.text, self.name)
                return w
        # What the question specifically demands (a value, a named thing) is read from its questions; names and
        # numbers in the surrounding story are context.
        w.asked = " ".join(msg.asks) if msg.asks and msg.context else \
            msg.context[-1] if msg.context and len(msg.context) > 1 and msg.describes_situation else text
        self._weigh(w, w.asked, framework)
        specific_gap = w.evidence.value_missing or w.evidence.missing_names
        # A follow-up brings the earlier story with it ("ok, what should we do about it?" after a description).
        situation = (msg if msg.context else read_message(rq)).describes_situation
        pointer = None if situation else pointers.about_pointer(w.asked, w.sentences, self.term_weights.idf())
        if pointer is not None:  # the documents only refer to what is asked about: say so, citing the pointer
            mark = w.cites.marker(pointer.passage, pointer.start, pointer.end)
            w.shape = "referenced"
            w.final = dataclasses.replace(self.finish(w, pointers.compose(pointer, mark), self.name), abstained=True)
            return w
        if self.problems is not None and not specific_gap and (
                situation or (w.confidence < self.abstention.threshold and is_help_seeking(rq))):
            w.final = self._practices(w, rq, framework)  # what to do is answered by practices, not refused
        if w.final is None and w.confidence < self.abstention.threshold:
            w.final = self.not_covered(w, "the closest passages do not answer it")
        return w

    def _weigh(self, w: "Work", text: str, framework: str | None) -> None:
        """Retrieve, score the candidate sentences and weigh the evidence (sets passages, sentences, evidence and
        confidence on the work)."""
        t1 = time.perf_counter()
        fw = framework or None
        if fw is None and len(w.fws) == 1 and w.shape != "comparison":
            fw = w.fws[0]  # one named framework is a clear intent: search inside it
        pool = self.searcher.search(w.rq, k=max(CANDIDATES, w.k), framework=fw)
        w.passages = pool[: max(8, w.k)]
        if w.shape == "comparison" and not framework:
            w.passages = self._per_framework(w.rq, w.fws, w.passages)
        w.timings["retrieve"] = _ms(t1)
        t2 = time.perf_counter()
        topic = composer.topic_of(w.rq) if w.shape == "comparison" else w.rq
        qvec = self.query_embedder.embed_query(topic)
        if self.sentence_search is not None:
            # Passages holding the sentences nearest in meaning join the candidates (after the ranked ones).
            seen = {p.chunk.chunk_id for p in w.passages}
            extra = [p for p in self.sentence_search.nearest_sentences(qvec, NEAREST, fw) if p.chunk.chunk_id not in seen]
            w.passages = w.passages + extra
        focus = self._compared_items(w, topic, framework) if w.shape == "comparison" else []
        w.sentences = evidence.candidates(w.passages, self.document_texts.document_text)
        evidence.score(w.sentences, topic, qvec, self._embeddings, self.term_weights.idf(),
                       features.value_pattern(text), self.catalog.illustrative_kinds() if self.catalog else frozenset())
        for s in w.sentences:
            if any(f.source == s.passage.chunk.source and f.start <= s.start < f.end for f in focus):
                s.score += FOCUS_BONUS
        w.evidence = features.compute(topic, text, pool, w.sentences, self.term_weights.idf(), self._vocabulary())
        w.confidence = self.abstention.confidence(w.evidence)
        w.timings["weigh"] = _ms(t2)

    def finish(self, w: "Work", text: str, backend: str) -> Answer:
        """The Answer for composed text whose [n] markers all refer to w.cites (unknown markers are dropped and
        logged: an internal check never takes an answer down)."""
        bad = check_numbers(text, w.cites.citations)
        if bad:
            log.warning("dropping citation markers without sources: %s", bad)
            text = drop_markers(text, bad)
        if w.notes:
            text = f"_{w.notes[0]}_\n\n{text}"
        w.timings["total"] = _ms(w.t0)
        return Answer(question=w.question, text=text, citations=w.cites.citations, passages=_evidence(w),
                      abstained=False, backend=backend, shape=w.shape, notes=list(w.notes), timings=w.timings,
                      resolved_question=w.rq, related=[], confidence=w.confidence,
                      evidence=w.evidence.to_dict() if w.evidence else {}, next_steps=list(w.next_steps))

    def _practices(self, w: "Work", rq: str, framework: str | None) -> Answer | None:
        """The problem-of-practice answer (what the frameworks suggest), or None when the ranking finds too little."""
        t = time.perf_counter()
        named = ident.parse(rq).frameworks
        # "What would the rubric say about this?": a situation asked of one framework is answered from it alone.
        findings = self.problems.findings(rq, framework=framework or (named[0] if len(named) == 1 else None))
        got = self.problems.answer(findings, w.cites)
        w.timings["practices"] = _ms(t)
        if got is None:
            return None
        composed, w.next_steps = got
        w.shape = composed.shape
        w.passages = self.problems.item_passages(findings)
        return self.finish(w, composed.text, self.name)

    def _provenance(self, w: "Work", history: list[dict], framework: str | None) -> Answer | None:
        """'Which framework says that?': the frameworks behind the previous answer (or, after a refusal, behind the
        closest passages to the previous question), each named and cited."""
        user, reply = followups.previous_exchange(history)
        basis = user if (not reply or followups.is_refusal(reply)) else f"{user} {reply}"
        if not basis.strip():
            return None
        w.rq = basis
        w.passages = self.searcher.search(ident.expand(basis), k=max(8, w.k), framework=framework or None)
        w.sentences = evidence.candidates(w.passages, self.document_texts.document_text)
        qvec = self.query_embedder.embed_query(basis) if w.sentences else None
        evidence.score(w.sentences, basis, qvec, self._embeddings, self.term_weights.idf())
        named = ident.frameworks_in(reply) if reply and not followups.is_refusal(reply) else []
        text = composer.provenance(w.sentences, w.cites, named)
        if not text:
            return None
        w.shape = "provenance"
        return self.finish(w, text, self.name)

    # ---- pieces -------------------------------------------------------------------------------------------
    def _structured(self, rq: str, cites: CitationBuilder, fws: list[str]):
        if self.catalog is None:
            return None
        got = self.structure.answer(rq, cites, fws)
        if got is not None:
            return got
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
        named = named_item(self.catalog, rq, ids)
        if named is not None and named.kind == "practice" and self.catalog.is_leveled(named.framework):
            return self.structured.rubric(f"practice {named.number}", cites)
        if named is not None:
            return self.structured.item(rq, cites, named)
        return None

    def _compared_items(self, w: "Work", topic: str, framework: str | None) -> list:
        """Each compared framework's closest item to the topic (the practice ranking, inside that framework): its
        passages join the candidates and its sentences lead that framework's side."""
        if self.problems is None or framework:
            return []
        found = []
        for fw in w.fws or self.framework_names.frameworks():
            found.extend(self.problems.findings(topic, framework=fw, k=1))
        seen = {p.chunk.chunk_id for p in w.passages}
        w.passages = w.passages + [p for p in self.problems.cited_passages(found) if p.chunk.chunk_id not in seen]
        return found

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

    def _vocabulary(self) -> set[str]:
        gen = self.index_version.generation
        if self._vocab[0] != gen:
            vocab: set[str] = set()
            for c in self.chunk_source.chunks():
                vocab.update(words(c.text))
                vocab.update(words(c.section))
                vocab.update(words(c.framework))
                vocab.update(words(c.title))
            self._vocab = (gen, vocab)
        return self._vocab[1]

    def _declined(self, q: str, notes: list[str], t0: float, why: str) -> Answer:
        text = render("answers/declined", note=notes[0], why=why)
        return Answer(question=q, text=text, citations=[], passages=[], abstained=True, backend=self.name,
                      shape="declined", notes=notes, timings={"total": _ms(t0)}, resolved_question=q)

    def not_covered(self, w: "Work", reason: str) -> Answer:
        """The abstention for work in progress: says what was looked for and why it is not answered, shows the
        closest passages as related reading and suggests how to ask."""
        text = render("answers/not_covered", **refusal.parts(w.asked or w.rq or w.question, w.passages, w.evidence,
                                                               w.fws, self._vocabulary()))
        if w.notes:
            text = f"_{w.notes[0]}_\n\n{text}"
        w.timings["total"] = _ms(w.t0)
        return Answer(question=w.question, text=text, citations=[], passages=w.passages[: w.k], abstained=True,
                      backend=self.name, shape="abstain", related=composer.distinct_sections(w.passages)[:3], notes=list(w.notes),
                      timings=w.timings, resolved_question=w.rq, confidence=w.confidence,
                      evidence=w.evidence.to_dict() if w.evidence else {})


ITEM_TEXT = frozenset({"lookup", "rubric"})  # catalog answers that quote a named item's text


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
    evidence: Evidence | None = None
    confidence: float | None = None
    next_steps: list = field(default_factory=list)
    asked: str = ""  # the question's own words (without instructions or a surrounding story)


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


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 2)

