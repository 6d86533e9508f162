"""Problem-of-practice answers: when a leader describes a situation, what the frameworks suggest — a few practices,
conditions or systems from the catalog, grouped by framework, each with the sentence that matches and its citation,
then the next step (rate yourselves on the matching rubric indicators; use these as bets in a theory of action).

The ranking is the practice finder's (one ranking serves the chat and the Practice finder tab).
"""

from __future__ import annotations

import re
from typing import Callable

from assistant.answering.citations import CitationBuilder, chunk_for_span
from assistant.answering.structured import Composed
from assistant.frameworks.catalog import Catalog
from assistant.frameworks.model import label_for
from assistant.protocols import PracticeRanking
from assistant.text.clean import one_line, shorten
from assistant.types import Chunk, Passage

# Asking for help rather than for a fact: what to do, where to start, what the frameworks suggest.
HELP_SEEKING = re.compile(
    r"\bhow (?:do|can|should|could|would|might|to) (?:we|i|you|our|my|a district|districts|the district)\b|"
    r"\bwhat (?:should|can|could|would|do|does) (?:we|i|you|the district|our district|a district|district "
    r"leaders?|leaders?)\b|\bwhere (?:do|should|would|can) (?:we|i) (?:even )?"
    r"(?:start|begin)\b|\bwhere to (?:start|begin)\b|\bhelp (?:us|me)\b|^\W*help\W*$|\bany (?:advice|ideas|"
    r"suggestions|models|thoughts)\b|\b(?:what now|now what)\b|\bis there (?:a|an|any) (?:model|framework|approach|way|"
    r"strategy|practice|example)s? (?:for|to|that|of)\b|\bwhat (?:do|would) you (?:suggest|recommend)\b|\bwhat (?:helps|works)\b|"
    r"\b(?:thoughts|suggestions|ideas|advice)\W*$|\bwhat are we (?:doing |getting )?wrong\b|\bwhat (?:do|does) "
    r"(?:the|these|your) (?:frameworks?|documents?|docs|research) (?:say|suggest|recommend)\b|\bwhere (?:would|do) you "
    r"point\b|\bfix (?:this|it|that)\b|\bwhat (?:to|can we) do about\b|\bthe right (?:order|way|approach)\b|"
    r"\bwhat (?:should|would) .{0,40} look like\b|\bi(?: need| want|'d like| would like) (?:some |better |new |more )?"
    r"(?:ways?|ideas|help|advice|strategies|approaches|options)\b|"
    # what a framework would have the reader do, or whether it speaks to the situation at all
    r"\bwhat would (?:the|these|any of (?:the|these)|your|this) [\w -]{0,30}?(?:have (?:us|me) do|want (?:us|me) to do|"
    r"want to see|tell (?:us|me) to do)\b|\bhow (?:are|am|is) (?:we|i) supposed to\b|"
    r"\b(?:(?:should|could|must) (?:we|i)|(?:we|i) (?:should|could|must)) be (?:asking|doing|looking at|thinking about)\b|"
    r"\b(?:do|does) (?:the|these|any of (?:the|these)|any) (?:frameworks?|documents?|docs|ones?) (?:say anything|deal with|"
    r"address|talk about|speak to|have (?:anything|guidance|language|advice))\b|"
    r"\bis there (?:any )?(?:guidance|advice|language) (?:in|from)\b", re.I)
MIN_FINDINGS = 3
DETAIL = 3  # further sentences shown under each of the closest findings
DETAILED = 2
SHOWN = 5
# The closest sentence of the best finding must be at least this similar to the situation: on the dev split the
# weakest problem-of-practice description matched at 0.44 and requests outside district leadership (recipes, car
# repair) below 0.15. Below the floor the situation is not one the frameworks speak to.
MATCH_FLOOR = 0.35


def is_help_seeking(text: str) -> bool:
    """True when the message asks what to do (rather than what a document says)."""
    return bool(HELP_SEEKING.search(text))


class ProblemAnswers:
    """Composes the "what the frameworks suggest" answer from the shared practice ranking."""

    def __init__(self, ranking: PracticeRanking, catalog: Catalog, chunks_of: Callable[[], list[Chunk]]):
        self.ranking = ranking
        self.catalog = catalog
        self._chunks_of = chunks_of

    def findings(self, text: str, framework: str | None = None, k: int = SHOWN) -> list:
        """The ranked findings for a situation (empty when nothing is found)."""
        try:
            return self.ranking.find(text, k=k, framework=framework)
        except ValueError:
            return []

    def item_passages(self, findings: list) -> list[Passage]:
        """The passage where each suggested item begins (its heading and defining words): the evidence shown."""
        out = []
        for f in findings:
            item = self.catalog.get(f.item_id)
            chunk = chunk_for_span(self._chunks_of(), item.source, item.start, item.start + 1) if item else None
            if chunk is not None and all(p.chunk.chunk_id != chunk.chunk_id for p in out):
                out.append(Passage(chunk, f.score, {"practice": f.score}))
        return out

    def cited_passages(self, findings: list) -> list[Passage]:
        """The passage holding each finding's matching sentence."""
        out = []
        for f in findings:
            chunk = chunk_for_span(self._chunks_of(), f.citation.source, f.citation.start, f.citation.end)
            if chunk is not None and all(p.chunk.chunk_id != chunk.chunk_id for p in out):
                out.append(Passage(chunk, f.score, {"practice": f.score}))
        return out

    def answer(self, findings: list, cites: CitationBuilder) -> tuple[Composed, list[dict]] | None:
        """The composed answer and its next steps, or None when there are too few findings to suggest."""
        if len(findings) < min(MIN_FINDINGS, SHOWN) or max(f.signals.get("dense", 0.0) for f in findings) < MATCH_FLOOR:
            return None
        groups: dict[str, list] = {}
        for f in findings:
            groups.setdefault(f.framework, []).append(f)
        named = "; ".join(f"{fw} ({', '.join(self._short(f) for f in fs)})" for fw, fs in groups.items())
        lines = [f"**What the frameworks suggest: the closest matches are in {named}.**", ""]
        for fw, fs in groups.items():
            lines.append(f"**{fw}**")
            for f in fs:
                mark = self._mark(f, cites, f.citation)
                lines.append(f"- **{self._label(f)}** — “{shorten(one_line(f.citation.quote), 45)}” {mark}".rstrip())
                if f in findings[:DETAILED]:  # the closest matches say a little more: their next closest sentences
                    lines.extend(self._detail(f, cites))
            lines.append("")
        steps = self.next_steps(findings)
        if steps:
            lines.append("_Next steps: " + " · ".join(s["label"] for s in steps) + "._")
        items = [self.catalog.get(f.item_id) for f in findings]
        return Composed("\n".join(lines).strip(), "practices", [i for i in items if i is not None]), steps

    def next_steps(self, findings: list) -> list[dict]:
        """One-click follow-ons: self-assessment on the matching rubric indicators, and the findings as bets."""
        indicators = []
        for f in findings:
            for item_id in (f.focus_id, f.item_id):
                item = self.catalog.get(item_id) if item_id else None
                if item is None:
                    continue
                if item.kind == "indicator":
                    indicators.append(item)
                elif self.catalog.children(item.id) and all(c.kind == "indicator" for c in self.catalog.children(item.id)):
                    indicators.extend(self.catalog.children(item.id))
        indicators = list(dict.fromkeys(indicators))
        steps = []
        if indicators:
            ids = ", ".join(i.number for i in indicators[:4])
            steps.append({"label": f"rate yourselves on {'indicator' if len(indicators) == 1 else 'indicators'} "
                                   f"{ids} in the Self-assessment tab", "action": "assess",
                          "items": [i.id for i in indicators]})
        steps.append({"label": "reply **use these as bets** to start a theory of action with them", "action": "bets",
                      "message": "use these as bets", "items": [f.item_id for f in findings],
                      "suggestions": [_suggestion(f) for f in findings]})
        return steps

    def _label(self, finding) -> str:
        """The item's own label ("Condition 4: Supervision and …"), titles cut to a readable length."""
        item = self.catalog.get(finding.item_id)
        if item is None:
            return finding.label
        return self._within(item) + label_for(item.kind, item.number, shorten(item.title, 14))

    def _short(self, finding) -> str:
        """The item's number label ("Condition 4") or, for unnumbered items, its shortened title."""
        item = self.catalog.get(finding.item_id)
        if item is None:
            return shorten(finding.label, 6)
        return self._within(item) + (label_for(item.kind, item.number, "") if item.number else shorten(item.title, 6))

    def _within(self, item) -> str:
        """'Cultivating Collaborative Cultures › ' for items numbered within their parent ("Outcome 1" alone would
        not say which component's outcome it is)."""
        if item.kind in self.catalog.descriptor(item.framework).parent_numbered_kinds and item.parent:
            parent = self.catalog.get(item.parent)
            if parent is not None:
                return f"{shorten(parent.title, 6)} › "
        return ""

    def _detail(self, finding, cites: CitationBuilder) -> list[str]:
        """Sub-points: the finding's next closest sentences from the passage already cited for it (one source
        number per finding)."""
        cited = chunk_for_span(self._chunks_of(), finding.citation.source, finding.citation.start, finding.citation.end)
        out = []
        for ref in finding.more:
            chunk = chunk_for_span(self._chunks_of(), ref.source, ref.start, ref.end)
            if cited is not None and chunk is not None and chunk.chunk_id == cited.chunk_id and len(out) < DETAIL:
                out.append(f"  - “{shorten(one_line(ref.quote), 45)}” {self._mark(finding, cites, ref)}".rstrip())
        return out

    def _mark(self, finding, cites: CitationBuilder, ref) -> str:
        chunk = chunk_for_span(self._chunks_of(), ref.source, ref.start, ref.end)
        if chunk is None:
            return ""
        return cites.marker(Passage(chunk, finding.score, {"practice": finding.score}), ref.start, ref.end)


_SUGGESTION_KEYS = ("item_id", "label", "title", "framework", "framework_label", "reason", "citation", "focus_id",
                    "related")


def _suggestion(finding) -> dict:
    """A finding as the JSON suggestion a theory of action takes as a bet (see facilitation/placing.py)."""
    d = finding.to_dict() if hasattr(finding, "to_dict") else dict(vars(finding))
    return {k: d.get(k) for k in _SUGGESTION_KEYS if k in d}
