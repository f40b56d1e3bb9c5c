"""Parsing score cells: numbers, 'not published' markers, and text that is neither."""

from __future__ import annotations

import math
import re
from typing import NamedTuple

# Markers the publisher and clerks use for "no data": KCDL = không có dữ liệu.
NOT_PUBLISHED_MARKERS = {
    "", "kcdl", "-", "–", "—", "n/a", "na", "nan", "…", "...", "x", "không công bố",
    "không có dữ liệu", "not published", "no data", "#n/a",
}
_NONE = type(None)
_FLOAT, _INT_FLOAT, _BLANK_INT_FLOAT = {float}, {float, int}, {float, int, _NONE}
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)(e[+-]?\d+)?$", re.IGNORECASE)


class FormulaWithoutValue(str):
    """A formula cell saved without a computed result (its text is the formula)."""


class Parsed(NamedTuple):
    value: float | None
    status: str  # published | not_published | invalid
    raw: str = ""


def parse_number(cell: object) -> Parsed:
    """A cell as a score: number → published; empty or marker → not_published; else invalid."""
    if type(cell) is float:  # the common case first (a NamedTuple is cheap to build)
        if cell - cell == 0:  # neither NaN nor ±inf
            return Parsed(cell, "published", repr(cell))
        return Parsed(None, "not_published", str(cell))
    if isinstance(cell, FormulaWithoutValue):
        return Parsed(None, "invalid", str(cell))
    if cell is None:
        return Parsed(None, "not_published", "")
    if isinstance(cell, bool):
        return Parsed(None, "invalid", str(cell))
    if isinstance(cell, int | float):
        if isinstance(cell, float) and (math.isnan(cell) or math.isinf(cell)):
            return Parsed(None, "not_published", str(cell))
        return Parsed(float(cell), "published", repr(cell))
    text = str(cell).strip().replace("\u00a0", "")
    if text.lower() in NOT_PUBLISHED_MARKERS:
        return Parsed(None, "not_published", text)
    compact = text.replace(" ", "")
    if _NUMBER.match(compact):
        return Parsed(float(compact.replace(",", ".")), "published", text)
    return Parsed(None, "invalid", text)


def number_row(values: list, blanks: bool = True
               ) -> tuple[list, list[str] | None, list[str | None] | None] | None:
    """(values, statuses, raws) of a row of cells as parse_number reads them when each is a
    finite float, an int, or (with `blanks`) empty; statuses None when all are published, raws
    None when each is repr(value). None when any cell needs parse_number."""
    kinds = set(map(type, values))
    if not kinds <= (_BLANK_INT_FLOAT if blanks else _INT_FLOAT):
        return None
    if _NONE in kinds:
        total = sum([v for v in values if v is not None])
        if total - total != 0:  # a NaN or ±inf: judged per cell
            return None
        return ([None if v is None else float(v) for v in values],
                ["not_published" if v is None else "published" for v in values],
                ["" if v is None else None if type(v) is float else repr(v) for v in values])
    total = sum(values)
    if not kinds or total - total != 0:  # a NaN or ±inf (or a sum overflowing to inf)
        return None
    if kinds == _FLOAT:
        return values, None, None
    return ([float(v) for v in values], None,
            [None if type(v) is float else repr(v) for v in values])  # an int keeps its text


def column_letters(col_index: int) -> str:
    """Excel column letters from a 0-based column index (0 → A, 26 → AA), as openpyxl's
    get_column_letter gives them, without importing openpyxl."""
    letters = ""
    n = col_index + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def cell_ref(row_index: int, col_index: int) -> str:
    """Excel address from 0-based row and column indexes."""
    return f"{column_letters(col_index)}{row_index + 1}"


def invalid_message(parsed: Parsed) -> dict[str, str]:
    """The problem's texts (message, allowed, what to do; English and Vietnamese) for a score
    cell that is not a number."""
    texts = {"allowed": "a number, or empty / KCDL if not published",
             "allowed_vi": "một số, hoặc để trống / KCDL nếu không công bố"}
    if parsed.raw.startswith("="):
        return {**texts, "message": "formula without a saved result",
                "message_vi": "công thức chưa được tính (chưa lưu kết quả)",
                "action": "open the file in Excel, let it calculate, and save it again",
                "action_vi": "mở tệp bằng Excel, để Excel tính xong rồi lưu lại"}
    return {**texts, "message": "text in a number cell", "message_vi": "ô số lại chứa chữ",
            "action": "correct the cell or leave it empty",
            "action_vi": "sửa ô cho đúng hoặc để trống"}
