"""User-supplied text (document titles, file names, quoted document sentences, questions) made inert for the page's
Markdown and HTML components: it shows as typed and can neither add markup nor fetch anything."""

from __future__ import annotations

import html
import re

# The characters that open Markdown links, images, emphasis, code, tables and HTML, written as entities, which no
# Markdown renderer reads as syntax (so "![x](http://…)" or "<img src=…>" stay text and fetch nothing). Plain
# punctuation (- . : ,) stays as typed.
_MARKDOWN = re.compile(r"[\\`*_{}\[\]()#!|<>&~\"']")


def html_text(value) -> str:
    """Text for an HTML component (quotes escaped too, so it is safe in attributes)."""
    return html.escape(str(value if value is not None else ""), quote=True)


def markdown_text(value) -> str:
    """Text for a Markdown component: no character of it can start Markdown or HTML syntax."""
    return _MARKDOWN.sub(lambda m: f"&#{ord(m.group(0))};", str(value if value is not None else ""))
