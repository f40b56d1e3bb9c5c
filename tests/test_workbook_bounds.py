"""Issue 21, item 4: bounded reading of workbooks. The used range comes from the data, not the
formatting (a styled empty cell at row 1,048,576 costs nothing); the expanded shared strings,
each XML part and the cells read have a bound, each with a message naming the file; every bound
has a test at the bound (one under it reads, one over it is refused). The hostile files are
built here with zipfile."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl.worksheet.worksheet import Worksheet

from etl.plans.parse import parse_plan
from etl.plans.report import read_report, report_meta
from etl.plans.template import write_template
from etl.problems import InputError
from etl.readers import bounds, workbook
from etl.readers.xml_scan import sheet_parts
from etl.steps.warehouse import build
from tests.test_plan_step import FIX, H1, fill
from tests.warehouse_query import q


def _patch(src: Path, dst: Path, edit) -> Path:
    """A copy of the zip `src` with each member's bytes passed through edit(name, data)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, edit(info.filename, zin.read(info.filename)))
    return dst


def _far_styled_cell(sheet_part: str):
    def edit(name: str, data: bytes) -> bytes:
        if name != sheet_part:
            return data
        data = data.replace(b"</sheetData>",
                            b'<row r="1048576"><c r="M1048576" s="1"/></row></sheetData>')
        return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data)
    return edit


def test_report_with_a_styled_empty_cell_at_row_1048576_reads_only_its_data(tmp_path,
                                                                            monkeypatch) -> None:
    plan = parse_plan(FIX / "general_all8.txt")
    tpl = write_template(plan, tmp_path / "tpl.xlsx")
    filled = fill(tpl, tmp_path / "filled.xlsx",
                  {8: [H1, "Hoàn thành đúng hạn", 100, None, None, "15/07/2023"]})
    with zipfile.ZipFile(filled) as z:
        part = sheet_parts(z)["Báo cáo"]
    far = _patch(filled, tmp_path / "far.xlsx", _far_styled_cell(part))
    # Cells looked at are counted: the old loop went through 1,048,568 rows × 13 columns.
    seen = {"n": 0}
    original = Worksheet.__getitem__

    def counting(self, key):
        seen["n"] += 1
        if seen["n"] > 10_000:
            raise AssertionError("the report reader walks the formatted range, not the data")
        return original(self, key)

    monkeypatch.setattr(Worksheet, "__getitem__", counting)
    meta = report_meta(far)
    assert meta is not None
    rep = read_report(far, meta, plan, date(2024, 1, 1))
    assert [(r.row_number, r.status_code) for r in rep.rows] == [(8, "done_on_time")]
    assert rep.problems == [] or all(p.severity != "error" for p in rep.problems)


def _book(path: Path, n_values: int, text: str = "chỉ số") -> Path:
    """A workbook with one sheet: `n_values` cells holding a value, half of them text (in the
    shared strings, as Excel writes them)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Ghi chú")
    for i in range(n_values):
        ws.write(i // 4, i % 4, f"{text} {i}" if i % 2 else i)
    wb.close()
    return path


def _sizes(path: Path) -> tuple[int, int]:
    """(expanded bytes of the shared strings, largest expanded XML part)."""
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        strings = next(i.file_size for i in infos if i.filename.endswith("sharedStrings.xml"))
        return strings, max(i.file_size for i in infos if i.filename.endswith(".xml"))


def _refused(path: Path) -> list[tuple[str, str | None, str]]:
    return [(Path(p.file).name, p.cell, p.message) for p in workbook.read(path).problems.errors]


@pytest.mark.parametrize("bound", ["MAX_CELLS", "MAX_SHARED_STRINGS", "MAX_PART"])
def test_each_bound_reads_at_the_bound_and_refuses_past_it(tmp_path, monkeypatch, bound) -> None:
    path = _book(tmp_path / "ghi_chu.xlsx", 40)
    strings, part = _sizes(path)
    at = {"MAX_CELLS": 40, "MAX_SHARED_STRINGS": strings, "MAX_PART": part}[bound]
    monkeypatch.setattr(bounds, bound, at)
    assert _refused(path) == []  # at the bound: read (a sheet of notes: nothing to load)
    monkeypatch.setattr(bounds, bound, at - 1)
    [(name, cell, message)] = _refused(path)
    assert name == "ghi_chu.xlsx" and message.endswith("the workbook is not read")
    if bound == "MAX_CELLS":
        assert cell == "xl/worksheets/sheet1.xml" and "more than 39 cells" in message
    elif bound == "MAX_SHARED_STRINGS":
        assert cell == "xl/sharedStrings.xml" and "shared strings expand" in message
    else:
        assert "expand to more than" in message


def _bomb(path: Path, expanded_mb: int) -> Path:
    """A small .xlsx whose shared strings expand to `expanded_mb` MB (streamed, never in memory):
    a score sheet of three cells pointing at the first strings."""
    import xlsxwriter

    base = tmp = path.with_suffix(".base.xlsx")
    wb = xlsxwriter.Workbook(str(base))
    ws = wb.add_worksheet("2023")
    ws.write(0, 0, "Tỉnh")
    ws.write(0, 1, "D1")
    wb.close()
    with zipfile.ZipFile(tmp) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if not info.filename.endswith("sharedStrings.xml"):
                zout.writestr(info.filename, zin.read(info.filename))
        with zout.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                    b'openxmlformats.org/spreadsheetml/2006/main"><si><t>T\xe1\xbb\x89nh</t>'
                    b"</si><si><t>D1</t></si>")
            block = b"<si><t>" + b"a" * 1000 + b"</t></si>"
            for _ in range(expanded_mb):
                f.write(block * 1040)
            f.write(b"</sst>")
    base.unlink()
    return path


def test_shared_strings_bomb_is_refused_naming_the_file(tmp_path) -> None:
    (tmp_path / "in").mkdir()
    path = _bomb(tmp_path / "in" / "bom.xlsx", 200)
    assert path.stat().st_size < 1_000_000
    [(name, cell, message)] = _refused(path)
    assert (name, cell) == ("bom.xlsx", "xl/sharedStrings.xml")
    assert message.startswith("the workbook's shared strings expand to more than 64 MB")
    with pytest.raises(InputError) as err:  # the whole build: refused, not hung
        build([tmp_path / "in"], tmp_path / "w.duckdb", progress=False)
    assert [(Path(p.file).name, p.cell) for p in err.value.problems] == [
        ("bom.xlsx", "xl/sharedStrings.xml")]
    db = build([tmp_path / "in"], tmp_path / "kg.duckdb", progress=False, keep_going=True)
    assert q(db, "SELECT status FROM meta.source_file") == [("refused",)]
