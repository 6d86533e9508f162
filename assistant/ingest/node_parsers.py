"""Our chunkers as llama-index transform components: source documents in, TextNodes carrying Chunk metadata out."""

from __future__ import annotations

import json
from typing import Any, Callable, Sequence

from llama_index.core.bridge.pydantic import PrivateAttr
from llama_index.core.schema import (BaseNode, Document as LlamaDocument, MetadataMode, NodeRelationship,
                                     RelatedNodeInfo, TextNode, TransformComponent)

from assistant.ingest.chunking import cover_gaps
from assistant.types import Chunk, Document, PageSpan

StructuredSplitter = Callable[[Document], list[Chunk]]


class SourceDocument(LlamaDocument):
    """A loaded file as a llama-index Document whose identity for de-duplication is the file's content hash."""

    @property
    def hash(self) -> str:
        # Re-embedding depends on the content only: a moved file or a renamed manifest title is not a change.
        return str(self.metadata["content_hash"])

    def to_document(self) -> Document:
        """The assistant Document this was made from."""
        m = self.metadata
        return Document(doc_id=self.id_, source=m["source"], title=m["title"], framework=m["framework"],
                        text=self.text, content_hash=m["content_hash"], path=m["path"],
                        pages=tuple(PageSpan(*p) for p in json.loads(m["pages"])))


def source_document(doc: Document) -> SourceDocument:
    """A Document as pipeline input (its id is the document id, so upserts and deletes follow the file)."""
    pages = json.dumps([[p.number, p.start, p.end] for p in doc.pages])
    meta = {"source": doc.source, "title": doc.title, "framework": doc.framework, "content_hash": doc.content_hash,
            "path": doc.path, "pages": pages}
    return SourceDocument(id_=doc.doc_id, text=doc.text, metadata=meta)


def chunk_node(chunk: Chunk) -> TextNode:
    """A Chunk as a TextNode: display text as content, Chunk metadata, and its embed text as what the embedder reads."""
    meta = chunk.metadata()
    return TextNode(
        id_=chunk.chunk_id, text=chunk.text, metadata=meta, start_char_idx=chunk.start, end_char_idx=chunk.end,
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=chunk.doc_id)},
        # The embedder reads exactly the chunk's embed text (heading + lead + body, within the model window).
        excluded_embed_metadata_keys=[k for k in meta if k != "embed_text"], excluded_llm_metadata_keys=list(meta),
        metadata_template="{value}", text_template="{metadata_str}")


def node_chunk(node: BaseNode) -> Chunk:
    """Inverse of `chunk_node`."""
    return Chunk.from_metadata(node.node_id, node.get_content(metadata_mode=MetadataMode.NONE), node.metadata)


def embed_text(node: BaseNode) -> str:
    """What the embedder reads for this node."""
    return node.get_content(metadata_mode=MetadataMode.EMBED)


class CatalogChunker(TransformComponent):
    """Chunks cut along the framework catalog (items, rubric levels); each source document passes on after them."""

    _splitter: StructuredSplitter = PrivateAttr()

    def __init__(self, splitter: StructuredSplitter, **kwargs: Any):
        super().__init__(**kwargs)
        self._splitter = splitter

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[BaseNode]:
        out: list[BaseNode] = []
        for node in nodes:
            if isinstance(node, SourceDocument):
                out.extend(chunk_node(c) for c in self._splitter(node.to_document()))
            out.append(node)
        return out


class GenericChunker(TransformComponent):
    """Heading/paragraph chunks for the text no earlier chunk covers (all of an upload); emits chunks only."""

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[BaseNode]:
        earlier: dict[str, list[Chunk]] = {}
        for node in nodes:
            if not isinstance(node, SourceDocument):
                earlier.setdefault(node.ref_doc_id or "", []).append(node_chunk(node))
        out: list[BaseNode] = []
        for node in nodes:
            if isinstance(node, SourceDocument):
                out.extend(chunk_node(c) for c in cover_gaps(node.to_document(), earlier.get(node.id_, [])))
        return out
