"""The index: idempotent by content hash, replaces changed files, drops deleted ones, never serves a half build."""

from __future__ import annotations

import shutil

import pytest

from assistant.index.embeddings import FakeEmbedder
from assistant.wiring import build
from conftest import CORPUS, make_settings


@pytest.fixture
def small_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "manifest.toml", corpus)
    for name in ("instll-capacity-building-framework.txt", "coherence-capacity-framework.txt"):
        shutil.copy(CORPUS / name, corpus)
    (corpus / "notes.md").write_text("# Coaching notes\n\nPrincipal supervisors coach principals every week.\n")
    return corpus


def services_for(tmp_path, corpus):
    return build(make_settings(tmp_path, fake=True, corpus=corpus))


def test_first_ingest_indexes_everything_then_nothing(tmp_path, small_corpus):
    s = services_for(tmp_path, small_corpus)
    first, errors = s.ingest()
    assert not errors
    assert sorted(first.added) == ["coherence-capacity-framework.txt", "instll-capacity-building-framework.txt",
                                   "notes.md"]
    assert first.embedded == len(s.store.all_chunks()) > 0
    gen = s.store.generation
    again, _ = s.ingest()
    assert not again.changed and again.embedded == 0
    assert len(again.unchanged) == 3
    assert s.store.generation == gen


def test_changed_file_replaces_its_chunks_only(tmp_path, small_corpus):
    s = services_for(tmp_path, small_corpus)
    s.ingest()
    before = {c.chunk_id: c for c in s.store.all_chunks()}
    (small_corpus / "notes.md").write_text("# Coaching notes\n\nSupervisors now coach principals twice a week.\n")
    report, _ = s.ingest()
    assert report.updated == ["notes.md"] and not report.added
    after = s.store.all_chunks()
    notes = [c for c in after if c.source == "notes.md"]
    assert notes and all("twice a week" in c.text for c in notes)
    others = {c.chunk_id for c in after if c.source != "notes.md"}
    assert others == {i for i, c in before.items() if c.source != "notes.md"}
    assert report.embedded == len(notes)


def test_deleted_file_chunks_go_away(tmp_path, small_corpus):
    s = services_for(tmp_path, small_corpus)
    s.ingest()
    (small_corpus / "notes.md").unlink()
    report, _ = s.ingest()
    assert report.removed == ["notes.md"]
    assert all(c.source != "notes.md" for c in s.store.all_chunks())
    assert [d.source for d in s.store.documents()] == ["coherence-capacity-framework.txt",
                                                        "instll-capacity-building-framework.txt"]


def test_remove_by_document_id(tmp_path, small_corpus):
    s = services_for(tmp_path, small_corpus)
    s.ingest()
    doc = next(d for d in s.store.documents() if d.source == "notes.md")
    report = s.store.remove([doc.doc_id])
    assert report.removed == ["notes.md"]
    assert "notes.md" not in {d.source for d in s.store.documents()}


def test_model_mismatch_triggers_a_full_rebuild(tmp_path, small_corpus):
    s = services_for(tmp_path, small_corpus)
    s.ingest()

    class OtherModel(FakeEmbedder):
        model_id = "another-model"

    s2 = services_for(tmp_path, small_corpus)
    s2.__dict__["embedder"] = OtherModel()
    assert not s2.store.compatible()
    report = s2.ensure_index()
    assert report is not None and report.rebuilt and report.embedded == len(s2.store.all_chunks())
    assert s2.store.compatible()


def test_a_crash_mid_build_leaves_the_served_index_intact(tmp_path, small_corpus):
    s = services_for(tmp_path, small_corpus)
    s.ingest()
    served = s.store.generation
    count = len(s.store.all_chunks())

    class Exploding(FakeEmbedder):
        def embed(self, texts):
            raise RuntimeError("killed mid-ingest")

    broken = services_for(tmp_path, small_corpus)
    broken.__dict__["embedder"] = Exploding()
    (small_corpus / "notes.md").write_text("# New\n\nChanged text that will never be embedded.\n")
    with pytest.raises(RuntimeError):
        broken.ingest()
    assert s.store.generation == served
    assert len(s.store.all_chunks()) == count
    assert list((tmp_path / "index").glob("build-*")), "the abandoned build stays aside, never served"
    report, _ = services_for(tmp_path, small_corpus).ingest()
    assert report.updated == ["notes.md"]
    assert not list((tmp_path / "index").glob("build-*")), "abandoned builds are cleaned by the next writer"


def test_chunk_text_and_spans_match_the_source(tmp_path, small_corpus):
    s = services_for(tmp_path, small_corpus)
    s.ingest()
    for c in s.store.all_chunks():
        raw = (small_corpus / c.source).read_text(encoding="utf-8")
        assert 0 <= c.start < c.end <= len(raw)
        assert c.text.strip()
        words = [w for w in c.text.split()[:3] if w.isalpha()]
        for w in words:
            assert w in raw[c.start:c.end] or w in c.section or w in c.text
