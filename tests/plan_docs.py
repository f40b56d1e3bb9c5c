"""Build plan documents for tests: one province plan as .docx (appendix table), .pdf, .xlsx, scan."""

from __future__ import annotations

from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
HEAD = ["ỦY BAN NHÂN DÂN", "TỈNH PHÚ THỌ", "Số: 240/KH-UBND",
        "Phú Thọ, ngày 05 tháng 9 năm 2025", "KẾ HOẠCH",
        "Nâng cao Chỉ số PAPI năm 2026 (nội dung hư cấu dùng cho kiểm thử)",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Phấn đấu Chỉ số PAPI năm 2026 tăng ít nhất 02 bậc.",
        "II. NHIỆM VỤ, GIẢI PHÁP",
        "Các nhiệm vụ, giải pháp cụ thể tại Phụ lục kèm theo Kế hoạch này.",
        "III. TỔ CHỨC THỰC HIỆN",
        "Các cơ quan, đơn vị báo cáo kết quả về Sở Nội vụ./."]
SIGN = ["Nơi nhận:", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Văn Mẫu"]
APPENDIX = ["PHỤ LỤC", "NHIỆM VỤ, GIẢI PHÁP NÂNG CAO CHỈ SỐ PAPI NĂM 2026"]
HEADER = ["STT", "Nhiệm vụ, giải pháp", "Cơ quan chủ trì", "Cơ quan phối hợp",
          "Thời gian hoàn thành", "Sản phẩm"]
# ("group", roman, heading) or (stt, task, lead, coordinating, due, product)
ROWS: list[tuple] = [
    ("group", "I", "Chỉ số nội dung 1: Tham gia của người dân ở cấp cơ sở"),
    ("1", "Hướng dẫn tổ chức hội nghị thôn bàn về các công trình công cộng", "Sở Nội vụ",
     "UBND các xã, phường; Sở Tài chính", "30/6/2026", "Văn bản hướng dẫn"),
    ("group", "II", "Công khai, minh bạch trong việc ra quyết định ở địa phương"),
    ("2", "Công khai danh sách hộ nghèo tại nhà văn hóa thôn", "Sở Nội vụ",
     "UBND các xã, phường", "Quý II/2026", "Danh sách công khai"),
    ("3", "Công khai kế hoạch sử dụng đất trên Cổng thông tin điện tử tỉnh",
     "Sở Nông nghiệp và Môi trường", "Sở Xây dựng", "Tháng 9/2026", "Tin bài"),
    ("group", "III", "Kiểm soát tham nhũng trong khu vực công"),
    ("4", "Duy trì đường dây nóng tiếp nhận phản ánh về nhũng nhiễu", "Thanh tra tỉnh",
     "", "Thường xuyên", "Sổ theo dõi"),
    ("5", "Công khai kết luận thanh tra về đất đai", "Thanh tra tỉnh",
     "Sở Nông nghiệp và Môi trường; Sở Xây dựng", "Năm 2026", "Kết luận"),
    ("group", "IV", "Quản trị điện tử"),
    ("6", "Nâng tỷ lệ hồ sơ trực tuyến toàn trình lên 80%", "Sở Khoa học và Công nghệ",
     "Văn phòng UBND tỉnh", "Trước 30/11/2026", "Báo cáo"),
]
# What every form must parse to: (dimension, text, lead, coordinating, due ISO).
EXPECTED = [
    ("D1", ROWS[1][1], ["Sở Nội vụ"], ["UBND các xã, phường", "Sở Tài chính"], "2026-06-30"),
    ("D2", ROWS[3][1], ["Sở Nội vụ"], ["UBND các xã, phường"], "2026-06-30"),
    ("D2", ROWS[4][1], ["Sở Nông nghiệp và Môi trường"], ["Sở Xây dựng"], "2026-09-30"),
    ("D4", ROWS[6][1], ["Thanh tra tỉnh"], [], None),
    ("D4", ROWS[7][1], ["Thanh tra tỉnh"], ["Sở Nông nghiệp và Môi trường", "Sở Xây dựng"],
     "2026-12-31"),
    ("D8", ROWS[9][1], ["Sở Khoa học và Công nghệ"], ["Văn phòng UBND tỉnh"], "2026-11-30"),
]


def as_expected(plan) -> list[tuple]:
    return [(a.dimension, a.text, a.lead_units, a.coordinating_units,
             a.due.on.isoformat() if a.due and a.due.on else None) for a in plan.actions]


def write_docx(path: Path) -> Path:
    """Prose, signature block, then the task table in an appendix (merged group rows)."""
    import docx

    doc = docx.Document()
    for line in HEAD + SIGN + APPENDIX:
        doc.add_paragraph(line)
    table = doc.add_table(rows=1, cols=len(HEADER))
    for j, h in enumerate(HEADER):
        table.rows[0].cells[j].text = h
    for row in ROWS:
        cells = table.add_row().cells
        if row[0] == "group":
            cells[0].text = row[1]
            merged = cells[1].merge(cells[-1])
            merged.text = row[2]
        else:
            for j, v in enumerate(row):
                cells[j].text = v
    doc.save(str(path))
    return path


def _fonts() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    return "DejaVu"


def write_pdf(path: Path) -> Path:
    """The same document as a PDF with a text layer (reportlab), table with grid lines."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    font = _fonts()
    style = ParagraphStyle("p", fontName=font, fontSize=10, leading=13)
    cell = ParagraphStyle("c", fontName=font, fontSize=8, leading=10)
    story: list = [Paragraph(line, style) for line in HEAD + SIGN]
    story += [PageBreak()] + [Paragraph(line, style) for line in APPENDIX]
    data = [[Paragraph(h, cell) for h in HEADER]]
    spans = []
    for i, row in enumerate(ROWS, start=1):
        if row[0] == "group":
            data.append([Paragraph(row[1], cell), Paragraph(row[2], cell)] + [""] * 4)
            spans.append(("SPAN", (1, i), (-1, i)))
        else:
            data.append([Paragraph(v, cell) for v in row])
    table = Table(data, colWidths=[30, 230, 110, 150, 90, 90], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), *spans]))
    story.append(table)
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build(story)
    return path


def write_xlsx(path: Path) -> Path:
    """A task list: title block, blank row, header row found by meaning, group rows."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    for line in HEAD[:6]:
        ws.append([line])
    ws.append([])
    ws.append(HEADER)
    for row in ROWS:
        ws.append([row[1], row[2]] if row[0] == "group" else list(row))
        if row[0] == "group":
            ws.merge_cells(start_row=ws.max_row, start_column=2, end_row=ws.max_row,
                           end_column=len(HEADER))
    wb.save(path)
    return path


SCAN_LINES = ["UBND TỈNH LẠNG SƠN", "SỞ Y TẾ", "Số: 19/KH-SYT",
              "Lạng Sơn, ngày 12 tháng 4 năm 2024", "KẾ HOẠCH",
              "Nâng cao Chỉ số PAPI năm 2024", "II. NHIỆM VỤ, GIẢI PHÁP",
              "1. Thủ tục hành chính công",
              "- Niêm yết công khai thủ tục hành chính tại Bộ phận một cửa.",
              "- Đơn vị chủ trì thực hiện: Văn phòng Sở.",
              "2. Cung ứng dịch vụ công",
              "- Giảm thời gian chờ khám bệnh tại bệnh viện tuyến tỉnh.",
              "- Rút ngắn thời gian trả kết quả xét nghiệm.",
              "III. TỔ CHỨC THỰC HIỆN", "Các phòng thực hiện./.", "GIÁM ĐỐC", "Lê Văn Quét"]


def write_scan(path: Path) -> Path:
    """A scanned plan: the text drawn on an A4 image at 300 dpi (Pillow), saved as a PDF."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 40)
    y = 200
    for line in SCAN_LINES:
        draw.text((200, y), line, font=font, fill=0)
        y += 80
    img.save(path, "PDF", resolution=300)
    return path
