"""Plain value types shared by every layer: documents, chunks, passages, cited spans, citations, answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.text.clean import one_line, shorten


@dataclass(frozen=True)
class PageSpan:
    """A page of a paginated source: its 1-based number and character span in the document text."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """One loaded source file: full extracted text plus identity and provenance."""

    doc_id: str
    source: str  # file name as shown in citations (relative to its folder)
    title: str
    framework: str  # short name used in citations ("LEAD CT"); the title for uploads
    text: str
    content_hash: str
    pages: tuple[PageSpan, ...] = ()
    path: str = ""  # where it was read from (not stored in citations)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding character `offset`, or None for unpaginated text."""
        for page in self.pages:
            if page.start <= offset < page.end or (offset == page.end == len(self.text)):
                return page.number
        return None


@dataclass(frozen=True)
class Chunk:
    """A retrievable unit: an exact span of a document plus structural metadata."""

    chunk_id: str
    doc_id: str
    source: str
    framework: str
    start: int  # character span in Document.text: text == document.text[start:end] before cleaning
    end: int
    text: str  # cleaned text for display and answering (export debris removed)
    section: str = ""  # "Lever 2: Support and Accountability › Condition 4: ..."
    kind: str = "passage"  # "indicator", "level", "condition", "system", "component", "passage", ...
    item_id: str = ""  # framework catalog id when the chunk is a catalog item ("rubric:11a")
    indicator: str = ""  # rubric indicator id ("11a")
    practice: str = ""  # rubric practice number ("11")
    level: str = ""  # rubric level ("Getting Better")
    page: int | None = None
    title: str = ""  # document title
    embed_text: str = ""  # what the dense model reads (heading + lead); falls back to text

    def metadata(self) -> dict[str, str | int]:
        """Flat, Chroma-safe metadata (no None values)."""
        return {
            "doc_id": self.doc_id,
            "source": self.source,
            "framework": self.framework,
            "start": self.start,
            "end": self.end,
            "section": self.section,
            "kind": self.kind,
            "item_id": self.item_id,
            "indicator": self.indicator,
            "practice": self.practice,
            "level": self.level,
            "page": -1 if self.page is None else self.page,
            "title": self.title,
            "embed_text": self.embed_text,
        }

    @classmethod
    def from_metadata(cls, chunk_id: str, text: str, meta: dict) -> "Chunk":
        """Inverse of `metadata()`."""
        page = int(meta.get("page", -1))
        return cls(
            chunk_id=chunk_id,
            doc_id=str(meta["doc_id"]),
            source=str(meta["source"]),
            framework=str(meta["framework"]),
            start=int(meta["start"]),
            end=int(meta["end"]),
            text=text,
            section=str(meta.get("section", "")),
            kind=str(meta.get("kind", "passage")),
            item_id=str(meta.get("item_id", "")),
            indicator=str(meta.get("indicator", "")),
            practice=str(meta.get("practice", "")),
            level=str(meta.get("level", "")),
            page=None if page < 0 else page,
            title=str(meta.get("title", "")),
            embed_text=str(meta.get("embed_text", "")),
        )


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its fused score and the per-signal evidence behind it."""

    chunk: Chunk
    score: float
    signals: dict[str, float] = field(default_factory=dict)  # "dense", "bm25", "boost" ...


@dataclass(frozen=True)
class SourceRef:
    """An exact span of a source document (``quote == text[start:end]``), attributed to the catalog item or the
    section it lies in: the one citation unit of answers and facilitation alike."""

    item_id: str
    framework: str
    source: str
    start: int
    end: int
    quote: str  # exact source text: the document text [start:end]
    path: tuple[str, ...] = ()  # display labels, root -> item

    @classmethod
    def in_chunk(cls, chunk: Chunk, start: int, end: int, quote: str) -> "SourceRef":
        """A span inside an indexed chunk's document, attributed to the chunk's item and section."""
        return cls(chunk.item_id, chunk.framework, chunk.source, start, end, quote,
                   tuple(chunk.section.split(" › ")) if chunk.section else ())

    @property
    def text(self) -> str:
        """The quote as display text (markup, bullets and hard wraps removed), one line."""
        return one_line(self.quote)

    @property
    def label(self) -> str:
        """'UVA-PLE › Lever 2: Support and Accountability › Condition 4: …' (sentence-long titles cut short)."""
        return " › ".join((self.framework, *(shorten(p, 12) for p in self.path)))

    def overlaps(self, source: str, start: int, end: int) -> bool:
        return self.source == source and self.start < end and start < self.end

    def to_dict(self) -> dict:
        return {"item_id": self.item_id, "framework": self.framework, "source": self.source, "start": self.start,
                "end": self.end, "quote": self.quote, "path": list(self.path), "label": self.label,
                "text": self.text}

    @classmethod
    def from_dict(cls, d: dict) -> "SourceRef":
        return cls(item_id=str(d["item_id"]), framework=str(d["framework"]), source=str(d["source"]),
                   start=int(d["start"]), end=int(d["end"]), quote=str(d["quote"]), path=tuple(d.get("path") or ()))


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer: one indexed passage and the exact span it quotes (`ref`); when the answer
    quotes the passage in several places, `ref` covers them all and `spans` lists each quoted span."""

    number: int
    passage: Passage
    ref: SourceRef
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def chunk(self) -> Chunk:
        return self.passage.chunk

    @property
    def quote(self) -> str:
        return self.ref.quote

    @property
    def start(self) -> int:
        return self.ref.start

    @property
    def end(self) -> int:
        return self.ref.end

    def label(self) -> str:
        """Human label: framework › section › indicator/level › page."""
        c = self.chunk
        parts = [c.framework]
        if c.section:
            parts.extend(_short(p) for p in c.section.split(" › "))
        if c.indicator and c.indicator not in c.section:
            parts.append(f"Indicator {c.indicator}")
        if c.level and c.level not in c.section:
            parts.append(c.level)
        if c.page is not None:
            parts.append(f"p. {c.page}")
        return " › ".join(parts)


@dataclass
class Answer:
    """The result of answering one question: text with [n] markers, citations, evidence and timings."""

    question: str
    text: str
    citations: list[Citation]
    passages: list[Passage]
    abstained: bool = False
    backend: str = "extractive"
    shape: str = "general"  # definition, list, rubric, comparison, howto, general
    related: list[Passage] = field(default_factory=list)  # offered when abstaining
    notes: list[str] = field(default_factory=list)  # user-visible notices (fallbacks, flags)
    timings: dict[str, float] = field(default_factory=dict)  # milliseconds
    resolved_question: str = ""  # the question after follow-up resolution
    files: list[str] = field(default_factory=list)  # downloads offered with the answer (paths), e.g. an export
    confidence: float | None = None  # calibrated P(the documents answer this), when the evidence was weighed
    evidence: dict[str, float] = field(default_factory=dict)  # the features behind `confidence`
    next_steps: list[dict] = field(default_factory=list)  # one-click follow-ons: {"label", "message", "items"}

    def to_dict(self) -> dict:
        """JSON-ready form used by the CLI, the eval suite and the app."""
        return {
            "question": self.question,
            "resolved_question": self.resolved_question or self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "backend": self.backend,
            "shape": self.shape,
            "citations": [
                {
                    "n": c.number,
                    "label": c.label(),
                    "quote": c.quote,
                    "start": c.start,
                    "end": c.end,
                    "spans": [list(x) for x in (c.spans or ((c.start, c.end),))],
                    **passage_dict(c.passage),
                }
                for c in self.citations
            ],
            "passages": [passage_dict(p) for p in self.passages],
            "related": [passage_dict(p) for p in self.related],
            "notes": list(self.notes),
            "timings_ms": dict(self.timings),
            **({"files": list(self.files)} if self.files else {}),
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "evidence": dict(self.evidence),
            "next_steps": [dict(s) for s in self.next_steps],
        }


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def passage_dict(p: Passage) -> dict:
    """JSON-ready form of a passage (text, score and all metadata)."""
    c = p.chunk
    return {
        "chunk_id": c.chunk_id,
        "text": c.text,
        "score": round(p.score, 6),
        "signals": {k: round(v, 6) for k, v in p.signals.items()},
        "source": c.source,
        "framework": c.framework,
        "section": c.section,
        "kind": c.kind,
        "item_id": c.item_id,
        "indicator": c.indicator,
        "practice": c.practice,
        "level": c.level,
        "page": c.page,
        "span": [c.start, c.end],
        "doc_id": c.doc_id,
    }
