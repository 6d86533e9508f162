"""Replies that land after the person has moved on: a form filled from the server never overwrites what was typed
since the request left the page, and saves of one page are applied in the order the page made them.

Two races this closes, both seen as lost work. (1) Opening a tab or the page asks the server for the saved draft;
the reply can take seconds (it also renders the draft and its downloads), and a person who starts typing meanwhile
would see the reply replace their words. So the server never writes the fields itself: it answers with an *offer*
(the field values it was sent and the values it proposes), and a step in the browser applies each proposed value
only to a field that still holds what was sent. (2) Each save is its own request; requests can reach the server out
of order, and an older snapshot of the form saved last would undo newer typing. So every save carries a stamp the
page numbers in the order it made them (`STAMP_JS`), and `SaveOrder` applies a save only if no later one of the same
page came first. (3) A form can save before the newest saved work (written by another tab) has reached it; its
empty fields then mean "not received yet", not "cleared", so `fill_gaps` keeps the saved values there."""

from __future__ import annotations

import threading
from collections import OrderedDict

# (offer, ...current field values) -> the field values to show: a proposed value replaces a field only where the
# field still holds what the request carried, so anything typed since is kept. Null and "" count as the same.
MERGE_JS = """(offer, ...current) => {
  if (!offer || !Array.isArray(offer.values) || !Array.isArray(offer.sent)) return current;
  const same = (a, b) => JSON.stringify(a ?? "") === JSON.stringify(b ?? "");
  return current.map((v, i) => (i < offer.values.length && same(v, offer.sent[i])) ? offer.values[i] : v);
}"""

# (...inputs, stamp) -> the same inputs with the stamp replaced by "<page id>:<number>", numbered in the order this
# page made its saves (a reload is a new page id).
STAMP_JS = """(...args) => {
  const w = window;
  w.__savePage = w.__savePage || (Date.now().toString(36) + Math.random().toString(36).slice(2, 10));
  w.__saveSeq = (w.__saveSeq || 0) + 1;
  return [...args.slice(0, -1), w.__savePage + ":" + w.__saveSeq];
}"""


def offer(sent, values) -> dict:
    """What the browser's merge step needs: the field values the request carried and the values proposed."""
    def plain(v):
        return list(v) if isinstance(v, (list, tuple)) else v
    return {"sent": [plain(v) for v in sent], "values": [plain(v) for v in values]}


def merge_into(event, offer_box, fields: list):
    """Chain the browser-side merge of `offer_box` into `fields` after `event` (no request to the server)."""
    return event.then(None, inputs=[offer_box] + list(fields), outputs=list(fields), js=MERGE_JS, queue=False,
                      show_progress="hidden", api_visibility="private")


def parse_stamp(stamp) -> tuple[str, int] | None:
    """("page id", number) from a stamp made by STAMP_JS; None for an API call without one."""
    if not isinstance(stamp, str) or ":" not in stamp:
        return None
    page, _, number = stamp.rpartition(":")
    return (page, int(number)) if page and number.isdigit() else None


def fill_gaps(form: list, saved: list) -> list:
    """The form's values, with the saved value wherever the form's field is empty (a form behind the saved work)."""
    def empty(v):
        return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, (list, tuple)) and not v)
    return [s if empty(f) else f for f, s in zip(form, saved)]


class SaveOrder:
    """The newest save applied per key (a browser's saved work), so an older snapshot that arrives late is skipped;
    and the revision each key's form last wrote, so a form behind someone else's newer save can be told apart."""

    def __init__(self, keys: int = 2000):
        self.keys = keys
        self._newest: OrderedDict[str, tuple[str, int]] = OrderedDict()
        self._wrote: OrderedDict[str, tuple[str | None, int]] = OrderedDict()
        self._lock = threading.Lock()

    def wrote(self, key: str, stamp, rev: int) -> None:
        """Record that the save stamped `stamp` made revision `rev` of the key's saved work."""
        mark = parse_stamp(stamp)
        with self._lock:
            self._wrote[key] = (mark[0] if mark else None, rev)
            self._wrote.move_to_end(key)
            while len(self._wrote) > self.keys:
                self._wrote.popitem(last=False)

    def behind(self, key: str, stamp, shown_rev: int, saved_rev: int) -> bool:
        """Whether the page that stamped this save has not received revision `saved_rev` of the saved work: it
        shows an older one, and the newest was not written by this page (whose reply may still be on its way).
        Unstamped (API) saves are never behind: they send the whole form on purpose."""
        if parse_stamp(stamp) is None or saved_rev <= max(shown_rev, 0):
            return False
        return not self.wrote_last(key, stamp, saved_rev)

    def wrote_last(self, key: str, stamp, rev: int) -> bool:
        """Whether revision `rev` of the key's saved work was written by the page that stamped `stamp`."""
        mark = parse_stamp(stamp)
        with self._lock:
            return mark is not None and self._wrote.get(key) == (mark[0], rev)

    def admit(self, key: str, stamp) -> bool:
        """Whether this save is to be applied: it has no stamp, comes from another page than the last one applied
        (a reload, a second tab), or is later than every save of its page applied so far. Records it if so."""
        mark = parse_stamp(stamp)
        if mark is None:
            return True
        with self._lock:
            last = self._newest.get(key)
            if last is not None and last[0] == mark[0] and mark[1] <= last[1]:
                return False
            self._newest[key] = mark
            self._newest.move_to_end(key)
            while len(self._newest) > self.keys:
                self._newest.popitem(last=False)
            return True

    def superseded(self, key: str, stamp) -> bool:
        """A later save of the same key was applied while this one ran: its (older) result must not be shown."""
        mark = parse_stamp(stamp)
        with self._lock:
            return mark is not None and self._newest.get(key, mark) != mark
