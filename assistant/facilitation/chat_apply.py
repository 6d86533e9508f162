"""Putting a team's free-text answers where they belong in the plan (labelled fields, answers to open checks)."""

from __future__ import annotations

import re

from assistant.facilitation import chat_parse as P
from assistant.facilitation import signals
from assistant.facilitation.session import FacilitationState
from assistant.facilitation.toa import MAX_BETS, Bet, TheoryOfAction, as_list


def apply_fields(toa: TheoryOfAction, bet: Bet, fields: dict[str, str]) -> None:
    for name, value in fields.items():
        if name in Bet.LIST_FIELDS:
            getattr(bet, name).extend(as_list(value))
        elif name == "timeframe":
            bet.timeframe = value.strip()
        elif name in ("systems", "assumptions", "evidence"):
            getattr(toa, name).extend(as_list(value))
        else:
            setattr(toa, name, value.strip())


_CHECK_FIELD = {"culture": "culture", "systems": "systems", "governance": "board_role", "external_factors":
                "external_factors", "system_wide": "scope", "communication": "communication"}


def answer_check(st: FacilitationState, key: str, text: str) -> None:
    """Put an answer to an open coherence check where it belongs in the plan."""
    head, fields = P.labelled(text)
    toa = st.toa
    first = next((b for b in toa.active_bets()), None)
    if fields and first is not None:
        apply_fields(toa, first, fields)
    if not head:
        return
    if key in _CHECK_FIELD:
        name = _CHECK_FIELD[key]
        if name == "systems":  # the seven systems by name, however the team put them ("coaching and hiring")
            named = [signals.system_name(n) for n in signals.systems_in(head)]
            toa.systems = list(dict.fromkeys(toa.systems + (named or as_list(head))))
        else:
            setattr(toa, name, (getattr(toa, name) + "; " + head) if getattr(toa, name) else head)
    elif key == "few_bets":
        keep = [n for n in P.numbers(head) if 1 <= n <= len(toa.bets)][:MAX_BETS]
        if keep:
            toa.bets = [toa.bets[n - 1] for n in keep]
    elif key in ("instructional_core", "school_leadership", "metrics"):
        bets = toa.active_bets()
        attr = {"instructional_core": "core_changes", "school_leadership": "principal_changes"}.get(key)
        if attr:
            target = next((b for b in bets if not getattr(b, attr)), bets[0] if bets else None)
            if target is not None:
                getattr(target, attr).extend(as_list(head))
        else:
            target = next((b for b in bets if not (b.lead_metrics and b.lag_outcomes)), None)
            if target is not None:
                (target.lag_outcomes if target.lead_metrics else target.lead_metrics).extend(as_list(head))
    elif key == "public_goals":
        if re.search(r"\d", head) and len(head.split()) >= 6:
            toa.goal = head.rstrip(".")
        else:
            toa.communication = (toa.communication + "; " + head) if toa.communication else head
