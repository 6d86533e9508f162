"""Hostile and foreign documents, generated on the spot for the hardening tests and benchmarks: decompression bombs
(a Word package whose text inflates a thousandfold, a package of many parts, a PDF whose pages inflate), and research
articles with bracketed reference numbers ("[15]") of the kind that once crashed answering."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                  'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                  'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/'
                  'word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
                  'document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
         'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_bomb(path: Path, unpacked_mb: int = 1024) -> Path:
    """A small valid .docx whose document.xml inflates to `unpacked_mb` MB of paragraphs (written in a stream)."""
    para = b"<w:p><w:r><w:t>" + b"All work and no play makes a dull district. " * 20 + b"</w:t></w:r></w:p>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>'.encode())
            block = para * max(1, 2**20 // len(para))
            for _ in range(unpacked_mb):
                fh.write(block)
            fh.write(b"</w:body></w:document>")
    return path


def docx_many_parts(path: Path, parts: int = 50_000) -> Path:
    """A .docx with a valid body and `parts` tiny extra parts (a central directory too large to trust)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/document.xml", f'<w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>Plan</w:t></w:r></w:p>'
                                        "</w:body></w:document>")
        for i in range(parts):
            z.writestr(f"x/{i}", b"")
    return path


def docx_with_text(path: Path, paragraphs: list[str], title: str = "") -> Path:
    """A minimal valid .docx holding these paragraphs (no python-docx needed)."""
    from xml.sax.saxutils import escape

    body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/document.xml", f'<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>')
        if title:
            z.writestr("docProps/core.xml", '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
                                            '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                                            f"<dc:title>{escape(title)}</dc:title></cp:coreProperties>")
    return path


def pdf_bomb(path: Path, pages: int = 400, page_mb: int = 12) -> Path:
    """A PDF of `pages` pages whose content streams each inflate to `page_mb` MB (a comment line, no text)."""
    stream = zlib.compress(b"0 0 m\n" * (page_mb * 2**20 // 6), 9)
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for i in range(pages):
        page_no, content_no = 3 + 2 * i, 4 + 2 * i
        kids.append(f"{page_no} 0 R".encode())
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_no} 0 R >>".encode())
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    Path(path).write_bytes(bytes(out))
    return Path(path)


# ---- research articles with bracketed reference numbers ---------------------------------------------------------
_TOPICS = [
    ("principal supervision", "Principal supervisors who spend most of their time in schools improve instruction"),
    ("teacher retention", "Teacher retention rises when new teachers receive structured induction and mentoring"),
    ("data use", "Data teams that meet weekly use formative assessment results to adjust instruction"),
    ("family engagement", "Family engagement programmes improve attendance when schools communicate in home languages"),
    ("coaching", "Instructional coaching improves classroom practice when coaches observe and give feedback weekly"),
]


def research_articles(folder: Path, n: int = 15) -> list[Path]:
    """`n` short research articles (.txt) whose sentences cite a numbered reference list ("[15]", "[3, 7]")."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        topic, finding = _TOPICS[i % len(_TOPICS)]
        refs = [(i * 7 + k) % 40 + 1 for k in range(6)]
        body = [
            f"# A study of {topic} in district {i + 1}",
            "## Abstract",
            f"{finding} [{refs[0]}]. Earlier studies reported mixed results [{refs[1]}, {refs[2]}]. "
            f"We followed {20 + i} schools for three years [{refs[3]}].",
            "## Findings",
            f"Schools with strong {topic} showed gains in reading and mathematics [{refs[4]}]. "
            f"The effect was larger in high-poverty schools [15]. Leaders reported that time was the main "
            f"constraint [{refs[5]}][2].",
            "## Discussion",
            f"District leaders should treat {topic} as a core function of the central office [12]. "
            "Further work is needed on cost and scale [3-5].",
            "## References",
            "\n".join(f"[{r}] Author {r}. A paper on {topic}. Journal of Education {2000 + r}." for r in sorted(set(refs))),
        ]
        path = folder / f"article-{i + 1:02d}.txt"
        path.write_text("\n\n".join(body) + "\n", encoding="utf-8")
        out.append(path)
    return out


RESEARCH_QUESTIONS = [
    "What did the studies find about principal supervision?",
    "How does teacher retention improve?",
    "What is the effect in high-poverty schools?",
    "What should district leaders do about coaching?",
    "How do data teams use assessment results?",
    "What was the main constraint leaders reported?",
    "How many schools were followed?",
    "What improves attendance?",
]
