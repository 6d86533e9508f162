"""The facilitator in the chat: triggers, a scripted multi-turn conversation from goal to finished draft, edits,
stop/resume, review and practice questions; replies cite exact spans."""

from __future__ import annotations

import pytest

from assistant.facilitation import chat_parse as P
from assistant.facilitation.session import FacilitationState
from assistant.types import Answer


@pytest.mark.parametrize("text,kind", [
    ("help us write a theory of action for principal coaching", "start"),
    ("Let's draft a ToA", "start"),
    ("can you build a theory of action with us?", "start"),
    ("here is our draft ToA — what's missing? If we coach principals, then teachers improve.", "review"),
    ("here is our draft ToA — what's missing?", "review"),
    ("review our theory of action please", "review"),
    ("which practices should we focus on for teacher retention?", "practices"),
    ("where should we focus to reduce chronic absence?", "practices"),
    ("what is a theory of action?", None),
    ("What does 11a say at Getting Better?", None),
    ("review indicator 11a for me", None),
])
def test_trigger_phrases(text, kind):
    assert P.classify(text) == kind


@pytest.mark.parametrize("text,expected", [
    ("1, 3 and 5", [1, 3, 5]), ("let's go with two and four", [2, 4]), ("the first and third", [1, 3]),
    ("#2", [2]), ("raise it by 20% in 3 years", []), ("none", []),
])
def test_numbers(text, expected):
    assert P.numbers(text) == expected


def test_labelled_answers():
    head, fields = P.labelled("Redesign supervision. lead: visits per month; lag: reading proficiency; "
                              "teachers: plan together; owner: CAO")
    assert head == "Redesign supervision"
    assert fields == {"lead_metrics": "visits per month", "lag_outcomes": "reading proficiency",
                      "core_changes": "teachers plan together", "owners": "CAO"}
    assert P.topic_of("help us write a theory of action for principal coaching") == "principal coaching"


def test_ordinary_questions_are_not_facilitation(real_services):
    fac = real_services.facilitator
    assert fac.handle("What are the seven systems in LEAD CT?", None) is None
    assert fac.facilitate("What does 11a say at Getting Better?", {}) is None


pytestmark = pytest.mark.integration


def _say(services, session, text, key=None):
    answer = services.facilitator.facilitate(text, session, key)
    return answer


def _check_citations(services, answer: Answer):
    lib = services.library
    numbers = {c.number for c in answer.citations}
    assert numbers == set(range(1, len(answer.citations) + 1))
    for c in answer.citations:
        assert lib.raw(c.chunk.source)[c.start:c.end] == c.quote
    import re

    used = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert used <= numbers


def test_scripted_conversation_goal_to_draft(real_services):
    session: dict = {}
    key = "test-session-hash"
    a = _say(real_services, session, "Help us write a theory of action for principal coaching", key)
    assert "Step 1 of 4" in a.text and "principal coaching" in a.text
    assert session["facilitation"]["step"] == "goal"

    a = _say(real_services, session, "ok", key)  # too short to be a goal: asked again
    assert session["facilitation"]["step"] == "goal"
    a = _say(real_services, session, "Raise grade 3-8 reading proficiency from 41% to 60% by June 2028 in all schools", key)
    assert "Step 2 of 4" in a.text and session["facilitation"]["toa"]["goal"].startswith("Raise grade 3-8")

    a = _say(real_services, session, "Our principals get no real coaching: supervisors only visit for compliance. "
                                     "Evidence: 22% of principals say supervisor visits help them", key)
    st = FacilitationState.from_dict(session["facilitation"])
    assert st.step == "choose" and len(st.candidates) == 6
    assert st.toa.evidence == ["22% of principals say supervisor visits help them"]
    assert "1. **" in a.text and a.citations
    _check_citations(real_services, a)
    offered = [c["item_id"] for c in st.candidates]
    assert "uva:condition-4" in offered

    a = _say(real_services, session, "1, 2, 3 and 4", key)  # more than three: place your bets
    assert "more than three" in a.text and a.citations[0].chunk.item_id == "leadct:principle-1"
    assert FacilitationState.from_dict(session["facilitation"]).toa.bets == []

    pick = offered.index("uva:condition-4") + 1
    other = 2 if pick == 1 else 1
    a = _say(real_services, session, f"{pick} and {other}", key)
    st = FacilitationState.from_dict(session["facilitation"])
    assert st.step == "actions" and len(st.toa.bets) == 2 and st.toa.bets[0].item_ids[0] == "uva:condition-4"
    assert "bet 1 of 2" in a.text

    _say(real_services, session, "Redesign the supervisor role so each coaches 8 principals; train supervisors", key)
    assert session["facilitation"]["step"] == "changes"
    _say(real_services, session, "principals: spend two mornings a week in classrooms giving feedback; "
                                 "teachers: plan lessons around grade-level texts", key)
    assert session["facilitation"]["step"] == "metrics"
    a = _say(real_services, session, "lead: coaching visits per principal per month", key)
    assert "lag outcome" in a.text
    a = _say(real_services, session, "lag: grade 3-8 reading proficiency", key)
    assert "bet 2 of 2" in a.text and session["facilitation"]["bet"] == 1

    assert _say(real_services, session, "what is a lead metric?", key) is None  # a question: the answerer answers
    assert session["facilitation"]["step"] == "actions"  # the session waits

    a = _say(real_services, session, "actions: protect 60 minutes of weekly collaboration time; principals: lead "
                                     "cycles of inquiry; teachers: use common formative assessments; lead: teams "
                                     "completing cycles; lag: interim reading growth; owner: CAO; timeframe: 2025-27",
             key)
    st = FacilitationState.from_dict(session["facilitation"])
    assert st.step == "extras" and st.asked
    assert "Your draft theory of action" in a.text and "If we redesign the supervisor role" in a.text
    _check_citations(real_services, a)

    a = _say(real_services, session, "change the goal to Raise grade 3-8 reading proficiency from 41% to 60% by "
                                     "June 2028 in all 14 schools", key)
    assert "Updated the goal" in a.text
    assert FacilitationState.from_dict(session["facilitation"]).toa.goal.endswith("all 14 schools")

    for _ in range(12):  # answer each open check in turn
        st = FacilitationState.from_dict(session["facilitation"])
        if st.step == "done":
            break
        answers = {"governance": "The board adopts the theory of action and reviews lead metrics each quarter",
                   "external_factors": "State funding for coaching ends in 2027",
                   "public_goals": "We publish progress on a public dashboard for families",
                   "communication": "We share the plan with principals in August and with families at town halls",
                   "culture": "Collective responsibility: central office serves schools",
                   "systems": "Professional learning and talent management", "system_wide": "All 14 schools"}
        a = _say(real_services, session, answers.get(st.asked, "skip"), key)
    st = FacilitationState.from_dict(session["facilitation"])
    assert st.step == "done" and st.active
    assert "Theory of action** tab" in a.text
    assert st.toa.board_role.startswith("The board adopts")

    a = _say(real_services, session, "replace bet 2 with 3", key)
    st = FacilitationState.from_dict(session["facilitation"])
    assert st.toa.bets[1].item_ids[0] == st.candidates[2]["item_id"]

    # The Theory of action tab opens the same draft through the shared store.
    shared = real_services.sessions.draft(key)
    assert shared.toa.to_dict() == st.toa.to_dict()

    assert "Stopped" in _say(real_services, session, "stop", key).text
    assert _say(real_services, session, "what is a lead metric?", key) is None
    a = _say(real_services, session, "resume theory of action", key)
    assert a.text.startswith("Welcome back")


def test_practices_question_lists_cited_options(real_services):
    session: dict = {}
    a = real_services.facilitator.facilitate("Which practices should we focus on for teacher retention?", session)
    assert a is not None and a.backend == "facilitator"
    assert "teacher retention" in a.text and "1. **" in a.text
    _check_citations(real_services, a)
    st = FacilitationState.from_dict(session["facilitation"])
    assert not st.active and "uva:condition-8" in [c["item_id"] for c in st.candidates]
    a = real_services.facilitator.facilitate("start a theory of action", session)
    assert FacilitationState.from_dict(session["facilitation"]).step == "goal"


def test_review_with_and_without_statement(real_services):
    session: dict = {}
    fac = real_services.facilitator
    a = fac.facilitate("Here is our draft ToA — what's missing?", session)
    assert "Paste your theory-of-action statement" in a.text
    a = fac.facilitate("If we invest in coaching, adopt a new math curriculum, expand tutoring and launch a "
                       "family campaign, then principals lead instruction, so that achievement rises.", session)
    assert "What the frameworks would add" in a.text and "A few bets" in a.text
    _check_citations(real_services, a)
    assert not FacilitationState.from_dict(session["facilitation"]).active
    a = fac.facilitate("what's missing from our theory of action? If we coach principals, then teachers "
                       "improve, so that students learn.", {})
    assert "Lead metrics and lag outcomes" in a.text


def test_cancel_and_help_and_state_round_trip(real_services):
    fac = real_services.facilitator
    reply, cites, st = fac.handle("build a theory of action", None)
    assert st.active and st.step == "goal" and cites == []
    reply, _, st2 = fac.handle("help", st)
    assert "show the draft" in reply and st2.step == "goal"
    reply, _, st3 = fac.handle("cancel", st2.to_dict())
    assert not st3.active and "Stopped" in reply
    assert st.active  # handle() never mutates the state it was given
    assert FacilitationState.from_dict(st3.to_dict()).to_dict() == st3.to_dict()


@pytest.mark.parametrize("text,topic", [
    ("help us write a theory of action for our principal supervision work - can you help us.",
     "principal supervision work"),
    ("Can you help us draft a ToA for Teacher Retention, please?", "teacher retention"),
    ("which practices should we focus on for teacher retention?", "teacher retention"),
    ("let's build a theory of action about chronic absence because attendance fell", "chronic absence"),
    ("start a theory of action", ""),
])
def test_the_topic_is_the_subject_not_the_whole_message(text, topic):
    assert P.topic_of(text) == topic


def test_export_in_the_chat_gives_word_and_pdf_files(real_services, tmp_path):
    from docx import Document

    from assistant.facilitation.toa import TheoryOfAction

    key = "feedfacefeedfacefeedfacefeedface"
    state = FacilitationState(toa=TheoryOfAction.load(
        __import__("pathlib").Path(__file__).parent / "data" / "toa_principal_coaching.json"))
    real_services.sessions.save_draft(key, state)
    a = real_services.facilitator.facilitate("export our theory of action", {}, key)
    assert a is not None and [f.rsplit(".", 1)[1] for f in a.files] == ["docx", "pdf"]
    assert "Word (.docx)" in a.text and "Still needed" not in a.text
    statement = next(p.text for p in Document(a.files[0]).paragraphs if p.text.startswith("If we "))
    draft = real_services.drafter.draft(state.toa)
    quoted = next(line for line in a.text.splitlines() if line.startswith("> "))
    assert [int(n) for n in __import__("re").findall(r"\[(\d+)\]", quoted)] == \
        [n for c in draft.statement for n in c.cites]  # the chat shows the draft's own numbers
    assert statement.startswith(draft.statement_text()[:60])
    assert a.to_dict()["files"] == a.files
