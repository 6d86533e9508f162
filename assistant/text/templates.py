"""The one template renderer: text files with {named} variables under prompts/; a missing variable is an error."""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

from assistant.resources import prompts_dir


class TemplateError(KeyError):
    """A template is missing or was rendered without one of its variables."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


def variables(template: str) -> set[str]:
    """The {named} variables a template text uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@lru_cache(maxsize=None)
def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").rstrip("\n")
    except OSError:
        raise TemplateError(f"template {path} does not exist") from None


def template(name: str, directory: Path | None = None) -> str:
    """The text of prompts/<name>.txt (name may include a subfolder, e.g. "facilitation/chat_help")."""
    return _read(Path(directory or prompts_dir()) / f"{name}.txt")


def render(name: str, /, directory: Path | None = None, **values) -> str:
    """prompts/<name>.txt with every variable filled; TemplateError names any variable not given."""
    text = template(name, directory)
    missing = variables(text) - set(values)
    if missing:
        raise TemplateError(f"template {name!r} needs {', '.join(sorted(missing))}")
    return text.format(**{k: values[k] for k in variables(text)})
