"""Typed, navigable catalog of the five corpus frameworks, parsed from the text with exact source spans."""

from assistant.frameworks.catalog import Catalog, build_catalog, read_source
from assistant.frameworks.model import Field, Item
from assistant.frameworks.parsers.rubric import LEVELS, find_level, normalize_level
from assistant.frameworks.parsers.text import clean
from assistant.frameworks.resolver import lookup

__all__ = ["Catalog", "Field", "Item", "LEVELS", "build_catalog", "clean", "find_level", "lookup",
           "normalize_level", "read_source"]
