"""Readers and writers of the index: a search never waits for a document being indexed, it answers from the build
being served; a new build's search data is made by one caller while the others keep the last; the per-sentence work
of indexing grows with the text, not with its square."""

from __future__ import annotations

import random
import shutil
import threading

import pytest

from assistant.index.embeddings import FakeEmbedder
from assistant.index.sentence_table import embed_sentences
from assistant.retrieval import retriever as retriever_module
from assistant.retrieval.sentences import SentenceIndex
from assistant.types import Chunk
from assistant.wiring import build
from conftest import CORPUS, make_settings

MARKER = "zebrafinch"  # a word only the document being added holds
WAIT = 60  # seconds; only bounds a test that would otherwise hang on a blocked reader


class GatedEmbedder(FakeEmbedder):
    """The fake embedder, except that embedding the new document's text stops until the test releases it."""

    def __init__(self):
        self.writing = threading.Event()
        self.release = threading.Event()

    def embed(self, texts):
        if len(texts) > 0 and any(MARKER in t for t in texts) and not self.release.is_set():
            self.writing.set()
            self.release.wait(WAIT)
        return super().embed(texts)


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(CORPUS / "manifest.toml", folder)
    shutil.copy(CORPUS / "coherence-capacity-framework.txt", folder)
    (folder / "notes.md").write_text("# Coaching notes\n\nPrincipal supervisors coach principals every week.\n")
    return folder


def test_a_search_during_a_sync_answers_from_the_served_build(tmp_path, corpus):
    services = build(make_settings(tmp_path, fake=True, corpus=corpus))
    embedder = GatedEmbedder()
    services.__dict__["embedder"] = embedder
    services.ingest()
    before = services.store.generation
    new = tmp_path / "plan.txt"
    new.write_text(f"# District plan\n\nEvery {MARKER} principal meets a supervisor weekly to review goals.\n")

    writer = threading.Thread(target=services.ingest, args=([new],), daemon=True)
    writer.start()
    assert embedder.writing.wait(WAIT), "the writer never reached embedding"
    seen: dict = {}

    def read():
        seen["passages"] = services.retriever.search("principal supervisors coach", k=3)
        seen["documents"] = [d.source for d in services.store.documents()]
        seen["generation"] = services.store.generation
        seen["text"] = services.store.document_text(services.store.documents()[0].doc_id)
        seen["sentences"] = len(services.store.sentence_vectors())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(WAIT)
    finished_while_writing = not reader.is_alive() and not embedder.release.is_set()
    embedder.release.set()  # let the writer finish either way
    writer.join(WAIT)
    reader.join(WAIT)

    assert finished_while_writing, "a search waited for the document being indexed"
    assert seen["generation"] == before
    assert "plan.txt" not in seen["documents"] and "notes.md" in seen["documents"]
    assert seen["passages"] and all(MARKER not in p.chunk.text for p in seen["passages"])
    assert seen["text"] and seen["sentences"] > 0
    assert services.store.generation != before
    assert any(MARKER in p.chunk.text for p in services.retriever.search(f"{MARKER} principal supervisor", k=3))


def test_one_caller_builds_the_new_search_snapshot_while_the_others_keep_the_last(tmp_path, corpus, monkeypatch):
    services = build(make_settings(tmp_path, fake=True, corpus=corpus))
    services.ingest()
    retriever = services.retriever
    old = retriever.snapshot()
    (corpus / "more.md").write_text("# More notes\n\nSupervisors visit every school twice a term.\n")
    services.ingest()

    building, release = threading.Event(), threading.Event()
    real_of = retriever_module.SearchSnapshot.of

    def slow_of(*args, **kwargs):
        building.set()
        release.wait(WAIT)
        return real_of(*args, **kwargs)

    monkeypatch.setattr(retriever_module.SearchSnapshot, "of", slow_of)
    got: dict = {}
    builder = threading.Thread(target=lambda: got.setdefault("builder", retriever.snapshot()), daemon=True)
    builder.start()
    assert building.wait(WAIT)
    other = retriever.snapshot()  # would wait for the builder if callers queued behind it
    release.set()
    builder.join(WAIT)

    assert other is old
    assert got["builder"].generation == services.store.generation != old.generation
    assert retriever.snapshot() is got["builder"]
    assert "more.md" in {c.source for c in retriever.chunks()}


class RecordingEmbedder(FakeEmbedder):
    def __init__(self):
        self.calls: list[list[str]] = []

    def embed(self, texts):
        self.calls.append(list(texts))
        return super().embed(texts)


def test_sentences_are_embedded_in_batches_of_similar_length_and_kept_in_document_order():
    rng = random.Random(3)
    todo = [((f"d{i % 3}", i * 10, i * 10 + 9), " ".join("word" for _ in range(rng.randint(3, 60))))
            for i in range(700)]
    embedder = RecordingEmbedder()
    table = embed_sentences(embedder.embed, todo)

    assert list(table) == [key for key, _ in todo]
    assert sum(len(c) for c in embedder.calls) == len(todo)
    bounds = [(min(map(len, c)), max(map(len, c))) for c in embedder.calls]
    # Batches cover disjoint, increasing ranges of length: each pads only to texts of about its own length.
    assert all(hi <= nxt_lo for (_, hi), (nxt_lo, _) in zip(bounds, bounds[1:]))
    vec = dict(zip(*[[t for _, t in todo], FakeEmbedder().embed([t for _, t in todo])]))
    assert all(list(table[key]) == pytest.approx(vec[text], abs=1e-6) for key, text in todo)


def _chunk(doc, i, start, end, kind="passage"):
    return Chunk(chunk_id=f"{doc}-{i}", doc_id=doc, source=f"{doc}.txt", framework="F", start=start, end=end,
                 text="x", kind=kind)


def _exhaustive(chunks, keys):
    out = {}
    for doc, a, b in keys:
        inside = [c for c in chunks if c.doc_id == doc and c.start <= a and b <= c.end]
        holders = [c for c in inside if c.kind != "level"] or inside
        if holders:
            out[(doc, a, b)] = min(holders, key=lambda c: c.end - c.start).chunk_id
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_sentence_goes_to_its_tightest_chunk_as_an_exhaustive_search_would(seed):
    rng = random.Random(seed)
    chunks, keys = [], []
    for doc in ("a", "b"):
        for i in range(60):  # overlapping, nested and leveled chunks
            start = rng.randrange(0, 2000)
            chunks.append(_chunk(doc, i, start, start + rng.randrange(20, 600), rng.choice(["passage", "level"])))
        for _ in range(300):
            a = rng.randrange(0, 2400)
            keys.append((doc, a, a + rng.randrange(5, 120)))
    rng.shuffle(chunks)
    index = SentenceIndex(chunks, {k: [1.0, 0.0] for k in keys})
    got = {(c.doc_id, a, b): c.chunk_id for c, (a, b) in zip(index.owners, index.spans)}
    assert got == _exhaustive(chunks, keys)


class CountingChunk:
    """A chunk that counts how often its span is read (the unit of work of finding a sentence's chunk)."""

    reads = 0

    def __init__(self, chunk):
        self._chunk = chunk

    def __getattr__(self, name):
        if name in ("start", "end"):
            CountingChunk.reads += 1
        return getattr(self._chunk, name)


def test_finding_each_sentences_chunk_does_work_in_proportion_to_the_text():
    n_chunks, per_chunk = 2000, 8  # a long upload: thousands of chunks and sentences in one document
    chunks = [CountingChunk(_chunk("long", i, i * 800, i * 800 + 900)) for i in range(n_chunks)]
    keys = [("long", i * 100 + 5, i * 100 + 95) for i in range(n_chunks * per_chunk)]
    CountingChunk.reads = 0
    index = SentenceIndex(chunks, {k: [1.0] for k in keys})
    assert len(index.owners) == len(keys)
    assert CountingChunk.reads < 20 * (len(keys) + n_chunks)  # an all-pairs search reads ~2 × 16,000 × 2,000


def test_the_item_space_of_a_new_generation_is_built_by_one_caller_while_others_keep_the_last():
    from assistant.facilitation.vectors import CurrentSpace

    generation = ["gen-1"]
    building, release = threading.Event(), threading.Event()
    built: list[str] = []

    def build_space():
        if built:  # the first build is immediate; the second one stops until released
            building.set()
            release.wait(WAIT)
        built.append(generation[0])
        return f"space of {generation[0]}"

    spaces = CurrentSpace(build_space, lambda: generation[0])
    assert spaces.current() == "space of gen-1"
    generation[0] = "gen-2"
    got: dict = {}
    builder = threading.Thread(target=lambda: got.setdefault("builder", spaces.current()), daemon=True)
    builder.start()
    assert building.wait(WAIT)
    other = spaces.current()  # would wait on the builder if callers queued behind it
    release.set()
    builder.join(WAIT)
    assert other == "space of gen-1"
    assert got["builder"] == spaces.current() == "space of gen-2"
    assert built == ["gen-1", "gen-2"]
