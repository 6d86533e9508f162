"""Limits on a zip package (a .docx) checked before anything is unpacked: how many parts, how large unpacked.

The part count is read from the end-of-central-directory record itself, so a package with a million parts is refused
before `zipfile` builds a million entries; the unpacked sizes are the ones the package declares, which `zipfile`
also enforces while reading (a part that inflates past its declared size fails its check).
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"
_TAIL = 22 + 65535  # the record plus the longest archive comment


class ArchiveRefused(ValueError):
    """A package over a limit or unreadable; the message is for the person who chose the file."""


@dataclass(frozen=True)
class ArchiveLimits:
    max_parts: int = 2000
    max_unpacked: int = 256 * 2**20  # all parts together
    max_part: int = 64 * 2**20  # any one part we read (document.xml)


def declared_parts(path: Path) -> int:
    """The number of parts the package's central directory declares (ArchiveRefused when there is none)."""
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - _TAIL))
        tail = fh.read()
        at = tail.rfind(_EOCD)
        if at < 0 or len(tail) - at < 22:
            raise ArchiveRefused("not a valid package (no zip directory)")
        count = struct.unpack("<H", tail[at + 10:at + 12])[0]
        if count != 0xFFFF:
            return count
        loc = tail.rfind(_ZIP64_LOCATOR, 0, at)
        if loc < 0 or at - loc < 20:
            return count
        offset = struct.unpack("<Q", tail[loc + 8:loc + 16])[0]
        fh.seek(offset)
        record = fh.read(56)
        if len(record) < 56 or not record.startswith(_ZIP64_EOCD):
            raise ArchiveRefused("not a valid package (damaged zip64 directory)")
        return struct.unpack("<Q", record[32:40])[0]


def check_archive(path: Path, limits: ArchiveLimits, read: tuple[str, ...] = ()) -> None:
    """Refuse a package with too many parts, too much unpacked data, or a part in `read` too large to parse."""
    parts = declared_parts(path)
    if parts > limits.max_parts:
        raise ArchiveRefused(f"the package has {parts:,} parts (the limit is {limits.max_parts:,})")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ArchiveRefused(f"not a valid package ({exc})") from None
    total = sum(i.file_size for i in infos)
    if total > limits.max_unpacked:
        raise ArchiveRefused(f"it expands to {_mb(total)} when unpacked (the limit is {_mb(limits.max_unpacked)}); "
                             "it may be a decompression bomb")
    for info in infos:
        if info.filename in read and info.file_size > limits.max_part:
            raise ArchiveRefused(f"its text part {info.filename} expands to {_mb(info.file_size)} "
                                 f"(the limit is {_mb(limits.max_part)}); split the document")


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB" if n >= 2**20 else f"{n / 1024:,.0f} KB"
