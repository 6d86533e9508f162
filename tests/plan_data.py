"""A theory of action with a whole improvement plan, built the way a team builds it (suggested secondary drivers
added, a 90-day cycle planned and logged, readiness scored with a low score), for the plan tests."""

from __future__ import annotations

from pathlib import Path

from assistant.facilitation.cycles import Cycle, LogEntry
from assistant.facilitation.drivers import add
from assistant.facilitation.toa import Bet, TheoryOfAction

DATA = Path(__file__).parent / "data"
CYCLE = dict(change_idea="Redesign the supervisor role for the 5 priority schools",
             prediction="Principals coached weekly give teachers feedback on grade-level tasks twice as often",
             lead_measures=["Supervisor visits per principal per month", "Feedback conversations logged per week"],
             who="Chief Academic Officer", start="2025-09-02")
LOG = LogEntry("2025-10-15", "Supervisors visited the 5 schools weekly", "Feedback doubled in 3 of 5 schools",
               "continue")


def planned(services, extra_bets: int = 0, long_text: bool = False) -> TheoryOfAction:
    """The coaching plan with drivers on every bet, a logged cycle on bet 1 and a readiness check with capacity
    low; `extra_bets` more bets and `long_text` (long owners and measures) make a plan as big as teams write."""
    toa = TheoryOfAction.load(DATA / "toa_principal_coaching.json")
    for k in range(extra_bets):
        toa.bets.append(Bet(title=f"School leadership teams lead inquiry {k + 1}", item_ids=["uva:condition-12"],
                            district_actions=["Give every school leadership team a weekly inquiry block"],
                            principal_changes=["Principals lead inquiry cycles"],
                            core_changes=["Teachers adjust instruction from student work"],
                            lead_metrics=["Inquiry cycles completed"], lag_outcomes=["Reading growth"],
                            owners=["Director of Schools"]))
    if long_text:
        for b in toa.bets:
            b.owners += [f"Network lead for region {k}" for k in range(4)]
            b.lead_metrics += [f"Walkthrough measure {k}: share of classrooms with grade-level tasks and feedback"
                               for k in range(4)]
    for k, bet in enumerate(toa.active_bets()):
        found = services.driver_suggester.suggest(toa, k, k=3)
        bet.secondary_drivers, _ = add(bet.secondary_drivers, [s.driver() for s in found])
    bet = toa.bets[0]
    bet.cycles.append(Cycle(**CYCLE, log=[LOG]))
    bet.cycles.append(Cycle("Train supervisors in feedback cycles", "Supervisors give specific feedback",
                            ["Observed feedback quality"], "Director of Leadership", "2026-01-05"))
    for dim, score, note in (("need", 5, "Reading results are flat"), ("fit", 4, "Joins the literacy plan"),
                             ("resources", 3, "Title II funds"), ("evidence", 4, "UVA-PLE districts"),
                             ("readiness", 3, "We can describe good coaching"), ("capacity", 2, "Supervisors untrained")):
        bet.readiness.rate(dim, score, note)
    return toa
