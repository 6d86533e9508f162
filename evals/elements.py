"""Which framework element (catalog item) a span falls in, so a citation into the same element as the gold
evidence (or its parent or child) counts as precise."""

from __future__ import annotations

from typing import Callable


def element_relation(catalog) -> Callable | None:
    """related(span, target) -> bool: same catalog item, or one is the other's parent; None without a catalog."""
    if catalog is None or not len(catalog):
        return None
    by_source: dict[str, list] = {}
    for item in catalog:
        by_source.setdefault(item.source, []).append(item)

    def item_at(source: str, start: int, end: int):
        mid = (start + end) // 2
        best = None
        for it in by_source.get(source, ()):
            if it.start <= mid < it.end and (best is None or it.end - it.start < best.end - best.start):
                best = it
        return best

    def related(span, target) -> bool:
        if not getattr(target, "located", False):
            return False
        a = item_at(span.source, span.start, span.end)
        b = item_at(target.doc, target.start, target.end)
        return bool(a and b and (a.id == b.id or a.parent == b.id or b.parent == a.id))

    return related
