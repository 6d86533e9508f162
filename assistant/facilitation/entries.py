"""Free-text entries a team types into a plan: lists written one entry per line (or separated by ';'), and whether a
field holds an answer at all (a placeholder such as "TBD" does not)."""

from __future__ import annotations

import re

# Answers that only hold a place ("TBD", "n/a") say nothing yet.
_PLACEHOLDER = re.compile(r"^\W*(?:tbd|tba|to be (?:decided|determined)|to ?do|n/?a|na|none|nothing(?: yet)?|not yet|"
                          r"later|pending|unknown|unsure|\?+|-+|x+|\.+|same|see above)\W*$", re.I)


def answered(value) -> bool:
    """Whether a field holds an answer: some words that are not a placeholder such as "TBD" or "n/a"."""
    if isinstance(value, (list, tuple)):
        return any(answered(v) for v in value)
    text = " ".join(str(value or "").split())
    return len(re.findall(r"[A-Za-z]", text)) >= 2 and not _PLACEHOLDER.match(text)


def as_list(value) -> list[str]:
    """A list of non-empty entries from a list, or from text with one entry per line or separated by ';'."""
    if value is None:
        return []
    if isinstance(value, str):
        parts = re.split(r"\n|;", value)
    else:
        parts = [str(v) for v in value]
    out = []
    for p in parts:
        p = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", p).strip()
        if p:
            out.append(p)
    return out
