"""The improvement-plan commands of `python -m assistant`: toa --diagram (text, Mermaid, SVG, JSON with cited
suggestions), --cycles, --readiness, --export onepager, and assess team a.json b.json c.json."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from assistant.cli.facilitation import run
from assistant.cli.main import build_parser
from assistant.facilitation.assessment import Assessment
from plan_data import CYCLE, planned

pytestmark = pytest.mark.integration


def call(services, capsys, *argv):
    code = run(services, build_parser().parse_args([str(a) for a in argv]))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def draft_file(real_services, tmp_path_factory):
    return planned(real_services).save(tmp_path_factory.mktemp("plan") / "draft.json")


@pytest.mark.parametrize("flags, expect", [
    (["--diagram"], ["Aim: Raise the share", "Primary driver 1: Principal supervisors as coaches", "secondary: ",
                     "change idea: Redesign the principal supervisor role", "Sources:", "characters"]),
    (["--diagram", "--mermaid"], ["flowchart LR", 'aim["Aim: Raise the share', "p1 --- p1s1"]),
    (["--diagram", "--suggest"], ["suggested: ", "UVA-PLE"]),
    (["--cycles"], ["cycle 1 (under way, next): " + CYCLE["change_idea"], "cycle 2 (planned)", "2025-10-15:",
                    "In the frameworks' words:"]),
    (["--readiness"], ["Capacity: 2  ⚑ low", "Scored 6 of 6, average 3.5; low: capacity (2).",
                       "Threshold of Capacity"]),
])
def test_toa_plan_views(real_services, capsys, draft_file, flags, expect):
    code, out, _ = call(real_services, capsys, "toa", "--from", draft_file, *flags)
    assert code == 0
    for words in expect:
        assert words in out, (words, out[:2000])


def test_toa_diagram_json_and_svg(real_services, capsys, draft_file, tmp_path):
    code, out, _ = call(real_services, capsys, "toa", "--from", draft_file, "--diagram", "--json", "--suggest")
    data = json.loads(out)
    assert code == 0 and len(data["driver_diagram"]["bets"]) == 2 and data["mermaid"].startswith("flowchart")
    cited = {n for b in data["driver_diagram"]["bets"] for node in [b["primary"], *b["secondary"]] for n in node["cites"]}
    assert cited == {s["n"] for s in data["sources"]} and all(s["quote"] for s in data["sources"])
    assert set(data["suggestions"]) == {"1", "2"} and all(s["citation"]["quote"] for s in data["suggestions"]["1"])
    svg = tmp_path / "d.svg"
    code, _, err = call(real_services, capsys, "toa", "--from", draft_file, "--diagram", "--svg", svg)
    assert code == 0 and "wrote" in err and ET.parse(svg).getroot().tag.endswith("svg")


def test_toa_cycles_and_readiness_json(real_services, capsys, draft_file):
    _, out, _ = call(real_services, capsys, "toa", "--from", draft_file, "--cycles", "--json")
    data = json.loads(out)
    first = data["bets"][0]["cycles"][0]
    assert data["next"] == {"bet": 1, "cycle": 1} and first["status"] == "running" and first["end_date"] == "2025-12-01"
    assert first["still_to_plan"] == [] and data["measure_language"][0]["quote"]
    _, out, _ = call(real_services, capsys, "toa", "--from", draft_file, "--readiness", "--json")
    bet = json.loads(out)["bets"][0]
    dims = {d["dimension"]: d for d in bet["dimensions"]}
    assert dims["capacity"]["low"] and dims["capacity"]["follow_up"] and not dims["need"]["low"]
    assert dims["capacity"]["passages"][0]["item_id"] == "instll:threshold-of-capacity"
    assert all(d["question"].endswith("?") and d["passages"] for d in bet["dimensions"])


@pytest.mark.parametrize("fmt, check", [
    ("onepager", lambda p: len(PdfReader(str(p)).pages) == 1),
    ("onepager-docx", lambda p: p.read_bytes()[:2] == b"PK"),
    ("onepager-md", lambda p: p.read_text().startswith("# Theory of action")),
])
def test_toa_export_onepager(real_services, capsys, draft_file, tmp_path, fmt, check):
    out = tmp_path / f"page.{fmt}"
    code, _, err = call(real_services, capsys, "toa", "--from", draft_file, "--export", fmt, "--out", out)
    assert code == 0 and "wrote" in err and check(out)


def _rater(folder, name, ratings):
    a = Assessment(district="Riverside", rater=name)
    for item, current, note in ratings:
        a.rate(item, current, 3, note)
    return a.save(folder / f"{name.lower() or 'anon'}.json")


@pytest.fixture
def three(tmp_path):
    return [_rater(tmp_path, "Ana", [("rubric:12b", 0, "Compliance visits"), ("rubric:1", 1, "")]),
            _rater(tmp_path, "Ben", [("rubric:12b", 2, "Coaching in 5 schools"), ("rubric:1", 1, "")]),
            _rater(tmp_path, "", [("rubric:12b", 1, "Some coaching"), ("rubric:1", 2, "")])]


def test_assess_team_report(real_services, capsys, three, tmp_path):
    code, out, _ = call(real_services, capsys, "assess", "team", *three)
    assert code == 0 and "3 people: Ana, Ben, anon" in out
    worst = out.split("## Where we disagree most", 1)[1].split("\n## ", 1)[0]
    assert "Indicator 12b" in worst and "(spread 2)" in worst and "“Compliance visits”" in worst
    assert "| Spread | Proposed | Agreed |" in out and "Nothing agreed yet." in out


def test_assess_team_agrees_and_records_dissent(real_services, capsys, three, tmp_path):
    out_file, report = tmp_path / "team.json", tmp_path / "team.md"
    code, out, _ = call(real_services, capsys, "assess", "team", *three, "--agree-proposed", "--out", out_file,
                        "--report", report, "--json")
    data = json.loads(out)
    agreed = {a["item_id"]: a for a in data["team"]["agreed"]}
    assert code == 0 and agreed["rubric:12b"]["current"] == 1
    assert [(d["name"], d["current"]) for d in agreed["rubric:12b"]["dissent"]] == [("Ana", 0), ("Ben", 2)]
    assert data["disagreements"][0] == "rubric:12b" and "*Dissent:*" in report.read_text()
    again = json.loads(out_file.read_text())
    code, out, _ = call(real_services, capsys, "assess", "team", out_file, three[0])  # a team file merges again
    assert code == 0 and again["schema"] == "district-assistant/team-assessment" and "## What we agreed" in out


@pytest.mark.parametrize("argv", [["assess", "team", "only-one.json"], ["assess"], ["assess", "x.json"]])
def test_assess_team_needs_two_files(real_services, capsys, argv):
    code, _, err = call(real_services, capsys, *argv)
    assert code == 1 and err
