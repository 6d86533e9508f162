"""What callers send is checked at the edges: wrong types, bad histories, unpaired surrogates and unknown frameworks
get messages a caller can act on; `ask --batch` reports a bad line and goes on."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from assistant import inputs
from assistant.inputs import InputError
from assistant.app.chat_view import answer_markdown, question_markdown
from assistant.app.escape import markdown_text
from assistant.cli.ask import run_ask

BAD_QUESTIONS = [
    (5, "must be text, not a number"),
    (["what?"], "must be text, not a list"),
    ({"q": 1}, "must be text, not an object"),
    ("what is \ud800 coaching?", "unpaired surrogate at position 8"),
    ("   ", "Please type a question"),
    ("x" * 5000, "the limit is 4,000"),
]


@pytest.mark.parametrize("value,message", BAD_QUESTIONS)
def test_bad_questions_are_refused_with_a_reason(value, message):
    with pytest.raises(InputError, match=message):
        inputs.question(value, 4000)


BAD_HISTORIES = [
    ("earlier I asked about coaching", "must be a list of"),
    ([1, 2], "History message 1 must be an object"),
    ([{"role": "user"}], "History message 1 must be an object with \"role\" and \"content\""),
    ([{"role": "system", "content": "hi"}], "has role 'system'"),
    ([{"role": "user", "content": 7}], "content of history message 1 must be text"),
    ([{"role": "user", "content": "ok"}, {"role": "assistant", "content": "\udfff"}], "history message 2"),
    ({"role": "user", "content": "hi"}, "not an object"),
]


@pytest.mark.parametrize("value,message", BAD_HISTORIES)
def test_bad_histories_are_refused_with_a_reason(value, message):
    with pytest.raises(InputError, match=message):
        inputs.history(value)


def test_good_inputs_pass_through():
    assert inputs.question("  What is coaching? ", 100) == "What is coaching?"
    assert inputs.history(None) == [] and inputs.history("") == []
    turns = [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b", "extra": 1}]
    assert inputs.history(turns) == [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]
    assert inputs.framework("") is None and inputs.framework(" uva ") == "uva"
    with pytest.raises(InputError, match="framework name must be text"):
        inputs.framework(3)


class EchoAnswerer:
    """Answers every question with its own text (the batch loop is under test, not the engine)."""

    def answer(self, question, history=None, framework=None, k=None):
        if framework == "Danielson":
            raise ValueError("Unknown framework 'Danielson'. Choose one of: LEAD CT, UVA-PLE.")
        if question == "crash":
            raise TypeError("unexpected")
        return SimpleNamespace(to_dict=lambda: {"answer": question, "turns": len(history or [])})


def test_batch_reports_bad_lines_and_goes_on(tmp_path, capsys):
    lines = [
        json.dumps({"question": "first"}),
        json.dumps({"question": "second", "history": "not a list"}),
        json.dumps({"question": 12}),
        "{not json",
        json.dumps({"question": "lone \ud800 surrogate"}),
        json.dumps({"question": "crash"}),
        json.dumps({"id": "q7", "question": "last", "history": [{"role": "user", "content": "earlier"}]}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    services = SimpleNamespace(answerer=EchoAnswerer(), settings=SimpleNamespace(answer=SimpleNamespace(
        max_question_chars=4000)))
    args = SimpleNamespace(batch=path, framework=None, k=None, question=None, history=None, json=True)
    assert run_ask(services, args) == 1
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert out[0] == {"answer": "first", "turns": 0}
    assert out[1]["line"] == 2 and "history must be a list" in out[1]["error"]
    assert out[2]["line"] == 3 and "must be text, not a number" in out[2]["error"]
    assert out[3]["line"] == 4 and out[4]["line"] == 5 and "surrogate" in out[4]["error"]
    assert out[5] == {"line": 6, "error": "could not answer (TypeError: unexpected)"}
    assert out[6] == {"id": "q7", "answer": "last", "turns": 1}


def test_unknown_framework_message_reaches_the_cli_caller(tmp_path, capsys):
    services = SimpleNamespace(answerer=EchoAnswerer(), settings=SimpleNamespace(answer=SimpleNamespace(
        max_question_chars=4000)))
    args = SimpleNamespace(batch=None, framework="Danielson", k=None, question="coaching?", history=None, json=True)
    assert run_ask(services, args) == 1
    assert "Unknown framework 'Danielson'. Choose one of" in capsys.readouterr().err


# ---- user-supplied text in Markdown and HTML components ------------------------------------------------------
BEACONS = ['<img src="http://127.0.0.1:9/beacon.png">', "![x](http://127.0.0.1:9/beacon.png)",
           "[click](javascript:alert(1))", "<script>alert(1)</script>", "![x][ref]\n\n[ref]: http://127.0.0.1:9/b.png"]


@pytest.mark.parametrize("payload", BEACONS)
def test_titles_in_markdown_cannot_add_markup(payload):
    out = markdown_text(f"Plan {payload}")
    assert not any(ch in out for ch in "<>[]()!") and "&#" in out
    import html

    assert html.unescape(out) == f"Plan {payload}"  # shown exactly as typed


@pytest.mark.parametrize("payload", BEACONS)
def test_quoted_document_text_in_the_chat_cannot_add_links_or_images(payload):
    ans = {"answer": f"The plan says {payload} and more [1].", "citations": [{"n": 1}], "notes": [payload]}
    out = answer_markdown(ans, 1)
    assert "<img" not in out and "<script" not in out and "](" not in out and "![" not in out
    assert '<a href="#src-1-1" title="Show source 1">' in out  # our own marker is still a link
    assert "<img" not in question_markdown(payload) and "](" not in question_markdown(payload)


def test_bracketed_numbers_that_are_not_citations_stay_text():
    out = answer_markdown({"answer": "Effects were larger [15] than before [1].", "citations": [{"n": 1}]}, 2)
    assert out.count("<a ") == 1 and "&#91;15&#93;" in out
