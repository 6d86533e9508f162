""""Why this answer": every passage the search found for the latest answer, its scores explained in words, and —
when the answer engine reports them — how sure it is and the evidence behind that. The only place in the Ask tab
where numbers from the search are shown."""

from __future__ import annotations

from assistant.app.source_cards import crumbs, esc, short

SIGNALS = {  # signal key -> (column heading, what it means)
    "dense": ("Meaning match", "how close the passage's meaning is to your question (cosine similarity, up to 1)"),
    "bm25": ("Keyword match", "how many of your words it contains, rare words counting most (BM25, no upper limit)"),
    "phrase": ("Phrase match", "word pairs from your question found in the passage"),
    "boost": ("Named item bonus", "added when the passage is an item you named, such as an indicator number"),
}
EVIDENCE = {  # evidence feature -> what it measures
    "best_sentence": "closest sentence: how close in meaning the best single sentence is to your question (0–1)",
    "second_sentence": "runner-up sentence: the same for the second-best sentence (0–1)",
    "best_passage": "closest passage: how close in meaning the best passage is (0–1)",
    "agreement": "meaning search and keyword search agree: share of their top ten passages in common (0–1)",
    "coverage": "your specific words found in the top passages, rare words counting most (0–1)",
    "missing_names": "names in your question the documents never use (count)",
    "value_missing": "you asked for a specific value (a number, a date, a name) that no passage states (1 = yes)",
}


def why_html(turns: list[dict]) -> str:
    """The panel for the latest answer of the conversation."""
    if not turns:
        return '<p class="sources-empty">Ask a question to see how its answer was found.</p>'
    ans = turns[-1]["answer"]
    return _searched(ans) + _confidence(ans) + _passages(ans)


def _searched(ans: dict) -> str:
    head = ""
    resolved = ans.get("resolved_question")
    if resolved and resolved != ans.get("question"):
        head += f"<p>Searched for: <em>{esc(resolved)}</em> (your follow-up, read with the conversation).</p>"
    total = (ans.get("timings_ms") or {}).get("total")
    n = len(ans.get("passages") or [])
    method = {"extractive": "quoted from the passages (offline)", "facilitator": "a step of the guided session"}.get(
        ans.get("backend", ""), f"written by the {ans.get('backend', '')} generator from the passages")
    return head + (f"<p>{n} passage{'s were' if n != 1 else ' was'} found"
                   + (f" in {total / 1000:.2f} s" if isinstance(total, (int, float)) else "")
                   + f"; the answer was {esc(method)}.</p>")


def _confidence(ans: dict) -> str:
    conf = ans.get("confidence")
    evidence = ans.get("evidence") or {}
    if not isinstance(conf, (int, float)) and not evidence:
        return ""
    out = ['<h3 class="why-h">How sure the answer is</h3>']
    if isinstance(conf, (int, float)):
        word = "high" if conf >= 0.75 else "moderate" if conf >= 0.5 else "low"
        out.append(f"<p><strong>{word.capitalize()} ({conf:.0%})</strong>: the estimated chance that the documents "
                   "answer this question, worked out from the evidence below.</p>")
    if evidence:
        rows = "".join(f"<tr><td>{esc(EVIDENCE.get(k, k.replace('_', ' ')))}</td><td>{_fmt(v)}</td></tr>"
                       for k, v in evidence.items())
        out.append('<table class="why-evidence"><thead><tr><th scope="col">Evidence</th><th scope="col">Value</th>'
                   f"</tr></thead><tbody>{rows}</tbody></table>")
    return "".join(out)


def _passages(ans: dict) -> str:
    passages = ans.get("passages") or []
    keys = [k for k in SIGNALS if any(k in (p.get("signals") or {}) for p in passages)]
    keys += sorted({k for p in passages for k in (p.get("signals") or {})} - set(keys))
    cited = {c.get("chunk_id") for c in ans.get("citations", [])}
    rows = []
    for i, p in enumerate(passages, 1):
        s = p.get("signals") or {}
        where = " › ".join(short(x, 48) for x in crumbs(p))
        mark = ' <span class="cited">cited</span>' if p.get("chunk_id") in cited else ""
        cells = "".join(f"<td>{_fmt(s.get(k))}</td>" for k in keys)
        rows.append(f"<tr><td>{i}</td><td>{esc(where)}{mark}<br><small>{esc(_snippet(p.get('text', '')))}</small>"
                    f"</td><td>{_fmt(p.get('score'))}</td>{cells}</tr>")
    heads = "".join(f'<th scope="col">{esc(SIGNALS.get(k, (k.replace("_", " ").capitalize(),))[0])}</th>'
                    for k in keys)
    legend = "".join(f"<li><strong>{esc(SIGNALS[k][0])}</strong>: {esc(SIGNALS[k][1])}.</li>"
                     for k in keys if k in SIGNALS)
    return ('<h3 class="why-h">Passages found</h3>'
            "<p>Passages are ranked by <strong>Overall</strong>, which combines the rankings of the searches below "
            "(reciprocal rank fusion): only the order matters, higher is a better match. Passages marked "
            "<span class=\"cited\">cited</span> are quoted in the answer.</p>"
            f'<ul class="why-legend">{legend}</ul>'
            '<div class="table-scroll"><table class="why-table"><thead><tr><th scope="col">#</th>'
            f'<th scope="col">Passage</th><th scope="col">Overall</th>{heads}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def _fmt(v) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    return "–" if not isinstance(v, (int, float)) else f"{v:.3f}" if abs(v) < 10 else f"{v:.1f}"


def _snippet(text: str, n: int = 160) -> str:
    t = " ".join(str(text).split())
    return t if len(t) <= n else t[:n].rsplit(" ", 1)[0] + " …"
