"""Read a filled reporting workbook: recognise the template, type and check every row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook

from etl.plans.status import PERIOD_LABELS, STATUS_LABELS, period_code, status_code
from etl.plans.template import COL, FIRST_ROW, LABEL, MARKER, META_SHEET, REPORT_SHEET
from etl.problems import Problem

FILL_KEYS = ("period", "status", "percent_done", "result", "notes", "reported_on")
DATE_ALLOWED = "một ngày có thật dạng dd/mm/yyyy, ví dụ 15/07/2024 / a real date dd/mm/yyyy"


@dataclass
class ReportRow:
    action_id: str
    year: int
    period: str
    status_code: str
    percent_done: int | None
    result: str | None
    notes: str | None
    reported_on: date
    sheet: str
    row_number: int


@dataclass
class Report:
    path: Path
    meta: dict[str, object]
    rows: list[ReportRow] = field(default_factory=list)
    raw: list[dict[str, object]] = field(default_factory=list)  # cells as read, as text
    problems: list[Problem] = field(default_factory=list)
    n_refused: int = 0

    @property
    def plan_id(self) -> str:
        return str(self.meta.get("plan_id") or "")


def report_meta(path: Path) -> dict[str, object] | None:
    """The template's metadata if `path` is one of our report workbooks, else None."""
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — any unreadable workbook is simply not ours
        return None
    try:
        if META_SHEET not in wb.sheetnames:
            return None
        meta: dict[str, object] = {}
        for k, v, *_ in wb[META_SHEET].iter_rows(min_col=1, max_col=2, values_only=True):
            if k and k != "action_id":
                meta[str(k)] = v
        return meta if meta.get("marker") == MARKER else None
    finally:
        wb.close()


def _text(v: object) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def _date(v: object) -> date | None | str:
    """A date, None when blank, or the string 'bad' when it is no real date."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, int | float) and not isinstance(v, bool) and 20000 < v < 80000:
        return date(1899, 12, 30) + timedelta(days=int(v))
    s = str(v).strip()
    m = re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})", s)
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", s)
    try:
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    except ValueError:
        return "bad"
    return "bad"


def _percent(v: object) -> int | None | str:
    """Whole number 0–100, None when blank, 'bad' otherwise."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, str):
        s = v.strip().rstrip("%").strip().replace(",", ".")
        try:
            v = float(s)
        except ValueError:
            return "bad"
    if isinstance(v, bool) or not isinstance(v, int | float):
        return "bad"
    if float(v) != int(v) or not 0 <= v <= 100:
        return "bad"
    return int(v)


def read_report(path: Path, meta: dict[str, object], known_actions: set[str]) -> Report:
    """Every filled row typed and checked; rows with errors are refused with a Problem each."""
    rep = Report(path, meta)
    sheet = str(meta.get("sheet") or REPORT_SHEET)
    year = int(meta["year"]) if meta.get("year") else 0
    first = int(meta.get("first_row") or FIRST_ROW)
    wb = load_workbook(path, data_only=True)
    if sheet not in wb.sheetnames:
        rep.problems.append(Problem(str(path), f"Thiếu trang '{sheet}' / sheet missing",
                                    found=", ".join(wb.sheetnames), allowed=sheet))
        return rep
    ws = wb[sheet]
    for r in range(first, ws.max_row + 1):
        cells = {k: ws[f"{c}{r}"].value for k, c in COL.items()}
        if all(_text(cells[k]) is None for k in FILL_KEYS):
            continue
        rep.raw.append({"row_number": r, **{k: _text(v) for k, v in cells.items()}})
        row = _check_row(rep, sheet, r, cells, year, known_actions)
        if row is None:
            rep.n_refused += 1
        else:
            rep.rows.append(row)
    return rep


def _check_row(rep: Report, sheet: str, r: int, cells: dict[str, object], year: int,
               known: set[str]) -> ReportRow | None:
    errors = 0

    def err(key: str, what: str, found: object, allowed: str, severity: str = "error") -> None:
        nonlocal errors
        errors += severity == "error"
        col = COL[key]
        rep.problems.append(Problem(
            str(rep.path), f"Dòng {r}, cột {col} ({LABEL[key]}): {what}", severity, sheet=sheet,
            cell=f"{col}{r}", found=None if found is None else str(found), allowed=allowed,
            action="Sửa ô này rồi gửi lại báo cáo / correct this cell and resend the report"))

    action_id = _text(cells["action_id"])
    if action_id is None:
        err("action_id", "thiếu mã nhiệm vụ / action id missing", None,
            "mã nhiệm vụ in sẵn trong mẫu / the prefilled action id")
    elif action_id not in known:
        err("action_id", "mã nhiệm vụ không có trong kế hoạch / unknown action id", action_id,
            f"mã nhiệm vụ của kế hoạch {rep.plan_id} / an action id of plan {rep.plan_id}")
    period = period_code(cells["period"])
    if period is None:
        err("period", "kỳ báo cáo trống hoặc không hợp lệ / reporting period missing or unknown",
            _text(cells["period"]), " hoặc ".join(f"'{p}'" for p in PERIOD_LABELS))
    status = status_code(cells["status"])
    if status is None:
        what = "tình trạng không hợp lệ / unknown status" if _text(cells["status"]) else \
            "thiếu tình trạng / status missing"
        err("status", what, _text(cells["status"]), "; ".join(STATUS_LABELS))
    pct = _percent(cells["percent_done"])
    if pct == "bad":
        err("percent_done", "tỷ lệ hoàn thành phải là số nguyên từ 0 đến 100 / % done must be a "
            "whole number from 0 to 100", cells["percent_done"], "số nguyên 0–100 / 0–100")
    reported = _date(cells["reported_on"])
    if reported is None:
        err("reported_on", "thiếu ngày báo cáo / report date missing", None, DATE_ALLOWED)
    elif reported == "bad":
        err("reported_on", "ngày báo cáo không có thật / impossible or unreadable date",
            cells["reported_on"], DATE_ALLOWED)
    if errors:
        return None
    if status in ("done_on_time", "done_late") and isinstance(pct, int) and pct < 100:
        err("percent_done", "đã hoàn thành nhưng % < 100 / done but % below 100 (loaded as is)",
            pct, "100", severity="warning")
    return ReportRow(action_id, year, period, status, pct if isinstance(pct, int) else None,
                     _text(cells["result"]), _text(cells["notes"]), reported, sheet, r)
