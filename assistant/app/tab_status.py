"""The Status tab: how the assistant is set up on this computer — how answers are made and whether that works, the
library (built-in frameworks and uploads), where the index lives, its size and last build, the search model."""

from __future__ import annotations

import html
import time
from datetime import datetime
from pathlib import Path

import gradio as gr

BACKEND_NAMES = {
    "extractive": "Quoted from the documents, on this computer (nothing is sent anywhere)",
    "openai": "Written by an OpenAI-compatible server from the quoted passages",
    "ollama": "Written by a local Ollama server from the quoted passages",
    "llamacpp": "Written by a local llama.cpp model from the quoted passages",
    "fake": "Test generator (for development)",
}
MAX_UPLOADS_LISTED = 12


def generator_status(services) -> str:
    """Whether the answer backend can be reached, in plain words (`answerer.backend_status()` when it exists)."""
    if services.settings.answer.backend == "extractive":
        return "Yes — it runs inside the assistant; there is nothing to reach"
    check = getattr(services.answerer, "backend_status", None)
    if check is None:
        return "Not reported by the answer engine"
    try:
        result = check()
    except Exception as exc:  # a status check must never break the page
        return f"Could not check ({exc})"
    if isinstance(result, bool):
        return "Yes" if result else "No — answers fall back to quoting passages"
    if isinstance(result, dict):
        ok = result.get("ok", result.get("reachable"))
        detail = result.get("detail") or result.get("message") or ""
        head = "Yes" if ok else ("No — answers fall back to quoting passages" if ok is not None else "")
        return " — ".join(x for x in (head, str(detail)) if x) or str(result)
    return str(result)


def folder_size(folder: Path, skip: Path | None = None) -> int:
    """Bytes of the files under `folder` (files under `skip` not counted)."""
    total = 0
    skip = skip.resolve() if skip else None
    for p in Path(folder).rglob("*"):
        try:
            if p.is_file() and not (skip and p.resolve().is_relative_to(skip)):
                total += p.stat().st_size
        except OSError:
            continue
    return total


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def last_build(services, docs) -> str:
    """When the index being served was built, else when a document was last indexed."""
    stamps = [services.store.built_at] if services.store.built_at else [d.indexed_at for d in docs]
    try:
        when = max(datetime.fromisoformat(s) for s in stamps).astimezone() if stamps else None
    except ValueError:
        return "unknown"
    return when.strftime("%Y-%m-%d %H:%M") if when else "not built yet"


def library_rows(services, owner: str = "") -> list[tuple[str, str]]:
    """The library as `owner` sees it: the shared documents and their own uploads (nobody else's)."""
    from assistant.ingest import uploads

    s = services.settings
    docs = uploads.visible_documents(services, owner)
    mine = uploads.uploaded_documents(services, owner)
    built_in = len(docs) - len(mine)
    rows = [("Library", f"{built_in} built-in framework document{'s' if built_in != 1 else ''}"
             f"{f' and {len(mine)} of your own' if mine else ''} — {sum(d.chunks for d in docs):,} passages")]
    names = ", ".join(sorted(d.title for d in mine)[:MAX_UPLOADS_LISTED])
    more = f" and {len(mine) - MAX_UPLOADS_LISTED} more" if len(mine) > MAX_UPLOADS_LISTED else ""
    rows.append(("Your uploads", (f"{len(mine)}: {names}{more}" if mine else "None yet (add documents in the "
                                  "Documents tab)") + f". Kept in {Path(s.corpus.uploads_dir).resolve()}"))
    index_dir = Path(s.index.dir).resolve()
    rows.append(("Index location", services.store.location))
    if not s.index.chroma_url:  # a server's disk is the server's business
        rows.append(("Index size", human_size(folder_size(index_dir, skip=Path(s.corpus.uploads_dir)))
                     + " on disk"))
    rows.append(("Last index build", last_build(services, docs)))
    return rows


def status_rows(services, readiness, owner: str = "") -> list[tuple[str, str]]:
    from assistant import __version__

    s = services.settings
    rows: list[tuple[str, str]] = [("App version", __version__)]
    rows.append(("Answers", BACKEND_NAMES.get(s.answer.backend, s.answer.backend)))
    if s.answer.model:
        rows.append(("Answer model", s.answer.model))
    if readiness.error:
        rows.append(("Start-up", f"Failed: {readiness.error}"))
        return rows
    if not readiness.is_ready:
        rows.append(("Start-up", readiness.stage))
        return rows
    rows.append(("Answer backend reachable", generator_status(services)))
    rows += library_rows(services, owner)
    rows.append(("Search model", getattr(services.embedder, "model_id", "unknown")))
    if readiness.ready_at:
        rows.append(("Ready since", time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(readiness.ready_at))
                     + f" (start-up took {readiness.ready_at - readiness.started:.1f} s)"))
    return rows


def status_markdown(services, readiness, owner: str = "") -> str:
    """The status rows as a two-column table (HTML inside Markdown: no empty header row)."""
    rows = status_rows(services, readiness, owner)
    body = "".join(f"<tr><th scope=\"row\">{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    return f'<table class="status-table"><tbody>{body}</tbody></table>'


def build_tab(services, ctx) -> None:
    gr.Markdown("How the assistant is set up on this computer.")
    status = gr.Markdown(status_markdown(services, ctx.readiness), elem_id="status")
    with gr.Row():
        refresh = gr.Button("Refresh", size="sm", elem_id="status-refresh", scale=0, min_width=120)

    def current(request: gr.Request = None) -> str:
        """The status table (answers and reachability, library and uploads, index, search model) as Markdown."""
        from assistant.ingest.ownership import user_key

        ctx.readiness.wait(ctx.wait_timeout)  # show the full table once start-up has finished (or failed)
        return status_markdown(services, ctx.readiness, user_key(getattr(request, "username", None)))

    refresh.click(current, outputs=[status], api_name="status", show_progress="hidden")
    ctx.on_load.append((current, [status]))
    ctx.index_version.change(current, outputs=[status], show_progress="hidden", api_visibility="private")
