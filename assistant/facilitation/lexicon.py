"""What the wording of a theory of action needs to know about English words: which words can be verbs, the base
form of an inflected verb ("reviews", "coaching", "hired" -> "review", "coach", "hire"), and which words are common
English (so a stray capital on them can be lowered). Backed by lemminflect's dictionary (shipped in its wheel, no
download), loaded on first use.
"""

from __future__ import annotations

from functools import lru_cache

# Function words lemminflect does not list (it covers content words only).
FUNCTION_WORDS = frozenset("""a an the and or but nor so yet for of to in on at by with from into onto over under
about after before during within without through across between among against per than as if then that which
who whom whose what when where why how this these those our their its his her my your we they it he she i you us
them all every each any some no none most many much more few fewer less least both either neither other another
such own same not only also very just still even again once will would shall should can could may might must do
does did is are was were be been being has have had one two three four five six seven eight nine ten eleven
twelve twenty thirty forty fifty hundred thousand first second third fourth fifth half twice""".split())


# School-system words the general dictionary lacks: ordinary words, not names, wherever they appear.
DOMAIN_WORDS = frozenset("""walkthrough walkthroughs onboarding upskill upskilling edtech preK prek pre-k dashboard
dashboards cadre cadres microcredential microcredentials coteaching co-teaching elearning formative summative
benchmark benchmarks interims screener screeners tutoring""".lower().split())
# Verbs that take a preposition ("invest in", "partner with"): "investing in …" is an action, "coaching for …" a topic.
PREPOSITIONAL_VERBS = frozenset("""invest:in partner:with focus:on work:with engage:with collaborate:with advocate:for
plan:for respond:to listen:to build:on follow:up commit:to act:on report:to meet:with reach:out team:up
check:in account:for prepare:for apply:for search:for push:for allow:for budget:for""".split())


@lru_cache(maxsize=4096)
def lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """Parts of speech lemminflect knows for `word` (case-insensitive), each with its lemmas; {} if unknown."""
    from lemminflect import getAllLemmas

    return dict(getAllLemmas(word.lower()))


def is_common(word: str) -> bool:
    """Whether the lowercase word is ordinary English (a function word or in the dictionary); a hyphenated word
    when all its parts are ("high-quality", "grade-level")."""
    w = word.lower().strip("'-")
    if "-" in w:
        parts = [p for p in w.split("-") if p]
        return bool(parts) and all(p.isdigit() or is_common(p) for p in parts)
    return w in FUNCTION_WORDS or w in DOMAIN_WORDS or bool(lemmas(w))


def takes(verb: str, preposition: str) -> bool:
    """Whether `verb` is used with `preposition` ("invest in")."""
    return f"{verb}:{preposition}" in PREPOSITIONAL_VERBS


def can_be_verb(word: str) -> bool:
    return "VERB" in lemmas(word)


def can_be_other(word: str) -> bool:
    """Whether the word is also a noun or adjective ("support", "plan", "school")."""
    parts = lemmas(word)
    return "NOUN" in parts or "ADJ" in parts


def verb_base(word: str) -> str | None:
    """The base form of a verb form ("reviews" -> "review", "coaching" -> "coach"), or None if not a verb."""
    forms = lemmas(word).get("VERB")
    return forms[0].lower() if forms else None
