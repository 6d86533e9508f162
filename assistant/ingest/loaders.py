"""Load .txt/.md/.pdf/.docx files into Documents with stable ids, titles and page spans; errors name file and reason.

Every read is bounded (`LoadLimits`): bytes on disk, PDF pages, characters of extracted text, and for Word packages
the number of parts and their unpacked size, checked before anything is unpacked.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from assistant.ingest.chunking import has_content
from assistant.text.clean import slugify
from assistant.types import Document, PageSpan

SUPPORTED = (".txt", ".md", ".pdf", ".docx")
# A name already in slug form ("lead-ct.txt") keeps the plain slug as its id; any other name ("2023/plan.txt",
# "中文.txt", "My Plan.txt") gets a short hash of the exact name too, so two names never share an id.
_PLAIN_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]+")


@dataclass(frozen=True)
class LoadLimits:
    """What reading one file may cost; each limit is stated in the error that enforces it."""

    max_bytes: int = 25 * 2**20
    max_pages: int = 500
    max_chars: int = 3_000_000  # extracted text
    max_parts: int = 2000  # parts of a Word package
    max_unpacked: int = 256 * 2**20  # a Word package's parts together, unpacked
    max_xml: int = 64 * 2**20  # a Word package's text part, unpacked


class LoadError(Exception):
    """A file that cannot be read; str() is one line naming the file and the reason."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


@dataclass(frozen=True)
class ManifestEntry:
    file: str
    short: str
    title: str
    publisher: str = ""
    description: str = ""
    parser: str = ""  # the framework parser that catalogues this document (empty: none)


def read_manifest(corpus_dir: Path) -> dict[str, ManifestEntry]:
    """Entries of corpus_dir/manifest.toml by file name; empty when there is no manifest."""
    path = Path(corpus_dir) / "manifest.toml"
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = [ManifestEntry(**{k: str(v) for k, v in d.items()}) for d in data.get("document", [])]
    return {e.file: e for e in entries}


def doc_id_for(name: str) -> str:
    """Stable, distinct document id from a file's name relative to its folder ("2023/plan.txt"); extension
    included, so a.pdf and a.txt differ. Names not already in slug form carry a hash of the exact name."""
    slug = slugify(name) or "document"
    if _PLAIN_NAME.fullmatch(name):
        return slug
    return f"{slug}-{hashlib.sha256(name.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def corpus_files(paths: list[Path]) -> list[Path]:
    """Expand folders into their files (sorted, recursive), skipping manifests and hidden files."""
    return [f for f, _ in corpus_entries(paths)]


def corpus_entries(paths: list[Path]) -> list[tuple[Path, str]]:
    """(file, name) for every file: folders expanded (sorted, recursive; manifests, hidden files and links that
    lead outside the folder skipped) with names relative to the folder given; a file given directly keeps its
    own name."""
    out: list[tuple[Path, str]] = []
    for p in paths:
        p = Path(p)
        if not p.is_dir():
            out.append((p, p.name))
            continue
        root = p.resolve()
        for f in sorted(p.rglob("*")):
            rel = f.relative_to(p)
            if any(part.startswith(".") for part in rel.parts) or f.name == "manifest.toml" or not f.is_file():
                continue
            try:
                target = f.resolve()
            except (OSError, RuntimeError):  # a symlink loop
                continue
            if not _inside(target, root):  # a symlink out of the folder: not part of what was asked for
                continue
            out.append((f, rel.as_posix()))
    return out


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def load_file(path: Path, entry: ManifestEntry | None = None, max_bytes: int | None = None,
              max_pages: int | None = None, name: str | None = None, limits: LoadLimits | None = None) -> Document:
    """Read one file into a Document or raise LoadError with a clear reason; `name` is its name relative to the
    folder it was found in (the id and the source shown in citations)."""
    path = Path(path)
    name = name or path.name
    limits = limits or LoadLimits()
    if max_bytes is not None or max_pages is not None:
        limits = dataclasses.replace(limits, max_bytes=max_bytes or limits.max_bytes,
                                     max_pages=max_pages or limits.max_pages)
    max_bytes = limits.max_bytes
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise LoadError(path, f"unsupported file type '{suffix or 'none'}' (use {', '.join(SUPPORTED)})")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LoadError(path, f"cannot open file ({exc.strerror or exc})") from None
    if size == 0:
        raise LoadError(path, "the file is empty")
    if size > max_bytes:
        raise LoadError(path, f"too large ({size / 2**20:.1f} MB; the limit is {max_bytes / 2**20:.0f} MB)")
    raw = path.read_bytes()
    pages: tuple[PageSpan, ...] = ()
    meta_title = ""
    if suffix in (".txt", ".md"):
        text = _decode(path, raw)
    elif suffix == ".pdf":
        text, pages, meta_title = _read_pdf(path, limits)
    else:
        text, meta_title = _read_docx(path, limits)
    if len(text) > limits.max_chars:
        raise LoadError(path, _too_much_text(len(text), limits.max_chars))
    if not has_content(text):
        raise LoadError(path, "no extractable text (a scanned or image-only file?)")
    title = entry.title if entry else (meta_title or _guess_title(text, path))
    framework = entry.short if entry else title[:60]
    return Document(
        doc_id=doc_id_for(name),
        source=name,
        title=title,
        framework=framework,
        text=text,
        content_hash=hashlib.sha256(raw).hexdigest(),
        pages=pages,
        path=str(path),
    )


def load_paths(paths: list[Path], manifest: dict[str, ManifestEntry] | None = None,
               limits: LoadLimits | None = None) -> tuple[list[Document], list[LoadError]]:
    """Load every file; one bad file becomes a LoadError in the list and never stops the batch. Two files that
    would share an id (the same name given twice from different folders) are a clash: the second is reported."""
    docs: list[Document] = []
    errors: list[LoadError] = []
    manifest = manifest or {}
    seen: dict[str, Path] = {}
    for f, name in corpus_entries(paths):
        try:
            doc = load_file(f, manifest.get(name), name=name, limits=limits)
        except LoadError as exc:
            errors.append(exc)
            continue
        except MemoryError:
            errors.append(LoadError(f, "needs more memory to read than is available; split the document"))
            continue
        except Exception as exc:  # a parser bug in a dependency must not sink the batch
            errors.append(LoadError(f, f"could not be read ({type(exc).__name__}: {exc})"))
            continue
        other = seen.get(doc.doc_id)
        if other is not None:
            errors.append(LoadError(f, f"has the same name ({name}) as {other}; rename one of them, or add their "
                                       "folders instead of the files"))
            continue
        seen[doc.doc_id] = f
        docs.append(doc)
    return docs, errors


def _too_much_text(n: int | None, limit: int) -> str:
    size = f"{n:,} characters" if n else f"more than {limit:,} characters"
    # The default limit is what indexes within about five minutes on a two-core machine (evals/README.md).
    return (f"too much text ({size}; the limit is {limit:,}, about {limit // 3000:,} pages, so that a document "
            "indexes within minutes); split the document into parts")


def looks_binary(head: bytes) -> bool:
    """True when the first bytes of a file are not text (UTF-8, Windows-1252 or UTF-16)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in head and _bomless_utf16(head) is None


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # a byte-order mark: UTF-16 (Windows "Unicode" text)
        try:
            return raw.decode("utf-16").replace("\r\n", "\n")
        except UnicodeDecodeError:
            raise LoadError(path, "the text is marked as UTF-16 but is not valid UTF-16") from None
    if b"\x00" in raw[:4096]:
        encoding = _bomless_utf16(raw[:4096])
        if encoding is None:
            raise LoadError(path, "looks like a binary file, not text")
        try:
            return raw.decode(encoding).replace("\r\n", "\n")
        except UnicodeDecodeError:
            raise LoadError(path, "looks like a binary file, not text") from None
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc).replace("\r\n", "\n")
        except UnicodeDecodeError:
            continue
    raise LoadError(path, "text is not UTF-8, UTF-16 or Windows-1252")


def _bomless_utf16(head: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when text without a byte-order mark has a zero byte in every other place."""
    even, odd = head[0::2], head[1::2]
    if len(head) >= 4 and odd.count(0) >= 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if len(head) >= 4 and even.count(0) >= 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _read_pdf(path: Path, limits: LoadLimits) -> tuple[str, tuple[PageSpan, ...], str]:
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import PdfReadError

    # Tighter than pypdf's defaults: one page's content rarely inflates past a few MB; a PDF bomb does.
    with apply_configuration(zlib_maximum_output_length=PDF_STREAM_LIMIT,
                             maximum_declared_stream_length=PDF_STREAM_LIMIT,
                             stream_decoding_work_maximum_length=4 * PDF_STREAM_LIMIT):
        try:
            reader = PdfReader(str(path))
            if reader.is_encrypted:
                # Some PDFs are encrypted with an empty user password and open freely.
                try:
                    ok = reader.decrypt("")
                except Exception:
                    ok = 0
                if not ok:
                    raise LoadError(path, "the PDF is encrypted (password-protected); remove the password and "
                                          "upload again")
            n = len(reader.pages)
        except LoadError:
            raise
        except (PdfReadError, ValueError, OSError, KeyError, TypeError) as exc:
            raise LoadError(path, f"not a readable PDF ({exc})") from None
        if n > limits.max_pages:
            raise LoadError(path, f"too many pages ({n}; the limit is {limits.max_pages})")
        parts, spans = _pdf_pages(path, reader, limits.max_chars)
        try:
            meta_title = str((reader.metadata or {}).get("/Title") or "").strip()
        except Exception:
            meta_title = ""
    return "".join(parts), tuple(spans), meta_title if 3 <= len(meta_title) <= 150 else ""


PDF_STREAM_LIMIT = 16 * 2**20  # bytes one PDF stream may inflate to


def _pdf_pages(path: Path, reader, max_chars: int) -> tuple[list[str], list[PageSpan]]:
    """Each page's text with its span; decoded page contents are dropped after each page (bounded memory)."""
    parts: list[str] = []
    spans: list[PageSpan] = []
    offset = 0
    for i, page in enumerate(reader.pages, start=1):
        try:
            body = (page.extract_text() or "").replace("\r\n", "\n").strip()
        except MemoryError:
            raise
        except Exception:
            body = ""
        reader.resolved_objects.clear()  # pypdf keeps every decoded stream otherwise
        if i > 1:
            parts.append("\n\n")
            offset += 2
        spans.append(PageSpan(i, offset, offset + len(body)))
        parts.append(body)
        offset += len(body)
        if offset > max_chars:
            raise LoadError(path, _too_much_text(None, max_chars))
    return parts, spans


def _read_docx(path: Path, limits: LoadLimits) -> tuple[str, str]:
    import zipfile

    from assistant.ingest.archive import ArchiveLimits, ArchiveRefused, check_archive
    from assistant.ingest.docx_text import BODY_PART, TextBudgetExceeded, read_docx

    try:
        check_archive(path, ArchiveLimits(limits.max_parts, limits.max_unpacked, limits.max_xml), read=(BODY_PART,))
        return read_docx(path, limits.max_chars)
    except ArchiveRefused as exc:
        raise LoadError(path, f"not a readable DOCX: {exc}") from None
    except TextBudgetExceeded:
        raise LoadError(path, _too_much_text(None, limits.max_chars)) from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise LoadError(path, f"not a readable DOCX ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # lxml's XMLSyntaxError and friends
        if type(exc).__module__.startswith("lxml"):
            raise LoadError(path, f"not a readable DOCX (damaged XML: {exc})") from None
        raise


def _guess_title(text: str, path: Path) -> str:
    """A markdown/DOCX heading, else a short first line standing alone, else the file name."""
    heading = re.search(r"(?m)^#{1,2}\s+(.{3,120})$", text)
    if heading:
        return heading.group(1).strip()
    first = text.strip().split("\n\n", 1)[0].strip()
    if path.suffix.lower() in (".txt", ".md") and 3 <= len(first) <= 80 and "\n" not in first and \
            not first.endswith((".", ",", ";")):
        return first
    return path.stem.replace("_", " ").replace("-", " ").strip().capitalize()
