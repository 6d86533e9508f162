"""Command-line improvement-plan tools, registered by assistant/cli/facilitation.py:

  toa --from draft.json --diagram [--mermaid | --svg F] [--suggest] [--json]   the driver diagram (+ suggestions)
  toa --from draft.json --cycles [--json]                                  90-day cycles, status, the next cycle
  toa --from draft.json --readiness [--json]                               readiness scores, flags and passages
  toa --from draft.json --export onepager|onepager-docx|onepager-md [--out F]   the one-page plan for the board
  assess team a.json b.json c.json [--out team.json] [--report F.md] [--agree-proposed] [--json]   team consensus
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _print_json(data) -> int:
    print(json.dumps(data, ensure_ascii=False, indent=1))
    return 0


def diagram(services, args, draft) -> int:
    from assistant.facilitation.mermaid import to_mermaid
    from assistant.facilitation.plan_json import diagram_json

    suggester = services.driver_suggester if args.suggest else None
    if args.json:
        return _print_json(diagram_json(draft, suggester))
    d = draft.plan.diagram
    if args.svg:
        from assistant.facilitation.diagram_svg import to_svg

        args.svg.write_text(to_svg(d, draft.source), encoding="utf-8")
        print(f"wrote {args.svg}", file=sys.stderr)
        return 0
    if args.mermaid:
        print(to_mermaid(d))
        return 0
    print(f"Aim: {d.aim.text or '(not written yet)'}")
    for band in d.bands:
        print(f"\nPrimary driver {band.number}: {band.primary.text} {_marks(band.primary)}".rstrip())
        for n in band.secondaries:
            print(f"  secondary: {n.text} {_marks(n)}".rstrip())
        for n in band.changes:
            print(f"  change idea: {n.text}")
        if suggester is not None:
            for s in suggester.suggest(draft.toa, band.number - 1):
                print(f"  suggested: {s.text} [{s.item_id}] “{s.ref.text[:160]}” ({s.ref.source} "
                      f"{s.ref.start}–{s.ref.end})")
    _sources(draft, {n for node in d.nodes() for n in node.cites})
    return 0


def _marks(node) -> str:
    return "".join(f"[{n}]" for n in node.cites)


def _sources(draft, numbers) -> None:
    if numbers:
        print("\nSources:")
    for n in sorted(numbers):
        s = draft.source(n)
        print(f"[{n}] “{s.text[:200]}” — {s.label} ({s.source}, characters {s.start}–{s.end})")


def cycles(services, args, draft) -> int:
    from assistant.facilitation.plan_json import cycles_json

    data = cycles_json(draft, services.planner)
    if args.json:
        return _print_json(data)
    for bet in data["bets"]:
        print(f"Bet {bet['bet']}: {bet['title']}")
        if not bet["cycles"]:
            print("  no cycle planned yet")
        for c in bet["cycles"]:
            nxt = data["next"] == {"bet": bet["bet"], "cycle": c["number"]}
            print(f"  cycle {c['number']} ({c['status_name'].lower()}{', next' if nxt else ''}): {c['change_idea']}"
                  f" — {c['start']} to {c['end_date']}")
            for gap in c["still_to_plan"]:
                print(f"    still to plan: {gap}")
            for e in c["log"]:
                print(f"    {e['date']}: {e['did']} / learned: {e['learned']} / {e['decision'] or '—'}")
    print("\nIn the frameworks' words:")
    for r in data["measure_language"][:1] + data["cycle_language"][:1]:
        print(f"  “{r['text']}” — {r['label']} ({r['source']} {r['start']}–{r['end']})")
    return 0


def readiness(services, args, draft) -> int:
    from assistant.facilitation.plan_json import readiness_json

    data = readiness_json(draft, services.planner)
    if args.json:
        return _print_json(data)
    for bet in data["bets"]:
        print(f"Bet {bet['bet']}: {bet['title']} — {bet['summary']}")
        for d in bet["dimensions"]:
            score = d["score"] if d["score"] is not None else "–"
            print(f"  {d['name']}: {score}{'  ⚑ low' if d['low'] else ''}{'  — ' + d['note'] if d['note'] else ''}")
            if d["low"]:
                p = d["passages"][0]
                print(f"    {d['follow_up']}\n    “{p['text'][:200]}” — {p['label']} ({p['source']} "
                      f"{p['start']}–{p['end']})")
    return 0


def team(services, args) -> int:
    """`assess team FILES…`: merge self-assessments (and team files) and show where the team disagrees."""
    from assistant.facilitation.consensus import merge
    from assistant.facilitation.team_report import report_markdown, team_json

    files = [Path(f) for f in args.files[1:]]
    if len(files) < 2:
        print("error: give two or more saved self-assessments: assess team a.json b.json c.json", file=sys.stderr)
        return 1
    team_ = merge([(f.stem, json.loads(f.read_text(encoding="utf-8"))) for f in files])
    if args.agree_proposed:
        for s in team_.spreads():
            if s.item_id not in team_.agreed:
                team_.agree(s.item_id, *s.proposed, rationale="The lower middle rating, proposed for the team.")
    if args.out:
        team_.save(args.out)
        print(f"wrote {args.out}", file=sys.stderr)
    report = report_markdown(team_, services.library)
    if args.report:
        args.report.write_text(report, encoding="utf-8")
        print(f"wrote {args.report}", file=sys.stderr)
    if args.json:
        return _print_json(team_json(team_, services.library))
    print(report, end="")
    return 0
