"""Framework descriptors by the manifest's `parser` name: the built-in five, plus any a caller adds."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from types import MappingProxyType
from typing import Iterable

from assistant.frameworks.descriptor import Descriptor, SelfAssessment



class Registry:
    """An immutable set of descriptors, one per parser name; `with_parser` returns an extended copy."""

    def __init__(self, descriptors: Iterable[Descriptor] = ()):
        by_name: dict[str, Descriptor] = {}
        for d in descriptors:
            if d.parser in by_name:
                raise ValueError(f"two descriptors for parser {d.parser!r}")
            by_name[d.parser] = d
        self._by_name = MappingProxyType(by_name)

    def get(self, parser: str) -> Descriptor | None:
        """The descriptor a manifest entry's `parser` names, or None."""
        return self._by_name.get(parser)

    def names(self) -> list[str]:
        return list(self._by_name)

    def descriptors(self) -> list[Descriptor]:
        return list(self._by_name.values())

    def by_prefix(self, prefix: str) -> Descriptor | None:
        """The descriptor whose items have ids "<prefix>:…", or None."""
        return next((d for d in self._by_name.values() if d.prefix == prefix), None)

    def rated(self, item_id: str) -> tuple[Descriptor, SelfAssessment] | None:
        """The framework and self-assessment scale an item id is rated on, or None when it is not rated.
        A leveled rubric rates any of its items; other frameworks rate items of the scale's kind."""
        prefix, _, rest = item_id.partition(":")
        d = self.by_prefix(prefix)
        if d is None or d.assessment is None:
            return None
        if not d.leveled and not rest.startswith(f"{d.assessment.kind}-"):
            return None
        return d, d.assessment

    def with_parser(self, descriptor: Descriptor) -> "Registry":
        """This registry plus `descriptor` (replacing one of the same parser name)."""
        rest = [d for d in self._by_name.values() if d.parser != descriptor.parser]
        return Registry([*rest, descriptor])


@lru_cache(maxsize=1)
def builtin_registry() -> Registry:
    """The descriptor of every parser module in assistant/frameworks/parsers/ (a module defining DESCRIPTOR),
    imported on first use: adding a framework is adding a module there and a manifest entry naming it."""
    parsers = importlib.import_module(f"{__package__}.parsers")
    modules = sorted(m.name for m in pkgutil.iter_modules(parsers.__path__))
    found = (getattr(importlib.import_module(f"{parsers.__name__}.{m}"), "DESCRIPTOR", None) for m in modules)
    return Registry(d for d in found if d is not None)
