"""A per-browser routing cookie for a reverse proxy in front of several workers: the proxy hashes it, so every
request of one page (queue join and its event stream, uploads) reaches the worker that holds that page's state."""

from __future__ import annotations

import secrets

COOKIE = "assistant_route"


class RouteCookie:
    """ASGI middleware: sets `assistant_route=<random>` on responses to browsers that do not send one yet."""

    def __init__(self, app, path: str = "/"):
        self.app = app
        self.path = path or "/"

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or _has_cookie(scope):
            await self.app(scope, receive, send)
            return
        cookie = (f"{COOKIE}={secrets.token_urlsafe(12)}; Path={self.path}; HttpOnly; SameSite=Lax; "
                  "Max-Age=31536000").encode("ascii")

        async def send_with_cookie(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", cookie)]}
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _has_cookie(scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"cookie" and f"{COOKIE}=".encode("ascii") in value:
            return True
    return False
