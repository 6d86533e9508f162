"""Where the frameworks speak to improvement planning — the passages the driver diagram, the 90-day cycle planner and
the readiness check cite: the frameworks' own language on lead and lag measures and on short improvement cycles,
and, for each readiness dimension, the passages that bear on it. Each entry is (catalog item id, phrase): the cited
span is the sentence of that item holding the phrase, or (when the phrase is empty) the item's first part; the tests
check every phrase against the corpus."""

from __future__ import annotations

Anchor = tuple[str, str]  # (catalog item id, words of that item the cited sentence holds)

# What the frameworks say about lead metrics and lag outcomes (shown beside the measures a team writes).
MEASURE_LANGUAGE: tuple[Anchor, ...] = (
    ("coherence:coherence-making:outcome-1", "lag outcomes and lead metrics"),
    ("coherence:securing-accountability:outcome-1", "monitoring lead metrics"),
    ("leadct:system-7", "leading indicators"),
)

# What they say about short improvement cycles (shown beside the 90-day cycle planner).
CYCLE_LANGUAGE: tuple[Anchor, ...] = (
    ("uva:condition-6", "short-cycle plans"),
    ("uva:vignette-2", "90 day school planning process"),
    ("rubric:19b", "uses improvement cycles to monitor and adjust"),
    ("coherence:securing-accountability:practice-3", "quarterly updates"),
)

# The passages that bear on each readiness dimension, most direct first.
READINESS_PASSAGES: dict[str, tuple[Anchor, ...]] = {
    "need": (
        ("instll:criterion-linked-to-prioritized-district-and-school-issues-and-challenges",
         "prioritized district and school issues"),
        ("coherence:focusing-direction:practice-1", "student performance patterns"),
        ("instll:catalyzing-event-or-external-change-agent", "critical academic gaps"),
    ),
    "fit": (
        ("leadct:call-for-coherence", "well-matched to the local context"),
        ("instll:strategy-1:action-4", "alignment among programs"),
        ("leadct:requirement-4", "integrate and align the Seven Systems"),
    ),
    "resources": (
        ("instll:window-of-opportunity", "availability of funding"),
        ("instll:strategy-4:action-1", "human and fiscal resources"),
        ("leadct:system-5", "equitable distribution of resources"),
    ),
    "evidence": (
        ("leadct:call-for-coherence", "research-based strategies"),
        ("instll:strategy-3:action-4", "regularly evaluating their impact"),
        ("coherence:deepening-learning:outcome-1", "research-based instructional practices"),
    ),
    "readiness": (
        ("rubric:19a", "readiness assessment and exploration"),
        ("rubric:19b", "small scale versions of new policies or programs"),
        ("rubric:19b", "determines readiness for scaling"),
    ),
    "capacity": (
        ("instll:threshold-of-capacity", ""),
        ("instll:element-knowledge-and-expertise", "support and train district and school staff"),
        ("rubric:19b", "capacity for change is small"),
    ),
}
