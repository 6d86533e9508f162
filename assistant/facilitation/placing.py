"""Placing bets from suggestions: the practices the finder found, the self-assessment's priorities or the chat's
options become bets in the one draft a browser shares — the same list everywhere, never searched again.

A suggestion is a dict (`candidate()`): item id, label, title, framework, reason, citation, focus id, related.
"""

from __future__ import annotations

import re

from assistant.facilitation.session import FacilitationState
from assistant.facilitation.toa import MAX_BETS, PLACE_YOUR_BETS, Bet, answered

# Where a long framework title can end and still read as a whole name ("… engage with students, staff, and
# community | through formal and informal communications …").
_BREAKS = (" through ", " by ", " in order to ", " so that ", " to ensure ", ", which ", " that ", " to ", " for ",
           " in ", " with ")
TITLE_WORDS = 14


def short_title(text: str) -> str:
    """A framework title short enough to head a bet, cut only where a phrase ends (never mid-phrase or at the
    first comma); titles of up to TITLE_WORDS words are kept whole."""
    text = " ".join((text or "").split()).rstrip(".")
    text = re.sub(r"^(?:Condition|Practice|System|Principle|Requirement|Strategy|Action|Indicator|Key Condition "
                  r"\(\w\))\s*\d*[a-z]?:\s*", "", text)
    if len(text.split()) <= TITLE_WORDS:
        return text
    for mark in _BREAKS:
        at = text.find(mark)
        while at > 0:
            head = text[:at].rstrip(",")
            if 5 <= len(head.split()) <= TITLE_WORDS:
                return head
            at = text.find(mark, at + 1)
    return " ".join(text.split()[:TITLE_WORDS]).rstrip(",;:") + " …"


def candidate(finding) -> dict:
    """A finder result as a suggestion."""
    d = finding.to_dict()
    out = {k: d[k] for k in ("item_id", "label", "framework", "framework_label", "reason", "citation", "focus_id",
                             "related")}
    out["title"] = d.get("title") or ""
    return out


def bet_from(c: dict) -> Bet:
    """A new bet from a suggestion: its title and its framework items."""
    prefix = c.get("framework_label") or c.get("framework") or ""
    label = c["label"][len(prefix):].lstrip() if prefix and c["label"].startswith(prefix + " ") else c["label"]
    title = c.get("title") or label
    ids = [c["item_id"]] + ([c["focus_id"]] if c.get("focus_id") else [])
    return Bet(title=short_title(title), item_ids=ids)


def started(bet: Bet) -> bool:
    """Whether the team has written anything for the bet beyond its title."""
    return any(answered(getattr(bet, f)) for f in ("district_actions", "principal_changes", "core_changes",
                                                    "lead_metrics", "lag_outcomes", "owners"))


def offer(state: FacilitationState, suggestions: list[dict]) -> None:
    """Add suggestions to the practices the draft offers as bets (each once, newest last)."""
    have = {c["item_id"] for c in state.candidates}
    state.candidates += [dict(c) for c in suggestions if c["item_id"] not in have]


def place(state: FacilitationState, suggestions: list[dict], chosen: list[str]) -> str:
    """Make the chosen suggestions bets: bets the team has started stay, unstarted ones make room; never more than
    MAX_BETS (the state is left unchanged and the message says so). Returns the message for the team."""
    offer(state, suggestions)
    by_id = {c["item_id"]: c for c in state.candidates}
    current = state.toa.active_bets()
    have = {b.item_ids[0] for b in current if b.item_ids}
    new = [bet_from(by_id[i]) for i in dict.fromkeys(chosen) if i in by_id and i not in have]
    if not new:
        return "Those practices are already bets in your theory of action."
    bets = current + new
    while len(bets) > MAX_BETS:  # make room by dropping bets the team has not started, oldest first
        drop = next((b for b in bets if b in current and not started(b)), None)
        if drop is None:
            kept = len([b for b in current if started(b)])
            return (f"⚠ {PLACE_YOUR_BETS.format(n=len(current) + len(new))} Your theory of action already has "
                    f"{kept} bet{'s' if kept != 1 else ''} the team has started; choose at most "
                    f"{max(0, MAX_BETS - kept)} more, or remove one in the Theory of action tab.")
        bets.remove(drop)
    state.toa.bets = bets
    names = "; ".join(f"**{b.title}**" for b in state.toa.active_bets())
    return (f"Your bets: {names}. They are in the **Theory of action** tab, where you say what each one changes "
            "for principals and in classrooms.")


def place_suggested(message: str, session: dict | None, state: FacilitationState) -> str | None:
    """When `message` asks to use the practices the last answer suggested as bets ("use these as bets"): place the
    first few (the rest are offered) and return the message for the team; None for any other message."""
    from assistant.facilitation.chat_parse import USE_AS_BETS

    if not USE_AS_BETS.search(message or ""):
        return None
    turns = (session or {}).get("turns") or []
    last = turns[-1].get("answer", {}) if turns else {}
    step = next((s for s in last.get("next_steps") or [] if s.get("action") == "bets"), None)
    if not step or not step.get("suggestions"):
        return None
    chosen = [c["item_id"] for c in step["suggestions"]][:MAX_BETS]
    return place(state, step["suggestions"], chosen)
