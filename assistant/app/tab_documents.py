"""The Documents tab: what is in the library, adding your own documents, removing them again.

The built-in framework documents are part of the product and cannot be removed here (they are not offered in the
remove list and the remove endpoint refuses them); uploaded documents can be removed after a confirmation step.
"""

from __future__ import annotations

import html
from datetime import datetime

import gradio as gr

from assistant.app.escape import markdown_text
from assistant.ingest import uploads

HEADERS = ["Title", "Framework", "Passages", "Pages", "Added", "Kind"]


def _when(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return iso or ""


def owner_of(request) -> str:
    """The owner key of the person making a request ('' without sign-in)."""
    from assistant.ingest.ownership import user_key

    return user_key(getattr(request, "username", None))


def document_rows(services, owner: str = "") -> list[list]:
    """The documents `owner` may see: the shared library and their own uploads."""
    mine = {r.doc_id for r in uploads.uploaded_documents(services, owner)}
    rows = []
    for r in uploads.visible_documents(services, owner):
        kind = "Your upload" if r.doc_id in mine else "Built-in framework"
        rows.append([r.title, r.framework, r.chunks, r.pages or "", _when(r.indexed_at), kind])
    rows.sort(key=lambda row: (row[5] != "Built-in framework", row[0].lower()))
    return rows


def summary_line(rows: list[list]) -> str:
    docs = len(rows)
    passages = sum(int(r[2]) for r in rows)
    mine = sum(1 for r in rows if r[5] == "Your upload")
    return (f"**{docs} documents** in the library ({passages:,} passages to search)"
            + (f", including {mine} you added." if mine else "."))


def removable_choices(services, owner: str = "") -> list[tuple[str, str]]:
    return [(f"{r.title} ({r.source.rsplit('/', 1)[-1]})", r.doc_id)
            for r in uploads.uploaded_documents(services, owner)]


def confirmation(services, doc_id: str | None, owner: str):
    """(confirm box update, confirm text, message) for removing one of `owner`'s documents; the title is shown as
    text (it comes from the document and may hold markup)."""
    if not doc_id:
        return gr.update(visible=False), "", "Choose a document you added first."
    title = next((label for label, value in removable_choices(services, owner) if value == doc_id), None)
    if title is None:
        return gr.update(visible=False), "", markdown_text(f"“{doc_id}” is not one of your documents.")
    return (gr.update(visible=True),
            f"Remove **{markdown_text(title)}**? Its file and its passages will be deleted from the library.", "")


def discard(paths: list[str]) -> None:
    """Delete the server's temporary copies of uploaded files once read: a removed upload must leave no copy
    that a URL could still fetch."""
    import os

    for p in paths:
        try:
            os.unlink(p)
        except OSError:
            pass


# Reasons a file could not be added that need a next step in plain words: (pattern, sentence). A parser's own
# detail ("EOF marker not found", an exception name) is dropped: it means nothing to the person uploading.
WHAT_TO_DO: list[tuple[str, str]] = [
    (r"not a readable (PDF|DOCX)|could not be read \(", "The file could not be read; it may be damaged. Open it and "
                                                       "save it again (for a PDF, print it to a new PDF), then add it "
                                                       "again."),
    (r"no extractable text", "No text could be found in it — it may be a scan or a picture. Run text recognition "
                             "(OCR) on it, or add a Word or text version."),
    (r"too large|too many pages", "{reason}. Split it into smaller files and add those."),
    (r"is named \.\w+ but is not", "{reason}. Check that it is the right file, or save it again in that format."),
]


def plain_reason(message: str) -> str:
    """A failed upload's reason as a sentence, with what to do next."""
    import re

    reason = (message or "").strip().rstrip(".")
    reason = reason[:1].upper() + reason[1:]
    for pattern, sentence in WHAT_TO_DO:
        if re.search(pattern, message or "", flags=re.I):
            return sentence.format(reason=reason)
    return f"{reason}." if reason else "The file could not be added."


def result_html(report: uploads.UploadReport) -> str:
    if not report.results:
        return '<p role="status">Choose one or more files first.</p>'
    items = []
    for r in report.results:
        cls = "ok" if r.ok else "fail"
        text = f"{r.name}: {plain_reason(r.message)}" if not r.ok else r.message or r.name
        items.append(f'<li class="{cls}" data-status="{html.escape(r.status)}">{html.escape(text)}</li>')
    ok, bad = len(report.added), len(report.failed)
    head = []
    if ok:
        head.append(f"{ok} file{'s' if ok != 1 else ''} added")
    if bad:
        head.append(f"{bad} could not be added — the library is unchanged for {'those' if bad != 1 else 'that one'}")
    return f'<div role="status"><strong>{html.escape("; ".join(head))}.</strong><ul>{"".join(items)}</ul></div>'


def _intro(max_file_mb: float) -> str:
    return ("These are the documents the assistant answers from. The five leadership frameworks are built in. "
            f"You can add your own district documents — PDF, Word (.docx), text or Markdown, up to {max_file_mb:g} MB "
            "each. Scanned PDFs without text and password-protected files can't be read. Documents you add can be "
            "removed again; the built-in frameworks stay.")


def build_tab(services, ctx) -> None:
    gr.Markdown(_intro(services.settings.corpus.max_file_mb))
    with gr.Row(equal_height=True):
        summary = gr.Markdown("", elem_id="documents-summary")
        refresh = gr.Button("Refresh list", size="sm", elem_id="documents-refresh", scale=0, min_width=130)
    table = gr.Dataframe(headers=HEADERS, value=[], elem_id="documents", interactive=False, wrap=True,
                         datatype=["str", "str", "number", "str", "str", "str"],
                         column_widths=["340px", "200px", "110px", "90px", "190px", "200px"], label="Library")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            files = gr.File(label="Add documents (PDF, DOCX, TXT, MD)", file_count="multiple", elem_id="upload",
                            height=140)
            add = gr.Button("Add to library", variant="primary", elem_id="add-docs")
            result = gr.HTML("", elem_id="upload-result", js_on_load=None)
        with gr.Column(scale=2):
            remove_choice = gr.Dropdown(choices=[], value=None, label="Remove a document you added",
                                        elem_id="remove-choice", interactive=True, allow_custom_value=True)
            remove_btn = gr.Button("Remove…", variant="secondary", elem_id="remove")
            with gr.Column(visible=False, elem_id="remove-confirm", elem_classes=["confirm-box"]) as confirm_box:
                confirm_text = gr.Markdown("")
                with gr.Row():
                    confirm = gr.Button("Yes, remove it", variant="stop", elem_id="remove-yes")
                    cancel = gr.Button("Cancel", elem_id="remove-cancel")
            remove_result = gr.Markdown("", elem_id="remove-result")

    def listing(request: gr.Request = None):
        """Every document in the library you can see as rows: title, framework, passages, pages, added, kind."""
        if not ctx.wait():
            return gr.update(), "The library is not available: the assistant could not start (see Status).", gr.update()
        owner = owner_of(request)
        rows = document_rows(services, owner)
        return rows, summary_line(rows), gr.update(choices=removable_choices(services, owner), value=None)

    listing_outputs = [table, summary, remove_choice]

    def add_files(paths: list[str] | None, version: int, request: gr.Request = None, progress=gr.Progress()):
        ctx.ready()
        paths = [p for p in (paths or []) if isinstance(p, str) and p]
        if not paths:
            return result_html(uploads.UploadReport()), gr.update(), version, *listing(request)
        progress(0.0, desc="Checking files")
        try:
            report = uploads.add_uploads(services, paths, progress=lambda f, m: progress(f, desc=m),
                                         owner=owner_of(request))
        finally:
            discard(paths)
        changed = any(r.status in ("added", "updated") for r in report.results)
        return (result_html(report), gr.update(value=None), ctx.bump(version) if changed else version,
                *listing(request))

    add.click(add_files, inputs=[files, ctx.index_version],
              outputs=[result, files, ctx.index_version, *listing_outputs], api_name="upload",
              concurrency_limit=1, concurrency_id="library-writes", show_progress="full",
              show_progress_on=[result])

    def ask_confirm(doc_id: str | None, request: gr.Request = None):
        return confirmation(services, doc_id, owner_of(request))

    remove_btn.click(ask_confirm, inputs=[remove_choice], outputs=[confirm_box, confirm_text, remove_result],
                     queue=False, api_visibility="private")
    cancel.click(lambda: gr.update(visible=False), outputs=[confirm_box], queue=False, api_visibility="private")

    def remove(doc_id: str | None, version: int, request: gr.Request = None):
        """Remove one of your uploaded documents (by id, file name or title); built-in frameworks are refused."""
        ctx.ready()
        try:
            message = uploads.remove_upload(services, doc_id or "", owner=owner_of(request))
            version = ctx.bump(version)
        except uploads.UploadRefused as exc:
            message = str(exc)
        return markdown_text(message), gr.update(visible=False), version, *listing(request)

    confirm.click(remove, inputs=[remove_choice, ctx.index_version],
                  outputs=[remove_result, confirm_box, ctx.index_version, *listing_outputs], api_name="remove",
                  concurrency_limit=1, concurrency_id="library-writes")

    refresh.click(listing, outputs=listing_outputs, api_name="documents", show_progress="hidden")
    ctx.on_load.append((listing, listing_outputs))
