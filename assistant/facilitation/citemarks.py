"""Citation markers inside text every export renders its own way: numbers travel between sentinels
("…grade-level texts\x003,4\x00") until a format turns them into superscripts, "[3][4]" or links."""

from __future__ import annotations

import re

CITE = "\x00"  # sentinel around citation numbers inside rendered text: "\x001,4\x00"


def marks(numbers) -> str:
    """Sentinel text for citation numbers ("" for none; zeros — not cited — are skipped)."""
    nums = [n for n in numbers if n]
    return f"{CITE}{','.join(map(str, nums))}{CITE}" if nums else ""


def segments(text: str) -> list[tuple[str, list[int]]]:
    """Split sentinel text into (plain text, []) and ("", [citation numbers]) pieces."""
    out: list[tuple[str, list[int]]] = []
    for k, piece in enumerate(text.split(CITE)):
        if k % 2 == 0:
            if piece:
                out.append((piece, []))
        elif piece:
            out.append(("", [int(n) for n in piece.split(",")]))
    return out


def plain(text: str, style: str = "brackets") -> str:
    """Sentinel text with markers rendered as '[1][4]' (or removed with style='none')."""
    return re.sub(f"{CITE}([0-9,]*){CITE}",
                  lambda m: "" if style == "none" else "".join(f"[{n}]" for n in m.group(1).split(",") if n), text)
