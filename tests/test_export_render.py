"""Every deck slide and every chart export rendered and checked as a person would look at it:
no 'nan'/'None', the whole source line, the province in the title, decimal commas, break
markers, the demo mark, no file left in /tmp."""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from dashboard import fmt
from dashboard.charts.common import room_for_breaks, source_text
from dashboard.export.briefing import build_both, build_both_bytes, build_deck
from dashboard.export.deck import LAYOUT_WIDTH
from dashboard.export.figures import prepare_figure, render_options
from tests import render_checks as rc
from tests.test_export_briefing import need_chromium

PROVINCE, YEAR = "20", 2024  # Lạng Sơn: the demo has plans and reports for it


def slide_texts(pptx: Path | bytes) -> list[list[str]]:
    prs = Presentation(io.BytesIO(pptx) if isinstance(pptx, bytes) else str(pptx))
    out = []
    for slide in prs.slides:
        texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        for sh in slide.shapes:
            if sh.has_table:
                texts += [c.text for row in sh.table.rows for c in row.cells]
        out.append(texts)
    return out


def check_deck(deck, pptx: Path, pdf: Path, tmp: Path) -> None:
    """Everything a reader of the pack sees, slide by slide."""
    lang, prov = deck.lang, deck.province
    problems: list[str] = []
    for i, texts in enumerate(slide_texts(pptx), start=1):
        problems += [f"slide {i}: {p}" for p in rc.text_problems(texts, lang)]
        problems += [f"slide {i}: backtick in {t!r}" for t in texts if "`" in t]
    figs = []
    for i, s in enumerate(deck.slides, start=1):
        if s.figure is None:
            continue
        f = prepare_figure(s.figure, year=deck.year, lang=lang, province=prov)
        figs.append((f, s.image_size, LAYOUT_WIDTH[s.image_size], s.image))
        problems += [f"slide {i}: {p}" for p in rc.text_problems(rc.figure_texts(f), lang)]
        problems += [f"slide {i}: {p}" for p in rc.unbroken_breaks(f)]
        height = render_options("png", *s.image_size, layout_width=LAYOUT_WIDTH[s.image_size])[
            "height"]
        room_for_breaks(f, height)  # the figure as the slide's picture draws it (submit does)
        problems += [f"slide {i}: {p}" for p in rc.breaks_over_points(f, height)]
        if prov not in f.layout.title.text.replace("<br>", " "):
            problems.append(f"slide {i}: province missing from {f.layout.title.text!r}")
        if f.layout.separators != fmt.separators(lang):
            problems.append(f"slide {i}: separators {f.layout.separators!r}")
        if s.image is None:
            problems.append(f"slide {i}: chart not rendered")
        # the source line once, in the footer, with the chart's years (it was also drawn in
        # the chart: two source lines on every chart slide, 04/12/2026)
        source = f"{fmt.DEMO_MARK} · {source_text(f)}" if fmt.DEMO_MARK in s.footer \
            else source_text(f)
        if not source_text(f) or s.footer != source:
            problems.append(f"slide {i}: footer {s.footer!r}, the chart's source {source!r}")
    # the slide's own image (rendered from the prepared figure without its source line, at
    # its size) beside the figure rendered without its source line and title: only the title
    # differs
    problems += rc.renders_clipping(figs, source_in_png=False)
    pages = rc.pdf_pages_png(pdf, tmp)
    assert len(pages) == len(deck.slides)
    problems += [f"page {p.name}: no footer ink" for p, s in zip(pages, deck.slides, strict=True)
                 if s.kind != "title" and not rc.bottom_band_has_ink(p)]
    meta = PdfReader(str(pdf)).metadata
    assert meta.author and meta.author != "anonymous"
    assert prov in meta.subject and prov in meta.title
    assert Presentation(str(pptx)).core_properties.author == meta.author
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def demo_pack(demo_briefing: dict, tmp_path_factory: pytest.TempPathFactory):
    """The deck of PROVINCE, YEAR in Vietnamese and the files build_both wrote of it (the
    pack test_export_briefing reads; write_pptx and write_pdf are checked below on the unit
    slides' deck and the real decks, and in test_export_briefing_34)."""
    assert (PROVINCE, YEAR) == ("20", 2024)
    b = demo_briefing
    return b["deck"], b["pptx"], b["pdf"], tmp_path_factory.mktemp("render")


def test_demo_deck_every_slide(demo_pack) -> None:
    deck, pptx, pdf, out = demo_pack
    check_deck(deck, pptx, pdf, out)


def test_demo_deck_marks_and_fixed_slides(demo_pack) -> None:
    deck, pptx, _, _ = demo_pack
    texts = slide_texts(pptx)
    titles = [tx[0] for tx in texts]
    movers = next(i for i, tt in enumerate(titles) if tt.startswith("Chỉ số thành phần thay"))
    assert "2023 → 2024" in titles[movers]
    rows = deck.slides[movers].table.rows
    assert len(rows) == 10 and all(re.fullmatch(r"[+-]\d+,\d\d", r[1]) for r in rows)
    assert {r[2] for r in rows} <= {"vượt biên sai số", "trong biên sai số",
                                    "không có biên sai số công bố"}
    fig = deck.slides[movers].figure
    assert len(fig.data[0].y) == 10
    total = deck.slides[1].table.rows
    assert [r[0] for r in total] == [str(y) for y in range(2011, 2025)]
    for s in deck.slides:
        if s.figure is not None:
            assert rc.has_demo_mark(prepare_figure(s.figure, lang="vi")) or fmt.is_demo() \
                is False and s.figure is None
    for tx in texts[1:]:
        assert any(fmt.DEMO_MARK in t for t in tx), tx[0]
    units = next(s for s in deck.slides if s.title.startswith("Tình hình thực hiện"))
    assert units.footer.endswith("Nguồn: báo cáo của các sở, ngành, 2024")


def test_demo_mark_context_is_scoped(demo_db: Path) -> None:
    assert fmt.is_demo() is False
    with fmt.demo(True):
        assert fmt.is_demo()
    assert fmt.is_demo() is False


def test_no_plan_province_says_so(demo_db: Path, tmp_path: Path) -> None:
    need_chromium()
    deck = build_deck(demo_db, "01", YEAR, "vi")  # Hà Nội has no plan in the demo
    dims = [s for s in deck.slides if s.title.startswith("Chỉ số nội dung ")]
    assert len(dims) == 8
    for s in dims:
        assert s.table is None
        assert "Chưa có kế hoạch cho Hà Nội" in " ".join(s.bullets)
    assert not [s for s in deck.slides if s.title.startswith("Đơn vị:")]


def test_briefing_bytes_leave_nothing_in_tmp(demo_db: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    need_chromium()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    # every temporary file or folder Python code makes (ours, kaleido's browser profile) lands
    # here; the old button left a papi-briefing-* folder with both files behind
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    pptx, pdf = build_both_bytes(demo_db, PROVINCE, YEAR, "vi")
    assert pptx[:2] == b"PK" and pdf[:5] == b"%PDF-"
    rc.export_sessions_closed()  # chromium closes in the background (its profile folder)
    assert sorted(p.name for p in scratch.iterdir()) == []


@pytest.mark.shared
@pytest.mark.parametrize("province", ["22", "20"])  # Quảng Ninh, Lạng Sơn
def test_real_deck_every_slide(real_db: Path, tmp_path: Path, province: str) -> None:
    need_chromium()
    deck = build_deck(real_db, province, 2024, "vi")
    from dashboard.export.render_pdf import write_pdf
    from dashboard.export.render_pptx import write_pptx

    pptx, pdf = write_pptx(deck, tmp_path / "r.pptx"), write_pdf(deck, tmp_path / "r.pdf")
    check_deck(deck, pptx, pdf, tmp_path)
    assert not any(fmt.DEMO_MARK in t for tx in slide_texts(pptx) for t in tx)
    assert "2018: 6 → 8 chỉ số nội dung" in [a.text for a in deck.slides[1].figure.layout
                                             .annotations if a.name == "break"]


def test_build_both_still_writes_files(demo_db: Path, tmp_path: Path) -> None:
    need_chromium()
    pptx, pdf = build_both(demo_db, PROVINCE, YEAR, "en", tmp_path / "a.pptx", tmp_path / "a.pdf")
    texts = [t for tx in slide_texts(pptx) for t in tx]
    assert not rc.text_problems(texts, "en")
    assert any("Illustrative data" in t for t in texts)


def test_demo_deck_unit_slides(demo_db: Path, tmp_path: Path) -> None:
    """2022 in the demo: two lead units have overdue actions → one slide each, checked whole."""
    import duckdb

    need_chromium()
    con = duckdb.connect(str(demo_db), read_only=True)
    expected = con.execute("SELECT unit, n_overdue, n_actions FROM mart.unit_progress WHERE "
                           "province_code = ? AND year = 2022 AND n_overdue > 0 "
                           "ORDER BY n_overdue DESC, unit", [PROVINCE]).fetchall()
    con.close()
    assert len(expected) == 2
    deck = build_deck(demo_db, PROVINCE, 2022, "vi")
    units = [s for s in deck.slides if s.title.startswith("Đơn vị: ")]
    assert [s.title for s in units] == [f"Đơn vị: {u} – nhiệm vụ quá hạn, 2022"
                                        for u, _, _ in expected]
    for s, (unit, n_overdue, n) in zip(units, expected, strict=True):
        assert s.bullets[0] == f"{n_overdue} nhiệm vụ quá hạn / {n} nhiệm vụ"
        assert len(s.table.rows) == n_overdue
        assert unit in s.figure.layout.title.text
        assert s.footer.startswith(fmt.DEMO_MARK) and "báo cáo của các sở" in s.footer
    from dashboard.export.render_pdf import write_pdf
    from dashboard.export.render_pptx import write_pptx

    check_deck(deck, write_pptx(deck, tmp_path / "u.pptx"), write_pdf(deck, tmp_path / "u.pdf"),
               tmp_path)
