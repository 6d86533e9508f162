"""Render printed documents the way a reader sees them and measure the result: PDF pages to images (pdftoppm),
words and lines with their positions (pdftotext -bbox-layout), and DOCX through LibreOffice to PDF first. All of
them are Debian packages (`make test` installs them); each call works in a private folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

TOOLS = ("pdftoppm", "pdftotext", "soffice")


def missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


@dataclass
class Line:
    text: str
    top: float  # points from the top of the page
    bottom: float


@dataclass
class Page:
    width: float
    height: float
    lines: list[Line]
    words: list[str]

    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def pages(pdf: Path) -> list[Page]:
    """Every page's size, lines (top to bottom) and words, from pdftotext -bbox-layout."""
    out = pdf.with_suffix(".bbox.html")
    subprocess.run(["pdftotext", "-bbox-layout", str(pdf), str(out)], check=True, capture_output=True)
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", out.read_text(encoding="utf-8"))
    root = ET.fromstring(xml)
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    result = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        lines = []
        words = []
        for line in page.iterfind(".//x:line", ns):
            ws = [w.text or "" for w in line.iterfind("x:word", ns)]
            words += ws
            lines.append(Line(" ".join(ws), float(line.get("yMin")), float(line.get("yMax"))))
        lines.sort(key=lambda ln: ln.top)
        result.append(Page(float(page.get("width")), float(page.get("height")), lines, words))
    return result


def ink_bottoms(pdf: Path, dpi: int = 40) -> list[float]:
    """For each page rendered to an image, how far down the page (0–1) the lowest ink reaches (the running
    footer excluded: it sits in the bottom 6%)."""
    from PIL import Image

    folder = pdf.parent / f"{pdf.stem}-png"
    folder.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-png", str(pdf), str(folder / "p")], check=True,
                   capture_output=True)
    out = []
    for png in sorted(folder.glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1])):
        img = Image.open(png).convert("L")
        w, h = img.size
        cut = int(h * 0.94)
        px = img.load()
        lowest = 0
        for y in range(cut):
            if any(px[x, y] < 160 for x in range(0, w, 2)):
                lowest = y
        out.append(lowest / h)
    return out


def docx_to_pdf(docx: Path, workdir: Path) -> Path:
    """The DOCX as LibreOffice prints it (a private profile folder, no network, no home directory)."""
    profile = workdir / "lo-profile"
    env = dict(os.environ, HOME=str(workdir))
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "pdf", "--outdir", str(workdir), str(docx)], check=True, capture_output=True,
                   env=env, timeout=180)
    return workdir / (docx.stem + ".pdf")
