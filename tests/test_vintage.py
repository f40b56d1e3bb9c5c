"""Scores of both geographies, never mixed: a 2025 file by the 34 beside the real 2011–2024 files."""

from __future__ import annotations

import pytest

from etl import ref
from etl.readers import tidy_csv as tidy_reader
from etl.readers import workbook
from etl.steps.warehouse import build
from tests.factories import columns_workbook, rows_workbook, tidy_csv
from tests.warehouse_query import q

NEW34 = ref.province_codes(ref.NEW)
ERA = ref.era_for(2025)
SUBS = ERA.subdimensions()
MARTS = ("mart.score", "mart.province_year", "mart.national")


def level(code: str) -> float:
    """Share of each scale a province scores: strictly increasing with its place among the 34."""
    return 0.2 + 0.6 * NEW34.index(code) / 33


def sub_value(code: str, sub: str) -> float:
    item = ERA.items[sub]
    return round(item.scale_min + (item.scale_max - item.scale_min) * level(code), 6)


def rows_2025(with_codes: bool) -> list[tuple]:
    return [(2025, code if with_codes else "", ref.province_name(code, ref.NEW), sub[1:],
             sub_value(code, sub)) for code in NEW34 for sub in SUBS]


def build_with_2025(shared, tmp_path, with_codes: bool):
    extra = tmp_path / ("codes" if with_codes else "names")
    extra.mkdir()
    tidy_csv(extra / "papi_2025_34_tinh.csv", rows_2025(with_codes))
    return build([shared / "papi", extra], tmp_path / f"w_{extra.name}.duckdb", progress=False)


@pytest.fixture(scope="module")
def db_codes(shared, tmp_path_factory):
    return build_with_2025(shared, tmp_path_factory.mktemp("v"), with_codes=True)


@pytest.fixture(scope="module")
def db_names(shared, tmp_path_factory):
    return build_with_2025(shared, tmp_path_factory.mktemp("v"), with_codes=False)


# ---- beside the real files of ../shared -----------------------------------------------------

@pytest.mark.shared
def test_2025_is_by_the_34_on_their_own_codes(db_codes):
    assert q(db_codes, "SELECT DISTINCT vintage FROM mart.score WHERE year = 2025") == [("34",)]
    assert q(db_codes, "SELECT DISTINCT year FROM mart.score WHERE vintage = '34'") == [(2025,)]
    got = [r[0] for r in q(db_codes, "SELECT DISTINCT province_code FROM mart.score "
                                     "WHERE year = 2025 ORDER BY 1")]
    assert got == NEW34
    # New Lào Cai 15 is not old Yên Bái 15; new Tây Ninh 80 is not old Long An 80.
    for code in ("15", "80"):
        assert q(db_codes, "SELECT vintage, value FROM mart.score WHERE year = 2025 AND "
                           "province_code = ? AND item_code = 'D1.1'", (code,)) == [
            ("34", sub_value(code, "D1.1"))]
    # No absorbed province is padded into 2025 (no 'not published' rows for old Yên Bái, Long An…).
    assert q(db_codes, "SELECT count(*) FROM mart.score WHERE year = 2025 AND vintage = '63'") == [(0,)]
    assert q(db_codes, "SELECT count(*) FROM mart.province_year WHERE year = 2025") == [(34,)]


@pytest.mark.shared
def test_2025_ranks_groups_and_medians_are_out_of_34(db_codes):
    rows = q(db_codes, "SELECT province_code, rank, n_ranked, performance_group FROM "
                       "mart.province_year WHERE year = 2025 ORDER BY rank")
    assert [r[1] for r in rows] == list(range(1, 35))
    assert [r[0] for r in rows] == NEW34[::-1]  # totals rise with the place in the list
    assert {r[2] for r in rows} == {34}
    assert [r[3] for r in rows] == [1] * 9 + [2] * 8 + [3] * 8 + [4] * 9
    [(n, best, best_value)] = q(db_codes, "SELECT n_provinces, best_province_code, best_value "
                                          "FROM mart.national WHERE year = 2025 AND vintage = '34' "
                                          "AND item_code = 'D1.1'")
    assert (n, best, best_value) == (34, "96", sub_value("96", "D1.1"))
    assert q(db_codes, "SELECT DISTINCT n_ranked FROM mart.province_year WHERE year = 2024") == [(61,)]


@pytest.mark.shared
def test_official_2011_2024_figures_unchanged(real_db, db_codes):
    for table in MARTS:
        sql = f"SELECT * FROM {table} WHERE year <= 2024 ORDER BY ALL"  # noqa: S608
        assert q(db_codes, sql) == q(real_db, sql), table
    assert q(real_db, "SELECT DISTINCT vintage FROM mart.score") == [("63",)]


@pytest.mark.shared
def test_same_data_with_or_without_codes_gives_the_same_warehouse(db_codes, db_names):
    for table in MARTS:
        sql = f"SELECT * FROM {table} ORDER BY ALL"  # noqa: S608
        assert q(db_codes, sql) == q(db_names, sql), table
    staged = "SELECT * EXCLUDE (file) FROM staging.score ORDER BY ALL"  # the folders differ
    assert q(db_codes, staged) == q(db_names, staged)


@pytest.mark.shared
def test_code_name_mismatch_is_refused_naming_the_cell_exit_2(shared, tmp_path, capsys):
    from etl.cli import main
    bad = tmp_path / "bad"
    bad.mkdir()
    rows = rows_2025(True)
    rows[0] = (2025, "15", "Yên Bái", "1.1", 1.0)  # old Yên Bái's code and name in a 34 file
    tidy_csv(bad / "papi_2025.csv", rows)
    db = tmp_path / "w.duckdb"
    assert main(["etl", "--input", str(shared / "papi"), "--input", str(bad), "--db", str(db),
                 "--quiet"]) == 2
    err = capsys.readouterr().err
    assert ("papi_2025.csv › row 2: tỉnh chỉ có trong danh mục 63 tỉnh (Yên Bái) trong khi phần "
            "còn lại của dữ liệu năm 2025 theo danh mục 34 tỉnh") in err
    assert ("/ province fits only vintage 63 (Yên Bái) while the rest of the 2025 data is by the "
            "34 provinces") in err
    assert "(among the 34: code 15 is Lào Cai)" in err and "NOT changed" in err
    assert not db.exists()


# ---- readers and builds on small files ------------------------------------------------------

def test_2025_alone_ranks_out_of_34_and_pads_no_old_province(tmp_path):
    (tmp_path / "in").mkdir()
    tidy_csv(tmp_path / "in" / "s.csv", [r for r in rows_2025(False) if r[2] != "Huế"])
    db = build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False)
    assert q(db, "SELECT vintage, count(DISTINCT province_code) FROM mart.score GROUP BY 1") == [
        ("34", 34)]
    assert q(db, "SELECT status, count(*) FROM mart.score WHERE province_code = '46' GROUP BY 1") == [
        ("not_published", len(SUBS) + len(ERA.dimensions()) + 1)]  # Huế: withheld, on its own code
    rows = q(db, "SELECT province_code, rank, n_ranked FROM mart.province_year WHERE rank IS NOT NULL "
                 "ORDER BY rank")
    assert rows == [(c, k, 33) for k, c in enumerate([c for c in NEW34[::-1] if c != "46"], 1)]



def test_tidy_pair_fitting_no_vintage_is_an_error_naming_the_row(tmp_path):
    path = tidy_csv(tmp_path / "s.csv", [(2025, "01", "Hà Nội", "1.1", 1.0),
                                         (2025, "15", "Tây Ninh", "1.1", 1.0)])
    result = tidy_reader.read(path)
    [err] = result.problems.errors
    assert err.cell == "row 3"
    assert err.message == (
        "province code and name do not agree: code 15 name 'Tây Ninh' is not a province of the 63 "
        "(until 30/06/2025) or the 34 provinces (code 15 is Yên Bái in vintage 63; 'Tây Ninh' is "
        "code 72 in vintage 63; code 15 is Lào Cai in vintage 34; 'Tây Ninh' is code 80 in vintage 34)")
    assert {o.province_code for d in result.datasets for o in d.observations} == {"01"}


def test_names_only_resolve_by_year_and_by_the_rest_of_the_file(tmp_path):
    rows = [(2024, "", "Phú Thọ", "1.1", 1.0), (2024, "", "Lào Cai", "1.1", 1.0),  # both: year
            (2025, "", "Phú Thọ", "1.1", 1.0), (2025, "", "Lào Cai", "1.1", 1.0),  # both: year
            # a 2026 file-year mostly naming absorbed provinces (Yên Bái, Vĩnh Phúc) is by the
            # 63: its Phú Thọ is the old one (issue 21: decided by the majority of the year)
            (2026, "", "Phú Thọ", "1.1", 1.0), (2026, "", "Yên Bái", "1.1", 1.0),
            (2026, "", "Vĩnh Phúc", "1.1", 1.0)]
    result = tidy_reader.read(tidy_csv(tmp_path / "s.csv", rows))
    assert result.problems.errors == []
    got = {(d.year, d.vintage): sorted(o.province_code for o in d.observations)
           for d in result.datasets}
    assert got == {(2024, "63"): ["10", "25"], (2025, "34"): ["15", "25"],
                   (2026, "63"): ["15", "25", "26"]}


def test_a_file_year_is_one_vintage_the_majority_one(tmp_path):
    """Every 34 name is also an old one, so all 35 fit the 63; before issue 21 the absorbed Yên
    Bái made the whole year the 63 with a warning. Now the year's majority (the 34) decides and
    Yên Bái is an error naming its row."""
    rows = [(2025, "", ref.province_name(c, ref.NEW), "1.1", 1.0) for c in NEW34]
    rows.append((2025, "", "Yên Bái", "1.1", 1.0))
    result = tidy_reader.read(tidy_csv(tmp_path / "s.csv", rows))
    [err] = result.problems.errors
    assert (err.cell, err.found) == ("row 36", "Yên Bái")
    assert err.message.startswith("province fits only vintage 63 (Yên Bái) while the rest of the "
                                  "2025 data is by the 34 provinces")
    [ds] = result.datasets
    assert ds.vintage == "34" and {o.province_code for o in ds.observations} == set(NEW34)
    assert result.problems.warnings == []


def test_a_file_year_fitting_no_single_vintage_names_the_cells_that_do_not_fit(tmp_path):
    rows = [(2025, c, ref.province_name(c, ref.NEW), "1.1", 1.0) for c in NEW34]
    rows += [(2025, "80", "Long An", "1.1", 1.0), (2025, "17", "Hòa Bình", "1.1", 1.0)]
    result = tidy_reader.read(tidy_csv(tmp_path / "s.csv", rows))
    assert [(e.cell, e.found) for e in result.problems.errors] == [
        ("row 36", "80 Long An"),
        ("row 37", "17 Hòa Bình")]
    assert result.problems.errors[0].message == (
        "province fits only vintage 63 (Long An) while the rest of the 2025 data is by the 34 "
        "provinces; a file-year is one vintage (among the 34: code 80 is Tây Ninh)")
    assert {o.province_code for d in result.datasets for o in d.observations} == set(NEW34)


@pytest.mark.parametrize("codes", [True, False])
def test_columns_workbook_by_the_34(tmp_path, codes):
    provinces = ["15", "80", "25"]
    path = columns_workbook(tmp_path / "p.xlsx", 2025, {"1.1: Tri thức công dân": [1.1, 1.2, 1.3],
                                                        "1.2: Cơ hội tham gia": [1.4, 1.5, 1.6]},
                            provinces=provinces, vintage=ref.NEW, codes=codes)
    result = workbook.read(path)
    assert result.problems.errors == []
    [ds] = result.datasets
    assert (ds.vintage, ds.layout) == ("34", "provinces_in_columns")
    got = {(o.province_code, o.item_code): o.value for o in ds.observations}
    assert got == {("15", "D1.1"): 1.1, ("80", "D1.1"): 1.2, ("25", "D1.1"): 1.3,
                   ("15", "D1.2"): 1.4, ("80", "D1.2"): 1.5, ("25", "D1.2"): 1.6}


def test_columns_workbook_code_name_mismatch_names_the_cell(tmp_path):
    path = columns_workbook(tmp_path / "p.xlsx", 2025, {"1.1: Tri thức công dân": [1.1, 1.2],
                                                        "1.2: Cơ hội tham gia": [1.4, 1.5]},
                            provinces=["15", "80"], vintage=ref.NEW)
    wb = __import__("openpyxl").load_workbook(path)
    wb["2025"]["D2"] = "Long An"  # code 80 above: new Tây Ninh, not old Long An
    wb.save(path)
    [err] = workbook.read(path).problems.errors
    assert (err.sheet, err.cell, err.found) == ("2025", "D1", "80 Long An")
    assert err.message.startswith("province fits only vintage 63 (Long An)")


@pytest.mark.parametrize("codes", [True, False])
def test_rows_workbook_by_the_34(tmp_path, codes):
    provinces = [(int(c) if codes else None, ref.province_name(c, ref.NEW)) for c in ("15", "80")]
    path = rows_workbook(tmp_path / "r.xlsx", 2025, provinces, lambda i, item: 1.0 + i / 10)
    result = workbook.read(path)
    assert result.problems.errors == []
    [ds] = result.datasets
    assert (ds.vintage, ds.layout) == ("34", "provinces_in_rows")
    got = {(o.province_code, o.item_code): (o.value, o.cell) for o in ds.observations}
    assert got[("15", "D1.1")] == (1.0, "D2") and got[("80", "D1.1")] == (1.1, "D3")


def test_rows_workbook_2024_names_are_the_63(tmp_path):
    path = rows_workbook(tmp_path / "r.xlsx", 2024, [(None, "Lào Cai"), (None, "Yên Bái")])
    [ds] = workbook.read(path).datasets
    assert ds.vintage == "63" and {o.province_code for o in ds.observations} == {"10", "15"}


def test_rows_workbook_code_name_mismatch_names_the_cell(tmp_path):
    path = rows_workbook(tmp_path / "r.xlsx", 2025, [(15, "Lào Cai"), (80, "Long An")])
    result = workbook.read(path)
    [err] = result.problems.errors
    assert (err.sheet, err.cell, err.found) == ("2025", "A3", "80 Long An")
    assert err.message == ("province fits only vintage 63 (Long An) while the rest of the 2025 "
                           "data is by the 34 provinces; a file-year is one vintage (among the 34: "
                           "code 80 is Tây Ninh)")
    # The file is refused (it has an error); the other rows' cells were still checked.
    assert {o.province_code for d in result.datasets for o in d.observations} == {"15"}
