"""Issue 7: a corpus of bad inputs, each with its exact outcome.

Errors: a strict build raises InputError naming the file, the cell/row and what is allowed,
and the previous warehouse stays byte-identical. Warnings: the build loads and meta.problem
says what was done.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import corpus as C
import duckdb
import pytest
from conftest import sha256

from etl.problems import InputError
from etl.steps.warehouse import build


@dataclass(frozen=True)
class Refused:
    make: str  # generator in corpus
    file: str
    message: str
    cell: str | None
    found: str | None
    allowed: str | None  # a substring of Problem.allowed
    sheet: str | None = None


REFUSED = [
    Refused("out_of_scale_csv", "out_of_scale.csv", "score outside the scale of D1.1 in 2022",
            "row 2, column score", "7.5", "0.25–2.5"),
    Refused("out_of_scale_workbook", "out_of_scale.xlsx", "score outside the scale of D1.1 in 2022",
            "C4", "25", "0.25–2.5", sheet="2022"),
    Refused("text_in_number_csv", "text_in_number.csv", "text in a number cell",
            "row 3, column score", "cao", "a number"),
    Refused("text_cell_workbook", "text_cell.xlsx", "text in a number cell", "C5", "khoảng 1,5",
            "a number, or empty / KCDL", sheet="2022"),
    Refused("unknown_province_csv", "unknown_province.csv", "unknown province", "row 4",
            "Tỉnh Không Tồn Tại", "province name of the 63"),
    Refused("unknown_province_name_workbook", "unknown_name.xlsx", "unknown province name", "E1",
            "Tỉnh Không Tồn Tại", "province name of the 63", sheet="2022"),
    Refused("missing_column_csv", "missing_column.csv", "required column missing", "row 1",
            "year, gso_code, score", "item_code or subdim_no"),
    Refused("empty_workbook_file", "empty.xlsx", "the workbook cannot be opened", None, None, None),
    Refused("truncated_workbook", "truncated.xlsx", "the workbook cannot be opened", None, None, None),
]


@pytest.mark.parametrize("case", REFUSED, ids=[c.make for c in REFUSED])
def test_bad_input_refused_and_previous_db_kept(case: Refused, tmp_path: Path, previous_db) -> None:
    db, before = previous_db
    getattr(C, case.make)(tmp_path / "in")  # generators create their folder's files
    with pytest.raises(InputError) as err:
        build([tmp_path / "in"], db, progress=False)
    assert len(err.value.problems) == 1, [p.describe() for p in err.value.problems]
    p = err.value.problems[0]
    assert (Path(p.file).name, p.severity, p.sheet, p.cell, p.found) == (
        case.file, "error", case.sheet, case.cell, case.found)
    assert p.message.startswith(case.message)
    if case.allowed is not None:
        assert case.allowed in p.allowed
    assert case.file in p.describe()
    assert sha256(db) == before
    assert not [f for f in db.parent.iterdir() if f.name not in (db.name, f".{db.name}.lock")], \
        "temp file left behind"


@pytest.fixture(autouse=True)
def _in_folder(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()


def _meta(db: Path) -> tuple[list[tuple], list[tuple], int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        files = con.execute("SELECT regexp_extract(path, '[^/]+$'), kind, status, rows "
                            "FROM meta.source_file ORDER BY 1").fetchall()
        problems = con.execute(
            "SELECT regexp_extract(file, '[^/]+$'), sheet, cell, message, found FROM meta.problem "
            "WHERE severity = 'warning' ORDER BY 1, 2, 3").fetchall()
        published = con.execute("SELECT count(value) FROM mart.score").fetchone()[0]
    finally:
        con.close()
    return files, problems, published


ALL_SUBS_2022 = 63 * len(C.SUBS)  # 1764 sub-dimension values
PUBLISHED_2022 = 63 * (len(C.SUBS) + 8 + 1)  # + dimensions and totals derived: 2331


@pytest.mark.parametrize("make", ["nfd_names_csv", "cp1258_csv"])
def test_vietnamese_encodings_load(make: str, tmp_path: Path) -> None:
    path = getattr(C, make)(tmp_path / "in")
    if make == "cp1258_csv":
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")
    db = build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False)
    files, warnings, published = _meta(db)
    assert files == [(path.name, "tidy_csv", "loaded", ALL_SUBS_2022)]
    assert warnings == []
    assert published == PUBLISHED_2022


def test_duplicate_key_in_one_csv_is_an_error_naming_both_rows(tmp_path: Path,
                                                                 previous_db) -> None:
    db, before = previous_db
    C.duplicate_key_csv(tmp_path / "in")
    with pytest.raises(InputError) as err:
        build([tmp_path / "in"], db, progress=False)
    [p] = err.value.problems
    assert (Path(p.file).name, p.severity, p.cell) == ("duplicate_key.csv", "error",
                                                        "row 2, column score")
    assert p.message.startswith("the same key twice, different values, on D1.1 value for "
                                "province 01 in 2022")
    last_row = ALL_SUBS_2022 + 2  # header + 1764 rows, then the duplicate
    assert p.found == (f"duplicate_key.csv › 2022 row 2, column score: 1.2850; "
                       f"duplicate_key.csv › 2022 row {last_row}, column score: 1.7850")
    assert sha256(db) == before


def test_duplicate_key_keep_going_chooses_nothing_and_flags(tmp_path: Path) -> None:
    """Two figures of one file rank equally: no figure is chosen, both are shown."""
    C.duplicate_key_csv(tmp_path / "in")
    db = build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False, keep_going=True)
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("SELECT value, status, flag, competing FROM mart.score WHERE year = "
                          "2022 AND province_code = '01' AND item_code = 'D1.1'").fetchall()
    finally:
        con.close()
    last_row = ALL_SUBS_2022 + 2
    assert row == [(None, "not_published", "conflict",
                    "duplicate_key.csv › 2022 row 2, column score: 1.2850; duplicate_key.csv › "
                    f"2022 row {last_row}, column score: 1.7850")]


def test_formula_without_cached_value_is_refused_naming_the_cell(tmp_path: Path, previous_db) -> None:
    """A formula saved without a computed result is an error, never a silent 'not published'."""
    db, before = previous_db
    C.formula_workbook(tmp_path / "in")
    with pytest.raises(InputError) as err:
        build([tmp_path / "in"], db, progress=False)
    [p] = [p for p in err.value.problems if p.cell == "C4"]
    assert "formula without a saved result" in p.message and p.found.startswith("=")
    assert sha256(db) == before


def test_copied_year_sheet_refused_with_warning(tmp_path: Path) -> None:
    C.copied_year_workbook(tmp_path / "in")
    db = build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False)
    files, warnings, _ = _meta(db)
    assert ("two_years.xlsx", "score_workbook", "loaded", ALL_SUBS_2022 + 63 * 8) in files
    assert len(warnings) == 1
    file, sheet, _, message, _ = warnings[0]
    assert (file, sheet) == ("two_years.xlsx", "2023")
    assert "duplicate another year's" in message and "two_years.xlsx › 2022" in message
    con = duckdb.connect(str(db), read_only=True)
    try:
        years = con.execute("SELECT DISTINCT year FROM mart.score").fetchall()
        refused = con.execute("SELECT sheet, year FROM raw.refused_dataset").fetchall()
    finally:
        con.close()
    assert years == [(2022,)] and refused == [("2023", 2023)]


def test_copied_year_without_confirmation_refuses_both(tmp_path: Path) -> None:
    C.copied_year_csv(tmp_path / "in")
    db = build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False)
    _, warnings, published = _meta(db)
    assert [w[0] for w in warnings] == ["scores_2022.csv", "scores_2023.csv"]
    assert all("no other source confirms" in w[3] for w in warnings)
    assert published == 0


def test_two_sources_disagree_is_an_error_naming_both(tmp_path: Path, previous_db) -> None:
    db, before = previous_db
    C.disagreeing_sources(tmp_path / "in")
    with pytest.raises(InputError) as err:
        build([tmp_path / "in"], db, progress=False)
    [p] = err.value.problems
    assert (Path(p.file).name, p.sheet, p.cell) == ("official_2022.xlsx", "2022", "C4")
    assert p.message.startswith("sources disagree on D1.1 value for province 01 in 2022")
    assert p.found == ("official_2022.xlsx › 2022 C4: 1.2850; "
                       "clerk_2022.csv › 2022 row 2, column score: 1.5850")
    assert sha256(db) == before


def _flagged(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT year, province_code, item_code, value, flag, competing "
                           "FROM mart.score WHERE flag IS NOT NULL").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("csv_name", ["clerk_2022.csv", "0_official_final.csv"])
def test_keep_going_loads_the_best_ranked_source_kind(csv_name: str, tmp_path: Path) -> None:
    """The official workbook layout outranks the tidy CSV whatever the files are called."""
    _, csv_path = C.disagreeing_sources(tmp_path / "in")
    csv_path.rename(csv_path.with_name(csv_name))
    db = build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False, keep_going=True)
    assert _flagged(db) == [(2022, "01", "D1.1", 1.285, "conflict",
                             f"{csv_name} › 2022 row 2, column score: 1.5850")]
    _, warnings, _ = _meta(db)
    assert [w[3] for w in warnings] == [
        "sources disagree on D1.1 value for province 01 in 2022: stored 1.2850 from "
        "official_2022.xlsx › 2022 (best-ranked kind)"]


def test_correction_settles_disagreeing_sources_in_strict_mode(tmp_path: Path,
                                                               monkeypatch) -> None:
    from etl.steps import corrections

    fixes = tmp_path / "corrections.csv"
    fixes.write_text("year,province_code,item_code,value,source,reason\n"
                     "2022,1,D1.1,1.585,clerk_2022.csv,the printed report says 1.585\n",
                     encoding="utf-8")
    monkeypatch.setattr(corrections, "PATH", fixes)
    C.disagreeing_sources(tmp_path / "in")
    db = build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False)
    assert _flagged(db) == [(2022, "01", "D1.1", 1.585, "corrected",
                             "official_2022.xlsx › 2022 C4: 1.2850")]


def test_bad_correction_row_is_an_error(tmp_path: Path, monkeypatch, previous_db) -> None:
    from etl.steps import corrections

    db, before = previous_db
    fixes = tmp_path / "corrections.csv"
    fixes.write_text("year,province_code,item_code,value,source,reason\n"
                     "2022,01,D1.1,1.585,clerk_2022.csv,\n", encoding="utf-8")
    monkeypatch.setattr(corrections, "PATH", fixes)
    C.good_csv(tmp_path / "in")
    with pytest.raises(InputError) as err:
        build([tmp_path / "in"], db, progress=False)
    [p] = err.value.problems
    assert (p.file, p.cell, p.message) == (str(fixes), "row 2",
                                           "bad correction (a reason is required)")
    assert sha256(db) == before


def test_empty_csv_is_skipped_with_a_reason(tmp_path: Path) -> None:
    C.empty_csv(tmp_path / "in")
    C.good_csv(tmp_path / "in")
    db = build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False)
    files, _, _ = _meta(db)
    assert ("empty.csv", "unrecognised", "skipped", 0) in files
    con = duckdb.connect(str(db), read_only=True)
    msg = con.execute("SELECT message FROM meta.source_file WHERE path LIKE '%empty.csv'").fetchone()
    con.close()
    assert msg == ("không phải tệp điểm PAPI, kế hoạch hay báo cáo / not a PAPI score file, plan "
                   "or report",)


def test_text_file_that_is_no_plan_is_skipped(tmp_path: Path) -> None:
    C.not_a_plan_txt(tmp_path / "in")
    C.good_csv(tmp_path / "in")
    db = build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False)
    con = duckdb.connect(str(db), read_only=True)
    row = con.execute("SELECT kind, status, message FROM meta.source_file "
                      "WHERE path LIKE '%shopping_list.txt'").fetchone()
    con.close()
    assert row == ("unrecognised", "skipped",
                   "Tệp này không phải kế hoạch PAPI / this file is not a PAPI plan")


BAD_REPORT_ROWS = {
    1: ({"status": "Xong rồi"}, "I9", "unknown status", "Xong rồi", "Hoàn thành đúng hạn"),
    2: ({"reported_on": "31/02/2024"}, "M10", "impossible or unreadable date", "31/02/2024",
        "dd/mm/yyyy"),
    3: ({"percent_done": 140}, "J11", "whole number from 0 to 100", "140", "0–100"),
    4: ({"action_id": "02-2023-SNV-12-A99"}, "A12", "unknown action id", "02-2023-SNV-12-A99",
        "an action id of plan 02-2023-SNV-12"),
}


def test_report_rows_with_bad_cells(tmp_path: Path, previous_db) -> None:
    db, before = previous_db
    fill = {0: C.GOOD_ROW} | {i: {**C.GOOD_ROW, **cells} for i, (cells, *_) in BAD_REPORT_ROWS.items()}
    C.plan_and_report(tmp_path / "in", fill)
    with pytest.raises(InputError) as err:
        build([tmp_path / "in"], db, progress=False)
    got = {p.cell: p for p in err.value.problems}
    assert sorted(got) == sorted(c for _, c, *_ in BAD_REPORT_ROWS.values())
    for _, cell, message, found, allowed in BAD_REPORT_ROWS.values():
        p = got[cell]
        assert (Path(p.file).name, p.sheet, p.found, p.severity) == ("report.xlsx", "Báo cáo", found,
                                                                     "error")
        assert message in p.message and allowed in p.allowed
    assert sha256(db) == before
    # keep-going: the good row is loaded, the four bad ones are refused and listed
    kg = build([tmp_path / "in"], tmp_path / "kg.duckdb", progress=False, keep_going=True)
    con = duckdb.connect(str(kg), read_only=True)
    try:
        status = con.execute("SELECT action_id, status_code FROM mart.action_status").fetchall()
        raw = con.execute("SELECT row_number, accepted FROM raw.plan_report_row ORDER BY 1").fetchall()
        n_err = con.execute("SELECT count(*) FROM meta.problem WHERE severity = 'error'").fetchone()
    finally:
        con.close()
    assert status == [("02-2023-SNV-12-A01", "done_on_time")]
    assert n_err == (4,)
    assert raw == [(8, True), (9, False), (10, False), (11, False), (12, False)]


def test_report_for_a_plan_that_does_not_exist(tmp_path: Path, previous_db) -> None:
    db, before = previous_db
    C.plan_and_report(tmp_path / "in", {0: C.GOOD_ROW}, with_plan=False)
    with pytest.raises(InputError) as err:
        build([tmp_path / "in"], db, progress=False)
    [p] = err.value.problems
    assert Path(p.file).name == "report.xlsx" and "report for a plan that is not loaded" in p.message
    assert p.found == "02-2023-SNV-12"
    assert sha256(db) == before


def test_huge_csv_loads_in_reasonable_time(tmp_path: Path, record_property) -> None:
    """A 60 MB tidy CSV (real ones are < 1 MB). Measured: ~3.5 s, ~0.5 GB RSS; no size limit."""
    path = C.big_csv(tmp_path / "in", target_mb=60)
    size_mb = path.stat().st_size / 2**20
    t0 = time.perf_counter()
    db = build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False)
    seconds = time.perf_counter() - t0
    record_property("huge_csv", f"{size_mb:.0f} MB in {seconds:.1f} s")
    print(f"huge CSV: {size_mb:.0f} MB built in {seconds:.1f} s")
    assert size_mb >= 60
    assert seconds < 25
    files, warnings, published = _meta(db)
    assert files[0][:3] == ("huge.csv", "tidy_csv", "loaded")
    assert warnings == [] and published == PUBLISHED_2022
