"""Ingestion as a llama-index pipeline: our chunkers as transform components, our embedder as a BaseEmbedding,
the Chroma collection as vector store and a docstore that skips unchanged documents."""

from __future__ import annotations

import json
import shutil

import pytest

from assistant.index.embeddings import FakeEmbedder
from assistant.ingest.chunking import chunk_document
from assistant.wiring import build
from conftest import CORPUS, make_settings

UPLOAD = "# Coaching notes\n\nPrincipal supervisors coach principals every week.\n\n## Cadence\n\nMonthly reviews."


class CountingEmbedder(FakeEmbedder):
    """The fake embedder, remembering every text it was asked to embed."""

    def __init__(self):
        self.seen: list[str] = []

    def embed(self, texts):
        self.seen.extend(texts)
        return super().embed(texts)


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(CORPUS / "manifest.toml", folder)
    for name in ("leadership-system-rubric.txt", "coherence-capacity-framework.txt"):
        shutil.copy(CORPUS / name, folder)
    (folder / "notes.md").write_text(UPLOAD, encoding="utf-8")
    return folder


def services(tmp_path, corpus, embedder=None):
    s = build(make_settings(tmp_path, fake=True, corpus=corpus))
    if embedder is not None:
        s.__dict__["embedder"] = embedder
    return s


def _source_documents(s):
    docs, errors = s.load([s.settings.corpus.dir])
    assert not errors
    return docs


def test_chunk_nodes_round_trip_and_embed_their_embed_text(tmp_path, corpus):
    from assistant.ingest.node_parsers import chunk_node, embed_text, node_chunk

    s = services(tmp_path, corpus)
    chunks = [c for d in _source_documents(s) for c in chunk_document(d, s.splitter)]
    assert chunks
    for c in chunks:
        node = chunk_node(c)
        assert node_chunk(node) == c
        assert embed_text(node) == (c.embed_text or c.text)
        assert node.ref_doc_id == c.doc_id and (node.start_char_idx, node.end_char_idx) == (c.start, c.end)


def test_the_two_chunking_components_give_exactly_the_chunker_output(tmp_path, corpus):
    from assistant.ingest.node_parsers import CatalogChunker, GenericChunker, node_chunk, source_document

    s = services(tmp_path, corpus)
    docs = _source_documents(s)
    nodes = GenericChunker()(CatalogChunker(s.splitter)([source_document(d) for d in docs]))
    got = [node_chunk(n) for n in nodes]
    want = [c for d in docs for c in chunk_document(d, s.splitter)]
    assert got == want
    kinds = {c.source: {x.kind for x in got if x.source == c.source} for c in got}
    assert "level" in kinds["leadership-system-rubric.txt"], "rubric cells come from the catalog chunker"
    assert kinds["notes.md"] == {"passage"}, "uploads come from the generic splitter"


def test_source_documents_keep_every_field_and_dedupe_by_content_hash(tmp_path, corpus):
    from assistant.ingest.node_parsers import source_document

    s = services(tmp_path, corpus)
    for d in _source_documents(s):
        sd = source_document(d)
        assert sd.to_document() == d
        assert sd.hash == d.content_hash


def test_embedding_adapter_gives_the_embedder_vectors_per_document_batches(tmp_path, corpus):
    from assistant.index.llama_embedding import BATCH, EmbedderAdapter
    from assistant.ingest.node_parsers import chunk_node

    s = services(tmp_path, corpus)
    chunks = [c for d in _source_documents(s) for c in chunk_document(d, s.splitter)]
    calls: list[tuple[int, int]] = []
    adapter = EmbedderAdapter(FakeEmbedder(), progress=lambda stage, done, total: calls.append((done, total)))
    nodes = adapter([chunk_node(c) for c in chunks])
    assert [n.embedding for n in nodes] == FakeEmbedder().embed([c.embed_text for c in chunks])
    assert calls[0] == (0, len(chunks)) and calls[-1] == (len(chunks), len(chunks))
    steps = [b - a for (a, _), (b, _) in zip(calls, calls[1:])]
    assert max(steps) <= BATCH
    assert adapter.get_query_embedding("principal coaching") == FakeEmbedder().embed(["principal coaching"])[0]


def test_unchanged_documents_are_skipped_by_the_docstore(tmp_path, corpus):
    counting = CountingEmbedder()
    s = services(tmp_path, corpus, counting)
    s.ingest()
    stored = json.loads(s.store.generations.open(s.store.generation).get_text("docstore"))
    hashes = {k: v["doc_hash"] for k, v in stored["docstore/metadata"].items()}
    assert hashes == {d.doc_id: d.content_hash for d in s.store.documents()}
    (corpus / "notes.md").write_text(UPLOAD.replace("every week", "twice a week"), encoding="utf-8")
    counting.seen.clear()
    report, _ = s.ingest()
    notes = [c for c in s.store.all_chunks() if c.source == "notes.md"]
    assert report.updated == ["notes.md"] and report.embedded == len(notes)
    chunk_texts = {c.embed_text for c in notes}
    assert chunk_texts <= set(counting.seen)
    assert all("Leadership System" not in t for t in counting.seen), "unchanged frameworks are not re-embedded"


def test_an_index_of_another_layout_is_rebuilt(tmp_path, corpus):
    s = services(tmp_path, corpus)
    s.ingest()
    served = s.store.generations.open(s.store.generation)
    state = json.loads(served.get_text("state"))
    del state["layout"]
    served.put_text("state", json.dumps(state))
    fresh = services(tmp_path, corpus)
    assert not fresh.store.compatible()
    report = fresh.ensure_index()
    assert report is not None and report.rebuilt and fresh.store.compatible()
    assert sorted(report.added) == ["coherence-capacity-framework.txt", "leadership-system-rubric.txt", "notes.md"]


def test_llama_index_has_no_llm_and_says_nothing_on_stdout(tmp_path, corpus, capsys):
    s = services(tmp_path, corpus)
    s.ingest()
    from llama_index.core import Settings
    from llama_index.core.llms import MockLLM

    assert isinstance(Settings.llm, MockLLM)
    assert capsys.readouterr().out == ""
