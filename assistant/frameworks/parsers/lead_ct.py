"""LEAD CT parser: intro sections, 4 coherence principles, 8 components, 7 systems, culture features,
school-leadership key conditions (a)-(d) and the 6 requirements for assembling coherence."""

from __future__ import annotations

import re

from assistant.frameworks.descriptor import Descriptor
from assistant.frameworks.model import Item
from assistant.frameworks.parsers.text import Builder, lines, paragraphs, strip_article, upper_first
from assistant.text.clean import slugify

PREFIX = "leadct"
# Section headings in order, with short stable ids.
SECTIONS = (
    ("call-for-coherence", "A Call for Coherence"),
    ("leading-for-coherence", "Leading for Coherence"),
    ("components", "District Leadership Capacity and Coherence Framework Components"),
    ("assembling-coherence", "Assembling Coherence and Capacity Out of Disparate Parts"),
)
_PRINCIPLE = re.compile(r"(\d+)\. \*\*(.+?)\.?\*\*")
_COMPONENT = re.compile(r"((?:[A-Z][a-z]+)(?: (?:[A-Z][a-z]+|of|and))*): ")
_SYSTEM = re.compile(r"(\d+)\. \*([^*]+)\*: ")
_REQUIREMENT = re.compile(r"(\d+)\. (.+)")
_TERMINAL = ".!?:;)”\""


def _sentence_paragraphs(bld: Builder, paras: list[tuple[int, int]], i: int) -> tuple[int, int]:
    """Span of paragraph i plus any following paragraphs it runs into. The export broke principle 1's
    description mid-sentence ("We call this a" / "District Leadership Theory of Action.")."""
    start, end = paras[i]
    while bld.raw[end - 1] not in _TERMINAL and i + 1 < len(paras):
        i += 1
        end = paras[i][1]
    return start, end


def _list_items(raw: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the '; '-separated items of an inline list raw[start:end], without the final
    item's leading "and " or the closing period."""
    spans, pos = [], start
    for piece in raw[start:end].split("; "):
        a, b = pos, pos + len(piece)
        pos = b + 2
        if raw.startswith("and ", a):
            a += 4
        if raw[b - 1] == ".":
            b -= 1
        spans.append((a, b))
    return spans


def parse(raw: str, framework: str, source: str) -> list[Item]:
    """All LEAD CT items."""
    bld = Builder(raw, framework, source, PREFIX)
    heads = []
    pos = 0
    for _, title in SECTIONS:
        a, b = bld.line(title, pos)
        heads.append((a, b))
        pos = b
    bounds = [h[0] for h in heads[1:]] + [len(raw)]
    sections = [bld.add(sid, "section", t, a, end) for (sid, t), (a, _), end in zip(SECTIONS, heads, bounds)]
    _, leading, components, assembling = sections

    # Principles: titles and numbers from the "Coherence Principles for Leaders" list; each
    # description is the paragraph that opens with "<title> —" (principle 1's precedes the list).
    paras = paragraphs(raw, leading.start, leading.end)
    for m in _PRINCIPLE.finditer(raw, leading.start, leading.end):
        number, title = m.group(1), m.group(2).strip()
        i = next(k for k, (a, _) in enumerate(paras) if raw.startswith(f"{title} —", a))
        bld.add(f"principle-{number}", "principle", title, *_sentence_paragraphs(bld, paras, i),
                number=number, parent=leading)

    # Components: paragraphs opening with "Name: " in the components section; a component runs
    # until the next one (Seven Systems includes its numbered list).
    starts = [(a, m.group(1)) for a, _ in paragraphs(raw, components.start, components.end)
              if (m := _COMPONENT.match(raw, a)) and not m.group(1).startswith("Figure")]
    ends = [a for a, _ in starts[1:]] + [components.end]
    for (a, name), end in zip(starts, ends):
        comp = bld.add(f"component-{slugify(name)}", "component", name, a, end, parent=components)
        if name == "Seven Systems":
            for la, lb, t in lines(raw, a, end):
                if (m := _SYSTEM.match(t)):
                    bld.add(f"system-{m.group(1)}", "system", m.group(2).strip(), la, lb, number=m.group(1),
                            parent=comp)
        elif name == "Culture":
            _culture_features(bld, comp)
        elif name == "School Leadership":
            _leadership_conditions(bld, comp)

    for la, lb, t in lines(raw, assembling.start, assembling.end):
        if (m := _REQUIREMENT.fullmatch(t.strip())):
            title = re.split(r"(?<=\.)\s", m.group(2), maxsplit=1)[0].rstrip(".")
            bld.add(f"requirement-{m.group(1)}", "requirement", title, la, lb, number=m.group(1),
                    parent=assembling)
    return bld.items


def _culture_features(bld: Builder, comp: Item) -> None:
    """"Prominent features of a healthy district culture include: urgency and efficacy (...); ...;
    and authentic collaboration (...)" -> one item per feature, span inside the paragraph."""
    intro = bld.find("include: ", comp.start, comp.end) + len("include: ")
    for a, b in _list_items(bld.raw, intro, comp.end):
        title = upper_first(bld.raw[a:b].split(" (", 1)[0].strip())
        bld.add(f"culture-{slugify(strip_article(title))}", "culture-feature", title, a, b, parent=comp)


def _leadership_conditions(bld: Builder, comp: Item) -> None:
    """"Key conditions include: (a) ...; (b) ...; (c) ...; and (d) ..." -> leadership-condition items."""
    intro = bld.find("Key conditions include: ", comp.start, comp.end) + len("Key conditions include: ")
    for a, b in _list_items(bld.raw, intro, comp.end):
        m = re.match(r"\(([a-z])\) ", bld.raw[a:b])
        if not m:
            raise ValueError(f"{bld.source}: key condition without a letter at {a}")
        clause = " ".join(bld.raw[a + m.end():b].split())
        # Short title: the clause's head noun phrase, before its qualifying "that/with/focused" tail.
        head = re.split(r" (?:that|with|focused) ", clause, maxsplit=1)[0]
        title = upper_first(strip_article(head))
        bld.add(f"leadership-condition-{m.group(1)}", "leadership-condition", title, a, b,
                number=m.group(1), parent=comp)


DESCRIPTOR = Descriptor(
    parser="lead-ct", prefix=PREFIX, parse=parse, inline_kinds=frozenset({"culture-feature", "leadership-condition"}),
    actionable_kinds=frozenset({"system", "component", "principle", "requirement", "leadership-condition",
                                "culture-feature"}),
    driver_kinds=frozenset({"system", "leadership-condition", "culture-feature"}))
