"""The evidence features behind the abstention decision, computed from what retrieval and sentence scoring found.

Each feature is a general property of evidence, not of particular questions: semantic closeness of the best
sentences, agreement of the dense and lexical rankings, coverage of the question's specific vocabulary, names the
documents never use, and whether a specific value the question asks for (a number, a date, a person, a statute)
appears in the best evidence at all.
"""

from __future__ import annotations

import re
from typing import Sequence

from assistant.answering.confidence import Evidence
from assistant.frameworks.identifiers import expand, without_frameworks as expand_frameworks_out
from assistant.text.tokens import STOP, stem, tokens, words

# Words of the question that frame it rather than name its subject: they say nothing about coverage.
_FRAMING = frozenset(tokens(
    "district districts leader leaders leadership school schools framework frameworks document documents doc docs "
    "say says said describe mean means define explain tell according question answer give want need know please "
    "recommend recommends suggest suggests talk talks cover covers include includes thing things way ways kind "
    "actually really exactly specifically basically honestly just also even still"))
# A question that asks for a specific kind of value, and what evidence stating such a value looks like. The kinds
# are general (amounts, frequencies, dates, people and places, laws, acronym expansions), not topics.
_COUNT_WORDS = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
                r"fifty|hundred|half|quarter|dozen|few|several|handful|small number|limited number")
# A number that labels a part of a document ("Figure 1", "Condition 4", "page 12") states no quantity.
_UNLABELLED = "".join(rf"(?<!{w} )" for w in (
    "figure", "table", "step", "condition", "practice", "indicator", "lever", "system", "principle", "requirement",
    "area", "strategy", "outcome", "action", "page", "pages", "section", "appendix", "chapter", "exhibit", "component"))
_NUMBERISH = rf"{_UNLABELLED}\b\d(?:[\d,.]*\d)?|\b(?:{_COUNT_WORDS})\b|\ban? (?:hour|day|week|month|year|minute)s?\b"
# A question that asks to have a claim checked, rather than telling a story that happens to hold a figure.
_CHECKING = (r"^\W*(?:(?:ok|so|quick question|hey)\W+)?(?:is it (?:true|right|correct)|true or false|am i (?:right|"
             r"correct)|i (?:heard|read)|someone (?:said|told me)|(?:does|do|did|is|are|must|should) (?:the |any |a )?"
             r"(?:[\w&/-]+ ){0,4}?(?:requires?|says?|recommends?|mandates?|calls? for|specify|specifies|expects?|"
             r"needs?|requir\w+ that))")
_VALUE_ASKS: list[tuple[str, re.Pattern, re.Pattern]] = [
    ("formula", re.compile(r"\bformulas?\b|\bhow (?:is|are|do (?:we|you)) (?:[\w-]+ ){0,5}(?:calculated|computed|"
                           r"calculate|compute)\b", re.I),
     re.compile(r"=|\bdivided by\b|\bmultiplied by\b|\b(?:sum|product|quotient) of\b|\bcalculated (?:as|by)\b",
                re.I)),
    ("ratio", re.compile(r"\bratios?\b|\bper (?:principal|school|supervisor|teacher|student|pupil)\b", re.I),
     re.compile(r"\bratios?\b|\d+\s*(?::|to|per|for every)\s*\d+|\b(?:one|1) (?:for|per) (?:every )?\w+", re.I)),
    ("percent", re.compile(r"\bpercent(?:age)?s?\b|%|\bwhat (?:share|proportion|fraction)\b", re.I),
     re.compile(r"%|\bpercent\b|\b(?:half|a third|a quarter|majority)\b", re.I)),
    ("money", re.compile(r"\$|\bdollars?\b|\bhow much (?:money|does it cost|do(?:es)? \w+ cost|should we (?:budget|"
                         r"spend|pay))\b|\b(?:cost|price|fee|salary|stipend|bonus|budget amount)s?\b", re.I),
     re.compile(r"\$\s?\d|\b\d[\d,.]* (?:dollars|usd)\b|\bper[- ]pupil (?:amount|spending) of\b", re.I)),
    ("frequency", re.compile(r"\bhow (?:often|frequently)\b|\bfrequency\b", re.I),
     # "regularly" or "every school" states no frequency: a frequency is a period or a count of times
     re.compile(r"\b(?:daily|weekly|monthly|quarterly|annual(?:ly)?|yearly|bi-?weekly|bi-?monthly|once|twice|"
                r"(?:every|each) (?:other )?(?:[\w-]+ )?(?:week|month|year|day|quarter|semester|term|cycle)s?|"
                r"per (?:week|month|year|day|quarter)|times (?:a|per|each))\b", re.I)),
    # A length of time the question asks for, or one it asks to have checked ("is it true UVA-PLE requires five
    # years …"): either way, only a sentence stating a length of time answers it.
    ("date", re.compile(r"\bwhat (?:year|date|month)\b|\bwhen (?:was|were|did|will|is|are)\b|\bdeadlines?\b|\bby when\b|"
                        r"\bhow (?:long|many years|old|recent)\b|" + _CHECKING + rf"[^?]*?\b(?:\d+|{_COUNT_WORDS})[ -](?:years?|"
                        r"months?|weeks?|days?)\b", re.I),
     re.compile(r"\b(?:19|20)\d{2}\b|\b(?:january|february|march|april|june|july|august|september|october|"
                r"november|december)\b|" + rf"\b(?:\d+|{_COUNT_WORDS}|an?)\s+(?:years?|months?|weeks?|days?)\b", re.I)),
    ("quantity", re.compile(r"\bhow (?:much|many) (?!freedom|autonomy|support|say|authority|flexibility|control|"
                            r"attention|emphasis|weight|room|latitude|leeway|discretion|voice|input|influence|power|"
                            r"trust|responsibility|ownership|independence|buy-in|of (?:a|an|the)\b)\w+|\bwhat (?:number|amount|size)\b|\bnumber of\b|"
                            r"\bat what (?:[\w-]+ ){0,3}(?:size|number|threshold|cut-?off)\b|"
                            r"\b(?:cut-?offs?|thresholds?)\b|\bwhat(?:'s| is| are)? the (?:[\w-]+ ){0,3}?(?:size|number|count|length|duration)"
                            r"\b(?! of (?:the |a |an )?(?:framework|condition|practice|indicator|lever|system|step|"
                            r"area|component|principle|strateg))|"
                            r"\b(?:max(?:imum)?|min(?:imum)?)\b|\bhours? (?:per|a|of)\b", re.I),
     re.compile(_NUMBERISH, re.I)),
    ("law", re.compile(r"\b(?:statutes?|laws?|regulations?|legislation|legally|legal requirement|mandated by|"
                       r"section \d|§|act of \d{4})\b", re.I),
     re.compile(r"§|\b(?:statute|public act|c\.g\.s|u\.s\.c|regulation \d|section \d+)\b", re.I)),
    ("person", re.compile(r"\bwho (?:wrote|authored|created|developed|founded|said|is quoted|was quoted|published)\b|"
                          r"\bwho(?:'s| is| was| are| were) (?:the |our |their )?(?:current|former|new|first|acting|"
                          r"interim|present|founding|state) [\w-]+(?: [\w-]+)?(?: (?:of|in|at|for)\b|\s*\?*\s*$)|"
                          r"\bwho(?:'s| is| was| are) the (?:lead |main |original )?(?:authors?|writers?|creators?)\b|"
                          r"\b(?:best|recommended|preferred|which|what) (?:\w+ ){0,2}(?:vendors?|products?|platforms?|"
                          r"software|apps?|companies|providers?|consultants?|publishers?)\b|"
                          r"\bname (?:of|the) (?:the |a )?(?:person|people|author|superintendent|former|current|"
                          r"district|districts|vendor|company)\b|\bwhich (?:[\w-]+ ){0,3}(?:districts|states|vendors|"
                          r"companies|universities|authors|people|superintendents)\b|"
                          r"\bwho(?:'s| was| is| were| are) the (?:[\w-]+ ){0,3}(?:quoted|cited|mentioned|named|interviewed|"
                          r"featured|described)\b|\b(?:cite|name|credit|thank|call) (?:them|him|her|that person) by name\b|"
                          r"\bwhat (?:was|is|were|are) (?:his|her|their) names?\b", re.I),
     re.compile(r"\b[A-Z][a-z]+, [A-Z]\.|\bet al\b|\b(?:Dr|Mr|Ms|Mrs)\. [A-Z]|\b[A-Z][a-z]+ (?:County|City|Public "
                r"Schools|School District|Unified|ISD|University)\b")),
    # The proper name or title of one thing (a tool, a program, a report): stated only where a sentence names it.
    ("name", re.compile(r"\b(?:full|complete) (?:citation|reference)\b|\bpublisher\b|"
                        r"\b(?:name|title) of (?:the |a |that |this |their )?(?!(?:the )?(?:framework|practice|"
                        r"condition|indicator|lever|system|strategy|step|component|principle)s?\b)\w+|"
                        r"\bwhat(?:'s| is| was) (?:it|that|this|the [\w-]+) called\b|"
                        r"\bwhat(?:'s| is) the (?:term|word|phrase|label) (?:for|they use)\b|"
                        r"\bwhich (?:specific|particular|exact) \w+|"
                        r"\bwhat (?:specific|particular|exact) (?:[\w-]+ ){0,2}(?:tools?|curricul\w*|programs?|products?|"
                        r"assessments?|platforms?|models?|software|instruments?|surveys?|protocols?|reports?|books?|"
                        r"studies|texts?|vendors?)\b", re.I),
     # a term followed by its definition in brackets ("relational trust (the sense that …)") names it too
     re.compile(r"\b(?:called|named|known as|titled|entitled)\b|\b[a-z][a-z-]{3,}(?: [a-z][a-z-]+){0,2} \([a-z]|"
                r"\u201c[A-Z][^\u201d]{3,}\u201d|\"[A-Z][^\"]{3,}\"|"
                r"\b(?:[A-Z][a-z]+ ){1,4}(?:Tool|Protocol|Curriculum|Program|Programme|Model|Survey|Assessment|Report|"
                r"Act|Inventory|Initiative|Project)\b|\u2122|\u00ae|"
                # a name of three or more capitalised words inside a sentence ("New Pedagogies for Deeper Learning")
                r"(?<=[a-z,(;:] )(?:[A-Z][a-z]+(?: (?:for|of|and|&|the|to|in))? ){2,}[A-Z][a-z]+")),
    ("expansion", re.compile(r"\bstand for\b|\bstands for\b|\bacronym\b|\babbreviation\b", re.I),
     re.compile(r"\b[A-Z]{3,}\s*\(|\(\s*[A-Z]{3,}\s*\)")),
]
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b(?:[A-Z][a-z]+[A-Z]\w*|[A-Z]{2,}[a-z]?s?|[A-Z][a-z]{2,})\b")


_CALENDAR = frozenset("january february march april may june july august september october november december jan feb "
                      "mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday "
                      "sunday mondays tuesdays wednesdays thursdays fridays saturdays sundays".split())


# A question about what the documents draw on: their research, sources, citations, authors or notes.
ABOUT_SOURCES = re.compile(r"\b(?:sources?|research|adapted|cites?|cited|citing|citations?|references?|authors?|"
                           r"study|studies|evidence base|based on|built on|draws? on|grounded in|literature|notes?)\b",
                           re.I)


def specific_terms(question: str) -> list[str]:
    """The question's stemmed content terms without the words that only frame a question."""
    return [t for t in dict.fromkeys(tokens(question)) if t not in _FRAMING and len(t) > 1]


def missing_names(question: str, vocabulary: set[str]) -> list[str]:
    """Names and acronyms in the question (capitalised mid-sentence, CamelCase, ALLCAPS) that no document uses."""
    out = []
    for m in _NAME.finditer(question):
        word = m.group(0)
        if word.lower() in _CALENDAR:
            continue  # "after October", "on Mondays": when something happens, not a thing the documents must name
        parts = words(word)
        if parts and not any(form in vocabulary for p in parts for form in (p, p.rstrip("s"), p + "s", p + "es")):
            out.append(word)
    return list(dict.fromkeys(out))


_ASKING = re.compile(r"\bhow (?:many|much|often|frequently|long)\b|\bwhat (?:percent(?:age)?|ratio|number|amount|year|"
                     r"date)\b|\b(?:number|amount) of\b|\bper\b", re.I)


def topic_words(question: str, limit: int = 10) -> str:
    """What the question is about, in the user's own words: the stretch of the question from its first to its last
    specific word (framework names aside), or those words alone when the stretch is long."""
    text = expand_frameworks_out(question)
    text = _ASKING.sub(" ", text)  # "how many", "how often" … are the asking, not the subject
    wanted = set(specific_terms(text))
    spans = [m for m in re.finditer(r"[A-Za-z][\w'-]*", text) if m.group(0).lower() not in STOP
             and stem(m.group(0).lower()) in wanted]
    if not spans:
        return ""
    stretch = text[spans[0].start():spans[-1].end()]
    if len(stretch.split()) <= limit:
        return stretch
    return " ".join(dict.fromkeys(m.group(0) for m in spans[:limit]))


# How a refusal names each kind of value in plain words ("the documents do not give a specific percentage").
VALUE_NOUNS = {"formula": "a formula", "ratio": "a specific ratio", "percent": "a specific percentage",
               "money": "a dollar amount", "frequency": "a specific frequency", "date": "a date or length of time",
               "quantity": "a specific number", "law": "a statute or regulation",
               "person": "the name of a person or organisation", "name": "the name or title of a specific thing",
               "expansion": "what the abbreviation stands for"}


def asks_for_value(question: str) -> tuple[str, re.Pattern] | None:
    """(kind, evidence pattern) of the specific value a question asks for, or None when it asks for none."""
    for kind, ask, provides in _VALUE_ASKS:
        if ask.search(question):
            return kind, provides
    return None


# "Who owns / leads / decides …": answered by a sentence naming roles. A soft cue: it orders sentences but never
# decides abstention (a role can be named in many ways).
_ROLE_ASK = re.compile(r"\bwho(?:'s| is| are| should| must| does| do| will| would)?\b(?! (?:wrote|authored|published))",
                       re.I)
ROLES = re.compile(r"\b(?:superintendents?|boards?(?: of education)?|principals?|teachers?|district (?:leaders?|"
                    r"leadership team|staff)|central office|leadership teams?|supervisors?|coaches|staff|families|"
                    r"community|students?|school leaders?|cabinet)\b", re.I)


def value_pattern(question: str, soft: bool = True) -> re.Pattern | None:
    """What a sentence stating the specific value the question asks for looks like, or None when it asks for none
    ("how many hours …" wants a number next to "hours", not any number). With `soft`, a "who …" question that asks
    for no other value gets the roles a sentence names."""
    asked = asks_for_value(question)
    if asked is None:
        return ROLES if soft and _ROLE_ASK.search(question) else None
    kind, provides = asked
    unit = _counted_unit(question) if kind == "quantity" else None
    if unit:
        # the number quantifies the unit itself: at most a few words between, none of them another number or unit
        between = r"(?:(?!\d|(?:day|week|month|year|hour|minute)s?\b)[\w-]+\s+)"
        unit = unit[:-1] if unit.endswith("s") and not unit.endswith("ss") and len(unit) > 3 else unit  # "days"
        root = unit[:-1] if unit.endswith(("y", "e")) and len(unit) > 4 else unit  # "strategy" ~ "strategies"
        provides = re.compile(rf"(?:{_NUMBERISH})\s+{between}{{0,3}}?{re.escape(root)}\w*", re.I)
    return provides


def states_value(question: str, sentences: Sequence, top: int = 8) -> bool:
    """Whether one of the best sentences states a value of the kind asked for *about the question's subject* (it
    shares a specific term with the question); True when the question asks for no specific value."""
    provides = value_pattern(question, soft=False)
    if provides is None:
        return True
    # The subject is what remains once the framework names and the words asking for the value are set aside.
    subject = expand_frameworks_out(question)
    for _, ask, _ in _VALUE_ASKS:
        subject = ask.sub(" ", subject)
    terms = set(specific_terms(subject))
    # About the question's subject: sharing a third of its specific terms (at least one), or among the closest in
    # meaning — a year in an unrelated reference line does not date what was asked.
    need = max(1, -(-len(terms) // 3))
    ranked = sorted(sentences, key=lambda s: -s.score)[:top]
    closest = sorted(sentences, key=lambda s: -s.dense)[:3]
    for s in ranked + closest:
        if "reference" in s.flags:
            continue  # a bibliography line's year or author answers "where is this from", not the question
        if provides.search(s.text) and (s in closest or not terms or len(terms & set(tokens(s.text))) >= need):
            return True
    return False


def _counted_unit(question: str) -> str | None:
    """The noun a quantity question counts ("how many hours", "how much collaboration time" -> "time", "the
    maximum number of schools" -> "school"), stemmed, or None."""
    m = re.search(r"\b(?:how (?:many|much)|number of|amount of|max(?:imum)?|min(?:imum)?)\s+((?:[a-z-]+\s+){0,3})",
                  question.lower() + " ")
    if not m:
        return None
    nouns = []
    for w in m.group(1).split():
        if w in _UNIT_STOPS:
            break
        nouns.append(w)
    return stem(nouns[-1]) if nouns and len(nouns[-1]) >= 3 else None


# Words that end the counted noun: auxiliaries, prepositions, numbers, and the verbs a quantity question goes on
# with ("how much time teachers *need*", "how many days principals *get*").
_UNIT_STOPS = frozenset("do does did is are was were should would could can will shall must might may has have had "
                        "in of per for a an the to at on by from with one two three four five each every need needs "
                        "get gets take takes spend spends use uses want wants give gives receive receives make "
                        "makes require requires we i you they he she it us them our my your their its".split())


def compute(question: str, raw_question: str, passages: Sequence, sentences: Sequence, idf: dict[str, float],
            vocabulary: set[str], top: int = 5) -> Evidence:
    """The Evidence of one question from its ranked passages (with dense/bm25 signals) and scored sentences."""
    dense_sorted = sorted((s.dense for s in sentences), reverse=True)
    best = dense_sorted[0] if dense_sorted else 0.0
    second = dense_sorted[1] if len(dense_sorted) > 1 else 0.0
    passage_dense = max((p.signals.get("dense", 0.0) for p in passages[:top]), default=0.0)
    by_dense = [p.chunk.chunk_id for p in sorted(passages, key=lambda p: -p.signals.get("dense", -1.0))[:10]
                if "dense" in p.signals]
    by_lex = [p.chunk.chunk_id for p in sorted(passages, key=lambda p: -p.signals.get("bm25", -1.0))[:10]
              if "bm25" in p.signals]
    agreement = len(set(by_dense) & set(by_lex)) / 10.0 if by_dense and by_lex else 0.0
    terms = specific_terms(question)
    have: set[str] = set()
    for p in passages[:top]:
        have.update(tokens(p.chunk.text))
        have.update(tokens(p.chunk.section))
    weights = {t: idf.get(t, max(idf.values(), default=1.0)) for t in terms}
    total = sum(weights.values())
    coverage = sum(w for t, w in weights.items() if t in have) / total if total else 1.0
    value_missing = 0.0 if states_value(raw_question, sentences) else 1.0
    names = min(3, len(missing_names(expand(raw_question), vocabulary)))
    return Evidence(best_sentence=best, second_sentence=second, best_passage=passage_dense, agreement=agreement,
                    coverage=coverage, missing_names=float(names), value_missing=value_missing)
