"""The briefing's PPTX and PDF are written slide by slide as each chart is rendered
(PptxWriter, PdfWriter: the ready hook of build_deck): slides in order, each with its image,
and the same files as write_pptx / write_pdf of the finished deck."""

from __future__ import annotations

import io
import re
import zipfile
from concurrent.futures import Future
from pathlib import Path

import pytest
from PIL import Image

from dashboard.export import briefing
from dashboard.export.deck import Deck, Sinks, Slide
from dashboard.export.render_pdf import PdfWriter, write_pdf
from dashboard.export.render_pptx import PptxWriter, write_pptx


def _png(i: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (192, 88), (i * 20 % 256, 80, 160)).save(out, "PNG")
    return out.getvalue()


class _Session:
    """No chromium: each chart's PNG is a small image of its own, finished out of order
    (the last submitted first), so the hook must wait for each slide's own."""

    def __init__(self) -> None:
        self.futures: list[Future[bytes]] = []

    def submit(self, *args: object, **kwargs: object) -> Future[bytes]:
        self.futures.append(Future())
        return self.futures[-1]

    def close(self, wait: bool = True) -> None:
        for i, f in reversed(list(enumerate(self.futures))):
            if not f.done():
                f.set_result(_png(i))


class _Recording(PptxWriter):
    def __init__(self) -> None:
        super().__init__()
        self.added: list[Slide] = []
        self.had_image: list[bool] = []

    def add(self, s: Slide) -> None:
        self.added.append(s)
        self.had_image.append(s.figure is None or s.image is not None)
        super().add(s)


def _parts(data: bytes) -> dict[str, bytes]:
    z = zipfile.ZipFile(io.BytesIO(data))
    return {n: re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", z.read(n))
            for n in z.namelist()}


@pytest.mark.parametrize(("code", "year", "vintage"), [("20", 2024, "63"), ("25", 2026, "34")])
def test_slides_are_written_in_order_as_their_charts_arrive(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch, code: str, year: int,
        vintage: str) -> None:
    sessions: list[_Session] = []

    def session() -> _Session:
        sessions.append(_Session())
        return sessions[-1]

    class Resolving(_Recording):  # every render finishes once the deck is built
        def start(self, deck) -> None:  # type: ignore[no-untyped-def]
            sessions[-1].close()
            super().start(deck)

    monkeypatch.setattr(briefing, "ExportSession", session)
    writer, pdf = Resolving(), io.BytesIO()
    pdf_writer = PdfWriter(pdf)
    deck = briefing.build_deck(demo_db, code, year, "vi", vintage=vintage,
                               ready=Sinks(writer, pdf_writer))
    assert [id(s) for s in writer.added] == [id(s) for s in deck.slides]
    assert all(writer.had_image) and sum(s.figure is not None for s in deck.slides) > 5
    streamed, whole = io.BytesIO(), io.BytesIO()
    writer.save(streamed)
    write_pptx(deck, whole)
    assert _parts(streamed.getvalue()) == _parts(whole.getvalue())
    pdf_writer.save()
    whole_pdf = io.BytesIO()
    write_pdf(deck, whole_pdf)
    assert _pages(pdf.getvalue()) == _pages(whole_pdf.getvalue())
    assert len(_pages(pdf.getvalue())) == len(deck.slides)


def _pages(data: bytes) -> list[tuple[str, bytes]]:
    """Each page's text and pixels (rendered at 30 dpi)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    return [(doc[i].get_textpage().get_text_range(),
             doc[i].render(scale=30 / 72).to_pil().tobytes()) for i in range(len(doc))]


def test_writers_refuse_slides_before_the_deck() -> None:
    with pytest.raises(RuntimeError):
        PptxWriter().add(Slide("x"))
    with pytest.raises(RuntimeError):
        PdfWriter(io.BytesIO()).add(Slide("x"))


def test_pdf_streams_are_binary_and_the_image_is_unchanged() -> None:
    """reportlab's ASCII85 text encoding is pure Python (≈ 0.8 s of CPU a deck): the streams
    are written binary instead, and the chart still reads back pixel for pixel."""
    import pypdfium2 as pdfium

    png = io.BytesIO()
    pixels = Image.new("RGB", (320, 120), (250, 250, 250))
    for x in range(0, 320, 7):
        for y in range(0, 120, 3):
            pixels.putpixel((x, y), (x % 256, 40, y * 2 % 256))
    pixels.save(png, "PNG")
    out = io.BytesIO()
    w = PdfWriter(out)
    w.start(Deck("Bộ tóm tắt", "Lạng Sơn", 2024, "vi", footer="PAPI"))
    w.add(Slide("Biểu đồ", image=png.getvalue()))
    w.save()
    data = out.getvalue()
    assert b"/ASCII85Decode" not in data
    assert b"/FlateDecode" in data
    images = [o for o in pdfium.PdfDocument(data)[0].get_objects()
              if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
    assert len(images) == 1
    assert images[0].get_bitmap().to_pil().convert("RGB").tobytes() == pixels.tobytes()


def test_a_deck_damaged_when_made_is_made_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A part that fails its CRC on reading back (seen in test runs) is made again; the file
    appears only whole, under its name, with nothing left beside it."""
    import zipfile as zf

    from pptx.presentation import Presentation as PresentationFile

    w = PptxWriter()
    w.start(Deck("Bộ tóm tắt", "Lạng Sơn", 2024, "vi", footer="PAPI"))
    w.add(Slide("Biểu đồ", image=_png(3)))
    real_save, saves = PresentationFile.save, []

    def damaging_save(self, file) -> None:  # type: ignore[no-untyped-def]
        real_save(self, file)
        saves.append(file)
        if len(saves) == 1:  # flip one byte of the first image's stored data
            with zf.ZipFile(io.BytesIO(file.getvalue())) as z:
                info = next(i for i in z.infolist() if i.filename.startswith("ppt/media/"))
            file.getbuffer()[info.header_offset + 30 + len(info.filename) + 40] ^= 0xFF

    monkeypatch.setattr(PresentationFile, "save", damaging_save)
    out = tmp_path / "deck.pptx"
    assert w.save(out) == out
    assert len(saves) == 2
    with zf.ZipFile(out) as z:
        assert z.testzip() is None
    assert [p.name for p in tmp_path.iterdir()] == ["deck.pptx"]


def _flip_first(monkeypatch: pytest.MonkeyPatch, times: int) -> list[Path]:
    """The export files' write (files.write_checked) damages one byte of its first `times`
    writes."""
    from dashboard.export import files

    real, writes = files._write_bytes, []

    def damaging(path: Path, data: bytes) -> None:
        writes.append(path)
        if len(writes) <= times:
            data = data[:200] + bytes([data[200] ^ 0xFF]) + data[201:]
        real(path, data)

    monkeypatch.setattr(files, "_write_bytes", damaging)
    return writes


@pytest.mark.parametrize(("damaged", "ok"), [(2, True), (3, False)])
def test_a_deck_damaged_on_disk_is_written_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damaged: int, ok: bool) -> None:
    """Bytes that read back different from what was written: written again, up to three times;
    then an error, the previous file untouched and nothing left beside it."""
    writes = _flip_first(monkeypatch, damaged)
    w = PptxWriter()
    w.start(Deck("Bộ tóm tắt", "Lạng Sơn", 2024, "vi", footer="PAPI"))
    w.add(Slide("Biểu đồ", image=_png(3)))
    out = tmp_path / "deck.pptx"
    out.write_bytes(b"the previous deck")
    if ok:
        assert w.save(out) == out
        with zipfile.ZipFile(out) as z:
            assert z.testzip() is None
    else:
        with pytest.raises(OSError, match="damaged when written to disk, 3 times"):
            w.save(out)
        assert out.read_bytes() == b"the previous deck"
    assert len(writes) == min(damaged + 1, 3)
    assert [p.name for p in tmp_path.iterdir()] == ["deck.pptx"]


def _pdf_writer(out: Path) -> PdfWriter:
    w = PdfWriter(out)
    w.start(Deck("Bộ tóm tắt", "Lạng Sơn", 2024, "vi", footer="PAPI"))
    w.add(Slide("Biểu đồ", image=_png(3)))
    w.add(Slide("Nhiệm vụ", bullets=["Hoàn thành đúng hạn: 3"]))
    return w


def test_a_pdf_appears_only_whole_and_a_damaged_write_is_done_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pypdfium2

    out = tmp_path / "deck.pdf"
    w = _pdf_writer(out)
    assert not out.exists()  # nothing under the name before save: a failed deck leaves none
    writes = _flip_first(monkeypatch, 1)
    assert w.save() == out
    assert len(writes) == 2
    doc = pypdfium2.PdfDocument(out)
    assert len(doc) == 2
    doc.close()
    assert [p.name for p in tmp_path.iterdir()] == ["deck.pdf"]


def test_a_pdf_damaged_at_every_write_is_an_error_and_the_old_file_stays(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "deck.pdf"
    out.write_bytes(b"the previous deck")
    w = _pdf_writer(out)
    _flip_first(monkeypatch, 3)
    with pytest.raises(OSError, match="damaged when written to disk, 3 times"):
        w.save()
    assert out.read_bytes() == b"the previous deck"
    assert [p.name for p in tmp_path.iterdir()] == ["deck.pdf"]
