"""Resolve follow-up questions against the conversation without a language model.

Each earlier user turn is resolved in order, keeping what it referred to (catalog items, a listed set, a rubric
level). An elliptical follow-up ("and at keep improving?", "the second one",
"what does #5 include?", "which lever are those in") is rewritten into a self-contained question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.frameworks import identifiers as ident, kinds as K, resolver
from assistant.text.tokens import tokens
from assistant.answering import listing
from assistant.answering.features import ROLES
from assistant.answering.message import read_message
from assistant.answering.structure import asks_order

ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5,
            "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8, "ninth": 9, "9th": 9,
            "tenth": 10, "10th": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "last": -1}
_ORDINAL = re.compile(r"\b(?:the\s+)?(" + "|".join(ORDINALS) + r")\b(?:\s+(one|item|on the list|indicator|condition|"
                      r"lever|system|step|practice|component|area|function|principle|strategy))?|#\s?(\d{1,2})\b|"
                      r"\bnumber\s+(\d{1,2})\b|\bno\.\s?(\d{1,2})\b", re.I)
_ANAPHORA = re.compile(r"\b(that one|this one|the same|it|its|that|this|those|these|them|they|there)\b", re.I)
# How a follow-up may open: a thank-you, then "and" / "ok" / "so".
_LEAD = r"^\W*(?:(?:thanks?(?: you)?|thx|great|cool|got it|perfect|nice|helpful)\W+)?(?:and\s+|ok(?:ay)?,?\s+|so\s+)?"
_WHAT_ABOUT = re.compile(_LEAD + r"(?:what|how)\s+about\s+(?:for\s+|with\s+)?(?P<x>[^?.!]+?)\W*$", re.I)
_WHICH_ONE = re.compile(_LEAD + r"which (?:one\b(?! of)|of (?:them|those|these)\b)(?P<rest>[^?]+)", re.I)
_ALSO = re.compile(r"\b(?:too|also|as well|either)\b", re.I)
_ELLIPTIC_START = re.compile(r"^\s*(and|what about|how about|ok(ay)?|also|then|so|same|now|plus|but)\b", re.I)


@dataclass
class Context:
    """What the conversation so far refers to."""

    items: list = field(default_factory=list)  # catalog items, most specific first
    members: list = field(default_factory=list)  # the last complete list shown
    level: str | None = None
    question: str = ""


def resolve(question: str, history: list[dict] | None, catalog) -> str:
    """The question rewritten against the earlier turns into a self-contained question (unchanged when it stands
    on its own). User turns set the subject; when a user turn names no catalog item, the items the assistant's
    answer named become the subject (so "the second one" and "those" refer to what was shown)."""
    ctx = Context()
    for turn in history or []:
        content = str(turn.get("content", "")).strip() if isinstance(turn, dict) else ""
        if not content:
            continue
        if turn.get("role") == "user":
            ctx = _context_of(_resolve_one(content, ctx, catalog), catalog, ctx)
        elif turn.get("role") == "assistant" and catalog is not None and not is_refusal(content):
            shown = shown_items(catalog, content)
            if len(shown) >= 2:
                ctx.members = shown  # "the second one" counts in what the person saw, in the order shown
            if not ctx.items:
                ctx.items = resolver.mentioned(catalog, content)[:3]
    return _resolve_one(question, ctx, catalog)


_BOLD = re.compile(r"\*\*([^*\n]{2,200}?)\*\*")


def shown_items(catalog, answer_text: str) -> list:
    """The catalog items an answer names in its bold labels ("**Condition 3: Structures …**"), in the order shown."""
    out: list = []
    for m in _BOLD.finditer(answer_text):
        head = m.group(1).split(":")[0].split("—")[0].strip(" .")
        if not head or len(head.split()) > 12:
            continue
        found = resolver.lookup(catalog, head)
        numbered = bool(re.search(r"\d", head))
        if found and (numbered or len(found) == 1) and found[0] not in out:
            out.append(found[0])
    # An answer that introduces a list by its container ("Step 1 names three conditions: …") shows the members:
    # "the third one" counts in them, not in the heading.
    inside = {a.id for i in out for a in catalog.ancestors(i.id)}
    return [i for i in out if i.id not in inside]


# "Which framework says that?", "where is that from?": a question about the previous answer's sources.
_PROVENANCE = re.compile(
    r"\b(?:which|what) (?:framework|document|doc|source|report|one|paper|of (?:these|the) (?:frameworks|documents))s?"
    r"\b[^?]{0,40}\b(?:say|says|said|is (?:it|that|this)|was (?:it|that)|does (?:it|that)|has|have|from|talks?|"
    r"mentions?|covers?|describes?)\b|\bwhere (?:is|does|did|do) (?:that|this|it|those|these)\b[^?]{0,20}\b(?:come )?"
    r"from\b|\bwho says (?:that|this|so)\b|\b(?:source|citation|reference) for (?:that|this|those)\b", re.I)
_REFUSAL = re.compile(r"\b(?:do not cover|don't cover|couldn't find|could not find|not covered|no passage|"
                      r"nothing in the (?:documents|frameworks)|not (?:in|from) the (?:documents|frameworks))\b", re.I)


def asks_provenance(question: str) -> bool:
    """True for a short question about where the previous answer comes from ("which framework says that?"); one
    with a subject of its own ("which one covers budgets?") asks something else."""
    m = _PROVENANCE.search(question)
    if not m or len(question.split()) > 16:
        return False
    rest = re.split(r"[?.!;]", question[m.end():], maxsplit=1)[0]  # the words after the asking, up to its end
    return _own_terms(rest) == 0


def is_refusal(answer_text: str) -> bool:
    """True when an assistant turn said the documents do not cover the question."""
    return bool(_REFUSAL.search(answer_text))


def previous_exchange(history: list[dict] | None) -> tuple[str, str]:
    """(last user message, the assistant's reply to it); empty strings when there is none."""
    user, reply = "", ""
    for turn in history or []:
        if not isinstance(turn, dict):
            continue
        if turn.get("role") == "user":
            user, reply = str(turn.get("content", "")), ""
        elif turn.get("role") == "assistant":
            reply = str(turn.get("content", ""))
    return user, reply


def _resolve_one(question: str, ctx: Context, catalog) -> str:
    q = question.strip()
    if not ctx.question or catalog is None or not _is_elliptic(q):
        return q
    ids = ident.parse(q)
    low = q.lower()

    # 1. An ordinal ("the second one") or "which one …" pointing into what was shown.
    pointed = _into_shown(q, low, ctx, catalog)
    if pointed:
        return pointed

    # 2. Another framework on the same subject ("how does uva handle the same thing?", "and in INSTLL?"): the
    #    earlier question asked of the framework(s) now named.
    others = [f for f in ids.frameworks if f not in ident.frameworks_in(ctx.question)] or ids.frameworks
    if ids.frameworks and ctx.question and (_own_terms(q) <= 1 or (_ALSO.search(q) and _ANAPHORA.search(q))):
        # "does uva put a number on it too, or is that just instll?": the earlier question, of the other framework
        named = " and ".join(others)
        if read_message(ctx.question).describes_situation:  # the story stays a story, asked of those frameworks
            story = ctx.question.rstrip()
            return f"{story}{'' if story[-1] in '.!?' else '.'} What should we do, according to the {named}?"
        swapped = ident.with_framework(ctx.question, named)
        if swapped is not None:  # "what does lead ct say about X" asked of UVA-PLE: "what does UVA-PLE say about X"
            return swapped
        return " ".join(f"{ctx.question.rstrip(' ?')} in {named}?".split())

    # 2b. A bare level ("and at keep improving?") or a bare indicator swap ("and 3b?").
    rubric_item = next((i for i in ctx.items if i.kind in ("indicator", "practice")), None)
    if ids.indicators and not ids.levels and ctx.level and len(q.split()) <= 5:
        return f"what does {ids.indicators[0]} say at {ctx.level}"
    if ids.indicators or ids.practices or ids.conditions or ids.levers or ids.systems or ids.steps:
        return q  # names its own subject
    if ids.levels and rubric_item is not None:
        ref = rubric_item.number if rubric_item.kind == "indicator" else f"practice {rubric_item.number}"
        return f"what does {ref} say at {' and '.join(ids.levels)}"

    # 3. A bare number ("and 8?") replaces the number of the previous item of the same kind.
    bare = re.fullmatch(r"\W*(?:and|what about|how about)?\s*#?(\d{1,2})\s*\W*", q, re.I)
    if bare and ctx.items:
        prev = ctx.items[0]
        hit = [i for i in catalog.of_kind(prev.kind, prev.framework) if i.number == bare.group(1)]
        if hit:
            return f"{hit[0].label} ({hit[0].framework})"

    # 4. "which lever are those in" / "what area is that under": ask about the parent of the referred items.
    parent_q = re.search(r"\bwhich (lever|area|step|component|practice|function)\b", low)
    if parent_q and ctx.items and _ANAPHORA.search(q):
        labels = " and ".join(i.label for i in ctx.items[:2])
        return f"which {parent_q.group(1)} is {labels} in"

    # 4b. "What comes next?", "what about for teachers?": the neighbour of the item, or the earlier question asked
    #     of other people.
    moved = _order_or_swap(q, ctx)
    if moved:
        return moved

    # 5. Pronouns and "what about X": carry the earlier subject.
    if ctx.items and (_ANAPHORA.search(q) or len(q.split()) <= 4):
        subject = _short(ctx.items[0])
        if len(ctx.items) > 1 and _plural_anaphora(q):
            subject = " and ".join(_short(i) for i in ctx.items[:3])
        they = _people_act(q)
        if they is not None:  # "how often are they supposed to be in the buildings": they are the people the
            # earlier question was about, not the items the answer named; it is read with that question (an "it"
            # before them is still the item: "does it say how often they …")
            thing = _THING.search(q, 0, they)
            base = q[:thing.start()] + subject + q[thing.end():] if thing else q
            return f"{base.rstrip(' ?')}? {ctx.question}"
        if _ANAPHORA.search(q):
            rewritten = _ANAPHORA.sub(lambda _m: subject, q, count=1)
        else:
            rewritten = f"{q.rstrip(' ?')} {subject}?"
        return rewritten
    if ctx.question:
        # No catalog item to point at (e.g. the earlier turn described a situation): the follow-up is read together
        # with the whole earlier question, which carries its subject.
        return f"{q.rstrip(' ?')}? {ctx.question}"
    return q


def _into_shown(q: str, low: str, ctx: Context, catalog) -> str | None:
    """"The second one" / "which one covers budgets?": the question about the shown item(s) it points at, or None."""
    # Ordinal reference into the last list or into a practice's indicators.
    m = _ORDINAL.search(q)
    if m:
        n = _ordinal_number(m)
        noun = (m.group(2) or "").lower()
        pool = ctx.members
        if noun == "indicator" or ("indicator" in low and ctx.items and ctx.items[0].kind == "practice"):
            practice = next((i for i in ctx.items if i.kind == "practice"), None)
            if practice is not None:
                pool = [c for c in catalog.children(practice.id) if c.kind == "indicator"]
        numbered = [i for i in pool if n is not None and i.number == str(n)]
        if numbered and not m.group(1):
            pool, n = numbered, 1  # "number 6" in a list of Conditions 3-6 is Condition 6, not the sixth one
        if pool and n is not None and -len(pool) <= (n - 1 if n > 0 else n) < len(pool):
            target = pool[n - 1] if n > 0 else pool[n]
            label = f"{target.label} ({target.framework})"
            rewritten = q[:m.start()] + label + q[m.end():]
            if len(rewritten.split()) <= len(label.split()) + 1:
                rewritten = f"what does {label} include?"
            return rewritten

    # "The trust one": the shown or discussed item (or a part of it) whose title, else text, holds that word.
    described = _described_one(q, ctx, catalog)
    if described:
        return described

    # "Which one covers budgets?" after a list of one kind: which of those members.
    which = _WHICH_ONE.match(q)
    kinds = {i.kind for i in ctx.members}
    frameworks = {i.framework for i in ctx.members}
    if which and len(ctx.members) >= 2 and len(kinds) == 1 and len(frameworks) == 1:
        return f"which of {frameworks.pop()}'s {K.plural(kinds.pop())} {which.group('rest').strip()}"
    return None


# "the trust one", "the budget one": a word or two of what an item is about, then "one".
_THE_X_ONE = re.compile(r"\bthe ((?:[a-z][\w'-]* )?[a-z][\w'-]*) one\b", re.I)
_NOT_A_TOPIC = frozenset(tokens("other same next previous last first second third fourth fifth sixth seventh "
                                "this that right wrong new old only main big real"))


def _described_one(q: str, ctx: Context, catalog) -> str | None:
    """The follow-up with "the X one" replaced by the one item of the conversation (shown members, discussed items
    and their parts) whose title holds X, else whose text does; None when no single item does."""
    m = _THE_X_ONE.search(q)
    terms = set(resolver.reference_tokens(m.group(1))) - _NOT_A_TOPIC if m else set()
    if not terms:
        return None
    pool = list(dict.fromkeys(ctx.members + [d for i in ctx.items for d in [i, *catalog.descendants(i.id)]]))
    hits = [i for i in pool if terms <= resolver.reference_terms(i.title)] or \
        [i for i in pool if terms <= resolver.reference_terms(i.text)]
    if len(hits) != 1:
        return None
    return q[:m.start()] + f"{hits[0].label} ({hits[0].framework})" + q[m.end():]


def _order_or_swap(q: str, ctx: Context) -> str | None:
    """"What comes next?" / "and the one before it?": the neighbour of the item the conversation is on (the one the
    earlier answer named when the question named none). "What about for teachers?" after a question about
    principals: the earlier question asked of the other people (roles are a closed class; another kind of "X"
    carries the earlier subject instead). None when neither applies."""
    if ctx.items and asks_order(q):
        item = ctx.items[0]
        return f"{q.rstrip(' ?')} ({item.label}, {item.framework})?"
    swap = _WHAT_ABOUT.match(q)
    role = ROLES.search(swap.group("x")) if swap else None
    if role and ROLES.search(ctx.question):
        return ROLES.sub(role.group(0), ctx.question, count=1)
    return None


def _context_of(question: str, catalog, prev: Context) -> Context:
    """What a (resolved) user turn refers to; an elliptical turn inherits from the previous context."""
    ctx = Context(question=question)
    req = listing.detect(question, catalog)
    items = resolver.mentioned(catalog, question)
    ids = ident.parse(question)
    if ids.indicators:
        items = [catalog.leveled_item("indicator", n) for n in ids.indicators
                 if catalog.leveled_item("indicator", n)] + items
    ctx.items = items[:3]
    if req is not None:
        ctx.members = req.members
        if req.scope is not None:
            ctx.items = [req.scope] + ctx.items
    ctx.level = ids.levels[0] if ids.levels else prev.level
    if not ctx.items and not req:
        ctx.items = prev.items
        ctx.members = ctx.members or prev.members
    return ctx


def _short(item) -> str:
    """How a rewritten follow-up names an item: a numbered label alone ("Condition 8", with its framework), since
    the words of a full title ("Systems to Attract …") would read as the user's own ("systems")."""
    head = item.label.split(":")[0].strip()
    if head != item.label and re.search(r"\d", head):
        return f"{head} ({item.framework})"
    return item.label


# What a text does ("what do they say about …"): with these verbs "they" are the documents or items discussed.
_TEXT_VERBS = frozenset("say says said cover covers mean means include includes describe describes list lists address "
                        "addresses require requires recommend recommends ask asks call calls look looks fit fits relate "
                        "relates differ compare overlap connect belong belongs sit sits apply applies mention mentions "
                        "talk talks define defines suggest suggests expect expects want wants have has contain "
                        "contains cite cites emphasize emphasise stress focus".split())
_SUBJECT_THEY = re.compile(r"\bthey\s+(?:(?:actually|really|just|even|ever|always|usually|still|also|all|both)\s+)*"
                           r"([a-z']+)", re.I)


_THING = re.compile(r"\b(?:it|its|this|that)\b", re.I)


def _people_act(q: str) -> int | None:
    """Where "they" stands when it is the subject of something people do ("are they supposed to visit", "what did
    they set up"): it then points at the people of the earlier turns, not at the items the answer named; else None."""
    m = _SUBJECT_THEY.search(q)
    return m.start() if m and m.group(1).lower() not in _TEXT_VERBS else None


def _own_terms(q: str) -> int:
    """How many subject words the question has of its own (framework names, pronouns and question words aside)."""
    from assistant.answering.features import specific_terms

    generic = set(tokens("same thing things handle handles treat treats approach cover covers deal deals about what "
                         "how does do this that it"))
    return len([t for t in specific_terms(ident.without_frameworks(q)) if t not in generic])


# A short acknowledgement before the follow-up proper ("figured.", "fair enough,", "ok got it.").
_ACK = re.compile(r"^\W*(?:[a-z']+\s+){0,2}[a-z']+[.,!;:]+\s+(?=\S)", re.I)


# A question whose subject is a pronoun ("does it say …", "are they supposed to …") points back, however long.
_PRONOUN_SUBJECT = re.compile(r"^\W*(?:does|do|did|is|are|was|were|can|could|would|will|should|has|have)\s+"
                              r"(?:it|they|that|this|those|these)\b", re.I)


def _is_elliptic(q: str) -> bool:
    ack = _ACK.match(q)
    if ack and len(q[ack.end():].split()) >= 3:
        q = q[ack.end():]
    words = q.split()
    also_there = bool(_ALSO.search(q) and _ANAPHORA.search(q) and ident.frameworks_in(q))  # "does uva … it too?"
    return bool(_ELLIPTIC_START.search(q) or _PRONOUN_SUBJECT.match(q) or also_there or _ORDINAL.search(q) or
                _WHICH_ONE.match(q) or len(words) <= 4 or _THE_X_ONE.search(q) or
                (_ANAPHORA.search(q) and len(words) <= 12))


def _plural_anaphora(q: str) -> bool:
    return bool(re.search(r"\b(those|these|them|they|both)\b", q, re.I))


def _ordinal_number(m: re.Match) -> int | None:
    if m.group(1):
        return ORDINALS.get(m.group(1).lower())
    for g in (3, 4, 5):
        if m.group(g):
            return int(m.group(g))
    return None
