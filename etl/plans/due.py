"""Due dates written in plans: '30/6/2026', 'Tháng 6/2026', 'Quý II/2026', 'Năm 2026', 'Thường xuyên'."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from etl.plans.text import fold

_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_Q = r"(iv|iii|ii|i|v|vi|[1-9])"  # v, vi, 5… are read to be reported as impossible
_YR = r"\s{0,2}(?:/|nam)\s{0,2}(\d{4})"
# All patterns work on folded text (no accents); each is linear (no nested quantifiers).
_DMY = re.compile(r"\b(\d{1,2})\s{0,2}[/.\-]\s{0,2}(\d{1,2})\s{0,2}[/.\-]\s{0,2}(\d{4})\b")
_NGAY = re.compile(r"\bngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})\b")
_QUARTER = re.compile(rf"\bquy {_Q}{_YR}\b")
_MONTH = re.compile(rf"\bthang (\d{{1,2}}){_YR}\b")
# Ranges end at their end: 'Tháng 3 - 6/2026', 'Quý III đến Quý IV/2026', 'Quý III - IV/2026'.
_MONTH_RANGE = re.compile(rf"\bthang (\d{{1,2}})\s{{0,2}}(?:-|–|den)\s{{0,2}}(?:thang\s)?"
                          rf"(\d{{1,2}}){_YR}\b")
_QUARTER_RANGE = re.compile(rf"\bquy {_Q}\s{{0,2}}(?:-|–|den)\s{{0,2}}(?:quy\s)?{_Q}{_YR}\b")
_HALF = re.compile(r"\b(6 thang dau nam|6 thang cuoi nam)\s{0,2}(?:/|nam)?\s{0,2}(\d{4})?")
_YEAR = re.compile(r"\bnam (\d{4})\b")
# Without a year (the plan's year is meant): '30/6', 'Quý II', 'Tháng 6', 'Trước 30/11'.
_DM = re.compile(r"(?<![\d/.\-])(\d{1,2})\s{0,2}/\s{0,2}(\d{1,2})\b(?!\s{0,2}[/.\-]\s{0,2}\d)")
_QUARTER_NY = re.compile(r"\bquy (iv|iii|ii|i|[1-4])\b(?!\s{0,2}(?:/|nam|-|–|den))")
_MONTH_NY = re.compile(r"\bthang (\d{1,2})\b(?!\s{0,2}(?:/|nam|-|–|den))")
_ONGOING = re.compile(r"\b(thuong xuyen|hang nam|hang quy|hang thang|lien tuc|dinh ky)\b")
# Phrases that introduce a task's own deadline inside its text.
DUE_LABEL = re.compile(
    r"(?:thời gian|thời hạn)(?:\s+hoàn thành|\s+thực hiện)?\s*:\s*|hoàn thành trước\s+|"
    r"\btrước ngày\s+|\btrước\s+(?=(?:tháng|quý|ngày|\d))|"
    r"\b(?:hoàn thành|thực hiện)\s+trong\s+(?=(?:tháng|quý|năm|\d|6 tháng))", re.IGNORECASE)


@dataclass(frozen=True)
class Due:
    on: date | None
    text: str
    ongoing: bool = False
    invalid: bool = False  # the phrase names an impossible date ('31/2/2026', 'Quý V/2026')

    def to_json(self) -> dict:
        return {"on": self.on.isoformat() if self.on else None, "text": self.text,
                "ongoing": self.ongoing}


def _end_of_month(y: int, m: int) -> date | None:
    if not 1 <= m <= 12:
        return None
    return date(y, m, calendar.monthrange(y, m)[1])


def _quarter_end(q: str, y: int) -> date | None:
    n = _ROMAN_Q.get(q)
    return _end_of_month(y, 3 * n) if n else None


def _day(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _last_if_all_real(ends: list[date | None]) -> tuple[date | None, bool]:
    """(the last of the dates if every one is real, whether one is impossible)."""
    real = [d for d in ends if d is not None]
    return (max(real) if len(real) == len(ends) else None), len(real) < len(ends)


def _dated(f: str, year: int | None) -> tuple[date | None, bool]:
    """(the date the folded phrase names, whether it names an impossible one)."""
    if m := _MONTH_RANGE.search(f):
        on = _end_of_month(int(m.group(3)), int(m.group(2)))
        return on, on is None
    if m := _QUARTER_RANGE.search(f):
        on = _quarter_end(m.group(2), int(m.group(3)))
        return on, on is None
    for rx in (_DMY, _NGAY):
        found = [_day(int(m.group(3)), int(m.group(2)), int(m.group(1))) for m in rx.finditer(f)]
        if found:  # a range '01/3/2026 - 30/6/2026' ends at its last date
            ok = [d for d in found if d]
            return (max(ok) if ok else None), len(ok) < len(found)
    if found := [_quarter_end(m.group(1), int(m.group(2))) for m in _QUARTER.finditer(f)]:
        return _last_if_all_real(found)
    if found := [_end_of_month(int(m.group(2)), int(m.group(1))) for m in _MONTH.finditer(f)]:
        return _last_if_all_real(found)
    if (m := _HALF.search(f)) and (half_year := m.group(2) or year):
        y = int(half_year)
        return (date(y, 6, 30) if "dau" in m.group(1) else date(y, 12, 31)), False
    if m := _YEAR.search(f):
        return date(int(m.group(1)), 12, 31), False
    if year is None:
        return None, False
    if m := _DM.search(f):
        on = _day(year, int(m.group(2)), int(m.group(1)))
        return on, on is None
    if m := _QUARTER_NY.search(f):
        on = _quarter_end(m.group(1), year)
        return on, on is None
    if m := _MONTH_NY.search(f):
        on = _end_of_month(year, int(m.group(1)))
        return on, on is None
    return None, False


def parse_due(text: str | None, default_year: int | None = None) -> Due | None:
    """The deadline a phrase names (the last day it allows), None when it names none.

    'Trước 30/6/2026' and '30/6/2026' → 30/06/2026; 'Tháng 6/2026' → 30/06/2026;
    'Quý II/2026' → 30/06/2026; '6 tháng đầu năm 2026' → 30/06/2026; 'Năm 2026' → 31/12/2026;
    'Thường xuyên' → ongoing (no date, unless a date is also given); a range ends at its end;
    without a year ('30/6', 'Quý II') `default_year` is meant; '31/2/2026' → invalid.
    """
    if not text or not text.strip():
        return None
    raw = re.sub(r"\s+", " ", text.strip())[:300].strip(" .;")
    f = fold(raw)
    on, invalid = _dated(f, default_year)
    ongoing = bool(_ONGOING.search(f))
    if on is None and not ongoing and not invalid:
        return None
    return Due(on, raw, ongoing and on is None, invalid)


def split_due(text: str, year: int | None = None) -> tuple[str, Due | None]:
    """A task's text without its trailing deadline phrase, and that deadline."""
    for label in DUE_LABEL.finditer(text):  # the first label whose short remainder is a deadline
        rest = text[label.end():]
        if len(rest) <= 80 and (due := parse_due(_label_phrase(label.group(0), rest), year)):
            return text[: label.start()].rstrip(" ,;.–-("), due
    m = re.search(r"[(,;–-]\s*(thường xuyên|hằng năm|hàng năm)\s*\)?\s*[.;]?$", text,
                  re.IGNORECASE)
    if m:
        return text[: m.start()].rstrip(" ,;.–-("), Due(None, m.group(1), True)
    return text, None


def _label_phrase(label: str, rest: str) -> str:
    """'trước 30/11' keeps its 'trước'; 'Thời gian hoàn thành: ' is dropped."""
    return rest if ":" in label else label + rest
