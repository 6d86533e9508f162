"""Start the web app: settings and services, the Gradio page (loopback by default), then the library in the background.

Start-up order (so the page is usable within seconds):
1. parse ``--host/--port`` (they override ASSISTANT_HOST / ASSISTANT_PORT / ASSISTANT_SERVER__*), build services
   (adapters are lazy: nothing heavy is imported yet);
2. build and launch the Gradio app — queue with ``settings.server.concurrency`` / ``max_queue``, optional sign-in
   from ``settings.server.auth`` ("user:pw,user2:pw2") or ``settings.server.users_file`` (one ``user:scrypt$…`` line
   per person, see users_file.py); with sign-in on, both the page and the API refuse unauthenticated requests;
   ``settings.server.root_path`` serves it under a path prefix behind a reverse proxy, and ``/healthz`` says whether
   this worker is ready (see health.py);
3. in a background thread: load the search model, build the index on first start (progress bar in the terminal and
   a notice on the page), warm the retriever; then print "Ready: …". Questions asked before that wait for it.
"""

from __future__ import annotations

import argparse
import ipaddress
import signal
import sys
import threading
import time
import traceback

from assistant.app.users_file import AuthConfigError, auth_checker, load_credentials

START = time.perf_counter()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="app.py", description="District Leadership Assistant (web app).")
    p.add_argument("--host", default=None,
                   help="address to listen on (default 127.0.0.1: this computer only; env ASSISTANT_HOST)")
    p.add_argument("--port", type=int, default=None, help="port (default 7860; env ASSISTANT_PORT)")
    return p.parse_args(argv)


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# ---- behind a reverse proxy -----------------------------------------------------------------------------------
def proxy_root_path(value: str) -> str:
    """The path prefix the proxy serves the app under ('/assistant'), '' for none, or a full public URL."""
    value = (value or "").strip()
    if not value or value == "/":
        return ""
    if value.startswith(("http://", "https://")):
        return value.rstrip("/")
    if not value.startswith("/") or any(c in value for c in " ?#\\"):
        raise ValueError(f"ASSISTANT_SERVER__ROOT_PATH must be a path such as /assistant, not {value!r}")
    return value.rstrip("/")


def middleware(services, readiness) -> list:
    """What runs before the page on every request: /healthz first (no sign-in, never throttled), the proxy's routing
    cookie, then the HTTP guard (sign-in throttle and request checks)."""
    from urllib.parse import urlparse

    from starlette.middleware import Middleware

    from assistant.app.affinity import RouteCookie
    from assistant.app.health import HealthCheck
    from assistant.app.http_guard import HttpGuard

    def probe() -> dict:
        store = services.store
        return {"generation": store.generation, "documents": len(store.documents())}

    root = proxy_root_path(services.settings.server.root_path)
    cookie_path = urlparse(root).path or "/"  # the prefix, also when the root is given as a full URL
    return [Middleware(HealthCheck, readiness=readiness, probe=probe, root_path=cookie_path.rstrip("/")),
            Middleware(RouteCookie, path=cookie_path), Middleware(HttpGuard, throttle=services.signin_throttle)]


# ---- background preparation ----------------------------------------------------------------------------------
def _progress(readiness):
    from assistant.wiring import terminal_progress

    bar = terminal_progress()

    def update(stage: str, done: int, total: int) -> None:
        bar(stage, done, total)
        unit = "passages" if stage == "embedding" else stage
        readiness.set_stage(f"Building the library index for the first time: {done} of {total} {unit}.")

    return update


def prepare(services, readiness) -> None:
    """Load the model, build the index when missing, warm retrieval; report on the terminal and the page."""
    t0 = time.perf_counter()
    try:
        readiness.set_stage("Loading the search model (on first start it is prepared once, about 15 seconds)…")
        report = services.ensure_index(progress=_progress(readiness))
        if report is not None:
            print(f"Index built: {report.summary()}", flush=True)
        readiness.set_stage("Warming up the search…")
        services.retriever.search("district theory of action", k=3)
        answerer = services.answerer
        if services.settings.answer.backend == "extractive":
            try:
                answerer.answer("What is a theory of action?")
            except Exception as exc:  # warm-up only: the first real question will report properly
                print(f"warning: warm-up answer failed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        docs = services.store.documents()
        readiness.set_ready()
        print(f"Ready: {len(docs)} documents, {sum(d.chunks for d in docs):,} passages; "
              f"answers: {services.settings.answer.backend}; search model loaded in "
              f"{time.perf_counter() - t0:.1f} s ({time.perf_counter() - START:.1f} s after start).", flush=True)
    except Exception as exc:
        from assistant.index.embeddings import EmbeddingUnavailable

        if not isinstance(exc, (EmbeddingUnavailable, OSError, ValueError)):
            traceback.print_exc(file=sys.stderr)
        message = str(exc) if isinstance(exc, EmbeddingUnavailable) else f"{type(exc).__name__}: {exc}"
        readiness.set_failed(message)
        print(f"error: the assistant could not prepare its library: {message}", file=sys.stderr, flush=True)


# ---- main -----------------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from assistant.offline import enforce_offline

    enforce_offline()  # before gradio (analytics) and any model library is imported
    from assistant.config import load_settings

    settings = load_settings()
    from assistant.logs import configure

    configure(settings.log_level)
    if args.host:
        settings.server.host = args.host
    if args.port:
        settings.server.port = args.port
    server = settings.server
    try:
        credentials = load_credentials(server)
        root_path = proxy_root_path(server.root_path)
    except (AuthConfigError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not is_loopback(server.host) and not credentials:
        print(f"warning: listening on {server.host} without sign-in: anyone who can reach this computer can use the "
              "assistant and change its library. Set ASSISTANT_SERVER__AUTH=user:password to require sign-in.",
              file=sys.stderr, flush=True)

    print("Starting the District Leadership Assistant…", flush=True)
    from assistant.wiring import build

    services = build(settings)
    from assistant.app import shell as ui

    readiness = ui.Readiness()
    readiness.started = time.time() - (time.perf_counter() - START)
    demo = ui.build_app(services, readiness)
    demo.queue(default_concurrency_limit=max(1, server.concurrency), max_size=max(1, server.max_queue))
    max_upload_mb = int(settings.corpus.max_file_mb * 2) + 1  # larger uploads are refused before they are stored
    try:
        demo.launch(
            server_name=server.host, server_port=server.port, share=False, inbrowser=False, quiet=True,
            prevent_thread_lock=True, show_error=False, ssr_mode=False, pwa=False, mcp_server=False,
            enable_monitoring=False, max_file_size=f"{max_upload_mb}mb",
            auth=auth_checker(credentials) if credentials else None,
            auth_message="Sign in to the District Leadership Assistant." if credentials else None,
            footer_links=["api"], root_path=root_path, app_kwargs={"middleware": middleware(services, readiness)},
            **ui.launch_options())
    except OSError as exc:
        print(f"error: cannot listen on {server.host}:{server.port} ({exc}). Is another copy running? "
              "Choose another port with --port or ASSISTANT_PORT.", file=sys.stderr)
        return 1
    host = "127.0.0.1" if server.host in ("0.0.0.0", "") else server.host
    url = f"http://{'[' + host + ']' if ':' in host else host}:{server.port}"
    behind = f"; served to browsers under {root_path} by the reverse proxy" if root_path else ""
    print(f"Open {url} in your browser (page up in {time.perf_counter() - START:.1f} s"
          f"{'; sign-in required' if credentials else ''}{behind}; health: {url}/healthz). Press Ctrl+C to stop.",
          flush=True)

    threading.Thread(target=prepare, args=(services, readiness), name="prepare", daemon=True).start()

    def stop(signum, frame):  # SIGTERM behaves like Ctrl+C: close the server cleanly
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        while True:
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("Stopping…", flush=True)
    finally:
        try:
            demo.close()
        except Exception:
            pass
    return 0
