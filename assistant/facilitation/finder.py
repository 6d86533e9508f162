"""Practice finder: a problem of practice in a leader's own words -> the framework practices, indicators,
conditions, systems and components that address it, ranked, each with the sentence that matched and its citation.

Scoring per catalog item: retrieval evidence (hybrid search over the index, each passage credited to the most
specific actionable item it overlaps; best rank plus a little for further hits) plus the item's best sentence
similarity to the challenge. Rubric indicators roll up to their practice (the practice is what a district does;
the matching indicator is kept as `focus_id`). Near-duplicates from other frameworks are grouped under the
stronger finding, and no framework takes more than two of the top places unless a framework filter is set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from assistant.facilitation.library import Library
from assistant.text.clean import shorten
from assistant.types import SourceRef
from assistant.facilitation.vectors import ItemSpace, SpaceSource, actionable_items
from assistant.frameworks.vocabulary import with_expansion
from assistant.protocols import Searcher

CANDIDATES = 30  # passages retrieved per challenge
RANK_OFFSET = 5  # retrieval credit 1 / (rank + RANK_OFFSET)
EXTRA_HITS = 0.3  # weight of further passages of the same item
DENSE_WEIGHT = 0.8  # weight of the item's best sentence similarity
GROUP_MIN = 0.42  # similarity at which an item from another framework is grouped as a near-duplicate
SIBLING_SHARE = 0.5  # credit for the other items of a passage that holds several
PER_FRAMEWORK = 2  # top places one framework may take (no framework filter)
EXPAND = "both"  # add framework vocabulary to the search ("none", "search", or "both" = also the dense match)
RRF_K = 60
MORE = 3  # further sentences of an item kept with a finding
FUSION = {"score": 2.0, "lexical": 1.0, "dense": 1.0}  # weights of the three rankings fused in _fuse


@dataclass
class Related:
    """A near-duplicate of a finding in another framework."""

    item_id: str
    framework: str
    label: str
    similarity: float
    citation: SourceRef
    source: str = ""
    start: int = 0
    end: int = 0

    def to_dict(self) -> dict:
        return {"item_id": self.item_id, "framework": self.framework, "label": self.label,
                "similarity": round(self.similarity, 4), "citation": self.citation.to_dict(),
                "source": self.source, "span": [self.start, self.end]}


@dataclass
class Finding:
    """One suggested practice: the item, why it matched (an exact sentence) and where it stands."""

    rank: int
    item_id: str
    framework: str
    kind: str
    label: str
    title: str
    score: float
    reason: str  # the matching sentence, display text
    citation: SourceRef  # exact span of the matching sentence
    source: str  # the item's file and span (what a result "covers")
    start: int
    end: int
    focus_id: str = ""  # the rubric indicator that matched best inside a practice
    related: list[Related] = field(default_factory=list)
    framework_label: str = ""  # the framework's name at the start of `label` ("Rubric", "UVA-PLE")
    signals: dict[str, float] = field(default_factory=dict)
    more: list[SourceRef] = field(default_factory=list)  # the item's next closest sentences, best first

    def overlaps(self, source: str, start: int, end: int) -> bool:
        return self.source == source and self.start < end and start < self.end

    def to_dict(self) -> dict:
        return {"rank": self.rank, "item_id": self.item_id, "framework": self.framework, "kind": self.kind,
                "label": self.label, "title": self.title, "score": round(self.score, 6), "reason": self.reason,
                "citation": self.citation.to_dict(), "source": self.source, "span": [self.start, self.end],
                "focus_id": self.focus_id, "related": [r.to_dict() for r in self.related],
                "framework_label": self.framework_label,
                "signals": {k: round(v, 6) for k, v in self.signals.items()}}


class Finder(Protocol):
    def find(self, challenge: str, k: int = 5, framework: str | None = None) -> list[Finding]:
        """The top-k framework practices for a challenge in a leader's words, best first."""


class PracticeFinder:
    """Ranks actionable catalog items for a challenge (see module docstring)."""

    def __init__(self, searcher: Searcher, library: Library, spaces: SpaceSource):
        self.searcher = searcher
        self.lib = library
        self.catalog = library.catalog
        self.spaces = spaces
        self._by_source: dict[str, list] = {}
        self._desc: dict[str, list] = {}
        for item in actionable_items(self.catalog):
            self._by_source.setdefault(item.source, []).append(item)

    # ---- ranking -------------------------------------------------------------------------------------------
    def find(self, challenge: str, k: int = 5, framework: str | None = None, candidates: int = CANDIDATES,
             group: bool = True, expand: str = EXPAND) -> list[Finding]:
        """The top-k findings for the challenge (optionally inside one framework), best first."""
        text = " ".join((challenge or "").split())
        if not text:
            raise ValueError("Describe the challenge or goal in a sentence, e.g. "
                             "“our principals get no real coaching”.")
        query = with_expansion(text) if expand in ("search", "both") else text
        passages = self.searcher.search(query, k=candidates, framework=framework)
        fw = passages[0].chunk.framework if framework and passages else None
        space = self.spaces.current()
        qvec = space.embed_query(query if expand == "both" else text)
        dense = space.dense(qvec)
        credit: dict[str, list[float]] = {}
        for rank, p in enumerate(passages):
            # A passage holding several items (a list of conditions, a row of elements) credits the item that
            # matches the challenge best in full and its siblings in part.
            items = sorted(self._specific(p.chunk), key=lambda i: -dense.get(i.id, 0.0))
            for n, item in enumerate(items):
                share = 1.0 if n == 0 else SIBLING_SHARE
                credit.setdefault(item.id, []).append(share / (rank + RANK_OFFSET))
        scored: dict[str, tuple[float, str, dict]] = {}  # result id -> (score, best member id, signals)
        for item in space.items:
            if framework and (fw is None or item.framework != fw):
                continue
            hits = sorted(credit.get(item.id, ()), reverse=True)
            ret = (hits[0] + EXTRA_HITS * sum(hits[1:])) if hits else 0.0
            score = ret + DENSE_WEIGHT * dense[item.id]
            key = item.parent if item.kind == "indicator" and item.parent else item.id
            if key not in scored or score > scored[key][0]:
                scored[key] = (score, item.id, {"retrieval": ret, "dense": dense[item.id]})
        ranked = self._fuse(space, text, scored)
        ranked = self._drop_nested(ranked)
        findings = [self._finding(space, key, score, member, signals, qvec)
                    for key, (score, member, signals) in ranked]
        if not framework:
            findings = self._diversify(findings, k)
        if group:  # after diversifying, so an item is only folded under a finding that is shown
            findings = self._group(space, findings, pool=max(4 * k, 12))
            if not framework:
                findings = self._diversify(findings, k)
        for n, f in enumerate(findings[:k], 1):
            f.rank = n
        return findings[:k]

    def _fuse(self, space, text: str, scored: dict) -> list:
        """Results ordered by reciprocal-rank fusion of three views of each item: the passage-and-sentence score
        above (counted twice), a lexical match of the item's whole text, and the meaning of its closest sentence."""
        lexical: dict[str, float] = {}
        for item_id, s in space.lexical_scores(text).items():
            item = self.catalog.get(item_id)
            key = item.parent if item.kind == "indicator" and item.parent else item_id
            lexical[key] = max(lexical.get(key, 0.0), s)
        views = [(FUSION["score"], {k: v[0] for k, v in scored.items()}),
                 (FUSION["lexical"], {k: lexical.get(k, 0.0) for k in scored}),
                 (FUSION["dense"], {k: v[2]["dense"] for k, v in scored.items()})]
        fused = {k: 0.0 for k in scored}
        for weight, values in views:
            for rank, key in enumerate(sorted(values, key=lambda k: (-values[k], k))):
                fused[key] += weight / (RRF_K + rank + 1)
        return sorted(((k, (fused[k], *scored[k][1:])) for k in scored), key=lambda kv: (-kv[1][0], kv[0]))

    def _specific(self, chunk) -> list:
        """Actionable items overlapping the chunk that have no actionable descendant overlapping it too."""
        over = [i for i in self._by_source.get(chunk.source, ()) if i.start < chunk.end and chunk.start < i.end]
        ids = {i.id for i in over}
        return [i for i in over if not any(a.id in ids for a in self._descendants(i.id))]

    def _descendants(self, item_id: str) -> list:
        if item_id not in self._desc:
            self._desc[item_id] = self.catalog.descendants(item_id)
        return self._desc[item_id]

    def _drop_nested(self, ranked: list) -> list:
        """Keep the better of an item and its ancestor/descendant (a component and its practice)."""
        kept: list = []
        lines: list[set[str]] = []  # each kept key with its ancestors
        for key, val in ranked:
            line = {key} | {a.id for a in self.catalog.ancestors(key)}
            if any(k in line or key in other for (k, _), other in zip(kept, lines)):
                continue
            kept.append((key, val))
            lines.append(line)
        return kept

    def _finding(self, space: ItemSpace, key: str, score: float, member: str, signals: dict, qvec) -> Finding:
        item = self.catalog.get(key)
        members = [key] + ([c.id for c in self.catalog.children(key) if c.id in space.index]
                           if key not in space.index or item.kind == "practice" else [])
        sents = sorted(((*s, m) for m in members if m in space.index for s in space.sentence_scores(m, qvec)),
                       key=lambda s: (-s[0], s[1]))
        body = _distinct([s for s in sents if not self.lib.is_heading(self.catalog.get(s[3]), s[1], s[2])],
                         self.lib.raw(item.source))
        best = body[0] if body else (sents[0] if sents else None)
        cite = self.lib.ref(item, best[1], best[2]) if best else self.lib.defining(item)
        more = [self.lib.ref(item, s[1], s[2]) for s in body[1:1 + MORE]]
        focus = member if member != key else ""
        if focus:  # the matched sentence belongs to the focus indicator's own item when it sits there
            owner = self.catalog.get(focus)
            if owner.start <= cite.start and cite.end <= owner.end:
                cite = self.lib.ref(owner, cite.start, cite.end)
        return Finding(rank=0, item_id=key, framework=item.framework, kind=item.kind, label=self.lib.name(item),
                       title=item.title, score=score, reason=shorten(cite.text, 60), citation=cite,
                       source=item.source, start=item.start, end=item.end, focus_id=focus, signals=dict(signals),
                       framework_label=self.catalog.display_name(item.framework), more=more)

    def _group(self, space: ItemSpace, findings: list[Finding], pool: int) -> list[Finding]:
        """Fold near-duplicates from other frameworks into the stronger finding (within the top `pool`)."""
        out: list[Finding] = []
        folded: set[str] = set()
        head = findings[:pool]
        for i, f in enumerate(head):
            if f.item_id in folded:
                continue
            for g in head[i + 1:]:
                if g.item_id in folded or g.framework == f.framework or g.framework in {r.framework for r in f.related}:
                    continue
                sim = space.similarity(f.item_id, g.item_id) if f.item_id in space.index \
                    and g.item_id in space.index else 0.0
                if sim >= GROUP_MIN:
                    f.related.append(Related(g.item_id, g.framework, g.label, sim, g.citation, g.source, g.start, g.end))
                    folded.add(g.item_id)
            out.append(f)
        return out + findings[pool:]

    def _diversify(self, findings: list[Finding], k: int) -> list[Finding]:
        top: list[Finding] = []
        rest: list[Finding] = []
        count: dict[str, int] = {}
        for f in findings:
            if len(top) < k and count.get(f.framework, 0) < PER_FRAMEWORK:
                top.append(f)
                count[f.framework] = count.get(f.framework, 0) + 1
            else:
                rest.append(f)
        return top + rest


def _distinct(sents: list[tuple], raw: str) -> list[tuple]:
    """The scored sentences with each one kept once: a practice and its indicator hold the same span, and a leveled
    rubric repeats a sentence word for word at several levels (the best-scored copy is kept)."""
    seen: set[str] = set()
    out = []
    for s in sents:
        key = " ".join(raw[s[1]:s[2]].split()).lower()
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def hit(findings: list[Finding], expect: list[tuple[str, int, int]], by: str = "item") -> bool:
    """Whether any expected (source, start, end) span overlaps a finding (its item span, or with by='quote'
    its cited sentence; grouped near-duplicates count with by='group')."""
    for f in findings:
        for source, a, b in expect:
            if by == "quote":
                if f.citation.overlaps(source, a, b):
                    return True
            elif f.overlaps(source, a, b):
                return True
            elif by == "group" and any(r.source == source and r.start < b and a < r.end for r in f.related):
                return True
    return False


def load_cases(path, lib: Library) -> list[dict]:
    """Finder test cases (JSONL: id, challenge, expect_any [{doc, quote}]) with each quote's span resolved."""
    import json
    from pathlib import Path

    cases = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        spans = []
        for e in case["expect_any"]:
            at = lib.raw(e["doc"]).find(e["quote"])
            if at < 0:
                raise ValueError(f"{case['id']}: quote not found in {e['doc']}: {e['quote']!r}")
            spans.append((e["doc"], at, at + len(e["quote"])))
        case["spans"] = spans
        cases.append(case)
    return cases


def evaluate(finder: PracticeFinder, cases: list[dict], k: int = 5, **options) -> dict:
    """Top-k hit rates over resolved cases: by item span, by cited sentence, and counting grouped duplicates."""
    rows = []
    for case in cases:
        found = finder.find(case["challenge"], k=k, **options)
        rows.append({"id": case["id"], "item": hit(found, case["spans"]), "quote": hit(found, case["spans"], "quote"),
                     "group": hit(found, case["spans"], "group"), "found": [f.item_id for f in found]})
    n = len(rows) or 1
    return {"k": k, "cases": len(rows), "hit_rate": sum(r["item"] for r in rows) / n,
            "quote_hit_rate": sum(r["quote"] for r in rows) / n,
            "group_hit_rate": sum(r["group"] for r in rows) / n, "rows": rows}
