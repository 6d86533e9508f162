"""Ingestion into one generation as a llama-index IngestionPipeline: catalog and generic chunkers, our embedder,
the generation's Chroma collection as vector store and a hash docstore that skips unchanged documents (kept as a
JSON record of the generation, so it travels with the index wherever that lives)."""

from __future__ import annotations

import contextlib
import io
import json

from llama_index.core.ingestion import DocstoreStrategy, IngestionPipeline
from llama_index.core.storage.docstore import SimpleDocumentStore
from llama_index.vector_stores.chroma import ChromaVectorStore

from assistant.index.embeddings import Embedder
from assistant.index.llama_embedding import EmbedderAdapter, Progress
from assistant.ingest.node_parsers import (CatalogChunker, GenericChunker, StructuredSplitter, node_chunk,
                                           source_document)
from assistant.types import Chunk, Document


def disable_llm() -> None:
    """Nothing in llama-index may fall back to a hosted LLM: the pipeline needs none."""
    from llama_index.core import Settings

    with contextlib.redirect_stdout(io.StringIO()):  # it announces the MockLLM on stdout (CLI --json output)
        Settings.llm = None


class GenerationPipeline:
    """Chunks, embeds and stores documents in one generation's Chroma collection and docstore."""

    def __init__(self, collection, embedder: Embedder, splitter: StructuredSplitter,
                 progress: Progress | None = None, docstore: str | None = None):
        disable_llm()
        self.vector_store = ChromaVectorStore(chroma_collection=collection)
        self.docstore = SimpleDocumentStore.from_dict(json.loads(docstore)) if docstore else SimpleDocumentStore()
        self.pipeline = IngestionPipeline(
            transformations=[CatalogChunker(splitter), GenericChunker(), EmbedderAdapter(embedder, progress)],
            vector_store=self.vector_store, docstore=self.docstore, docstore_strategy=DocstoreStrategy.UPSERTS,
            disable_cache=True)

    def stored_hash(self, doc_id: str) -> str | None:
        """The content hash this generation holds for a document, or None."""
        return self.docstore.get_document_hash(doc_id)

    def retain(self, doc_ids) -> None:
        """Forget every document but `doc_ids` (and drop any chunks of the others)."""
        keep = set(doc_ids)
        for doc_id in set(self.docstore.get_all_document_hashes().values()) - keep:
            self.docstore.delete_document(doc_id, raise_error=False)
            self.vector_store.delete(doc_id)

    def run(self, docs: list[Document]) -> list[Chunk]:
        """Index `docs`; unchanged ones (same content hash) are skipped. Returns the chunks embedded."""
        nodes = self.pipeline.run(documents=[source_document(d) for d in docs], store_doc_text=False)
        return [node_chunk(n) for n in nodes]

    def docstore_json(self) -> str:
        """The docstore as JSON (the generation keeps it as a record)."""
        return json.dumps(self.docstore.to_dict())
