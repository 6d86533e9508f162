"""The generator interface: turn a system prompt and a user prompt into a stream of text pieces."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Iterator


class GeneratorError(RuntimeError):
    """The configured generator cannot be used (unreachable, misconfigured); the message says why."""


class Generator(ABC):
    """A text generator; `name` identifies it in answers and the status panel."""

    name: str = "generator"

    @abstractmethod
    def generate(self, system: str, prompt: str) -> Iterator[str]:
        """Yield the reply in pieces as they are produced; raise GeneratorError when it cannot."""

    def check(self) -> str:
        """A one-line reachability report (raises GeneratorError when unreachable)."""
        return f"{self.name}: configured"
