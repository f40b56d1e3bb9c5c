"""Plan documents as blocks (paragraph strings and tables): .txt, .docx, .pdf (text or OCR), .xlsx."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from etl.plans.text import decode, nfc

Table = list[list[str]]
Block = str | Table
MAX_BYTES = {".txt": 2_000_000, ".docx": 30_000_000, ".pdf": 60_000_000, ".xlsx": 30_000_000}
MAX_PDF_PAGES = 150
OCR_MIN_CHARS = 40  # a page with less text than this and a picture on it is taken for a scan
MAX_OCR_PAGES = 30  # pages read by OCR in one document; the others are named in a warning


class TooLargeError(ValueError):
    """The file is far larger than any real plan."""


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)
    ocr_confidence: float | None = None  # mean word confidence 0–100 when the text is OCR'd
    ocr_pages: int = 0
    # what was left out and why, and what to do: warnings of the plan
    notes: list[tuple[str, str]] = field(default_factory=list)
    cut_tables: set[int] = field(default_factory=set)  # task tables followed by unjoined rows


def _cell(text: object) -> str:
    """One cell's text on one line (PDF cells wrap lines by width, not by meaning); a date cell
    as dd/mm/yyyy, a whole number without '.0'."""
    if isinstance(text, date):
        return f"{text.day:02d}/{text.month:02d}/{text.year}"
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return re.sub(r"\s+", " ", nfc(str(text if text is not None else ""))).strip()


def _docx_cell(paras: list[str]) -> str:
    """A Word cell: its paragraphs kept as lines (one unit per line is common)."""
    lines = [ln for p in paras for ln in p.split("\n")]
    return "\n".join(x for x in (_cell(ln) for ln in lines) if x)


def check_size(path: Path) -> None:
    limit = MAX_BYTES.get(path.suffix.lower(), 2_000_000)
    size = path.stat().st_size
    if size > limit:
        raise TooLargeError(f"{size / 1e6:.1f} MB > {limit / 1e6:.0f} MB")


def read_document(path: Path) -> Document:
    """The document's blocks in reading order."""
    check_size(path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return Document(_docx_blocks(path))
    if suffix == ".pdf":
        return _pdf_document(path)
    if suffix == ".xlsx":
        doc = Document()
        doc.blocks = _xlsx_blocks(path, doc.notes)
        return doc
    return Document(_split_lines(decode(path.read_bytes()).splitlines()))


def _split_lines(raw: list[str]) -> list[Block]:
    out: list[Block] = []
    for item in raw:
        out.extend(ln.strip() for ln in nfc(item).replace("\r", "").split("\n"))
    return out


def _docx_blocks(path: Path) -> list[Block]:
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    doc = docx.Document(str(path))
    out: list[Block] = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.extend(_split_lines([Paragraph(child, doc).text]))
        elif tag == "tbl":
            out.append(_docx_rows(DocxTable(child, doc)))
        out.append("")
    return out


SUB = "↳ "  # a sub-task row taken from a table nested in a task cell


def _docx_rows(table) -> Table:
    """A Word table's rows; a table nested in a cell gives one sub-task row per nested row
    (the parent row's other cells copied, the nested row's other cells as '; ' clauses)."""
    rows: Table = []
    for row in table.rows:
        cells = list(row.cells)
        rows.append([_docx_cell([p.text for p in c.paragraphs]) for c in cells])
        for j, c in enumerate(cells):
            if j and c._tc is cells[j - 1]._tc:
                continue
            for inner in c.tables:
                for irow in inner.rows:
                    texts = [t for t in dict.fromkeys(
                        _docx_cell([p.text for p in ic.paragraphs]) for ic in irow.cells) if t]
                    if texts:
                        sub = list(rows[-1] if not rows[-1][j].startswith(SUB) else rows[-1])
                        sub[j] = SUB + "; ".join(texts)
                        rows.append(sub)
    return rows


def _xlsx_blocks(path: Path, notes: list[tuple[str, str]]) -> list[Block]:
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    wb = CalamineWorkbook.from_path(str(path))
    out: list[Block] = []
    for meta in wb.sheets_metadata:
        name = meta.name
        if meta.visible != SheetVisibleEnum.Visible:
            notes.append((f"Trang tính ẩn '{name}' không được đọc (bản nháp?) / hidden sheet "
                          f"'{name}' skipped", "Hiện trang tính nếu đó là nhiệm vụ đã duyệt / "
                          "unhide the sheet if its tasks are approved"))
            continue
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        table = [[_cell(v) for v in row] for row in rows[:5000]]
        out.append([r for r in table if any(r)])
    return out


def _pdf_document(path: Path) -> Document:
    import pdfplumber

    doc = Document()
    with pdfplumber.open(str(path)) as pdf:
        if len(pdf.pages) > MAX_PDF_PAGES:
            raise TooLargeError(f"{len(pdf.pages)} trang / pages > {MAX_PDF_PAGES}")
        scanned: list[int] = []
        parts: list[Block | tuple[str, int]] = []  # the blocks, ("ocr", page) for a page to OCR
        blank = 0
        for i, page in enumerate(pdf.pages):
            blocks = _pdf_page_blocks(page)
            chars = sum(len(b) if isinstance(b, str) else sum(len(c) for r in b for c in r)
                        for b in blocks)  # a page of table rows has its words: no OCR
            if chars < OCR_MIN_CHARS and not page.images:
                blank += chars == 0  # no picture to read: its few words (or none) as they are
                parts.extend(blocks)
            elif chars < OCR_MIN_CHARS and len(scanned) < MAX_OCR_PAGES:
                scanned.append(i)
                parts.append(("ocr", i))  # placeholder, filled below
            elif chars < OCR_MIN_CHARS:
                doc.notes.append((f"Trang {i + 1}: quá {MAX_OCR_PAGES} trang ảnh quét, trang "
                                  f"này không được nhận dạng (OCR) / page {i + 1} not OCR'd "
                                  f"(limit {MAX_OCR_PAGES} pages)", "Tách tệp hoặc dùng bản có "
                                  "lớp chữ / split the file or use a PDF with a text layer"))
            else:
                parts.extend(blocks)
        if blank:
            doc.notes.append((f"{blank} trang trống (không chữ, không ảnh) được bỏ qua / "
                              "blank pages skipped", "Không cần làm gì / nothing to do"))
    if not scanned:
        doc.blocks = [b for b in parts if not isinstance(b, tuple)]  # no placeholder: every block
    else:
        texts, conf = ocr_pages(path, scanned)
        filled: list[Block] = []
        for b in parts:
            if isinstance(b, tuple):
                filled.extend(_split_lines(texts[b[1]].splitlines()))
            else:
                filled.append(b)
        doc.blocks, doc.ocr_confidence, doc.ocr_pages = filled, conf, len(scanned)
    return doc


def _pdf_page_blocks(page) -> list[Block]:
    """Text lines outside tables and the tables themselves, top to bottom."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj: dict) -> bool:
        x, top = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= top <= b[3] for b in boxes)

    items: list[tuple[float, Block]] = []
    words_page = page.filter(outside) if boxes else page
    for line in words_page.extract_text_lines(return_chars=False):
        items.append((line["top"], _cell(line["text"])))
    for t in tables:
        items.append((t.bbox[1], _pdf_rows(t)))
    items.sort(key=lambda it: it[0])
    return [b for _, b in items]


def _pdf_rows(table) -> Table:
    """A PDF table's rows; a cell merged down over several rows gives its text to each of them
    (a horizontally merged group row keeps its single text)."""
    raw = table.extract()
    boxes = [row.cells for row in table.rows]
    rows = [[_cell(c) for c in row] for row in raw]
    for i in range(1, len(rows)):
        tops = [b[1] for b in boxes[i] if b is not None]
        if not tops:
            continue
        top = min(tops)
        for j, cell in enumerate(raw[i]):
            if cell is not None or j >= len(boxes[i]):
                continue
            for k in range(i - 1, -1, -1):
                box = boxes[k][j] if j < len(boxes[k]) else None
                if box is not None:
                    if box[3] > top + 1:  # the cell above reaches down into this row
                        rows[i][j] = rows[k][j]
                    break
    return rows


def ocr_pages(path: Path, pages: list[int], scale: float = 300 / 72) -> tuple[dict, float]:
    """Render pages with pypdfium2 and read them with tesseract (-l vie): texts and confidence."""
    import shutil

    import pypdfium2 as pdfium

    if shutil.which("tesseract") is None:
        raise OSError("bản PDF là ảnh quét nhưng chưa cài tesseract (tesseract-ocr, "
                      "tesseract-ocr-vie: scripts/setup-system.sh) / a scanned PDF needs "
                      "tesseract for OCR")
    pdf = pdfium.PdfDocument(str(path))
    texts: dict[int, str] = {}
    confs: list[float] = []
    try:  # page images go to tesseract through a pipe: no file left behind if stopped
        for i in pages:
            img = pdf[i].render(scale=scale).to_pil()
            text, page_conf = _tesseract(_png(img))
            if _poor(text, page_conf) and (turn := _orientation(img)):  # scanned sideways
                text2, conf2 = _tesseract(_png(img.rotate(-turn, expand=True)))
                if not _poor(text2, conf2) or len(conf2) > len(page_conf):
                    text, page_conf = text2, conf2
            texts[i] = text
            confs.extend(page_conf)
    finally:
        pdf.close()
    return texts, (sum(confs) / len(confs) if confs else 0.0)


def _png(img) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _poor(text: str, confs: list[float]) -> bool:
    """Too few words or too low a confidence: the page may be turned."""
    return len(text.split()) < 8 or (sum(confs) / len(confs) if confs else 0) < 55


def _orientation(img) -> int:
    """Degrees to turn the page clockwise (tesseract OSD), 0 if upright or unknown."""
    small = img.copy()
    small.thumbnail((1600, 1600))
    res = subprocess.run(  # noqa: S603 - fixed program, our own image on its stdin
        ["tesseract", "stdin", "stdout", "--psm", "0"],  # noqa: S607
        input=_png(small), capture_output=True, timeout=120, check=False)
    m = re.search(rb"Rotate:\s*(\d+)", res.stdout)
    return int(m.group(1)) % 360 if m and res.returncode == 0 else 0


def _tesseract(png: bytes) -> tuple[str, list[float]]:
    res = subprocess.run(  # noqa: S603 - fixed program, our own image on its stdin
        ["tesseract", "stdin", "stdout", "-l", "vie", "--psm", "4", "tsv"],  # noqa: S607
        input=png, capture_output=True, timeout=180, check=False)
    if res.returncode != 0:
        raise OSError(f"tesseract: {res.stderr.decode('utf-8', 'replace').strip()[:200]}")
    lines: dict[tuple, list[str]] = {}
    confs: list[float] = []
    for row in res.stdout.decode("utf-8", "replace").splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or not cols[11].strip():
            continue
        key = (int(cols[2]), int(cols[3]), int(cols[4]))  # block, paragraph, line
        lines.setdefault(key, []).append(cols[11])
        if float(cols[10]) >= 0:
            confs.append(float(cols[10]))
    text = "\n".join(" ".join(w) for _, w in sorted(lines.items()))
    return nfc(text), confs
