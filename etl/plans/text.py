"""Reading plan documents as NFC lines, and accent-insensitive folding for matching."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

ENCODINGS = ("utf-8-sig", "cp1258")


def nfc(s: str) -> str:
    """NFC-normalise and turn non-breaking/odd spaces into plain spaces."""
    s = unicodedata.normalize("NFC", s)
    return re.sub(r"[\u00a0\u2007\u202f\u200b\ufeff\t]", " ", s)


def fold(s: str) -> str:
    """Lowercase, accents removed (đ→d), spaces collapsed: for matching by meaning."""
    s = unicodedata.normalize("NFD", nfc(s).lower()).replace("đ", "d")
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"[“”\"'‘’«»*_]", "", s)
    return re.sub(r"\s+", " ", s).strip()


def decode(data: bytes) -> str:
    """Decode bytes as utf-16 (with its BOM: Notepad 'Unicode'), utf-8 (with or without BOM),
    else cp1258; NFC either way."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return nfc(data.decode("utf-16", errors="replace"))
    for enc in ENCODINGS:
        try:
            return nfc(data.decode(enc))
        except UnicodeDecodeError:
            continue
    return nfc(data.decode("cp1258", errors="replace"))


def docx_lines(path: Path) -> list[str]:
    """Paragraph texts of a .docx in body order, table cells included (row by row)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = docx.Document(str(path))
    out: list[str] = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(child, doc).text)
        elif tag == "tbl":
            for row in Table(child, doc).rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    out.extend(p.text for p in cell.paragraphs)
        out.append("")
    return out


def read_lines(path: Path) -> list[str]:
    """The document as NFC lines (soft line breaks inside a docx paragraph split too)."""
    if path.suffix.lower() == ".docx":
        raw = docx_lines(path)
    else:
        raw = decode(path.read_bytes()).splitlines()
    lines: list[str] = []
    for item in raw:
        lines.extend(nfc(item).replace("\r", "").split("\n"))
    return [ln.strip() for ln in lines]
