"""Logging for the edges (the app and the CLI), set up once when they start from `settings.log_level`: the
assistant's own records at that level, other libraries' at WARNING or above, one line each on stderr."""

from __future__ import annotations

import logging
import sys

HANDLER = "assistant-stderr"  # the name of the one handler this sets up (so a second call adds no second handler)
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure(level: str, stream=None) -> None:
    """Send log records to `stream` (stderr): the assistant's from `level` up, other libraries' from WARNING up
    (their debug output would drown the assistant's). Calling it again changes the levels only."""
    number = logging.getLevelName(str(level).upper())
    if not isinstance(number, int):
        raise ValueError(f"unknown log level {level!r} (use DEBUG, INFO, WARNING, ERROR or CRITICAL)")
    root = logging.getLogger()
    if not any(h.get_name() == HANDLER for h in root.handlers):
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.set_name(HANDLER)
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
    root.setLevel(max(number, logging.WARNING))
    logging.getLogger("assistant").setLevel(number)
