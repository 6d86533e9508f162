"""Resolve references users type ("11a", "uva condition 4", "professional learning system") to catalog items."""

from __future__ import annotations

import re

from assistant.frameworks.catalog import Catalog
from assistant.frameworks.model import Item
from assistant.frameworks.parsers.rubric import find_level

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
_STOP = frozenset("the a an of for and to in on s our".split())
_LEVEL_PHRASE = re.compile(r"\b(?:getting[\s-]*(?:started|better)|keep(?:ing)?[\s-]*improving|level[\s-]*[123])\b")
# Broad containers rank above sentence-titled items when a name matches several equally well.
_KIND_RANK = {k: i for i, k in enumerate(
    "component lever condition system step principle area function strategy culture-feature "
    "leadership-condition catalyzing-condition criterion element vignette section practice indicator "
    "requirement outcome action notes".split())}


def stem(word: str) -> str:
    """Crude suffix stripping so "shaping"/"shape", "cultures"/"culture", "strategies"/"strategy" meet."""
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        word = word[:-1]
    if word.endswith("ed") and len(word) > 4:
        word = word[:-2]
    elif word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def _kinds(token: str) -> tuple[str, ...] | None:
    return _KIND_WORDS.get(token) or _KIND_WORDS.get(token.rstrip("s"))


def _tokens(text: str) -> list[str]:
    text = text.casefold().replace("’", "'").replace("'s", "").replace("&", " and ")
    text = re.sub(r"\blead[\s-]*ct\b", "leadct", text)
    return re.findall(r"[a-z0-9]+", text)


def _content(tokens: list[str]) -> set[str]:
    return {stem(t) for t in tokens if t not in _STOP}


def lookup(catalog: Catalog, text: str) -> list[Item]:
    """Matching items, best first; [] when nothing is referenced (e.g. a bare rubric level name)."""
    q = text.casefold()
    if find_level(q):
        q = _LEVEL_PHRASE.sub(" ", q)  # "11a getting better" names 11a; a level alone names no item
    tokens = _tokens(q)
    # "lever two" -> "lever 2"; elsewhere number words are names ("Seven Systems").
    tokens = [_NUMBER_WORDS.get(t, t) if k and _kinds(tokens[k - 1]) else t for k, t in enumerate(tokens)]
    prefixes = {_QUALIFIERS[t] for t in tokens if t in _QUALIFIERS}
    tokens = [t for t in tokens if t not in _QUALIFIERS]
    if not tokens:
        return []
    pool = [i for i in catalog if not prefixes or i.id.split(":", 1)[0] in prefixes]

    joined = " ".join(tokens)
    m = re.fullmatch(r"(?:(?:indicator|in|practice) )?(\d{1,2}) ?([a-h])", joined)
    if m:
        return [i for i in pool if i.kind == "indicator" and i.number == m.group(1) + m.group(2)]
    for pos, tok in enumerate(tokens):
        kinds = _kinds(tok)
        if kinds and pos + 1 < len(tokens) and re.fullmatch(r"\d{1,2}|[a-h]", tokens[pos + 1]):
            context = _content(tokens[:pos] + tokens[pos + 2:])
            return _numbered(catalog, pool, kinds, tokens[pos + 1], context)
    if len(tokens) == 1 and tokens[0].isdigit():
        return [i for i in pool if i.number == tokens[0] and i.id.count(":") == 1]
    return _by_name(pool, _content(tokens))


def _numbered(catalog: Catalog, pool: list[Item], kinds: tuple[str, ...], number: str,
              context: set[str]) -> list[Item]:
    """Items of `kinds` numbered `number`. Numbers local to a parent ("practice 2" of a coherence
    component, ids with two colons) only count when no framework-wide numbering matches or the
    other query words name the parent."""
    hits = [i for i in pool if i.kind in kinds and i.number == number]

    def context_score(item: Item) -> int:
        words = set()
        for anc in catalog.ancestors(item.id):
            words |= _content(_tokens(anc.title))
        return len(context & words)

    scored = [(context_score(i), i.id.count(":") == 1, i) for i in hits]
    if context and any(s for s, _, _ in scored):
        best = max(s for s, _, _ in scored)
        return [i for s, _, i in scored if s == best]
    global_hits = [i for _, g, i in scored if g]
    return global_hits or hits


def _by_name(pool: list[Item], query: set[str]) -> list[Item]:
    """Items named by the query: their title holds (nearly) every query word, stemmed, and the query
    covers a fair share of the title. Short queries must match fully; a long one may miss a word
    ("... Continuous Improvement and Compliance" names the area headed "... Continuous Improvement")."""
    if not query:
        return []
    need = len(query) if len(query) < 4 else len(query) - 1
    ranked = []
    for order, item in enumerate(pool):
        title = _content(_tokens(item.title))
        common = len(query & title)
        if not title or common < need or common / len(title) < 1 / 3:
            continue
        ranked.append((-(query == title), -common / len(query | title), _KIND_RANK.get(item.kind, 99), order, item))
    return [r[-1] for r in sorted(ranked, key=lambda r: r[:-1])]
