"""The one sentence splitter: spans over exported source text (aware of hard wraps, tabs, HTML lists, inline
bullets, abbreviations) and sentences of composed text whose [n] citation markers stay with their sentence."""

from __future__ import annotations

import re

_ABBREV = re.compile(r"\b(e\.g|i\.e|et al|etc|vs|Dr|Mr|Ms|Mrs|No|St|U\.S|al)\.$", re.I)
_BULLET_START = re.compile(r"^\s*(?:[-*•✓\uf0b7]|\d{1,2}[.)]\s|\(?[a-d]\)\s|<li|<p>|<ul)")
_HARD_BREAK = re.compile(r"\t|\s*(?:<p>|</p>|<li>|</li>|<ul[^>]*>|</ul>|<br\s*/?>)\s*|\s[•✓\uf0b7]\s")
_END = re.compile(r"[.!?:;][”\"')\]*]*$")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences inside text[start:end], trimmed of whitespace, in order."""
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    for a, b in _segments(text, start, end):
        for sa, sb in _split_segment(text, a, b):
            sa, sb = _trim(text, sa, sb)
            if sb > sa and re.search(r"[A-Za-z0-9\u0600-\u06ff]", text[sa:sb]):
                out.append((sa, sb))
    return out


def _segments(text: str, start: int, end: int):
    """Pieces separated by hard boundaries: tabs, blank lines, HTML blocks, inline bullets, list lines."""
    pos = start
    for m in _HARD_BREAK.finditer(text, start, end):
        if m.start() > pos:
            yield from _lines(text, pos, m.start())
        pos = m.end()
    if pos < end:
        yield from _lines(text, pos, end)


def _lines(text: str, start: int, end: int):
    """Split at single newlines only where the wrap is not a continuation of the same sentence."""
    seg_start = start
    for m in re.finditer(r"\n(?:[ \t]*\n)*", text[start:end]):
        nl = start + m.start()
        prev = text[seg_start:nl].rstrip()
        nxt = text[start + m.end():end].lstrip(" ")
        last_line = prev.rsplit("\n", 1)[-1].strip()
        blank = m.group(0).count("\n") > 1
        # A blank line ends a paragraph unless the text plainly continues (lowercase after an unfinished line).
        continuation = bool(nxt) and bool(last_line) and not _BULLET_START.match(nxt) and not _END.search(last_line) and (
            nxt[:1].islower() if blank else (
                nxt[:1].islower() or nxt[:1].isdigit() or last_line.endswith((",", "-", "and", "or", "the", "of"))
                or len(last_line) > 45))
        if not continuation:
            yield seg_start, nl
            seg_start = start + m.end()
    yield seg_start, end


def _split_segment(text: str, start: int, end: int):
    pos = start
    for m in re.finditer(r"[.!?][”\"')\]*]*[¹²³⁴⁵⁶⁷⁸⁹⁰\d]{0,2}(?=\s+[A-Z“\"(])", text[start:end]):
        stop = start + m.end()
        head = text[pos:start + m.start() + 1]
        if _ABBREV.search(head) or re.fullmatch(r"\s*\d{1,2}\.", head):
            continue
        yield pos, stop
        pos = stop
    yield pos, end


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (text[a].isspace() or text[a] in "-*•✓\uf0b7"):
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


# Composed text (answers, generated drafts) marks its sources with [n]; a marker stays with the sentence it ends.
_MARKER = r"\[\d+(?:\s*[,;]\s*\d+)*\]"
_COMPOSED_END = re.compile(rf"(?:[.!?][\"')]*(?:\s*{_MARKER})*|{_MARKER}(?:\s*{_MARKER})*)(?=\s+[^\sa-z]|\s*$)")


def split_sentences(text: str) -> list[str]:
    """Sentences of composed text (an answer): every line on its own, split after . ! ? or a citation marker
    that ends a sentence; the markers stay with their sentence."""
    out: list[str] = []
    for line in (text or "").split("\n"):
        start = 0
        for m in _COMPOSED_END.finditer(line):
            piece = line[start:m.end()].strip()
            if piece:
                out.append(piece)
            start = m.end()
        rest = line[start:].strip()
        if rest:
            out.append(rest)
    return out
