"""Rubric self-assessment: current (and goal) level per indicator with evidence notes; the cited descriptor of the
current level and the next level's sentences as concrete next moves; summaries by area of focus; comparison of two
assessments; suggested priorities. Other frameworks' items can be rated on their own scales alongside (UVA-PLE's 13
conditions, 1-4). Which items are rated, on what scale, and which text describes a rating is the framework
package's knowledge (each framework's SelfAssessment); a scale is named by its framework's id prefix.

Saved as versioned JSON (`SCHEMA`, `VERSION`); `from_dict` rejects other schemas and newer versions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from assistant.facilitation.jsonfile import JsonFile
from assistant.frameworks import builtin_registry
from assistant.facilitation.library import Library
from assistant.types import SourceRef

SCHEMA = "district-assistant/assessment"
VERSION = 1


def _scale(name: str) -> dict[int, str]:
    d = builtin_registry().by_prefix(name)
    return dict(d.assessment.scale) if d is not None and d.assessment is not None else {}


def default_scale() -> str:
    """The scale rated unless another is chosen: the leveled rubric's (the first rated framework without one)."""
    rated = [d for d in builtin_registry().descriptors() if d.assessment is not None]
    return next((d.prefix for d in rated if d.leveled), rated[0].prefix if rated else "")


def _rated(item_id: str):
    found = builtin_registry().rated(item_id)
    if found is None:
        raise ValueError(f"{item_id!r} is not a rubric indicator or another item with a self-assessment scale")
    return found


def scale_of(item_id: str) -> dict[int, str]:
    return dict(_rated(item_id)[1].scale)


def scale_named(scale: str) -> dict[int, str]:
    """The rating names of a scale (named by its framework's id prefix); empty for an unknown name."""
    return _scale(scale)


def scale_words(scale: str) -> tuple[str, str]:
    """What a scale rates and what it groups by, in words: ("indicator", "area of focus"), ("condition", "lever")."""
    d = builtin_registry().by_prefix(scale)
    if d is None or d.assessment is None:
        return "item", "group"
    sa = d.assessment
    return sa.kind, ("area of focus" if d.leveled else sa.group_kind)


def scale_choices(catalog) -> dict[str, str]:
    """What can be rated, as display label ("Rubric indicators (28)") -> scale name, leveled rubric first."""
    out = {}
    fws = sorted(catalog.assessments(), key=lambda fw: not catalog.is_leveled(fw))
    for fw in fws:
        d = catalog.descriptor(fw)
        out[f"{catalog.display_name(fw)} {d.assessment.kind}s ({len(rated_items(catalog, d.prefix))})"] = d.prefix
    return out


def level_name(item_id: str, level: int | None) -> str:
    return "Not rated" if level is None else scale_of(item_id).get(level, str(level))


@dataclass
class Rating:
    item_id: str
    current: int | None = None
    goal: int | None = None
    evidence: str = ""

    def to_dict(self) -> dict:
        return {"item_id": self.item_id, "current": self.current, "goal": self.goal, "evidence": self.evidence}


@dataclass
class Assessment(JsonFile):
    title: str = "District self-assessment"
    district: str = ""
    date: str = field(default_factory=lambda: date.today().isoformat())
    ratings: dict[str, Rating] = field(default_factory=dict)
    focus_areas: list[str] = field(default_factory=list)  # rubric area / UVA lever ids the team cares about
    notes: str = ""
    rater: str = ""  # who rated (a team merges several people's assessments by this name)

    def rate(self, item_id: str, current: int | None = None, goal: int | None = None,
             evidence: str | None = None) -> Rating:
        """Set (part of) one rating, validating the level against the item's scale."""
        scale = scale_of(item_id)
        for name, value in (("current", current), ("goal", goal)):
            if value is not None and value not in scale:
                raise ValueError(f"{item_id}: {name} level {value} is not on the scale {sorted(scale)}")
        r = self.ratings.setdefault(item_id, Rating(item_id))
        if current is not None:
            r.current = current
        if goal is not None:
            r.goal = goal
        if evidence is not None:
            r.evidence = evidence.strip()
        return r

    # ---- JSON ----------------------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {"schema": SCHEMA, "version": VERSION, "title": self.title, "district": self.district,
                "date": self.date, "focus_areas": list(self.focus_areas), "notes": self.notes, "rater": self.rater,
                "ratings": [r.to_dict() for r in self.ratings.values()]}

    @classmethod
    def from_dict(cls, d: dict) -> "Assessment":
        if not isinstance(d, dict) or d.get("schema") != SCHEMA:
            raise ValueError("this file is not a saved self-assessment (schema missing or different)")
        if int(d.get("version", 0)) > VERSION:
            raise ValueError(f"this self-assessment was saved by a newer version (v{d['version']}); please update")
        a = cls(title=str(d.get("title") or cls.title), district=str(d.get("district") or ""),
                date=str(d.get("date") or ""), focus_areas=[str(x) for x in d.get("focus_areas") or []],
                notes=str(d.get("notes") or ""), rater=" ".join(str(d.get("rater") or "").split()))
        for r in d.get("ratings") or []:
            a.rate(str(r["item_id"]), _level(r.get("current")), _level(r.get("goal")), str(r.get("evidence") or ""))
        return a


def _level(v) -> int | None:
    return None if v is None or v == "" else int(v)


# ---- the catalog side ------------------------------------------------------------------------------------------
def rated_items(catalog, scale: str) -> list:
    """The items rated on a scale (named by its framework's id prefix), in document order."""
    out = []
    for fw in catalog.frameworks():
        d = catalog.descriptor(fw)
        if d.prefix == scale and d.assessment is not None:
            out += catalog.of_kind(d.assessment.kind, fw)
    return out


def group_of(catalog, item_id: str):
    """The group a rated item's ratings are summarised under (the rubric area, the UVA-PLE lever)."""
    want = _rated(item_id)[1].group_kind
    return next((a for a in catalog.ancestors(item_id) if a.kind == want), None)


def descriptor(lib: Library, item_id: str, level: int | None) -> SourceRef | None:
    """The cited text that describes `level`: the rubric cell, or a UVA condition's Definition (what 'in place'
    means). None for 'not rated' / 'not yet started'."""
    item = lib.item(item_id)
    if level is None or level <= 0:
        return None
    d, sa = _rated(item_id)
    if d.leveled:
        f = item.field(d.levels[min(level, len(d.levels)) - 1])
    else:
        f = item.field(sa.describing_field)
    return lib.ref(item, f.start, f.end) if f else None


@dataclass
class NextMoves:
    item_id: str
    target: str  # name of the next level ("Getting Better") or of the UVA field used
    whole: SourceRef | None  # the whole next-level cell / field
    moves: list[SourceRef]  # its sentences, each a concrete move


def next_moves(lib: Library, item_id: str, current: int | None) -> NextMoves | None:
    """What the next level asks for, sentence by sentence (None at the top of the scale)."""
    item = lib.item(item_id)
    d, sa = _rated(item_id)
    if d.leveled:
        nxt = 1 if current is None else current + 1
        if nxt > len(d.levels):
            return None
        name = d.levels[nxt - 1]
    else:
        name = next((field for upto, field in sa.next_fields if (current or 0) <= upto), None)
        if name is None:
            return None
    f = item.field(name)
    if f is None:
        return None
    raw = lib.raw(item.source)
    from assistant.text.sentences import sentence_spans

    moves = [lib.ref(item, a, b) for a, b in sentence_spans(raw, f.start, f.end) if len(raw[a:b].split()) >= 4]
    return NextMoves(item_id, name, lib.ref(item, f.start, f.end), moves or [lib.ref(item, f.start, f.end)])


# ---- summaries -------------------------------------------------------------------------------------------------
@dataclass
class GroupSummary:
    group_id: str
    label: str
    items: int
    rated: int
    current: float | None  # average level of rated items
    goal: float | None


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def summary(assessment: Assessment, lib: Library, scale: str | None = None) -> list[GroupSummary]:
    """Average current and goal level per rubric area (scale='rubric') or UVA-PLE lever (scale='uva')."""
    catalog = lib.catalog
    members = rated_items(catalog, scale or default_scale())
    groups: dict[str, list] = {}
    for item in members:
        g = group_of(catalog, item.id)
        if g is not None:
            groups.setdefault(g.id, []).append(item)
    out = []
    for gid, items in groups.items():
        rs = [assessment.ratings.get(i.id) for i in items]
        cur = [r.current for r in rs if r and r.current is not None]
        goal = [r.goal for r in rs if r and r.goal is not None]
        out.append(GroupSummary(gid, catalog.get(gid).label, len(items), len(cur), _mean(cur), _mean(goal)))
    return out


@dataclass
class Change:
    item_id: str
    label: str
    before: int | None
    after: int | None

    @property
    def change(self) -> int | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass
class Comparison:
    items: list[Change]
    groups: list[tuple[str, float | None, float | None]]  # (label, average before, average after)

    def improved(self) -> list[Change]:
        return [c for c in self.items if (c.change or 0) > 0]

    def declined(self) -> list[Change]:
        return [c for c in self.items if (c.change or 0) < 0]


def compare(before: Assessment, after: Assessment, lib: Library, scale: str | None = None) -> Comparison:
    """Growth over time: per-item change and per-area averages (items rated in either assessment)."""
    catalog = lib.catalog
    members = rated_items(catalog, scale or default_scale())
    items = []
    for item in members:
        b, a = before.ratings.get(item.id), after.ratings.get(item.id)
        if b is None and a is None:
            continue
        items.append(Change(item.id, lib.name(item), b.current if b else None, a.current if a else None))
    sb, sa = summary(before, lib, scale), summary(after, lib, scale)
    groups = [(x.label, x.current, y.current) for x, y in zip(sb, sa)]
    return Comparison(items, groups)


def item_text(lib: Library, item_id: str) -> str:
    """What an indicator or condition is about, in the framework's words and short enough to name it: a rubric
    indicator by its practice's statement (by its own first descriptor when the practice has several indicators),
    a UVA-PLE condition by its title."""
    from assistant.facilitation.placing import short_title
    from assistant.text.sentences import sentence_spans

    item = lib.item(item_id)
    if item.kind != "indicator":
        return short_title(item.title)
    practice = lib.catalog.get(item.parent) if item.parent else None
    siblings = [c for c in lib.catalog.children(practice.id) if c.kind == "indicator"] if practice else []
    if practice is not None and len(siblings) <= 1:
        return short_title(practice.title)
    f = item.fields[0] if item.fields else item
    try:
        raw = lib.raw(item.source)
    except KeyError:  # the document text is not indexed yet: the practice's statement names it for now
        return short_title(practice.title) if practice is not None else item.label
    first = next(iter(sentence_spans(raw, f.start, f.end)), (f.start, f.end))
    return short_title(" ".join(raw[first[0]:first[1]].split()))


def item_name(lib: Library, item_id: str) -> str:
    """'Indicator 3b — District leaders engage representative constituent groups', 'Condition 4 — …'."""
    item = lib.item(item_id)
    return f"{_rated(item_id)[1].kind.capitalize()} {item.number} — {item_text(lib, item_id)}"


@dataclass
class Priority:
    item_id: str
    label: str
    group: str
    current: int | None
    goal: int
    gap: int
    moves: NextMoves | None
    name: str = ""  # "Indicator 3b — District leaders engage …"

    @property
    def gap_text(self) -> str:
        """'gap 2: Getting Started → Keep Improving'."""
        return f"gap {self.gap}: {level_name(self.item_id, self.current)} → {level_name(self.item_id, self.goal)}"

    def suggestion(self, lib: Library) -> dict:
        """The priority as a suggestion to bet on (see placing.candidate)."""
        ref = self.moves.whole if self.moves and self.moves.whole else lib.defining(self.item_id)
        return {"item_id": self.item_id, "label": f"{self.name} ({self.gap_text})", "framework": ref.framework,
                "reason": ref.text, "citation": ref.to_dict(), "focus_id": "", "related": [],
                "title": item_text(lib, self.item_id)}


def priorities(assessment: Assessment, lib: Library, n: int = 5, areas: list[str] | None = None) -> list[Priority]:
    """Largest gaps between current and goal level, inside the areas the team cares about (default: its
    focus areas; all areas when none are chosen). Ties favour the lower current level, then document order."""
    catalog = lib.catalog
    focus = set(areas if areas is not None else assessment.focus_areas)
    order = {item.id: k for k, item in enumerate(catalog)}
    rows = []
    for r in assessment.ratings.values():
        if r.goal is None:
            continue
        g = group_of(catalog, r.item_id)
        if focus and (g is None or g.id not in focus):
            continue
        base = 0 if r.current is None else r.current
        gap = r.goal - base
        if gap <= 0:
            continue
        rows.append((-gap, base, order.get(r.item_id, 0), r, g))
    out = []
    for _, _, _, r, g in sorted(rows, key=lambda x: x[:3])[:n]:
        out.append(Priority(r.item_id, lib.name(r.item_id), g.label if g else "", r.current, r.goal,
                            r.goal - (r.current or 0), next_moves(lib, r.item_id, r.current),
                            item_name(lib, r.item_id)))
    return out
