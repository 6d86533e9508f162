"""A local Ollama server: POST /api/chat, streamed as JSON lines."""

from __future__ import annotations

import json
from typing import Iterator

from assistant.generation.backends.base import Generator, GeneratorError


class Ollama(Generator):
    def __init__(self, model: str, base_url: str = "", timeout: float = 60.0, temperature: float = 0.1):
        if not model:
            raise GeneratorError("The Ollama backend needs a model name (ASSISTANT_ANSWER__MODEL), e.g. qwen2.5:3b.")
        self.base_url = (base_url or "http://127.0.0.1:11434").rstrip("/")
        self.model = model
        self.timeout = timeout
        self.temperature = temperature
        self.name = f"ollama ({model} at {self.base_url})"

    def generate(self, system: str, prompt: str) -> Iterator[str]:
        import httpx

        body = {"model": self.model, "stream": True, "options": {"temperature": self.temperature},
                "messages": [{"role": "system", "content": system}, {"role": "user", "content": prompt}]}
        try:
            with httpx.stream("POST", f"{self.base_url}/api/chat", json=body, timeout=self.timeout) as r:
                if r.status_code >= 400:
                    r.read()
                    raise GeneratorError(f"{self.name} answered HTTP {r.status_code}: {r.text[:200]}")
                for line in r.iter_lines():
                    if not line.strip():
                        continue
                    try:
                        msg = json.loads(line)
                    except ValueError:
                        continue
                    piece = msg.get("message", {}).get("content")
                    if piece:
                        yield piece
                    if msg.get("done"):
                        break
        except httpx.HTTPError as exc:
            raise GeneratorError(f"{self.name} is unreachable ({type(exc).__name__}: {exc})") from None

    def check(self) -> str:
        import httpx

        try:
            r = httpx.get(f"{self.base_url}/api/tags", timeout=5)
        except httpx.HTTPError as exc:
            raise GeneratorError(f"{self.name} is unreachable ({type(exc).__name__})") from None
        names = [m.get("name", "") for m in r.json().get("models", [])] if r.status_code < 400 else []
        if self.model not in names and not any(n.split(":")[0] == self.model for n in names):
            raise GeneratorError(f"{self.name}: model not pulled (have: {', '.join(names) or 'none'})")
        return f"{self.name}: reachable"
