"""The briefing pack: slides, titles, images and numbers checked against the warehouse."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.util import Inches
from pypdf import PdfReader

from dashboard.export import figures
from dashboard.export.briefing import build_briefing, build_deck
from dashboard.i18n import fmt_num
from tests.warehouse_query import q

PROVINCE, YEAR = "20", 2024  # the demo has plans and reports for Lạng Sơn


def need_chromium() -> None:
    """Fails in CI (setup installs chromium), skips elsewhere."""
    try:
        figures.chromium_path()
    except RuntimeError as exc:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(str(exc))
        pytest.skip(str(exc))


def texts(slide) -> str:
    parts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    for s in slide.shapes:
        if s.has_table:
            parts += [c.text for row in s.table.rows for c in row.cells]
    return "\n".join(parts)


def table_rows(slide) -> list[list[str]]:
    tables = [s.table for s in slide.shapes if s.has_table]
    assert tables, "slide has no table"
    return [[c.text for c in row.cells] for row in tables[0].rows]


@pytest.fixture(scope="module")
def pack(demo_briefing: dict) -> tuple[Path, Path, list]:
    """build_both(demo_db, PROVINCE, YEAR, "vi", …) with its progress (tests/conftest.py)."""
    assert (PROVINCE, YEAR) == ("20", 2024)
    return demo_briefing["pptx"], demo_briefing["pdf"], demo_briefing["steps"]


def test_deck_shape_and_titles(pack, demo_db: Path) -> None:
    prs = Presentation(str(pack[0]))
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    n_dims = q(demo_db, "SELECT count(*) FROM mart.score s JOIN ref.item i USING (item_code) "
                        "WHERE s.year = ? AND s.province_code = ? AND i.level = 'dimension'",
               [YEAR, PROVINCE])[0][0]
    slides = list(prs.slides)
    # title, total, dimensions, one per dimension, movers, the year's actions, units, sources
    assert len(slides) == 3 + n_dims + 4
    name = q(demo_db, "SELECT name_vi FROM ref.province WHERE vintage='63' AND code=?",
             [PROVINCE])[0][0]
    assert "Báo cáo tóm tắt PAPI 2024" in texts(slides[0]) and name in texts(slides[0])
    assert texts(slides[1]).startswith("Tổng điểm và xếp hạng")
    assert "Chỉ số nội dung 1:" in texts(slides[3])
    assert "Nguồn: PAPI – CECODES, VFF-CRT, RTA, UNDP" in texts(slides[-1])
    assert texts(slides[-3]).startswith("Nhiệm vụ kế hoạch 2024: trạng thái và thời hạn")
    for s in slides[1:-3] + slides[-2:-1]:  # the actions slide is a table only
        pics = [sh for sh in s.shapes if sh.shape_type == 13]
        assert len(pics) == 1, texts(s)[:60]
        img = Image.open(io.BytesIO(pics[0].image.blob))
        assert img.size[0] >= 1920


def test_total_and_rank_match_warehouse(pack, demo_db: Path) -> None:
    prs = Presentation(str(pack[0]))
    total, rank, n = q(demo_db, "SELECT total, rank, (SELECT count(rank) FROM mart.province_year "
                                "WHERE year = ?) FROM mart.province_year "
                                "WHERE year = ? AND province_code = ?",
                       [YEAR, YEAR, PROVINCE])[0]
    assert f"{fmt_num(total, 'vi')} – xếp hạng {rank}/{n}" in texts(prs.slides[0])
    rows = table_rows(prs.slides[1])
    assert rows[-1] == [str(YEAR), fmt_num(total, "vi"), f"{rank}/{n}"]


def test_dimensions_match_warehouse(pack, demo_db: Path) -> None:
    prs = Presentation(str(pack[0]))
    want = q(demo_db, "SELECT s.value, n.median FROM mart.score s JOIN ref.item i "
                      "USING (item_code) JOIN mart.national n ON n.year = s.year AND "
                      "n.item_code = s.item_code WHERE s.year = ? AND s.province_code = ? AND "
                      "i.level = 'dimension' ORDER BY i.sort_order", [YEAR, PROVINCE])
    rows = table_rows(prs.slides[2])[1:]
    assert [(r[1], r[2]) for r in rows] == [(fmt_num(v, "vi"), fmt_num(m, "vi"))
                                            for v, m in want]


def test_units_and_dimension_actions_match_warehouse(pack, demo_db: Path) -> None:
    prs = Presentation(str(pack[0]))
    units = q(demo_db, "SELECT unit, n_actions FROM mart.unit_progress WHERE year = ? AND "
                       "province_code = ? ORDER BY n_actions DESC, unit LIMIT 15",
              [YEAR, PROVINCE])
    rows = table_rows(prs.slides[-2])[1:]
    assert [(r[0], int(r[1])) for r in rows[: len(units)]] == [(u, n) for u, n in units]
    d1 = q(demo_db, "SELECT count(*) FROM mart.action a JOIN mart.plan p USING (plan_id) "
                    "WHERE p.province_code = ? AND a.dimension_code = 'D1' AND a.action_id IN "
                    "(SELECT action_id FROM mart.action_status WHERE year = ?) ",
           [PROVINCE, YEAR])[0][0]
    total_row = table_rows(prs.slides[3])[-1]
    assert total_row[0] == "Tổng số nhiệm vụ" and int(total_row[1]) >= d1


def test_pdf_same_pack(pack) -> None:
    reader = PdfReader(str(pack[1]))
    assert len(reader.pages) == len(Presentation(str(pack[0])).slides)
    box = reader.pages[0].mediabox
    assert abs(float(box.width) / float(box.height) - 16 / 9) < 0.01
    first = reader.pages[0].extract_text()
    assert "Báo cáo tóm tắt PAPI 2024" in first and "Lạng Sơn" in first


def test_progress_reported(pack) -> None:
    fractions = [f for _, f in pack[2]]
    assert len(fractions) >= 5 and fractions == sorted(fractions) and fractions[-1] >= 0.9


def test_english_deck(demo_db: Path, tmp_path: Path) -> None:
    need_chromium()
    out = build_briefing(demo_db, "01", YEAR, "en", tmp_path / "en.pptx")
    first = texts(Presentation(str(out)).slides[0])
    assert "PAPI briefing 2024" in first and "Ha Noi" in first


def test_bad_inputs(demo_db: Path) -> None:
    with pytest.raises(ValueError, match="province"):
        build_deck(demo_db, "99", YEAR)
    with pytest.raises(ValueError, match="year"):
        build_deck(demo_db, PROVINCE, 1990)


@pytest.mark.shared
@pytest.mark.slow
def test_papi_briefing_on_real_data(real_db: Path, tmp_path: Path) -> None:
    need_chromium()
    from papi.cli import main

    year, code = q(real_db, "SELECT year, province_code FROM mart.province_year "
                            "WHERE rank = 1 ORDER BY year DESC LIMIT 1")[0]
    out, pdf = tmp_path / "real.pptx", tmp_path / "real.pdf"
    rc = main(["briefing", "--province", code, "--year", str(year), "--db", str(real_db),
               "--out", str(out), "--pdf", str(pdf)])
    assert rc == 0 and out.is_file() and pdf.is_file()
    prs = Presentation(str(out))
    assert len(prs.slides) >= 6
    total = q(real_db, "SELECT total FROM mart.province_year WHERE year = ? AND province_code = ?",
              [year, code])[0][0]
    assert f"{fmt_num(total, 'vi')} – xếp hạng 1/" in texts(prs.slides[0])


def test_papi_briefing_says_when_chromium_stops_rendering(
        demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A chart chromium hung on twice: a message and exit 3, no file, no traceback."""
    from dashboard.export import briefing, figures
    from papi.cli import main

    def hung(*args: object, **kwargs: object) -> Path:
        raise figures.RenderTimeout("chromium rendered no image for a chart in 60 s, twice")

    monkeypatch.setattr(briefing, "build_briefing", hung)
    out = tmp_path / "deck.pptx"
    rc = main(["briefing", "--province", PROVINCE, "--year", str(YEAR), "--db", str(demo_db),
               "--out", str(out)])
    assert rc == 3 and not out.exists()
    assert "LỖI / ERROR: chromium rendered no image" in capsys.readouterr().err
