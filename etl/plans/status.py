"""The four official task statuses and the two reporting periods, matched tolerantly."""

from __future__ import annotations

import os
from datetime import date

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


DONE = ("done_on_time", "done_late")
DUE_SOON_DAYS = 7
OVERDUE_UNREPORTED = ("quá hạn, chưa báo cáo", "overdue, not reported")
DUE_SOON = ("sắp đến hạn", "due soon")


def as_of() -> date:
    """Today, or the day in env PAPI_TODAY (yyyy-mm-dd or dd/mm/yyyy) for reproducible builds."""
    value = os.environ.get("PAPI_TODAY", "").strip()
    if not value:
        return date.today()
    if "/" in value:
        d, m, y = value.split("/")
        return date(int(y), int(m), int(d))
    return date.fromisoformat(value)


def standing_sql(code: str, due: str, day: str, *, unreported: str = "NULL") -> str:
    """The one definition of a task's standing on a day, as SQL (every mart and page reads
    its result): done stays done; not done and past its due date on `day` is overdue,
    whatever was typed and whether anything was reported; otherwise the reported status, or
    `unreported` where nothing was. Due on `day` itself is not past."""
    return (f"CASE WHEN {code} IN ('done_on_time', 'done_late') THEN {code} "
            f"WHEN {due} IS NOT NULL AND {day} > {due} THEN 'overdue' "
            f"ELSE coalesce({code}, {unreported}) END")


def computed_status(typed: str, due_on: date | None, reported_on: date) -> str:
    """The official status from the due date, the report and its date (typed one if no due).

    Done by the due date → done_on_time, done after → done_late; not done with the due date
    not passed on the report date → in_progress, passed → overdue. Due today is not passed.
    """
    if due_on is None:
        return typed
    if typed in DONE:
        return "done_on_time" if reported_on <= due_on else "done_late"
    return "in_progress" if reported_on <= due_on else "overdue"


def standing(status: str | None, due_on: date | None, today: date) -> tuple[str | None, str | None]:
    """(status as of today, flag): unreported past due → ('overdue', 'overdue_unreported');
    in progress past due → 'overdue'; not done and due within 7 days → flag 'due_soon'."""
    passed = due_on is not None and today > due_on
    if status in DONE:
        return status, None
    if passed:
        return "overdue", ("overdue_unreported" if status is None else None)
    soon = due_on is not None and (due_on - today).days <= DUE_SOON_DAYS
    return status, ("due_soon" if soon else None)
