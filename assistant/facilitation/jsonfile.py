"""JSON persistence shared by saved drafts and assessments: a class with to_dict/from_dict gains the rest."""

from __future__ import annotations

import json
from pathlib import Path


class JsonFile:
    """Mixin: to_json/from_json/save/load around the class's own to_dict/from_dict."""

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON: {exc}") from None
        return cls.from_dict(data)

    def save(self, path: Path | str) -> Path:
        path = Path(path)
        path.write_text(self.to_json(), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: Path | str):
        return cls.from_json(Path(path).read_text(encoding="utf-8"))
