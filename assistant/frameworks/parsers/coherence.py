"""Coherence & Capacity parser: 6 components, each with Purpose / Process Outcomes / Practices fields and
one child item per outcome and practice, recovered from a flattened 3-column table export."""

from __future__ import annotations

from assistant.frameworks.descriptor import Descriptor
from assistant.frameworks.model import Item
from assistant.frameworks.parsers.text import DEBRIS_LINES, Builder, drop_debris, lines
from assistant.text.clean import one_line, slugify

PREFIX = "coherence"
_NAME_WORDS = frozenset({"for", "and", "of"})
# The export keeps the table's column widths: Process Outcomes lines wrap at ~37 characters,
# Practices lines run to ~45-57. An entry whose longest line exceeds this is a practice.
PRACTICE_MIN_WIDTH = 42


def _is_name_line(text: str) -> bool:
    """A line of a component name ("Coherence", "Making", "Leading for"): short, title-cased."""
    words = text.split()
    return 0 < len(words) <= 3 and not text.startswith(" ") and len(text.strip()) <= 30 \
        and all(w[0].isupper() or w in _NAME_WORDS for w in words)


def _scan(raw: str) -> list[dict]:
    """Group content lines into components: name lines, purpose lines, and entries (each entry opens with
    a line indented by one space, the export's only trace of the table's bullet)."""
    comps: list[dict] = []
    prev_ended = True  # the previous content line closed a sentence (or nothing came yet)
    prev_name = False
    for a, b, t in lines(raw):
        body = t.rstrip()
        if not body.strip() or " ".join(body.split()) in DEBRIS_LINES:
            continue
        line = (a, a + len(body))
        if _is_name_line(body) and (prev_ended or prev_name):
            if not prev_name:
                comps.append({"name": [], "purpose": [], "entries": []})
            comps[-1]["name"].append(line)
            prev_name, prev_ended = True, False
            continue
        comp = comps[-1]
        if body.startswith(" ") and not body.startswith("  "):
            comp["entries"].append([line])
        elif comp["entries"]:
            comp["entries"][-1].append(line)  # continuation (sometimes after a blank line)
        else:
            comp["purpose"].append(line)
        prev_name, prev_ended = False, body.endswith(".")
    return comps


def parse(raw: str, framework: str, source: str) -> list[Item]:
    """All Coherence & Capacity items."""
    bld = Builder(raw, framework, source, PREFIX)
    for comp in _scan(raw):
        name = " ".join(" ".join(raw[a:b] for a, b in comp["name"]).split())
        outcomes, practices = [], []
        for entry in comp["entries"]:
            width = max(b - a for a, b in entry)
            if width > PRACTICE_MIN_WIDTH:
                practices.append(entry)
            elif practices:
                raise ValueError(f"{source}: {name}: an outcome-width entry follows the practices")
            else:
                outcomes.append(entry)
        if not (comp["purpose"] and outcomes and practices):
            raise ValueError(f"{source}: component {name!r} lacks a purpose, outcomes or practices")
        span = lambda group: (group[0][0][0], group[-1][-1][1])  # noqa: E731 - first line start, last line end
        fields = (bld.field("Purpose", comp["purpose"][0][0], comp["purpose"][-1][1]),
                  bld.field("Process Outcomes", *span(outcomes)),
                  bld.field("Practices", *span(practices)))
        slug = slugify(name)
        item = bld.add(slug, "component", name, comp["name"][0][0], practices[-1][-1][1], fields=fields)
        for kind, group in (("outcome", outcomes), ("practice", practices)):
            for n, entry in enumerate(group, 1):
                a, b = entry[0][0], entry[-1][1]
                bld.add(f"{slug}:{kind}-{n}", kind, one_line(drop_debris(bld.raw[a:b])), a, b, number=str(n),
                        parent=item)
    return bld.items


DESCRIPTOR = Descriptor(parser="coherence-capacity", prefix=PREFIX, parse=parse,
                        actionable_kinds=frozenset({"component", "practice", "outcome"}),
                        driver_kinds=frozenset({"practice"}),
                        parent_numbered_kinds=frozenset({"practice", "outcome"}))
