"""A real Chroma server for tests: `chroma run` (the CLI the chromadb package installs next to this Python) on a
free loopback port with a temporary data folder; started, waited for (heartbeat) and stopped by PID."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from app_fixtures import free_port


def _die_with_parent() -> None:
    """In the child: ask Linux to stop the server if the test process dies without cleaning up (a killed run)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # elsewhere the fixture's own stop() is the only clean-up


class ChromaServer:
    """`chroma run --path DIR --host 127.0.0.1 --port N` as a subprocess in its own process group."""

    def __init__(self, base: Path):
        self.base = Path(base)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> "ChromaServer":
        chroma = Path(sys.executable).parent / "chroma"
        home = self.base / "home"
        home.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "HOME": str(home), "ANONYMIZED_TELEMETRY": "False"}
        log = open(self.base / "chroma.log", "w", encoding="utf-8")
        self.proc = subprocess.Popen([str(chroma), "run", "--path", str(self.base / "data"), "--host", "127.0.0.1",
                                      "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT, env=env,
                                     cwd=str(self.base), start_new_session=True, preexec_fn=_die_with_parent)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chroma exited with {self.proc.returncode}: {self.log()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"chroma did not answer its heartbeat within {timeout:.0f} s: {self.log()[-2000:]}")

    def log(self) -> str:
        try:
            return (self.base / "chroma.log").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
            except ProcessLookupError:
                pass
        self.proc = None

    def client(self):
        import chromadb
        from chromadb.config import Settings

        return chromadb.HttpClient(host="127.0.0.1", port=self.port, settings=Settings(anonymized_telemetry=False))

    def collections(self) -> dict[str, int]:
        """Every collection on the server with its record count."""
        c = self.client()
        return {col.name: c.get_collection(col.name, embedding_function=None).count() for col in c.list_collections()}
