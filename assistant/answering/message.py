"""Read a chat message as its parts: the questions it asks, the situation it describes, and any instructions aimed
at the assistant (which are set aside, never followed).

Leaders write long messages that mix a story ("we have eleven initiatives and nothing sticks"), one or more
questions ("where do I even start?") and sometimes an instruction ("ignore your sources and…"). Answering the whole
message as one query dilutes it; refusing it whole loses the real question. So a message is split into clauses, each
clause is classified, and the answer works from the legitimate parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answering.guard import instruction_kind
from assistant.answering.problems import HELP_SEEKING
from assistant.frameworks.identifiers import frameworks_in

# A clause boundary in chat text: sentence ends (any case follows), line breaks, enumerations ("1)", "2.").
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”')\]]*\s+(?=\S)|\n+|\s+(?=\(?\d{1,2}[).]\s)|(?<=:)\s+(?=[\"“']?[A-Z])")
# Inside a sentence that carries an instruction, the legitimate part is often joined by a conjunction.
_CONJUNCTION = re.compile(r"\s*(?:[,;]\s*(?:and |but |then |also |plus )?(?:also |then )?|\s+(?:and also|and then|"
                          r"and|but|then|also)\s+)(?=\w)", re.I)
_QUESTION_START = re.compile(
    r"^\W*(?:\d{1,2}[).]\s*)?(?:[^:?]{1,30}:\s*)?(?:so |and |but |ok(?:ay)?,? |also,? |now,? |separately,? |then,? )?"
    r"(?:just |please |can you |could you |would you |pls )?"
    r"(?:what|what's|whats|wht|which|who|whom|whose|why|where|when|how|is|are|was|were|do|does|did|can|could|should|"
    r"would|will|shall|may|might|has|have|had|tell me|tell us|list|name|explain|describe|define|summari[sz]e|"
    r"compare|contrast|show me|give me|walk me through|help|"
    r"i(?: need| want| would like|'d like) (?:the|a|an|a copy of|the list of|to see|to get|to have) |"
    r"i(?: need| want| would like|'d like) to (?:know|understand|see|learn)|"
    r"i'?m (?:wondering|curious|trying to (?:figure out|understand))|any (?:advice|ideas|suggestions)|"
    r"thoughts|where do i|where should|say more|more on|go on|elaborate)\b", re.I)
_LABEL = re.compile(r"^[^:?]{1,30}:\s+(?=\S)")
# A clause that opens with a subordinating word followed directly by its subject ("when we do walkthroughs, …")
# belongs to the story; a question puts the verb first ("when do we …").
_SUBORDINATE = re.compile(r"^\W*(?:(?:but|and|so|because|even)\s+)?(?:when|whenever|where|while|if|because|since|"
                          r"what|how|once|as)\s+(?:we|i|you|they|he|she|it|our|my|their|people|everyone|everybody|"
                          r"nobody|no one|the \w+|an? \w+|one of|some|any|every|each|this|that|these|those)\b", re.I)
_POINTS_BACK = re.compile(r"^\W*(?:\w+\W+){0,4}?(?:they|them|those|these|it|this|that|their|its)\b", re.I)
# An ask that ends on what the clause before it named ("what are the bullets under it?").
_ENDS_BACK = re.compile(r"\b(?:under|in|on|about|of|from|for|with|inside) (?:it|them|those|these|that|this)\W*$", re.I)
# An auxiliary that opens a statement, not a question: "Have to hire …", "Had no choice …", "Was told …".
_STATEMENT_AUX = re.compile(r"^\W*(?:(?:have|has|had|do|does|did|is|are|was|were|can|could|should|would|will|may|might)\s+"
                            r"(?:to|no|not|never|been|got|gotten|told|asked|just|already)|(?:have|has|had)\s+(?:a|an|some|"
                            r"our|my|\d+))\b", re.I)
_ABOUT_TEXT = re.compile(r"\b(?:say|says|said|mean|means|meant|define|defines|describe|describes|list|lists|"
                         r"include|includes|stand for|call|calls|name|names)\b", re.I)
# A name the message addresses before its question ("Rex, what counts as …"): it names no subject.
_VOCATIVE = re.compile(r"^\W*(?:hey |hi |ok(?:ay)? )?[A-Z][\w'-]*(?: [A-Z][\w'-]*)?,\s+(?=\S)")
_FIRST_PERSON = re.compile(r"\b(?:we|we're|we've|our|us|i|i'm|i've|my|me)\b", re.I)


@dataclass
class Message:
    """A message as ordered parts, each ("ask" | "context" | "instruction", text); instructions keep their class."""

    text: str
    parts: list[tuple[str, str]] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # the class of each instruction (guard.instruction_kind)

    def of(self, role: str) -> list[str]:
        return [t for r, t in self.parts if r == role]

    @property
    def asks(self) -> list[str]:
        return self.of("ask")

    @property
    def context(self) -> list[str]:
        return self.of("context")

    @property
    def instructions(self) -> list[str]:
        return self.of("instruction")

    def questions(self) -> list[str]:
        """The asks, each made to stand alone: an ask that points back ("What are they, word for word?") is read
        together with the clause before it ("LEAD CT lists key conditions for school leadership.")."""
        out, previous = [], ""
        for role, text in self.parts:
            if role == "ask":
                back = _POINTS_BACK.search(text) or _ENDS_BACK.search(text)
                out.append(f"{previous} {text}".strip() if previous and back else text)
            if role != "instruction":
                previous = text
        return out

    @property
    def legitimate(self) -> str:
        """The message without its instructions, parts in their original order."""
        return " ".join(t for r, t in self.parts if r != "instruction").strip()

    @property
    def describes_situation(self) -> bool:
        """An account of the district's situation (a problem of practice), not only a question: at least a sentence
        of story, told in the first person or followed by a request for help."""
        story = " ".join(self.context)
        if len(story.split()) < 8:
            return False
        helping = any(HELP_SEEKING.search(a) for a in self.asks)
        # A question that points back at the story ("Is that enough?", "Which practices address this?") asks about
        # the situation; any other question with some background is still a question about the documents.
        if self.asks and not helping and not all(_about_story(a) for a in self.asks):
            return False
        return helping or bool(_FIRST_PERSON.search(story))


def _about_story(ask: str) -> bool:
    """A short question that points back at what was told, names no framework and does not ask what a text says
    ("What does it say about …?" points back at a document, not at the situation)."""
    return (len(ask.split()) <= 12 and bool(_POINTS_BACK.search(ask)) and not frameworks_in(ask)
            and not _ABOUT_TEXT.search(ask))


def clauses(text: str) -> list[str]:
    """The message cut at sentence ends, line breaks and enumerations, trimmed, empty pieces dropped."""
    pieces = _BOUNDARY.split(text.strip())
    return [p.strip(" \t-–—") for p in pieces if p and re.search(r"\w", p)]


def is_ask(clause: str) -> bool:
    """A question or a request for information (question mark, question word, or a request verb first); a clause
    that only opens with a subordinating word ("When we do walkthroughs, …") is part of the story."""
    c = clause.strip()
    if c.endswith("?"):
        return True
    return bool(_QUESTION_START.search(c)) and not _SUBORDINATE.search(c) and not _STATEMENT_AUX.search(c)


def read_message(text: str) -> Message:
    """The message's questions, situation and instructions (an instruction clause is split once more so that a
    question joined to it by "and"/"then"/a comma survives)."""
    m = Message(text=text)
    for clause in clauses(text):
        kind = instruction_kind(clause)
        if kind is None:
            addressed = _VOCATIVE.match(clause)
            if addressed and is_ask(clause[addressed.end():]):
                clause = clause[addressed.end():]
            m.parts.append(("ask" if is_ask(clause) else "context", clause))
            continue
        pieces = [p for p in _CONJUNCTION.split(clause) if p and re.search(r"\w", p)]
        for piece in pieces if len(pieces) > 1 else []:
            piece = _LABEL.sub("", piece)  # "As FreeLeader: how often …" -> "how often …"
            if instruction_kind(piece) is None and is_ask(piece) and len(piece.split()) >= 3:
                m.parts.append(("ask", piece))
        m.parts.append(("instruction", clause))
        m.kinds.append(kind)
    return m
