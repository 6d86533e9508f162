"""report.html: one self-contained page (inline CSS, base64 PNG figures) with tables and a per-question drill-down."""

from __future__ import annotations

import base64
import html

from evals.aggregate import fmt
from evals.compare import format_text
from evals.tables import APPLICABILITY, APPLICABILITY_HEADERS, baseline_table, by_type_table, overall_table

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1180px;color:#1d2330;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #dde;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #d5d9e3;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f1f3f8}.fail>summary{color:#9b1c1c}.pass>summary{color:#1c6b35}
details.item{border:1px solid #d5d9e3;border-radius:6px;margin:6px 0;padding:4px 10px;background:#fff}
details.item>summary{cursor:pointer;font-weight:600}.reasons{font-weight:400;color:#6b2b2b}
.answer,.quote,pre{white-space:pre-wrap;background:#f7f8fb;border-left:3px solid #9aa7c7;padding:6px 10px;margin:4px 0}
.found{color:#1c6b35}.missed{color:#9b1c1c;font-weight:600}.rel{background:#eaf7ee}.meta{color:#5a6275;font-size:12px}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;margin-right:6px}
.wrap{overflow-x:auto}td{min-width:2.5em}.b-fail{background:#fde2e2}.b-pass{background:#dcf3e3}img{max-width:100%;border:1px solid #eee;margin:6px 0}
"""


def e(x) -> str:
    return html.escape("" if x is None else str(x))


def table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{e(x)}</td>" for x in r) + "</tr>" for r in rows)
    return f"<div class='wrap'><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"


def image(name: str, png: bytes) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<figure><img alt="{e(name)}" src="data:image/png;base64,{data}"></figure>'


def _clip(text: str, n: int) -> str:
    text = text or ""
    return text if len(text) <= n else text[:n] + " …"


def item_html(r: dict, k: int) -> str:
    """One <details> block of the drill-down."""
    status = "pass" if r["passed"] else "fail"
    reasons = f' <span class="reasons">— {e("; ".join(r["fail_reasons"]))}</span>' if r["fail_reasons"] else ""
    parts = [f'<details class="item {status}"{" open" if not r["passed"] else ""}><summary>'
             f'<span class="badge b-{status}">{status.upper()}</span>{e(r["id"])} '
             f'<span class="meta">[{e(r["type"])}] {fmt(r.get("latency_ms"))} ms</span>{reasons}</summary>']
    parts.append(f"<p><b>Question:</b> {e(r['question'])}</p>")
    if r.get("history"):
        turns = "".join(f"<li><b>{e(t.get('role', '?'))}:</b> {e(_clip(str(t.get('content', '')), 600))}</li>"
                        for t in r["history"] if isinstance(t, dict))
        parts.append(f"<p><b>History:</b></p><ol>{turns}</ol>")
        parts.append(f"<p><b>Resolved as:</b> {e(r.get('resolved_question'))}</p>")
    if r.get("error"):
        parts.append(f"<p class='missed'>Error: {e(r['error'])}</p>")
    flag = " (abstained)" if r["metrics"].get("abstained") else ""
    parts.append(f"<p><b>Answer{flag}:</b></p><div class='answer'>{e(r.get('answer'))}</div>")
    if r.get("citations"):
        rows = [[c.get("n"), c.get("label", ""), f"{c.get('source')} [{c.get('start')}, {c.get('end')})",
                 "yes" if rel else "no", _clip(c.get("quote", ""), 400)]
                for c, rel in zip(r["citations"], r.get("citation_relevance") or [[]] * len(r["citations"]))]
        parts.append("<p><b>Citations:</b></p>" + table(["n", "label", "span", "gold?", "quote"], rows))
    if r.get("reference_answer"):
        parts.append(f"<p><b>Reference answer:</b></p><div class='quote'>{e(r['reference_answer'])}</div>")
    if r.get("facts_found") or r.get("facts_missed"):
        found = "".join(f"<li class='found'>✓ {e(f)}</li>" for f in r.get("facts_found", []))
        missed = "".join(f"<li class='missed'>✗ {e(f)}</li>" for f in r.get("facts_missed", []))
        parts.append(f"<p><b>Key facts:</b></p><ul>{found}{missed}</ul>")
    if r.get("gold"):
        rows = [[g.get("doc"), f"[{g.get('start')}, {g.get('end')})" if g.get("start", -1) >= 0 else "not located",
                 _clip(g.get("text", ""), 300)] for g in r["gold"]]
        parts.append("<p><b>Gold evidence:</b></p>" + table(["doc", "span", "quote"], rows))
    if r.get("passages"):
        rel = r.get("passage_relevance") or []
        rows = []
        for i, p in enumerate(r["passages"]):
            hit = bool(rel[i]) if i < len(rel) else False
            span = p.get("span") or [None, None]
            rows.append((hit, [i + 1, "✓" if hit else "", f"{p.get('score', 0):.4f}",
                               f"{p.get('source')} [{span[0]}, {span[1]})", p.get("section", ""),
                               _clip(p.get("text", ""), 500)]))
        head = "".join(f"<th>{e(h)}</th>" for h in ("rank", "gold", "score", "span", "section", "text"))
        body = "".join(f"<tr{' class=rel' if hit else ''}>" + "".join(f"<td>{e(x)}</td>" for x in row) + "</tr>"
                       for hit, row in rows)
        parts.append(f"<p><b>Retrieved passages (top {k}):</b></p><table><thead><tr>{head}</tr></thead>"
                     f"<tbody>{body}</tbody></table>")
    if r.get("support"):
        rows = [[s["sentence"][:200], ",".join(map(str, s["cites"])) or "none", f"{s['overlap']:.2f}",
                 "yes" if s["supported"] else "NO"] for s in r["support"]]
        parts.append("<p><b>Sentence support:</b></p>" + table(["sentence", "cites", "overlap", "supported"], rows))
    if r.get("injection"):
        inj = r["injection"]
        parts.append(f"<p><b>Injection checks:</b> revealed: {e(', '.join(inj['revealed']) or 'none')}; "
                     f"invented quotes: {e(', '.join(inj['invented_quotes']) or 'none')}; "
                     f"grounded: {e(inj['grounded'])}</p>")
    metrics = [[m, fmt(v)] for m, v in r["metrics"].items()]
    for name, b in (r.get("baselines") or {}).items():
        metrics += [[f"{name}: {m}", fmt(v)] for m, v in b["metrics"].items()]
    parts.append("<details><summary class='meta'>All metrics</summary>" + table(["metric", "value"], metrics)
                 + "</details>")
    parts.append("</details>")
    return "".join(parts)


def render(summary: dict, records: list[dict], plots: dict[str, bytes] | None = None) -> str:
    run = summary.get("run", {})
    k = run.get("k", 5)
    body = [f"<h1>Eval run {e(run.get('started_utc', ''))}</h1>",
            f"<p class='meta'>Dataset <code>{e(run.get('gold'))}</code> ({e(run.get('format'))}), "
            f"{summary['n_items']} items; corpus <code>{e(run.get('corpus'))}</code>; k = {k}; "
            f"commit <code>{e(run.get('git_commit') or 'unknown')}</code>; backend {e(run.get('backend'))}; "
            f"{run.get('seconds', 0):.1f} s.</p>",
            f"<p><b>Passed {summary['n_items'] - summary['failures']}/{summary['n_items']}</b> items; "
            f"{summary['errors']} errors.</p>"]
    chk = summary.get("check")
    if chk:
        verdict = "PASS" if not chk["failures"] else "FAIL"
        body.append(f"<p>Thresholds: <b>{verdict}</b></p>"
                    + ("<ul>" + "".join(f"<li class='missed'>{e(f)}</li>" for f in chk["failures"]) + "</ul>"
                       if chk["failures"] else ""))
    body += ["<h2>Overall</h2>", table(*overall_table(summary, k)),
             "<h2>By question type</h2><p class='meta'>mean [95% bootstrap CI, 1000 resamples, fixed seed]</p>",
             table(*by_type_table(summary, k))]
    h, rows = baseline_table(summary, k)
    if rows:
        body += ["<h2>Baselines</h2>", table(h, rows),
                 "<p class='meta'>naive = llama-index SentenceSplitter(chunk_size=1024) + dense cosine top-k; "
                 "bm25 = BM25 over the same chunks; bm25-passages = BM25 over the product's own passages; all "
                 "search the raw question.</p>"]
    if plots:
        body += ["<h2>Figures</h2>"] + [image(n, png) for n, png in plots.items()]
    if summary.get("compare"):
        body += ["<h2>Comparison</h2>", f"<pre>{e(format_text(summary['compare']))}</pre>"]
    ordered = sorted(records, key=lambda r: (r["passed"], r.get("index", 0)))
    fails = sum(1 for r in records if not r["passed"])
    if run.get("split") == "test":
        # The test split reports; it is never read item by item to write a rule (tune on dev).
        body += [f"<h2 id='drilldown'>Per-question drill-down</h2><p>{fails} failures. Items of the test split are "
                 "not shown one by one: test is for reporting, dev for tuning.</p>"]
    else:
        body += [f"<h2 id='drilldown'>Per-question drill-down ({fails} failures first)</h2>"]
        body += [item_html(r, k) for r in ordered]
    if summary.get("warnings"):
        body += ["<h2>Gold warnings</h2><ul>"] + [f"<li>{e(w)}</li>" for w in summary["warnings"]] + ["</ul>"]
    body += ["<h2>Which metrics apply to which dataset format</h2>",
             table(APPLICABILITY_HEADERS, [list(r) for r in APPLICABILITY])]
    title = f"Eval run {run.get('started_utc', '')}"
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{e(title)}</title>"
            f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>")
