"""Installable, not only runnable from a checkout: the CLI works from any directory, and a wheel carries the corpus,
the prompts and the eval data so an installed copy runs with no checkout at all."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

SHARE = "share/district-leadership-assistant"
QUESTION = "how should principal supervisors coach principals"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "PYTHON"))}
    env.update(HOME=str(tmp_path / "home"), ASSISTANT_EMBEDDING__KIND="fake", **extra)
    return env


def _search(python: str, cwd: Path, env: dict[str, str]) -> list[dict]:
    proc = subprocess.run([python, "-m", "assistant", "search", QUESTION, "--k", "3", "--json"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def test_search_runs_from_any_directory(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = _env(tmp_path, PYTHONPATH=str(ROOT), ASSISTANT_INDEX__DIR=str(tmp_path / "index"))
    hits = _search(sys.executable, elsewhere, env)
    assert len(hits) == 3 and all(h["source"].endswith(".txt") and h["text"] for h in hits)
    assert (tmp_path / "index" / "CURRENT").is_file() and not (elsewhere / "index").exists()


def _build_wheel(tmp_path: Path) -> Path:
    """A wheel built from a copy of the project (the build writes build/ and *.egg-info beside the sources)."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src)
    ignore = shutil.ignore_patterns("__pycache__", "runs", "*.pyc")
    for name in ("assistant", "evals", "corpus", "prompts"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    out = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(src)], check=True, capture_output=True, timeout=300)
    return next(out.glob("*.whl"))


@pytest.mark.integration
def test_a_wheel_carries_its_data_and_runs_installed(tmp_path):
    wheel = _build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    data = {n.split(".data/data/", 1)[1] for n in names if ".data/data/" in n}
    for rel in [p.relative_to(ROOT).as_posix() for d in ("corpus", "prompts") for p in (ROOT / d).rglob("*")
                if p.is_file() and "__pycache__" not in p.parts]:
        assert f"{SHARE}/{rel}" in data, rel
    assert {"evals/gold.jsonl", "evals/thresholds.toml"} <= set(names)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = str(venv / "bin" / "python")
    subprocess.run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    # The dependencies (torch, chromadb, ...) come from this environment; the project itself only from the wheel.
    purelib = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  check=True, capture_output=True, text=True).stdout.strip())
    (purelib / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    run_dir = tmp_path / "anywhere"
    run_dir.mkdir()
    env = _env(tmp_path)
    where = subprocess.run([python, "-c", "import assistant, evals.runner as r, assistant.resources as res; "
                            "print(assistant.__file__); print(res.data_root()); print(r.DEFAULT_GOLD)"],
                           cwd=run_dir, env=env, check=True, capture_output=True, text=True).stdout.split("\n")
    assert where[0].startswith(str(purelib)), "the installed copy runs, not the checkout"
    assert where[1] == str(venv / SHARE) and Path(where[2]).is_file()
    hits = _search(python, run_dir, env)
    assert len(hits) == 3 and all(h["text"] for h in hits)
    state = tmp_path / "home" / ".local" / "share" / "district-leadership-assistant" / "index"
    assert (state / "CURRENT").is_file(), "an installed copy keeps its index in the per-user data folder"
