"""dashboard.change: comparable or not across the 2025 merger and methodology breaks; margin."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import change
from dashboard.change import Point, compare, score_change
from tests.vintage_db import build_vintage_db


@pytest.fixture(scope="module")
def vdb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_vintage_db(tmp_path_factory.mktemp("vintage") / "v.duckdb")


def test_merged_province_never_compared_with_a_predecessor(vdb: Path) -> None:
    c = score_change("25", "34", "TOTAL", 2025, 2024, vdb)
    assert (c.value, c.previous, c.delta, c.comparable) == (46.0, None, None, False)
    assert c.reason_vi == ("Không so sánh được: tỉnh mới sáp nhập từ 01/07/2025 "
                           "(tỉnh tiền thân: Hòa Bình, Phú Thọ, Vĩnh Phúc).")
    assert c.reason_en.startswith("Not comparable: a new province merged on 01/07/2025")
    assert (c.rank, c.rank_of, c.prev_rank, c.rank_move, c.rank_text()) == (7, 34, None, None, "")
    assert c.margin == "unknown" and c.margin_text() == "không có biên sai số công bố"


def test_unchanged_province_compared_with_ranks_out_of_34_and_61(vdb: Path) -> None:
    c = score_change("20", "34", "TOTAL", 2025, 2024, vdb)
    assert c.comparable and (c.prev_vintage, c.prev_province_code) == ("63", "20")
    assert (c.value, c.previous) == (45.0, 44.15)
    assert c.delta == pytest.approx(0.85)
    assert (c.rank, c.rank_of, c.prev_rank, c.prev_rank_of) == (10, 34, 17, 61)
    assert c.rank_text() == "10/34 so với 17/61" and c.rank_text("en") == "10/34 vs 17/61"
    assert c.rank_move is None  # no rank movement across geographies
    assert "Địa giới không đổi" in c.reason_vi
    # half-widths 0,6 and 0,6 → margin √0,72 = 0,8485 < 0,85
    assert c.margin == "exceeds" and c.margin_text() == "vượt biên sai số"


@pytest.mark.parametrize(("code", "margin", "delta"), [
    ("01", "exceeds", 0.5),   # 1,96·√(0,1²+0,1²) = 0,277
    ("04", "within", 0.2),    # 1,96·√(0,2²+0,2²) = 0,554
    ("22", "unknown", 0.3),   # nothing published
])
def test_margin_from_standard_errors(vdb: Path, code: str, margin: str, delta: float) -> None:
    c = score_change(code, "63", "D1", 2024, 2023, vdb)
    assert c.comparable and c.reason_vi == ""
    assert c.delta == pytest.approx(delta) and c.margin == margin
    assert c.rank_move is not None


def test_margin_texts_in_both_languages() -> None:
    texts = {m: (change.t(f"chg_margin_{m}"), change.t(f"chg_margin_{m}", "en"))
             for m in ("exceeds", "within", "unknown")}
    assert texts == {"exceeds": ("vượt biên sai số", "exceeds the margin of error"),
                     "within": ("trong biên sai số", "within the margin of error"),
                     "unknown": ("không có biên sai số công bố", "no published margin of error")}


def test_methodology_break_2018(vdb: Path) -> None:
    total = score_change("01", "63", "TOTAL", 2018, 2017, vdb)
    assert not total.comparable and total.delta is None
    assert total.reason_vi.startswith("Không so sánh được: thay đổi phương pháp năm 2018.")
    assert "6–60 thành 8–80" in total.reason_vi
    sub = score_change("01", "63", "D2.1", 2018, 2017, vdb)  # D2 restructured in 2018
    assert not sub.comparable and "Nội dung 2" in sub.reason_vi
    d1 = score_change("01", "63", "D1", 2018, 2017, vdb)
    assert d1.comparable and d1.delta == pytest.approx(0.3)


def test_withheld_year_is_not_compared(vdb: Path) -> None:
    c = score_change("82", "63", "TOTAL", 2024, 2023, vdb)
    assert (c.value, c.delta, c.comparable) == (None, None, False)
    assert c.reason_vi == "Không so sánh được: năm 2024 không công bố."
    assert c.reason_en == "Not comparable: 2024 not published."


def test_absorbed_province_has_no_counterpart_after_the_merger() -> None:
    assert change.counterpart("26", "63", 2025) == ("34", None)  # Vĩnh Phúc → Phú Thọ 25
    assert change.counterpart("20", "63", 2025) == ("34", "20")
    assert change.counterpart("25", "34", 2024) == ("63", None)
    assert change.counterpart("01", "34", 2024) == ("63", "01")
    c = compare(Point(2025, "63", "26"), None, "TOTAL", 2024)
    assert c.reason_vi == "Không so sánh được: tỉnh đã sáp nhập vào Phú Thọ từ 01/07/2025."


def test_margin_from_one_interval_only() -> None:
    cur = Point(2024, "63", "01", 5.0, 4.8, 5.2)
    assert compare(cur, Point(2023, "63", "01", 4.7), "D1", 2023).margin == "exceeds"
    assert compare(cur, Point(2023, "63", "01", 4.9), "D1", 2023).margin == "within"


def test_warehouse_without_vintage_reads_as_63(demo_db: Path) -> None:
    c = score_change("01", "63", "TOTAL", 2024, 2023, demo_db)
    assert c.comparable and c.rank_of is not None and c.rank_of <= 63
