"""`python -m assistant ask`: one question, a question with history, or a JSONL batch (one JSON result per line)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from assistant.answering.engine import InputError


def _history(path: Path | None) -> list[dict]:
    if path is None:
        return []
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, list) or not all(isinstance(t, dict) and "role" in t and "content" in t for t in data):
        raise ValueError(f"{path}: history must be a JSON list of {{role, content}} objects")
    return data


def render(answer) -> str:
    """Plain-text rendering for a terminal: the answer, then the numbered sources with their quotes."""
    lines = [answer.text, ""]
    for note in answer.notes[1:] if answer.abstained else []:
        lines.append(f"({note})")
    if answer.citations:
        lines.append("Sources:")
        for c in answer.citations:
            quote = " ".join(c.quote.split())
            if len(quote) > 220:
                quote = quote[:220].rsplit(" ", 1)[0] + " …"
            lines.append(f"[{c.number}] {c.label()} — {c.chunk.source} chars {c.start}-{c.end}\n    “{quote}”")
    elif answer.related:
        lines.append("Related passages:")
        for p in answer.related:
            lines.append(f"- {p.chunk.framework} › {p.chunk.section}")
    return "\n".join(lines).rstrip()


def run_ask(services, args) -> int:
    answerer = services.answerer
    if args.batch:
        return _batch(answerer, args)
    if not args.question:
        print("error: give a question, or --batch FILE", file=sys.stderr)
        return 1
    try:
        answer = answerer.answer(args.question, _history(args.history), framework=args.framework, k=args.k)
    except (InputError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(render(answer))
    return 0


def _batch(answerer, args) -> int:
    path = Path(args.batch)
    if not path.exists():
        print(f"error: {path}: no such file", file=sys.stderr)
        return 1
    failures = 0
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or "question" not in item:
                raise ValueError("each line needs a 'question'")
            answer = answerer.answer(item["question"], item.get("history") or [], framework=args.framework, k=args.k)
            out = answer.to_dict()
            if "id" in item:
                out = {"id": item["id"], **out}
        except (InputError, ValueError, json.JSONDecodeError) as exc:
            failures += 1
            out = {"line": n, "error": str(exc)}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 1 if failures else 0
