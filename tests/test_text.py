"""The text toolkit: words and stems, display cleaning, slugs, and the one sentence splitter."""

from __future__ import annotations

import pytest

from assistant.text.clean import clean, one_line, shorten, slugify
from assistant.text.sentences import sentence_spans, split_sentences
from assistant.text.tokens import STOP, normalize, stem, terms, tokens, words


@pytest.mark.parametrize("word,expected", [
    ("principals", "principal"), ("coaching", "coach"), ("strategies", "strategy"), ("supported", "support"),
    ("repeatedly", "repeat"), ("11a", "11a"), ("is", "is"), ("uses", "uses"),
])
def test_stem(word, expected):
    assert stem(word) == expected


@pytest.mark.parametrize("text,expected", [
    ("Principals coaching", ["principal", "coach"]),
    ("What does 11a say about the district's goals?", ["11a", "district", "s", "goal"]),
    ("", []),
])
def test_tokens(text, expected):
    assert tokens(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("The District’s Culture & Norms", {"district", "cultur", "norm"}),
    ("practice, practices", {"practic"}),  # a singular and its plural meet, silent e or not
    ("shape, shaping", {"shap"}),
    ("'Systems' of support", {"system", "support"}),  # a quote mark is not a possessive
    ("how we do things", {"thing"}),
])
def test_terms(text, expected):
    assert terms(text) == expected


def test_words_and_stop_list():
    assert words("Lever 2: Support & Accountability") == ["lever", "2", "support", "accountability"]
    assert {"the", "what", "tell"} <= STOP and "principal" not in STOP


def test_normalize():
    assert normalize("Getting—Better & “Ten” Systems!") == "getting better and 10 systems"


@pytest.mark.parametrize("raw,expected", [
    ("co-\nlearning and shared", "co-learning and shared"),
    ("<p>Name</p> <p><i>Aim</i></p>\t<ul style=\"x\"> • One • Two", "Name\nAim\nOne\nTwo"),
    ("- ✓ First point\n- ✓ Second point", "First point\nSecond point"),
    ("in high-priority schools.8", "in high-priority schools."),
    ("Heightens awareness** among leaders", "Heightens awareness among leaders"),
    ("Is **system-wide**, see [Figure 1](#)", "Is system-wide, see Figure 1"),
])
def test_clean(raw, expected):
    assert clean(raw) == expected


def test_one_line_shorten_slugify():
    assert one_line("We call this a\n\nDistrict Leadership\nTheory of Action.") == \
        "We call this a District Leadership Theory of Action."
    assert shorten("one two three four", 2) == "one two …" and shorten("one two", 2) == "one two"
    assert slugify("Focus on “how we do things” & the District’s Identity") == \
        "focus-on-how-we-do-things-and-the-districts-identity"
    assert slugify("***") == ""


@pytest.mark.parametrize("text,expected", [
    ("Leaders coach principals. Principals lead teams.", ["Leaders coach principals.", "Principals lead teams."]),
    ("It helps, e.g. Coaching. Next one here.", ["It helps, e.g. Coaching.", "Next one here."]),
    ("A wrapped\nline that continues. New one.", ["A wrapped\nline that continues.", "New one."]),
    ("Cell one\tCell two", ["Cell one", "Cell two"]),
    ("- First bullet\n- Second bullet", ["First bullet", "Second bullet"]),
])
def test_sentence_spans(text, expected):
    assert [text[a:b] for a, b in sentence_spans(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("One. Two [1]. Three", ["One.", "Two [1].", "Three"]),
    ("Ends in 5 p.m. and more", ["Ends in 5 p.m. and more"]),  # no split before a lowercase word
    ("First claim. [1] Second claim. [2]", ["First claim. [1]", "Second claim. [2]"]),
    ("A heading without a stop [1] The next claim [2]", ["A heading without a stop [1]", "The next claim [2]"]),
    ("e.g. this stays. Next", ["e.g. this stays.", "Next"]),
    ("Line one\nLine two.", ["Line one", "Line two."]),
])
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize("typed,expected", [
    ("curiculum", "curriculum"),   # a document word one edit away
    ("wuold", "wuold"),            # no document word near: a swapped common word is not guessed
    ("thier", "thier"),            # nor here
    ("becuse", "because"),         # a known word with the one letter the typist dropped
    ("xylophone", "xylophone"),    # unknown and nothing near: left alone
])
def test_speller_repairs_only_what_it_can_justify(typed, expected):
    from collections import Counter

    from assistant.text.spelling import Speller
    speller = Speller(Counter({"curriculum": 5, "principals": 3}), frozenset({"would", "could", "because", "their"}))
    assert speller.word(typed) == expected


@pytest.mark.parametrize("message,situation", [
    # a story whose only question points back at it asks about the situation
    ("We rotate principals every two years and schools lose momentum each time. Is that a mistake?", True),
    # a story and a need, no question
    ("My directors spend their week on compliance checklists. I want them coaching principals instead.", True),
    # background and a question about a document stay a question about the document
    ("We adopted the rubric last spring and our cabinet likes it. What does it say about budgeting?", False),
    ("We're reading INSTLL in cabinet this month. How many steps does it have?", False),
    # an auxiliary that opens a statement is not a question
    ("Had to cut two coaching positions in March and the rest of the team is stretched thin. What should we do?",
     True),
    # a need for help at the end of a story, and a request for a document's content after some background
    ("Our new teachers quit after a year at the two south-side schools. I need better ways to keep them.", True),
    ("We are drafting board slides this week. I'd like the list of the rubric's six areas.", False),
])
def test_a_message_tells_a_situation_from_a_question_with_background(message, situation):
    from assistant.answering.message import read_message
    m = read_message(message)
    assert m.describes_situation is situation, m.parts
    assert all(not a.lower().startswith("had to") for a in m.asks)


@pytest.mark.parametrize("sentence,points_to", [
    ("Coaches follow the protocol (see the appendix for the Walkthrough Rubric).", "Walkthrough Rubric"),
    ("Budgets are built by schools, while teacher-level routines are set by each team (described in a separate "
     "document).", "teacher-level routines"),
    ("Nine districts saw gains in reading (to be published in a forthcoming report).", "Nine districts"),
    ("Boards set policy (see Governance), superintendents lead the work.", None),  # points inside the documents
    ("Principals observe classrooms every week.", None),
])
def test_a_cross_reference_to_material_outside_the_documents_is_recognised(sentence, points_to):
    from assistant.answering.pointers import pointer_in
    found = pointer_in(sentence)
    assert (found is None) if points_to is None else (points_to in found[0])
