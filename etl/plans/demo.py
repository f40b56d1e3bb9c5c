"""Fictional demo inputs: a department's PAPI plans 2022–2024, a merged province's 2026 plan, reports."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from etl.plans.due import parse_due
from etl.plans.parse import parse_plan
from etl.plans.status import PERIODS, STATUSES, as_of
from etl.plans.template import COL, FIRST_ROW, REPORT_SHEET, write_template

AGENCY = "Sở Thông tin và Truyền thông"
NUMBERS = {2022: (38, date(2022, 5, 20), 71, date(2022, 4, 28)),
           2023: (41, date(2023, 5, 26), 84, date(2023, 5, 4)),
           2024: (47, date(2024, 6, 7), 99, date(2024, 5, 10))}
SIGNER = "Trần Thị Minh Họa"
# (heading, first year, actions, lead, coordinating); all content is invented for the demo.
SECTIONS = [
    ("1. Công tác chỉ đạo điều hành", 2022, [
        "Tổ chức hội nghị quán triệt Kế hoạch đến toàn thể công chức, viên chức của Sở (minh họa).",
        "Đưa kết quả thực hiện Kế hoạch vào tiêu chí đánh giá, xếp loại các phòng hằng quý."],
     "Văn phòng Sở", "Các Phòng, đơn vị thuộc Sở"),
    ("2. Sự tham gia của người dân ở cấp cơ sở", 2022, [
        "Phối hợp với UBND các huyện phát tài liệu hỏi đáp về dân chủ ở cơ sở trên hệ thống "
        "truyền thanh cơ sở."],
     "Phòng Thông tin - Báo chí - Xuất bản", "Trung tâm Công nghệ thông tin và Truyền thông"),
    ("3. Nội dung “Công khai, minh bạch”", 2022, [
        "Đăng tải kịp thời kế hoạch, dự toán và quyết toán ngân sách của Sở trên Trang thông tin "
        "điện tử.",
        "Công khai danh mục dự án ứng dụng công nghệ thông tin và tiến độ thực hiện."],
     "Văn phòng Sở", "Phòng Kế hoạch - Tài chính"),
    ("4. Nội dung “Trách nhiệm giải trình với người dân”", 2022, [
        "Duy trì chuyên mục hỏi - đáp trực tuyến, trả lời phản ánh của người dân trong 05 ngày "
        "làm việc."],
     "Văn phòng Sở", "Các phòng chuyên môn"),
    ("5. Kiểm soát tham nhũng trong khu vực công", 2022, [
        "Công khai kết quả kiểm tra, thanh tra nội bộ và việc xử lý sau kiểm tra."],
     "Thanh tra Sở", "Các phòng, đơn vị thuộc Sở"),
    ("6. Thủ tục hành chính công", 2022, [
        "Rà soát, đề xuất đơn giản hóa thủ tục hành chính lĩnh vực báo chí, xuất bản.",
        "Niêm yết đầy đủ thủ tục hành chính tại Bộ phận một cửa và trên Cổng dịch vụ công."],
     "Phòng Thông tin - Báo chí - Xuất bản; Văn phòng Sở", "Trung tâm Phục vụ hành chính công"),
    ("7. Cung ứng dịch vụ công", 2023, [
        "Mở rộng điểm truy cập Internet công cộng tại nhà văn hóa thôn (minh họa)."],
     "Phòng Bưu chính, Viễn thông", "Các doanh nghiệp viễn thông"),
    ("8. Quản trị môi trường", 2024, [
        "Tuyên truyền về thu gom rác thải điện tử trên các kênh thông tin của Sở."],
     "Phòng Thông tin - Báo chí - Xuất bản", ""),
    ("9. Nội dung “Quản trị điện tử”", 2022, [
        "Nâng tỷ lệ hồ sơ trực tuyến toàn trình của Sở lên trên 80%.",
        "Hướng dẫn người dân sử dụng Cổng dịch vụ công và ứng dụng trên điện thoại.",
        "Bảo đảm an toàn thông tin cho Trang thông tin điện tử và hệ thống một cửa điện tử."],
     "Trung tâm Công nghệ thông tin và Truyền thông", "Văn phòng Sở"),
]


def plan_lines(year: int) -> list[str]:
    """The fictional plan for `year` as paragraphs (the same layout as real plans)."""
    num, issued, pnum, pdate = NUMBERS[year]
    out = ["DỮ LIỆU MINH HỌA – không phải văn bản thật (DEMO DATA – not a real document)",
           "UBND TỈNH LẠNG SƠN", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", f"Số: {num} /KH-STTTT",
           f"Lạng Sơn, ngày {issued.day} tháng {issued.month} năm {year}", "KẾ HOẠCH",
           "Triển khai nâng cao Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh (PAPI) "
           f"năm {year}",
           f"Thực hiện Kế hoạch số {pnum}/KH-UBND ngày {pdate:%d/%m/%Y} của UBND tỉnh Lạng Sơn "
           f"(minh họa). {AGENCY} xây dựng Kế hoạch triển khai thực hiện, như sau:",
           "I. MỤC ĐÍCH, YÊU CẦU",
           "- Nâng cao chất lượng phục vụ người dân của Sở; đây là nội dung minh họa.",
           "II. NHIỆM VỤ, GIẢI PHÁP"]
    for heading, first, actions, lead, coord in SECTIONS:
        if year < first:
            continue
        out.append(heading)
        out.extend(f"- {a}" for a in actions)
        if lead:
            out.append(f"- Đơn vị chủ trì thực hiện: {lead}.")
        if coord:
            out.append(f"- Đơn vị phối hợp: {coord}.")
    out += ["III. TỔ CHỨC THỰC HIỆN",
            "Văn phòng Sở theo dõi, tổng hợp, báo cáo kết quả thực hiện Kế hoạch./.",
            "Nơi nhận:", "- Lưu: VT.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", SIGNER]
    return out


def _write_plan(dir: Path, year: int) -> Path:
    lines = plan_lines(year)
    if year == 2023:  # one year as Word, to exercise the .docx reader
        import docx

        doc = docx.Document()
        for line in lines:
            doc.add_paragraph(line)
        path = dir / f"ke_hoach_PAPI_STTTT_{year}_minh_hoa.docx"
        doc.core_properties.author = "PAPI demo"
        doc.save(str(path))
        return path
    path = dir / f"ke_hoach_PAPI_STTTT_{year}_minh_hoa.txt"
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def _status(rng: random.Random, period: str, year: int) -> str | None:
    if period == "H1":
        weights = {"in_progress": 6, "done_on_time": 3, "overdue": 1, None: 1}
    else:
        weights = {"done_on_time": 6 + (year - 2022), "done_late": 2, "overdue": 1,
                   "in_progress": 1, None: 1}
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _fill(template: Path, out: Path, rng: random.Random, period: str, year: int) -> Path:
    wb = load_workbook(template)
    ws = wb[REPORT_SHEET]
    reported = date(year, 7, 15) if period == "H1" else date(year, 12, 20)
    r = FIRST_ROW
    while ws[f"{COL['action_id']}{r}"].value:
        code = _status(rng, period, year)
        if code is not None:
            pct = {"done_on_time": 100, "done_late": 100}.get(code, rng.randrange(10, 95, 5))
            ws[f"{COL['period']}{r}"] = PERIODS[period][0]
            ws[f"{COL['status']}{r}"] = STATUSES[code][0]
            ws[f"{COL['percent_done']}{r}"] = pct
            ws[f"{COL['result']}{r}"] = f"Kết quả minh họa ({pct}%)"
            ws[f"{COL['reported_on']}{r}"] = reported
        r += 1
    wb.save(out)
    return out


def write_demo_inputs(dir: Path, seed: int = 2024) -> list[Path]:
    """Write the fictional plans (2022–2024) and their H1/FY reports; returns the paths."""
    dir = Path(dir)
    dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths: list[Path] = []
    for year in sorted(NUMBERS):
        plan_path = _write_plan(dir, year)
        paths.append(plan_path)
        plan = parse_plan(plan_path)
        blank = dir / f".template_{year}.xlsx"
        write_template(plan, blank)
        for period in ("H1", "FY"):
            out = dir / f"bao_cao_PAPI_STTTT_{year}_{period}_minh_hoa.xlsx"
            paths.append(_fill(blank, out, rng, period, year))
        blank.unlink()
    return paths + write_merged_inputs(dir)


# The new Phú Thọ (34 provinces, code 25; Phú Thọ + Vĩnh Phúc + Hòa Bình from 01/07/2025):
# a province-level plan for 2026, tasks with inline lead units and deadlines (invented).
MERGED_ISSUED = date(2025, 8, 20)
# (heading, [(task, lead unit, coordinating units, deadline, reported status or None), …])
MERGED_TASKS: list[tuple[str, list[tuple[str, str, str, str, str | None]]]] = [
    ("1.1. Chỉ số nội dung “Tham gia của người dân ở cấp cơ sở”.", [
        ("Hướng dẫn các xã, phường mới tổ chức hội nghị thôn bàn về công trình công cộng",
         "Sở Nội vụ", "Ủy ban nhân dân các xã, phường", "30/6/2026", "done_on_time"),
        ("Phổ biến Luật Thực hiện dân chủ ở cơ sở tại các thôn, tổ dân phố sau sáp nhập",
         "Sở Tư pháp", "Sở Nội vụ", "Quý III/2026", "in_progress")]),
    ("1.2. Chỉ số nội dung “Công khai, minh bạch trong việc ra quyết định ở địa phương”.", [
        ("Công khai quy hoạch sử dụng đất của tỉnh mới trên Cổng thông tin điện tử",
         "Sở Nông nghiệp và Môi trường", "Sở Xây dựng", "Tháng 5/2026", "done_late"),
        ("Công khai danh sách hộ nghèo tại nhà văn hóa thôn", "Sở Nội vụ",
         "Ủy ban nhân dân các xã, phường", "Quý II/2026", None)]),
    ("1.3. Chỉ số nội dung “Kiểm soát tham nhũng trong khu vực công”.", [
        ("Duy trì đường dây nóng tiếp nhận phản ánh về nhũng nhiễu", "Thanh tra tỉnh", "",
         "Thường xuyên", "in_progress")]),
    ("1.4. Chỉ số nội dung “Thủ tục hành chính công”.", [
        ("Thống nhất quy trình một cửa giữa ba tỉnh cũ tại Trung tâm Phục vụ hành chính công",
         "Văn phòng Ủy ban nhân dân tỉnh", "Sở Khoa học và Công nghệ", "30/4/2026",
         "done_on_time")]),
    ("1.5. Chỉ số nội dung “Quản trị điện tử”.", [
        ("Hợp nhất Cổng dịch vụ công của ba tỉnh cũ thành một cổng", "Sở Khoa học và Công nghệ",
         "Văn phòng Ủy ban nhân dân tỉnh", "Năm 2026", "in_progress")]),
]


def merged_plan_lines() -> list[str]:
    """The fictional 2026 plan of the new Phú Thọ (real-document layout, inline details)."""
    d = MERGED_ISSUED
    out = ["DỮ LIỆU MINH HỌA – không phải văn bản thật (DEMO DATA – not a real document)",
           "ỦY BAN NHÂN DÂN", "TỈNH PHÚ THỌ", "Số: 152/KH-UBND",
           f"Phú Thọ, ngày {d.day} tháng {d.month} năm {d.year}", "KẾ HOẠCH",
           "Nâng cao Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh (PAPI) năm 2026",
           "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau (minh họa):",
           "I. MỤC ĐÍCH, YÊU CẦU",
           "Phấn đấu Chỉ số PAPI năm 2026 của tỉnh tăng ít nhất 03 bậc so với năm 2025.",
           "II. NHIỆM VỤ, GIẢI PHÁP"]
    for heading, tasks in MERGED_TASKS:
        out.append(heading)
        for letter, (text, lead, coord, due, _) in zip("abcdđ", tasks, strict=False):
            with_coord = f", phối hợp với {coord}" if coord else ""
            out.append(f"{letter}) {text}; {lead} chủ trì{with_coord}; thời gian hoàn thành: "
                       f"{due}.")
    out += ["III. TỔ CHỨC THỰC HIỆN",
            "Các sở, ngành báo cáo kết quả 6 tháng đầu năm và cả năm về Sở Nội vụ./.",
            "Nơi nhận:", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Minh Họa"]
    return out


def write_merged_inputs(dir: Path) -> list[Path]:
    """The 2026 plan of the new Phú Thọ and its first-half report (when the clock allows)."""
    plan_path = dir / "ke_hoach_PAPI_UBND_PhuTho_2026_minh_hoa.txt"
    plan_path.write_text("\n\n".join(merged_plan_lines()) + "\n", encoding="utf-8")
    reported = min(date(2026, 7, 15), as_of())
    if reported <= MERGED_ISSUED:  # a clock before the plan: no report can exist yet
        return [plan_path]
    blank = dir / ".template_2026.xlsx"
    write_template(parse_plan(plan_path), blank)
    wb = load_workbook(blank)
    ws = wb[REPORT_SHEET]
    tasks = [t for _, group in MERGED_TASKS for t in group]
    for i, (*_, due_text, code) in enumerate(tasks):
        if code is None:
            continue
        r = FIRST_ROW + i
        due = parse_due(due_text)
        due_on = due.on if due is not None else None
        # done on time: on its due date
        day = min(due_on, reported) if code == "done_on_time" and due_on is not None else reported
        pct = 100 if code in ("done_on_time", "done_late") else 60
        ws[f"{COL['period']}{r}"] = PERIODS["H1"][0]
        ws[f"{COL['status']}{r}"] = STATUSES[code][0]
        ws[f"{COL['percent_done']}{r}"] = pct
        ws[f"{COL['result']}{r}"] = f"Kết quả minh họa ({pct}%)"
        ws[f"{COL['reported_on']}{r}"] = day
    out = dir / "bao_cao_PAPI_UBND_PhuTho_2026_H1_minh_hoa.xlsx"
    wb.save(out)
    blank.unlink()
    return [plan_path, out]
