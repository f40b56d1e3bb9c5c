"""Plan structure in every real form: sections, tasks, inline units, deadlines, targets, vintage."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from etl.plans.due import parse_due
from etl.plans.inline import split_inline_units
from etl.plans.parse import parse_plan
from etl.plans.structure import split_tasks
from etl.problems import InputError

FIX = Path(__file__).parent / "fixtures" / "plans"


def rows(plan) -> list[tuple]:
    return [(a.dimension, a.text, a.lead_units, a.coordinating_units,
             a.due.on if a.due else None, a.due.ongoing if a.due else None) for a in plan.actions]


def test_province_plan_numbered_content_indexes_lettered_tasks_inline_units() -> None:
    plan = parse_plan(FIX / "tinh_noi_dung_abc.txt")
    assert (plan.plan_id, plan.vintage, plan.province_code, plan.province) == (
        "25-2026-UBND-215", "34", "25", "Phú Thọ")
    assert rows(plan) == [
        ("D1", "Tổ chức lấy ý kiến Nhân dân về các dự án đầu tư công tại xã, phường",
         ["Sở Tài chính"], ["Ủy ban nhân dân các xã, phường"], date(2026, 6, 30), False),
        ("D1", "Hướng dẫn bầu cử trưởng thôn, tổ dân phố bảo đảm dân chủ", ["Sở Nội vụ"],
         ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"], date(2026, 6, 30), False),
        ("D2", "Công khai danh sách hộ nghèo, hộ cận nghèo tại nhà văn hóa thôn", ["Sở Nội vụ"],
         ["Ủy ban nhân dân các xã, phường"], date(2026, 9, 30), False),
        ("D2", "Công khai quy hoạch, kế hoạch sử dụng đất và khung giá đất trên Cổng thông tin "
         "điện tử tỉnh", ["Sở Nông nghiệp và Môi trường"], ["Sở Xây dựng"], date(2026, 10, 31),
         False),
        ("D4", "Công khai kết luận thanh tra về đất đai, xây dựng", ["Thanh tra tỉnh"],
         ["các sở, ngành liên quan"], date(2026, 12, 31), False),
        ("D4", "Duy trì đường dây nóng tiếp nhận phản ánh về nhũng nhiễu của cán bộ, công chức",
         ["Văn phòng Ủy ban nhân dân tỉnh"], [], None, True),
        ("D4", "Rà soát việc tuyển dụng công chức, viên chức bảo đảm công khai", ["Sở Nội vụ"],
         [], date(2026, 12, 15), False),
        ("D4", "Kiểm tra việc thực hiện quy tắc ứng xử của cán bộ tại bộ phận một cửa",
         ["Thanh tra tỉnh"], ["Sở Nội vụ", "Văn phòng Ủy ban nhân dân tỉnh"],
         date(2026, 12, 31), False),
        ("D4", "Tuyên truyền Luật Phòng, chống tham nhũng trên Đài Phát thanh và Truyền hình tỉnh",
         ["Sở Văn hóa, Thể thao và Du lịch"], [], date(2026, 11, 30), False),
    ]
    assert [(t.dimension, t.text) for t in plan.targets] == [
        (None, "Phấn đấu Chỉ số PAPI năm 2026 của tỉnh tăng ít nhất 02 bậc so với năm 2025."),
        ("D2", "Phấn đấu Chỉ số nội dung này tăng ít nhất 03 bậc.")]
    out = plan.to_json()
    assert out["actions"][1]["due"] == {"on": "2026-06-30", "text": "Quý II/2026",
                                        "ongoing": False}
    assert out["actions"][5]["due"] == {"on": None, "text": "Thường xuyên", "ongoing": True}
    assert out["targets"][0]["dimension"] is None and out["vintage"] == "34"


def test_roman_parts_bare_index_number_quoted_name_inline_numbers_semicolons() -> None:
    plan = parse_plan(FIX / "tinh_la_ma_inline.txt")
    assert (plan.vintage, plan.province_code) == ("63", "20")  # issued 10/03/2025: the 63
    deadline = date(2025, 11, 30)
    assert [(a.dimension, a.text, a.lead_units) for a in plan.actions] == [
        ("D1", "Hướng dẫn các xã tổ chức hội nghị thôn bàn về đóng góp xây dựng công trình công "
         "cộng", ["Phòng Xây dựng chính quyền"]),
        ("D1", "Theo dõi việc bầu trưởng thôn bảo đảm có nhiều ứng cử viên",
         ["Phòng Xây dựng chính quyền"]),
        ("D3", "Tổ chức đối thoại định kỳ giữa lãnh đạo Sở với người dân về công tác cán bộ",
         ["Thanh tra Sở"]),
        ("D3", "Trả lời đầy đủ kiến nghị của cử tri trong thời hạn 15 ngày làm việc",
         ["Thanh tra Sở"]),
        ("D3", "Công khai kết quả giải quyết khiếu nại trên Trang thông tin điện tử của Sở.",
         ["Thanh tra Sở"]),
        ("D4", "Rà soát quy trình tuyển dụng, nâng ngạch công chức để phòng ngừa tiêu cực.", []),
    ]
    assert plan.deadline.on == deadline
    assert {a.due.on for a in plan.actions} == {deadline}  # the plan-level deadline applies
    assert plan.actions[0].due.text == "trước 30/11/2025 (hạn chung của kế hoạch)"


def test_combined_par_sipas_papi_yields_papi_part_only() -> None:
    plan = parse_plan(FIX / "ket_hop_par_sipas_papi.txt")
    assert [(a.dimension, a.text, a.lead_units) for a in plan.actions] == [
        ("D5", "Niêm yết công khai thủ tục hành chính tại Bộ phận một cửa của Sở.",
         ["Văn phòng Sở"]),
        ("D6", "Giảm thời gian chờ khám bệnh tại bệnh viện tuyến huyện.", ["Phòng Nghiệp vụ Y"]),
    ]
    assert [t.text for t in plan.targets] == [
        "Phấn đấu Chỉ số PAPI năm 2024 của tỉnh tăng ít nhất 02 bậc; Chỉ số SIPAS đạt trên 85%."]


@pytest.mark.parametrize(("text", "on", "ongoing"), [
    ("30/6/2026", date(2026, 6, 30), False),
    ("Tháng 6/2026", date(2026, 6, 30), False),
    ("Tháng 2 năm 2028", date(2028, 2, 29), False),
    ("Quý II/2026", date(2026, 6, 30), False),
    ("quý 1 năm 2026", date(2026, 3, 31), False),
    ("Quý IV/2026", date(2026, 12, 31), False),
    ("Trước 15/10/2026", date(2026, 10, 15), False),
    ("trước ngày 01 tháng 9 năm 2026", date(2026, 9, 1), False),
    ("Năm 2026", date(2026, 12, 31), False),
    ("6 tháng đầu năm 2026", date(2026, 6, 30), False),
    ("Thường xuyên", None, True),
    ("Hằng năm", None, True),
])
def test_due_forms(text: str, on: date | None, ongoing: bool) -> None:
    due = parse_due(text)
    assert (due.on, due.ongoing, due.text) == (on, ongoing, text)


@pytest.mark.parametrize("text", ["", "Sở Nội vụ", "31/02/2026 là ngày không có", "Quý V/2026"])
def test_due_none_or_impossible(text: str) -> None:
    due = parse_due(text)
    assert due is None or due.on is None


def test_inline_unit_phrases() -> None:
    assert split_inline_units("Kiện toàn Tổ một cửa (Văn phòng UBND tỉnh chủ trì)") == (
        "Kiện toàn Tổ một cửa", ["Văn phòng UBND tỉnh"], [])
    assert split_inline_units("Tổ chức đối thoại. Giao Sở Nội vụ chủ trì thực hiện, phối hợp "
                              "với Sở Tư pháp.") == ("Tổ chức đối thoại", ["Sở Nội vụ"],
                                                     ["Sở Tư pháp"])
    assert split_inline_units("Duy trì đường dây nóng; cơ quan chủ trì: Sở Y tế; cơ quan phối "
                              "hợp: Sở Nội vụ, Sở Tư pháp") == (
        "Duy trì đường dây nóng", ["Sở Y tế"], ["Sở Nội vụ", "Sở Tư pháp"])
    # "chủ trì" inside the task, with no unit before it, is no unit phrase
    assert split_inline_units("Tổ chức chủ trì hội nghị") == ("Tổ chức chủ trì hội nghị", [], [])


def test_semicolon_continuation_is_one_task() -> None:
    one = ("Thực hiện nghiêm các quy định về phòng, chống tham nhũng; xử lý nghiêm các hành vi "
           "tham nhũng của người đứng đầu")
    assert split_tasks(one) == [one]
    assert split_tasks("Rà soát quy trình tiếp nhận hồ sơ tại bộ phận một cửa; Sở Nội vụ chủ "
                       "trì; thời gian hoàn thành: 30/6/2026") == [
        "Rà soát quy trình tiếp nhận hồ sơ tại bộ phận một cửa; Sở Nội vụ chủ trì; thời gian "
        "hoàn thành: 30/6/2026"]


def test_province_not_found_is_an_error_naming_the_file(tmp_path: Path) -> None:
    text = (FIX / "tinh_la_ma_inline.txt").read_text(encoding="utf-8")
    path = tmp_path / "khong_tinh.txt"
    path.write_text(text.replace("UBND TỈNH LẠNG SƠN", "UBND TỈNH XANADU").replace(
        "Lạng Sơn, ngày", "Xanadu, ngày"), encoding="utf-8")
    plan = parse_plan(path)
    errors = [p for p in plan.problems if p.severity == "error"]
    assert len(errors) == 1 and errors[0].file == str(path)
    assert errors[0].message.startswith("Không xác định được tỉnh ban hành kế hoạch")
    assert errors[0].found == "Xanadu" and plan.province_code is None


def test_old_province_name_after_the_merger_is_not_found(tmp_path: Path) -> None:
    """'tỉnh Vĩnh Phúc' on a plan issued 2026 is no province of the 34: an error, not a guess."""
    text = (FIX / "tinh_noi_dung_abc.txt").read_text(encoding="utf-8")
    path = tmp_path / "vinh_phuc.txt"
    path.write_text(text.replace("TỈNH PHÚ THỌ", "TỈNH VĨNH PHÚC").replace(
        "Phú Thọ, ngày", "Vĩnh Phúc, ngày"), encoding="utf-8")
    plan = parse_plan(path)
    assert plan.vintage == "34" and plan.province_code is None
    assert [p.found for p in plan.problems if p.severity == "error"] == ["Vĩnh Phúc"]


def test_twenty_kilobyte_paragraph_parses_fast(tmp_path: Path) -> None:
    text = (FIX / "tinh_noi_dung_abc.txt").read_text(encoding="utf-8")
    long = ("Tăng cường công tác tuyên truyền, phổ biến, giáo dục pháp luật, " * 320)
    long += "(((( ;;;; chủ trì chủ trì , , , 30/ 30/ Quý Quý " * 20
    assert len(long.encode("utf-8")) > 20_000
    path = tmp_path / "dai.txt"
    path.write_text(text.replace("c) Phấn đấu Chỉ số nội dung này tăng ít nhất 03 bậc.",
                                 "c) " + long), encoding="utf-8")
    start = time.perf_counter()
    plan = parse_plan(path)
    assert time.perf_counter() - start < 0.5
    assert len(plan.actions) == 10 and plan.actions[4].text.startswith("Tăng cường công tác")


def test_file_far_larger_than_a_plan_is_refused_with_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "khong_lo.txt"
    path.write_bytes(b"KE HOACH PAPI\n" + b"x" * 2_100_000)
    with pytest.raises(InputError) as exc:
        parse_plan(path)
    problem = exc.value.problems[0]
    assert problem.file == str(path) and problem.message.startswith("Tệp quá lớn")
    assert problem.found == "2.1 MB > 2 MB"


@pytest.mark.parametrize(("text", "target"), [
    ("Phấn đấu Chỉ số PAPI năm 2026 tăng ít nhất 02 bậc so với năm 2025.", True),
    ("Phấn đấu năm 2026 Chỉ số PAPI của tỉnh đạt trên 43,5 điểm.", True),
    ("Chỉ số PAPI năm 2026 đạt từ 45 điểm trở lên.", True),
    ("Phấn đấu đưa tỉnh vào nhóm đầu cả nước về Chỉ số PAPI.", True),
    ("Phấn đấu 100% hồ sơ được tiếp nhận tại các địa điểm một cửa.", False),
    ("Hoàn thành các chỉ tiêu về cải cách hành chính được giao.", False),
    ("Niêm yết công khai địa điểm, thời gian tiếp công dân.", False),
])
def test_targets_are_goals_not_tasks(text: str, target: bool) -> None:
    from etl.plans.structure import is_target

    assert is_target(text) is target
