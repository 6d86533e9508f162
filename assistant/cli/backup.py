"""`python -m assistant backup OUT.tar.gz` / `restore IN.tar.gz [--force]` (see assistant/backup.py)."""

from __future__ import annotations

import sys
from pathlib import Path


def cmd_backup(services, args) -> int:
    from assistant.backup import backup

    m = backup(services, Path(args.archive))
    print(f"Backed up {m['index']['documents']} indexed documents from {m['index']['from']}, "
          f"{m['uploads']} uploaded files, {m['sessions']} saved-work files and {m['feedback']} feedback files "
          f"to {args.archive}.")
    return 0


def cmd_restore(services, args) -> int:
    from assistant.backup import restore

    if not Path(args.archive).is_file():
        print(f"error: {args.archive}: no such file", file=sys.stderr)
        return 1
    m = restore(services, Path(args.archive), force=args.force)
    r = m["restored"]
    print(f"Restored the index ({m['index']['documents']} documents, made {m['created']}) into "
          f"{services.store.location}, {r['uploads']} uploaded files, {r['sessions']} saved-work files and "
          f"{r['feedback']} feedback files.")
    return 0


def add_commands(sub, handler) -> None:
    """Register `backup` and `restore`; `handler(fn)` gives the parser's func with services built."""
    s = sub.add_parser("backup", help="write the index, uploads, saved work and feedback to a .tar.gz")
    s.add_argument("archive")
    s.set_defaults(func=handler(cmd_backup))

    s = sub.add_parser("restore", help="restore a backup into the configured index and folders")
    s.add_argument("archive")
    s.add_argument("--force", action="store_true", help="replace an index and folders that are not empty")
    s.set_defaults(func=handler(cmd_restore))
