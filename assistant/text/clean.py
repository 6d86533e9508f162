"""Display text from exported source text: markup, bullets, footnote marks and hard wraps removed; slugs and short
forms for labels."""

from __future__ import annotations

import re

_BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|br|div)\b[^>]*>", re.I)
_TAG = re.compile(r"</?[a-z][^>]*>", re.I)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_STRIP = re.compile(f"[{_SUPERSCRIPTS}*]+")  # superscript footnote marks and markdown emphasis
_DOT_DIGIT = re.compile(r"\.\d")
# Bracketed reference numbers of research writing ("[15]", "[3, 7]", "[3-5]", "[2][4]"): the source's own notes,
# which must never read as this assistant's [n] citation markers once a sentence is quoted.
_BRACKET_REF = re.compile(r"[ \t]*\[\d{1,4}(?:\s*[-–,;]\s*\d{1,4})*\]")
# A plain footnote digit glued to a sentence end at the end of a line ("high-priority schools.8").
_TRAILING_NOTE = re.compile(r"([a-z)”\"]\.)\d{1,2}(?=[ \t]*$)", re.M)
# A list marker at a line start: "- ", "- ✓ ", "✓ ", "•" (inline bullets are moved to line starts first).
_MARKER = re.compile("(?:(?:- |[✓•\uf0b7]) ?)+")
_NUMBERED = re.compile(r"\d{1,2}\.\s")  # "1. Place your bets": a numbered list item keeps its own line
_TERMINAL = ".!?:;)”\"'"
_DANGLING = frozenset("a an the of and or to for with in by".split())  # no paragraph ends on these


def clean(raw: str) -> str:
    """Display text of a raw span: tags, bullets, markdown, footnote marks and bracketed reference numbers removed,
    wrapped lines joined;
    one line per paragraph, table cell or list item."""
    # Each pass is guarded by a cheap substring test: most spans need few of them (build time budget).
    s = raw
    if "](" in s:
        s = _LINK.sub(r"\1", s)
    if "<" in s:
        s = _TAG.sub("", _BLOCK_TAG.sub("\n", s))
    s = s.replace("\t", "\n\n")  # table cells are separate paragraphs
    s = s.replace("•", "\n•").replace("\uf0b7", "\n•")
    if "*" in s or any(ch in s for ch in _SUPERSCRIPTS):
        s = _STRIP.sub("", s)
    if "[" in s:
        s = _BRACKET_REF.sub("", s)
    if _DOT_DIGIT.search(s):
        s = _TRAILING_NOTE.sub(r"\1", s)
    blocks: list[list[str]] = [[]]
    for line in s.split("\n"):
        line = " ".join(line.split())
        marker = _MARKER.match(line)
        if marker:
            line = line[marker.end():]
        if not line:
            if blocks[-1]:
                blocks.append([])
            continue
        if marker or not blocks[-1] or _NUMBERED.match(line):
            blocks[-1].append(line)
        else:
            blocks[-1][-1] = _join(blocks[-1][-1], line)
    out: list[str] = []
    for block in (b for b in blocks if b):
        if out and _continues(out[-1], block[0]):
            out[-1] = _join(out[-1], block[0])
            block = block[1:]
        out.extend(block)
    return "\n".join(x for x in out if x)


def _join(prev: str, nxt: str) -> str:
    # A word hyphenated at a line end ("co-" / "learning") is one word.
    if prev.endswith("-") and not prev.endswith(" -") and nxt[:1].islower():
        return prev + nxt
    return prev + " " + nxt


def _continues(prev: str, nxt: str) -> bool:
    """A paragraph break that falls mid-sentence (the export broke a sentence over a blank line)."""
    if not prev or prev[-1] in _TERMINAL or prev[-1].isdigit():
        return False
    return nxt[:1].islower() or prev.rsplit(" ", 1)[-1] in _DANGLING or (len(prev) > 150 and prev[-1].isalpha())


def one_line(text: str) -> str:
    """Clean text flattened to a single line."""
    return " ".join(clean(text).split())


def squash(text: str) -> str:
    """Whitespace runs (newlines included) as single spaces, ends trimmed."""
    return " ".join(text.split())


def shorten(text: str, words: int = 16) -> str:
    """The first `words` words of text, with an ellipsis when cut."""
    parts = squash(text).split(" ")
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]).rstrip(",;:") + " …"


def slugify(text: str) -> str:
    """Lowercase ascii slug: "Focus on “how we do things”" -> 'focus-on-how-we-do-things' ('' when nothing is left)."""
    text = text.lower().replace("’", "").replace("'", "").replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")
