"""Offline evaluation suite for the assistant: `python -m evals run` (see evals/README.md)."""
