"""Exports of a cited draft: Markdown, DOCX (read back with python-docx) and PDF (read back with pypdf)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from assistant.facilitation.exports import MIME, export, to_markdown
from assistant.facilitation.toa import TheoryOfAction

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def draft(real_services):
    return real_services.drafter.draft(TheoryOfAction.load(DATA / "toa_principal_coaching.json"))


def squash(text: str) -> str:
    return " ".join(text.split())


def test_markdown(draft):
    md = to_markdown(draft)
    assert md.startswith("# Theory of action: every principal an instructional leader")
    assert squash(draft.statement_text()) in squash(re.sub(r"\[\d+\]", "", md.replace("> ", "")))
    assert "## Strategy table" in md and "| Bet | District actions | Owners |" in md
    assert "## Coherence checks" in md and "✓ met" in md
    for n, ref in enumerate(draft.sources, 1):
        assert f"[{n}] “{ref.text}”" in md
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", md.split("## Sources")[0])}
    assert markers and markers <= set(range(1, len(draft.sources) + 1))


def test_docx_has_statement_table_superscripts_and_sources(draft):
    data, name = export(draft, "docx")
    assert name.endswith(".docx") and MIME["docx"].startswith("application/")
    doc = Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Theory of action: every principal an instructional leader"
    body = squash("\n".join(texts))
    assert "Our theory of action" in texts and "Sources" in texts and "Coherence checks" in texts
    statement = next(p for p in doc.paragraphs if p.text.startswith("If we redesign the principal supervisor role"))
    sup = [r.text for r in statement.runs if r.font.superscript]
    assert sup and all(re.fullmatch(r"(\[\d+\])+", s) for s in sup)
    assert "Bet 1: Principal supervisors as coaches" in texts
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Bet", "District actions", "Owners", "Lead metrics",
                                                      "Lag outcomes", "Timeframe"]
    assert len(table.rows) == 3 and table.rows[1].cells[0].text == "Principal supervisors as coaches"
    assert "Chief Academic Officer" in table.rows[1].cells[2].text
    for n, ref in enumerate(draft.sources, 1):
        assert f"[{n}] “{squash(ref.text)}”" in body
        assert ref.source in body
    assert doc.core_properties.title.startswith("Theory of action")


def test_pdf_opens_and_has_statement_and_citations(draft):
    data, name = export(draft, "pdf")
    assert data[:5] == b"%PDF-" and name.endswith(".pdf")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    text = squash("\n".join(page.extract_text() for page in reader.pages))
    assert "Our theory of action" in text and "Sources" in text and "Coherence checks" in text
    assert "If we redesign the principal supervisor role" in text
    assert "so that we raise the share of grade 3-8 students" in text
    assert "[1]" in text and "lead-ct-coherence-framework.txt" in text
    first = draft.sources[0]
    assert squash(first.text)[:60] in text


def test_pdf_fonts_come_from_matplotlib_so_any_install_has_them(draft):
    import matplotlib

    from assistant.facilitation.export_pdf import unicode_fonts

    fonts = unicode_fonts()
    assert fonts is not None and set(fonts) == {"", "B", "I"}
    assert all(p.is_file() and p.suffix == ".ttf" and p.name.startswith("DejaVuSans") for p in fonts.values())
    assert fonts["B"].name == "DejaVuSans-Bold.ttf"
    shipped = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    assert shipped.is_file(), "matplotlib ships DejaVu Sans, so the font is found without system fonts"
    data, _ = export(draft, "pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "“" in text or "’" in text, "curly quotes survive: the Unicode font was embedded"


def test_json_export_round_trips(draft):
    data, name = export(draft, "json")
    assert TheoryOfAction.from_json(data.decode()).to_dict() == draft.toa.to_dict()
    with pytest.raises(ValueError):
        export(draft, "xls")
