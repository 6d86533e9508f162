"""Text of a Word (.docx) document read as a stream: memory stays bounded whatever the size of document.xml.

Paragraphs and table rows are emitted in body order and dropped from the parse tree as soon as they are read, so the
tree never holds more than one paragraph or table row; headings ("Heading N", "Title" styles) become Markdown
headings, table rows become tab-separated cells. Entities are not expanded and nothing is fetched.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import IO, Iterator

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
BODY_PART = "word/document.xml"
_SMALL_PART = 4 * 2**20  # styles.xml and core.xml are read whole; larger ones are ignored


class TextBudgetExceeded(ValueError):
    """The document holds more text than the caller allows."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(f"more than {limit:,} characters of text")


def read_docx(path: Path, max_chars: int) -> tuple[str, str]:
    """(text, title) of a .docx; KeyError/zipfile errors for a broken package, TextBudgetExceeded past max_chars."""
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        styles = _style_names(z) if "word/styles.xml" in names else {}
        title = _core_title(z) if "docProps/core.xml" in names else ""
        with z.open(BODY_PART) as fh:
            lines = list(_body_lines(fh, styles, max_chars))
    return "\n\n".join(lines), title


def _parser_args() -> dict:
    return {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


_TEXT = {W + "t": None, W + "tab": "\t", W + "ptab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}


def _top_level(el) -> bool:
    """True for an element directly in the body (or in a content control directly in the body)."""
    parent = el.getparent()
    while parent is not None and parent.tag == W + "sdtContent":
        sdt = parent.getparent()
        parent = sdt.getparent() if sdt is not None else None
    return parent is not None and parent.tag == W + "body"


def _body_lines(fh: IO[bytes], styles: dict[str, str], max_chars: int) -> Iterator[str]:
    """Body paragraphs and table rows as lines; every element is freed as soon as it ends."""
    from lxml import etree

    paras: list[dict] = []  # open paragraphs, innermost last
    cells: list[list[str]] = []  # open cells of top-level table rows
    rows: list[list[str] | None] = []  # open rows (None: a row of a nested table)
    used = 0
    for event, el in etree.iterparse(fh, events=("start", "end"), **_parser_args()):
        tag = el.tag
        if event == "start":
            if tag == W + "p":
                paras.append({"text": [], "style": "", "top": _top_level(el)})
            elif tag == W + "tr":
                rows.append([] if _top_level(el.getparent()) else None)
            elif tag == W + "tc" and rows and rows[-1] is not None:
                cells.append([])
            continue
        if tag in _TEXT and paras:
            piece = _TEXT[tag] if _TEXT[tag] is not None else (el.text or "")
            used += len(piece)
            if used > max_chars:
                raise TextBudgetExceeded(max_chars)
            paras[-1]["text"].append(piece)
        elif tag == W + "pStyle" and paras:
            paras[-1]["style"] = el.get(W + "val", "")
        elif tag == W + "p" and paras:
            p = paras.pop()
            text = "".join(p["text"]).strip()
            if text and p["top"]:
                yield _heading(text, p["style"], styles)
            elif text and cells:
                cells[-1].append(text)
            elif text and paras:  # a paragraph inside another (a text box): part of it
                paras[-1]["text"].append(" " + text)
        elif tag == W + "tc" and rows and rows[-1] is not None and cells:
            rows[-1].append("\n".join(cells.pop()))
        elif tag == W + "tr" and rows:
            row = rows.pop()
            if row and any(row):
                yield "\t".join(row)
        el.clear()
        while el.getprevious() is not None:  # drop what was read: the tree holds only the open elements
            del el.getparent()[0]


def _heading(text: str, style: str, styles: dict[str, str]) -> str:
    name = styles.get(style, style)
    m = re.match(r"heading ?(\d)$", name.lower())
    if m:
        return "#" * int(m.group(1)) + " " + text
    if name.lower() == "title":
        return "# " + text
    return text


def _small_xml(z: zipfile.ZipFile, name: str):
    from lxml import etree

    if z.getinfo(name).file_size > _SMALL_PART:
        return None
    try:
        return etree.fromstring(z.read(name), etree.XMLParser(**_parser_args()))
    except etree.XMLSyntaxError:
        return None


def _style_names(z: zipfile.ZipFile) -> dict[str, str]:
    root = _small_xml(z, "word/styles.xml")
    if root is None:
        return {}
    out = {}
    for s in root.iter(W + "style"):
        name = s.find(W + "name")
        if name is not None:
            out[s.get(W + "styleId", "")] = name.get(W + "val", "")
    return out


def _core_title(z: zipfile.ZipFile) -> str:
    root = _small_xml(z, "docProps/core.xml")
    el = root.find(_DC_TITLE) if root is not None else None
    return (el.text or "").strip() if el is not None else ""
