"""API endpoints of the improvement-plan tools (stateless: each takes a theory of action as saved JSON, so scripts
need no browser): /driver_diagram, /cycles, /readiness, /onepager; and /assess_team for team consensus. The JSON
formats are documented in docs/facilitation.md."""

from __future__ import annotations

import base64

import gradio as gr

from assistant.facilitation.exports import MIME


def register(services, ctx) -> None:
    """Add the endpoints to the app being built."""

    def _draft(draft: dict):
        from assistant.facilitation.toa import TheoryOfAction

        ctx.ready()
        try:
            return services.drafter.draft(TheoryOfAction.from_dict(draft))
        except (ValueError, KeyError, TypeError) as exc:
            raise gr.Error(f"not a theory of action: {exc}") from None

    def driver_diagram(draft: dict, suggest: bool = True) -> dict:
        """The driver diagram of a theory of action: aim, bets with secondary drivers and change ideas (citation
        numbers into `sources`), Mermaid text, SVG, and (with suggest) cited secondary-driver suggestions per bet."""
        from assistant.facilitation.plan_json import diagram_json

        d = _draft(draft)
        return diagram_json(d, services.driver_suggester if suggest else None)

    def cycles(draft: dict) -> dict:
        """Each bet's 90-day cycles with status, end date and what each still lacks; the cycle to run next; and the
        frameworks' language on lead measures and short cycles (cited)."""
        from assistant.facilitation.plan_json import cycles_json

        return cycles_json(_draft(draft), services.planner)

    def readiness(draft: dict) -> dict:
        """Each bet's readiness scores and notes, the flagged (low) dimensions with what to discuss, and the cited
        passages that bear on each dimension."""
        from assistant.facilitation.plan_json import readiness_json

        return readiness_json(_draft(draft), services.planner)

    def onepager(draft: dict, format: str = "pdf") -> dict:
        """The one-page plan for the board: {file_name, mime, base64} in format pdf (one printed page), docx or md."""
        from assistant.facilitation.exports import export

        fmt = {"pdf": "onepager", "docx": "onepager-docx", "md": "onepager-md"}.get((format or "pdf").lower())
        if fmt is None:
            raise gr.Error("format must be pdf, docx or md")
        data, name = export(_draft(draft), fmt)
        ext = name.rsplit(".", 1)[-1]
        return {"file_name": name, "mime": MIME[ext], "base64": base64.b64encode(data).decode("ascii")}

    def assess_team(assessments: list[dict], names: list[str] | None = None) -> dict:
        """Team consensus from several self-assessments (or team files): per indicator each person's rating and
        evidence, the spread, the proposed rating, the largest disagreements, and any agreed ratings with dissent."""
        from assistant.facilitation.consensus import merge
        from assistant.facilitation.team_report import team_json

        ctx.ready()
        labels = list(names or [])
        try:
            team = merge([(labels[k] if k < len(labels) else f"Person {k + 1}", a) for k, a in enumerate(assessments)])
        except (ValueError, KeyError, TypeError) as exc:
            raise gr.Error(f"not a self-assessment: {exc}") from None
        return team_json(team, services.library)

    for fn in (driver_diagram, cycles, readiness, onepager, assess_team):
        gr.api(fn, api_name=fn.__name__)
