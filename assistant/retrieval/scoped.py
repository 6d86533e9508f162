"""The retriever as one person sees it: the shared library and their own uploads, never someone else's."""

from __future__ import annotations

from typing import Callable

from assistant.types import Chunk, Passage


class ScopedRetriever:
    """Search, nearest sentences, chunks and framework names with the documents `hidden()` names left out (plays
    Searcher, SentenceSearch, ChunkSource and FrameworkNames for one person's answer engine)."""

    def __init__(self, retriever, records: Callable[[], list], hidden: Callable[[list], frozenset[str]]):
        self.retriever = retriever
        self._records = records  # the index's document records (doc_id, path, framework)
        self._hidden = hidden

    def hidden(self) -> frozenset[str]:
        """Ids of the documents this person may not see, as of the served index."""
        return self._hidden(self._records())

    def search(self, query: str, k: int | None = None, framework: str | None = None) -> list[Passage]:
        """The retriever's top-k among the documents this person may see."""
        return self.retriever.search(query, k=k, framework=framework, exclude=self.hidden())

    def nearest_sentences(self, vector: list[float], n: int = 12, framework: str | None = None) -> list[Passage]:
        """The retriever's nearest sentences among the documents this person may see."""
        return self.retriever.nearest_sentences(vector, n, framework, exclude=self.hidden())

    def correct(self, text: str) -> str:
        return self.retriever.correct(text)

    def chunks(self) -> list[Chunk]:
        hidden = self.hidden()
        chunks = self.retriever.chunks()
        return [c for c in chunks if c.doc_id not in hidden] if hidden else chunks

    def frameworks(self) -> list[str]:
        hidden = self.hidden()
        return sorted({r.framework for r in self._records() if r.doc_id not in hidden})
