"""Report templates that cannot be read: saved as .xlsm/.xls/.csv, or their hidden sheet removed."""

from __future__ import annotations

from pathlib import Path

from etl.plans.template_layout import MARKER, META_SHEET, REPORT_SHEET
from etl.plans.text import fold
from etl.problems import Problem

TITLE = "bao cao ket qua thuc hien ke hoach nang cao chi so papi"


def _looks_like_ours(texts: list[str]) -> bool:
    joined = " ".join(fold(t) for t in texts if t)
    return TITLE in joined or ("ma nhiem vu" in joined and "tinh trang" in joined)


def _sheets_and_texts(path: Path) -> tuple[list[str], list[str]]:
    """Sheet names and the first rows' texts of a workbook in any format, by its content."""
    from io import BytesIO

    data = path.read_bytes()
    if data[:2] == b"PK":  # an Office Open XML workbook, whatever its name says
        from openpyxl import load_workbook

        wb = load_workbook(BytesIO(data), read_only=True)
        sheets = list(wb.sheetnames)
        rows = [r for n in sheets[:3] for r in wb[n].iter_rows(max_row=10, values_only=True)]
    else:
        from python_calamine import CalamineWorkbook

        cwb = CalamineWorkbook.from_filelike(BytesIO(data))
        sheets = list(cwb.sheet_names)
        rows = [r for n in sheets[:3]
                for r in cwb.get_sheet_by_name(n).to_python(skip_empty_area=False)[:10]]
    return sheets, [str(c) for row in rows for c in row if c not in (None, "")]


def report_defect(path: Path) -> Problem | None:
    """A clear problem for a reporting template we cannot read: another format (.xlsm, .xls,
    .csv) or the hidden sheet removed; None when the file is not one of our templates."""
    suffix = path.suffix.lower()
    texts: list[str] = []
    sheets: list[str] = []
    try:
        if suffix == ".csv":
            from etl.plans.text import decode

            texts = decode(path.read_bytes()[:200_000]).splitlines()[:15]
        else:
            sheets, texts = _sheets_and_texts(path)
    except Exception:  # noqa: BLE001 - unreadable: not recognisably ours, unless marked
        data = path.read_bytes()[:5_000_000]
        if MARKER.encode() not in data and MARKER.encode("utf-16-le") not in data:
            return None
        texts = [TITLE]
    if not _looks_like_ours(texts) and META_SHEET not in sheets:
        return None
    if suffix in (".xlsm", ".xls", ".csv"):
        return Problem(str(path), f"Mẫu báo cáo PAPI đã bị lưu sang định dạng {suffix}; không "
                       "đọc được từ định dạng này / the report template was saved as "
                       f"{suffix}", found=suffix, allowed=".xlsx (Excel Workbook)",
                       action="Mở tệp và lưu lại dạng .xlsx (File › Save As › Excel Workbook), "
                       "hoặc điền lại mẫu gốc / save it as .xlsx")
    if META_SHEET not in sheets:
        return Problem(str(path), f"Mẫu báo cáo thiếu trang ẩn '{META_SHEET}' (đã bị xóa), không "
                       "xác định được kế hoạch và nhiệm vụ / the hidden sheet of the template "
                       "was removed", sheet=META_SHEET, found=", ".join(sheets),
                       allowed=f"{REPORT_SHEET}, {META_SHEET}",
                       action="Điền lại vào mẫu gốc do hệ thống tạo (papi template) / refill "
                       "the original template")
    return None
