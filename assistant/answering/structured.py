"""Answers read straight from the framework catalog: complete lists, rubric cells, named items and their parents."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from assistant.frameworks import identifiers as ident, kinds as K, resolver
from assistant.answering.listing import ListRequest
from assistant.answering.citations import CitationBuilder, chunk_for_span, first_sentence
from assistant.text.clean import one_line
from assistant.frameworks.catalog import Catalog
from assistant.types import Chunk, Passage

LEVELS = ident.LEVELS
_MORE = re.compile(r"\b(?:say|tell me|tell us) more\b|\bmore (?:about|on|detail)\b|\belaborate\b|\bin detail\b|"
                   r"\bexpand on\b|\beverything\b|\bunpack\b|\bwalk me through\b", re.I)
_FIELD_WORDS = [
    (r"deepened work|deeper work|deepen", "Deepened Work"),
    (r"implication", "Implications"),
    (r"process outcomes?|outcomes?", "Process Outcomes"),
    (r"purpose|aim of|goal of", "Purpose"),
    (r"definition|define|what is|what's|whats|mean", "Definition"),
    (r"\bfocus\b", "Focus"),
    (r"\bactions?\b|what .* involve", "Actions"),
    (r"elements?", "Elements"),
    (r"details|what's in|whats in|include", "Details"),
]


@dataclass
class Composed:
    text: str
    shape: str
    items: list  # catalog items the answer is about


class StructuredAnswers:
    """Builds answers from catalog items, citing their exact spans through the indexed chunks."""

    def __init__(self, catalog: Catalog, chunks_of: Callable[[], list[Chunk]], text_of: Callable[[str], str | None]):
        self.catalog = catalog
        self._chunks_of = chunks_of  # () -> list[Chunk]
        self._text_of = text_of  # doc_id -> raw text
        self._sentence_cache: dict[str, list] = {}  # chunk_id (content-derived) -> sentences with their word runs

    # ---- helpers ----------------------------------------------------------------------------------------
    def _passage(self, item, start: int, end: int, level: str = "") -> Passage | None:
        chunk = chunk_for_span(self._chunks_of(), item.source, start, end, level)
        return Passage(chunk, 1.0, {"catalog": 1.0}) if chunk else None

    def _raw(self, item) -> str:
        p = self._passage(item, item.start, item.end)
        return (self._text_of(p.chunk.doc_id) if p else None) or ""

    def cite_item(self, cites: CitationBuilder, item, start=None, end=None, level="") -> tuple[str, str]:
        """(marker, display sentence) for an item's first descriptive sentence (or the given span)."""
        raw = self._raw(item)
        if start is None:
            start, end = self._describing_sentence(raw, item) if raw else (item.start, item.end)
        p = self._passage(item, start, end, level)
        if p is None:
            return "", one_line(item.text)
        return cites.marker(p, start, end), one_line(raw[start:end]) if raw else one_line(item.text)

    def _intro_sentence(self, req, cites: CitationBuilder) -> str:
        """The document's own sentence naming several members ("The levers are: ..."), cited, if there is one."""
        from assistant.answering.evidence import chunk_sentences

        seq = resolver.reference_tokens
        titles = [seq(m.title) for m in req.members]
        best = None
        for chunk in self._chunks_of():
            if chunk.framework != req.framework or chunk.kind in ("level",):
                continue
            if chunk.chunk_id not in self._sentence_cache:
                raw = self._text_of(chunk.doc_id) or ""
                self._sentence_cache[chunk.chunk_id] = [(a, b, text, " " + " ".join(seq(text)) + " ")
                                                        for a, b, text in chunk_sentences(raw, chunk.start, chunk.end)]
            for a, b, text, words in self._sentence_cache[chunk.chunk_id]:
                # A member counts as named when its whole title appears, word for word, in the sentence.
                named = sum(1 for t in titles if t and f" {' '.join(t)} " in words)
                if named >= max(2, (len(titles) + 1) // 2) and (best is None or named > best[0]):
                    best = (named, chunk, a, b, text)
        if best is None:
            return ""
        _, chunk, a, b, text = best
        return f"{text} {cites.marker(Passage(chunk, 1.0, {'catalog': 1.0}), a, b)}"

    def _cite_statement(self, cites: CitationBuilder, item) -> tuple[str, str]:
        """Cite an item's own first sentence (a rubric practice's statement), title included."""
        raw = self._raw(item)
        start, end = first_sentence(raw, item.start, item.end) if raw else (item.start, item.end)
        return self.cite_item(cites, item, start, end)

    def cite_level_header(self, cites: CitationBuilder, indicator) -> str:
        """Cite the rubric's table header row, the one place the document names its three levels."""
        from dataclasses import replace

        raw = self._raw(indicator)
        m = re.search(r"PRACTICE\tIN#\tGETTING STARTED\tGETTING BETTER\tKEEP IMPROVING", raw)
        p = self._passage(indicator, indicator.start, indicator.end)
        if not m or p is None:
            return ""
        header = replace(p.chunk, chunk_id=f"{p.chunk.doc_id}-levels-header", start=m.start(), end=m.end(),
                         text="PRACTICE · IN# · GETTING STARTED · "
                         "GETTING BETTER · KEEP IMPROVING", kind="table-header", level="", indicator="",
                         section=p.chunk.section.split(" › ")[0])
        return cites.marker(Passage(header, 1.0, {"catalog": 1.0}), m.start(), m.end())

    def _describing_sentence(self, raw: str, item) -> tuple[int, int]:
        """The first sentence that says something beyond the item's own title (else the title line)."""
        from assistant.text.sentences import sentence_spans

        spans = sentence_spans(raw, item.start, item.end)
        for a, b in spans:
            if _drop_title(one_line(raw[a:b]), item.title):
                return a, b
        return spans[0] if spans else (item.start, item.end)

    # ---- shapes -----------------------------------------------------------------------------------------
    def listing(self, req: ListRequest, cites: CitationBuilder) -> Composed:
        """The complete list, each member cited, with the count stated."""
        n = len(req.members)
        scope = f" under {req.scope.label}" if req.scope is not None else ""
        noun = K.plural(req.kind, n)
        # The count comes from the catalog, which is parsed from the document; the heading carries no claim
        # beyond what the cited members show.
        lines = [f"**{req.framework} names {n} {noun}{scope}:**"]
        intro = self._intro_sentence(req, cites)
        if intro:
            lines.append(intro)
        for i, item in enumerate(req.members, 1):
            if item.kind == "area":
                # An area has no prose of its own: name and cite the practice statements under it.
                practices = [c for c in self.catalog.children(item.id) if c.kind == "practice"]
                marks = " ".join(self._cite_statement(cites, p)[0] for p in practices)
                desc = f"Practices {', '.join(p.number for p in practices)}" if practices else ""
                lines.append(f"{i}. **{item.title}** — {desc} {marks}".rstrip())
                continue
            if item.kind == "practice" and self.catalog.is_leveled(item.framework):
                mark, _ = self._cite_statement(cites, item)
                lines.append(f"{i}. **Practice {item.number}** — {_short(one_line(item.title))} {mark}".rstrip())
                continue
            mark, sentence = self.cite_item(cites, item)
            desc = _short(_drop_title(sentence, item.title))
            if intro and sentence and sentence in intro:
                desc = ""  # the member is only named in the intro sentence shown above
            title = item.title if item.kind not in ("lever", "condition", "system", "step") else item.label
            lines.append(f"{i}. **{title}**" + (f" — {desc}" if desc else "") + f" {mark}".rstrip())
        return Composed("\n".join(lines), "list", list(req.members))

    def rubric(self, question: str, cites: CitationBuilder) -> Composed | None:
        """Descriptors for the indicator(s) and level(s) a question names."""
        ids = ident.parse(question)
        indicators = [self.catalog.leveled_item("indicator", n) for n in ids.indicators]
        indicators = [i for i in indicators if i is not None]
        if not indicators and ids.practices:
            for n in ids.practices:
                p = self.catalog.leveled_item("practice", n)
                if p is not None:
                    indicators += [c for c in self.catalog.children(p.id) if c.kind == "indicator"]
        if not indicators:
            return None
        levels = ids.levels or list(LEVELS)
        if ids.levels and re.search(r"\bnext\b|move (up|to)|neighbou?r|after that|to get to|following level", question, re.I):
            nxt = [LEVELS[LEVELS.index(lv) + 1] for lv in ids.levels if LEVELS.index(lv) + 1 < len(LEVELS)]
            levels = list(dict.fromkeys(levels + nxt))
        out = []
        unknown = ident.unknown_level(question)
        if unknown:
            mark = self.cite_level_header(cites, indicators[0])
            out.append(f"The rubric defines three levels — Getting Started, Getting Better and Keep Improving {mark}"
                       f" — and no “{unknown}” level. Here is what it does say.\n".replace("  ", " "))
        for ind in indicators[:4]:
            practice = self.catalog.get(ind.parent) if ind.parent else None
            head = f"**Indicator {ind.number}**"
            if practice is not None:
                mark, _ = self._cite_statement(cites, practice)
                out.append(f"{head} belongs to Practice {practice.number}: {_short(practice.title, 30)} {mark}".rstrip())
            else:
                out.append(head)
            for lv in levels:
                f = ind.field(lv)
                if f is None:
                    continue
                mark, text = self.cite_item(cites, ind, f.start, f.end, level=lv)
                out.append(f"- **{lv}:** {one_line(f.text)} {mark}".rstrip())
        return Composed("\n".join(out), "rubric", indicators)

    def parent_of(self, question: str, cites: CitationBuilder) -> Composed | None:
        """'Which lever is Condition 8 in?': the ancestor of the requested kind, cited."""
        m = re.search(r"\bwhich (lever|area|step|component|practice|function)\b", question, re.I)
        if not m:
            return None
        kind = m.group(1).lower()
        items = [i for i in resolver.mentioned(self.catalog, question) if i.kind != kind][:3]
        lines = []
        found = []
        for item in items:
            anc = next((a for a in self.catalog.ancestors(item.id) if a.kind == kind), None)
            if anc is None:
                continue
            mark, _ = self.cite_item(cites, anc, anc.start, anc.end) if anc.end - anc.start < 400 else \
                self.cite_item(cites, anc)
            item_mark, _ = self.cite_item(cites, item)
            lines.append(f"{item.label} sits under **{anc.label}** ({item.framework}) {mark} {item_mark}".rstrip())
            found.append(anc)
        if not lines:
            return None
        return Composed("\n".join(lines), "lookup", found)

    def item(self, question: str, cites: CitationBuilder, item) -> Composed:
        """A named item: its definition first, then the field asked for (or all its parts), each cited."""
        want = _field_asked(question, item)
        fields = list(item.fields)
        more = bool(_MORE.search(question))
        out = [f"**{item.label}** ({item.framework}{' › ' + item.path[0] if len(item.path) > 1 else ''})"]
        if want is not None:
            chosen = [want]
        else:
            chosen = fields if more else fields[:4]
        if not chosen:
            if len(item.text) < 700:
                mark, _ = self.cite_item(cites, item, item.start, item.end)
                out.append(f"{one_line(item.text)} {mark}".rstrip())
            else:
                # A long item: its opening sentences, each cited on its own.
                raw = self._raw(item)
                spans = [(a, b) for a, b in _bullets(raw, item.start, item.end) if len(raw[a:b].split()) >= 6][:3]
                for a, b in spans or [(item.start, item.end)]:
                    mark, text = self.cite_item(cites, item, a, b)
                    out.append(f"{text} {mark}".rstrip())
            kids = [k for k in self.catalog.children(item.id)][:8]
            if kids and len(item.text) >= 700:
                out.append("It includes:")
                for k in kids:
                    mk, sent = self.cite_item(cites, k)
                    out.append(f"- **{k.label}** — {_short(_drop_title(sent, k.title))} {mk}".rstrip())
            return Composed("\n".join(out), "lookup", [item])
        for f in chosen:
            raw = self._raw(item)
            parts = _bullets(raw, f.start, f.end) if raw else []
            if len(parts) > 1:
                out.append(f"*{f.name}:*")
                for a, b in parts:
                    mark, text = self.cite_item(cites, item, a, b)
                    out.append(f"- {text} {mark}".rstrip())
            else:
                mark, _ = self.cite_item(cites, item, f.start, f.end)
                out.append(f"*{f.name}:* {one_line(f.text)} {mark}".rstrip())
        kids = self.catalog.children(item.id)
        if more and kids and want is None:  # "say more about …": what the item is made of, too
            out.append("It includes:")
            for k in kids[:8]:
                mk, sent = self.cite_item(cites, k)
                out.append(f"- **{k.label}** — {_short(_drop_title(sent, k.title))} {mk}".rstrip())
        return Composed("\n".join(out), "lookup", [item])


def _field_asked(question: str, item):
    low = question.lower()
    for pattern, name in _FIELD_WORDS:
        if re.search(pattern, low):
            f = item.field(name)
            if f is not None:
                return f
            if name == "Process Outcomes":
                f = item.field("Process Outcomes") or item.field("Outcomes")
                if f:
                    return f
    return None


def _bullets(raw: str, start: int, end: int) -> list[tuple[int, int]]:
    from assistant.text.sentences import sentence_spans

    return [(a, b) for a, b in sentence_spans(raw, start, end) if len(raw[a:b].split()) >= 3]


def _drop_title(sentence: str, title: str) -> str:
    """The sentence without a leading number, label ("Condition 7:") or the item's own title."""
    s = re.sub(r"^\s*(\d+\.|\(?[a-d]\))\s*", "", sentence.strip())
    s = re.sub(r"^(Condition|Lever|Step|Practice|System|Principle)\s+\d+:\s*", "", s)
    t = re.sub(r"^\d+\.\s*", "", one_line(title))
    if t and s.lower().startswith(t.lower()):
        s = s[len(t):].lstrip(" :—-–.")
    return s if len(s.split()) >= 3 else ""


def _short(text: str, words: int = 40) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + " …"
