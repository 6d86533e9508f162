"""The running app with sign-in on, attacked through its API from this computer: uploads belong to their owner,
bad input gets messages, every API route needs sign-in, sign-in is throttled, framing and remote content are
forbidden, refusals still carry the conversation, and an upload leaves no copy behind in Gradio's cache.

One app process (fake embedder: light; ownership and validation do not depend on the model) serves the module.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from app_fixtures import AppProcess, client

pytestmark = pytest.mark.integration

USERS = {"alice": "wonder-land-42", "bob": "b0b-pass-77"}
SECRET = ("# Zanzibar budget\n\nThe Zanzibar coaching initiative spends forty thousand dollars on instructional coaches "
          "for every middle school next year, according to Alice's private budget plan.\n")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    proc = AppProcess(tmp_path_factory.mktemp("app-hardening"), ASSISTANT_EMBEDDING__KIND="fake",
                      ASSISTANT_SERVER__AUTH=",".join(f"{u}:{p}" for u, p in USERS.items()),
                      ASSISTANT_SERVER__SIGNIN_ATTEMPTS="4", ASSISTANT_SERVER__SIGNIN_WINDOW_S="3")
    try:
        proc.start(timeout=300)
        yield proc
    finally:
        proc.stop()


def as_user(app, name: str, tmp_path: Path):
    return client(app.url, tmp_path / name, auth=(name, USERS[name]))


def test_an_upload_is_invisible_to_another_user(app, tmp_path):
    alice, bob = as_user(app, "alice", tmp_path), as_user(app, "bob", tmp_path)
    from gradio_client import handle_file

    src = tmp_path / "budget.md"
    src.write_text(SECRET)
    result, *_ = alice.predict([handle_file(str(src))], api_name="/upload")
    assert 'data-status="added"' in result, result
    mine = alice.predict(api_name="/documents")
    theirs = bob.predict(api_name="/documents")
    assert any(row[0] == "Zanzibar budget" for row in mine[0]["data"])
    assert not any(row[0] == "Zanzibar budget" for row in theirs[0]["data"])
    question = "How much does the Zanzibar coaching initiative spend on coaches?"
    got = alice.predict(question, None, "", api_name="/ask")
    assert any("Zanzibar" in (p.get("text") or "") for p in got["passages"])
    got = bob.predict(question, None, "", api_name="/ask")
    assert not any("Zanzibar" in json.dumps(p) for p in got["passages"] + got["citations"] + got.get("related", []))
    doc_id = next(v for _label, v in mine[2]["choices"] if "budget" in v) if isinstance(mine[2], dict) else None
    for key in filter(None, (doc_id, "budget.md", "Zanzibar budget")):
        message, *_ = bob.predict(key, api_name="/remove")
        assert "not in the library" in message
    assert any(row[0] == "Zanzibar budget" for row in alice.predict(api_name="/documents")[0]["data"])
    assert "Zanzibar" not in bob.predict(api_name="/status") and "Zanzibar" in alice.predict(api_name="/status")
    # Nothing of the upload stays in Gradio's cache (where a URL could fetch it).
    cached = [p for p in (app.base / "home" / "gradio").rglob("*") if p.is_file()]
    assert not [p for p in cached if "Zanzibar" in p.read_text(errors="ignore")], cached


BAD_ASK = [
    (["hi", "earlier we spoke", ""], "history must be a list of"),
    (["hi", [1, 2], ""], "History message 1 must be an object"),
    ([5, None, ""], "question must be text, not a number"),
    (["What is a theory of action?", None, "Danielson"], "Unknown framework"),
]


@pytest.mark.parametrize("args,message", BAD_ASK)
def test_bad_api_input_gets_a_message(app, tmp_path, args, message):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match=message):
        as_user(app, "alice", tmp_path).predict(*args, api_name="/ask")


def test_a_lone_surrogate_gets_a_message_not_a_traceback(app, tmp_path):
    api = as_user(app, "alice", tmp_path)
    cookies = api.cookies
    body = '{"data": ["coaching \\ud800 plans", null, ""]}'  # a JSON escape no client library would send
    r = httpx.post(f"{app.url}/gradio_api/call/ask", content=body, cookies=cookies,
                   headers={"content-type": "application/json"}, timeout=30)
    assert r.status_code == 200, r.text
    event = r.json()["event_id"]
    stream = httpx.get(f"{app.url}/gradio_api/call/ask/{event}", cookies=cookies, timeout=60).text
    assert "event: error" in stream and "unpaired surrogate" in stream, stream


def test_a_refusal_in_the_chat_still_carries_the_conversation(app, tmp_path):
    chat, box, _sources, _why, notice, *_ = as_user(app, "alice", tmp_path).predict("   ", "All frameworks",
                                                                                     api_name="/chat")
    assert isinstance(chat, list) and "Please type a question" in notice


def test_every_api_route_needs_sign_in_and_headers_forbid_framing(app):
    for path in ("/gradio_api/cancel", "/gradio_api/reset"):
        r = httpx.post(app.url + path, json={"session_hash": "x", "fn_index": 0, "event_id": "y"}, timeout=10)
        assert r.status_code == 401, (path, r.status_code, r.text)
    page = httpx.get(app.url + "/", timeout=10)
    assert page.headers["x-frame-options"] == "DENY"
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "img-src 'self' data: blob:" in csp


def test_sign_in_is_throttled(app):
    codes = [httpx.post(app.url + "/login", data={"username": "alice", "password": f"guess-{i}"}, timeout=10)
             .status_code for i in range(8)]
    assert codes[:4] == [400] * 4 and set(codes[4:]) == {429}, codes
    right = {"username": "alice", "password": USERS["alice"]}
    assert httpx.post(app.url + "/login", data=right, timeout=10).status_code == 429
    time.sleep(3.2)  # the window (ASSISTANT_SERVER__SIGNIN_WINDOW_S) passes
    assert httpx.post(app.url + "/login", data=right, timeout=10).status_code == 200
