"""The calamine cell loader against the previous openpyxl loader: every real cell, formulas, errors."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest

from etl.readers import workbook
from etl.readers.cells import FormulaWithoutValue
from etl.steps.warehouse import build
from tests.reliability import corpus as C

REAL_BOOKS = {"PAPI-2015-2023.xlsm": 84_371, "PAPI_2011-2016.xlsx": 12_616}  # non-empty cells


def trimmed(rows: list[tuple]) -> list[tuple]:
    """Rows without trailing empty cells and trailing empty rows (the shape both loaders share)."""
    out = [tuple(r[: max((j + 1 for j, c in enumerate(r) if c is not None), default=0)])
           for r in rows]
    while out and not out[-1]:
        out.pop()
    return out


def typed(rows: list[tuple]) -> list[tuple]:
    return [tuple((type(c).__name__, c) for c in r) for r in rows]


@pytest.mark.shared
@pytest.mark.parametrize("name", list(REAL_BOOKS))
def test_every_cell_of_the_real_workbooks_as_openpyxl_reads_it(shared: Path, name: str) -> None:
    path = shared / "papi" / "official" / name
    old, new = workbook._openpyxl_rows(path), workbook.load_rows(path)
    assert list(new) == list(old)  # same sheets, same order
    n_cells = 0
    for sheet in old:
        a, b = trimmed(old[sheet]), trimmed(new[sheet])
        assert [len(r) for r in b] == [len(r) for r in a], sheet  # same shape
        assert typed(b) == typed(a), sheet  # same values and same Python types
        n_cells += sum(c is not None for r in a for c in r)
    assert n_cells == REAL_BOOKS[name]


@pytest.mark.shared
def test_real_workbook_error_cells_stay_their_text(shared: Path) -> None:
    rows = workbook.load_rows(shared / "papi" / "official" / "PAPI-2015-2023.xlsm")
    assert rows["2022_Process"][7][21] == "#N/A"
    assert sum(c == "#N/A" for r in rows["2023_Process"] for c in r) == 63


@pytest.mark.shared
def test_warehouse_identical_with_the_previous_loader(shared: Path, real_db: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "load_rows", workbook._openpyxl_rows)
    old = build([shared / "papi"], tmp_path / "old.duckdb", progress=False)
    con_new = duckdb.connect(str(real_db), read_only=True)
    con_old = duckdb.connect(str(old), read_only=True)
    try:
        tables = [f"{s}.{t}" for s, t in con_new.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema IN ('mart', 'raw', 'ref') ORDER BY ALL").fetchall()]
        assert "mart.score" in tables and "mart.province_year" in tables
        for table in tables:
            sql = f"SELECT * FROM {table} ORDER BY ALL"  # noqa: S608 - names from the catalog
            assert con_new.execute(sql).fetchall() == con_old.execute(sql).fetchall(), table
        sql = "SELECT severity, file, sheet, cell, message, found FROM meta.problem ORDER BY ALL"
        assert con_new.execute(sql).fetchall() == con_old.execute(sql).fetchall()
    finally:
        con_new.close()
        con_old.close()


# ---- fixtures in the real files' style ----------------------------------------------------------

ROW2 = (  # written as Excel writes them: a shared formula, an error value, an array formula
    '<row r="2">'
    '<c r="A2"><f t="shared" ref="A2:C2" si="0">A1+1</f><v>3</v></c>'
    '<c r="B2"><f t="shared" si="0"/></c>'
    '<c r="C2"><f t="shared" si="0"/><v>4</v></c>'
    '<c r="D2" t="e"/>'
    '<c r="E2" t="e"><v>#DIV/0!</v></c>'
    '<c r="F2"><f t="array" ref="F2">SUM(C1:D1)</f><v></v></c>'
    '<c r="G2" t="str"><f>IF(C1&gt;9,"x","")</f><v>x</v></c>'
    "</row>"
)


def _rewrite(src: Path, dst: Path, member: str, fn) -> Path:
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
        for n in zi.namelist():
            data = zi.read(n)
            zo.writestr(n, fn(data) if n == member else data)
    return dst


def cells_workbook(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2022"
    ws.append([datetime(2024, 3, 1), datetime(2024, 3, 1, 10, 30), 5, 2.5, "x", True, "=1+1",
               "=C1*2"])
    ws.append(["placeholder"])
    wb.create_sheet("notes").append(["Ghi chú", None, "=A1"])
    src = tmp_path / "src.xlsx"
    wb.save(src)

    def patch(xml: bytes) -> bytes:
        xml = re.sub(rb'<row r="2".*?</row>', ROW2.encode(), xml, flags=re.S)
        return xml.replace(b"<f>C1*2</f><v></v>", b"<f>C1*2</f><v>10</v>")  # computed: saved

    return _rewrite(src, tmp_path / "cells.xlsx", "xl/worksheets/sheet1.xml", patch)


def test_values_types_formulas_and_errors(tmp_path: Path) -> None:
    rows = workbook.load_rows(cells_workbook(tmp_path))
    assert list(rows) == ["2022", "notes"]
    r1, r2 = trimmed(rows["2022"])
    assert r1 == (datetime(2024, 3, 1), datetime(2024, 3, 1, 10, 30), 5, 2.5, "x", True,
                  "=1+1", 10)
    assert [type(c).__name__ for c in r1] == ["datetime", "datetime", "int", "float", "str",
                                             "bool", "FormulaWithoutValue", "int"]
    assert r2 == (3, "=B1+1", 4, None, "#DIV/0!", "=SUM(C1:D1)", "x")
    assert [isinstance(c, FormulaWithoutValue) for c in r2] == [False, True, False, False, False,
                                                                True, False]
    assert rows["notes"] == [("Ghi chú", None, "=A1")]
    assert isinstance(rows["notes"][0][2], FormulaWithoutValue)


def test_same_cells_as_the_openpyxl_loader_on_the_fixture(tmp_path: Path) -> None:
    path = cells_workbook(tmp_path)
    old, new = workbook._openpyxl_rows(path), workbook.load_rows(path)
    for sheet in old:
        a, b = typed(trimmed(old[sheet])), typed(trimmed(new[sheet]))
        if sheet == "2022":  # openpyxl gives an ArrayFormula object, which it took for empty
            assert a[1][5] == ("NoneType", None)
            assert b[1][5] == ("FormulaWithoutValue", "=SUM(C1:D1)")
            a[1] = a[1][:5] + a[1][6:]
            b[1] = b[1][:5] + b[1][6:]
        assert b == a, sheet


def test_cells_without_addresses_fall_back_to_openpyxl(tmp_path: Path) -> None:
    src = cells_workbook(tmp_path)
    path = _rewrite(src, tmp_path / "no_r.xlsx", "xl/worksheets/sheet2.xml",
                    lambda xml: re.sub(rb' r="[A-Z]+\d+"', b"", xml))
    rows = workbook.load_rows(path)
    assert trimmed(rows["notes"]) == [("Ghi chú", "=A1")]  # without r= the cells are adjacent
    assert isinstance(rows["notes"][0][1], FormulaWithoutValue)
    assert rows["2022"][1][1] == "=B1+1"


def test_formula_without_value_in_a_score_cell_is_an_error_naming_it(tmp_path: Path) -> None:
    path = C.formula_workbook(tmp_path)
    [err] = [e for e in workbook.read(path).problems.errors if e.cell == "C4"]
    assert (err.sheet, err.message, err.message_vi) == (
        "2022", "formula without a saved result", "công thức chưa được tính (chưa lưu kết quả)")
    assert err.found.startswith("=") and err.found.endswith("4+0.1")


@pytest.mark.parametrize(("member", "damage", "found"), [
    ("xl/worksheets/sheet1.xml", lambda b: b[: len(b) // 2], "XmlError"),
    ("xl/worksheets/sheet1.xml", lambda b: b.replace(b"<sheetData>",
                                                     b"<sheetData><row><c><v>1</c></row>"),
     "XmlError"),
    ("xl/workbook.xml", lambda b: b[:40], "ParseError"),
])
def test_damaged_xml_is_an_error_naming_the_file(tmp_path: Path, member, damage, found) -> None:
    good = C.columns_workbook(tmp_path / "good.xlsx")
    path = _rewrite(good, tmp_path / "damaged.xlsx", member, damage)
    result = workbook.read(path)
    [err] = result.problems.errors
    assert result.datasets == []
    if member.startswith("xl/worksheets/"):  # a damaged sheet is named, with where
        assert err.file == str(path) and err.message == "damaged sheet: its XML cannot be read"
        assert (err.sheet, err.cell.split(" line ")[0]) == ("2022", member)
        assert err.found.startswith("ParseError: ") and "save it again" in err.action
    else:
        assert err.file == str(path)
        assert err.message.startswith(f"the workbook cannot be opened ({found}")
        assert err.action == "download or save the file again as .xlsx"
