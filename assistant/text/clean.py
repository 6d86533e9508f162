"""Remove export debris (HTML, bullets, hard line breaks, footnote markers) from text shown to people."""

from __future__ import annotations

import re

_TAG = re.compile(r"</?(p|i|b|em|strong|ul|ol|li|br|span|div)(\s[^>]*)?/?>", re.I)
_BULLET = re.compile(r"(^|\s)[•✓\uf0b7▪◦●■]+(?=\s)")
_SUPERSCRIPT = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_MD = re.compile(r"\*{1,3}([^*\n]+?)\*{1,3}")
_LINK = re.compile(r"\[([^\]]+)\]\(#[^)]*\)")
_SENTENCE_END = re.compile(r"[.!?:;)\]”\"]$")


def clean(text: str) -> str:
    """Display-ready text: tags and bullets dropped, hard-wrapped lines joined, whitespace collapsed."""
    text = _TAG.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _MD.sub(r"\1", text)
    text = _SUPERSCRIPT.sub("", text)
    text = text.replace("\t", " ")
    text = _BULLET.sub(r"\1", text)
    text = re.sub(r"(?m)^\s*[-*]\s+", "", text)
    # Footnote digits glued to a sentence end ("onboarding school leaders.8").
    text = re.sub(r"(?<=[a-z][.])(\d{1,2})(?=\s|$)", "", text)
    text = unwrap(text)
    text = re.sub(r"[ \u00a0]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{2,}", "\n", text)
    return text.strip()


def unwrap(text: str) -> str:
    """Join hard line breaks inside sentences (lines wrapped at a fixed width by an export)."""
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        s = line.strip()
        if out and out[-1] and s and not _SENTENCE_END.search(out[-1]) and (s[0].islower() or s[0].isdigit() or out[-1].endswith(("-", ","))):
            prev = out[-1]
            out[-1] = prev + ("" if prev.endswith("-") and s[0].islower() and not prev.endswith(" -") else " ") + s
        else:
            out.append(s)
    return "\n".join(out)


def one_line(text: str) -> str:
    """Clean text flattened to a single line."""
    return re.sub(r"\s+", " ", clean(text)).strip()


_ABBREV = re.compile(r"\b(e\.g|i\.e|et al|etc|vs|Dr|Mr|Ms|Mrs|No|St|U\.S)\.$", re.I)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text`; list items and lines are sentences of their own."""
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text):
        line_start = m.start()
        line = m.group(0)
        start = 0
        for sm in re.finditer(r"[.!?][”\"')\]]*(?=\s+[A-Z“\"(])", line):
            end = sm.end()
            if _ABBREV.search(line[:end]):
                continue
            if line[start:end].strip():
                spans.append(_strip(text, line_start + start, line_start + end))
            start = end
        if line[start:].strip():
            spans.append(_strip(text, line_start + start, line_start + len(line)))
    return spans


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b
