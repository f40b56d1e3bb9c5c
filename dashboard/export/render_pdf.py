"""A Deck to a 16:9 PDF with reportlab: the same chart images and text as the PPTX."""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO, overload
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph
from reportlab.platypus import Table as RLTable

from dashboard.export.deck import Deck, Slide, Table
from dashboard.export.files import write_checked

PAGE = (960.0, 540.0)  # points: 13.333 × 7.5 in, as the PPTX
IN = 72.0
FONT_DIRS = ("/usr/share/fonts/truetype/noto", "/usr/share/fonts/truetype/dejavu")
FONT_FILES = (
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
)
NAVY = colors.HexColor("#1F4E79")
FALLBACK = ("DejaVuSans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
AUTHOR = "PAPI analytics workbench (papi briefing)"
# Streams stay binary (zlib) instead of ASCII85 text: reportlab encodes ASCII85 in pure Python,
# ≈ 0.8 s of CPU for a deck's images, and the file is a fifth larger. Readers see no difference.
rl_config.useA85 = 0


def register_fonts() -> tuple[str, str]:
    """Embed a TTF with full Vietnamese coverage (Noto Sans, else DejaVu Sans)."""
    for regular, bold in FONT_FILES:
        for folder in FONT_DIRS:
            r, b = Path(folder) / regular, Path(folder) / bold
            if r.is_file() and b.is_file():
                name = r.stem.split("-")[0]
                if name not in pdfmetrics.getRegisteredFontNames():
                    pdfmetrics.registerFont(TTFont(name, str(r)))
                    pdfmetrics.registerFont(TTFont(name + "-Bold", str(b)))
                _register_fallback()
                return name, name + "-Bold"
    raise RuntimeError("no Vietnamese-capable TTF (fonts-noto-core or fonts-dejavu-core): run "
                       "`make setup`")


def _register_fallback() -> None:
    name, path = FALLBACK
    if name not in pdfmetrics.getRegisteredFontNames() and Path(path).is_file():
        pdfmetrics.registerFont(TTFont(name, path))


def markup(text: str, font: str) -> str:
    """Escaped paragraph text; characters `font` lacks (e.g. '→' in Noto Sans) are set in
    DejaVu Sans instead of vanishing."""
    try:
        face = pdfmetrics.getFont(font).face
        have = face.charToGlyph
    except (KeyError, AttributeError):
        return escape(text)
    fallback = FALLBACK[0] in pdfmetrics.getRegisteredFontNames()
    out = []
    for ch in text:
        e = escape(ch)
        if fallback and not ch.isspace() and ord(ch) not in have:
            e = f'<font name="{FALLBACK[0]}">{e}</font>'
        out.append(e)
    return "".join(out)


def _para(c: Canvas, lines: list[str], x: float, top: float, width: float, size: int,
          font: str, color=colors.black) -> float:
    style = ParagraphStyle("p", fontName=font, fontSize=size, leading=size * 1.3,
                           textColor=color, spaceAfter=size * 0.4)
    y = top
    for line in lines:
        p = Paragraph(markup(line, font), style)
        _, h = p.wrap(width, PAGE[1])
        p.drawOn(c, x, y - h)
        y -= h + style.spaceAfter
    return y


def column_widths(width: float, n: int) -> list[float]:
    """The first (label) column gets 40% when there are more than two columns."""
    if n <= 2:
        return [width / n] * n
    return [width * 0.4] + [width * 0.6 / (n - 1)] * (n - 1)


def _table(c: Canvas, table: Table, x: float, top: float, width: float, fonts: tuple[str, str]):
    rows = [table.header, *table.rows[:16]]
    size = 10 if len(rows) <= 6 else 8
    style = ParagraphStyle("t", fontName=fonts[0], fontSize=size, leading=size * 1.2)
    head = ParagraphStyle("h", parent=style, fontName=fonts[1])
    data = [[Paragraph(markup(str(v), fonts[1] if i == 0 else fonts[0]),
                       head if i == 0 else style) for v in r]
            for i, r in enumerate(rows)]
    t = RLTable(data, colWidths=column_widths(width, len(table.header)))
    t.setStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE6F0")),
                ("VALIGN", (0, 0), (-1, -1), "TOP")])
    _, h = t.wrap(width, PAGE[1])
    t.drawOn(c, x, top - h)


def _slide(c: Canvas, s: Slide, footer: str, fonts: tuple[str, str]) -> None:
    w, h = PAGE
    if s.kind == "title":
        _para(c, [s.title], 0.8 * IN, h - 2.0 * IN, 11.7 * IN, 36, fonts[1], NAVY)
        _para(c, [s.subtitle], 0.8 * IN, h - 3.3 * IN, 11.7 * IN, 26, fonts[0])
        _para(c, s.bullets, 0.8 * IN, h - 4.4 * IN, 11.7 * IN, 16, fonts[0], colors.grey)
        return
    _para(c, [s.title], 0.4 * IN, h - 0.35 * IN, 12.5 * IN, 22, fonts[1], NAVY)
    panel = bool(s.table or s.bullets)
    if s.image is not None:
        img = ImageReader(io.BytesIO(s.image))
        iw, ih = img.getSize()
        width = (8.6 if panel else 12.5) * IN
        height = width * ih / iw
        c.drawImage(img, 0.4 * IN, h - 1.2 * IN - height, width, height)
    x = 9.2 * IN if s.image is not None else 0.4 * IN
    width = 3.8 * IN if s.image is not None else 12.5 * IN
    top = h - 1.25 * IN
    if s.bullets:
        top = _para(c, s.bullets, x, top, width, 12, fonts[0]) - 8
    if s.table:
        _table(c, s.table, x, top, width, fonts)
    _para(c, [s.footer or footer], 0.4 * IN, 0.45 * IN, 12.5 * IN, 9, fonts[0], colors.grey)


class PdfWriter:
    """The PDF written page by page, as PptxWriter writes the PPTX: start(deck), add(slide)
    as each slide is ready (its chart's image decoded and compressed while chromium renders
    the next), save() at the end. The same pages as write_pdf, which is this in one go.

    To a path, the pages are kept in memory until save(), opened again (pdfium, every page) and
    written whole (files.write_checked): a deck that fails or a damaged write never leaves
    half a PDF under the user's name."""

    def __init__(self, out: Path | BinaryIO) -> None:
        if isinstance(out, str | Path):
            out = Path(out)
            out.parent.mkdir(parents=True, exist_ok=True)
        self.out = out
        self._buf = io.BytesIO() if isinstance(out, Path) else None
        self._c: Canvas | None = None
        self._footer = ""
        self._fonts: tuple[str, str] = ("", "")
        self._pages = 0

    def start(self, deck: Deck) -> None:
        self._fonts = register_fonts()
        c = Canvas(self._buf if self._buf is not None else self.out, pagesize=PAGE,
                   pageCompression=1)
        c.setTitle(deck.title)
        c.setAuthor(deck.author or AUTHOR)
        c.setCreator(AUTHOR)
        c.setSubject(deck.subject)
        self._c, self._footer = c, deck.footer

    def add(self, s: Slide) -> None:
        if self._c is None:
            raise RuntimeError("PdfWriter.add before start")
        _slide(self._c, s, self._footer, self._fonts)
        self._c.showPage()
        self._pages += 1

    def save(self) -> Path | BinaryIO:
        if self._c is None:
            raise RuntimeError("PdfWriter.save before start")
        self._c.save()
        if self._buf is not None and isinstance(self.out, Path):
            data = self._buf.getvalue()
            if _pages_of(data) != self._pages:
                raise OSError(f"{self.out}: PDF không mở lại được với {self._pages} trang / the "
                              f"PDF does not open again with its {self._pages} pages; nothing "
                              "written")
            write_checked(self.out, data)
        return self.out


def _pages_of(data: bytes) -> int | None:
    """The page count of a PDF (pdfium, as a viewer opens it), None when it cannot be opened."""
    import pypdfium2

    try:
        doc = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return None
    try:
        return len(doc)
    finally:
        doc.close()


@overload
def write_pdf(deck: Deck, out: Path) -> Path: ...
@overload
def write_pdf(deck: Deck, out: BinaryIO) -> BinaryIO: ...
def write_pdf(deck: Deck, out: Path | BinaryIO) -> Path | BinaryIO:
    """Write the deck (images already rendered) as a 16:9 PDF, one page per slide (to a path
    or a stream)."""
    writer = PdfWriter(out)
    writer.start(deck)
    for s in deck.slides:
        writer.add(s)
    return writer.save()
