"""Prompt-injection defence: recognise instructions aimed at the assistant in questions and in source text."""

from __future__ import annotations

import re

_PATTERNS = [
    r"\bignore\b.{0,40}\b(instructions?|rules?|sources?|previous|above|prior|context|documents?|guidelines)\b",
    r"\bdisregard\b.{0,40}\b(instructions?|rules?|sources?|previous|above|documents?)\b",
    r"\bforget\b.{0,30}\b(instructions?|rules?|everything|sources?)\b",
    r"\b(system|hidden|secret|initial|original)\s+(prompt|instructions?|message|rules)\b",
    r"\b(reveal|print|show|repeat|output|display|tell me|dump|leak)\b.{0,40}\b(prompt|instructions?|rules|configuration|guidelines)\b",
    r"\bdeveloper\s+mode\b|\bdan mode\b|\bjailbreak\b|\bgod mode\b|\badmin mode\b|\bdebug mode\b",
    r"\byou are (now|no longer)\b|\bfrom now on,? you\b|\bact as\b.{0,30}\b(unrestricted|unfiltered|without)\b",
    r"\bpretend\b.{0,40}\b(you|to be)\b",
    r"\b(invent|make up|fabricate|hallucinate|create)\b.{0,30}\b(quotes?|citations?|sources?|statistics?|numbers?|facts?)\b",
    r"\bwithout\s+(citing|citations?|sources?)\b|\bdo not cite\b|\bdon't cite\b|\bno citations?\b",
    r"\bnew instructions?\b|\boverride\b.{0,30}\b(instructions?|rules?|settings?)\b",
    r"\b(assistant|ai|model|chatbot|llm)\s*[:,]?\s*(must|should|will)\s+(now\s+)?(ignore|say|answer|respond|reply|output)\b",
    r"\bwhen (asked|you are asked)\b.{0,60}\b(say|answer|respond|reply)\b",
    r"\brespond (only )?with\b|\breply (only )?with\b|\banswer (only )?with\b.{0,20}[\"“']",
]
_RX = [re.compile(p, re.I | re.S) for p in _PATTERNS]

REFUSAL_NOTE = ("I answer only from the framework documents and cite them; instructions to change that, "
                "to reveal configuration, or to invent quotes are not followed.")


def is_injection(text: str) -> bool:
    """True when text contains an instruction aimed at the assistant rather than a question about the sources."""
    return any(rx.search(text) for rx in _RX)


def strip_injection(text: str) -> str:
    """The question with instruction-like sentences removed (may be empty when nothing else was asked)."""
    parts = re.split(r"(?<=[.!?\n])\s+", text)
    kept = [p for p in parts if p.strip() and not is_injection(p)]
    out = " ".join(kept).strip()
    # Remove a trailing instruction clause joined by a conjunction ("... and ignore your sources").
    out = re.sub(r"\s*(,|;|\band\b|\bthen\b|\bbut\b)\s*(ignore|disregard|forget|reveal|print|invent|make up|pretend)\b.*$",
                 "", out, flags=re.I).strip()
    return out


def asks_for_hidden_instructions(text: str) -> bool:
    """True when the message asks the assistant to reveal its own prompt or configuration."""
    return bool(re.search(r"\b(system|hidden|secret|initial|original)\s+(prompt|instructions?)|"
                          r"\b(reveal|print|show|repeat|dump|leak)\b.{0,40}\b(prompt|instructions?|configuration)\b",
                          text, re.I | re.S))
