"""Teams that rate together: a team is a short code people share; each person adds their own self-assessment to it
from their own browser (or the facilitator imports saved files), and everyone with the code sees the merged team
view and the agreed ratings. Kept through the `SessionStore` (the team's TeamAssessment under the key
"team-<code>", section "team"), so it moves with the rest of the saved work; each browser remembers its team code
and the name it rates under in its own "team" section.
"""

from __future__ import annotations

import re
import secrets

from assistant.facilitation.assessment import Assessment
from assistant.facilitation.consensus import TeamAssessment
from assistant.facilitation.session import SessionStore

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: codes are read aloud and typed
CODE_CHARS = 10


def normal_code(code: str | None) -> str:
    """A typed code in its stored form ("K7M2-P9QX-4T" -> "k7m2p9qx4t"); "" when it cannot be a code."""
    text = re.sub(r"[\s-]", "", (code or "").lower())
    return text if re.fullmatch(f"[{ALPHABET}]{{{CODE_CHARS}}}", text) else ""


def shown_code(code: str) -> str:
    """The code as people read it ("k7m2-p9qx-4t")."""
    c = normal_code(code)
    return f"{c[:4]}-{c[4:8]}-{c[8:]}" if c else ""


class TeamRoom:
    """Shared teams over the session store (see module docstring)."""

    def __init__(self, sessions: SessionStore):
        self.sessions = sessions

    @staticmethod
    def _key(code: str) -> str:
        return f"team-{normal_code(code)}"

    def new(self) -> str:
        """A fresh, unused team code."""
        while True:
            code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_CHARS))
            if self.load(code) is None:
                self.sessions.save(self._key(code), "team", TeamAssessment().to_dict())
                return code

    def load(self, code: str) -> TeamAssessment | None:
        if not normal_code(code):
            return None
        d = self.sessions.load(self._key(code), "team")
        try:
            return TeamAssessment.from_dict(d) if d else None
        except (ValueError, KeyError, TypeError):
            return None

    def change(self, code: str, edit) -> TeamAssessment:
        """Apply `edit(team)` to the team and save it, as one step; KeyError for an unknown code."""
        if not normal_code(code):
            raise KeyError("that is not a team code (it looks like k7m2-p9qx-4t)")

        def apply(d):
            if not d:
                raise KeyError("no team has that code; check it, or start a new team")
            team = TeamAssessment.from_dict(d)
            edit(team)
            return team.to_dict()

        value, _ = self.sessions.update(self._key(code), "team", apply)
        return TeamAssessment.from_dict(value)

    def contribute(self, code: str, name: str, assessment: Assessment, source: str) -> TeamAssessment:
        """Add (or replace) one person's ratings."""
        return self.change(code, lambda team: team.add(name, assessment, source))

    # ---- what a browser remembers ----------------------------------------------------------------------------
    def remember(self, browser: str | None, code: str, name: str = "") -> None:
        self.sessions.save(browser, "team", {"code": normal_code(code), "name": name})

    def remembered(self, browser: str | None) -> dict:
        d = self.sessions.load(browser, "team") or {}
        return {"code": normal_code(d.get("code")), "name": str(d.get("name") or "")}
