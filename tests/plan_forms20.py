"""Plan documents in forms no rule foresaw (issue 20), built at test time: an Excel annex task
list (Đắk Lắk), a Word appendix split over tables (Cần Thơ), a PDF table across pages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

XA = "UBND các xã, phường"

# --- Excel annex: "DANH MỤC NHIỆM VỤ … (Kèm theo Kế hoạch số …)", Đắk Lắk -------------------
XLSX_TITLE = [
    "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK",
    "DANH MỤC NHIỆM VỤ THỰC HIỆN KẾ HOẠCH NÂNG CAO CHỈ SỐ HIỆU QUẢ QUẢN TRỊ VÀ HÀNH CHÍNH CÔNG "
    "CẤP TỈNH (PAPI) NĂM 2026",
    "(Kèm theo Kế hoạch số 45/KH-UBND ngày 12/02/2026 của UBND tỉnh Đắk Lắk; nội dung hư cấu "
    "dùng cho kiểm thử)",
]
XLSX_HEADER = ["TT", "Chỉ số thành phần", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
               "Thời hạn hoàn thành"]
# (dimension cell, task, lead, coordinating, due cell kind, due value)
XLSX_ROWS = [
    ("Chỉ số 1", "Tổ chức hội nghị lấy ý kiến Nhân dân về quy hoạch xây dựng xã", "Sở Xây dựng",
     XA, "date", date(2026, 6, 30)),
    ("Công khai, minh bạch", "Công khai dự toán ngân sách xã tại trụ sở UBND xã",
     "Sở Tài chính", XA, "serial", date(2026, 9, 30)),
    ("D4", "Công khai kết luận thanh tra về quản lý đất đai", "Thanh tra tỉnh",
     "Sở Nông nghiệp và Môi trường", "formula", date(2026, 10, 31)),
    ("Thủ tục hành chính công", "Rà soát thủ tục hành chính có phát sinh chi phí cho người dân",
     "Văn phòng UBND tỉnh", "Các sở, ban, ngành", "text", "Quý III/2026"),
    ("D8", "Triển khai ứng dụng VNeID trong giải quyết thủ tục hành chính", "Công an tỉnh",
     "Sở Khoa học và Công nghệ", "date", date(2026, 12, 15)),
]
XLSX_EXPECTED = [
    ("D1", XLSX_ROWS[0][1], ["Sở Xây dựng"], [XA], date(2026, 6, 30)),
    ("D2", XLSX_ROWS[1][1], ["Sở Tài chính"], [XA], date(2026, 9, 30)),
    ("D4", XLSX_ROWS[2][1], ["Thanh tra tỉnh"], ["Sở Nông nghiệp và Môi trường"],
     date(2026, 10, 31)),
    ("D5", XLSX_ROWS[3][1], ["Văn phòng UBND tỉnh"], ["Các sở, ban, ngành"], date(2026, 9, 30)),
    ("D8", XLSX_ROWS[4][1], ["Công an tỉnh"], ["Sở Khoa học và Công nghệ"], date(2026, 12, 15)),
]


def write_annex_xlsx(path: Path) -> Path:
    """xlsxwriter (formula cells carry their cached value, as Excel saves them)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Phụ lục")
    dfmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    for r, line in enumerate(XLSX_TITLE):
        ws.write(r, 0, line)
    ws.write_row(4, 0, XLSX_HEADER)
    for i, (dim, task, lead, coord, kind, due) in enumerate(XLSX_ROWS):
        r = 5 + i
        ws.write_row(r, 0, [i + 1, dim, task, lead, coord])
        if kind == "date":
            ws.write_datetime(r, 5, _dt(due), dfmt)
        elif kind == "serial":
            ws.write_number(r, 5, (due - date(1899, 12, 30)).days)  # a serial, general format
        elif kind == "formula":
            ws.write_formula(r, 5, f"=DATE({due.year},{due.month},{due.day})", dfmt,
                             (due - date(1899, 12, 30)).days)
        else:
            ws.write_string(r, 5, due)
    draft = wb.add_worksheet("Dự thảo")  # a draft kept in the workbook, hidden: not loaded
    draft.write_row(0, 0, XLSX_HEADER)
    draft.write_row(1, 0, [1, "D2", "Nhiệm vụ dự thảo chưa duyệt", "Sở Nội vụ", "", "Quý I/2026"])
    draft.hide()
    wb.close()
    return path


def _dt(d: date):
    from datetime import datetime

    return datetime(d.year, d.month, d.day)
