"""Backup and restore: the index, uploads, saved work and feedback in one archive; restored into empty folders it
answers identically, it never overwrites what is there unless forced, and a tampered archive cannot write outside."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from assistant.backup import backup, restore
from assistant.wiring import build
from conftest import make_settings

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ["What does indicator 11a look like at Getting Better?", "What is coherence making?",
             "How often do coaches meet principals?", "What ratio of supervisors to principals does UVA-PLE recommend?"]


def test_restore_into_empty_folders_answers_identically(tmp_path, real_services_copy):
    src = real_services_copy
    uploads = Path(src.settings.corpus.uploads_dir)
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / "coaching-notes.md").write_text("# Coaching notes\n\nOur coaches meet principals every Tuesday to "
                                               "review walkthrough data.\n", encoding="utf-8")
    src.ingest()
    src.sessions.save("browser-abcdef", "conversation", [{"role": "user", "content": "hello"}])
    src.feedback.record("alice", {"id": "a1", "rating": "helpful"})
    archive = tmp_path / "backup" / "district.tar.gz"
    made = backup(src, archive)
    assert made["index"]["documents"] == 6 and made["uploads"] == 1 and made["sessions"] >= 1

    target = tmp_path / "elsewhere"
    settings = make_settings(target, fake=False)
    settings.embedding.onnx_dir = src.settings.index.dir / "models"
    fresh = build(settings)
    restored = restore(fresh, archive)
    assert restored["restored"]["uploads"] == 1 and restored["restored"]["feedback"] == 1
    assert fresh.ensure_index() is None, "the restored index is complete and current: nothing to rebuild"
    for q in QUESTIONS:
        a, b = src.answerer.answer(q), fresh.answerer.answer(q)
        assert (a.text, [c.ref for c in a.citations]) == (b.text, [c.ref for c in b.citations])
    note = next(d for d in fresh.store.documents() if d.source == "coaching-notes.md")
    assert Path(note.path) == (target / "uploads" / "coaching-notes.md").resolve(), "uploads moved to this folder"
    assert fresh.sessions.load("browser-abcdef", "conversation") == [{"role": "user", "content": "hello"}]
    again, _ = fresh.ingest()
    assert not again.changed, "re-ingesting the restored library changes nothing"

    with pytest.raises(ValueError, match="--force"):
        restore(fresh, archive)
    assert restore(fresh, archive, force=True)["restored"]["uploads"] == 1


def _evil_archive(path: Path, member: str) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in (("manifest.json", json.dumps({"format": 1}).encode()), (member, b"owned")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize("member", ["../escaped.txt", "/tmp/absolute-escape.txt", "uploads/../../escaped.txt"])
def test_a_tampered_archive_cannot_write_outside(tmp_path, member):
    archive = tmp_path / "evil.tar.gz"
    _evil_archive(archive, member)
    services = build(make_settings(tmp_path / "target", fake=True))
    with pytest.raises(Exception):
        restore(services, archive)
    assert not (tmp_path / "escaped.txt").exists() and not Path("/tmp/absolute-escape.txt").exists()


def test_backup_and_restore_commands(tmp_path, fake_services):
    env_base = {"PYTHONPATH": str(ROOT), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin",
                "ASSISTANT_EMBEDDING__KIND": "fake", "ASSISTANT_CORPUS__DIR": str(fake_services.settings.corpus.dir)}

    def run(args, base):
        env = {**env_base, "ASSISTANT_INDEX__DIR": str(base / "index"),
               "ASSISTANT_CORPUS__UPLOADS_DIR": str(base / "uploads"),
               "ASSISTANT_SESSIONS__DIR": str(base / "sessions"), "ASSISTANT_FEEDBACK__DIR": str(base / "fb")}
        return subprocess.run([sys.executable, "-m", "assistant", *args], env=env, capture_output=True, text=True,
                              timeout=300, cwd=tmp_path)

    src = Path(fake_services.settings.index.dir).parent
    made = run(["backup", str(tmp_path / "b.tar.gz")], src)
    assert made.returncode == 0 and "Backed up 5 indexed documents" in made.stdout, made.stderr
    done = run(["restore", str(tmp_path / "b.tar.gz")], tmp_path / "new")
    assert done.returncode == 0 and "Restored the index (5 documents" in done.stdout, done.stderr
    refused = run(["restore", str(tmp_path / "b.tar.gz")], tmp_path / "new")
    assert refused.returncode == 1 and "--force" in refused.stderr
    listed = run(["docs", "--json"], tmp_path / "new")
    assert len(json.loads(listed.stdout)) == 5
