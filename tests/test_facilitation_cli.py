"""The facilitation commands of `python -m assistant`: practices, crosswalk, toa (export / review), assess."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from assistant.cli.main import build_parser
from assistant.cli.facilitation import run

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.integration


def call(services, capsys, *argv):
    args = build_parser().parse_args(list(argv))
    code = run(services, args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_commands_are_registered():
    parser = build_parser()
    for argv in (["practices", "x"], ["crosswalk", "uva:condition-4"], ["toa", "--review", "If we"],
                 ["assess", "--from", "a.json"]):
        assert parser.parse_args(argv).facilitation == argv[0]


def test_practices_text_and_json(real_services, capsys):
    code, out, _ = call(real_services, capsys, "practices", "new teachers leave after a year", "--k", "3")
    assert code == 0 and out.startswith("1. ") and "Condition 8" in out and "characters" in out
    code, out, _ = call(real_services, capsys, "practices", "principal coaching", "--json", "--framework", "UVA-PLE")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 5 and all(r["framework"] == "UVA-PLE" for r in rows)
    assert rows[0]["citation"]["quote"]


def test_crosswalk(real_services, capsys):
    code, out, _ = call(real_services, capsys, "crosswalk", "uva:condition-4")
    assert code == 0 and "### UVA-PLE Condition 4" in out and "**LEAD CT**" in out
    code, out, _ = call(real_services, capsys, "crosswalk", "12a", "--json")
    assert json.loads(out)["anchor"]["item_id"] == "rubric:12a"


@pytest.mark.parametrize("fmt", ["docx", "pdf", "md", "json"])
def test_toa_export(real_services, capsys, tmp_path, fmt):
    out_file = tmp_path / f"draft.{fmt}"
    code, _, err = call(real_services, capsys, "toa", "--from", str(DATA / "toa_principal_coaching.json"),
                        "--export", fmt, "--out", str(out_file))
    assert code == 0 and "wrote" in err
    data = out_file.read_bytes()
    if fmt == "docx":
        assert any(p.text.startswith("If we redesign") for p in Document(io.BytesIO(data)).paragraphs)
    elif fmt == "pdf":
        assert "Our theory of action" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    elif fmt == "md":
        assert data.decode().startswith("# Theory of action")
    else:
        assert json.loads(data)["schema"] == "district-assistant/theory-of-action"


def test_toa_markdown_to_stdout_and_review(real_services, capsys):
    code, out, _ = call(real_services, capsys, "toa", "--from", str(DATA / "toa_principal_coaching.json"))
    assert code == 0 and "## Coherence checks" in out
    code, out, _ = call(real_services, capsys, "toa", "--review", "If we coach principals, then teachers improve, "
                                                                  "so that students learn.")
    assert code == 0 and "Suggested improvements" in out


def test_assess(real_services, capsys, tmp_path):
    chart = tmp_path / "areas.png"
    code, out, err = call(real_services, capsys, "assess", "--from", str(DATA / "assessment_fall.json"),
                          "--chart", str(chart))
    assert code == 0 and "Suggested priorities" in out and "Indicator 12b" in out
    assert chart.read_bytes().startswith(b"\x89PNG")
    code, out, _ = call(real_services, capsys, "assess", "--from", str(DATA / "assessment_fall.json"), "--json")
    assert json.loads(out)["priorities"][0]["item_id"] == "rubric:12b"


@pytest.mark.parametrize("argv,message", [
    (["crosswalk", "nothing like this"], "no framework item matches"),
    (["toa"], "give --from"),
    (["toa", "--from", "/nonexistent/draft.json", "--export", "md"], "No such file"),
    (["toa", "--from", str(DATA / "finder_cases.jsonl")], "not valid JSON"),
    (["assess", "--from", str(DATA / "toa_principal_coaching.json")], "not a saved self-assessment"),
    (["practices", "  "], "Describe the challenge"),
])
def test_errors_go_to_stderr_with_exit_1(real_services, capsys, argv, message):
    code, out, err = call(real_services, capsys, *argv)
    assert code == 1 and out == "" and err.startswith("error: ") and message in err
