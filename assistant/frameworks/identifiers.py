"""The lexical part of the frameworks' resolver (no catalog needed): identifiers people type (indicator 11a,
practice 13, condition 4), rubric levels, framework names and abbreviations.
assistant.frameworks.resolver matches references and mentions against the catalog itself."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.frameworks.kinds import ORDINALS, count_of
from assistant.text.tokens import STOP

LEVELS = ("Getting Started", "Getting Better", "Keep Improving")

# The one place rubric levels are recognised in text (questions, follow-ups, typed references).
_LEVEL_PATTERNS = [
    (re.compile(r"\bgett?ing[\s-]*start\w*|\bbeginning\b|\blevel[\s-]*(?:1|one)\b|\bgs\b|"
                r"\b(lowest|first|entry|bottom|left(?:most)?)[- ](?:level|column|tier|rating|stage|category|band)\b",
                re.I), "Getting Started"),
    (re.compile(r"\bgett?ing[\s-]*bett?er\b|\blevel[\s-]*(?:2|two)\b|\bgb\b", re.I), "Getting Better"),
    (re.compile(r"\bkeep(ing)?[\s-]*impro\w*|\blevel[\s-]*(?:3|three)\b|\bki\b|"
                r"\b(highest|top|best|last|right(?:most)?|most advanced)[- ](?:level|column|tier|rating|stage|category|"
                r"band)\b|\bmost advanced\b", re.I), "Keep Improving"),
]

FRAMEWORK_ALIASES = {
    "LEAD CT": ["lead ct", "leadct", "lead connecticut", "connecticut", "lead-ct", "lct", "ct",
                "capacity and coherence framework"],
    "INSTLL": ["instll", "install framework", "lane 2009", "lane (2009)"],
    "Leadership System rubric": ["leadership system", "rubric", "progress indicators", "practices and progress"],
    "UVA-PLE": ["uva-ple", "uva ple", "uva", "uvaple", "ple", "partnership for leaders"],
    "Coherence & Capacity": ["coherence and capacity", "coherence & capacity", "coherence framework",
                             "school district coherence", "c&c"],
}


_ABBREVIATIONS = {
    r"\bmgmt\b": "management", r"\bsupts?\b": "superintendent", r"\bpd\b": "professional development",
    r"\btoa\b": "theory of action", r"\bcollab\b": "collaboration", r"\bc\s*(?:&|and)\s*c\b": "coherence & capacity",
    r"\binstr\b": "instructional", r"\bps\b": "principals", r"\bhr\b": "human resources",
    r"\bprof(essional)? dev\b": "professional development", r"\bsel\b": "social and emotional",
    r"\bw/o\b": "without", r"\bw/": "with ", r"\bwhats\b": "what is", r"\bwht\b": "what", r"\br\b": "are",
    r"\bu\b": "you",
    r"\bpls\b": "please", r"\bdiff\b": "difference", r"\byrs?\b": "years", r"\bgov\b": "governance",
    r"\bhs\b": "high school", r"\belem\b": "elementary", r"\bdept\b": "department", r"\bsped\b": "special education",
    r"\bc\s*(?:&|and)\s*i\b": "curriculum and instruction", r"\bplcs?\b": "professional learning communities",
    r"\badmins?\b": "administrators", r"\baps\b": "assistant principals",
    # "an AP" is an assistant principal; "AP courses", "AP enrollment" are Advanced Placement
    r"\bap\b(?!\s+(?:classes|class|courses?|enrollment|exams?|scores?|tests?|programs?|calculus|english|biology|"
    r"history|physics|chemistry|students|credit|level|seminar))": "assistant principal",
    # chat shorthand
    r"\bppl\b": "people", r"\bb4\b": "before", r"\bthru\b": "through", r"\bshud\b": "should",
    r"\bb/c\b|\bbc\b(?!\.)|\bcuz\b": "because", r"\babt\b": "about", r"\btho\b": "though",
    r"\bwhos\b": "who is", r"\bhows\b": "how is", r"\btheres\b": "there is", r"\bwanna\b": "want to",
    r"\bgonna\b": "going to", r"\bw\b(?= [a-z])": "with",
    r"\bshld\b": "should", r"\bbldgs\b": "buildings", r"\bbldg\b": "building", r"\bwat\b": "what",
    r"\bmtgs\b": "meetings", r"\bmtg\b": "meeting",
}


def expand(text: str) -> str:
    """The text with common abbreviations spelled out (mgmt, supt, PD, ToA, C&C ...) and items of a named framework
    given by position written by number ("the third step of INSTLL" -> "step 3 of INSTLL")."""
    for pattern, repl in _ABBREVIATIONS.items():
        text = re.sub(pattern, repl, text, flags=re.I)
    return _by_number(text)


_NUMBERED_KINDS = r"step|lever|condition|practice|system|principle|strategy|requirement|component"
_ANY_ALIAS = "|".join(sorted((re.escape(a) for v in FRAMEWORK_ALIASES.values() for a in v), key=len, reverse=True))
# Only with the framework named right there: "what would the first step be?" is not INSTLL's Step 1.
_POSITION = rf"(\d{{1,2}}(?:st|nd|rd|th)|{'|'.join(ORDINALS)})"
_POSITION_OF = re.compile(rf"\b(?:the\s+)?{_POSITION}\s+({_NUMBERED_KINDS})\s+(of|in|from)\s+"
                          rf"(?:the\s+)?(?=(?:{_ANY_ALIAS})(?![a-z]))", re.I)
_POSSESSIVE_POSITION = re.compile(rf"(?<![a-z])((?:{_ANY_ALIAS})(?:'s|’s))\s+{_POSITION}\s+"
                                  rf"({_NUMBERED_KINDS})\b", re.I)


def _by_number(text: str) -> str:
    text = _POSITION_OF.sub(lambda m: f"{m.group(2)} {count_of(m.group(1))} {m.group(3)} ", text)
    return _POSSESSIVE_POSITION.sub(lambda m: f"{m.group(1)} {m.group(3)} {count_of(m.group(2))}", text)


@dataclass
class Identifiers:
    """What a question names explicitly."""

    indicators: list[str] = field(default_factory=list)  # "11a", "3b", "4"
    practices: list[str] = field(default_factory=list)  # "13"
    conditions: list[str] = field(default_factory=list)  # "4"
    levers: list[str] = field(default_factory=list)
    systems: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    frameworks: list[str] = field(default_factory=list)

    def any(self) -> bool:
        return any((self.indicators, self.practices, self.conditions, self.levers, self.systems, self.steps,
                    self.levels))


def levels_in(text: str) -> list[str]:
    """All rubric levels named in text ("11a at getting better", "GB", "level 3"), in the order of LEVELS."""
    return [name for pattern, name in _LEVEL_PATTERNS if pattern.search(text)]


def without_levels(text: str) -> str:
    """The text with every rubric-level phrase blanked ("11a getting better" -> "11a  ")."""
    for pattern, _ in _LEVEL_PATTERNS:
        text = pattern.sub(" ", text)
    return text


_OTHER_LEVEL = re.compile(r"\b(mastery|exemplary|proficient|distinguished|advanced|expert|exceeds|level [4-9]|"
                          r"(4th|5th|fourth|fifth) level)\b", re.I)


_LEVEL_NOUNS = frozenset("level levels rating ratings stage stages category column tier band score".split())


def _describes_a_thing(after: str) -> bool:
    """Whether a level-like word is an adjective of the noun after it ("a distinguished district", "advanced
    placement"): the next word is a content word that is not itself a level noun."""
    m = re.match(r"\s+([a-z][a-z-]{2,})\b", after)
    return bool(m) and m.group(1) not in STOP and m.group(1) not in _LEVEL_NOUNS


def unknown_level(text: str) -> str:
    """A level name the rubric does not have ("Mastery"), if the text uses one; else ""."""
    found = [m.group(1) for m in _OTHER_LEVEL.finditer(text) if not _describes_a_thing(text[m.end():])]
    named = [f for f in found if not re.search(r"level", f, re.I)]
    return (named or found or [""])[0].title()


def without_frameworks(text: str) -> str:
    """The text with every framework name blanked (a framework's name is not a mention of one of its items)."""
    for aliases in FRAMEWORK_ALIASES.values():
        for a in sorted(aliases, key=len, reverse=True):
            text = re.sub(r"(?<![a-z])" + re.escape(a) + r"(?![a-z])", " ", text, flags=re.I)
    return text


def with_framework(text: str, name: str) -> str | None:
    """The text with the framework it names replaced by `name` ("what does lead ct say about X" -> "what does
    UVA-PLE say about X"); None when it names no framework."""
    marked = text
    for aliases in FRAMEWORK_ALIASES.values():
        for a in sorted(aliases, key=len, reverse=True):
            marked = re.sub(r"(?<![a-z\x00])" + re.escape(a) + r"(?![a-z])", "\x00", marked, flags=re.I)
    if "\x00" not in marked:
        return None
    return " ".join(marked.replace("\x00", name, 1).replace("\x00", " ").split())


def frameworks_in(text: str) -> list[str]:
    """Framework short names mentioned in text."""
    low = " " + re.sub(r"\s+", " ", text.lower()) + " "
    spans = [(m.start(), m.end(), short) for short, aliases in FRAMEWORK_ALIASES.items() for a in aliases
             for m in re.finditer(r"(?<![a-z])" + re.escape(a) + r"(?![a-z])", low)]
    # A name inside a longer name of another framework is part of that name ("coherence framework" in LEAD CT's
    # "capacity and coherence framework").
    kept = [s for s in spans if not any(o[2] != s[2] and o[0] <= s[0] and s[1] <= o[1] and o[1] - o[0] > s[1] - s[0]
                                        for o in spans)]
    return [short for short in FRAMEWORK_ALIASES if any(s[2] == short for s in kept)]


def resolve_framework(name: str | None, known: list[str]) -> str | None:
    """Map a user-typed framework name (alias, any case) to a known short name; None when empty."""
    if not name:
        return None
    low = name.strip().lower()
    for k in known:
        if k.lower() == low:
            return k
    hits = [f for f in frameworks_in(name) if f in known]
    if hits:
        return hits[0]
    for k in known:
        if low in k.lower():
            return k
    raise ValueError(f"Unknown framework '{name}'. Known: {', '.join(known)}")


def parse(text: str) -> Identifiers:
    """Extract identifiers from a question."""
    t = text.lower()
    ids = Identifiers()
    for m in re.finditer(r"\b(?:indicator|in#|ind\.?|#)?\s*(\d{1,2})\s?([ab])\b", t):
        n = int(m.group(1))
        if 1 <= n <= 19:
            ids.indicators.append(f"{n}{m.group(2)}")
    for m in re.finditer(r"\bindicators?\s*#?\s*(\d{1,2})\b(?!\s?[ab]\b)", t):
        ids.indicators.append(m.group(1))
    for m in re.finditer(r"\bpractices?\s*#?\s*(\d{1,2})\b", t):
        ids.practices.append(m.group(1))
    for m in re.finditer(r"\bconditions?\s*#?\s*(\d{1,2})\b", t):
        ids.conditions.append(m.group(1))
    for m in re.finditer(r"\blevers?\s*#?\s*(\d)\b", t):
        ids.levers.append(m.group(1))
    for m in re.finditer(r"\bsystems?\s*#?\s*(\d)\b", t):
        ids.systems.append(m.group(1))
    for m in re.finditer(r"\bsteps?\s*#?\s*(\d)\b", t):
        ids.steps.append(m.group(1))
    ids.levels = levels_in(text)
    if ids.levels and not ids.indicators and not ids.practices:
        # "16 getting better": a bare rubric number next to a level names that indicator.
        for m in re.finditer(r"(?<![\w.#-])(\d{1,2})(?![\w.%-])", t):
            before = t[max(0, m.start() - 12):m.start()]
            if 1 <= int(m.group(1)) <= 19 and not re.search(r"(condition|lever|system|step|area|principle)s?\s*#?\s*$", before):
                ids.indicators.append(m.group(1))
    ids.frameworks = frameworks_in(text)
    for name in ("indicators", "practices", "conditions", "levers", "systems", "steps"):
        setattr(ids, name, list(dict.fromkeys(getattr(ids, name))))
    return ids
