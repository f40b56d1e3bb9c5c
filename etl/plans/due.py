"""Due dates written in plans: '30/6/2026', 'Tháng 6/2026', 'Quý II/2026', 'Năm 2026', 'Thường xuyên'."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from etl.plans.text import fold

_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# All patterns work on folded text (no accents); each is linear (no nested quantifiers).
_DMY = re.compile(r"\b(\d{1,2})\s{0,2}[/.\-]\s{0,2}(\d{1,2})\s{0,2}[/.\-]\s{0,2}(\d{4})\b")
_NGAY = re.compile(r"\bngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})\b")
_QUARTER = re.compile(r"\bquy (iv|iii|ii|i|[1-4])\s{0,2}(?:/|nam)\s{0,2}(\d{4})\b")
_MONTH = re.compile(r"\bthang (\d{1,2})\s{0,2}(?:/|nam)\s{0,2}(\d{4})\b")
_HALF = re.compile(r"\b(6 thang dau nam|6 thang cuoi nam)\s{0,2}(?:/|nam)?\s{0,2}(\d{4})?")
_YEAR = re.compile(r"\bnam (\d{4})\b")
_ONGOING = re.compile(r"\b(thuong xuyen|hang nam|hang quy|hang thang|lien tuc|dinh ky)\b")
# Phrases that introduce a task's own deadline inside its text.
DUE_LABEL = re.compile(
    r"(?:thời gian|thời hạn)(?:\s+hoàn thành|\s+thực hiện)?\s*:\s*|hoàn thành trước\s+|"
    r"\btrước ngày\s+|\btrước\s+(?=(?:tháng|quý|ngày|\d))", re.IGNORECASE)


@dataclass(frozen=True)
class Due:
    on: date | None
    text: str
    ongoing: bool = False

    def to_json(self) -> dict:
        return {"on": self.on.isoformat() if self.on else None, "text": self.text,
                "ongoing": self.ongoing}


def _end_of_month(y: int, m: int) -> date | None:
    if not 1 <= m <= 12:
        return None
    return date(y, m, calendar.monthrange(y, m)[1])


def parse_due(text: str | None, default_year: int | None = None) -> Due | None:
    """The deadline a phrase names (the last day it allows), None when it names none.

    'Trước 30/6/2026' and '30/6/2026' → 30/06/2026; 'Tháng 6/2026' → 30/06/2026;
    'Quý II/2026' → 30/06/2026; '6 tháng đầu năm 2026' → 30/06/2026; 'Năm 2026' → 31/12/2026;
    'Thường xuyên' → ongoing (no date, unless a date is also given).
    """
    if not text or not text.strip():
        return None
    raw = re.sub(r"\s+", " ", text.strip())[:300].strip(" .;")
    f = fold(raw)
    on: date | None = None
    for rx in (_DMY, _NGAY):
        if m := rx.search(f):
            try:
                on = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                on = None
            break
    if on is None and (m := _QUARTER.search(f)):
        on = _end_of_month(int(m.group(2)), 3 * _ROMAN_Q[m.group(1)])
    if on is None and (m := _MONTH.search(f)):
        on = _end_of_month(int(m.group(2)), int(m.group(1)))
    if on is None and (m := _HALF.search(f)) and (m.group(2) or default_year):
        y = int(m.group(2) or default_year)
        on = date(y, 6, 30) if "dau" in m.group(1) else date(y, 12, 31)
    if on is None and (m := _YEAR.search(f)):
        on = date(int(m.group(1)), 12, 31)
    ongoing = bool(_ONGOING.search(f))
    if on is None and not ongoing:
        return None
    return Due(on, raw, ongoing and on is None)


def split_due(text: str) -> tuple[str, Due | None]:
    """A task's text without its trailing deadline phrase, and that deadline."""
    for m in DUE_LABEL.finditer(text):  # the first label whose short remainder is a deadline
        rest = text[m.end():]
        if len(rest) <= 80 and (due := parse_due(rest)) is not None:
            return text[: m.start()].rstrip(" ,;.–-("), due
    m = re.search(r"[(,;–-]\s*(thường xuyên|hằng năm|hàng năm)\s*\)?\s*[.;]?$", text,
                  re.IGNORECASE)
    if m:
        return text[: m.start()].rstrip(" ,;.–-("), Due(None, m.group(1), True)
    return text, None
