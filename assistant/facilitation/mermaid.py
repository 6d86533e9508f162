"""The driver diagram as Mermaid flowchart text (for the Markdown export: GitHub, GitLab, Obsidian and many wikis
draw it): aim on the left, then each bet's primary driver, its secondary drivers and its change ideas, citation
markers kept in the labels."""

from __future__ import annotations

import textwrap

from assistant.facilitation.plan_parts import DriverDiagram, Node

LABEL_CHARS = 38  # characters per line inside a node


def _label(prefix: str, node: Node) -> str:
    marks = "".join(f"[{n}]" for n in node.cites)
    text = " ".join(f"{prefix}{node.text} {marks}".split())
    text = text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    return "<br/>".join(textwrap.wrap(text, LABEL_CHARS)) or " "


def to_mermaid(diagram: DriverDiagram) -> str:
    """A `flowchart LR` of the diagram (without the ``` fence)."""
    out = ["flowchart LR", f'  aim["{_label("Aim: ", diagram.aim) if diagram.aim.text else "Aim: not written yet"}"]']
    links = []
    for band in diagram.bands:
        p = f"p{band.number}"
        out.append(f'  {p}["{_label(f"Bet {band.number}: ", band.primary)}"]')
        links.append(f"  aim --- {p}")
        secs = [f"{p}s{k}" for k in range(1, len(band.secondaries) + 1)]
        chgs = [f"{p}c{k}" for k in range(1, len(band.changes) + 1)]
        out += [f'  {i}["{_label("", n)}"]' for i, n in zip(secs, band.secondaries)]
        out += [f'  {i}(["{_label("", n)}"])' for i, n in zip(chgs, band.changes)]
        links += [f"  {p} --- {i}" for i in secs]
        links += [f"  {s} --- {c}" for s in secs for c in chgs] if secs else [f"  {p} --- {c}" for c in chgs]
    styles = ["  classDef aim fill:#1e3a8a,color:#ffffff,stroke:#1e3a8a",
              "  classDef primary fill:#dbeafe,stroke:#1d4ed8", "  classDef change fill:#fef3c7,stroke:#b45309",
              "  class aim aim"]
    prim = [f"p{b.number}" for b in diagram.bands]
    chg = [f"p{b.number}c{k}" for b in diagram.bands for k in range(1, len(b.changes) + 1)]
    styles += ([f"  class {','.join(prim)} primary"] if prim else []) + ([f"  class {','.join(chg)} change"] if chg else [])
    return "\n".join(out + links + styles)
