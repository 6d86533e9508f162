"""Load .txt/.md/.pdf/.docx files into Documents with stable ids, titles and page spans; errors name file and reason."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from assistant.text.clean import slugify
from assistant.types import Document, PageSpan

SUPPORTED = (".txt", ".md", ".pdf", ".docx")


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
    """Stable document id from a file name (extension included, so a.pdf and a.txt differ)."""
    return slugify(name) or "document"


def corpus_files(paths: list[Path]) -> list[Path]:
    """Expand folders into their files (sorted, recursive), skipping manifests and hidden files."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not f.name.startswith(".") and f.name != "manifest.toml":
                    out.append(f)
        else:
            out.append(p)
    return out


def load_file(path: Path, entry: ManifestEntry | None = None, max_bytes: int = 25 * 2**20,
              max_pages: int = 500, name: str | None = None) -> Document:
    """Read one file into a Document or raise LoadError with a clear reason."""
    path = Path(path)
    name = name or path.name
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
        text, pages, meta_title = _read_pdf(path, max_pages)
    else:
        text, meta_title = _read_docx(path)
    if not text.strip():
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


def load_paths(paths: list[Path], manifest: dict[str, ManifestEntry] | None = None, max_bytes: int = 25 * 2**20,
               max_pages: int = 500) -> tuple[list[Document], list[LoadError]]:
    """Load every file; one bad file becomes a LoadError in the list and never stops the batch."""
    docs: list[Document] = []
    errors: list[LoadError] = []
    manifest = manifest or {}
    for f in corpus_files(paths):
        try:
            docs.append(load_file(f, manifest.get(f.name), max_bytes=max_bytes, max_pages=max_pages))
        except LoadError as exc:
            errors.append(exc)
        except Exception as exc:  # a parser bug in a dependency must not sink the batch
            errors.append(LoadError(f, f"could not be read ({type(exc).__name__}: {exc})"))
    return docs, errors


def _decode(path: Path, raw: bytes) -> str:
    if b"\x00" in raw[:4096]:
        raise LoadError(path, "looks like a binary file, not text")
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc).replace("\r\n", "\n")
        except UnicodeDecodeError:
            continue
    raise LoadError(path, "text is not UTF-8 or Windows-1252")


def _read_pdf(path: Path, max_pages: int) -> tuple[str, tuple[PageSpan, ...], str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            # Some PDFs are encrypted with an empty user password and open freely.
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise LoadError(path, "the PDF is encrypted (password-protected); remove the password and upload again")
        n = len(reader.pages)
    except LoadError:
        raise
    except (PdfReadError, ValueError, OSError, KeyError, TypeError) as exc:
        raise LoadError(path, f"not a readable PDF ({exc})") from None
    if n > max_pages:
        raise LoadError(path, f"too many pages ({n}; the limit is {max_pages})")
    parts: list[str] = []
    spans: list[PageSpan] = []
    offset = 0
    for i, page in enumerate(reader.pages, start=1):
        try:
            body = (page.extract_text() or "").replace("\r\n", "\n").strip()
        except Exception:
            body = ""
        if i > 1:
            parts.append("\n\n")
            offset += 2
        spans.append(PageSpan(i, offset, offset + len(body)))
        parts.append(body)
        offset += len(body)
    try:
        meta_title = str((reader.metadata or {}).get("/Title") or "").strip()
    except Exception:
        meta_title = ""
    return "".join(parts), tuple(spans), meta_title if 3 <= len(meta_title) <= 150 else ""


def _read_docx(path: Path) -> tuple[str, str]:
    import zipfile

    try:
        import docx
    except ImportError:  # pragma: no cover - python-docx is a dependency
        raise LoadError(path, "DOCX support needs python-docx") from None
    from docx.opc.exceptions import PackageNotFoundError

    try:
        d = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as exc:
        raise LoadError(path, f"not a readable DOCX ({exc})") from None
    lines: list[str] = []
    for para in d.paragraphs:
        text = para.text.strip()
        if not text:
            continue
        style = (para.style.name or "").lower() if para.style is not None else ""
        m = re.match(r"heading (\d)", style)
        if m:
            text = "#" * int(m.group(1)) + " " + text
        elif style == "title":
            text = "# " + text
        lines.append(text)
    for table in d.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            if any(cells):
                lines.append("\t".join(cells))
    title = (d.core_properties.title or "").strip()
    return "\n\n".join(lines), title


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
