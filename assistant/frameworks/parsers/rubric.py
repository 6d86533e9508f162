"""Leadership System rubric parser: 6 areas > 19 practices > indicators, each with three level cells as Fields."""

from __future__ import annotations

import re

from assistant.frameworks.descriptor import Descriptor, SelfAssessment
from assistant.frameworks.identifiers import LEVELS
from assistant.frameworks.model import Item
from assistant.frameworks.parsers.text import DEBRIS_LINES, Builder, lines, title_case

PREFIX = "rubric"
_PRACTICE_CELL = re.compile(r"(\d+)\.\s+(.*\S)", re.S)
_INDICATOR_CELL = re.compile(r"(\d+)([a-z]?)")


def _is_area_heading(text: str) -> bool:
    s = text.strip()
    return bool(s) and "\t" not in s and s == s.upper() and any(c.isalpha() for c in s) \
        and " ".join(s.split()) not in DEBRIS_LINES


def _cells(raw: str, a: int, b: int) -> list[tuple[int, int]]:
    """Spans of the tab-separated cells of the row raw[a:b]."""
    spans, pos = [], a
    for part in raw[a:b].split("\t"):
        spans.append((pos, pos + len(part)))
        pos += len(part) + 1
    return spans


def parse(raw: str, framework: str, source: str) -> list[Item]:
    """All rubric items in document order."""
    bld = Builder(raw, framework, source, PREFIX)
    rows = list(lines(raw))
    first_area = next(i for i, (_, _, t) in enumerate(rows) if _is_area_heading(t))
    intro_start = next(a for a, _, t in rows if t.strip())
    bld.add("introduction", "section", "Introduction", intro_start, rows[first_area][0])

    # Pass 1: group rows into areas -> practices -> indicator rows (header rows are skipped).
    areas: list[dict] = []
    for a, b, t in rows[first_area:]:
        if _is_area_heading(t):
            areas.append({"start": a, "end": b, "heading": t.strip(), "practices": []})
        elif "\t" in t and " ".join(t.split()) not in DEBRIS_LINES:
            cells = _cells(raw, a, b)
            if len(cells) != 5:
                raise ValueError(f"{source}: expected 5 cells in row at {a}, got {len(cells)}")
            area = areas[-1]
            practice_cell = raw[cells[0][0]:cells[0][1]].strip()
            if practice_cell:
                area["practices"].append({"start": a, "cell": cells[0], "rows": []})
            elif not area["practices"]:
                raise ValueError(f"{source}: indicator row without a practice at {a}")
            # A row with an empty practice cell continues the previous practice (e.g. 12b after a repeated header).
            area["practices"][-1]["rows"].append(cells)
            area["end"] = b

    # Pass 2: build items.
    for n_area, area in enumerate(areas, 1):
        title = title_case(area["heading"])
        area_item = bld.add(f"area-{n_area}", "area", title, area["start"], area["end"], number=str(n_area))
        for pr in area["practices"]:
            m = _PRACTICE_CELL.fullmatch(raw[pr["cell"][0]:pr["cell"][1]].strip())
            if not m:
                raise ValueError(f"{source}: unnumbered practice at {pr['start']}")
            number, sentence = m.group(1), " ".join(m.group(2).split())
            last = pr["rows"][-1]
            practice = bld.add(f"practice-{number}", "practice", sentence, pr["start"], last[-1][1],
                               number=number, parent=area_item)
            for cells in pr["rows"]:
                ind = raw[cells[1][0]:cells[1][1]].strip()
                im = _INDICATOR_CELL.fullmatch(ind)
                if not im or im.group(1) != number:
                    raise ValueError(f"{source}: indicator {ind!r} does not belong to practice {number}")
                fields = tuple(bld.field(name, *cells[2 + i]) for i, name in enumerate(LEVELS))
                bld.add(ind, "indicator", f"Indicator {ind}", cells[2][0], cells[4][1], number=ind,
                        parent=practice, fields=fields)
    return bld.items


# Scale of a self-assessment against the rubric: "not yet started", then its three levels.
ASSESSMENT_SCALE = {0: "Not yet started", 1: LEVELS[0], 2: LEVELS[1], 3: LEVELS[2]}

DESCRIPTOR = Descriptor(
    parser="rubric", prefix=PREFIX, parse=parse, label="Rubric", levels=LEVELS,
    indicator_kind="indicator", practice_kind="practice", split_kinds=frozenset({"indicator"}),
    actionable_kinds=frozenset({"practice", "indicator"}), driver_kinds=frozenset({"practice"}),
    assessment=SelfAssessment(kind="indicator", group_kind="area", scale=ASSESSMENT_SCALE))
