"""A local GGUF model through llama-cpp-python (optional extra: pip install '.[llamacpp]')."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from assistant.generation.backends.base import Generator, GeneratorError


class LlamaCpp(Generator):
    def __init__(self, gguf_path: Path | None, temperature: float = 0.1, threads: int = 2, context: int = 4096):
        path = Path(gguf_path) if gguf_path else None
        if path is None or not path.is_file():
            raise GeneratorError(f"No GGUF model file at {path or '(unset)'}: set ASSISTANT_ANSWER__GGUF_PATH "
                                 "to a downloaded .gguf file.")
        if path.suffix.lower() != ".gguf":
            raise GeneratorError(f"{path.name} is not a .gguf file")
        try:
            from llama_cpp import Llama
        except ImportError:
            raise GeneratorError("llama-cpp-python is not installed: pip install '.[llamacpp]' "
                                 "(it compiles from source, about 10 minutes)") from None
        self._llm = Llama(model_path=str(path), n_ctx=context, n_threads=threads, verbose=False)
        self.temperature = temperature
        self.name = f"llama.cpp ({path.name})"

    def generate(self, system: str, prompt: str) -> Iterator[str]:
        stream = self._llm.create_chat_completion(
            messages=[{"role": "system", "content": system}, {"role": "user", "content": prompt}],
            temperature=self.temperature, stream=True)
        for part in stream:
            piece = part["choices"][0].get("delta", {}).get("content")
            if piece:
                yield piece
