""""Open in document": the whole document a source comes from — or, for a PDF, the page — scrolled to the quoted
words, which are highlighted (every quoted span), with the passage around them shaded.

`SourceDocuments` reads what the index stored (the text that citation offsets index into) and, for PDFs, the page
boundaries (read again from the stored file, and only used when its text is still the indexed text).
`document_html` renders the dialog; `parse_link` reads the fragment a source card links to (see source_cards).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import gradio as gr

from assistant.app.source_cards import esc, merge
from assistant.types import Document, PageSpan

MAX_SPANS = 24
_LINK = re.compile(r"#?doc:([A-Za-z0-9._-]+):([0-9,\-]*):([0-9\-]*)(?:@(\d+))?")


@dataclass(frozen=True)
class DocLink:
    doc_id: str
    spans: tuple[tuple[int, int], ...]  # the quoted words
    context: tuple[int, int] | None  # the passage they were quoted from
    page: int | None  # a page asked for explicitly (page navigation of a PDF)


def parse_link(link: str) -> DocLink | None:
    """The parts of a ``#doc:<id>:<s>-<e>,…:<s>-<e>[@page]`` fragment, or None when it is not one."""
    m = _LINK.fullmatch((link or "").strip())
    if not m:
        return None

    def pairs(text: str) -> list[tuple[int, int]]:
        return [(int(a), int(b)) for a, b in re.findall(r"(\d+)-(\d+)", text) if int(a) < int(b)]

    ctx = pairs(m.group(3))
    return DocLink(m.group(1), tuple(pairs(m.group(2))[:MAX_SPANS]), ctx[0] if ctx else None,
                   int(m.group(4)) if m.group(4) else None)


@dataclass(frozen=True)
class OpenedDocument:
    doc_id: str
    title: str
    framework: str
    source: str
    text: str
    pages: tuple[PageSpan, ...] = ()
    path: str = ""  # the stored file (a PDF's page is rendered from it)

    def page_at(self, offset: int) -> int | None:
        return Document("", "", "", "", self.text, "", self.pages).page_at(offset)


class SourceDocuments:
    """Indexed documents as people read them: title, full text and (for PDFs) pages."""

    def __init__(self, store, load: Callable[[Path], Document | None],
                 visible: Callable[[str, str | None], bool] = lambda path, user: True):
        self.store = store
        self.load = load
        self.visible = visible  # (stored path, user name) -> may this person read it (someone else's upload: no)
        self._pages: dict[tuple[str, str], tuple[PageSpan, ...]] = {}
        self._lock = threading.Lock()

    def open(self, doc_id: str, user: str | None = None) -> OpenedDocument | None:
        """The document, or None when the library does not hold it (any more) or it is not `user`'s to read."""
        rec = next((d for d in self.store.documents() if d.doc_id == doc_id), None)
        if rec is not None and not self.visible(rec.path, user):
            rec = None
        text = self.store.document_text(doc_id) if rec else None
        if rec is None or text is None:
            return None
        pages = self._page_spans(rec, text)
        return OpenedDocument(rec.doc_id, rec.title, rec.framework, rec.source, text, pages,
                              rec.path if pages else "")

    def _page_spans(self, rec, text: str) -> tuple[PageSpan, ...]:
        if not rec.pages or not rec.path:
            return ()
        key = (rec.doc_id, rec.content_hash)
        with self._lock:
            if key in self._pages:
                return self._pages[key]
        try:
            doc = self.load(Path(rec.path))
        except Exception:  # the file moved or no longer reads: show the text without pages
            doc = None
        pages = doc.pages if doc is not None and doc.text == text else ()
        with self._lock:
            self._pages[key] = pages
        return pages


# ---- rendering ----------------------------------------------------------------------------------------------------
def document_html(doc: OpenedDocument | None, link: DocLink | None,
                  picture: Callable[[int, list[str]], object | None] | None = None) -> str:
    """The dialog for one opened document (or a plain message when it cannot be shown). For a PDF, `picture`
    (page number, quotes) -> pdf_page.PageImage shows the page as it looks, the quoted words boxed."""
    if doc is None or link is None:
        return _dialog("Document not available", "", '<p class="doc-missing">This document is no longer in the '
                       "library (it may have been removed). Ask the question again to get current sources.</p>", "")
    n = len(doc.text)
    spans = [(max(0, a), min(n, b)) for a, b in link.spans if a < n]
    context = link.context if link.context and link.context[0] < n else None
    first = spans[0][0] if spans else context[0] if context else 0
    lo, hi, nav, where = 0, n, "", ""
    if doc.pages:
        number = link.page or doc.page_at(first) or doc.pages[0].number
        page = next((p for p in doc.pages if p.number == number), doc.pages[0])
        lo, hi = page.start, page.end
        where = f"Page {page.number} of {len(doc.pages)}"
        nav = _page_nav(doc, link, page.number)
    hits = [(max(a, lo), min(b, hi)) for a, b in merge(spans) if a < hi and b > lo]
    ctx = (max(context[0], lo), min(context[1], hi)) if context and context[0] < hi and context[1] > lo else None
    body = f'<div class="doc-text" tabindex="0">{_marked_text(doc.text, lo, hi, hits, ctx)}</div>'
    image = picture(page.number, [doc.text[a:b] for a, b in hits]) if doc.pages and picture else None
    if image is not None:
        body = _figure(image, f"Page {page.number} of {len(doc.pages)} of {doc.title}") + (
            f'<details class="doc-page-text"{" open" if hits and not image.found else ""}>'
            f"<summary>Text of this page</summary>{body}</details>")
    subtitle = " · ".join(x for x in (doc.framework if doc.framework != doc.title else "", where) if x)
    count = len(hits)
    guide = (f'<p class="doc-guide" role="status">{"The quoted words are" if count else "The passage is"} '
             f'highlighted{f" in {count} places" if count > 1 else ""}.'
             + (' <button type="button" class="doc-next-hit">Next highlight</button>' if count > 1 else "")
             + "</p>" if count or ctx else "")
    if doc.pages and not hits and spans:
        guide = '<p class="doc-guide" role="status">The quoted words are on another page.</p>'
    if image is not None and hits and not image.found:
        guide = '<p class="doc-guide" role="status">The quoted words are highlighted in the text of this page.</p>'
    return _dialog(doc.title, subtitle, nav + guide + f'<div class="doc-scroll">{body}</div>', esc(doc.source))


def _figure(image, alt: str) -> str:
    boxes = "".join(f'<span class="doc-box" style="left:{x:.2f}%;top:{y:.2f}%;width:{w:.2f}%;height:{h:.2f}%">'
                    "</span>" for x, y, w, h in image.boxes)
    return (f'<figure class="doc-page-img"><img src="{image.src}" width="{image.width}" height="{image.height}" '
            f'alt="{esc(alt)}{", the quoted words boxed" if image.boxes else ""}">{boxes}</figure>')


def _dialog(title: str, subtitle: str, body: str, source: str) -> str:
    sub = f'<p class="doc-sub">{esc(subtitle)}</p>' if subtitle else ""
    foot = f'<p class="doc-file">File: {source}</p>' if source else ""
    return ('<div class="doc-backdrop"><div class="doc-dialog" role="dialog" aria-modal="true" '
            'aria-labelledby="doc-title">'
            f'<div class="doc-head"><div><h2 id="doc-title" tabindex="-1">{esc(title)}</h2>{sub}</div>'
            '<button type="button" class="doc-close">Close</button></div>'
            f'<div class="doc-body">{body}</div>{foot}</div></div>')


def _page_nav(doc: OpenedDocument, link: DocLink, number: int) -> str:
    numbers = [p.number for p in doc.pages]
    i = numbers.index(number) if number in numbers else 0
    base = f"#doc:{doc.doc_id}:{','.join(f'{a}-{b}' for a, b in link.spans)}:" + (
        f"{link.context[0]}-{link.context[1]}" if link.context else "")
    prev = (f'<a class="doc-page" role="button" href="{esc(base)}@{numbers[i - 1]}">‹ Previous page</a>'
            if i > 0 else "")
    nxt = (f'<a class="doc-page" role="button" href="{esc(base)}@{numbers[i + 1]}">Next page ›</a>'
           if i + 1 < len(numbers) else "")
    return f'<nav class="doc-pages" aria-label="Pages">{prev}{nxt}</nav>' if prev or nxt else ""


def _marked_text(text: str, lo: int, hi: int, hits: list[tuple[int, int]], ctx: tuple[int, int] | None) -> str:
    """text[lo:hi] escaped, hits in <mark class="doc-hit">, the context passage shaded; tabs as column gaps."""
    cuts = sorted({lo, hi, *(x for h in hits for x in h), *(ctx or ())})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        if not lo <= a < b <= hi:
            continue
        seg = esc(text[a:b]).replace("\t", '<span class="doc-tab" aria-hidden="true"> </span>')
        if any(x <= a and b <= y for x, y in hits):
            seg = f'<mark class="doc-hit">{seg}</mark>'
        if ctx and ctx[0] <= a and b <= ctx[1]:
            seg = f'<span class="doc-context">{seg}</span>'
        out.append(seg)
    return "".join(out)


# ---- the dialog on the page -----------------------------------------------------------------------------------
# Opens on a click on any "#doc:" link (source cards, page navigation), asks the server for the dialog, scrolls
# to the first highlight and moves focus into the dialog; Escape, "Close" or a click outside closes it and
# returns focus to the link. Tab stays inside the dialog while it is open.
VIEWER_JS = """
(function () {
  var root = element, current = -1;
  var LOADING = '<div class="doc-backdrop"><div class="doc-dialog" role="dialog" aria-modal="true" ' +
    'aria-label="Opening the document"><p class="doc-guide" role="status">Opening the document\\u2026</p></div></div>';
  var FAILED = '<div class="doc-backdrop"><div class="doc-dialog" role="dialog" aria-modal="true" ' +
    'aria-label="Document not available"><div class="doc-head"><h2 id="doc-title" tabindex="-1">The document ' +
    'could not be opened</h2><button type="button" class="doc-close">Close</button></div><p>Please try again in ' +
    'a moment.</p></div></div>';
  function settle(tries) {
    var dlg = root.querySelector('.doc-dialog:not([aria-label])');
    if (!dlg) { if (tries < 60) setTimeout(function () { settle(tries + 1); }, 50); return; }
    current = -1;
    var hit = dlg.querySelector('.doc-box') || dlg.querySelector('details[open] .doc-hit, .doc-text > .doc-hit, ' +
      '.doc-text > .doc-context > .doc-hit') || dlg.querySelector('.doc-context');
    if (hit) hit.scrollIntoView({block: 'center'});
    var h = dlg.querySelector('#doc-title'); if (h) h.focus({preventScroll: true});
  }
  window.__docView = {
    open: function (href, opener) {
      if (opener && !root.contains(opener)) window.__docView.opener = opener;
      props.value = LOADING;
      Promise.resolve(server.open_document(href.replace(/^#/, ''))).then(function (html) {
        props.value = html || FAILED; setTimeout(function () { settle(0); }, 30);
      }, function () { props.value = FAILED; });
    },
    close: function () {
      props.value = '';
      var o = window.__docView.opener; if (o && o.isConnected && o.focus) o.focus();
    },
    nextHit: function () {
      var hits = root.querySelectorAll('.doc-box');  // boxes on a PDF page, else highlights in the text
      if (!hits.length) hits = root.querySelectorAll('.doc-hit');
      if (!hits.length) return;
      hits.forEach(function (x) { x.classList.remove('current'); });
      current = (current + 1) % hits.length;
      hits[current].classList.add('current');
      hits[current].scrollIntoView({block: 'center', behavior: 'smooth'});
    }
  };
  if (window.__docViewBound) return;
  window.__docViewBound = true;
  document.addEventListener('click', function (e) {
    var t = e.target; if (!t || !t.closest) return;
    var a = t.closest('a[href^="#doc:"]');
    if (a) { e.preventDefault(); e.stopPropagation(); window.__docView.open(a.getAttribute('href'), a); return; }
    if (t.closest('#doc-viewer .doc-close') || (t.classList.contains('doc-backdrop') && t.closest('#doc-viewer'))) {
      e.preventDefault(); window.__docView.close(); return;
    }
    if (t.closest('#doc-viewer .doc-next-hit')) { e.preventDefault(); window.__docView.nextHit(); }
  }, true);
  document.addEventListener('keydown', function (e) {
    var dlg = document.querySelector('#doc-viewer .doc-dialog'); if (!dlg) return;
    if (e.key === 'Escape') { e.preventDefault(); window.__docView.close(); return; }
    if (e.key !== 'Tab') return;
    var f = Array.prototype.filter.call(dlg.querySelectorAll('button, a[href], [tabindex="0"]'),
                                        function (x) { return x.offsetParent !== null; });
    if (!f.length) return;
    var first = f[0], last = f[f.length - 1];
    if (e.shiftKey && (document.activeElement === first || !dlg.contains(document.activeElement))) {
      e.preventDefault(); last.focus();
    } else if (!e.shiftKey && (document.activeElement === last || !dlg.contains(document.activeElement))) {
      e.preventDefault(); first.focus();
    }
  });
})();
"""


def build_viewer(services, ctx):
    """The (initially empty) dialog component; its server function renders a document for a "#doc:" link."""
    def open_document(link, request: gr.Request = None) -> str:
        """The dialog HTML for one "Open in document" link."""
        if isinstance(link, (list, tuple)):
            link = link[0] if link else ""
        parsed = parse_link(str(link or ""))
        if parsed is None or not ctx.wait():
            return document_html(None, None)
        from assistant.app.http_guard import request_user

        doc = services.documents.open(parsed.doc_id, request_user(request))

        def picture(number: int, quotes: list[str]):
            from assistant.app.pdf_page import render

            return render(doc.path, number, quotes) if doc and doc.path else None

        return document_html(doc, parsed, picture)

    return gr.HTML("", elem_id="doc-viewer", server_functions=[open_document], js_on_load=VIEWER_JS,
                   container=False)
