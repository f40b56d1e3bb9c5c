"""Issue 13: indicator units. A sheet that writes one share indicator in percent is normalised
once (info in meta.problem); a share above 100% is an error naming the cell unless corrected."""

from __future__ import annotations

from pathlib import Path

import corpus as C
import duckdb
import pytest
from conftest import sha256

from dashboard import data, prep
from dashboard.i18n import fmt_num
from etl.problems import InputError, ProblemLog
from etl.readers.base import Dataset, Observation
from etl.steps import corrections, units
from etl.steps.warehouse import build

LANG_SON = "20"


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_detect_rule() -> None:
    assert units.detect([0.15, 0.2, 1.0]) == "share"
    assert units.detect([4.76, 12.0, 0.73]) == "percent"  # 2 of 3 above 1
    assert units.detect([0.44, 0.3, 1.048]) == "share"  # one impossible share, not a percent column
    assert units.detect([-0.18, 0.1, 0.26]) == "share"


def test_percent_column_normalised_once_with_info(tmp_path: Path) -> None:
    C.indicator_workbook(tmp_path / "in")
    db = build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False)
    info = _rows(db, "SELECT sheet, cell, message FROM meta.problem WHERE severity = 'info'")
    assert info == [("2023", "C32", "D6.4.03 in 2023 is written in percent (63 of 63 values "
                     "above 1, max 21.4); converted to the share of the reference (×0.01)")]
    assert _rows(db, "SELECT unit, scale_min, scale_max FROM ref.item WHERE item_code IN "
                     "('D6.4.02', 'D6.4.03') ORDER BY item_code") == [("share", -1.0, 1.0),
                                                                      ("share", 0.0, 1.0)]
    [(value,)] = _rows(db, "SELECT value FROM mart.score WHERE year = 2023 AND item_code = "
                           f"'D6.4.03' AND province_code = '{LANG_SON}'")
    assert value == pytest.approx(0.0476)
    # the shares next to it are untouched (a net share may be negative: −0.03 for row 5)
    assert _rows(db, "SELECT min(value), max(value) FROM mart.score WHERE item_code = 'D6.4.02'"
                 ) == [(pytest.approx(-0.03), pytest.approx(0.2))]
    # end to end through the data module: shown as 4,76% (not 476%), median in % too
    shown = prep.displayed(data.scores(LANG_SON, ["D6.4.03"], 2023, path=db))
    assert fmt_num(shown["value"].iat[0], "vi") + "%" == "4,76%"
    assert 1.5 <= shown["median"].iat[0] <= 21.4


def test_check_units_is_idempotent() -> None:
    ds = Dataset(Path("x.xlsx"), "2023", 2023, "provinces_in_columns", [
        Observation(2023, c, "D6.4.03", "value", 4.76 + i, "published", f"C{i}")
        for i, c in enumerate(C.CODES[:10])])
    units.check_units(ds, ProblemLog())
    once = [o.value for o in ds.observations]
    log = ProblemLog()
    units.check_units(ds, log)
    assert [o.value for o in ds.observations] == once and once[0] == pytest.approx(0.0476)
    assert log.items == []


def test_share_above_100_percent_is_an_error_naming_the_cell(tmp_path: Path, previous_db) -> None:
    db, before = previous_db
    C.indicator_workbook(tmp_path / "in", land_bribe=lambda i: 1.048 if i == 3 else 0.4)
    with pytest.raises(InputError) as err:
        build([tmp_path / "in"], db, progress=False)
    [p] = err.value.problems
    assert (Path(p.file).name, p.sheet, p.cell, p.found, p.allowed) == (
        "indicators_2023.xlsx", "2023", "F22", "1.048", "0–1 (0%–100%)")
    assert p.message == "value outside the scale of indicator D4.4.05 in 2023 (104.8%)"
    assert "etl/ref/corrections.csv" in p.action
    assert sha256(db) == before


def test_percent_above_100_is_an_error(tmp_path: Path, previous_db) -> None:
    db, before = previous_db
    C.indicator_workbook(tmp_path / "in", crime=lambda i: 476.0 if i == 0 else 5.0)
    with pytest.raises(InputError) as err:
        build([tmp_path / "in"], db, progress=False)
    [p] = err.value.problems
    assert (p.cell, p.found, p.message) == (
        "C32", "476", "value outside the scale of indicator D6.4.03 in 2023 (476.0%)")
    assert sha256(db) == before


def test_correction_settles_an_impossible_share(tmp_path: Path, monkeypatch) -> None:
    fixes = tmp_path / "corrections.csv"
    fixes.write_text("year,province_code,item_code,value,source,reason\n"
                     "2023,06,D4.4.05,,indicators_2023.xlsx › 2023,104.8% is impossible\n",
                     encoding="utf-8")
    monkeypatch.setattr(corrections, "PATH", fixes)
    C.indicator_workbook(tmp_path / "in", land_bribe=lambda i: 1.048 if i == 3 else 0.4)
    db = build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False)
    assert C.CODES[3] == "06"  # column F
    assert _rows(db, "SELECT value, status, flag, competing FROM mart.score WHERE year = 2023 "
                     "AND item_code = 'D4.4.05' AND province_code = '06'") == [
        (None, "not_published", "corrected", "indicators_2023.xlsx › 2023 F22: 1.0480")]
    assert _rows(db, "SELECT count(*) FROM mart.score WHERE flag IS NOT NULL") == [(1,)]


def test_drill_chart_never_puts_two_units_on_one_axis() -> None:
    """Points 1–3 and shares (shown in %) of one sub-dimension: one axis each, % in the hover."""
    import pandas as pd

    from dashboard import charts

    rows = [("D6.4.01", "points", 1.0, 3.0, 2.30), ("D6.4.03", "share", 0.0, 1.0, 0.0476),
            ("D6.4.02", "share", -1.0, 1.0, 0.15)]
    df = pd.DataFrame([{"year": y, "item_code": c, "label": c, "unit": u, "scale_min": lo,
                        "scale_max": hi, "value": v, "median": v, "status": "published"}
                       for y in (2022, 2023) for c, u, lo, hi, v in rows])
    fig = charts.subitem_trends(prep.displayed(df), "vi", title="6.4")
    axis_of = {t.name: t.yaxis for t in fig.data if t.showlegend is not False}
    assert axis_of == {"D6.4.01": "y", "D6.4.03": "y2", "D6.4.02": "y2"}
    assert (fig.layout.yaxis.title.text, fig.layout.yaxis2.title.text) == (
        "Điểm (điểm 1–3)", "Điểm (%)")
    crime = next(t for t in fig.data if t.name == "D6.4.03")
    assert list(crime.customdata) == ["4,76%", "4,76%"]
    one_unit = charts.subitem_trends(prep.displayed(df[df["unit"] == "share"]), "vi", title="x")
    assert {t.yaxis for t in one_unit.data} <= {None, "y"}
    assert "yaxis2" not in one_unit.to_dict()["layout"]
