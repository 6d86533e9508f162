"""Typed, navigable catalog of the five corpus frameworks, parsed from the text with exact source spans."""

from assistant.frameworks.catalog import Catalog, build_catalog
from assistant.frameworks.model import Field, Item
from assistant.frameworks.identifiers import LEVELS, levels_in
from assistant.frameworks.parsers.text import span_text
from assistant.frameworks.resolver import lookup

__all__ = ["Catalog", "Field", "Item", "LEVELS", "build_catalog", "levels_in", "lookup", "span_text"]
