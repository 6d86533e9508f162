"""Recognise instructions aimed at the assistant, in messages and in documents, by what they are.

A sentence is an instruction to the assistant (never followed, never quoted as an answer) when it does one of these:

- **overrides** the assistant's own operation: a directive verb (ignore, disregard, skip, stop, drop, disable …)
  whose object is the assistant's rules, instructions, prompt, sources or citations, or asks it to work "without
  citations" / "from general knowledge";
- **reveals** the assistant's configuration: a verb of showing (print, reveal, repeat, list, translate …) aimed at
  its instructions, prompt, rules or "everything above";
- **recasts** the assistant: role play and modes ("you are now …", "act as", "pretend", "developer mode");
- **dictates content**: tells the assistant (or "any system summarising this") to say, state or claim a given
  proposition, to reply with fixed words, or to invent quotes, citations, numbers or sources;
- **smuggles** a payload: an opaque encoded blob to decode and obey, or a bracketed note addressed to the AI.

These are grammatical classes (who is addressed, what is directed), not a list of known attacks; a question that
merely uses such words ("how do we ignore distractions?") is not an instruction.
"""

from __future__ import annotations

import re

# The assistant as addressee, including how planted text addresses it ("any system summarising this plan").
_PROCESSING = (r"(?: (?:that |which |who )?(?:summari[sz]\w*|read\w*|process\w*|answer\w*|review\w*|analy[sz]\w*|"
               r"ingest\w*|index\w*)[\w ]{0,30})")
# AI nouns address the machine on their own; generic nouns (system, tool) only with what they do to the text
# ("any system summarising this plan"), since documents talk about district systems and tools all the time.
_ADDRESSEE = (r"(?:you|whoever (?:reads|summari[sz]es|processes) (?:this|it)|(?:the |an? |any |every |each )?"
              r"(?:(?:ai|a\.i\.|artificial intelligence|language model|llm|chat ?bot|gpt|assistant|summari[sz]er)s?"
              rf"{_PROCESSING}?|(?:ai |automated )?(?:system|tool|software|program|model|bot)s?{_PROCESSING}))")
# The assistant's own operation: what an override or a reveal targets.
_SELF = (r"(?:instructions?|prompts?|rules?|guidelines?|guardrails?|restrictions?|filters?|configuration|config|"
         r"settings?|polic(?:y|ies)|persona|directives?|programming|training|system message|hidden text|"
         r"citations?|citing|sources?|references?|grounding|safety|everything above|the text above|"
         r"(?:previous|prior|earlier|above|initial|original) (?:message|text|context|conversation))")
_OWN = r"(?:your|its|the assistant'?s|the ai'?s|the model'?s|these|those|all|any|previous|prior|earlier|above|hidden|secret|system|initial|original)"
_WH = r"(?:what|how|which|who|whom|why|where|when|whether|if|about)"
_CLAIM_VERB = (r"(?:requires?|recommends?|endorses?|says?|states?|mandates?|supports?|shows?|proves?|found|finds|"
               r"is|are|was|were|has|have|must|should|calls? for|demands?|prefers?)")

_RULES: list[tuple[str, re.Pattern]] = [
    ("override", re.compile(
        rf"\b(?:ignore|disregard|forget|override|bypass|disable|turn off|switch off|drop|skip|abandon|stop "
        rf"(?:using|following|citing|quoting)|no longer (?:use|follow|cite))\b[^.?!]{{0,40}}?\b(?:{_OWN}\s+)?{_SELF}",
        re.I)),
    ("override", re.compile(r"\b(?:stop|quit|don'?t|do not|no need to|never) (?:cit\w+|quot\w+|includ\w+ (?:the )?"
                            r"(?:sources?|citations?|references?))\b", re.I)),
    ("override", re.compile(r"\b(?:without|with no|no)\s+(?:any\s+)?(?:citations?|sources?|references?|"
                            r"restrictions?|rules|grounding)\b|\bfrom (?:your )?(?:own |general )?(?:knowledge|training)\b"
                            r"|\b(?:citation|grounding|safety)\w*\s*[=:]\s*(?:false|off|0|no|none)\b", re.I)),
    ("reveal", re.compile(
        rf"\b(?:reveal|print|show|display|repeat|recite|output|dump|leak|list|share|translate|tell me|give me|"
        rf"paste|spell out|summari[sz]e)\b[^.?!]{{0,50}}?\b(?:{_OWN}\s+)(?:\w+\s+){{0,2}}{_SELF}", re.I)),
    ("reveal", re.compile(r"\b(?:repeat|print|output|show|recite)\b[^.?!]{0,20}\b(?:everything|all|the text|the words|"
                          r"what(?:ever)? (?:is|was|came)) (?:above|before|preceding)\b", re.I)),
    ("reveal", re.compile(rf"\b(?:you(?:'ve| have)? (?:got|been given|have)|your)\b[^.?!]{{0,30}}\b{_SELF}\b"
                          rf"[^.?!]{{0,80}}\b(?:share|list|show|reveal|tell|print|see)\b", re.I)),
    ("recast", re.compile(r"\byou are (?:now|no longer|actually|really)\b|\bfrom now on,? you\b|\bact as (?:an? )?\w+|"
                          r"\bpretend\b|\brole[- ]?play\b|\blet'?s play a game\b|^\W*(?:ok(?:ay)?\W+)?new game\b|"
                          r"\byou are (?:an? )?(?:[A-Z]\w+ ){0,2}[A-Z]\w+, an? |\b(?:stay|remain|break) in character\b|"
                          r"\b(?:developer|dan|god|admin|debug|unrestricted|jailbreak)\s*mode\b|\bjailbreak\b|"
                          r"\b(?:admin|system|developer)\s+override\b", re.I)),
    ("dictate", re.compile(rf"(?:^|[,;:]\s*|\b(?:just|please|now|then|also|simply|and)\s+)"
                           rf"(?:(?:say|claim|assert|declare)\s+(?:that\s+|:\s*|[\"“'])?|"
                           rf"(?:state|write|announce|put)\s+(?:that\s+|:\s*|[\"“']|in writing that\s+))"
                           rf"(?!{_WH}\b)(?:[^.?!]{{0,80}}?)\b{_CLAIM_VERB}\b", re.I)),
    ("dictate", re.compile(rf"(?:^|[,;:]\s*|\b(?:just|please|now|then|also|simply|and)\s+)tell\s+(?!me\s+{_WH}\b)"
                           rf"(?:me|us|them|him|her|the user|(?:my|our|the) \w+)\s+(?:that\s+)?(?!{_WH}\b)"
                           rf"[^.?!]{{0,80}}?\b{_CLAIM_VERB}\b", re.I)),
    ("dictate", re.compile(rf"\b{_ADDRESSEE}\s+(?:should|must|shall|will|needs? to|is to|are to|has to|have to)\s+"
                           r"(?:always\s+|only\s+|also\s+)?(?:now\s+)?(?:state|say|answer|respond|reply|report|mention|"
                           r"recommend|include|conclude|present|describe|rate|output|claim|tell|treat|list|name|"
                           r"ignore|disregard)\b", re.I)),
    ("dictate", re.compile(r"\b(?:reply|respond|answer|acknowledge)\w*\s+(?:\w+\s+){0,2}(?:exactly|only|verbatim)\b|"
                           r"\b(?:reply|respond|answer)\s+(?:only\s+)?with\s*[:\"“']", re.I)),
    ("dictate", re.compile(r"\bwhen (?:you are |you're )?(?:asked|summari[sz]\w*|answering)\b[^.?!]{0,60}\b"
                           r"(?:say|answer|respond|reply|state)\b", re.I)),
    ("fabricate", re.compile(r"\b(?:make up|invent|fabricate|hallucinate|dream up|come up with)\b[^.?!]{0,40}\b"
                             r"(?:quotes?|quotations?|citations?|sources?|statistics?|stats|numbers?|figures?|data|"
                             r"facts?|page numbers?|references?|caseloads?|ratios?|percentages?)\b|"
                             r"\b(?:add|insert|include|create|attach)\b[^.?!]{0,20}\b(?:a |an )?(?:citation|quote|"
                             r"reference|source)\b[^.?!]{0,60}\b(?:saying|that says|stating|claiming)\b|"
                             r"\bas an? (?:direct |exact )?(?:quote|quotation|citation)\b|\bsign (?:this|it) as\b", re.I)),
    ("smuggle", re.compile(r"\b(?:decode|execute|run|follow|obey|do (?:exactly )?what)\b[^.?!]{0,60}"
                           r"[A-Za-z0-9+/]{24,}={0,2}|[A-Za-z0-9+/]{40,}={0,2}", re.I)),
    ("smuggle", re.compile(rf"[\[<(#]+[^\]>)]{{0,20}}\b(?:note|message|instruction)s? (?:to|for) (?:the )?{_ADDRESSEE}|"
                           r"\[\s*(?:assistant|ai|system|admin)\s*:|<!--[^>]{0,40}\b(?:ai|assistant|model|system)\b|"
                           r"#{2,}\s*(?:admin|system|override)", re.I)),
]

REFUSAL_NOTE = ("I answer only from the framework documents and cite them; instructions to change that, "
                "to reveal configuration, or to invent quotes are not followed.")


def instruction_kind(sentence: str) -> str | None:
    """The class of instruction a sentence gives the assistant (override, reveal, recast, dictate, fabricate,
    smuggle), or None when it is not addressed to the assistant."""
    for kind, rx in _RULES:
        if rx.search(sentence):
            return kind
    return None


def is_injection(text: str) -> bool:
    """True when text contains an instruction aimed at the assistant rather than a question about the sources."""
    return instruction_kind(text) is not None


def asks_for_hidden_instructions(text: str) -> bool:
    """True when the text asks the assistant to reveal its own prompt or configuration."""
    return any(kind == "reveal" and rx.search(text) for kind, rx in _RULES)
