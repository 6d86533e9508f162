"""The words of a refusal: what was looked for, why the documents do not answer it, and how to ask instead — naming
the kind of value asked for in plain words and the nearest real section, never echoing the message itself."""

from __future__ import annotations

import re

from assistant.answering import features
from assistant.frameworks import identifiers as ident
from assistant.text.clean import shorten

OFF_TOPIC = 0.3  # closest sentence this far from the question: it is about something the frameworks do not treat


def parts(asked: str, passages: list, evidence, fws: list[str], vocabulary: set[str]) -> dict[str, str]:
    """The template's variables (searched, why, suggestion) for a refused question."""
    value = features.asks_for_value(asked)
    names = features.missing_names(ident.expand(asked), vocabulary)
    plain = re.sub("|".join(re.escape(n) for n in names), " ", asked) if names else asked
    topic = features.topic_words(plain) or "this"
    frameworks = sorted({p.chunk.framework for p in passages[:3]})
    where = " and ".join(frameworks) if frameworks else "the documents"
    if evidence is not None and evidence.best_sentence < OFF_TOPIC and not fws:
        return {"searched": "this", "why": "It is outside what the five district-leadership frameworks discuss.",
                "suggestion": "Ask about district leadership: the frameworks' practices, conditions and systems, "
                              "or a situation in your district you want help with."}
    if names:
        searched = " or ".join(f"*{n}*" for n in names[:3])
        why = "None of the documents mentions it."
    elif value is not None:
        searched = f"{features.VALUE_NOUNS[value[0]]} for this"
        why = f"The closest passages ({where}) are about this subject, but none of them states one."
    else:
        searched = f"what you asked about ({topic})"
        why = f"The closest passages ({where}) are about related things, not this."
    top = passages[0].chunk if passages else None
    heading = top.section.split("›")[-1].strip().rstrip(".") if top is not None and top.section else ""
    if heading and not names:  # a real heading reads better than the question's words run together
        suggestion = (f"The nearest section is **{top.framework} › {shorten(heading, 10)}**: you could ask what it "
                      "says, or describe your situation and ask what the frameworks suggest.")
    elif topic != "this":
        suggestion = (f"You could ask what the frameworks say about {topic}, or describe your situation and ask "
                      "what they suggest.")
    else:
        suggestion = "Try naming a framework or a practice, or describe the situation you want help with."
    return {"searched": searched, "why": why, "suggestion": suggestion}
