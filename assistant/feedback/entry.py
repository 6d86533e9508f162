"""The feedback record for one answer of a conversation: the rating, the question with the conversation before it,
and what the answer said and cited (enough to review it and to turn it into a gold candidate)."""

from __future__ import annotations

from datetime import datetime, timezone

RATINGS = ("helpful", "not_helpful", "wrong_citation")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def citation_record(c: dict) -> dict:
    """What a reviewer needs of one citation: where it is (document, page, breadcrumb) and the exact quote."""
    return {"n": c.get("n"), "doc": c.get("source", ""), "doc_id": c.get("doc_id", ""),
            "framework": c.get("framework", ""), "label": c.get("label", ""), "quote": c.get("quote", ""),
            "start": c.get("start"), "end": c.get("end"), "page": c.get("page"), "item_id": c.get("item_id", "")}


def rating_entry(feedback_id: str, rating: str, question: str, answer: dict, history: list[dict],
                 version: str = "") -> dict:
    """The record written when someone rates an answer (`answer` is `Answer.to_dict()`)."""
    if rating not in RATINGS:
        raise ValueError(f"unknown rating {rating!r}")
    return {
        "id": feedback_id, "time": now(), "rating": rating, "note": "",
        "question": question, "resolved_question": answer.get("resolved_question") or question,
        "history": list(history), "answer": answer.get("answer", ""), "abstained": bool(answer.get("abstained")),
        "backend": answer.get("backend", ""), "shape": answer.get("shape", ""),
        "confidence": answer.get("confidence"),
        "citations": [citation_record(c) for c in answer.get("citations") or []],
        "app_version": version,
    }


def note_entry(feedback_id: str, note: str) -> dict:
    """The record written when someone adds a note to their rating."""
    return {"id": feedback_id, "time": now(), "note": note.strip()[:4000]}
