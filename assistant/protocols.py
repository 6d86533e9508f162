"""The roles collaborators play for one another, one method each; assistant/wiring.py decides who plays which.

A consumer names only the roles it uses (the answer engine searches, reads document texts, embeds queries …), so a
test can hand it a small fake for exactly those, and the retriever or the store can change behind them.
"""

from __future__ import annotations

from typing import Any, Protocol

from assistant.types import Answer, Chunk, Passage


class Searcher(Protocol):
    def search(self, query: str, k: int | None = None, framework: str | None = None) -> list[Passage]:
        """The top-k passages for `query`, best first (optionally inside one framework)."""


class ChunkSource(Protocol):
    def chunks(self) -> list[Chunk]:
        """Every indexed chunk."""


class FrameworkNames(Protocol):
    def frameworks(self) -> list[str]:
        """Names of the frameworks present in the index."""


class QueryEmbedder(Protocol):
    def embed_query(self, query: str) -> list[float]:
        """The query's vector (the same model as the indexed passages)."""


class TermWeights(Protocol):
    def idf(self) -> dict[str, float]:
        """Inverse document frequency of every indexed term."""


class DocumentTexts(Protocol):
    def document_text(self, doc_id: str) -> str | None:
        """The full text of an indexed document (citation offsets index it), or None."""


class SentenceVectors(Protocol):
    def sentence_vectors(self) -> dict[tuple[str, int, int], Any]:
        """Vectors computed at indexing time, keyed by (doc_id, start, end) of each sentence."""


class IndexVersion(Protocol):
    @property
    def generation(self) -> str | None:
        """An id that changes whenever the index content changes (None: no index yet)."""


class Answerer(Protocol):
    def answer(self, question: str, history: list[dict] | None = None, framework: str | None = None,
               k: int | None = None) -> Answer:
        """A cited answer (or a cited abstention) for the question, given the earlier turns."""


class FeedbackSink(Protocol):
    def record(self, user: str, entry: dict) -> None:
        """Keep one feedback record of `user` (a rating, or a later note or change to it)."""


class PracticeRanking(Protocol):
    def find(self, challenge: str, k: int = 5, framework: str | None = None) -> list[Any]:
        """Catalog items that address a situation described in a leader's words, best first; each has item_id,
        framework, label, kind, score, citation (a SourceRef of the sentence that matched) and focus_id."""


class SentenceSearch(Protocol):
    def nearest_sentences(self, vector: list[float], n: int = 12, framework: str | None = None) -> list[Passage]:
        """Passages holding the sentences closest in meaning to a query vector, best first."""


class Corrector(Protocol):
    def correct(self, text: str) -> str:
        """The text with typos repaired against the documents' vocabulary."""
