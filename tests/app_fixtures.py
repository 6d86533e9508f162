"""Run the real web app (app.py) as a subprocess for API and browser tests; stop its whole process group after.

Each app gets its own temporary HOME, caches, Gradio temp folder, index folder (a copy of a ready index, so start-up
only loads the model) and uploads folder. Only loopback addresses are used. The app logs at DEBUG into `app.log` in
its folder (kept across restarts); a failed test that used it shows the end of that log (conftest.py).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PDFS = ROOT / "tests" / "fixtures" / "pdfs"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_env(base: Path, **settings: str) -> dict[str, str]:
    """A clean environment for the app: private HOME/caches/temp, no inherited ASSISTANT_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "GRADIO_"))}
    home = base / "home"
    for sub in ("", ".cache", ".config", "tmp", "gradio"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    env.update({
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "MPLCONFIGDIR": str(home / ".mpl"),
        "HF_HOME": str(home / ".hf"),
        "TORCH_HOME": str(home / ".torch"),
        "TMPDIR": str(home / "tmp"),
        "GRADIO_TEMP_DIR": str(home / "gradio"),
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
        "ASSISTANT_INDEX__DIR": str(base / "index"),
        "ASSISTANT_SESSIONS__DIR": str(base / "sessions"),
        "ASSISTANT_CORPUS__UPLOADS_DIR": str(base / "uploads"),
        "ASSISTANT_FEEDBACK__DIR": str(base / "feedback"),
        "ASSISTANT_LOG_LEVEL": "DEBUG",  # e.g. one line per Theory of action save, for a failure to explain itself
    })
    env.update(settings)
    return env


class AppProcess:
    """`python app.py` on a free loopback port; `start()` waits for the page (and, by default, for "Ready")."""

    def __init__(self, base: Path, index_from: Path | None = None, **settings: str):
        self.base = Path(base)
        self.base.mkdir(parents=True, exist_ok=True)
        if index_from is not None and not (self.base / "index").exists():
            shutil.copytree(index_from, self.base / "index")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = app_env(self.base, **settings)
        self.log_path = self.base / "app.log"
        self.proc: subprocess.Popen | None = None
        self.page_seconds: float | None = None
        self.ready_seconds: float | None = None

    @property
    def uploads_dir(self) -> Path:
        return self.base / "uploads"

    def log(self, since: int = 0) -> str:
        """What the app wrote (both streams, every start), from byte `since` on."""
        try:
            with open(self.log_path, "rb") as f:
                f.seek(since)
                return f.read().decode("utf-8", errors="replace").replace("\r", "\n")
        except OSError:
            return ""

    def tail(self, lines: int = 300) -> str:
        """The log's last `lines` lines (for a failed test's report)."""
        return "\n".join(self.log().splitlines()[-lines:])

    def start(self, timeout: float = 300.0, wait_ready: bool = True) -> "AppProcess":
        t0 = time.perf_counter()
        since = self.log_path.stat().st_size if self.log_path.exists() else 0  # a restart appends to the log
        log = open(self.log_path, "a", encoding="utf-8")
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(self.port)],
                                     cwd=str(self.base), env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        log.close()
        deadline = t0 + timeout
        while time.perf_counter() < deadline:
            text = self.log(since)
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited with code {self.proc.returncode}:\n{text[-4000:]}")
            if self.page_seconds is None and "Open http" in text:
                self.page_seconds = time.perf_counter() - t0
            if "error: the assistant could not prepare" in text:
                raise RuntimeError(f"the app failed to prepare:\n{text[-4000:]}")
            if self.page_seconds is not None and (not wait_ready or "\nReady:" in "\n" + text):
                if wait_ready:
                    self.ready_seconds = time.perf_counter() - t0
                return self
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"the app did not start within {timeout:.0f} s:\n{self.log(since)[-4000:]}")

    def stop(self) -> None:
        """SIGTERM to the app's process group, then SIGKILL if it lingers."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=10)
        self.proc = None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


def client(url: str, download_dir: Path, auth: tuple[str, str] | None = None):
    """A gradio_client Client (one browser-like session) that saves downloads under `download_dir`."""
    from gradio_client import Client

    download_dir.mkdir(parents=True, exist_ok=True)
    return Client(url, auth=auth, verbose=False, download_files=str(download_dir))


def chromium_path() -> str | None:
    for p in ("/usr/lib/chromium/chromium", "/usr/bin/chromium"):
        if Path(p).exists():
            return p
    return None


CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


@contextmanager
def launched_chromium():
    """Headless Debian chromium under Playwright (loopback only), closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def running_app(tmp_path_factory, name: str, real_index_dir: Path):
    """A started app over a copy of the session's real index, stopped (with its children) afterwards."""
    proc = AppProcess(tmp_path_factory.mktemp(name), index_from=real_index_dir / "index")
    try:
        proc.start()
        yield proc
    finally:
        proc.stop()
