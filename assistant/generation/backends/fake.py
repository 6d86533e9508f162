"""A deterministic generator for tests: cites the first sentence of each passage, optionally adds a bad claim."""

from __future__ import annotations

import re
from typing import Iterator

from assistant.generation.backends.base import Generator


class FakeGenerator(Generator):
    """Echoes passage sentences with their numbers; `extra` is appended verbatim (to test verification)."""

    name = "fake"

    def __init__(self, extra: str = ""):
        self.extra = extra

    def generate(self, system: str, prompt: str) -> Iterator[str]:
        parts = []
        for n, body in re.findall(r"^\[(\d+)\] [^\n]*\n(.+?)(?=\n\[\d+\] |\n\nQuestion:)", prompt, re.S | re.M)[:2]:
            first = re.split(r"(?<=[.!?])\s", body.strip(), maxsplit=1)[0]
            parts.append(f"{first} [{n}]")
        text = " ".join(parts) + (" " + self.extra if self.extra else "")
        for word in text.split(" "):
            yield word + " "
