"""Our Embedder as a llama-index BaseEmbedding (the bundled model or the fake; never a downloaded one)."""

from __future__ import annotations

from typing import Any, Callable, Sequence

from llama_index.core.base.embeddings.base import BaseEmbedding, Embedding
from llama_index.core.bridge.pydantic import PrivateAttr
from llama_index.core.schema import BaseNode, MetadataMode

from assistant.index.embeddings import Embedder

Progress = Callable[[str, int, int], None]  # (stage, done, total)
BATCH = 64


class EmbedderAdapter(BaseEmbedding):
    """Embeds with `embedder` in batches of at most BATCH texts that never straddle two documents."""

    _embedder: Embedder = PrivateAttr()
    _progress: Progress | None = PrivateAttr(default=None)

    def __init__(self, embedder: Embedder, progress: Progress | None = None, **kwargs: Any):
        super().__init__(model_name=embedder.model_id, embed_batch_size=BATCH, **kwargs)
        self._embedder = embedder
        self._progress = progress

    @classmethod
    def class_name(cls) -> str:
        return "AssistantEmbedder"

    def _get_text_embeddings(self, texts: list[str]) -> list[Embedding]:
        return self._embedder.embed(list(texts))

    def _get_text_embedding(self, text: str) -> Embedding:
        return self._embedder.embed([text])[0]

    def _get_query_embedding(self, query: str) -> Embedding:
        return self._embedder.embed([query])[0]

    async def _aget_query_embedding(self, query: str) -> Embedding:
        return self._get_query_embedding(query)

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> Sequence[BaseNode]:
        # Batches follow document boundaries, as they always did, so every vector is bit-identical to before.
        total, done = len(nodes), 0
        self._report(0, total)
        for group in _by_document(nodes):
            for i in range(0, len(group), BATCH):
                batch = group[i:i + BATCH]
                vecs = self.get_text_embedding_batch([n.get_content(metadata_mode=MetadataMode.EMBED) for n in batch])
                for node, vec in zip(batch, vecs):
                    node.embedding = vec
                done += len(batch)
                self._report(done, total)
        return nodes

    def _report(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress("embedding", done, total)


def _by_document(nodes: Sequence[BaseNode]) -> list[list[BaseNode]]:
    groups: list[list[BaseNode]] = []
    for node in nodes:
        if groups and groups[-1][0].ref_doc_id == node.ref_doc_id:
            groups[-1].append(node)
        else:
            groups.append([node])
    return groups
