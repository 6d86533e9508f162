"""A PDF page as it looks, for "Open in document": the page rendered to an image (pypdfium2) with boxes over the
quoted words. The quotes come from the indexed text (pypdf's extraction), which can differ from pdfium's in line
breaks, hyphens and spacing, so words are matched, not characters."""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass, field

SCALE = 1.5  # 108 dpi: sharp enough to read, small enough to send (JPEG, ~100 KB a page)
_WORD = re.compile(r"\S+")


@dataclass
class PageImage:
    src: str  # data: URI of the rendered page
    width: int
    height: int
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # left, top, width, height in %
    found: int = 0  # how many of the quotes were located on the image


def _norm(word: str) -> str:
    return re.sub(r"[^\w]", "", word.lower())


def locate(page_words: list[str], quote: str) -> tuple[int, int] | None:
    """(first, last) index of the quote's words in the page's words, or None."""
    want = [w for w in (_norm(x) for x in _WORD.findall(quote)) if w]
    have = [_norm(w) for w in page_words]
    if not want:
        return None
    n = len(want)
    for i in range(len(have) - n + 1):
        if have[i] == want[0] and have[i:i + n] == want:
            return i, i + n - 1
    # Lines joined differently (a hyphenated word, a dropped space): match the page's run of words whose joined
    # letters equal the quote's.
    target = "".join(want)
    for i, w in enumerate(have):
        if not w or not target.startswith(w):
            continue
        joined, j = "", i
        while j < len(have) and len(joined) < len(target):
            joined += have[j]
            j += 1
        if joined == target:
            return i, j - 1
    return None


def render(path: str, number: int, quotes: list[str]) -> PageImage | None:
    """Page `number` (1-based) of the PDF at `path` with boxes over `quotes`; None when it cannot be rendered."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return None
    try:
        pdf = pdfium.PdfDocument(path)
        try:
            page = pdf[number - 1]
            pw, ph = page.get_size()
            text = page.get_textpage()
            full = text.get_text_range()
            words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(full)]
            boxes, found = [], 0
            for q in quotes:
                hit = locate([w for _, _, w in words], q)
                if hit is None:
                    continue
                found += 1
                a, b = words[hit[0]][0], words[hit[1]][1]
                for k in range(text.count_rects(a, b - a)):
                    left, bottom, right, top = text.get_rect(k)
                    boxes.append((100 * left / pw, 100 * (ph - top) / ph, 100 * (right - left) / pw,
                                  100 * (top - bottom) / ph))
            image = page.render(scale=SCALE).to_pil().convert("RGB")
        finally:
            pdf.close()
    except Exception:  # a damaged or changed file: the dialog shows the page's text instead
        return None
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=82, optimize=True)
    src = "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    return PageImage(src, image.width, image.height, boxes, found)
