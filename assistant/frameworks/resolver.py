"""The frameworks' resolver: what a text refers to in the catalog, from references people type ("11a", "uva
condition 4", "professional learning system") to the items a question mentions. Its lexical part (identifiers,
rubric levels, framework aliases; no catalog needed) is assistant.frameworks.identifiers."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.frameworks.identifiers import expand, parse, without_frameworks, without_levels
from assistant.frameworks.catalog import Catalog
from assistant.frameworks.kinds import kind_mentions
from assistant.frameworks.model import Item
from assistant.text.tokens import fold, stem, tokens, words

_KIND_WORDS = {
    "indicator": ("indicator",), "practice": ("practice",), "lever": ("lever",), "system": ("system",),
    "condition": ("condition", "leadership-condition", "catalyzing-condition"), "step": ("step",),
    "principle": ("principle",), "requirement": ("requirement",), "area": ("area",), "strategy": ("strategy",),
    "component": ("component",), "outcome": ("outcome",), "action": ("action",), "vignette": ("vignette",),
}
# Framework qualifiers map to id prefixes (stable), not to manifest short names (editable).
_QUALIFIERS = {"uva": "uva", "ple": "uva", "instll": "instll", "rubric": "rubric", "leadct": "leadct"}
_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
# Broad containers rank above sentence-titled items when a name matches several equally well.
_KIND_RANK = {k: i for i, k in enumerate(
    "component lever condition system step principle area function strategy culture-feature "
    "leadership-condition catalyzing-condition criterion element vignette section practice indicator "
    "requirement outcome action notes".split())}


def _kinds(token: str) -> tuple[str, ...] | None:
    return _KIND_WORDS.get(token) or _KIND_WORDS.get(token.rstrip("s"))


def _folded(text: str) -> str:
    # "LEAD CT" is one word here: it qualifies a reference like "uva" does.
    return re.sub(r"\blead[\s-]*ct\b", "leadct", fold(text))


def _words(text: str) -> list[str]:
    return words(_folded(text))


def _terms(ws: list[str]) -> set[str]:
    return set(tokens(" ".join(ws)))


def reference_tokens(text: str) -> list[str]:
    """Content tokens of a typed reference, a title or a sentence, in order, as references are matched."""
    return tokens(_folded(text))


@lru_cache(maxsize=4096)
def reference_terms(text: str) -> frozenset[str]:
    """The set of `reference_tokens` (titles are few and fixed: computed once each)."""
    return frozenset(reference_tokens(text))


def lookup(catalog: Catalog, text: str) -> list[Item]:
    """Matching items, best first; [] when nothing is referenced (e.g. a bare rubric level name)."""
    q = text.casefold()
    q = without_levels(q)  # "11a getting better" names 11a; a level alone names no item
    ws = _words(q)
    # "lever two" -> "lever 2"; elsewhere number words are names ("Seven Systems").
    ws = [_NUMBER_WORDS.get(t, t) if k and _kinds(ws[k - 1]) else t for k, t in enumerate(ws)]
    prefixes = {_QUALIFIERS[t] for t in ws if t in _QUALIFIERS}
    ws = [t for t in ws if t not in _QUALIFIERS]
    if not ws:
        return []
    pool = [i for i in catalog if not prefixes or i.id.split(":", 1)[0] in prefixes]

    joined = " ".join(ws)
    m = re.fullmatch(r"(?:(?:indicator|in|practice) )?(\d{1,2}) ?([a-h])", joined)
    if m:
        return [i for i in pool if i.kind == "indicator" and i.number == m.group(1) + m.group(2)]
    for pos, tok in enumerate(ws):
        kinds = _kinds(tok)
        if kinds and pos + 1 < len(ws) and re.fullmatch(r"\d{1,2}|[a-h]", ws[pos + 1]):
            context = _terms(ws[:pos] + ws[pos + 2:])
            return _numbered(catalog, pool, kinds, ws[pos + 1], context)
    if len(ws) == 1 and ws[0].isdigit():
        return [i for i in pool if i.number == ws[0] and i.id.count(":") == 1]
    return _by_name(pool, ws)


def _numbered(catalog: Catalog, pool: list[Item], kinds: tuple[str, ...], number: str,
              context: set[str]) -> list[Item]:
    """Items of `kinds` numbered `number`. Numbers local to a parent ("practice 2" of a coherence
    component, ids with two colons) only count when no framework-wide numbering matches or the
    other query words name the parent."""
    hits = [i for i in pool if i.kind in kinds and i.number == number]

    def context_score(item: Item) -> int:
        named: set[str] = set()
        for anc in catalog.ancestors(item.id):
            named |= reference_terms(anc.title)
        return len(context & named)

    scored = [(context_score(i), i.id.count(":") == 1, i) for i in hits]
    if context and any(s for s, _, _ in scored):
        best = max(s for s, _, _ in scored)
        return [i for s, _, i in scored if s == best]
    global_hits = [i for _, g, i in scored if g]
    return global_hits or hits


def _by_name(pool: list[Item], ws: list[str]) -> list[Item]:
    """Items named by the typed words: their title holds (nearly) every content word, stemmed, the words cover a
    fair share of the title, and the title accounts for most of what was typed (a stop word counts when the title
    has it: "how we do things" names "Focus on how we do things around here", "no such thing here" names nothing).
    Short queries must match fully; a long one may miss a word ("... Continuous Improvement and Compliance" names
    the area headed "... Continuous Improvement")."""
    query = _terms(ws)
    if not query:
        return []
    need = len(query) if len(query) < 4 else len(query) - 1
    ranked = []
    for order, item in enumerate(pool):
        title = reference_terms(item.title)
        common = len(query & title)
        if not title or common < need or common / len(title) < 1 / 3:
            continue
        typed = _title_words(item.title)
        if 2 * sum(1 for w in ws if w in typed or stem(w) in title) <= len(ws):
            continue
        ranked.append((-(query == title), -common / len(query | title), _KIND_RANK.get(item.kind, 99), order, item))
    return [r[-1] for r in sorted(ranked, key=lambda r: r[:-1])]


@lru_cache(maxsize=4096)
def _title_words(title: str) -> frozenset[str]:
    return frozenset(_words(title))


def mentioned(catalog: Catalog, text: str, kinds: set[str] | None = None) -> list[Item]:
    """Items a question names by number ("lever 2") or by (most of) their title, best first (optionally only
    items of `kinds`)."""
    q = expand(text)
    ids = parse(q)
    out: list = []
    numbered = {"lever": ids.levers, "condition": ids.conditions, "step": ids.steps, "system": ids.systems,
                "practice": ids.practices, "indicator": ids.indicators}
    for kind, numbers in numbered.items():
        if kinds is not None and kind not in kinds:
            continue
        for n in numbers:
            hits = [i for i in catalog.of_kind(kind) if i.number == n and i.id.count(":") == 1]
            if ids.frameworks:
                hits = [i for i in hits if i.framework in ids.frameworks] or hits
            out.extend(hits[:1])
    # A framework's name ("Leadership System rubric") is not a mention of an item whose title shares its words
    # ("System Leadership").
    said = set(reference_tokens(without_frameworks(q)))
    scored = []
    for item in catalog:
        if kinds is not None and item.kind not in kinds or item in out:
            continue
        title = reference_terms(item.title)
        if not title or len(title) > 12:
            continue
        common = len(title & said)
        if common == len(title) or (len(title) >= 3 and common / len(title) >= 0.75):
            fw_bonus = 1 if item.framework in ids.frameworks else 0
            scored.append((-(common + fw_bonus), -common / len(title), item.start, item))
    out.extend(i for *_, i in sorted(scored, key=lambda r: r[:-1]))
    return out


# A kind noun is described by the words right after a determiner before it ("the curriculum condition", "LEAD CT's
# talent system") or by a phrase after it ("the system for talent", "the condition about assessment").
_DETERMINER = re.compile(r"(?:\b(?:the|a|an|this|that|its|their|our|your)|'s)\s+", re.I)
_ABOUT = re.compile(r"\s+(?:on|about|for|covering|around|concerning|regarding|(?:that|which) (?:covers|deals with|is "
                    r"about))\s+(?:the\s+)?([\w'/-]+(?:\s+(?!and\b|or\b|is\b|are\b|in\b|of\b)[\w'/-]+){0,2})", re.I)
_MAX_DESCRIBED = 2  # more matches than this and the words do not pick out an item
_KIND_TERMS = frozenset(tokens(" ".join(_KIND_WORDS)))


def described(catalog: Catalog, text: str) -> list[Item]:
    """Items a text refers to by a kind noun and a word or two of what they are about ("the curriculum condition",
    "the walkthrough indicator", "the system for talent"): the items of that kind whose title holds those words,
    else whose text does, when no more than two do (more, and the words pick out no item)."""
    frameworks = parse(expand(text)).frameworks
    bare = without_frameworks(text)
    for mention in kind_mentions(bare):
        head = re.split(r"[^\w\s'/-]", bare[:mention.start])[-1]
        det = list(_DETERMINER.finditer(head))
        before = head[det[-1].end():] if det and len(head[det[-1].end():].split()) <= 3 else ""
        after = _ABOUT.match(bare[mention.start + len(mention.noun):])
        for phrase in (before, after.group(1) if after else ""):
            terms = set(reference_tokens(phrase)) - _KIND_TERMS
            if not terms:
                continue
            pool = [i for i in catalog if i.kind in mention.kinds and (not frameworks or i.framework in frameworks)]
            hits = [i for i in pool if terms <= reference_terms(i.title)] or \
                [i for i in pool if terms <= reference_terms(i.text)]
            if 0 < len(hits) <= _MAX_DESCRIBED:
                return hits
    return []

