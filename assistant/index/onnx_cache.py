"""The cached ONNX export of the embedding model: named by the model's fingerprint, built when missing or stale in
a child process (so the caller never imports torch), or reported with the exact command that builds it."""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import subprocess
import sys
import time
from functools import cached_property
from pathlib import Path
from typing import Callable

from assistant.index.embeddings import EmbeddingUnavailable
from assistant.index.filelock import exclusive
from assistant.index.onnx_export import EXPORT_RECIPE

PREFIX = "minilm-"
# The files that determine the model's output; those that exist are hashed into the fingerprint.
FINGERPRINT_FILES = ("model.safetensors", "pytorch_model.bin", "config.json", "tokenizer.json", "tokenizer_config.json",
                     "special_tokens_map.json", "vocab.txt", "sentence_bert_config.json", "modules.json",
                     "1_Pooling/config.json")
EXPORT_MODULE = "assistant.index.onnx_export"
MEMO = "fingerprint.json"


def model_fingerprint(model_dir: Path, memo: Path | None = None) -> str:
    """12 hex digits of SHA-256 over the export recipe and the model's weight, config and tokenizer files.
    With `memo`, the digest is remembered there and reused while every file keeps its size and mtime."""
    model_dir = Path(model_dir)
    files = [(rel, model_dir / rel) for rel in FINGERPRINT_FILES if (model_dir / rel).is_file()]
    if not files:
        raise EmbeddingUnavailable(f"No embedding model files under {model_dir} (config.json, model.safetensors …).")
    key = {"recipe": EXPORT_RECIPE, "dir": str(model_dir.resolve()),
           "files": [[rel, p.stat().st_size, p.stat().st_mtime_ns] for rel, p in files]}
    if memo is not None:
        try:
            remembered = json.loads(memo.read_text(encoding="utf-8"))
            if remembered.get("key") == key:
                return str(remembered["fingerprint"])
        except (OSError, ValueError, KeyError, AttributeError):
            pass
    digest = hashlib.sha256(EXPORT_RECIPE.encode())
    for rel, path in files:
        digest.update(f"\0{rel}\0{path.stat().st_size}\0".encode())
        with path.open("rb") as fh:
            digest.update(hashlib.file_digest(fh, "sha256").digest())
    fingerprint = digest.hexdigest()[:12]
    if memo is not None:
        _write_memo(memo, {"key": key, "fingerprint": fingerprint})
    return fingerprint


def _write_memo(memo: Path, data: dict) -> None:
    """Best effort: hashing 90 MB costs about 0.1 s per start, a read-only folder only loses that."""
    tmp = memo.with_name(f".{memo.name}.{os.getpid()}.tmp")
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, memo)
    except OSError:
        tmp.unlink(missing_ok=True)


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class OnnxModelFile:
    """The export of `model_dir` inside `folder` (minilm-<fingerprint>.onnx) and how to (re)build it."""

    def __init__(self, model_dir: Path, folder: Path, build: bool = True, say: Callable[[str], None] = _stderr):
        self.model_dir = Path(model_dir)
        self.folder = Path(folder)
        self.build = build  # False: never run the exporter, say what to run instead
        self._say = say

    @cached_property
    def path(self) -> Path:
        """Where this model's export lives (a different model file or recipe gives a different name)."""
        return self.folder / f"{PREFIX}{model_fingerprint(self.model_dir, self.folder / MEMO)}.onnx"

    def command(self) -> list[str]:
        """The command that (re)builds the file; it needs torch, transformers and onnx."""
        return [sys.executable, "-m", EXPORT_MODULE, "--model-dir", str(self.model_dir.resolve()),
                "--out", str(self.path.resolve())]

    def stale(self) -> list[Path]:
        """Exports in the folder made from other model files or by another recipe."""
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.glob(f"{PREFIX}*.onnx") if p.name != self.path.name)

    def ensure(self, rebuild: bool = False) -> Path:
        """The file's path, exporting it first when it is missing (or `rebuild`); raises EmbeddingUnavailable
        with the exact command to run when it may not (settings) or cannot be built here."""
        path = self.path
        if path.is_file() and not rebuild:
            self._drop_stale()
            return path
        if not self.build:
            raise EmbeddingUnavailable(self.explain(rebuild))
        self.folder.mkdir(parents=True, exist_ok=True)
        with exclusive(self.folder / ".export.lock"):  # one export at a time across processes (app + CLI)
            for tmp in self.folder.glob(f".{PREFIX}*.tmp"):  # we hold the lock: left by a killed export
                tmp.unlink(missing_ok=True)
            if rebuild or not path.is_file():  # another process may have built it while we waited
                self._export()
        self._drop_stale()
        return path

    def explain(self, unreadable: bool = False) -> str:
        """Why the file cannot be used and the command that fixes it."""
        what = (f"The ONNX export of the embedding model at {self.path} cannot be loaded" if unreadable
                else f"No ONNX export of the embedding model at {self.path}")
        stale = self.stale()
        why = (f" (the {len(stale)} export(s) in {self.folder} were made from other model files or by an older "
               f"recipe)" if stale and not unreadable else "")
        return (f"{what}{why}. Build it once (about 15 s; needs torch, transformers and onnx, which `pip install .` "
                f"installs) with:\n  {shlex.join(self.command())}\nor set ASSISTANT_EMBEDDING__KIND=minilm to embed "
                f"with sentence-transformers instead.")

    def _export(self) -> None:
        self._say(f"Preparing the search model (one-time export to ONNX, about 15 s): {self.path}")
        started = time.perf_counter()
        root = str(Path(__file__).resolve().parents[2])  # run this very copy of the package, not another install
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(x for x in (root, os.environ.get("PYTHONPATH")) if x)}
        proc = subprocess.run(self.command(), env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if proc.returncode != 0 or not self.path.is_file():
            detail = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
            raise EmbeddingUnavailable(f"Could not build the ONNX export of the embedding model: {detail}\n"
                                       + self.explain())
        self._say(f"Search model ready in {time.perf_counter() - started:.1f} s: {self.path.name}")

    def _drop_stale(self) -> None:
        for p in self.stale():  # a process still using an old file keeps reading it: unlink leaves it open
            p.unlink(missing_ok=True)
