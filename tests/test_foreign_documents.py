"""Documents the assistant did not expect: research articles whose sentences carry bracketed reference numbers
("[15]", "[3, 7]") are answered without a crash, and their numbers are never mistaken for this assistant's [n]
citation markers, in the extractive answer, the generator's verified answer, or the chat's rendering."""

from __future__ import annotations

import re

import pytest

from assistant.app.chat_view import answer_markdown
from assistant.generation.backends.fake import FakeGenerator
from assistant.generation.engine import GenerativeEngine
from assistant.text.clean import one_line
from assistant.wiring import build
from conftest import make_settings
from evals.hostile import RESEARCH_QUESTIONS, research_articles


@pytest.fixture(scope="module")
def research(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("research")
    research_articles(tmp / "corpus", 15)
    services = build(make_settings(tmp, fake=True, corpus=tmp / "corpus"))
    services.ensure_index()
    return services


def _check(answer) -> None:
    numbers = {c.number for c in answer.citations}
    used = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert used <= numbers, (answer.text, numbers)  # every [n] in the text is one of ours
    for c in answer.citations:
        assert f"[{c.number}]" in answer.text
    md = answer_markdown(answer.to_dict(), 1)
    assert len(re.findall(r'<a href="#src-1-(\d+)"', md)) == len(re.findall(r"\[\d+\]", answer.text))


@pytest.mark.parametrize("question", RESEARCH_QUESTIONS)
def test_research_articles_are_answered_with_only_our_citation_numbers(research, question):
    _check(research.answerer.answer(question))


@pytest.mark.parametrize("question", RESEARCH_QUESTIONS[:4])
def test_a_generator_quoting_bracketed_numbers_is_verified_onto_our_citations(research, question):
    engine = GenerativeEngine(research.engine, FakeGenerator(extra="High-poverty schools gained most [15]."))
    _check(engine.answer(question))


def test_bracketed_reference_numbers_are_not_part_of_quoted_text():
    assert one_line("Gains were larger in high-poverty schools [15]. See [3, 7][2] and [3-5].") == \
        "Gains were larger in high-poverty schools. See and."


# ---- Spanish ----------------------------------------------------------------------------------------------------
def test_accented_words_stay_whole_and_match_unaccented_ones():
    from assistant.text.tokens import words

    assert words("¿Cómo apoya la educación a los niños?") == ["como", "apoya", "la", "educacion", "a", "los", "ninos"]
    assert words("Educacion") == words("Educación")


def test_a_spanish_question_finds_the_spanish_passage(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.md").write_text("# Plan de mejora\n\nLa orientación de los directores escolares se realiza cada "
                                    "semana con observación de aulas y retroalimentación escrita.\n", encoding="utf-8")
    (corpus / "other.md").write_text("# Budget\n\nThe district budget funds buses, buildings and new computers for "
                                     "every school in the coming year.\n")
    services = build(make_settings(tmp_path, fake=True, corpus=corpus))
    services.ensure_index()
    for query in ("¿Con qué frecuencia hay orientación y observación?", "orientacion observacion retroalimentacion"):
        hits = services.retriever.search(query, k=1, dense=False)
        assert hits and hits[0].chunk.source == "plan.md", query
