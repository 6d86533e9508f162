"""`python -m evals run ...`: argument parsing, the terminal summary, and the --check exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evals.aggregate import fmt
from evals.calibrate import MAX_FALSE_REFUSAL
from evals.tables import overall_table, text_table

SHORT = ("pass_rate", "hit@{k}", "mrr", "recall@{k}", "ndcg@{k}", "hit@budget", "key_fact_recall", "token_f1",
         "semantic_similarity", "citation_precision", "citation_precision_strict", "citation_recall",
         "supported_share", "abstention_recall", "false_refusal_rate", "injection_pass_rate", "latency_p50_ms",
         "latency_p95_ms")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m evals", description="Offline evaluation of the assistant.")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run the pipeline over a gold set and write a report")
    r.add_argument("--gold", type=Path, default=None,
                   help="dataset: our JSONL, a llama-index LabelledRagDataset JSON or SQuAD JSON (default evals/gold.jsonl)")
    r.add_argument("--split", choices=["gold", "dev", "test"], default=None,
                   help="a named split: gold (evals/gold.jsonl), dev (gold + realistic dev items: tune here), "
                        "test (realistic test items: report only)")
    r.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: the framework corpus)")
    r.add_argument("--out", type=Path, default=None, help="output folder (default evals/runs/<UTC timestamp>/)")
    r.add_argument("--k", type=int, default=5, help="passages per answer / cut-off of the retrieval metrics")
    r.add_argument("--compare", type=Path, default=None, help="a previous run folder to diff against")
    r.add_argument("--baseline", action="append", default=[], metavar="naive|bm25",
                   help="also score a baseline retriever (repeatable or comma list)")
    r.add_argument("--limit", type=int, default=None, help="only the first N items")
    r.add_argument("--index", type=Path, default=None,
                   help="index folder (default: the product index for the default corpus, else a temporary one)")
    r.add_argument("--check", action="store_true", help="exit 1 when a metric misses its threshold")
    r.add_argument("--thresholds", type=Path, default=None, help="thresholds file (default evals/thresholds.toml)")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    from evals import feedback

    feedback.add_parser(sub)

    c = sub.add_parser("calibrate", help="fit the abstention model on the dev split (never on test)")
    c.add_argument("--split", default="dev", choices=["dev", "gold"])
    c.add_argument("--max-false-refusal", type=float, default=MAX_FALSE_REFUSAL,
                   help="the highest share of answerable dev questions the threshold may refuse")
    c.add_argument("--quiet", action="store_true")
    return p


def terminal_summary(result) -> str:
    s = result.summary
    k = s["run"]["k"]
    headers, rows = overall_table(s, k)
    wanted = [m.format(k=k) for m in SHORT]
    rows = sorted((r for r in rows if r[0] in wanted), key=lambda r: wanted.index(r[0]))
    lines = [f"{s['n_items']} items ({', '.join(f'{t} {n}' for t, n in s['n_by_type'].items())}); "
             f"passed {s['n_items'] - s['failures']}, failed {s['failures']}, errors {s['errors']}", "",
             text_table(headers, rows), ""]
    by = [[t, str(b["n"]), fmt((b["metrics"].get("pass_rate") or {}).get("mean"))] for t, b in s["by_type"].items()]
    lines += [text_table(["type", "n", "pass rate"], by), ""]
    if s.get("compare"):
        c = s["compare"]
        lines.append(f"vs {c['previous']}: {len(c['regressed'])} regressed, {len(c['improved'])} improved"
                     + "".join(f"\n  regressed: {e['id']} ({'; '.join(e['fail_reasons'])})" for e in c["regressed"])
                     + "".join(f"\n  improved:  {e['id']}" for e in c["improved"]))
    if s.get("warnings"):
        lines.append(f"{len(s['warnings'])} gold warnings (see report.md)")
    lines.append(f"Report: {result.out_dir / 'report.html'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(argv)
    if args.command == "feedback":
        from evals import feedback

        return feedback.run(args)

    if args.command == "calibrate":
        from evals.calibrate import run as calibrate

        report = calibrate(args.split, args.max_false_refusal, progress=not args.quiet)
        for key, value in report.items():
            print(f"{key}: {value}")
        return 0
    from evals.baselines import parse_names
    from evals.runner import DEFAULT_GOLD, RunOptions, run

    try:
        names = parse_names(args.baseline)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.split and args.gold:
        print("error: give --split or --gold, not both", file=sys.stderr)
        return 2
    gold = args.gold or DEFAULT_GOLD
    if not args.split and not gold.exists():
        print(f"error: gold file not found: {gold}", file=sys.stderr)
        return 2
    opts = RunOptions(gold=gold, split=args.split, corpus=args.corpus, out=args.out, k=args.k, compare=args.compare, baselines=names,
                      limit=args.limit, index=args.index, thresholds=args.thresholds, check=args.check,
                      progress=not args.quiet, argv=["python", "-m", "evals"] + list(argv))
    try:
        result = run(opts)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(terminal_summary(result))
    chk = result.summary.get("check")
    if chk:
        for note in chk["notes"]:
            print(f"note: {note}")
        if chk["failures"]:
            print("THRESHOLDS FAILED:")
            for f in chk["failures"]:
                print(f"  {f}")
            return 1 if args.check else 0
        print("thresholds: all met")
    return 0
