"""The catalog item a question is plainly about: named by number ("condition 4 uva ple"), by (most of) its title
("say more about connect the dots"), by a part of it ("purpose of focusing direction"), or by a term asked the
meaning of that exactly one title holds ("what does 'tight/loose' mean?")."""

from __future__ import annotations

import re

from assistant.answering import composer, evidence
from assistant.frameworks import identifiers as ident, resolver
from assistant.frameworks.catalog import Catalog
from assistant.text.tokens import tokens

# Words that frame a question rather than name its subject ("how does LEAD CT define ...").
_QUESTION_WORDS = frozenset(tokens("what whats say says about more tell define definition mean means describe explain "
                                   "framework frameworks lead ct uva ple instll rubric according per"))
# A term asked about: quoted, or between "what does" and "mean".
_TERM = re.compile(r"[\"“‘](?P<quoted>[^\"”’]{3,60})[\"”’]|(?<![\w])'(?P<single>[^']{3,60})'(?![\w])|"
                   r"\bwhat (?:does|do) (?:the (?:term|phrase|word) )?(?P<bare>[\w/&-]+(?: [\w/&-]+){0,3}) mean\b", re.I)
_PART = re.compile(r"deepened work|implications?|purpose|process outcomes?|definition", re.I)


def named_item(catalog: Catalog, rq: str, ids: ident.Identifiers):
    """The item the question is plainly about, or None."""
    if evidence.asks_for_examples(rq):
        return None  # an example of an item is in the stories that illustrate it, not in the item's own text
    numbered = ids.conditions or ids.practices or ids.levers or ids.systems or ids.steps
    termed = term_named(catalog, rq)
    if termed and _mostly(rq, resolver.reference_terms(termed[0].title)):
        return termed[0]  # the question asks what a term means that one title holds ("what counts as a 'X'?")
    mentioned = resolver.mentioned(catalog, rq) or termed
    if not mentioned:
        return None
    top = mentioned[0]
    if numbered and top.number and not composer.asks_to_compare(rq) and not composer.asks_how_to(rq):
        return top
    if _PART.search(rq) and top.fields:
        return top
    if len(top.title.split()) >= 2 and top.kind not in ("section", "notes", "culture-feature", "leadership-condition"):
        if _mostly(rq, set(tokens(top.title)), 0.6):
            return top  # the question is essentially the item's name ("say more about connect the dots")
    return None


def _mostly(rq: str, title_terms: set[str], share: float = 0.5) -> bool:
    """Whether the title's words make up at least `share` of the question's own words (question words aside)."""
    q_terms = set(tokens(re.sub(r"\(.*?\)", " ", rq))) - _QUESTION_WORDS
    return bool(q_terms) and len(q_terms & title_terms) / len(q_terms) >= share


def term_named(catalog: Catalog, rq: str) -> list:
    """The item whose title holds the term a question quotes or asks the meaning of ("what does 'tight/loose' mean?"
    names Condition 5: Tight/Loose Defined Principal Autonomy), when exactly one title holds all its words."""
    m = _TERM.search(rq)
    term = next((g for g in m.groups() if g), "") if m else ""
    terms = set(resolver.reference_tokens(term)) - _QUESTION_WORDS
    holders = [i for i in catalog if terms and terms <= resolver.reference_terms(i.title)]
    # One item's title holds the term: a term many titles share ("the district") names none of them.
    return holders if len(holders) == 1 else []
