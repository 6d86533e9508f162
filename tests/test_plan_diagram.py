"""The driver diagram drawn without an index: the layout every renderer shares (text wrapped inside its box, boxes
inside their column and never overlapping, every box connected), the SVG for the page, the PNG for Word, and the
Mermaid text for Markdown (escaped labels, one node per box, the right links)."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest

from assistant.facilitation.diagram_layout import COLUMNS, Style, layout, text_width, wrap
from assistant.facilitation.diagram_png import to_png
from assistant.facilitation.diagram_svg import SCREEN, outline_html, to_svg
from assistant.facilitation.mermaid import to_mermaid
from assistant.facilitation.plan_parts import Band, DriverDiagram, Node

LONG = ("Redesign the principal supervisor role so that each supervisor coaches no more than eight principals and "
        "spends most of the week in schools with them")


def diagram(bets: int = 2, secondaries: int = 3, changes: int = 2, aim: str = "60% read on grade level by 2028",
            text: str = "Supervisors coach principals in classrooms") -> DriverDiagram:
    bands = [Band(b, Node("primary", f"Bet {b}: principal coaching", cites=[b]),
                  [Node("secondary", f"{text} {k}", cites=[10 + k]) for k in range(secondaries)],
                  [Node("change", f"Change idea {k}: {text}") for k in range(changes)]) for b in range(1, bets + 1)]
    return DriverDiagram(Node("aim", aim), bands, True, True)


CASES = {
    "typical": diagram(),
    "one bet, nothing under it": diagram(bets=1, secondaries=0, changes=0),
    "four bets, six drivers": diagram(bets=4, secondaries=6, changes=3),
    "long words": diagram(text="Interdepartmental-coordination-of-instructional-support " + LONG),
    "no aim yet": diagram(aim=""),
    "no bets": DriverDiagram(Node("aim", "60% by 2028"), []),
}


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("style", [SCREEN, Style(width=468, font=8, head=8.5), Style(width=700, font=11)])
def test_layout_keeps_text_inside_boxes_and_boxes_apart(name, style):
    lay = layout(CASES[name], style)
    s = lay.style
    for box in lay.boxes:
        assert 0 <= box.x and box.x + box.w <= lay.width + 0.01 and 0 <= box.y and box.y + box.h <= lay.height
        bold = box.node.kind in ("aim", "primary")
        for k, line in enumerate(box.lines):
            tail = text_width(" " + box.marker, s.font * 0.8, True) if k == len(box.lines) - 1 and box.marker else 0
            assert text_width(line, s.font, bold) + tail <= box.w - 2 * s.pad + 0.5, (name, line)
    for a in lay.boxes:
        for b in lay.boxes:
            if a is not b:
                apart = (a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y)
                assert apart, (name, a.node.text, b.node.text)
    ends = {(round(x, 3), round(y, 3)) for x1, y1, x2, y2 in lay.lines for x, y in ((x1, y1), (x2, y2))}
    for box in lay.boxes[1:] if CASES[name].bands else []:  # every box but a lone aim has a connector at its side
        sides = {(round(box.x, 3), round(box.cy, 3)), (round(box.x + box.w, 3), round(box.cy, 3))}
        assert sides & ends, (name, box.node.kind, box.node.text)


def test_empty_parts_say_what_is_missing():
    lay = layout(CASES["one bet, nothing under it"], SCREEN)
    empty = [" ".join(b.lines) for b in lay.boxes if b.empty]
    assert empty == ["Secondary drivers not named yet", "Change ideas not written yet"]
    assert " ".join(layout(CASES["no aim yet"], SCREEN).boxes[0].lines) == "The aim is not written yet"


@pytest.mark.parametrize("text, width, size", [(LONG, 120, 10), ("a " * 200, 80, 12), ("Supercalifragilistic" * 3, 40, 10)])
def test_wrap_fits_the_width_and_cuts_long_text(text, width, size):
    lines = wrap(text, width, size, max_lines=4)
    assert 1 <= len(lines) <= 4 and all(text_width(ln, size) <= width + 0.5 for ln in lines)
    if len(text.split()) > 20:
        assert lines[-1].endswith("…")


def test_svg_is_well_formed_text_with_sources_in_tooltips():
    from assistant.types import SourceRef

    ref = SourceRef("uva:condition-4", "UVA-PLE", "uva.txt", 0, 5, "District \"leaders\" & coaches", ("C4",))
    svg = to_svg(diagram(), lambda n: ref)
    root = ET.fromstring(svg)
    texts = re.sub(r"\s", "", "".join(root.itertext()))
    for words in ("Bet 1: principal coaching", "[11]", "District \"leaders\" & coaches", *COLUMNS):
        assert re.sub(r"\s", "", words) in texts, words
    assert root.get("role") == "img" and root.find("{http://www.w3.org/2000/svg}title") is not None
    sizes = [float(x) for x in re.findall(r'font-size="([\d.]+)"', svg)]
    assert min(sizes) >= 0.8 * SCREEN.font - 0.01  # markers are the smallest text


def test_outline_lists_every_box():
    html = outline_html(CASES["typical"])
    assert html.count("<li>") >= 2 * (3 + 2) and "Primary driver 2" in html and "[11]" in html


def test_png_is_a_print_resolution_picture():
    from PIL import Image

    png, width = to_png(CASES["four bets, six drivers"])
    img = Image.open(io.BytesIO(png))
    assert 400 <= width <= 480 and img.width >= 4 * width - 1 and img.height > img.width / 3
    assert len(set(img.convert("RGB").resize((60, 60)).get_flattened_data())) > 4  # drawn, not blank


@pytest.mark.parametrize("name", CASES)
def test_mermaid_has_one_node_per_box_and_the_right_links(name):
    d = CASES[name]
    text = to_mermaid(d)
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    nodes = [ln for ln in lines if re.match(r"\s+\w+\[|\s+\w+\(\[", ln)]
    assert len(nodes) == 1 + sum(1 + len(b.secondaries) + len(b.changes) for b in d.bands)
    links = [ln for ln in lines if "---" in ln]
    expected = sum(1 + len(b.secondaries) + (len(b.secondaries) * len(b.changes) if b.secondaries else len(b.changes))
                   for b in d.bands)
    assert len(links) == expected
    for ln in nodes:
        label = re.search(r'"(.*)"', ln).group(1)
        assert '"' not in label and "<" not in label.replace("<br/>", "") and ">" not in label.replace("<br/>", "")


def test_mermaid_escapes_what_would_break_a_label():
    d = DriverDiagram(Node("aim", 'Raise "proficiency" <fast> & well'), [])
    label = to_mermaid(d).splitlines()[1]
    assert "#quot;proficiency#quot;" in label and "#lt;fast#gt;" in label and "#amp;" in label
