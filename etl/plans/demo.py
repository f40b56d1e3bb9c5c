"""Fictional demo inputs: a made-up department's PAPI plans 2022–2024 and filled reports."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from etl.plans.parse import parse_plan
from etl.plans.status import PERIODS, STATUSES
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
    return paths
