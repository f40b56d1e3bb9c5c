"""The provincial briefing pack: a 16:9 PPTX (and the same pack as PDF) from the warehouse."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from dashboard import data, fmt
from dashboard.export import content as c
from dashboard.export.deck import LAYOUT_WIDTH, Deck, Slide
from dashboard.export.figures import figures_bytes, prepare_figure
from dashboard.export.render_pdf import write_pdf
from dashboard.export.render_pptx import write_pptx
from dashboard.i18n import source_line
from etl import ref

Progress = Callable[[str, float], None]
STEPS = {
    "vi": ("Đọc dữ liệu", "Chỉ số nội dung", "Nhiệm vụ và nguồn", "Vẽ {n} biểu đồ", "Ghi tệp"),
    "en": ("Reading data", "Dimensions", "Tasks and sources", "Rendering {n} charts",
           "Writing file"),
}


def _report(progress: Progress | None, message: str, fraction: float) -> None:
    if progress is not None:
        progress(message, min(max(fraction, 0.0), 1.0))


def build_deck(db_path: Path | str, province_code: str, year: int, lang: str = "vi",
               progress: Progress | None = None, vintage: str | None = None) -> Deck:
    """Gather the data and build every slide, rendering the charts in one chromium session.

    `province_code` is a GSO code of `vintage` ('63' or '34'; default: that of `year`,
    etl.ref.vintage_for_year). A year with a plan but no scores yet (2026) shows the latest
    scores before it beside the plan's actions. Made from the demo warehouse, every chart and
    every slide footer carries the demo mark.
    """
    db = Path(db_path)
    with fmt.demo(data.status(db).ok and data.is_demo(db)):
        return _build_deck(db, province_code, year, lang, progress,
                           vintage or ref.vintage_for_year(year))


def _build_deck(db: Path, province_code: str, year: int, lang: str,
                progress: Progress | None, vintage: str) -> Deck:
    steps = STEPS.get(lang, STEPS["vi"])
    status = data.status(db)
    if not status.ok:
        raise ValueError(f"warehouse {db} is not usable: {status.state} {status.error}".strip())
    if year not in data.view_years(db):
        raise ValueError(f"year {year} is not in the warehouse {db} (no scores, plans or "
                         f"reports of that year)")
    if vintage not in (ref.OLD, ref.NEW):
        raise ValueError(f"unknown geography vintage {vintage!r}: '63' or '34'")
    if province_code not in set(data.provinces(vintage, db)["code"]):
        raise ValueError(f"unknown province code {province_code!r} "
                         f"(GSO code of the {vintage} provinces)")
    _report(progress, steps[0], 0.02)
    w = c.who(db, province_code, vintage, year, lang)
    slides: list[Slide] = [c.title_slide(w), c.total_slide(w)]
    dims = c.dimension_frame(w)
    if not dims.empty:
        slides.append(c.dims_slide(dims, w))
    _report(progress, steps[1], 0.15)
    for _, row in dims.iterrows():
        slides.append(c.dim_slide(row, w))
    _report(progress, steps[2], 0.35)
    slides += [m for m in [c.movers_slide(w), c.actions_slide(w)] if m is not None]
    slides.append(c.units_slide(w))
    slides += c.unit_slides(w)
    slides.append(c.sources_slide(w))
    prov = w.prov
    footer = source_line(lang, w.score_year)
    if fmt.is_demo():
        footer = f"{fmt.DEMO_MARK} · {footer}"
        for sl in slides:
            if sl.footer:
                sl.footer = f"{fmt.DEMO_MARK} · {sl.footer}"
    deck = Deck(title=f"{slides[0].title} – {prov}", province=prov, year=year, lang=lang,
                footer=footer, slides=slides, subject=c.s("subject", lang, year=year, prov=prov))
    render_images(deck, progress, steps[3])
    return deck


def render_images(deck: Deck, progress: Progress | None = None, label: str = "") -> None:
    """Render every slide's figure to PNG, grouped by size, one chromium session per size."""
    with_fig = [s for s in deck.slides if s.figure is not None]
    _report(progress, label.format(n=len(with_fig)), 0.45)
    for size in {s.image_size for s in with_fig}:
        group = [s for s in with_fig if s.image_size == size]
        figs = [prepare_figure(s.figure, year=deck.year, lang=deck.lang, province=deck.province)
                for s in group]
        pngs = figures_bytes(figs, "png", *size, layout_width=LAYOUT_WIDTH[size])
        for s, png in zip(group, pngs, strict=True):
            s.image = png


def build_briefing(db_path: Path | str, province_code: str, year: int, lang: str = "vi",
                   out: Path | str = Path("briefing.pptx"),
                   progress: Progress | None = None, vintage: str | None = None) -> Path:
    """Write the 16:9 briefing .pptx for one province and year; returns its path."""
    deck = build_deck(db_path, province_code, year, lang, progress, vintage)
    _report(progress, STEPS.get(lang, STEPS["vi"])[4], 0.9)
    path = write_pptx(deck, Path(out))
    _report(progress, str(path), 1.0)
    return path


def build_briefing_pdf(db_path: Path | str, province_code: str, year: int, lang: str = "vi",
                       out: Path | str = Path("briefing.pdf"),
                       progress: Progress | None = None, deck: Deck | None = None,
                       vintage: str | None = None) -> Path:
    """The same pack as a PDF (reportlab: same chart images and text, fonts embedded)."""
    deck = deck or build_deck(db_path, province_code, year, lang, progress, vintage)
    _report(progress, STEPS.get(lang, STEPS["vi"])[4], 0.9)
    path = write_pdf(deck, Path(out))
    _report(progress, str(path), 1.0)
    return path


def build_both_bytes(db_path: Path | str, province_code: str, year: int, lang: str = "vi",
                     progress: Progress | None = None, vintage: str | None = None
                     ) -> tuple[bytes, bytes]:
    """PPTX and PDF bytes made in memory: nothing is written to disk (no /tmp residue)."""
    deck = build_deck(db_path, province_code, year, lang, progress, vintage)
    _report(progress, STEPS.get(lang, STEPS["vi"])[4], 0.9)
    pptx, pdf = io.BytesIO(), io.BytesIO()
    write_pptx(deck, pptx)
    write_pdf(deck, pdf)
    _report(progress, "", 1.0)
    return pptx.getvalue(), pdf.getvalue()


def build_both(db_path: Path | str, province_code: str, year: int, lang: str, pptx: Path,
               pdf: Path, progress: Progress | None = None, vintage: str | None = None
               ) -> tuple[Path, Path]:
    """PPTX and PDF from one deck (charts rendered once)."""
    deck = build_deck(db_path, province_code, year, lang, progress, vintage)
    _report(progress, STEPS.get(lang, STEPS["vi"])[4], 0.9)
    return write_pptx(deck, pptx), write_pdf(deck, pdf)
