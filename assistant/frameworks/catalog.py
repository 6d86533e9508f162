"""The framework catalog: all parsed items in document order, with navigation, lookup and JSON export."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator, Mapping

from assistant.frameworks.descriptor import PLAIN, Descriptor, SelfAssessment
from assistant.frameworks.model import Item
from assistant.frameworks.registry import Registry, builtin_registry

DEFAULT_CORPUS_DIR = Path(__file__).resolve().parents[2] / "corpus"


class Catalog:
    """Items of every framework in document order (manifest order, then by span within a file)."""

    def __init__(self, items: Iterable[Item], documents: Iterable[dict] = (),
                 descriptors: Mapping[str, Descriptor] | None = None):
        self.documents: tuple[dict, ...] = tuple(documents)
        self.items: tuple[Item, ...] = tuple(items)
        self._descriptors = dict(descriptors or {})  # by framework short name
        self._numbered: dict[tuple[str, str], Item] = {}
        self._by_id: dict[str, Item] = {}
        self._children: dict[str | None, list[Item]] = {}
        for item in self.items:
            if item.id in self._by_id:
                raise ValueError(f"duplicate catalog id {item.id!r}")
            self._by_id[item.id] = item
            self._children.setdefault(item.parent, []).append(item)
        missing = [i.id for i in self.items if i.parent is not None and i.parent not in self._by_id]
        if missing:
            raise ValueError(f"items with unknown parents: {missing}")
        for item in self.items:
            if self.is_leveled(item.framework):
                self._numbered.setdefault((item.kind, item.number), item)

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._by_id

    def get(self, item_id: str) -> Item | None:
        """The item with this id, or None."""
        return self._by_id.get(item_id)

    def children(self, item_id: str | None) -> list[Item]:
        """Direct children in document order; children(None) gives the roots."""
        return list(self._children.get(item_id, ()))

    def parent(self, item_id: str) -> Item | None:
        """The parent item, or None for roots and unknown ids."""
        item = self._by_id.get(item_id)
        return self._by_id.get(item.parent) if item and item.parent else None

    def ancestors(self, item_id: str) -> list[Item]:
        """Ancestors root first, excluding the item itself."""
        out: list[Item] = []
        p = self.parent(item_id)
        while p is not None:
            out.append(p)
            p = self.parent(p.id)
        return out[::-1]

    def descendants(self, item_id: str) -> list[Item]:
        """All items below `item_id`, depth-first in document order."""
        out: list[Item] = []
        for child in self.children(item_id):
            out.append(child)
            out.extend(self.descendants(child.id))
        return out

    def of_kind(self, kind: str, framework: str | None = None) -> list[Item]:
        """Items of `kind` (optionally only one framework's, by short name), in document order."""
        return [i for i in self.items if i.kind == kind and (framework is None or i.framework == framework)]

    def frameworks(self) -> list[str]:
        """Short names of the frameworks that have items, in manifest order."""
        return list(dict.fromkeys(i.framework for i in self.items))

    def items_for_source(self, source: str) -> list[Item]:
        """Items parsed from the corpus file `source`, in document order."""
        return [i for i in self.items if i.source == source]

    # ---- what the generic layers ask about frameworks ------------------------------------------------------
    def descriptor(self, framework: str) -> Descriptor:
        """The descriptor of a framework (by short name); uploads and unknown names get a plain one."""
        return self._descriptors.get(framework, PLAIN)

    def is_leveled(self, framework: str) -> bool:
        """True for a leveled rubric (indicators described at each level)."""
        return self.descriptor(framework).leveled

    def levels(self) -> tuple[str, ...]:
        """The level names of the leveled rubric(s), lowest first; empty when there is none."""
        return next((d.levels for d in self._descriptors.values() if d.leveled), ())

    def leveled_item(self, kind: str, number: str) -> Item | None:
        """The item of `kind` numbered `number` in a leveled rubric ("indicator", "11a"), or None."""
        return self._numbered.get((kind, number))

    def is_actionable(self, item: Item) -> bool:
        """True for items a district can act on (practices, conditions, strategies), not context or prose."""
        return item.kind in self.descriptor(item.framework).actionable_kinds

    def illustrative_kinds(self) -> frozenset[str]:
        """Kinds that tell stories or give examples (field vignettes) rather than state what a framework holds."""
        return frozenset().union(*(d.illustrative_kinds for d in self._descriptors.values()))

    def is_driver(self, item: Item) -> bool:
        """True for items that can carry a bet in a driver diagram (systems, conditions, practices)."""
        return item.kind in self.descriptor(item.framework).driver_kinds

    def display_name(self, framework: str) -> str:
        """The short name compact item names start with ("Rubric", "UVA-PLE")."""
        return self.descriptor(framework).label or framework

    def assessments(self) -> dict[str, SelfAssessment]:
        """Self-assessment scales by framework short name, for the frameworks that have one."""
        return {fw: d.assessment for fw, d in self._descriptors.items() if d.assessment is not None}

    def to_dict(self) -> dict:
        """JSON-ready export: documents plus every item with its fields."""
        return {"documents": [dict(d) for d in self.documents], "items": [i.to_dict() for i in self.items]}


def _document_order(items: list[Item]) -> list[Item]:
    # Containers start at or before their children; on equal starts the longer span comes first.
    return [item for _, item in sorted(enumerate(items), key=lambda p: (p[1].start, -p[1].end, p[0]))]


def build_catalog(corpus_dir: Path | str | None = None, registry: Registry | None = None) -> Catalog:
    """Parse every manifest document whose `parser` the registry (default: the built-in parsers) knows into one
    Catalog (wiring builds it once and shares it). Documents without a parser (uploads) are not catalogued."""
    import tomllib  # only needed when building (keeps `import assistant.frameworks` cheap)

    corpus_dir = Path(corpus_dir or DEFAULT_CORPUS_DIR).resolve()
    registry = registry or builtin_registry()
    manifest_path = corpus_dir / "manifest.toml"
    # No manifest: no framework documents to describe (like assistant.corpus.read_manifest).
    manifest = tomllib.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    docs = [d for d in manifest.get("document", []) if registry.get(d.get("parser", "")) is not None]
    items: list[Item] = []
    present = []
    descriptors: dict[str, Descriptor] = {}
    for doc in docs:
        path = corpus_dir / doc["file"]
        if not path.is_file():
            continue
        # Decoded as the corpus loader decodes it, so item offsets index the text the index stores and cites.
        raw = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        descriptor = registry.get(doc["parser"])
        framework = doc.get("short") or doc["file"]
        items.extend(_document_order(descriptor.parse(raw, framework, doc["file"])))
        descriptors[framework] = descriptor
        present.append(doc)
    return Catalog(items, present, descriptors)
