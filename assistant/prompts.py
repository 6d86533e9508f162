"""Prompt templates stored as files in prompts/ with {named} variables; a missing variable is an error."""

from __future__ import annotations

import string
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


class PromptError(KeyError):
    """A template is missing or was rendered without one of its variables."""


def variables(template: str) -> set[str]:
    """The {named} variables a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def render(name: str, directory: Path = PROMPTS_DIR, **values) -> str:
    """prompts/<name>.txt with every variable filled; PromptError names what is missing."""
    path = Path(directory) / f"{name}.txt"
    if not path.exists():
        raise PromptError(f"prompt template {path} does not exist")
    template = path.read_text(encoding="utf-8")
    missing = variables(template) - set(values)
    if missing:
        raise PromptError(f"prompt {name!r} needs {', '.join(sorted(missing))}")
    return template.format(**{k: values[k] for k in variables(template)})
