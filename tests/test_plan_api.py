"""The improvement-plan endpoints of the running app, through gradio_client: /driver_diagram, /cycles, /readiness,
/onepager (a one-page PDF, DOCX or Markdown as base64) and /assess_team — stateless, each taking saved JSON."""

from __future__ import annotations

import base64
import io
import xml.etree.ElementTree as ET

import pytest
from gradio_client.exceptions import AppError
from pypdf import PdfReader

from app_fixtures import client, running_app
from assistant.facilitation.assessment import Assessment
from plan_data import CYCLE, planned

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def app(real_index_dir, tmp_path_factory):
    yield from running_app(tmp_path_factory, "plan-api", real_index_dir)


@pytest.fixture(scope="module")
def draft(real_services):
    return planned(real_services).to_dict()


@pytest.fixture
def api(app, tmp_path):
    return client(app.url, tmp_path / "downloads")


def test_driver_diagram(api, draft):
    res = api.predict(draft, True, api_name="/driver_diagram")
    bets = res["driver_diagram"]["bets"]
    assert [b["primary"]["item_id"] for b in bets] == ["uva:condition-4", "uva:condition-12"]
    assert all(len(b["secondary"]) == 3 and all(n["cites"] for n in b["secondary"]) for b in bets)
    numbers = {s["n"] for s in res["sources"]}
    assert {n for b in bets for n in b["primary"]["cites"]} <= numbers
    assert ET.fromstring(res["svg"]).tag.endswith("svg") and res["mermaid"].startswith("flowchart LR")
    assert all(s["citation"]["quote"] and s["item_id"] for s in res["suggestions"]["1"])
    assert "suggestions" not in api.predict(draft, False, api_name="/driver_diagram")


def test_cycles_and_readiness(api, draft):
    res = api.predict(draft, api_name="/cycles")
    assert res["next"] == {"bet": 1, "cycle": 1}
    assert res["bets"][0]["cycles"][0]["change_idea"] == CYCLE["change_idea"]
    assert res["bets"][0]["cycles"][0]["log"][0]["decision"] == "continue"
    assert res["cycle_language"] and res["measure_language"][0]["quote"]
    ready = api.predict(draft, api_name="/readiness")["bets"][0]
    low = [d["dimension"] for d in ready["dimensions"] if d["low"]]
    assert low == ["capacity"] and ready["average"] == 3.5


@pytest.mark.parametrize("fmt", ["pdf", "docx", "md"])
def test_onepager(api, draft, fmt):
    res = api.predict(draft, fmt, api_name="/onepager")
    data = base64.b64decode(res["base64"])
    assert res["file_name"].endswith(f"-one-page-plan.{fmt}")
    if fmt == "pdf":
        reader = PdfReader(io.BytesIO(data))
        assert len(reader.pages) == 1 and "Next 90-day cycle" in reader.pages[0].extract_text()
    elif fmt == "docx":
        assert data[:2] == b"PK" and "wordprocessingml" in res["mime"]
    else:
        assert "## The passages this plan rests on" in data.decode()


def test_bad_input_is_refused_with_a_reason(api, draft):
    with pytest.raises(AppError, match="format must be pdf, docx or md"):
        api.predict(draft, "odt", api_name="/onepager")
    with pytest.raises(AppError, match="not a theory of action"):
        api.predict({"schema": "something else"}, api_name="/cycles")


def test_assess_team(api):
    people = []
    for name, level, note in (("Ana", 0, "Compliance visits"), ("Ben", 2, "Coaching in 5 schools"), ("", 1, "")):
        a = Assessment(rater=name)
        a.rate("rubric:12b", level, 3, note)
        a.rate("rubric:1", 1, 2, "")
        people.append(a.to_dict())
    res = api.predict(people, ["ana", "ben", "cal"], api_name="/assess_team")
    assert res["members"] == ["Ana", "Ben", "cal"] and res["disagreements"] == ["rubric:12b"]
    item = next(i for i in res["items"] if i["item_id"] == "rubric:12b")
    assert item["spread"] == 2 and item["proposed"]["current"] == 1
    assert [r["evidence"] for r in item["ratings"]] == ["Compliance visits", "Coaching in 5 schools", ""]
    with pytest.raises(AppError, match="not a self-assessment"):
        api.predict([{"schema": "nope"}], None, api_name="/assess_team")
