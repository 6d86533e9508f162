"""Command line: `python -m assistant ingest|search|ask|docs|practices|crosswalk|toa|backup|restore|add-user|…`
(errors on stderr, exit 1)."""

from __future__ import annotations

import argparse
import gc
import json
import sys
from pathlib import Path

from assistant.types import passage_dict


def _services():
    from assistant.config import load_settings
    from assistant.logs import configure
    from assistant.wiring import build

    settings = load_settings()
    configure(settings.log_level)
    return build(settings)


def _ready(services):
    from assistant.wiring import terminal_progress

    services.ensure_index(progress=terminal_progress())
    return services


def cmd_ingest(args) -> int:
    from assistant.wiring import terminal_progress

    services = _services()
    paths = [Path(p) for p in args.paths] or None
    for p in paths or []:
        if not p.exists():
            print(f"error: {p}: no such file or folder", file=sys.stderr)
            return 1
    report, errors = services.ingest(paths, progress=terminal_progress())
    for e in errors:
        print(f"skipped {e}", file=sys.stderr)
    print(report.summary())
    return 1 if errors and not (report.added or report.updated or report.unchanged) else 0


def cmd_search(args) -> int:
    from assistant import inputs

    query = inputs.text(args.question, "question")  # before the index is opened: a bad query fails fast
    services = _ready(_services())
    try:
        passages = services.retriever.search(query, k=args.k, framework=inputs.framework(args.framework))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps([passage_dict(p) for p in passages], ensure_ascii=False, indent=1))
        return 0
    if not passages:
        print("No passages found.")
    for i, p in enumerate(passages, 1):
        c = p.chunk
        where = " › ".join(x for x in (c.framework, c.section, c.indicator and f"Indicator {c.indicator}", c.level,
                                        c.page and f"p. {c.page}") if x)
        text = c.text if len(c.text) <= 400 else c.text[:400].rsplit(" ", 1)[0] + " …"
        print(f"[{i}] {where}  (score {p.score:.4f}; {c.source} chars {c.start}-{c.end})\n    {text}\n")
    return 0


def cmd_docs(args) -> int:
    services = _ready(_services())
    rows = services.store.documents()
    if args.json:
        print(json.dumps([r.__dict__ for r in rows], indent=1))
        return 0
    for r in rows:
        pages = f", {r.pages} pages" if r.pages else ""
        print(f"{r.framework:28} {r.chunks:4} passages{pages}  {r.source}  (indexed {r.indexed_at})")
    return 0


def cmd_ask(args) -> int:
    from assistant.cli.ask import run_ask

    return run_ask(_ready(_services()), args)


def cmd_facilitation(args) -> int:
    from assistant.cli.facilitation import run

    return run(_ready(_services()), args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m assistant",
                                description="Retrieval-grounded assistant for district leadership frameworks.")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("ingest", help="index the corpus (default) or the given files/folders")
    s.add_argument("paths", nargs="*")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("search", help="retrieve passages for a question")
    s.add_argument("question")
    s.add_argument("--k", type=int, default=5)
    s.add_argument("--framework", default=None, help="LEAD CT, INSTLL, rubric, UVA-PLE, Coherence & Capacity")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("docs", help="list indexed documents")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_docs)

    s = sub.add_parser("ask", help="answer a question with citations")
    s.add_argument("question", nargs="?")
    s.add_argument("--history", type=Path, help="JSON file: list of {role, content} turns")
    s.add_argument("--batch", type=Path, help="JSONL file: one {question, history?} per line")
    s.add_argument("--framework", default=None)
    s.add_argument("--k", type=int, default=None)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_ask)

    try:
        from assistant.cli.facilitation import add_commands
    except ImportError:
        add_commands = None
    if add_commands:
        add_commands(sub, cmd_facilitation)
    from assistant.cli import backup, users

    backup.add_commands(sub, lambda fn: lambda args: fn(_services(), args))
    users.add_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the CLI's edge: one clear line, no traceback
        from assistant.index.embeddings import EmbeddingUnavailable

        if isinstance(exc, (EmbeddingUnavailable, ValueError, OSError)):
            print(f"error: {exc}", file=sys.stderr)
            return 1
        raise


def run() -> int:
    """The process entry point (`python -m assistant`, `district-assistant`): `main`, then a quick exit."""
    code = main()
    # The process ends next and everything it wrote is closed: skip the interpreter's final collection over every
    # loaded module's objects (about 0.3 s of a cold search once chromadb is imported).
    gc.freeze()
    return code


if __name__ == "__main__":
    sys.exit(run())
