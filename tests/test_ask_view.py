"""The Ask tab's rendering without a server: plain-language source cards (no offsets, ids or scores), every quoted
span highlighted, "Open in document" links and the document view, the explained "Why this answer", answer messages
with suggestions, collapsible sources and feedback buttons, the warm-up message, Status and upload reasons."""

from __future__ import annotations

import re
import threading
import time
from types import SimpleNamespace

import pytest

from assistant.app import chat_view, document_view, source_cards, why_panel

PASSAGE = "Practice 11. District leaders monitor instruction. They visit classrooms weekly. Leaders monitor data."
RUBRIC = {"n": 2, "chunk_id": "rubric-11a-gb", "doc_id": "leadership-system-rubric-txt", "item_id": "rubric:11a",
          "source": "leadership-system-rubric.txt", "framework": "Leadership System rubric",
          "section": "Area 4: Develop Capacity › Practice 11: District and building leaders regularly monitor "
                     "instruction and student support efforts to ensure effective implementation",
          "indicator": "11a", "level": "Getting Better", "page": None, "text": PASSAGE, "span": [20000, 20100],
          "start": 20010, "end": 20045, "quote": "District leaders monitor instruction.", "score": 0.0476,
          "signals": {"dense": 0.61, "bm25": 4.5, "boost": 0.05}, "label": "Leadership System rubric › …"}
PDF_CITATION = {**RUBRIC, "n": 1, "doc_id": "plan-pdf", "source": "plan.pdf", "framework": "Our plan",
                "section": "Coaching", "indicator": "", "level": "", "page": 3}
ANSWER = {"question": "What does 11a say?", "resolved_question": "What does 11a say?", "abstained": False,
          "answer": "Leaders monitor instruction [2] and data [1].", "backend": "extractive", "shape": "rubric",
          "citations": [PDF_CITATION, RUBRIC], "passages": [RUBRIC, PDF_CITATION], "related": [], "notes": [],
          "timings_ms": {"total": 42.0}}


def visible_text(html_text: str) -> str:
    """Roughly what a reader sees: tags removed, attributes (links, ids) gone."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_text))


INTERNALS = [r"characters \d", r"\b\d{3,},?\d*\s*[–-]\s*\d{3,}", r"rubric:11a", r"-txt\b", r"0\.0476",
             r"\bchunk", r"\bspan\b"]


@pytest.mark.parametrize("rendered", [
    source_cards.sources_html([{"question": "q", "answer": ANSWER}]),
    source_cards.inline_sources(ANSWER, 1),
    chat_view.answer_markdown(ANSWER, 1, latest=True),
])
def test_what_people_read_has_no_offsets_ids_or_scores(rendered):
    text = visible_text(rendered)
    for pattern in INTERNALS:
        assert not re.search(pattern, text), (pattern, text)


def test_card_shows_breadcrumb_page_highlight_and_document_link():
    card = source_cards.source_card(PDF_CITATION, "src-1-1", 1, [PDF_CITATION["quote"]])
    assert "<mark>District leaders monitor instruction.</mark>" in card
    assert "Page 3" in visible_text(card) and 'id="src-1-1"' in card
    assert 'href="#doc:plan-pdf:20010-20045:20000-20100"' in card
    rubric = visible_text(source_cards.source_card(RUBRIC, "src-1-2", 2, [RUBRIC["quote"]]))
    order = [rubric.index(x) for x in ("Leadership System rubric", "Area 4", "Practice 11", "Indicator 11a",
                                       "Getting Better")]
    assert order == sorted(order), rubric
    assert "Page" not in rubric  # a text document has no pages to show


def test_every_quoted_place_is_highlighted_when_a_citation_has_several_spans():
    c = {**RUBRIC, "spans": [[20010, 20045], [20080, 20100]],
         "span_quotes": ["District leaders monitor instruction.", "Leaders monitor data."]}
    card = source_cards.source_card(c, "src-1-2", 2, source_cards.citation_quotes(c))
    assert card.count("<mark>") == 2
    assert "#doc:leadership-system-rubric-txt:20010-20045,20080-20100:20000-20100" in card
    assert source_cards.quote_spans(c) == [(20010, 20045), (20080, 20100)]
    assert source_cards.quote_spans(RUBRIC) == [(20010, 20045)]


def test_a_quote_not_found_in_the_passage_is_shown_beside_it():
    card = source_cards.source_card({**RUBRIC, "text": "Something else entirely."}, "a", 1, ["Not in the text."])
    assert "Quoted:" in card and "<mark>Not in the text.</mark>" in card


def test_compact_card_shows_the_quote_in_context():
    long_text = ("Opening words. " * 60) + "The quoted sentence is here. " + ("Closing words. " * 60)
    html_text, found = source_cards.excerpt(long_text, ["The quoted sentence is here."], radius=80)
    assert found and "<mark>The quoted sentence is here.</mark>" in html_text
    assert html_text.startswith("… ") and html_text.endswith(" …") and len(html_text) < 300


def test_answer_message_has_suggestions_sources_and_feedback():
    ans = {**ANSWER, "next_steps": [{"label": "Keep Improving", "message": "And at Keep Improving?", "items": []}]}
    latest = chat_view.answer_markdown(ans, 3, latest=True)
    assert '<a href="#src-3-2" title="Show source 2">[2]</a>' in latest
    assert 'href="#ask:And%20at%20Keep%20Improving%3F"' in latest and ">Keep Improving</a>" in latest
    assert '<details class="msg-sources" id="msrc-3">' in latest and 'id="msrc-3-1"' in latest
    assert all(f'id="fb-3-{k}"' in latest for k in chat_view.RATINGS)
    earlier = chat_view.answer_markdown(ans, 3, latest=False, rating="wrong_citation")
    assert "#ask:" not in earlier  # suggestions only under the latest answer
    assert 'class="fb-btn chosen" id="fb-3-wrong_citation">✓ Wrong citation' in earlier
    assert "fb-bar" not in chat_view.answer_markdown({**ANSWER, "backend": "facilitator"}, 1)


def test_why_panel_explains_its_numbers_and_the_confidence():
    turn = {"question": "q", "answer": {**ANSWER, "confidence": 0.82,
                                        "evidence": {"best_sentence": 0.71, "new_feature": 0.5}}}
    panel = why_panel.why_html([turn])
    for words in ("Meaning match", "cosine similarity", "Keyword match", "BM25", "Named item bonus",
                  "reciprocal rank fusion", "High (82%)", "closest sentence", "new feature", "0.050"):
        assert words in panel, words
    assert "cited" in panel and "Confidence" not in panel
    assert "How sure" not in why_panel.why_html([{"question": "q", "answer": ANSWER}])  # no confidence, no section


@pytest.mark.parametrize("link, expected", [
    ("#doc:plan-pdf:10-20:0-50", ("plan-pdf", ((10, 20),), (0, 50), None)),
    ("doc:a.b_c-d:10-20,30-40:-@4", ("a.b_c-d", ((10, 20), (30, 40)), None, 4)),
    ("#doc:x:-:5-9", ("x", (), (5, 9), None)),
    ("#doc:x:20-10:-", ("x", (), None, None)),  # an empty span is dropped
    ("#src-1-1", None), ("#doc:../etc/passwd:1-2:-", None), ("", None),
])
def test_document_links_are_parsed_strictly(link, expected):
    got = document_view.parse_link(link)
    assert (None if got is None else (got.doc_id, got.spans, got.context, got.page)) == expected


def opened(text: str, pages=()) -> document_view.OpenedDocument:
    return document_view.OpenedDocument("d", "A Plan", "Our district", "plan.pdf", text, tuple(pages))


def test_document_view_highlights_every_span_and_shades_the_passage():
    text = "Intro.\nFirst quoted words here.\tCell two.\nMore text. Second quoted bit. End."
    a, b = text.index("First"), text.index(" here")
    c, d = text.index("Second"), text.index(" bit") + 4
    page = document_view.document_html(opened(text), document_view.parse_link(f"#doc:d:{a}-{b},{c}-{d}:{a}-{d}"))
    assert page.count('<mark class="doc-hit">') == 2 and "highlighted in 2 places" in page
    assert 'role="dialog"' in page and 'aria-modal="true"' in page and "Close" in page
    assert '<span class="doc-context">' in page and 'class="doc-tab"' in page
    assert visible_text(page).count("Intro.") == 1  # the whole document is there


def test_pdf_view_shows_the_page_of_the_quote_with_page_navigation():
    from assistant.types import PageSpan

    text = "Page one text.\n\nPage two has the quote in it.\n\nPage three."
    pages = [PageSpan(1, 0, 14), PageSpan(2, 16, 45), PageSpan(3, 47, len(text))]
    s = text.index("the quote")
    link = document_view.parse_link(f"#doc:d:{s}-{s + 9}:16-45")
    page = document_view.document_html(opened(text, pages), link)
    assert "Page 2 of 3" in page and '<mark class="doc-hit">the quote</mark>' in page
    assert "Page one" not in page and "Page three" not in page
    assert f'href="#doc:d:{s}-{s + 9}:16-45@1">‹ Previous page' in page and "@3\">Next page ›" in page
    other = document_view.document_html(opened(text, pages), document_view.parse_link(f"#doc:d:{s}-{s + 9}:-@3"))
    assert "Page 3 of 3" in other and "on another page" in other


def test_a_removed_document_says_so_in_words():
    page = document_view.document_html(None, None)
    assert "no longer in the library" in page and 'role="dialog"' in page


def test_source_documents_read_pdf_pages_only_when_the_text_still_matches():
    from assistant.ingest.loaders import load_file
    from conftest import PDFS

    pdf = PDFS / "pdflatex-4-pages.pdf"
    doc = load_file(pdf)
    rec = SimpleNamespace(doc_id=doc.doc_id, title="Four pages", framework="Four pages", source=pdf.name,
                          content_hash="h", path=str(pdf), pages=4)
    texts = {doc.doc_id: doc.text}
    store = SimpleNamespace(documents=lambda: [rec], document_text=texts.get)
    docs = document_view.SourceDocuments(store, load_file)
    got = docs.open(doc.doc_id)
    assert got is not None and len(got.pages) == 4 and got.page_at(got.pages[2].start) == 3
    texts[doc.doc_id] = doc.text + " changed"  # re-indexed text no longer matches the file: no page numbers
    assert docs.open(doc.doc_id).pages == doc.pages  # cached for this (document, content) pair
    assert document_view.SourceDocuments(store, load_file).open(doc.doc_id).pages == ()
    assert docs.open("missing") is None


# ---- the question flow while the assistant warms up --------------------------------------------------------------
class SlowStart:
    """A context whose start-up finishes a moment after the question is asked."""

    def __init__(self, delay: float, error: str | None = None):
        from assistant.app.shell import Readiness

        self.readiness = Readiness()
        self.delay, self.error = delay, error

    def ready(self):
        import gradio as gr

        self.readiness.wait()
        if self.readiness.error:
            raise gr.Error(f"The assistant could not start: {self.readiness.error}")

    def start(self):
        def finish():
            time.sleep(self.delay)
            (self.readiness.set_failed(self.error) if self.error else self.readiness.set_ready())

        threading.Thread(target=finish, daemon=True).start()


def test_a_question_during_warm_up_shows_at_once_then_gets_its_answer(no_facilitation):
    from assistant.app import tab_ask
    from assistant.config import load_settings
    from assistant.types import Answer

    class Answerer:
        def answer(self, question, history=None, framework=None, k=None):
            return Answer(question, "Coherence means alignment.", [], [])

    answerer = Answerer()
    services = SimpleNamespace(settings=load_settings(), answerer=answerer, answerer_for=lambda user: answerer,
                               facilitator=no_facilitation)
    ctx = SlowStart(0.6)
    ctx.start()
    t0 = time.perf_counter()
    updates = tab_ask.respond(services, ctx, "What is coherence?", tab_ask.new_session(), tab_ask.ALL, "k")
    first = next(updates)
    assert time.perf_counter() - t0 < 0.3
    assert first[0][-2]["content"] == "What is coherence?" and "Getting ready" in first[0][-1]["content"]
    assert first[1] == ""  # the box is cleared: the question is in the conversation
    rest = list(updates)
    assert time.perf_counter() - t0 >= 0.5
    assert "Looking through the documents" in rest[0][0][-1]["content"]
    assert "Coherence means alignment." in rest[-1][0][-1]["content"]


def test_a_failed_start_is_told_in_the_notice_and_the_question_kept(no_facilitation):
    from assistant.app import tab_ask
    from assistant.config import load_settings

    services = SimpleNamespace(settings=load_settings(), answerer=None, answerer_for=lambda user: None,
                               facilitator=no_facilitation)
    ctx = SlowStart(0.05, error="the search model package is missing")
    ctx.start()
    *_, last = tab_ask.respond(services, ctx, "What is coherence?", tab_ask.new_session(), tab_ask.ALL, "k")
    chat, box, _s, _w, notice, *_ = last
    assert "could not start" in notice and "search model package" in notice
    assert chat == [] and box == "What is coherence?"


# ---- status and upload reasons --------------------------------------------------------------------------------------
def test_status_shows_uploads_index_location_size_and_last_build(fake_services):
    from assistant.app import tab_status
    from assistant.app.shell import Readiness

    readiness = Readiness()
    readiness.set_ready()
    rows = dict(tab_status.status_rows(fake_services, readiness))
    assert rows["Answers"].startswith("Quoted from the documents")
    assert rows["Answer backend reachable"].startswith("Yes")
    assert rows["Library"].startswith("5 built-in framework documents")
    assert rows["Your uploads"].startswith("None yet") and "uploads" in rows["Your uploads"]
    assert rows["Index location"] == str(fake_services.settings.index.dir.resolve())
    assert re.fullmatch(r"[\d.,]+ (KB|MB|GB) on disk", rows["Index size"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows["Last index build"])
    assert len(set(rows.values())) == len(rows)  # no two rows say the same thing


@pytest.mark.parametrize("reason, expected", [
    ("not a readable PDF (EOF marker not found)", "may be damaged. Open it and save it again"),
    ("could not be read (KeyError: 'x')", "may be damaged"),
    ("no extractable text (a scanned or image-only file?)", "text recognition (OCR)"),
    ("too large (30.2 MB; the limit is 25 MB per file)", "Too large (30.2 MB; the limit is 25 MB per file). Split"),
    ("the file is named .pdf but is not a PDF", "The file is named .pdf but is not a PDF. Check"),
    ("the file is empty", "The file is empty."),
])
def test_upload_reasons_are_sentences_with_a_next_step(reason, expected):
    from assistant.app.tab_documents import plain_reason

    said = plain_reason(reason)
    assert expected in said and "EOF" not in said and "KeyError" not in said


# ---- a PDF page as it looks -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("page_words, quote, expected", [
    ("a b Hello, here is some text c".split(), "Hello, here is some text", (2, 6)),
    ("the look. This text".split(), "the\nlook. This", (0, 2)),
    ("infor- mation about".split(), "information about", (0, 2)),  # hyphenated at a line end on the page
    ("nothing alike here".split(), "Hello there", None),
])
def test_quotes_are_found_among_the_words_of_a_page(page_words, quote, expected):
    from assistant.app.pdf_page import locate

    assert locate(page_words, quote) == expected


def test_a_pdf_page_renders_with_boxes_over_the_quote():
    from assistant.app.pdf_page import render
    from conftest import PDFS

    pytest.importorskip("pypdfium2")
    image = render(str(PDFS / "pdflatex-4-pages.pdf"), 3, ["Is there no information? Is there a difference",
                                                           "words that are not on this page at all zzz"])
    assert image is not None and image.src.startswith("data:image/jpeg;base64,") and image.found == 1
    assert image.width > 800 and image.boxes and all(0 <= v <= 100 for box in image.boxes for v in box)
    assert render(str(PDFS / "missing.pdf"), 1, ["x"]) is None


def test_pdf_view_shows_the_page_image_with_its_text_folded_below():
    from assistant.app.pdf_page import PageImage
    from assistant.types import PageSpan

    text = "Page one.\n\nThe quote is on page two."
    pages = [PageSpan(1, 0, 9), PageSpan(2, 11, len(text))]
    s = text.index("The quote")
    seen = []

    def picture(number, quotes):
        seen.append((number, quotes))
        return PageImage("data:image/jpeg;base64,AAAA", 800, 1100, [(10.0, 20.0, 30.0, 2.0)], found=1)

    page = document_view.document_html(opened(text, pages), document_view.parse_link(f"#doc:d:{s}-{s + 9}:-"),
                                       picture)
    assert seen == [(2, ["The quote"])]
    assert '<img src="data:image/jpeg;base64,AAAA"' in page and 'alt="Page 2 of 2 of A Plan, the quoted words boxed"' in page
    assert 'class="doc-box" style="left:10.00%;top:20.00%;width:30.00%;height:2.00%"' in page
    assert '<details class="doc-page-text"><summary>Text of this page</summary>' in page  # closed: the image shows it
