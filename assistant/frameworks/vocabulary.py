"""Leaders' everyday words -> the frameworks' vocabulary ("walkthroughs" -> "observations", "PLC" -> "collaboration").

A challenge said the way a cabinet says it often shares no words with the framework that addresses it. The practice
finder adds these framework terms to its search (never replacing the leader's own words). (Adding them to every
lexical search was measured and made answers slightly worse on the dev split, so plain questions do without.) Entries are generic district
vocabulary, not tuned to particular test cases; `expand()` returns only the added terms.
"""

from __future__ import annotations

import re

THESAURUS: list[tuple[str, str]] = [
    (r"\bcoach(?:es|ing)?\b", "coaching supervision mentoring development"),
    (r"\bprincipals?\b|\bschool leaders?\b|\bbuilding leaders?\b|\badmins?\b|\bAPs?\b", "school leaders principals"),
    (r"\bsupervis\w*", "principal supervisors supervision support"),
    (r"\bcentral office\b|\bdistrict office\b|\bcabinet\b", "district leaders central office"),
    (r"\bleav\w*|\bquit\w*|\bturnover\b|\battrition\b|\bretain\w*|\bretention\b|\bchurn\b", "retain retention"),
    (r"\bhir(?:e|es|ing)\b|\brecruit\w*|\bvacanc\w*|\bstaffing\b", "recruit hire selection placement"),
    (r"\bnew teachers?\b|\bnovice\b|\bfirst[- ]year\b", "induction onboarding teachers"),
    (r"\bplcs?\b|\bteams? meetings?\b|\bcommon planning\b|\bcollaborat\w*", "collaboration teacher teams"),
    (r"\bwalk[- ]?throughs?\b|\bclassroom visits?\b|\bobservations?\b", "observations monitor instruction"),
    (r"\bbudget\w*|\bfunding\b|\bmoney\b|\bdollars\b|\bspending\b", "resources allocation finance"),
    (r"\bcuts?\b|\benrollment\b|\bdeclin\w*", "forecast scenarios resources"),
    (r"\bboard\b|\btrustees\b|\bsupt\b|\bsuperintendent\b", "board of education superintendent governance"),
    (r"\bparents?\b|\bfamil(?:y|ies)\b|\bcommunity\b|\bstakeholders?\b",
     "community stakeholders engagement communication"),
    (r"\binitiatives?\b|\bpriorities\b|\btoo many\b", "focus few strategies coherence"),
    (r"\bsilos?\b|\bdepartments?\b|\bturf\b", "align coordinate collaboration"),
    (r"\bdata\b|\bresults\b|\bdashboards?\b", "data analysis cycle of inquiry"),
    (r"\btests?\b|\binterims?\b|\bbenchmarks?\b|\bscreeners?\b|\bassessments?\b", "assessment"),
    (r"\bcurricul\w*|\bmaterials\b|\bscope and sequence\b|\btextbooks?\b", "curriculum materials aligned"),
    (r"\bgaps?\b|\bequit\w*|\bsubgroups?\b|\bstudent groups?\b|\bdisparit\w*", "equity gaps"),
    (r"\bvision\b|\bmission\b|\bstands? for\b|\bidentity\b", "vision mission identity"),
    (r"\bimprovement plans?\b|\bschool plans?\b", "action planning school improvement plans"),
    (r"\bautonomy\b|\brules\b|\bred tape\b|\bmandates?\b|\bcompliance\b", "autonomy flexibility"),
    (r"\bchanges?\b|\bresist\w*|\bpushback\b|\bbuy[- ]in\b", "change process"),
    (r"\btrust\b|\bmorale\b|\bculture\b|\bclimate\b", "trust culture"),
    (r"\bsel\b|\bbehaviou?r\b|\battendance\b|\babsen\w*|\bdiscipline\b|\bwell[- ]being\b",
     "student support social emotional"),
    (r"\binnovat\w*|\bbright spots?\b|\bspread\b|\bscale\b", "innovative educators sharing effective practices"),
    (r"\bmeetings?\b", "professional learning"),
    (r"\bturnaround\b|\blow[- ]performing\b|\bpriority schools?\b|\bstruggling schools?\b",
     "priority schools transformation"),
    (r"\bschedul\w*|\btime\b", "schedule time"),
]
_COMPILED = [(re.compile(p, re.I), terms) for p, terms in THESAURUS]


def expand(text: str) -> str:
    """Framework terms for the everyday words in `text` (deduplicated, in thesaurus order); '' if none."""
    added: list[str] = []
    have = set(re.findall(r"[a-z]+", text.lower()))
    for rx, terms in _COMPILED:
        if rx.search(text):
            added.extend(t for t in terms.split() if t not in have and t not in added)
    return " ".join(added)


def with_expansion(text: str) -> str:
    """The leader's words followed by the framework terms they map to."""
    extra = expand(text)
    return f"{text} {extra}" if extra else text
