"""Feedback people give on answers (helpful / not helpful / wrong citation, with an optional note), kept as JSONL
per signed-in user so that `python -m evals feedback` can turn it into gold candidates for review."""
