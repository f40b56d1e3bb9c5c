"""Plan parser: the real Lạng Sơn plan, fictional fixtures of every variant, units, CLI."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

import docx
import pytest

from etl.plans.cli import main
from etl.plans.dimensions import classify_heading
from etl.plans.parse import NotAPlanError, parse_plan
from etl.plans.units import split_units, unit_line
from etl.problems import InputError

FIX = Path(__file__).parent / "fixtures" / "plans"
REAL = "plans/001_8a4cc71e9d932ed4.txt"


def dims(plan) -> list[str]:
    return [a.dimension for a in plan.actions]


@pytest.mark.shared
def test_real_plan(shared: Path) -> None:
    path = shared / REAL
    if not path.exists():
        pytest.skip(f"{path} is absent: real plan check not run")
    plan = parse_plan(path)
    assert plan.number == "56/KH-SGTVT"
    assert plan.issued_on == date(2024, 6, 13)
    assert plan.year == 2024
    assert (plan.province, plan.province_code) == ("Lạng Sơn", "20")
    assert plan.agency == "Sở Giao thông vận tải"
    assert (plan.parent_number, plan.parent_issued_on) == ("105/KH-UBND", date(2024, 5, 14))
    assert plan.signer == "Hoàng Khánh Dư"
    assert len(plan.actions) == 11
    assert Counter(dims(plan)) == {"D1": 1, "D2": 2, "D3": 1, "D4": 3, "D5": 2, "D6": 1,
                                   "D8": 1}
    by = {d: [a for a in plan.actions if a.dimension == d] for d in set(dims(plan))}
    assert by["D5"][0].lead_units == [
        "Phòng Quản lý kết cấu hạ tầng và An toàn giao thông",
        "Phòng Quản lý vận tải, phương tiện và người lái",
        "Trạm Quản lý vận tải cửa khẩu"]
    assert by["D5"][1].coordinating_units == ["Văn phòng Sở"]
    assert [a.lead_units for a in by["D2"]] == [["Văn phòng"], ["Văn phòng"]]
    assert by["D2"][0].coordinating_units == ["Các Phòng, Ban thuộc Sở"]
    assert by["D4"][2].lead_units == ["Thanh tra Sở"]
    assert by["D4"][2].coordinating_units == ["Các phòng, đơn vị thuộc Sở"]
    assert by["D4"][0].text.endswith("tại cơ quan, đơn vị")
    assert by["D8"][0].lead_units == ["Văn phòng Sở"]
    assert plan.problems == []
    out = plan.to_json()
    assert list(out) == ["number", "issued_on", "year", "province", "province_code", "agency",
                         "parent", "signer", "vintage", "is_amendment", "ocr_confidence",
                         "deadline", "targets", "actions"]
    assert (out["vintage"], out["targets"], out["deadline"]) == ("63", [], None)
    assert out["parent"] == {"number": "105/KH-UBND", "issued_on": "2024-05-14"}
    assert list(out["actions"][0]) == ["dimension", "text", "lead_units", "coordinating_units",
                                       "due", "fingerprint", "doubts", "corrected"]
    assert [a["due"] for a in out["actions"]] == [None] * 11  # the plan states no deadline


def test_general_section_and_all_eight_dimensions() -> None:
    plan = parse_plan(FIX / "general_all8.txt")
    assert dims(plan) == ["GENERAL", "GENERAL", "D1", "D2", "D3", "D4", "D4", "D5", "D6", "D7",
                          "D8", "D8"]
    assert (plan.number, plan.issued_on, plan.year) == ("12/KH-SNV", date(2023, 3, 5), 2023)
    assert (plan.province_code, plan.agency, plan.signer) == ("02", "Sở Nội vụ", "Nguyễn Văn Thử")
    assert (plan.parent_number, plan.parent_issued_on) == ("45/KH-UBND", date(2023, 2, 20))
    a = plan.actions
    assert a[0].text == "Quán triệt Kế hoạch đến toàn thể công chức, viên chức của Sở."
    assert a[0].lead_units == ["Văn phòng Sở"] and a[0].coordinating_units == []
    assert a[2].lead_units == ["Phòng Xây dựng chính quyền và Công tác thanh niên"]
    assert a[2].coordinating_units == ["Văn phòng Sở", "Thanh tra Sở"]
    assert a[3].lead_units == ["Phòng Công chức, viên chức"]
    assert a[3].coordinating_units == ["Văn phòng Sở", "Trung tâm Lưu trữ lịch sử"]
    assert a[4].lead_units == ["Văn phòng Sở", "Thanh tra Sở"]
    assert a[5].text == "Kê khai tài sản, thu nhập đúng quy định."
    assert a[8].lead_units == ["Phòng Tổ chức, biên chế và Tổ chức phi chính phủ"]
    assert [x.seq for x in a] == list(range(1, 13))
    assert plan.plan_id == "02-2023-SNV-12"
    assert plan.action_id(a[0]) == "02-2023-SNV-12-A01"


def test_fewer_dimensions_no_unit_lines_agency_from_header() -> None:
    plan = parse_plan(FIX / "fewer_no_units.txt")
    assert dims(plan) == ["D5", "D5", "D2"]
    assert all(x.lead_units == [] and x.coordinating_units == [] for x in plan.actions)
    assert (plan.province, plan.province_code) == ("Cần Thơ", "92")
    assert plan.agency == "Sở Y tế"
    assert (plan.parent_number, plan.parent_issued_on) == ("30/KH-UBND", date(2022, 3, 15))


def test_draft_blank_number_and_date_are_missing_not_invented() -> None:
    plan = parse_plan(FIX / "draft_blank.txt")
    assert plan.number is None and plan.issued_on is None and plan.signer is None
    assert plan.year == 2025  # from the title, not the (blank) issue date
    assert plan.agency == "Sở Y tế" and plan.province_code == "48"
    msgs = " | ".join(p.message for p in plan.problems)
    assert "Số kế hoạch để trống" in msgs and "Ngày ban hành để trống" in msgs
    assert all(p.severity == "warning" for p in plan.problems)
    prefix = "48-2025-SYT-D"  # a 2025 draft without a date is taken as one of the 63's: -V63
    assert plan.vintage == "63"
    assert re.fullmatch(re.escape(prefix) + "[0-9a-f]{6}-V63", plan.plan_id), plan.plan_id
    assert plan.to_json()["issued_on"] is None and plan.to_json()["number"] is None


def test_page_break_join_and_headings_by_meaning_in_any_order() -> None:
    plan = parse_plan(FIX / "page_break_order.txt")
    assert dims(plan) == ["D8", "D4", "D5", "D1", "D6", "D7", "D2", "D3"]
    assert plan.actions[0].text == ("Triển khai chữ ký số cho toàn bộ công chức lãnh đạo và công "
                                    "chức chuyên môn của Sở trong năm 2024.")
    assert plan.actions[-1].text == "Trả lời kiến nghị của cử tri về giá đất đúng thời hạn."
    assert plan.number == "88/KH-STC" and plan.agency == "Sở Tài chính"
    assert plan.actions[0].lead_units == ["Văn phòng Sở"] and plan.actions[1].lead_units == []


@pytest.mark.parametrize("name", ["general_all8_nfd.txt", "general_all8_cp1258.txt"])
def test_encodings_and_nfd_parse_identically(name: str) -> None:
    raw = (FIX / name).read_bytes()
    if "nfd" in name:
        assert raw.decode("utf-8") != unicodedata.normalize("NFC", raw.decode("utf-8"))
    else:
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
    assert parse_plan(FIX / name).to_json() == parse_plan(FIX / "general_all8.txt").to_json()


def test_utf8_bom(tmp_path: Path) -> None:
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + (FIX / "fewer_no_units.txt").read_bytes())
    assert parse_plan(p).number == "7/KH-SYT"


def test_docx_with_header_and_signature_tables(tmp_path: Path) -> None:
    doc = docx.Document()
    head = doc.add_table(rows=2, cols=2)
    head.cell(0, 0).text = "UBND TỈNH LẠNG SƠN\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    head.cell(1, 0).text = "Số: 9/KH-STTTT"
    head.cell(1, 1).text = "Lạng Sơn, ngày 3 tháng 5 năm 2024"
    for text in ["KẾ HOẠCH", "Nâng cao Chỉ số PAPI năm 2024 (hư cấu)", "II. NỘI DUNG",
                 "1. Quản trị điện tử", "- Mở rộng dịch vụ công trực tuyến toàn trình.",
                 "- Đơn vị chủ trì thực hiện: Trung tâm Công nghệ thông tin; Văn phòng Sở",
                 "2. Kiểm soát tham nhũng", "- Công khai kết luận thanh tra.",
                 "III. TỔ CHỨC THỰC HIỆN", "Các phòng thực hiện."]:
        doc.add_paragraph(text)
    sign = doc.add_table(rows=1, cols=2)
    sign.cell(0, 0).text = "Nơi nhận:\n- Lưu: VT."
    sign.cell(0, 1).text = "GIÁM ĐỐC\n(Đã ký)\nVũ Thị Word"
    path = tmp_path / "plan.docx"
    doc.save(str(path))
    plan = parse_plan(path)
    assert dims(plan) == ["D8", "D4"]
    assert plan.actions[0].lead_units == ["Trung tâm Công nghệ thông tin", "Văn phòng Sở"]
    assert (plan.number, plan.issued_on, plan.province_code) == ("9/KH-STTTT", date(2024, 5, 3),
                                                                 "20")
    assert plan.agency == "Sở Thông tin và Truyền thông"
    assert plan.signer == "Vũ Thị Word"


def test_not_a_plan_raises_clear_error() -> None:
    with pytest.raises(NotAPlanError) as exc:
        parse_plan(FIX / "not_a_plan.txt")
    p = exc.value.problems[0]
    assert p.file.endswith("not_a_plan.txt") and "không phải kế hoạch PAPI" in p.message
    assert p.found == "BIÊN BẢN" and "KẾ HOẠCH" in p.allowed


def test_plan_without_sections_is_broken_not_skipped() -> None:
    with pytest.raises(InputError) as exc:
        parse_plan(FIX / "broken_plan.txt")
    assert not isinstance(exc.value, NotAPlanError)
    assert "không có mục nhiệm vụ" in exc.value.problems[0].message


def test_agency_from_symbol_when_nowhere_else(tmp_path: Path) -> None:
    text = (FIX / "fewer_no_units.txt").read_text(encoding="utf-8").replace("SỞ Y TẾ\n", "")
    (tmp_path / "p.txt").write_text(text, encoding="utf-8")
    assert parse_plan(tmp_path / "p.txt").agency == "Sở Y tế"


def test_numeric_issue_date_and_impossible_date(tmp_path: Path) -> None:
    text = (FIX / "fewer_no_units.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text.replace("ngày 2 tháng 4 năm 2022", "ngày 02/04/2022"),
                                    encoding="utf-8")
    assert parse_plan(tmp_path / "a.txt").issued_on == date(2022, 4, 2)
    (tmp_path / "b.txt").write_text(text.replace("ngày 2 tháng 4", "ngày 31 tháng 2"),
                                    encoding="utf-8")
    plan = parse_plan(tmp_path / "b.txt")
    assert plan.issued_on is None and plan.year == 2022
    assert [p.found for p in plan.problems] == ["ngày 31 tháng 2 năm 2022"]


def test_bad_docx_is_an_input_error(tmp_path: Path) -> None:
    p = tmp_path / "x.docx"
    p.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="x.docx"):
        parse_plan(p)


@pytest.mark.parametrize("heading,code", [
    ("1. Sự tham gia của người dân ở cấp cơ sở", "D1"),
    ("Sự tham gia", "D1"),
    ("2. Công khai, minh bạch", "D2"),
    ("3. Nội dung “Trách nhiệm giải trình với người dân”", "D3"),
    ("Chỉ số nội dung 4: Kiểm soát tham nhũng khu vực công", "D4"),
    ("Nội dung \"Thủ tục hành chính công\"", "D5"),
    ("6. CUNG ỨNG DỊCH VỤ CÔNG", "D6"),
    ("7.2. Quản trị môi trường", "D7"),
    ("Nội dung: Quản trị điện tử", "D8"),
    ("1. Công tác chỉ đạo điều hành", "GENERAL"),
    (unicodedata.normalize("NFD", "5. Thủ tục hành chính công"), "D5"),
])
def test_headings_classified_by_meaning(heading: str, code: str) -> None:
    assert classify_heading(heading) == code


@pytest.mark.parametrize("value,units", [
    ("Các Phòng, Ban thuộc Sở", ["Các Phòng, Ban thuộc Sở"]),
    ("Các phòng, đơn vị thuộc Sở.", ["Các phòng, đơn vị thuộc Sở"]),
    ("Văn phòng Sở, Thanh tra Sở và Trung tâm Công nghệ", ["Văn phòng Sở", "Thanh tra Sở",
                                                          "Trung tâm Công nghệ"]),
    ("Phòng Quản lý vận tải, phương tiện và người lái; Trạm A;",
     ["Phòng Quản lý vận tải, phương tiện và người lái", "Trạm A"]),
    ("Các phòng có TTHC: Phòng A; Phòng B", ["Phòng A", "Phòng B"]),
])
def test_split_units(value: str, units: list[str]) -> None:
    assert split_units(value) == units


def test_unit_lines() -> None:
    assert unit_line("- Đơn vị phối hợp thực hiện: Văn phòng Sở") == ([], ["Văn phòng Sở"])
    assert unit_line("Đơn vị chủ trì: Thanh tra Sở; đơn vị phối hợp: Các phòng.") == (
        ["Thanh tra Sở"], ["Các phòng"])
    assert unit_line("Phối hợp với các cơ quan tuyên truyền.") is None


def test_cli_json_and_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "parse", str(FIX / "general_all8.txt"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["number"] == "12/KH-SNV" and len(out["actions"]) == 12
    assert main(["plan", "parse", str(FIX / "general_all8.txt")]) == 0
    assert "Nguyễn Văn Thử" in capsys.readouterr().out
    assert main(["plan", "parse", str(FIX / "tinh_noi_dung_abc.txt")]) == 0
    out = capsys.readouterr().out
    assert "      hạn / due: 30/06/2026 (Quý II/2026)\n" in out
    assert "      hạn / due: thường xuyên / ongoing (Thường xuyên)\n" in out
    assert "  Mục tiêu / target: Phấn đấu Chỉ số nội dung này tăng ít nhất 03 bậc.\n" in out
    assert main(["plan", "parse", str(FIX / "tinh_noi_dung_abc.txt"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["actions"][0]["due"]["on"] == "2026-06-30" and len(out["targets"]) == 2


def test_cli_error_exit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "parse", str(FIX / "not_a_plan.txt")]) == 2
    assert "not_a_plan.txt" in capsys.readouterr().err
