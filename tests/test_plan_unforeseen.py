"""Plans no rule foresaw (issue 20): units as phrases, per-task times, ranges, year-less and
impossible dates, reporting clauses, several tasks in a sentence, UTF-16 text, bounded work."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from etl.plans.cli import main
from etl.plans.due import parse_due
from etl.plans.parse import parse_plan
from etl.plans.units import split_units
from tests import plan_forms20 as forms

FIX = Path(__file__).parent / "fixtures" / "plans"
QN = FIX / "qn_van_xuoi_ngoac.txt"
NA = FIX / "na_so_tu_phap_han_sai.txt"
XA = "UBND các xã, phường"
NN = "Sở Nông nghiệp và Môi trường"


def rows(plan) -> list[tuple]:
    return [(a.dimension, a.text, a.lead_units, a.coordinating_units,
             a.due.on if a.due else None, bool(a.due and a.due.ongoing)) for a in plan.actions]


# The hand reading of qn_van_xuoi_ngoac.txt (Quảng Ninh, prose with inline units and times).
QN_ROWS = [
    ("D1", "Hướng dẫn thực hiện Luật Thực hiện dân chủ ở cơ sở tại thôn, khu phố", ["Sở Nội vụ"],
     ["Sở Tư pháp", XA], date(2026, 12, 15), False),
    ("D1", "Tổ chức bầu cử trưởng thôn, tổ trưởng tổ dân phố đúng quy định", ["Sở Nội vụ"],
     ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", XA], None, True),
    ("D2", "Công khai danh sách hộ nghèo, hộ cận nghèo tại nhà văn hóa thôn, khu phố",
     ["Sở Nội vụ"], [XA], date(2026, 12, 31), False),
    ("D2", "Công khai quy hoạch sử dụng đất cấp xã trên Cổng thông tin điện tử tỉnh", [NN],
     ["Sở Xây dựng"], date(2026, 9, 30), False),
    ("D2", "Rà soát, công khai các khoản thu, đóng góp của người dân tại thôn, khu phố",
     ["Sở Tài chính"], [], date(2026, 6, 30), False),
    ("D2", "Công khai kết quả thu hồi, bồi thường đất đai tại trụ sở UBND xã", [NN], [],
     date(2026, 9, 30), False),
    ("D2", "Niêm yết giá đất tại bộ phận một cửa cấp xã", [XA], [], None, True),
    ("D3", "Tổ chức đối thoại của người đứng đầu với thanh niên về khởi nghiệp sáng tạo",
     ["Sở Khoa học và Công nghệ", "Tỉnh đoàn"], ["Hội Liên hiệp Phụ nữ tỉnh"],
     date(2026, 6, 30), False),
    ("D3", "Tiếp nhận, trả lời phản ánh, kiến nghị của người dân trên hệ thống 1022",
     ["Trung tâm Phục vụ hành chính công tỉnh"], ["các sở, ban, ngành"], date(2026, 6, 30),
     False),
    ("D4", "Thanh tra việc quản lý, sử dụng đất đai tại các xã, phường", ["Thanh tra tỉnh"],
     [NN, "Công an tỉnh"], date(2026, 12, 31), False),
    ("D4", "Công khai kết quả xử lý các vụ việc tham nhũng, tiêu cực", ["Thanh tra tỉnh"], [],
     date(2026, 6, 30), False),
    ("D5", "Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực đất đai", ["Văn phòng UBND tỉnh"],
     [NN], date(2026, 6, 30), False),
    ("D5", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính tại bộ phận một cửa cấp xã",
     [XA], [], date(2026, 11, 30), False),
]


def test_units_are_phrases_times_per_task_ranges_and_year_less_dates() -> None:
    plan = parse_plan(QN)
    assert rows(plan) == QN_ROWS
    # only the task without a time of its own inherits the plan's general deadline, and says so
    assert [a.seq for a in plan.actions if a.doubts] == [1]
    assert plan.actions[0].doubts == ["hạn lấy theo hạn chung của kế hoạch"]
    assert plan.deadline is not None and plan.deadline.on == date(2026, 12, 15)


def test_reporting_clause_is_no_deadline_impossible_and_early_dates_are_named() -> None:
    plan = parse_plan(NA)
    assert plan.deadline is None  # 'báo cáo kết quả … trước ngày 15/6/2025' is no task deadline
    dues = [(a.due.on, a.due.invalid) if a.due else None for a in plan.actions]
    assert dues == [(None, True), (None, True), (None, True), (date(2025, 1, 15), False),
                    (date(2025, 12, 31), False), None]
    assert [a.coordinating_units for a in plan.actions] == [
        ["Văn phòng Sở"], [], ["Phòng Hành chính tư pháp"], [],
        ["Hội đồng nhân dân phường Vinh Tân"], ["các phòng thuộc Sở"]]
    warnings = [(p.cell.split(":")[0], p.found) for p in plan.problems if p.severity == "warning"
                and p.cell and p.cell.startswith("nhiệm vụ")]
    assert warnings == [("nhiệm vụ 1", "31/2/2025"), ("nhiệm vụ 2", "Quý V/2025"),
                        ("nhiệm vụ 3", "Tháng 13/2025"), ("nhiệm vụ 4", "15/01/2025")]
    assert [bool(a.doubts) for a in plan.actions] == [True, True, True, True, False, False]


def test_unit_lists_split_on_known_names_not_inside_one_name() -> None:
    assert split_units("Sở Khoa học và Công nghệ, Tỉnh đoàn") == ["Sở Khoa học và Công nghệ",
                                                                 "Tỉnh đoàn"]
    assert split_units("UBND các xã, phường") == ["UBND các xã, phường"]
    assert split_units("Sở Tư pháp, UBND các xã, phường thực hiện") == ["Sở Tư pháp", XA]
    assert split_units("Liên đoàn Lao động tỉnh và Tỉnh đoàn") == ["Liên đoàn Lao động tỉnh",
                                                                  "Tỉnh đoàn"]


def test_range_year_less_and_impossible_due_phrases() -> None:
    cases = {"01/3/2026 - 30/6/2026": date(2026, 6, 30), "Tháng 3 - 6/2026": date(2026, 6, 30),
             "Quý III đến Quý IV/2026": date(2026, 12, 31), "từ tháng 3 đến tháng 6/2026":
             date(2026, 6, 30), "30/6": date(2026, 6, 30), "Quý II": date(2026, 6, 30),
             "Trước 30/11": date(2026, 11, 30)}
    assert {k: parse_due(k, 2026).on for k in cases} == cases
    for bad in ("31/2/2026", "Quý V/2026", "Tháng 13/2026", "30/2"):
        due = parse_due(bad, 2026)
        assert due is not None and due.on is None and due.invalid, bad


def test_utf16_text_plan_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ke_hoach_unicode.txt"
    path.write_text(QN.read_text(encoding="utf-8"), encoding="utf-16")  # BOM, as Notepad saves
    assert rows(parse_plan(path)) == QN_ROWS


@pytest.mark.parametrize("sentence", [
    "Tăng cường công khai, minh bạch thông tin, Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp, "
    "UBND các xã, phường (thường xuyên; Quý II), ",
    "Sở Nội vụ chủ trì phối hợp với Sở Tư pháp xây dựng kế hoạch của Sở năm 2026 ",
    "Sở Nội vụ chủ trì; thời gian: Quý II; "])
def test_28kb_repeated_paragraph_is_read_not_hung(tmp_path: Path, sentence: str) -> None:
    """Every regex bounded: a 28 KB paragraph (one sentence repeated) in the header and in a
    section is read. The timeout only catches a hang (the old reader ran past 100 s on such a
    paragraph); the speed figures belong to the bench, not to this test."""
    import subprocess
    import sys

    text = QN.read_text(encoding="utf-8")
    para = "- " + sentence * (28_000 // len(sentence)) + "thực hiện."
    path = tmp_path / "dai.txt"
    path.write_text(text.replace("KẾ HOẠCH\n", "KẾ HOẠCH\n\n" + para + "\n", 1).replace(
        "5. Thủ tục hành chính công\n", "5. Thủ tục hành chính công\n\n" + para + "\n"),
        encoding="utf-8")
    code = ("import sys; from etl.plans.parse import parse_plan; "
            "print(len(parse_plan(sys.argv[1]).actions))")
    res = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,  # noqa: S603
                         text=True, timeout=300, check=True, cwd=Path(__file__).parent.parent)
    assert int(res.stdout) >= len(QN_ROWS)


def test_parse_prints_the_review_table_in_vietnamese(capsys) -> None:
    assert main(["plan", "parse", str(NA)]) == 0
    out = capsys.readouterr().out
    assert "BẢNG RÀ SOÁT: 6 nhiệm vụ, 4 nhiệm vụ cần xem lại" in out
    head = next(ln for ln in out.splitlines() if ln.startswith("STT"))
    assert [c.strip() for c in head.split("|")] == ["STT", "Lĩnh vực", "Nhiệm vụ", "Chủ trì",
                                                    "Phối hợp", "Hạn", "Nghi vấn"]
    assert "hạn không hợp lệ: Quý V/2025" in out
    assert "hạn trước ngày ban hành kế hoạch: 15/01/2025" in out


def table_rows(plan) -> list[tuple]:
    return [(a.dimension, a.text, a.lead_units, a.coordinating_units,
             a.due.on if a.due else None) for a in plan.actions]


def test_excel_annex_task_list_dimension_column_dates_of_every_storage(tmp_path: Path) -> None:
    plan = parse_plan(forms.write_annex_xlsx(tmp_path / "phu_luc_dak_lak.xlsx"))
    assert (plan.number, plan.issued_on, plan.year, plan.province_code) == (
        "45/KH-UBND", date(2026, 2, 12), 2026, "66")
    assert plan.parent_number is None  # 'Kèm theo Kế hoạch số 45' is this plan, not a parent
    assert table_rows(plan) == forms.XLSX_EXPECTED  # the hidden draft sheet is not loaded
    hidden = [p for p in plan.problems if "Dự thảo" in p.message]
    assert len(hidden) == 1 and hidden[0].severity == "warning"


@pytest.mark.parametrize("between", [None, "PHỤ LỤC (tiếp theo)", "- 3 -"])
def test_word_appendix_continued_header_repeated_nested_subtasks_numbered_row(
        tmp_path: Path, between: str | None) -> None:
    path = forms.write_split_docx(tmp_path / "so_y_te_can_tho.docx")
    if between:  # a title or page number over the continued table
        import docx

        doc = docx.Document(str(path))
        doc.tables[1]._tbl.addprevious(doc.add_paragraph(between)._p)
        doc.save(str(path))
    plan = parse_plan(path)
    assert table_rows(plan) == forms.DOCX_EXPECTED
    assert [bool(a.doubts) for a in plan.actions] == [False, True, False, False, False, False]
    assert "không phải tiêu đề" in plan.actions[1].doubts[0]
    assert plan.deadline is None  # 'báo cáo … trước ngày 10/6/2026' is no deadline of a task


def test_pdf_table_over_page_breaks_is_one_table_and_never_ocr(tmp_path: Path, monkeypatch) -> None:
    from etl.plans import readers

    def no_ocr(*_a, **_k):
        raise AssertionError("a text PDF was sent to OCR")

    monkeypatch.setattr(readers, "ocr_pages", no_ocr)
    plan = parse_plan(forms.write_paged_pdf(tmp_path / "gia_lai_phu_luc.pdf"))
    assert table_rows(plan) == forms.PDF_EXPECTED
    assert plan.ocr_confidence is None


def test_task_table_cut_by_a_layout_table_is_a_doubt(tmp_path: Path) -> None:
    """A continuation with another column count is not joined silently: the last action read
    says the table stopped before the document's end."""
    import copy

    import docx

    path = forms.write_split_docx(tmp_path / "cat.docx")
    doc = docx.Document(str(path))
    doc.tables[1]._tbl.addprevious(doc.add_paragraph("PHỤ LỤC (tiếp theo)")._p)
    for row in doc.tables[1].rows:  # one column more than the first table
        row._tr.append(copy.deepcopy(row.cells[-1]._tc))
    doc.save(str(path))
    plan = parse_plan(path)
    assert [a.text for a in plan.actions] == [r[1] for r in forms.DOCX_EXPECTED[:4]]
    assert plan.actions[-1].doubts == ["bảng nhiệm vụ dừng trước khi hết văn bản (còn dòng nhiệm "
                                       "vụ ở bảng sau không ghép được)"]


def test_the_plans_own_header_names_a_unit_to_split_on() -> None:
    """'Liên minh Hợp tác xã' is no unit word and not in the reference; the plan's header names
    it, so '…, Liên minh Hợp tác xã tỉnh Đắk Lắk' starts a new unit; an unknown fund is a doubt."""
    plan = parse_plan(FIX / "gl_lien_minh_htx.txt")
    assert (plan.agency, plan.province_code) == ("Liên minh hợp tác xã tỉnh", "52")
    assert [a.coordinating_units for a in plan.actions] == [
        ["Sở Nông nghiệp và Môi trường", "Liên minh Hợp tác xã tỉnh Đắk Lắk"],
        ["Quỹ Hỗ trợ phát triển hợp tác xã"]]
    assert [a.doubts for a in plan.actions] == [
        [], ["đơn vị chưa có trong danh mục: Quỹ Hỗ trợ phát triển hợp tác xã"]]
    assert split_units("Sở Nông nghiệp và Môi trường, Liên minh Hợp tác xã tỉnh") == [
        "Sở Nông nghiệp và Môi trường, Liên minh Hợp tác xã tỉnh"]  # outside that plan: one


def test_pdf_cells_merged_down_serve_every_row(tmp_path: Path) -> None:
    plan = parse_plan(forms.write_merged_pdf(tmp_path / "gia_lai_gop_o.pdf"))
    assert table_rows(plan) == forms.MERGED_EXPECTED


def test_blank_pages_are_never_sent_to_ocr(tmp_path: Path, monkeypatch) -> None:
    from etl.plans import readers

    def no_ocr(*_a, **_k):
        raise AssertionError("a page without any picture was sent to OCR")

    monkeypatch.setattr(readers, "ocr_pages", no_ocr)
    plan = parse_plan(forms.write_near_blank_pdf(tmp_path / "nhieu_trang_trang.pdf"))
    assert len(plan.actions) == 6
    assert any("trang trống" in p.message for p in plan.problems)


def test_ocr_writes_no_page_image_to_disk(tmp_path: Path, monkeypatch) -> None:
    """Page images go to tesseract through a pipe: a build stopped during OCR (even killed)
    leaves no page image behind."""
    import tempfile

    from tests import plan_docs

    scan = plan_docs.write_scan(tmp_path / "ban_quet.pdf")

    def no_temp(*_a, **_k):
        raise AssertionError("OCR wrote a temporary file")

    for name in ("TemporaryDirectory", "mkdtemp", "mkstemp", "NamedTemporaryFile"):
        monkeypatch.setattr(tempfile, name, no_temp)
    plan = parse_plan(scan)
    assert plan.ocr_confidence is not None and len(plan.actions) == 3


def test_plan_scanned_sideways_is_turned_and_read(tmp_path: Path) -> None:
    from PIL import Image

    from tests import plan_docs

    upright = plan_docs.write_scan(tmp_path / "thang.pdf")
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(upright))
    img = pdf[0].render(scale=300 / 72).to_pil().convert("L")
    pdf.close()
    sideways = tmp_path / "quet_ngang.pdf"
    img.transpose(Image.Transpose.ROTATE_90).save(sideways, "PDF", resolution=300)
    plan = parse_plan(sideways)
    assert [a.dimension for a in plan.actions] == [a.dimension for a in parse_plan(upright).actions]
    assert plan.number == "19/KH-SYT"


def test_a_task_starting_with_its_unit_keeps_its_text() -> None:
    from etl.plans.inline import inline_parts

    assert inline_parts("Giao Sở Nội vụ thực hiện rà soát quy chế dân chủ ở cơ sở", 2026) == (
        "rà soát quy chế dân chủ ở cơ sở", ["Sở Nội vụ"], [], None)
    text = "Văn phòng Sở thực hiện công khai thủ tục hành chính tại bộ phận một cửa"
    assert inline_parts(text, 2026) == (text, [], [], None)
    body, lead, coord, due = inline_parts("Hoàn thiện quy chế phối hợp; UBND các xã, phường "
                                          "thực hiện trong Quý II", 2026)
    assert (body, lead, coord, due.on) == ("Hoàn thiện quy chế phối hợp", [XA], [],
                                           date(2026, 6, 30))
