"""How a team's words become the clauses of "If we …, then …, which will …, so that …".

Every clause text is tidied first (spaces, punctuation, square brackets, doubled words, stray capitals), then read
for its grammatical shape — a verb phrase ("redesign the supervisor role"), a whole clause ("principals spend two
mornings in classrooms") or a noun phrase ("school leadership") — and fitted to its connective:

- "If we" takes a verb phrase; inflected verbs take their base form ("reviews" -> "review", "coaching" ->
  "coach"); a whole clause becomes "ensure that …"; a noun phrase names a topic, not an action, so it is not used
  and the clause says what is still needed.
- "then" takes a clause about school leaders as written; a verb phrase gets "principals and school leadership
  teams will"; a noun phrase is not used.
- "which will" takes a verb phrase; a clause becomes "mean that …", a noun phrase "lead to …".
- "so that" takes a clause as written; a verb phrase gets "we"; a noun phrase "we reach …" ("we raise/reduce …"
  for "… from 41% to 60%").
A time opener ("By June 2029, …") stays in front. Nothing that cannot be fitted is spliced in: the `Fit` says what
is missing instead, in the words of prompts/facilitation/need_*.txt.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

from assistant.facilitation import lexicon
from assistant.text.templates import render

ROLES = ("if", "then", "which", "so that")
LEADERS = "principals and school leadership teams"

MODALS = frozenset("will would shall should can could may might must".split())
AUXILIARIES = MODALS | frozenset("is are was were has have had do does did get gets got".split())
DETERMINERS = frozenset("""a an the our their its his her my your this that these those all every each any some no
most many much more fewer less few several both either neither another other such""".split())
PRONOUNS = frozenset("we they he she it i you".split())
PREPOSITIONS = frozenset("for of on in at with to about from into by across among between within through".split())
# After a word that could be a verb or a noun, these show it is the noun ("support for …", "plans of …").
NOUN_SIGNS = frozenset("of for that which who is are was were has have will would".split())
# Words that start noun phrases in district writing although the dictionary also lists them as verbs.
NOUN_FIRST = frozenset("""school schools staff time budget team teams program programs network networks parent parents
grade grades class classes book books report reports title state states board office offices house place site
sites center centers group groups service services feature model models face level levels cohort cohorts
quality water family world area areas summer fall spring winter student students teacher teachers principal
principals district districts community leader leaders equity curriculum instruction data reading writing learning
teaching funding staffing schooling spelling""".split())
ADVERB_LEADS = frozenset("also always jointly only regularly systematically deliberately consistently never".split())
NAME_JOINERS = frozenset("of and for".split())
_TIME_OPENER = re.compile(
    r"^((?:by|in|within|before|over|during|starting in|from now until|no later than)\s+(?:the\s+)?"
    r"(?:end of\s+(?:the\s+)?)?(?:[\w\d–-]+\s+){0,3}?(?:\d{4}(?:[–-]\d{2,4})?|year|years|school year|semester)"
    r")\s*,\s*", re.I)
_STRIP = {
    "if": (r"(?:if|when|by)\s+",
           r"(?:we|the district|our district|district leaders|district leadership|central office|the central office)"
           r"(?:\s+(?:will|would|shall|must|should|can|are going to|plan to|commit to|intend to|need to))?\s+",
           r"(?:will|to|and)\s+"),
    "then": (r"then\s+", r"and\s+"),
    "which": (r"(?:which|that|this|it|and this)\s+(?:will|would|should|can)\s+", r"which\s+", r"will\s+", r"and\s+"),
    "so that": (r"so\s+that\s+", r"in order (?:that|to)\s+", r"(?:our|the)\s+goal\s+is(?:\s+to)?\s+", r"goal:\s*"),
}
_MONTHS_DAYS = frozenset("""january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday""".split())


@dataclass(frozen=True)
class Fit:
    """The words after a connective ("" when none could be used), what is still needed when there are none, and
    notes on parts that could not be used even though others were."""

    text: str
    need: str = ""
    notes: tuple[str, ...] = ()
    present: str = ""  # "then" only: the clause in the present tense ("principals give …"), for assumptions

    @property
    def missing(self) -> bool:
        return not self.text


# ---- tidying ----------------------------------------------------------------------------------------------------
def tidy(text: str | None, names: Iterable[str] = ()) -> str:
    """One clean phrase: no square brackets, bullets, doubled words, stray capitals or closing punctuation."""
    t = unicodedata.normalize("NFKC", text or "").replace("’", "'")
    t = re.sub(r"\[[^\]]*\]|\{[^}]*\}", " ", t).replace("[", " ").replace("]", " ")
    t = re.sub(r"\s+", " ", t).strip()
    t = re.sub(r"^(?:[-*•–—>]+|\(?\d{1,2}[.)]|\(?[a-hA-H][.)])\s+", "", t)
    t = t.strip(" \"'“”‘")
    if t.count("(") != t.count(")"):
        t = t.replace("(", " ").replace(")", " ")
    t = re.sub(r"\(\s*\)", " ", t)
    t = re.sub(r"\s+([,;:.!?)])", r"\1", t)
    t = re.sub(r"\(\s+", "(", t)
    t = re.sub(r"[\s.;:,!?—–-]+$", "", t)
    t = re.sub(r"^[\s,;:.!?—–-]+", "", t)
    t = re.sub(r"\b(\w+)(?:\s+\1\b)+", r"\1", t, flags=re.I)
    t = re.sub(r"\s+", " ", t).strip()
    return fix_case(t, names)


GENERIC_NAME_WORDS = frozenset("""school schools district public county city area community independent unified
consolidated regional union unit board theory action of and the for""".split())


def _name_words(names: Iterable[str]) -> set[str]:
    """Words of the district's name (and the plan's title) that keep their capital wherever they appear: the
    capitalised ones, except generic words ("School", "District") that are ordinary words elsewhere."""
    out = set()
    for n in names:
        out |= {w.lower() for w in re.findall(r"[A-Za-z][\w'-]*", n or "") if w[:1].isupper()}
    return out - GENERIC_NAME_WORDS


def _acronym(word: str) -> bool:
    """ELA, PLCs, K-5, iReady, McKinney: capitals that are part of the word, not of the sentence."""
    upper = sum(c.isupper() for c in word)
    return upper >= 2 or (upper and any(c.isdigit() for c in word)) or any(c.isupper() for c in word[1:])


def fix_case(text: str, names: Iterable[str] = ()) -> str:
    """Lower stray capitals: a capitalised common word on its own ("school Leadership"), Title Case or ALL CAPS
    input; keep acronyms (ELA, PLCs), proper names (words the dictionary does not know, months, the district's
    name) and runs of capitalised words that read as a name ("Chief Academic Officer")."""
    keep = _name_words(names)
    words = list(re.finditer(r"[A-Za-z][\w'-]*", text))
    if not words:
        return text
    alpha = [m.group() for m in words if len(m.group()) > 1]
    shouting = len(alpha) >= 3 and sum(w.isupper() for w in alpha) >= 0.6 * len(alpha)
    long = [m.group() for m in words if len(m.group()) >= 4]
    title = len(long) >= 3 and sum(w[0].isupper() for w in long) >= 0.7 * len(long)

    def proper(word: str) -> bool:
        low = word.lower()
        return low in keep or low in _MONTHS_DAYS or not lexicon.is_common(low) or low == "i"

    out = list(text)
    runs = _capital_runs(text, words)
    for k, m in enumerate(words):
        w = m.group()
        if shouting:
            if w.isupper() and len(w) > 1 and (w.lower() in _MONTHS_DAYS or w.lower() in keep):
                out[m.start():m.end()] = w[0] + w[1:].lower()  # a name: "JUNE" -> "June"
                continue
            lower = w.isupper() and (lexicon.is_common(w) or len(w) > 4)  # short unknown words: acronyms
        elif _acronym(w) or not w[0].isupper() or proper(w):
            lower = False
        elif title:
            lower = True
        else:
            lower = runs[k] < 2
        if lower:
            out[m.start():m.end()] = w.lower() if shouting else w[0].lower() + w[1:]
    return "".join(out)


def _capital_runs(text: str, words: list[re.Match]) -> list[int]:
    """For each word, the length of the run of capitalised words it belongs to (joined by single spaces; "of",
    "and", "for" may sit inside a run: "Department of Education"). A run never starts with a function word ("The
    Chief Academic Officer") or with the opening verb ("Train Principals …")."""
    runs = [0] * len(words)
    k = 0
    while k < len(words):
        w = words[k].group()
        if not w[0].isupper() or w.lower() in lexicon.FUNCTION_WORDS or (k == 0 and lexicon.can_be_verb(w)):
            runs[k] = 1 if w[0].isupper() else 0
            k += 1
            continue
        j = k
        while j + 1 < len(words) and text[words[j].end():words[j + 1].start()] == " " and (
                words[j + 1].group()[0].isupper() or (words[j + 1].group() in NAME_JOINERS and j + 2 < len(words)
                                                      and words[j + 2].group()[0].isupper())):
            j += 1
        n = sum(1 for w in words[k:j + 1] if w.group()[0].isupper() and not _acronym(w.group()))
        for i in range(k, j + 1):
            runs[i] = n
        k = j + 1
    return runs


def _strip_leads(role: str, text: str) -> str:
    changed = True
    while changed and text:
        changed = False
        for pattern in _STRIP.get(role, ()):
            new = re.sub(rf"^{pattern}", "", text, flags=re.I)
            if new != text and new.strip():
                text, changed = new.strip(), True
    return text


# ---- shape ------------------------------------------------------------------------------------------------------
def words(text: str) -> list[str]:
    return [w.lower().strip("'") for w in re.findall(r"[A-Za-z][A-Za-z'-]*|\d[\d.,]*%?", text)]


def _finite_at(ws: list[str]) -> int | None:
    """Index of the first word that reads as the finite verb of a clause ("principals *spend* …"), or None."""
    for i in range(1, min(len(ws), 10)):
        w, prev = ws[i], ws[i - 1]
        if w in AUXILIARIES:
            return i
        if w in NOUN_FIRST or w in DETERMINERS or w in PREPOSITIONS or prev in DETERMINERS or prev in PREPOSITIONS \
                or (prev.endswith("ing") and prev not in AUXILIARIES):
            continue  # a noun ("the plan", "a reading coach"), not a verb
        base = lexicon.verb_base(w)
        if base is None or (w.endswith("ing") and base != w):
            continue
        if i == len(ws) - 1 and lexicon.can_be_other(w):
            continue  # "each school team": a noun at the end, not a verb
        if w.endswith("s") and base != w and (i + 1 == len(ws) or ws[i + 1] in NOUN_SIGNS):
            continue  # "graduation rates for all students": a plural noun
        return i
    return None


def shape(text: str, gerund: bool = False) -> tuple[str, str]:
    """("vp" | "clause" | "np", text) with a leading verb put in its base form for "vp"; `gerund` says the text
    followed "by" ("by funding …"), so its first word is a verb."""
    ws = words(text)
    if not ws:
        return "np", text
    first, nxt = ws[0], (ws[1] if len(ws) > 1 else "")
    if first in PRONOUNS:
        return "clause", text
    if first in DETERMINERS or first[:1].isdigit():
        return ("clause" if _finite_at(ws) else "np"), text
    if first in ADVERB_LEADS or (first == "no" and nxt == "longer"):
        k = 2 if first == "no" else 1
        if len(ws) > k and lexicon.verb_base(ws[k]) == ws[k]:
            return "vp", text
    takes_object = nxt in DETERMINERS or nxt in PRONOUNS  # "staff every school", "funding a coach" ("grade 3-8 …"
    if first not in NOUN_FIRST or gerund or takes_object:  # is a noun phrase)
        base = lexicon.verb_base(first)
        if base is not None:
            verdict = "vp" if gerund and first.endswith("ing") else _verb_first(first, base, nxt, ws)
            if verdict == "vp":
                return "vp", _rebase(text, base)
            if verdict == "clause":
                return "clause", text
    return ("clause" if _finite_at(ws) else "np"), text


def _verb_first(first: str, base: str, nxt: str, ws: list[str]) -> str:
    """How a phrase that opens with a verb-capable word reads: "vp", "clause" or "np"."""
    if first == base:  # base form: "redesign …", or a noun ("support for principals", "plan")
        if lexicon.can_be_other(first) and (not nxt or (nxt in NOUN_SIGNS and not lexicon.takes(first, nxt))):
            return "np"
        return "vp"
    if first.endswith("ing"):  # "coaching principals", "investing in …" (vp); "coaching for principals" (np)
        return "np" if not nxt or (nxt in PREPOSITIONS and not lexicon.takes(base, nxt)) else "vp"
    if first.endswith("s"):  # "reviews all requests" (vp); plural subjects ("coaches meet …") are NOUN_FIRST
        if not nxt or nxt in NOUN_SIGNS:
            return "np"
        if lexicon.verb_base(nxt) == nxt and nxt not in NOUN_FIRST and nxt not in DETERMINERS:
            return "clause"  # a plural subject and its verb: "coaches meet weekly", "teams use data"
        return "vp"
    if nxt in DETERMINERS or nxt in PRONOUNS or nxt[:1].isdigit():  # "redesigned the role"
        return "vp"
    return "np"  # "redesigned supervisor role"


def _rebase(text: str, base: str) -> str:
    m = re.match(r"\s*([A-Za-z][A-Za-z'-]*)", text)
    return base + text[m.end():] if m else text


# ---- fitting ----------------------------------------------------------------------------------------------------
def _need(role: str, text: str = "") -> str:
    """What is missing for a clause (and, for unusable words, why they were not used)."""
    need = render(f"facilitation/need_{role.replace(' ', '_')}")
    return render("facilitation/need_reword", text=text, need=need) if text else need


def _opener(text: str) -> tuple[str, str]:
    m = _TIME_OPENER.match(text)
    return (m.group(1), text[m.end():]) if m and text[m.end():].strip() else ("", text)


def fit(role: str, text: str | None, names: Iterable[str] = ()) -> Fit:
    """The team's words for one connective (see module docstring)."""
    if role not in ROLES:
        raise ValueError(f"unknown clause role {role!r}")
    clean = tidy(text, names)
    opener, body = _opener(clean) if role == "so that" else ("", clean)
    gerund = role == "if" and bool(re.match(r"(?:if we |when we |we will )?by \w+ing\b", body, re.I))
    body = _strip_leads(role, body)
    body = tidy(body, names) if body != clean else body
    if not words(body):
        return Fit("", _need(role))
    kind, body = shape(body, gerund)
    out = ""
    present = ""
    if role == "if":
        out = body if kind == "vp" else (f"ensure that {body}" if kind == "clause" else "")
    elif role == "then":
        if kind == "clause":
            out = present = body
        elif kind == "vp":
            out, present = f"{LEADERS} will {body}", f"{LEADERS} {body}"
    elif role == "which":
        out = body if kind == "vp" else (f"mean that {body}" if kind == "clause" else f"lead to {body}")
    else:
        if kind == "clause":
            out = body
        elif kind == "vp":
            out = f"we {body}"
        else:
            out = f"we {_reach(body)} {body}"
        if opener:
            out = f"{opener}, {out}"
    if not out:
        return Fit("", _need(role, clean))
    return Fit(_dedupe(out), present=_dedupe(present))


def _reach(noun_phrase: str) -> str:
    """The verb for a goal stated as a noun phrase: "raise"/"reduce" for "from 41% to 60%", else "reach"."""
    m = re.search(r"\bfrom\s+(\d+(?:\.\d+)?)\s*%?\s+to\s+(\d+(?:\.\d+)?)", noun_phrase)
    if m:
        return "raise" if float(m.group(2)) > float(m.group(1)) else "reduce"
    return "reach"


def _dedupe(text: str) -> str:
    return re.sub(r"\b(\w+)(?:\s+\1\b)+", r"\1", text, flags=re.I)


def split_parts(parts: Iterable[str]) -> list[str]:
    """Entries split further at sentence ends ("Redesign the role. Train supervisors.")."""
    out: list[str] = []
    for p in parts:
        p = re.sub(r"^\s*(?:[-*•–—>]+|\(?\d{1,2}[.)]|\(?[a-hA-H][.)])\s+", "", p or "")
        out += [s for s in re.split(r"(?:(?<=[a-z]{2})|(?<=[0-9%)]))[.!?]\s+(?=[A-Z])", p) if s.strip()]
    return out


@dataclass
class _Group:
    prefix: str
    items: list[str] = field(default_factory=list)


def fit_all(role: str, parts: Iterable[str], names: Iterable[str] = ()) -> Fit:
    """Several entries under one connective: "redesign …, train …, and protect …"; verb phrases about school
    leaders share one "principals and school leadership teams will"; unusable entries become notes."""
    fits = [(p, fit(role, p, names)) for p in split_parts(parts)]
    usable = [f for _, f in fits if not f.missing]
    notes = tuple(f.need for p, f in fits if f.missing and tidy(p, names))
    if not usable:
        return Fit("", notes[0] if notes else _need(role), notes[1:])
    if role == "then":
        vps = [f.text[len(LEADERS) + 6:] for f in usable if f.text.startswith(f"{LEADERS} will ")]
        clauses = [f.text for f in usable if not f.text.startswith(f"{LEADERS} will ")]
        head = [f"{LEADERS} will {join(vps)}"] if vps else []
        text = join(head + clauses)
        present = join(([f"{LEADERS} {join(vps)}"] if vps else []) + clauses)
        return Fit(_dedupe(text), notes=notes, present=_dedupe(present))
    if role == "which":
        groups = [_Group("mean that "), _Group("lead to "), _Group("")]
        for f in usable:
            g = next(g for g in groups if f.text.startswith(g.prefix))
            g.items.append(f.text[len(g.prefix):])
        text = join([g.prefix + join(g.items) for g in groups if g.items])
        return Fit(_dedupe(text), notes=notes)
    return Fit(_dedupe(join([f.text for f in usable])), notes=notes)


def join(items: list[str]) -> str:
    """'a', 'a and b', 'a, b, and c'."""
    items = [i for i in dict.fromkeys(i.strip() for i in items) if i]
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


def as_measured(lag: Iterable[str], names: Iterable[str] = ()) -> str:
    """Lag outcomes as the noun phrase after "as measured by" ("" when none reads as one)."""
    nps = [t for t in (tidy(x, names) for x in split_parts(lag)) if t and shape(t)[0] == "np"]
    return join(nps)
