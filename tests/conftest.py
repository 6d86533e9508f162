"""Shared fixtures: an isolated HOME, fake and real service trees, and the real index built once per session."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"
PDFS = FIXTURES / "pdfs"

# Tests never touch the real home directory: libraries (chroma, hf, matplotlib) write caches under $HOME.
_HOME = Path(tempfile.mkdtemp(prefix="assistant-test-home-"))
os.environ["HOME"] = str(_HOME)
os.environ["XDG_CACHE_HOME"] = str(_HOME / ".cache")
os.environ["MPLCONFIGDIR"] = str(_HOME / ".mpl")
os.environ["HF_HOME"] = str(_HOME / ".hf")
for key in [k for k in os.environ if k.startswith("ASSISTANT_")]:
    del os.environ[key]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.offline import enforce_offline  # noqa: E402

enforce_offline()


class CorpusTexts:
    """DocumentTexts without an index: each corpus file's text as the loader reads it (what the index would store)."""

    def __init__(self, corpus: Path = CORPUS):
        self.corpus = corpus

    def document_text(self, doc_id: str) -> str | None:
        from assistant.ingest.loaders import doc_id_for, load_file

        path = next((p for p in sorted(self.corpus.iterdir()) if doc_id_for(p.name) == doc_id), None)
        return load_file(path).text if path is not None else None


def make_settings(tmp: Path, *, fake: bool, corpus: Path = CORPUS):
    """Settings with a private index and uploads folder; `fake` selects the hashed embedder, else the served one
    (the ONNX export, cached in the index folder: copies of the index carry it)."""
    from assistant.config import load_settings

    return load_settings(
        corpus={"dir": corpus, "uploads_dir": tmp / "uploads"},
        index={"dir": tmp / "index"},
        embedding={"kind": "fake" if fake else "onnx"},
        feedback={"dir": tmp / "feedback"},
        sessions={"dir": tmp / "sessions"},
    )


@pytest.fixture
def fake_services(tmp_path):
    """Services over the real corpus with the deterministic fake embedder and a fresh index."""
    from assistant.wiring import build

    services = build(make_settings(tmp_path, fake=True))
    services.ensure_index()
    return services


@pytest.fixture(scope="session")
def real_index_dir(tmp_path_factory) -> Path:
    """A folder holding the real corpus index (real model, real Chroma), built once per session."""
    from assistant.wiring import build

    tmp = tmp_path_factory.mktemp("real")
    services = build(make_settings(tmp, fake=False))
    services.ensure_index()
    return tmp


@pytest.fixture(scope="session")
def real_services(real_index_dir):
    """Services over the session's real index (read-only use: copy the index to mutate it)."""
    from assistant.wiring import build

    services = build(make_settings(real_index_dir, fake=False))
    services.ensure_index()
    return services


@pytest.fixture
def real_services_copy(real_index_dir, tmp_path):
    """A writable copy of the real index, for tests that add or remove documents."""
    from assistant.wiring import build

    shutil.copytree(real_index_dir / "index", tmp_path / "index")
    services = build(make_settings(tmp_path, fake=False))
    services.ensure_index()
    return services


@pytest.fixture
def toa_tab(fake_services):
    """The Theory of action tab's handlers over the fake services, the browser id given as the key."""
    from types import SimpleNamespace

    from assistant.app.tab_toa import _ToaTab
    from assistant.facilitation import forms as F

    ctx = SimpleNamespace(key=lambda browser, request=None: browser, ready=lambda: None, wait=lambda: True)
    return _ToaTab(fake_services, ctx, [None] * F.N_VALUES)


class NoFacilitation:
    """A chat facilitator that never takes a message (the answerer answers everything)."""

    def facilitate(self, message, session=None, key=None):
        return None


@pytest.fixture
def no_facilitation():
    return NoFacilitation()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A test that fails while an app it uses runs (app_fixtures.AppProcess) shows the end of the app's log in its
    report, so a rare failure of a browser flow explains itself."""
    outcome = yield
    report = outcome.get_result()
    fixtures = sys.modules.get("app_fixtures")  # loaded by every test that starts an app
    if not report.failed or report.when != "call" or fixtures is None:
        return
    for name, value in getattr(item, "funcargs", {}).items():
        if isinstance(value, fixtures.AppProcess):
            report.sections.append((f"app log of '{name}' (the end of {value.log_path})", value.tail()))


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_HOME, ignore_errors=True)
