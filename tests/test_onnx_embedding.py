"""The ONNX embedder: same vectors as sentence-transformers on every corpus passage, the cached export named by the
model's fingerprint, built when missing or stale (with a progress line) or reported with the exact command."""

from __future__ import annotations

import filecmp
import shlex
import threading

import numpy as np
import pytest

from assistant.index.embeddings import DeferredEmbedder, EmbeddingUnavailable, FakeEmbedder, bundled_model_path
from assistant.index.onnx_cache import MEMO, OnnxModelFile, model_fingerprint
from assistant.wiring import build
from conftest import make_settings


@pytest.fixture
def tiny_model(tmp_path):
    """A folder with the files the fingerprint reads (small stand-ins: the fingerprint only hashes them)."""
    folder = tmp_path / "model"
    (folder / "1_Pooling").mkdir(parents=True)
    for name, text in (("config.json", "{}"), ("tokenizer.json", "{}"), ("model.safetensors", "weights"),
                       ("1_Pooling/config.json", '{"pooling_mode_mean_tokens": true}')):
        (folder / name).write_text(text)
    return folder


# ---- the cached file's name -----------------------------------------------------------------------------------
@pytest.mark.parametrize("changed", ["config.json", "tokenizer.json", "model.safetensors", "1_Pooling/config.json"])
def test_fingerprint_changes_with_every_model_file(tiny_model, changed):
    before = model_fingerprint(tiny_model)
    (tiny_model / changed).write_text((tiny_model / changed).read_text() + " ")
    after = model_fingerprint(tiny_model)
    assert before != after and len(after) == 12 and int(after, 16) >= 0


def test_fingerprint_memo_is_reused_only_while_the_files_are_unchanged(tiny_model, tmp_path):
    memo = tmp_path / "models" / MEMO
    first = model_fingerprint(tiny_model, memo)
    assert memo.exists() and model_fingerprint(tiny_model, memo) == first
    (tiny_model / "config.json").write_text('{"hidden_size": 384}')
    assert model_fingerprint(tiny_model, memo) == model_fingerprint(tiny_model) != first


def test_a_folder_without_model_files_is_reported(tmp_path):
    with pytest.raises(EmbeddingUnavailable, match="No embedding model files"):
        model_fingerprint(tmp_path)


# ---- missing, stale, unreadable: the exact command -------------------------------------------------------------
def test_missing_export_names_the_exact_command_when_building_is_off(tiny_model, tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    stale = folder / "minilm-000000000000.onnx"
    stale.write_bytes(b"an export of another model")
    model_file = OnnxModelFile(tiny_model, folder, build=False)
    with pytest.raises(EmbeddingUnavailable) as err:
        model_file.ensure()
    message = str(err.value)
    assert shlex.join(model_file.command()) in message
    assert model_file.command()[1:3] == ["-m", "assistant.index.onnx_export"]
    assert str(model_file.path.resolve()) in message and model_file.path.name != stale.name
    assert "1 export(s)" in message and "older recipe" in message
    assert stale.exists(), "nothing is deleted until the current export exists"


def test_an_existing_export_is_used_and_stale_ones_are_removed(tiny_model, tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    stale = folder / "minilm-000000000000.onnx"
    stale.write_bytes(b"old")
    model_file = OnnxModelFile(tiny_model, folder, build=False)
    model_file.path.write_bytes(b"current")
    assert model_file.ensure() == model_file.path
    assert not stale.exists() and model_file.stale() == []


def test_an_unreadable_export_names_the_command_that_rebuilds_it(tmp_path):
    from assistant.index.onnx_embedder import OnnxEmbedder

    model_file = OnnxModelFile(bundled_model_path(), tmp_path / "models", build=False)
    model_file.folder.mkdir()
    model_file.path.write_bytes(b"\x08\x07truncated protobuf")
    with pytest.raises(EmbeddingUnavailable) as err:
        OnnxEmbedder(model_file)
    assert "cannot be loaded" in str(err.value) and shlex.join(model_file.command()) in str(err.value)


def test_services_start_without_the_model_and_report_a_missing_export_on_first_use(tmp_path):
    settings = make_settings(tmp_path, fake=False)
    settings.embedding.onnx_build = False
    services = build(settings)
    services.store, services.retriever, services.library  # nothing here loads (or exports) the model
    assert not services.store.exists() and services.embedder.model_id == "sentence-transformers/all-MiniLM-L6-v2"
    with pytest.raises(EmbeddingUnavailable, match="assistant.index.onnx_export") as err:
        services.embedder.embed(["principal coaching"])
    assert str(tmp_path / "index" / "models") in str(err.value)


# ---- the deferred embedder ---------------------------------------------------------------------------------------
def test_deferred_embedder_builds_once_on_first_use_even_from_many_threads():
    built = []

    def factory():
        built.append(1)
        return FakeEmbedder()

    lazy = DeferredEmbedder(factory, "m", 64)
    assert built == [] and lazy.model_id == "m"
    threads = [threading.Thread(target=lazy.embed, args=(["a b"],)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert built == [1] and lazy.embed(["a b"]) == FakeEmbedder().embed(["a b"])


def test_deferred_embedder_retries_after_a_failed_build():
    attempts = []

    def factory():
        attempts.append(1)
        if len(attempts) == 1:
            raise EmbeddingUnavailable("not yet")
        return FakeEmbedder()

    lazy = DeferredEmbedder(factory, "m", 64)
    with pytest.raises(EmbeddingUnavailable):
        lazy.embed(["x"])
    assert lazy.embed(["x"]) == FakeEmbedder().embed(["x"]) and len(attempts) == 2


# ---- the real model ----------------------------------------------------------------------------------------------
@pytest.mark.integration
def test_onnx_and_sentence_transformers_agree_on_every_corpus_passage(real_services):
    from assistant.index.embeddings import MiniLMEmbedder
    from assistant.ingest.node_parsers import chunk_node, embed_text

    store = real_services.store
    texts = [embed_text(chunk_node(c)) for c in store.all_chunks()]  # exactly what the index build embeds
    assert len(texts) > 200
    texts += ["", "11a", "What does UVA-PLE say about principal supervisors?", "émoji 🙂 [SEP] " * 200]
    onnx = np.asarray(real_services.embedder.embed(texts))
    reference = np.asarray(MiniLMEmbedder().embed(texts))
    cosines = (onnx * reference).sum(axis=1) / np.linalg.norm(onnx, axis=1) / np.linalg.norm(reference, axis=1)
    worst = int(cosines.argmin())
    assert cosines.min() >= 0.9999, (cosines.min(), texts[worst][:80])
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)


@pytest.mark.integration
def test_a_missing_export_is_built_with_a_progress_line_and_replaces_stale_ones(real_index_dir, tmp_path):
    from assistant.index.onnx_embedder import OnnxEmbedder

    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "minilm-000000000000.onnx").write_bytes(b"an export of another model")
    killed = folder / ".minilm-000000000000.onnx.x1y2.tmp"
    killed.write_bytes(b"half an export")
    lines: list[str] = []
    model_file = OnnxModelFile(bundled_model_path(), folder, build=True, say=lines.append)
    embedder = OnnxEmbedder(model_file)
    assert [p.name for p in folder.glob("*.onnx")] == [model_file.path.name] and not killed.exists()
    assert lines[0].startswith("Preparing the search model") and str(model_file.path) in lines[0]
    assert lines[-1].startswith("Search model ready")
    session_export = next((real_index_dir / "index" / "models").glob("minilm-*.onnx"))
    assert session_export.name == model_file.path.name
    assert filecmp.cmp(session_export, model_file.path, shallow=False), "the export is deterministic"
    assert embedder.embed(["principal supervisors"]) == OnnxEmbedder(
        OnnxModelFile(bundled_model_path(), session_export.parent, build=False)).embed(["principal supervisors"])
