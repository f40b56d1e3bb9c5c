"""Where things are in the reporting workbook (sheets, marker, columns): read without openpyxl."""

from __future__ import annotations

MARKER = "papi-plan-report"
FORMAT_VERSION = 2  # 2: due date column G (prefilled, locked), action fingerprints in meta
REPORT_SHEET = "Báo cáo"
META_SHEET = "_papi_meta"
HEADER_ROW = 7
FIRST_ROW = 8
# (key, column letter, header VI, header EN, width, fill-in?)
COLUMNS = [
    ("action_id", "A", "Mã nhiệm vụ", "Action ID", 22, False),
    ("dimension_code", "B", "Mã lĩnh vực", "Dimension", 10, False),
    ("dimension_name", "C", "Lĩnh vực PAPI", "PAPI dimension", 24, False),
    ("text", "D", "Nhiệm vụ", "Action", 60, False),
    ("lead_units", "E", "Đơn vị chủ trì", "Lead units", 26, False),
    ("coordinating_units", "F", "Đơn vị phối hợp", "Coordinating units", 24, False),
    ("due", "G", "Hạn hoàn thành", "Due date", 14, False),
    ("period", "H", "Kỳ báo cáo (*)", "Reporting period", 17, True),
    ("status", "I", "Tình trạng (*)", "Status", 26, True),
    ("percent_done", "J", "% hoàn thành", "% done (0–100)", 12, True),
    ("result", "K", "Kết quả / minh chứng", "Result / evidence", 40, True),
    ("notes", "L", "Ghi chú", "Notes", 24, True),
    ("reported_on", "M", "Ngày báo cáo (*) dd/mm/yyyy", "Report date", 16, True),
]
COL = {key: letter for key, letter, *_ in COLUMNS}
LABEL = {key: f"{vi} / {en}" for key, _, vi, en, *_ in COLUMNS}
# Reports filled in a version-1 template (no due column): fill-in cells in G…L.
COL_V1 = {**{k: v for k, v in COL.items() if k in ("action_id", "dimension_code",
                                                   "dimension_name", "text", "lead_units",
                                                   "coordinating_units")},
          "period": "G", "status": "H", "percent_done": "I", "result": "J", "notes": "K",
          "reported_on": "L"}


def columns_for(version: object) -> dict[str, str]:
    """Column letters of a template of `version` (1 or 2)."""
    return COL_V1 if str(version) == "1" else COL
