"""HTTP hardening around the Gradio app (an ASGI middleware): with sign-in on, every API route requires it (Gradio
leaves a few open, such as /gradio_api/cancel and /reset); failed sign-ins are throttled per client; every response
carries headers that forbid framing and remote content."""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from http.cookies import SimpleCookie

API = "/gradio_api/"
# What the sign-in page itself needs before anyone is signed in.
OPEN_API = frozenset({"login_check", "login_check/", "token", "token/", "app_id", "app_id/", "user", "user/",
                      "startup-events", "startup-events/"})  # the last is called by Gradio itself at launch
LOGIN = frozenset({"/login", "/login/"})

# The page is served and talks only to this computer; it may not be framed, and fetches nothing from elsewhere.
SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data: blob:; media-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
     b"worker-src 'self' blob:; frame-src 'self' blob:; frame-ancestors 'none'; object-src 'none'; base-uri 'self'; "
     b"form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


class SignInThrottle:
    """At most `attempts` failed (or pending) sign-ins per client within `window_s` seconds; thread-safe, bounded."""

    def __init__(self, attempts: int = 5, window_s: float = 60.0, clients: int = 10_000):
        self.attempts = attempts
        self.window_s = window_s
        self.clients = clients
        self._tries: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def begin(self, client: str, now: float | None = None) -> float:
        """0 when this client may try now (the attempt is counted), else the seconds to wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tries = [t for t in self._tries.get(client, []) if now - t < self.window_s]
            if len(tries) >= self.attempts:
                self._tries[client] = tries
                return max(1.0, tries[0] + self.window_s - now)
            tries.append(now)
            self._tries[client] = tries
            self._tries.move_to_end(client)
            while len(self._tries) > self.clients:
                self._tries.popitem(last=False)
            return 0.0

    def succeeded(self, client: str) -> None:
        """A correct sign-in clears the client's count."""
        with self._lock:
            self._tries.pop(client, None)


class HttpGuard:
    """ASGI middleware: sign-in on every API route, throttled sign-in, security headers (see module docstring)."""

    def __init__(self, app, throttle: SignInThrottle | None = None):
        self.app = app
        self.throttle = throttle

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": _merge(message.get("headers", []), SECURITY_HEADERS)}
            await send(message)

        path = scope.get("path", "")
        gradio = scope.get("app")
        auth_on = gradio is not None and (getattr(gradio, "auth", None) is not None
                                          or getattr(gradio, "auth_dependency", None) is not None)
        if auth_on and path.startswith(API) and path[len(API):] not in OPEN_API and not _signed_in(scope, gradio):
            await _reply(send_with_headers, 401, {"detail": "Not authenticated: sign in first."})
            return
        if auth_on and self.throttle is not None and path in LOGIN and scope.get("method") == "POST":
            await self._login(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    async def _login(self, scope, receive, send) -> None:
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self.throttle.begin(client)
        if wait:
            await _reply(send, 429, {"detail": f"Too many failed sign-ins from this computer; try again in "
                                               f"{wait:.0f} seconds."}, [(b"retry-after", str(int(wait)).encode())])
            return
        status = {}

        async def watch(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        await self.app(scope, receive, watch)
        if status.get("code") == 200:
            self.throttle.succeeded(client)


def request_user(request) -> str | None:
    """The signed-in user behind a Gradio request (None without sign-in). Gradio fills `username` for queued
    events only; a component's server function gets the bare HTTP request, so its sign-in cookie is read."""
    name = getattr(request, "username", None) if request is not None else None
    if name:
        return name
    raw = getattr(request, "request", None) or request  # a gr.Request wraps the HTTP request; or it is one
    try:
        app = raw.app
    except (AttributeError, AssertionError):  # starlette asserts that the request carries its app
        return None
    if app is None:
        return None
    cookie_id = getattr(app, "cookie_id", "")
    tokens = getattr(app, "tokens", {}) or {}
    for cookie in (f"access-token-{cookie_id}", f"access-token-unsecure-{cookie_id}"):
        token = raw.cookies.get(cookie)
        if token and tokens.get(token):
            return tokens[token]
    return None


def _signed_in(scope, gradio) -> bool:
    cookies = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                cookies.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header: treated as no cookie
                continue
    cookie_id = getattr(gradio, "cookie_id", "")
    tokens = getattr(gradio, "tokens", {}) or {}
    for name in (f"access-token-{cookie_id}", f"access-token-unsecure-{cookie_id}"):
        morsel = cookies.get(name)
        if morsel is not None and tokens.get(morsel.value) is not None:
            return True
    return False


def _merge(headers, extra) -> list:
    have = {k.lower() for k, _ in headers}
    return list(headers) + [(k, v) for k, v in extra if k not in have]


async def _reply(send, status: int, body: dict, headers: list | None = None) -> None:
    data = json.dumps(body).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": data})
