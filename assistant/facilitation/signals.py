"""Word patterns the coherence checks look for in a plan's text (shared by the builder's checks and the review of
a pasted statement): the instructional core, school leadership, culture, the seven systems, governance, external
factors, metrics, scope, public goals and communication."""

from __future__ import annotations

import re

from assistant.frameworks.anchors import SEVEN_SYSTEMS

PATTERNS = {
    "core": r"\bteach\w*|\bclassroom\w*|\binstruct\w*|\bstudents?\b|\blearn\w*|\bcurricul\w*|\bcontent\b|"
            r"\blessons?\b|\bliteracy\b|\bmath\w*|\breading\b|\btasks?\b|\bengagement\b",
    "leadership": r"\bprincipals?\b|\bschool leaders?\b|\bschool leadership\b|\bleadership teams?\b|"
                  r"\bassistant principals?\b|\bbuilding leaders?\b|\bschool teams?\b|\bheads? of school\b",
    "culture": r"\bcultur\w*|\btrust\b|\bcollaborat\w*|\bnorms?\b|how we do things|\bcollective responsibility\b|"
               r"\burgency\b|\befficacy\b|\bserv(?:e|ing) schools\b|\bbelief\w*|\bvalues\b",
    "governance": r"\bboard\b|\bboard of education\b|\bgovernance\b|\btrustees\b|\bschool committee\b",
    "external": r"\bpolitic\w*|\blegislat\w*|\bfunding\b|\bgrants?\b|\bunions?\b|\bexternal\b|\bstate and federal\b|"
                r"\bstate polic\w*|\bfederal\b|\bpolicy\b|\bpolicies\b|\bmandates?\b|\bcommunity partners?\b|"
                r"\belections?\b|\bbudget (?:cuts?|pressures?)\b|\benrollment\b",
    "metrics": r"\bmeasured by\b|\blead(?:ing)? (?:metrics?|indicators?|measures?)\b|\blag(?:ging)? "
               r"(?:outcomes?|metrics?|indicators?|measures?)\b|\bmetrics?\b|\bindicators?\b|\d+\s?%|\bpercent\b|"
               r"\brates?\b|\bscores?\b|\bproficien\w*",
    "lead": r"\blead(?:ing)? (?:metrics?|indicators?|measures?)\b|\bmonthly\b|\bweekly\b|\bquarterly\b|"
            r"\bwalk[- ]?throughs?\b|\bobservations?\b|\bimplementation\b|\bparticipation\b|\bfrequency\b|"
            r"\bnumber of\b|\bshare of\b|\b\d+ of \d+\b|\bcycles?\b|\bsurveys?\b",
    "lag": r"\blag(?:ging)? (?:outcomes?|metrics?|indicators?|measures?)\b|\bproficien\w*|\bgraduation\b|"
           r"\bachievement\b|\btest scores?\b|\bretention rates?\b|\battendance rates?\b|\bstate (?:test|assessment)s?\b|"
           r"\boutcomes?\b|\bby (?:june |spring |fall )?20\d\d\b",
    "system_wide": r"\ball (?:\d+ )?schools\b|\bevery school\b|\beach school\b|\bdistrict[- ]wide\b|\bsystem[- ]wide\b|"
                   r"\ball (?:\d+ )?students\b|\bevery student\b|\bacross the district\b|\ball campuses\b",
    "public": r"\bpublic\w*|\bfamil(?:y|ies)\b|\bparents?\b|\bcommunity\b|\bpublish\w*|\bwebsite\b|\bdashboard\b|"
              r"\breport(?:ed|s)? to\b|\bboard meetings?\b|\btown halls?\b",
    "communication": r"\bcommunicat\w*|\bshare[ds]? (?:with|it|the plan)\b|\bsharing\b|\btown halls?\b|\bnewsletters?\b|"
                     r"\bmessag\w*|\bengage (?:families|parents|the community|staff)\b|\bpresent(?:ed|s)? to\b|"
                     r"\bannounce\w*|\broll[- ]?out\b",
    "specific": r"\d",
    "when": r"\b(?:19|20)\d\d\b|\b(?:january|february|march|april|may|june|july|august|september|october|november|"
            r"december)\b|\bby the end of\b|\bwithin (?:\w+ )?(?:years?|months?|semesters?)\b|\bnext (?:year|school year)\b|"
            r"\b(?:in|by) (?:spring|fall|summer|winter)\b",
}
_COMPILED = {k: re.compile(v, re.I) for k, v in PATTERNS.items()}

_SYSTEMS = {n: (name, re.compile(p, re.I)) for n, (name, p) in SEVEN_SYSTEMS.items()}


def mentions(text: str, kind: str) -> bool:
    """Whether `text` uses the vocabulary of `kind` (a key of PATTERNS)."""
    return bool(text) and bool(_COMPILED[kind].search(text))


def matches(text: str, kind: str) -> list[str]:
    """The distinct words/phrases of `kind` found in text (for explaining a check)."""
    seen: list[str] = []
    for m in _COMPILED[kind].finditer(text or ""):
        w = m.group(0).lower()
        if w not in seen:
            seen.append(w)
    return seen


def systems_in(text: str) -> list[int]:
    """Numbers of the seven LEAD CT systems the text touches (by their vocabulary, or named outright)."""
    found = []
    for n, (name, rx) in _SYSTEMS.items():
        short = name.replace(" System", "").lower()
        if rx.search(text or "") or short in (text or "").lower():
            found.append(n)
    return found


def system_name(n: int) -> str:
    return SEVEN_SYSTEMS[n][0]
