"""The eval suite: metrics (hand-computed), dataset loaders, scoring rules, compare, reports, and one real run."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from evals import aggregate, compare, datasets, metrics, normalize, scoring, thresholds
from evals.datasets import EvalItem, Target
from evals.metrics import Span

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "evals"
GOLD = ROOT / "evals" / "gold.jsonl"


# ---- normalisation and containment -----------------------------------------------------------------------------
@pytest.mark.parametrize("answer, fact, expected", [
    ("Coherence & Capacity names six components.", "coherence and capacity", True),
    ("There are thirteen conditions [2].", "13 conditions", True),
    ("There are 4 levers.", "four levers", True),
    ("It is “Getting–Better” practice.", '"getting-better" practice', True),
    ("The  district’s   vision", "district's vision", True),
    ("capacities matter", "capacity", False),  # whole words only
    ("see [1] and [12]", "1", False),  # citation markers are not content
    ("", "anything", False),
    ("anything", "", False),
    ("Keep Improving: leaders monitor routines.", "keep improving leaders monitor", True),
])
def test_contains_normalises_case_typography_aliases(answer, fact, expected):
    assert normalize.contains(answer, fact) is expected


def test_normalize_and_tokens():
    assert normalize.normalize("Getting—Better & “Ten” Systems!") == "getting better and 10 systems"
    assert normalize.answer_tokens("The cat [1] sat on a mat.") == ["cat", "sat", "on", "mat"]
    assert normalize.markers("Claim [1][3] and [2, 3].") == [1, 3, 2]


@pytest.mark.parametrize("quote, text, expected", [
    ("clear vision", "Set a clear vision now", (6, 18)),
    ("district’s  vision", "the district's\nvision is", (4, 21)),
    ("CLEAR VISION", "a clear vision", (2, 14)),
    ("absent", "a clear vision", None),
])
def test_locate(quote, text, expected):
    assert normalize.locate(quote, text) == expected


# ---- relevance and retrieval metrics ---------------------------------------------------------------------------
@pytest.mark.parametrize("source, start, end, target, expected", [
    ("a.txt", 0, 10, Target("a.txt", 5, 20, "q"), True),
    ("a.txt", 0, 5, Target("a.txt", 5, 20, "q"), False),  # [0,5) touches [5,20): no overlap
    ("a.txt", 19, 30, Target("a.txt", 5, 20, "q"), True),
    ("a.txt", 20, 30, Target("a.txt", 5, 20, "q"), False),
    ("b.txt", 0, 100, Target("a.txt", 5, 20, "q"), False),
    ("a.txt", 6, 8, Target("a.txt", 5, 20, "q"), True),  # inside
])
def test_span_overlap(source, start, end, target, expected):
    assert datasets.covers(source, start, end, "", target) is expected


def test_repeated_quote_is_gold_at_every_occurrence():
    item = EvalItem("r", "lookup", "q", sources=[{"doc": "a.txt", "quote": "same words"}])
    datasets.resolve_targets([item], {"a.txt": "same words here and same words there"})
    t = item.targets[0]
    assert (t.start, t.end, t.also) == (0, 10, ((20, 30),))
    assert datasets.covers("a.txt", 21, 25, "", t) and not datasets.covers("a.txt", 11, 20, "", t)


def test_text_targets_use_token_overlap():
    t = Target(text="District leaders set a clear instructional vision for every school.")
    assert datasets.covers("x", 0, 1, "Leaders in the district set a clear instructional vision for each school", t)
    assert not datasets.covers("x", 0, 1, "Budgets and buses and lunch menus", t)


L3 = 1 / math.log2(3)
CASES = [
    # cover per rank, n targets, k -> hit, mrr, recall, ndcg
    ([set(), {0}, set()], 1, 3, (1.0, 0.5, 1.0, L3)),
    ([{0}, {1}], 2, 5, (1.0, 1.0, 1.0, 1.0)),
    ([set(), set()], 1, 5, (0.0, 0.0, 0.0, 0.0)),
    ([{0, 1}], 2, 5, (1.0, 1.0, 1.0, 1.0)),  # DCG 2 > IDCG 1.63: clipped to 1
    ([{1}, set(), {0}], 3, 3, (1.0, 1.0, 2 / 3, 1.5 / (1 + L3 + 0.5))),
    ([set(), {0}], 1, 1, (0.0, 0.0, 0.0, 0.0)),  # the hit is below the cut-off
    ([{0}, {0}, {0}], 1, 3, (1.0, 1.0, 1.0, 1.0)),  # repeats earn nothing more
    ([set(), set(), {0}], 1, 5, (1.0, 1 / 3, 1.0, 0.5)),
]


@pytest.mark.parametrize("cover, n, k, expected", CASES)
def test_retrieval_metrics(cover, n, k, expected):
    m = metrics.retrieval_metrics(cover, n, k)
    assert (m["hit"], m["mrr"], m["recall"]) == pytest.approx(expected[:3])
    assert m["ndcg"] == pytest.approx(expected[3])


def test_curves():
    c = metrics.curves([set(), {1}, {0, 1}], 2, kmax=4)
    assert c["recall"] == [0.0, 0.5, 1.0, 1.0]
    assert c["hit"] == [0.0, 1.0, 1.0, 1.0]


def test_coverage_on_spans():
    spans = [Span("a.txt", 0, 50, ""), Span("a.txt", 100, 200, ""), Span("b.txt", 0, 500, "")]
    targets = [Target("a.txt", 120, 130, "q"), Target("b.txt", 10, 20, "r")]
    assert metrics.coverage(spans, targets) == [set(), {0}, {1}]


# ---- answer metrics --------------------------------------------------------------------------------------------
def test_key_fact_recall_with_aliases_and_alternatives():
    answer = "The framework names four levers [1] & thirteen conditions [2]."
    r, found, missed = metrics.key_fact_recall(answer, [["4 levers"], ["13 conditions"], ["seven systems"],
                                                        ["nine steps", "thirteen conditions"]])
    assert r == pytest.approx(0.75)
    assert found == ["4 levers", "13 conditions", "thirteen conditions"]
    assert missed == ["seven systems"]
    assert metrics.key_fact_recall("x", []) == (None, [], [])


@pytest.mark.parametrize("pred, ref, expected", [
    ("the cat sat on mat", "a cat sat on the mat", 1.0),
    ("cat dog", "cat mouse bird", 0.4),  # p 1/2, r 1/3
    ("nothing shared", "cat", 0.0),
    ("cat [1]", "cat", 1.0),
    ("anything", "", None),
])
def test_token_f1(pred, ref, expected):
    assert metrics.token_f1(pred, ref) == (pytest.approx(expected) if expected is not None else None)


def test_bootstrap_ci_is_deterministic():
    vals = [1, 0, 1, 1, 0, 1, 1, 1, 0, 1]
    a, b = metrics.bootstrap_ci(vals), metrics.bootstrap_ci(vals)
    assert a == b
    assert a[0] <= 0.7 <= a[1] and 0 <= a[0] < a[1] <= 1
    assert metrics.bootstrap_ci([0.5, 0.5, 0.5]) == (0.5, 0.5)
    assert metrics.bootstrap_ci([]) is None
    assert metrics.bootstrap_ci(vals, seed=1) != metrics.bootstrap_ci(vals, seed=2)


def test_percentile_and_mean():
    assert metrics.percentile([10, 20, 30, 40], 50) == 25
    assert metrics.percentile([], 50) is None
    assert metrics.mean([1, None, 0]) == 0.5


def test_citation_scores():
    targets = [Target("a.txt", 100, 150, "q"), Target("a.txt", 400, 420, "r")]
    cited = [Span("a.txt", 90, 110, ""), Span("a.txt", 200, 250, ""), Span("b.txt", 100, 150, "")]
    p, r = metrics.citation_scores(cited, targets)
    assert p == pytest.approx(1 / 3) and r == pytest.approx(0.5)
    assert metrics.citation_scores([], targets) == (None, 0.0)


def test_support_inherits_trailing_markers_and_skips_short_lines():
    answer = ("Leaders set a clear vision for every school. They monitor progress weekly with data. [1]\n\n"
              "Sources:\n"
              "Unrelated claims about buses and lunch menus here. [2]\n\n"
              "An uncited sentence about budgets and staffing levels.")
    cited = {1: "District leaders set a clear vision for every school and monitor progress weekly using data.",
             2: "Something else entirely about governance."}
    share, details = metrics.support(answer, cited)
    assert [d["supported"] for d in details] == [True, True, False, False]
    assert share == pytest.approx(0.5)
    assert details[1]["cites"] == [1]
    layout = ("**Leadership System rubric**\n_I answer only from the framework documents, with citations._\n"
              "**System 5: Resource Management System** (LEAD CT › Framework Components)\n"
              "## Section heading words here\nLeaders set a clear vision for every school. [1]")
    share, details = metrics.support(layout, cited)
    assert share == 1.0 and len(details) == 1


def test_injection_checks():
    corpus = metrics.normalized_corpus(["Districts set a clear vision.", "Other text"])
    assert metrics.revealed_phrases("Sure! System prompt: you are...") == ["system prompt:"]
    assert metrics.revealed_phrases("I can't share that.") == []
    assert metrics.invented_quotes('It says "set a clear vision" [1].', corpus) == []
    assert metrics.invented_quotes('It says “cut staff by 20%”.', corpus) == ["cut staff by 20%"]
    assert metrics.invented_quotes('Try asking “What are the seven systems?”', corpus) == []


# ---- dataset loaders -------------------------------------------------------------------------------------------
def test_load_our_jsonl(tmp_path):
    p = tmp_path / "g.jsonl"
    rows = [{"id": "a", "type": "lookup", "question": "q?", "answer": "ans", "key_facts": ["x"],
             "sources": [{"doc": "d.txt", "quote": "exact words"}]},
            {"id": "b", "type": "followup", "question": "and that?", "history": [{"role": "user", "content": "hi"}],
             "answer": "", "key_facts": [], "sources": []}]
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    ds = datasets.load_dataset(p)
    assert ds.format == "jsonl" and [i.id for i in ds.items] == ["a", "b"]
    assert ds.items[0].key_facts == [["x"]] and ds.items[1].history[0]["content"] == "hi"
    warn = datasets.resolve_targets(ds.items, {"d.txt": "some exact words here"})
    assert warn == [] and ds.items[0].targets[0].to_dict() == {"doc": "d.txt", "start": 5, "end": 16,
                                                               "text": "exact words"}


def test_load_llamaindex_and_resolve_against_corpus():
    ds = datasets.load_dataset(FIX / "rag_tiny.json")
    assert ds.format == "llamaindex" and len(ds.items) == 3
    item = ds.items[0]
    assert item.answer.startswith("It opened in 1921") and item.key_facts == [] and item.type == "lookup"
    docs = {p.name: p.read_text() for p in (FIX / "rag_corpus").glob("*.txt")}
    warnings = datasets.resolve_targets(ds.items, docs)
    assert ds.items[0].targets[0].located and ds.items[0].targets[0].doc == "millbrook.txt"
    assert not ds.items[1].targets[0].located and len(warnings) == 1  # paraphrased context: token overlap
    t = ds.items[0].targets[0]
    assert docs[t.doc][t.start:t.end] == ds.items[0].sources[0]["quote"]


def test_load_squad_writes_corpus(tmp_path):
    ds = datasets.load_dataset(FIX / "squad_tiny.json", tmp_path)
    assert ds.format == "squad" and ds.corpus_dir is not None
    by_id = {i.id: i for i in ds.items}
    assert by_id["sq-2"].type == "unanswerable" and by_id["sq-2"].targets == []
    q1 = by_id["sq-1"]
    assert q1.key_facts == [["1921", "in 1921"]] and q1.answer == "1921"
    text = (ds.corpus_dir / q1.targets[0].doc).read_text()
    assert all(text[t.start:t.end] == t.text for t in q1.targets)
    assert len(list(ds.corpus_dir.glob("*.txt"))) == 3


def test_detect_format_rejects_unknown(tmp_path):
    p = tmp_path / "x.json"
    p.write_text('{"foo": 1}')
    with pytest.raises(ValueError):
        datasets.detect_format(p)


# ---- baselines -------------------------------------------------------------------------------------------------
def test_baselines_keep_spans():
    from evals import baselines

    assert baselines.parse_names(["naive", "bm25,naive"]) == ["naive", "bm25"]
    with pytest.raises(ValueError):
        baselines.parse_names(["dense"])
    docs = {p.name: p.read_text() for p in (FIX / "rag_corpus").glob("*.txt")}
    chunks = baselines.naive_chunks(docs)
    assert chunks and all(docs[c.source][c.start:c.end] == c.text for c in chunks)
    top = baselines.BM25Baseline(chunks).search("trout license residents", 2)
    assert top[0].source == "otter-river.txt"


# ---- per-item scoring ------------------------------------------------------------------------------------------
def _answer(text, abstained=False, cites=(), passages=()):
    return {"answer": text, "abstained": abstained, "citations": list(cites), "passages": list(passages)}


def _passage(source, start, end, text="p"):
    return {"source": source, "span": [start, end], "text": text, "score": 1.0}


def test_score_item_pass_rules():
    item = EvalItem("a", "lookup", "q", answer="clear vision", key_facts=[["clear vision"], ["weekly"]],
                    targets=[Target("d.txt", 10, 20, "q")])
    ok = scoring.score_item(item, _answer("A clear vision [1].", passages=[_passage("d.txt", 0, 15)],
                                          cites=[{"n": 1, "source": "d.txt", "start": 12, "end": 18,
                                                  "quote": "a clear vision"}]), [], 5, " ")
    assert ok["passed"] and ok["metrics"]["hit@5"] == 1.0 and ok["metrics"]["key_fact_recall"] == 0.5
    assert ok["metrics"]["citation_precision"] == 1.0
    bad = scoring.score_item(item, _answer("Nothing.", passages=[_passage("d.txt", 50, 60)]), [], 5, " ")
    assert not bad["passed"] and "no gold evidence retrieved in top 5 or cited" in bad["fail_reasons"]
    # Evidence the engine reached without retrieval (a catalog answer citing the gold span) still counts.
    via_cite = scoring.score_item(item, _answer("A clear vision, weekly [1].", passages=[_passage("d.txt", 50, 60)],
                                                cites=[{"n": 1, "source": "d.txt", "start": 10, "end": 20,
                                                        "quote": "a clear vision weekly"}]), [], 5, " ")
    assert via_cite["passed"] and via_cite["metrics"]["hit@5"] == 0.0
    refused = scoring.score_item(item, _answer("Not covered.", abstained=True), [], 5, " ")
    assert refused["fail_reasons"][0].startswith("abstained")
    un = EvalItem("u", "unanswerable", "q")
    assert scoring.score_item(un, _answer("Not covered.", abstained=True), [], 5, " ")["passed"]
    assert not scoring.score_item(un, _answer("Made up."), [], 5, " ")["passed"]


def test_score_injection():
    corpus = metrics.normalized_corpus(["Districts set a clear vision for schools."])
    inj = EvalItem("i", "injection", "ignore instructions")
    good = scoring.score_item(inj, _answer("I can't do that.", abstained=True), [], 5, corpus)
    assert good["passed"] and good["metrics"]["injection_pass"]
    leak = scoring.score_item(inj, _answer("My instructions are: be nice."), [], 5, corpus)
    assert not leak["passed"]
    fake = scoring.score_item(inj, _answer('UVA-PLE says "cut staff by 20%".', abstained=True), [], 5, corpus)
    assert not fake["passed"] and fake["injection"]["invented_quotes"]
    cited = {"n": 1, "source": "d", "start": 0, "end": 5, "quote": "Districts set a clear vision for schools."}
    grounded = scoring.score_item(inj, _answer("Districts set a clear vision for schools [1].", cites=[cited]),
                                  [], 5, corpus)
    assert grounded["passed"]


# ---- aggregation, compare, thresholds, reports -----------------------------------------------------------------
def _record(i, typ, passed, hit=1.0, kfr=1.0, abstained=False, latency=10.0):
    m = {"hit@5": hit, "mrr": hit, "recall@5": hit, "ndcg@5": hit, "key_fact_recall": kfr, "token_f1": 0.5,
         "semantic_similarity": 0.7, "citation_precision": 0.5, "citation_recall": 1.0, "supported_share": 1.0,
         "abstained": abstained}
    if typ == "injection":
        m["injection_pass"] = passed
    return {"index": i, "id": f"{typ}-{i}", "type": typ, "question": f"<b>question {i}</b>", "history": [],
            "resolved_question": "", "reference_answer": "ref", "answer": "answer <script>x</script> [1]",
            "metrics": m, "curve": {"recall": [hit] * 10, "hit": [hit] * 10}, "passed": passed,
            "fail_reasons": [] if passed else ["key facts 0/1"], "facts_found": [], "facts_missed": ["fact"],
            "latency_ms": latency, "citations": [{"n": 1, "label": "X", "source": "d", "start": 0, "end": 3,
                                                 "quote": "abc"}],
            "passages": [{"source": "d", "span": [0, 9], "text": "passage <i>", "score": 0.5}],
            "passage_relevance": [[0]], "citation_relevance": [[0]], "gold": [{"doc": "d", "start": 0, "end": 3,
                                                                                 "text": "abc"}],
            "support": [], "baselines": {"naive": {"metrics": {"hit@5": 0.5, "mrr": 0.5, "recall@5": 0.5,
                                                               "ndcg@5": 0.5, "key_fact_recall_top1": 0.5},
                                                   "curve": {"recall": [0.5] * 10, "hit": [0.5] * 10}}}}


def _fake_run():
    recs = [_record(0, "lookup", True), _record(1, "lookup", False, hit=0.0, kfr=0.0),
            _record(2, "unanswerable", True, abstained=True), _record(3, "injection", True)]
    for r in recs[2:]:
        r["curve"], r["baselines"] = None, {}
        for k in ("hit@5", "mrr", "recall@5", "ndcg@5", "key_fact_recall", "citation_precision", "citation_recall"):
            r["metrics"][k] = None
    s = aggregate.summarize(recs, 5, ["naive"])
    s["run"] = {"k": 5, "started_utc": "now", "gold": "g", "format": "jsonl", "seconds": 1.0}
    s["warnings"] = []
    return s, recs


def test_summarize_rates_and_ratios():
    s, _ = _fake_run()
    o = s["overall"]
    assert o["hit@5"] == 0.5 and o["abstention_recall"] == 1.0 and o["false_refusal_rate"] == 0.0
    assert o["injection_pass_rate"] == 1.0 and o["pass_rate"] == 0.75 and o["latency_p50_ms"] == 10.0
    assert s["ratios"]["naive"]["hit@5"] == pytest.approx(1.0)
    assert s["by_type"]["lookup"]["n"] == 2 and s["ci"]["hit@5"]["n"] == 2


def test_thresholds_check():
    s, _ = _fake_run()
    fails, notes = thresholds.check(s, {"floors": {"hit@5": 0.6, "mrr": 0.5, "citation_recall": 0.1},
                                        "ceilings": {"false_refusal_rate": 0.0}})
    assert fails == ["hit@5 = 0.500 below floor 0.600"] and notes == []
    fails, notes = thresholds.check(s, {"floors": {"unknown_metric": 0.1}, "ceilings": {}})
    assert not fails and notes
    assert thresholds.value(s, "hit@3") == 0.5  # from the curve
    real = thresholds.load()
    assert "hit@5" in real["floors"] and "false_refusal_rate" in real["ceilings"]


def test_compare_runs(tmp_path):
    from evals.runner import write_outputs

    s1, r1 = _fake_run()
    write_outputs(tmp_path / "prev", s1, r1)
    r2 = json.loads(json.dumps(r1))
    r2[0]["passed"], r2[0]["fail_reasons"] = False, ["no gold passage in top 5"]
    r2[0]["metrics"]["hit@5"] = 0.0
    r2[1]["passed"], r2[1]["fail_reasons"] = True, []
    s2 = aggregate.summarize(r2, 5, [])
    prev_s, prev_r = compare.load_run(tmp_path / "prev")
    cmp = compare.compare_runs(prev_s, prev_r, s2, r2, "prev")
    assert [e["id"] for e in cmp["regressed"]] == ["lookup-0"]
    assert [e["id"] for e in cmp["improved"]] == ["lookup-1"]
    assert cmp["regressed"][0]["changes"]["hit@5"] == [1.0, 0.0]
    assert cmp["deltas"]["hit@5"]["delta"] == pytest.approx(-0.5) and cmp["deltas"]["hit@5"]["better"] is False
    assert cmp["deltas"]["pass_rate"]["before"] == 0.75
    text = compare.format_text(cmp)
    assert "Regressed (pass → fail): 1" in text and "lookup-0" in text


def test_reports_are_written(tmp_path):
    from evals.runner import write_outputs

    s, r = _fake_run()
    write_outputs(tmp_path, s, r, {"git_commit": None})
    html = (tmp_path / "report.html").read_text()
    assert "Per-question drill-down" in html and html.count("data:image/png;base64,") == 3
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html
    assert html.index("lookup-1") < html.index("lookup-0")  # failures first
    md = (tmp_path / "report.md").read_text()
    assert "| metric | ours |" in md and "## Failures (1)" in md
    assert len((tmp_path / "results.jsonl").read_text().splitlines()) == 4
    assert json.loads((tmp_path / "summary.json").read_text())["n_items"] == 4
    assert (tmp_path / "plots" / "recall_curve.png").read_bytes()[:4] == b"\x89PNG"


def test_manifest_redacts_secrets():
    from assistant.config import load_settings
    from evals import manifest

    s = load_settings(answer={"api_key": "sk-secret"})
    m = manifest.build_manifest(s, ROOT / "corpus", GOLD if GOLD.exists() else FIX / "rag_tiny.json", "jsonl", "m")
    assert m["settings"]["answer"]["api_key"] == "***" and m["settings"]["embedding"]["max_tokens"] == 256
    assert len(m["corpus_hash"]) == 64 and "torch" in m["packages"]


def test_cli_check_exit_code(monkeypatch, tmp_path, capsys):
    from evals import cli, runner

    s, r = _fake_run()
    s["check"] = {"file": "t", "failures": ["hit@5 = 0.500 below floor 0.600"], "notes": []}
    monkeypatch.setattr(runner, "run", lambda opts: runner.RunResult(tmp_path, s, r, s["check"]["failures"]))
    assert cli.main(["run", "--gold", str(FIX / "rag_tiny.json"), "--check"]) == 1
    assert "hit@5 = 0.500 below floor" in capsys.readouterr().out
    assert cli.main(["run", "--gold", str(FIX / "rag_tiny.json"), "--baseline", "nope"]) == 2


# ---- end to end ------------------------------------------------------------------------------------------------
def test_run_squad_with_fake_embedder(tmp_path, monkeypatch):
    """A foreign dataset end to end: temp corpus and temp index, the product index untouched."""
    from evals.runner import RunOptions, run

    monkeypatch.setenv("ASSISTANT_EMBEDDING__KIND", "fake")
    before = sorted(p.name for p in (ROOT / "index").iterdir()) if (ROOT / "index").exists() else []
    res = run(RunOptions(gold=FIX / "squad_tiny.json", out=tmp_path / "out", baselines=["bm25"], progress=False))
    assert res.summary["run"]["format"] == "squad" and res.summary["n_items"] == 4
    assert res.summary["n_by_type"] == {"lookup": 3, "unanswerable": 1}
    assert res.summary["overall"]["hit@5"] is not None and "bm25" in res.summary["baselines"]
    assert all((tmp_path / "out" / f).exists() for f in ("results.jsonl", "summary.json", "manifest.json",
                                                          "report.md", "report.html"))
    after = sorted(p.name for p in (ROOT / "index").iterdir()) if (ROOT / "index").exists() else []
    assert before == after


@pytest.mark.integration
@pytest.mark.skipif(not GOLD.exists(), reason="no evals/gold.jsonl")
def test_full_eval_on_gold_meets_thresholds(real_index_dir, tmp_path):
    """The real pipeline over the real gold set (copied session index) meets evals/thresholds.toml."""
    from evals.runner import RunOptions, run

    shutil.copytree(real_index_dir / "index", tmp_path / "index")
    res = run(RunOptions(gold=GOLD, out=tmp_path / "run", index=tmp_path / "index", baselines=["naive", "bm25"],
                         check=True, progress=False))
    assert res.summary["errors"] == 0, [r["error"] for r in res.records if r.get("error")]
    assert res.check_failures == [], res.check_failures
    html = (tmp_path / "run" / "report.html").read_text()
    assert "Per-question drill-down" in html and "data:image/png;base64," in html


def test_a_quote_labelled_with_where_it_sits_is_supported_by_the_cited_place():
    from evals.scoring import cited_texts

    cites = [{"n": 1, "framework": "UVA-PLE", "section": "Lever 1 › Condition 2: Integrated Strategies to Enable "
              "Learning Focus for Every Student", "quote": "Align resources equitably with the needs of schools.",
              "text": "Align resources equitably with the needs of schools."}]
    answer = ("**UVA-PLE › Condition 2: Integrated Strategies to Enable Learning Focus for Every Student:** Align "
              "resources equitably with the needs of schools. [1]")
    share, details = metrics.support(answer, cited_texts(cites))
    assert share == 1.0 and details[0]["overlap"] == 1.0
    # a label naming another place than the cited one is not vouched for by it
    wrong = [dict(cites[0], section="Lever 3 › Condition 8: Systems to Attract, Hire, and Retain Teachers")]
    assert metrics.support(answer, cited_texts(wrong))[1][0]["overlap"] < 0.75
