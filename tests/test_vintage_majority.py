"""Issue 21, item 2: a file-year's geography (63 or 34) is decided by the whole year. A 2025 file
by the 34 written with codes only or names only, with one old code or one merged-away name, no
longer loads as the 63 with a warning: each row of the minority geography is an error naming
it; --keep-going loads the majority geography and lists the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl import ref
from etl.problems import InputError
from etl.readers import tidy_csv as tidy_reader
from etl.steps.warehouse import build
from tests.factories import tidy_csv
from tests.warehouse_query import q

NEW34 = ref.province_codes(ref.NEW)
OLD_ONLY = [c for c in ref.province_codes(ref.OLD) if c not in NEW34]  # merged-away codes
SUBS = ref.era_for(2025).subdimensions()


def _rows(provinces: list[tuple[str, str]]) -> list[tuple]:
    """Every sub-dimension of each (code, name), both columns as given ('' = left empty)."""
    return [(2025, code, name, sub[1:], round(0.5 + 0.01 * i, 4))
            for i, (code, name) in enumerate(provinces) for sub in SUBS]


def _first_row(rows: list[tuple], code: str, name: str) -> str:
    return f"row {next(i for i, r in enumerate(rows) if r[1:3] == (code, name)) + 2}"


@pytest.mark.parametrize("stray", [("02", ""), ("", "Yên Bái")], ids=["old-code", "old-name"])
def test_one_province_of_the_63_in_a_2025_file_by_the_34_is_an_error_naming_it(tmp_path,
                                                                              stray) -> None:
    codes_only = bool(stray[0])
    given = [(c, "") if codes_only else ("", ref.province_name(c, ref.NEW)) for c in NEW34]
    given.append(stray)
    rows = _rows(given)
    result = tidy_reader.read(tidy_csv(tmp_path / "s.csv", rows))
    [ds] = result.datasets
    assert ds.vintage == "34"
    [err] = result.problems.errors
    assert err.cell == _first_row(rows, *stray)
    assert err.message.startswith("province fits only vintage 63")
    assert "the 2025 data is by the 34 provinces" in err.message
    assert result.problems.warnings == []
    assert {o.province_code for o in ds.observations} == set(NEW34)


def test_every_row_of_the_minority_is_named(tmp_path) -> None:
    given = [(c, "") for c in NEW34[:30]] + [(c, "") for c in OLD_ONLY[:3]]
    rows = _rows(given)
    result = tidy_reader.read(tidy_csv(tmp_path / "s.csv", rows))
    assert [e.cell for e in result.problems.errors] == [
        _first_row(rows, c, "") for c in OLD_ONLY[:3]]
    assert [d.vintage for d in result.datasets] == ["34"]


def test_a_2025_file_mostly_by_the_63_is_read_by_the_63_with_a_warning(tmp_path) -> None:
    given = [(c, "") for c in OLD_ONLY[:20]] + [(c, "") for c in NEW34[:5]]
    result = tidy_reader.read(tidy_csv(tmp_path / "s.csv", _rows(given)))
    assert result.problems.errors == []
    assert [d.vintage for d in result.datasets] == ["63"]
    [warn] = result.problems.warnings
    assert "read by the 63 provinces, not the 34 expected" in warn.message


def test_strict_build_refuses_keep_going_loads_the_majority(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    given = [(c, "") for c in NEW34] + [("02", ""), ("06", "")]
    rows = _rows(given)
    tidy_csv(tmp_path / "in" / "papi_2025.csv", rows)
    with pytest.raises(InputError) as err:
        build([tmp_path / "in"], tmp_path / "strict.duckdb", progress=False)
    assert [p.cell for p in err.value.problems] == [_first_row(rows, "02", ""),
                                                    _first_row(rows, "06", "")]
    db = build([tmp_path / "in"], tmp_path / "kg.duckdb", progress=False, keep_going=True)
    assert q(db, "SELECT vintage, count(DISTINCT province_code) FROM mart.score "
                 "WHERE year = 2025 GROUP BY 1") == [("34", 34)]
    assert q(db, "SELECT status FROM meta.source_file") == [("loaded",)]
    assert q(db, "SELECT cell FROM meta.problem WHERE severity = 'error' ORDER BY length(cell), cell") == [
        (_first_row(rows, "02", ""),), (_first_row(rows, "06", ""),)]


def test_a_workbook_sheet_is_decided_by_its_majority_too(tmp_path) -> None:
    import openpyxl

    from etl.readers import workbook
    from tests.factories import columns_workbook

    provinces = ["01", "04", "08", "11", "12"]
    path = columns_workbook(tmp_path / "p.xlsx", 2025,
                            {"1.1: Tri thức công dân": [1.1, 1.2, 1.3, 1.4, 1.5],
                             "1.2: Cơ hội tham gia": [1.4, 1.5, 1.6, 1.7, 1.8]},
                            provinces=provinces, vintage=ref.NEW, codes=False)
    wb = openpyxl.load_workbook(path)
    ws = wb["2025"]
    cell = next(c for row in ws.iter_rows() for c in row
                if c.value == ref.province_name("12", ref.NEW))
    cell.value = "Yên Bái"  # one merged-away name among the 34's
    wb.save(path)
    result = workbook.read(path)
    [err] = result.problems.errors
    assert (err.sheet, err.cell, err.found) == ("2025", cell.coordinate, "Yên Bái")
    assert err.message.startswith("province fits only vintage 63 (Yên Bái)")
    [ds] = result.datasets
    assert ds.vintage == "34" and {o.province_code for o in ds.observations} == set(provinces[:4])
