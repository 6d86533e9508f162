"""UVA-PLE parser: overview, 4 levers, 13 conditions (Definition/Implications/Deepened Work), 4 vignettes, notes."""

from __future__ import annotations

import re

from assistant.frameworks.descriptor import Descriptor, SelfAssessment
from assistant.frameworks.model import Item
from assistant.frameworks.parsers.text import Builder, lines, paragraphs

PREFIX = "uva"
_CONDITION = re.compile(r"Condition (\d+): (.+)")
_LEVER = re.compile(r"Lever (\d+): (.+)")
_VIGNETTE = re.compile(r"Insight from the Field: (.+)")
_IMPLICATIONS = re.compile(r"Implications for District Leaders[’'] Practice (?:of|in) ")
_DEEPENED = re.compile(r"Deepened Work in ")
_LEVER_NAMES = re.compile(r"The levers are: ([^.]+)\.")
_SUPER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def _top_headings(raw: str) -> list[tuple[int, int, str]]:
    """Lines that open a top-level block: conditions, lever headings, vignettes, Notes."""
    return [(a, b, t.strip()) for a, b, t in lines(raw)
            if _CONDITION.fullmatch(t.strip()) or _LEVER.fullmatch(t.strip())
            or _VIGNETTE.fullmatch(t.strip()) or t.strip() == "Notes"]


def _heading_body(raw: str, line: tuple[int, int, str], rx: re.Pattern, title: str) -> int:
    """Where the body after a sub-heading starts. In conditions 8 and 12 the export put the
    "Implications ..." heading and its paragraph on ONE line: the body then starts after the title."""
    a, b, t = line
    rest = t[rx.match(t).end():]
    if rest.startswith(title) and rest[len(title):].strip():
        return a + (len(t) - len(rest)) + len(title)
    return b


def _condition_fields(bld: Builder, start: int, end: int, title: str):
    body = list(lines(bld.raw, start, end))[1:]
    imp = next(ln for ln in body if _IMPLICATIONS.match(ln[2]))
    deep = next(ln for ln in body if _DEEPENED.match(ln[2]))
    return (bld.field("Definition", body[0][0], imp[0]),
            bld.field("Implications", _heading_body(bld.raw, imp, _IMPLICATIONS, title), deep[0]),
            bld.field("Deepened Work", _heading_body(bld.raw, deep, _DEEPENED, title), end))


def parse(raw: str, framework: str, source: str) -> list[Item]:
    """All UVA-PLE items (levers first, then blocks in document order; the catalog sorts by span)."""
    bld = Builder(raw, framework, source, PREFIX)
    heads = _top_headings(raw)
    ends = [h[0] for h in heads[1:]] + [len(raw)]
    first = paragraphs(raw)[0][0]
    bld.add("overview", "section", "Overview", first, heads[0][0])

    names_m = _LEVER_NAMES.search(raw, first, heads[0][0])
    names = [re.sub(r"^and ", "", n.strip()) for n in names_m.group(1).split(",")]
    levers: list[Item] = []
    for n, name in enumerate(names, 1):
        head = next(((a, b, t) for a, b, t in heads if t.startswith(f"Lever {n}:")), None)
        if head is None:
            # Levers 1 and 2 have no heading in the export; their only anchor is the overview
            # sentence that names all four levers, so that sentence is their span.
            levers.append(bld.add(f"lever-{n}", "lever", name, names_m.start(), names_m.end(), number=str(n)))
            continue
        a, b, t = head
        nxt = next(h[0] for h in heads if h[0] > a)
        focus_at = t.find(name)
        focus = (a + focus_at + len(name), b) if focus_at >= 0 and t[focus_at + len(name):].strip() else None
        sub = paragraphs(raw, b, nxt)
        if focus is None and sub:  # Lever 4: the focus line is the paragraph under the heading
            focus = sub[0]
        end = focus[1] if focus else b
        fields = (bld.field("Focus", *focus),) if focus else ()
        levers.append(bld.add(f"lever-{n}", "lever", name, a, end, number=str(n), fields=fields))

    # Conditions belong to the lever whose block they sit in: a "Lever N" heading opens lever N,
    # and each lever's vignette closes it (Levers 1-2 have no heading, only the vignette boundary).
    current = 1
    for (a, b, t), end in zip(heads, ends):
        if (m := _LEVER.fullmatch(t)):
            current = int(m.group(1))
        elif (m := _CONDITION.fullmatch(t)):
            number, title = m.group(1), m.group(2).strip()
            bld.add(f"condition-{number}", "condition", title, a, end, number=number,
                    parent=levers[current - 1], fields=_condition_fields(bld, a, end, title))
        elif (m := _VIGNETTE.fullmatch(t)):
            rest = m.group(1)
            k = next(i for i, name in enumerate(names, 1) if rest.startswith(name))
            if k != current:
                raise ValueError(f"{source}: vignette for lever {k} inside lever {current}'s block")
            bld.add(f"vignette-{k}", "vignette", rest[len(names[k - 1]):].strip(), a, end, number=str(k),
                    parent=levers[k - 1])
            current = k + 1
        else:  # Notes: one field per footnote, numbered by its superscript marker
            notes = []
            for pa, pb in paragraphs(raw, b, end):
                mark = re.match(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", raw[pa:pb])
                if mark:
                    notes.append(bld.field(f"Note {mark.group(0).translate(_SUPER)}", pa, pb))
            bld.add("notes", "notes", "Notes", a, end, fields=tuple(notes))
    return bld.items


DESCRIPTOR = Descriptor(
    parser="uva-ple", prefix=PREFIX, parse=parse, actionable_kinds=frozenset({"condition"}),
    illustrative_kinds=frozenset({"vignette"}),
    driver_kinds=frozenset({"condition"}),
    assessment=SelfAssessment(kind="condition", group_kind="lever", describing_field="Definition",
                              scale={1: "Not in place", 2: "Emerging", 3: "Developing", 4: "Established"},
                              next_fields=((2, "Implications"), (3, "Deepened Work"))))
