"""Reporting workbook a department fills in: one row per plan action, validated fill-in cells."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from etl.plans.dimensions import dimension_name
from etl.plans.model import Plan
from etl.plans.status import PERIOD_LABELS, STATUS_LABELS
from etl.plans.template_layout import (  # noqa: F401 - the layout, also read from here
    COL,
    COL_V1,
    COLUMNS,
    FIRST_ROW,
    FORMAT_VERSION,
    HEADER_ROW,
    LABEL,
    MARKER,
    META_SHEET,
    REPORT_SHEET,
    columns_for,
)
from etl.text import neutralise

INSTRUCTIONS = [
    ("HƯỚNG DẪN ĐIỀN BÁO CÁO", "HOW TO FILL IN THIS REPORT"),
    ("1. Mỗi dòng ở trang 'Báo cáo' là một nhiệm vụ của kế hoạch; không sửa các cột A–G "
     "(cột G là hạn hoàn thành theo kế hoạch).",
     "Each row of sheet 'Báo cáo' is one action of the plan; do not change columns A–G "
     "(G is the plan's due date)."),
    ("2. Chọn kỳ báo cáo: '6 tháng đầu năm' hoặc 'Cả năm'.",
     "Pick the reporting period: first half-year or full year."),
    ("3. Chọn tình trạng từ danh sách (4 giá trị chính thức): " + "; ".join(STATUS_LABELS) + ".",
     "Pick the status from the list (the four official values)."),
    ("4. '% hoàn thành' là số nguyên từ 0 đến 100 (không ghi dấu %).",
     "'% done' is a whole number from 0 to 100 (no % sign)."),
    ("5. Ghi kết quả, minh chứng (số văn bản, đường dẫn…) và ghi chú nếu có.",
     "Write the result and evidence (document numbers, links…) and notes if any."),
    ("6. Ngày báo cáo ghi theo dạng ngày/tháng/năm, ví dụ 15/07/2024.",
     "Report date as day/month/year, e.g. 15/07/2024."),
    ("7. Các cột có dấu (*) là bắt buộc với dòng đã báo cáo; dòng để trống = chưa báo cáo.",
     "Columns marked (*) are required on a reported row; an empty row = not reported."),
    ("8. Trang tính được khóa (không mật khẩu) để bảo vệ nội dung kế hoạch; chỉ ô cần điền mở.",
     "The sheet is protected (no password) to keep the plan text intact; only fill-in cells "
     "are open."),
]
_HEAD_FILL = PatternFill("solid", fgColor="1F4E79")
_FILL_IN = PatternFill("solid", fgColor="FFF2CC")
_THIN = Side(style="thin", color="A6A6A6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def write_template(plan: Plan, out_path: str | Path, year: int | None = None) -> Path:
    """Write the .xlsx a department fills in for `plan` (report year defaults to plan.year)."""
    out = Path(out_path)
    year = year or plan.year
    wb = Workbook()
    _instructions(wb.active, plan)
    ws = wb.create_sheet(REPORT_SHEET)
    _header_block(ws, plan, year)
    _rows(ws, plan)
    _validations(ws, FIRST_ROW, FIRST_ROW + max(len(plan.actions), 1) - 1)
    ws.freeze_panes = f"D{FIRST_ROW}"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    _meta(wb, plan, year)
    wb.active = 1
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _instructions(ws, plan: Plan) -> None:
    ws.title = "Hướng dẫn"
    ws.column_dimensions["A"].width = 110
    r = 1
    for vi, en in INSTRUCTIONS:
        ws.cell(r, 1, vi).font = Font(bold=r == 1, size=13 if r == 1 else 11)
        ws.cell(r + 1, 1, en).font = Font(italic=True, color="595959")
        r += 3 if r == 1 else 2
    ws.cell(r + 1, 1, f"Kế hoạch / Plan: {plan.number or '(chưa có số)'} — {plan.agency or ''}")
    for row in ws.iter_rows():
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.protection.sheet = True


def _header_block(ws, plan: Plan, year: int | None) -> None:
    ws["A1"] = "BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH NÂNG CAO CHỈ SỐ PAPI / PAPI PLAN PROGRESS REPORT"
    ws["A1"].font = Font(bold=True, size=13)
    items = [("Kế hoạch số / Plan number", plan.number or "(chưa có số / no number)"),
             ("Cơ quan / Agency", plan.agency or ""),
             ("Năm báo cáo / Report year", year),
             ("Mã kế hoạch / Plan ID", plan.plan_id)]
    for i, (label, value) in enumerate(items, start=2):
        ws.cell(i, 1, label).font = Font(bold=True)
        ws.cell(i, 2, neutralise(value))
        ws.merge_cells(start_row=i, start_column=2, end_row=i, end_column=4)
    for _key, letter, vi, en, width, _ in COLUMNS:
        c = ws[f"{letter}{HEADER_ROW}"]
        c.value = f"{vi}\n{en}"
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = _HEAD_FILL
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        c.border = _BOX
        ws.column_dimensions[letter].width = width
    ws.row_dimensions[HEADER_ROW].height = 45


def _rows(ws, plan: Plan) -> None:
    for i, a in enumerate(plan.actions):
        r = FIRST_ROW + i
        values = {"action_id": plan.action_id(a), "dimension_code": a.dimension,
                  "dimension_name": dimension_name(a.dimension), "text": a.text,
                  "lead_units": "; ".join(a.lead_units),
                  "coordinating_units": "; ".join(a.coordinating_units),
                  "due": _due_cell(a)}
        for key, letter, *_, fill_in in COLUMNS:
            c = ws[f"{letter}{r}"]
            c.value = neutralise(values.get(key))
            c.alignment = Alignment(wrap_text=True, vertical="top")
            c.border = _BOX
            if fill_in:
                c.protection = Protection(locked=False)
                c.fill = _FILL_IN
        ws[f"{COL['reported_on']}{r}"].number_format = "dd/mm/yyyy"
        ws[f"{COL['due']}{r}"].number_format = "dd/mm/yyyy"
        ws[f"{COL['percent_done']}{r}"].number_format = "0"


def _due_cell(a) -> object:
    """The due date as a date cell, 'Thường xuyên' for ongoing tasks, blank when none."""
    if a.due is None:
        return None
    return a.due.on if a.due.on else "Thường xuyên"


def _validations(ws, first: int, last: int) -> None:
    def add(dv: DataValidation, key: str) -> None:
        dv.error, dv.errorTitle = dv.error or "Giá trị không hợp lệ", "PAPI"
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
        dv.add(f"{COL[key]}{first}:{COL[key]}{last}")

    add(DataValidation(type="list", formula1='"' + ",".join(PERIOD_LABELS) + '"',
                       allow_blank=True), "period")
    add(DataValidation(type="list", formula1='"' + ",".join(STATUS_LABELS) + '"',
                       allow_blank=True, error="Chọn một trong 4 tình trạng chính thức"),
        "status")
    add(DataValidation(type="whole", operator="between", formula1="0", formula2="100",
                       allow_blank=True, error="Số nguyên từ 0 đến 100 / whole number 0–100"),
        "percent_done")
    add(DataValidation(type="date", operator="between", formula1="DATE(2010,1,1)",
                       formula2="DATE(2100,12,31)", allow_blank=True,
                       error="Ngày dạng dd/mm/yyyy / a date dd/mm/yyyy"), "reported_on")


def _meta(wb: Workbook, plan: Plan, year: int | None) -> None:
    ws = wb.create_sheet(META_SHEET)
    rows = [("marker", MARKER), ("format_version", FORMAT_VERSION), ("plan_id", plan.plan_id),
            ("plan_number", plan.number), ("agency", plan.agency), ("year", year),
            ("province_code", plan.province_code), ("sheet", REPORT_SHEET),
            ("header_row", HEADER_ROW), ("first_row", FIRST_ROW),
            ("n_actions", len(plan.actions)),
            ("plan_issued_on", plan.issued_on.isoformat() if plan.issued_on else None),
            ("plan_fingerprint", plan.fingerprint[:12])]
    for i, (k, v) in enumerate(rows, start=1):
        ws.cell(i, 1, k)
        ws.cell(i, 2, neutralise(v))
    for i, a in enumerate(plan.actions, start=len(rows) + 2):
        ws.cell(i, 1, "action_id")
        ws.cell(i, 2, plan.action_id(a))
        ws.cell(i, 3, a.fingerprint)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    wb.defined_names["PAPI_REPORT_MARKER"] = DefinedName(
        "PAPI_REPORT_MARKER", attr_text=f"'{META_SHEET}'!$B$1")
    wb.defined_names["PAPI_PLAN_ID"] = DefinedName("PAPI_PLAN_ID", attr_text=f"'{META_SHEET}'!$B$3")
