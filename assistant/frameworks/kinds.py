"""The words people use for each kind of catalog item ("levers", "areas of focus", "key conditions"), and numbered
references to items ("condition 15", "the eighth system", "lever six").

This is framework vocabulary: the nouns are the documents' own names for their parts plus the common words people
use for them; the generic layers ask here instead of testing nouns themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Nouns → catalog kinds, most specific first (a longer phrase wins over a shorter one inside it).
KIND_NOUNS: list[tuple[str, tuple[str, ...]]] = [
    (r"catalyzing conditions?", ("catalyzing-condition",)),
    (r"culture features?|features? of (?:a )?healthy (?:district )?culture|cultural features?|features?|"
     r"characteristics?", ("culture-feature",)),
    (r"key conditions?|(?:school[- ])?leadership conditions?|conditions? (?:that )?principals need",
     ("leadership-condition",)),
    (r"requirements?", ("requirement",)),
    (r"(?:coherence )?principles?", ("principle",)),
    (r"systems?", ("system",)),
    (r"levers?", ("lever",)),
    (r"conditions?", ("condition", "catalyzing-condition", "leadership-condition")),
    (r"steps?|stages? of the pathway|pathway stages?", ("step",)),
    (r"strateg(?:y|ies)|strategy areas?", ("strategy",)),
    (r"(?:core )?(?:district )?functions?", ("function", "element")),
    (r"areas? of focus|focus areas?|areas?|domains?", ("area",)),
    (r"indicators?|indicator rows?", ("indicator",)),
    (r"practices?", ("practice",)),
    (r"process outcomes?|outcomes?", ("outcome",)),
    (r"components?|parts?|elements?|rings?|layers?", ("component", "element")),
    (r"criteria|criterion", ("criterion",)),
    (r"actions?", ("action",)),
    (r"vignettes?|examples? from the field|insights? from the field", ("vignette",)),
]
# The rubric's progress levels are fields of its indicators, not items; they have their own noun.
LEVEL_NOUN = re.compile(r"\b(?:progress |performance |rubric )?(?:levels?|stages?|ratings?)\b", re.I)

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
            "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20}
NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty".split())}
_NUM = r"(\d{1,2}[a-z]?|" + "|".join(NUMBER_WORDS) + r")"
NUMBER = r"(\d{1,2}|" + "|".join(NUMBER_WORDS) + r")"  # a plain count, in digits or words (one group)
_ORD = r"(\d{1,2}(?:st|nd|rd|th)|" + "|".join(ORDINALS) + r")"

PLURALS = {"system": "systems", "principle": "coherence principles", "culture-feature": "features of a healthy culture",
           "leadership-condition": "key conditions for school leadership", "requirement": "requirements",
           "step": "steps", "catalyzing-condition": "catalyzing conditions", "strategy": "strategies",
           "function": "core district functions", "element": "elements", "area": "areas of focus",
           "practice": "practices", "indicator": "indicators", "lever": "levers", "condition": "conditions",
           "component": "components", "outcome": "process outcomes", "criterion": "criteria", "action": "actions",
           "vignette": "field vignettes"}


def plural(kind: str, n: int = 2) -> str:
    """The display noun for n items of a kind ("13 conditions", "1 lever")."""
    word = PLURALS.get(kind, kind.replace("-", " ") + "s")
    if n != 1:
        return word
    return "criterion" if word == "criteria" else re.sub(r"(ies)$", "y", word) if word.endswith("ies") else \
        word[:-1] if word.endswith("s") else word


@dataclass(frozen=True)
class KindMention:
    """A kind noun in a text: where it starts, the words used, the kinds it may mean, and whether it is plural."""

    start: int
    noun: str
    kinds: tuple[str, ...]

    @property
    def plural(self) -> bool:
        return bool(re.search(r"(?:s|criteria)$", self.noun))


def kind_mentions(text: str) -> list[KindMention]:
    """Kind nouns in the text, in order; where two overlap, the longer (more specific) one."""
    low = text.lower()
    found: list[KindMention] = []
    for pattern, kinds in KIND_NOUNS:
        for m in re.finditer(rf"\b({pattern})\b", low):
            if any(f.start <= m.start() < f.start + len(f.noun) or m.start() <= f.start < m.end() for f in found):
                continue
            found.append(KindMention(m.start(), m.group(1), kinds))
    return sorted(found, key=lambda k: k.start)


@dataclass(frozen=True)
class NumberedMention:
    """A reference to an item by kind and number ("condition 15" -> (("condition", …), "15"))."""

    kinds: tuple[str, ...]
    noun: str
    number: str


def numbered_mentions(text: str) -> list[NumberedMention]:
    """Items referred to by number: "condition 15", "lever six", "indicator 25c", "the eighth system",
    "13th condition"."""
    low = text.lower()
    out: list[NumberedMention] = []
    for pattern, kinds in KIND_NOUNS:
        for m in re.finditer(rf"\b({pattern})\s*(?:#|no\.?|number)?\s*{_NUM}\b", low):
            out.append(NumberedMention(kinds, m.group(1), _number(m.group(2))))
        for m in re.finditer(rf"\b{_ORD}\s+(?:\w+\s+){{0,2}}?({pattern})\b", low):
            out.append(NumberedMention(kinds, m.group(2), _number(m.group(1))))
    seen, unique = set(), []
    for n in out:
        if (n.kinds, n.number) not in seen:
            seen.add((n.kinds, n.number))
            unique.append(n)
    return unique


def ordinal_level(text: str) -> int | None:
    """A rubric level asked for by position ("the fourth level", "level 5"), or None."""
    low = text.lower()
    m = re.search(rf"\b{_ORD}\s+(?:\w+\s+){{0,2}}?(?:levels?|stages?|ratings?)\b|\blevel\s*{_NUM}\b", low)
    if not m:
        return None
    return int(_number(m.group(1) or m.group(2)).rstrip("abcdefgh") or 0) or None


def count_of(token: str) -> int:
    """The value of a count written in digits or words ("6", "six")."""
    return int(_number(token))


def _number(token: str) -> str:
    token = token.lower()
    if token in ORDINALS:
        return str(ORDINALS[token])
    if token in NUMBER_WORDS:
        return str(NUMBER_WORDS[token])
    return re.sub(r"(st|nd|rd|th)$", "", token)
