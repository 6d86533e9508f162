"""How sure the evidence is that the documents answer a question: a calibrated score from retrieval evidence.

Abstention decides from evidence, not from the question's wording: a small logistic model over a handful of
evidence features (how close the best sentences are in meaning, whether dense and lexical search agree, how much of
the question's specific vocabulary the evidence contains, whether a specific value or name the question asks for
appears at all). Its weights and the refusal threshold are fitted on the dev split (`python -m evals calibrate`)
and stored in `abstention_model.json` beside this module; the eval report shows the calibration curve.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields
from pathlib import Path

MODEL_FILE = Path(__file__).resolve().parent / "abstention_model.json"


@dataclass(frozen=True)
class Evidence:
    """The features of one question's evidence (all in 0..1 except where noted)."""

    best_sentence: float  # cosine of the question and its closest evidence sentence
    second_sentence: float  # the same for the runner-up (one lucky sentence is weaker evidence than two)
    best_passage: float  # cosine of the question and the best retrieved passage
    agreement: float  # share of the dense top-10 also in the lexical top-10
    coverage: float  # idf-weighted share of the question's specific terms found in the top passages
    missing_names: float  # names/acronyms the question uses that occur nowhere in the documents (count, capped 3)
    value_missing: float  # 1 when the question asks for a specific value (number, date, name) no evidence states

    def vector(self) -> list[float]:
        return [float(getattr(self, f.name)) for f in fields(self)]

    def to_dict(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in asdict(self).items()}


FEATURES = [f.name for f in fields(Evidence)]
# The direction each feature may push: closer, agreeing, covering evidence can only raise confidence; a missing
# name or value can only lower it. Fitting respects these signs, so the model stays sensible on questions unlike
# any it was fitted on (an off-topic question has weak evidence on every count and must get a low score).
SIGNS = {"best_sentence": 1, "second_sentence": 1, "best_passage": 1, "agreement": 1, "coverage": 1,
         "missing_names": -1, "value_missing": -1}


@dataclass(frozen=True)
class AbstentionModel:
    """Logistic model P(answerable | evidence) and the threshold below which the assistant declines."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    means: tuple[float, ...]  # standardisation fitted with the weights
    scales: tuple[float, ...]
    fitted_on: str = ""
    floor: float = 0.0  # closest sentence below this: nothing in the documents is near the question (confidence 0)

    def confidence(self, evidence: Evidence) -> float:
        """P(answerable) for the evidence, 0..1 (0 below the floor)."""
        if evidence.best_sentence < self.floor:
            return 0.0
        z = self.bias + sum(w * (x - m) / s for w, x, m, s in
                            zip(self.weights, evidence.vector(), self.means, self.scales))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def answers(self, evidence: Evidence) -> bool:
        return self.confidence(evidence) >= self.threshold

    def to_dict(self) -> dict:
        return {"features": FEATURES, "weights": list(self.weights), "bias": self.bias, "threshold": self.threshold,
                "means": list(self.means), "scales": list(self.scales), "fitted_on": self.fitted_on,
                "floor": self.floor}

    @classmethod
    def from_dict(cls, d: dict) -> "AbstentionModel":
        if list(d.get("features", [])) != FEATURES:
            raise ValueError("abstention model was fitted on other features; refit it (python -m evals calibrate)")
        return cls(tuple(d["weights"]), float(d["bias"]), float(d["threshold"]), tuple(d["means"]),
                   tuple(d["scales"]), str(d.get("fitted_on", "")), float(d.get("floor", 0.0)))


def load_model(path: Path = MODEL_FILE) -> AbstentionModel:
    """The fitted model shipped with the package."""
    try:
        return AbstentionModel.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise FileNotFoundError(f"{path} is missing; fit it with `python -m evals calibrate`") from None


FLOOR_MARGIN = 0.05  # the floor sits this far below the least similar answerable question fitted on


def fit(rows: list[tuple[Evidence, bool]], l2: float = 1.0, steps: int = 3000, lr: float = 0.1,
        max_false_refusal: float = 0.03, label: str = "") -> AbstentionModel:
    """Fit the logistic model on (evidence, answerable) rows by projected gradient descent with L2 (each weight
    keeps its sign in SIGNS), then choose the highest threshold whose false-refusal rate on these rows stays within
    `max_false_refusal`, and the floor: a little below the closest-sentence similarity of the least similar
    answerable row (the fitted rows are all about district leadership, so the weights alone need not keep a question
    about baking bread out; the floor does)."""
    import numpy as np

    x = np.asarray([e.vector() for e, _ in rows], dtype=np.float64)
    y = np.asarray([1.0 if a else 0.0 for _, a in rows])
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales < 1e-6] = 1.0
    z = (x - means) / scales
    # Balance the classes: unanswerable questions are few, and each matters as much as the many answerable ones.
    w_pos, w_neg = 0.5 / max(1.0, y.sum()), 0.5 / max(1.0, (1 - y).sum())
    sample = np.where(y > 0, w_pos, w_neg)
    signs = np.asarray([SIGNS[f] for f in FEATURES], dtype=np.float64)
    w = np.zeros(z.shape[1])
    b = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = (p - y) * sample
        w -= lr * (z.T @ g + l2 * w / len(y))
        w = np.where(w * signs < 0, 0.0, w)  # projected: a weight never points the wrong way
        b -= lr * g.sum()
    model = AbstentionModel(tuple(float(v) for v in w), float(b), 0.5, tuple(float(v) for v in means),
                            tuple(float(v) for v in scales), label)
    conf = sorted(model.confidence(e) for e, a in rows if a)
    allowed = int(math.floor(max_false_refusal * len(conf)))
    threshold = conf[allowed] - 1e-9 if conf else 0.5  # refuse below the (allowed+1)-th lowest answerable score
    answerable = [e.best_sentence for e, a in rows if a]
    floor = round(max(0.0, min(answerable) - FLOOR_MARGIN), 4) if answerable else 0.0
    return AbstentionModel(model.weights, model.bias, round(max(0.0, threshold), 6), model.means, model.scales,
                           label, floor)


def save_model(model: AbstentionModel, path: Path = MODEL_FILE) -> None:
    Path(path).write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
