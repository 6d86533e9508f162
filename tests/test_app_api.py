"""The running web app driven through its API with gradio_client: answers, follow-ups, abstention, input limits,
uploads (real PDFs), failed uploads that leave the library intact, removal, and sign-in.

One app process (real corpus, real embedding model, a copy of the session's real index) serves the whole module.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import httpx
import pytest

from app_fixtures import PDFS, ROOT, AppProcess, client, running_app

pytestmark = pytest.mark.integration

LONG = 20_000


@pytest.fixture(scope="module")
def app(real_index_dir, tmp_path_factory):
    yield from running_app(tmp_path_factory, "app-api", real_index_dir)


@pytest.fixture
def api(app, tmp_path):
    """A fresh client: one new browser-like session."""
    return client(app.url, tmp_path / "downloads")


def documents(api) -> list[list]:
    table, summary, _choices = api.predict(api_name="/documents")
    return table["data"]


def corpus_text(source: str) -> str:
    from assistant.ingest.loaders import load_file

    return load_file(ROOT / "corpus" / source).text


# ---- answers --------------------------------------------------------------------------------------------------
def test_ask_returns_cited_answer_with_exact_spans(api):
    res = api.predict("What is a district theory of action?", None, "", api_name="/ask")
    assert not res["abstained"]
    assert res["answer"].strip()
    assert res["citations"], res
    for c in res["citations"]:
        assert f"[{c['n']}]" in res["answer"]
        assert corpus_text(c["source"])[c["start"]:c["end"]] == c["quote"]
    assert len(res["passages"]) >= len(res["citations"])
    assert all("score" in p and "signals" in p for p in res["passages"])


def test_chat_renders_answer_sources_and_export(api, app):
    chat, box, sources, why, notice, export = api.predict(
        "What does indicator 11a look like at Getting Better?", "All frameworks", api_name="/chat")
    assert [m["role"] for m in chat] == ["user", "assistant"]
    answer_html = _content(chat[1])
    links = re.findall(r'href="#(src-1-\d+)"', answer_html)
    assert links, answer_html
    for anchor in links:  # every marker points at a source card that exists
        assert f'id="{anchor}"' in sources
    assert "<mark>" in sources
    assert "11a" in sources and "Getting Better" in sources
    assert "Meaning match" in why and "Keyword match" in why
    assert box == "" and notice == ""
    # The export is a Markdown file with the question, the answer and its numbered sources.
    text = _export_text(export)
    assert "indicator 11a" in text and "**Sources**" in text and re.search(r"^\[1\] ", text, re.M)


def test_follow_up_uses_the_conversation_and_sessions_stay_apart(app, tmp_path):
    alice = client(app.url, tmp_path / "a")
    bob = client(app.url, tmp_path / "b")
    alice.predict("What does indicator 11a look like at Getting Better?", "All frameworks", api_name="/chat")
    chat, _box, sources, why, _notice, export_a = alice.predict("And at Keep Improving?", "All frameworks",
                                                                api_name="/chat")
    assert [m["role"] for m in chat] == ["user", "assistant"] * 2
    assert 'id="src-2-1"' in sources  # the second turn's sources, with the first folded below
    assert "Keep Improving" in sources and "11a" in sources
    assert "And at Keep Improving?" in _export_text(export_a)
    # Another session sees only its own conversation, and exports only its own.
    chat_b, *_rest, export_b = bob.predict("What is coherence making?", "All frameworks", api_name="/chat")
    assert [m["role"] for m in chat_b] == ["user", "assistant"]
    assert "11a" not in _content(chat_b[0])
    text_b = _export_text(export_b)
    assert "coherence making" in text_b and "11a" not in text_b


def test_chat_facilitates_a_theory_of_action_step_by_step(app, tmp_path):
    coach = client(app.url, tmp_path / "coach")
    steps = [("help us write a theory of action for principal coaching", "Step 1 of 4"),
             ("Raise grade 3 reading proficiency from 52% to 70% by 2028", "Step 2 of 4"),
             ("Principals get little coaching and walkthrough feedback is inconsistent", "Step 3 of 4")]
    for message, expected in steps:
        chat, *_rest = coach.predict(message, "All frameworks", api_name="/chat")
        assert expected in _content(chat[-1]), _content(chat[-1])
    chat, _box, sources, *_rest = coach.predict("1, 3", "All frameworks", api_name="/chat")
    assert "Step 4 of 4" in _content(chat[-1]) and "[1]" in _content(chat[-1])
    assert 'id="src-4-1"' in sources, "facilitation replies cite framework passages like answers do"
    # An ordinary question in another session is answered normally.
    other = client(app.url, tmp_path / "other")
    chat, *_rest = other.predict("uva ple levers?", "All frameworks", api_name="/chat")
    assert "4 levers" in _content(chat[-1])


def test_follow_up_history_through_the_stateless_api(api):
    history = [{"role": "user", "content": "What does indicator 11a look like at Getting Better?"},
               {"role": "assistant", "content": "District leaders identify norms and expectations [1]"}]
    res = api.predict("And at Keep Improving?", history, "", api_name="/ask")
    assert not res["abstained"]
    assert res["resolved_question"] != res["question"]
    assert any(c["indicator"] == "11a" for c in res["citations"])


def test_abstention_is_marked_and_offers_related_passages(api):
    res = api.predict("How do I bake sourdough bread at home?", None, "", api_name="/ask")
    assert res["abstained"] and not res["citations"]
    chat, _box, sources, *_ = api.predict("How do I bake sourdough bread at home?", "All frameworks",
                                          api_name="/chat")
    assert 'class="abstain-msg"' in _content(chat[1])
    assert 'class="abstain-box"' in sources
    assert ('id="rel-1-1"' in sources) == bool(res["related"])


def test_framework_filter_limits_sources(api):
    res = api.predict("What does the framework say about accountability?", None, "UVA-PLE", api_name="/ask")
    assert res["passages"] and {p["framework"] for p in res["passages"]} == {"UVA-PLE"}


def test_too_long_and_empty_questions_get_clear_messages(api, app):
    long_q = "Please summarise this. " + "x" * (LONG - 23)
    chat, box, sources, why, notice, export = api.predict(long_q, "All frameworks", api_name="/chat")
    assert "20,000" in notice and "limit" in notice
    assert chat in (None, [], {"__type__": "update"}) or not _messages(chat)
    assert box == long_q  # kept so the person can shorten it
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="limit"):
        api.predict(long_q, None, "", api_name="/ask")
    *_, notice, _export = api.predict("   ", "All frameworks", api_name="/chat")
    assert "type a question" in notice.lower()
    assert app.alive()
    ok = api.predict("What is coherence making?", None, "", api_name="/ask")
    assert ok["answer"]


# ---- documents ------------------------------------------------------------------------------------------------
def test_status_reports_backend_library_model_and_version(api):
    from assistant import __version__

    text = api.predict(api_name="/status")
    assert "Quoted from the documents" in text and "all-MiniLM-L6-v2" in text and __version__ in text
    assert re.search(r"\d+ built-in framework documents? .*— [\d,]+ passages", text)
    for row in ("Your uploads", "Index location", "Index size", "Last index build", "Answer backend reachable"):
        assert row in text


def test_upload_pdf_then_remove_it(api, app):
    from gradio_client import handle_file

    before = documents(api)
    result, *_rest = api.predict([handle_file(str(PDFS / "pdflatex-4-pages.pdf"))], api_name="/upload")
    assert "1 file added" in result and "4 pages" in result, result
    rows = documents(api)
    assert len(rows) == len(before) + 1
    mine = [r for r in rows if r[5] == "Your upload"]
    assert len(mine) == 1 and str(mine[0][3]) == "4" and int(mine[0][2]) > 0
    assert (app.uploads_dir / "pdflatex-4-pages.pdf").exists()
    # Answers can cite it, with its page number.
    fw = mine[0][1]
    res = api.predict("What does the printed text look like?", None, fw, api_name="/ask")
    assert res["passages"] and all(p["page"] in (1, 2, 3, 4) for p in res["passages"])
    # Built-in framework documents can't be removed.
    msg, *_ = api.predict("leadership-system-rubric-txt", api_name="/remove")
    assert "built-in" in msg
    assert len(documents(api)) == len(rows)
    # Uploaded ones can: the passages and the file go.
    msg, *_ = api.predict("pdflatex-4-pages-pdf", api_name="/remove")
    assert msg.startswith("Removed"), msg
    assert documents(api) == before
    assert not (app.uploads_dir / "pdflatex-4-pages.pdf").exists()


def test_bad_uploads_get_reasons_and_leave_the_library_intact(api, app, tmp_path):
    from gradio_client import handle_file

    empty = tmp_path / "empty-notes.txt"
    empty.write_bytes(b"")
    exe = tmp_path / "setup.exe"
    exe.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    fake_pdf = tmp_path / "report.pdf"
    fake_pdf.write_text("this is plain text pretending to be a PDF", encoding="utf-8")
    good = tmp_path / "Our District Plan (2025).md"
    good.write_text("# Our district plan\n\nPrincipal supervisors meet every principal twice a month to review "
                    "walkthrough evidence and plan coaching.\n", encoding="utf-8")
    before = documents(api)

    bad = [PDFS / "libreoffice-writer-password.pdf", empty, exe, fake_pdf]
    result, *_ = api.predict([handle_file(str(p)) for p in bad], api_name="/upload")
    result = html.unescape(result)
    assert "could not be added" in result and "added" not in result.split("could not be added")[0]
    assert "encrypted" in result or "password" in result
    assert "empty" in result
    assert "unsupported file type '.exe'" in result.lower()
    assert "not a PDF" in result
    assert documents(api) == before
    assert not app.uploads_dir.exists() or not any(app.uploads_dir.iterdir())

    # Good files in a batch with a bad one are added; the bad one is reported; nothing else changes.
    import docx

    word = tmp_path / "Coaching Cycle.docx"
    d = docx.Document()
    d.add_heading("Coaching cycle", level=1)
    d.add_paragraph("Instructional coaches meet teachers weekly and review student work together.")
    d.save(str(word))
    result, *_ = api.predict([handle_file(str(good)), handle_file(str(word)), handle_file(str(exe))],
                             api_name="/upload")
    assert "2 files added" in result and "1 could not be added" in result, result
    after = documents(api)
    assert len(after) == len(before) + 2
    assert all(row in after for row in before)
    stored = sorted(p.name for p in app.uploads_dir.iterdir())
    assert stored == ["coaching-cycle.docx", "our-district-plan-2025.md"]  # safe names inside the uploads folder
    for doc_id in ("our-district-plan-2025-md", "coaching-cycle-docx"):
        msg, *_ = api.predict(doc_id, api_name="/remove")
        assert msg.startswith("Removed"), msg
    assert documents(api) == before


def test_upload_names_cannot_escape_the_uploads_folder(app, tmp_path):
    from assistant.ingest.uploads import sanitize_filename

    for name in ("../../etc/passwd.txt", "..\\..\\boot.ini.md", "/abs/path/x.pdf", "....pdf", "ñandú Ünïcode.docx",
                 "a" * 300 + ".txt", "CON.txt"):
        safe = sanitize_filename(name)
        assert "/" not in safe and "\\" not in safe and not safe.startswith(".")
        assert re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9]+)?", safe), safe
        assert (app.uploads_dir / safe).resolve().parent == app.uploads_dir.resolve()


# ---- sign-in --------------------------------------------------------------------------------------------------
def test_sign_in_protects_page_and_api(tmp_path_factory):
    base = tmp_path_factory.mktemp("app-auth")
    # The fake embedder keeps this second app light; sign-in does not depend on the model.
    proc = AppProcess(base, ASSISTANT_SERVER__AUTH="alice:wonder-land-42,bob:b0b-pass",
                      ASSISTANT_EMBEDDING__KIND="fake")
    from gradio_client import Client

    try:
        proc.start(wait_ready=False, timeout=120)
        with pytest.raises(Exception):
            Client(proc.url, verbose=False, download_files=False)
        with pytest.raises(Exception):
            Client(proc.url, auth=("alice", "wrong"), verbose=False, download_files=False)
        r = httpx.get(proc.url + "/gradio_api/info", timeout=10)
        assert r.status_code in (401, 403)
        r = httpx.post(proc.url + "/gradio_api/call/ask", json={"data": ["hi", None, ""]}, timeout=10)
        assert r.status_code in (401, 403)
        ok = Client(proc.url, auth=("alice", "wonder-land-42"), verbose=False, download_files=False)
        assert "/ask" in ok.view_api(print_info=False, return_format="dict")["named_endpoints"]
        cleared = ok.predict(api_name="/clear")
        assert cleared[0] == [] or cleared[0] is None
    finally:
        proc.stop()
    assert "sign-in required" in proc.log()


# ---- helpers --------------------------------------------------------------------------------------------------
def _export_text(export) -> str:
    path = export["value"] if isinstance(export, dict) else export
    return Path(path).read_text(encoding="utf-8")


def _messages(chat) -> list:
    return chat if isinstance(chat, list) else []


def _content(message: dict) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content or "")


def test_app_stops_cleanly(tmp_path_factory):
    """SIGTERM stops the server and its children (no stray listeners left behind)."""
    proc = AppProcess(tmp_path_factory.mktemp("app-stop"), ASSISTANT_EMBEDDING__KIND="fake")
    proc.start(wait_ready=False, timeout=120)
    pid = proc.proc.pid
    proc.stop()
    with pytest.raises(Exception):
        httpx.get(proc.url, timeout=3)
    assert not Path(f"/proc/{pid}").exists()


# ---- pure helpers (no app) ------------------------------------------------------------------------------------
def test_load_test_only_targets_this_computer():
    from evals.loadtest import check_url, main

    assert check_url("http://127.0.0.1:7860/") == "http://127.0.0.1:7860"
    assert check_url("http://localhost:9000") == "http://localhost:9000"
    for url in ("http://example.org:7860", "http://10.0.0.5:7860", "ftp://127.0.0.1"):
        with pytest.raises(ValueError):
            check_url(url)
    assert main(["--url", "http://example.org", "--seconds", "1"]) == 2
    assert main(["--users", "1000", "--seconds", "1"]) == 2


def test_streamed_tokens_show_progressively_then_the_cited_answer(tmp_path, monkeypatch, no_facilitation):
    """The chat handler with an engine whose stream() yields text tokens, then the final Answer."""
    from types import SimpleNamespace

    from assistant.app import tab_ask as ui_chat
    from assistant.config import load_settings
    from assistant.types import Answer, Chunk, Citation, Passage, SourceRef

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    from assistant.app import chat_view

    monkeypatch.setattr(chat_view.tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(ui_chat, "STREAM_MIN_INTERVAL", 0.0)
    chunk = Chunk("c1", "doc", "doc.txt", "UVA-PLE", 10, 40, "Leaders coach principals every week.",
                  section="Lever 2 › Condition 4", indicator="", level="", page=3)
    passage = Passage(chunk, 0.5, {"dense": 0.7, "bm25": 3.2})
    final = Answer("How often?", "Leaders coach principals every week. [1]",
                   [Citation(1, passage, SourceRef.in_chunk(chunk, 18, 46, "coach principals every week"))], [passage])
    seen = {}

    class Streaming:
        def stream(self, question, history=None, framework=None, k=None):
            seen.update(question=question, history=history, framework=framework)
            for token in ("Leaders ", "coach ", "principals"):
                yield token
            yield final

    answerer = Streaming()
    services = SimpleNamespace(settings=load_settings(), answerer=answerer, answerer_for=lambda user: answerer,
                               facilitator=no_facilitation)
    ctx = SimpleNamespace(ready=lambda: None)
    state = {"sid": None, "turns": [{"question": "Who coaches?", "answer": {"answer": "Supervisors. [1]"}}]}
    updates = list(ui_chat.respond(services, ctx, "How often?", state, "UVA-PLE"))
    streamed = [u[0][-1]["content"] for u in updates[1:-1]]
    assert streamed[-1].startswith("Leaders coach principals") and len(streamed) == 3
    chat, box, sources, why, notice, export, _examples, new_state = updates[-1]
    assert '<a href="#src-2-1"' in chat[-1]["content"]
    assert 'id="src-2-1"' in sources and "<mark>coach principals every week</mark>" in sources
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", sources))
    assert "Page 3" in shown and "Lever 2 › Condition 4" in shown
    assert seen["framework"] == "UVA-PLE" and seen["history"][0] == {"role": "user", "content": "Who coaches?"}
    assert new_state["sid"] and len(new_state["turns"]) == 2
    assert Path(export["value"]).read_text(encoding="utf-8").count("## ") == 2


def test_a_facilitator_error_is_reported_not_hidden(capsys):
    """A bug in the chat's facilitation step reaches the chat's error path: the person is told something went wrong,
    the traceback is logged, and no ordinary answer papers over it."""
    from types import SimpleNamespace

    from assistant.app import tab_ask as ui_chat
    from assistant.config import load_settings

    asked = []

    class Broken:
        def facilitate(self, message, session=None, key=None):
            raise KeyError("facilitator bug")

    class Answerer:
        def answer(self, question, history=None, framework=None, k=None):
            asked.append(question)

    services = SimpleNamespace(settings=load_settings(), answerer_for=lambda user: Answerer(), facilitator=Broken())
    ctx = SimpleNamespace(ready=lambda: None)
    updates = list(ui_chat.respond(services, ctx, "help us write a theory of action", ui_chat.new_session(),
                                   ui_chat.ALL, "page-1"))
    chat, box, _sources, _why, notice, _export, _examples, state = updates[-1]
    assert "something went wrong" in notice and "KeyError" not in notice  # the error's type goes to the log
    assert box == "help us write a theory of action" and chat == [] and state["turns"] == []
    assert asked == []
    assert "facilitator bug" in capsys.readouterr().err
