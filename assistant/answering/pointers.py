"""Content a document only points to: "(see Attachments for the … Competency Framework)", "(detailed in a separate
document)", "(to be published in upcoming study)".

A question about such material finds the pointer itself as its best evidence, and quoting the pointer as if it were
the answer misleads. When one of the best sentences is a cross-reference and the question is about what it refers to,
the honest answer is that the documents name that material but do not include it, with the pointer cited.
"""

from __future__ import annotations

import re
from typing import Sequence

from assistant.answering.evidence import Sentence
from assistant.frameworks import identifiers as ident
from assistant.text.templates import render
from assistant.text.tokens import tokens

# Cross-reference wording: a pointer to another document, an attachment or a publication still to come.
# Cross-reference wording that points outside the documents: an attachment, an appendix, a separate or companion
# document, a publication still to come. ("see Governance" points inside the same document and is not one.)
_ELSEWHERE = (r"(?:see|refer to|available in|detailed in|described in|found in|outlined in|provided in|included in|"
              r"addressed in) (?:the |a |an )?(?:attachments?|appendix|appendices|separate|another|companion|"
              r"accompanying|forthcoming|upcoming|future|attached)\b|to be published|forthcoming (?:study|report|"
              r"publication)|upcoming (?:study|report|publication)|not included here|in press")
_POINTER = re.compile(rf"\([^()]{{0,120}}?\b(?:{_ELSEWHERE})[^()]{{0,120}}\)|\b(?:{_ELSEWHERE})[^.;()]{{0,120}}", re.I)
_FOR = re.compile(r"\bfor (?:the )?(.+?)\)?$", re.I)
TOP = 3  # the pointer must be among the best few sentences: otherwise the question is about something else
MIN_IDF = 1.0  # a shared word that nearly every passage uses ("district") says nothing about the subject


def pointer_in(sentence: str) -> tuple[str, str] | None:
    """(the material a cross-reference points to, the rest of the sentence) when the sentence points elsewhere for
    content, else None. The material is the object the pointer names ("see Attachments for the … Framework") or else
    the clause just before it ("actions taken by building leaders … (detailed in a separate document)")."""
    m = _POINTER.search(sentence)
    if not m:
        return None
    named = _FOR.search(m.group(0).strip("() "))
    if named and re.search(r"[A-Z]", named.group(1)):
        return m.group(0), sentence[: m.start()] + " " + sentence[m.end():]
    before = sentence[: m.start()]
    cut = max((b.end() for b in re.finditer(r"[;,:]|\bas well as\b|\bwhich\b", before)), default=0)
    return sentence[cut: m.end()], sentence[:cut] + " " + sentence[m.end():]


def about_pointer(question: str, sentences: Sequence[Sentence], idf: dict[str, float]) -> Sentence | None:
    """The best sentence that points elsewhere for the material the question asks about, or None."""
    asked = {t for t in tokens(ident.without_frameworks(question)) if idf.get(t, 0.0) >= MIN_IDF}
    if not asked:
        return None
    for n, s in enumerate(sorted(sentences, key=lambda s: -s.score)[:TOP]):
        found = pointer_in(s.text)
        if found is None:
            continue
        target, outside = found
        # The question must share a word with the pointed-to material that the rest of the sentence does not use,
        # and, unless the pointer is the best evidence, a second word with the sentence: a question about the
        # surrounding text is answered as usual.
        only_there = set(tokens(ident.without_frameworks(target))) - set(tokens(outside))
        if asked & only_there and (n == 0 or len(asked & set(tokens(s.text))) >= 2):
            return s
    return None


def compose(sentence: Sentence, mark: str) -> str:
    """The answer for a question about material a document only refers to, with the pointer cited."""
    return render("answers/referenced_elsewhere", framework=sentence.passage.chunk.framework, pointer=sentence.text,
                  mark=mark)
