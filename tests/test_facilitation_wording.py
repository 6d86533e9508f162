"""The wording of theory-of-action sentences.

Table-driven cases for each connective, then a property test: thousands of plans built at random from the kinds
of entries teams type (verb phrases, whole clauses, noun phrases, in lower case, Title Case, ALL CAPS, with stray
capitals, bullets, pasted markers, doubled words, leading "we will" / "If we" / "by …ing", closing punctuation)
must give sentences that start "If we" + the expected verb and have no doubled words, brackets, stray capitals or
broken punctuation; entries that name only a topic must be reported as still needed, never spliced in. The test
prints how many entries and sentences it tried and how many defects it found.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from assistant.facilitation import wording as W
from assistant.facilitation.drafting import Drafter
from assistant.facilitation.library import Library
from assistant.facilitation.toa import Bet, TheoryOfAction
from assistant.frameworks import build_catalog
from conftest import CorpusTexts

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("role,text,expected", [
    ("if", "Reassign principal supervisors to eight schools each.", "reassign principal supervisors to eight schools each"),
    ("if", "cabinet reviews all department requests", "ensure that cabinet reviews all department requests"),
    ("if", "We will pilot learning walks in six schools", "pilot learning walks in six schools"),
    ("if", "by pairing each new principal with a mentor", "pair each new principal with a mentor"),
    ("if", "Shifts budget authority to principals", "shift budget authority to principals"),
    ("if", "ADOPT A K-5 ELA CURRICULUM", "adopt a K-5 ELA curriculum"),
    ("if", "Build The Assistant Principal Pipeline", "build the assistant principal pipeline"),
    ("then", "observe every teacher twice a month", "principals and school leadership teams will observe every "
                                                    "teacher twice a month"),
    ("then", "Assistant principals lead grade-level data meetings", "assistant principals lead grade-level data meetings"),
    ("which", "Students discuss complex texts daily", "mean that students discuss complex texts daily"),
    ("which", "deeper student discourse", "lead to deeper student discourse"),
    ("which", "raise the rigor of daily tasks", "raise the rigor of daily tasks"),
    ("so that", "By spring 2030, 70% of ninth graders earn on-track credits",
     "by spring 2030, 70% of ninth graders earn on-track credits"),
    ("so that", "cut suspensions from 12% to 5% by 2027", "we cut suspensions from 12% to 5% by 2027"),
    ("so that", "math proficiency from 35% to 50% by June 2029", "we raise math proficiency from 35% to 50% by June 2029"),
])
def test_each_connective_gets_its_grammatical_form(role, text, expected):
    assert W.fit(role, text).text == expected


@pytest.mark.parametrize("role,text", [
    ("if", "Principal supervision"), ("if", "school Leadership[7]"), ("if", "a stronger instructional focus"),
    ("then", "more time in classrooms"), ("if", "TBD"), ("then", ""), ("so that", "[which student outcome?]"),
])
def test_topics_and_placeholders_are_never_spliced_in(role, text):
    f = W.fit(role, text)
    assert f.missing and f.need and "[" not in f.need
    if W.words(W.tidy(text)) and W.tidy(text) != "TBD":
        assert f"“{W.tidy(text)}”" in f.need


@pytest.mark.parametrize("text,names,expected", [
    ("Share With Families At Town Halls", (), "share with families at town halls"),
    ("meet with the Chief Academic Officer monthly", (), "meet with the Chief Academic Officer monthly"),
    ("open the Riverside family center", ("Riverside Unified",), "open the Riverside family center"),
    ("give School leaders budget Authority", (), "give school leaders budget authority"),
    ("  - train  coaches  in  PLC protocols ;", (), "train coaches in PLC protocols"),
    ("review review data data in June", (), "review data in June"),
])
def test_tidy_normalises_case_space_and_punctuation(text, names, expected):
    assert W.tidy(text, names) == expected


# ---- the property test ---------------------------------------------------------------------------------------------
VERB_PHRASES = [  # (base verb, rest) — what the district will do
    ("redesign", "the principal supervisor role"), ("train", "supervisors in observation and feedback cycles"),
    ("protect", "90 minutes a week for teacher collaboration"), ("hire", "four more instructional coaches"),
    ("adopt", "a high-quality K-5 literacy curriculum"), ("launch", "a principal residency with Lincoln University"),
    ("align", "the budget with our three priorities"), ("publish", "a quarterly dashboard of lead metrics"),
    ("build", "a pipeline of assistant principals"), ("cut", "the number of district initiatives in half"),
    ("give", "principals control of their professional learning days"), ("fund", "a reading coach in every school"),
    ("pair", "every new principal with a mentor"), ("review", "all department requests against the strategy"),
    ("expand", "tutoring to all middle schools"), ("invest", "in ELA coaching for grades 3-5"),
    ("coach", "principals every week on feedback"), ("move", "operations tasks to school business managers"),
    ("replace", "compliance walkthroughs with coaching visits"), ("share", "student data with teacher teams monthly"),
    ("reduce", "meetings that pull principals out of buildings"), ("establish", "principal learning cadres"),
    ("create", "a central office service-level agreement with schools"), ("stop", "collecting unused compliance reports"),
]
CLAUSES = [  # (subject, rest): a whole clause someone wrote where an action was asked for
    ("cabinet", "reviews every new initiative against the three bets"), ("principals", "meet weekly with their supervisor"),
    ("every school", "has a literacy coach"), ("teacher teams", "meet for an hour each week"),
    ("the board", "approves a budget tied to the plan"), ("supervisors", "spend three days a week in schools"),
]
TOPICS = ["school leadership", "principal supervision", "more coaching for principals", "teacher retention",
          "a new math curriculum", "stronger family partnerships", "support for new principals", "data use"]
LEADER_VPS = ["observe every classroom twice a month", "give teachers feedback within 48 hours",
              "lead cycles of inquiry with their leadership teams", "protect time for teacher teams",
              "study student work with grade-level teams", "run weekly instructional leadership team meetings"]
LEADER_CLAUSES = ["principals spend two mornings a week in classrooms", "assistant principals coach new teachers",
                  "school leadership teams review interim data every six weeks", "each principal leads a learning walk"]
CORE_VPS = ["raise the rigor of daily tasks", "improve feedback on student writing", "increase student discourse"]
CORE_CLAUSES = ["teachers plan lessons around grade-level texts", "students explain their reasoning in math",
                "every classroom uses the new curriculum with fidelity"]
CORE_TOPICS = ["stronger instruction in every classroom", "more rigorous tasks", "deeper student engagement"]
GOALS = ["Raise grade 3-8 reading proficiency from 41% to 60% by June 2028", "60% of students read on grade level by 2028",
         "By June 2029, 60% of our students read on grade level", "cut chronic absence from 28% to 15% by 2027",
         "higher graduation rates for all students by 2030", "every ninth grader is on track to graduate by spring 2029"]
NAMES = {"Lincoln", "University", "June", "ELA", "K-5", "PLC"}
MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"}


def _inflect(verb: str, form: str) -> str:
    from lemminflect import getInflection

    tag = {"ing": "VBG", "s": "VBZ", "ed": "VBD"}.get(form)
    return getInflection(verb, tag)[0] if tag else verb


def _decorate(rng: random.Random, text: str) -> str:
    """Dress an entry the way people type: case, bullets, markers, doubled words, closing punctuation."""
    words = text.split()
    case = rng.choice(["lower", "sentence", "title", "caps", "stray", "lower", "sentence"])
    if case == "sentence":
        words[0] = words[0][:1].upper() + words[0][1:]
    elif case == "title":
        words = [w[:1].upper() + w[1:] if w.islower() else w for w in words]
    elif case == "caps":
        words = [w.upper() for w in words]
    elif case == "stray" and len(words) > 2:
        k = rng.randrange(1, len(words))
        if words[k].islower() and len(words[k]) > 3 and words[k] not in ("with", "from"):
            words[k] = words[k].capitalize()
    if rng.random() < 0.15 and len(words) > 2:
        k = rng.randrange(1, len(words))
        words.insert(k, words[k])
    out = " ".join(words)
    out = rng.choice(["", "", "- ", "1. ", "• "]) + out
    out += rng.choice(["", "", ".", ";", " [3]", " [TBD]", "!", "  "])
    return out


def _action(rng: random.Random):
    """(entry as typed, expected opening after "If we", or None when the entry is only a topic)."""
    roll = rng.random()
    if roll < 0.7:
        verb, rest = rng.choice(VERB_PHRASES)
        form = rng.choice(["base", "base", "ing", "s", "ed"])
        if form == "ed" and not re.match(r"(?:the|a|an|our|all|every|each|\d)\b", rest):
            form = "base"
        lead = {"ing": rng.choice(["", "by "]), "s": rng.choice(["", "the district "])}.get(
            form, rng.choice(["", "", "we will ", "We ", "the district will ", "to ", "If we "]))
        return _decorate(rng, f"{lead}{_inflect(verb, form)} {rest}"), verb
    if roll < 0.85:
        subject, rest = rng.choice(CLAUSES)
        return _decorate(rng, f"{subject} {rest}"), "ensure"
    return _decorate(rng, rng.choice(TOPICS)), None


def _stray_capitals(sentence: str) -> list[str]:
    out = []
    for m in re.finditer(r"\b[A-Za-z][\w'-]*", sentence):
        w = m.group()
        if m.start() == 0 or not w[0].isupper():
            continue
        if w in NAMES or w in MONTHS or re.fullmatch(r"[A-Z0-9-]{2,}s?", w):
            continue
        out.append(w)
    return out


def defects(sentence: str, expected_verb: str | None) -> list[str]:
    found = []
    if not sentence.startswith("If we "):
        found.append("does not start with 'If we'")
    elif expected_verb and sentence.split()[2].lower() != expected_verb:
        found.append(f"'If we' is followed by {sentence.split()[2]!r}, not {expected_verb!r}")
    m = re.search(r"\b(\w+)\s+\1\b", sentence, re.I)
    if m:
        found.append(f"doubled word {m.group(0)!r}")
    if re.search(r"[\[\]{}]", sentence):
        found.append("brackets")
    caps = _stray_capitals(sentence)
    if caps:
        found.append(f"stray capitals {caps}")
    if re.search(r"\s[,.;]|[,;]{2}|\.\.|,\s*,|\s{2}", sentence) or not sentence.endswith("."):
        found.append("broken punctuation")
    return found


class _NoSpace:
    """No framework vectors: the property test is about wording, so clauses go uncited."""

    index: dict = {}

    def current(self):
        return self


@pytest.fixture(scope="module")
def drafter():
    lib = Library(build_catalog(ROOT / "corpus"), CorpusTexts())
    return Drafter(lib, _NoSpace())


def test_property_any_reasonable_plan_reads_as_written_by_a_person(drafter, capsys):
    rng = random.Random(20261129)
    entries = sentences = complete = 0
    problems: list[str] = []
    for _ in range(700):
        bets, expected = [], []
        for _ in range(rng.randint(1, 3)):
            actions = [_action(rng) for _ in range(rng.randint(1, 2))]
            leaders = [_decorate(rng, rng.choice(LEADER_VPS + LEADER_CLAUSES + ["more time in classrooms"]))]
            core = [_decorate(rng, rng.choice(CORE_VPS + CORE_CLAUSES + CORE_TOPICS))]
            bets.append(Bet(title=rng.choice(TOPICS), district_actions=[a for a, _ in actions],
                            principal_changes=leaders, core_changes=core, lag_outcomes=["Grade 3-8 reading proficiency"]))
            expected.append([v for _, v in actions])
            entries += len(actions) + 2
        goal = _decorate(rng, rng.choice(GOALS))
        entries += 1
        draft = drafter.draft(TheoryOfAction(goal=goal, bets=bets))
        for chain, verbs in zip(draft.chains, expected):
            usable = [v for v in verbs if v]
            if not chain.complete:
                if not usable or "more time in classrooms" in W.tidy(" ".join(bets[chain.number - 1].principal_changes)).lower():
                    assert chain.needs() and all("[" not in n for n in chain.needs())
                    continue
                problems.append(f"chain {chain.number} incomplete: {chain.needs()}")
                continue
            sentences += 1
            complete += 1
            problems += [f"{d}: {chain.sentence()}" for d in defects(chain.sentence(), usable[0])]
        if draft.complete:
            sentences += 1
            first = next(v for c, vs in zip(draft.chains, expected) if c.complete for v in vs if v)
            problems += [f"{d}: {draft.statement_text()}" for d in defects(draft.statement_text(), first)]
    with capsys.disabled():
        print(f"\nwording property test: {entries} entries in 700 plans, {sentences} sentences checked "
              f"({complete} bet chains), {len(problems)} defects")
    assert sentences > 800
    assert problems == [], problems[:10]


@pytest.mark.parametrize("lag,expected", [
    (["Grade 3-8 reading proficiency on the state test"], "grade 3-8 reading proficiency on the state test"),
    (["Interim reading growth", "graduation rate"], "interim reading growth and graduation rate"),
    (["students read better"], ""),  # a clause does not follow "as measured by"
])
def test_lag_outcomes_read_after_as_measured_by(lag, expected):
    assert W.as_measured(lag) == expected
