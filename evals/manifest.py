"""Run provenance: git commit, settings, corpus and gold hashes, package versions, embedding model."""

from __future__ import annotations

import hashlib
import platform
import subprocess
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

PACKAGES = ("torch", "chromadb", "llama-index-core", "sentence-transformers", "gradio", "pypdf")
ROOT = Path(__file__).resolve().parent.parent


def git_commit(cwd: Path = ROOT) -> str | None:
    """HEAD's commit id, or None outside a git checkout / without git."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def hash_files(paths: list[Path], root: Path | None = None) -> str:
    """sha256 over (relative name, bytes) of the files, in sorted order."""
    h = hashlib.sha256()
    for p in sorted(Path(x) for x in paths):
        name = str(p.relative_to(root)) if root else p.name
        h.update(name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def corpus_hash(corpus_dir: Path) -> str:
    d = Path(corpus_dir)
    return hash_files([p for p in d.rglob("*") if p.is_file() and not p.name.startswith(".")], d)


def versions(packages=PACKAGES) -> dict[str, str | None]:
    out = {}
    for p in packages:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[p] = None
    return out


SECRET_KEYS = frozenset({"api_key", "auth", "password", "secret", "token", "access_token"})


def redacted(data):
    """Settings with secrets (API keys, auth pairs) replaced by '***' when set."""
    if isinstance(data, dict):
        return {k: ("***" if k.lower() in SECRET_KEYS and v else redacted(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [redacted(v) for v in data]
    return data


def build_manifest(settings, corpus_dir: Path, gold_path: Path, dataset_format: str, model_id: str,
                   argv: list[str] | None = None, index_dir: Path | None = None) -> dict:
    return {
        "created_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "command": " ".join(argv if argv is not None else sys.argv),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "settings": redacted(settings.model_dump(mode="json")) if settings is not None else None,
        "corpus_dir": str(corpus_dir),
        "corpus_hash": corpus_hash(corpus_dir),
        "index_dir": str(index_dir) if index_dir else None,
        "gold": str(gold_path),
        "gold_format": dataset_format,
        "gold_hash": hashlib.sha256(Path(gold_path).read_bytes()).hexdigest(),
        "packages": versions(),
        "embedding_model": model_id,
    }
