"""Optional generators: prompt files, the fake generator, stub OpenAI-compatible and Ollama servers on loopback,
verification of every generated sentence, and the fall-back when a backend is unreachable or misconfigured."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.generation.backends.base import GeneratorError
from assistant.generation.backends.fake import FakeGenerator
from assistant.generation.backends.ollama import Ollama
from assistant.generation.backends.openai_compat import OpenAICompatible
from assistant.config import load_settings
from assistant.generation.engine import FallbackEngine, GenerativeEngine
from assistant.text.templates import TemplateError, render, variables
from assistant.types import Answer

QUESTION = "how should districts support principal supervisors?"


def test_prompt_files_declare_their_variables():
    assert variables(open("prompts/answer_user.txt").read()) == {"passages", "question"}
    text = render("answer_user", passages="[1] x", question="q?")
    assert "[1] x" in text and "q?" in text


def test_a_missing_prompt_variable_is_an_error():
    with pytest.raises(TemplateError, match="needs question"):
        render("answer_user", passages="[1] x")
    with pytest.raises(TemplateError, match="does not exist"):
        render("no_such_prompt")


class _Stub(BaseHTTPRequestHandler):
    reply = ""
    mode = "openai"
    seen: list = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        body = json.dumps({"data": [{"id": "stub"}], "models": [{"name": "stub"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        _Stub.seen.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()
        for word in _Stub.reply.split(" "):
            if _Stub.mode == "openai":
                chunk = {"choices": [{"delta": {"content": word + " "}}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            else:
                self.wfile.write((json.dumps({"message": {"content": word + " "}, "done": False}) + "\n").encode())
        self.wfile.write(b"data: [DONE]\n\n" if _Stub.mode == "openai" else b'{"done": true}\n')


@pytest.fixture
def stub_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Stub.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _collect(engine, question=QUESTION):
    pieces = list(engine.stream(question))
    assert isinstance(pieces[-1], Answer)
    return [p for p in pieces if isinstance(p, str)], pieces[-1]


@pytest.mark.integration
def test_fake_generator_answers_with_exact_citations(real_services):
    engine = GenerativeEngine(real_services.answerer, FakeGenerator())
    tokens, answer = _collect(engine)
    assert tokens, "the answer is streamed"
    assert not answer.abstained and answer.citations
    for c in answer.citations:
        assert real_services.store.document_text(c.chunk.doc_id)[c.start:c.end] == c.quote
    assert "⚠" not in answer.text


@pytest.mark.integration
def test_unsupported_sentences_and_unknown_numbers_are_flagged(real_services):
    engine = GenerativeEngine(real_services.answerer,
                              FakeGenerator(extra="Supervisors must visit exactly 37 schools on Mars each day [1]. "
                                                  "Budgets triple every year [42]."))
    _, answer = _collect(engine)
    assert "37 schools on Mars each day. ⚠[unsupported]" in answer.text
    assert "[42]" not in answer.text and "Budgets triple every year. ⚠[unsupported]" in answer.text
    assert any("⚠" in n for n in answer.notes)


@pytest.mark.integration
def test_openai_compatible_server_streams_and_is_verified(real_services, stub_server):
    first = real_services.retriever.search(QUESTION, k=8)[0].chunk.text.split(". ")[0]
    _Stub.mode, _Stub.reply = "openai", f"{first} [1]"
    engine = GenerativeEngine(real_services.answerer, OpenAICompatible(stub_server + "/v1", "stub", "key"))
    tokens, answer = _collect(engine)
    assert len(tokens) > 3
    assert answer.citations and answer.backend.startswith("openai-compatible")
    sent = _Stub.seen[-1]
    assert sent["stream"] is True and sent["messages"][0]["role"] == "system"
    assert "[1]" in sent["messages"][1]["content"], "passages are numbered in the prompt"
    assert "reachable" in engine.backend_status()


@pytest.mark.integration
def test_ollama_server_streams(real_services, stub_server):
    first = real_services.retriever.search(QUESTION, k=8)[0].chunk.text.split(". ")[0]
    _Stub.mode, _Stub.reply = "ollama", f"{first} [1]"
    engine = GenerativeEngine(real_services.answerer, Ollama("stub", stub_server))
    _, answer = _collect(engine)
    assert answer.citations and not answer.abstained


@pytest.mark.integration
def test_unreachable_server_falls_back_to_the_extractive_answer(real_services):
    engine = GenerativeEngine(real_services.answerer,
                              OpenAICompatible(f"http://127.0.0.1:{_free_port()}/v1", "m", timeout=2))
    _, answer = _collect(engine)
    assert answer.backend == "extractive" and answer.citations
    assert any("unreachable" in n for n in answer.notes)
    assert "unreachable" in engine.backend_status()


@pytest.mark.integration
def test_catalog_answers_and_abstentions_skip_the_generator(real_services):
    engine = GenerativeEngine(real_services.answerer, FakeGenerator(extra="should never appear"))
    _, listing = _collect(engine, "what are the four levers in uva-ple")
    assert "should never appear" not in listing.text and listing.shape == "list"
    _, none = _collect(engine, "what year was the lead ct framework published")
    assert none.abstained


@pytest.mark.parametrize("overrides,message", [
    ({"backend": "llamacpp", "gguf_path": "/nonexistent/model.gguf"}, "No GGUF model file"),
    ({"backend": "openai", "base_url": ""}, "needs a base URL"),
    ({"backend": "ollama", "model": ""}, "needs a model name"),
])
def test_misconfigured_backends_fall_back_with_a_clear_reason(overrides, message):
    settings = load_settings(answer=overrides)

    class Dummy:
        def answer(self, *a, **k):
            return Answer(question="q", text="t", citations=[], passages=[])

    from assistant.wiring import build_answerer

    engine = build_answerer(settings.answer, Dummy())
    assert isinstance(engine, FallbackEngine) and message in engine.reason
    assert message in engine.backend_status()
    answer = engine.answer("q")
    assert any(message in n for n in answer.notes)


def test_generator_errors_are_clear():
    with pytest.raises(GeneratorError, match="not a .gguf file"):
        from assistant.generation.backends.llamacpp import LlamaCpp

        LlamaCpp(__file__)
