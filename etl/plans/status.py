"""The four official task statuses and the two reporting periods, matched tolerantly."""

from __future__ import annotations

from etl.plans.text import fold

STATUSES: dict[str, tuple[str, str]] = {
    "done_on_time": ("Hoàn thành đúng hạn", "Done on time"),
    "done_late": ("Hoàn thành quá hạn", "Done late"),
    "in_progress": ("Đang thực hiện trong hạn", "In progress, within deadline"),
    "overdue": ("Quá hạn chưa hoàn thành", "Overdue, not done"),
}
PERIODS: dict[str, tuple[str, str]] = {
    "H1": ("6 tháng đầu năm", "First half-year"),
    "FY": ("Cả năm", "Full year"),
}
_STATUS_KEYS = {fold(k): code for code, names in STATUSES.items() for k in (code, *names)}
_PERIOD_KEYS = {fold(k): code for code, names in PERIODS.items() for k in (code, *names)}
_PERIOD_KEYS |= {"6 thang": "H1", "6 thang dau nam": "H1", "nam": "FY", "ca nam": "FY",
                 "12 thang": "FY", "h1": "H1", "fy": "FY"}


def status_code(value: object) -> str | None:
    """'done_on_time' … for any spelling of the four labels (case, accents, NFD), else None."""
    if value is None:
        return None
    return _STATUS_KEYS.get(fold(str(value)).strip(" ."))


def period_code(value: object) -> str | None:
    """'H1' or 'FY' for '6 tháng đầu năm' / 'Cả năm' (tolerant), else None."""
    if value is None:
        return None
    return _PERIOD_KEYS.get(fold(str(value)).strip(" ."))


STATUS_LABELS = [v[0] for v in STATUSES.values()]
PERIOD_LABELS = [v[0] for v in PERIODS.values()]
