"""INSTLL parser: the 3-step pathway (catalyzing conditions, public-will criteria, 4 strategy areas with
actions) and the 2 core district functions with their elements; HTML table rows keep raw spans."""

from __future__ import annotations

import re

from assistant.frameworks.descriptor import Descriptor
from assistant.frameworks.model import Item
from assistant.frameworks.parsers.text import Builder, lines, paragraphs, strip_article, upper_first
from assistant.text.clean import slugify

PREFIX = "instll"
_STEP = re.compile(r"Step (\d+)")
_P_CELL = re.compile(r"<p>(?:<i>)?(.*?)(?:</i>)?</p>")
_UL = re.compile(r"<ul[^>]*>")
_BULLET = re.compile(r"•\s*([^•]*?)\s*(?=•|$)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _row(raw: str, a: int, b: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """One exported table row: spans of its <p> cells and of its " • "-separated list entries."""
    ul = _UL.search(raw, a, b)
    cells = [m.span(1) for m in _P_CELL.finditer(raw, a, ul.start() if ul else b)]
    bullets = [m.span(1) for m in _BULLET.finditer(raw, ul.end(), b)] if ul else []
    return cells, bullets


def parse(raw: str, framework: str, source: str) -> list[Item]:
    """All INSTLL items."""
    bld = Builder(raw, framework, source, PREFIX)
    pathway_at = bld.line("The Pathway to Accelerating Improvement")[0]
    functions_at = bld.line("Core District Functions", pathway_at)[0]
    source_note = paragraphs(raw, functions_at)[-1]  # the closing "Adapted from: Lane (2009)" line
    first = paragraphs(raw)[0][0]
    bld.add("accelerating-improvement", "section", "Accelerating Improvement for All Schools and Students",
            first, pathway_at)
    pathway = bld.add("pathway", "section", "The Pathway to Accelerating Improvement", pathway_at, functions_at)

    step_lines = [(a, b, m.group(1)) for a, b, t in lines(raw, pathway_at, functions_at)
                  if (m := _STEP.fullmatch(t.strip()))]
    ends = [a for a, _, _ in step_lines[1:]] + [functions_at]
    for (a, b, number), end in zip(step_lines, ends):
        paras = paragraphs(raw, b, end)
        title = " ".join(raw[slice(*paras[0])].split())
        step = bld.add(f"step-{number}", "step", title, a, end, number=number,
                       fields=(bld.field("Summary", *paras[1]),), parent=pathway)
        {"1": _catalyzing_conditions, "2": _criteria, "3": _strategies}[number](bld, step, paras[2:])

    core = bld.add("core-district-functions", "section", "Core District Functions", functions_at, source_note[0])
    for a, b, t in lines(raw, functions_at, source_note[0]):
        if not t.startswith("<p>"):
            continue
        cells, bullets = _row(raw, a, b)
        name = raw[slice(*cells[0])]
        func = bld.add(f"function-{slugify(name)}", "function", name, a, b, parent=core,
                       fields=(bld.field("Description", *cells[-1]),
                               bld.field("Elements", bullets[0][0], bullets[-1][1])))
        for ea, eb in bullets:
            title = raw[ea:eb].split(" — ", 1)[0].strip()
            bld.add(f"element-{slugify(title)}", "element", title, ea, eb, parent=func)
    bld.add("source", "notes", "Source", *source_note)
    return bld.items


def _catalyzing_conditions(bld: Builder, step: Item, paras: list[tuple[int, int]]) -> None:
    """Step 1: each condition is a heading paragraph followed by its "- " bullet list."""
    for k in range(0, len(paras) - 1, 2):
        (ha, hb), (_, lb) = paras[k], paras[k + 1]
        title = bld.raw[ha:hb].strip()
        local = slugify(strip_article(title))
        bld.add(local, "catalyzing-condition", title, ha, lb, parent=step,
                fields=(bld.field("Details", *paras[k + 1]),))


def _criteria(bld: Builder, step: Item, paras: list[tuple[int, int]]) -> None:
    """Step 2: the "- " bullets qualifying the coherent approach; each is titled by its bold phrase."""
    for pa, pb in paras:
        for a, b, t in lines(bld.raw, pa, pb):
            if t.startswith("- ") and (m := _BOLD.search(t)):
                title = upper_first(m.group(1))
                bld.add(f"criterion-{slugify(title)}", "criterion", title, a + 2, b, parent=step)


def _strategies(bld: Builder, step: Item, paras: list[tuple[int, int]]) -> None:
    """Step 3: one HTML row per strategy area: name, italic aim, and a bullet list of actions."""
    rows = [(a, b) for pa, pb in paras for a, b, t in lines(bld.raw, pa, pb) if t.startswith("<p>")]
    for n, (a, b) in enumerate(rows, 1):
        cells, bullets = _row(bld.raw, a, b)
        strategy = bld.add(f"strategy-{n}", "strategy", bld.raw[slice(*cells[0])], a, b, number=str(n),
                           parent=step, fields=(bld.field("Aim", *cells[1]),
                                                bld.field("Actions", bullets[0][0], bullets[-1][1])))
        for k, (xa, xb) in enumerate(bullets, 1):
            bld.add(f"strategy-{n}:action-{k}", "action", " ".join(bld.raw[xa:xb].split()), xa, xb,
                    number=str(k), parent=strategy)


DESCRIPTOR = Descriptor(
    parser="instll", prefix=PREFIX, parse=parse, inline_kinds=frozenset({"criterion", "action", "element"}),
    actionable_kinds=frozenset({"strategy", "action", "function", "element", "catalyzing-condition", "criterion",
                                "step"}),
    driver_kinds=frozenset({"action", "element"}))
