"""Plain-text templates with {named} variables from prompts/facilitation/ (wording lives there, not in code)."""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

PROMPTS = Path(__file__).resolve().parents[2] / "prompts" / "facilitation"


@lru_cache(maxsize=None)
def template(name: str) -> str:
    path = PROMPTS / f"{name}.txt"
    try:
        return path.read_text(encoding="utf-8").rstrip("\n")
    except OSError:
        raise FileNotFoundError(f"missing template {path}") from None


def variables(name: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template(name)) if f}


def render(template_name: str, /, **values) -> str:
    """The template with its variables filled; a clear error names any variable not given."""
    missing = variables(template_name) - set(values)
    if missing:
        raise KeyError(f"template {template_name!r} needs {', '.join(sorted(missing))}")
    return template(template_name).format(**values)
