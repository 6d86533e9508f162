"""Eval datasets: our gold JSONL, llama-index LabelledRagDataset JSON and SQuAD JSON, loaded into one item type."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from evals.normalize import locate, overlap_coefficient

# Question types with an answer in the documents: the original gold types, then the realistic-set types
# (problem-of-practice narratives, paraphrases, counts/structure, cross-framework, coach, evaluator).
ANSWERABLE_TYPES = ("lookup", "list", "rubric", "synthesis", "followup", "problem", "paraphrase", "count", "cross",
                    "coach", "evaluator")
TEXT_OVERLAP = 0.6  # relevance threshold when a gold context is not found verbatim in the corpus


@dataclass
class Target:
    """One piece of gold evidence: a located character span of a corpus file, or (when not found) its text."""

    doc: str = ""
    start: int = -1
    end: int = -1
    text: str = ""
    also: tuple[tuple[int, int], ...] = ()  # further exact occurrences of the same quote in the document

    @property
    def located(self) -> bool:
        return bool(self.doc) and 0 <= self.start < self.end

    def spans(self) -> list[tuple[int, int]]:
        return [(self.start, self.end), *self.also]

    def to_dict(self) -> dict:
        d = {"doc": self.doc, "start": self.start, "end": self.end, "text": self.text}
        if self.also:
            d["also"] = [list(x) for x in self.also]
        return d


@dataclass
class EvalItem:
    """A question to run, with whatever gold the dataset provides."""

    id: str
    type: str
    question: str
    history: list[dict] = field(default_factory=list)
    answer: str = ""  # reference answer ("" when the dataset has none)
    key_facts: list[list[str]] = field(default_factory=list)  # each fact: alternatives, any one counts
    sources: list[dict] = field(default_factory=list)  # raw gold evidence: {"doc", "quote"}
    framework: str | None = None
    targets: list[Target] = field(default_factory=list)  # filled by resolve_targets()
    warnings: list[str] = field(default_factory=list)

    @property
    def answerable(self) -> bool:
        return self.type not in ("unanswerable", "injection")


@dataclass
class Dataset:
    format: str
    path: Path
    items: list[EvalItem]
    corpus_dir: Path | None = None  # a corpus the dataset brings with it (SQuAD contexts written as files)


def detect_format(path: Path) -> str:
    """'jsonl', 'llamaindex' or 'squad' from the file's shape."""
    path = Path(path)
    if path.suffix.lower() == ".jsonl":
        return "jsonl"
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "examples" in data:
        return "llamaindex"
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        return "squad"
    if isinstance(data, list):
        return "jsonl"
    raise ValueError(f"{path.name}: unrecognised dataset (expected our JSONL, a LabelledRagDataset JSON "
                     "with 'examples', or SQuAD JSON with 'data')")


def load_split(split: str) -> Dataset:
    """The items of a named split (gold, dev, test) from its JSONL files, in file order."""
    from evals.splits import paths

    files = paths(split)
    items = [item for f in files for item in load_jsonl(f)]
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ValueError(f"split {split!r}: duplicate item id {item.id!r}")
        seen.add(item.id)
    return Dataset("jsonl", files[-1], items)


def load_dataset(path: Path, workdir: Path | None = None) -> Dataset:
    """Load any supported dataset; SQuAD needs `workdir` to write its contexts as a corpus."""
    path = Path(path)
    fmt = detect_format(path)
    if fmt == "jsonl":
        return Dataset(fmt, path, load_jsonl(path))
    if fmt == "llamaindex":
        return Dataset(fmt, path, load_llamaindex(path))
    if workdir is None:
        raise ValueError("a SQuAD dataset needs a work folder for its corpus")
    items, corpus = load_squad(path, Path(workdir) / "squad-corpus")
    return Dataset(fmt, path, items, corpus)


# ---- our schema ------------------------------------------------------------------------------------------------
def load_jsonl(path: Path) -> list[EvalItem]:
    """Our gold schema: {id, type, question, history?, answer, key_facts, sources: [{doc, quote}], framework?}."""
    text = Path(path).read_text(encoding="utf-8")
    if Path(path).suffix.lower() == ".json":
        rows = json.loads(text)
    else:
        rows = [json.loads(line) for line in text.splitlines() if line.strip() and not line.lstrip().startswith("//")]
    items = []
    for n, row in enumerate(rows, 1):
        if "question" not in row:
            raise ValueError(f"{Path(path).name}: item {n} has no 'question'")
        facts = row.get("key_facts") or []
        items.append(EvalItem(
            id=str(row.get("id") or f"item-{n}"),
            type=str(row.get("type") or "lookup"),
            question=str(row["question"]),
            history=list(row.get("history") or []),
            answer=str(row.get("answer") or ""),
            key_facts=[list(f) if isinstance(f, list) else [str(f)] for f in facts],
            sources=[{"doc": str(s.get("doc", "")), "quote": str(s.get("quote", ""))} for s in row.get("sources") or []],
            framework=row.get("framework") or None,
        ))
    return items


# ---- llama-index LabelledRagDataset ------------------------------------------------------------------------------
def load_llamaindex(path: Path) -> list[EvalItem]:
    """`examples[].query / reference_contexts / reference_answer`; contexts become gold evidence (no key facts)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    items = []
    for n, ex in enumerate(data.get("examples") or [], 1):
        items.append(EvalItem(
            id=str(ex.get("id") or f"rag-{n:03d}"),
            type="lookup",
            question=str(ex["query"]),
            answer=str(ex.get("reference_answer") or ""),
            sources=[{"doc": "", "quote": str(c)} for c in ex.get("reference_contexts") or []],
        ))
    return items


# ---- SQuAD ---------------------------------------------------------------------------------------------------------
def load_squad(path: Path, corpus_dir: Path) -> tuple[list[EvalItem], Path]:
    """`data[].paragraphs[].context/qas[]`: each context is written to corpus_dir as a .txt document."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    corpus_dir = Path(corpus_dir)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    items: list[EvalItem] = []
    for a, article in enumerate(data.get("data") or []):
        title = re.sub(r"[^a-z0-9]+", "-", str(article.get("title") or "article").lower()).strip("-")[:40] or "article"
        for p, para in enumerate(article.get("paragraphs") or []):
            context = str(para.get("context") or "").replace("\r\n", "\n")
            if not context.strip():
                continue
            name = f"{a:03d}-{title}-{p:02d}.txt"
            (corpus_dir / name).write_text(context, encoding="utf-8")
            for q, qa in enumerate(para.get("qas") or []):
                answers = [x for x in qa.get("answers") or [] if str(x.get("text", "")).strip()]
                impossible = bool(qa.get("is_impossible")) or not answers
                texts = list(dict.fromkeys(str(x["text"]) for x in answers))
                item = EvalItem(
                    id=str(qa.get("id") or f"squad-{a}-{p}-{q}"),
                    type="unanswerable" if impossible else "lookup",
                    question=str(qa["question"]),
                    answer=texts[0] if texts else "",
                    key_facts=[texts] if texts else [],
                    sources=[{"doc": name, "quote": t} for t in texts],
                )
                for x in answers:  # SQuAD gives the spans: keep them exact (first occurrence may be elsewhere)
                    s, t = int(x.get("answer_start", -1)), str(x["text"])
                    known = {(x.start, x.end) for x in item.targets}
                    if 0 <= s and context[s:s + len(t)] == t and (s, s + len(t)) not in known:
                        item.targets.append(Target(name, s, s + len(t), t))
                items.append(item)
    return items, corpus_dir


# ---- gold evidence -----------------------------------------------------------------------------------------------
def resolve_targets(items: list[EvalItem], docs: dict[str, str]) -> list[str]:
    """Locate every item's gold quotes in the corpus texts (by file name); returns warnings for quotes not found.

    A quote that occurs more than once in its document is gold at every occurrence.
    A quote is looked for in its named document, then in every document (llama-index contexts name none).
    A quote found nowhere stays a text-only target, judged by token overlap (>= 0.6).
    """
    warnings: list[str] = []
    for item in items:
        if item.targets:  # already exact (SQuAD)
            continue
        for src in item.sources:
            quote, doc = src.get("quote", ""), src.get("doc", "")
            if not quote.strip():
                continue
            span = None
            if doc in docs:
                span = locate(quote, docs[doc])
            where = doc
            if span is None:
                for name, text in docs.items():
                    span = locate(quote, text)
                    if span:
                        where = name
                        break
            if span is None:
                msg = f"{item.id}: quote not found in the corpus ({doc or 'any document'}): {quote[:60]!r}"
                item.warnings.append(msg)
                warnings.append(msg)
                item.targets.append(Target(doc=doc, text=quote))
            else:
                if doc and where != doc:
                    msg = f"{item.id}: quote found in {where}, not in {doc}"
                    item.warnings.append(msg)
                    warnings.append(msg)
                item.targets.append(Target(where, span[0], span[1], quote, other_occurrences(docs[where], span)))
    return warnings


def other_occurrences(text: str, span: tuple[int, int]) -> tuple[tuple[int, int], ...]:
    """Spans of later exact repeats of text[span] (a quote that occurs twice is gold at both places)."""
    quote = text[span[0]:span[1]]
    out = []
    i = text.find(quote, span[1])
    while quote and i >= 0:
        out.append((i, i + len(quote)))
        i = text.find(quote, i + len(quote))
    return tuple(out)


def covers(source: str, start: int, end: int, text: str, target: Target) -> bool:
    """Does a retrieved span/text count as evidence for `target`? Span overlap, or token overlap for text targets."""
    if target.located:
        return source == target.doc and any(max(start, a) < min(end, b) for a, b in target.spans())
    return overlap_coefficient(text, target.text) >= TEXT_OVERLAP
