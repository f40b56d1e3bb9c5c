"""The warehouse build: exact values, withheld years, derived figures, determinism, atomicity."""

from __future__ import annotations

import hashlib

import openpyxl
import pytest

from etl.problems import InputError
from etl.steps.warehouse import build
from tests.factories import full_tidy_rows, tidy_csv
from tests.warehouse_query import q

WITHHELD = {  # ../shared/papi/README.md: province-years PAPI did not publish (total)
    (2014, "24"), (2014, "87"), (2018, "22"), (2018, "87"), (2021, "22"), (2021, "24"),
    (2021, "27"), (2022, "24"), (2022, "27"), (2023, "22"), (2023, "74"), (2024, "26"),
    (2024, "82"),
}


def value(db, year, prov, item, col="value"):
    [(v,)] = q(db, f"SELECT {col} FROM mart.score WHERE year=? AND province_code=? AND item_code=?",
               (year, prov, item))
    return v


def cell(path, sheet, ref):
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return wb[sheet][ref].value
    finally:
        wb.close()


# ---- real files of ../shared ----------------------------------------------------------------

@pytest.mark.shared
def test_every_province_and_year(real_db):
    rows = q(real_db, "SELECT year, vintage, count(DISTINCT province_code) FROM mart.score "
                      "GROUP BY ALL ORDER BY ALL")
    assert rows == [(y, "63", 63) for y in range(2011, 2025)]
    assert q(real_db, "SELECT count(*) FROM mart.province_year") == [(63 * 14,)]
    assert q(real_db, "SELECT year, min(n_ranked), max(n_ranked) FROM mart.province_year "
                      "WHERE year IN (2014, 2019, 2024) GROUP BY 1 ORDER BY 1") == [
        (2014, 61, 61), (2019, 63, 63), (2024, 61, 61)]


@pytest.mark.shared
def test_withheld_province_years_are_not_published_never_zero(real_db):
    got = set(q(real_db, "SELECT year, province_code FROM mart.score "
                         "WHERE item_code='TOTAL' AND status='not_published'"))
    assert got == WITHHELD
    assert q(real_db, "SELECT count(*) FROM mart.score WHERE value = 0 AND item_code NOT LIKE '%.%.%'") == [(0,)]
    assert q(real_db, "SELECT count(*) FROM mart.score WHERE status='not_published' AND value IS NOT NULL") == [(0,)]
    # 2022 Bắc Ninh: D2, D3, D4, D8 withheld; its other dimensions published.
    bn = q(real_db, "SELECT item_code FROM mart.score WHERE year=2022 AND province_code='27' AND "
                    "item_code LIKE 'D_' AND status='not_published' ORDER BY 1")
    assert [r[0] for r in bn] == ["D2", "D3", "D4", "D8"]


@pytest.mark.shared
@pytest.mark.parametrize(("file", "sheet", "ref_", "year", "prov", "item", "col"), [
    ("PAPI_2011-2016.xlsx", "2011_PAPI", "E3", 2011, "01", "D1.1", "value"),      # rows, codes
    ("PAPI_2011-2016.xlsx", "2013_PAPI", "AF4", 2013, "02", "TOTAL", "value"),
    ("PAPI-2015-2023.xlsm", "2017", "M4", 2017, "04", "D3.2", "value"),            # rows, names
    ("PAPI-2015-2023.xlsm", "2018", "D2", 2018, "02", "TOTAL", "value"),           # columns, ASCII names
    ("PAPI-2015-2023.xlsm", "2018", "C5", 2018, "01", "D1.1.01", "value"),         # indicator
    ("PAPI-2015-2023.xlsm", "2019", "C8", 2019, "01", "TOTAL", "ci_low"),          # columns, codes, CI
    ("PAPI-2015-2023.xlsm", "2019", "D10", 2019, "02", "TOTAL", "std_error"),
    ("PAPI-2015-2023.xlsm", "2022", "D7", 2022, "01", "TOTAL", "value"),           # two label columns
    ("PAPI-2015-2023.xlsm", "2023", "D3", 2023, "01", "TOTAL", "value"),
    ("PAPI-2015-2023.xlsm", "2023", "E5", 2023, "02", "TOTAL", "ci_high"),
    ("PAPI-2015-2023.xlsm", "2023", "F95", 2023, "04", "D5.1", "value"),
])
def test_values_equal_the_source_cells(shared, real_db, file, sheet, ref_, year, prov, item, col):
    expected = cell(shared / "papi" / "official" / file, sheet, ref_)
    assert isinstance(expected, int | float)
    assert value(real_db, year, prov, item, col) == pytest.approx(expected, abs=1e-6)


@pytest.mark.shared
def test_tidy_only_years_come_from_the_tidy_file(shared, real_db):
    import csv
    with open(shared / "papi" / "tidy" / "papi_subdimension_scores_long.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["year"] in ("2020", "2021", "2024")]
    for r in rows[::97]:
        got = value(real_db, int(r["year"]), r["gso_code"].zfill(2), f"D{r['subdim_no']}")
        assert got == pytest.approx(float(r["score"]), abs=1e-9)
    # 2024: dimensions and totals are derived as sums of the published parts.
    d1 = value(real_db, 2024, "01", "D1")
    parts = q(real_db, "SELECT sum(value) FROM mart.score WHERE year=2024 AND province_code='01' "
                       "AND item_code IN ('D1.1','D1.2','D1.3','D1.4')")[0][0]
    assert d1 == pytest.approx(parts, abs=1e-9)
    assert q(real_db, "SELECT source FROM mart.score WHERE year=2024 AND province_code='01' "
                      "AND item_code='TOTAL'") == [("derived: sum of dimensions",)]


@pytest.mark.shared
def test_copied_sheets_are_refused_with_a_message(real_db):
    refused = q(real_db, "SELECT sheet, year FROM raw.refused_dataset ORDER BY year")
    assert refused == [("2020", 2020), ("2021", 2021)]
    msgs = q(real_db, "SELECT sheet, message FROM meta.problem WHERE severity='warning' ORDER BY sheet")
    assert [m[0] for m in msgs] == ["2020", "2021"]
    assert all("duplicate another year" in m[1] for m in msgs)
    # 2020 values equal the tidy file's, not the copied sheet's
    assert value(real_db, 2020, "01", "D1.1") != value(real_db, 2019, "01", "D1.1")


@pytest.mark.shared
def test_rank_and_groups(real_db):
    rows = q(real_db, "SELECT rank, performance_group, total FROM mart.province_year "
                      "WHERE year=2023 AND total IS NOT NULL ORDER BY rank")
    assert [r[0] for r in rows] == list(range(1, 62))
    assert [r[2] for r in rows] == sorted((r[2] for r in rows), reverse=True)
    groups = [r[1] for r in rows]
    assert groups == sorted(groups) and set(groups) == {1, 2, 3, 4}
    assert q(real_db, "SELECT rank, performance_group FROM mart.province_year "
                      "WHERE year=2023 AND province_code='22'") == [(None, None)]


@pytest.mark.shared
def test_running_twice_gives_the_same_content(shared, real_db, tmp_path):
    again = build([shared / "papi"], tmp_path / "again.duckdb", progress=False)
    for table in ("mart.score", "mart.province_year", "mart.national", "ref.item", "meta.problem"):
        sql = f"SELECT * FROM {table} ORDER BY ALL"
        assert q(real_db, sql) == q(again, sql), table


# ---- fixtures written from code -------------------------------------------------------------

def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_dimensions_and_totals_derived_from_subdimensions(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    tidy_csv(inp / "scores.csv", full_tidy_rows(2012, lambda p, s: 1.0 if p == "01" else 0.5))
    db = build([inp], tmp_path / "w.duckdb", progress=False)
    assert value(db, 2012, "01", "D1") == pytest.approx(4.0)
    assert value(db, 2012, "01", "D2") == pytest.approx(3.0)
    assert value(db, 2012, "01", "TOTAL") == pytest.approx(22.0)
    assert q(db, "SELECT rank, performance_group FROM mart.province_year WHERE year=2012 "
                 "AND province_code='01'") == [(1, 1)]


def test_a_missing_subdimension_makes_the_dimension_not_published(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    rows = [r for r in full_tidy_rows(2012, lambda p, s: 1.0) if not (r[1] == "04" and r[3] == "3.2")]
    tidy_csv(inp / "scores.csv", rows)
    db = build([inp], tmp_path / "w.duckdb", progress=False)
    assert q(db, "SELECT value, status FROM mart.score WHERE year=2012 AND province_code='04' "
                 "AND item_code IN ('D3','D3.2','TOTAL') ORDER BY item_code") == [
        (None, "not_published"), (None, "not_published"), (None, "not_published")]
    assert value(db, 2012, "04", "D1") == pytest.approx(4.0)


def test_failing_build_leaves_previous_database_byte_identical(tmp_path):
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir()
    bad.mkdir()
    tidy_csv(good / "s.csv", full_tidy_rows(2012))
    db = build([good], tmp_path / "w.duckdb", progress=False)
    before = sha(db)
    tidy_csv(bad / "s.csv", [(2012, "01", "Hà Nội", "1.1", 9.9), (2012, "01", "Hà Nội", "1.2", "n/m")])
    with pytest.raises(InputError) as err:
        build([bad], db, progress=False)
    assert sorted(p.message for p in err.value.problems) == [
        "score outside the scale of D1.1 in 2012", "text in a number cell"]
    assert sha(db) == before
    assert list(tmp_path.glob(".papi-w.duckdb.building-*")) == []


def test_keep_going_loads_valid_files_and_records_rejects(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    tidy_csv(inp / "a_good.csv", full_tidy_rows(2012))
    tidy_csv(inp / "b_bad.csv", [(2013, "01", "Hà Nội", "1.1", 9.9)])
    db = build([inp], tmp_path / "w.duckdb", progress=False, keep_going=True)
    assert q(db, "SELECT regexp_extract(path, '[^/]+$'), status FROM meta.source_file ORDER BY 1") == [
        ("a_good.csv", "loaded"), ("b_bad.csv", "refused")]
    assert q(db, "SELECT DISTINCT year FROM mart.score") == [(2012,)]


def test_cli_exit_code_and_message(tmp_path, capsys):
    from etl.cli import main
    bad = tmp_path / "bad"
    bad.mkdir()
    tidy_csv(bad / "s.csv", [(2012, "99", "Atlantis", "1.1", 1.0)])
    assert main(["etl", "--input", str(bad), "--db", str(tmp_path / "w.duckdb"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "s.csv › row 2: không nhận ra tỉnh / unknown province" in err
    assert "NOT changed" in err
    assert not (tmp_path / "w.duckdb").exists()


def test_demo_warehouse_is_flagged_and_complete(demo_db):
    assert q(demo_db, "SELECT is_demo FROM meta.build") == [(True,)]
    assert q(demo_db, "SELECT year, vintage, count(DISTINCT province_code) FROM mart.score "
                      "GROUP BY ALL ORDER BY ALL") == [(y, "63", 63) for y in range(2011, 2025)] + [
        (2025, "34", 34)]
    ranks = q(demo_db, "SELECT rank, n_ranked FROM mart.province_year WHERE year = 2025 ORDER BY 1")
    assert ranks == [(r, 34) for r in range(1, 35)]
    assert q(demo_db, "SELECT count(*) FROM mart.score WHERE year = 2025 AND status <> 'published'") == [(0,)]
    assert q(demo_db, "SELECT count(*) FROM mart.action") != [(0,)]
