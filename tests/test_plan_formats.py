"""One province plan as .docx (appendix table), .pdf (text layer), .xlsx and a scanned .pdf."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import plan_docs as docs
import pytest

from etl.plans.parse import NotAPlanError, parse_plan

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("plan_docs")


def check_plan(plan) -> None:
    assert (plan.plan_id, plan.vintage, plan.province, plan.issued_on.isoformat(), plan.year) == (
        "25-2026-UBND-240", "34", "Phú Thọ", "2025-09-05", 2026)
    assert docs.as_expected(plan) == docs.EXPECTED
    assert [a.product for a in plan.actions] == [
        "Văn bản hướng dẫn", "Danh sách công khai", "Tin bài", "Sổ theo dõi", "Kết luận",
        "Báo cáo"]
    assert plan.actions[3].due.ongoing is True and plan.actions[3].due.text == "Thường xuyên"


def test_docx_task_table_in_appendix_after_signature(folder: Path) -> None:
    plan = parse_plan(docs.write_docx(folder / "ke_hoach.docx"))
    check_plan(plan)
    assert [t.text for t in plan.targets] == ["Phấn đấu Chỉ số PAPI năm 2026 tăng ít nhất 02 bậc."]
    assert plan.signer == "Trần Văn Mẫu" and plan.ocr_confidence is None


def test_pdf_with_text_layer_parses_like_the_docx(folder: Path) -> None:
    pdf = parse_plan(docs.write_pdf(folder / "ke_hoach.pdf"))
    word = parse_plan(docs.write_docx(folder / "ke_hoach2.docx"))
    check_plan(pdf)
    assert [a.to_json() for a in pdf.actions] == [a.to_json() for a in word.actions]
    assert pdf.problems == [] and pdf.ocr_confidence is None


def test_xlsx_task_list_header_found_below_title_block(folder: Path) -> None:
    check_plan(parse_plan(docs.write_xlsx(folder / "danh_muc.xlsx")))


def test_docx_header_in_two_rows_and_units_one_per_line(tmp_path: Path) -> None:
    """'Cơ quan thực hiện' over 'Chủ trì | Phối hợp'; one unit per paragraph in a cell."""
    doc = docx.Document()
    for line in docs.HEAD[:6]:
        doc.add_paragraph(line)
    t = doc.add_table(rows=4, cols=4)
    for j, v in enumerate(["TT", "Nội dung công việc", "Cơ quan thực hiện", ""]):
        t.rows[0].cells[j].text = v
    t.rows[0].cells[2].merge(t.rows[0].cells[3])
    for j, v in enumerate(["", "", "Chủ trì", "Phối hợp"]):
        t.rows[1].cells[j].text = v
    t.rows[2].cells[0].merge(t.rows[2].cells[3]).text = "5. Thủ tục hành chính công"
    for j, v in enumerate(["1", "Số hóa hồ sơ thủ tục hành chính", "Văn phòng UBND tỉnh",
                           "Sở Tư pháp\nSở Khoa học và Công nghệ"]):
        t.rows[3].cells[j].text = v
    path = tmp_path / "hai_dong.docx"
    doc.save(str(path))
    plan = parse_plan(path)
    assert [(a.dimension, a.text, a.lead_units, a.coordinating_units, a.due)
            for a in plan.actions] == [
        ("D5", "Số hóa hồ sơ thủ tục hành chính", ["Văn phòng UBND tỉnh"],
         ["Sở Tư pháp", "Sở Khoa học và Công nghệ"], None)]


@pytest.mark.skipif(shutil.which("tesseract") is None,
                    reason="tesseract is not installed (scripts/setup-system.sh)")
def test_scanned_pdf_is_read_by_ocr_and_marked(folder: Path) -> None:
    plan = parse_plan(docs.write_scan(folder / "ban_quet.pdf"))
    assert (plan.number, plan.province_code, plan.issued_on.isoformat()) == (
        "19/KH-SYT", "20", "2024-04-12")
    assert [(a.dimension, a.text, a.lead_units) for a in plan.actions] == [
        ("D5", "Niêm yết công khai thủ tục hành chính tại Bộ phận một cửa.", ["Văn phòng Sở"]),
        ("D6", "Giảm thời gian chờ khám bệnh tại bệnh viện tuyến tỉnh.", []),
        ("D6", "Rút ngắn thời gian trả kết quả xét nghiệm.", [])]
    assert 80 <= plan.ocr_confidence <= 100
    ocr = [p for p in plan.problems if "OCR" in p.message]
    assert len(ocr) == 1 and ocr[0].severity == "warning"
    assert ocr[0].message.startswith("Văn bản được nhận dạng từ ảnh quét (OCR, 1 trang")
    assert plan.to_json()["ocr_confidence"] == round(plan.ocr_confidence, 1)


def test_spreadsheet_without_a_task_header_is_no_plan(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Tỉnh", "Năm", "Điểm"])
    wb.active.append(["Lạng Sơn", 2024, 42.1])
    wb.save(tmp_path / "diem.xlsx")
    with pytest.raises(NotAPlanError):
        parse_plan(tmp_path / "diem.xlsx")
    (tmp_path / "hong.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(NotAPlanError):
        parse_plan(tmp_path / "hong.xlsx")


def test_damaged_pdf_is_a_clear_error(tmp_path: Path) -> None:
    from etl.problems import InputError

    path = tmp_path / "hong.pdf"
    path.write_bytes(b"%PDF-1.4\n garbage")
    with pytest.raises(InputError) as exc:
        parse_plan(path)
    assert not isinstance(exc.value, NotAPlanError)
    assert exc.value.problems[0].message.startswith("Không mở được tệp .pdf")


@pytest.mark.shared
def test_real_score_workbooks_are_no_plans(shared: Path) -> None:
    books = sorted((shared / "papi").rglob("*.xlsx"))
    assert books, "no .xlsx in ../shared/papi"
    for book in books:
        with pytest.raises(NotAPlanError) as exc:
            parse_plan(book)
        assert exc.value.problems[0].message.startswith("Bảng tính không có danh sách nhiệm vụ")


def test_docx_tables_inside_dimension_sections_take_the_section(tmp_path: Path) -> None:
    doc = docx.Document()
    for line in docs.HEAD[:9]:
        doc.add_paragraph(line)
    for heading, tasks in [("1. Quản trị điện tử", ["Mở rộng thanh toán trực tuyến",
                                                     "Số hóa kết quả giải quyết hồ sơ"]),
                           ("2. Kiểm soát tham nhũng trong khu vực công",
                            ["Công khai kết luận thanh tra"])]:
        doc.add_paragraph(heading)
        t = doc.add_table(rows=1, cols=4)
        for j, h in enumerate(["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn"]):
            t.rows[0].cells[j].text = h
        for i, task in enumerate(tasks, start=1):
            cells = t.add_row().cells
            for j, v in enumerate([str(i), task, "Sở Khoa học và Công nghệ", "Tháng 6/2026"]):
                cells[j].text = v
    doc.add_paragraph("III. TỔ CHỨC THỰC HIỆN")
    path = tmp_path / "bang_trong_muc.docx"
    doc.save(str(path))
    plan = parse_plan(path)
    assert [(a.seq, a.dimension, a.text, a.due.on.isoformat()) for a in plan.actions] == [
        (1, "D8", "Mở rộng thanh toán trực tuyến", "2026-06-30"),
        (2, "D8", "Số hóa kết quả giải quyết hồ sơ", "2026-06-30"),
        (3, "D4", "Công khai kết luận thanh tra", "2026-06-30")]


def test_scanned_pdf_without_tesseract_says_what_to_install(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from etl.problems import InputError

    scan = docs.write_scan(tmp_path / "quet.pdf")
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(InputError) as exc:
        parse_plan(scan)
    assert "chưa cài tesseract" in exc.value.problems[0].found
