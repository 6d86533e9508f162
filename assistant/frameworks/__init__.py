"""Typed, navigable catalog of the five corpus frameworks, parsed from the text with exact source spans."""

from .catalog import Catalog, build_catalog, read_source
from .model import Field, Item
from .rubric import LEVELS, find_level, normalize_level
from .text import clean

__all__ = ["Catalog", "Field", "Item", "LEVELS", "build_catalog", "clean", "find_level", "normalize_level",
           "read_source"]
