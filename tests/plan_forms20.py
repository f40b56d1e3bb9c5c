"""Plan documents in forms no rule foresaw (issue 20), built at test time: an Excel annex task
list (Đắk Lắk), a Word appendix split over tables (Cần Thơ), a PDF table across pages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.plan_docs import FONT

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


# --- Word appendix split over tables (Cần Thơ, Sở Y tế) ---------------------------------
DOCX_HEAD = ["UBND THÀNH PHỐ CẦN THƠ", "SỞ Y TẾ", "Số: 112/KH-SYT",
             "Cần Thơ, ngày 05 tháng 02 năm 2026", "KẾ HOẠCH",
             "Nâng cao Chỉ số PAPI năm 2026 của ngành y tế (nội dung hư cấu dùng cho kiểm thử)",
             "I. MỤC ĐÍCH, YÊU CẦU", "Cải thiện sự hài lòng của người dân với dịch vụ y tế.",
             "II. NHIỆM VỤ, GIẢI PHÁP", "(Chi tiết tại Phụ lục kèm theo)",
             "III. TỔ CHỨC THỰC HIỆN",
             "Các phòng, đơn vị báo cáo kết quả về Văn phòng Sở trước ngày 10/6/2026./.",
             "Nơi nhận:", "- Lưu: VT.", "GIÁM ĐỐC", "Phạm Văn Hư Cấu", "PHỤ LỤC",
             "NHIỆM VỤ NÂNG CAO CHỈ SỐ PAPI NĂM 2026 CỦA SỞ Y TẾ"]
DOCX_HEADER = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp",
               "Thời gian hoàn thành"]
# table 1: header, group, task, a numbered task without lead/deadline, a repeated header row,
# a task whose cell holds a nested table of sub-tasks; table 2 (no header) continues.
DOCX_T1 = [
    ("group", "I", "Cung ứng dịch vụ công"),
    ("1", "Giảm thời gian chờ khám bệnh tại các bệnh viện tuyến thành phố", "Phòng Nghiệp vụ Y",
     "Các bệnh viện", "Quý II/2026"),
    ("2", "Xây dựng kế hoạch khảo sát sự hài lòng của người bệnh", "", "", ""),
    ("header",),
    ("3", "Nâng cao chất lượng y tế cơ sở, gồm:", "Phòng Nghiệp vụ Y", "Trung tâm Y tế",
     "Năm 2026", [("Bổ sung thuốc thiết yếu cho trạm y tế xã", "Quý III/2026"),
                  ("Tập huấn chuyên môn cho nhân viên y tế thôn, ấp", "Tháng 10/2026")]),
]
DOCX_T2 = [
    ("group", "II", "Kiểm soát tham nhũng trong khu vực công"),
    ("4", "Công khai kết quả đấu thầu mua sắm thuốc, vật tư y tế", "Phòng Kế hoạch - Tài chính",
     "Thanh tra Sở", "30/9/2026"),
    ("5", "Tiếp nhận phản ánh về thái độ phục vụ qua đường dây nóng", "Thanh tra Sở",
     "Các bệnh viện", "Thường xuyên"),
]
DOCX_EXPECTED = [
    ("D6", DOCX_T1[1][1], ["Phòng Nghiệp vụ Y"], ["Các bệnh viện"], date(2026, 6, 30)),
    ("D6", DOCX_T1[2][1], [], [], None),
    ("D6", "Bổ sung thuốc thiết yếu cho trạm y tế xã", ["Phòng Nghiệp vụ Y"], ["Trung tâm Y tế"],
     date(2026, 9, 30)),
    ("D6", "Tập huấn chuyên môn cho nhân viên y tế thôn, ấp", ["Phòng Nghiệp vụ Y"],
     ["Trung tâm Y tế"], date(2026, 10, 31)),
    ("D4", DOCX_T2[1][1], ["Phòng Kế hoạch - Tài chính"], ["Thanh tra Sở"], date(2026, 9, 30)),
    ("D4", DOCX_T2[2][1], ["Thanh tra Sở"], ["Các bệnh viện"], None),
]


def _fill(table, rows: list[tuple]) -> None:
    for row in rows:
        cells = table.add_row().cells
        if row[0] == "group":
            cells[0].text = row[1]
            cells[1].merge(cells[-1]).text = row[2]
        elif row[0] == "header":
            for j, h in enumerate(DOCX_HEADER):
                cells[j].text = h
        else:
            for j, v in enumerate(row[:5]):
                cells[j].text = v
            if len(row) > 5:  # sub-tasks in a table nested in the task cell
                inner = cells[1].add_table(rows=0, cols=2)
                for sub, due in row[5]:
                    ic = inner.add_row().cells
                    ic[0].text, ic[1].text = sub, due


def write_split_docx(path: Path) -> Path:
    import docx

    doc = docx.Document()
    for line in DOCX_HEAD:
        doc.add_paragraph(line)
    t1 = doc.add_table(rows=1, cols=5)
    for j, h in enumerate(DOCX_HEADER):
        t1.rows[0].cells[j].text = h
    _fill(t1, DOCX_T1)
    doc.add_paragraph("")
    t2 = doc.add_table(rows=0, cols=5)  # continued after a page break, without a header
    _fill(t2, DOCX_T2)
    doc.save(str(path))
    return path


# --- PDF: the appendix table runs over page breaks, header printed once (Bình Định → Gia Lai) -
PDF_HEAD = ["ỦY BAN NHÂN DÂN", "TỈNH GIA LAI", "Số: 31/KH-UBND", "Gia Lai, ngày 09 tháng 3 năm 2026",
            "KẾ HOẠCH", "Nâng cao Chỉ số PAPI năm 2026 (nội dung hư cấu dùng cho kiểm thử)",
            "II. NHIỆM VỤ, GIẢI PHÁP", "Nhiệm vụ cụ thể tại Phụ lục kèm theo.",
            "Nơi nhận:", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Văn Hư Cấu",
            "PHỤ LỤC", "NHIỆM VỤ NÂNG CAO CHỈ SỐ PAPI NĂM 2026"]
PDF_HEADER = ["STT", "Nhiệm vụ, giải pháp", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"]
_PDF_TASKS = [
    ("D1", "Tổ chức hội nghị đối thoại với Nhân dân về bồi thường, giải phóng mặt bằng dự án "
     "đường cao tốc qua địa bàn xã", "Sở Xây dựng", XA, "Quý II/2026"),
    ("D1", "Hướng dẫn thực hiện quy chế dân chủ ở cơ sở trong xây dựng nông thôn mới",
     "Sở Nông nghiệp và Môi trường", XA, "Tháng 6/2026"),
    ("D2", "Công khai danh sách hộ được hỗ trợ nhà ở cho người có công tại nhà văn hóa thôn, "
     "làng", "Sở Nội vụ", XA, "30/6/2026"),
    ("D2", "Công khai quy hoạch phân khu, quy hoạch chi tiết trên Cổng thông tin điện tử tỉnh",
     "Sở Xây dựng", "Sở Khoa học và Công nghệ", "Quý III/2026"),
    ("D3", "Tổ chức tiếp công dân định kỳ của Chủ tịch UBND các xã, phường theo quy định",
     "Thanh tra tỉnh", XA, "Thường xuyên"),
    ("D3", "Giải quyết dứt điểm các vụ việc khiếu nại tồn đọng, kéo dài về đất đai",
     "Thanh tra tỉnh", "Sở Nông nghiệp và Môi trường", "31/10/2026"),
    ("D4", "Kiểm tra việc thu, chi các khoản đóng góp của người dân tại các trường học",
     "Sở Giáo dục và Đào tạo", "Sở Tài chính", "Quý IV/2026"),
    ("D4", "Công khai kết quả xử lý phản ánh về nhũng nhiễu trong cấp giấy chứng nhận quyền sử "
     "dụng đất", "Sở Nông nghiệp và Môi trường", "Thanh tra tỉnh", "30/11/2026"),
    ("D5", "Rà soát, cắt giảm thành phần hồ sơ thủ tục hành chính lĩnh vực đất đai, xây dựng",
     "Văn phòng UBND tỉnh", "Các sở, ban, ngành", "Quý III/2026"),
    ("D5", "Niêm yết đầy đủ thủ tục hành chính tại bộ phận một cửa cấp xã", XA,
     "Văn phòng UBND tỉnh", "Tháng 4/2026"),
    ("D6", "Nâng cao chất lượng khám chữa bệnh bảo hiểm y tế tại trạm y tế xã", "Sở Y tế",
     "Bảo hiểm xã hội tỉnh", "Năm 2026"),
    ("D6", "Bảo đảm nước sạch cho các điểm trường vùng sâu, vùng xa",
     "Sở Giáo dục và Đào tạo", "Sở Nông nghiệp và Môi trường", "31/8/2026"),
    ("D7", "Xử lý các điểm tồn đọng rác thải sinh hoạt tại khu dân cư",
     "Sở Nông nghiệp và Môi trường", XA, "Quý IV/2026"),
    ("D7", "Kiểm tra việc xả thải của các cơ sở chế biến nông sản gần khu dân cư",
     "Sở Nông nghiệp và Môi trường", "Công an tỉnh", "30/9/2026"),
    ("D8", "Hướng dẫn người dân nộp hồ sơ trực tuyến toàn trình tại bộ phận một cửa",
     "Sở Khoa học và Công nghệ", XA, "Thường xuyên"),
    ("D8", "Triển khai thanh toán trực tuyến phí, lệ phí thủ tục hành chính",
     "Sở Tài chính", "Sở Khoa học và Công nghệ", "Tháng 9/2026"),
]
_DIM_NAMES = {"D1": "Tham gia của người dân ở cấp cơ sở", "D2": "Công khai, minh bạch",
              "D3": "Trách nhiệm giải trình với người dân",
              "D4": "Kiểm soát tham nhũng trong khu vực công", "D5": "Thủ tục hành chính công",
              "D6": "Cung ứng dịch vụ công", "D7": "Quản trị môi trường",
              "D8": "Quản trị điện tử"}


def _due(text: str) -> date | None:
    from etl.plans.due import parse_due

    due = parse_due(text, 2026)
    return due.on if due else None


PDF_EXPECTED = [(d, t, [lead], [coord], _due(due)) for d, t, lead, coord, due in _PDF_TASKS]


def write_paged_pdf(path: Path) -> Path:
    """reportlab: the task table starts on page 1 and runs over two page breaks, its header
    printed once; page 3 holds only table rows."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    style = ParagraphStyle("p", fontName="DejaVu", fontSize=10, leading=13)
    cell = ParagraphStyle("c", fontName="DejaVu", fontSize=10, leading=13)
    story: list = [Paragraph(line, style) for line in PDF_HEAD]
    data = [[Paragraph(h, cell) for h in PDF_HEADER]]
    spans, seen, n = [], set(), 0
    for d, task, lead, coord, due in _PDF_TASKS:
        if d not in seen:
            seen.add(d)
            data.append([Paragraph(f"{len(seen)}", cell),
                         Paragraph(f"Chỉ số nội dung {d[1]}: {_DIM_NAMES[d]}", cell), "", "", ""])
            spans.append(("SPAN", (1, len(data) - 1), (-1, len(data) - 1)))
        n += 1
        data.append([Paragraph(x, cell) for x in (f"{n}.", task, lead, coord, due)])
    table = Table(data, colWidths=[35, 200, 110, 110, 70], repeatRows=0)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), *spans]))
    story.append(table)
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def write_merged_pdf(path: Path) -> Path:
    """The Gia Lai appendix with lead and deadline cells merged down over the rows they serve
    (as Word tables printed to PDF do)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    style = ParagraphStyle("p", fontName="DejaVu", fontSize=10, leading=13)
    cell = ParagraphStyle("c", fontName="DejaVu", fontSize=10, leading=13)
    story: list = [Paragraph(line, style) for line in PDF_HEAD]
    data = [[Paragraph(h, cell) for h in PDF_HEADER],
            [Paragraph("1", cell), Paragraph("Chỉ số nội dung 4: Kiểm soát tham nhũng trong "
                                             "khu vực công", cell), "", "", ""]]
    for i, (task, coord) in enumerate(MERGED_TASKS, start=1):
        first = i == 1
        data.append([Paragraph(f"{i}.", cell), Paragraph(task, cell),
                     Paragraph("Thanh tra tỉnh", cell) if first else "", Paragraph(coord, cell),
                     Paragraph("Quý IV/2026", cell) if first else ""])
    last = len(data) - 1
    table = Table(data, colWidths=[35, 200, 110, 110, 70])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("SPAN", (1, 1), (-1, 1)), ("SPAN", (2, 2), (2, last)),
                               ("SPAN", (4, 2), (4, last))]))
    story.append(table)
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


MERGED_TASKS = [
    ("Thanh tra việc quản lý, sử dụng tài sản công tại các đơn vị sự nghiệp", "Sở Tài chính"),
    ("Kiểm tra việc kê khai tài sản, thu nhập của người có chức vụ", "Sở Nội vụ"),
    ("Công khai kết quả xử lý đơn thư tố cáo tham nhũng", "Công an tỉnh"),
]
MERGED_EXPECTED = [("D4", t, ["Thanh tra tỉnh"], [c], date(2026, 12, 31)) for t, c in MERGED_TASKS]


def write_near_blank_pdf(path: Path, blank_pages: int = 40) -> Path:
    """A text plan followed by many empty pages (a scanner's blank backs, a bad export); small
    print on a landscape page, so that no paragraph wraps."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    style = ParagraphStyle("p", fontName="DejaVu", fontSize=6, leading=9)
    text = (Path(__file__).parent / "fixtures" / "plans" / "na_so_tu_phap_han_sai.txt").read_text(
        encoding="utf-8")
    story: list = [Paragraph(line, style) for line in text.splitlines() if line.strip()]
    for _ in range(blank_pages):
        story += [PageBreak(), Spacer(1, 1)]
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build(story)
    return path
