"""The Improvement plan tab's event handlers over the browser's shared draft: each reads the saved draft, changes
one bet's diagram, cycles or readiness, saves it as the next revision, and shows the whole tab again from it (so
what is on screen is always what is saved). Handlers return {component: value} for the tab's `ui.outputs`."""

from __future__ import annotations

import gradio as gr

from assistant.app.escape import markdown_text
from assistant.app.tab_toa import saved_note
from assistant.facilitation import plan_views as V
from assistant.facilitation.cycles import Cycle, LogEntry, STATUS_NAMES, iso, next_cycle
from assistant.facilitation.drivers import Driver, add, relabel
from assistant.facilitation.entries import as_list
from assistant.facilitation.forms import write
from assistant.facilitation.readiness import DIMENSIONS
from assistant.facilitation.wording import split_parts
from assistant.types import SourceRef

NO_BETS = ("Your theory of action has no bets yet. Place them in the **Theory of action** tab (or use practices from "
           "the Practice finder or the Self-assessment as bets), then come back.")


def _index(value, bets) -> int:
    try:
        k = int(value) - 1
    except (TypeError, ValueError):
        k = 0
    return min(max(k, 0), max(len(bets) - 1, 0))


class PlanTab:
    def __init__(self, services, ctx, ui):
        self.services, self.ctx, self.ui = services, ctx, ui
        self.sessions = services.sessions

    # ---- state ---------------------------------------------------------------------------------------------
    def _state(self, key):
        from assistant.facilitation.session import FacilitationState

        return self.sessions.draft(key) or FacilitationState()

    def _save(self, key, state) -> str:
        return self.sessions.save_draft(key, state)

    def _key(self, browser, request):
        return self.ctx.key(browser, request)

    # ---- showing -------------------------------------------------------------------------------------------
    def show(self, state, index: int, key, when: str = "", notice: str = "", where: str = "top",
             cycle: str | None = None) -> dict:
        """Every output of the tab for the saved draft, with bet `index` selected; `notice` (with the time saved)
        goes beside the control that was used (`where`: a key of ui.section_notes)."""
        ui = self.ui
        bets = state.toa.active_bets()
        out = {ui.shown_rev: state.rev, ui.saved: saved_note(when) if when else gr.update(), ui.aim: state.toa.goal}
        text = " ".join(x for x in (f"✓ Saved {when}." if when else "", notice) if x)
        out.update({comp: (text if name == where else "") for name, comp in ui.section_notes.items()})
        if not bets:
            out.update({ui.bet: gr.update(choices=[], value=None), ui.notice: notice or NO_BETS,
                        ui.diagram: V.diagram_html(None), ui.aim_check: V.aim_html(None)})
            return out
        self.ctx.ready()
        draft = self.services.drafter.draft(state.toa)
        bet = bets[index]
        out.update({ui.bet: gr.update(choices=[(f"{k}. {c.title}", str(k)) for k, c in enumerate(draft.chains, 1)],
                                      value=str(index + 1)),
                    ui.aim_check: V.aim_html(draft.plan.diagram), ui.diagram: V.diagram_html(draft),
                    ui.primary: bet.title, ui.secondary: "\n".join(d.text for d in bet.secondary_drivers),
                    ui.changes: "\n".join(bet.district_actions),
                    ui.suggestions: gr.update(choices=[], value=[]), ui.sugg_state: [], ui.sugg_view: V.suggestions_html([])})
        out.update(self._downloads(draft, key))
        out.update(self._cycles(state, bet, index, cycle))
        out.update(self._readiness(bet))
        return out

    def _downloads(self, draft, key) -> dict:
        from assistant.facilitation.diagram_layout import Style
        from assistant.facilitation.diagram_png import to_png
        from assistant.facilitation.diagram_svg import to_svg

        folder = self.sessions.files_dir(key)
        svg = write(folder, "driver-diagram.svg", to_svg(draft.plan.diagram).encode("utf-8"))
        png = write(folder, "driver-diagram.png", to_png(draft.plan.diagram, Style(width=960, font=13, head=13.5))[0])
        return {self.ui.dl_svg: gr.update(value=svg, interactive=True),
                self.ui.dl_png: gr.update(value=png, interactive=True)}

    def _cycles(self, state, bet, index: int, pick: str | None) -> dict:
        ui = self.ui
        planner = self.services.planner
        choices = [(f"Cycle {k}: {c.change_idea or 'no change idea yet'} ({STATUS_NAMES[c.status].lower()})", str(k))
                   for k, c in enumerate(bet.cycles, 1)] + [("Plan a new cycle", "new")]
        values = [v for _, v in choices]
        pick = pick if pick in values else (str(len(bet.cycles)) if bet.cycles else "new")
        c = bet.cycles[int(pick) - 1] if pick != "new" else None
        nxt = next_cycle(state.toa.active_bets())
        measures = planner.measure_language()
        return {ui.guidance: V.guidance_html(measures, planner.cycle_language()),
                ui.measure_hint: V.measure_hint_html(measures[:2]),
                ui.overview: V.cycles_overview_html(state.toa.active_bets(), nxt[:2] if nxt else None),
                ui.cycle_pick: gr.update(choices=choices, value=pick),
                ui.idea: gr.update(choices=split_parts(bet.district_actions), value=c.change_idea if c else None),
                ui.prediction: c.prediction if c else "", ui.measures: "\n".join(c.lead_measures) if c else "",
                ui.who: c.who if c else "", ui.start: c.start if c else "", ui.end: c.end if c else "",
                ui.cycle_view: V.cycle_html(c, int(pick) if c else 0),
                ui.log_date: "", ui.log_did: "", ui.log_learned: "", ui.log_decision: None}

    def _readiness(self, bet) -> dict:
        ui = self.ui
        passages = self.services.planner.readiness_passages(bet)
        out = {ui.ready_view: V.readiness_html(bet.readiness)}
        for d in DIMENSIONS:
            s = bet.readiness.score(d)
            out[ui.scores[d]] = str(s) if s is not None else None
            out[ui.notes[d]] = bet.readiness.note(d)
            out[ui.passages[d]] = V.passages_html(passages[d])
        return out

    # ---- events --------------------------------------------------------------------------------------------
    def opened(self, browser, rev=-1, request: gr.Request = None):
        """The saved draft in the tab (page open, tab selected) unless the tab already shows this revision."""
        key = self._key(browser, request)
        state = self._state(key)
        if rev == state.rev and rev >= 0:
            return {self.ui.shown_rev: gr.update()}
        if not self.ctx.wait():
            return {self.ui.shown_rev: gr.update()}
        return self.show(state, 0, key)

    def pick_bet(self, value, browser, request: gr.Request = None):
        key = self._key(browser, request)
        state = self._state(key)
        return self.show(state, _index(value, state.toa.active_bets()), key)

    def save_diagram(self, value, aim, primary, secondary, changes, browser, request: gr.Request = None):
        key = self._key(browser, request)
        state = self._state(key)
        bets = state.toa.active_bets()
        state.toa.goal = " ".join((aim or "").split())
        if bets:
            bet = bets[_index(value, bets)]
            bet.title = " ".join((primary or "").split()) or bet.title
            bet.secondary_drivers = relabel(bet.secondary_drivers, secondary or "")
            bet.district_actions = as_list(changes or "")
        when = self._save(key, state)
        return self.show(state, _index(value, bets), key, when, "The diagram is redrawn.", where="diagram")

    def suggest(self, value, browser, request: gr.Request = None):
        key = self._key(browser, request)
        state = self._state(key)
        bets = state.toa.active_bets()
        if not bets:
            return gr.update(), gr.update(), gr.update(), NO_BETS
        self.ctx.ready()
        found = self.services.driver_suggester.suggest(state.toa, _index(value, bets))
        return (gr.update(choices=[(f"{s.text} — {s.label.split(':')[0]}", s.item_id) for s in found], value=[]),
                [s.to_dict() for s in found], V.suggestions_html(found),
                f"{len(found)} secondary drivers suggested. Tick the ones that carry this bet, then *Add the ticked "
                "drivers*; edit their wording in the box freely." if found else "No suggestions for this bet yet: "
                "write what the district will do (its change ideas) first.")

    def add_drivers(self, value, ticked, suggestions, browser, request: gr.Request = None):
        key = self._key(browser, request)
        state = self._state(key)
        bets = state.toa.active_bets()
        k = _index(value, bets)
        if not bets or not ticked:
            return self.show(state, k, key, notice="Tick at least one suggested driver first.", where="suggest")
        chosen = [Driver(s["text"], s["item_id"], SourceRef.from_dict(s["citation"]))
                  for s in suggestions or [] if s["item_id"] in ticked]
        bets[k].secondary_drivers, n = add(bets[k].secondary_drivers, chosen)
        when = self._save(key, state)
        return self.show(state, k, key, when, where="suggest",
                         notice=f"Added {n} secondary driver{'s' if n != 1 else ''}, each with the passage it comes "
                                "from." if n else "Those drivers are already in the diagram (at most six per bet).")

    def pick_cycle(self, value, pick, browser, request: gr.Request = None):
        key = self._key(browser, request)
        state = self._state(key)
        bets = state.toa.active_bets()
        if not bets:
            return self.show(state, 0, key)
        return self._cycles(state, bets[_index(value, bets)], _index(value, bets), pick)

    def save_cycle(self, value, pick, idea, prediction, measures, who, start, end, browser,
                   request: gr.Request = None):
        key = self._key(browser, request)
        state = self._state(key)
        bets = state.toa.active_bets()
        if not bets:
            return self.show(state, 0, key)
        k = _index(value, bets)
        bet = bets[k]
        cycle = Cycle(" ".join((idea or "").split()), " ".join((prediction or "").split()), as_list(measures or ""),
                      " ".join((who or "").split()), iso(start or ""), iso(end or ""))
        if cycle.is_empty():
            return self.show(state, k, key, notice="Write at least the change idea to test.", where="cycle",
                             cycle=pick)
        if pick not in (None, "", "new") and 0 < int(pick) <= len(bet.cycles):
            cycle.log = bet.cycles[int(pick) - 1].log
            bet.cycles[int(pick) - 1] = cycle
            n = int(pick)
        else:
            bet.cycles.append(cycle)
            n = len(bet.cycles)
        when = self._save(key, state)
        gaps = cycle.gaps()
        note = f"Saved cycle {n}." + (f" Still to plan: {markdown_text('; '.join(gaps))}." if gaps else " It is ready to run.")
        return self.show(state, k, key, when, notice=note, where="cycle", cycle=str(n))

    def add_log(self, value, pick, day, did, learned, decision, browser, request: gr.Request = None):
        key = self._key(browser, request)
        state = self._state(key)
        bets = state.toa.active_bets()
        k = _index(value, bets)
        if not bets or pick in (None, "", "new") or not (did or learned or decision):
            return self.show(state, k, key, notice="Save the cycle plan first, then log what you did, saw and "
                                                   "learned.", where="log", cycle=pick)
        cycle = bets[k].cycles[int(pick) - 1]
        cycle.log.append(LogEntry.from_dict({"date": day, "did": did, "learned": learned, "decision": decision}))
        when = self._save(key, state)
        entries = f"{len(cycle.log)} entr{'ies' if len(cycle.log) != 1 else 'y'}"
        return self.show(state, k, key, when, notice=f"Logged: {entries} in cycle {pick} ({STATUS_NAMES[cycle.status].lower()}).",
                         where="log", cycle=pick)

    def save_readiness(self, value, *args, request: gr.Request = None):
        *values, browser = args
        key = self._key(browser, request)
        state = self._state(key)
        bets = state.toa.active_bets()
        k = _index(value, bets)
        if not bets:
            return self.show(state, 0, key)
        for d, score, note in zip(DIMENSIONS, values[0::2], values[1::2]):
            bets[k].readiness.rate(d, score or None, note or "")
        when = self._save(key, state)
        low = bets[k].readiness.low()
        return self.show(state, k, key, when, where="readiness",
                         notice=bets[k].readiness.summary()
                         + (" The flagged dimensions are worth a conversation before you commit." if low else ""))

    def one_page(self, browser, request: gr.Request = None):
        from assistant.facilitation.exports import export
        from assistant.facilitation.onepager import one_pager

        key = self._key(browser, request)
        state = self._state(key)
        if not state.toa.active_bets() and not state.toa.goal:
            return ("", *[gr.update()] * 5, NO_BETS)
        self.ctx.ready()
        draft = self.services.drafter.draft(state.toa)
        folder = self.sessions.files_dir(key)
        files = [gr.update(value=write(folder, name, data), interactive=True)
                 for data, name in (export(draft, f) for f in ("onepager", "onepager-docx", "onepager-md", "docx", "pdf"))]
        return (V.onepager_html(one_pager(draft)), *files, "The one-page plan is ready: it prints on one page.")
