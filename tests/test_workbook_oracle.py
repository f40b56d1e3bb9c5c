"""The workbook readers against their previous implementation (tests/reference/old_workbook):
the same observations, skipped sheets and problems, on the real workbooks and on the reliability
corpus's workbooks (formulas without a value, text cells, damaged or empty files …)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import astuple
from pathlib import Path

import openpyxl
import pytest

from etl.readers import workbook, xml_scan
from etl.readers.base import ReadResult
from tests.reference.old_workbook import workbook as old_workbook
from tests.reference.old_workbook import xml_scan as old_xml_scan
from tests.reliability import corpus as C
from tests.test_workbook_loader import _rewrite, cells_workbook


def observed(result: ReadResult) -> dict[str, object]:
    """Everything a reader hands the build, as plain values (classes of both sides differ)."""
    return {
        "datasets": [(ds.file, ds.sheet, ds.year, ds.layout, ds.vintage, ds.refused,
                      [astuple(o) for o in ds.observations]) for ds in result.datasets],
        "skipped": list(result.skipped_sheets),
        "problems": [astuple(p) for p in result.problems.items],
        "rows_read": result.rows_read,
    }


def assert_same(path: Path) -> dict[str, object]:
    new, old = observed(workbook.read(path)), observed(old_workbook.read(path))
    for key in old:
        assert new[key] == old[key], f"{path.name}: {key} differ"
    return new


@pytest.mark.shared
@pytest.mark.parametrize("name", ["PAPI-2015-2023.xlsm", "PAPI_2011-2016.xlsx"])
def test_real_workbooks_read_as_before(shared: Path, name: str) -> None:
    got = assert_same(shared / "papi" / "official" / name)
    n = sum(len(d[-1]) for d in got["datasets"])  # type: ignore[attr-defined]
    assert n > 10_000  # the comparison saw the real observations, not two empty results


def _two(make: Callable[[Path], tuple[Path, Path]]) -> Callable[[Path], list[Path]]:
    return lambda folder: list(make(folder))


CORPUS: dict[str, Callable[[Path], list[Path]]] = {
    "columns": lambda d: [C.columns_workbook(d / "columns.xlsx")],
    "columns_2015": lambda d: [C.columns_workbook(d / "columns_2015.xlsx", year=2015)],
    "formula": lambda d: [C.formula_workbook(d)],
    "unknown_province_name": lambda d: [C.unknown_province_name_workbook(d)],
    "text_cell": lambda d: [C.text_cell_workbook(d)],
    "out_of_scale": lambda d: [C.out_of_scale_workbook(d)],
    "truncated": lambda d: [C.truncated_workbook(d)],
    "empty": lambda d: [C.empty_workbook_file(d)],
    "disagreeing": _two(C.disagreeing_sources),
    "copied_year": lambda d: [p for p in C.copied_year_workbook(d) if p.suffix == ".xlsx"],
    "damaged_sheet": lambda d: [C.damaged_sheet_workbook(d)],
    "indicators": lambda d: [C.indicator_workbook(d)],
    "cells": lambda d: [cells_workbook(d)],
}


@pytest.mark.parametrize("case", list(CORPUS))
def test_corpus_workbooks_read_as_before(tmp_path: Path, case: str) -> None:
    paths = [p for p in CORPUS[case](tmp_path) if p.suffix.lower() in (".xlsx", ".xlsm")]
    assert paths
    for path in paths:
        assert_same(path)


def shared_formulas_book(tmp_path: Path, with_values: bool) -> Path:
    """A sheet of shared formulas (a master and its copies), saved with or without results,
    plus an error cell and a formula cell whose <f> is not directly followed by its <v>."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2022"
    ws.append([1, 2, 3, 4])
    ws.append(["=A1*2", "=B1*2", "=C1*2", "=D1*2"])
    ws.append(["x", "y", "=1/0", "=A2+1"])
    src = tmp_path / "src.xlsx"
    wb.save(src)

    def patch(xml: bytes) -> bytes:
        xml = xml.replace(b'<c r="A2"><f>A1*2</f><v></v></c>',
                          b'<c r="A2"><f t="shared" ref="A2:D2" si="0">A1*2</f>'
                          + (b"<v>2</v>" if with_values else b"") + b"</c>")
        for col, v in zip("BCD", (4, 6, 8), strict=True):
            xml = re.sub(rb'<c r="' + col.encode() + rb'2"><f>[^<]*</f><v></v></c>',
                         b'<c r="' + col.encode() + b'2"><f t="shared" si="0"/>'
                         + (b"<v>%d</v>" % v if with_values else b"<v> </v>") + b"</c>", xml)
        xml = xml.replace(b'<c r="C3"><f>1/0</f><v></v></c>',
                          b'<c r="C3" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
        return xml.replace(b'<c r="D3"><f>A2+1</f><v></v></c>',
                           b'<c r="D3"><f>A2+1</f>\n  <v>3</v></c>')

    return _rewrite(src, tmp_path / f"shared_{with_values}.xlsx", "xl/worksheets/sheet1.xml",
                    patch)


@pytest.mark.parametrize("with_values", [True, False])
def test_formula_scan_as_before(tmp_path: Path, with_values: bool) -> None:
    path = shared_formulas_book(tmp_path, with_values)
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml")
    assert xml.count(b'<f t="shared" si="0"/>') == 3 and b"<v>#DIV/0!</v>" in xml  # patched
    new, old = xml_scan.scan(path), old_xml_scan.scan(path)
    assert new == old
    assert [type(v).__name__ for cells in new.values() for _, _, v in cells] == \
        [type(v).__name__ for cells in old.values() for _, _, v in cells]
    found = {(i, j): v for i, j, v in new.get("2022", [])}
    assert found[(2, 2)] == "#DIV/0!"
    if with_values:
        assert set(found) == {(2, 2)}
    else:  # the copies translated from their master, as openpyxl does
        assert [found[(1, j)] for j in range(4)] == ["=A1*2", "=B1*2", "=C1*2", "=D1*2"]
    assert_same(path)
