"""The driver diagram as a PNG picture (for the Word file, which cannot hold a drawing of text): the same layout the
PDF draws, painted with Pillow in DejaVu Sans at print resolution."""

from __future__ import annotations

import io

from assistant.facilitation.diagram_layout import Style, layout
from assistant.facilitation.diagram_svg import ACCENT, EMPTY_TONE, LINE, MARK, TONES
from assistant.facilitation.plan_parts import DriverDiagram

PRINT = Style(width=468, font=8, head=8.5)  # points: 6.5 inches, the text width inside one-inch margins
SCALE = 4  # pixels per point (288 dpi)


def _font(size: float, bold: bool = False, italic: bool = False):
    from PIL import ImageFont

    from assistant.facilitation.pdf_layout import unicode_fonts

    fonts = unicode_fonts()
    if fonts is None:
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(str(fonts["B" if bold else "I" if italic else ""]), int(round(size)))


def to_png(diagram: DriverDiagram, style: Style = PRINT) -> tuple[bytes, float]:
    """(PNG bytes, width in points): the picture and how wide to place it."""
    from PIL import Image, ImageDraw

    lay = layout(diagram, style)
    s, k, m = lay.style, SCALE, 2
    img = Image.new("RGB", (int((lay.width + 2 * m) * k), int((lay.height + 2 * m) * k)), "white")
    draw = ImageDraw.Draw(img)

    def px(v: float) -> float:
        return (v + m) * k

    head = _font(s.head * k, bold=True)
    for x, y, lines in lay.heads:
        for n, line in enumerate(lines):
            draw.text((px(x), px(y + n * s.head * s.leading)), line, font=head, fill="#1e3a8a")
    for a, b, c, d in lay.lines:
        draw.line([(px(a), px(b)), (px(c), px(d))], fill=LINE, width=max(1, int(0.8 * k)))
    for box in lay.boxes:
        fill, border, ink = EMPTY_TONE if box.empty else TONES[box.node.kind]
        draw.rounded_rectangle([px(box.x), px(box.y), px(box.x + box.w), px(box.y + box.h)], radius=3 * k,
                               fill=fill, outline=border, width=max(1, int(0.7 * k)))
        bold = box.node.kind in ("aim", "primary")
        font = _font(s.font * k, bold=bold, italic=box.empty)
        y = box.y + s.pad
        for line in box.lines:
            draw.text((px(box.x + s.pad), px(y)), line, font=font, fill=ink)
            y += s.font * s.leading
        if box.marker:
            last = box.lines[-1] if box.lines else ""
            x = box.x + s.pad + font.getlength(last + " ") / k
            draw.text((px(x), px(y - s.font * s.leading)), box.marker, font=_font(s.font * 0.8 * k, bold=True),
                      fill=MARK.get(box.node.kind, ACCENT))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True, dpi=(72 * k, 72 * k))
    return buf.getvalue(), lay.width + 2 * m
