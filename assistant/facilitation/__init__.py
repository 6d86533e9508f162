"""Facilitation tools over the five frameworks. Deterministic, offline; every suggestion carries a `SourceRef`
(assistant.types: an exact span of a document text, the same citation unit answers use). assistant/wiring.py builds each service once and passes its collaborators in.

- library.Library(catalog, texts)                                                      catalog items as cited text
- vectors.ItemSpace / CurrentSpace(build, generation).current()                         item vectors per index
- finder.PracticeFinder(searcher, library, spaces).find(challenge, k, framework) -> [Finding]   practice finder
- crosswalk.Crosswalker(library, spaces).crosswalk(item_id_or_reference) -> Crosswalk  related items per framework
- assessment.Assessment / descriptor / next_moves / summary / compare / priorities      rubric self-assessment
- charts.area_chart / heatmap / growth_chart -> PNG bytes
- toa.TheoryOfAction / Bet (versioned JSON)                                             the plan
- wording.fit(role, text) / fit_all / tidy (lexicon: English word knowledge)      clauses in their grammatical form
- drafting.Drafter(library, spaces).draft(toa) -> Draft (statement, chains, table, assumptions, checks, sources)
- checks.run_checks(toa, library) -> [CheckResult]                                      coherence checks
- review.Reviewer(library, drafter).review(statement) -> Review                         review a pasted statement
- outline.outline(draft) -> Outline; exports.export(draft, "md"|"docx"|"pdf"|"json") -> (bytes, file name)
  (pdf_layout.Layout: print layout by measure)
- placing.place(state, suggestions, chosen): finder results / assessment priorities -> bets in the shared draft
- session.SessionStore(folder): per browser, the conversation, the assessment and the one draft (JSON files)
- chat.ChatFacilitator(…).facilitate(message, session, key) -> Answer | None            the chat facilitator
"""
