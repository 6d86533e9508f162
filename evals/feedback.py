"""`python -m evals feedback`: ratings people gave answers in the app (JSONL per user, assistant/feedback) turned
into gold candidates in the eval schema — id, type, question, history, answer, key_facts, sources (the cited
quotes), tags — plus a `review` block with the ratings and notes, for a person to check before adding them to the
gold set. Nothing here judges an answer: the candidates only carry what people said.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

TYPE_BY_SHAPE = {"list": "list", "rubric": "rubric", "comparison": "synthesis", "howto": "synthesis",
                 "definition": "lookup", "general": "lookup"}
GOLD = Path(__file__).resolve().parent / "gold.jsonl"
_MARKERS = re.compile(r"\s*\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\]")


def _key(entry: dict) -> tuple:
    """Entries about the same question in the same conversation context are one candidate."""
    norm = " ".join(str(entry.get("question", "")).lower().split())
    return norm, json.dumps(entry.get("history") or [], sort_keys=True)


def item_type(entry: dict) -> str:
    if entry.get("abstained"):
        return "unanswerable" if entry.get("rating") == "helpful" else "lookup"
    if entry.get("history"):
        return "followup"
    return TYPE_BY_SHAPE.get(str(entry.get("shape") or ""), "lookup")


def candidate(entries: list[dict]) -> dict:
    """One gold candidate from the ratings of one question (the latest rating decides its shape)."""
    latest = max(entries, key=lambda e: str(e.get("time", "")))
    rating = latest.get("rating", "")
    kind = item_type(latest)
    answered = kind != "unanswerable"
    cited = latest.get("citations") or []
    ratings = sorted({str(e.get("rating")) for e in entries})
    tags = ["from-feedback", "needs-review", *(r.replace("_", "-") for r in ratings)]
    if "wrong_citation" in ratings:
        tags.append("check-sources")
    if "not_helpful" in ratings or (latest.get("abstained") and rating != "helpful"):
        tags.append("check-answer")
    return {
        "id": f"fb-{str(latest.get('time', ''))[:10].replace('-', '')}-{str(latest['id'])[:8]}",
        "type": kind,
        "question": latest.get("question", ""),
        "history": latest.get("history") or [],
        # A helpful answer is a draft reference answer; otherwise the reviewer writes it.
        "answer": _MARKERS.sub("", latest.get("answer", "")).strip() if rating == "helpful" and answered else "",
        "key_facts": [],
        "sources": [{"doc": c.get("doc", ""), "quote": c.get("quote", "")} for c in cited
                    if answered and c.get("quote")],
        "tags": tags,
        "review": {
            "ratings": [{k: e.get(k) for k in ("rating", "note", "user", "time")}
                        for e in sorted(entries, key=lambda e: str(e.get("time", "")))],
            "answer_given": latest.get("answer", ""),
            "abstained": bool(latest.get("abstained")),
            "citations_given": [{k: c.get(k) for k in ("n", "label", "doc", "page", "quote")} for c in cited],
            "feedback_ids": sorted({str(e["id"]) for e in entries}),
        },
    }


def candidates(records: list[dict], known_questions: set[str] = frozenset(),
               ratings: set[str] | None = None) -> tuple[list[dict], dict]:
    """Gold candidates from raw feedback records, and counts of what was skipped and why."""
    from assistant.feedback.log import merge

    groups: dict[tuple, list[dict]] = {}
    skipped = {"guided steps": 0, "already in the gold set": 0, "no rating": 0, "other ratings": 0}
    for e in merge(records):
        if not e.get("rating") or not e.get("question"):
            skipped["no rating"] += 1
        elif e.get("backend") == "facilitator":
            skipped["guided steps"] += 1
        elif ratings and e["rating"] not in ratings:
            skipped["other ratings"] += 1
        elif not e.get("history") and _key(e)[0] in known_questions:  # a follow-up depends on its conversation
            skipped["already in the gold set"] += 1
        else:
            groups.setdefault(_key(e), []).append(e)
    out = [candidate(g) for g in groups.values()]
    return sorted(out, key=lambda c: c["id"]), {k: v for k, v in skipped.items() if v}


def gold_questions(path: Path | None) -> set[str]:
    if path is None or not Path(path).exists():
        return set()
    out = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        item = json.loads(line) if line.strip() and not line.lstrip().startswith("//") else None
        if item and not item.get("history"):
            out.add(" ".join(str(item.get("question", "")).lower().split()))
    return out


def add_parser(sub) -> None:
    f = sub.add_parser("feedback", help="turn people's ratings of answers into gold candidates for review")
    f.add_argument("--dir", type=Path, default=None,
                   help="feedback folder (default: settings feedback.dir, env ASSISTANT_FEEDBACK__DIR)")
    f.add_argument("--out", type=Path, default=None, help="write the candidates here (default: standard output)")
    f.add_argument("--gold", type=Path, default=None,
                   help="skip questions already in this gold file (default evals/gold.jsonl)")
    f.add_argument("--rating", action="append", default=[], metavar="helpful|not_helpful|wrong_citation",
                   help="only these ratings (repeatable or comma list)")


def run(args) -> int:
    """The command: read every user's feedback file, write candidates as JSONL, summarise on stderr."""
    from assistant.config import load_settings
    from assistant.feedback.entry import RATINGS
    from assistant.feedback.log import read_records

    folder = args.dir or load_settings().feedback.dir
    wanted = {r.strip() for x in args.rating for r in x.split(",") if r.strip()}
    if wanted - set(RATINGS):
        print(f"error: unknown rating {sorted(wanted - set(RATINGS))}; use {', '.join(RATINGS)}", file=sys.stderr)
        return 2
    records = read_records(folder) if Path(folder).is_dir() else []
    found, skipped = candidates(records, gold_questions(args.gold or GOLD), wanted or None)
    text = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in found)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if not records:
        print(f"No feedback yet in {folder}: nothing to turn into gold candidates.", file=sys.stderr)
        return 0
    users = len({r.get("user") for r in records})
    why = "; ".join(f"{n} {k}" for k, n in skipped.items())
    print(f"{len(records)} feedback records from {users} {'person' if users == 1 else 'people'} in {folder} → "
          f"{len(found)} gold candidates" + (f" (skipped: {why})" if why else "") + "."
          + (f" Written to {args.out}." if args.out else "")
          + (" Review each one (fix the answer and sources, add key_facts, drop the review block) before adding "
             "it to the gold set." if found else ""), file=sys.stderr)
    return 0
