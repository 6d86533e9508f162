"""Facilitation tools over the five frameworks: practice finder, crosswalk, rubric self-assessment, theory-of-action
builder with coherence checks, review and exports, and a step-by-step facilitator for the chat.

Everything here is deterministic and works offline; every suggestion carries a `SourceRef` (an exact corpus span).
"""
