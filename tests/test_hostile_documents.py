"""Hostile and foreign files: decompression bombs are refused before they are unpacked, with bounded memory; ids from
file names never collide; UTF-16 text is read; links out of a folder are not followed; oversized text is refused
with the limit stated; staging folders of a crashed upload are cleaned."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.ingest.loaders import LoadError, LoadLimits, doc_id_for, load_file, load_paths
from conftest import ROOT, make_settings
from evals.hostile import docx_bomb, docx_many_parts, docx_with_text

PEAK_MB = 200

# Loads a file in a child process whose address space is capped, so the unfixed loader fails fast instead of taking
# the machine; prints the outcome and the child's peak resident memory.
_CHILD = """
import json, resource, sys
cap = 1536 * 2**20
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
sys.path.insert(0, sys.argv[1])
from assistant.ingest.loaders import LoadError, load_file
try:
    doc = load_file(sys.argv[2])
    outcome = "loaded %d characters" % len(doc.text)
except LoadError as exc:
    outcome = "refused: " + exc.reason
except MemoryError:
    outcome = "MemoryError"
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent (here, the test process) across exec.
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
print(json.dumps({"outcome": outcome, "peak_mb": peak}))
"""


def load_in_child(path: Path) -> dict:
    r = subprocess.run([sys.executable, "-c", _CHILD, str(ROOT), str(path)], capture_output=True, text=True,
                       timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


# ---- decompression bombs ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("make,expect", [
    (lambda p: docx_bomb(p, unpacked_mb=100), "expands to 100 MB"),  # one text part, 250x its packed size
    (lambda p: docx_many_parts(p, parts=30_000), "30,003 parts"),  # a directory too large to trust
])
def test_word_bombs_are_refused_before_unpacking_with_bounded_memory(tmp_path, make, expect):
    bomb = make(tmp_path / "bomb.docx")
    got = load_in_child(bomb)
    assert got["outcome"].startswith("refused: ") and expect in got["outcome"], got
    assert got["peak_mb"] < PEAK_MB, got


def test_upload_check_refuses_a_bomb_with_a_reason(tmp_path):
    from assistant.ingest.uploads import check_file

    bomb = docx_bomb(tmp_path / "plan.docx", unpacked_mb=80)
    reason = check_file(bomb, "plan.docx", 25 * 2**20, LoadLimits(max_xml=64 * 2**20))
    assert reason and "expands to 80 MB" in reason and "limit is 64 MB" in reason


def test_a_word_document_still_reads_headings_paragraphs_and_title(tmp_path):
    doc = load_file(docx_with_text(tmp_path / "plan.docx", ["Coaching happens every week.", "Owners meet monthly."],
                                   title="Coaching plan"))
    assert doc.text == "Coaching happens every week.\n\nOwners meet monthly." and doc.title == "Coaching plan"


def test_too_much_text_is_refused_with_the_limit(tmp_path):
    p = tmp_path / "long.txt"
    p.write_text("Principals coach teachers every week. " * 2000)
    with pytest.raises(LoadError, match=r"too much text \(76,000 characters; the limit is 50,000") as refused:
        load_file(p, limits=LoadLimits(max_chars=50_000))
    assert "indexes within minutes" in str(refused.value) and "split the document" in str(refused.value)
    with pytest.raises(LoadError, match="the limit is 50,000"):
        load_file(docx_with_text(tmp_path / "long.docx", ["Principals coach teachers every week."] * 2000),
                  limits=LoadLimits(max_chars=50_000))


# ---- ids ------------------------------------------------------------------------------------------------------
def test_ids_of_same_named_files_in_subfolders_and_non_latin_names_differ(tmp_path):
    for rel in ("2023/plan.txt", "2024/plan.txt", "中文.txt", "日本語.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f"The {rel} district plan describes principal coaching in detail.\n",
                                    encoding="utf-8")
    docs, errors = load_paths([tmp_path])
    assert not errors
    assert sorted(d.source for d in docs) == ["2023/plan.txt", "2024/plan.txt", "中文.txt", "日本語.txt"]
    assert len({d.doc_id for d in docs}) == 4
    assert [d.doc_id for d in load_paths([tmp_path])[0]] == [d.doc_id for d in docs]  # stable
    assert doc_id_for("lead-ct-coherence-framework.txt") == "lead-ct-coherence-framework-txt"  # plain names kept


def test_a_clash_between_files_given_one_by_one_is_reported(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "plan.txt").write_text(f"Plan {folder}: principals are coached every week.\n")
    docs, errors = load_paths([tmp_path / "a" / "plan.txt", tmp_path / "b" / "plan.txt"])
    assert [d.text for d in docs] == ["Plan a: principals are coached every week.\n"]
    assert len(errors) == 1 and "same name" in errors[0].reason


def test_indexing_same_named_files_lists_both_and_answers(tmp_path):
    from assistant.wiring import build

    corpus = tmp_path / "corpus"
    for year in ("2023", "2024"):
        (corpus / year).mkdir(parents=True)
        (corpus / year / "plan.txt").write_text(
            f"# Plan {year}\n\nIn {year} principal supervisors coached every principal twice a month and reviewed "
            f"walkthrough data together with the principal after each visit.\n")
    services = build(make_settings(tmp_path, fake=True, corpus=corpus))
    report, errors = services.ingest()
    assert not errors and sorted(report.added) == ["2023/plan.txt", "2024/plan.txt"]
    assert sorted(d.source for d in services.store.documents()) == ["2023/plan.txt", "2024/plan.txt"]
    answer = services.answerer.answer("How often did principal supervisors coach principals?")
    for c in answer.citations:  # every quote is the exact text of the document it names
        assert services.store.document_text(c.chunk.doc_id)[c.start:c.end] == c.quote


def test_a_second_file_claiming_an_indexed_id_is_reported_not_swapped_in(tmp_path):
    from assistant.wiring import build

    first, second = tmp_path / "a" / "plan.txt", tmp_path / "b" / "plan.txt"
    for p in (first, second):
        p.parent.mkdir()
        p.write_text(f"The plan in {p.parent.name} coaches principals every week with written feedback.\n")
    services = build(make_settings(tmp_path, fake=True, corpus=tmp_path / "none"))
    services.ingest([first])
    report, errors = services.ingest([second])
    assert not report.added and not report.updated
    assert len(errors) == 1 and "already used by" in errors[0].reason
    assert [d.path for d in services.store.documents()] == [str(first)]


# ---- other foreign files --------------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_text_is_read(tmp_path, encoding):
    p = tmp_path / "notes.txt"
    p.write_bytes("Plan de mejora: la educación de los niños.\r\nSecond line.".encode(encoding))
    assert load_file(p).text == "Plan de mejora: la educación de los niños.\nSecond line."


def test_links_out_of_a_folder_are_not_followed(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("A private file outside the folder that was asked for.\n")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "plan.txt").write_text("The district plan describes principal coaching.\n")
    (folder / "link.txt").symlink_to(outside)
    (folder / "inside.txt").symlink_to(folder / "plan.txt")
    docs, errors = load_paths([folder])
    assert sorted(d.source for d in docs) == ["inside.txt", "plan.txt"] and not errors


def test_text_without_words_is_not_added(tmp_path):
    p = tmp_path / "scan.txt"
    p.write_text("=== 12 ### 345 ---\n\n....\n")
    with pytest.raises(LoadError, match="no extractable text"):
        load_file(p)


def test_staging_left_by_a_crashed_upload_is_cleaned(tmp_path):
    from assistant.ingest import uploads
    from assistant.wiring import build

    services = build(make_settings(tmp_path, fake=True, corpus=tmp_path / "none"))
    stale = services.settings.corpus.uploads_dir / uploads.STAGING / "999999999-dead"
    stale.mkdir(parents=True)
    (stale / "half.txt").write_text("a file a killed upload left behind")
    src = tmp_path / "plan.txt"
    src.write_text("The district plan coaches every principal twice a month with walkthrough feedback.\n")
    report = uploads.add_uploads(services, [src])
    assert [r.status for r in report.results] == ["added"]
    assert not stale.exists()
    assert not (services.settings.corpus.uploads_dir / uploads.STAGING).exists()
    assert [d.source for d in services.store.documents()] == ["plan.txt"]  # staging is never indexed
