"""A Deck to a 16:9 PowerPoint file with python-pptx."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO, overload

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.presentation import Presentation as PresentationFile
from pptx.util import Emu, Inches, Pt

from dashboard.export.deck import Deck, Slide, Table
from dashboard.export.files import write_checked
from dashboard.export.render_pdf import AUTHOR, column_widths

W, H = Inches(13.333), Inches(7.5)
FONT = "Arial"  # present wherever PowerPoint runs, with Vietnamese coverage
NAVY = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x55, 0x55, 0x55)


def _text(slide, left, top, width, height, lines: list[str], size: int, *, bold: bool = False,
          color: RGBColor | None = None) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    tf = box.text_frame
    tf.word_wrap = True
    for i, line in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = p.add_run()
        run.text = line
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
        if color is not None:
            run.font.color.rgb = color


def _table(slide, table: Table, left, top, width) -> None:
    n_rows = min(len(table.rows), 16) + 1
    height = Emu(Inches(0.32) * n_rows)
    shape = slide.shapes.add_table(n_rows, len(table.header), left, top, width, height)
    size = 11 if n_rows <= 7 else 9
    for c, w in enumerate(column_widths(float(width), len(table.header))):
        shape.table.columns[c].width = Emu(int(w))
    for r, row in enumerate([table.header, *table.rows[: n_rows - 1]]):
        for c, value in enumerate(row):
            cell = shape.table.cell(r, c)
            cell.text = str(value)
            for p in cell.text_frame.paragraphs:
                for run in p.runs:
                    run.font.size, run.font.name, run.font.bold = Pt(size), FONT, r == 0


def _content(prs: PresentationFile, s: Slide, footer: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    _text(slide, Inches(0.4), Inches(0.3), Inches(12.5), Inches(0.8), [s.title], 26,
          bold=True, color=NAVY)
    panel = bool(s.table or s.bullets)
    if s.image is not None:
        width = Inches(8.6) if panel else Inches(12.5)
        slide.shapes.add_picture(io.BytesIO(s.image), Inches(0.4), Inches(1.2), width=width)
    left = Inches(9.2) if s.image is not None else Inches(0.4)
    width = Inches(3.8) if s.image is not None else Inches(12.5)
    top = Inches(1.25)
    if s.bullets:
        _text(slide, left, top, width, Inches(1.6), s.bullets, 14)
        lines = sum(-(-len(b) // (36 if s.image is not None else 120)) for b in s.bullets)
        top = Inches(1.25 + 0.27 * lines + 0.12 * len(s.bullets) + 0.15)  # below the text
    if s.table:
        _table(slide, s.table, left, top, width)
    _text(slide, Inches(0.4), Inches(7.0), Inches(12.5), Inches(0.4), [s.footer or footer], 10,
          color=GREY)


def _title(prs: PresentationFile, s: Slide) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _text(slide, Inches(0.8), Inches(2.0), Inches(11.7), Inches(1.2), [s.title], 40,
          bold=True, color=NAVY)
    _text(slide, Inches(0.8), Inches(3.3), Inches(11.7), Inches(0.8), [s.subtitle], 28)
    _text(slide, Inches(0.8), Inches(4.4), Inches(11.7), Inches(2.4), s.bullets, 18, color=GREY)


class PptxWriter:
    """A deck written slide by slide: start(deck) once its title, footer and properties are
    known, add(slide) as each slide is ready (its chart rendered: the briefing hands them
    over while chromium renders the next), save(out) at the end. The same file as
    write_pptx, which is this in one go."""

    def __init__(self) -> None:
        self._prs: PresentationFile | None = None
        self._footer = ""

    def start(self, deck: Deck) -> None:
        prs = Presentation()
        prs.slide_width, prs.slide_height = W, H
        prs.core_properties.title = deck.title
        prs.core_properties.subject = deck.subject
        prs.core_properties.author = deck.author or AUTHOR
        prs.core_properties.last_modified_by = deck.author or AUTHOR
        self._prs, self._footer = prs, deck.footer

    def add(self, s: Slide) -> None:
        if self._prs is None:
            raise RuntimeError("PptxWriter.add before start")
        if s.kind == "title":
            _title(self._prs, s)
        else:
            _content(self._prs, s, self._footer)

    @overload
    def save(self, out: Path) -> Path: ...
    @overload
    def save(self, out: BinaryIO) -> BinaryIO: ...
    def save(self, out: Path | BinaryIO) -> Path | BinaryIO:
        if self._prs is None:
            raise RuntimeError("PptxWriter.save before start")
        if isinstance(out, str | Path):
            out = Path(out)
            out.parent.mkdir(parents=True, exist_ok=True)
            self._save_checked(out)
        else:
            self._prs.save(out)
        return out

    def _save_checked(self, out: Path) -> None:
        """Made in memory and every part read back against its CRC (made again once if
        damaged), then written whole (files.write_checked): a damaged or interrupted write
        never leaves a deck that PowerPoint cannot open under the user's name (test runs under
        heavy load read back decks that failed their CRC, or could not be read at all)."""
        if self._prs is None:
            raise RuntimeError("PptxWriter.save before start")
        for attempt in (1, 2):
            buf = io.BytesIO()
            self._prs.save(buf)
            data = buf.getvalue()
            if (bad := _damaged_part(data)) is None:
                break
            if attempt == 2:
                raise OSError(f"{out}: phần {bad} bị hỏng khi tạo tệp, hai lần / part {bad} was "
                              "damaged when the file was made, twice; try again")
        write_checked(out, data)


def _damaged_part(data: bytes) -> str | None:
    """The first part of a .pptx (a zip) that fails its CRC, '?' when it cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return z.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError):
        return "?"


@overload
def write_pptx(deck: Deck, out: Path) -> Path: ...
@overload
def write_pptx(deck: Deck, out: BinaryIO) -> BinaryIO: ...
def write_pptx(deck: Deck, out: Path | BinaryIO) -> Path | BinaryIO:
    """Write the deck (images already rendered) as a 16:9 .pptx (to a path or a stream)."""
    writer = PptxWriter()
    writer.start(deck)
    for s in deck.slides:
        writer.add(s)
    return writer.save(out)
