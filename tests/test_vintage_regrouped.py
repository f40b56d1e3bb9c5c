"""The publisher's 2024 file regrouped by the 34: read as the 63 figures, never over an official one."""

from __future__ import annotations

import re

import openpyxl
import pytest

from etl import ref
from etl.problems import InputError
from etl.readers import workbook
from etl.steps.warehouse import build
from tests.factories import full_tidy_rows, regrouped_workbook, tidy_csv, tidy_values, with_sums
from tests.warehouse_query import q

BLANK_2023 = {"17", "25", "26", "74", "77", "79"}  # groups of new Phú Thọ and Hồ Chí Minh left blank
# What the marts say, to 1e-9: the publisher's own dimension sums differ from ours in the 16th digit.
COMPARED = {
    "mart.score": "year, vintage, province_code, item_code, round(value, 9), round(ci_low, 9), "
                  "round(ci_high, 9), round(std_error, 9), status",
    "mart.province_year": "year, vintage, province_code, round(total, 9), rank, performance_group, "
                          "n_dimensions, n_ranked",
    "mart.national": "year, vintage, item_code, n_provinces, round(median, 9), round(mean, 9), "
                     "round(min, 9), round(max, 9), best_province_code, round(best_value, 9)",
}


def real_values(shared) -> dict[int, dict[str, dict[str, object]]]:
    return {2024: {p: with_sums(2024, s) for p, s in tidy_values(shared, 2024).items()},
            2023: {p: with_sums(2023, s) for p, s in tidy_values(shared, 2023).items()
                   if p not in BLANK_2023}}


def tampered(shared) -> dict[int, dict[str, dict[str, object]]]:
    """Real values, except one figure that disagrees with the official one (Hà Nội 2024 D1.1)
    and figures where PAPI withheld the province-year (Tiền Giang 2024)."""
    values = real_values(shared)
    values[2024]["01"]["D1.1"] += 0.3
    values[2024]["82"] = {s: 1.0 for s in ref.era_for(2024).subdimensions()}
    return values


@pytest.fixture(scope="module")
def regrouped_builds(shared, tmp_path_factory):
    """The same regrouped workbook beside the real files under a name sorting before every
    official file, and under one sorting after them. Its tampered Hà Nội figure disagrees with
    the official one: strict refuses the build (whatever the name, naming both cells);
    --keep-going loads the official figure, flagged (issue 13: ranked by source kind)."""
    out = {}
    for name in ("0_2024PAPI_BangChiTieuCapTinh_34_TinhThanh.xlsx",
                 "zz_2024PAPI_BangChiTieuCapTinh_34_TinhThanh.xlsx"):
        tmp = tmp_path_factory.mktemp("regrouped")
        (tmp / "in").mkdir()
        regrouped_workbook(tmp / "in" / name, tampered(shared))
        with pytest.raises(InputError) as err:
            build([shared / "papi", tmp / "in"], tmp / "strict.duckdb", progress=False)
        out["strict_" + name[:2]] = err.value.problems
        out[name[:2]] = build([shared / "papi", tmp / "in"], tmp / "w.duckdb", progress=False,
                              keep_going=True)
    return out


@pytest.mark.shared
def test_strict_refuses_the_disagreeing_regrouped_figure_whatever_its_name(regrouped_builds):
    for key in ("strict_0_", "strict_zz"):
        errors = [p for p in regrouped_builds[key] if p.severity == "error"]
        [p] = errors  # only the tampered Hà Nội D1.1; withheld Tiền Giang is not a conflict
        assert "sources disagree on D1.1 value for province 01 in 2024" in p.message
        assert "papi_subdimension_scores_long.csv" in p.found and "34_TinhThanh.xlsx" in p.found


@pytest.mark.shared
def test_reads_as_the_63_province_figures_it_contains(shared, tmp_path):
    path = regrouped_workbook(tmp_path / "r.xlsx", real_values(shared))
    result = workbook.read(path)
    assert result.problems.errors == []
    by_year = {d.year: d for d in result.datasets}
    assert sorted(by_year) == [2023, 2024]
    assert {(d.vintage, d.layout) for d in by_year.values()} == {("63", "provinces_in_columns_34")}
    official = tidy_values(shared, 2024)
    got = {(o.province_code, o.item_code): o.value for o in by_year[2024].observations
           if "." in o.item_code}
    assert got == {(p, s): v for p, subs in official.items() for s, v in subs.items()}
    assert len(official) == 61 and "26" not in official and "82" not in official
    # Hà Nội's sub-dimension 1.1 sits under the first group's column D, below the two header rows
    # of its new province and its own code and name rows.
    first = next(o for o in by_year[2024].observations if (o.province_code, o.item_code) == ("01", "D1.1"))
    assert first.cell == "D9"
    # Blank because of the regrouping: nothing read, not 'not published'.
    assert {o.province_code for o in by_year[2023].observations} & BLANK_2023 == set()
    assert all(o.status == "published" for d in result.datasets for o in d.observations)


@pytest.mark.shared
def test_alone_it_loads_the_63_figures_ranked_out_of_61(shared, tmp_path):
    (tmp_path / "in").mkdir()
    regrouped_workbook(tmp_path / "in" / "r.xlsx", {2024: real_values(shared)[2024]})
    db = build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False)
    assert q(db, "SELECT DISTINCT vintage FROM mart.score") == [("63",)]
    assert q(db, "SELECT count(*), min(n_ranked), max(n_ranked), max(rank) FROM mart.province_year "
                 "WHERE total IS NOT NULL") == [(61, 61, 61, 61)]
    official = tidy_values(shared, 2024)["15"]["D3.2"]  # old Yên Bái, under new Lào Cai's group
    assert q(db, "SELECT value FROM mart.score WHERE province_code='15' AND item_code='D3.2'") == [
        (official,)]
    assert q(db, "SELECT status FROM mart.score WHERE province_code IN ('26','82') AND "
                 "item_code='TOTAL' ORDER BY 1") == [("not_published",), ("not_published",)]


@pytest.mark.shared
def test_beside_the_official_files_changes_no_official_value_whatever_its_name(real_db, regrouped_builds):
    before, after = regrouped_builds["0_"], regrouped_builds["zz"]
    for table, cols in COMPARED.items():
        sql = f"SELECT {cols} FROM {table} ORDER BY ALL"  # noqa: S608
        assert q(before, sql) == q(real_db, sql), table
        assert q(after, sql) == q(real_db, sql), table
    # Under either name, the same warehouse (only the file named in `source`/`competing` differs).
    for table in ("mart.province_year", "mart.national"):
        assert q(before, f"SELECT * FROM {table} ORDER BY ALL") == q(  # noqa: S608
            after, f"SELECT * FROM {table} ORDER BY ALL"), table  # noqa: S608
    sql = "SELECT * EXCLUDE (source, competing) FROM mart.score ORDER BY ALL"
    assert q(before, sql) == q(after, sql)
    # Tiền Giang 2024 (withheld by PAPI) stays withheld; Hà Nội keeps the official 1.1.
    for db in (before, after):
        assert q(db, "SELECT status, value FROM mart.score WHERE year=2024 AND province_code='82' "
                     "AND item_code IN ('D1.1','TOTAL')") == [("not_published", None)] * 2
    official = q(real_db, "SELECT value FROM mart.score WHERE year=2024 AND province_code='01' "
                          "AND item_code='D1.1'")
    assert official == q(before, "SELECT value FROM mart.score WHERE year=2024 AND "
                                 "province_code='01' AND item_code='D1.1'")


@pytest.mark.shared
def test_the_ignored_withheld_figures_are_reported(regrouped_builds):
    for db in (regrouped_builds["0_"], regrouped_builds["zz"]):
        [(sheet, cell, message)] = q(db, "SELECT sheet, cell, message FROM meta.problem "
                                         "WHERE message LIKE 'province 82 in 2024%'")
        assert (sheet, message) == ("2024", "province 82 in 2024: no original source gives it "
                                    "(PAPI withheld it); the regrouped file's values are not loaded")
        assert re.fullmatch(r"(?P<c>[A-Z]+)9…(?P=c)43", cell)  # its 1.1 row … its last 8.x row


def test_a_new_province_header_that_is_not_the_successor_names_the_cell(tmp_path):
    values = {2024: {p: {s: 1.0 for s in ref.era_for(2024).subdimensions()}
                     for p in ref.province_codes(ref.OLD)}}
    path = regrouped_workbook(tmp_path / "r.xlsx", values)
    wb = openpyxl.load_workbook(path)
    ws = wb["2024"]
    col = next(c.column_letter for c in ws[5] if c.value == 15)  # old Yên Bái's column
    assert ws[f"{col}4"].value is None and ws[f"{col}6"].value == "Yên Bái"
    ws[f"{col}4"] = "Yên Bái"  # old Yên Bái's new province is Lào Cai (15)
    wb.save(path)
    errors = workbook.read(path).problems.errors
    assert [(e.sheet, e.cell, e.message) for e in errors] == [
        ("2024", f"{col}4", "new-province header does not match the province below it")]
    assert errors[0].allowed == "Lào Cai (15), the new province of Yên Bái"


def test_separator_columns_alone_mark_the_regrouped_layout(tmp_path):
    subs = ref.era_for(2024).subdimensions()
    values = {2024: {p: {s: 1.25 for s in subs} for p in ref.province_codes(ref.OLD) if p != "15"}}
    path = regrouped_workbook(tmp_path / "r.xlsx", values)
    wb = openpyxl.load_workbook(path)
    wb["2024"].delete_rows(3, 2)  # without the new provinces' code and name rows
    wb.save(path)
    result = workbook.read(path)
    assert result.problems.errors == []
    [ds] = result.datasets
    assert (ds.vintage, ds.layout) == ("63", "provinces_in_columns_34")
    got = {o.province_code for o in ds.observations}
    assert len(got) == 62 and "15" not in got  # its blank column: a gap, not 'not published'
    assert {o.status for o in ds.observations} == {"published"}


def test_regrouped_markers_and_values_never_override_an_original(tmp_path):
    (tmp_path / "in").mkdir()
    tidy_csv(tmp_path / "in" / "official_2024.csv",
             [r for r in full_tidy_rows(2024, lambda p, s: 1.5) if r[1] != "82"])
    values = {2024: {p: {s: 1.5 for s in ref.era_for(2024).subdimensions()}
                     for p in ref.province_codes(ref.OLD)}}
    values[2024]["01"]["D1.2"] = "KCDL"  # a marker where the original publishes 1.5
    values[2024]["04"]["D1.3"] = 2.0  # a figure that disagrees with the original's 1.5
    regrouped_workbook(tmp_path / "in" / "a_regrouped_34.xlsx", values)  # sorts before the CSV
    with pytest.raises(InputError) as err:  # strict: the disagreeing figure names both cells
        build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False)
    [p] = [p for p in err.value.problems if p.severity == "error"]
    assert "sources disagree on D1.3 value for province 04 in 2024" in p.message
    assert "official_2024.csv" in p.found and "a_regrouped_34.xlsx" in p.found
    db = build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False, keep_going=True)
    got = q(db, "SELECT province_code, item_code, value, status FROM mart.score WHERE year = 2024 "
                "AND (province_code, item_code) IN (('01','D1.2'), ('04','D1.3'), ('82','D1.1')) "
                "ORDER BY 1")
    assert got == [("01", "D1.2", 1.5, "published"), ("04", "D1.3", 1.5, "published"),
                   ("82", "D1.1", None, "not_published")]
    assert q(db, "SELECT flag FROM mart.score WHERE year = 2024 AND province_code = '04' AND "
                 "item_code = 'D1.3'") == [("conflict",)]
