"""Backup and restore of what a deployment keeps: the served index (embedded or on a Chroma server), uploaded
documents, saved work (conversations, assessments, drafts) and answer feedback, in one .tar.gz.

The index travels as plain records (assistant/index/portable.py), so a backup restores into either kind of index;
paths of uploaded documents are moved to this computer's uploads folder on restore (who owns an upload is decided by
where it lives). Restore refuses to overwrite an index or folders that already hold something, unless forced.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
import tempfile
import time
from pathlib import Path

FORMAT = 1
SKIP = (".lock",)  # lock files are per machine; temporary files of a writer in progress are never complete
FOLDERS = ("uploads", "sessions", "feedback")


def folders(settings) -> dict[str, Path]:
    """The folders a backup carries, by their name in the archive."""
    return {"uploads": Path(settings.corpus.uploads_dir), "sessions": Path(settings.sessions.dir),
            "feedback": Path(settings.feedback.dir)}


def backup(services, out: Path) -> dict:
    """Write the archive `out` (replaced in one step when complete); returns what it holds."""
    from assistant import __version__

    s = services.settings
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="assistant-backup-") as tmp:
        counts = services.store.export(Path(tmp) / "index")
        manifest = {"format": FORMAT, "version": __version__, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "index": {"from": services.store.location, "records": counts,
                              "documents": len(services.store.documents())},
                    "roots": {"corpus": str(Path(s.corpus.dir).resolve()),
                              "uploads": str(Path(s.corpus.uploads_dir).resolve())}}
        partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
        try:
            with tarfile.open(partial, "w:gz") as tar:
                data = json.dumps(manifest, indent=1).encode("utf-8")
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mtime = len(data), int(time.time())
                tar.addfile(info, io.BytesIO(data))
                tar.add(Path(tmp) / "index", arcname="index")
                for name, folder in folders(s).items():
                    files = _files(folder)
                    for path in files:
                        tar.add(path, arcname=f"{name}/{path.relative_to(folder).as_posix()}", recursive=False)
                    manifest[name] = len(files)
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def restore(services, archive: Path, force: bool = False) -> dict:
    """Restore the archive into the configured index and folders; returns its manifest plus what was restored."""
    s = services.settings
    targets = folders(s)
    if not force:
        busy = [f"the index ({services.store.location})"] if services.store.exists() else []
        busy += [str(p) for p in targets.values() if _files(p)]
        if busy:
            raise ValueError(f"not restoring over what is there already: {', '.join(busy)}. "
                             "Restore into empty folders, or pass --force to replace them.")
    with tempfile.TemporaryDirectory(prefix="assistant-restore-") as tmp:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(tmp, filter="data")  # refuses absolute paths, '..', links out and device files
        root = Path(tmp)
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise ValueError(f"{archive}: not a backup of this assistant (format {manifest.get('format')!r})")
        restored = {}
        for name, target in targets.items():
            restored[name] = _copy_tree(root / name, target)
        moves = {manifest["roots"]["uploads"]: str(Path(s.corpus.uploads_dir).resolve()),
                 manifest["roots"]["corpus"]: str(Path(s.corpus.dir).resolve())}
        restored["index"] = services.store.restore(root / "index", lambda state: _move_paths(state, moves))
    return {**manifest, "restored": restored}


def _files(folder: Path) -> list[Path]:
    if not Path(folder).is_dir():
        return []
    return sorted(p for p in Path(folder).rglob("*") if p.is_file() and p.name not in SKIP
                  and not p.name.endswith((".tmp", ".partial")))


def _copy_tree(source: Path, target: Path) -> int:
    n = 0
    for path in _files(source):
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
        n += 1
    return n


def _move_paths(state: dict, moves: dict[str, str]) -> dict:
    """The index state with document paths under the backed-up corpus and uploads folders moved to this computer's."""
    for rec in state.get("docs", {}).values():
        path = rec.get("path") or ""
        for old, new in moves.items():
            if old != new and (path == old or path.startswith(old.rstrip("/") + "/")):
                rec["path"] = new + path[len(old):]
                break
    return state
