"""Recognise questions that ask for a list of framework items and return the complete list from the catalog."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.features import ABOUT_SOURCES, asks_for_value
from assistant.frameworks import identifiers as ident, kinds as K
from assistant.frameworks.model import Item
from assistant.frameworks.resolver import mentioned
from assistant.text.tokens import tokens

_LIST_CUE = re.compile(
    r"^\s*(what|which|list|name|give|enumerate|show)\b|\bwhat (are|r)\b|\blist\b|\bname (the|all)\b|"
    r"\b(the|all)\s+(\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|nineteen)\s+\w+|"
    r"\b(\d+|two|three|four|five|six|seven|thirteen|nineteen)\s+\w+\s+(in|of)\b|\bwhat's under\b|\bunder (it|the)\b|"
    r"\bmake up\b|\bsit under\b|\bbelong to\b|\bwhat teams\b|\?\s*$", re.I)
_SINGULAR_CUE = re.compile(
    r"\bwhich (?:one )?of\b[^?]{0,60}\b(?:does|do|would|fits?|hits?|matches?|applies|best)\b|"
    r"\b(which|what) (one|single)\b|\bwhich (practice|condition|system|lever|area|step|component|indicator) "
    r"(is|covers|talks|addresses|deals|are (those|these|they|it|that))\b|\bwhy\b|\bbuilt on\b|\bbased on\b|"
    r"\bmeans?\b|\bdefin|\bdiffer|\bcompare\b|\bvs\.?\b|\bhow (do|does|should|can|would|to)\b", re.I)


@dataclass
class ListRequest:
    """A resolved list question: the framework, the kind of item, the scope item and the complete members."""

    framework: str
    kind: str
    noun: str
    scope: Item | None
    members: list


def _kind_candidates(question: str, plural_only: bool = True) -> list[tuple[str, tuple[str, ...], str]]:
    """Item nouns in the question, earliest first (the first one is usually what is to be listed), each with the
    words that follow it."""
    low = question.lower()
    found = []
    for order, (pattern, kinds) in enumerate(K.KIND_NOUNS):
        for m in re.finditer(rf"\b({pattern})\b", low):
            noun = m.group(1)
            if plural_only and not re.search(r"(s|criteria)$", noun) and " " not in noun:
                continue
            found.append((m.start(), order, noun, kinds, question[m.end():]))
            break
    found.sort()
    return [(noun, kinds, rest) for _, _, noun, kinds, rest in found]


def detect(question: str, catalog, frameworks_hint: list[str] | None = None) -> ListRequest | None:
    """The complete list a question asks for, or None when it is not a list question the catalog can answer."""
    question = ident.expand(question)
    short = len(question.split()) <= 10 and not re.match(r"\s*(how|why|does|do|is|can|should|when|who)\b", question, re.I)
    if catalog is None or not (_LIST_CUE.search(question) or short) or _SINGULAR_CUE.search(question):
        return None
    if _asks_about_something_else(question):
        return None
    ids = ident.parse(question)
    if ids.indicators and not re.search(r"\bindicators\b", question, re.I):
        return None  # a rubric cell question, not a list
    if len(ids.frameworks) >= 2:
        return None  # a question about two frameworks compares them; it does not ask for one framework's list
    named = ids.frameworks or list(frameworks_hint or [])
    counted = _counted_list(question, catalog, named)
    if counted is not None:
        return counted  # a stated count picks the kind before a loose noun does ("the six things … parts")
    stated = _COUNTED_THINGS.search(question)
    size = K.count_of(stated.group(1)) if stated else None
    scope = _scope(question, catalog)
    for noun, kinds, rest in _kind_candidates(question):
        # the members inside the scope the question names come first ("functions under Teaching and Learning")
        for kind, scope in [(k, sc) for sc in dict.fromkeys([scope, None]) for k in kinds]:
            pool = _members(catalog, kind, scope)
            if named:
                pool = [i for i in pool if i.framework in named] or (pool if scope is not None else [])
            everyday = noun in _EVERYDAY and not named and scope is None
            if not pool or everyday or _qualified_otherwise(rest, pool, catalog):
                continue
            if size is not None and len(pool) != size:
                continue  # "the four things UVA groups its conditions into" are not its 13 conditions
            fws = {i.framework for i in pool}
            if len(fws) > 1:
                # Same noun in several frameworks ("conditions"): prefer the one the question names, else skip.
                continue
            if scope is None and kind in ("practice", "indicator", "outcome", "action", "element") and len(pool) > 8 \
                    and not re.search(r"\ball\b|\bevery\b", question, re.I):
                continue  # "which practices help with X" is a search, not "list all 19"
            return ListRequest(pool[0].framework, kind, noun, scope, pool)
    top = mentioned(catalog, question)
    if scope is not None and top and top[0] is scope and \
            re.search(r"what's under|whats under|what is under|under it|sit under|included|include", question, re.I):
        kids = catalog.children(scope.id)
        if kids:
            kids = [k for k in kids if k.kind == kids[0].kind]  # the members, not a field vignette beside them
            return ListRequest(scope.framework, kids[0].kind, "items", scope, kids)
    return None


# "The six things LEAD CT says …": a number with a noun that names no kind of item.
_COUNTED_THINGS = re.compile(rf"\b{K.NUMBER}\s+(?:\w+\s+)?(?:things|items|parts|pieces|ideas|points|pillars|buckets|"
                             r"building blocks|big ideas|moves|musts)\b", re.I)


def _counted_list(question: str, catalog, named: list[str]) -> ListRequest | None:
    """"The six things LEAD CT says superintendents must do": in the one framework named, the one kind of item
    that has exactly that many members (None when no kind, or several, have that count)."""
    m = _COUNTED_THINGS.search(question)
    if m is None or len(named) != 1:
        return None
    n = K.count_of(m.group(1))
    kinds = dict.fromkeys(i.kind for i in catalog if i.framework == named[0])
    fits = [pool for pool in (catalog.of_kind(kind, named[0]) for kind in kinds) if len(pool) == n]
    if len(fits) != 1:
        return None
    return ListRequest(named[0], fits[0][0].kind, m.group(0), None, fits[0])


# Nouns with an everyday sense: they name a framework's items only in a question that names the framework.
_EVERYDAY = frozenset("features characteristics parts elements criteria actions insights examples".split())
# What may follow a kind noun to say whose items are meant ("criteria for that designation", "features it needs").
_QUALIFIER = re.compile(r"^\s*(?:(?:for|of|that|which|it|they|we|you|our|your|a|an)\s+)([^?.!;,]{3,80})", re.I)
_FRAMING = frozenset(tokens("make makes made up include includes included list listed name named describe described "
                            "say says cover covers framework frameworks document documents doc brief rubric model "
                            "need needs have has are is there exactly all every each"))


def _qualified_otherwise(rest: str, pool: list, catalog) -> bool:
    """True when the words right after the kind noun say whose items are meant and none of them occurs in those
    members or in what holds them ("criteria for that designation" are not INSTLL's criteria for goals; "features
    it needs to have" are not the features of a healthy culture): the noun is used in its everyday sense."""
    m = _QUALIFIER.match(ident.without_frameworks(rest))
    if m is None:
        return False
    terms = set(tokens(m.group(1))) - _FRAMING
    if not terms:
        return False
    said: set[str] = set()
    for item in pool:
        said.update(tokens(f"{item.title} {item.text}"))
        parent = catalog.parent(item.id)
        if parent is not None:
            said.update(tokens(f"{parent.title} {parent.text[:300]}"))
    return not terms & said


# "What <thing> does/is …": the thing asked about, when it is named before the verb.
_ASKED = re.compile(r"\b(?:what|which)\s+((?:[a-z][\w'-]*\s+){1,3}?)(?:does|do|did|is|are|was|were|should|would|"
                    r"can|could|will|has|have)\b", re.I)


# Kinds of value that one name, date or figure answers: a question asking for one is not asking for a list.
_NOT_A_LIST = {"name", "person", "law", "date", "expansion", "formula", "money", "percent", "ratio"}


def _asks_about_something_else(question: str) -> bool:
    """True when the thing a wh-question asks about is named before its verb and is not a kind of item ("What
    evidence base does UVA-PLE claim for its conditions?" asks about an evidence base, not for the conditions)."""
    asked = asks_for_value(question)
    if asked and asked[0] in _NOT_A_LIST:
        return True  # "what's the title of the report LEAD CT cites for its conditions?" asks for one name
    bare = ident.without_frameworks(question)
    about = ABOUT_SOURCES.search(bare)
    kinds = K.kind_mentions(bare)
    if about and kinds and about.start() < kinds[0].start:
        return True  # "is there research cited for the seven systems?" asks about their sources
    m = _ASKED.search(bare)
    if not m:
        return False
    head = m.group(1)
    if re.match(r"\s*(?:of|about|in|on|for|from)\b", head, re.I):
        return False  # "which of UVA-PLE's conditions …": the kind follows
    return not K.kind_mentions(head)


_SCOPE_KINDS = {"lever", "area", "step", "function", "component", "practice", "strategy", "condition", "system"}


def _scope(question: str, catalog):
    """The parent item a list question is restricted to ("conditions under lever 2"), if any."""
    for item in mentioned(catalog, question, _SCOPE_KINDS):
        if catalog.children(item.id):
            return item
    return None


def _members(catalog, kind: str, scope) -> list:
    if scope is None:
        return catalog.of_kind(kind)
    return [i for i in catalog.descendants(scope.id) if i.kind == kind]
