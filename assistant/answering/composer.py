"""The extractive composer: answers built only from ranked source sentences, shaped to the question, all cited."""

from __future__ import annotations

import re

from assistant.answering import evidence as ev
from assistant.answering.citations import CitationBuilder
from assistant.types import Passage

_COMPARE = re.compile(r"\bcompare|comparison|\bvs\.?\b|versus|\bdiffer|\bacross (the )?frameworks|\beach (framework|treat)|"
                      r"\bcross-?walk|\bboth\b|\bframeworks say\b|\bhow do (these|the) frameworks\b|"
                      # a question asked of every framework at once: each one's answer side by side
                      r"\bwhich (of (the|these|our) )?(frameworks|documents|docs)\b|\b(one|a) (spot|place|example|quote) "
                      r"(per|from each|in each)\b|\b(in|from) each (doc|document|framework)\b|\bevery framework\b|"
                      r"\ball (five|5|of the) frameworks\b", re.I)
_HOWTO = re.compile(r"\bhow (do|should|can|could|would|might) (we|i|districts?|leaders?|our)\b|\bwhat should (we|i|our)\b|"
                    r"\bways to\b|\bstrateg(y|ies) (for|to)\b|\bhelp (us|me)\b|\bsteps to\b|\bwhat can (we|i)\b|"
                    r"\bour (principals|teachers|schools|board|district)\b|\bwe (want|need|are|have)\b", re.I)
_DEFINE = re.compile(r"^\s*(what|wht)\s+(is|are|does|do)\b|\bdefine\b|\bdefinition\b|\bmean(s|ing)?\b|\bwhat's\b|\bwhats\b|"
                     r"\bdescribe\b|\bexplain\b", re.I)


def topic_of(question: str) -> str:
    """The question without framework names and comparison wording: what to look for in each framework."""
    from assistant.frameworks.identifiers import without_frameworks

    q = without_frameworks(question)
    q = re.sub(r"\b(compare|comparison|vs\.?|versus|across|frameworks?|each|both|the|and|give me|cross-?walk|"
               r"how do|what do|say|says|treat|handle|talk about|talk|it|these|in)\b", " ", q, flags=re.I)
    q = re.sub(r"[^\w\s'-]", " ", q)
    q = re.sub(r"\s+", " ", q).strip()
    return q or question


def asks_to_compare(question: str) -> bool:
    """Whether the wording asks for a comparison ("compare", "versus", "across frameworks", "crosswalk" …)."""
    return bool(_COMPARE.search(question))


def asks_how_to(question: str) -> bool:
    """Whether the wording asks what to do ("how should we …", "ways to …", "our principals …")."""
    return bool(_HOWTO.search(question))


def shape_of(question: str, frameworks: list[str]) -> str:
    """comparison, howto, definition or general."""
    if len(frameworks) >= 2 or _COMPARE.search(question):
        return "comparison"
    if _HOWTO.search(question):
        return "howto"
    if _DEFINE.search(question):
        return "definition"
    return "general"


def compose(shape: str, sentences: list[ev.Sentence], cites: CitationBuilder, max_sentences: int,
            frameworks: list[str] | None = None) -> str:
    """Answer text for a sentence-based shape from already scored sentences."""
    if shape == "comparison":
        return _comparison(sentences, cites, frameworks or [], max_sentences)
    if shape == "howto":
        return _howto(sentences, cites, max_sentences)
    return _direct(sentences, cites, max_sentences, lead=2 if shape == "definition" else 3)


def _mark(cites: CitationBuilder, s: ev.Sentence) -> str:
    return cites.marker(s.passage, s.start, s.end)


def _direct(sentences, cites, n, lead: int) -> str:
    chosen = ev.select(sentences, n)
    if not chosen:
        return ""
    head = chosen[:lead]
    # Further sentences only when they are nearly as strong as the answer itself: fewer, better sources.
    floor = 0.85 * chosen[0].score
    rest = ev.reading_order([s for s in chosen[lead:] if s.score >= floor][:2])
    # The answer opens by naming where it comes from (framework › item, level); a sentence from another passage
    # names its own place.
    parts, last = [], None
    for s in head:
        where = _where(s.passage)
        parts.append((f"**{where}:** " if where != last else "") + f"{s.text} {_mark(cites, s)}")
        last = where
    text = " ".join(parts)
    if rest:
        text += "\n\n**Also in the sources**\n" + "\n".join(
            f"- {_where(s.passage)}: {s.text} {_mark(cites, s)}" for s in rest)
    return text


def _howto(sentences, cites, n) -> str:
    chosen = ev.select(sentences, n, per_passage=2)
    if not chosen:
        return ""
    floor = 0.8 * chosen[0].score
    chosen = [s for s in chosen if s.score >= floor]
    groups: dict[str, list[ev.Sentence]] = {}
    for s in ev.reading_order(chosen):
        groups.setdefault(_where(s.passage), []).append(s)
    shown = list(groups.items())[:4]
    frameworks = list(dict.fromkeys(g[0].passage.chunk.framework for _, g in shown))
    lines = [f"**The frameworks point to these practices and conditions ({', '.join(frameworks)}):**"]
    for where, group in shown:
        lines.append(f"\n**{where}**")
        lines.extend(f"- {s.text} {_mark(cites, s)}" for s in group)
    return "\n".join(lines)


def _comparison(sentences, cites, frameworks, n) -> str:
    by_fw: dict[str, list[ev.Sentence]] = {}
    for s in sentences:
        by_fw.setdefault(s.passage.chunk.framework, []).append(s)
    order = [f for f in frameworks if f in by_fw] or sorted(by_fw, key=lambda f: -max(s.score for s in by_fw[f]))
    per = 2
    lines = []
    for fw in order[:5]:
        chosen = ev.reading_order(ev.select(by_fw[fw], per))
        if not chosen:
            continue
        lines.append(f"**{fw}**")
        lines.extend(f"- {_item_of(s.passage)}{s.text} {_mark(cites, s)}" for s in chosen)
        lines.append("")
    missing = [f for f in frameworks if f not in by_fw]
    if missing:
        lines.append("No passage on this was found in: " + ", ".join(missing) + ".")
    return "\n".join(lines).strip()


def _item_of(p: Passage) -> str:
    """'**Condition 11: Curriculum Strategy** — ': the item a compared sentence comes from, so each side is named."""
    c = p.chunk
    parts = [x.strip() for x in c.section.split("›")] if c.section else []
    label = f"Indicator {c.indicator}" if c.indicator else (parts[-1] if len(parts) > 1 else "")
    if len(label) > 60 and ":" in label:  # a rubric practice's title is a sentence: its number names it
        label = label.split(":", 1)[0]
    return f"**{label}** — " if label else ""


def _where(p: Passage) -> str:
    c = p.chunk
    section = c.section.split(" › ")[-1] if c.section else ""
    if c.indicator:
        section = f"Indicator {c.indicator}" + (f" ({c.level})" if c.level else "")
    return f"{c.framework} › {section}" if section else c.framework


def provenance(sentences: list[ev.Sentence], cites: CitationBuilder, named: list[str]) -> str:
    """Which framework(s) the previous answer comes from: each named, with its best matching sentence cited.
    `named` are frameworks the previous answer itself named (they come first)."""
    best: dict[str, ev.Sentence] = {}
    for s in sorted(sentences, key=lambda s: -s.score):
        best.setdefault(s.passage.chunk.framework, s)
    order = [f for f in named if f in best] + [f for f in best if f not in named]
    if not order:
        return ""
    top = best[order[0]].score
    order = [f for f in order if f in named or best[f].score >= 0.85 * top][:3]
    if len(order) == 1:
        head = f"That comes from **{order[0]}**:"
    else:
        head = "That comes from " + ", ".join(f"**{f}**" for f in order[:-1]) + f" and **{order[-1]}**:"
    lines = [head]
    for f in order:
        s = best[f]
        lines.append(f"- **{_where(s.passage)}** — {s.text} {_mark(cites, s)}")
    return "\n".join(lines)


def distinct_sections(passages: list[Passage]) -> list[Passage]:
    """The passages with one per section, best first: two chunks of one section read as one suggestion."""
    seen: set[tuple[str, str]] = set()
    out = []
    for p in passages:
        key = (p.chunk.framework, p.chunk.section)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
