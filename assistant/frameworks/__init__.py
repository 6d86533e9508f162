"""Typed, navigable catalog of the corpus frameworks, parsed from the text with exact source spans; everything
framework-specific (parsers, id schemes, levels, chunking and facilitation facts) lives in this package."""

from assistant.frameworks.catalog import Catalog, build_catalog
from assistant.frameworks.descriptor import Descriptor, SelfAssessment
from assistant.frameworks.model import Field, Item
from assistant.frameworks.identifiers import LEVELS, levels_in
from assistant.frameworks.parsers.text import span_text
from assistant.frameworks.registry import Registry, builtin_registry
from assistant.frameworks.resolver import lookup

__all__ = ["Catalog", "Descriptor", "Field", "Item", "LEVELS", "Registry", "SelfAssessment", "build_catalog",
           "builtin_registry", "levels_in", "lookup", "span_text"]
