"""Consistency checks for the evaluation data.

Covers three hand-written data sets:

* ``evals/gold.jsonl``                    reference questions, answers, key facts and cited quotes
* ``tests/data/retrieval_cases.jsonl``    question -> passage that must be retrieved
* ``tests/data/finder_cases.jsonl``       problem of practice -> relevant practices/conditions

Every quote must be an exact substring of its corpus file, so the data stays
usable for containment checks against extractive answers. Standard library only.
"""

import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = ROOT / "corpus"
GOLD_PATH = ROOT / "evals" / "gold.jsonl"
RETRIEVAL_PATH = ROOT / "tests" / "data" / "retrieval_cases.jsonl"
FINDER_PATH = ROOT / "tests" / "data" / "finder_cases.jsonl"

# corpus file -> short name used in citations and framework filters
SHORT_NAMES = {
    "lead-ct-coherence-framework.txt": "LEAD CT",
    "instll-capacity-building-framework.txt": "INSTLL",
    "leadership-system-rubric.txt": "Leadership System rubric",
    "uva-ple-district-conditions.txt": "UVA-PLE",
    "coherence-capacity-framework.txt": "Coherence & Capacity",
}
DOCS = tuple(SHORT_NAMES)

# The Coherence & Capacity export wraps every ~30-57 characters, so quotes
# taken from a single line of that file are necessarily shorter.
QUOTE_MIN_LEN = {"coherence-capacity-framework.txt": 20}
DEFAULT_QUOTE_MIN_LEN = 40
QUOTE_MAX_LEN = 300
FINDER_QUOTE_LEN = (20, 120)

ANSWERABLE_TYPES = ("lookup", "list", "rubric", "synthesis", "followup")
UNGROUNDED_TYPES = ("unanswerable", "injection")
MIN_TYPE_COUNTS = {
    "lookup": 17,
    "list": 14,
    "rubric": 14,
    "synthesis": 13,
    "followup": 10,
    "unanswerable": 10,
    "injection": 8,
}
MIN_GOLD_ITEMS = 90
MIN_GOLD_ITEMS_PER_DOC = 12
KEY_FACT_COUNT = {"list": (2, 7)}  # list members; everything else uses the default
DEFAULT_KEY_FACT_COUNT = (2, 5)
KEY_FACT_MAX_WORDS = 6

MIN_RETRIEVAL_CASES = 35
MIN_RETRIEVAL_PER_DOC = 5
MIN_IDENTIFIER_QUERIES = 5
IDENTIFIER_QUERY = re.compile(
    r"\b(\d{1,2}[ab]|practice \d{1,2}|condition \d{1,2}|step \d|seven systems)\b", re.IGNORECASE
)

MIN_FINDER_CASES = 18
FINDER_EXPECT_COUNT = (2, 5)
MIN_FINDER_DOCS_PER_CASE = 2


# --------------------------------------------------------------------------- helpers


def norm(text):
    """Case-insensitive, whitespace-normalised form used for containment checks."""
    return " ".join(text.split()).lower()


@lru_cache(maxsize=None)
def corpus_text(doc):
    return (CORPUS_DIR / doc).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def corpus_norm(doc):
    return norm(corpus_text(doc))


@lru_cache(maxsize=None)
def read_jsonl(path):
    """Return a tuple of (line number, parsed object); fails on any bad line."""
    rows = []
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    for lineno, line in enumerate(lines, start=1):
        assert line.strip(), f"{path.name}:{lineno}: blank line"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:  # pragma: no cover - reported as failure
            pytest.fail(f"{path.name}:{lineno}: invalid JSON ({exc})")
        assert isinstance(obj, dict), f"{path.name}:{lineno}: expected a JSON object"
        rows.append((lineno, obj))
    return tuple(rows)


def rows(path):
    try:
        return [obj for _, obj in read_jsonl(path)]
    except (FileNotFoundError, AssertionError, json.JSONDecodeError):
        return []


def gold_items():
    return rows(GOLD_PATH)


def retrieval_cases():
    return rows(RETRIEVAL_PATH)


def finder_cases():
    return rows(FINDER_PATH)


def ids(items):
    return [str(item.get("id", i)) for i, item in enumerate(items)]


def check_quote(doc, quote, where, min_len=None, max_len=QUOTE_MAX_LEN):
    assert doc in DOCS, f"{where}: unknown corpus file {doc!r}"
    assert isinstance(quote, str) and quote, f"{where}: empty quote"
    assert "\n" not in quote and "\t" not in quote, f"{where}: quote spans a line break or tab"
    if min_len is None:
        min_len = QUOTE_MIN_LEN.get(doc, DEFAULT_QUOTE_MIN_LEN)
    assert min_len <= len(quote) <= max_len, (
        f"{where}: quote length {len(quote)} outside {min_len}-{max_len}: {quote!r}"
    )
    assert quote in corpus_text(doc), f"{where}: quote is not an exact substring of {doc}: {quote!r}"


# --------------------------------------------------------------------------- files


@pytest.mark.parametrize("path", [GOLD_PATH, RETRIEVAL_PATH, FINDER_PATH], ids=lambda p: p.name)
def test_file_exists_and_every_line_parses(path):
    assert path.is_file(), f"missing {path}"
    parsed = read_jsonl(path)
    assert parsed, f"{path.name} is empty"


@pytest.mark.parametrize("doc", DOCS)
def test_corpus_file_present(doc):
    assert (CORPUS_DIR / doc).is_file()
    assert corpus_text(doc).strip()


def test_manifest_short_names_match():
    tomllib = pytest.importorskip("tomllib")
    manifest = tomllib.loads((CORPUS_DIR / "manifest.toml").read_text(encoding="utf-8"))
    declared = {d["file"]: d["short"] for d in manifest["document"]}
    assert declared == SHORT_NAMES


@pytest.mark.parametrize(
    "path,minimum",
    [(GOLD_PATH, MIN_GOLD_ITEMS), (RETRIEVAL_PATH, MIN_RETRIEVAL_CASES), (FINDER_PATH, MIN_FINDER_CASES)],
    ids=lambda v: v.name if isinstance(v, Path) else str(v),
)
def test_minimum_sizes(path, minimum):
    assert len(rows(path)) >= minimum


@pytest.mark.parametrize("path", [GOLD_PATH, RETRIEVAL_PATH, FINDER_PATH], ids=lambda p: p.name)
def test_ids_unique(path):
    counts = Counter(obj.get("id") for obj in rows(path))
    dupes = [i for i, n in counts.items() if n > 1]
    assert not dupes, f"duplicate ids in {path.name}: {dupes}"


# --------------------------------------------------------------------------- gold set


@pytest.mark.parametrize("item", gold_items(), ids=ids(gold_items()))
def test_gold_schema(item):
    required = {"id": str, "type": str, "question": str, "answer": str, "key_facts": list, "sources": list}
    for field, typ in required.items():
        assert field in item, f"missing {field}"
        assert isinstance(item[field], typ), f"{field} should be {typ.__name__}"
    allowed = set(required) | {"history"}
    assert set(item) <= allowed, f"unexpected fields {set(item) - allowed}"
    assert item["type"] in MIN_TYPE_COUNTS, f"unknown type {item['type']!r}"
    assert re.fullmatch(rf"{item['type']}-\d{{3}}", item["id"]), "id should look like '<type>-NNN'"
    assert item["question"].strip() and item["answer"].strip()
    for fact in item["key_facts"]:
        assert isinstance(fact, str) and fact.strip()
    for src in item["sources"]:
        assert isinstance(src, dict) and set(src) == {"doc", "quote"}, f"bad source {src!r}"
        assert isinstance(src["doc"], str) and isinstance(src["quote"], str)
    if "history" in item:
        assert isinstance(item["history"], list)


@pytest.mark.parametrize("item", gold_items(), ids=ids(gold_items()))
def test_gold_quotes_are_exact(item):
    for n, src in enumerate(item["sources"]):
        check_quote(src["doc"], src["quote"], f"{item['id']} source {n}")


@pytest.mark.parametrize("item", gold_items(), ids=ids(gold_items()))
def test_gold_grounding_rules(item):
    if item["type"] in UNGROUNDED_TYPES:
        assert item["key_facts"] == [], "unanswerable/injection items must have no key facts"
        assert item["sources"] == [], "unanswerable/injection items must have no sources"
        return
    assert item["sources"], "answerable items need at least one source"
    low, high = KEY_FACT_COUNT.get(item["type"], DEFAULT_KEY_FACT_COUNT)
    assert low <= len(item["key_facts"]) <= high, f"expected {low}-{high} key facts"
    assert len({norm(f) for f in item["key_facts"]}) == len(item["key_facts"]), "duplicate key facts"
    if item["type"] == "synthesis":
        assert len({s["doc"] for s in item["sources"]}) >= 2, "synthesis must cite 2+ documents"


@pytest.mark.parametrize(
    "item",
    [i for i in gold_items() if i.get("type") in ANSWERABLE_TYPES],
    ids=ids([i for i in gold_items() if i.get("type") in ANSWERABLE_TYPES]),
)
def test_gold_key_facts_are_verbatim(item):
    cited = {s["doc"] for s in item["sources"]}
    answer = norm(item["answer"])
    for fact in item["key_facts"]:
        words = fact.split()
        assert 1 <= len(words) <= KEY_FACT_MAX_WORDS, f"key fact too long: {fact!r}"
        assert any(norm(fact) in corpus_norm(doc) for doc in cited), (
            f"key fact {fact!r} not found in cited documents {sorted(cited)}"
        )
        assert norm(fact) in answer, f"reference answer does not contain key fact {fact!r}"


@pytest.mark.parametrize("item", gold_items(), ids=ids(gold_items()))
def test_gold_history(item):
    history = item.get("history")
    if item["type"] != "followup":
        assert not history, "only followup items carry history"
        return
    assert isinstance(history, list) and history, "followup needs prior turns"
    assert len(history) % 2 == 0, "history should be complete user/assistant exchanges"
    for n, turn in enumerate(history):
        assert isinstance(turn, dict) and set(turn) == {"role", "content"}, f"bad turn {turn!r}"
        expected = "user" if n % 2 == 0 else "assistant"
        assert turn["role"] == expected, f"turn {n} should be {expected}"
        assert isinstance(turn["content"], str) and turn["content"].strip()


@pytest.mark.parametrize("item_type,minimum", sorted(MIN_TYPE_COUNTS.items()))
def test_gold_type_mix(item_type, minimum):
    count = sum(1 for item in gold_items() if item.get("type") == item_type)
    assert count >= minimum, f"{item_type}: {count} < {minimum}"


@pytest.mark.parametrize("doc", DOCS)
def test_gold_document_coverage(doc):
    count = sum(1 for item in gold_items() if doc in {s.get("doc") for s in item.get("sources", [])})
    assert count >= MIN_GOLD_ITEMS_PER_DOC, f"{doc} cited by {count} items"


def test_gold_questions_unique():
    counts = Counter(norm(item["question"]) for item in gold_items())
    assert not [q for q, n in counts.items() if n > 1]


# --------------------------------------------------------------------------- retrieval cases


@pytest.mark.parametrize("case", retrieval_cases(), ids=ids(retrieval_cases()))
def test_retrieval_case(case):
    for field in ("id", "question", "doc", "quote"):
        assert isinstance(case.get(field), str) and case[field].strip(), f"missing {field}"
    assert set(case) <= {"id", "question", "doc", "quote", "framework"}
    check_quote(case["doc"], case["quote"], case["id"])
    if "framework" in case:
        assert case["framework"] == SHORT_NAMES[case["doc"]], "framework filter must name the cited document"


@pytest.mark.parametrize("doc", DOCS)
def test_retrieval_document_coverage(doc):
    count = sum(1 for case in retrieval_cases() if case.get("doc") == doc)
    assert count >= MIN_RETRIEVAL_PER_DOC, f"{doc}: {count} retrieval cases"


def test_retrieval_has_identifier_queries():
    hits = [c["question"] for c in retrieval_cases() if IDENTIFIER_QUERY.search(c["question"])]
    assert len(hits) >= MIN_IDENTIFIER_QUERIES, hits


def test_retrieval_questions_differ_from_gold():
    gold_questions = {norm(item["question"]) for item in gold_items()}
    overlap = [c["question"] for c in retrieval_cases() if norm(c["question"]) in gold_questions]
    assert not overlap, overlap


# --------------------------------------------------------------------------- finder cases


@pytest.mark.parametrize("case", finder_cases(), ids=ids(finder_cases()))
def test_finder_case(case):
    assert set(case) == {"id", "challenge", "expect_any"}
    assert isinstance(case["challenge"], str) and case["challenge"].strip()
    expected = case["expect_any"]
    assert isinstance(expected, list)
    low, high = FINDER_EXPECT_COUNT
    assert low <= len(expected) <= high, f"expected {low}-{high} items"
    for n, entry in enumerate(expected):
        assert isinstance(entry, dict) and set(entry) == {"doc", "quote"}, f"bad entry {entry!r}"
        check_quote(entry["doc"], entry["quote"], f"{case['id']} expect {n}", *FINDER_QUOTE_LEN)
    assert len({e["quote"] for e in expected}) == len(expected), "duplicate expectations"
    docs = {e["doc"] for e in expected}
    assert len(docs) >= MIN_FINDER_DOCS_PER_CASE, "point to more than one framework"


@pytest.mark.parametrize("doc", DOCS)
def test_finder_document_coverage(doc):
    assert any(e.get("doc") == doc for case in finder_cases() for e in case.get("expect_any", []))
