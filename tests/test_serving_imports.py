"""Serving never imports torch, transformers or sentence-transformers: a cold `search --json` process and the
running app (page, warm-up, a real question) are checked from Python's own import log (-X importtime)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app_fixtures import AppProcess, client
from conftest import ROOT

pytestmark = pytest.mark.integration

FORBIDDEN = {"torch", "transformers", "sentence_transformers"}


def imported(log: str) -> set[str]:
    """Every module named in an import-time log (`import time: self | cumulative | name`)."""
    return {line.rsplit("|", 1)[-1].strip() for line in log.splitlines() if line.startswith("import time:")}


def cli(index_dir, *args, **settings):
    env = {**os.environ, "ASSISTANT_INDEX__DIR": str(index_dir / "index"),
           "ASSISTANT_CORPUS__UPLOADS_DIR": str(index_dir / "uploads"), "PYTHONPATH": str(ROOT), **settings}
    return subprocess.run([sys.executable, "-X", "importtime", "-m", "assistant", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_import_log_parser_reads_module_names():
    log = "import time: self [us] | cumulative | imported package\nimport time:   120 |   340 |   torch._C\nhello"
    assert imported(log) == {"imported package", "torch._C"}


def test_search_json_process_imports_no_torch_no_gradio(real_index_dir):
    r = cli(real_index_dir, "search", "what does 11a say at getting better", "--k", "3", "--json")
    assert r.returncode == 0, r.stderr[-2000:]
    assert len(json.loads(r.stdout)) == 3
    modules = imported(r.stderr)
    assert "onnxruntime" in modules and "chromadb" in modules, "the log really lists this process's imports"
    assert not modules & (FORBIDDEN | {"gradio", "llama_index.core"})


def test_search_without_an_export_and_building_off_says_what_to_run(real_index_dir, tmp_path):
    r = cli(real_index_dir, "search", "principal supervisors", "--json",
            ASSISTANT_EMBEDDING__ONNX_DIR=str(tmp_path / "models"), ASSISTANT_EMBEDDING__ONNX_BUILD="false")
    assert r.returncode == 1 and r.stdout == ""
    message = r.stderr[r.stderr.index("error:"):]
    assert "-m assistant.index.onnx_export --model-dir" in message and str(tmp_path / "models") in message
    assert not imported(r.stderr) & FORBIDDEN


def test_services_open_nothing_heavy_until_a_search_needs_it(real_index_dir):
    """What the page and `docs` touch (settings, store state, library) loads neither Chroma nor a model."""
    code = ("import sys; from assistant.config import load_settings; from assistant.wiring import build; "
            "s = build(load_settings()); s.library; s.retriever; assert s.store.compatible() and s.store.documents(); "
            "print(sorted(m for m in ('chromadb', 'onnxruntime', 'tokenizers', 'gradio', 'llama_index.core', 'torch') "
            "if m in sys.modules))")
    env = {**os.environ, "ASSISTANT_INDEX__DIR": str(real_index_dir / "index"), "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == "[]"


def test_app_serving_path_imports_no_torch(real_index_dir, tmp_path_factory):
    app = AppProcess(tmp_path_factory.mktemp("app-imports"), index_from=real_index_dir / "index",
                     PYTHONPROFILEIMPORTTIME="1")
    try:
        app.start()
        res = client(app.url, app.base / "downloads").predict("What is a district theory of action?", None, "",
                                                              api_name="/ask")
        assert res["citations"] and not res["abstained"]
        log = app.log()
    finally:
        app.stop()
    modules = imported(log)
    assert {"gradio", "onnxruntime", "chromadb"} <= modules
    assert not modules & FORBIDDEN, sorted(modules & FORBIDDEN)
