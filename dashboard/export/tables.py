"""DataFrames to .xlsx (with a header block) and UTF-8-BOM CSV, safe from formula injection."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from dashboard import fmt
from dashboard.i18n import source_line, t
from etl.text import neutralise  # one rule for every file we write, plans templates included


@dataclass
class TableMeta:
    """What the header block of an exported table says."""

    title: str
    province: str | None = None
    year: int | None = None
    lang: str = "vi"
    source: str | None = None
    generated: date = field(default_factory=date.today)
    demo: bool | None = None  # add the 'Dữ liệu minh họa' line (default: fmt.is_demo())

    @classmethod
    def of(cls, meta: TableMeta | Mapping[str, Any] | None, default_title: str) -> TableMeta:
        """Accept a TableMeta, a plain dict of its fields, or nothing."""
        if isinstance(meta, TableMeta):
            return meta
        data = dict(meta or {})
        data.setdefault("title", default_title)
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def _cell_value(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # numpy scalar -> python
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    return neutralise(value)


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and column names are neutralised; numbers keep their type."""
    out = df.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(_cell_value)
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with BOM (Excel then shows Vietnamese), formula-safe, dates dd/mm/yyyy."""
    out = safe_frame(df)
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, date | datetime)).any():
            out[col] = out[col].map(lambda v: fmt.date(v) if isinstance(v, date | datetime)
                                    else v)
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def header_lines(meta: TableMeta) -> list[tuple[str, Any]]:
    """The header block rows: title, province, year, generated date, source."""
    lab = {k: t(f"tbl_{k}", meta.lang) for k in ("province", "year", "generated")}
    rows: list[tuple[str, Any]] = [(meta.title, None)]
    if meta.province:
        rows.append((lab["province"], meta.province))
    if meta.year:
        rows.append((lab["year"], meta.year))
    rows.append((lab["generated"], meta.generated.strftime("%d/%m/%Y")))
    rows.append((meta.source or source_line(meta.lang, meta.year), None))
    if fmt.is_demo() if meta.demo is None else meta.demo:
        rows.append((fmt.DEMO_MARK, None))
    return rows


_DECIMAL = {"vi": re.compile(r"^([+-]?\d{1,3}(?:\.\d{3})*|[+-]?\d+),(\d+)(%?)$"),
            "en": re.compile(r"^([+-]?\d{1,3}(?:,\d{3})*|[+-]?\d+)\.(\d+)(%?)$")}


def as_number(value: Any, lang: str = "vi") -> tuple[Any, str | None]:
    """A cell value and its Excel number format: floats get '#,##0.00'; text that is a number
    formatted by dashboard.fmt ('47,82', '85,6%') becomes that number again, so a sheet never
    holds numbers as text. Anything else is returned as is, with no format."""
    if isinstance(value, bool):
        return value, None
    if isinstance(value, float):
        return value, fmt.excel_number_format(2)
    if isinstance(value, date | datetime):
        return value, fmt.EXCEL_DATE
    if isinstance(value, str):
        m = _DECIMAL["en" if lang == "en" else "vi"].match(value.strip().removeprefix("'"))
        if m:
            thousands = "," if lang == "en" else "."
            number = float(m.group(1).replace(thousands, "") + "." + m.group(2))
            digits = len(m.group(2))
            if m.group(3):
                return number / 100, fmt.excel_percent_format(digits)
            return number, fmt.excel_number_format(digits)
    return value, None


def to_xlsx_bytes(
    df: pd.DataFrame, meta: TableMeta | Mapping[str, Any] | None = None, sheet: str = "PAPI"
) -> bytes:
    """An .xlsx with a header block then the table; text never becomes a formula."""
    m = TableMeta.of(meta, default_title=sheet)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    for r, (label, value) in enumerate(header_lines(m), start=1):
        a = ws.cell(row=r, column=1, value=neutralise(label))
        a.data_type = "s"
        if value is not None:
            b = ws.cell(row=r, column=2, value=neutralise(value))
            if isinstance(b.value, str):
                b.data_type = "s"
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    start = len(header_lines(m)) + 2
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    for c, name in enumerate(df.columns, start=1):
        cell = ws.cell(row=start, column=c, value=neutralise(str(name)))
        cell.data_type, cell.font, cell.fill = "s", bold, fill
    for r, row in enumerate(df.itertuples(index=False), start=start + 1):
        for c, value in enumerate(row, start=1):
            number, number_format = as_number(_cell_value(value), m.lang)
            cell = ws.cell(row=r, column=c, value=number)
            if number_format:
                cell.number_format = number_format
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
    for c, name in enumerate(df.columns, start=1):
        width = max([len(str(name))] + [len(str(v)) for v in df.iloc[:200, c - 1]])
        ws.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 10), 60)
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
