"""The continuity view's data and shaping: per-vintage queries, predecessors' lines, the merger
break on every trend, movers with their margin, the single-year interval drawn."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard import charts, data, prep
from tests.vintage_db import build_vintage_db


@pytest.fixture(scope="module")
def vdb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_vintage_db(tmp_path_factory.mktemp("vintage") / "v.duckdb")


def test_continuity_rows_of_a_merged_province(vdb: Path) -> None:
    cont = data.continuity("25", ["TOTAL"], vdb)
    own = cont[cont["series"] == "own"]
    assert list(zip(own["year"], own["vintage"], own["value"], strict=True)) == [
        (2025, "34", 46.0)]
    pre = cont[cont["series"] == "predecessor"]
    assert set(pre["province_code"]) == {"17", "25", "26"}  # Hòa Bình, Phú Thọ, Vĩnh Phúc
    assert set(pre["vintage"]) == {"63"} and pre["year"].max() == 2024
    # 2024 Vĩnh Phúc: 30 + 0,2·26 + 0,1
    assert pre.loc[(pre["province_code"] == "26") & (pre["year"] == 2024), "value"].iat[0] == (
        pytest.approx(35.3))


def test_continuity_series_names_each_predecessor(vdb: Path) -> None:
    own, others = prep.continuity_series(data.continuity("25", ["TOTAL"], vdb), "25", "vi")
    assert list(own["year"]) == [2025]
    assert sorted(others["label"].unique()) == ["Hòa Bình (tỉnh tiền thân)",
                                                "Phú Thọ (tỉnh tiền thân)",
                                                "Vĩnh Phúc (tỉnh tiền thân)"]
    _, same = prep.continuity_series(data.continuity("20", ["TOTAL"], vdb), "20", "en")
    assert list(same["label"].unique()) == ["Lang Son (63 provinces, until 2024)"]


def test_scores_and_ranking_per_vintage(vdb: Path) -> None:
    both = data.scores("25", ["TOTAL"], path=vdb)
    assert set(zip(both["year"], both["vintage"], strict=True)) >= {(2024, "63"), (2025, "34")}
    new = data.scores("25", ["TOTAL"], path=vdb, vintage="34")
    assert list(new["year"]) == [2025]
    r25 = data.ranking(2025, "TOTAL", vdb, vintage="34")
    assert len(r25) == 34 and r25["rank"].notna().sum() == 34
    assert r25.iloc[0]["province_code"] == "96"  # Cà Mau 34: 30 + 0,2·96 + 0,2
    r24 = data.ranking(2024, "TOTAL", vdb, vintage="63")
    assert len(r24) == 63 and r24["rank"].notna().sum() == 61
    py = data.province_year(2025, "20", vdb, vintage="34")
    assert (int(py["rank"].iat[0]), int(py["n_ranked"].iat[0])) == (10, 34)


def test_view_years_include_plan_years(demo_db: Path, tmp_path: Path) -> None:
    from tests.vintage_db import demo_2025

    db = demo_2025(demo_db, tmp_path / "d.duckdb")
    assert data.view_years(db)[-2:] == [2025, 2026]
    assert data.years(db)[-1] == 2025
    plans = data.plan_provinces(db)
    assert (plans["province_code"].iat[0], plans["vintage"].iat[0]) == ("25", "34")


def test_merger_break_on_every_trend_crossing_it() -> None:
    mb = pd.DataFrame(columns=["year", "item_code", "note_vi", "note_en"])
    assert (2024.5, "01/07/2025: 63 → 34 tỉnh") in prep.breaks_for(mb, "D1", "vi",
                                                                   [2023, 2024, 2025])
    assert (2024.5, "01/07/2025: 63 → 34 provinces") in prep.breaks_for(mb, "TOTAL", "en",
                                                                        [2024, 2026])
    assert all(x != 2024.5 for x, _ in prep.breaks_for(mb, "D1", "vi", [2022, 2024]))


def test_trend_draws_single_year_interval_and_splits_median() -> None:
    df = pd.DataFrame({"year": [2018, 2019, 2020], "value": [5.0, 5.2, 5.1],
                       "ci_low": [None, 4.9, None], "ci_high": [None, 5.5, None],
                       "status": ["published"] * 3})
    fig = charts.score_trend(df, "vi", title="T", series_label="P")
    band = [tr for tr in fig.data if tr.fill == "toself"]
    assert len(band) == 1 and max(band[0].x) - min(band[0].x) == pytest.approx(0.3)
    assert list(band[0].y) == [5.5, 5.5, 4.9, 4.9]
    med = pd.DataFrame({"year": [2023, 2024, 2025], "median": [44.0, 44.5, 45.0]})
    others = pd.DataFrame({"year": [2023, 2024], "value": [40.0, 41.0], "label": ["A", "A"]})
    own = pd.DataFrame({"year": [2025], "value": [46.0], "status": ["published"]})
    fig = charts.score_trend(own, "vi", title="T", series_label="B", median=med,
                             others=others, cut=prep.MERGER_X)
    medians = [tr for tr in fig.data if tr.legendgroup == "median"]
    assert [list(tr.x) for tr in medians] == [[2023, 2024], [2025]]  # never across the merger
    line_a = next(tr for tr in fig.data if tr.name == "A")
    assert [y for y in line_a.y if y == y] == [40.0, 41.0]


@pytest.mark.parametrize(("lang", "suffix"), [("vi", ": chưa có điểm"), ("en", ": no score yet")])
def test_an_own_line_with_no_score_yet_says_so_in_its_legend(lang: str, suffix: str) -> None:
    """An unchanged province viewed in 2024 on a warehouse without PAPI 2025: only its 63-
    province line is drawn; the legend entry of its own (34) line, empty, says why instead of
    naming a line that is not there. With a score the entry is the plain name."""
    others = pd.DataFrame({"year": [2023, 2024], "value": [43.5, 45.0],
                           "label": ["Lạng Sơn (63 tỉnh, đến 2024)"] * 2})
    empty = pd.DataFrame({"year": pd.Series([], dtype=int), "value": pd.Series([], dtype=float),
                          "status": pd.Series([], dtype=str)})
    fig = charts.score_trend(empty, lang, title="T", series_label="Lạng Sơn (34)",
                             others=others, cut=prep.MERGER_X)
    [own] = [tr for tr in fig.data if tr.legendgroup == "own"]
    assert own.name == "Lạng Sơn (34)" + suffix and own.showlegend is not False
    assert not [y for y in own.y if y == y]  # nothing drawn
    scored = pd.DataFrame({"year": [2025], "value": [46.0], "status": ["published"]})
    fig = charts.score_trend(scored, lang, title="T", series_label="Lạng Sơn (34)",
                             others=others, cut=prep.MERGER_X)
    assert {tr.name for tr in fig.data if tr.legendgroup == "own"} == {"Lạng Sơn (34)"}


def test_movers_carry_the_margin_and_skip_breaks() -> None:
    rows = []
    for year, d1, d2, se in ((2017, 5.0, 5.0, 0.1), (2018, 5.6, 6.0, 0.1)):
        rows += [{"year": year, "vintage": "63", "province_code": "01", "item_code": "D1.1",
                  "value": d1, "ci_low": None, "ci_high": None, "std_error": se,
                  "name_vi": "Tri thức", "name_en": "Knowledge"},
                 {"year": year, "vintage": "63", "province_code": "01", "item_code": "D2.1",
                  "value": d2, "ci_low": None, "ci_high": None, "std_error": None,
                  "name_vi": "Minh bạch", "name_en": "Transparency"}]
    out, years = prep.movers(pd.DataFrame(rows), "vi")
    assert years == (2017, 2018)
    assert list(out["label"]) == ["D1.1 – Tri thức"]  # D2 restructured in 2018: left out
    assert out["change"].iat[0] == pytest.approx(0.6)
    assert (out["margin"].iat[0], out["margin_text"].iat[0]) == ("exceeds", "vượt biên sai số")


@pytest.mark.parametrize(("given", "year", "vintage", "expected"), [
    ("Phú Thọ", 2025, None, ("34", "25")),
    ("25", 2024, None, ("63", "25")),
    ("15", 2025, None, ("34", "15")),   # Lào Cai (34), not old Yên Bái 15
    ("15", 2025, "63", ("63", "15")),
    ("Vinh Phuc", 2023, None, ("63", "26")),
    ("1", 2024, None, ("63", "01")),
])
def test_briefing_province_of_either_vintage(given: str, year: int, vintage: str | None,
                                             expected: tuple[str, str]) -> None:
    from dashboard.export.cli import resolve

    assert resolve(given, year, vintage) == expected


def test_briefing_refuses_an_unknown_province(tmp_path: Path, capsys) -> None:
    from dashboard.export.cli import main

    code = main(["briefing", "--province", "Vĩnh Phúc", "--vintage", "34", "--year", "2025",
                 "--db", str(tmp_path / "x.duckdb"), "--out", str(tmp_path / "x.pptx")])
    assert code == 2
    err = capsys.readouterr().err
    assert "--province 'Vĩnh Phúc'" in err and "vintage 34" in err
    assert not (tmp_path / "x.pptx").exists()
