"""The correction sheet a person fills ('papi plan review FILE'): one row per action, doubtful
rows first, pre-filled with what was read; dropped into the inputs, the build applies it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from etl.plans.corrections import COLUMNS, KIND_VI, Correction, from_row
from etl.plans.dimensions import dimension_name
from etl.plans.model import Action, Plan
from etl.problems import Problem
from etl.text import neutralise

MARKER = "papi-plan-corrections"
SHEET = "Hiệu chỉnh"
META = "_papi_corrections"
HEADER_ROW = 4
# (key, header, width, a person may change it)
LAYOUT = [("plan_id", "Mã kế hoạch", 20, False), ("fingerprint", "Mã nhận dạng (không sửa)", 14,
          False), ("seq", "STT", 5, False), ("text", "Nhiệm vụ", 60, False),
          ("doubts", "Nghi vấn của máy đọc", 36, False), ("dimension", "Lĩnh vực (D1…D8)", 12,
          True), ("lead_units", "Đơn vị chủ trì (cách nhau bởi ;)", 28, True),
          ("coordinating_units", "Đơn vị phối hợp (cách nhau bởi ;)", 28, True),
          ("deadline", "Hạn hoàn thành (dd/mm/yyyy, Quý II/2026, thường xuyên)", 18, True),
          ("kind", "Loại hiệu chỉnh", 22, True), ("note", "Ghi chú", 24, True)]
EXTRA_ROWS = 10  # blank rows for actions the reader missed ('nhiệm vụ bổ sung')
_FILL = PatternFill("solid", fgColor="FFF2CC")
_DOUBT = PatternFill("solid", fgColor="F8CBAD")


def _deadline(a: Action) -> str:
    if a.due is None:
        return ""
    if a.due.on:
        return a.due.on.strftime("%d/%m/%Y")
    return "thường xuyên" if a.due.ongoing else a.due.text


def write_review(plan: Plan, out: str | Path) -> Path:
    """The pre-filled correction sheet of `plan` (doubtful actions first)."""
    out = Path(out)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = (f"HIỆU CHỈNH KẾT QUẢ ĐỌC KẾ HOẠCH {plan.number or plan.plan_id} — "
                f"{plan.agency or ''}")
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = ("Sửa trực tiếp các ô màu vàng (lĩnh vực, đơn vị, hạn); dòng không phải nhiệm vụ: "
                "chọn 'không phải nhiệm vụ'; nhiệm vụ bị bỏ sót: ghi vào dòng trống cuối bảng, "
                "chọn 'nhiệm vụ bổ sung'; dòng đã xem và đúng: 'đã kiểm tra, đúng'. Lưu và đặt "
                "tệp vào thư mục đầu vào; lần nạp dữ liệu sau sẽ áp dụng.")
    ws["A2"].alignment = Alignment(wrap_text=True)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(LAYOUT))
    ws.row_dimensions[2].height = 45
    for j, (_, head, width, _) in enumerate(LAYOUT, start=1):
        c = ws.cell(HEADER_ROW, j, head)
        c.font = Font(bold=True)
        c.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[c.column_letter].width = width
    actions = sorted(plan.actions, key=lambda a: (not a.doubts, a.seq))
    r = HEADER_ROW
    for r, a in enumerate(actions, start=HEADER_ROW + 1):
        values = {"plan_id": plan.plan_id, "fingerprint": a.fingerprint, "seq": a.seq,
                  "text": a.text, "doubts": "; ".join(a.doubts), "dimension": a.dimension,
                  "lead_units": "; ".join(a.lead_units),
                  "coordinating_units": "; ".join(a.coordinating_units),
                  "deadline": _deadline(a), "kind": "", "note": dimension_name(a.dimension)}
        _row(ws, r, values, doubtful=bool(a.doubts))
    for n in range(EXTRA_ROWS):
        _row(ws, r + 1 + n, {"plan_id": plan.plan_id}, doubtful=False)
    dv = DataValidation(type="list", formula1='"' + ",".join(KIND_VI.values()) + '"',
                        allow_blank=True)
    ws.add_data_validation(dv)
    kind_col = ws.cell(HEADER_ROW, [k for k, *_ in LAYOUT].index("kind") + 1).column_letter
    dv.add(f"{kind_col}{HEADER_ROW + 1}:{kind_col}{r + EXTRA_ROWS}")
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 5)
    meta = wb.create_sheet(META)
    for i, (k, v) in enumerate([("marker", MARKER), ("plan_id", plan.plan_id),
                                ("plan_fingerprint", plan.fingerprint[:12])], start=1):
        meta.cell(i, 1, k)
        meta.cell(i, 2, v)
    meta.sheet_state = "hidden"
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _row(ws, r: int, values: dict, doubtful: bool) -> None:
    for j, (key, _, _, editable) in enumerate(LAYOUT, start=1):
        c = ws.cell(r, j, neutralise(values.get(key)))
        c.alignment = Alignment(wrap_text=True, vertical="top")
        if editable or (key == "text" and not values.get("fingerprint")):
            c.fill = _FILL
            c.protection = Protection(locked=False)
        elif key == "doubts" and doubtful:
            c.fill = _DOUBT


def is_review(path: Path) -> bool:
    """Is `path` a correction sheet written by write_review?"""
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook is simply not ours
        return False
    try:
        return META in wb.sheetnames and wb[META]["B1"].value == MARKER
    finally:
        wb.close()


def read_review(path: Path) -> tuple[list[Correction], list[Problem]]:
    """The corrections of a filled sheet: every row with a fingerprint or a new action's text."""
    wb = load_workbook(path, data_only=True)
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    keys = [k for k, *_ in LAYOUT]
    plan_id = wb[META]["B2"].value if META in wb.sheetnames else None
    out: list[Correction] = []
    problems: list[Problem] = []
    for r, row in enumerate(ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True),
                            start=HEADER_ROW + 1):
        values = {k: _text(v) for k, v in zip(keys, row, strict=False)}
        values["plan_id"] = values.get("plan_id") or str(plan_id or "")
        if not (values.get("fingerprint") or values.get("text")):
            continue
        c = from_row({k: values.get(k, "") for k in COLUMNS}, str(path), f"dòng {r}")
        if isinstance(c, Correction):
            out.append(c)
        else:
            problems.append(c)
    return out, problems


def _text(v: object) -> str:
    if isinstance(v, datetime | date):
        return f"{v.day:02d}/{v.month:02d}/{v.year}"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return "" if v is None else str(v).strip()
