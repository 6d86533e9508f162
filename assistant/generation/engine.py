"""Generator-backed answers: same retrieval and citation format as the extractive engine; every generated
sentence is checked against the passage it cites, unsupported ones are flagged, unknown numbers removed; when
the generator fails the extractive answer is returned with a notice."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Iterator

from assistant.answering.engine import ExtractiveEngine, Work
from assistant.generation.backends.base import Generator, GeneratorError
from assistant.protocols import Answerer
from assistant.text.tokens import tokens
from assistant.text.templates import render
from assistant.text.sentences import sentence_spans, split_sentences
from assistant.types import Answer

UNSUPPORTED = "⚠"


@dataclass
class FallbackEngine:
    """The extractive engine, telling the user why the configured generator is not in use."""

    engine: Answerer
    reason: str

    def backend_status(self) -> str:
        return f"Configured generator unavailable ({self.reason}); using the offline extractive composer."

    def answer(self, question, history=None, framework=None, k=None) -> Answer:
        a = self.engine.answer(question, history, framework, k)
        a.notes.append(f"The configured generator is unavailable ({self.reason}); this answer was composed "
                       "offline from the documents.")
        return a

    def stream(self, question, history=None, framework=None, k=None):
        yield self.answer(question, history, framework, k)


@dataclass
class GenerativeEngine:
    engine: ExtractiveEngine
    generator: Generator

    @property
    def name(self) -> str:
        return self.generator.name

    def backend_status(self) -> str:
        try:
            return self.generator.check()
        except GeneratorError as exc:
            return f"{exc} — answers fall back to the offline extractive composer."

    def answer(self, question, history=None, framework=None, k=None) -> Answer:
        final = None
        for piece in self.stream(question, history, framework, k):
            if isinstance(piece, Answer):
                final = piece
        return final

    def stream(self, question, history=None, framework=None, k=None) -> Iterator[str | Answer]:
        """Text pieces as generated, then the verified Answer (catalog answers and abstentions come whole)."""
        work = self.engine.prepare(question, history, framework, k)
        if work.final is not None:
            yield work.final
            return
        t0 = time.perf_counter()
        passages = work.passages[: max(work.k, 6)]
        numbered = "\n\n".join(f"[{i}] {p.chunk.framework} › {p.chunk.section}\n{p.chunk.text}"
                               for i, p in enumerate(passages, 1))
        system = render("answer_system", max_sentences=self.engine.max_sentences)
        prompt = render("answer_user", passages=numbered, question=work.rq)
        pieces: list[str] = []
        try:
            for piece in self.generator.generate(system, prompt):
                pieces.append(piece)
                yield piece
        except GeneratorError as exc:
            a = self.engine.answer(question, history, framework, k)
            a.notes.append(f"{exc}. This answer was composed offline from the documents instead.")
            yield a
            return
        work.timings["generate"] = round((time.perf_counter() - t0) * 1000, 2)
        text = verify(work, "".join(pieces), passages, self.engine)
        if not text.strip() or re.search(r"sources do not cover", text, re.I):
            yield self.engine.not_covered(work, "the generator found no answer in the passages")
            return
        yield self.engine.finish(work, text, self.generator.name)


def verify(work: Work, generated: str, passages: list, engine: ExtractiveEngine) -> str:
    """Generated text rewritten onto exact citations: each sentence's [n] must exist and support it."""
    text_of = engine.document_texts.document_text
    out = []
    for sentence in split_sentences(generated):
        nums = [int(n) for n in re.findall(r"\[(\d+)\]", sentence)]
        bare = re.sub(r"\s*\[\d+\]", "", sentence).strip()
        if not bare:
            continue
        valid = [n for n in nums if 1 <= n <= len(passages)]
        markers = []
        supported = False
        for n in valid:
            p = passages[n - 1]
            span = _best_span(bare, p, text_of)
            if span is None:
                continue
            (a, b), overlap = span
            if overlap >= 0.5:
                supported = True
            markers.append(work.cites.marker(p, a, b))
        if not supported:
            # An unsupported claim stays visible but flagged, never silently presented as sourced.
            out.append(f"{bare} {UNSUPPORTED}[unsupported]")
            if UNSUPPORTED not in " ".join(work.notes):
                work.notes.append(f"{UNSUPPORTED} marks sentences the cited passages do not support.")
        else:
            out.append(f"{bare} {' '.join(dict.fromkeys(markers))}")
    return " ".join(out)


def _best_span(sentence: str, passage, text_of):
    raw = text_of(passage.chunk.doc_id)
    if raw is None:
        return None
    want = set(tokens(sentence))
    if not want:
        return None
    best = None
    for a, b in sentence_spans(raw, passage.chunk.start, passage.chunk.end):
        have = set(tokens(raw[a:b]))
        overlap = len(want & have) / len(want)
        if best is None or overlap > best[1]:
            best = ((a, b), overlap)
    whole = set(tokens(passage.chunk.text))
    if best is not None and len(want & whole) / len(want) >= 0.5:
        best = (best[0], max(best[1], len(want & whole) / len(want)))
    return best
