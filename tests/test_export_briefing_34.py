"""The briefing deck of the 34-province era: a merged province (Phú Thọ 2026: plan, no scores
yet) and an unchanged one (Lạng Sơn 2025), every slide rendered and read against the demo
warehouse; the `papi briefing` command for a 34 code and a name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from dashboard.export.briefing import build_deck
from dashboard.export.render_pdf import write_pdf
from dashboard.export.render_pptx import write_pptx
from dashboard.i18n import fmt_date, fmt_num
from etl import ref
from papi.cli import main as papi
from tests.test_export_briefing import need_chromium
from tests.test_export_render import check_deck, slide_texts
from tests.warehouse_query import q

MERGER = "01/07/2025: 63 → 34 tỉnh"
DELTA = re.compile(r"[+-]\d+,\d\d")  # a signed change as the deck writes it


rows = q


def one(db: Path, sql: str, params: list) -> tuple:
    return q(db, sql, params)[0]


def rank(db: Path, year: int, vintage: str, code: str) -> tuple[int, int]:
    return one(db, "SELECT rank, (SELECT count(rank) FROM mart.province_year p2 WHERE "
                   "p2.year = p.year AND p2.vintage = p.vintage) FROM mart.province_year p "
                   "WHERE year = ? AND vintage = ? AND province_code = ?", [year, vintage, code])


def trend_slides(deck) -> list:
    return [s for s in deck.slides if s.figure is not None
            and any(a.name == "break" for a in s.figure.layout.annotations)]


def lines_cross(fig, x: float) -> list[str]:
    """Names of the line traces with points on both sides of x (a line drawn across it)."""
    bad = []
    for tr in fig.data:
        if tr.type != "scatter" or "lines" not in (tr.mode or "") or tr.x is None:
            continue
        xs = [float(a) for a, b in zip(tr.x, tr.y, strict=False)
              if isinstance(a, int | float) and b is not None and b == b]
        if any(a < x for a in xs) and any(a > x for a in xs):
            bad.append(str(tr.name))
    return bad


@pytest.fixture(scope="module")
def phu_tho(demo_db: Path, tmp_path_factory: pytest.TempPathFactory):
    need_chromium()
    out = tmp_path_factory.mktemp("pt34")
    deck = build_deck(demo_db, "25", 2026, "vi")  # vintage from the year: 34
    return deck, write_pptx(deck, out / "pt.pptx"), write_pdf(deck, out / "pt.pdf"), out


@pytest.fixture(scope="module")
def lang_son(demo_db: Path, tmp_path_factory: pytest.TempPathFactory):
    need_chromium()
    out = tmp_path_factory.mktemp("ls34")
    deck = build_deck(demo_db, "20", 2025, "vi", vintage="34")
    return deck, write_pptx(deck, out / "ls.pptx"), write_pdf(deck, out / "ls.pdf"), out


def test_phu_tho_2026_every_slide_rendered(phu_tho) -> None:
    deck, pptx, pdf, out = phu_tho
    assert deck.province == "Phú Thọ"
    check_deck(deck, pptx, pdf, out)


def test_phu_tho_predecessors_and_merger_on_every_trend(phu_tho, demo_db: Path) -> None:
    deck, pptx, pdf, _ = phu_tho
    olds = [ref.province_name(c, "63") for c in ref.predecessors("25")]
    assert olds == ["Hòa Bình", "Phú Thọ", "Vĩnh Phúc"]
    trends = trend_slides(deck)
    assert len(trends) == 9  # total + 8 dimensions
    for s in trends:
        names = {tr.name for tr in s.figure.data}
        assert {f"{o} (tỉnh tiền thân)" for o in olds} <= names, s.title
        assert "Phú Thọ (34)" in names
        assert MERGER in [a.text for a in s.figure.layout.annotations], s.title
        assert 2024.5 in {s0.x0 for s0 in s.figure.layout.shapes if s0.x0 == s0.x1}
        assert not lines_cross(s.figure, 2024.5), s.title
    # the rank table: each predecessor's own last two years out of 63, the province out of 34
    table = deck.slides[1].table
    assert table.header[:2] == ["Tỉnh/thành phố", "Năm"]
    db = demo_db
    expected = []
    for code, o in zip(ref.predecessors("25"), olds, strict=True):
        for y in (2023, 2024):
            r, n = rank(db, y, "63", code)
            expected.append([f"{o} (tỉnh tiền thân)", str(y), f"{r}/{n}"])
    r34, n34 = rank(db, 2025, "34", "25")
    assert n34 == 34
    expected.append(["Phú Thọ (34)", "2025", f"{r34}/34"])
    assert [[c[0], c[1], c[3]] for c in table.rows] == expected
    # the PDF says the same
    page2 = PdfReader(str(pdf)).pages[1].extract_text()
    assert "Vĩnh Phúc" in page2 and f"{r34}/34" in page2


def test_phu_tho_no_change_across_the_merger(phu_tho, demo_db: Path) -> None:
    deck, pptx, _, _ = phu_tho
    texts = slide_texts(pptx)
    reason = ("Không so sánh được: tỉnh mới sáp nhập từ 01/07/2025 "
              "(tỉnh tiền thân: Hòa Bình, Phú Thọ, Vĩnh Phúc)")
    change_lines = [t for tx in texts for t in tx if "Thay đổi so với" in t]
    # title, total and 8 dimension slides each say why nothing is compared
    assert len([t for t in change_lines if reason in t]) == 10
    for line in change_lines:
        assert "Thay đổi so với 2024: " + reason in line
        assert not DELTA.search(line), line
    movers = next(s for s in deck.slides if s.title.startswith("Chỉ số thành phần thay"))
    assert movers.title == "Chỉ số thành phần thay đổi nhiều nhất 2024 → 2025"
    assert movers.figure is None and movers.table is None
    assert movers.bullets[0] == reason + "."
    r34, _ = rank(demo_db, 2025, "34", "25")
    total = one(demo_db, "SELECT total FROM mart.province_year WHERE year = 2025 AND "
                         "vintage = '34' AND province_code = '25'", [])[0]
    title = deck.slides[0].bullets
    assert title[0] == "Năm 2026 chưa có điểm PAPI: điểm dưới đây là của năm 2025."
    assert title[1] == f"Tổng điểm 2025: {fmt_num(total, 'vi')} – xếp hạng {r34}/34"
    assert "Tỉnh mới từ 01/07/2025, hợp nhất từ: Hòa Bình, Phú Thọ, Vĩnh Phúc." in title


def test_phu_tho_2026_plan_with_due_dates_and_overdue(phu_tho, demo_db: Path) -> None:
    deck, _, _, _ = phu_tho
    dims = next(s for s in deck.slides if s.title.startswith("Điểm các chỉ số nội dung"))
    assert dims.title.endswith(", 2025")  # the latest scores beside the 2026 plan
    want = rows(demo_db, "SELECT s.value FROM mart.score s JOIN ref.item i USING (item_code) "
                         "WHERE s.year = 2025 AND s.vintage = '34' AND s.province_code = '25' "
                         "AND i.level = 'dimension' ORDER BY i.sort_order", [])
    assert [r[1] for r in dims.table.rows] == [fmt_num(v, "vi") for (v,) in want]
    acts = rows(demo_db, "SELECT r.text, r.status_code, a.due_on FROM mart.action_report r "
                         "JOIN mart.action a USING (action_id) WHERE r.province_code = '25' "
                         "AND r.vintage = '34' AND r.by_year AND r.report_year = 2026", [])
    assert len(acts) == 7
    slide = next(s for s in deck.slides if s.title.startswith("Nhiệm vụ kế hoạch 2026"))
    assert len(slide.table.rows) == 7
    assert slide.table.header == ["Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Trạng thái"]
    due = {text: fmt_date(d, "vi") if d is not None else "–" for text, _, d in acts}
    assert {r[0]: r[2] for r in slide.table.rows} == due
    n_late = sum(1 for _, st, _ in acts if st == "overdue")
    assert n_late > 0  # the demo plan has actions past due (as of the build day)
    assert slide.bullets[0].startswith(f"{n_late}/7 nhiệm vụ quá hạn (tính đến ")
    assert [r[3] for r in slide.table.rows[:n_late]] == ["Quá hạn chưa hoàn thành"] * n_late
    late_units = rows(demo_db, "SELECT unit FROM mart.unit_progress WHERE province_code = '25' "
                               "AND vintage = '34' AND year = 2026 AND n_overdue > 0 "
                               "ORDER BY n_overdue DESC, unit", [])
    assert [s.title for s in deck.slides if s.title.startswith("Đơn vị: ")] == [
        f"Đơn vị: {u} – nhiệm vụ quá hạn, 2026" for (u,) in late_units]


def test_lang_son_2025_every_slide_rendered(lang_son) -> None:
    deck, pptx, pdf, out = lang_son
    assert deck.province == "Lạng Sơn"
    check_deck(deck, pptx, pdf, out)


def test_lang_son_compared_across_the_merger_with_both_ranks(lang_son, demo_db: Path) -> None:
    deck, _, _, _ = lang_son
    r1, n1 = rank(demo_db, 2025, "34", "20")
    r0, n0 = rank(demo_db, 2024, "63", "20")
    assert n1 == 34
    t1, t0 = (one(demo_db, "SELECT total FROM mart.province_year WHERE year = ? AND "
                           "vintage = ? AND province_code = '20'", [y, v])[0]
              for y, v in ((2025, "34"), (2024, "63")))
    line = deck.slides[1].bullets[0]
    assert line.startswith(f"Thay đổi so với 2024: {fmt_num(t1 - t0, 'vi', sign=True)} – ")
    assert line.endswith(f"; hạng {r1}/34 so với {r0}/{n0}")
    assert line in deck.slides[0].bullets
    assert "Địa giới không đổi khi sáp nhập 01/07/2025." in deck.slides[0].bullets
    for s in trend_slides(deck):
        names = {tr.name for tr in s.figure.data}
        assert {"Lạng Sơn (63 tỉnh, đến 2024)", "Lạng Sơn (34)"} <= names, s.title
        assert MERGER in [a.text for a in s.figure.layout.annotations]
        assert not lines_cross(s.figure, 2024.5), s.title
    movers = next(s for s in deck.slides if s.title.startswith("Chỉ số thành phần thay"))
    assert movers.title.endswith("2024 → 2025") and len(movers.table.rows) == 10
    assert all(DELTA.fullmatch(r[1]) for r in movers.table.rows)


def test_wrong_code_for_the_vintage_is_refused(demo_db: Path) -> None:
    with pytest.raises(ValueError, match=r"unknown province code '26' \(GSO code of the 34"):
        build_deck(demo_db, "26", 2025, "vi")  # Vĩnh Phúc was merged into Phú Thọ
    with pytest.raises(ValueError, match="'63' or '34'"):
        build_deck(demo_db, "25", 2025, "vi", vintage="62")


@pytest.mark.parametrize("args", [["--province", "Phú Thọ", "--year", "2026"],
                                  ["--province", "25", "--vintage", "34", "--year", "2026"]])
def test_cli_briefs_a_34_province(demo_db: Path, tmp_path: Path, args: list[str],
                                  capsys: pytest.CaptureFixture) -> None:
    need_chromium()
    out = tmp_path / "b.pptx"
    assert papi(["briefing", *args, "--db", str(demo_db), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "Phú Thọ (34 tỉnh, mã 25)" in err
    texts = slide_texts(out)
    assert "Phú Thọ" in texts[0] and "Báo cáo tóm tắt PAPI 2026" in texts[0]
    assert any("Hòa Bình (tỉnh tiền thân)" in t for t in texts[1])
