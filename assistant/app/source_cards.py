"""Source cards for the Ask tab: where a passage sits (framework › section › item › level, page for PDFs), the
passage with every quoted span highlighted, and an "Open in document" link. Pure functions over the citation and
passage dicts of `Answer.to_dict()`; nothing here shows offsets, ids or scores.

Card ids: ``src-<turn>-<n>`` in the sources panel, ``msrc-<turn>-<n>`` in the collapsible sources under an answer
(the small-screen layout). An "Open in document" link carries what the document view needs in its fragment:
``#doc:<doc id>:<start>-<end>[,<start>-<end>…]:<passage start>-<passage end>`` (the chat's HTML sanitiser keeps
ids, classes and fragment links, but drops data attributes).
"""

from __future__ import annotations

import html
import re

MAX_TURNS_SHOWN = 20
CRUMB_CHARS = 64  # a section title longer than this is cut at a word boundary in the breadcrumb
EXCERPT_RADIUS = 220  # characters of context either side of the quote in the compact (small-screen) card


def esc(text) -> str:
    return html.escape(str(text if text is not None else ""), quote=True)


def short(text: str, limit: int = CRUMB_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def crumbs(p: dict) -> list[str]:
    """framework › section parts › indicator › level, each part once, in reading order."""
    parts = [p.get("framework") or ""]
    section = p.get("section") or ""
    parts += [s for s in section.split(" › ") if s]
    if p.get("indicator") and p["indicator"] not in section:
        parts.append(f"Indicator {p['indicator']}")
    if p.get("level") and p["level"] not in section:
        parts.append(p["level"])
    return [x for x in parts if x]


def quote_spans(c: dict) -> list[tuple[int, int]]:
    """Every quoted [start, end) of a citation: its `spans` when given, else its one start/end."""
    spans = [(int(s), int(e)) for s, e in (c.get("spans") or []) if isinstance(s, int) and isinstance(e, int)]
    if not spans and isinstance(c.get("start"), int) and isinstance(c.get("end"), int):
        spans = [(c["start"], c["end"])]
    return sorted(set(s for s in spans if s[0] < s[1]))


def doc_link(p: dict, spans: list[tuple[int, int]]) -> str:
    """The fragment the document view reads (see the module docstring); '' when the passage has no document."""
    doc = str(p.get("doc_id") or "")
    if not re.fullmatch(r"[A-Za-z0-9._-]+", doc):
        return ""
    ctx = p.get("span") or []
    where = ",".join(f"{s}-{e}" for s, e in spans) or "-"
    context = f"{ctx[0]}-{ctx[1]}" if len(ctx) == 2 and all(isinstance(x, int) for x in ctx) else "-"
    return f"#doc:{doc}:{where}:{context}"


# ---- highlighting -------------------------------------------------------------------------------------------------
def find_quote(passage: str, quote: str) -> tuple[int, int] | None:
    """Where a quote (raw source text) appears in the displayed passage: exactly, cleaned, or word by word."""
    from assistant.text.clean import clean

    for q in dict.fromkeys([quote.strip(), clean(quote)]):
        if not q:
            continue
        i = passage.find(q)
        if i >= 0:
            return i, i + len(q)
        words = re.findall(r"\S+", q)
        if words:
            m = re.search(r"\s+".join(re.escape(w) for w in words), passage, flags=re.I)
            if m:
                return m.span()
    return None


def marked(passage: str, ranges: list[tuple[int, int]]) -> str:
    """Escaped text with each (merged) range wrapped in <mark>."""
    out, pos = [], 0
    for a, b in merge(ranges):
        out += [esc(passage[pos:a]), f"<mark>{esc(passage[a:b])}</mark>"]
        pos = b
    out.append(esc(passage[pos:]))
    return "".join(out)


def merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def highlight(passage: str, quotes: list[str] | str) -> tuple[str, bool]:
    """Escaped passage text with every quote marked; (html, all quotes found)."""
    quotes = [quotes] if isinstance(quotes, str) else list(quotes)
    ranges = [r for r in (find_quote(passage, q) for q in quotes if q and q.strip()) if r]
    return marked(passage, ranges), len(ranges) == len([q for q in quotes if q and q.strip()])


def excerpt(passage: str, quotes: list[str], radius: int = EXCERPT_RADIUS) -> tuple[str, bool]:
    """The quote with some context either side (compact cards); the whole passage when it is short."""
    ranges = merge([r for r in (find_quote(passage, q) for q in quotes if q) if r])
    if not ranges and len(passage) > 2 * radius:  # nothing quoted (a related passage): its opening, then the rest
        cut = passage[:2 * radius].rsplit(" ", 1)[0]
        return (f'{esc(cut)} …<details class="more"><summary>Show the whole passage</summary>'
                f"{esc(passage)}</details>"), not quotes
    if not ranges or len(passage) <= 2 * radius + (ranges[-1][1] - ranges[0][0]):
        return highlight(passage, quotes)
    a = max(0, ranges[0][0] - radius)
    b = min(len(passage), ranges[-1][1] + radius)
    a = passage.rfind(" ", 0, a) + 1 if a else 0
    cut = passage.find(" ", b)
    b = len(passage) if cut < 0 else cut
    body = marked(passage[a:b], [(x - a, y - a) for x, y in ranges])
    return ("… " if a else "") + body + (" …" if b < len(passage) else ""), True


# ---- cards ------------------------------------------------------------------------------------------------------
def citation_quotes(c: dict) -> list[str]:
    """The quoted texts of a citation: one per span when the app looked them up, else its quote."""
    return [q for q in (c.get("span_quotes") or [c.get("quote") or ""]) if q]


def source_card(p: dict, anchor: str, number: int | None, quotes: list[str] | None = None,
                compact: bool = False) -> str:
    """One source: number, breadcrumb, page, the passage with the quotes marked, "Open in document"."""
    from assistant.text.clean import clean

    quotes = quotes or []
    text = p.get("text") or ""
    body, found = (excerpt if compact else highlight)(text, quotes)
    extra = ""
    if quotes and not found:
        shown = " … ".join(clean(q) for q in quotes)
        extra = f'<blockquote class="src-quote"><strong>Quoted:</strong> <mark>{esc(shown)}</mark></blockquote>'
    parts = crumbs(p)
    trail = '<span class="sep" aria-hidden="true"> › </span>'.join(
        f'<span class="crumb">{esc(short(x))}</span>' for x in parts[1:])
    num = f'<span class="src-num">{number}</span>' if number is not None else ""
    page = f'<span class="tag">Page {esc(p["page"])}</span>' if p.get("page") is not None else ""
    link = doc_link(p, quote_spans(p) if quotes else [])
    label = f"Open source {number} in its document" if number is not None else "Open in its document"
    opener = (f'<a class="open-doc" role="button" href="{esc(link)}" title="{esc(label)}">Open in document</a>'
              if link else "")
    return (f'<section class="src-card" id="{esc(anchor)}" tabindex="-1">'
            f'<div class="src-head">{num}<span class="src-fw">{esc(parts[0] if parts else "")}</span></div>'
            + (f'<p class="src-path">{trail}</p>' if trail else "")
            + f'<div class="src-text">{body}</div>{extra}'
            + (f'<div class="src-foot">{page}{opener}</div>' if page or opener else "")
            + "</section>")


def abstain_note(related: list) -> str:
    return ('<div class="abstain-box" role="note"><strong>No direct answer in the library.</strong> '
            + ("These passages are the closest matches; they may still help."
               if related else "Try rephrasing, or choose a different framework.") + "</div>")


def turn_sources(ans: dict, turn: int, prefix: str = "", compact: bool = False) -> str:
    """The cards of one answer: its citations, or (for an abstention) the closest related passages."""
    parts: list[str] = []
    if ans.get("abstained"):
        related = ans.get("related") or []
        parts.append(abstain_note(related))
        parts += [source_card(p, f"{prefix}rel-{turn}-{i}", None, compact=True) for i, p in enumerate(related, 1)]
    for c in ans.get("citations", []):
        parts.append(source_card(c, f"{prefix}src-{turn}-{c['n']}", c["n"], citation_quotes(c), compact=compact))
    if not parts:
        parts.append('<p class="sources-empty">No sources for this answer.</p>')
    return "".join(parts)


def sources_html(turns: list[dict]) -> str:
    """The sources panel: the latest answer's sources open, earlier ones folded."""
    if not turns:
        return ('<h2 class="panel-title">Sources</h2><p class="sources-empty">The passages behind each answer '
                "appear here, with the quoted words highlighted. Choose “Open in document” on a source to read it "
                "in the whole document.</p>")
    shown = list(enumerate(turns, 1))[-MAX_TURNS_SHOWN:]
    n, last = shown[-1]
    out = ['<h2 class="panel-title">Sources for your latest question</h2>', turn_sources(last["answer"], n)]
    for n, t in reversed(shown[:-1]):
        out.append(f'<details class="turn-sources"><summary>Earlier: {esc(short(t["question"], 90))}</summary>'
                   f"{turn_sources(t['answer'], n)}</details>")
    return "".join(out)


def inline_sources(ans: dict, turn: int) -> str:
    """The collapsible sources under one answer (shown instead of the side panel on small screens)."""
    count = len(ans.get("citations") or []) or len(ans.get("related") or [])
    if not count:
        return ""
    what = "Closest passages" if ans.get("abstained") else "Sources"
    return (f'<details class="msg-sources" id="msrc-{turn}"><summary>{what} ({count})</summary>'
            f"{turn_sources(ans, turn, prefix='m', compact=True)}</details>")
