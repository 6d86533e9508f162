"""Where the frameworks state what the theory-of-action facilitation relies on: each coherence criterion with the
catalog item (and exact phrase) that states it, the items that support each link of the chain, the principle that
caps the number of bets, and LEAD CT's seven systems with the words that signal them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Criterion:
    """A coherence check and the framework sentence that states it."""

    key: str
    name: str
    item_id: str  # the catalog item that states the criterion
    phrase: str  # words of that item that state it: the cited sentence is the one holding them
    keywords: tuple[str, ...]  # words the cited text must contain (checked by the tests)
    question: str  # asked when the criterion is missing
    also: tuple[tuple[str, str], ...] = ()  # further (item id, phrase) citations
    examples: tuple[str, ...] = ()  # items showing how to meet it


CRITERIA: tuple[Criterion, ...] = (
    Criterion("few_bets", "A few bets", "leadct:principle-1", "small number of strategies",
              ("small number of strategies",),
              "If you could fund only three bets next year, which would they be — and what will you stop doing?",
              also=(("leadct:principle-1", "Place your bets"),)),
    Criterion("instructional_core", "An explicit path to the instructional core", "leadct:requirement-2",
              "drive improvements in the instructional core", ("theory of action", "instructional core"),
              "For each bet, what will teachers do differently, what will students experience, and what content "
              "will they engage with?",
              also=(("leadct:component-instructional-core", "teachers’ intellectual and personal resources"),),
              examples=("instll:strategy-3", "instll:strategy-3:action-1")),
    Criterion("school_leadership", "School leadership addressed", "leadct:requirement-5",
              "necessary conditions for great school leadership", ("conditions", "school leadership"),
              "What will principals and school leadership teams do differently, and what will the district do to "
              "make that possible?",
              also=(("leadct:principle-4", "conditions and capacities for strong and effective school leadership"),),
              examples=("uva:condition-4", "leadct:leadership-condition-d", "rubric:practice-12")),
    Criterion("culture", "Culture: “how we do things around here”", "leadct:principle-2",
              "how we do things around here", ("how we do things around here", "culture"),
              "When this works, how will adults work together differently — what will “how we do things around "
              "here” look like?",
              also=(("leadct:requirement-3", "collaborative culture"),),
              examples=("leadct:culture-relational-trust", "leadct:culture-collective-responsibility")),
    Criterion("systems", "The seven systems aligned", "leadct:requirement-4", "integrate and align the Seven Systems",
              ("align", "seven systems"),
              "Which of the seven systems — instructional, professional learning, talent, student support, resources "
              "and operations, engagement and communications, continuous improvement — must change for each bet, "
              "and how will you keep them aligned?",
              examples=("leadct:component-seven-systems",)),
    Criterion("governance", "Governance: the board's role", "leadct:requirement-1", "with the board of education",
              ("theory of action", "board of education"),
              "How will the board of education help build, adopt and monitor this theory of action?",
              also=(("leadct:component-governance", "collaborate regularly to develop, communicate, and assess"),),
              examples=("instll:element-school-board-and-superintendent-district",)),
    Criterion("external_factors", "External factors addressed", "leadct:component-external-factors",
              "effectively address these external factors", ("theory of action", "external factors"),
              "Which outside factors — state and local politics, policy, funding, community stakeholders — could "
              "help or block these bets, and how will you respond?"),
    Criterion("metrics", "Lead metrics and lag outcomes", "coherence:coherence-making:outcome-1",
              "lag outcomes and lead metrics", ("few goals", "lag outcomes", "lead metrics"),
              "For each bet, what early signal (a lead metric) will you check every month or quarter, and which "
              "student outcome (a lag outcome) will show it worked?",
              examples=("leadct:system-7",)),
    Criterion("system_wide", "System-wide scope", "instll:criterion-system-wide", "system-wide",
              ("system-wide", "all schools"),
              "Does the plan reach every school? If some schools start first, how and when does it reach the rest?"),
    Criterion("public_goals", "Specific, public goals", "instll:criterion-specific-and-public-goals",
              "specific and public goals", ("specific and public goals",),
              "Is the goal specific (a number and a date), and where will families and staff see progress toward it?"),
    Criterion("communication", "A communication plan", "instll:step-2", "communicated and shared",
              ("communicated and shared",),
              "Who needs to hear about this plan — principals, teachers, families, community leaders — and how and "
              "when will you share it?",
              also=(("coherence:coherence-making:practice-1", "communication strategy"),),
              examples=("leadct:system-6",)),
)
# Items that speak to each link of the chain (used with the bet's own items).
CHAIN_POOLS = {
    "if": ("leadct:component-strategy", "instll:strategy-1:action-1", "leadct:principle-1"),
    "then": ("leadct:component-school-leadership", "leadct:leadership-condition-c", "leadct:leadership-condition-d",
             "uva:condition-4", "coherence:focusing-direction:practice-2",
             "coherence:cultivating-collaborative-cultures:practice-3", "leadct:requirement-5"),
    "which": ("leadct:component-instructional-core", "instll:strategy-3", "instll:strategy-3:action-1",
              "instll:strategy-3:action-3", "coherence:deepening-learning:outcome-1", "leadct:requirement-2"),
    "so that": ("leadct:component-district-leadership-theory-of-action", "coherence:coherence-making:outcome-1",
                "leadct:requirement-2", "coherence:focusing-direction"),
}
# The principle that caps a plan at a few bets: (item id, the phrase that says so).
FEW_BETS = ("leadct:principle-1", "small number of strategies")

# LEAD CT's seven systems: number -> (name, words that signal the system in a plan's text).
SEVEN_SYSTEMS = {
    1: ("Instructional System", r"\bcurricul\w*|\binstructional (?:materials|strategies|system|model|framework)\b|"
                                r"\bassessments?\b|\bhigh-quality instruction\b|\bscope and sequence\b"),
    2: ("Professional Learning System", r"\bprofessional (?:learning|development)\b|\bcoach\w*|\bPD\b|\btraining\b|"
                                        r"\blearning plans?\b|\bleadership development\b|\bmentor\w*"),
    3: ("Talent Management System", r"\bhir(?:e|es|ing)\b|\brecruit\w*|\bretain\w*|\bretention\b|\bevaluat\w*|"
                                    r"\binduction\b|\bonboard\w*|\bcompensation\b|\btalent\b|\bplacement\b|\bpipeline\b"),
    4: ("Student Support System", r"\bstudent supports?\b|\bsocial[- ]emotional\b|\bSEL\b|\bcounsel\w*|"
                                  r"\battendance\b|\bbehaviou?r\b|\bwrap-?around\b|\bmental health\b|\binterventions?\b"),
    5: ("Resource and Operations Management System", r"\bbudget\w*|\bresources?\b|\bfunding\b|\ballocat\w*|"
                                                     r"\bschedul\w*|\boperations\b|\bstaffing\b|\bfinanc\w*"),
    6: ("Stakeholder Engagement and Communications System", r"\bfamil(?:y|ies)\b|\bparents?\b|\bcommunity\b|"
                                                            r"\bcommunicat\w*|\bstakeholders?\b|\bengagement\b"),
    7: ("Continuous Improvement System", r"\bdata\b|\bmonitor\w*|\bcycles? of inquiry\b|\bprogress\b|\bmetrics?\b|"
                                         r"\bdashboards?\b|\bcontinuous improvement\b|\bimprovement cycles?\b"),
}
SYSTEM_ITEM = "leadct:system-"  # catalog ids of the seven systems: "leadct:system-<number>"


def system_number(item_id: str) -> int | None:
    """The number of the LEAD CT system an item id names, or None."""
    return int(item_id[len(SYSTEM_ITEM):]) if item_id.startswith(SYSTEM_ITEM) else None
