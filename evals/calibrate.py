"""`python -m evals calibrate`: fit the abstention model on the dev split and write it beside the answer engine.

Every dev question that reaches the evidence check is answered once; its evidence features and whether the gold
says the documents answer it become one training row. The fitted weights and the refusal threshold (the highest
that keeps false refusals on dev within the allowed rate) are written to assistant/answering/abstention_model.json.
Never run this on the test split: test reports what the fitted model does on questions it has not seen.
"""

from __future__ import annotations

import sys

from evals.datasets import load_split


def collect(services, split: str = "dev", progress: bool = True) -> list[tuple[dict, bool, str]]:
    """(evidence features, answerable, item id) for every item of the split that reached the evidence check."""
    from tqdm import tqdm

    rows = []
    for item in tqdm(load_split(split).items, desc=f"Weighing {split}", unit="q", file=sys.stderr,
                     disable=not progress):
        if item.type == "injection":
            continue  # injections are declined by the guard, not by the evidence
        try:
            ans = services.answerer.answer(item.question, history=item.history or None, framework=item.framework)
        except Exception:  # the product refusing the input (e.g. too long): nothing to learn from
            continue
        if ans.evidence:
            rows.append((ans.evidence, item.type != "unanswerable", item.id))
    return rows


# The share of answerable dev questions the threshold may refuse: under the dev ceiling (0.04, thresholds.toml) by a
# margin. Questions whose specific value or name no passage states sit at low confidence whatever the threshold, so
# this share is mostly theirs.
MAX_FALSE_REFUSAL = 0.035


def run(split: str = "dev", max_false_refusal: float = MAX_FALSE_REFUSAL, progress: bool = True) -> dict:
    """Fit on `split`, save the model, and return a report (rows, threshold, the rates on the fitted rows)."""
    if split == "test":
        raise ValueError("the abstention model is fitted on dev only; test is for reporting")
    from assistant.answering.confidence import FEATURES, Evidence, fit, save_model
    from assistant.config import load_settings
    from assistant.wiring import build

    services = build(load_settings())
    services.ensure_index()
    rows = collect(services, split, progress)
    data = [(Evidence(**{k: float(v) for k, v in ev.items() if k in FEATURES}), ok) for ev, ok, _ in rows]
    if not any(ok for _, ok in data) or all(ok for _, ok in data):
        raise ValueError(f"split {split!r} needs both answerable and unanswerable questions to fit on")
    model = fit(data, max_false_refusal=max_false_refusal, label=f"{split} split, {len(data)} questions")
    save_model(model)
    conf = [(model.confidence(e), ok) for e, ok in data]
    pos = [c for c, ok in conf if ok]
    neg = [c for c, ok in conf if not ok]
    return {"rows": len(data), "answerable": len(pos), "unanswerable": len(neg), "threshold": model.threshold,
            "false_refusal_rate": sum(c < model.threshold for c in pos) / len(pos),
            "decline_rate": sum(c < model.threshold for c in neg) / len(neg),
            "weights": dict(zip(FEATURES, (round(w, 3) for w in model.weights)))}
