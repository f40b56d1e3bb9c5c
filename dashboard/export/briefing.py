"""The provincial briefing pack: a 16:9 PPTX (and the same pack as PDF) from the warehouse."""

from __future__ import annotations

import io
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

from dashboard import data, fmt
from dashboard.charts.common import drop_source, source_text
from dashboard.export import content as c
from dashboard.export.deck import LAYOUT_WIDTH, Deck, Sinks, Slide, SlideSink
from dashboard.export.figures import ExportSession, prepare_figure
from dashboard.export.render_pdf import PdfWriter, write_pdf
from dashboard.export.render_pptx import PptxWriter
from dashboard.i18n import source_line, t, years_label
from etl import ref

Progress = Callable[[str, float], None]
STEPS = ("step_read", "step_dims", "step_tasks", "step_render", "step_write")  # i18n keys


def _report(progress: Progress | None, message: str, fraction: float) -> None:
    if progress is not None:
        progress(message, min(max(fraction, 0.0), 1.0))


def build_deck(db_path: Path | str, province_code: str, year: int, lang: str = "vi",
               progress: Progress | None = None, vintage: str | None = None,
               ready: SlideSink | None = None) -> Deck:
    """Gather the data and build every slide; one chromium session renders every chart,
    each as soon as its slide is built. `ready` (a PptxWriter, a PdfWriter, or both as
    Sinks) is started with the deck and given each slide, in order, as soon as its chart is
    rendered: the files are written while chromium renders the next charts.

    `province_code` is a GSO code of `vintage` ('63' or '34'; default: that of `year`,
    etl.ref.vintage_for_year). A year with a plan but no scores yet (2026) shows the latest
    scores before it beside the plan's actions. Made from the demo warehouse, every chart and
    every slide footer carries the demo mark.
    """
    db = Path(db_path)
    with fmt.demo(data.status(db).ok and data.is_demo(db)):
        return _build_deck(db, province_code, year, lang, progress,
                           vintage or ref.vintage_for_year(year), ready)


def _build_deck(db: Path, province_code: str, year: int, lang: str,
                progress: Progress | None, vintage: str, ready: SlideSink | None) -> Deck:
    steps = [t(k, lang) for k in STEPS]
    status = data.status(db)
    if not status.ok:
        raise ValueError(f"warehouse {db} is not usable: {status.state} {status.error}".strip())
    years = data.view_years(db)
    if year not in years:
        have = years_label(years) or "–"
        raise ValueError(f"năm {year} không có trong kho dữ liệu (không có điểm, kế hoạch hay "
                         f"báo cáo của năm đó); các năm có: {have} / year {year} is not in the "
                         f"warehouse (no scores, plans or reports of that year); years "
                         f"available: {have}")
    if vintage not in (ref.OLD, ref.NEW):
        raise ValueError(f"unknown geography vintage {vintage!r}: '63' or '34'")
    if province_code not in set(data.provinces(vintage, db)["code"]):
        raise ValueError(f"unknown province code {province_code!r} "
                         f"(GSO code of the {vintage} provinces)")
    _report(progress, steps[0], 0.02)
    # chromium starts now and renders each chart while the next slides are being built
    session = ExportSession()
    try:
        w = c.who(db, province_code, vintage, year, lang)
        renders = _Renders(session, w.prov, year, lang)
        slides: list[Slide] = renders.add([c.title_slide(w), c.total_slide(w)])
        dims = c.dimension_frame(w)
        if not dims.empty:
            slides += renders.add([c.dims_slide(dims, w)])
        _report(progress, steps[1], 0.15)
        for _, row in dims.iterrows():
            slides += renders.add([c.dim_slide(row, w)])
        _report(progress, steps[2], 0.35)
        slides += renders.add([m for m in [c.movers_slide(w), c.actions_slide(w)]
                               if m is not None])
        slides += renders.add([c.units_slide(w), *c.unit_slides(w), c.sources_slide(w)])
        prov = w.prov
        footer = source_line(lang)  # a slide without a chart; a chart's slide has its source
        if fmt.is_demo():
            footer = f"{fmt.DEMO_MARK} · {footer}"
            for sl in slides:
                if sl.footer:
                    sl.footer = f"{fmt.DEMO_MARK} · {sl.footer}"
        deck = Deck(title=f"{slides[0].title} – {prov}", province=prov, year=year, lang=lang,
                    footer=footer, slides=slides,
                    subject=c.s("subject", lang, year=year, prov=prov))
        if ready is not None:
            ready.start(deck)
        renders.collect(progress, steps[3], slides, None if ready is None else ready.add)
    finally:
        session.close(wait=False)  # chromium closes in the background while the file is written
    return deck


class _Renders:
    """The deck's charts, each queued in the export session as soon as its slide exists."""

    def __init__(self, session: ExportSession, province: str, year: int, lang: str) -> None:
        self.session, self.province, self.year, self.lang = session, province, year, lang
        self.pending: list[tuple[Slide, Future[bytes]]] = []

    def add(self, slides: list[Slide]) -> list[Slide]:
        """Queue the figure of every slide that has one; returns `slides`."""
        for sl in slides:
            if sl.figure is not None:
                fig = prepare_figure(sl.figure, year=self.year, lang=self.lang,
                                     province=self.province)
                # the source line once per slide, in its footer, with the chart's years
                sl.footer = sl.footer or source_text(fig)
                drop_source(fig)
                size = sl.image_size
                self.pending.append((sl, self.session.submit(
                    fig, "png", *size, layout_width=LAYOUT_WIDTH[size])))
        return slides

    def collect(self, progress: Progress | None, label: str, slides: list[Slide] | None = None,
                ready: Callable[[Slide], None] | None = None) -> None:
        """Wait for every image and put it on its slide, reporting each one; `ready` gets
        each of `slides` in order as soon as it is complete (its image in place)."""
        n = len(self.pending)
        _report(progress, label.format(n=n), 0.45)
        done_of = {id(sl): done for sl, done in self.pending}
        i = 0
        for sl in slides if slides is not None else [sl for sl, _ in self.pending]:
            if (done := done_of.get(id(sl))) is not None:
                sl.image = done.result()
                i += 1
                _report(progress, label.format(n=n), 0.45 + 0.45 * i / n)
            if ready is not None:
                ready(sl)


def build_briefing(db_path: Path | str, province_code: str, year: int, lang: str = "vi",
                   out: Path | str = Path("briefing.pptx"),
                   progress: Progress | None = None, vintage: str | None = None) -> Path:
    """Write the 16:9 briefing .pptx for one province and year; returns its path."""
    writer = PptxWriter()
    build_deck(db_path, province_code, year, lang, progress, vintage, ready=writer)
    _report(progress, t("step_write", lang), 0.9)
    path = writer.save(Path(out))
    _report(progress, str(path), 1.0)
    return path


def build_briefing_pdf(db_path: Path | str, province_code: str, year: int, lang: str = "vi",
                       out: Path | str = Path("briefing.pdf"),
                       progress: Progress | None = None, deck: Deck | None = None,
                       vintage: str | None = None) -> Path:
    """The same pack as a PDF (reportlab: same chart images and text, fonts embedded)."""
    if deck is not None:
        _report(progress, t("step_write", lang), 0.9)
        path = write_pdf(deck, Path(out))
    else:
        path = Path(out)
        writer = PdfWriter(path)
        build_deck(db_path, province_code, year, lang, progress, vintage, ready=writer)
        _report(progress, t("step_write", lang), 0.9)
        writer.save()
    _report(progress, str(path), 1.0)
    return path


def build_both_bytes(db_path: Path | str, province_code: str, year: int, lang: str = "vi",
                     progress: Progress | None = None, vintage: str | None = None
                     ) -> tuple[bytes, bytes]:
    """PPTX and PDF bytes made in memory: nothing is written to disk (no /tmp residue)."""
    pptx, pdf = io.BytesIO(), io.BytesIO()
    writer, pdf_writer = PptxWriter(), PdfWriter(pdf)
    build_deck(db_path, province_code, year, lang, progress, vintage,
               ready=Sinks(writer, pdf_writer))
    _report(progress, t("step_write", lang), 0.9)
    writer.save(pptx)
    pdf_writer.save()
    _report(progress, "", 1.0)
    return pptx.getvalue(), pdf.getvalue()


def build_both(db_path: Path | str, province_code: str, year: int, lang: str, pptx: Path,
               pdf: Path, progress: Progress | None = None, vintage: str | None = None
               ) -> tuple[Path, Path]:
    """PPTX and PDF from one deck (charts rendered once)."""
    writer, pdf_writer = PptxWriter(), PdfWriter(Path(pdf))
    build_deck(db_path, province_code, year, lang, progress, vintage,
               ready=Sinks(writer, pdf_writer))
    _report(progress, t("step_write", lang), 0.9)
    out = writer.save(Path(pptx)), Path(pdf)
    pdf_writer.save()
    _report(progress, f"{out[0]}, {out[1]}", 1.0)
    return out
