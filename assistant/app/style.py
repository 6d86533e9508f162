"""The app's style sheet. Colours are chosen for WCAG AA on their backgrounds (text ≥ 4.5:1, large text and
focus rings ≥ 3:1); the layout switches at 900 px: below it, sources fold under each answer instead of beside the
chat, and at phone width the chat takes most of the screen."""

CSS = """
:root { color-scheme: light; }
.gradio-container { width: 100% !important; max-width: 1400px !important; margin: 0 auto; }
#app-title h1 { font-size: 1.45rem; margin: 0.2rem 0 0 0; }
#app-title p { margin: 0.15rem 0 0.4rem 0; color: #374151; }
#ready-notice .notice { border-radius: 8px; padding: 0.55rem 0.8rem; margin: 0.2rem 0 0.4rem 0; font-size: 0.95rem; }
#ready-notice .notice.loading { background: #eff6ff; border: 1px solid #93c5fd; color: #1e3a8a; }
#ready-notice .notice.failed { background: #fef2f2; border: 1px solid #fca5a5; color: #7f1d1d; }

/* visible focus everywhere: a 3px blue-700 ring (6.7:1 on white) */
.gradio-container :is(button, a, input, textarea, select, summary, [role="tab"], [tabindex]):focus-visible,
#doc-viewer :is(button, a, [tabindex]):focus-visible {
  outline: 3px solid #1d4ed8 !important; outline-offset: 2px !important; }
.gradio-container textarea:focus, .gradio-container input:focus { border-color: #1d4ed8 !important; }

/* tabs: wrapped onto two rows on a phone, never hidden behind a menu */
#tabs [role="tablist"] button, #tabs .tab-container button { color: #1f2937; }
#tabs [role="tablist"] button[aria-selected="true"] { color: #1d4ed8; font-weight: 650; }

/* chat */
#chat { height: clamp(360px, calc(100vh - 330px), 760px) !important; }
#chat .message-wrap .message, #chat .message-content { color: #1f2937; }
#chat a[href^="#src-"] { text-decoration: none; font-weight: 600; color: #1d4ed8; background: #dbeafe;
  border-radius: 4px; padding: 0 3px; font-size: 0.85em; vertical-align: 1px; }
#chat a[href^="#src-"]:hover, #chat a[href^="#src-"]:focus { background: #1d4ed8; color: #fff; }
#chat .abstain-msg { background: #fff7ed; border-left: 4px solid #ea580c; border-radius: 6px;
  padding: 0.35rem 0.6rem; color: #7c2d12; margin-bottom: 0.4rem; }
#chat .warmup { background: #eff6ff; border-left: 4px solid #1d4ed8; border-radius: 6px; padding: 0.4rem 0.65rem;
  color: #1e3a8a; }
#chat .thinking { color: #374151; font-style: italic; }
#chat .next-steps { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-top: 0.5rem; }
#chat .next-steps .ns-label { font-size: 0.88rem; color: #374151; margin-right: 2px; }
#chat a.next-step { font-size: 0.88rem; color: #1e3a8a; background: #eff6ff; border: 1px solid #93c5fd;
  border-radius: 999px; padding: 2px 10px; text-decoration: none; }
#chat a.next-step:hover { background: #dbeafe; }
#chat .fb-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin-top: 0.55rem;
  padding-top: 0.45rem; border-top: 1px solid #e2e8f0; }
#chat .fb-bar .fb-q { font-size: 0.85rem; color: #374151; margin-right: 2px; }
#chat .fb-btn { font-size: 0.82rem; color: #1f2937; background: #fff; border: 1px solid #94a3b8; border-radius: 6px;
  padding: 2px 9px; cursor: pointer; line-height: 1.5; }
#chat .fb-btn:hover { background: #f1f5f9; }
#chat .fb-btn.chosen { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
#chat-notice:empty { display: none; }
#chat-notice .notice { border-radius: 8px; padding: 0.5rem 0.75rem; background: #fffbeb; border: 1px solid #f59e0b;
  color: #78350f; }
#feedback-note { border: 1px solid #93c5fd; background: #f8fbff; border-radius: 8px; padding: 0.5rem 0.75rem; }
#feedback-bus { display: none !important; }
.example-group { gap: 6px !important; }
.example-group .role { font-weight: 600; color: #1f2937; margin: 0; font-size: 0.92rem; }
.example-btn { text-align: left !important; justify-content: flex-start !important; white-space: normal !important;
  font-weight: 400 !important; color: #1f2937 !important; }

/* sources: one card per source, beside the chat (wide screens) or folded under each answer (small screens) */
#sources-col { position: sticky; top: 8px; align-self: flex-start; }
#sources { max-height: calc(100vh - 40px); overflow-y: auto !important; padding-right: 4px; }
.panel-title { font-size: 1.02rem !important; margin: 0.1rem 0 0.5rem 0 !important; }
.src-card { border: 1px solid #cbd5e1; border-left: 4px solid #94a3b8; border-radius: 8px; padding: 0.55rem 0.75rem;
  margin: 0 0 0.6rem 0; background: #fff; scroll-margin-top: 8px; transition: box-shadow .2s, border-color .2s; }
.src-card.active { border-color: #1d4ed8; border-left-color: #1d4ed8; box-shadow: 0 0 0 3px #bfdbfe; }
.src-card .src-head { display: flex; gap: 0.5rem; align-items: baseline; margin-bottom: 0.15rem; }
.src-card .src-num { font-weight: 700; color: #fff; background: #1d4ed8; border-radius: 4px; padding: 0 6px;
  font-size: 0.85rem; }
.src-card .src-fw { font-weight: 650; color: #111827; }
.src-card .src-path { color: #374151; font-size: 0.86rem; margin: 0 0 0.35rem 0; line-height: 1.4; }
.src-card .sep { color: #4b5563; }
.src-card .src-text { font-size: 0.9rem; line-height: 1.45; color: #1f2937; margin: 0; white-space: pre-line; }
.src-card mark { background: #fde68a; color: #111827; padding: 0 1px; border-radius: 2px; }
.src-card .src-quote { font-size: 0.88rem; border-left: 3px solid #f59e0b; padding-left: 0.5rem; margin: 0.3rem 0 0 0; }
.src-card .src-foot { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-top: 0.4rem; }
.src-card .tag { font-size: 0.78rem; background: #f1f5f9; color: #1f2937; border: 1px solid #cbd5e1;
  border-radius: 999px; padding: 0 8px; }
.src-card a.open-doc { font-size: 0.84rem; font-weight: 600; color: #1d4ed8; text-decoration: underline;
  text-underline-offset: 2px; }
.src-card details.more summary { cursor: pointer; color: #1d4ed8; font-size: 0.85rem; }
.sources-empty { color: #374151; font-size: 0.92rem; }
.abstain-box { background: #fff7ed; border: 1px solid #fb923c; border-radius: 8px; padding: 0.55rem 0.75rem;
  margin-bottom: 0.6rem; color: #7c2d12; }
.turn-sources { margin-top: 0.6rem; border-top: 1px solid #e2e8f0; padding-top: 0.4rem; }
.turn-sources summary { cursor: pointer; color: #374151; font-size: 0.9rem; }
#chat .msg-sources { display: none; }
#chat .msg-sources > summary { cursor: pointer; font-weight: 600; color: #1e3a8a; background: #eff6ff;
  border: 1px solid #93c5fd; border-radius: 6px; padding: 4px 10px; display: inline-block; }
#chat .msg-sources[open] > summary { margin-bottom: 0.5rem; }
#chat .msg-sources .src-card { margin-bottom: 0.5rem; }

/* why this answer */
#why { border: 1px solid #cbd5e1; border-radius: 8px; padding: 0.5rem 0.75rem; max-height: 460px;
  overflow-y: auto !important; }
#why .why-h { font-size: 0.98rem; margin: 0.6rem 0 0.3rem 0; }
#why .why-legend { font-size: 0.86rem; margin: 0.2rem 0 0.5rem 1rem; }
#why table { font-size: 0.84rem; width: 100%; border-collapse: collapse; }
#why th, #why td { border-bottom: 1px solid #e2e8f0; padding: 4px 6px; text-align: left; vertical-align: top; }
#why th { background: #f1f5f9; color: #111827; }
#why .cited { font-weight: 700; color: #1d4ed8; }
.table-scroll { overflow-x: auto; }

/* open in document */
#doc-viewer { position: static; }
#doc-viewer .doc-backdrop { position: fixed; inset: 0; z-index: 1000; background: rgba(15, 23, 42, 0.55);
  display: flex; align-items: center; justify-content: center; padding: 16px; }
#doc-viewer .doc-dialog { background: #fff; color: #1f2937; border-radius: 10px; width: min(920px, 100%);
  max-height: calc(100vh - 32px); display: flex; flex-direction: column; box-shadow: 0 20px 50px rgba(0,0,0,.3);
  padding: 0.8rem 1rem; }
#doc-viewer .doc-head { display: flex; justify-content: space-between; gap: 12px; align-items: flex-start;
  border-bottom: 1px solid #e2e8f0; padding-bottom: 0.5rem; }
#doc-viewer .doc-head h2 { font-size: 1.1rem; margin: 0; color: #111827; }
#doc-viewer .doc-sub { margin: 0.15rem 0 0 0; color: #374151; font-size: 0.9rem; }
#doc-viewer .doc-close { border: 1px solid #94a3b8; border-radius: 6px; background: #fff; color: #1f2937;
  padding: 4px 14px; font-weight: 600; cursor: pointer; }
#doc-viewer .doc-body { overflow: hidden; display: flex; flex-direction: column; min-height: 0; flex: 1; }
#doc-viewer .doc-guide { font-size: 0.9rem; color: #374151; margin: 0.45rem 0; }
#doc-viewer .doc-next-hit { margin-left: 8px; border: 1px solid #94a3b8; border-radius: 6px; background: #fff;
  color: #1f2937; padding: 1px 10px; cursor: pointer; }
#doc-viewer .doc-pages { display: flex; gap: 12px; margin: 0.4rem 0 0 0; }
#doc-viewer .doc-pages a { color: #1d4ed8; font-weight: 600; }
#doc-viewer .doc-scroll { overflow-y: auto; min-height: 0; flex: 1; display: flex; flex-direction: column; gap: 8px; }
#doc-viewer .doc-page-img { position: relative; margin: 0 auto; max-width: 100%; border: 1px solid #cbd5e1;
  box-shadow: 0 1px 4px rgba(0,0,0,.12); }
#doc-viewer .doc-page-img img { display: block; max-width: 100%; height: auto; }
#doc-viewer .doc-box { position: absolute; background: rgba(253, 230, 138, 0.45); outline: 2px solid #d97706;
  border-radius: 2px; scroll-margin: 120px; }
#doc-viewer .doc-page-text > summary { cursor: pointer; color: #1d4ed8; font-weight: 600; margin: 4px 0; }
#doc-viewer .doc-text { overflow-y: auto; white-space: pre-wrap; font-size: 0.93rem; line-height: 1.55;
  color: #1f2937; border: 1px solid #e2e8f0; border-radius: 6px; padding: 0.6rem 0.8rem; min-height: 0; flex: 1; }
#doc-viewer .doc-context { background: #eef2ff; }
#doc-viewer mark.doc-hit { background: #fde68a; color: #111827; outline: 2px solid #d97706; border-radius: 2px; }
#doc-viewer mark.doc-hit.current, #doc-viewer .doc-box.current { background: rgba(251, 191, 36, 0.7); }
#doc-viewer .doc-tab { display: inline-block; width: 1.2em; border-left: 1px solid #94a3b8; margin-left: 0.6em; }
#doc-viewer .doc-file { font-size: 0.8rem; color: #4b5563; margin: 0.4rem 0 0 0; }

/* facilitation: "saved" notes beside the control that saved, "use as bets" rows */
.saved-badge { display: inline-block; color: #14532d; background: #dcfce7; border: 1px solid #86efac;
  border-radius: 999px; padding: 2px 10px; font-size: 0.85rem; white-space: nowrap; }
#toa-saved { align-self: center; }
#chat-saved { display: flex; justify-content: flex-end; margin-top: -6px; }
#chat-saved:empty { display: none; }
.use-bets { align-items: center; gap: 12px; }
.use-bets button { white-space: nowrap; flex: 0 0 auto !important; min-width: max-content !important; }
#assess-status p, #finder-used p, #assess-sent p { margin: 0; }

/* documents & status */
#documents table, #documents th, #documents td, #documents span, #documents input {
  font-family: var(--font) !important; }
.gradio-container th, .gradio-container th * { word-break: normal !important; overflow-wrap: normal !important;
  hyphens: manual; }
.status-table { border-collapse: collapse; min-width: 60%; }
.status-table th, .status-table td { text-align: left; padding: 6px 12px; border-bottom: 1px solid #e2e8f0;
  vertical-align: top; }
.status-table th { color: #111827; white-space: nowrap; background: #f8fafc; }
.status-table td { overflow-wrap: anywhere; }
#remove-confirm { border: 1px solid #fca5a5; background: #fef2f2; border-radius: 8px; padding: 0.5rem 0.75rem; }
#upload-result ul { margin: 0.3rem 0; padding-left: 1.1rem; }
#upload-result li.ok::marker { content: "✓  "; color: #15803d; }
#upload-result li.fail::marker { content: "✗  "; color: #b91c1c; }
#upload-result li.fail { color: #7f1d1d; }
#upload-result li.ok { color: #14532d; }
#upload-result .next { color: #374151; }

/* small screens: sources under each answer, chat fills most of the screen */
@media (max-width: 900px) {
  #sources-col { display: none !important; }
  #chat .msg-sources { display: block; margin-top: 0.5rem; }
}
@media (max-width: 640px) {
  #chat:has(.placeholder-content) { height: auto !important; }
  #chat-toolbar > *, #chat-toolbar .form > * { min-width: 100% !important; }
  #app-title h1 { font-size: 1.2rem; }
  #app-title p { font-size: 0.9rem; }
  #chat { height: max(340px, calc(100svh - 230px)) !important; }
  #ask-row { flex-wrap: nowrap !important; gap: 8px !important; }
  #ask-row #send { min-width: 64px !important; }
  .status-table { min-width: 0; width: 100%; }
  .status-table th { white-space: normal; }
  #doc-viewer .doc-backdrop { padding: 0; }
  #doc-viewer .doc-dialog { max-height: 100vh; height: 100%; border-radius: 0; }
}
"""
