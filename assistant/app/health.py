"""`GET /healthz` for load balancers and service managers: JSON saying whether this worker can answer (200) or
not yet / not any more (503). It answers before sign-in and before the page, and reveals no content."""

from __future__ import annotations

import json
from typing import Callable


class HealthCheck:
    """ASGI middleware answering GET/HEAD /healthz (also under the root path) from `readiness` and `probe`.

    `probe()` checks the index is reachable (e.g. a Chroma server) and returns facts to show; it raises when not."""

    def __init__(self, app, readiness, probe: Callable[[], dict], root_path: str = ""):
        self.app = app
        self.readiness = readiness
        self.probe = probe
        prefix = root_path.rstrip("/") if root_path.startswith("/") else ""
        self.paths = {"/healthz", f"{prefix}/healthz"}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("path") not in self.paths or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        status, body = self.report()
        data = json.dumps(body).encode("utf-8")
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"cache-control", b"no-store"),
                                (b"content-length", str(len(data)).encode("ascii"))]})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else data})

    def report(self) -> tuple[int, dict]:
        """(HTTP status, JSON body): 200 when the worker is ready and its index answers, else 503."""
        r = self.readiness
        if r.error:
            return 503, {"ready": False, "status": "failed", "detail": r.error}
        if not r.is_ready:
            return 503, {"ready": False, "status": "starting", "detail": r.stage}
        try:
            facts = self.probe()
        except Exception as exc:  # the index server went away after start-up: not ready, say why
            return 503, {"ready": False, "status": "index unavailable", "detail": f"{type(exc).__name__}: {exc}"}
        return 200, {"ready": True, "status": "ready", **facts}
