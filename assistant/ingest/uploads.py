"""Adding and removing a person's own documents: safe names, type and size checks, all-or-nothing indexing.

Rules (also shown in the Documents tab):
- Accepted: .pdf, .docx, .txt, .md up to `settings.corpus.max_file_mb` each; the extension must match the file's
  contents (PDF magic bytes, a Word zip package, text without NUL bytes).
- File names are reduced to lowercase ``[a-z0-9-]`` plus the extension, so nothing can escape
  `settings.corpus.uploads_dir`; a name that would clash with a built-in framework document gets ``-upload``.
- Every file is read from a staging folder first; only files that load cleanly are indexed, in one
  `store.sync()` that builds a new index generation. If that fails, no file is moved into the uploads folder and the
  served index is untouched. An upload with the name of an earlier upload replaces it.
- Only uploaded documents can be removed here; the built-in framework documents are part of the product.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from assistant.ingest.loaders import SUPPORTED, doc_id_for

MAX_FILES_PER_BATCH = 20
MAX_NAME = 80

Progress = Callable[[float, str], None]  # (fraction 0..1, message)


@dataclass
class FileResult:
    """What happened to one uploaded file; `message` is written for the person who uploaded it."""

    name: str  # the name as uploaded
    ok: bool
    message: str
    stored_as: str = ""
    doc_id: str = ""
    status: str = ""  # "added", "updated", "unchanged", "failed"

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass
class UploadReport:
    results: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def added(self) -> list[FileResult]:
        return [r for r in self.results if r.ok]

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if not r.ok]


class UploadRefused(ValueError):
    """A removal or upload request that cannot be carried out; the message is for the user."""


# ---- names --------------------------------------------------------------------------------------------------
def sanitize_filename(name: str) -> str:
    """A safe file name: no folders, lowercase ascii ``[a-z0-9-]`` stem plus a lowercase extension."""
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:MAX_NAME].strip("-") or "document"
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:10]
    return f"{stem}.{ext}" if ext else stem


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


# ---- content checks -------------------------------------------------------------------------------------------
def check_file(path: Path, display_name: str, max_bytes: int) -> str | None:
    """None when the file may be read, else the reason it is refused (type, size, contents)."""
    ext = Path(display_name).suffix.lower()
    if ext not in SUPPORTED:
        shown = f"'{ext}'" if ext else "without an extension"
        return (f"unsupported file type {shown}; upload a PDF, Word (.docx), text (.txt) or Markdown (.md) file")
    try:
        size = path.stat().st_size
    except OSError:
        return "the upload could not be read; please try again"
    if size == 0:
        return "the file is empty"
    if size > max_bytes:
        return f"too large ({size / 2**20:.1f} MB; the limit is {max_bytes / 2**20:g} MB per file)"
    with open(path, "rb") as fh:
        head = fh.read(8192)
    if ext == ".pdf":
        if b"%PDF-" not in head[:1024]:
            return "the file is named .pdf but is not a PDF"
    elif ext == ".docx":
        if not head.startswith(b"PK\x03\x04"):
            return "the file is named .docx but is not a Word document (old .doc files are not supported; save as .docx)"
        try:
            with zipfile.ZipFile(path) as z:
                if "word/document.xml" not in z.namelist():
                    return "the file is named .docx but is not a Word document"
        except zipfile.BadZipFile:
            return "the Word document is damaged (not a valid .docx package)"
    else:
        if b"\x00" in head:
            return f"the file is named {ext} but is not plain text"
    return None


# ---- adding -----------------------------------------------------------------------------------------------------
def uploaded_documents(services) -> list:
    """Index records of documents that live in the uploads folder (the ones a person may remove)."""
    folder = services.settings.corpus.uploads_dir
    return [r for r in services.store.documents() if r.path and _inside(Path(r.path), folder)]


def add_uploads(services, files: Iterable[str | Path], progress: Progress | None = None,
                names: Iterable[str] | None = None) -> UploadReport:
    """Validate, load and index uploaded files; one bad file is reported and never touches the served index."""
    import time

    started = time.perf_counter()
    settings = services.settings.corpus
    uploads_dir = Path(settings.uploads_dir)
    max_bytes = int(settings.max_file_mb * 2**20)
    files = [Path(f) for f in files if f]
    names = list(names) if names is not None else [f.name for f in files]
    report = UploadReport()
    if not files:
        return report
    if len(files) > MAX_FILES_PER_BATCH:
        for name in names[MAX_FILES_PER_BATCH:]:
            report.results.append(FileResult(name, False, f"not added: at most {MAX_FILES_PER_BATCH} files per upload",
                                             status="failed"))
        files, names = files[:MAX_FILES_PER_BATCH], names[:MAX_FILES_PER_BATCH]

    existing = {r.doc_id: r for r in services.store.documents()}
    builtin_ids = {i for i, r in existing.items() if not (r.path and _inside(Path(r.path), uploads_dir))}
    builtin_names = {p.name.lower() for p in Path(settings.dir).glob("*")} if Path(settings.dir).is_dir() else set()
    taken: set[str] = set()
    staged: list[tuple[int, Path, str]] = []  # (result index, staged path, final name)
    staging = Path(tempfile.mkdtemp(prefix="assistant-upload-"))
    try:
        for src, shown in zip(files, names):
            shown = Path(str(shown)).name or "file"
            if progress:
                progress(0.02, f"Checking {shown}")
            reason = check_file(src, shown, max_bytes)
            if reason:
                report.results.append(FileResult(shown, False, reason, status="failed"))
                continue
            final = _free_name(sanitize_filename(shown), builtin_ids, builtin_names, taken)
            taken.add(final)
            dest = staging / final
            shutil.copyfile(src, dest)
            report.results.append(FileResult(shown, True, "", stored_as=final, doc_id=doc_id_for(final)))
            staged.append((len(report.results) - 1, dest, final))

        docs = []
        for n, (idx, path, final) in enumerate(staged, 1):
            res = report.results[idx]
            if progress:
                progress(0.05 + 0.15 * n / max(1, len(staged)), f"Reading {res.name}")
            loaded, errors = services.load([path])
            if errors or not loaded:
                res.ok, res.status = False, "failed"
                res.message = errors[0].reason if errors else "no readable content"
                continue
            doc = dataclasses.replace(loaded[0], path=str((uploads_dir / final).resolve()))
            docs.append((idx, path, final, doc))

        if docs:
            _index_and_keep(services, docs, report, uploads_dir, progress)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if progress:
        progress(1.0, "Done")
    report.seconds = time.perf_counter() - started
    return report


def _index_and_keep(services, docs: list, report: UploadReport, uploads_dir: Path,
                    progress: Progress | None) -> None:
    """Index the loaded uploads in one sync, then move each file into the uploads folder and report its outcome."""
    def on_progress(stage: str, done: int, total: int) -> None:
        if progress:
            frac = done / total if total else 1.0
            progress(0.2 + 0.78 * frac, f"Adding to the library: {done} of {total} passages")

    sync = services.store.sync([d for *_, d in docs], progress=on_progress)
    uploads_dir.mkdir(parents=True, exist_ok=True)
    records = {r.doc_id: r for r in services.store.documents()}
    for idx, path, final, doc in docs:
        target = uploads_dir / final
        if not _inside(target, uploads_dir):  # defence in depth: sanitize_filename makes this impossible
            raise UploadRefused(f"refusing to write outside the uploads folder: {final}")
        shutil.move(str(path), str(target))
        res = report.results[idx]
        rec = records.get(doc.doc_id)
        passages = rec.chunks if rec else 0
        n_pages = len(doc.pages)
        pages = f", {n_pages} page{'s' if n_pages != 1 else ''}" if n_pages else ""
        if doc.source in sync.unchanged:
            res.status, res.message = "unchanged", "already in the library (unchanged)"
        elif doc.source in sync.updated:
            res.status, res.message = "updated", f"replaced the earlier upload — {passages} passages{pages}"
        else:
            res.status, res.message = "added", f"added — {passages} passages{pages}"
        res.message = f"“{doc.title}”: {res.message}"


def _free_name(name: str, builtin_ids: set[str], builtin_names: set[str], taken: set[str]) -> str:
    """`name`, or `stem-upload[-n].ext` when it would clash with a built-in document or another file in the batch."""
    stem, _, ext = name.rpartition(".")
    candidate, n = name, 1
    while doc_id_for(candidate) in builtin_ids or candidate in builtin_names or candidate in taken:
        suffix = "-upload" if n == 1 else f"-upload-{n}"
        candidate = f"{stem}{suffix}.{ext}"
        n += 1
    return candidate


# ---- removing ---------------------------------------------------------------------------------------------------
def remove_upload(services, doc_id_or_name: str) -> str:
    """Remove one uploaded document (its passages, then its file); refuses built-in framework documents."""
    key = (doc_id_or_name or "").strip()
    if not key:
        raise UploadRefused("Choose a document to remove.")
    records = services.store.documents()
    rec = next((r for r in records if key in (r.doc_id, r.source, r.title)), None)
    if rec is None:
        raise UploadRefused(f"“{key}” is not in the library (it may have been removed already).")
    uploads_dir = Path(services.settings.corpus.uploads_dir)
    if not (rec.path and _inside(Path(rec.path), uploads_dir)):
        raise UploadRefused(f"“{rec.title}” is one of the built-in framework documents and can't be removed here.")
    services.store.remove([rec.doc_id])
    path = Path(rec.path)
    if _inside(path, uploads_dir):
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
    return f"Removed “{rec.title}” ({rec.chunks} passages) from the library."
