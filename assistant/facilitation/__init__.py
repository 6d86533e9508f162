"""Facilitation tools over the five frameworks. Deterministic, offline; every suggestion carries a `SourceRef`
(an exact corpus span).

- finder.PracticeFinder.for_services(s).find(challenge, k, framework) -> [Finding]   practice finder
- crosswalk.crosswalk(s, item_id_or_reference) -> Crosswalk                           related items per framework
- assessment.Assessment / descriptor / next_moves / summary / compare / priorities      rubric self-assessment
- charts.area_chart / heatmap / growth_chart -> PNG bytes
- toa.TheoryOfAction / Bet (versioned JSON)                                             the plan
- drafting.build_draft(s, toa) -> Draft (statement, chains, table, assumptions, checks, numbered sources)
- checks.run_checks(toa, library) -> [CheckResult]                                      coherence checks
- review.review_for_services(s, statement) -> Review                                    review a pasted statement
- exports.export(draft, "md"|"docx"|"pdf"|"json") -> (bytes, file name)
- chat.facilitate(s, message, session, key) -> Answer | None                            the chat facilitator
- cli.add_commands / cli.run                                                            python -m assistant …
"""
