"""One log line per Theory of action save and per opening of the form (logger ``assistant.app.toa_log``): the page's
stamp, what became of the save or the reply, the revisions, and the form's fields by name and length. What leaders
write is private: no field's text is ever logged, only which fields hold something and how long it is.

A save reads ``save stamp=<page>:<n> who=<key digest> shown=<rev the form showed> saved=<rev on the server> ->
<outcome> rev=<rev written> | <fields sent>``; the outcome is *applied*, *behind* (the form had not received work
saved elsewhere; its empty fields listed after ``kept=`` took the saved values), *skipped* (a later save of the same
page was applied first) or *applied, not shown* (a later save was applied while it ran). An opening reads
``open stamp=… shown=… saved=… -> <what the form was offered>``, where an offer lists each field it would
change as ``name:<length sent>><length offered>``. Routine lines are DEBUG, the others INFO."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from itertools import groupby

from assistant.facilitation import forms as F

log = logging.getLogger(__name__)


def _short(name: str) -> str:
    return name.split("_")[0]


# The form's fields in F.from_values order, named short: goal, b2.lead, systems …
NAMES = ([_short(f) for f in F.TOP] + [f"b{k}.{_short(f)}" for k in range(1, F.FORM_BETS + 1) for f in F.BET]
         + [_short(f) for f in F.EXTRA])


def size(value) -> int:
    """A field's length: characters of text (surrounding blanks aside), or the number of ticked items."""
    if isinstance(value, (list, tuple)):
        return len(value)
    return len(value.strip()) if isinstance(value, str) else 0


def _grouped(tokens: list[tuple[str, str]]) -> str:
    """(field name, token) pairs as one string, each bet's grouped: 'goal:42 b1(title:30 lead:12) systems:2'."""
    out = []
    for head, group in groupby(((name.rpartition(".")[0], tok) for name, tok in tokens), key=lambda t: t[0]):
        words = [tok for _, tok in group]
        out += words if not head else [f"{head}({' '.join(words)})"]
    return " ".join(out) or "-"


def shape(values) -> str:
    """The non-empty fields of a form's values as name:length."""
    return _grouped([(n, f"{n.rpartition('.')[2]}:{size(v)}") for n, v in zip(NAMES, values) if size(v)])


def changes(sent, proposed) -> str:
    """The fields an offer would change, as name:<length sent>><length proposed>."""
    def same(a, b):
        return (a or "") == (b or "") or (isinstance(a, (list, tuple)) and list(a) == list(b or []))
    return _grouped([(n, f"{n.rpartition('.')[2]}:{size(a)}>{size(b)}")
                     for n, a, b in zip(NAMES, sent, proposed) if not same(a, b)])


def who(key) -> str:
    """A short digest of the browser's key (the key itself opens its saved work, so it is not logged)."""
    return hashlib.sha256(str(key).encode("utf-8", "surrogatepass")).hexdigest()[:8] if key else "-"


@dataclass
class SaveLine:
    """What one save did, logged by `emit` whatever the outcome ("failed" if it raised)."""

    stamp: object
    key: str | None
    shown_rev: object
    values: list
    outcome: str = "failed"
    saved_rev: int | None = None
    rev: int | None = None
    kept: list[str] = field(default_factory=list)

    def behind(self, form: list, merged: list) -> None:
        """Record that the form was behind the saved work, and its empty fields that took the saved values."""
        self.outcome = "behind"
        self.kept = [n for n, a, b in zip(NAMES, form, merged) if a != b]

    def emit(self) -> None:
        level = logging.DEBUG if self.outcome == "applied" else logging.INFO
        if not log.isEnabledFor(level):
            return
        rev = f" rev={self.rev}" if self.rev is not None else ""
        kept = f" kept={','.join(self.kept)}" if self.kept else ""
        log.log(level, "save stamp=%s who=%s shown=%s saved=%s -> %s%s%s | %s", self.stamp or "-", who(self.key),
                self.shown_rev, self.saved_rev if self.saved_rev is not None else "?", self.outcome, rev, kept,
                shape(self.values))


def opened(stamp, key, shown_rev, saved_rev: int, by_page: bool, outcome: str, offered=None) -> None:
    """One line for an opening of the form (page open, tab selected): what the form was offered; `offered` is the
    (sent, proposed) values of an offer, whose changed fields are listed."""
    if not log.isEnabledFor(logging.DEBUG):
        return
    listed = f" {changes(*offered)}" if offered is not None else ""
    log.debug("open stamp=%s who=%s shown=%s saved=%s (%s) -> %s%s", stamp or "-", who(key), shown_rev, saved_rev,
              "newest written by this page" if by_page else "newest written elsewhere", outcome, listed)
