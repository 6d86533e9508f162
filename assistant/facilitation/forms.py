"""The Theory of action tab's form as a flat list of values <-> a TheoryOfAction (so the tab stays display-only),
plus the files a session writes for download."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.frameworks.anchors import SEVEN_SYSTEMS
from assistant.facilitation.toa import Bet, TheoryOfAction, as_list

FORM_BETS = 3
TOP = ("title", "district", "goal", "problem", "evidence")
BET = ("title", "item_ids", "district_actions", "principal_changes", "core_changes", "lead_metrics", "lag_outcomes",
       "owners", "timeframe")
EXTRA = ("scope", "culture", "systems", "board_role", "external_factors", "communication", "assumptions")
SYSTEM_NAMES = [name for name, _ in SEVEN_SYSTEMS.values()]
N_VALUES = len(TOP) + FORM_BETS * len(BET) + len(EXTRA)


def _text(value) -> str:
    if isinstance(value, list):
        return "\n".join(value)
    return value or ""


def to_values(toa: TheoryOfAction) -> list:
    """Form values in order: TOP, then BET fields for each of the form's bets, then EXTRA."""
    out: list = [_text(getattr(toa, f)) for f in TOP]
    for k in range(FORM_BETS):
        bet = toa.bets[k] if k < len(toa.bets) else Bet()
        out += [", ".join(bet.item_ids) if f == "item_ids" else _text(getattr(bet, f)) for f in BET]
    for f in EXTRA:
        value = getattr(toa, f)
        out.append([s for s in value if s in SYSTEM_NAMES] if f == "systems" else _text(value))
    return out


def from_values(values: list) -> TheoryOfAction:
    """A TheoryOfAction from form values (see to_values)."""
    values = list(values) + [""] * (N_VALUES - len(values))
    pos = 0
    toa = TheoryOfAction()
    for f in TOP:
        v = values[pos]
        pos += 1
        setattr(toa, f, as_list(v) if f == "evidence" else (v or "").strip())
    toa.title = toa.title or "Theory of action"
    for _ in range(FORM_BETS):
        d = {}
        for f in BET:
            d[f] = values[pos]
            pos += 1
        d["item_ids"] = [x for x in re.split(r"[,\s]+", d["item_ids"] or "") if x]
        bet = Bet.from_dict(d)
        if not bet.is_empty():
            toa.bets.append(bet)
    for f in EXTRA:
        v = values[pos]
        pos += 1
        if f == "systems":
            toa.systems = list(v or [])
        elif f == "assumptions":
            toa.assumptions = as_list(v)
        else:
            setattr(toa, f, (v or "").strip())
    return toa


def write(folder: Path, name: str, data: bytes) -> str:
    path = folder / name
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return str(path)
