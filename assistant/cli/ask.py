"""`python -m assistant ask`: one question, a question with history, or a JSONL batch (one JSON result per line)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from assistant import inputs
from assistant.inputs import InputError


def _history(path: Path | None) -> list[dict]:
    if path is None:
        return []
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc})") from None
    try:
        return inputs.history(data)
    except InputError as exc:
        raise ValueError(f"{path}: {exc}") from None


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
        return _batch(answerer, args, services.settings.answer.max_question_chars)
    if not args.question:
        print("error: give a question, or --batch FILE", file=sys.stderr)
        return 1
    try:
        question = inputs.question(args.question, services.settings.answer.max_question_chars)
        framework = inputs.framework(args.framework)
        answer = answerer.answer(question, _history(args.history), framework=framework, k=args.k)
    except (InputError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(render(answer))
    return 0


def _batch(answerer, args, max_chars: int) -> int:
    """One JSON line per input line; a bad line gives {"line", "error"} and the batch goes on."""
    path = Path(args.batch)
    if not path.exists():
        print(f"error: {path}: no such file", file=sys.stderr)
        return 1
    try:
        framework = inputs.framework(args.framework)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    failures = 0
    for n, line in enumerate(path.read_text(encoding="utf-8", errors="surrogateescape").splitlines(), 1):
        if not line.strip():
            continue
        try:
            out = _batch_line(answerer, line, framework, args.k, max_chars)
        except (InputError, ValueError, json.JSONDecodeError) as exc:
            failures += 1
            out = {"line": n, "error": str(exc)}
        except Exception as exc:  # one question must not end the batch; the message names the failure
            failures += 1
            out = {"line": n, "error": f"could not answer ({type(exc).__name__}: {exc})"}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 1 if failures else 0


def _batch_line(answerer, line: str, framework: str | None, k: int | None, max_chars: int) -> dict:
    item = json.loads(line)
    if not isinstance(item, dict) or "question" not in item:
        raise ValueError('each line needs a JSON object with a "question"')
    question = inputs.question(item["question"], max_chars)
    out = answerer.answer(question, inputs.history(item.get("history")), framework=framework, k=k).to_dict()
    return {"id": item["id"], **out} if "id" in item else out
