"""Decide whether retrieved evidence answers a question, or the assistant should say the sources do not cover it.

The decision uses three tests, in order (see docs/answering.md):
1. Specific answer types. A question that asks for a figure, a ratio, a money amount, a frequency, a year, a
   person's name, a statute or an acronym's expansion is answered only when a top sentence holds a value of that
   type *and* shares a topic word with the question.
2. Topic coverage. The question's topic words (generic words like "district" or framework names removed) must be
   found in the evidence: a topic word that occurs nowhere in the indexed text (after typo-tolerant matching)
   means the documents do not discuss it.
3. Strength. The best sentence's combined score must reach a threshold calibrated on the gold set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.evidence import Sentence, content_terms, has_number

_TYPES: list[tuple[str, re.Pattern, re.Pattern]] = [
    ("statute", re.compile(r"\bstatutes?\b|\blaws?\b|\bsection \d|\bessa\b|\bcfr\b|\bu\.?s\.?c\b|\bregulation\b|\bpublic act\b|\bbill\b", re.I),
     re.compile(r"§|\bstatute\b|\bpublic act\b|\bsec\.\s*\d|\b\d+-\d+[a-z]?\b.*\blaw\b", re.I)),
    ("acronym", re.compile(r"\bstand(s)? for\b|\bacronym\b|\babbreviation\b", re.I),
     re.compile(r"\bstands? for\b|\b[A-Z]{3,}\s*\((?:[A-Z][a-z]+\s*){2,}\)", re.I)),
    ("money", re.compile(r"\$|\bdollars?\b|\bper[- ]pupil\b|\bsalary\b|\bbonus\b|\bstipend\b|\bhow much money\b|\bamount\b|\bcost\b", re.I),
     re.compile(r"\$\s?\d|\bdollars?\b|\b\d+(\.\d+)?\s?%|\bpercent\b", re.I)),
    ("ratio", re.compile(r"\bratio\b|\bcaseload\b|\bspan of control\b|\bper (supervisor|principal|teacher|coach)\b", re.I),
     re.compile(r"\b\d+\s*(:|to|per)\s*\d+\b|\bratio\b|\bper (supervisor|principal)\b", re.I)),
    ("year", re.compile(r"\bwhat year\b|\bwhen was\b|\bwhat date\b|\bpublished\b|\bpublication date\b|\bdeadline\b|\bwhich year\b", re.I),
     re.compile(r"\b(19|20)\d\d\b", re.I)),
    ("person", re.compile(r"\bwho (is|was|wrote|authored|created|developed|said|are)\b|\bname of (the )?(former |current )?"
                          r"(supt|superintendent|person|author|principal|leader)\b|\bauthored\b|\bwho\b.*\?$", re.I),
     re.compile(r"\b[A-Z][a-z]+,? (?:[A-Z]\.|[A-Z][a-z]+)(?: et al\.?)?,? \(?\d{4}\)?|\b(Dr|Mr|Ms|Mrs)\. [A-Z][a-z]+|"
                r"\b(by|authored by|developed by|written by) [A-Z][a-z]+", re.S)),
    ("names", re.compile(r"\bwhich ((\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|specific)\s+(\w+\s){0,3})?"
                         r"(districts|states|cities|vendors|universities|companies)\b|\bname the (districts|schools|states|vendors)\b",
                         re.I),
     re.compile(r"(?:\b[A-Z][a-z]+ (?:County|City|Public Schools|School District|Unified|ISD)\b)")),
    ("product", re.compile(r"\b(vendors?|products?|software|platforms?|apps?|brands?|publishers?|providers?|companies|"
                           r"company|textbook series)\b", re.I),
     re.compile(r"\b[A-Z][a-z]+[A-Z]\w*\b|\b[A-Z][a-z]+ (Learning|Education|Inc\.?|LLC|Corporation)\b")),
    ("quantity", re.compile(r"\bhow many\b|\bnumber of\b|\bmax(imum)?\b|\bminimum\b|\bclass size\b|\bpercent(age)?\b|"
                            r"\bhow (big|large|small)\b|\bhow much\b|\bhours? per\b", re.I), None),
    ("frequency", re.compile(r"\bhow often\b|\bhow frequently\b|\bfrequency\b", re.I),
     re.compile(r"\b(daily|weekly|monthly|quarterly|annual(ly)?|yearly|bi-?weekly|once|twice|every|per (week|month|year)|"
                r"\d+ times|regular(ly)?)\b", re.I)),
]


@dataclass
class Decision:
    answer: bool
    reason: str  # why (shown in "why this answer" and eval drill-downs)


def answer_type(question: str) -> str | None:
    """The specific kind of value a question asks for, if any."""
    for name, ask, _ in _TYPES:
        if ask.search(question):
            return name
    return None


def decide(question: str, top: list[Sentence], vocabulary: set[str], threshold: float,
           fuzzy=None) -> Decision:
    """Whether the top-ranked sentences answer the question; the reason either way."""
    if not top:
        return Decision(False, "nothing relevant was retrieved")
    terms = content_terms(question)
    kind = answer_type(question)
    if kind:
        provides = next(p for n, _, p in _TYPES if n == kind)
        ok = []
        for s in top[:4]:
            has_value = has_number(s.text) if provides is None else bool(provides.search(s.text))
            shares = not terms or s.lexical > 0
            if has_value and shares:
                ok.append(s)
        if not ok:
            return Decision(False, f"the question asks for a {kind} and no retrieved passage states one")
    missing = [t for t in terms if t not in vocabulary and not (fuzzy and fuzzy(t))]
    if len(missing) >= 2 or (missing and len(terms) <= 2):
        return Decision(False, f"the documents never mention: {', '.join(missing)}")
    best = max(s.score for s in top)
    if best < threshold:
        return Decision(False, f"the best evidence is weak (score {best:.2f} < {threshold:.2f})")
    return Decision(True, f"best evidence score {best:.2f}")
