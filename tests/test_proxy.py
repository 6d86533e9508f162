"""Behind a reverse proxy: /healthz says ready or not (200/503, JSON, no sign-in), the routing cookie a proxy hashes
to keep one browser on one worker, and the real app served under a path prefix through a real HTTP proxy."""

from __future__ import annotations

import asyncio
import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import httpx
import pytest

from app_fixtures import AppProcess, free_port
from assistant.app.affinity import COOKIE, RouteCookie
from assistant.app.health import HealthCheck
from assistant.app.server import proxy_root_path


def call(app, path: str, method: str = "GET", headers=()):
    """Run one HTTP request through an ASGI app; (status, headers, body)."""
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "path": path, "method": method, "headers": list(headers)}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], dict(start["headers"]), body


async def page(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
    await send({"type": "http.response.body", "body": b"the page"})


def readiness(ready=False, error=None, stage="Loading the search model"):
    return SimpleNamespace(is_ready=ready, error=error, stage=stage)


def broken_probe():
    raise ConnectionError("Chroma server at http://10.0.0.9:8000 refused the connection")


@pytest.mark.parametrize("state, probe, status, expected", [
    (readiness(), dict, 503, {"ready": False, "status": "starting", "detail": "Loading the search model"}),
    (readiness(error="the model package is missing"), dict, 503,
     {"ready": False, "status": "failed", "detail": "the model package is missing"}),
    (readiness(ready=True), broken_probe, 503, {"ready": False, "status": "index unavailable"}),
    (readiness(ready=True), lambda: {"generation": "gen-1", "documents": 5}, 200,
     {"ready": True, "status": "ready", "generation": "gen-1", "documents": 5}),
])
def test_healthz_says_ready_or_not(state, probe, status, expected):
    app = HealthCheck(page, readiness=state, probe=probe, root_path="/assistant")
    for path in ("/healthz", "/assistant/healthz"):
        got_status, headers, body = call(app, path)
        assert got_status == status
        assert headers[b"content-type"] == b"application/json"
        data = json.loads(body)
        assert {k: data[k] for k in expected} == expected
    assert call(app, "/")[2] == b"the page", "everything else reaches the app"
    assert call(app, "/healthz", method="POST")[2] == b"the page"


def test_route_cookie_is_set_once_per_browser():
    app = RouteCookie(page, path="/assistant")
    _s, headers, _b = call(app, "/")
    cookie = headers[b"set-cookie"].decode()
    assert cookie.startswith(f"{COOKIE}=") and "Path=/assistant" in cookie and "HttpOnly" in cookie
    _s, again, _b = call(app, "/config", headers=[(b"cookie", f"{COOKIE}=abc; other=1".encode())])
    assert b"set-cookie" not in again


@pytest.mark.parametrize("value, expected", [("", ""), ("/", ""), ("/assistant", "/assistant"),
                                             ("/district/assistant/", "/district/assistant"),
                                             ("https://example.org/assistant/", "https://example.org/assistant")])
def test_root_path_values(value, expected):
    assert proxy_root_path(value) == expected


@pytest.mark.parametrize("value", ["assistant", "/a b", "/a?b=1"])
def test_bad_root_paths_are_refused(value):
    with pytest.raises(ValueError):
        proxy_root_path(value)


# ---- the real app behind a real HTTP proxy ----------------------------------------------------------------------
HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection", "upgrade"}


def prefix_proxy(prefix: str, upstream_port: int) -> ThreadingHTTPServer:
    """What nginx's `location /prefix/ { proxy_pass http://upstream/; }` does: strip the prefix, add the
    X-Forwarded-* headers, stream the answer back (server-sent events included)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # the answer ends when the connection closes: no re-chunking

        def log_message(self, *args):
            pass

        def _forward(self):
            if not self.path.startswith(prefix + "/"):
                self.send_error(404)
                return
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
            headers.update({"X-Forwarded-Host": self.headers.get("Host", ""), "X-Forwarded-Proto": "http"})
            conn = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=120)
            conn.request(self.command, self.path[len(prefix):], body=body or None, headers=headers)
            resp = conn.getresponse()
            self.send_response(resp.status)
            for k, v in resp.getheaders():
                if k.lower() not in HOP:
                    self.send_header(k, v)
            self.end_headers()
            while chunk := resp.read1(65536):
                self.wfile.write(chunk)
                self.wfile.flush()
            conn.close()

        do_GET = do_POST = do_HEAD = _forward

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def proxied_app(tmp_path_factory):
    proc = AppProcess(tmp_path_factory.mktemp("proxied"), ASSISTANT_EMBEDDING__KIND="fake",
                      ASSISTANT_SERVER__ROOT_PATH="/assistant")
    proxy = None
    try:
        proc.start(timeout=180)
        proxy = prefix_proxy("/assistant", proc.port)
        yield proc, f"http://127.0.0.1:{proxy.server_address[1]}/assistant"
    finally:
        if proxy is not None:
            proxy.shutdown()
            proxy.server_close()
        proc.stop()


def test_healthz_on_the_worker_and_through_the_proxy(proxied_app):
    proc, public = proxied_app
    for url in (proc.url + "/healthz", public + "/healthz"):
        r = httpx.get(url, timeout=10)
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        data = r.json()
        assert data["ready"] is True and data["documents"] == 5 and data["generation"].startswith("gen-")


def test_the_page_and_the_api_work_under_the_prefix(proxied_app, tmp_path):
    from gradio_client import Client

    _proc, public = proxied_app
    page = httpx.get(public + "/", timeout=20)
    assert page.status_code == 200 and "<html" in page.text.lower()
    assert f"{COOKIE}=" in page.headers.get("set-cookie", "")
    config = httpx.get(public + "/config", timeout=20).json()
    assert config["root"].endswith("/assistant"), "the page asks for its scripts and API under the prefix"
    api = Client(public + "/", verbose=False, download_files=str(tmp_path))
    res = api.predict("What is coherence making?", None, "", api_name="/ask")
    assert res["answer"].strip() and res["citations"]
