"""Any OpenAI-compatible chat server (vLLM, llama.cpp server, LM Studio, OpenAI): streamed over HTTP."""

from __future__ import annotations

import json
from typing import Iterator

from assistant.generation.backends.base import Generator, GeneratorError


class OpenAICompatible(Generator):
    """POST {base_url}/chat/completions with stream=true; reads server-sent events."""

    def __init__(self, base_url: str, model: str, api_key: str = "", timeout: float = 60.0, temperature: float = 0.1):
        if not base_url:
            raise GeneratorError("The OpenAI-compatible backend needs a base URL (ASSISTANT_ANSWER__BASE_URL).")
        self.base_url = base_url.rstrip("/")
        self.model = model or "default"
        self.api_key = api_key
        self.timeout = timeout
        self.temperature = temperature
        self.name = f"openai-compatible ({self.model} at {self.base_url})"

    def _headers(self) -> dict:
        h = {"Content-Type": "application/json"}
        if self.api_key:
            h["Authorization"] = f"Bearer {self.api_key}"
        return h

    def generate(self, system: str, prompt: str) -> Iterator[str]:
        import httpx

        body = {"model": self.model, "stream": True, "temperature": self.temperature,
                "messages": [{"role": "system", "content": system}, {"role": "user", "content": prompt}]}
        try:
            with httpx.stream("POST", f"{self.base_url}/chat/completions", json=body, headers=self._headers(),
                              timeout=self.timeout) as r:
                if r.status_code >= 400:
                    r.read()
                    raise GeneratorError(f"{self.name} answered HTTP {r.status_code}: {r.text[:200]}")
                for line in r.iter_lines():
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        break
                    try:
                        delta = json.loads(data)["choices"][0].get("delta", {}).get("content")
                    except (ValueError, KeyError, IndexError):
                        continue
                    if delta:
                        yield delta
        except httpx.HTTPError as exc:
            raise GeneratorError(f"{self.name} is unreachable ({type(exc).__name__}: {exc})") from None

    def check(self) -> str:
        import httpx

        try:
            r = httpx.get(f"{self.base_url}/models", headers=self._headers(), timeout=5)
        except httpx.HTTPError as exc:
            raise GeneratorError(f"{self.name} is unreachable ({type(exc).__name__})") from None
        if r.status_code >= 400:
            raise GeneratorError(f"{self.name} answered HTTP {r.status_code}")
        return f"{self.name}: reachable"
