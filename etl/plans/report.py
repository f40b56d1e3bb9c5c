"""Read a filled reporting workbook: recognise the template, type, check and match every row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import cast

from openpyxl import load_workbook

from etl.plans.model import Plan, text_fingerprint
from etl.plans.status import (
    PERIOD_LABELS,
    STATUS_LABELS,
    STATUSES,
    computed_status,
    period_code,
    status_code,
)
from etl.plans.template import (
    COLUMNS,
    FIRST_ROW,
    MARKER,
    META_SHEET,
    REPORT_SHEET,
    columns_for,
)
from etl.problems import Problem

_HEADS = {key: f"{vi} / {en}" for key, _, vi, en, *_ in COLUMNS}

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
    reported_status: str = ""
    warning: str | None = None
    matched_by: str = "id"


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
        prints: dict[str, str] = {}
        for k, v, fp, *_ in wb[META_SHEET].iter_rows(min_col=1, max_col=3, values_only=True):
            if k == "action_id" and v:
                if fp:
                    prints[str(v)] = str(fp)
            elif k:
                meta[str(k)] = v
        meta["fingerprints"] = prints
        return meta if meta.get("marker") == MARKER else None
    finally:
        wb.close()


def _whole(v: object) -> int:
    """int(v) for a metadata cell: the template writes numbers, read back as int, float or text."""
    if not isinstance(v, int | float | str):
        raise TypeError(f"int() argument must be a string or a real number, not {type(v).__name__!r}")
    return int(v)


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


def read_report(path: Path, meta: dict[str, object], plan: Plan, today: date) -> Report:
    """Every filled row typed, checked and matched to the plan's action by id AND fingerprint;
    rows with errors are refused with a Problem each naming the cell."""
    rep = Report(path, meta)
    sheet = str(meta.get("sheet") or REPORT_SHEET)
    year = _whole(meta["year"]) if meta.get("year") else 0
    first = _whole(meta.get("first_row") or FIRST_ROW)
    col = columns_for(meta.get("format_version"))
    values = load_workbook(path, data_only=True)
    formulas = load_workbook(path, data_only=False)
    if sheet not in values.sheetnames:
        rep.problems.append(Problem(str(path), f"Thiếu trang '{sheet}' / sheet missing",
                                    found=", ".join(values.sheetnames), allowed=sheet))
        return rep
    ws, wf = values[sheet], formulas[sheet]
    ctx = _Ctx(rep, sheet, col, plan, today, year)
    last = used_rows(ws, wf)
    for r in range(first, last + 1):
        cells = {k: ws[f"{c}{r}"].value for k, c in col.items()}
        pending = [k for k in FILL_KEYS if cells[k] is None and isinstance(
            wf[f"{col[k]}{r}"].value, str) and str(wf[f"{col[k]}{r}"].value).startswith("=")]
        if all(_text(cells[k]) is None for k in FILL_KEYS) and not pending:
            continue
        rep.raw.append({"row_number": r, **{k: _text(v) for k, v in cells.items()}})
        for k in pending:
            ctx.err(r, k, "ô chứa công thức chưa có kết quả được lưu (tệp chưa được Excel tính "
                    "lại) / a formula with no saved result", wf[f"{col[k]}{r}"].value,
                    "một giá trị (không dùng công thức), hoặc mở tệp bằng Excel rồi lưu lại / "
                    "a plain value, or open and save the file in Excel")
        row = _check_row(ctx, r, cells, pending)
        if row is None:
            rep.n_refused += 1
        else:
            rep.rows.append(row)
    if not rep.raw:
        rep.problems.append(Problem(
            str(path), "Báo cáo chưa điền dòng nào (mẫu trống) / the report has no filled row "
            "(blank template)", "warning", sheet=sheet,
            cell=f"{col['period']}{first}:{col['reported_on']}{max(last, first)}",
            action="Điền kỳ, tình trạng và ngày báo cáo rồi gửi lại / fill in and resend"))
    return rep


def used_rows(*sheets) -> int:
    """The last row holding a value (or a formula) in any of the sheets: the used range from the
    data, not from the formatting (ws.max_row counts a styled empty cell at row 1,048,576, and
    reading up to it took minutes)."""
    return max((r for ws in sheets for (r, _), cell in ws._cells.items()  # noqa: SLF001
                if cell.value is not None and cell.value != ""), default=0)


class _Ctx:
    """What checking one row needs: the report, its columns, the plan and today."""

    def __init__(self, rep: Report, sheet: str, col: dict[str, str], plan: Plan, today: date,
                 year: int) -> None:
        self.rep, self.sheet, self.col, self.plan, self.today, self.year = (
            rep, sheet, col, plan, today, year)
        self.by_id = {plan.action_id(a): a for a in plan.actions}
        self.by_print: dict[str, list] = {}
        for a in plan.actions:
            self.by_print.setdefault(a.fingerprint, []).append(a)
        # report_meta() stores the action_id → fingerprint pairs of the metadata sheet there
        self.prints: dict[str, str] = dict(cast("dict[str, str]", rep.meta.get("fingerprints") or {}))
        self.errors = 0

    def err(self, r: int, key: str, what: str, found: object, allowed: str,
            severity: str = "error") -> None:
        self.errors += severity == "error"
        c = self.col[key]
        self.rep.problems.append(Problem(
            str(self.rep.path), f"Dòng {r}, cột {c} ({_HEADS[key]}): {what}", severity,
            sheet=self.sheet, cell=f"{c}{r}", found=None if found is None else str(found),
            allowed=allowed,
            action="Sửa ô này rồi gửi lại báo cáo / correct this cell and resend the report"))

    def match(self, r: int, action_id: str | None, text: object):
        """(plan action, how) for the row's id and fingerprint, or None (an error is logged)."""
        if action_id is None:
            self.err(r, "action_id", "thiếu mã nhiệm vụ / action id missing", None,
                     "mã nhiệm vụ in sẵn trong mẫu / the prefilled action id")
            return None
        printed = self.prints.get(action_id) or (text_fingerprint(str(text)) if text else None)
        plan_no = f"{self.plan.number or self.plan.plan_id}" + (
            f" ngày {self.plan.issued_on:%d/%m/%Y}" if self.plan.issued_on else "")
        action = self.by_id.get(action_id)
        if action is not None and (printed is None or printed == action.fingerprint):
            return action, "id"
        same = self.by_print.get(printed or "", []) if action_id in self.prints else []
        if len(same) == 1:
            new_id = self.plan.action_id(same[0])
            self.err(r, "action_id", f"mẫu lập theo phiên bản khác của kế hoạch; dòng được ghép "
                     f"theo nội dung nhiệm vụ với {new_id} của kế hoạch {plan_no} / matched by "
                     f"text to {new_id}", action_id, new_id, severity="warning")
            return same[0], "text"
        if (moved := self.plan.changed_from.get(printed or "")) is not None:
            new_id = self.plan.action_id(moved)  # rewritten in a later version: kept, warned
            self.err(r, "action_id", f"nhiệm vụ đã được sửa trong kế hoạch {plan_no}; dòng được "
                     f"ghép với {new_id} (nay là: {moved.text[:60]}) / the action was rewritten "
                     f"in a later version; matched to {new_id}", action_id, new_id,
                     severity="warning")
            return moved, "text"
        if action is None:
            self.err(r, "action_id", "mã nhiệm vụ không có trong kế hoạch / unknown action id",
                     action_id, f"mã nhiệm vụ của kế hoạch {self.rep.plan_id} / an action id of "
                     f"plan {self.rep.plan_id}")
            return None
        shown = str(text)[:60] if text else printed
        self.err(r, "action_id", f"nội dung nhiệm vụ {action_id} trong báo cáo khác nhiệm vụ "
                 f"{action_id} của kế hoạch hiện hành {plan_no} (báo cáo lập theo phiên bản cũ "
                 f"của kế hoạch) / the report was made from an older version of the plan",
                 shown, action.text[:60])
        return None


def _check_row(ctx: _Ctx, r: int, cells: dict[str, object],
               pending: list[str]) -> ReportRow | None:
    ctx.errors = len(pending)
    matched = ctx.match(r, _text(cells["action_id"]), cells["text"])
    period = period_code(cells["period"])
    if period is None and "period" not in pending:
        ctx.err(r, "period", "kỳ báo cáo trống hoặc không hợp lệ / reporting period missing or "
                "unknown", _text(cells["period"]), " hoặc ".join(f"'{p}'" for p in PERIOD_LABELS))
    status = status_code(cells["status"])
    if status is None and "status" not in pending:
        what = "tình trạng không hợp lệ / unknown status" if _text(cells["status"]) else \
            "thiếu tình trạng / status missing"
        ctx.err(r, "status", what, _text(cells["status"]), "; ".join(STATUS_LABELS))
    pct = _percent(cells["percent_done"])
    if pct == "bad" and "percent_done" not in pending:
        ctx.err(r, "percent_done", "tỷ lệ hoàn thành phải là số nguyên từ 0 đến 100 / % done "
                "must be a whole number from 0 to 100", cells["percent_done"],
                "số nguyên 0–100 / 0–100")
    reported = _reported(ctx, r, cells["reported_on"], "reported_on" in pending)
    if ctx.errors or matched is None or period is None or status is None or reported is None:
        return None
    action, how = matched
    if status in ("done_on_time", "done_late") and isinstance(pct, int) and pct < 100:
        ctx.err(r, "percent_done", "đã hoàn thành nhưng % < 100 / done but % below 100 (loaded "
                "as is)", pct, "100", severity="warning")
    due_on = action.due.on if action.due else None
    computed = computed_status(status, due_on, reported)
    warning = None
    if computed != status:
        warning = (f"Báo cáo ghi '{STATUSES[status][0]}' nhưng theo hạn {due_on:%d/%m/%Y} và ngày "
                   f"báo cáo {reported:%d/%m/%Y} là '{STATUSES[computed][0]}' / typed status "
                   f"differs from the one computed from the due date")
        ctx.err(r, "status", warning, STATUSES[status][0], STATUSES[computed][0],
                severity="warning")
    return ReportRow(ctx.plan.action_id(action), ctx.year, period, computed,
                     pct if isinstance(pct, int) else None, _text(cells["result"]),
                     _text(cells["notes"]), reported, ctx.sheet, r, status, warning, how)


def _reported(ctx: _Ctx, r: int, value: object, pending: bool) -> date | None:
    reported = _date(value)
    if reported is None:
        if not pending:
            ctx.err(r, "reported_on", "thiếu ngày báo cáo / report date missing", None,
                    DATE_ALLOWED)
        return None
    if isinstance(reported, str):  # 'bad', the only text _date() returns
        ctx.err(r, "reported_on", "ngày báo cáo không có thật / impossible or unreadable date",
                value, DATE_ALLOWED)
        return None
    low = ctx.plan.issued_on
    if (low and reported < low) or reported > ctx.today:
        span = f"{low:%d/%m/%Y}" if low else "…"
        ctx.err(r, "reported_on", "ngày báo cáo nằm ngoài khoảng từ ngày ban hành kế hoạch đến "
                "hôm nay / report date before the plan was issued or in the future",
                f"{reported:%d/%m/%Y}", f"từ {span} đến {ctx.today:%d/%m/%Y}")
        return None
    return reported


_ROWS = """
    SELECT action_id, year, period, loaded_seq, source_file, sheet, row_number, reported_on,
           status_code, percent_done, result, notes
    FROM mart.action_status
    WHERE (action_id, year, period) IN (
        SELECT (action_id, year, period) FROM mart.action_status GROUP BY ALL
        HAVING count(DISTINCT (status_code, percent_done, result, notes)) > 1)
    ORDER BY action_id, year, period, loaded_seq"""


def settle_conflicts(con, problems) -> None:
    """Reports of one action and period that disagree (status, %, result or notes), after
    is_latest was marked by date: each such group is an error naming every file and row. The
    latest report date wins (what --keep-going loads); when the reports of that latest date
    disagree among themselves, none of them is marked latest: a conflict shown, never decided
    by the order or the names of the files."""
    groups: dict[tuple, list[tuple]] = {}
    for row in con.execute(_ROWS).fetchall():
        groups.setdefault(row[:3], []).append(row[3:])
    for (action_id, year, period), rows in groups.items():
        last = max(r[4] for r in rows)
        top = [r for r in rows if r[4] == last]
        content = {r[5:] for r in top}
        where = "; ".join(_where(r) for r in sorted(rows, key=lambda r: (r[4], r[1], r[3]),
                                                    reverse=True))
        head = f"Nhiệm vụ {action_id}, kỳ {period} năm {year}: các báo cáo khác nhau"
        if len(content) > 1:
            con.execute("UPDATE mart.action_status SET is_latest = FALSE WHERE action_id = ? "
                        "AND year = ? AND period = ?", [action_id, year, period])
            problems.error(
                top[-1][1], f"{head} cùng ngày {last:%d/%m/%Y}, không chọn báo cáo nào: {where} / "
                f"reports of the same date disagree: none is used (never decided by file name)",
                sheet=top[-1][2], cell=f"row {top[-1][3]}", found=" ≠ ".join(STATUSES[r[5]][0] for r in top),
                action="Giữ một báo cáo đúng, sửa hoặc bỏ báo cáo kia rồi chạy lại / keep the "
                       "right report, correct or remove the other, and run again")
            continue
        winner = min((r for r in top), key=lambda r: r[0])
        con.execute("UPDATE mart.action_status SET is_latest = (loaded_seq = ?) WHERE "
                    "action_id = ? AND year = ? AND period = ?",
                    [winner[0], action_id, year, period])
        problems.error(
            winner[1], f"{head}: {where}; với --keep-going dùng báo cáo có ngày mới nhất "
            f"({Path(winner[1]).name} dòng {winner[3]}) / reports disagree; with --keep-going "
            "the latest report date is used",
            sheet=winner[2], cell=f"row {winner[3]}", found=STATUSES[winner[5]][0],
            action="Bỏ báo cáo cũ khỏi thư mục đầu vào hoặc sửa cho khớp, rồi chạy lại / remove "
                   "the older report from the input folder or make them agree, and run again")


def _where(r: tuple) -> str:
    """'<file> › <sheet> dòng <row> (<date>, <status>[, <%>%])' of one report row."""
    pct = f", {r[7]}%" if r[7] is not None else ""
    return (f"{Path(r[1]).name} › {r[2]} dòng {r[3]} ({r[4]:%d/%m/%Y}, "
            f"{STATUSES[r[5]][0]}{pct})")
