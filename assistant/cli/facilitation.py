"""Command-line facilitation tools, registered by assistant/cli/main.py:

  practices "challenge…" [--k 5] [--framework F] [--json]   framework practices for a problem of practice
  crosswalk ID [--json]                                      related items in the other frameworks
  toa --from draft.json --export docx|md|pdf|json [--out F]  export a theory of action (cited)
  toa --from draft.json                                      print the draft with its coherence checks
  toa --review "If we …, then …"                             review a statement against the frameworks' criteria
  assess --from assessment.json [--chart out.png] [--json]   summary, priorities and next moves of a self-assessment
and the improvement-plan tools (assistant/cli/plan.py): toa --diagram / --cycles / --readiness / --export onepager,
and assess team a.json b.json c.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def add_commands(subparsers, handler) -> None:
    s = subparsers.add_parser("practices", help="find framework practices for a challenge or goal")
    s.add_argument("challenge")
    s.add_argument("--k", type=int, default=5)
    s.add_argument("--framework", default=None)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=handler, facilitation="practices")

    s = subparsers.add_parser("crosswalk", help="related items in the other frameworks")
    s.add_argument("item", help="an item id such as uva:condition-4, or a reference such as '12a'")
    s.add_argument("--per-framework", type=int, default=2)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=handler, facilitation="crosswalk")

    s = subparsers.add_parser("toa", help="export or review a theory of action and its improvement plan")
    s.add_argument("--from", dest="source", type=Path, help="theory-of-action JSON (as saved by the app)")
    s.add_argument("--export", choices=["md", "docx", "pdf", "json", "onepager", "onepager-docx", "onepager-md"],
                   help="a format of the whole plan, or the one-page plan for the board (onepager: PDF)")
    s.add_argument("--out", type=Path)
    s.add_argument("--review", help="a theory-of-action statement to review")
    s.add_argument("--diagram", action="store_true", help="the driver diagram (text; --mermaid, --svg F or --json)")
    s.add_argument("--mermaid", action="store_true", help="with --diagram: Mermaid flowchart text")
    s.add_argument("--svg", type=Path, help="with --diagram: write the drawing as SVG here")
    s.add_argument("--suggest", action="store_true", help="with --diagram: cited secondary-driver suggestions")
    s.add_argument("--cycles", action="store_true", help="the 90-day cycles, their status and the next one")
    s.add_argument("--readiness", action="store_true", help="the readiness checks, flags and framework passages")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=handler, facilitation="toa")

    s = subparsers.add_parser("assess", help="summarise a self-assessment, or merge a team's (assess team a b c)")
    s.add_argument("files", nargs="*", help="team FILE FILE…: merge several people's self-assessments")
    s.add_argument("--from", dest="source", type=Path)
    s.add_argument("--chart", type=Path, help="write the by-area chart (PNG) here")
    s.add_argument("--out", type=Path, help="with team: write the team file (JSON) here")
    s.add_argument("--report", type=Path, help="with team: write the team report (Markdown) here")
    s.add_argument("--agree-proposed", action="store_true",
                   help="with team: record each proposed rating as agreed (the dissent is recorded)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=handler, facilitation="assess")


def _err(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def run(services, args) -> int:
    try:
        return {"practices": _practices, "crosswalk": _crosswalk, "toa": _toa, "assess": _assess}[
            args.facilitation](services, args)
    except (ValueError, KeyError, OSError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        return _err(str(message))


def _practices(services, args) -> int:
    found = services.finder.find(args.challenge, k=max(1, args.k), framework=args.framework)
    if args.json:
        print(json.dumps([f.to_dict() for f in found], ensure_ascii=False, indent=1))
        return 0
    if not found:
        print("No practices found.")
    for f in found:
        c = f.citation
        print(f"{f.rank}. {f.label}  [{f.item_id}]\n   “{f.reason}”\n   {c.label} ({c.source}, characters "
              f"{c.start}–{c.end})")
        for r in f.related:
            print(f"   also: {r.label} [{r.item_id}]")
        print()
    return 0


def _crosswalk(services, args) -> int:
    cw = services.crosswalker.crosswalk(args.item, per_framework=max(1, args.per_framework))
    print(json.dumps(cw.to_dict(), ensure_ascii=False, indent=1) if args.json else cw.to_markdown())
    return 0


def _toa(services, args) -> int:
    if args.review:
        rv = services.reviewer.review(args.review)
        print(json.dumps(rv.to_dict(), ensure_ascii=False, indent=1) if args.json else rv.to_markdown())
        return 0
    if not args.source:
        return _err("give --from draft.json (with --export md|docx|pdf|json|onepager, --diagram, --cycles or "
                    "--readiness) or --review \"statement\"")
    from assistant.cli import plan
    from assistant.facilitation.exports import export, to_markdown
    from assistant.facilitation.toa import TheoryOfAction

    draft = services.drafter.draft(TheoryOfAction.load(args.source))
    for flag, show in (("diagram", plan.diagram), ("cycles", plan.cycles), ("readiness", plan.readiness)):
        if getattr(args, flag):
            return show(services, args, draft)
    if not args.export:
        print(json.dumps(draft.to_dict(), ensure_ascii=False, indent=1) if args.json else to_markdown(draft))
        return 0
    data, name = export(draft, args.export)
    out = args.out or Path(name)
    if args.export in ("md", "onepager-md") and args.out is None:
        sys.stdout.write(data.decode("utf-8"))
        return 0
    out.write_bytes(data)
    print(f"wrote {out} ({len(data):,} bytes)", file=sys.stderr)
    return 0


def _assess(services, args) -> int:
    from assistant.facilitation.assessment import Assessment, priorities, summary

    if args.files and args.files[0] == "team":
        from assistant.cli.plan import team

        return team(services, args)
    if args.files or not args.source:
        return _err("give --from assessment.json, or: assess team a.json b.json c.json")
    lib = services.library
    a = Assessment.load(args.source)
    rows = summary(a, lib)
    prios = priorities(a, lib)
    if args.chart:
        from assistant.facilitation.charts import area_chart

        args.chart.write_bytes(area_chart(a, lib))
        print(f"wrote {args.chart}", file=sys.stderr)
    if args.json:
        print(json.dumps({"summary": [r.__dict__ for r in rows],
                          "priorities": [{"item_id": p.item_id, "label": p.label, "area": p.group, "current": p.current,
                                          "goal": p.goal, "gap": p.gap,
                                          "next_moves": [m.to_dict() for m in (p.moves.moves if p.moves else [])]}
                                         for p in prios]}, ensure_ascii=False, indent=1))
        return 0
    print(f"{a.title} — {a.district} ({a.date})\n")
    for r in rows:
        cur = "not rated" if r.current is None else f"{r.current:.1f}"
        goal = "" if r.goal is None else f", goal {r.goal:.1f}"
        print(f"  {r.label}: {cur}{goal}  ({r.rated}/{r.items} rated)")
    if prios:
        print("\nSuggested priorities (largest gap between current and goal):")
        for n, p in enumerate(prios, 1):
            print(f"{n}. {p.label} ({p.group}): gap {p.gap}")
            for m in (p.moves.moves if p.moves else [])[:3]:
                print(f"   next move ({p.moves.target}): “{m.text}” — {m.label} ({m.source} {m.start}–{m.end})")
    return 0
