"""The facilitator in the chat: leads a team step by step from a goal to a cited theory of action.

`ChatFacilitator.handle(message, state)` returns ``(reply_markdown, citations, new_state)`` for facilitation
messages and None for everything else (the ordinary answerer answers those; a running session is kept).
Steps: goal -> problem of practice -> choose at most three suggested practices -> for each bet: district actions,
changes for principals and in classrooms, lead metrics and lag outcomes -> open coherence checks, one question at a
time -> done (the Theory of action tab exports the same draft). Trigger phrases and commands: see chat_parse.

Wiring into the chat: `ChatFacilitator.facilitate(message, session, key)` returns an `Answer` (or None) — see its
docstring. Deterministic: no language model, the same words give the same replies.
"""

from __future__ import annotations

import re

from assistant.protocols import ChunkSource
from assistant.types import Answer, SourceRef
from assistant.facilitation import chat_parse as P
from assistant.facilitation.chat_apply import answer_check, apply_fields
from assistant.facilitation.chat_render import Cites, draft_markdown, option_lines, review_markdown
from assistant.facilitation.placing import bet_from, candidate, place, place_suggested
from assistant.facilitation.checks import BY_KEY
from assistant.facilitation.drafting import Drafting
from assistant.facilitation.finder import Finder
from assistant.facilitation.library import Library, excerpt
from assistant.facilitation.review import Reviewing
from assistant.facilitation.session import FacilitationState, SessionStore
from assistant.facilitation.signals import mentions
from assistant.text.templates import render
from assistant.facilitation.toa import MAX_BETS, as_list
from assistant.frameworks.anchors import FEW_BETS

OFFER = 6  # practices offered at first
BET_STEPS = ("actions", "changes", "metrics")


class ChatFacilitator:
    """The chat's facilitation step (see module docstring); citations resolve to indexed chunks when there are any."""

    def __init__(self, library: Library, finder: Finder, drafter: Drafting, reviewer: Reviewing,
                 chunks: ChunkSource, sessions: SessionStore):
        self.lib = library
        self.finder = finder
        self.drafter = drafter
        self.reviewer = reviewer
        self.chunks = chunks
        self.sessions = sessions

    def facilitate(self, message: str, session: dict | None = None, key: str | None = None) -> Answer | None:
        """The chat's entry point: an Answer when `message` is a facilitation message, else None.

        Call it in the chat's respond() before the answerer; render the Answer like any other (its text has [n]
        markers, its citations exact spans). State lives in ``session["facilitation"]`` and, when `key` (the Gradio
        ``request.session_hash``) is given, in the session store the Theory of action tab opens."""
        state = self.sessions.draft(key) or (session or {}).get("facilitation")
        st = FacilitationState.coerce(state)
        placed = place_suggested(message, session, st)  # "use these as bets" after suggested practices
        out = (render("facilitation/chat_placed", message=placed), [], st) if placed is not None \
            else self.handle(message, state)
        if out is None:
            return None
        reply, citations, new_state = out
        files = self._export(new_state, key) if new_state.pending == "export" else []
        new_state.pending = ""
        if session is not None:
            session["facilitation"] = new_state.to_dict()
        self.sessions.save_draft(key, new_state)
        return Answer(question=message, text=reply, citations=citations, passages=[c.passage for c in citations],
                      backend="facilitator", shape="facilitation", resolved_question=message, files=files)

    def _export_reply(self, st: FacilitationState, cites: Cites) -> str:
        draft = self.drafter.draft(st.toa)
        incomplete = not draft.complete or any(not c.complete for c in draft.chains)
        return render("facilitation/chat_export", draft=draft_markdown(draft, cites),
                      still=render("facilitation/chat_export_still") if incomplete else "")

    def _export(self, st: FacilitationState, key: str | None) -> list[str]:
        """The draft as Word and PDF files in this browser's download folder."""
        from assistant.facilitation.exports import export
        from assistant.facilitation.forms import write

        draft = self.drafter.draft(st.toa)
        folder = self.sessions.files_dir(key)
        return [write(folder, name, data) for name, data in
                ((n, d) for d, n in (export(draft, fmt) for fmt in ("docx", "pdf")))]

    # ---- entry ---------------------------------------------------------------------------------------------
    def handle(self, message: str, state=None):
        """(reply_markdown, citations, new_state) for a facilitation message, else None."""
        text = (message or "").strip()
        if not text:
            return None
        st = FacilitationState.coerce(state)
        cites = Cites(self.chunks)
        reply = self._continue(text, st, cites) if st.active else self._trigger(text, st, cites)
        if reply is None:
            return None
        return reply, cites.citations(), st

    def _trigger(self, text: str, st: FacilitationState, cites: Cites) -> str | None:
        kind = P.classify(text)
        if kind == "review":
            statement = P.statement_in(text)
            if statement:
                return self._review(statement, cites)
            st.active, st.step = True, "review"
            return render("facilitation/chat_review_ask")
        if P.EXPORT.search(text) and (st.toa.goal or st.toa.bets) and len(text.split()) <= 8:
            st.pending = "export"  # "export our draft" after the session stopped: the same files
            return self._export_reply(st, cites)
        if P.RESUME.search(text) and (st.toa.goal or st.toa.bets):
            st.active = True
            st.step = st.step if st.step not in ("", "done", "review") else "extras"
            return "Welcome back. " + self._prompt(st, cites)
        if kind == "start":
            topic = P.topic_of(text) or st.topic
            keep = st.candidates if topic and topic == st.topic else []
            fresh = FacilitationState(active=True, step="goal", topic=topic, candidates=keep)
            st.__dict__.update(fresh.__dict__)
            return render("facilitation/chat_start", topic_phrase=f" for **{topic}**" if topic else "")
        if kind == "practices":
            return self._practices(text, st, cites)
        return None

    def _continue(self, text: str, st: FacilitationState, cites: Cites) -> str | None:
        if P.STOP.match(text):
            st.active = False
            return render("facilitation/chat_stopped")
        if P.RESTART.match(text):
            st.__dict__.update(FacilitationState(active=True, step="goal", topic=st.topic).__dict__)
            return render("facilitation/chat_start", topic_phrase=f" for **{st.topic}**" if st.topic else "")
        if P.HELP.match(text):
            return render("facilitation/chat_help")
        if st.step == "done" and P.START.search(text):
            st.__dict__.update(FacilitationState(active=True, step="goal", topic=P.topic_of(text)).__dict__)
            return render("facilitation/chat_start", topic_phrase=f" for **{st.topic}**" if st.topic else "")
        if st.step == "review":
            statement = P.statement_in(text) or (text if len(text.split()) >= 8 else "")
            if not statement:
                return render("facilitation/chat_review_ask")
            st.active, st.step = False, ""
            return self._review(statement, cites)
        if P.REVIEW.search(text) and P.STATEMENT.search(text):
            return self._review(P.statement_in(text), cites)
        if P.SHOW.search(text) and not P.CHANGE.search(text):
            return draft_markdown(self.drafter.draft(st.toa), cites) + "\n\n" + self._prompt(st, cites)
        if P.EXPORT.search(text) and not P.CHANGE.search(text):
            st.pending = "export"
            return self._export_reply(st, cites)
        edited = self._edit(text, st, cites)
        if edited is not None:
            return edited
        if P.PRACTICES.search(text):
            reply = self._practices(text, st, cites, offer=st.step == "choose")
            return reply + ("" if st.step == "choose" else "\n\nSay *“replace bet 1 with 2”* to use one of them.")
        if P.QUESTION.match(text) and not (st.step == "choose" and P.numbers(text)):
            return None  # a question about the frameworks: the answerer answers, the session waits
        handler = {"goal": self._goal, "problem": self._problem, "choose": self._choose, "actions": self._bet,
                   "changes": self._bet, "metrics": self._bet, "extras": self._extras, "done": self._done}.get(st.step)
        if handler is None:
            st.step = "goal"
            return self._prompt(st, cites)
        return handler(text, st, cites)

    # ---- commands -------------------------------------------------------------------------------------------
    def _edit(self, text: str, st: FacilitationState, cites: Cites) -> str | None:
        m = P.REPLACE.search(text)
        if m:
            bet, option = int(m.group(1)), int(m.group(2))
            if not 1 <= bet <= len(st.toa.bets):
                return f"There is no bet {bet} yet. " + self._prompt(st, cites)
            if not 1 <= option <= len(st.candidates):
                return f"There is no suggested practice {option}. " + self._prompt(st, cites)
            st.toa.bets[bet - 1] = bet_from(st.candidates[option - 1])
            return f"Bet {bet} is now **{st.toa.bets[bet - 1].title}**. " + self._prompt(st, cites)
        m = P.REMOVE.search(text)
        if m:
            bet = int(m.group(1))
            if not 1 <= bet <= len(st.toa.bets):
                return f"There is no bet {bet}. " + self._prompt(st, cites)
            gone = st.toa.remove_bet(bet - 1)
            st.bet = min(st.bet, max(0, len(st.toa.bets) - 1))
            return f"Removed bet {bet} ({gone.title}). " + self._prompt(st, cites)
        m = P.ADD.match(text)
        if m and st.step != "choose":
            option = int(m.group(1))
            if not 1 <= option <= len(st.candidates):
                return f"There is no suggested practice {option}. " + self._prompt(st, cites)
            st.toa.bets.append(bet_from(st.candidates[option - 1]))
            warn = f" ⚠ {st.toa.warnings()[0]}" if st.toa.warnings() else ""
            return f"Added **{st.toa.bets[-1].title}** as bet {len(st.toa.bets)}.{warn} " + self._prompt(st, cites)
        m = P.CHANGE.search(text) or (P.SET.match(text) if st.step not in ("goal", "problem") else None)
        if m:
            name = m.group(1).lower().split()[0]
            value = m.group(2).strip().strip("“”\"").rstrip(".")
            field = {"goal": "goal", "problem": "problem", "title": "title", "district": "district", "scope": "scope",
                     "culture": "culture", "communication": "communication", "board": "board_role",
                     "external": "external_factors"}[name]
            setattr(st.toa, field, value)
            if st.step == field:
                return self._advance_from(field, st, cites)
            return f"Updated the {name}: *{value}*. " + self._prompt(st, cites)
        return None

    # ---- steps ------------------------------------------------------------------------------------------------
    def _goal(self, text: str, st: FacilitationState, cites: Cites) -> str:
        goal = P.strip_lead(text, r"our goal|the goal|goal|we want to|we need to|we hope to")
        if len(goal.split()) < 4:
            return render("facilitation/chat_ask_goal_again")
        st.toa.goal = goal.rstrip(".")
        return self._advance_from("goal", st, cites)

    def _problem(self, text: str, st: FacilitationState, cites: Cites) -> str:
        head, fields = P.labelled(text)
        problem = P.strip_lead(head, r"our problem(?: of practice)?|the problem(?: of practice)?|problem of practice"
                                     r"|problem")
        if len(problem.split()) < 3:
            return render("facilitation/chat_ask_problem", goal=st.toa.goal, topic_hint="")
        st.toa.problem = problem.rstrip(".")
        if fields.get("evidence"):
            st.toa.evidence = as_list(fields["evidence"])
        return self._advance_from("problem", st, cites)

    def _advance_from(self, field: str, st: FacilitationState, cites: Cites) -> str:
        if field == "goal":
            st.step = "problem" if not st.toa.problem else "choose"
            if st.step == "problem":
                hint = f" about {st.topic}" if st.topic else ""
                return render("facilitation/chat_ask_problem", goal=st.toa.goal, topic_hint=hint)
        if field in ("goal", "problem"):
            return self._offer(st, cites)
        return self._prompt(st, cites)

    def _offer(self, st: FacilitationState, cites: Cites, query: str | None = None) -> str:
        q = query or " ".join(x for x in (st.toa.problem, st.topic) if x)
        found = self.finder.find(q, k=OFFER)
        st.candidates = [candidate(f) for f in found]
        st.shown, st.step = len(st.candidates), "choose"
        return render("facilitation/chat_offer", problem=st.toa.problem or q, options=option_lines(st.candidates, cites))

    def _choose(self, text: str, st: FacilitationState, cites: Cites) -> str:
        if P.MORE.match(text):
            found = self.finder.find(st.toa.problem or st.topic, k=OFFER + 4)
            have = {c["item_id"] for c in st.candidates}
            start = len(st.candidates) + 1
            st.candidates += [candidate(f) for f in found if f.item_id not in have]
            if len(st.candidates) < start:
                return "Those are all the close matches. Choose up to three by number."
            return "More options:\n\n" + option_lines(st.candidates, cites, start) + "\n\nChoose up to three by number."
        nums = [n for n in P.numbers(text)]
        if not nums:
            if len(text.split()) >= 4:
                return self._offer(st, cites, query=text)
            return "Reply with the numbers of up to three practices (for example *“1 and 3”*), or say **more**."
        bad = [n for n in nums if not 1 <= n <= len(st.candidates)]
        if bad:
            return f"I only listed {len(st.candidates)} options — {', '.join(map(str, bad))} is not one of them."
        if len(nums) > MAX_BETS:
            ref = self.lib.find(*FEW_BETS)
            return render("facilitation/chat_too_many", n=len(nums), quote=excerpt(ref, 40), cite=cites.add(ref))
        st.toa.bets = [bet_from(st.candidates[n - 1]) for n in nums]
        st.bet, st.step = 0, "actions"
        return self._prompt(st, cites)

    def _bet(self, text: str, st: FacilitationState, cites: Cites) -> str:
        bet = st.toa.bets[st.bet]
        if P.SKIP.match(text) or P.DONE.match(text):
            return self._next_bet_step(st, cites, skip=True)
        head, fields = P.labelled(text)
        apply_fields(st.toa, bet, fields)
        parts = as_list(re.sub(r"(?<=[.!?])\s+(?=[A-Z])", "\n", head)) if head else []
        if st.step == "actions":
            bet.district_actions += parts
        elif st.step == "changes":
            for p in parts:
                lead, core = mentions(p, "leadership"), mentions(p, "core")
                to_core = core and (not lead or not re.match(r"\s*(?:principals?|school leaders?|leaders|school "
                                                             r"leadership)", p, re.I))
                (bet.core_changes if to_core or (not lead and bet.principal_changes) else bet.principal_changes).append(p)
        elif st.step == "metrics":
            for p in parts:
                (bet.lag_outcomes if mentions(p, "lag") and not mentions(p, "lead") else bet.lead_metrics).append(p)
        return self._next_bet_step(st, cites)

    def _next_bet_step(self, st: FacilitationState, cites: Cites, skip: bool = False) -> str:
        """Ask again for what the current step still lacks, else move to the next step, bet, or the checks."""
        bet = st.toa.bets[st.bet]
        need = {"actions": not bet.district_actions, "changes": not (bet.principal_changes and bet.core_changes),
                "metrics": not (bet.lead_metrics and bet.lag_outcomes)}
        step = st.step if st.step in BET_STEPS else "actions"
        if not skip and need[step]:
            if step == "metrics" and (bet.lead_metrics or bet.lag_outcomes):
                missing = "lag outcome" if bet.lead_metrics else "lead metric"
                example = ("which student result will show it worked (e.g. *lag: grade 3–8 reading proficiency*)?"
                           if bet.lead_metrics else "what will you check during the year (e.g. *lead: coaching "
                                                    "visits per principal per month*)?")
                return render("facilitation/chat_ask_missing_metric", title=bet.title, missing=missing, example=example)
            if step == "changes" and (bet.principal_changes or bet.core_changes):
                missing = ("what will change in classrooms (teachers, students, content)" if bet.principal_changes
                           else "what will change for principals and school leadership teams")
                return f"Thanks. For **{bet.title}**, and {missing}? (Say **skip** to leave it open.)"
            return self._prompt(st, cites)
        nxt = next((s for s in BET_STEPS[BET_STEPS.index(step) + 1:] if need[s]), None)
        if nxt is not None:
            st.step = nxt
            return self._prompt(st, cites)
        if st.bet + 1 < len(st.toa.bets):
            st.bet, st.step = st.bet + 1, "actions"
            return f"Bet {st.bet} is drafted. " + self._prompt(st, cites)
        st.step = "extras"
        return self._extras("", st, cites)

    def _extras(self, text: str, st: FacilitationState, cites: Cites) -> str:
        if text and P.DONE.match(text):
            return self._finish(st, cites)
        if text and st.asked:
            if P.SKIP.match(text):
                st.skipped.append(st.asked)
            else:
                answer_check(st, st.asked, text)
        first = not st.asked and not text
        st.asked = ""
        draft = self.drafter.draft(st.toa)
        open_checks = [r for r in draft.checks if not r.met and r.key not in st.skipped]
        if not open_checks:
            return self._finish(st, cites, draft)
        nxt = open_checks[0]
        st.asked = nxt.key
        shown = draft_markdown(draft, cites, chains=False) if first else "Noted."
        return render("facilitation/chat_ask_extra", draft=shown,
                      missing_count=len(open_checks), plural="s" if len(open_checks) != 1 else "", name=nxt.name,
                      question=nxt.question, quote=excerpt(nxt.citations[0], 30), cite=cites.add(nxt.citations[0]))

    def _done(self, text: str, st: FacilitationState, cites: Cites) -> str | None:
        """After the draft is done: labelled additions ("external factors: …") update it; anything else is for
        the answerer."""
        if P.DONE.match(text):
            return self._finish(st, cites)
        _, fields = P.labelled(text)
        if not fields or not st.toa.active_bets():
            return None
        apply_fields(st.toa, st.toa.active_bets()[0], fields)
        return "Added. " + draft_markdown(self.drafter.draft(st.toa), cites, chains=False)

    def _finish(self, st: FacilitationState, cites: Cites, draft=None) -> str:
        draft = draft or self.drafter.draft(st.toa)
        st.step, st.asked = "done", ""  # the session stays open for edits until "stop"
        met = sum(r.met for r in draft.checks)
        note = f" ({met} of {len(draft.checks)} coherence checks met)"
        return render("facilitation/chat_done", draft=draft_markdown(draft, cites), checks_note=note)

    # ---- prompts ----------------------------------------------------------------------------------------------
    def _prompt(self, st: FacilitationState, cites: Cites) -> str:
        """The question for the current step."""
        if st.step == "goal":
            return render("facilitation/chat_start", topic_phrase=f" for **{st.topic}**" if st.topic else "").split("\n\n", 1)[1]
        if st.step == "problem":
            return render("facilitation/chat_ask_problem", goal=st.toa.goal, topic_hint="")
        if st.step == "choose":
            return "Choose up to three of these by number:\n\n" + option_lines(st.candidates, cites)
        if st.step in BET_STEPS and st.toa.bets:
            st.bet = min(st.bet, len(st.toa.bets) - 1)
            bet = st.toa.bets[st.bet]
            item = self.lib.catalog.get(bet.item_ids[0]) if bet.item_ids else None
            if st.step == "actions":
                ref = self.lib.defining(item) if item else None
                why = f"{self.lib.name(item)}: “{excerpt(ref, 30)}” {cites.mark(ref)}" if ref else ""
                return render("facilitation/chat_ask_actions", number=st.bet + 1, total=len(st.toa.bets), title=bet.title, why=why)
            if st.step == "changes":
                ref = self.lib.find(BY_KEY["instructional_core"].item_id, BY_KEY["instructional_core"].phrase)
                return render("facilitation/chat_ask_changes", title=bet.title, quote=excerpt(ref, 30), cite=cites.add(ref))
            ref = self.lib.find(BY_KEY["metrics"].item_id, BY_KEY["metrics"].phrase)
            return render("facilitation/chat_ask_metrics", title=bet.title, quote=excerpt(ref, 30), cite=cites.add(ref))
        if st.step == "extras":
            return self._extras("", st, cites)
        if st.step == "done":
            return ("The draft is ready: say **export** for Word and PDF files, or keep editing here (say **help** "
                    "for the commands).")
        return render("facilitation/chat_help")

    # ---- one-shot answers --------------------------------------------------------------------------------------
    def _practices(self, text: str, st: FacilitationState, cites: Cites, offer: bool = False) -> str:
        topic = P.topic_of(text) or re.sub(r"[?.!]+$", "", text)
        found = self.finder.find(topic, k=5)
        st.candidates = [candidate(f) for f in found]
        st.shown = len(st.candidates)
        if offer:
            return "New options:\n\n" + option_lines(st.candidates, cites) + "\n\nChoose up to three by number."
        st.topic = topic
        example = next((c["focus_id"].split(":")[1] for c in st.candidates if c.get("focus_id")), "indicator 12a")
        return render("facilitation/chat_practices", topic=topic, options=option_lines(st.candidates, cites), example=example)

    def _review(self, statement: str, cites: Cites) -> str:
        return review_markdown(self.reviewer.review(statement), cites)


__all__ = ["ChatFacilitator", "FacilitationState", "SourceRef"]
