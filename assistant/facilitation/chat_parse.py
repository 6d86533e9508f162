"""Reading free text in the facilitation chat: triggers, commands, chosen numbers and labelled answers.

Trigger phrases (when no guided session is running):
- start:     "help us write a theory of action for principal coaching", "let's draft a ToA", "build a theory of
             action", "resume theory of action"
- practices: "which practices should we focus on for teacher retention?", "what conditions matter for …",
             "where should we focus to …", "practices for …"
- review:    "here is our draft ToA — what's missing? If we …", "review our theory of action: …", "check this
             theory of action", or a pasted "If we …, then …" with "what's missing / feedback / review"
Commands during a session: stop/cancel, help, show the draft, change the goal|problem to …, replace bet N with M,
remove bet N, add M, more, skip, done, export, start over.
"""

from __future__ import annotations

import re

from assistant.facilitation.lexicon import is_common
from assistant.facilitation.wording import tidy

_TOA = r"(?:theory|theories) of action|\btoas?\b"
START = re.compile(rf"\b(?:help|write|draft|build|create|start|develop|make|work on|begin|put together|craft|"
                   rf"let'?s do)\b.*(?:{_TOA})|(?:{_TOA}).*\b(?:builder|wizard|together|from scratch)\b", re.I)
RESUME = re.compile(rf"\b(?:resume|continue|back to|pick up)\b.*(?:{_TOA}|draft|where we left)", re.I)
REVIEW = re.compile(r"(?:what'?s|what is|anything) missing|\breview\b|\bfeedback\b|\bcritique\b|\bcheck (?:this|our|my)\b|"
                    r"\bimprove (?:this|our|my)\b|\bstrengthen\b|\bhow (?:good|strong) is\b|\bhere(?:'s| is) (?:our|my)\b",
                    re.I)
PRACTICES = re.compile(r"\b(?:which|what) (?:practices|conditions|indicators|strategies|levers|systems|parts of the "
                       r"frameworks?)\b.*\b(?:focus|prioriti[sz]e|work on|address|tackle|help|matter|start)\b|"
                       r"\bwhere should we (?:focus|start|begin)\b|\b(?:find|suggest|recommend) (?:practices|"
                       r"conditions|strategies)\b|^\s*practices (?:for|on|about)\b", re.I)
# Taking the practices an answer just suggested as bets ("use these as bets", "make those our bets").
USE_AS_BETS = re.compile(r"\b(?:use|take|make|put|add)\s+(?:these|those|them|the (?:suggested |first )?(?:practices|"
                         r"suggestions|ones))\s+(?:as|into|in)?\s*(?:our |my |the )?(?:bets?|theory of action)\b|"
                         r"\bmake (?:these|those|them) (?:our|the) bets\b", re.I)
STATEMENT = re.compile(r"\bif (?:we|the district|district leaders)\b.+\bthen\b", re.I | re.S)
STOP = re.compile(r"^\s*(?:stop|cancel|quit|exit|end|never ?mind|pause|leave|stop (?:this|the theory of action|"
                  r"facilitating))\b[\s.!]*$", re.I)
HELP = re.compile(r"^\s*(?:help|options|commands|what can i (?:say|do)\??)\s*[.!?]*$", re.I)
SHOW = re.compile(r"\b(?:show|see|view|display|print)\b.*\b(?:draft|statement|theory of action|toa|progress|so far)\b|"
                  r"^\s*(?:status|where are we|draft)\s*\??$", re.I)
CHANGE = re.compile(r"\b(?:change|update|replace|set|make|edit|reword|revise)\b(?: the| our)? "
                    r"(goal|problem(?: of practice)?|title|district|scope|culture|communication(?: plan)?|"
                    r"board(?: role)?|external factors)\b\s*(?:to|:|=|as|with|is)?\s*(.+)$", re.I | re.S)
SET = re.compile(r"^\s*(?:the |our |new )?(goal|problem(?: of practice)?)\s*(?:is|:|=)\s*(.+)$", re.I | re.S)
REPLACE = re.compile(r"\b(?:replace|swap|switch|change)\s+bet\s*(\d+)\s+(?:with|for|to)\s+(?:option\s*|number\s*|#)?(\d+)",
                     re.I)
REMOVE = re.compile(r"\b(?:remove|drop|delete)\s+bet\s*(\d+)", re.I)
ADD = re.compile(r"^\s*add\s+(?:option\s*|number\s*|#|bet\s*)?(\d+)\s*[.!]?\s*$", re.I)
MORE = re.compile(r"^\s*(?:more|show more|more options|other options|anything else|what else)\b", re.I)
SKIP = re.compile(r"^\s*(?:skip|pass|next|not now|later|n/?a|none|no)\b[\s.!]*$", re.I)
DONE = re.compile(r"^\s*(?:done|finish(?:ed)?|that'?s (?:it|all)|we'?re done|all done|looks good|good)\b[\s.!]*$", re.I)
EXPORT = re.compile(r"\b(?:export|download|docx|word document|pdf|print it|save it)\b", re.I)
RESTART = re.compile(r"^\s*(?:start over|restart|reset|begin again|from the top)\b", re.I)
QUESTION = re.compile(r"^\s*(?:what|how|why|who|when|where|which|can|could|should|would|is|are|do|does|did|"
                      r"tell me|explain)\b.*\?\s*$", re.I | re.S)

_WORDS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
_ORDINALS = {w: n for n, w in enumerate("zeroth first second third fourth fifth sixth seventh eighth ninth tenth "
                                         "eleventh twelfth".split())}

# Labels for answers given all at once ("actions: …; lead: …"), longest first.
FIELD_LABELS = [
    (r"district actions?|actions?|we will|the district will|district will|do", "district_actions"),
    (r"principals?|school leaders?|school leadership(?: teams?)?|leaders|leadership", "principal_changes"),
    (r"teachers?|classrooms?|students?|instructional core|core|instruction", "core_changes"),
    (r"lead(?:ing)? (?:metrics?|indicators?|measures?)|lead", "lead_metrics"),
    (r"lag(?:ging)? (?:outcomes?|metrics?|indicators?|measures?)|lag|outcomes?", "lag_outcomes"),
    (r"owners?|who|owned by|lead by|led by", "owners"),
    (r"time ?frame|timeline|by when|when|dates?", "timeframe"),
    (r"board(?: role)?|governance", "board_role"),
    (r"communication(?: plan)?|communicate|comms", "communication"),
    (r"external(?: factors)?|outside factors", "external_factors"),
    (r"culture", "culture"),
    (r"scope", "scope"),
    (r"systems?", "systems"),
    (r"assumptions?", "assumptions"),
    (r"evidence|data", "evidence"),
]
_LABEL = re.compile(r"(?:^|[\n;.]\s*|\s)(" + "|".join(p for p, _ in FIELD_LABELS) + r")\s*[:=]\s*", re.I)


_TOA_WORDS = re.compile(r"theory of action|\btoa\b|\bdraft\b|\bstatement\b", re.I)


def classify(text: str) -> str | None:
    """'review', 'start', 'practices' or None for a message outside a session (review wins over start: "here is
    our draft ToA — what's missing?" asks for a review, not a new draft)."""
    if REVIEW.search(text) and (_TOA_WORDS.search(text) or STATEMENT.search(text)):
        return "review"
    if START.search(text):
        return "start"
    if PRACTICES.search(text):
        return "practices"
    return None


def numbers(text: str) -> list[int]:
    """Numbers a person picked: '1, 3 and 5', 'two and four', 'the first and third', '#2' (in order, unique)."""
    found: list[tuple[int, int]] = []
    for m in re.finditer(r"#?\b(\d{1,2})\b(?!\s*(?:%|percent|st|nd|rd|th\b|minutes|hours|weeks|days|years|grade))",
                         text, re.I):
        found.append((m.start(), int(m.group(1))))
    for m in re.finditer(r"\b(" + "|".join(list(_WORDS)[1:] + list(_ORDINALS)[1:]) + r")\b", text, re.I):
        w = m.group(1).lower()
        found.append((m.start(), _WORDS.get(w, _ORDINALS.get(w, 0))))
    out: list[int] = []
    for _, n in sorted(found):
        if n and n not in out:
            out.append(n)
    return out


def labelled(text: str) -> tuple[str, dict[str, str]]:
    """(unlabelled lead text, {field: text}) for answers like 'actions: a; b. lead: c; lag: d'."""
    marks = list(_LABEL.finditer(text))
    if not marks:
        return text.strip(), {}
    out: dict[str, str] = {}
    head = text[:marks[0].start()].strip(" ;.\n")
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        label = m.group(1).lower()
        name = next(f for p, f in FIELD_LABELS if re.fullmatch(p, label, re.I))
        value = text[m.end():end].strip(" ;\n")
        if name == "core_changes" and label in ("teachers", "students", "teacher", "student") \
                and not re.match(rf"\s*(?:{label}|all|every|each|the|our)\b", value, re.I):
            value = f"{label} {value}"  # "teachers: plan lessons" -> "teachers plan lessons"
        if value:
            out[name] = (out[name] + "; " + value) if name in out else value
    return head, out


def topic_of(text: str) -> str:
    """What the request is about: the words after 'for/on/about/around/to address', up to where the request goes
    on ("… - can you help us", "?", ", please"), without "our"/"the" — never the whole message echoed back."""
    m = re.search(r"\b(?:for|on|about|around|to address|to tackle|to improve|regarding|focused on)\s+(.+)$", text,
                  re.I | re.S)
    if not m:
        return ""
    topic = re.split(r"\s[-–—]\s|[?!;,:(]|\.(?:\s|$)|\s(?:can|could|would|will) (?:you|we)\b|\s(?:please|thanks|thank "
                     r"you|so that|because|and (?:can|could|help))\b", m.group(1), maxsplit=1, flags=re.I)[0]
    topic = re.sub(rf"^(?:(?:our|a|the|my)\s+)?(?:{_TOA})\s*(?:for|on|about)?\s*", "", topic.strip(), flags=re.I)
    topic = re.sub(r"^(?:(?:for|on|about|to)\s+)?(?:our|the|my|your|a|an)?\s*", "", topic.strip(), flags=re.I)
    topic = " ".join(w.lower() if w[:1].isupper() and not w.isupper() and is_common(w) else w
                     for w in tidy(topic).split())  # a topic, not a name: "Teacher Retention" -> "teacher retention"
    return topic if topic and not re.fullmatch(rf"(?:{_TOA})", topic, re.I) else ""


def statement_in(text: str) -> str:
    """The pasted statement inside a review request: from the first 'If we …' (or after a colon/newline)."""
    m = STATEMENT.search(text)
    if m:
        return text[m.start():].strip()
    parts = re.split(r":\s*\n?|\n", text, maxsplit=1)
    rest = parts[1].strip() if len(parts) > 1 else ""
    return rest if len(rest.split()) >= 8 else ""


def strip_lead(text: str, words: str) -> str:
    """Drop a leading phrase such as 'our goal is' / 'the problem is' from an answer."""
    return re.sub(rf"^\s*(?:{words})\s*(?:is|are|:|=|-)?\s*", "", text.strip(), flags=re.I).strip()
