"""Oracle copy (main at 030f37d) of etl/readers/cells.py: Parsing score cells: numbers, 'not published' markers, and text that is neither."""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from openpyxl.utils import get_column_letter

# Markers the publisher and clerks use for "no data": KCDL = không có dữ liệu.
NOT_PUBLISHED_MARKERS = {
    "", "kcdl", "-", "–", "—", "n/a", "na", "nan", "…", "...", "x", "không công bố",
    "không có dữ liệu", "not published", "no data", "#n/a",
}
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


def cell_ref(row_index: int, col_index: int) -> str:
    """Excel address from 0-based row and column indexes."""
    return f"{get_column_letter(col_index + 1)}{row_index + 1}"


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
