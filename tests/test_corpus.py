"""Loading files: the five frameworks, real PDFs with page numbers, DOCX, and every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.ingest.loaders import LoadError, load_file, load_paths, read_manifest
from conftest import CORPUS, PDFS

PDF_META = {Path(d["path"]).name: d for d in json.loads((PDFS / "files.json").read_text())["data"]}


def test_manifest_names_every_corpus_file():
    manifest = read_manifest(CORPUS)
    files = sorted(p.name for p in CORPUS.glob("*.txt"))
    assert sorted(manifest) == files
    assert {e.short for e in manifest.values()} == {
        "LEAD CT", "INSTLL", "Leadership System rubric", "UVA-PLE", "Coherence & Capacity"}


def test_corpus_is_byte_identical_to_its_source_text():
    docs, errors = load_paths([CORPUS], read_manifest(CORPUS))
    assert not errors
    assert len(docs) == 5
    for d in docs:
        assert d.text == (CORPUS / d.source).read_text(encoding="utf-8")
        assert d.framework and d.title and len(d.content_hash) == 64


@pytest.mark.parametrize("name", sorted(n for n, m in PDF_META.items() if not m["encrypted"]))
def test_real_pdfs_load_with_their_page_count(name):
    doc = load_file(PDFS / name)
    assert len(doc.pages) == PDF_META[name]["pages"]
    assert [p.number for p in doc.pages] == list(range(1, len(doc.pages) + 1))
    for page in doc.pages:
        assert 0 <= page.start <= page.end <= len(doc.text)
    assert doc.text.strip()


def test_pdf_page_lookup_points_at_the_right_page():
    doc = load_file(PDFS / "pdflatex-4-pages.pdf")
    third = doc.pages[2]
    assert doc.page_at(third.start + 5) == 3
    assert doc.page_at(0) == 1


def test_arabic_pdf_keeps_its_script():
    doc = load_file(PDFS / "habibi.pdf")
    assert "habibi" in doc.text and any("\u0600" <= ch <= "\u06ff" for ch in doc.text)


def _docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_heading("Principal Coaching Plan", level=1)
    d.add_paragraph("Principal supervisors visit each school every two weeks.")
    d.add_heading("Metrics", level=2)
    d.add_paragraph("Lead metric: walkthrough feedback within 48 hours.")
    t = d.add_table(rows=1, cols=2)
    t.rows[0].cells[0].text = "Owner"
    t.rows[0].cells[1].text = "Chief of Schools"
    d.save(path)
    return path


def test_docx_keeps_headings_paragraphs_and_tables(tmp_path):
    doc = load_file(_docx(tmp_path / "plan.docx"))
    assert "# Principal Coaching Plan" in doc.text
    assert "## Metrics" in doc.text
    assert "Owner\tChief of Schools" in doc.text
    assert doc.title == "Principal Coaching Plan"


BAD = [
    ("empty.txt", b"", "empty"),
    ("notes.exe", b"MZ\x90\x00", "unsupported file type"),
    ("broken.pdf", b"%PDF-1.4\n this is not really a pdf", "not a readable PDF"),
    ("broken.docx", b"PK\x03\x04 not a zip", "not a readable DOCX"),
    ("binary.txt", b"\x00\x01\x02\x03" * 10, "binary"),
    ("blank.md", b"   \n\n  \t\n", "no extractable text"),
]


@pytest.mark.parametrize("name,data,reason", BAD)
def test_bad_files_fail_with_a_clear_one_line_reason(tmp_path, name, data, reason):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(LoadError) as err:
        load_file(p)
    message = str(err.value)
    assert message.startswith(name + ":")
    assert reason in message
    assert "\n" not in message


def test_encrypted_pdf_is_refused_with_the_reason():
    with pytest.raises(LoadError, match="encrypted"):
        load_file(PDFS / "libreoffice-writer-password.pdf")


def test_oversized_file_is_refused_before_reading(tmp_path):
    p = tmp_path / "huge.txt"
    p.write_bytes(b"a " * (600 * 1024))
    with pytest.raises(LoadError, match="too large"):
        load_file(p, max_bytes=1024 * 1024)


def test_one_bad_file_never_stops_the_batch(tmp_path):
    (tmp_path / "good.md").write_text("# Title\n\nSome useful text about principal coaching.\n")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "secret.pdf").write_bytes((PDFS / "libreoffice-writer-password.pdf").read_bytes())
    (tmp_path / "ok.pdf").write_bytes((PDFS / "minimal-document.pdf").read_bytes())
    docs, errors = load_paths([tmp_path])
    assert sorted(d.source for d in docs) == ["good.md", "ok.pdf"]
    assert sorted(e.path.name for e in errors) == ["empty.txt", "secret.pdf"]


def test_document_ids_are_stable_and_distinct(tmp_path):
    (tmp_path / "a.md").write_text("alpha text here")
    (tmp_path / "a.txt").write_text("alpha text here")
    first, _ = load_paths([tmp_path])
    second, _ = load_paths([tmp_path])
    assert [d.doc_id for d in first] == [d.doc_id for d in second]
    assert len({d.doc_id for d in first}) == 2
