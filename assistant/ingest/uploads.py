"""Adding and removing a person's own documents: safe names, type and size checks, all-or-nothing indexing.

Rules (also shown in the Documents tab):
- Accepted: .pdf, .docx, .txt, .md up to `settings.corpus.max_file_mb` each; the extension must match the file's
  contents (PDF magic bytes, a Word zip package, text without NUL bytes).
- File names are reduced to lowercase ``[a-z0-9-]`` plus the extension, so nothing can escape
  `settings.corpus.uploads_dir`; a name that would clash with a built-in framework document gets ``-upload``.
- An upload belongs to the person who made it (assistant/ingest/ownership.py): with sign-in it is stored in that
  person's folder and only they list, retrieve, replace or remove it.
- A Word package is checked (part count, unpacked size) before anything in it is unpacked; any file's extracted text
  is limited to `settings.corpus.max_text_chars`.
- Every file is read from a staging folder first; only files that load cleanly are indexed, in one
  `store.sync()` that builds a new index generation. If that fails, no file is moved into the uploads folder and the
  served index is untouched. An upload with the name of an earlier upload of the same person replaces it.
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

from assistant.ingest.archive import ArchiveLimits, ArchiveRefused, check_archive
from assistant.ingest.loaders import SUPPORTED, LoadLimits, doc_id_for
from assistant.ingest.ownership import SHARED

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
def check_file(path: Path, display_name: str, max_bytes: int, limits: LoadLimits | None = None) -> str | None:
    """None when the file may be read, else the reason it is refused (type, size, contents)."""
    limits = limits or LoadLimits()
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
            check_archive(path, ArchiveLimits(limits.max_parts, limits.max_unpacked, limits.max_xml),
                          read=("word/document.xml",))
            with zipfile.ZipFile(path) as z:
                if "word/document.xml" not in z.namelist():
                    return "the file is named .docx but is not a Word document"
        except ArchiveRefused as exc:
            return f"the Word document can't be read safely: {exc}"
        except zipfile.BadZipFile:
            return "the Word document is damaged (not a valid .docx package)"
    else:
        from assistant.ingest.loaders import looks_binary

        if looks_binary(head):
            return f"the file is named {ext} but is not plain text"
    return None


# ---- adding -----------------------------------------------------------------------------------------------------
def uploaded_documents(services, owner: str | None = None) -> list:
    """Index records of uploaded documents: every one (owner None, for administrators) or those `owner` may
    remove (their own; without sign-in, the shared uploads)."""
    folder = services.settings.corpus.uploads_dir
    records = [r for r in services.store.documents() if r.path and _inside(Path(r.path), folder)]
    if owner is None:
        return records
    return [r for r in records if services.ownership.removable(r.path, owner)]


def visible_documents(services, owner: str) -> list:
    """Index records of the documents `owner` may see: the shared library and their own uploads."""
    return [r for r in services.store.documents() if services.ownership.visible(r.path, owner)]


def add_uploads(services, files: Iterable[str | Path], progress: Progress | None = None,
                names: Iterable[str] | None = None, owner: str = SHARED) -> UploadReport:
    """Validate, load and index uploaded files as `owner`'s; one bad file is reported and never touches the
    served index."""
    import time

    started = time.perf_counter()
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
    root = Path(services.settings.corpus.uploads_dir)
    staging = _staging_folder(root)
    try:
        staged = _stage(services, files, names, owner, staging, report, progress)
        docs = _read_staged(services, staged, owner, report, progress)
        if docs:
            _index_and_keep(services, docs, report, services.ownership.folder(owner), progress)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        _remove_if_empty(staging.parent, root)
    if progress:
        progress(1.0, "Done")
    report.seconds = time.perf_counter() - started
    return report


def _stage(services, files: list[Path], names: list, owner: str, staging: Path, report: UploadReport,
           progress: Progress | None) -> list[tuple[int, Path, str]]:
    """Check each file and copy the acceptable ones into `staging` under their final names."""
    settings = services.settings.corpus
    root = Path(settings.uploads_dir)
    prefix = _relative(services.ownership.folder(owner), root)
    limits = services.load_limits()
    builtin_ids = {r.doc_id for r in services.store.documents() if not (r.path and _inside(Path(r.path), root))}
    builtin_names = {p.name.lower() for p in Path(settings.dir).glob("*")} if Path(settings.dir).is_dir() else set()
    taken: set[str] = set()
    staged: list[tuple[int, Path, str]] = []  # (result index, staged path, final name)
    for src, shown in zip(files, names):
        shown = Path(str(shown)).name or "file"
        if progress:
            progress(0.02, f"Checking {shown}")
        reason = check_file(src, shown, limits.max_bytes, limits)
        if reason:
            report.results.append(FileResult(shown, False, reason, status="failed"))
            continue
        final = _free_name(sanitize_filename(shown), builtin_ids, builtin_names, taken, prefix)
        taken.add(final)
        dest = staging / final
        shutil.copyfile(src, dest)
        report.results.append(FileResult(shown, True, "", stored_as=final, doc_id=doc_id_for(prefix + final)))
        staged.append((len(report.results) - 1, dest, final))
    return staged


def _read_staged(services, staged: list, owner: str, report: UploadReport, progress: Progress | None) -> list:
    """Load each staged file as the Document it will be indexed as; a file that fails is reported."""
    from assistant.ingest.loaders import LoadError, load_file

    folder = services.ownership.folder(owner)
    prefix = _relative(folder, Path(services.settings.corpus.uploads_dir))
    limits = services.load_limits()
    docs = []
    for n, (idx, path, final) in enumerate(staged, 1):
        res = report.results[idx]
        if progress:
            progress(0.05 + 0.15 * n / max(1, len(staged)), f"Reading {res.name}")
        try:
            doc = load_file(path, name=prefix + final, limits=limits)
        except LoadError as exc:
            res.ok, res.status, res.message = False, "failed", exc.reason
            continue
        except MemoryError:
            res.ok, res.status = False, "failed"
            res.message = "needs more memory to read than is available; split the document"
            continue
        except Exception as exc:  # a parser bug in a dependency: this file fails, the batch goes on
            res.ok, res.status, res.message = False, "failed", f"could not be read ({type(exc).__name__})"
            continue
        docs.append((idx, path, final, dataclasses.replace(doc, path=str((folder / final).resolve()))))
    return docs


STAGING = ".staging"  # under the uploads folder (hidden: never indexed); one sub-folder per writing process


def _staging_folder(root: Path) -> Path:
    """A fresh staging folder; folders left by processes that no longer run (a crash, kill -9) are removed."""
    base = root / STAGING
    base.mkdir(parents=True, exist_ok=True)
    for old in base.iterdir():
        pid = old.name.split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=base))


def _remove_if_empty(*folders: Path) -> None:
    """Remove folders left empty (the staging base, then the uploads folder itself when nothing was kept)."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:  # not empty, or gone
            pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but belongs to someone else
        return True
    return True


def _index_and_keep(services, docs: list, report: UploadReport, uploads_dir: Path,
                    progress: Progress | None) -> None:
    """Index the loaded uploads in one sync, then move each file into the uploads folder and report its outcome;
    a file that gave no searchable passage is taken out again and reported as unreadable."""
    def on_progress(stage: str, done: int, total: int) -> None:
        if progress:
            frac = done / total if total else 1.0
            progress(0.2 + 0.78 * frac, f"Adding to the library: {done} of {total} passages")

    sync = services.store.sync([d for *_, d in docs], progress=on_progress)
    uploads_dir.mkdir(parents=True, exist_ok=True)
    records = {r.doc_id: r for r in services.store.documents()}
    empty = []
    for idx, path, final, doc in docs:
        res = report.results[idx]
        rec = records.get(doc.doc_id)
        if rec is None or not rec.chunks:
            res.ok, res.status = False, "failed"
            res.message = "no extractable text: nothing in it could be searched (a scanned or image-only file?)"
            empty.append(doc.doc_id)
            continue
        target = uploads_dir / final
        if not _inside(target, uploads_dir):  # defence in depth: sanitize_filename makes this impossible
            raise UploadRefused(f"refusing to write outside the uploads folder: {final}")
        os.replace(path, target)  # staging is inside the uploads folder: same file system, atomic
        n_pages = len(doc.pages)
        pages = f", {n_pages} page{'s' if n_pages != 1 else ''}" if n_pages else ""
        if doc.source in sync.unchanged:
            res.status, res.message = "unchanged", "already in the library (unchanged)"
        elif doc.source in sync.updated:
            res.status, res.message = "updated", f"replaced the earlier upload — {rec.chunks} passages{pages}"
        else:
            res.status, res.message = "added", f"added — {rec.chunks} passages{pages}"
        res.message = f"“{doc.title}”: {res.message}"
    if empty:
        services.store.remove(empty)


def _relative(folder: Path, root: Path) -> str:
    """'users/<key>/' for a person's folder under the uploads root, '' for the root itself."""
    rel = Path(folder).relative_to(root).as_posix()
    return "" if rel == "." else rel + "/"


def _free_name(name: str, builtin_ids: set[str], builtin_names: set[str], taken: set[str], prefix: str = "") -> str:
    """`name`, or `stem-upload[-n].ext` when it would clash with a built-in document or another file in the batch."""
    stem, _, ext = name.rpartition(".")
    candidate, n = name, 1
    while (doc_id_for(prefix + candidate) in builtin_ids or (not prefix and candidate in builtin_names)
           or candidate in taken):
        suffix = "-upload" if n == 1 else f"-upload-{n}"
        candidate = f"{stem}{suffix}.{ext}"
        n += 1
    return candidate


# ---- removing ---------------------------------------------------------------------------------------------------
def remove_upload(services, doc_id_or_name: str, owner: str = SHARED) -> str:
    """Remove one of `owner`'s uploaded documents (its passages, then its file); refuses built-in framework
    documents and anybody else's uploads (which, to them, do not exist)."""
    if doc_id_or_name is not None and not isinstance(doc_id_or_name, str):
        raise UploadRefused("Choose a document to remove (by its id, file name or title).")
    key = (doc_id_or_name or "").strip()
    if not key:
        raise UploadRefused("Choose a document to remove.")
    records = visible_documents(services, owner)
    rec = next((r for r in records if key in (r.doc_id, r.source, r.title)), None)
    if rec is None:
        raise UploadRefused(f"“{key}” is not in the library (it may have been removed already).")
    uploads_dir = Path(services.settings.corpus.uploads_dir)
    if not (rec.path and _inside(Path(rec.path), uploads_dir)):
        raise UploadRefused(f"“{rec.title}” is one of the built-in framework documents and can't be removed here.")
    if not services.ownership.removable(rec.path, owner):
        raise UploadRefused(f"“{rec.title}” is shared with everyone by an administrator and can't be removed here.")
    services.store.remove([rec.doc_id])
    path = Path(rec.path)
    if _inside(path, uploads_dir):
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
    return f"Removed “{rec.title}” ({rec.chunks} passages) from the library."
