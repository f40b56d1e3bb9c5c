"""Read a PAPI score workbook (.xlsx/.xlsm): each year sheet in whichever layout it has."""

from __future__ import annotations

import re
import warnings
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from types import ModuleType
from xml.etree import ElementTree as ET

from python_calamine import CalamineError

from etl.readers import bounds, columns_layout, prefetch, rows_layout, xml_scan
from etl.readers.base import ReadResult
from etl.readers.cells import FormulaWithoutValue

# why a sheet is not read (an info line of the build), and its Vietnamese
EMPTY_SHEET = "empty sheet"
NO_LAYOUT = "no PAPI scores in a known layout (not a data sheet)"
NO_VALUES = "no values could be read"
SKIP_REASONS_VI = {
    EMPTY_SHEET: "trang trống",
    NO_LAYOUT: "không có điểm PAPI theo bố cục đã biết (không phải trang số liệu)",
    NO_VALUES: "không đọc được giá trị nào",
}
_YEAR = re.compile(r"(?<!\d)(20[1-9]\d)(?!\d)")


def sheet_year(name: str, rows: list[tuple]) -> int | None:
    """The survey year of a sheet: from its name, else from a 'PAPI 20xx' title in its labels."""
    if m := _YEAR.search(name):
        return int(m.group(1))
    for row in rows[:5]:
        for cell in row[:3]:
            if isinstance(cell, str) and "PAPI" in cell and (m := _YEAR.search(cell)):
                return int(m.group(1))
    return None


def _cell(value: object) -> object:
    """A calamine value as openpyxl gives it: '' → None, whole floats → int, date → datetime."""
    if value == "":
        return None
    if type(value) is float:
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if type(value) is date:
        return datetime.combine(value, time())
    return value


def _sheets(path: Path, ahead: prefetch.Opened | None = None) -> dict[str, list[tuple]]:
    """Every worksheet's cached cell values (python-calamine), from A1, trailing blanks trimmed;
    `ahead`: the sheets already parsed (etl.readers.prefetch)."""
    raw = ahead.raw_sheets() if ahead is not None else prefetch.raw_sheets(path)
    # _cell inlined for the common text and number cells (one call per cell is slow)
    return {name: [tuple([(c or None) if type(c) is str else
                          (int(c) if c.is_integer() and abs(c) < 2**53 else c)
                          if type(c) is float else _cell(c) for c in row])
                   for row in rows]
            for name, rows in raw.items()}


def _openpyxl_rows(path: Path, _kept: object = None, _ahead: object = None
                   ) -> dict[str, list[tuple]]:
    """The previous loader (two full openpyxl passes), for the rare file whose cells lack r=
    (called as load_rows is: the kept XML and the sheets read ahead are not used)."""
    import openpyxl  # only for this rare file: not loaded by an ordinary build

    def sheets(data_only: bool) -> dict[str, list[tuple]]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about the VBA part of .xlsm files
            wb = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
        try:
            return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)]
                    for ws in wb.worksheets}
        finally:
            wb.close()

    values, formulas = sheets(True), sheets(False)
    for name, rows in values.items():
        frows = formulas[name]
        for i, row in enumerate(rows):
            frow = frows[i] if i < len(frows) else ()
            rows[i] = tuple(FormulaWithoutValue(f) if v is None and isinstance(f, str)
                            and f.startswith("=") else v
                            for v, f in zip(row, frow + (None,) * len(row), strict=False))
    return values


def load_rows(path: Path, kept: dict[str, bytes] | None = None,
              ahead: prefetch.Opened | None = None) -> dict[str, list[tuple]]:
    """Cell values as Excel last computed them. A formula that was never computed (saved by a
    program that does not calculate) has no value: it becomes a FormulaWithoutValue, which the
    readers refuse, instead of an empty cell that would read as 'not published'. Error values
    (#N/A, #DIV/0!) stay their text, as openpyxl reads them. `kept`: the sheets' XML as
    bounds.check_keeping expanded it; `ahead`: the workbook read ahead (etl.readers.prefetch)."""
    try:
        special = xml_scan.scan(path, kept)
    except xml_scan.NoCellAddress:
        return _openpyxl_rows(path)
    values = _sheets(path, ahead)
    for name, cells in special.items():
        rows = values.get(name)
        if rows is None:
            continue
        for i, j, value in cells:
            while len(rows) <= i:
                rows.append(())
            row = rows[i] + (None,) * (j + 1 - len(rows[i]))
            if row[j] is None:
                rows[i] = row[:j] + (value,) + row[j + 1:]
    return values


def read(path: Path) -> ReadResult:
    whole = prefetch.read_whole(path)  # read by a child meanwhile (`papi etl` on Linux)
    if whole is not None:
        return whole
    result = ReadResult()
    try:
        # streamed first: a zip bomb or millions of cells are never loaded; the sheets' XML kept
        ahead = prefetch.take(path)
        kept = ahead.checked() if ahead is not None else bounds.check_keeping(path)
        sheets = load_rows(path, kept, ahead)
    except bounds.TooLarge as exc:
        result.problems.add(exc.problem)
        return result
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, CalamineError,
            ET.ParseError) as exc:  # bounds.TooLarge, a ValueError, is caught above
        damaged = xml_scan.damaged_sheet_problem(path)
        if damaged is not None:  # the damaged sheet and where, not the reader's symptom
            result.problems.add(damaged)
            return result
        result.problems.error(path, f"the workbook cannot be opened ({type(exc).__name__}: {exc})",
                              action="download or save the file again as .xlsx",
                              message_vi=f"không mở được sổ tính ({type(exc).__name__}: {exc})",
                              action_vi="tải lại hoặc lưu lại tệp dưới dạng .xlsx")
        return result
    for name, rows in sheets.items():
        if not rows or not any(any(c is not None for c in r) for r in rows):
            result.skipped_sheets.append((name, EMPTY_SHEET))
            continue
        width = max(len(r) for r in rows)
        rows = [r if len(r) == width else tuple(r) + (None,) * (width - len(r)) for r in rows]
        year = sheet_year(name, rows)
        reader: ModuleType  # columns_layout or rows_layout: the same read() signature
        if columns_layout.looks_like(rows):
            reader = columns_layout
        elif year and rows_layout.looks_like(rows, year):
            reader = rows_layout
        else:
            result.skipped_sheets.append((name, NO_LAYOUT))
            continue
        if year is None:
            result.problems.error(path, "cannot tell the survey year of this sheet", sheet=name,
                                  action="name the sheet after its year, e.g. '2023'",
                                  message_vi="không xác định được năm khảo sát của trang này",
                                  action_vi="đặt tên trang theo năm, ví dụ '2023'")
            continue
        ds = reader.read(rows, path, name, year, result.problems)
        if ds.cols:
            result.datasets.append(ds)
        else:
            result.skipped_sheets.append((name, NO_VALUES))
    return result
